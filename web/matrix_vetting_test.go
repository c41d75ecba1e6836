package web_test

import (
	"net/http"
	"testing"

	"github.com/cleared/cleared"
)

// Vetting cases (issue 20 §2, A25.1, A23.1): the demo's case of jo, opened by anne, the SRE's security officer. Jo
// reads it whole and his signatures; anne (his organisation's security officer) and helene (the NSA) read its
// stage; nobody else may know it exists, luc (another organisation's officer) included, and no one but jo reads the
// signatures, whose documents hold the answers. Everyone signed in lists the cases he may see.
const mxVettingCaseGrid = `
account        jo-case  jo-signatures  cases
helene         200      404            200
sophie_zone    404      404            200
sophie_office  404      404            200
sophie_kiosk   404      404            200
director       404      404            200
paul           404      404            200
minister       404      404            200
anne           200      404            200
luc            404      404            200
tom            404      404            200
lea            404      404            200
max            404      404            200
nina           404      404            200
premier        404      404            200
claire         404      404            200
bruno          404      404            200
nadia          404      404            200
jo             200      200            200
none           401      401            401
bogus          401      401            401
`

// TestMatrix_VettingCases runs the vetting cases' grid (A25.1, A23.1): a 404 is byte for byte the answer for a case
// that never existed.
func TestMatrix_VettingCases(t *testing.T) {
	e := newEnv(t, nil)
	jo := string(e.world.JoCase.ID)
	missing := func() string { return "/api/vetting-cases/" + string(cleared.NewVettingCaseID()) }
	routes := map[string]mxRoute{
		"jo-case": {method: http.MethodGet, path: "/api/vetting-cases/" + jo, shown: "/api/vetting-cases/{jo}", missing: missing},
		"jo-signatures": {method: http.MethodGet, path: "/api/vetting-cases/" + jo + "/signatures",
			shown: "/api/vetting-cases/{jo}/signatures", missing: func() string { return missing() + "/signatures" }},
		"cases": {method: http.MethodGet, path: "/api/vetting-cases"},
	}
	g := mxParseGrid(t, e, mxVettingCaseGrid)
	for i, col := range g.cols {
		rt, ok := routes[col]
		if !ok {
			t.Fatalf("vetting grid: no route for column %q", col)
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
