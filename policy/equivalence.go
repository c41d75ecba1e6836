package policy

import (
	"fmt"

	"github.com/cleared/cleared"
)

// ForeignEquivalent decides whether a national level has an equivalent under a partner's scheme in the table in
// force (table is nil when none is), and returns it (Art. 6, A6.1): the marking a piece of that level carries when
// it is released under that scheme. A level the table gives no equivalent for that partner is refused: the piece
// cannot be released to it, since it would be marked with nothing it recognises.
func ForeignEquivalent(table *cleared.EquivalenceTable, scheme cleared.Scheme, l cleared.Level) (string, Decision) {
	switch {
	case !l.Classified():
		return "", deny("A6.1", "only a classified level has a foreign equivalent")
	case table == nil:
		return "", deny("A6.1", "no equivalence table is in force: no level has a foreign equivalent")
	}
	if _, ok := table.Schemes[scheme]; !ok {
		return "", deny("A6.1", fmt.Sprintf("equivalence table version %d has no scheme %q", table.Version, scheme))
	}
	m, ok := table.Foreign(scheme, l)
	if !ok {
		return "", deny("A6.1", fmt.Sprintf("%s has no equivalent under %s in equivalence table version %d: a piece of that level cannot be released to it",
			l.French(), scheme, table.Version))
	}
	return m, Allow
}
