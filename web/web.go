package web

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/sharing"
	"github.com/cleared/cleared/vetting"
)

// hsts is the Strict-Transport-Security of every answer over TLS: two years, the host alone (a parent domain's
// other services are not ours to bind).
const hsts = "max-age=63072000"

// Body limits. A piece's content is at most registry.MaxContentSize (32 MiB), which base64 makes 43 MiB; the rest
// leaves room for the other fields.
const (
	maxBody      = 1 << 20
	maxPieceBody = 48 << 20
)

// Config is what the API needs.
type Config struct {
	// Registry keeps the registers and the pieces (Chapters 2 and 3); Auth signs people and terminals in. Each
	// service of the system is one field, so that a handler names the audience it serves.
	Registry *registry.Service
	Auth     *auth.Service
	Vetting  *vetting.Service // Chapter 4: posts, contracts, exemptions (issue 20)
	Sharing  *sharing.Service // sharing with partners (issue 21)
	// Ready reports whether the server can answer (a database ping); nil counts as always ready.
	Ready func(ctx context.Context) error
	// Log receives one line per request and the causes of 500 and 503 answers; nil is slog.Default().
	Log *slog.Logger
	// Metrics are counted and served at /metrics; nil makes a fresh set (then decisions are not counted).
	Metrics *Metrics
	// DemoTerminals lets the sign-in form choose the terminal one sits at, in place of a client certificate. Only
	// the demonstration (serve --demo) sets it: elsewhere the terminal comes from the certificate alone.
	DemoTerminals bool
	// OIDC, if set, lets people sign in through their organisation's identity provider (see NewOIDC).
	OIDC *OIDC
}

type server struct {
	reg   *registry.Service
	auth  *auth.Service
	vet   *vetting.Service
	share *sharing.Service
	ready func(ctx context.Context) error
	log   *slog.Logger
	mux   *http.ServeMux
	met   *Metrics
	// demoTerminals: see Config.DemoTerminals.
	demoTerminals bool
	oidc          *OIDC // nil: no identity provider (oidc.go)
	// kit holds the web UI's templates, catalogues and static files (ui.go).
	kit *uiKit
	// routes are the patterns registered on mux, in order, for the test that holds them to openapi.json.
	routes []string
}

// A handlerFunc serves one route for an authenticated actor. It writes nothing when it returns an error: the
// error is rendered as a problem by [server.fail].
type handlerFunc func(w http.ResponseWriter, r *http.Request, a cleared.Actor) error

