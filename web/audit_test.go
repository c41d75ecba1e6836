package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/cleared/cleared/audit"
)

func TestAudit(t *testing.T) {
	e := newEnv(t, nil)
	ts := e.world.TopSecret.ID
	if _, err := e.svc.Checkpoint(t.Context()); err != nil {
		t.Fatal(err)
	}

	t.Run("A8.2 a 403 names the audit entry that records it", func(t *testing.T) {
		p := wantProblem(t, e.get("sophie_office", "/api/pieces/"+string(ts)+"/content"), http.StatusForbidden, "A8.2")
		if p.AuditSeq == 0 {
			t.Fatal("no audit_seq on the refusal")
		}
	})
	t.Run("A9.1 a 404 carries no audit_seq, hidden or missing", func(t *testing.T) {
		hidden := e.get("lea", "/api/pieces/"+string(ts))
		if bytes.Contains(hidden.body, []byte("audit_seq")) {
			t.Fatalf("404 %s", hidden.body)
		}
	})
	t.Run("the checkpoint verifies with the log's key", func(t *testing.T) {
		r := e.get("helene", "/api/audit/checkpoint")
		wantStatus(t, r, http.StatusOK)
		var cp struct {
			Size uint64 `json:"size"`
			Note string `json:"note"`
		}
		json.Unmarshal(r.body, &cp)
		c, err := audit.OpenCheckpoint([]byte(cp.Note), e.vkey)
		if err != nil || c.Size != cp.Size || c.Size == 0 {
			t.Fatalf("checkpoint %+v: %v", cp, err)
		}
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/audit/checkpoint", nil)
		req.Header.Set("Authorization", "Bearer cleared_demo_helene")
		req.Header.Set("Accept", "text/plain")
		plain := e.send(req)
		// Every group commit signs the log's new head: the first read's own entry moved it by one.
		if c2, err := audit.OpenCheckpoint(plain.body, e.vkey); plain.status != 200 || err != nil || c2.Size != c.Size+1 {
			t.Fatalf("text/plain checkpoint: %d %q: %v", plain.status, plain.body, err)
		}

		inc := e.get("helene", "/api/audit/proof/inclusion?seq=1&size="+strconv.FormatUint(c.Size, 10))
		wantStatus(t, inc, http.StatusOK)
		var ip struct {
			Record audit.Record `json:"record"`
			Proof  [][]byte     `json:"proof"`
		}
		if err := json.Unmarshal(inc.body, &ip); err != nil {
			t.Fatal(err)
		}
		leaf, _ := ip.Record.Entry.LeafHash()
		if err := audit.VerifyInclusion(1, c.Size, leaf, ip.Proof, c.Root); err != nil {
			t.Fatalf("A11.2 inclusion proof over the API does not verify: %v", err)
		}
		cons := e.get("helene", "/api/audit/proof/consistency?from=1&to="+strconv.FormatUint(c.Size, 10))
		wantStatus(t, cons, http.StatusOK)
	})
	t.Run("A11.2 holders do not read the log", func(t *testing.T) {
		wantProblem(t, e.get("tom", "/api/audit/checkpoint"), http.StatusForbidden, "A11.2")
	})
	t.Run("bad proof requests are 400 and change nothing", func(t *testing.T) {
		for _, q := range []string{"/api/audit/proof/inclusion", "/api/audit/proof/inclusion?seq=1", "/api/audit/proof/inclusion?seq=x&size=2",
			"/api/audit/proof/inclusion?seq=5&size=3", "/api/audit/proof/inclusion?seq=0&size=99999999", "/api/audit/proof/inclusion?seq=01&size=3",
			"/api/audit/proof/consistency?from=3&to=2", "/api/audit/proof/consistency?from=0&to=2", "/api/audit/proof/consistency?from=1&to=1&to=2"} {
			r := e.get("helene", q)
			if r.status != http.StatusBadRequest {
				t.Errorf("%s: %d %s", q, r.status, r.body)
			}
		}
	})
}
