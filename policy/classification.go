package policy

import (
	"fmt"
	"time"

	"github.com/cleared/cleared"
)

// Authority gathers what the rules of Art. 5 need to know about a classifying authority: its record, the person
// who holds it with that person's clearances, the delegations given to it, and the authorities those delegations
// name as principals.
type Authority struct {
	Office      cleared.ClassifyingAuthority
	Person      cleared.Person
	Clearances  []cleared.Clearance
	Delegations []cleared.Delegation
	Principals  map[cleared.AuthorityID]cleared.ClassifyingAuthority
}

// Reasons decides whether a classification names its grounds (Art. 3, A3.1): at least one of the interests a, b
// and c, each at most once.
func Reasons(rs []cleared.Reason) Decision {
	if len(rs) == 0 {
		return deny("A3.1", "a classification must name at least one interest of Art. 3: a (security), b (international relations) or c (scientific or economic potential)")
	}
	var seen [3]bool
	for _, r := range rs {
		if r.Validate() != nil {
			return deny("A3.1", "only the interests a, b and c of Art. 3 justify a classification")
		}
		i := r[0] - 'a'
		if seen[i] {
			return deny("A3.1", "an interest of Art. 3 is named twice")
		}
		seen[i] = true
	}
	return Allow
}

// ReviewDate decides whether a classification is limited in time (Art. 3 al. 2, A3.2): a review date after the
// moment of classifying, and, since the strongest clearance lasts five years (A17.1), no further than ten years
// ahead, so every classification is looked at again within a decade.
func ReviewDate(review, t time.Time) Decision {
	switch {
	case review.IsZero():
		return deny("A3.2", "a classification needs a review date: it lasts only for the time necessary")
	case !review.After(t):
		return deny("A3.2", "the review date must be in the future")
	case review.After(t.AddDate(10, 0, 0)):
		return deny("A3.2", "the review date must be within ten years")
	}
	return Allow
}

// Competent decides whether authority a may classify, downgrade or declassify at t (Art. 5 al. 1, A5.1): a member
// of the Government, the Chief of Staff of the Army or the Director of the SRE in office, or a delegate in office
// holding a delegation in force at t from one of them, itself in office.
func Competent(a Authority, t time.Time) Decision {
	if a.Office.Kind.Validate() != nil {
		return deny("A5.1", "only the authorities listed in Art. 5 may classify")
	}
	if !a.Office.InOfficeAt(t) {
		return deny("A5.1", "the classifying authority is not in office at this date")
	}
	if a.Office.Kind.Principal() {
		return Allow
	}
	for _, d := range a.Delegations {
		if d.Delegate != a.Office.ID || !d.ActiveAt(t) {
			continue
		}
		p, ok := a.Principals[d.Principal]
		if ok && p.Kind.Principal() && p.InOfficeAt(t) {
			return Allow
		}
	}
	return deny("A5.1", "the delegate holds no delegation in force from a member of the Government, the Chief of Staff or the SRE Director")
}

// ClassifierClearance decides whether authority a may give level l at t (Art. 5 al. 3, A5.3): except for members of
// the Government, the authority holds a clearance valid at that moment and at least at level l.
func ClassifierClearance(a Authority, l cleared.Level, t time.Time) Decision {
	if a.Person.GovernmentMember && a.Office.Kind == cleared.AuthorityGovernmentMember {
		return Allow
	}
	best, ok := BestClearance(a.Clearances, t)
	if !ok {
		return deny("A5.3", "a classifying authority other than a member of the Government must hold a valid security clearance")
	}
	if l > best {
		return deny("A5.3", "a classifying authority cannot classify above its own clearance ("+best.French()+")")
	}
	return Allow
}

// Level decides whether l is one of the four levels of Art. 4 (A4.1).
func Level(l cleared.Level) Decision {
	if !l.Classified() {
		return deny("A4.1", "a piece is classified at one of four levels: TRES SECRET, SECRET, CONFIDENTIEL, RESTREINT")
	}
	return Allow
}

// Classify decides whether authority a may classify a piece at level l for reasons rs with review date review, at
// t: A4.1, A3.1, A3.2, A5.1, A5.3, in that order.
func Classify(a Authority, l cleared.Level, rs []cleared.Reason, review, t time.Time) Decision {
	return first(Level(l), Reasons(rs), ReviewDate(review, t), Competent(a, t), ClassifierClearance(a, l, t))
}