// New returns the API's handler. Every route is listed here.
func New(cfg Config) http.Handler {
	s := &server{reg: cfg.Registry, auth: cfg.Auth, vet: cfg.Vetting, share: cfg.Sharing, ready: cfg.Ready, log: cfg.Log, mux: http.NewServeMux(), met: cfg.Metrics,
		demoTerminals: cfg.DemoTerminals, oidc: cfg.OIDC}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.met == nil {
		s.met = NewMetrics()
	}
	handle := func(pattern string, h http.Handler) {
		s.routes = append(s.routes, pattern)
		s.mux.Handle(pattern, h)
	}
	api := func(pattern string, h handlerFunc) { handle(pattern, s.authed(maxBody, h)) }

	handle("GET /healthz", http.HandlerFunc(s.healthz))
	handle("GET /readyz", http.HandlerFunc(s.readyz))
	handle("GET /metrics", s.met.handler())
	handle("GET /api/openapi.json", http.HandlerFunc(s.openapi))

	api("GET /api/me", s.me)
	api("GET /api/me/agenda", s.meAgenda)
	api("GET /api/tokens", s.tokenList)
	api("POST /api/tokens", s.tokenCreate)
	api("DELETE /api/tokens/{id}", s.tokenRevoke)
	api("GET /api/sessions", s.sessionList)
	api("DELETE /api/sessions/{id}", s.sessionRevoke)
	api("GET /api/accounts", s.accountList)
	api("POST /api/accounts", s.accountCreate)
	api("POST /api/accounts/{id}/unlock", s.accountUnlock)
	api("POST /api/accounts/{id}/oidc", s.accountLinkOIDC)

	api("GET /api/organisations", s.organisationList)
	api("POST /api/organisations", s.organisationCreate)
	api("GET /api/organisations/{id}", s.organisationRead)
	api("GET /api/persons", s.personList)
	api("POST /api/persons", s.personCreate)
	api("GET /api/persons/{id}", s.personRead)
	api("POST /api/security-officers", s.officerCreate)
	api("POST /api/clearances", s.clearanceCreate)

	api("GET /api/authorities", s.authorityList)
	api("POST /api/authorities", s.authorityCreate)
	api("POST /api/delegations", s.delegationCreate)

	api("GET /api/places", s.placeList)
	api("POST /api/places", s.placeCreate)
	api("GET /api/terminals", s.terminalList)
	api("POST /api/terminals", s.terminalCreate)
	api("POST /api/terminals/{id}/revoke", s.terminalRevoke)
	api("GET /api/channels", s.channelList)
	api("POST /api/channels", s.channelCreate)

	api("GET /api/equivalence", s.equivalenceRead)
	api("POST /api/equivalence", s.equivalenceCreate)

	api("POST /api/dossiers", s.dossierCreate)
	api("POST /api/grants", s.grantCreate)

	api("GET /api/audit/checkpoint", s.auditCheckpoint)
	api("GET /api/audit/proof/inclusion", s.auditInclusion)
	api("GET /api/audit/proof/consistency", s.auditConsistency)

	// Issue 18 §0: the registers one can read, and a dossier's level.
	api("GET /api/dossiers", s.dossierList)
	api("GET /api/dossiers/{id}", s.dossierRead)
	api("POST /api/dossiers/{id}/level", s.dossierSetLevel)
	api("GET /api/grants", s.grantList)
	api("GET /api/grants/{id}", s.grantRead)
	api("GET /api/clearances", s.clearanceList)
	api("GET /api/clearances/{id}", s.clearanceRead)
	api("GET /api/delegations", s.delegationList)
	api("GET /api/delegations/{id}", s.delegationRead)
	api("GET /api/channels/{id}", s.channelRead)
	api("GET /api/authorities/{id}", s.authorityRead)
	api("GET /api/places/{id}", s.placeRead)
	api("GET /api/terminals/{id}", s.terminalRead)

	api("GET /api/pieces", s.pieceList)
	handle("POST /api/pieces", s.authed(maxPieceBody, s.pieceClassify))
	api("GET /api/pieces/{id}", s.pieceRead)
	api("GET /api/pieces/{id}/content", s.pieceContent)
	s.copyAPI(api)         // issue 18: copies (A9.4) and inventories (A13.1), web/copies.go
	s.transmissionAPI(api) // issue 19: transmissions (A11.1, A11.2, S2), web/transmissions.go
	s.incidentAPI(api)     // issue 19: incidents (A13.1 to A13.3), web/incidents.go

	// Downgrade and declassification, and the marking history (issue 18 §1, piece_marking.go).
	api("POST /api/pieces/{id}/downgrade", s.pieceDowngrade)
	api("POST /api/pieces/{id}/declassify", s.pieceDeclassify)
	api("GET /api/pieces/{id}/markings", s.pieceMarkings)

	// Rule profiles (A1.1) and the law's parameters (A17.1): profiles.go.
	api("GET /api/profiles", s.profileList)
	api("POST /api/profiles", s.profileCreate)
	api("GET /api/profiles/{name}", s.profileRead)
	api("GET /api/law", s.lawRead)
	api("POST /api/law", s.lawCreate)
	api("GET /api/pieces/{id}/obligations", s.pieceObligations)
	api("GET /api/equivalence/{scheme}/{level}", s.equivalentRead)

	// Issue 18: destruction with signed reports (A10.1, A10.2) and signing certificates (E2): destruction.go.
	api("POST /api/pieces/{id}/destruction", s.pieceDestroy)
	api("GET /api/destructions/{id}", s.destructionRead)
	api("POST /api/destructions/{id}/countersign", s.destructionCountersign)
	api("GET /api/destructions/{id}/document", s.destructionDocument)
	api("GET /api/destructions/{id}/signatures/{n}", s.destructionSignature)
	handle("GET /api/ca", http.HandlerFunc(s.signingCA))
	api("GET /api/signing/certificates", s.certificateList)
	api("POST /api/signing/certificates", s.certificateCreate)
	api("POST /api/signing/certificates/{fingerprint}/revoke", s.certificateRevoke)
	api("POST /api/signing/authorities", s.caImport)

	// Markings on every rendering (A7.1): registers exported marked, an organisation's choice for other formats.
	api("GET /api/dossiers/export.csv", s.dossierExportCSV)
	api("GET /api/dossiers/export.pdf", s.dossierExportPDF)
	api("GET /api/pieces/export.csv", s.pieceExportCSV)
	api("GET /api/pieces/export.pdf", s.pieceExportPDF)
	api("GET /api/organisations/{id}/other-formats", s.otherFormatsRead)
	api("PUT /api/organisations/{id}/other-formats", s.otherFormatsSet)

	// Issue 19: judicial access (A9.5), web/judicial.go.
	s.judicialAPI(api)
	s.vettingAPI(api)              // issue 20, Chapter 4: posts, contracts, assignments, exemptions (web/posts.go)
	s.vettingCasesAPI(api)         // issue 20 §2: vetting cases' intake (web/vetting_cases.go)
	s.vettingInvestigationAPI(api) // issue 20 §4, §10: the investigation and the person's file (web/vetting_investigation.go)
	s.webhookAPI(api, handle)      // issue 19 §2: where incident warnings are sent (A13.1), web/webhooks.go

	s.vettingRetentionAPI(api) // issue 20 §9: vetting cases' retention and holds (web/vetting_retention.go)
	// Issue 20 §5: the commission (web/vetting_commission.go).
	s.vettingCommissionAPI(api)

	s.vettingDecisionsAPI(api) // issue 20 §6: decisions, notification, appeals, suspensions (web/vetting_decisions.go)
	// Issue 20 §7: briefings, declarations and changes of circumstances (web/vetting_briefings.go).
	s.vettingBriefingsAPI(api)
	s.vettingFacilityAPI(api) // issue 20 §3: facility clearances (web/vetting_facility.go)
	s.sharingAPI(api, handle) // issue 21: partners, releases (web/sharing.go) and the live feed (web/live.go)

	s.inboxAPI(api) // issue 21 §3: what partners send, staged for a classifying authority (web/inbox.go)

	// Issue 21: TAXII 2.1 for partners' systems by client certificate: the read side (web/taxii.go) and adding
	// objects, staged in the inbox (web/taxii_add.go).
	s.taxiiAPI(handle)

	// The web UI (ui.go): HTML pages for a signed-in browser, over the same service methods.
	kit, err := newUIKit()
	if err != nil {
		panic(err) // templates and catalogues are embedded: an error here is a bug of this build
	}
	s.kit = kit
	page := func(pattern string, h uiHandler) { handle(pattern, s.ui(h)) }
	handle("GET /{$}", http.HandlerFunc(s.home))
	handle("GET /static/{name}", http.HandlerFunc(s.serveStatic))
	handle("GET /lang/{lang}", s.public(s.langSwitch))
	handle("GET /login", s.public(s.loginShow))
	handle("POST /login", s.public(s.loginSubmit))
	handle("GET /login/second-factor", s.public(s.secondFactorShow))
	handle("POST /login/second-factor", s.public(s.secondFactorSubmit))
	handle("POST /login/key/begin", s.public(s.keyLoginBegin))
	handle("POST /login/key", s.public(s.keyLoginFinish))
	handle("GET /login/oidc", s.public(s.oidcStart))
	handle("GET /login/oidc/callback", s.public(s.oidcCallbackServe))
	handle("POST /logout", s.public(s.logout))

	page("GET /ui/{$}", s.dashboard)
	page("GET /ui/", s.uiNotFound)
	page("GET /ui/pieces", s.uiPieceList)
	page("GET /ui/pieces/new", s.uiClassifyForm)
	handle("POST /ui/pieces", s.uiLimit(maxClassifyBody, s.uiClassify))
	page("GET /ui/pieces/{id}", s.uiPieceRead)
	page("GET /ui/pieces/{id}/content", s.uiPieceContent)
	page("GET /ui/pieces/{id}/marking", s.uiMarkingForm) // downgrade or declassify (ui_piece_marking.go)
	page("POST /ui/pieces/{id}/marking", s.uiMarking)
	page("POST /ui/pieces/{id}/destruction", s.uiDestroy)
	page("GET /ui/destructions/{id}", s.uiDestruction)
	page("POST /ui/destructions/{id}/countersign", s.uiCountersign)
	page("GET /ui/destructions/{id}/document", s.uiDestructionDocument)
	page("GET /ui/destructions/{id}/signatures/{n}", s.uiDestructionSignature)
	page("GET /ui/dossiers/export.csv", s.uiDossierExportCSV)
	page("GET /ui/dossiers/export.pdf", s.uiDossierExportPDF)
	page("GET /ui/pieces/export.csv", s.uiPieceExportCSV)
	page("GET /ui/pieces/export.pdf", s.uiPieceExportPDF)
	page("GET /ui/organisations/{id}/other-formats", s.uiOtherFormatsForm)
	page("POST /ui/organisations/{id}/other-formats", s.uiOtherFormatsSet)
	page("GET /ui/grants/new", s.uiGrantForm)
	page("POST /ui/grants", s.uiGrant)
	page("GET /ui/dossiers/new", s.uiDossierForm)
	page("POST /ui/dossiers", s.uiDossier)
	s.copyPages(page)         // issue 18: copies (A9.4) and inventories (A13.1), web/ui_copies.go
	s.transmissionPages(page) // issue 19: transmissions (A11.1, A11.2, S2), web/ui_transmissions.go
	s.judicialPages(page)     // issue 19: judicial access (A9.5), web/ui_judicial.go
	s.incidentPages(page)     // issue 19: incidents (A13.1 to A13.3), web/ui_incidents.go
	s.webhookPages(page)      // issue 19 §2: webhook endpoints (A13.1), web/ui_webhooks.go
	s.sharingPages(page)      // issue 21: partners and releases (S1), web/ui_sharing.go
	s.sourcesPages(page)      // issue 21: sources pulled from partners (S1), web/ui_sources.go
	s.inboxPages(page)        // issue 21 §3: the staging inbox (S1, A5.1), web/ui_inbox.go

	// Issue 18 §0: the registers one can read.
	page("GET /ui/dossiers", s.uiDossiers)
	page("GET /ui/dossiers/{id}", s.uiDossierPage)
	page("GET /ui/dossiers/{id}/level", s.uiDossierLevelForm)
	page("POST /ui/dossiers/{id}/level", s.uiDossierLevel)
	page("GET /ui/grants", s.uiGrants)
	page("GET /ui/grants/{id}", s.uiGrantPage)
	page("GET /ui/clearances", s.uiClearances)
	page("GET /ui/clearances/{id}", s.uiClearancePage)
	page("GET /ui/delegations", s.uiDelegations)
	page("GET /ui/delegations/{id}", s.uiDelegationPage)
	page("GET /ui/channels/{id}", s.uiChannelPage)

	page("GET /ui/registers", s.uiRegisters)
	page("GET /ui/organisations", s.uiOrganisations)
	page("GET /ui/organisations/new", s.uiOrganisationForm)
	page("POST /ui/organisations", s.uiOrganisationCreate)
	page("GET /ui/organisations/{id}", s.uiOrganisation)
	page("GET /ui/persons", s.uiPersons)
	page("GET /ui/persons/new", s.uiPersonForm)
	page("POST /ui/persons", s.uiPersonCreate)
	page("GET /ui/persons/{id}", s.uiPerson)
	page("GET /ui/security-officers/new", s.uiOfficerForm)
	page("POST /ui/security-officers", s.uiOfficerCreate)
	page("GET /ui/clearances/new", s.uiClearanceForm)
	page("POST /ui/clearances", s.uiClearanceCreate)
	page("GET /ui/authorities", s.uiAuthorities)
	page("GET /ui/authorities/new", s.uiAuthorityForm)
	page("POST /ui/authorities", s.uiAuthorityCreate)
	page("GET /ui/delegations/new", s.uiDelegationForm)
	page("POST /ui/delegations", s.uiDelegationCreate)
	page("GET /ui/places", s.uiPlaces)
	page("GET /ui/places/new", s.uiPlaceForm)
	page("POST /ui/places", s.uiPlaceCreate)
	page("GET /ui/terminals", s.uiTerminals)
	page("GET /ui/terminals/new", s.uiTerminalForm)
	page("POST /ui/terminals", s.uiTerminalCreate)
	page("POST /ui/terminals/{id}/revoke", s.uiTerminalRevoke)
	page("GET /ui/channels", s.uiChannels)
	page("GET /ui/channels/new", s.uiChannelForm)
	page("POST /ui/channels", s.uiChannelCreate)
	page("GET /ui/equivalence", s.uiEquivalence)
	page("GET /ui/equivalence/new", s.uiEquivalenceForm)
	page("POST /ui/equivalence", s.uiEquivalenceCreate)
	page("GET /ui/profiles", s.uiProfiles) // rule profiles and the law's parameters: ui_profiles.go
	page("GET /ui/profiles/new", s.uiProfileForm)
	page("POST /ui/profiles", s.uiProfileCreate)
	page("GET /ui/law/new", s.uiLawForm)
	page("POST /ui/law", s.uiLawCreate)
	page("GET /ui/audit", s.uiAudit)
	page("GET /ui/audit/inclusion", s.uiAuditInclusion)
	page("GET /ui/audit/consistency", s.uiAuditConsistency)
	page("GET /ui/audit/erase", s.uiAuditEraseForm)
	page("POST /ui/audit/erase", s.uiAuditErase)
	page("GET /ui/accounts", s.uiAccounts)
	page("GET /ui/accounts/new", s.uiAccountForm)
	page("POST /ui/accounts", s.uiAccountCreate)
	page("POST /ui/accounts/{id}/unlock", s.uiAccountUnlock)

	page("GET /ui/account", s.uiAccount)
	page("POST /ui/account/password", s.uiPassword)
	page("GET /ui/account/sessions", s.uiSessions)
	page("POST /ui/account/sessions/{id}/revoke", s.uiSessionRevoke)
	page("GET /ui/account/keys", s.uiKeys)
	page("POST /ui/account/keys/begin", s.uiKeyBegin)
	page("POST /ui/account/keys", s.uiKeyRegister)
	page("POST /ui/account/keys/remove", s.uiKeyRemove)
	page("GET /ui/account/tokens", s.uiTokens)
	page("GET /ui/account/tokens/new", s.uiTokenForm)
	page("POST /ui/account/tokens", s.uiTokenCreate)
	page("POST /ui/account/tokens/{id}/revoke", s.uiTokenRevoke)

	s.vettingPages(page)              // issue 20, Chapter 4 (web/ui_posts.go)
	s.vettingCasePages(page)          // issue 20 §2: the intake (web/ui_vetting_cases.go)
	s.vettingInvestigationPages(page) // issue 20 §4, §10: the investigation and the person's file (web/ui_vetting_investigation.go)

	s.vettingRetentionPages(page) // issue 20 §9: retention (web/ui_vetting_retention.go)
	// Issue 20 §5: the commission (web/ui_vetting_commission.go).
	s.vettingCommissionPages(page)

	s.vettingDecisionPages(page) // issue 20 §6: decisions and their notification (web/ui_vetting_decisions.go)
	// Issue 20 §7: briefings, declarations and changes of circumstances (web/ui_vetting_briefings.go).
	s.vettingBriefingPages(page)
	s.vettingFacilityPages(page) // issue 20 §3: facility clearances (web/ui_vetting_facility.go)

	return s
}

