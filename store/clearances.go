package store

import (
	"time"

	"github.com/cleared/cleared"
)

// ExpiryQuery asks for the active clearances of persons that expire in [From, By), taking as expiry the earlier
// of the recorded one and Art. 17's (A17.1), and that no clearance of the same person issued later replaced: of
// the staff of Organisations, or of every person when All is set (neither: none). The results are ordered by
// recorded expiry, then ID; at most Limit of them. A clearance issued on 29 February, whose Art. 17 expiry is
// 1 March, may be returned when By falls on that day: the caller decides to the nanosecond (policy.Agenda).
type ExpiryQuery struct {
	Organisations []cleared.OrganisationID
	All           bool
	From, By      time.Time
	Limit         int
}

// Clearances holds the clearances of persons and legal entities (A16.1, A17.1) and the query the agenda asks
// of them.
type Clearances interface {
	CreateClearance(c cleared.Clearance) error
	Clearance(id cleared.ClearanceID) (cleared.Clearance, error)
	// PersonClearances lists every clearance of a person, whatever its status.
	PersonClearances(person cleared.PersonID) ([]cleared.Clearance, error)
	// FacilityClearances lists every clearance of a legal entity.
	FacilityClearances(org cleared.OrganisationID) ([]cleared.Clearance, error)
	SetClearanceStatus(id cleared.ClearanceID, s cleared.ClearanceStatus) error
	// ExpiringClearances answers q; see ExpiryQuery.
	ExpiringClearances(q ExpiryQuery) ([]cleared.Clearance, error)
}
