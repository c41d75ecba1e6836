package store

import "github.com/cleared/cleared"

// Registers holds the registers of Chapter 2: organisations, persons and the security officers designated in them
// (A4.1, A20.1).
type Registers interface {
	CreateOrganisation(o cleared.Organisation) error
	Organisation(id cleared.OrganisationID) (cleared.Organisation, error)
	Organisations(p Page) ([]cleared.Organisation, error)
	CreatePerson(p cleared.Person) error
	Person(id cleared.PersonID) (cleared.Person, error)
	Persons(p Page) ([]cleared.Person, error)
	// CountPersons counts every person; init uses it to refuse to create a second first officer.
	CountPersons() (int, error)
	// CreateSecurityOfficer is ErrConflict if the person is already an officer of the organisation since the same
	// date.
	CreateSecurityOfficer(o cleared.SecurityOfficer) error
	SecurityOfficers(org cleared.OrganisationID) ([]cleared.SecurityOfficer, error)
	// OfficerDesignations lists the organisations a person is (or was) security officer of.
	OfficerDesignations(person cleared.PersonID) ([]cleared.SecurityOfficer, error)
}
