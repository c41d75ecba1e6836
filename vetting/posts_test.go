package vetting_test

import (
	"errors"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/vetting"
)

type env struct {
	*testenv.Env
	nsa, anne, luc cleared.Actor
}

func newEnv(t *testing.T) *env {
	te := testenv.New(t, testenv.Options{})
	w := te.World
	return &env{Env: te, nsa: cleared.Actor{Person: w.Helene.ID}, anne: cleared.Actor{Person: w.Anne.ID}, luc: cleared.Actor{Person: w.Luc.ID}}
}

// must returns v, or fails the test that calls it (a panic in a test is its failure, with the stack).
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func wantKind(t *testing.T, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("want %v, got %v", kind, err)
	}
}

// person registers a person of org with no clearance.
func (e *env) person(t *testing.T, org cleared.OrganisationID, name string) cleared.Person {
	t.Helper()
	return must(e.Reg.RegisterPerson(e.Ctx, e.nsa, registry.NewPerson{OrganisationID: org, Name: name}))
}

func TestRecordPost(t *testing.T) {
	e := newEnv(t)
	w := e.World
	in := vetting.NewPost{OrganisationID: w.SRE.ID, Title: "Officier de liaison", Level: cleared.TopSecret}
	t.Run("A14.1 the organisation's security officer records its post, from now when no start is given", func(t *testing.T) {
		p := must(e.Vet.RecordPost(e.Ctx, e.anne, in))
		if p.Level != cleared.TopSecret || p.OrganisationID != w.SRE.ID || !p.From.Equal(e.Clock.Now().UTC().Truncate(time.Microsecond)) {
			t.Errorf("post %+v", p)
		}
	})
	t.Run("A14.1 the NSA records any organisation's post", func(t *testing.T) {
		must(e.Vet.RecordPost(e.Ctx, e.nsa, in))
	})
	t.Run("A14.1 another organisation's security officer is refused, and the refusal audited", func(t *testing.T) {
		before := e.Size(t)
		_, err := e.Vet.RecordPost(e.Ctx, e.luc, in)
		testenv.WantRule(t, err, "A14.1")
		if e.Size(t) != before+1 {
			t.Error("the refusal is not audited")
		}
	})
	t.Run("A14.1 a person who is no security officer is refused", func(t *testing.T) {
		_, err := e.Vet.RecordPost(e.Ctx, cleared.Actor{Person: w.Paul.ID}, in)
		testenv.WantRule(t, err, "A14.1")
	})
	t.Run("A16.1 bad input: no level, no title, until before from", func(t *testing.T) {
		bad := in
		bad.Level = cleared.Unclassified
		_, err := e.Vet.RecordPost(e.Ctx, e.anne, bad)
		wantKind(t, err, cleared.ErrInvalid)
		bad = in
		bad.Title = ""
		_, err = e.Vet.RecordPost(e.Ctx, e.anne, bad)
		wantKind(t, err, cleared.ErrInvalid)
		bad = in
		bad.From, bad.Until = e.Clock.Now(), e.Clock.Now()
		_, err = e.Vet.RecordPost(e.Ctx, e.anne, bad)
		wantKind(t, err, cleared.ErrInvalid)
	})
	t.Run("A14.1 contracts: the contracting organisation's officer records; the contractor cannot be itself", func(t *testing.T) {
		c := vetting.NewContract{Reference: "SRE/2026/1", OrganisationID: w.SRE.ID, Contractor: w.Company.ID, Level: cleared.Secret}
		must(e.Vet.RecordContract(e.Ctx, e.anne, c))
		_, err := e.Vet.RecordContract(e.Ctx, e.luc, c)
		testenv.WantRule(t, err, "A14.1")
		c.Contractor = w.SRE.ID
		_, err = e.Vet.RecordContract(e.Ctx, e.anne, c)
		wantKind(t, err, cleared.ErrInvalid)
	})
}

