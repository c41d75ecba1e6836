package cleared

import (
	"sort"
	"time"

	"golang.org/x/text/unicode/norm"
)

// Scheme names a classification system other than the national one: "NATO", "EU", or a bilateral partner's code
// (for example "FR" for a bilateral agreement with France). Scheme codes are upper-case letters, digits and dashes.
type Scheme string

// The multilateral schemes of the shipped table.
const (
	SchemeNATO Scheme = "NATO"
	SchemeEU   Scheme = "EU"
)

// ForeignMarking is the original marking of a piece classified under an international treaty (Art. 6 al. 1: it
// keeps its level), for example {NATO, "NATO SECRET"}.
type ForeignMarking struct {
	Scheme  Scheme `json:"scheme"`
	Marking string `json:"marking"`
}

// EquivalenceTable maps foreign classification markings to national levels (Art. 6 al. 2 and the law's annexed
// table). It is data: the NSA edits it, each edit is a new version with the date it takes effect, and a level may
// have no equivalent for a scheme (then a piece of that level cannot be released under it).
type EquivalenceTable struct {
	Version   int                         `json:"version"`
	ValidFrom time.Time                   `json:"valid_from"`
	Note      string                      `json:"note,omitempty"`
	Schemes   map[Scheme]map[Level]string `json:"schemes"`
}

// DefaultEquivalence returns the shipped table, version 1, from the law's annex and the NATO and EU security
// regulations: TRES SECRET LUX = COSMIC TOP SECRET = TRES SECRET UE/EU TOP SECRET, and so on down to RESTREINT.
func DefaultEquivalence() EquivalenceTable {
	return EquivalenceTable{
		Version:   1,
		ValidFrom: time.Date(2004, 7, 1, 0, 0, 0, 0, time.UTC), // the law took effect on the first day of the month after publication (Art. 30)
		Note:      "Annex to the law of 15 June 2004; NATO and EU markings",
		Schemes: map[Scheme]map[Level]string{
			SchemeNATO: {
				TopSecret:    "COSMIC TOP SECRET",
				Secret:       "NATO SECRET",
				Confidential: "NATO CONFIDENTIAL",
				Restricted:   "NATO RESTRICTED",
			},
			SchemeEU: {
				TopSecret:    "TRES SECRET UE/EU TOP SECRET",
				Secret:       "SECRET UE/EU SECRET",
				Confidential: "CONFIDENTIEL UE/EU CONFIDENTIAL",
				Restricted:   "RESTREINT UE/EU RESTRICTED",
			},
		},
	}
}

// Foreign returns the marking under scheme equivalent to the national level l, and false if the table gives none.
func (t EquivalenceTable) Foreign(scheme Scheme, l Level) (string, bool) {
	m, ok := t.Schemes[scheme][l]
	return m, ok
}

// Lookup finds a foreign marking in the table and returns its scheme and national level, and false if the table
// gives it no equivalent. Letter case and accents are ignored; spacing is not: a marking not written exactly
// ([CheckName]: "NATO  SECRET", " NATO SECRET") is found nowhere.
func (t EquivalenceTable) Lookup(marking string) (ForeignMarking, Level, bool) {
	if CheckName("marking", marking, 200) != nil {
		return ForeignMarking{}, Unclassified, false
	}
	key := foldName(marking)
	for _, s := range t.schemeNames() {
		for l, m := range t.Schemes[s] {
			if foldName(m) == key {
				return ForeignMarking{Scheme: s, Marking: m}, l, true
			}
		}
	}
	return ForeignMarking{}, Unclassified, false
}

// Validate checks that the table can be used: a positive version, known scheme codes, only classified levels, and
// no marking used twice (a marking must name one level, or reading it back would be ambiguous).
func (t EquivalenceTable) Validate() error {
	if t.Version < 1 {
		return Invalidf("equivalence table: version must be 1 or more, got %d", t.Version)
	}
	if len(t.Schemes) == 0 {
		return Invalidf("equivalence table version %d: no scheme", t.Version)
	}
	if err := CheckText("equivalence table note", t.Note, 0, 1000); err != nil {
		return err
	}
	seen := map[string]Scheme{}
	for _, s := range t.schemeNames() {
		if err := s.Validate(); err != nil {
			return err
		}
		for l, m := range t.Schemes[s] {
			if !l.Classified() {
				return Invalidf("equivalence table version %d, scheme %s: level %s cannot have a foreign equivalent", t.Version, s, l)
			}
			// Markings reach JSON, headers, pages and PDF stamps, and are compared with what users type: written
			// exactly, and kept as NFC so that what is stored is what is compared.
			if err := CheckName("marking", m, 80); err != nil {
				return Invalidf("equivalence table version %d, scheme %s, marking for %s: %s", t.Version, s, l, Message(err))
			}
			if !norm.NFC.IsNormalString(m) {
				return Invalidf("equivalence table version %d, scheme %s: marking for %s is not in Unicode normal form C (NFC); send it composed", t.Version, s, l)
			}
			k := foldName(m)
			if other, dup := seen[k]; dup {
				return Invalidf("equivalence table version %d: marking %q appears under %s and %s", t.Version, m, other, s)
			}
			seen[k] = s
		}
	}
	return nil
}

// Validate reports a malformed scheme code as [ErrInvalid].
func (s Scheme) Validate() error {
	if len(s) == 0 || len(s) > 16 {
		return Invalidf("scheme code %q must be 1 to 16 characters", truncate(string(s), 20))
	}
	for _, c := range s {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return Invalidf("scheme code %q: only upper-case letters, digits and dashes", truncate(string(s), 20))
		}
	}
	return nil
}

func (t EquivalenceTable) schemeNames() []Scheme {
	names := make([]Scheme, 0, len(t.Schemes))
	for s := range t.Schemes {
		names = append(names, s)
	}
	sort.Slice(names, func(i, j int) bool { return names[i] < names[j] })
	return names
}
