package storetest

import (
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// post is a SECRET post of w's organisation from day(-30), open-ended.
func (w world) post(title string) cleared.Post {
	return cleared.Post{ID: cleared.NewPostID(), OrganisationID: w.org.ID, Title: title, Level: cleared.Secret,
		Period: cleared.Period{From: day(-30)}, CreatedBy: w.person.ID, Created: day(-30)}
}

// contract is a CONFIDENTIAL contract w's organisation awards to contractor, for a year from day(-30).
func (w world) contract(ref string, contractor cleared.OrganisationID) cleared.Contract {
	return cleared.Contract{ID: cleared.NewContractID(), Reference: ref, OrganisationID: w.org.ID, Contractor: contractor,
		Level: cleared.Confidential, Period: cleared.Period{From: day(-30), Until: day(335)}, CreatedBy: w.person.ID, Created: day(-30)}
}

// assignment puts person on post (or contract) from day(-10).
func (w world) assignment(person cleared.PersonID, post cleared.PostID, contract cleared.ContractID) cleared.Assignment {
	return cleared.Assignment{ID: cleared.NewAssignmentID(), PersonID: person, Post: post, Contract: contract,
		OrganisationID: w.org.ID, Period: cleared.Period{From: day(-10)}, CreatedBy: w.person.ID, Created: day(-10)}
}

func (w world) exemptionCategory(name string) cleared.ExemptionCategory {
	return cleared.ExemptionCategory{ID: cleared.NewExemptionCategoryID(), Name: name, Basis: "Art. 14", Government: true,
		CreatedBy: w.person.ID, Created: day(-400)}
}

func (w world) membership(c cleared.ExemptionCategoryID, p cleared.PersonID) cleared.ExemptionMembership {
	return cleared.ExemptionMembership{ID: cleared.NewExemptionMembershipID(), Category: c, PersonID: p, Reference: "arrêté",
		Period: cleared.Period{From: day(-100), Until: day(100)}, CreatedBy: w.person.ID, Created: day(-100)}
}

func createPosts(t *testing.T, s store.Store, objects ...any) {
	t.Helper()
	update(t, s, func(tx store.Tx) error {
		for _, o := range objects {
			var err error
			switch o := o.(type) {
			case cleared.Post:
				err = tx.CreatePost(o)
			case cleared.Contract:
				err = tx.CreateContract(o)
			case cleared.Assignment:
				err = tx.CreateAssignment(o)
			case cleared.ExemptionCategory:
				err = tx.CreateExemptionCategory(o)
			case cleared.ExemptionMembership:
				err = tx.CreateExemptionMembership(o)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

func testPosts(t *testing.T, open opener) {
	t.Run("A14.1_posts_contracts_assignments_round_trip", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		contractor := newOrganisation()
		staff := newPerson(contractor.ID)
		create(t, s, contractor, staff)
		p1, p2 := w.post("Analyste"), w.post("Attaché")
		c := w.contract("MP-2026-01", contractor.ID)
		a1, a2 := w.assignment(w.person.ID, p1.ID, ""), w.assignment(staff.ID, "", c.ID)
		a2.From = day(-5)
		createPosts(t, s, p1, p2, c, a1, a2)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Post(p1.ID)
			if err != nil {
				return err
			}
			same(t, "Post", got, p1)
			ps, err := tx.PostsOf(w.org.ID, 10)
			if err != nil {
				return err
			}
			same(t, "PostsOf by title", ps, []cleared.Post{p1, p2})
			if all, err := tx.PostsOf("", 1); err != nil || len(all) != 1 {
				t.Errorf("PostsOf every organisation, limit 1: %d, %v", len(all), err)
			}
			gc, err := tx.Contract(c.ID)
			if err != nil {
				return err
			}
			same(t, "Contract", gc, c)
			for _, org := range []cleared.OrganisationID{w.org.ID, contractor.ID} {
				cs, err := tx.ContractsOf(org, 10)
				if err != nil {
					return err
				}
				same(t, "ContractsOf either party", cs, []cleared.Contract{c})
			}
			ga, err := tx.Assignment(a2.ID)
			if err != nil {
				return err
			}
			same(t, "Assignment", ga, a2)
			for _, q := range []struct {
				q    store.AssignmentQuery
				want []cleared.Assignment
			}{
				{store.AssignmentQuery{Organisation: w.org.ID, Limit: 10}, []cleared.Assignment{a1, a2}},
				{store.AssignmentQuery{Organisation: contractor.ID, Limit: 10}, []cleared.Assignment{a2}}, // its staff
				{store.AssignmentQuery{Person: w.person.ID, Limit: 10}, []cleared.Assignment{a1}},
				{store.AssignmentQuery{Post: p1.ID, Limit: 10}, []cleared.Assignment{a1}},
				{store.AssignmentQuery{Contract: c.ID, Limit: 10}, []cleared.Assignment{a2}},
				{store.AssignmentQuery{Post: p2.ID, Limit: 10}, nil},
			} {
				got, err := tx.Assignments(q.q)
				if err != nil {
					return err
				}
				same(t, "Assignments", got, q.want)
			}
			return nil
		})
	})
	t.Run("A14.1_EndAssignment_keeps_the_seal", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.post("Analyste")
		a := w.assignment(w.person.ID, p.ID, "")
		createPosts(t, s, p, a)
		a.Until = day(5)
		update(t, s, func(tx store.Tx) error { return tx.EndAssignment(a.ID, a.Until) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Assignment(a.ID)
			if err != nil {
				return err
			}
			same(t, "Assignment ended", got, a)
			return nil
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.EndAssignment(cleared.NewAssignmentID(), day(5)) })
		wantKind(t, "EndAssignment unknown", err, cleared.ErrNotFound)
	})
	t.Run("A14.1_ErrNotFound_ErrConflict_ErrInvalid", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.post("Analyste")
		createPosts(t, s, p)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Post(cleared.NewPostID())
			wantKind(t, "Post unknown", err, cleared.ErrNotFound)
			_, err = tx.Contract(cleared.NewContractID())
			wantKind(t, "Contract unknown", err, cleared.ErrNotFound)
			_, err = tx.Assignment(cleared.NewAssignmentID())
			wantKind(t, "Assignment unknown", err, cleared.ErrNotFound)
			_, err = tx.ExemptionCategory(cleared.NewExemptionCategoryID())
			wantKind(t, "ExemptionCategory unknown", err, cleared.ErrNotFound)
			return nil
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreatePost(p) })
		wantKind(t, "CreatePost twice", err, cleared.ErrConflict)
		both := w.assignment(w.person.ID, p.ID, cleared.NewContractID())
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateAssignment(both) })
		wantKind(t, "CreateAssignment naming a post and a contract", err, cleared.ErrInvalid)
		none := w.assignment(w.person.ID, "", "")
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateAssignment(none) })
		wantKind(t, "CreateAssignment naming neither", err, cleared.ErrInvalid)
	})
	t.Run("A14.1_exemptions_round_trip", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		gov, chamber := w.exemptionCategory("Conseil de Gouvernement"), w.exemptionCategory("Commission de Contrôle parlementaire")
		chamber.Government = false
		m1, m2 := w.membership(gov.ID, w.person.ID), w.membership(chamber.ID, w.person.ID)
		m2.Period = cleared.Period{From: day(-50)}
		createPosts(t, s, gov, chamber, m1, m2)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.ExemptionCategory(gov.ID)
			if err != nil {
				return err
			}
			same(t, "ExemptionCategory", got, gov)
			cs, err := tx.ExemptionCategories()
			if err != nil {
				return err
			}
			same(t, "ExemptionCategories by name", cs, []cleared.ExemptionCategory{chamber, gov})
			ms, err := tx.ExemptionMemberships("", w.person.ID)
			if err != nil {
				return err
			}
			same(t, "ExemptionMemberships of the person", ms, []cleared.ExemptionMembership{m1, m2})
			ms, err = tx.ExemptionMemberships(chamber.ID, "")
			if err != nil {
				return err
			}
			same(t, "ExemptionMemberships of the category", ms, []cleared.ExemptionMembership{m2})
			return nil
		})
		dup := w.exemptionCategory(gov.Name)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateExemptionCategory(dup) })
		wantKind(t, "CreateExemptionCategory with a name taken", err, cleared.ErrConflict)
	})
}
