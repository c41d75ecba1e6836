package vetting

import (
	"errors"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cleared/cleared"
)

// FuzzCircumstanceInput: a holder's report as it comes from outside (A18.1) is accepted only with a known kind, a
// real date or none, and details of 1 to maxDetails characters; anything else is a 400 (ErrInvalid), never a panic
// or another kind of error.
func FuzzCircumstanceInput(f *testing.F) {
	for _, s := range [][3]string{{"marriage", "2026-10-03", "Mariage"}, {"travel", "", "Voyage"}, {"divorce", "", "x"},
		{"debts", "3 octobre", "x"}, {"other", "2026-02-30", ""}, {"debts", "", "a\x00b"}} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, kind, on, details string) {
		in := NewCircumstance{Kind: cleared.CircumstanceKind(kind), On: on, Details: details}
		err := in.validate()
		if err != nil {
			if !errors.Is(err, cleared.ErrInvalid) {
				t.Fatalf("error of the wrong kind: %v", err)
			}
			return
		}
		if !in.Kind.Valid() || details == "" || !utf8.ValidString(details) || utf8.RuneCountInString(details) > maxDetails {
			t.Fatalf("accepted %+v", in)
		}
		if on != "" {
			if _, err := time.Parse(time.DateOnly, on); err != nil {
				t.Fatalf("accepted the date %q", on)
			}
		}
	})
}

// FuzzBriefingInput: a briefing as it comes from outside (A18.1) is accepted only with who gave it and the
// instructions on one line each, and a date not after now (now when none); anything else is a 400.
func FuzzBriefingInput(f *testing.F) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	f.Add("Anne Muller", "Instructions v3", int64(0))
	f.Add("", "v3", int64(-3600))
	f.Add("Anne", "v3\nv4", int64(3600))
	f.Fuzz(func(t *testing.T, by, instructions string, offset int64) {
		in := NewBriefing{BriefedBy: by, Instructions: instructions}
		if offset != 0 {
			in.BriefedOn = now.Add(time.Duration(offset) * time.Second)
		}
		err := in.validate(now)
		if err != nil {
			if !errors.Is(err, cleared.ErrInvalid) {
				t.Fatalf("error of the wrong kind: %v", err)
			}
			return
		}
		if in.BriefedOn.After(now) || in.BriefedOn.IsZero() || by == "" || instructions == "" {
			t.Fatalf("accepted %+v", in)
		}
	})
}
