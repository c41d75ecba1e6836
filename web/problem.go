package web

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/cleared/cleared"
)

// problemBase starts every problem type URI; see the package documentation for the slugs.
const problemBase = "https://cleared.example/problems/"

// problem is an RFC 9457 problem details object.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	// Rule is the requirement ID of a refusal by a rule of the law (403), e.g. "A8.2".
	Rule string `json:"rule,omitempty"`
	// AuditSeq is the sequence number of the audit entry that records a 403 refusal. A 404 never carries it: it
	// must read the same for a hidden object as for a missing one.
	AuditSeq uint64 `json:"audit_seq,omitempty"`
}

// problemTypes gives each status its type slug and title. A title never varies between occurrences of a type.
var problemTypes = map[int]struct{ slug, title string }{
	http.StatusBadRequest:            {"invalid-request", "Invalid request"},
	http.StatusUnauthorized:          {"unauthenticated", "Authentication required"},
	http.StatusForbidden:             {"forbidden", "Forbidden by a rule of the law"},
	http.StatusNotFound:              {"not-found", "Not found"},
	http.StatusMethodNotAllowed:      {"method-not-allowed", "Method not allowed"},
	http.StatusConflict:              {"conflict", "Conflict with the current state"},
	http.StatusRequestEntityTooLarge: {"too-large", "Request body too large"},
	http.StatusUnsupportedMediaType:  {"unsupported-media-type", "Unsupported media type"},
	http.StatusInternalServerError:   {"internal", "Internal error"},
	http.StatusServiceUnavailable:    {"unavailable", "Service unavailable"},
}

// Fixed details, for answers whose detail must not depend on the cause.
const (
	// A9.1: the same words for a hidden object and a missing one; never the error's text, which names the ID.
	detailNotFound        = "Not found, or not yours to know."
	detailUnauthenticated = "Send a valid API token: Authorization: Bearer <token>."
	detailUnavailable     = "A part the answer depends on is unavailable; nothing was done. Try again later."
	detailInternal        = "Internal error. It has been logged; nothing is known to have been done."
	detailInvalid         = "The request breaks a constraint of the registers; nothing was done."
	detailConflict        = "The request conflicts with the current state; nothing was done."
)

func newProblem(status int, detail string) problem {
	t := problemTypes[status]
	return problem{Type: problemBase + t.slug, Title: t.title, Status: status, Detail: detail}
}

// statusError is a refusal by the HTTP layer itself, for which package cleared has no kind: a body too large,
// of the wrong media type, a method the route does not take.
type statusError struct {
	status int
	detail string
}

func (e *statusError) Error() string { return e.detail }

// problemOf maps an error to the problem the client sees. It is the one place where error kinds become statuses.
// Not-found is tested first, so that an error which says "not found" among other things still hides (A9.1).
func problemOf(err error) problem {
	var (
		se        *statusError
		forbidden *cleared.ErrForbidden
	)
	switch {
	case errors.As(err, &se):
		return newProblem(se.status, se.detail)
	case errors.Is(err, cleared.ErrNotFound):
		return newProblem(http.StatusNotFound, detailNotFound)
	case errors.Is(err, cleared.ErrUnauthenticated):
		return newProblem(http.StatusUnauthorized, detailUnauthenticated)
	case errors.As(err, &forbidden):
		p := newProblem(http.StatusForbidden, forbidden.Reason)
		p.Rule, p.AuditSeq = forbidden.Rule, forbidden.AuditSeq
		return p
	case errors.Is(err, cleared.ErrInvalid):
		return newProblem(http.StatusBadRequest, userText(err, detailInvalid))
	case errors.Is(err, cleared.ErrConflict):
		return newProblem(http.StatusConflict, userText(err, detailConflict))
	case errors.Is(err, cleared.ErrUnavailable):
		return newProblem(http.StatusServiceUnavailable, detailUnavailable)
	}
	return newProblem(http.StatusInternalServerError, detailInternal)
}

// userText returns the text written for the user in err, or fallback when err carries only a driver's text.
func userText(err error, fallback string) string {
	if m := cleared.Message(err); m != "" {
		return m
	}
	return fallback
}

// fail renders err as a problem, and logs the cause of a 5xx answer, which the client does not see.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	p := problemOf(err)
	if p.Status >= 500 || (p.Status == http.StatusBadRequest || p.Status == http.StatusConflict) && cleared.Message(err) == "" {
		level := slog.LevelError
		if r.Context().Err() != nil {
			level = slog.LevelInfo // the client went away; nothing is wrong with the server
		}
		s.log.LogAttrs(r.Context(), level, "request failed", slog.String("method", r.Method),
			slog.String("route", r.Pattern), slog.Int("status", p.Status), slog.String("error", err.Error()))
	}
	writeProblem(w, p)
}

func writeProblem(w http.ResponseWriter, p problem) {
	b, err := json.Marshal(p)
	if err != nil {
		// A problem is strings and an int: it always encodes.
		panic("web: encode problem: " + err.Error())
	}
	h := w.Header()
	if p.Status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", `Bearer realm="cleared"`)
	}
	h.Set("Content-Type", "application/problem+json")
	h.Del("Content-Length")
	w.WriteHeader(p.Status)
	w.Write(append(b, '\n')) //nolint:errcheck // the client may be gone; nothing more can be said to it
}
