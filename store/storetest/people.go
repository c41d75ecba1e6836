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

func testClearance(t *testing.T, open opener) {
	newClearance := func(w world) cleared.Clearance {
		return cleared.Clearance{
			ID: cleared.NewClearanceID(), HolderKind: cleared.HolderPerson, PersonID: w.person.ID,
			Level: cleared.Secret, Issued: day(-60), Expires: day(-60).AddDate(5, 0, 0),
			Status: cleared.ClearanceActive, Source: cleared.SourcePaperRegister, Reference: "REG-2019-0042",
			RecordedBy: w.person.ID, Recorded: day(-59),
		}
	}
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		psc := newClearance(w)
		older := newClearance(w)
		older.Issued, older.Status = day(-3000), cleared.ClearanceExpired
		fsc := cleared.Clearance{
			ID: cleared.NewClearanceID(), HolderKind: cleared.HolderFacility, OrganisationID: w.org.ID,
			Level: cleared.Confidential, Issued: day(-10), Expires: day(-10).AddDate(5, 0, 0),
			Status: cleared.ClearanceActive, Source: cleared.SourceVetting, RecordedBy: w.person.ID, Recorded: day(-10),
		}
		create(t, s, psc, older, fsc)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Clearance(psc.ID)
			if err != nil {
				return err
			}
			same(t, "Clearance", got, psc)
			list, err := tx.PersonClearances(w.person.ID)
			if err != nil {
				return err
			}
			same(t, "PersonClearances, oldest first, whatever the status", list, []cleared.Clearance{older, psc})
			list, err = tx.FacilityClearances(w.org.ID)
			same(t, "FacilityClearances", list, []cleared.Clearance{fsc})
			return err
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Clearance(cleared.NewClearanceID())
			wantKind(t, "Clearance of an unknown ID", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		c := newClearance(w)
		create(t, s, c)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateClearance(c) })
		wantKind(t, "CreateClearance with an existing ID", err, cleared.ErrConflict)
	})
	t.Run("SetStatus", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		c := newClearance(w)
		create(t, s, c)
		update(t, s, func(tx store.Tx) error { return tx.SetClearanceStatus(c.ID, cleared.ClearanceWithdrawn) })
		c.Status = cleared.ClearanceWithdrawn
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Clearance(c.ID)
			same(t, "Clearance after SetClearanceStatus", got, c)
			return err
		})
	})
	t.Run("SetStatus_ErrNotFound", func(t *testing.T) {
		s := open(t)
		err := s.Update(t.Context(), func(tx store.Tx) error {
			return tx.SetClearanceStatus(cleared.NewClearanceID(), cleared.ClearanceSuspended)
		})
		wantKind(t, "SetClearanceStatus of an unknown ID", err, cleared.ErrNotFound)
	})
}

func testAuthority(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		earlier := newAuthority(w.person.ID, w.org.ID)
		earlier.Kind, earlier.Title, earlier.From, earlier.Until = cleared.AuthorityDelegate, "Directeur", day(-900), day(-400)
		create(t, s, earlier)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Authority(w.auth.ID)
			if err != nil {
				return err
			}
			same(t, "Authority", got, w.auth)
			list, err := tx.PersonAuthorities(w.person.ID)
			same(t, "PersonAuthorities, oldest term first", list, []cleared.ClassifyingAuthority{earlier, w.auth})
			return err
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Authority(cleared.NewAuthorityID())
			wantKind(t, "Authority of an unknown ID", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateAuthority(w.auth) })
		wantKind(t, "CreateAuthority with an existing ID", err, cleared.ErrConflict)
	})
	t.Run("Page", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		want := []cleared.ClassifyingAuthority{w.auth}
		for range 4 {
			a := newAuthority(w.person.ID, w.org.ID)
			create(t, s, a)
			want = append(want, a)
		}
		slices.SortFunc(want, func(a, b cleared.ClassifyingAuthority) int { return strings.Compare(string(a.ID), string(b.ID)) })
		got := pageThrough(t, s, 2, func(a cleared.ClassifyingAuthority) string { return string(a.ID) },
			func(tx store.Tx, p store.Page) ([]cleared.ClassifyingAuthority, error) { return tx.Authorities(p) })
		same(t, "Authorities, by ID, two at a time", got, want)
	})
	t.Run("SetSuccessor", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		next := newAuthority(w.person.ID, w.org.ID)
		create(t, s, next)
		update(t, s, func(tx store.Tx) error { return tx.SetAuthoritySuccessor(w.auth.ID, next.ID, day(1)) })
		want := w.auth
		want.Successor, want.Until = next.ID, day(1)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Authority(w.auth.ID)
			same(t, "Authority after SetAuthoritySuccessor", got, want)
			return err
		})
	})
	t.Run("SetSuccessor_ErrNotFound", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		err := s.Update(t.Context(), func(tx store.Tx) error {
			return tx.SetAuthoritySuccessor(cleared.NewAuthorityID(), w.auth.ID, day(1))
		})
		wantKind(t, "SetAuthoritySuccessor of an unknown authority", err, cleared.ErrNotFound)
	})
	t.Run("SetSuccessor_ErrInvalid_unknown_successor", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		err := s.Update(t.Context(), func(tx store.Tx) error {
			return tx.SetAuthoritySuccessor(w.auth.ID, cleared.NewAuthorityID(), day(1))
		})
		wantKind(t, "SetAuthoritySuccessor to an unknown successor", err, cleared.ErrInvalid)
	})
}

func testDelegation(t *testing.T, open opener) {
	newDelegation := func(w world, delegate cleared.AuthorityID) cleared.Delegation {
		return cleared.Delegation{
			ID: cleared.NewDelegationID(), Delegate: delegate, Principal: w.auth.ID, From: day(-20), Until: day(345),
			Reference: "Arrêté ministériel du 1er mars 2025", GrantedBy: w.person.ID, Created: day(-21),
		}
	}
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		delegate := newAuthority(w.person.ID, w.org.ID)
		delegate.Kind = cleared.AuthorityDelegate
		d := newDelegation(w, delegate.ID)
		older := newDelegation(w, delegate.ID)
		older.From, older.Until = day(-400), day(-35)
		create(t, s, delegate, d, older)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Delegation(d.ID)
			if err != nil {
				return err
			}
			same(t, "Delegation", got, d)
			list, err := tx.Delegations(delegate.ID)
			if err != nil {
				return err
			}
			same(t, "Delegations, oldest first", list, []cleared.Delegation{older, d})
			list, err = tx.Delegations(w.auth.ID)
			if len(list) != 0 {
				t.Errorf("Delegations to the principal: %v, want none", list)
			}
			return err
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Delegation(cleared.NewDelegationID())
			wantKind(t, "Delegation of an unknown ID", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		d := newDelegation(w, w.auth.ID)
		create(t, s, d)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateDelegation(d) })
		wantKind(t, "CreateDelegation with an existing ID", err, cleared.ErrConflict)
	})
	t.Run("ErrInvalid_unknown_principal", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		d := newDelegation(w, w.auth.ID)
		d.Principal = cleared.NewAuthorityID()
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateDelegation(d) })
		wantKind(t, "CreateDelegation from an unknown principal", err, cleared.ErrInvalid)
	})
}
