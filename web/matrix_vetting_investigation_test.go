package web_test

import (
	"net/http"
	"testing"

	"github.com/cleared/cleared"
)

// The investigation and the person's file (issue 20 §4, §10; A23.1, A24.1, A15.2, A21.1, A25.3, A28.1): the demo's
// case of Eva Lenz is under investigation with Hélène alone on it. Hélène reads it and adds to it; the report is
// refused while the checklist of SECRET is incomplete (A21.1) and the investigation is opened once (A15.2). Nobody
// else may know there is an investigation, Anne included, who sees the case's stage (A23.1). Jo's case, at the
// questionnaire, is no NSA officer's to read unless on it (403 A23.1 for Hélène); its file opens to Jo only after
// a refusal or withdrawal and his request (403 A28.1), and to nobody else (404). Eva has no account: her file is
// no one's to read.
const mxVettingInvestigationGrid = `
account        eva-inv  eva-open  eva-item  eva-coop  eva-report  eva-file  jo-inv  jo-file  jo-request
helene         200      A15.2     201       201       A21.1       404       A23.1   404      404
sophie_zone    404      404       404       404       404         404       404     404      404
sophie_office  404      404       404       404       404         404       404     404      404
sophie_kiosk   404      404       404       404       404         404       404     404      404
director       404      404       404       404       404         404       404     404      404
paul           404      404       404       404       404         404       404     404      404
minister       404      404       404       404       404         404       404     404      404
anne           404      404       404       404       404         404       404     404      404
luc            404      404       404       404       404         404       404     404      404
tom            404      404       404       404       404         404       404     404      404
lea            404      404       404       404       404         404       404     404      404
max            404      404       404       404       404         404       404     404      404
nina           404      404       404       404       404         404       404     404      404
premier        404      404       404       404       404         404       404     404      404
claire         404      404       404       404       404         404       404     404      404
bruno          404      404       404       404       404         404       404     404      404
nadia          404      404       404       404       404         404       404     404      404
jo             404      404       404       404       404         404       404     A28.1    A28.1
none           401      401       401       401       401         401       401     401      401
bogus          401      401       401       401       401         401       401     401      401
`

// TestMatrix_VettingInvestigation runs the investigation's grid (A23.1, A24.1, A28.1): a 404 is byte for byte the
// answer for a case that never existed.
func TestMatrix_VettingInvestigation(t *testing.T) {
	e := newEnv(t, nil)
	eva, jo := "/api/vetting-cases/"+string(e.world.EvaCase.ID), "/api/vetting-cases/"+string(e.world.JoCase.ID)
	missing := func() string { return "/api/vetting-cases/" + string(cleared.NewVettingCaseID()) + "/investigation" }
	body := func(v any) func(mxCaller) any { return func(mxCaller) any { return v } }
	routes := map[string]mxRoute{
		"eva-inv": {method: http.MethodGet, path: eva + "/investigation", shown: "/api/vetting-cases/{eva}/investigation", missing: missing},
		"eva-open": {method: http.MethodPost, path: eva + "/investigation", shown: "POST /api/vetting-cases/{eva}/investigation",
			body: body(map[string]any{"officers": []string{}}), missing: missing},
		"eva-item": {method: http.MethodPost, path: eva + "/investigation/items", shown: "/api/vetting-cases/{eva}/investigation/items",
			body: body(map[string]any{"category": "civil_status", "finding": "Adresse confirmée", "source": "commune", "collected": "2026-01-05"}), missing: missing},
		"eva-coop": {method: http.MethodPost, path: eva + "/investigation/cooperation", shown: "/api/vetting-cases/{eva}/investigation/cooperation",
			body: body(map[string]any{"direction": "incoming", "foreign_service": "VSSE (BE)", "subject": "Eva Lenz", "sent": "2026-01-05"}), missing: missing},
		"eva-report": {method: http.MethodPost, path: eva + "/investigation/report", shown: "/api/vetting-cases/{eva}/investigation/report",
			body: body(map[string]any{"conclusion": "Favorable"}), missing: missing},
		"eva-file": {method: http.MethodGet, path: eva + "/file", shown: "/api/vetting-cases/{eva}/file", missing: missing},
		"jo-inv":   {method: http.MethodGet, path: jo + "/investigation", shown: "/api/vetting-cases/{jo}/investigation", missing: missing},
		"jo-file":  {method: http.MethodGet, path: jo + "/file", shown: "/api/vetting-cases/{jo}/file", missing: missing},
		"jo-request": {method: http.MethodPost, path: jo + "/file-requests", shown: "/api/vetting-cases/{jo}/file-requests",
			body: body(map[string]any{"text": "Je demande à voir mon dossier."}), missing: missing},
	}
	g := mxParseGrid(t, e, mxVettingInvestigationGrid)
	for i, col := range g.cols {
		rt, ok := routes[col]
		if !ok {
			t.Fatalf("investigation grid: no route for column %q", col)
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