func TestAssign(t *testing.T) {
	e := newEnv(t)
	w := e.World
	now := e.Clock.Now()
	post := must(e.Vet.RecordPost(e.Ctx, e.anne, vetting.NewPost{OrganisationID: w.SRE.ID, Title: "Veille", Level: cleared.Secret,
		From: now.Add(-time.Hour), Until: now.AddDate(1, 0, 0)}))
	t.Run("A14.1 the officer assigns his staff within the post's period", func(t *testing.T) {
		v := must(e.Vet.Assign(e.Ctx, e.anne, vetting.NewAssignment{PersonID: w.Sophie.ID, Post: post.ID, Until: post.Until}))
		if v.Flagged || !v.InForce || v.Level != cleared.Secret {
			t.Errorf("Sophie, TRES SECRET, is covered: %+v", v)
		}
	})
	t.Run("A14.1 given no end, the assignment ends with its post", func(t *testing.T) {
		v := must(e.Vet.Assign(e.Ctx, e.anne, vetting.NewAssignment{PersonID: w.Director.ID, Post: post.ID}))
		if !v.Until.Equal(post.Until) {
			t.Errorf("until %v, want the post's %v", v.Until, post.Until)
		}
	})
	t.Run("A14.1 a person of another organisation is refused", func(t *testing.T) {
		_, err := e.Vet.Assign(e.Ctx, e.anne, vetting.NewAssignment{PersonID: w.Tom.ID, Post: post.ID, Until: post.Until})
		testenv.WantRule(t, err, "A14.1")
	})
	t.Run("A14.1 an assignment beyond the post's period is refused", func(t *testing.T) {
		_, err := e.Vet.Assign(e.Ctx, e.anne, vetting.NewAssignment{PersonID: w.Sophie.ID, Post: post.ID, Until: post.Until.Add(time.Microsecond)})
		testenv.WantRule(t, err, "A14.1")
		_, err = e.Vet.Assign(e.Ctx, e.anne, vetting.NewAssignment{PersonID: w.Sophie.ID, Post: post.ID,
			From: post.From.Add(-time.Microsecond), Until: post.Until})
		testenv.WantRule(t, err, "A14.1")
	})
	t.Run("A14.1 another organisation's post is not the officer's to know: 404", func(t *testing.T) {
		_, err := e.Vet.Assign(e.Ctx, e.luc, vetting.NewAssignment{PersonID: w.Tom.ID, Post: post.ID, Until: post.Until})
		wantKind(t, err, cleared.ErrNotFound)
		_, err = e.Vet.Post(e.Ctx, e.luc, post.ID)
		wantKind(t, err, cleared.ErrNotFound)
		_, err = e.Vet.Assign(e.Ctx, e.anne, vetting.NewAssignment{PersonID: w.Sophie.ID, Post: cleared.NewPostID()})
		wantKind(t, err, cleared.ErrNotFound)
	})
	t.Run("A14.1 bad input: both a post and a contract, or neither", func(t *testing.T) {
		_, err := e.Vet.Assign(e.Ctx, e.anne, vetting.NewAssignment{PersonID: w.Sophie.ID, Post: post.ID, Contract: w.Contract.ID})
		wantKind(t, err, cleared.ErrInvalid)
		_, err = e.Vet.Assign(e.Ctx, e.anne, vetting.NewAssignment{PersonID: w.Sophie.ID})
		wantKind(t, err, cleared.ErrInvalid)
	})
	t.Run("A14.1 lists: the officer sees his own, others none", func(t *testing.T) {
		ps := must(e.Vet.Posts(e.Ctx, e.anne, "", 0))
		if len(ps) != 2 { // the demo's analyst post and this one
			t.Errorf("anne sees %d posts", len(ps))
		}
		if ps := must(e.Vet.Posts(e.Ctx, e.luc, w.SRE.ID, 0)); len(ps) != 0 {
			t.Errorf("luc sees the SRE's posts: %+v", ps)
		}
		if cs := must(e.Vet.Contracts(e.Ctx, e.anne, "", 0)); len(cs) != 0 {
			t.Errorf("anne sees the ministry's contract: %+v", cs)
		}
		if ps := must(e.Vet.Posts(e.Ctx, e.nsa, "", 0)); len(ps) != 3 { // the Defence's too
			t.Errorf("the NSA sees %d posts", len(ps))
		}
	})
}

