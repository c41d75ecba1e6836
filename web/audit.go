package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
)

// checkpointJSON is a signed checkpoint as the API shows it: the signed note verbatim, with the witnesses'
// cosignatures if any (what an auditor keeps and checks offline with the log's verifier key and the witnesses'),
// and its size and time for convenience.
type checkpointJSON struct {
	Size    uint64 `json:"size"`
	Note    string `json:"note"`
	Created string `json:"created"`
}

func checkpointOf(c audit.StoredCheckpoint) checkpointJSON {
	return checkpointJSON{Size: c.Size, Note: string(c.Note), Created: c.Created.UTC().Format("2006-01-02T15:04:05.999999Z07:00")}
}

// auditCheckpoint serves GET /api/audit/checkpoint: the newest checkpoint the witnesses cosigned, with their
// cosignatures appended to the log's signature (registry.CosignedCheckpoint), or the latest signed checkpoint if
// no witness cosigned one. With Accept: text/plain the signed note itself, ready to save to a file for
// `cleared audit verify --checkpoint`.
func (s *server) auditCheckpoint(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	cp, err := s.reg.CosignedCheckpoint(r.Context(), a)
	if err != nil {
		return err
	}
	if strings.HasPrefix(r.Header.Get("Accept"), "text/plain") {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, err := w.Write(cp.Note)
		return err
	}
	return ok(w, checkpointOf(cp))
}

// auditInclusion serves GET /api/audit/proof/inclusion?seq=&size=: InclusionProof.
func (s *server) auditInclusion(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	seq, err := queryUint(r, "seq", true)
	if err != nil {
		return err
	}
	size, err := queryUint(r, "size", false)
	if err != nil {
		return err
	}
	p, err := s.reg.InclusionProof(r.Context(), a, seq, size)
	if err != nil {
		return err
	}
	return ok(w, p)
}

// auditConsistency serves GET /api/audit/proof/consistency?from=&to=: ConsistencyProof.
func (s *server) auditConsistency(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	from, err := queryUint(r, "from", false)
	if err != nil {
		return err
	}
	to, err := queryUint(r, "to", false)
	if err != nil {
		return err
	}
	p, err := s.reg.ConsistencyProof(r.Context(), a, from, to)
	if err != nil {
		return err
	}
	return ok(w, p)
}

// queryUint reads a required non-negative integer query parameter; zero is refused unless zeroOK.
func queryUint(r *http.Request, name string, zeroOK bool) (uint64, error) {
	v := r.URL.Query()[name]
	if len(v) != 1 {
		return 0, cleared.Invalidf("query parameter %s is required, once", name)
	}
	n, err := strconv.ParseUint(v[0], 10, 64)
	if err != nil || len(v[0]) > 1 && v[0][0] == '0' {
		return 0, cleared.Invalidf("query parameter %s=%.30q: want a whole number", name, v[0])
	}
	if n == 0 && !zeroOK {
		return 0, cleared.Invalidf("query parameter %s must be at least 1", name)
	}
	return n, nil
}
