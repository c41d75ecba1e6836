package web_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/vetting"
	"github.com/cleared/cleared/web"
)

// decEnv is an API over the demo world whose store and services the test also reaches: the stages before a
// decision are other helpers' (investigation, commission), set here through the store.
type decEnv struct {
	*env
	te   *testenv.Env
	nsa  cleared.Actor
	pm   cleared.Actor // the deciding authority, created here: the demo's premier comes with the lead's merge
	memb cleared.PersonID
}

func newDecEnv(t *testing.T, st store.Store) *decEnv {
	t.Helper()
	logs := &lockedBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	te := testenv.New(t, testenv.Options{Store: st, Log: log})
	srv := httptest.NewServer(web.New(web.Config{Registry: te.Reg, Auth: te.Auth, Vetting: te.Vet, Ready: te.Store.Ping, Log: log}))
	t.Cleanup(srv.Close)
	e := &env{t: t, srv: srv, svc: te.Reg, auth: te.Auth, world: te.World, now: te.Clock.Now().UTC(), logs: logs, vkey: te.VKey}
	w := te.World
	nsa := cleared.Actor{Person: w.Helene.ID}
	pm, err := te.Reg.RegisterPerson(te.Ctx, nsa, registry.NewPerson{OrganisationID: w.NSA.ID, Name: "Premier Ministre",
		GovernmentMember: true, Roles: []cleared.Role{cleared.RoleDecider}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := te.Reg.RegisterPerson(te.Ctx, nsa, registry.NewPerson{OrganisationID: w.NSA.ID, Name: "Claire Commission"})
	if err != nil {
		t.Fatal(err)
	}
	return &decEnv{env: e, te: te, nsa: nsa, pm: cleared.Actor{Person: pm.ID}, memb: m.ID}
}

// caseAt opens, as officer, a case of kind for person p on a new post of org at level, and moves it through the
// store to stage; with an opinion of advice if advice is set.
func (d *decEnv) caseAt(t *testing.T, officer cleared.Actor, org cleared.OrganisationID, p cleared.PersonID, kind cleared.CaseKind,
	stage cleared.CaseStage, advice cleared.Advice) cleared.VettingCase {
	t.Helper()
	te := d.te
	post, err := te.Vet.RecordPost(te.Ctx, officer, vetting.NewPost{OrganisationID: org, Title: "Poste " + string(kind), Level: cleared.Secret})
	if err != nil {
		t.Fatal(err)
	}
	in := vetting.NewCase{PersonID: p, Post: post.ID, Kind: kind}
	if kind == cleared.KindFollowUp {
		in.Trigger = "informations défavorables reçues"
	}
	c, err := te.Vet.OpenCase(te.Ctx, officer, in)
	if err != nil {
		t.Fatal(err)
	}
	c.Stage, c.Updated = stage, te.Clock.Now().UTC().Truncate(time.Microsecond)
	err = te.Store.Update(te.Ctx, func(tx store.Tx) error {
		if err := tx.UpdateVettingCase(c); err != nil || advice == "" {
			return err
		}
		k, err := tx.VettingCaseKey(c.ID)
		if err != nil {
			return err
		}
		sealed, err := te.Ring.SealRecord(string(c.ID), keyring.DataKey{KEK: k.KEK, Wrapped: k.Wrapped}, "opinion", []byte("avis motivé"))
		if err != nil {
			return err
		}
		return tx.AddOpinion(store.Opinion{Case: c.ID, Advice: advice, Members: []cleared.PersonID{d.memb}, By: d.memb,
			Given: c.Updated, Reasons: sealed})
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A27.1: a suspension, then a withdrawal, of tom's SECRET clearance ends his access on the very next request:
// reading the SECRET piece he has need-to-know of, being granted another piece, a piece transmitted to him, and
// his session at the ministry's terminal. Between them, the suspension lifted gives it back. On SQLite and
// PostgreSQL.
func TestAPI_A27_1_withdrawal_and_suspension_end_access_at_once(t *testing.T) {
	run := func(t *testing.T, d *decEnv) {
		w, te := d.world, d.te
		var tomClr cleared.ClearanceID
		if err := te.Store.View(te.Ctx, func(tx store.Tx) error {
			cs, err := tx.PersonClearances(w.Tom.ID)
			if len(cs) != 1 {
				t.Fatalf("tom's clearances %v, %v", cs, err)
			}
			tomClr = cs[0].ID
			return err
		}); err != nil {
			t.Fatal(err)
		}
		secret := "/api/pieces/" + string(w.Secret.ID)
		grant := func(status int) response {
			t.Helper()
			r := d.request("paul", http.MethodPost, "/api/grants", "application/json", map[string]any{"person_id": w.Tom.ID,
				"piece": w.Confidential.ID, "until": te.Clock.Now().Add(24 * time.Hour), "reason": "négociation"})
			wantStatus(t, r, status)
			return r
		}
		send := func(status int) response {
			t.Helper()
			r := d.request("sophie_zone", http.MethodPost, secret+"/transmissions", "application/json",
				map[string]any{"to_person": w.Tom.ID, "channel": w.SecretChannel.ID})
			wantStatus(t, r, status)
			return r
		}
		session := te.SignIn(t, "tom", w.MinistryTerm.ID)
		sessionOpen := func() error {
			_, _, err := te.Auth.SessionActor(te.Ctx, session, w.MinistryTerm.ID)
			return err
		}
		// Before: tom reads the piece (twice: the second from what the services keep in memory), is sent it, and his
		// session is open.
		wantStatus(t, d.request("tom", http.MethodGet, secret, "", nil), http.StatusOK)
		wantStatus(t, d.request("tom", http.MethodGet, secret, "", nil), http.StatusOK)
		send(http.StatusCreated)
		grant(http.StatusCreated)
		if err := sessionOpen(); err != nil {
			t.Fatalf("tom's session before: %v", err)
		}
		refused := func(when string) {
			t.Helper()
			if r := d.request("tom", http.MethodGet, secret, "", nil); r.status == http.StatusOK {
				t.Errorf("%s: tom still reads the SECRET piece", when)
			}
			// A9.1 is the rule of need-to-know, given only to a holder of a valid clearance (A27.1 makes it invalid).
			for what, r := range map[string]response{"granted a piece": grant(http.StatusForbidden), "sent a piece": send(http.StatusForbidden)} {
				if p := wantProblem(t, r, http.StatusForbidden, "A9.1"); !strings.Contains(p.Detail, "valid") {
					t.Errorf("%s: tom %s is refused for another reason: %s", when, what, p.Detail)
				}
			}
			if err := sessionOpen(); err == nil {
				t.Errorf("%s: tom's session at the terminal is still open", when)
			}
		}

		r := d.request("helene", http.MethodPost, "/api/clearances/"+string(tomClr)+"/suspension", "application/json",
			map[string]any{"reasons": "enquête de suivi ouverte"})
		wantStatus(t, r, http.StatusCreated)
		refused("suspended")

		_, err := te.Vet.LiftSuspension(te.Ctx, d.pm, tomClr, vetting.NewSuspension{Reasons: "enquête sans suite"})
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, d.request("tom", http.MethodGet, secret, "", nil), http.StatusOK)
		te.Clock.Add(time.Minute) // a new TOTP code
		session = te.SignIn(t, "tom", w.MinistryTerm.ID)
		if err := sessionOpen(); err != nil {
			t.Fatalf("tom's new session after the lift: %v", err)
		}

		luc := cleared.Actor{Person: w.Luc.ID}
		c := d.caseAt(t, luc, w.Ministry.ID, w.Tom.ID, cleared.KindFollowUp, cleared.StageCommission, cleared.AdviceWithdraw)
		if _, err := te.Vet.Decide(te.Ctx, d.pm, c.ID, vetting.NewDecision{Outcome: cleared.OutcomeWithdraw, Reasons: "Dettes importantes."}); err != nil {
			t.Fatal(err)
		}
		refused("withdrawn")

		// He can no longer grant either: paul, who classified the CONFIDENTIEL piece and granted it to tom above,
		// grants it to lea (200 before); his clearance suspended, the very next grant is refused.
		paulGrants := func() response {
			return d.request("paul", http.MethodPost, "/api/grants", "application/json", map[string]any{"person_id": w.Lea.ID,
				"piece": w.Confidential.ID, "until": te.Clock.Now().Add(48 * time.Hour), "reason": "relecture"})
		}
		wantStatus(t, paulGrants(), http.StatusCreated)
		var paulClr cleared.ClearanceID
		if err := te.Store.View(te.Ctx, func(tx store.Tx) error {
			cs, err := tx.PersonClearances(w.Paul.ID)
			for _, c := range cs {
				if c.Status == cleared.ClearanceActive {
					paulClr = c.ID
				}
			}
			return err
		}); err != nil || paulClr == "" {
			t.Fatalf("paul's clearance: %v", err)
		}
		wantStatus(t, d.request("helene", http.MethodPost, "/api/clearances/"+string(paulClr)+"/suspension", "application/json",
			map[string]any{"reasons": "enquête de suivi ouverte"}), http.StatusCreated)
		// The registry names A17.1 for any clearance no longer valid (its sentence says "expired or withdrawn").
		if p := wantProblem(t, paulGrants(), http.StatusForbidden, "A17.1"); !strings.Contains(p.Detail, "clearance") {
			t.Errorf("suspended: paul's grant is refused for another reason: %s", p.Detail)
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, newDecEnv(t, nil)) })
	t.Run("postgres", func(t *testing.T) {
		st, _ := testenv.Postgres(t, "cleared_web_decisions_")
		run(t, newDecEnv(t, st))
	})
}