// ServeHTTP sets the headers every response carries, routes, and logs the request. A request no route matches
// gets a problem too, not the mux's plain text.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store") // classified data must not sit in caches
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	if r.TLS != nil {
		// RFC 6797: on every answer over TLS, errors, redirects and static files included, so that whichever a
		// browser gets first, it never comes back over plain HTTP. Over plain HTTP a browser ignores it: not sent.
		h.Set("Strict-Transport-Security", hsts)
	}

	sw := &statusWriter{ResponseWriter: w}
	route, pattern := s.mux.Handler(r)
	if pattern == "" {
		s.unmatched(sw, r, route)
		pattern = "unmatched"
	} else {
		s.mux.ServeHTTP(sw, r)
	}
	// The path itself is not logged nor counted: the pattern says which route, without the IDs.
	s.met.request(pattern, sw.status(), time.Since(start))
	s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("method", r.Method), slog.String("route", pattern),
		slog.Int("status", sw.status()), slog.Duration("duration", time.Since(start)))
}

// unmatched answers a request no route serves: 405 with Allow when the path exists for other methods, else a 404
// "no such route", distinct from a hidden or missing object's (issue 18 §0).
func (s *server) unmatched(w http.ResponseWriter, r *http.Request, route http.Handler) {
	rec := &recorder{header: http.Header{}}
	route.ServeHTTP(rec, r)
	if rec.code == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", rec.header.Get("Allow"))
		s.fail(w, r, &statusError{status: http.StatusMethodNotAllowed, detail: "This route does not take that method; see the Allow header."})
		return
	}
	s.fail(w, r, errNoRoute)
}

