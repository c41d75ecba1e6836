package witness

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
)

// Config is what a witness needs.
type Config struct {
	// Key is the witness's signer key (from [NewKey]).
	Key string
	// Logs are the verifier keys of the logs it witnesses, in the note form "<origin>+<key ID>+<key>": a log is
	// known by its origin, which is its key's name, and a checkpoint is cosigned only if one of the keys given for
	// its origin signed it.
	Logs []string
	// State is the file of its state, created if missing.
	State string
	// Log receives what the witness refuses and why; nil discards it.
	Log *slog.Logger
	// Now is the clock of the state's times; nil is time.Now. (The cosignature's own timestamp is the signing
	// library's reading of the system clock.)
	Now func() time.Time
}

// Server is a witness: an http.Handler serving POST /add-checkpoint (C2SP tlog-witness) and GET /checkpoint (ours).
type Server struct {
	signer note.Signer
	vkey   string
	logs   map[string][]note.Verifier
	st     *state
	log    *slog.Logger
	now    func() time.Time
	mux    *http.ServeMux
}

// New opens the witness's state and returns the witness. A malformed key or log key is [cleared.ErrInvalid].
func New(ctx context.Context, cfg Config) (*Server, error) {
	signer, vkey, err := newSigner(cfg.Key)
	if err != nil {
		return nil, err
	}
	logs := map[string][]note.Verifier{}
	for _, k := range cfg.Logs {
		v, err := note.NewVerifier(k)
		if err != nil {
			return nil, cleared.Invalidf("log key %.80q: want <origin>+<key ID>+<key> (the log's audit.vkey)", k)
		}
		logs[v.Name()] = append(logs[v.Name()], v)
	}
	if len(logs) == 0 {
		return nil, cleared.Invalidf("a witness needs the verifier key of at least one log")
	}
	st, err := openState(ctx, cfg.State)
	if err != nil {
		return nil, err
	}
	s := &Server{signer: signer, vkey: vkey, logs: logs, st: st, log: cfg.Log, now: cfg.Now, mux: http.NewServeMux()}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.mux.HandleFunc("POST /add-checkpoint", s.addCheckpoint)
	s.mux.HandleFunc("GET /checkpoint", s.checkpoint)
	return s, nil
}

// VerifierKey is the witness's verifier key, for the logs' operators and the verifiers.
func (s *Server) VerifierKey() string { return s.vkey }

// Close closes the state.
func (s *Server) Close() error { return s.st.close() }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// statusError is a refusal with the HTTP status tlog-witness gives it.
type statusError struct {
	status int
	msg    string
}

func (e *statusError) Error() string { return e.msg }

func refuse(status int, format string, args ...any) error {
	return &statusError{status: status, msg: fmt.Sprintf(format, args...)}
}

func (s *Server) addCheckpoint(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequest))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, fmt.Sprintf("request over %d bytes", maxRequest), http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "could not read the request", http.StatusBadRequest)
		return
	}
	cosig, err := s.add(r.Context(), body)
	var conflict *conflictError
	var refused *statusError
	switch {
	case err == nil:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(cosig)
	case errors.As(err, &conflict):
		w.Header().Set("Content-Type", "text/x.tlog.size")
		w.WriteHeader(http.StatusConflict)
		fmt.Fprintf(w, "%d\n", conflict.known)
	case errors.As(err, &refused):
		s.log.Warn("add-checkpoint refused", "status", refused.status, "reason", refused.msg)
		http.Error(w, refused.msg, refused.status)
	case errors.Is(err, cleared.ErrInvalid):
		s.log.Warn("add-checkpoint refused", "status", http.StatusBadRequest, "reason", err)
		http.Error(w, cleared.Message(err), http.StatusBadRequest)
	default:
		s.log.Error("add-checkpoint failed", "error", err)
		http.Error(w, "the witness could not save its state", http.StatusServiceUnavailable)
	}
}

