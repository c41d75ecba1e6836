package registry_test

import (
	"errors"
	"testing"
	"time"

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

// A clearance's status was stored: past its expiry it still read "active" in the person's file and on /api/me,
// though it granted nothing (issue 16). It is computed at the moment it is read.
func TestClearanceStatusIsComputed(t *testing.T) {
	e := newEnv(t)
	w := e.w
	issued := e.clock.Now().AddDate(-5, 0, 0).Add(time.Hour) // TOP SECRET: five years (A17.1), so it ends in an hour
	c, err := e.svc.RecordClearance(e.ctx, e.as("helene"), registry.NewClearance{HolderKind: cleared.HolderPerson, PersonID: w.Nina.ID,
		Level: cleared.TopSecret, Issued: issued, Reference: "ANS-PSC-2021-0777"})
	if err != nil {
		t.Fatal(err)
	}
	status := func(t *testing.T) cleared.ClearanceStatus {
		t.Helper()
		f, err := e.svc.Person(e.ctx, e.as("helene"), w.Nina.ID)
		if err != nil {
			t.Fatal(err)
		}
		m, err := e.svc.Me(e.ctx, e.as("nina"))
		if err != nil {
			t.Fatal(err)
		}
		var got, mine cleared.ClearanceStatus
		for _, x := range f.Clearances {
			if x.ID == c.ID {
				got = x.Status
			}
		}
		for _, x := range m.Clearances {
			if x.ID == c.ID {
				mine = x.Status
			}
		}
		if got != mine {
			t.Fatalf("the person's file says %s, his own page %s", got, mine)
		}
		return got
	}
	t.Run("A17.1 a clearance before its expiry reads active", func(t *testing.T) {
		if s := status(t); s != cleared.ClearanceActive {
			t.Fatalf("status %s", s)
		}
	})
	t.Run("A17.1 a clearance at the moment of its expiry reads expired", func(t *testing.T) {
		e.clock.Set(c.Expires)
		if s := status(t); s != cleared.ClearanceExpired {
			t.Fatalf("at its expiry the clearance reads %s", s)
		}
	})
}

// A reader whose clearance expired while he holds a grant in force was answered 404 and recorded under A9.1, as if
// the piece did not exist, though the grant told him it does (issue 16): he is told why, under A17.1.
func TestExpiredClearanceWithAGrant(t *testing.T) {
	e := newEnv(t)
	w := e.w
	// Tom's SECRET clearance reaches ten years in three months (A17.1); his grant on the note runs for a year.
	e.clock.Add(92 * 24 * time.Hour)
	tom := e.as("tom")
	t.Run("A17.1 the grant holder is refused with 403 and the entry names A17.1", func(t *testing.T) {
		_, err := e.svc.Piece(e.ctx, tom, w.Secret.ID)
		wantRule(t, err, "A17.1")
		var f *cleared.ErrForbidden
		errors.As(err, &f)
		if last := e.last(t, 1)[0]; last.Rule != "A17.1" || last.Seq != f.AuditSeq || last.Object != string(w.Secret.ID) {
			t.Fatalf("entry %+v, refusal names %d", last, f.AuditSeq)
		}
		_, _, err = e.svc.ReadContent(e.ctx, tom, w.Secret.ID)
		wantRule(t, err, "A17.1")
	})
	t.Run("A9.1 without a grant the piece still does not exist for him", func(t *testing.T) {
		if _, err := e.svc.Piece(e.ctx, tom, w.TopSecret.ID); !errors.Is(err, cleared.ErrNotFound) {
			t.Fatalf("got %v", err)
		}
		if last := e.last(t, 1)[0]; last.Rule != "A9.1" {
			t.Fatalf("entry %+v", last)
		}
	})
	t.Run("A9.1 his list shows nothing", func(t *testing.T) {
		if titles := e.titles(t, tom); len(titles) != 0 {
			t.Fatalf("listed %v", titles)
		}
	})
}
