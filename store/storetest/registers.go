package storetest

import (
	"slices"
	"strings"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

func testOrganisation(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		want := newOrganisation()
		create(t, s, want)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Organisation(want.ID)
			same(t, "Organisation", got, want)
			return err
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Organisation(cleared.NewOrganisationID())
			wantKind(t, "Organisation of an unknown ID", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		o := newOrganisation()
		create(t, s, o)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateOrganisation(o) })
		wantKind(t, "CreateOrganisation with an existing ID", err, cleared.ErrConflict)
	})
	t.Run("Page", func(t *testing.T) {
		s := open(t)
		var want []cleared.Organisation
		for range 7 {
			o := newOrganisation()
			create(t, s, o)
			want = append(want, o)
		}
		slices.SortFunc(want, func(a, b cleared.Organisation) int { return strings.Compare(string(a.ID), string(b.ID)) })
		got := pageThrough(t, s, 3, func(o cleared.Organisation) string { return string(o.ID) },
			func(tx store.Tx, p store.Page) ([]cleared.Organisation, error) { return tx.Organisations(p) })
		same(t, "Organisations, by ID, three at a time", got, want)
	})
	t.Run("ErrInvalid_page_limit", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Organisations(store.Page{})
			wantKind(t, "Organisations with limit 0", err, cleared.ErrInvalid)
			return nil
		})
	})
}

func testPerson(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		o := newOrganisation()
		plain := newPerson(o.ID)
		officer := newPerson(o.ID)
		officer.GovernmentMember = true
		officer.Roles = []cleared.Role{cleared.RoleNSAOfficer}
		create(t, s, o, plain, officer)
		view(t, s, func(tx store.Tx) error {
			for _, want := range []cleared.Person{plain, officer} {
				got, err := tx.Person(want.ID)
				if err != nil {
					return err
				}
				same(t, "Person", got, want)
			}
			return nil
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Person(cleared.NewPersonID())
			wantKind(t, "Person of an unknown ID", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreatePerson(w.person) })
		wantKind(t, "CreatePerson with an existing ID", err, cleared.ErrConflict)
	})
	t.Run("ErrInvalid_unknown_organisation", func(t *testing.T) {
		s := open(t)
		err := s.Update(t.Context(), func(tx store.Tx) error {
			return tx.CreatePerson(newPerson(cleared.NewOrganisationID()))
		})
		wantKind(t, "CreatePerson in an organisation that does not exist", err, cleared.ErrInvalid)
	})
	t.Run("ErrInvalid_role_with_comma", func(t *testing.T) {
		s := open(t)
		o := newOrganisation()
		create(t, s, o)
		p := newPerson(o.ID)
		p.Roles = []cleared.Role{"nsa_officer,admin"}
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreatePerson(p) })
		wantKind(t, "CreatePerson with a role holding a comma", err, cleared.ErrInvalid)
	})
	t.Run("Page_and_count", func(t *testing.T) {
		s := open(t)
		o := newOrganisation()
		create(t, s, o)
		var want []cleared.Person
		for range 5 {
			p := newPerson(o.ID)
			create(t, s, p)
			want = append(want, p)
		}
		slices.SortFunc(want, func(a, b cleared.Person) int { return strings.Compare(string(a.ID), string(b.ID)) })
		got := pageThrough(t, s, 2, func(p cleared.Person) string { return string(p.ID) },
			func(tx store.Tx, p store.Page) ([]cleared.Person, error) { return tx.Persons(p) })
		same(t, "Persons, by ID, two at a time", got, want)
		view(t, s, func(tx store.Tx) error {
			n, err := tx.CountPersons()
			same(t, "CountPersons", n, 5)
			return err
		})
	})
	t.Run("Count_empty", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			n, err := tx.CountPersons()
			same(t, "CountPersons of an empty store", n, 0)
			return err
		})
	})
}

func testSecurityOfficer(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		other := newOrganisation()
		past := cleared.SecurityOfficer{OrganisationID: w.org.ID, PersonID: w.person.ID,
			DesignatedBy: "Ministre des Affaires étrangères", Since: day(-100), Until: day(-10)}
		current := cleared.SecurityOfficer{OrganisationID: w.org.ID, PersonID: w.person.ID,
			DesignatedBy: "Ministre des Affaires étrangères", Since: day(-5)}
		elsewhere := cleared.SecurityOfficer{OrganisationID: other.ID, PersonID: w.person.ID,
			DesignatedBy: "Conseil d'administration", Since: day(-50)}
		create(t, s, other, current, past, elsewhere)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.SecurityOfficers(w.org.ID)
			if err != nil {
				return err
			}
			same(t, "SecurityOfficers, oldest first", got, []cleared.SecurityOfficer{past, current})
			got, err = tx.OfficerDesignations(w.person.ID)
			same(t, "OfficerDesignations, oldest first", got, []cleared.SecurityOfficer{past, elsewhere, current})
			return err
		})
	})
	t.Run("None", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.SecurityOfficers(w.org.ID)
			if len(got) != 0 {
				t.Errorf("SecurityOfficers of an organisation without any: %v", got)
			}
			return err
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		o := cleared.SecurityOfficer{OrganisationID: w.org.ID, PersonID: w.person.ID, DesignatedBy: "Ministre",
			Since: day(-5)}
		create(t, s, o)
		o.DesignatedBy = "Ministre, again"
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateSecurityOfficer(o) })
		wantKind(t, "CreateSecurityOfficer for the same person, organisation and date", err, cleared.ErrConflict)
	})
}
