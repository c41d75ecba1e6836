package cleared_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/cleared/cleared"
)

func TestDefaultEquivalence(t *testing.T) {
	tab := cleared.DefaultEquivalence()
	if err := tab.Validate(); err != nil {
		t.Fatalf("A6.1 shipped table invalid: %v", err)
	}
	tests := []struct {
		marking string
		scheme  cleared.Scheme
		level   cleared.Level
	}{
		{"COSMIC TOP SECRET", cleared.SchemeNATO, cleared.TopSecret},
		{"NATO SECRET", cleared.SchemeNATO, cleared.Secret},
		{"nato confidential", cleared.SchemeNATO, cleared.Confidential},
		{"NATO RESTRICTED", cleared.SchemeNATO, cleared.Restricted},
		{"TRES SECRET UE/EU TOP SECRET", cleared.SchemeEU, cleared.TopSecret},
		{"SECRET UE/EU SECRET", cleared.SchemeEU, cleared.Secret},
		{"Confidentiel UE/EU Confidential", cleared.SchemeEU, cleared.Confidential},
		{"RESTREINT UE/EU RESTRICTED", cleared.SchemeEU, cleared.Restricted},
	}
	for _, tt := range tests {
		t.Run("A6.1 "+tt.marking, func(t *testing.T) {
			fm, l, ok := tab.Lookup(tt.marking)
			if !ok || fm.Scheme != tt.scheme || l != tt.level {
				t.Fatalf("Lookup(%q) = %v %v %v, want %s %s", tt.marking, fm, l, ok, tt.scheme, tt.level)
			}
			back, ok := tab.Foreign(tt.scheme, tt.level)
			if !ok || back != fm.Marking {
				t.Fatalf("Foreign(%s, %s) = %q", tt.scheme, tt.level, back)
			}
		})
	}
	if _, l, ok := tab.Lookup("SECRET LUX"); ok || l != cleared.Unclassified {
		t.Fatal("A6.1 a national marking is not a foreign one")
	}
	if _, ok := tab.Foreign("FR", cleared.Secret); ok {
		t.Fatal("A6.1 a scheme without a table has no equivalent")
	}
}

func TestEquivalenceValidate(t *testing.T) {
	noEquivalent := cleared.DefaultEquivalence()
	noEquivalent.Version = 2
	noEquivalent.Schemes["FR"] = map[cleared.Level]string{cleared.Secret: "SECRET", cleared.Confidential: ""}
	if err := noEquivalent.Validate(); err == nil {
		t.Error("A6.1 an empty marking was accepted")
	}
	partial := cleared.DefaultEquivalence()
	partial.Schemes["FR"] = map[cleared.Level]string{cleared.TopSecret: "TRES SECRET FR"}
	if err := partial.Validate(); err != nil {
		t.Errorf("A6.1 a level may have no equivalent in a scheme: %v", err)
	}
	if _, ok := partial.Foreign("FR", cleared.Restricted); ok {
		t.Error("A6.1 RESTREINT has no French equivalent in that table")
	}
	dup := cleared.DefaultEquivalence()
	dup.Schemes["XX"] = map[cleared.Level]string{cleared.Secret: "nato secret"}
	if err := dup.Validate(); err == nil {
		t.Error("A6.1 a marking under two schemes was accepted")
	}
	bad := cleared.DefaultEquivalence()
	bad.Schemes["NATO"][cleared.Unclassified] = "NATO UNCLASSIFIED"
	if err := bad.Validate(); err == nil {
		t.Error("A6.1 an unclassified level got an equivalent")
	}
	ctl := cleared.DefaultEquivalence()
	ctl.Schemes["FR"] = map[cleared.Level]string{cleared.Secret: "SECRET\r\nX-Injected: 1"}
	if err := ctl.Validate(); err == nil {
		t.Error("A6.1 a marking with control characters was accepted")
	}
	v0 := cleared.DefaultEquivalence()
	v0.Version = 0
	if err := v0.Validate(); err == nil {
		t.Error("version 0 accepted")
	}
	lower := cleared.DefaultEquivalence()
	lower.Schemes["nato"] = map[cleared.Level]string{cleared.Secret: "X"}
	if err := lower.Validate(); err == nil {
		t.Error("lower-case scheme code accepted")
	}
}

