package web_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

type destructionAnswer struct {
	ID          string `json:"id"`
	State       string `json:"state"`
	DocumentURL string `json:"document_url"`
	Signatures  []struct {
		N     int    `json:"n"`
		Role  string `json:"role"`
		Valid bool   `json:"valid"`
		URL   string `json:"url"`
	} `json:"signatures"`
}

func (e *env) destruction(t *testing.T, r response) destructionAnswer {
	t.Helper()
	var d destructionAnswer
	if err := json.Unmarshal(r.body, &d); err != nil {
		t.Fatalf("destruction: %v: %s", err, r.body)
	}
	return d
}

func wantRule(t *testing.T, r response, status int, rule string) {
	t.Helper()
	wantStatus(t, r, status)
	var p problem
	if err := json.Unmarshal(r.body, &p); err != nil || p.Rule != rule || p.AuditSeq == 0 {
		t.Fatalf("problem %s: want rule %s with its audit entry", r.body, rule)
	}
}

// A10.2, E2, over the API: a SECRET destruction is not done on Tom's signature and is done on Luc's; the report
// and both signatures download and verify offline with openssl and the CA certificate GET /api/ca serves.
func TestAPI_Destruction_A10_2_signed_report_verifies_offline(t *testing.T) {
	e := newEnv(t, nil)
	doc := loadOpenAPI(t)
	ops := oaOperations(t, doc)
	w := e.world
	secret := "/api/pieces/" + string(w.Secret.ID)

	wantStatus(t, e.post("nina", secret+"/destruction", map[string]any{}), 404)
	r := e.post("tom", secret+"/destruction", map[string]any{})
	wantStatus(t, r, 201)
	oaCheckAnswer(t, doc, ops["POST /api/pieces/{id}/destruction"], r)
	d := e.destruction(t, r)
	if d.State != "awaiting_countersignature" || len(d.Signatures) != 1 || !d.Signatures[0].Valid {
		t.Fatalf("after Tom's signature: %s", r.body)
	}
	if loc := r.header.Get("Location"); loc != "/api/destructions/"+d.ID {
		t.Errorf("Location %q", loc)
	}
	wantStatus(t, e.get("tom", secret+"/content"), 200) // one signature: not destroyed

	wantRule(t, e.post("tom", "/api/destructions/"+d.ID+"/countersign", map[string]any{}), 403, "A10.2")
	wantStatus(t, e.post("anne", "/api/destructions/"+d.ID+"/countersign", map[string]any{}), 404)
	wantRule(t, e.post("luc", "/api/destructions/"+d.ID+"/countersign", map[string]any{"signature": []byte("not CMS")}), 403, "E2")
	wantStatus(t, e.post("luc", "/api/destructions/"+d.ID+"/countersign", map[string]any{"extra": 1}), 400)

	r = e.post("luc", "/api/destructions/"+d.ID+"/countersign", map[string]any{})
	wantStatus(t, r, 200)
	oaCheckAnswer(t, doc, ops["POST /api/destructions/{id}/countersign"], r)
	d = e.destruction(t, r)
	if d.State != "completed" || len(d.Signatures) != 2 || !d.Signatures[1].Valid || d.Signatures[1].Role != "security_officer" {
		t.Fatalf("after Luc's countersignature: %s", r.body)
	}
	wantStatus(t, e.get("tom", secret+"/content"), 409) // two signatures: destroyed, the content gone
	wantStatus(t, e.post("tom", secret+"/destruction", map[string]any{}), 409)
	wantStatus(t, e.post("luc", "/api/destructions/"+d.ID+"/countersign", map[string]any{}), 409)

	r = e.get("tom", "/api/destructions/"+d.ID)
	wantStatus(t, r, 200)
	oaCheckAnswer(t, doc, ops["GET /api/destructions/{id}"], r)
	wantStatus(t, e.get("lea", "/api/destructions/"+d.ID), 404)

	dir := t.TempDir()
	save := func(name string, r response) string {
		t.Helper()
		wantStatus(t, r, 200)
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, r.body, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ca := e.get("", "/api/ca")
	oaCheckAnswer(t, doc, ops["GET /api/ca"], ca)
	caFile := save("ca.pem", ca)
	report := e.get("luc", d.DocumentURL)
	oaCheckAnswer(t, doc, ops["GET /api/destructions/{id}/document"], report)
	docFile := save("report.txt", report)
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl is not installed (.ci/run installs it)")
	}
	for _, g := range d.Signatures {
		r := e.get("luc", g.URL)
		oaCheckAnswer(t, doc, ops["GET /api/destructions/{id}/signatures/{n}"], r)
		sig := save("sig.der", r)
		out, err := exec.Command(openssl, "cms", "-verify", "-binary", "-inform", "DER", "-in", sig, "-content", docFile,
			"-CAfile", caFile, "-purpose", "any", "-out", os.DevNull).CombinedOutput()
		if err != nil {
			t.Errorf("openssl cms -verify of signature %d: %v\n%s", g.N, err, out)
		}
	}
	// Over another document, openssl refuses.
	other := filepath.Join(dir, "other.txt")
	os.WriteFile(other, append(report.body, '\n'), 0o600)
	if out, err := exec.Command(openssl, "cms", "-verify", "-binary", "-inform", "DER", "-in", filepath.Join(dir, "sig.der"),
		"-content", other, "-CAfile", caFile, "-purpose", "any", "-out", os.DevNull).CombinedOutput(); err == nil {
		t.Errorf("openssl verified a signature over another document:\n%s", out)
	}
}

