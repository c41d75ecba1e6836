package store

import (
	"time"

	"github.com/cleared/cleared"
)

// AssignmentQuery selects assignments: those of Person, of Post, of Contract (each if set), and those Organisation
// answers for, as the assignment's organisation or the person's (if set); by start, at most Limit.
type AssignmentQuery struct {
	Person       cleared.PersonID
	Post         cleared.PostID
	Contract     cleared.ContractID
	Organisation cleared.OrganisationID
	Limit        int
}

// Posts holds the posts and classified contracts with the level they require, the assignments of persons to them,
// and the categories of persons exempt from clearance with their members (Art. 14, Art. 16; A14.1, A16.1): the
// first chapter of package vetting.
type Posts interface {
	// CreatePost stores p; ErrConflict if its ID exists, ErrInvalid if its organisation does not.
	CreatePost(p cleared.Post) error
	Post(id cleared.PostID) (cleared.Post, error)
	// PostsOf lists the posts of org (every post if org is empty), by title, at most limit.
	PostsOf(org cleared.OrganisationID, limit int) ([]cleared.Post, error)
	// CreateContract stores c; ErrConflict if its ID exists, ErrInvalid if an organisation it names does not.
	CreateContract(c cleared.Contract) error
	Contract(id cleared.ContractID) (cleared.Contract, error)
	// ContractsOf lists the contracts org awarded or executes (every contract if org is empty), by reference, at
	// most limit.
	ContractsOf(org cleared.OrganisationID, limit int) ([]cleared.Contract, error)
	// CreateAssignment stores a; ErrConflict if its ID exists, ErrInvalid if what it names does not.
	CreateAssignment(a cleared.Assignment) error
	Assignment(id cleared.AssignmentID) (cleared.Assignment, error)
	// EndAssignment sets the end of assignment id to until; ErrNotFound if there is none.
	EndAssignment(id cleared.AssignmentID, until time.Time) error
	// Assignments answers q; see AssignmentQuery.
	Assignments(q AssignmentQuery) ([]cleared.Assignment, error)
	// CreateExemptionCategory stores c; ErrConflict if its ID or its name exists.
	CreateExemptionCategory(c cleared.ExemptionCategory) error
	ExemptionCategory(id cleared.ExemptionCategoryID) (cleared.ExemptionCategory, error)
	// ExemptionCategories lists every category, by name.
	ExemptionCategories() ([]cleared.ExemptionCategory, error)
	// CreateExemptionMembership stores m; ErrConflict if its ID exists, ErrInvalid if its category or person does
	// not.
	CreateExemptionMembership(m cleared.ExemptionMembership) error
	// ExemptionMemberships lists the memberships of person (if set) in category (if set), by start.
	ExemptionMemberships(category cleared.ExemptionCategoryID, person cleared.PersonID) ([]cleared.ExemptionMembership, error)
}