func TestPieceMarking(t *testing.T) {
	national := cleared.Piece{Level: cleared.Secret}
	if national.Marking() != "SECRET LUX" {
		t.Errorf("A7.1 national marking = %q", national.Marking())
	}
	foreign := cleared.Piece{Level: cleared.Secret, Foreign: &cleared.ForeignMarking{Scheme: cleared.SchemeNATO, Marking: "NATO SECRET"}}
	if foreign.Marking() != "NATO SECRET / SECRET LUX" {
		t.Errorf("A6.1 A7.1 foreign marking = %q", foreign.Marking())
	}
}

func FuzzEquivalenceLookup(f *testing.F) {
	tab := cleared.DefaultEquivalence()
	f.Add("NATO SECRET")
	f.Add("Tres secret ue/eu top secret")
	f.Fuzz(func(t *testing.T, s string) {
		fm, l, ok := tab.Lookup(s)
		if ok && (!l.Classified() || fm.Marking == "") || !ok && (l != cleared.Unclassified || fm != cleared.ForeignMarking{}) {
			t.Fatalf("Lookup(%q) = %v %v %v", s, fm, l, ok)
		}
	})
}

// A6.1: a foreign marking is read exactly, after Unicode normalisation: spacing, control and invisible characters
// are not guessed at, in what a piece carries (Lookup) and in what the NSA writes into the table (Validate).
func TestEquivalence_A6_1_MarkingsExact(t *testing.T) {
	tab := cleared.DefaultEquivalence()
	for _, bad := range []string{"NATO  SECRET", " NATO SECRET", "NATO SECRET ", "NATO SECRET\n", "NATO\tSECRET", "NATO\u00a0SECRET",
		"NATO\u200bSECRET", "\u202eNATO SECRET", "NATO SECRET\u2069", "SECRET  UE/EU SECRET"} {
		t.Run("Lookup refuses "+bad, func(t *testing.T) {
			if fm, l, ok := tab.Lookup(bad); ok {
				t.Fatalf("Lookup(%q) = %v %v: a marking not written exactly was read", bad, fm, l)
			}
		})
		t.Run("Validate refuses "+bad, func(t *testing.T) {
			edited := cleared.DefaultEquivalence()
			edited.Version = 2
			edited.Schemes["FR"] = map[cleared.Level]string{cleared.Secret: bad}
			if err := edited.Validate(); !errors.Is(err, cleared.ErrInvalid) {
				t.Fatalf("Validate with marking %q: %v, want ErrInvalid", bad, err)
			}
		})
	}
	note := cleared.DefaultEquivalence()
	note.Note = "Annexe \u202eevitceffe"
	if err := note.Validate(); !errors.Is(err, cleared.ErrInvalid) {
		t.Errorf("a note with a bidi override: %v", err)
	}
	// NFC: a decomposed accent reads as the composed one; the table itself keeps the composed form only.
	fr := cleared.DefaultEquivalence()
	fr.Schemes["FR"] = map[cleared.Level]string{cleared.Secret: "SECRET DÉFENSE"}
	if err := fr.Validate(); err != nil {
		t.Fatal(err)
	}
	if _, l, ok := fr.Lookup("SECRET DE\u0301FENSE"); !ok || l != cleared.Secret {
		t.Errorf("a decomposed É is not read as the composed one: %v %v", l, ok)
	}
	fr.Schemes["FR"][cleared.Secret] = "SECRET DE\u0301FENSE"
	if err := fr.Validate(); !errors.Is(err, cleared.ErrInvalid) || !strings.Contains(err.Error(), "NFC") {
		t.Errorf("a table marking not in NFC: %v", err)
	}
}
