package web_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/cleared/cleared/web"
)

// TestExports_A23_1_no_investigation_data: the investigation's data serves only the NSA's missions and never leaves
// package vetting for another module (A23.1, A24.1). Hélène, the NSA officer on Eva's case who reads its
// investigation, asks every other GET route of the API that names no object, the registers' exports among them
// (the pieces' and dossiers' CSV: their PDFs render the same rows), Eva's person file and her case's record: none
// holds a finding, a source, a summary or a request with a foreign service of the demo's investigation. The
// investigation route itself holds them, so the test can fail.
func TestExports_A23_1_no_investigation_data(t *testing.T) {
	e := newEnv(t, nil)
	h := mxAs(e, "helene")
	secrets := [][]byte{[]byte("R-17"), []byte("registre national des personnes physiques"), []byte("BfV"),
		[]byte("attaché d'une ambassade"), []byte("ANS-COOP-2026-031")}
	holds := func(body []byte) string {
		for _, s := range secrets {
			if bytes.Contains(body, s) {
				return string(s)
			}
		}
		return ""
	}
	eva := "/api/vetting-cases/" + string(e.world.EvaCase.ID)
	inv := h.act(t, e, http.MethodGet, eva+"/investigation", nil)
	if inv.status != http.StatusOK || holds(inv.body) == "" {
		t.Fatalf("the investigation itself does not hold the demo's items (%d): the test could not fail", inv.status)
	}
	paths := []string{"/api/persons/" + string(e.world.Eva.ID), eva, "/api/me/agenda"}
	for _, pattern := range web.Routes() {
		method, path, _ := strings.Cut(pattern, " ")
		if method != http.MethodGet || strings.Contains(path, "{") || strings.HasSuffix(path, ".pdf") {
			continue
		}
		paths = append(paths, path)
	}
	for _, p := range paths {
		r := h.act(t, e, http.MethodGet, p, nil)
		if s := holds(r.body); s != "" {
			t.Errorf("A23.1: GET %s (%d) holds %q of the investigation", p, r.status, s)
		}
	}
}
