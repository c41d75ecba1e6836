package web_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/cleared/cleared"
)

// Retention (issue 20 §9, A23.2): the demo's case of jo, closed for non-cooperation when he refuses in the test.
// Only helene, a cleared NSA officer, reads the retention page and records a hold; anne (jo's organisation's
// security officer) and jo himself know the case but are refused by A23.2; nobody else may know it exists.
const mxVettingRetentionGrid = `
account        retention  jo-hold
helene         200        200
sophie_zone    A23.2      404
sophie_office  A23.2      404
sophie_kiosk   A23.2      404
director       A23.2      404
paul           A23.2      404
minister       A23.2      404
anne           A23.2      A23.2
luc            A23.2      404
tom            A23.2      404
lea            A23.2      404
max            A23.2      404
nina           A23.2      404
premier        A23.2      404
claire         A23.2      404
bruno          A23.2      404
nadia          A23.2      404
jo             A23.2      A23.2
none           401        401
bogus          401        401
`

// TestMatrix_VettingRetention runs the retention grid (A23.2): a 404 is byte for byte the answer for a case that
// never existed, and a refusal changes nothing.
func TestMatrix_VettingRetention(t *testing.T) {
	e := newEnv(t, nil)
	jo := string(e.world.JoCase.ID)
	wantStatus(t, mxAs(e, "jo").act(t, e, http.MethodPost, "/api/vetting-cases/"+jo+"/refuse", nil), http.StatusOK)
	missing := func() string { return "/api/vetting-cases/" + string(cleared.NewVettingCaseID()) + "/retention-hold" }
	review := time.Now().AddDate(1, 0, 0).UTC().Format(time.RFC3339)
	routes := map[string]mxRoute{
		"retention": {method: http.MethodGet, path: "/api/vetting-retention"},
		"jo-hold": {method: http.MethodPost, path: "/api/vetting-cases/" + jo + "/retention-hold", shown: "/api/vetting-cases/{jo}/retention-hold",
			body: func(mxCaller) any {
				return map[string]string{"reason": "enquête pénale connexe en cours", "review": review}
			}, list: "/api/vetting-retention", missing: missing},
	}
	g := mxParseGrid(t, e, mxVettingRetentionGrid)
	for i, col := range g.cols {
		rt, ok := routes[col]
		if !ok {
			t.Fatalf("retention grid: no route for column %q", col)
		}
		t.Run("route="+col, func(t *testing.T) {
			for _, row := range g.rows {
				c := mxAs(e, row.caller)
				t.Run("account="+c.key, func(t *testing.T) {
					want := row.want[i]
					if rt.method != http.MethodPost || want.status != http.StatusNotFound {
						mxRegisterCell(t, e, c, rt, want)
						return
					}
					// A POST's hidden case is compared with a POST on a case that never existed (the shared cell reads
					// its reference with GET).
					missed := c.measure(t, e, http.MethodPost, rt.missing(), rt.body(c))
					got := c.measure(t, e, rt.method, rt.path, rt.body(c))
					mxReport(t, c, rt.method+" "+rt.shown, want, mxMismatch(e, c, got, want, &missed))
				})
			}
		})
	}
}
