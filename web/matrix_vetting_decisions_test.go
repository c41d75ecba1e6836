package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/vetting"
)

// Decisions (issue 20 §6, A27.1, A27.2, A29.1). Three persons of the SRE, whose security officer is anne: eva's
// case has its investigation report filed (reported); paul w.'s case was refused on the commission's opinion, not
// yet notified; marc holds a SECRET clearance from the paper register. Only the deciding authority decides and
// lists the cases waiting: the NSA (helene) and anne, who know eva's case, are refused (A27.1), everyone else is
// told it does not exist. The decision is read by the NSA and anne (the outcome, to notify it), notified by anne
// only (helene: A27.1); its appeal recorded by the NSA only (anne: A29.1). A clearance is suspended by the NSA
// (anne, who knows marc's, A27.1). Everyone lists the decisions he has to notify (empty but for anne's).
//
// The row of `premier`, the deciding authority (Prime Minister's office), reads (his
// decision is the grant of eva's clearance; marc's clearance is suspended by helene's row before his):
//
//	premier        201     200      200        200       A27.1   A29.1   A27.1
const mxDecisionGrid = `
account        decide  pending  to-notify  decision  notify  appeal  suspend
helene         A27.1   A27.1    200        200       A27.1   201     201
sophie_zone    404     A27.1    200        404       404     404     404
sophie_office  404     A27.1    200        404       404     404     404
sophie_kiosk   404     A27.1    200        404       404     404     404
director       404     A27.1    200        404       404     404     404
paul           404     A27.1    200        404       404     404     404
minister       404     A27.1    200        404       404     404     404
anne           A27.1   A27.1    200        200       200     A29.1   A27.1
luc            404     A27.1    200        404       404     404     404
tom            404     A27.1    200        404       404     404     404
lea            404     A27.1    200        404       404     404     404
max            404     A27.1    200        404       404     404     404
nina           404     A27.1    200        404       404     404     404
premier        201     200      200        200       A27.1   A29.1   A27.1
claire         404     A27.1    200        404       404     404     404
bruno          404     A27.1    200        404       404     404     404
nadia          404     A27.1    200        404       404     404     404
jo             404     A27.1    200        404       404     404     404
none           401     401      401        401       401     401     401
bogus          401     401      401        401       401     401     401
`

// TestMatrix_VettingDecisions runs the decisions' grid (A27.1, A27.2, A29.1): a 404 is byte for byte the answer,
// with the same audit, as for a case or clearance that never existed; a 403 names its rule and is audited.
func TestMatrix_VettingDecisions(t *testing.T) {
	d := newDecEnv(t, nil)
	te, w := d.te, d.world
	anne := cleared.Actor{Person: w.Anne.ID}
	person := func(name string) cleared.PersonID {
		p, err := te.Reg.RegisterPerson(te.Ctx, d.nsa, registry.NewPerson{OrganisationID: w.SRE.ID, Name: name})
		if err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	reported := d.caseAt(t, anne, w.SRE.ID, person("Eva Lenz"), cleared.KindInitial, cleared.StageReported, "")
	refused := d.caseAt(t, anne, w.SRE.ID, person("Paul Weis"), cleared.KindInitial, cleared.StageCommission, cleared.AdviceRefuse)
	if _, err := te.Vet.Decide(te.Ctx, d.pm, refused.ID, vetting.NewDecision{Outcome: cleared.OutcomeRefuse, Reasons: "Vulnérabilité."}); err != nil {
		t.Fatal(err)
	}
	marc := person("Marc Roth")
	clr, err := te.Reg.RecordClearance(te.Ctx, d.nsa, registry.NewClearance{HolderKind: cleared.HolderPerson, PersonID: marc,
		Level: cleared.Secret, Issued: te.Clock.Now().AddDate(-1, 0, 0), Reference: "ANS-PSC-MARC"})
	if err != nil {
		t.Fatal(err)
	}
	type route struct {
		method, path string
		body         any
		missing      string // the same request on an ID that never existed; empty for a list
	}
	vc := func(id cleared.VettingCaseID, tail string) string { return "/api/vetting-cases/" + string(id) + tail }
	none := cleared.NewVettingCaseID()
	appeal := map[string]any{"lodged": te.Clock.Now(), "court": "Tribunal administratif", "reference": "TA 1"}
	routes := map[string]route{
		"decide":    {http.MethodPost, vc(reported.ID, "/decision"), map[string]any{"outcome": "grant", "reasons": "Rien de défavorable."}, vc(none, "/decision")},
		"pending":   {http.MethodGet, "/api/vetting-decisions/pending", nil, ""},
		"to-notify": {http.MethodGet, "/api/vetting-decisions/to-notify", nil, ""},
		"decision":  {http.MethodGet, vc(refused.ID, "/decision"), nil, vc(none, "/decision")},
		"notify":    {http.MethodPost, vc(refused.ID, "/decision/notification"), map[string]any{}, vc(none, "/decision/notification")},
		"appeal":    {http.MethodPost, vc(refused.ID, "/appeals"), appeal, vc(none, "/appeals")},
		"suspend": {http.MethodPost, "/api/clearances/" + string(clr.ID) + "/suspension", map[string]any{"reasons": "enquête de suivi"},
			"/api/clearances/" + string(cleared.NewClearanceID()) + "/suspension"},
	}
	g := mxParseGrid(t, d.env, mxDecisionGrid)
	for i, col := range g.cols {
		rt, ok := routes[col]
		if !ok {
			t.Fatalf("decisions grid: no route for column %q", col)
		}
		t.Run("route="+col, func(t *testing.T) {
			for _, row := range g.rows {
				c := mxAs(d.env, row.caller)
				want := row.want[i]
				t.Run("account="+c.key, func(t *testing.T) {
					var missing *mxAnswer
					if want.status == http.StatusNotFound {
						m := c.measure(t, d.env, rt.method, rt.missing, rt.body)
						missing = &m
					}
					got := c.measure(t, d.env, rt.method, rt.path, rt.body)
					shown := strings.NewReplacer(string(reported.ID), "{reported}", string(refused.ID), "{refused}", string(clr.ID), "{marc}").Replace(rt.path)
					mxReport(t, c, rt.method+" "+shown, want, mxMismatch(d.env, c, got, want, missing))
				})
			}
		})
	}
}