// A14.1: a person assigned without a valid clearance at the level required is flagged on the post's page and the
// officer's agenda; a clearance that expires exactly at the time of the read no longer covers him.
func TestFlag_A14_1_boundary(t *testing.T) {
	e := newEnv(t)
	w := e.World
	now := e.Clock.Now()
	p := e.person(t, w.SRE.ID, "Eva Thein")
	// A SECRET clearance lasts ten years (A17.1): issued so that it expires in an hour.
	c := must(e.Reg.RecordClearance(e.Ctx, e.nsa, registry.NewClearance{HolderKind: cleared.HolderPerson, PersonID: p.ID,
		Level: cleared.Secret, Issued: now.AddDate(-10, 0, 0).Add(time.Hour), Reference: "ANS-PSC-2016-0042"}))
	post := must(e.Vet.RecordPost(e.Ctx, e.anne, vetting.NewPost{OrganisationID: w.SRE.ID, Title: "Veille", Level: cleared.Secret,
		From: now.Add(-time.Hour)}))
	must(e.Vet.Assign(e.Ctx, e.anne, vetting.NewAssignment{PersonID: p.ID, Post: post.ID}))
	flagged := func(t *testing.T, at time.Time) bool {
		t.Helper()
		e.Clock.Set(at)
		v := must(e.Vet.Post(e.Ctx, e.anne, post.ID))
		ag := must(e.Reg.Agenda(e.Ctx, e.anne))
		onAgenda := false
		for _, it := range ag.Items {
			if it.Kind == policy.AgendaUncleared && it.Person.ID == p.ID {
				onAgenda = it.Article == "A14.1" && it.Assignment != nil && it.Assignment.Post == post.ID
			}
		}
		if len(v.Assignments) != 1 || v.Assignments[0].Flagged != onAgenda {
			t.Fatalf("the post's page (%+v) and the agenda (%v) disagree", v.Assignments, onAgenda)
		}
		if onAgenda && v.Assignments[0].FlagRule != "A14.1" {
			t.Fatalf("flag %+v", v.Assignments[0])
		}
		return onAgenda
	}
	if flagged(t, c.Expires.Add(-time.Microsecond)) {
		t.Error("A14.1 a clearance valid until the next microsecond covers the assignment")
	}
	if !flagged(t, c.Expires) {
		t.Error("A14.1 a clearance expiring exactly now covers nothing: the person is flagged")
	}
	// Others are not told (A23.1): luc's agenda has nina, not Eva.
	for _, it := range must(e.Reg.Agenda(e.Ctx, e.luc)).Items {
		if it.Person != nil && it.Person.ID == p.ID {
			t.Error("A14.1 the ministry's officer is told of an SRE agent")
		}
	}
}

