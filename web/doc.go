// Package web is cleared's JSON REST API and its bilingual, server-rendered web UI: thin adapters over the
// services, one field of [Config] each: [registry.Service] for the registers and pieces, [auth.Service] for who
// signs in (architecture, principle 8). Each handler parses the request, calls one service method as the
// actor its bearer token or session stands for, and renders the result. No rule of the law lives here: every
// decision, and every refusal, comes from the service. What this package adds is the shape of the API described
// in design/api.md.
//
// Handlers are kept one action per file, named for what it acts on: the API's in <resource>.go (persons.go,
// officers.go, clearances.go, piece_classify.go, …), the UI's in ui_<resource>.go (ui_persons.go,
// ui_officers.go, ui_second_factor.go, …), so that a new chapter adds files and edits only the routes in web.go.
//
// The API is described by an OpenAPI 3.1 document, openapi.json, written by hand and served at GET
// /api/openapi.json; TestOpenAPI_Routes holds it to the routes of [New], TestOpenAPI_Answers to real answers.
//
// The UI (files ui_*.go, templates/, locale/, static/) signs people in with a password and a second factor
// (cookie.go, ui_login.go, ui_second_factor.go), knows the terminal each request comes from by its TLS client certificate
// (terminal.go), and prints on every page a banner of the highest level it shows, at the top and at the bottom
// (A7.1). Where the organisation's identity provider is configured ([OIDC]), people may sign in through it, with
// OpenID Connect, in place of the password; the second factor is still asked (oidc.go; docs/accounts.md, "Signing
// in through your organisation's identity provider"). Every string is in the French and English catalogues.
//
// # Articles served
//
//   - A7.1: every object that carries a level is rendered with its marking ("marking" in JSON: "SECRET LUX",
//     "NATO SECRET / SECRET LUX"), and a piece's content is served with a header Classification carrying it.
//   - A9.1 (and architecture principle 4): a piece the caller may not know answers 404 with a body byte for byte
//     identical to the one for an ID that never existed, and to the one for a route that does not exist. The 404
//     problem has a fixed detail and no instance member, so nothing in it depends on what was asked.
//
// # Requests
//
// The caller is named by "Authorization: Bearer <token>" ([auth.Service.Authenticate]); without a valid token
// the answer is 401 with "WWW-Authenticate: Bearer realm="cleared""; only /healthz, /readyz and /api/openapi.json
// need none. A POST body must be application/json and is decoded strictly: unknown fields, a key given twice in
// one object or named in another letter case than its field's (at every depth: strict.go), trailing data and wrong
// types are 400, a body over the route's limit is 413 (1 MiB; 48 MiB for POST /api/pieces, whose content travels
// in base64; 64 MiB for POST /api/imports, a partner's STIX bundle or MISP event), another media type is 415. IDs in the path are checked by their type's Validate (400 when malformed)
// before the service is called. The UI's forms and queries follow the same rule: a field given twice is 400, but
// for the checkboxes of one field (roles, reasons, scopes).
//
// Lists take ?limit= (1 to 500, default 50) and ?cursor=, and answer {"items": [...], "next_cursor": "..."}, the
// cursor absent on the last page. Registers ordered by ID take the last ID seen as cursor; the list of pieces,
// ordered newest first, takes an opaque cursor (see [encodePieceCursor]).
//
// A POST that creates answers 201 with the object and a Location. Objects without a read route yet (clearances,
// authorities, delegations, places, terminals, channels, dossiers, grants) get the URL their read route will
// have; a security officer designation, which has no ID, points to the person's file, and a new version of the
// equivalence table to /api/equivalence.
//
// # Errors
//
// Errors are application/problem+json (RFC 9457) with the members type, title, status and detail, plus rule for a
// refusal by the law. The type is "https://cleared.example/problems/" followed by a slug, one per status but 404:
//
//	status  type slug               service error (errors.Is / errors.As)   detail
//	400     invalid-request         cleared.ErrInvalid, bad JSON, cursor    what is wrong with the input
//	401     unauthenticated         cleared.ErrUnauthenticated              fixed
//	403     forbidden               *cleared.ErrForbidden (+ "rule")        the rule's reason
//	404     not-found               cleared.ErrNotFound                     fixed: "Not found, or not yours to know."
//	404     no-such-route           a path no route serves (issue 18)       fixed; title "No such route"
//	405     method-not-allowed      (routing; with an Allow header)         fixed
//	409     conflict                cleared.ErrConflict                     what the state forbids
//	413     too-large               body over the route's limit             the limit
//	415     unsupported-media-type  POST body not application/json          fixed
//	502     bad-gateway             a partner's server failed a poll        what the server answered (issue 21)
//	503     unavailable             cleared.ErrUnavailable, readiness       fixed; the cause is logged
//	500     internal                anything else                           fixed; the cause is logged
//
// These rows are errorKinds (problem.go), tested in order, and the UI's pages answer from the same rows: a page
// has the status the API would give the same error, with the words of the catalogues.
//
// The host cleared.example is a placeholder (RFC 2606) until the project has a documentation site to serve these
// pages; the slugs are the stable part.
//
// # Responses
//
// Every response carries X-Content-Type-Options: nosniff, Cache-Control: no-store (classified data must sit in no
// cache), Content-Security-Policy: default-src 'none'; frame-ancestors 'none', and Referrer-Policy: no-referrer.
// Each request is logged (method, route pattern, status, duration) without its body, query or credentials.
package web