// A10.1 over the API: below SECRET the destruction is done at once.
func TestAPI_Destruction_A10_1_at_once(t *testing.T) {
	e := newEnv(t, nil)
	r := e.post("lea", "/api/pieces/"+string(e.world.Confidential.ID)+"/destruction", map[string]any{"method": "effacement"})
	wantStatus(t, r, 201)
	if d := e.destruction(t, r); d.State != "completed" || len(d.Signatures) != 0 || d.DocumentURL != "" {
		t.Fatalf("a CONFIDENTIEL destruction: %s", r.body)
	}
	wantStatus(t, e.get("lea", "/api/pieces/"+string(e.world.Confidential.ID)+"/content"), 409)
}

// E2 over the API: the security officer issues and revokes; a revoked certificate does not sign.
func TestAPI_SigningCertificates_E2(t *testing.T) {
	e := newEnv(t, nil)
	doc := loadOpenAPI(t)
	ops := oaOperations(t, doc)
	tom := string(e.world.Tom.ID)
	wantRule(t, e.post("tom", "/api/signing/certificates", map[string]any{"person": tom}), 403, "E2")
	r := e.post("luc", "/api/signing/certificates", map[string]any{"person": tom})
	wantStatus(t, r, 201)
	oaCheckAnswer(t, doc, ops["POST /api/signing/certificates"], r)
	var c struct {
		Fingerprint string `json:"fingerprint"`
	}
	json.Unmarshal(r.body, &c)
	r = e.get("tom", "/api/signing/certificates?person="+tom)
	wantStatus(t, r, 200)
	oaCheckAnswer(t, doc, ops["GET /api/signing/certificates"], r)
	var list struct {
		Items []struct {
			Fingerprint string `json:"fingerprint"`
		} `json:"items"`
	}
	json.Unmarshal(r.body, &list)
	for _, c := range list.Items { // the demo issued Tom one when he destroyed a note; Luc one more
		r = e.post("tom", "/api/signing/certificates/"+c.Fingerprint+"/revoke", nil)
		wantStatus(t, r, 200)
		oaCheckAnswer(t, doc, ops["POST /api/signing/certificates/{fingerprint}/revoke"], r)
	}
	wantStatus(t, e.post("tom", "/api/signing/certificates/"+c.Fingerprint+"/revoke", nil), 409)
	wantRule(t, e.post("tom", "/api/pieces/"+string(e.world.Secret.ID)+"/destruction", map[string]any{}), 403, "E2")
	wantStatus(t, e.get("tom", "/api/pieces/"+string(e.world.Secret.ID)+"/content"), 200)
	wantStatus(t, e.post("luc", "/api/signing/authorities", map[string]any{"organisation_id": e.world.Ministry.ID, "certificate": "x"}), 400)
}
