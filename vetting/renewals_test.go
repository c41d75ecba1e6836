package vetting_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/vetting"
)

// onBothDatabases runs f on the demo world over SQLite, and over PostgreSQL when CLEARED_TEST_POSTGRES names a
// database (in a schema of its own, dropped at the end).
func onBothDatabases(t *testing.T, f func(t *testing.T, e *env)) {
	t.Run("sqlite", func(t *testing.T) { f(t, newEnv(t)) })
	t.Run("postgres", func(t *testing.T) {
		st, _ := testenv.Postgres(t, "cleared_renewal_")
		te := testenv.New(t, testenv.Options{Store: st})
		w := te.World
		f(t, &env{Env: te, nsa: cleared.Actor{Person: w.Helene.ID}, anne: cleared.Actor{Person: w.Anne.ID}, luc: cleared.Actor{Person: w.Luc.ID}})
	})
}

// holder registers a person of the SRE (whose security officer is Anne) with an address and a SECRET clearance
// issued at issued, and returns the clearance and when the reminders count it expires.
func (e *env) holder(t *testing.T, name string, issued time.Time) (cleared.Person, cleared.Clearance, time.Time) {
	t.Helper()
	p := must(e.Reg.RegisterPerson(e.Ctx, e.nsa, registry.NewPerson{OrganisationID: e.World.SRE.ID, Name: name,
		Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@sre.example.lu"}))
	c := must(e.Reg.RecordClearance(e.Ctx, e.nsa, registry.NewClearance{HolderKind: cleared.HolderPerson, PersonID: p.ID,
		Level: cleared.Secret, Issued: issued, Reference: "ANS-PSC-RENEW"}))
	return p, c, policy.RenewalExpiry(c)
}

func reminders(t *testing.T, e *env, c cleared.ClearanceID) (rs []store.RenewalReminder) {
	t.Helper()
	if err := e.Store.View(e.Ctx, func(tx store.Tx) (err error) { rs, err = tx.RenewalReminders(c); return err }); err != nil {
		t.Fatal(err)
	}
	return rs
}

func clearanceDeliveries(t *testing.T, e *env, c cleared.ClearanceID) (ds []cleared.Delivery) {
	t.Helper()
	if err := e.Store.View(e.Ctx, func(tx store.Tx) (err error) { ds, err = tx.DeliveriesOf(string(c)); return err }); err != nil {
		t.Fatal(err)
	}
	return ds
}

// A17.1: a clearance six months from its expiry gets one e-mail to its holder and one to his organisation's
// security officer, naming its level and expiry and no other personal data; the threshold is recorded, and a
// second run sends nothing and writes nothing, not even an audit entry.
func TestRemindRenewals_A17_1(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		now := e.Clock.Now()
		jo, c, exp := e.holder(t, "Jo Renard", now.AddDate(-10, 6, 0))
		e.Clock.Set(exp.AddDate(0, -6, 0))
		if n := must(e.Vet.RemindRenewals(e.Ctx)); n < 1 {
			t.Fatalf("reminded %d clearances", n)
		}
		ds := clearanceDeliveries(t, e, c.ID)
		if len(ds) != 2 {
			t.Fatalf("%d e-mails, want 2: %+v", len(ds), ds)
		}
		to := map[cleared.PersonID]cleared.Delivery{}
		for _, d := range ds {
			to[d.Recipient] = d
		}
		for _, p := range []cleared.PersonID{jo.ID, e.World.Anne.ID} {
			d, ok := to[p]
			body := string(d.Body)
			if !ok || d.Medium != cleared.MediumEmail || !strings.Contains(body, "SECRET") ||
				!strings.Contains(body, exp.Format(time.DateOnly)) || !strings.Contains(d.Subject, "6") {
				t.Errorf("e-mail to %s: %+v", p, d)
			}
			if strings.Contains(body, "Renard") || strings.Contains(body, jo.Email) {
				t.Errorf("e-mail to %s names the holder: %s", p, body)
			}
		}
		if rs := reminders(t, e, c.ID); len(rs) != 1 || rs[0].Months != 6 {
			t.Errorf("reminders %+v", rs)
		}
		before := e.Size(t)
		if n := must(e.Vet.RemindRenewals(e.Ctx)); n != 0 {
			t.Errorf("a second run reminded %d", n)
		}
		if len(clearanceDeliveries(t, e, c.ID)) != 2 || e.Size(t) != before {
			t.Error("a second run writes")
		}
	})
}

// A17.1: each threshold at the exact instant, not one before; each once; none at or after expiry.
func TestRemindRenewals_A17_1_boundaries(t *testing.T) {
	e := newEnv(t)
	_, c, exp := e.holder(t, "Ivo Stein", e.Clock.Now().Add(-time.Hour))
	count := func() int { return len(clearanceDeliveries(t, e, c.ID)) }
	for _, step := range []struct {
		at   time.Time
		want int // e-mails about c so far
	}{
		{exp.AddDate(0, -12, 0).Add(-time.Microsecond), 0},
		{exp.AddDate(0, -12, 0), 2},
		{exp.AddDate(0, -6, 0).Add(-time.Microsecond), 2},
		{exp.AddDate(0, -6, 0), 4},
		{exp.AddDate(0, -3, 0).Add(-time.Microsecond), 4},
		{exp.AddDate(0, -3, 0), 6},
		{exp.Add(-time.Microsecond), 6},
		{exp, 6},
	} {
		e.Clock.Set(step.at)
		must(e.Vet.RemindRenewals(e.Ctx))
		if got := count(); got != step.want {
			t.Fatalf("at %s: %d e-mails, want %d", step.at, got, step.want)
		}
	}
	if rs := reminders(t, e, c.ID); len(rs) != 3 {
		t.Errorf("reminders %+v", rs)
	}
}

// A17.1, A25.1: from 12 months before his staff's clearance expires, exactly, the security officer's agenda asks
// him to open its renewal case, until he does; neither another organisation's security officer nor the holder
// sees that item (the holder has his own, A17.1).
func TestRenewalAgenda_A17_1(t *testing.T) {
	in := newIntake(t)
	jo, c, exp := in.holder(t, "Jo Renard", in.Clock.Now().Add(-time.Hour))
	renewal := func(a cleared.Actor) int {
		n := 0
		for _, it := range must(in.Reg.Agenda(in.Ctx, a)).Items {
			if it.Kind == policy.AgendaRenewal && it.Clearance.ID == c.ID {
				n++
			}
		}
		return n
	}
	in.Clock.Set(exp.AddDate(0, -12, 0).Add(-time.Microsecond))
	if renewal(in.anne) != 0 {
		t.Error("shown one instant before 12 months")
	}
	in.Clock.Set(exp.AddDate(0, -12, 0))
	if renewal(in.anne) != 1 || renewal(in.luc) != 0 || renewal(cleared.Actor{Person: jo.ID}) != 0 {
		t.Error("at 12 months: the SRE's security officer alone is asked to open the renewal case")
	}
	must(in.Vet.OpenCase(in.Ctx, in.anne, vetting.NewCase{PersonID: jo.ID, Post: in.post.ID, Kind: cleared.KindRenewal}))
	if renewal(in.anne) != 0 {
		t.Error("still asked once the renewal case is open")
	}
}
