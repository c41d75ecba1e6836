package store

import (
	"time"

	"github.com/cleared/cleared"
)

// Profiles holds the versions of the rule profiles (A1.1): a ministry's own rules and the treaties' handling rules,
// each name with its numbered versions and the date each takes effect.
type Profiles interface {
	// PutProfile stores a version of a profile as it was checked; ErrConflict if that name has that version.
	PutProfile(p cleared.RuleProfile, by cleared.PersonID, at time.Time) error
	// ProfileVersions lists the versions of the profile named name, oldest first; none if it has none.
	ProfileVersions(name string) ([]cleared.RuleProfile, error)
	// LatestProfiles lists the highest version of each name, whether in force or not, by name.
	LatestProfiles() ([]cleared.RuleProfile, error)
	// ProfilesInForce lists, by name, each name's highest version whose EffectiveFrom is not after at. A row that
	// fails its seal fails the read (store.TamperedError): leaving a profile out would relax the rules.
	ProfilesInForce(at time.Time) ([]cleared.RuleProfile, error)
}
