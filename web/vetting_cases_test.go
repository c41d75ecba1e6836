package web_test

import (
	"strings"
	"testing"

	"github.com/cleared/cleared"
)

// The intake's API end to end, each answer checked against openapi.json: the security officer opens a case for his
// staff (A25.1) and sees its stage, never the answers; a stranger gets 404; the person saves sections (a section
// outside the law's categories or with an unknown field: 400, A21.1), signs the questionnaire and the consent
// (A25.1, A25.2); a refusal closes a case for non-cooperation (A26.1).
func TestVettingCasesAPI(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	doc := loadOpenAPI(t)
	ops := oaOperations(t, doc)
	call := func(key, method, route, path string, body any, status int) response {
		t.Helper()
		var r response
		if body == nil {
			r = e.request(key, method, path, "", nil)
		} else {
			r = e.request(key, method, path, "application/json", body)
		}
		wantStatus(t, r, status)
		op, ok := ops[method+" "+route]
		if !ok {
			t.Fatalf("%s %s is not in openapi.json", method, route)
		}
		oaCheckAnswer(t, doc, op, r)
		return r
	}
	type caseJSON struct {
		ID      string   `json:"id"`
		Stage   string   `json:"stage"`
		Full    bool     `json:"full"`
		Missing []string `json:"missing"`
	}
	open := map[string]any{"person_id": string(w.Paul.ID), "post": string(w.AnalystPost.ID)}
	call("luc", "POST", "/api/vetting-cases", "/api/vetting-cases", open, 404)
	wantProblem(t, call("helene", "POST", "/api/vetting-cases", "/api/vetting-cases", open, 403), 403, "A25.1")
	call("anne", "POST", "/api/vetting-cases", "/api/vetting-cases", map[string]any{"person_id": string(w.Paul.ID),
		"post": string(w.AnalystPost.ID), "kind": "follow_up"}, 400)
	r := call("anne", "POST", "/api/vetting-cases", "/api/vetting-cases", open, 201)
	loc := r.header.Get("Location")
	c := decodeAs[caseJSON](t, r)
	if loc != "/api/vetting-cases/"+c.ID || c.Stage != "opened" {
		t.Fatalf("Location %q, case %s", loc, r.body)
	}
	call("luc", "GET", "/api/vetting-cases/{id}", loc, nil, 404)
	sections := map[string]map[string]any{
		"civil_status": {"surname": "Kieffer", "given_names": "Paul", "born": "1980-04-02", "birthplace": "Esch-sur-Alzette",
			"nationalities": []string{"LU"}, "marital_status": "married"},
		"solvency":      {"debts": false, "debt_details": "", "insolvency": false},
		"professional":  {"jobs": []map[string]any{{"employer": "SRE", "function": "analyste", "from": "2015-01-01"}}},
		"reliability":   {"convictions": false, "proceedings": false, "details": ""},
		"vulnerability": {"foreign_contacts": false, "pressure": false, "details": ""},
	}
	route := "/api/vetting-cases/{id}/questionnaire/{section}"
	call("paul", "PUT", route, loc+"/questionnaire/religion", map[string]any{}, 400)
	call("paul", "PUT", route, loc+"/questionnaire/solvency", map[string]any{"debts": false, "insolvency": false, "party": "x"}, 400)
	call("anne", "PUT", route, loc+"/questionnaire/solvency", sections["solvency"], 404)
	for name, body := range sections {
		call("paul", "PUT", route, loc+"/questionnaire/"+name, body, 200)
	}
	r = call("anne", "GET", "/api/vetting-cases/{id}", loc, nil, 200)
	if v := decodeAs[caseJSON](t, r); v.Full || v.Stage != "questionnaire" || strings.Contains(string(r.body), "Esch") {
		t.Fatalf("the officer reads %s", r.body)
	}
	if v := decodeAs[caseJSON](t, call("paul", "GET", "/api/vetting-cases/{id}", loc, nil, 200)); !v.Full || len(v.Missing) != 0 {
		t.Fatalf("the person's view %+v", v)
	}
	wantProblem(t, call("anne", "POST", "/api/vetting-cases/{id}/sign", loc+"/sign", nil, 404), 404, "")
	call("paul", "POST", "/api/vetting-cases/{id}/sign", loc+"/sign", nil, 200)
	if v := decodeAs[caseJSON](t, call("paul", "POST", "/api/vetting-cases/{id}/consent", loc+"/consent", nil, 200)); v.Stage != "signed" {
		t.Errorf("stage %s", v.Stage)
	}
	wantProblem(t, call("paul", "POST", "/api/vetting-cases/{id}/refuse", loc+"/refuse", nil, 403), 403, "A25.1")
	// E2: the person reads his signatures, verified; his security officer may not (the document holds the answers).
	sigs := decodeAs[struct {
		Items []struct {
			What  string `json:"what"`
			Valid bool   `json:"valid"`
		}
	}](t, call("paul", "GET", "/api/vetting-cases/{id}/signatures", loc+"/signatures", nil, 200))
	if len(sigs.Items) != 2 || !sigs.Items[0].Valid || !sigs.Items[1].Valid {
		t.Errorf("signatures %+v", sigs.Items)
	}
	call("anne", "GET", "/api/vetting-cases/{id}/signatures", loc+"/signatures", nil, 404)
	l := decodeAs[struct{ Items []caseJSON }](t, call("anne", "GET", "/api/vetting-cases", "/api/vetting-cases?open=true", nil, 200))
	if len(l.Items) != 3 { // paul's, and jo's and eva's (under investigation) of the demo
		t.Errorf("the officer's list: %+v", l.Items)
	}
	// A26.1: Sophie refuses; her case closes for non-cooperation.
	r = call("anne", "POST", "/api/vetting-cases", "/api/vetting-cases", map[string]any{"person_id": string(w.Sophie.ID),
		"post": string(w.AnalystPost.ID)}, 201)
	loc = r.header.Get("Location")
	if v := decodeAs[caseJSON](t, call("sophie_zone", "POST", "/api/vetting-cases/{id}/refuse", loc+"/refuse", nil, 200)); v.Stage != string(cleared.StageClosedNonCooperation) {
		t.Errorf("stage %s", v.Stage)
	}
}
