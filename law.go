package cleared

import (
	"time"

	"golang.org/x/text/unicode/norm"
)

// LawParameters are the law's own figures as dated, versioned data, so that a reform (bill 8651 reforming the law
// of 15 June 2004 is before the Chamber) is applied by recording a version with its date of entry into force,
// without a new release: the validity of a clearance by level (Art. 17, A17.1) and the names and markings of the
// levels (Art. 4, A4.1; Art. 7, A7.1). The order of the four levels is the law's structure, not a parameter.
type LawParameters struct {
	Version int `json:"version"`
	// ValidFrom is the entry into force: the version applies to acts from that instant on, not before.
	ValidFrom time.Time `json:"valid_from"`
	Note      string    `json:"note,omitempty"`
	// ClearanceValidityYears is, for each classified level, how many years a clearance is valid from its issue.
	ClearanceValidityYears map[Level]int `json:"clearance_validity_years"`
	// Levels gives each classified level its name in the law and the marking pieces carry.
	Levels map[Level]LevelNames `json:"levels"`
}

// LevelNames is what the law calls a level and how a national piece of that level is marked.
type LevelNames struct {
	Name    string `json:"name"`
	Marking string `json:"marking"`
}

// MaxClearanceValidityYears bounds the validity any version of the law's parameters may give a clearance: a
// recorded expiry beyond it is not believed (policy.ClearanceValid).
const MaxClearanceValidityYears = 20

// DefaultLaw returns the law of 15 June 2004 as version 1: clearances valid five years at TRES SECRET and ten at
// the other levels (Art. 17), the four names of Art. 4 and their markings with "LUX".
func DefaultLaw() LawParameters {
	l := LawParameters{
		Version:                1,
		ValidFrom:              time.Date(2004, 7, 1, 0, 0, 0, 0, time.UTC), // Art. 30: the first day of the month after publication
		Note:                   "Law of 15 June 2004 on classification and security clearances",
		ClearanceValidityYears: map[Level]int{TopSecret: 5, Secret: 10, Confidential: 10, Restricted: 10},
		Levels:                 map[Level]LevelNames{},
	}
	for _, lv := range Levels {
		l.Levels[lv] = LevelNames{Name: lv.French(), Marking: lv.Marking()}
	}
	return l
}

// Markings are the national markings these parameters give the levels, for Piece.Markings and Dossier.Markings.
func (p LawParameters) Markings() map[Level]string {
	ms := make(map[Level]string, len(p.Levels))
	for lv, n := range p.Levels {
		ms[lv] = n.Marking
	}
	return ms
}

// ClearanceExpiry returns when a clearance of level lv issued at issued must have been renewed under these
// parameters (A17.1), and false when they give the level no validity.
func (p LawParameters) ClearanceExpiry(lv Level, issued time.Time) (time.Time, bool) {
	y, ok := p.ClearanceValidityYears[lv]
	if !ok || y < 1 {
		return time.Time{}, false
	}
	return issued.AddDate(y, 0, 0), true
}

// Validate checks that the parameters can be applied: a positive version, a validity of 1 to 20 years for each of
// the four levels and none other, a name and a marking for each, written exactly, no name or marking used twice.
func (p LawParameters) Validate() error {
	if p.Version < 1 {
		return Invalidf("law parameters: version must be 1 or more, got %d", p.Version)
	}
	if err := CheckText("law parameters note", p.Note, 0, 1000); err != nil {
		return err
	}
	if len(p.ClearanceValidityYears) != len(Levels) || len(p.Levels) != len(Levels) {
		return Invalidf("law parameters: give a clearance validity and names for each of the four levels, and no other")
	}
	seen := map[string]Level{}
	for _, lv := range Levels {
		y, ok := p.ClearanceValidityYears[lv]
		if !ok {
			return Invalidf("law parameters: no clearance validity for %s", lv.French())
		}
		if y < 1 || y > MaxClearanceValidityYears {
			return Invalidf("law parameters: the clearance validity for %s must be 1 to %d years, got %d", lv.French(), MaxClearanceValidityYears, y)
		}
		n, ok := p.Levels[lv]
		if !ok {
			return Invalidf("law parameters: no name for %s", lv.French())
		}
		for _, s := range []string{n.Name, n.Marking} {
			if err := CheckName("level name", s, 40); err != nil {
				return Invalidf("law parameters, level %s: %s", lv, Message(err))
			}
			if !norm.NFC.IsNormalString(s) {
				return Invalidf("law parameters, level %s: %q is not in Unicode normal form C (NFC); send it composed", lv, s)
			}
		}
		for _, k := range []string{foldName(n.Name), foldName(n.Marking)} {
			if other, dup := seen[k]; dup && other != lv {
				return Invalidf("law parameters: %q names both %s and %s", k, other, lv)
			}
			seen[k] = lv
		}
	}
	return nil
}
