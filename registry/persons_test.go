package registry_test

import (
	"errors"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// An NSA officer whose clearance has expired was refused the list of persons but still read any person's file: the
// file checked the role only (issue 16).
func TestPersonFileNeedsAValidClearance(t *testing.T) {
	e := newEnv(t)
	w := e.w
	lapsed, err := e.svc.RegisterPerson(e.ctx, e.as("helene"), registry.NewPerson{OrganisationID: w.Helene.OrganisationID,
		Name: "Agent Sans Habilitation Valide", Roles: []cleared.Role{cleared.RoleNSAOfficer}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.RecordClearance(e.ctx, e.as("helene"), registry.NewClearance{HolderKind: cleared.HolderPerson, PersonID: lapsed.ID,
		Level: cleared.TopSecret, Issued: e.clock.Now().AddDate(-6, 0, 0), Reference: "ANS-PSC-2020-0042"}); err != nil {
		t.Fatal(err)
	}
	a := who(lapsed, w.ZoneTerm.ID)
	t.Run("A20.1 an NSA officer whose clearance expired is refused the list of persons", func(t *testing.T) {
		_, err := e.svc.Persons(e.ctx, a, "", 10)
		wantRule(t, err, "A20.1")
	})
	t.Run("A20.1 an NSA officer whose clearance expired is refused a person's file", func(t *testing.T) {
		_, err := e.svc.Person(e.ctx, a, w.Tom.ID)
		wantRule(t, err, "A20.1")
	})
	t.Run("A23.1 he still reads his own file", func(t *testing.T) {
		if _, err := e.svc.Person(e.ctx, a, lapsed.ID); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("A20.1 a cleared NSA officer reads the file", func(t *testing.T) {
		if _, err := e.svc.Person(e.ctx, e.as("helene"), w.Tom.ID); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("A23.1 a missing person reads as one not to be known", func(t *testing.T) {
		if _, err := e.svc.Person(e.ctx, e.as("lea"), cleared.NewPersonID()); !errors.Is(err, cleared.ErrNotFound) {
			t.Fatalf("got %v", err)
		}
	})
}
