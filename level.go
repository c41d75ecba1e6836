package cleared

import "strings"

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
// (TOP SECRET, CONFIDENTIAL, RESTRICTED), the national markings with "LUX", and UNCLASSIFIED / NON CLASSIFIE. The
// name must be written exactly ([CheckName]): " SECRET", "CONFIDENTIAL\n", "TRES  SECRET" or "TRES-SECRET" are
// refused, not guessed. Anything else is [ErrInvalid] naming the accepted forms. Foreign markings (NATO SECRET …)
// are read by [EquivalenceTable.Lookup], not here, because their meaning depends on the table in force.
func ParseLevel(s string) (Level, error) {
	const accepted = "want one of TOP_SECRET, SECRET, CONFIDENTIAL, RESTRICTED, UNCLASSIFIED (or TRES SECRET, CONFIDENTIEL, RESTREINT, NON CLASSIFIE)"
	if err := CheckName("classification level", s, 40); err != nil {
		return Unclassified, Invalidf("%s: %s", Message(err), accepted)
	}
	key := strings.TrimSuffix(foldName(s), " LUX")
	for l, n := range levelNames {
		if key == n.api || key == foldName(n.french) || key == n.english {
			return Level(l), nil
		}
	}
	return Unclassified, Invalidf("unknown classification level %q: %s", truncate(s, 40), accepted)
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
