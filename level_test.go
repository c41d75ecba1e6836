package cleared_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/cleared/cleared"
)

func TestParseLevel(t *testing.T) {
	tests := []struct {
		in   string
		want cleared.Level
	}{
		{"TOP_SECRET", cleared.TopSecret}, {"top secret", cleared.TopSecret}, {"TRES SECRET", cleared.TopSecret},
		{"Très Secret", cleared.TopSecret}, {"TRE\u0300S SECRET", cleared.TopSecret}, {"TRES SECRET LUX", cleared.TopSecret},
		{"SECRET", cleared.Secret}, {"secret lux", cleared.Secret},
		{"CONFIDENTIAL", cleared.Confidential}, {"CONFIDENTIEL", cleared.Confidential}, {"confidentiel lux", cleared.Confidential},
		{"RESTRICTED", cleared.Restricted}, {"RESTREINT", cleared.Restricted}, {"Restreint LUX", cleared.Restricted},
		{"UNCLASSIFIED", cleared.Unclassified}, {"NON CLASSIFIÉ", cleared.Unclassified},
	}
	for _, tt := range tests {
		t.Run("A4.1 "+tt.in, func(t *testing.T) {
			got, err := cleared.ParseLevel(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("ParseLevel(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
	for _, bad := range []string{"", "ULTRA", "SECRET DEFENSE", "NATO SECRET", "TOPSECRET", "SECRET UE", "5", "SECRET LUX LUX", "DIFFUSION RESTREINTE",
		// Exact after normalisation: no guessing at spacing, control or invisible characters (issue 17).
		" SECRET", "SECRET ", "CONFIDENTIAL\n", "CONFIDENTIAL\r", "TRES  SECRET", "  tres-secret ", "TRES-SECRET", "TOP\tSECRET",
		"SECRET\u00a0LUX", "SE\u200bCRET", "\u202eSECRET", "SECRET\u2066", "SECRET\x00", "\ufeffSECRET", "TOP__SECRET"} {
		t.Run("A4.1 refuses "+bad, func(t *testing.T) {
			_, err := cleared.ParseLevel(bad)
			if !errors.Is(err, cleared.ErrInvalid) {
				t.Fatalf("ParseLevel(%q) error = %v, want ErrInvalid", bad, err)
			}
			if !strings.Contains(err.Error(), "TOP_SECRET") {
				t.Fatalf("error %q does not say which levels are accepted", err)
			}
		})
	}
}

func TestLevelOrderAndNames(t *testing.T) {
	// A4.1: four levels, highest first TRES SECRET, then SECRET, CONFIDENTIEL, RESTREINT.
	order := []cleared.Level{cleared.Unclassified, cleared.Restricted, cleared.Confidential, cleared.Secret, cleared.TopSecret}
	for i := 1; i < len(order); i++ {
		if order[i-1] >= order[i] {
			t.Fatalf("A4.1 %s must be below %s", order[i-1], order[i])
		}
	}
	if cleared.Unclassified != cleared.Level(0) {
		t.Fatal("A4.1 unclassified must be the zero value")
	}
	names := map[cleared.Level][3]string{
		cleared.TopSecret:    {"TOP_SECRET", "TRES SECRET", "TRES SECRET LUX"},
		cleared.Secret:       {"SECRET", "SECRET", "SECRET LUX"},
		cleared.Confidential: {"CONFIDENTIAL", "CONFIDENTIEL", "CONFIDENTIEL LUX"},
		cleared.Restricted:   {"RESTRICTED", "RESTREINT", "RESTREINT LUX"},
	}
	for l, n := range names {
		if l.String() != n[0] || l.French() != n[1] || l.Marking() != n[2] {
			t.Errorf("A7.1 names of %d = %s, %s, %s; want %v", l, l.String(), l.French(), l.Marking(), n)
		}
	}
	if cleared.Unclassified.Marking() != "" {
		t.Error("A7.1 an unclassified piece carries no marking")
	}
	if cleared.Level(9).Valid() || cleared.Level(-1).Valid() {
		t.Error("levels outside the five are not valid")
	}
}

func TestLevelJSON(t *testing.T) {
	var v struct{ L cleared.Level }
	if err := json.Unmarshal([]byte(`{"L":"CONFIDENTIEL"}`), &v); err != nil || v.L != cleared.Confidential {
		t.Fatalf("unmarshal CONFIDENTIEL = %v, %v", v.L, err)
	}
	b, _ := json.Marshal(v)
	if string(b) != `{"L":"CONFIDENTIAL"}` {
		t.Fatalf("marshal = %s, want the API name", b)
	}
	if err := json.Unmarshal([]byte(`{"L":"ULTRA"}`), &v); err == nil {
		t.Fatal("unmarshal ULTRA accepted")
	}
	if err := json.Unmarshal([]byte(`{"L":3}`), &v); err == nil {
		t.Fatal("a number is not a level name")
	}
	if _, err := json.Marshal(struct{ L cleared.Level }{cleared.Level(7)}); err == nil {
		t.Fatal("marshalling an invalid level succeeded")
	}
}

func FuzzParseLevel(f *testing.F) {
	for _, s := range []string{"TOP_SECRET", "Très Secret LUX", "restreint", "", "\xff", "SECRET\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := cleared.ParseLevel(s)
		if err != nil {
			if !errors.Is(err, cleared.ErrInvalid) {
				t.Fatalf("error of the wrong kind: %v", err)
			}
			return
		}
		if !l.Valid() {
			t.Fatalf("ParseLevel(%q) returned invalid level %d", s, l)
		}
		// What was parsed prints as a name that parses back to the same level.
		if back, err := cleared.ParseLevel(l.String()); err != nil || back != l {
			t.Fatalf("round trip of %s failed", l)
		}
	})
}
