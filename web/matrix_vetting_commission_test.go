package web_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/vetting"
	"github.com/cleared/cleared/web"
)

// The commission (issue 20 §5, A27.2, A27.3, A27.4): jo's case, set to reported through the store (the
// investigation's part files the report for real), referred by helene (the NSA), with the opinion of a commission
// of three members created for the test (the demo has none yet). The register is the NSA's and the members'; the
// cases before the commission and the workspace are the members'; helene reads the requests she answers. The
// opinion is read by no demo account: jo, the person, least of all (A27.4). Every write is refused: the members'
// acts to those who see the case without a seat (A27.4), to others 404; a fourth seat to helene (A27.2).
//
// The demo's commission members (claire, bruno, nadia) hold no seat in the demo: the NSA records them (the
// tour); their rows read as any TRES SECRET holder's. With seats, expected:
//
//	claire, bruno, nadia (members, TRES SECRET): 200 in members, cases, workspace, requests and opinion; A27.2 in
//	  seat, opinion-give (the opinion is given) and referral is A27.4 (only the NSA refers); request and hearing
//	  201 while the case is before the commission.
//	premier (decider): members A27.2, cases A27.4, opinion 200, 404 elsewhere on the case (he does not see it),
//	  seat A27.2.
const mxCommissionGrid = `
account        members  cases  workspace  requests  opinion  opinion-give  referral  request  hearing  seat
helene         200      200    A27.4      200       404      A27.4         A27.4     A27.4    A27.4    A27.2
sophie_zone    A27.2    A27.4  404        404       404      404           404       404      404      A27.2
sophie_office  A27.2    A27.4  404        404       404      404           404       404      404      A27.2
sophie_kiosk   A27.2    A27.4  404        404       404      404           404       404      404      A27.2
director       A27.2    A27.4  404        404       404      404           404       404      404      A27.2
paul           A27.2    A27.4  404        404       404      404           404       404      404      A27.2
minister       A27.2    A27.4  404        404       404      404           404       404      404      A27.2
anne           A27.2    A27.4  A27.4      A27.4     404      A27.4         A27.4     A27.4    A27.4    A27.2
luc            A27.2    A27.4  404        404       404      404           404       404      404      A27.2
tom            A27.2    A27.4  404        404       404      404           404       404      404      A27.2
lea            A27.2    A27.4  404        404       404      404           404       404      404      A27.2
max            A27.2    A27.4  404        404       404      404           404       404      404      A27.2
nina           A27.2    A27.4  404        404       404      404           404       404      404      A27.2
premier        A27.2    A27.4  404        404       200      404           404       404      404      A27.2
claire         A27.2    A27.4  404        404       404      404           404       404      404      A27.2
bruno          A27.2    A27.4  404        404       404      404           404       404      404      A27.2
nadia          A27.2    A27.4  404        404       404      404           404       404      404      A27.2
jo             A27.2    A27.4  A27.4      A27.4     404      A27.4         A27.4     A27.4    A27.4    A27.2
none           401      401    401        401       401      401           401       401      401      401
bogus          401      401    401        401       401      401           401       401      401      401
`

// commissionEnv is newEnv keeping the services and store, with a commission of three members holding TRES
// SECRET (created here, not demo accounts) and jo's case referred to it. opinion says whether the commission gave
// its opinion.
type commissionEnv struct {
	*env
	te      *testenv.Env
	members [3]cleared.Person
}