// authed wraps a handler: it limits the body to limit bytes, authenticates the bearer token, and renders the
// handler's error.
func (s *server) authed(limit int64, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(unwrap(w), r.Body, limit)
		a, err := s.authenticate(r)
		if err == nil {
			err = h(w, r, a)
		}
		if err != nil {
			s.fail(w, r, err)
		}
	})
}

// authenticate maps the request's bearer token to an actor. Only the form of the header is checked here; the
// token itself is the service's to judge.
func (s *server) authenticate(r *http.Request) (cleared.Actor, error) {
	values := r.Header.Values("Authorization")
	if len(values) != 1 {
		return cleared.Actor{}, cleared.ErrUnauthenticated
	}
	scheme, token, ok := strings.Cut(values[0], " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return cleared.Actor{}, cleared.ErrUnauthenticated
	}
	// A token does what its scopes say: a read-only token cannot change anything.
	need := cleared.ScopeWrite
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		need = cleared.ScopeRead
	}
	a, _, err := s.auth.AuthenticateFor(r.Context(), token, need)
	if err != nil {
		return a, err
	}
	// A8.2, A9.3: a client certificate names the terminal, and must agree with the token's (web/terminal.go).
	if a.Terminal, err = s.requestTerminal(r, a.Terminal); err != nil {
		return cleared.Actor{}, err
	}
	return a, nil
}

// unwrap returns the server's own ResponseWriter under our wrappers: http.MaxBytesReader tells it, through an
// unexported method, to close the connection after a body over the limit rather than read the rest.
func unwrap(w http.ResponseWriter) http.ResponseWriter {
	for {
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return w
		}
		w = u.Unwrap()
	}
}

// statusWriter records the status a handler wrote, for the request log.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) status() int {
	if w.code == 0 {
		return http.StatusOK
	}
	return w.code
}

// recorder keeps the status and headers of the mux's own 404 and 405 answers, and drops their text.
type recorder struct {
	header http.Header
	code   int
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
}
func (r *recorder) Write(b []byte) (int, error) { return len(b), nil }
