package web_test

import (
	"net/http"
	"testing"

	"github.com/cleared/cleared"
)

// Briefings and changes of circumstances (issue 20 §7, A18.1, A23.1) on the demo: Marie Kayser's clearance awaits
// its briefing, Marc Weis's re-briefing is overdue and he reported a journey abroad, which helene took up; both are
// of the Direction de la Défense, whose security officer has no demo account. Their briefings and Weis's report are
// read by helene (the NSA), and no demo account of another organisation may know they exist, anne and luc
// included; no one but Kayser signs her declaration, so helene is refused with A18.1, and the report, taken up
// already, is not taken up again (A18.1). Every holder of a clearance in force reports a change of his
// circumstances; the minister, nina and jo, who hold none in force, are refused with A18.1. Everyone signed in
// lists the reports he may see.
const mxBriefingGrid = `
account        kayser-briefings  weis-briefings  kayser-declaration  weis-report  take-up  circumstances  report
helene         200               200             A18.1               200          A18.1    200            201
sophie_zone    404               404             404                 404          404      200            201
sophie_office  404               404             404                 404          404      200            201
sophie_kiosk   404               404             404                 404          404      200            201
director       404               404             404                 404          404      200            201
paul           404               404             404                 404          404      200            201
minister       404               404             404                 404          404      200            A18.1
anne           404               404             404                 404          404      200            201
luc            404               404             404                 404          404      200            201
tom            404               404             404                 404          404      200            201
lea            404               404             404                 404          404      200            201
max            404               404             404                 404          404      200            201
nina           404               404             404                 404          404      200            A18.1
premier        404               404             404                 404          404      200            A18.1
claire         404               404             404                 404          404      200            201
bruno          404               404             404                 404          404      200            201
nadia          404               404             404                 404          404      200            201
jo             404               404             404                 404          404      200            A18.1
none           401               401             401                 401          401      401            401
bogus          401               401             401                 401          401      401            401
`

// TestMatrix_Briefings runs the briefings' grid (A18.1, A23.1): a 404 is byte for byte the answer for a clearance
// or a report that never existed.
func TestMatrix_Briefings(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	kayser, weis := "/api/clearances/"+string(w.KayserClearance.ID), "/api/clearances/"+string(w.WeisClearance.ID)
	report := "/api/circumstances/" + string(w.WeisReport.ID)
	missingClearance := func() string { return "/api/clearances/" + string(cleared.NewClearanceID()) + "/briefings" }
	missingReport := func() string { return "/api/circumstances/" + string(cleared.NewCircumstanceID()) }
	routes := map[string]mxRoute{
		"kayser-briefings": {method: http.MethodGet, path: kayser + "/briefings", shown: "/api/clearances/{kayser}/briefings", missing: missingClearance},
		"weis-briefings":   {method: http.MethodGet, path: weis + "/briefings", shown: "/api/clearances/{weis}/briefings", missing: missingClearance},
		"kayser-declaration": {method: http.MethodPost, path: kayser + "/declaration", shown: "/api/clearances/{kayser}/declaration",
			body: func(mxCaller) any { return nil }, missing: missingClearance},
		"weis-report": {method: http.MethodGet, path: report, shown: "/api/circumstances/{weis}", missing: missingReport},
		"take-up": {method: http.MethodPost, path: report + "/take-up", shown: "/api/circumstances/{weis}/take-up",
			body: func(mxCaller) any { return nil }, missing: missingReport},
		"circumstances": {method: http.MethodGet, path: "/api/circumstances"},
		"report": {method: http.MethodPost, path: "/api/circumstances", list: "/api/circumstances",
			body: func(c mxCaller) any {
				return map[string]any{"kind": "travel", "details": "Voyage à Lisbonne, grille " + c.key}
			}},
	}
	g := mxParseGrid(t, e, mxBriefingGrid)
	for i, col := range g.cols {
		rt, ok := routes[col]
		if !ok {
			t.Fatalf("briefing grid: no route for column %q", col)
		}
		t.Run("route="+col, func(t *testing.T) {
			for _, row := range g.rows {
				c := mxAs(e, row.caller)
				t.Run("account="+c.key, func(t *testing.T) {
					mxRegisterCell(t, e, c, rt, row.want[i])
				})
			}
		})
	}
}