// A14.1: the exempt categories are data. A membership in force exempts (no flag, Subject.ClearanceExempt); before
// its start and from its end the person needs his clearance; only the NSA keeps the register.
func TestExemptions_A14_1(t *testing.T) {
	e := newEnv(t)
	w := e.World
	now := e.Clock.Now()
	p := e.person(t, w.SRE.ID, "Député Kayser")
	post := must(e.Vet.RecordPost(e.Ctx, e.anne, vetting.NewPost{OrganisationID: w.SRE.ID, Title: "Contrôle", Level: cleared.TopSecret,
		From: now.Add(-time.Hour)}))
	must(e.Vet.Assign(e.Ctx, e.anne, vetting.NewAssignment{PersonID: p.ID, Post: post.ID}))
	cat := must(e.Vet.RecordExemptionCategory(e.Ctx, e.nsa, vetting.NewExemptionCategory{Name: "Commission de Contrôle parlementaire",
		Basis: "Art. 14"}))
	start, end := now.Add(time.Hour), now.Add(48*time.Hour)
	must(e.Vet.RecordMembership(e.Ctx, e.nsa, vetting.NewMembership{Category: cat.ID, PersonID: p.ID, Reference: "Vote de la Chambre",
		From: start, Until: end}))
	state := func(t *testing.T, at time.Time) (flagged, exempt bool) {
		t.Helper()
		e.Clock.Set(at)
		v := must(e.Vet.Post(e.Ctx, e.anne, post.ID))
		err := e.Store.View(e.Ctx, func(tx store.Tx) error {
			sub, _, err := facts.SubjectOf(tx, p, "", at)
			if err == nil {
				exempt = sub.ClearanceExempt
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return v.Assignments[0].Flagged, exempt
	}
	for _, tc := range []struct {
		name            string
		at              time.Time
		flagged, exempt bool
	}{
		{"before the membership: flagged", start.Add(-time.Microsecond), true, false},
		{"from exactly its start: exempt", start, false, true},
		{"at exactly its end: flagged again", end, true, false},
	} {
		if f, x := state(t, tc.at); f != tc.flagged || x != tc.exempt {
			t.Errorf("A14.1 %s: flagged %v exempt %v, want %v %v", tc.name, f, x, tc.flagged, tc.exempt)
		}
	}
	e.Clock.Set(now)
	t.Run("A20.1 only the NSA records categories and members", func(t *testing.T) {
		_, err := e.Vet.RecordExemptionCategory(e.Ctx, e.anne, vetting.NewExemptionCategory{Name: "Amis", Basis: "aucune"})
		testenv.WantRule(t, err, "A20.1")
		_, err = e.Vet.RecordMembership(e.Ctx, e.anne, vetting.NewMembership{Category: cat.ID, PersonID: w.Anne.ID, Reference: "x"})
		testenv.WantRule(t, err, "A20.1")
		_, err = e.Vet.Exemptions(e.Ctx, e.anne)
		testenv.WantRule(t, err, "A20.1")
	})
	t.Run("A14.1 the register shows the demo's Government member", func(t *testing.T) {
		cs := must(e.Vet.Exemptions(e.Ctx, e.nsa))
		found := false
		for _, c := range cs {
			for _, m := range c.Members {
				found = found || (c.Government && m.PersonID == w.Minister.ID && m.InForce)
			}
		}
		if !found {
			t.Errorf("the minister is not a member of the Government in the register: %+v", cs)
		}
	})
}

// A16.1: the level comes from the post. Paul holds the demo's SECRET analyst post since a year ago.
func TestRecordClearance_A16_1(t *testing.T) {
	e := newEnv(t)
	w := e.World
	now := e.Clock.Now()
	rec := func(p cleared.PersonID, l cleared.Level, issued time.Time) error {
		_, err := e.Reg.RecordClearance(e.Ctx, e.nsa, registry.NewClearance{HolderKind: cleared.HolderPerson, PersonID: p, Level: l,
			Issued: issued, Reference: "ANS-PSC-TEST"})
		return err
	}
	t.Run("A16.1 a clearance above the post's level is refused", func(t *testing.T) {
		testenv.WantRule(t, rec(w.Paul.ID, cleared.TopSecret, now.Add(-time.Hour)), "A16.1")
	})
	t.Run("A16.1 issued exactly when the assignment starts: refused", func(t *testing.T) {
		testenv.WantRule(t, rec(w.Paul.ID, cleared.TopSecret, w.PaulOnPost.From), "A16.1")
	})
	t.Run("A16.1 at the post's level, or below: recorded", func(t *testing.T) {
		if err := rec(w.Paul.ID, cleared.Secret, now.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := rec(w.Paul.ID, cleared.Confidential, now.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("A16.1 a paper record issued before any assignment has no ceiling", func(t *testing.T) {
		if err := rec(w.Paul.ID, cleared.TopSecret, w.PaulOnPost.From.Add(-time.Microsecond)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("A16.1 a person with no post recorded has no ceiling", func(t *testing.T) {
		p := e.person(t, w.SRE.ID, "Sans Poste")
		if err := rec(p.ID, cleared.TopSecret, now.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("A16.1 the required level, to his officer and the NSA; hidden from others", func(t *testing.T) {
		r := must(e.Vet.RequiredLevel(e.Ctx, e.anne, w.Paul.ID))
		if !r.Any || r.Level != cleared.Secret || len(r.Assignments) != 1 {
			t.Errorf("required level %+v", r)
		}
		must(e.Vet.RequiredLevel(e.Ctx, e.nsa, w.Paul.ID))
		_, err := e.Vet.RequiredLevel(e.Ctx, e.luc, w.Paul.ID)
		wantKind(t, err, cleared.ErrNotFound)
	})
}

// A14.1 (demo world): Nina, on the ministry's contract without a clearance, is flagged to luc and the NSA; Léa,
// CONFIDENTIEL on a CONFIDENTIEL contract, is covered; the contractor's staff list names them both.
func TestDemo_contract(t *testing.T) {
	e := newEnv(t)
	w := e.World
	v := must(e.Vet.Contract(e.Ctx, e.luc, w.Contract.ID))
	flags := map[cleared.PersonID]bool{}
	for _, a := range v.Assignments {
		flags[a.PersonID] = a.Flagged
	}
	if len(flags) != 2 || !flags[w.Nina.ID] || flags[w.Lea.ID] {
		t.Errorf("contract assignments %+v", v.Assignments)
	}
	fl := must(e.Vet.Assignments(e.Ctx, e.luc, vetting.AssignmentFilter{Flagged: true}))
	if len(fl) != 1 || fl[0].PersonID != w.Nina.ID {
		t.Errorf("flagged %+v", fl)
	}
	if _, err := e.Vet.Contract(e.Ctx, e.anne, w.Contract.ID); !errors.Is(err, cleared.ErrNotFound) {
		t.Errorf("A14.1 anne reads the ministry's contract: %v", err)
	}
}

// A14.1: an assignment ended leaves the flags and the A16.1 ceiling; only who may assign ends it, from now on.
func TestEndAssignment(t *testing.T) {
	e := newEnv(t)
	w := e.World
	_, err := e.Vet.EndAssignment(e.Ctx, e.anne, w.NinaOnDeal.ID, time.Time{})
	wantKind(t, err, cleared.ErrNotFound) // not the SRE's officer's to know
	_, err = e.Vet.EndAssignment(e.Ctx, e.luc, w.NinaOnDeal.ID, e.Clock.Now().Add(-time.Hour))
	testenv.WantRule(t, err, "A14.1")
	_, err = e.Vet.EndAssignment(e.Ctx, e.luc, w.NinaOnDeal.ID, w.Contract.Until.Add(time.Hour))
	testenv.WantRule(t, err, "A14.1")
	v := must(e.Vet.EndAssignment(e.Ctx, e.luc, w.NinaOnDeal.ID, time.Time{}))
	if v.InForce || v.Flagged {
		t.Errorf("ended now: %+v", v)
	}
	for _, it := range must(e.Reg.Agenda(e.Ctx, e.luc)).Items {
		if it.Kind == policy.AgendaUncleared {
			t.Errorf("A14.1 nina is still flagged once her assignment ended: %+v", it)
		}
	}
	// Paul's post ended: his paper clearance may be recorded at TRES SECRET from then on (A16.1).
	must(e.Vet.EndAssignment(e.Ctx, e.anne, w.PaulOnPost.ID, time.Time{}))
	e.Clock.Add(time.Second)
	must(e.Reg.RecordClearance(e.Ctx, e.nsa, registry.NewClearance{HolderKind: cleared.HolderPerson, PersonID: w.Paul.ID,
		Level: cleared.TopSecret, Issued: e.Clock.Now().Add(-time.Millisecond), Reference: "ANS-PSC-2026-1000"}))
}