// ForeignLevel decides whether a piece marked by a foreign or international authority may be registered, and at
// which national level (Art. 6, A6.1): its marking must have an equivalent in the table in force (table is nil when
// none is), and a national level given beside it (declared, Unclassified when none) must be that equivalent.
func ForeignLevel(table *cleared.EquivalenceTable, marking string, declared cleared.Level) (cleared.ForeignMarking, cleared.Level, Decision) {
	if table == nil {
		return cleared.ForeignMarking{}, cleared.Unclassified,
			deny("A6.1", "no equivalence table is in force: a foreign marking has no national equivalent")
	}
	fm, l, ok := table.Lookup(marking)
	switch {
	case !ok:
		return fm, l, deny("A6.1", fmt.Sprintf("the marking %q has no national equivalent in equivalence table version %d",
			marking, table.Version))
	case declared != cleared.Unclassified && declared != l:
		return fm, l, deny("A6.1", fmt.Sprintf("level %s does not match the marking %q, equivalent to %s in equivalence table version %d",
			declared.French(), fm.Marking, l.French(), table.Version))
	}
	return fm, l, Allow
}

// DossierLevel decides whether a dossier may be set at level l when its parts have levels parts (Art. 4 al. 2,
// A4.2): at least the highest part; higher is allowed.
func DossierLevel(l cleared.Level, parts []cleared.Level) Decision {
	if d := Level(l); !d.Allowed {
		return d
	}
	if m := MaxLevel(parts); l < m {
		return deny("A4.2", "a dossier cannot be classified below its highest part ("+m.French()+")")
	}
	return Allow
}

// AddPart returns the level a dossier at level dossier takes when a part at level part is added (A4.2): the
// higher of the two, and whether the dossier was raised (the service records the raise).
func AddPart(dossier, part cleared.Level) (cleared.Level, bool) {
	if part > dossier {
		return part, true
	}
	return dossier, false
}

// MaxLevel returns the highest of ls, Unclassified for none.
func MaxLevel(ls []cleared.Level) cleared.Level {
	m := cleared.Unclassified
	for _, l := range ls {
		if l > m {
			m = l
		}
	}
	return m
}

// ActsFor lists the authorities that may act for originator, the authority that classified a piece at classified
// (A5.2): the originator itself; its successors in office; and, when the originator was a delegate, the
// principals whose delegation to it was in force when it classified, and their successors. authorities must hold
// every authority those links name; a missing link ends its chain (fail closed).
func ActsFor(originator cleared.ClassifyingAuthority, classified time.Time, delegations []cleared.Delegation, authorities map[cleared.AuthorityID]cleared.ClassifyingAuthority) []cleared.AuthorityID {
	var out []cleared.AuthorityID
	seen := map[cleared.AuthorityID]bool{}
	chain := func(a cleared.ClassifyingAuthority) {
		for !seen[a.ID] { // a successor cycle in bad data stops here
			seen[a.ID] = true
			out = append(out, a.ID)
			next, ok := authorities[a.Successor]
			if a.Successor == "" || !ok {
				return
			}
			a = next
		}
	}
	chain(originator)
	if originator.Kind == cleared.AuthorityDelegate {
		for _, d := range delegations {
			if d.Delegate == originator.ID && d.ActiveAt(classified) {
				if p, ok := authorities[d.Principal]; ok {
					chain(p)
				}
			}
		}
	}
	return out
}

// Downgrade decides whether authority a may downgrade a piece from level from to level to (to Unclassified:
// declassify) at t (Art. 5 al. 2, A5.2): a is competent at t (A5.1) and is among actsFor, the authorities that may
// act for the piece's originator (see ActsFor); the new level is lower than the old.
func Downgrade(a Authority, actsFor []cleared.AuthorityID, from, to cleared.Level, t time.Time) Decision {
	if !to.Valid() || to >= from {
		return deny("A5.2", "a downgrade lowers the level; a declassification sets it to UNCLASSIFIED")
	}
	if d := Competent(a, t); !d.Allowed {
		return d
	}
	for _, id := range actsFor {
		if id == a.Office.ID {
			return Allow
		}
	}
	return deny("A5.2", "only the authority that classified the piece, its successor or the principal that delegated it may downgrade or declassify it")
}
