package cleared

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Level is a degree of classification (Art. 4) and, for clearances, a clearance level (Art. 16). Levels are totally
// ordered: Unclassified < Restricted < Confidential < Secret < TopSecret, so "at the piece's level or higher" is
// a plain comparison. The zero value is Unclassified.
type Level int8

// The four levels of Art. 4, highest last, and the zero value.
const (
	Unclassified Level = iota
	Restricted         // RESTREINT
	Confidential       // CONFIDENTIEL
	Secret             // SECRET
	TopSecret          // TRES SECRET
)

// Levels lists the classified levels from lowest to highest.
var Levels = []Level{Restricted, Confidential, Secret, TopSecret}

var levelNames = [...]struct{ api, french, english string }{
	Unclassified: {"UNCLASSIFIED", "NON CLASSIFIE", "UNCLASSIFIED"},
	Restricted:   {"RESTRICTED", "RESTREINT", "RESTRICTED"},
	Confidential: {"CONFIDENTIAL", "CONFIDENTIEL", "CONFIDENTIAL"},
	Secret:       {"SECRET", "SECRET", "SECRET"},
	TopSecret:    {"TOP_SECRET", "TRES SECRET", "TOP SECRET"},
}

// Valid reports whether l is one of the five defined values.
func (l Level) Valid() bool { return l >= Unclassified && l <= TopSecret }

// Classified reports whether l is above Unclassified.
func (l Level) Classified() bool { return l > Unclassified && l.Valid() }

// String returns the API name: "TOP_SECRET", "SECRET", "CONFIDENTIAL", "RESTRICTED" or "UNCLASSIFIED".
func (l Level) String() string {
	if !l.Valid() {
		return "INVALID_LEVEL"
	}
	return levelNames[l].api
}

// French returns the law's name of the level (Art. 4): "TRES SECRET", "SECRET", "CONFIDENTIEL", "RESTREINT".
func (l Level) French() string {
	if !l.Valid() {
		return "NIVEAU INVALIDE"
	}
	return levelNames[l].french
}

// English returns the English name: "TOP SECRET", "SECRET", "CONFIDENTIAL", "RESTRICTED".
func (l Level) English() string {
	if !l.Valid() {
		return "INVALID LEVEL"
	}
	return levelNames[l].english
}

// Marking returns the national marking a piece of national origin carries on every page (Art. 7 al. 3): the
// French name followed by "LUX", e.g. "SECRET LUX". Unclassified pieces carry no marking ("").
func (l Level) Marking() string {
	if !l.Classified() {
		return ""
	}
	return levelNames[l].french + " LUX"
}

// ParseLevel reads a level name strictly. It accepts, in any letter case and with or without accents, the API
// names (TOP_SECRET …), the law's French names (TRES SECRET, CONFIDENTIEL, RESTREINT), the English names
// (TOP SECRET, CONFIDENTIAL, RESTRICTED), the national markings with "LUX", and UNCLASSIFIED / NON CLASSIFIE.
// Anything else is [ErrInvalid] naming the accepted forms. Foreign markings (NATO SECRET …) are read by
// [EquivalenceTable.Parse], not here, because their meaning depends on the table in force.
func ParseLevel(s string) (Level, error) {
	key := normalizeName(s)
	key = strings.TrimSuffix(key, " LUX")
	for l, n := range levelNames {
		if key == n.api || key == normalizeName(n.french) || key == n.english {
			return Level(l), nil
		}
	}
	return Unclassified, Invalidf("unknown classification level %q: want one of TOP_SECRET, SECRET, CONFIDENTIAL, RESTRICTED, UNCLASSIFIED (or TRES SECRET, CONFIDENTIEL, RESTREINT, NON CLASSIFIE)", truncate(s, 40))
}

// normalizeName upper-cases, strips accents, and folds runs of spaces, dashes and underscores into one space,
// then restores the API's underscore in TOP_SECRET so both spellings meet.
func normalizeName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(strings.TrimSpace(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == ' ' || r == '_' || r == '-' || r == '\t':
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(unicode.ToUpper(r))
	}
	out := b.String()
	if out == "TOP SECRET" {
		return "TOP_SECRET"
	}
	return out
}

// MarshalText writes the API name.
func (l Level) MarshalText() ([]byte, error) {
	if !l.Valid() {
		return nil, Invalidf("invalid level %d", int8(l))
	}
	return []byte(l.String()), nil
}

// UnmarshalText reads any name ParseLevel accepts.
func (l *Level) UnmarshalText(b []byte) error {
	v, err := ParseLevel(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}
