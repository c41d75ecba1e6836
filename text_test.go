package cleared_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/cleared/cleared"
)

// Names and titles (persons, organisations, pieces, dossiers, places, terminals, channels, authorities…) refuse
// bidirectional controls, which show a name in another order than it is stored, and control characters; free
// text keeps its newlines and tabs but refuses the same.
func TestCheckText_LineAndName(t *testing.T) {
	type verdict struct{ text, line, name bool } // accepted by CheckText, CheckLine, CheckName
	tests := []struct {
		in   string
		want verdict
		says string // a part of CheckLine's error (CheckName's when CheckLine accepts)
	}{
		{"Salle sécurisée B2", verdict{true, true, true}, ""},
		{"NATO SECRET", verdict{true, true, true}, ""},
		{"Évaluation : réseau ORAGE (2026)", verdict{true, true, true}, ""},
		{"فريق الأمن", verdict{true, true, true}, ""}, // right-to-left script itself is fine: only the controls are refused
		{"two\nlines", verdict{true, false, false}, "one line"},
		{"a\ttab", verdict{true, false, false}, "one line"},
		{"line\u2028separator", verdict{true, false, false}, "one line"},
		{"bell\a", verdict{false, false, false}, "control character"},
		{"C1 \u0085 control", verdict{false, false, false}, "control character"},
		{"del\x7f", verdict{false, false, false}, "control character"},
		{"bad \xff UTF-8", verdict{false, false, false}, "invalid UTF-8"},
		{"Salle \u202eB2\u202c", verdict{false, false, false}, "bidirectional control character (U+202E)"},
		{"\u202aembedding", verdict{false, false, false}, "U+202A"},
		{"\u202bembedding", verdict{false, false, false}, "U+202B"},
		{"pop\u202c", verdict{false, false, false}, "U+202C"},
		{"\u202doverride", verdict{false, false, false}, "U+202D"},
		{"isolate \u2066x\u2069", verdict{false, false, false}, "U+2066"},
		{"isolate \u2067x", verdict{false, false, false}, "U+2067"},
		{"isolate \u2068x", verdict{false, false, false}, "U+2068"},
		{"pop isolate\u2069", verdict{false, false, false}, "U+2069"},
		{" SECRET", verdict{true, true, false}, "begins or ends with a space"},
		{"SECRET ", verdict{true, true, false}, "begins or ends with a space"},
		{"NATO  SECRET", verdict{true, true, false}, "two spaces in a row"},
		{"NATO\u00a0SECRET", verdict{true, true, false}, "white space other than a plain space"},
		{"NATO\u2003SECRET", verdict{true, true, false}, "white space other than a plain space"},
		{"NA\u200bTO SECRET", verdict{true, true, false}, "invisible character"},
		{"NATO SECRET\ufeff", verdict{true, true, false}, "invisible character"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := verdict{
				cleared.CheckText("title", tt.in, 1, 200) == nil,
				cleared.CheckLine("title", tt.in, 1, 200) == nil,
				cleared.CheckName("marking", tt.in, 200) == nil,
			}
			if got != tt.want {
				t.Errorf("accepted by CheckText, CheckLine, CheckName: %v, want %v", got, tt.want)
			}
			err := cleared.CheckLine("title", tt.in, 1, 200)
			if err == nil {
				err = cleared.CheckName("marking", tt.in, 200)
			}
			if tt.says != "" && (!errors.Is(err, cleared.ErrInvalid) || !strings.Contains(err.Error(), tt.says)) {
				t.Errorf("error %v, want ErrInvalid saying %q", err, tt.says)
			}
		})
	}
	t.Run("lengths", func(t *testing.T) {
		if cleared.CheckLine("name", "  ", 1, 10) == nil || cleared.CheckLine("name", "", 0, 10) != nil {
			t.Error("a blank name is required when min is 1, allowed when 0")
		}
		if err := cleared.CheckLine("name", strings.Repeat("x", 11), 1, 10); err == nil || !strings.Contains(err.Error(), "too long") {
			t.Errorf("11 bytes for 10: %v", err)
		}
	})
}

func FuzzCheckName(f *testing.F) {
	for _, s := range []string{"NATO SECRET", " SECRET", "CONFIDENTIAL\n", "NATO  SECRET", "\u202eX", "Tre\u0300s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := cleared.CheckName("marking", s, 1000)
		if err != nil {
			if !errors.Is(err, cleared.ErrInvalid) {
				t.Fatalf("error of the wrong kind: %v", err)
			}
			return
		}
		// What is accepted is one line, without bidi controls, with single inner spaces and none at the ends.
		if cleared.CheckLine("marking", s, 1, 1000) != nil || strings.TrimSpace(s) != s || strings.Contains(s, "  ") {
			t.Fatalf("CheckName accepted %q", s)
		}
	})
}
