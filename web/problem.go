package web

import (
	"encoding/json"
	"errors"
	"fmt"
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
	http.StatusBadGateway:            {"bad-gateway", "A partner's server failed"},
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

// errNoRoute answers a request whose path no route serves (server.unmatched, uiNotFound): "no such page", which
// is not the 404 of a hidden or missing object, since it depends on no object.
var errNoRoute = &statusError{status: http.StatusNotFound, detail: "No such route: check the method and the path against /api/openapi.json."}

// noRouteProblem: the problem of errNoRoute has its own type and title, never those of a missing object.
func noRouteProblem(_ error, p *problem) {
	p.Type, p.Title, p.Detail = problemBase+"no-such-route", "No such route", errNoRoute.detail
}

// statusError is a refusal by the HTTP layer itself, for which package cleared has no kind: a body too large,
// of the wrong media type, a method the route does not take.
type statusError struct {
	status int
	detail string
}

func (e *statusError) Error() string { return e.detail }

// errorKind is one kind of error, and all that the API (problemOf) and the pages (problemFor) answer for it. Both
// take the first row of errorKinds that matches, so an error has one status whichever side is asked, and adding a
// kind is adding a row. The problem's type and title follow from the status (problemTypes: one slug per status).
type errorKind struct {
	name  string
	match func(err error) bool
	// status is the answer's; 0 for a statusError, which carries its own, and its own detail (statusDetail).
	status int
	// detail is the API problem's detail, the same for every error of the kind.
	detail string
	// ownText: the answer shows the error's text written for the user (cleared.Message) when it has one: as the
	// problem's detail in place of the fixed one, and as the page's Detail. A driver's text is never shown.
	ownText bool
	// title and message are the catalogue keys of the page's title and sentence.
	title, message string
	// api and page add to the answers what a row cannot say (a refusal's rule); nil for most kinds.
	api  func(err error, p *problem)
	page func(err error, p *uiProblem, has func(key string) bool)
}

// errorKinds in the order they are tested. The HTTP layer's own refusals come first; then not-found, so that an
// error which says "not found" among other things still hides (A9.1): its row fixes every word of the answer and
// adds nothing from the error. A form field the UI could not read comes last of all: only the UI makes one, and a
// kind of the service in the same chain says more (a 404 must not name the field either).
var errorKinds = []errorKind{
	// Issue 18 §0: a path no route serves is not a hidden object: it says so plainly, in its own type and title.
	{name: "no route", match: func(err error) bool { return asStatusError(err) == errNoRoute }, status: http.StatusNotFound,
		title: "problem.no_route.title", message: "problem.no_route", api: noRouteProblem},
	{name: "form from elsewhere", match: formRefused,
		title: "problem.csrf.title", message: "problem.csrf", api: statusDetail},
	{name: "HTTP refusal", match: isStatusError,
		title: "problem.invalid.title", message: "problem.invalid", api: statusDetail, page: statusPage},
	{name: "not found", match: is(cleared.ErrNotFound), status: http.StatusNotFound, detail: detailNotFound,
		title: "problem.not_found.title", message: "problem.not_found"},
	{name: "unauthenticated", match: is(cleared.ErrUnauthenticated), status: http.StatusUnauthorized, detail: detailUnauthenticated,
		title: "problem.unauthenticated.title", message: "problem.unauthenticated"},
	{name: "forbidden", match: is(&cleared.ErrForbidden{}), status: http.StatusForbidden,
		title: "problem.forbidden.title", message: "rule.unknown", api: forbiddenProblem, page: forbiddenPage},
	{name: "invalid", match: is(cleared.ErrInvalid), status: http.StatusBadRequest, detail: detailInvalid, ownText: true,
		title: "problem.invalid.title", message: "problem.invalid"},
	{name: "conflict", match: is(cleared.ErrConflict), status: http.StatusConflict, detail: detailConflict, ownText: true,
		title: "problem.conflict.title", message: "problem.conflict"},
	{name: "unavailable", match: is(cleared.ErrUnavailable), status: http.StatusServiceUnavailable, detail: detailUnavailable,
		title: "problem.unavailable.title", message: "problem.unavailable"},
	{name: "form field", match: isInputError, status: http.StatusBadRequest, detail: detailInvalid,
		title: "problem.invalid.title", message: "problem.invalid", page: inputPage},
}

// internalKind is the answer to an error of no kind: its cause is logged, not shown.
var internalKind = errorKind{name: "internal", status: http.StatusInternalServerError, detail: detailInternal,
	title: "problem.internal.title", message: "problem.internal"}

// kindOf returns err's kind and the status of the answer to it.
func kindOf(err error) (errorKind, int) {
	for _, k := range errorKinds {
		if k.match(err) {
			if k.status == 0 {
				return k, asStatusError(err).status
			}
			return k, k.status
		}
	}
	return internalKind, internalKind.status
}

// problemOf maps an error to the problem the client sees.
func problemOf(err error) problem {
	k, status := kindOf(err)
	detail := k.detail
	if k.ownText {
		detail = userText(err, detail)
	}
	p := newProblem(status, detail)
	if k.api != nil {
		k.api(err, &p)
	}
	return p
}

// problemFor maps an error to the problem a page shows.
func (s *server) problemFor(err error) uiProblem {
	k, status := kindOf(err)
	p := uiProblem{Status: status, Title: k.title, Message: k.message}
	if k.ownText {
		p.Detail = cleared.Message(err)
	}
	if k.page != nil {
		k.page(err, &p, s.kit.cat.has)
	}
	return p
}

func is(kind error) func(error) bool { return func(err error) bool { return errors.Is(err, kind) } }

// asStatusError returns the first statusError in err's chain, or nil.
func asStatusError(err error) *statusError {
	var se *statusError
	if errors.As(err, &se) {
		return se
	}
	return nil
}

func isStatusError(err error) bool { return asStatusError(err) != nil }

// formRefused: the first statusError in the chain, the one the API answers, is the refusal of a form posted from
// another site or without the session's token.
func formRefused(err error) bool {
	se := asStatusError(err)
	return se != nil && (se == errCSRF || se == errCrossOrigin)
}

func isInputError(err error) bool {
	var in *inputError
	return errors.As(err, &in)
}

// statusDetail: a statusError says its own detail.
func statusDetail(err error, p *problem) { p.Detail = asStatusError(err).detail }

// statusPage: a statusError's page says the sentence of its status, where the catalogues have one.
func statusPage(_ error, p *uiProblem, has func(string) bool) {
	if key := fmt.Sprintf("problem.%d", p.Status); has(key) {
		p.Title, p.Message = key+".title", key
	}
}

func forbiddenProblem(err error, p *problem) {
	var f *cleared.ErrForbidden
	errors.As(err, &f)
	p.Detail, p.Rule, p.AuditSeq = f.Reason, f.Rule, f.AuditSeq
}

func forbiddenPage(err error, p *uiProblem, has func(string) bool) {
	var f *cleared.ErrForbidden
	errors.As(err, &f)
	p.Rule, p.AuditSeq = f.Rule, f.AuditSeq
	if key := "rule." + f.Rule; has(key) {
		// The service's reason is English: shown as detail beside a sentence in the reader's language only.
		p.Message, p.Detail = key, f.Reason
	}
}

// inputPage: the field a form could not read, and what was expected of it.
func inputPage(err error, p *uiProblem, _ func(string) bool) {
	var in *inputError
	errors.As(err, &in)
	p.Message, p.Field = in.message, in.field
}

// userText returns the text written for the user in err, or fallback when err carries only a driver's text.
func userText(err error, fallback string) string {
	if m := cleared.Message(err); m != "" {
		return m
	}
	return fallback
}

// causeHidden reports whether the answer to err hides a cause that the log must keep, the API's and the UI's
// alike: any cause of a 5xx, and a driver's text behind an invalid or conflict answer.
func causeHidden(err error) bool {
	k, status := kindOf(err)
	return status >= 500 || k.ownText && cleared.Message(err) == ""
}

// fail renders err as a problem, and logs the cause the client does not see (causeHidden).
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	p := problemOf(err)
	if causeHidden(err) {
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
