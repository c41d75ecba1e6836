package web_test

import (
	"net/http"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/vetting"
)

// Facility cases (issue 20 §3, A15.1, A21.2): the demo's case of Luxdefence for the ministry's contract, opened by
// luc, the ministry's security officer. Luc and helene (the NSA) read it and its readiness, list organs, record
// means and remove organs; the company has no security officer in the demo, so nobody else may know the case
// exists (404), anne (the SRE's officer) included. A second case for the contract is refused to both (A15.1);
// to the others the contract itself is unknown (404). Everyone signed in lists the cases he may see.
const mxFacilityGrid = `
account        fac-case  fac-ready  fac-list  fac-open  fac-organ  fac-means  fac-remove
helene         200       200        200       A15.1     201        200        200
sophie_zone    404       404        200       404       404        404        404
sophie_office  404       404        200       404       404        404        404
sophie_kiosk   404       404        200       404       404        404        404
director       404       404        200       404       404        404        404
paul           404       404        200       404       404        404        404
minister       404       404        200       404       404        404        404
anne           404       404        200       404       404        404        404
luc            200       200        200       A15.1     201        200        200
tom            404       404        200       404       404        404        404
lea            404       404        200       404       404        404        404
max            404       404        200       404       404        404        404
nina           404       404        200       404       404        404        404
premier        404       404        200       404       404        404        404
claire         404       404        200       404       404        404        404
bruno          404       404        200       404       404        404        404
nadia          404       404        200       404       404        404        404
jo             404       404        200       404       404        404        404
none           401       401        401       401       401        401        401
bogus          401       401        401       401       401        401        401
`

// TestMatrix_VettingFacility runs the facility cases' grid (A15.1, A21.2): a 404 is byte for byte the answer for a
// case that never existed. Each who may remove an organ removes his own (listed by helene before the grid); the
// others try on one of the demo's organs, which stays.
func TestMatrix_VettingFacility(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	fac := "/api/facility-cases/" + string(w.FacilityCase.ID)
	v := decodeAs[vetting.FacilityView](t, mxAs(e, "helene").act(t, e, http.MethodGet, fac, nil))
	if len(v.Organs) != 3 {
		t.Fatalf("the demo's case lists %d organs, want 3", len(v.Organs))
	}
	lea, maxClearance := v.Organs[0], v.Organs[2].Clearance
	own := map[string]cleared.FacilityOrganID{}
	for key, role := range map[string]cleared.OrganRole{"helene": cleared.OrganAuditor, "luc": cleared.OrganManager} {
		r := mxAs(e, "helene").act(t, e, http.MethodPost, fac+"/organs",
			vetting.NewOrgan{PersonID: w.Lea.ID, Role: role, Clearance: lea.Clearance})
		wantStatus(t, r, http.StatusCreated)
		own[key] = decodeAs[vetting.OrganView](t, r).ID
	}
	missing := func() string { return "/api/facility-cases/" + string(cleared.NewVettingCaseID()) }
	means := vetting.NewMeans{Places: []cleared.MeansPlace{{Description: "Salle B", Level: cleared.Confidential}},
		Storage: []cleared.MeansStorage{{Kind: cleared.StorageSafe, Description: "Coffre", Level: cleared.Confidential}}}
	routes := map[string]mxRoute{
		"fac-case": {method: http.MethodGet, path: fac, shown: "/api/facility-cases/{fac}", missing: missing},
		"fac-ready": {method: http.MethodGet, path: "/api/vetting-cases/" + string(w.FacilityCase.ID) + "/facility",
			shown: "/api/vetting-cases/{fac}/facility", missing: func() string { return "/api/vetting-cases/" + string(cleared.NewVettingCaseID()) + "/facility" }},
		"fac-list": {method: http.MethodGet, path: "/api/facility-cases"},
		"fac-open": {method: http.MethodPost, path: "/api/facility-cases", list: "/api/facility-cases", missing: missing,
			body: func(mxCaller) any { return vetting.NewFacilityCase{Contract: w.Contract.ID} }},
		"fac-organ": {method: http.MethodPost, path: fac + "/organs", shown: "/api/facility-cases/{fac}/organs", missing: missing,
			body: func(c mxCaller) any {
				role := cleared.OrganDirector
				if c.key == "luc" {
					role = cleared.OrganAuditor
				}
				return vetting.NewOrgan{PersonID: w.Max.ID, Role: role, Clearance: maxClearance}
			}},
		"fac-means": {method: http.MethodPut, path: fac + "/means", shown: "/api/facility-cases/{fac}/means", missing: missing,
			body: func(mxCaller) any { return means }},
	}
	g := mxParseGrid(t, e, mxFacilityGrid)
	for i, col := range g.cols {
		t.Run("route="+col, func(t *testing.T) {
			for _, row := range g.rows {
				c := mxAs(e, row.caller)
				rt, ok := routes[col]
				if col == "fac-remove" {
					organ, mine := own[c.key]
					if !mine {
						organ = lea.ID
					}
					rt, ok = mxRoute{method: http.MethodDelete, path: fac + "/organs/" + string(organ), shown: "/api/facility-cases/{fac}/organs/{organ}",
						missing: missing, body: func(mxCaller) any { return nil }}, true
				}
				if !ok {
					t.Fatalf("facility grid: no route for column %q", col)
				}
				t.Run("account="+c.key, func(t *testing.T) {
					mxRegisterCell(t, e, c, rt, row.want[i])
				})
			}
		})
	}
}

