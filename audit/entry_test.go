package audit

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
)

// t0 is the time of the first test entry.
var t0 = time.Date(2026, 11, 23, 10, 0, 0, 123456000, time.UTC)

// testEntry returns the i-th entry of a test log: reads by a few people, every seventh refused under A9.1.
func testEntry(i int) Entry {
	e := Entry{
		Time:     t0.Add(time.Duration(i) * time.Second),
		Actor:    cleared.PersonID(fmt.Sprintf("per_%026d", i%5)),
		Terminal: cleared.TerminalID(fmt.Sprintf("trm_%026d", i%3)),
		Action:   "piece.read_content",
		Object:   fmt.Sprintf("pce_%026d", i),
		Allowed:  true,
	}
	if i%7 == 3 {
		e.Allowed, e.Rule = false, "A9.1"
	}
	return e
}

func testPayload(i int) []byte { return fmt.Appendf(nil, `{"i":%d}`, i) }

func TestEntry_MarshalLeaf(t *testing.T) {
	e := Entry{
		Seq:         42,
		Time:        time.Date(2026, 11, 23, 11, 0, 0, 123456000, time.FixedZone("CET", 3600)),
		Actor:       "per_aaaaaaaaaaaaaaaaaaaaaaaaaa",
		Terminal:    "trm_bbbbbbbbbbbbbbbbbbbbbbbbbb",
		Action:      "piece.read_content",
		Object:      "pce_cccccccccccccccccccccccccc",
		Allowed:     true,
		PayloadHash: HashPayload([]byte("{}")),
	}
	got, err := e.MarshalLeaf()
	if err != nil {
		t.Fatal(err)
	}
	want := "cleared-audit-entry/v1\n" +
		"seq 42\n" +
		"time 2026-11-23T10:00:00.123456Z\n" +
		"actor per_aaaaaaaaaaaaaaaaaaaaaaaaaa\n" +
		"terminal trm_bbbbbbbbbbbbbbbbbbbbbbbbbb\n" +
		"action piece.read_content\n" +
		"object pce_cccccccccccccccccccccccccc\n" +
		"decision allow\n" +
		"payload sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\n"
	if string(got) != want {
		t.Errorf("MarshalLeaf:\n%s\nwant:\n%s", got, want)
	}

	refusal := Entry{Seq: 7, Time: t0, Action: "piece.read_content", Rule: "A9.1", PayloadHash: HashPayload(nil)}
	got, err = refusal.MarshalLeaf()
	if err != nil {
		t.Fatal(err)
	}
	want = "cleared-audit-entry/v1\n" +
		"seq 7\n" +
		"time 2026-11-23T10:00:00.123456Z\n" +
		"actor -\n" +
		"terminal -\n" +
		"action piece.read_content\n" +
		"object -\n" +
		"decision deny A9.1\n" +
		"payload sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
	if string(got) != want {
		t.Errorf("MarshalLeaf of a refusal without actor:\n%s\nwant:\n%s", got, want)
	}

	// The leaf hash is RFC 6962's: SHA-256 of 0x00 and the encoding.
	leaf, err := refusal.LeafHash()
	if err != nil {
		t.Fatal(err)
	}
	if h := HashPayload(append([]byte{0}, want...)); string(leaf) != string(h[:]) {
		t.Errorf("LeafHash = %x, want SHA-256(0x00 || encoding) = %x", leaf, h)
	}
}

func TestEntry_MarshalLeafRefuses(t *testing.T) {
	ok := testEntry(1)
	for _, tc := range []struct {
		name string
		edit func(*Entry)
	}{
		{"refusal without its rule", func(e *Entry) { e.Allowed, e.Rule = false, "" }},
		{"allowed action naming a rule", func(e *Entry) { e.Allowed, e.Rule = true, "A9.1" }},
		{"no action", func(e *Entry) { e.Action = "" }},
		{"space in action", func(e *Entry) { e.Action = "piece.read content" }},
		{"space in object", func(e *Entry) { e.Object = "pce_1 decision allow" }},
		{"newline in object", func(e *Entry) { e.Object = "pce_1\ndecision allow" }},
		{"newline in actor", func(e *Entry) { e.Actor = "per_1\nterminal x" }},
		{"tab in terminal", func(e *Entry) { e.Terminal = "trm\t1" }},
		{"DEL in rule", func(e *Entry) { e.Allowed, e.Rule = false, "A9.1\x7f" }},
		{"object of 201 characters", func(e *Entry) { e.Object = strings.Repeat("x", 201) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := ok
			tc.edit(&e)
			if _, err := e.MarshalLeaf(); !errors.Is(err, cleared.ErrInvalid) {
				t.Errorf("MarshalLeaf = %v, want ErrInvalid", err)
			}
			if _, err := e.LeafHash(); !errors.Is(err, cleared.ErrInvalid) {
				t.Errorf("LeafHash = %v, want ErrInvalid", err)
			}
		})
	}
}

// TestEntry_MarshalLeafFieldLength: a field of 200 characters is encoded, one of 201 refused, whichever field.
func TestEntry_MarshalLeafFieldLength(t *testing.T) {
	for _, field := range []string{"actor", "terminal", "action", "object", "rule"} {
		for _, n := range []int{200, 201} {
			e := testEntry(3) // a refusal, so that it has a rule
			v := strings.Repeat("x", n)
			switch field {
			case "actor":
				e.Actor = cleared.PersonID(v)
			case "terminal":
				e.Terminal = cleared.TerminalID(v)
			case "action":
				e.Action = v
			case "object":
				e.Object = v
			case "rule":
				e.Rule = v
			}
			b, err := e.MarshalLeaf()
			switch {
			case n == 200 && (err != nil || !strings.Contains(string(b), field+" "+v+"\n") && !strings.Contains(string(b), "deny "+v+"\n")):
				t.Errorf("%s of 200 characters: %v\n%s", field, err, b)
			case n == 201 && !errors.Is(err, cleared.ErrInvalid):
				t.Errorf("%s of 201 characters: %v, want ErrInvalid", field, err)
			}
		}
	}
}

// TestDigest_Text: a payload hash is written in JSON in standard base64, and read back only if it is 32 bytes.
func TestDigest_Text(t *testing.T) {
	d := Digest(HashPayload([]byte("{}")))
	b, err := d.MarshalText()
	if err != nil || string(b) != "RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=" {
		t.Fatalf("MarshalText = %s, %v", b, err)
	}
	var back Digest
	if err := back.UnmarshalText(b); err != nil || back != d {
		t.Errorf("UnmarshalText = %x, %v; want %x", back, err, d)
	}
	for _, bad := range []string{"", "RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq", "RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4oA", "not base64!"} {
		if err := back.UnmarshalText([]byte(bad)); !errors.Is(err, cleared.ErrInvalid) {
			t.Errorf("UnmarshalText(%q) = %v, want ErrInvalid", bad, err)
		}
	}
}

// TestEntry_String: the line an entry is logged as says who did what to which object, and the decision.
func TestEntry_String(t *testing.T) {
	e := testEntry(3)
	if got, want := e.String(), "#0 2026-11-23T10:00:03Z per_00000000000000000000000003 piece.read_content pce_00000000000000000000000003 deny A9.1"; got != want {
		t.Errorf("String = %q\nwant     %q", got, want)
	}
	e = Entry{Seq: 9, Time: t0, Action: "agenda.read", Allowed: true}
	if got, want := e.String(), "#9 2026-11-23T10:00:00Z  agenda.read - allow"; got != want {
		t.Errorf("String = %q\nwant     %q", got, want)
	}
}
