package registry_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/account"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
)

// agenda returns what a's agenda lists, as kind:name words, names from the demo world.
func (e *env) agenda(t *testing.T, a cleared.Actor) ([]string, registry.Agenda) {
	t.Helper()
	ag, err := e.svc.Agenda(e.ctx, a)
	if err != nil {
		t.Fatalf("agenda: %v", err)
	}
	w := e.w
	names := map[string]string{}
	for _, p := range []cleared.Piece{w.TopSecret, w.Secret, w.Confidential, w.Restricted, w.NATO, w.PartA, w.PartB} {
		names[string(p.ID)] = p.Title
	}
	for _, p := range []cleared.Person{w.Helene, w.Minister, w.Director, w.Paul, w.Anne, w.Luc, w.Sophie, w.Tom, w.Lea, w.Max, w.Nina, w.Jo} {
		names[string(p.ID)] = strings.ToLower(strings.Fields(p.Name)[0])
	}
	var got []string
	for _, it := range ag.Items {
		var name string
		switch {
		case it.Piece != nil:
			name = names[string(it.Piece.ID)]
		case it.Dossier != nil:
			name = it.Dossier.Title
		case it.Person != nil:
			name = names[string(it.Person.ID)]
		case it.Clearance != nil:
			name = names[string(it.Clearance.PersonID)]
		case it.Token != nil:
			name = it.Token.Label
		case it.Session != nil:
			name = string(it.Session.Terminal)
		case it.Account != nil:
			name = it.Account.Login
		case it.VettingCase != nil: // issue 20 (A25.1)
			name = names[string(it.VettingCase.PersonID)]
		}
		s := fmt.Sprintf("%s:%s", it.Kind, name)
		if it.Overdue {
			s += "!"
		}
		got = append(got, s)
	}
	return got, ag
}

func wantAgenda(t *testing.T, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, " | ") != strings.Join(want, " | ") {
		t.Errorf("the agenda lists %q, want %q", got, want)
	}
}