// The facility cases' pages (A15.1, A21.2), as TestMatrixUI_Reads runs its grids: everyone signed in lists the
// cases he may see; the case's page and its forms are for the NSA and luc, the contracting organisation's officer,
// and 404 for everyone else, byte for byte a case that never existed. (The form to open a case is offered as the
// forms of contracts are, to the security officers in office and the NSA, by vetting.Forms, which audits nothing:
// it is left out of the grid, like the contracts' form.)
const mxuFacilityGrid = `
account            fac-list  fac-case  fac-organ  fac-means
helene@zone        200       200       200        200
sophie@zone        200       404       404        404
sophie@office      200       404       404        404
sophie@conf        200       404       404        404
sophie@kiosk       200       404       404        404
sophie@none        200       404       404        404
director@zone      200       404       404        404
director@office    200       404       404        404
director@conf      200       404       404        404
director@kiosk     200       404       404        404
paul@office        200       404       404        404
minister@ministry  200       404       404        404
anne@zone          200       404       404        404
luc@ministry       200       200       200        200
tom@ministry       200       404       404        404
lea@office         200       404       404        404
max@office         200       404       404        404
nina@office        200       404       404        404
premier@ministry   200       404       404        404
claire@office      200       404       404        404
bruno@ministry     200       404       404        404
nadia@ministry     200       404       404        404
jo@zone            200       404       404        404
ada@none           200       404       404        404
pending            login     login     login      login
none               login     login     login      login
bogus              login     login     login      login
`

func TestMatrixUI_VettingFacility(t *testing.T) {
	e := newMxuEnv(t)
	fac := "/ui/facility-cases/" + string(e.world.FacilityCase.ID)
	page := func(suffix string) mxuReq {
		return mxuReq{method: http.MethodGet, path: fac + suffix, shown: "/ui/facility-cases/{fac}" + suffix,
			missing: &mxuReq{method: http.MethodGet, path: "/ui/facility-cases/" + string(cleared.NewVettingCaseID()) + suffix}}
	}
	e.pageGrid(t, mxuFacilityGrid, map[string]mxuReq{
		"fac-list":  mxuGet("/ui/facility-cases"),
		"fac-case":  page(""),
		"fac-organ": page("/organs/new"),
		"fac-means": page("/means"),
	})
}
