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
