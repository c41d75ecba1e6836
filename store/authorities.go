package store

import (
	"time"

	"github.com/cleared/cleared"
)

// Authorities holds the classifying authorities and their delegations (A5.1, A5.2).
type Authorities interface {
	CreateAuthority(a cleared.ClassifyingAuthority) error
	Authority(id cleared.AuthorityID) (cleared.ClassifyingAuthority, error)
	// PersonAuthorities lists the authorities a person holds or held.
	PersonAuthorities(person cleared.PersonID) ([]cleared.ClassifyingAuthority, error)
	Authorities(p Page) ([]cleared.ClassifyingAuthority, error)
	SetAuthoritySuccessor(id, successor cleared.AuthorityID, until time.Time) error
	CreateDelegation(d cleared.Delegation) error
	Delegation(id cleared.DelegationID) (cleared.Delegation, error)
	// Delegations lists the delegations given to a delegate authority.
	Delegations(delegate cleared.AuthorityID) ([]cleared.Delegation, error)
}