func TestService_Agenda(t *testing.T) {
	e := newEnv(t)
	w := e.w
	const review, ownClearance, holderClearance = "review:Cahier des charges du système de chiffrement", "clearance:tom", "holder_clearance:tom"
	// A14.1 (package vetting): Nina, on the ministry's contract without a clearance, is flagged to its security
	// officer and the NSA since her assignment started.
	const ninaFlagged = "uncleared:nina!"

	t.Run("OK what the demo world holds, account by account", func(t *testing.T) {
		for _, tc := range []struct {
			key  string
			want []string
		}{
			{"paul", []string{review}},      // A3.2: he classified it; its review is in three weeks
			{"director", nil},               // A9.1: she acts for paul's authority (A5.2), but has no need-to-know
			{"tom", []string{ownClearance}}, // A17.1: his SECRET clearance turns ten in three months
			{"luc", []string{ninaFlagged, holderClearance, "renewal:tom"}}, // A17.1: the ministry's security officer answers for tom, and opens his renewal case (issue 20)
			{"helene", []string{ninaFlagged, holderClearance}},             // A20.1: the NSA keeps the register of everyone's
			{"anne", nil}, // A23.1: the SRE's security officer does not answer for the ministry's staff
			{"jo", []string{"clearance:jo!", "vetting_questionnaire:jo"}}, // A17.1: expired a year ago; A25.1: his renewal case (issue 20)
			{"sophie_zone", nil}, // nothing falls due
			{"minister", nil},    // A14.1: no clearance to renew; his piece's review is two years off
			{"lea", nil}, {"max", nil}, {"nina", nil},
		} {
			got, _ := e.agenda(t, e.as(tc.key))
			wantAgenda(t, got, tc.want...)
		}
	})

	t.Run("A3.2 the item names the article and the review date", func(t *testing.T) {
		_, ag := e.agenda(t, e.as("paul"))
		if len(ag.Items) != 1 {
			t.Fatalf("%d items", len(ag.Items))
		}
		it := ag.Items[0]
		if it.Article != "A3.2" || !it.Due.Equal(w.Confidential.ReviewOn) || it.Overdue || it.Piece.Marking() != "CONFIDENTIEL LUX" {
			t.Errorf("item %+v, want A3.2 due %s", it, w.Confidential.ReviewOn)
		}
		_, ag = e.agenda(t, e.as("tom"))
		if it := ag.Items[0]; it.Article != "A17.1" || !it.Due.Equal(policy.ClearanceExpiry(cleared.Secret, it.Clearance.Issued)) {
			t.Errorf("tom's item %+v, want A17.1 due ten years after issue", it)
		}
	})

	t.Run("A5.2 the principal who acts for the delegate sees the review once she may know the piece", func(t *testing.T) {
		e := newEnv(t)
		if _, err := e.svc.Grant(e.ctx, e.as("paul"), registry.NewGrant{PersonID: e.w.Director.ID, Piece: e.w.Confidential.ID,
			Until: e.clock.Now().AddDate(0, 2, 0), Reason: "Directrice du service"}); err != nil {
			t.Fatal(err)
		}
		got, _ := e.agenda(t, e.as("director"))
		wantAgenda(t, got, review)
	})

	t.Run("A9.1 need-to-know that ends within 14 days, with the clearance that expires later", func(t *testing.T) {
		e := newEnv(t)
		if _, err := e.svc.Grant(e.ctx, e.as("paul"), registry.NewGrant{PersonID: e.w.Tom.ID, Piece: e.w.Confidential.ID,
			Until: e.clock.Now().AddDate(0, 0, 10), Reason: "Lecture du cahier des charges"}); err != nil {
			t.Fatal(err)
		}
		got, ag := e.agenda(t, e.as("tom"))
		wantAgenda(t, got, "grant:Cahier des charges du système de chiffrement", ownClearance)
		if it := ag.Items[0]; it.Article != "A9.1" || !it.Due.Equal(e.clock.Now().AddDate(0, 0, 10).UTC().Truncate(time.Microsecond)) {
			t.Errorf("grant item %+v", it)
		}
		// A grant on the dossier ending soon is listed with the dossier.
		if _, err := e.svc.Grant(e.ctx, e.as("paul"), registry.NewGrant{PersonID: e.w.Tom.ID, Dossier: e.w.Dossier.ID,
			Until: e.clock.Now().AddDate(0, 0, 5), Reason: "Lecture du dossier"}); err != nil {
			t.Fatal(err)
		}
		got, _ = e.agenda(t, e.as("tom"))
		wantAgenda(t, got, "grant:Dossier BRUME", "grant:Cahier des charges du système de chiffrement", ownClearance)
	})

	t.Run("A3.2 after the review date the classifier keeps need-to-know: the overdue review stays listed", func(t *testing.T) {
		e := newEnv(t)
		e.clock.Add(22 * 24 * time.Hour)
		got, _ := e.agenda(t, e.as("paul"))
		wantAgenda(t, got, review+"!")
	})
	t.Run("A9.1 a year past the review date the classifier's own need-to-know has ended: the piece is hidden", func(t *testing.T) {
		e := newEnv(t)
		e.clock.Add(22*24*time.Hour + 366*24*time.Hour)
		_, ag := e.agenda(t, e.as("paul"))
		for _, it := range ag.Items {
			if it.Piece != nil {
				t.Errorf("a piece Paul may no longer know is on his agenda: %+v", it)
			}
		}
	})

	t.Run("A3.2 an overdue review is listed, overdue, while the classifier keeps need-to-know", func(t *testing.T) {
		e := newEnv(t)
		if _, err := e.svc.Grant(e.ctx, e.as("paul"), registry.NewGrant{PersonID: e.w.Paul.ID, Piece: e.w.Confidential.ID,
			Until: e.clock.Now().AddDate(0, 3, 0), Reason: "Réexamen de la classification"}); err != nil {
			t.Fatal(err)
		}
		e.clock.Add(22 * 24 * time.Hour)
		got, _ := e.agenda(t, e.as("paul"))
		wantAgenda(t, got, review+"!")
	})

	t.Run("AUTH.TOKEN and AUTH.SESSION the account's own", func(t *testing.T) {
		e := newEnv(t)
		if _, _, err := e.Auth.CreateOwnToken(e.ctx, e.as("sophie_zone"), auth.OwnToken{Label: "script de la semaine",
			TTL: 10 * 24 * time.Hour, Scopes: []cleared.Scope{cleared.ScopeRead}}); err != nil {
			t.Fatal(err)
		}
		e.SignIn(t, "sophie", e.w.OfficeTerm.ID)
		e.clock.Add(31 * time.Second)
		e.SignIn(t, "sophie", e.w.ZoneTerm.ID)
		got, _ := e.agenda(t, e.as("sophie_zone"))
		wantAgenda(t, got, "session:"+string(e.w.OfficeTerm.ID), "token:script de la semaine")
		got, _ = e.agenda(t, e.as("sophie_office"))
		wantAgenda(t, got, "session:"+string(e.w.ZoneTerm.ID), "token:script de la semaine")
	})

	t.Run("AUTH.LOCKOUT an administrator sees the accounts locked out; no one else does", func(t *testing.T) {
		e := newEnv(t)
		for range account.FreeAttempts {
			if _, err := e.Auth.Login(e.ctx, auth.LoginInput{Login: "max", Password: "wrong password!"}); !errors.Is(err, cleared.ErrUnauthenticated) {
				t.Fatal(err)
			}
		}
		ada := cleared.Actor{Person: e.w.Ada.ID}
		got, ag := e.agenda(t, ada)
		wantAgenda(t, got, "locked_account:max")
		if it := ag.Items[0]; it.Article != "AUTH.LOCKOUT" || !it.Due.After(e.clock.Now()) {
			t.Errorf("lock item %+v", it)
		}
		got, _ = e.agenda(t, e.as("helene"))
		wantAgenda(t, got, "uncleared:nina!", holderClearance)
	})

	t.Run("A17.1 a renewed clearance leaves the agendas", func(t *testing.T) {
		e := newEnv(t)
		if _, err := e.svc.RecordClearance(e.ctx, e.as("helene"), registry.NewClearance{HolderKind: cleared.HolderPerson,
			PersonID: e.w.Tom.ID, Level: cleared.Secret, Issued: e.clock.Now().AddDate(0, 0, -1), Reference: "ANS-PSC-2026-0999"}); err != nil {
			t.Fatal(err)
		}
		got, _ := e.agenda(t, e.as("tom"))
		wantAgenda(t, got)
		for _, key := range []string{"luc", "helene"} {
			got, _ := e.agenda(t, e.as(key))
			wantAgenda(t, got, "uncleared:nina!") // A14.1: not Tom's clearance
		}
	})

	t.Run("OK one audit entry per reading, with the number of items, not the items", func(t *testing.T) {
		before := e.size(t)
		if _, err := e.svc.Agenda(e.ctx, e.as("paul")); err != nil {
			t.Fatal(err)
		}
		if e.size(t) != before+1 {
			t.Fatalf("reading the agenda appended %d entries, want 1", e.size(t)-before)
		}
		r := e.last(t, 1)[0]
		if r.Entry.Action != "agenda.read" || !r.Entry.Allowed || r.Entry.Actor != w.Paul.ID || r.Entry.Object != string(w.Paul.ID) {
			t.Errorf("entry %+v", r.Entry)
		}
		var payload []byte
		if err := e.st.View(e.ctx, func(tx store.Tx) error {
			p, err := tx.AuditPayload(r.Seq)
			payload = p.Data
			return err
		}); err != nil {
			t.Fatal(err)
		}
		var got map[string]int
		if err := json.Unmarshal(payload, &got); err != nil || len(got) != 1 || got["items"] != 1 {
			t.Errorf("payload %s, want {\"items\":1}", payload)
		}
	})

	t.Run("ErrUnauthenticated an unknown person", func(t *testing.T) {
		_, err := e.svc.Agenda(e.ctx, cleared.Actor{Person: cleared.NewPersonID()})
		if !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Errorf("agenda of nobody: %v", err)
		}
	})
}