func newCommissionEnv(t *testing.T, opinion bool) *commissionEnv {
	t.Helper()
	logs := &lockedBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	met := web.NewMetrics()
	te := testenv.New(t, testenv.Options{Log: log, Observe: met.Decision, Now: time.Now})
	srv := httptest.NewServer(web.New(web.Config{Registry: te.Reg, Auth: te.Auth, Vetting: te.Vet, Ready: te.Store.Ping, Log: log, Metrics: met}))
	t.Cleanup(srv.Close)
	e := &commissionEnv{env: &env{t: t, srv: srv, svc: te.Reg, auth: te.Auth, world: te.World, now: time.Now().UTC(), logs: logs, vkey: te.VKey}, te: te}
	w, ctx := te.World, t.Context()
	nsa := cleared.Actor{Person: w.Helene.ID}
	now := time.Now().UTC()
	for i, d := range cleared.Designators {
		p, err := te.Reg.RegisterPerson(ctx, nsa, registry.NewPerson{OrganisationID: w.SRE.ID, Name: "Membre " + d})
		if err != nil {
			t.Fatal(err)
		}
		issued := now.AddDate(-1, 0, 0)
		c := cleared.Clearance{ID: cleared.NewClearanceID(), HolderKind: cleared.HolderPerson, PersonID: p.ID, Level: cleared.TopSecret,
			Issued: issued, Expires: policy.ClearanceExpiry(cleared.TopSecret, issued), Status: cleared.ClearanceActive,
			Reference: "ANS-TEST-" + d, RecordedBy: w.Helene.ID, Recorded: issued}
		if err := te.Store.Update(ctx, func(tx store.Tx) error { return tx.CreateClearance(c) }); err != nil {
			t.Fatal(err)
		}
		if _, err := te.Vet.RecordSeat(ctx, nsa, vetting.NewSeat{Person: p.ID, Designator: d, From: now.AddDate(0, -1, 0),
			Until: now.AddDate(3, 0, 0), Reference: "Arrêté " + d}); err != nil {
			t.Fatal(err)
		}
		e.members[i] = p
	}
	e.setStage(t, w.JoCase.ID, cleared.StageReported)
	if _, err := te.Vet.Refer(ctx, nsa, w.JoCase.ID); err != nil {
		t.Fatal(err)
	}
	if opinion {
		in := vetting.NewOpinion{Advice: cleared.AdviceRefuse, Reasons: commissionSecret, Members: []cleared.PersonID{e.members[0].ID}}
		if _, err := te.Vet.GiveOpinion(ctx, cleared.Actor{Person: e.members[0].ID}, w.JoCase.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// commissionSecret is the opinion's reasons, which no page or route of the person shows (A27.4).
const commissionSecret = "Motif confidentiel de la commission 4471"

// setStage sets the stage of case id through the store, as the other parts of the procedure would.
func (e *commissionEnv) setStage(t *testing.T, id cleared.VettingCaseID, s cleared.CaseStage) {
	t.Helper()
	err := e.te.Store.Update(t.Context(), func(tx store.Tx) error {
		c, err := tx.VettingCase(id)
		if err != nil {
			return err
		}
		c.Stage, c.Updated = s, time.Now().UTC()
		return tx.UpdateVettingCase(c)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestMatrix_VettingCommission runs the commission's grid (A27.2, A27.3, A27.4): a 404 is byte for byte the answer
// for a case that never existed.
func TestMatrix_VettingCommission(t *testing.T) {
	e := newCommissionEnv(t, true)
	jo := "/api/vetting-cases/" + string(e.world.JoCase.ID)
	shown := "/api/vetting-cases/{jo}"
	missing := func(tail string) func() string {
		return func() string { return "/api/vetting-cases/" + string(cleared.NewVettingCaseID()) + tail }
	}
	body := func(v any) func(mxCaller) any { return func(mxCaller) any { return v } }
	routes := map[string]mxRoute{
		"members":   {method: http.MethodGet, path: "/api/commission/members"},
		"cases":     {method: http.MethodGet, path: "/api/commission/cases"},
		"workspace": {method: http.MethodGet, path: jo + "/commission", shown: shown + "/commission", missing: missing("/commission")},
		"requests": {method: http.MethodGet, path: jo + "/commission/requests", shown: shown + "/commission/requests",
			missing: missing("/commission/requests")},
		"opinion": {method: http.MethodGet, path: jo + "/commission/opinion", shown: shown + "/commission/opinion",
			missing: missing("/commission/opinion")},
		"opinion-give": {method: http.MethodPost, path: jo + "/commission/opinion", shown: shown + "/commission/opinion",
			missing: missing("/commission/opinion"),
			body:    body(map[string]any{"advice": "grant", "reasons": "Rien à signaler.", "members": []string{string(e.world.Helene.ID)}})},
		"referral": {method: http.MethodPost, path: jo + "/referral", shown: shown + "/referral", missing: missing(""),
			body: body(map[string]any{})},
		"request": {method: http.MethodPost, path: jo + "/commission/requests", shown: shown + "/commission/requests",
			missing: missing("/commission/requests"), body: body(map[string]any{"kind": "file"})},
		"hearing": {method: http.MethodPost, path: jo + "/commission/hearings", shown: shown + "/commission/hearings",
			missing: missing("/commission"),
			body:    body(map[string]any{"heard": "person", "held": time.Now().UTC().Add(-time.Hour), "summary": "Entendu."})},
		"seat": {method: http.MethodPost, path: "/api/commission/members", list: "/api/commission/members",
			body: body(map[string]any{"person": string(e.world.Anne.ID), "designator": "justice",
				"until": time.Now().UTC().AddDate(1, 0, 0), "reference": "Arrêté 4"})},
	}
	g := mxParseGrid(t, e.env, mxCommissionGrid)
	for i, col := range g.cols {
		rt, ok := routes[col]
		if !ok {
			t.Fatalf("commission grid: no route for column %q", col)
		}
		t.Run("route="+col, func(t *testing.T) {
			for _, row := range g.rows {
				c := mxAs(e.env, row.caller)
				t.Run("account="+c.key, func(t *testing.T) {
					mxRegisterCell(t, e.env, c, rt, row.want[i])
				})
			}
		})
	}
}