// add processes an add-checkpoint request body and returns the cosignature line(s), after the new state is saved.
// Errors: a conflict (409, with the size known), a refusal with its status (403, 404, 400, 422), [cleared.ErrInvalid]
// for a malformed request (400), or a state error.
func (s *Server) add(ctx context.Context, body []byte) ([]byte, error) {
	req, err := ParseRequest(body)
	if err != nil {
		return nil, err
	}
	origin, _, _ := strings.Cut(string(req.Note), "\n")
	keys, ok := s.logs[origin]
	if !ok {
		return nil, refuse(http.StatusNotFound, "this witness does not witness log %.60q", origin)
	}
	n, err := note.Open(req.Note, note.VerifierList(keys...))
	var unverified *note.UnverifiedNoteError
	var invalid *note.InvalidSignatureError
	switch {
	case errors.As(err, &unverified), errors.As(err, &invalid):
		return nil, refuse(http.StatusForbidden, "the checkpoint is not signed by a key this witness trusts for log %.60q", origin)
	case err != nil:
		return nil, cleared.Invalidf("not a signed note: %v", err)
	}
	c, err := ParseCheckpoint(n.Text)
	if err != nil {
		return nil, err
	}
	if c.Origin != origin {
		return nil, cleared.Invalidf("checkpoint origin %q is not its first line", c.Origin)
	}
	if req.Old > c.Size {
		return nil, refuse(http.StatusBadRequest, "old size %d is above the checkpoint's size %d", req.Old, c.Size)
	}
	// What is kept of the log's note: its body and the signatures that verified, never lines nobody checked.
	verified := []byte(n.Text + "\n")
	for _, sig := range n.Sigs {
		verified = fmt.Appendf(verified, "— %s %s\n", sig.Name, sig.Base64)
	}
	var cosig []byte
	err = s.st.advance(ctx, origin, func(cur *record) (record, error) {
		known, root := uint64(0), []byte(nil)
		if cur != nil {
			known, root = cur.Size, cur.Root
		}
		if req.Old != known {
			return record{}, &conflictError{known: known}
		}
		switch {
		case cur == nil:
			// The first checkpoint of a log is trusted on first use: there is nothing to prove it against.
		case known == c.Size && !bytes.Equal(root, c.Root):
			s.log.Warn("a second root for a size already cosigned: the log forked", "origin", origin, "size", c.Size)
			return record{}, &conflictError{known: known}
		case known > 0:
			// audit's check, which also refuses hashes that are not SHA-256 (the library takes equal roots as proof enough).
			if err := audit.VerifyConsistency(known, c.Size, req.Proof, root, c.Root); err != nil {
				s.log.Warn("a checkpoint that does not extend the last one cosigned: possible fork", "origin", origin,
					"known", known, "size", c.Size, "note", string(verified))
				return record{}, refuse(http.StatusUnprocessableEntity, "the consistency proof from size %d to %d does not verify", known, c.Size)
			}
		case len(req.Proof) > 0:
			return record{}, cleared.Invalidf("a proof from size 0 must be empty")
		}
		signed, err := note.Sign(&note.Note{Text: n.Text}, s.signer)
		if err != nil {
			return record{}, fmt.Errorf("cosign: %w", err)
		}
		cosig = signed[len(n.Text)+1:] // the signature lines after the body and the blank line
		return record{Origin: origin, Size: c.Size, Root: c.Root, Note: verified, Cosignature: cosig, Updated: s.now().UTC()}, nil
	})
	if err != nil {
		return nil, err
	}
	return cosig, nil
}

// checkpoint serves GET /checkpoint?origin=<origin>: the latest checkpoint the witness cosigned for that log, as a
// note with the log's signature and the witness's cosignature. 404 if it never cosigned one.
func (s *Server) checkpoint(w http.ResponseWriter, r *http.Request) {
	origins := r.URL.Query()["origin"]
	if len(origins) != 1 {
		http.Error(w, "query parameter origin is required, once", http.StatusBadRequest)
		return
	}
	rec, err := s.st.get(r.Context(), origins[0])
	switch {
	case errors.Is(err, cleared.ErrNotFound):
		http.Error(w, "no checkpoint of this log cosigned", http.StatusNotFound)
		return
	case err != nil:
		s.log.Error("read witness state", "error", err)
		http.Error(w, "the witness could not read its state", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write(append(rec.Note, rec.Cosignature...))
}
