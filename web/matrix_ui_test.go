package web_test

// The authorization matrix of the web UI (issue 5): the pages' half of the contract whose API half is
// matrix_test.go. For every page under /ui/, every demo web login and, where it matters, the terminal its session
// was opened from, the answer the law requires. As there, the grids are written out by hand from the demo world
// (internal/demo) and the law, never computed from the policy they check; every grid has a row for every caller
// of mxuRows, and a demo login that no row signs in as fails the test.
//
// A row is a session, login@terminal, the terminal chosen on the demonstration's sign-in form:
//
//	zone      B2-WS01, in the SRE's security zone, accredited TRES SECRET
//	office    314-WS02, in office 3.14 outside the zone, accredited SECRET
//	conf      314-WS03, in the same office, accredited CONFIDENTIEL only: the test registers it, since the demo has
//	          no terminal accredited below a level its users hold (A8.1)
//	ministry  MAEE-LECT-01, the ministry's reading room, accredited SECRET
//	kiosk     the ministry's public kiosk (A9.3)
//	none      no terminal at all: an unregistered device (A9.3)
//
// and three rows have no session: pending (tom past his password, not his code), none (no cookie), bogus (a
// well-formed session cookie that was never issued).
//
// A cell is one of:
//
//	200    the page (for a piece's content, the download), with the level banner at its top and bottom (A7.1)
//	303    a form accepted: See Other to the page that shows the result
//	404    the caller may not know the object exists: the page is byte for byte the one for a well-formed ID that
//	       never existed, headers included (but the date), and leaves as many entries in the audit log (A9.1;
//	       A23.1 for a person's file). A refused form shows again what was typed: there, and only there, the ID
//	       typed is the one difference allowed.
//	login  no signed-in session: See Other to the sign-in page, which comes back to the page afterwards (not to a
//	       form, whose data is not kept); nothing is recorded
//	A8.2 … 403, refused by that rule: the page names the rule, gives its sentence in the reader's language, and
//	       names the audit entry that records the refusal, checked in the log
//
// A refusal changes nothing: the audit log grows by one refusal, the one the page names, and records no act of
// the kind refused (a refused form shown again may read what it offers, such as one's authorities).
//
// A cell whose real behaviour breaks the law keeps the answer the law requires, and is listed in mxuBugs with the
// defect: the runner skips it with "BUG: …" while it still misbehaves, and fails once it is fixed, so that the
// entry is removed (see mxBugs).
//
// Subtests are named route=…/account=…/piece=… (level=…, col=… in the grids whose columns are not pieces), so
// that a failure names its cell:
//
//	go test ./web -run 'TestMatrixUI_Reads/route=piece-content/account=sophie@office/piece=TopSecret'

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/registry"
)

// mxuRows are the callers of the UI grids, each grid's rows in this order.
var mxuRows = []string{
	"helene@zone",
	"sophie@zone", "sophie@office", "sophie@conf", "sophie@kiosk", "sophie@none",
	"director@zone", "director@office", "director@conf", "director@kiosk",
	"paul@office", "minister@ministry", "anne@zone", "luc@ministry", "tom@ministry",
	"lea@office", "max@office", "nina@office",
	"premier@ministry", "claire@office", "bruno@ministry", "nadia@ministry", "jo@zone", "ada@none",
	"pending", "none", "bogus",
}

// Pieces: the piece's page (GET /ui/pieces/{id}) and the grant form of the piece (GET /ui/grants/new?piece=). Knowing
// a piece exists needs a valid clearance at its level (or exemption, A14.1: the minister) and need-to-know of it or
// its dossier (A9.1). The terminal then decides what is said of it: nothing classified at the kiosk or without a
// terminal (A9.3, a 403: the grant told the caller it exists), and no title where the content grid below refuses
// the content by A8.1 or A8.2 (the page and the grant form are headed "title withheld" instead). Rank and office give no need-to-know: not to
// the NSA officer, the security officers or the director. Grants of the demo: sophie TopSecret, Secret,
// Confidential, NATO and the dossier (PartA, PartB); anne and the director TopSecret; the minister Secret (he
// classified it); paul what he classified (Confidential, Restricted, NATO, PartA, PartB); tom Secret and
// Restricted; lea Confidential and Restricted; max Restricted. helene, luc, nina, ada hold none; jo's TRES SECRET
// clearance expired (A17.1).
//
// A 200 piece page shows the content in the page where the content grid below says 200, and in its place the
// refusal, naming the rule, where that grid names one.
const mxuKnowGrid = `
account            TopSecret  Secret  Confidential  Restricted  NATO   PartA  PartB
helene@zone        404        404     404           404         404    404    404
sophie@zone        200        200     200           404         200    200    200
sophie@office      200        200     200           404         200    200    200
sophie@conf        200        200     200           404         200    200    200
sophie@kiosk       A9.3       A9.3    A9.3          404         A9.3   A9.3   A9.3
sophie@none        A9.3       A9.3    A9.3          404         A9.3   A9.3   A9.3
director@zone      200        404     404           404         404    404    404
director@office    200        404     404           404         404    404    404
director@conf      200        404     404           404         404    404    404
director@kiosk     A9.3       404     404           404         404    404    404
paul@office        404        404     200           200         200    200    200
minister@ministry  404        200     404           404         404    404    404
anne@zone          200        404     404           404         404    404    404
luc@ministry       404        404     404           404         404    404    404
tom@ministry       404        200     404           200         404    404    404
lea@office         404        404     200           200         404    404    404
max@office         404        404     404           200         404    404    404
nina@office        404        404     404           404         404    404    404
premier@ministry   404        404     404           404         404    404    404
claire@office      404        404     404           404         404    404    404
bruno@ministry     404        404     404           404         404    404    404
nadia@ministry     404        404     404           404         404    404    404
jo@zone            404        404     404           404         404    404    404
ada@none           404        404     404           404         404    404    404
pending            login      login   login         login       login  login  login
none               login      login   login         login       login  login  login
bogus              login      login   login         login       login  login  login
`

// The grant form of a piece (GET /ui/grants/new?piece=): as the piece's page for what one may know (404, A9.3);
// then offered only to who may grant anything, an authority in office or a security officer (A9.1, issue 18 §0).
const mxuGrantFormGrid = `
account            TopSecret  Secret  Confidential  Restricted  NATO   PartA  PartB
helene@zone        404        404     404           404         404    404    404
sophie@zone        A9.1       A9.1    A9.1          404         A9.1   A9.1   A9.1
sophie@office      A9.1       A9.1    A9.1          404         A9.1   A9.1   A9.1
sophie@conf        A9.1       A9.1    A9.1          404         A9.1   A9.1   A9.1
sophie@kiosk       A9.3       A9.3    A9.3          404         A9.3   A9.3   A9.3
sophie@none        A9.3       A9.3    A9.3          404         A9.3   A9.3   A9.3
director@zone      200        404     404           404         404    404    404
director@office    200        404     404           404         404    404    404
director@conf      200        404     404           404         404    404    404
director@kiosk     A9.3       404     404           404         404    404    404
paul@office        404        404     200           200         200    200    200
minister@ministry  404        200     404           404         404    404    404
anne@zone          200        404     404           404         404    404    404
luc@ministry       404        404     404           404         404    404    404
tom@ministry       404        A9.1    404           A9.1        404    404    404
lea@office         404        404     A9.1          A9.1        404    404    404
max@office         404        404     404           A9.1        404    404    404
nina@office        404        404     404           404         404    404    404
premier@ministry   404        404     404           404         404    404    404
claire@office      404        404     404           404         404    404    404
bruno@ministry     404        404     404           404         404    404    404
nadia@ministry     404        404     404           404         404    404    404
jo@zone            404        404     404           404         404    404    404
ada@none           404        404     404           404         404    404    404
pending            login      login   login         login       login  login  login
none               login      login   login         login       login  login  login
bogus              login      login   login         login       login  login  login
`

// Content: GET /ui/pieces/{id}/content, the download. Past what the caller may know (else 404, as above), the
// terminal decides: no classified content on an unregistered terminal or in a public place (A9.3: the kiosk, no
// terminal), TRES SECRET only in a security zone (A8.2: the office, conf and ministry terminals), and a terminal
// accredited for the level (A8.1: conf is accredited CONFIDENTIEL, below SECRET and NATO SECRET, which is SECRET
// LUX).
const mxuContentGrid = `
account            TopSecret  Secret  Confidential  Restricted  NATO   PartA  PartB
helene@zone        404        404     404           404         404    404    404
sophie@zone        200        200     200           404         200    200    200
sophie@office      A8.2       200     200           404         200    200    200
sophie@conf        A8.2       A8.1    200           404         A8.1   200    200
sophie@kiosk       A9.3       A9.3    A9.3          404         A9.3   A9.3   A9.3
sophie@none        A9.3       A9.3    A9.3          404         A9.3   A9.3   A9.3
director@zone      200        404     404           404         404    404    404
director@office    A8.2       404     404           404         404    404    404
director@conf      A8.2       404     404           404         404    404    404
director@kiosk     A9.3       404     404           404         404    404    404
paul@office        404        404     200           200         200    200    200
minister@ministry  404        200     404           404         404    404    404
anne@zone          200        404     404           404         404    404    404
luc@ministry       404        404     404           404         404    404    404
tom@ministry       404        200     404           200         404    404    404
lea@office         404        404     200           200         404    404    404
max@office         404        404     404           200         404    404    404
nina@office        404        404     404           404         404    404    404
premier@ministry   404        404     404           404         404    404    404
claire@office      404        404     404           404         404    404    404
bruno@ministry     404        404     404           404         404    404    404
nadia@ministry     404        404     404           404         404    404    404
jo@zone            404        404     404           404         404    404    404
ada@none           404        404     404           404         404    404    404
pending            login      login   login         login       login  login  login
none               login      login   login         login       login  login  login
bogus              login      login   login         login       login  login  login
`

// Lists: GET /ui/pieces, and a search that every demo title matches (GET /ui/pieces?q=e). Exactly the pieces the
// caller may know (A9.1), none at the kiosk or without a terminal (A9.3); "-" is an empty list. Where the content
// grid refuses a piece's content by A8.1 or A8.2 the list shows it without its title, and the search, which reads
// titles, does not find it. Nothing on the page counts what
// the caller may not know: no page link, no "more", a banner from the pieces shown only; and the page reads byte
// for byte the same once a piece he may not know is added (TestMatrixUI_Reads, hidden-piece).
const mxuListGrid = `
account            pieces listed
helene@zone        -
sophie@zone        TopSecret Secret Confidential NATO PartA PartB
sophie@office      TopSecret Secret Confidential NATO PartA PartB
sophie@conf        TopSecret Secret Confidential NATO PartA PartB
sophie@kiosk       -
sophie@none        -
director@zone      TopSecret
director@office    TopSecret
director@conf      TopSecret
director@kiosk     -
paul@office        Confidential Restricted NATO PartA PartB
minister@ministry  Secret
anne@zone          TopSecret
luc@ministry       -
tom@ministry       Secret Restricted
lea@office         Confidential Restricted
max@office         Restricted
nina@office        -
premier@ministry   -
claire@office      -
bruno@ministry     -
nadia@ministry     -
jo@zone            -
ada@none           -
pending            login
none               login
bogus              login
`

// Registers: the dashboard, the index of registers, and the registers one reads. Organisations, authorities,
// places, terminals, channels and the equivalence table are read by anyone signed in; the list of persons is
// personal data, for the NSA only (A20.1). A person's file is for himself, the NSA and his organisation's security
// officers (A23.1): tom's (ministry) for tom, helene and luc; sophie's (SRE) for sophie, helene and anne; for
// anyone else it does not exist. The organisation column is the SRE's page. The dashboard's banner is that of the
// pieces its agenda shows, which its own tests check; here, that it is the same at the top and the bottom, and
// (hidden-piece) that a piece one may not know changes nothing on it.
const mxuRegisterGrid = `
account            dashboard  registers  organisations  organisation  persons  tom-file  sophie-file  authorities  places  terminals  channels  equivalence
helene@zone        200        200        200            200           200      200       200          200          200     200        200       200
sophie@zone        200        200        200            200           A20.1    404       200          200          200     200        200       200
sophie@office      200        200        200            200           A20.1    404       200          200          200     200        200       200
sophie@conf        200        200        200            200           A20.1    404       200          200          200     200        200       200
sophie@kiosk       200        200        200            200           A20.1    404       200          200          200     200        200       200
sophie@none        200        200        200            200           A20.1    404       200          200          200     200        200       200
director@zone      200        200        200            200           A20.1    404       404          200          200     200        200       200
director@office    200        200        200            200           A20.1    404       404          200          200     200        200       200
director@conf      200        200        200            200           A20.1    404       404          200          200     200        200       200
director@kiosk     200        200        200            200           A20.1    404       404          200          200     200        200       200
paul@office        200        200        200            200           A20.1    404       404          200          200     200        200       200
minister@ministry  200        200        200            200           A20.1    404       404          200          200     200        200       200
anne@zone          200        200        200            200           A20.1    404       200          200          200     200        200       200
luc@ministry       200        200        200            200           A20.1    200       404          200          200     200        200       200
tom@ministry       200        200        200            200           A20.1    200       404          200          200     200        200       200
lea@office         200        200        200            200           A20.1    404       404          200          200     200        200       200
max@office         200        200        200            200           A20.1    404       404          200          200     200        200       200
nina@office        200        200        200            200           A20.1    404       404          200          200     200        200       200
premier@ministry   200        200        200            200           A20.1    404       404          200          200     200        200       200
claire@office      200        200        200            200           A20.1    404       404          200          200     200        200       200
bruno@ministry     200        200        200            200           A20.1    404       404          200          200     200        200       200
nadia@ministry     200        200        200            200           A20.1    404       404          200          200     200        200       200
jo@zone            200        200        200            200           A20.1    404       404          200          200     200        200       200
ada@none           200        200        200            200           A20.1    404       404          200          200     200        200       200
pending            login      login      login          login         login    login     login        login        login   login      login     login
none               login      login      login          login         login    login     login        login        login   login      login     login
bogus              login      login      login          login         login    login     login        login        login   login      login     login
`

// Forms: the empty form of each act is offered only to who the policy would let do it (issue 18 §0): the NSA's
// registers to its cleared officer (A20.1: helene), classification and dossiers to the authorities in office
// (A5.1: the director, paul, the minister), grants to them and to the security officers (A9.1: anne, luc),
// delegations to the NSA and the principals (A5.1), places and terminals to the security officers (A9.2). To
// anyone else the form's page is the refusal, recorded; what he may do is decided again when the form is sent
// (TestMatrixUI_Forms).
const mxuFormGrid = `
account            classify  dossier  grant  organisation  person  officer  clearance  authority  delegation  place  terminal  channel  equivalence
helene@zone        A5.1      A5.1     A9.1   200           200     200      200        200        200         A9.2   A9.2      200      200
sophie@zone        A5.1      A5.1     A9.1   A20.1         A20.1   A20.1    A20.1      A20.1      A5.1        A9.2   A9.2      A20.1    A20.1
sophie@office      A5.1      A5.1     A9.1   A20.1         A20.1   A20.1    A20.1      A20.1      A5.1        A9.2   A9.2      A20.1    A20.1
sophie@conf        A5.1      A5.1     A9.1   A20.1         A20.1   A20.1    A20.1      A20.1      A5.1        A9.2   A9.2      A20.1    A20.1
sophie@kiosk       A5.1      A5.1     A9.1   A20.1         A20.1   A20.1    A20.1      A20.1      A5.1        A9.2   A9.2      A20.1    A20.1
sophie@none        A5.1      A5.1     A9.1   A20.1         A20.1   A20.1    A20.1      A20.1      A5.1        A9.2   A9.2      A20.1    A20.1
director@zone      200       200      200    A20.1         A20.1   A20.1    A20.1      A20.1      200         A9.2   A9.2      A20.1    A20.1
director@office    200       200      200    A20.1         A20.1   A20.1    A20.1      A20.1      200         A9.2   A9.2      A20.1    A20.1
director@conf      200       200      200    A20.1         A20.1   A20.1    A20.1      A20.1      200         A9.2   A9.2      A20.1    A20.1
director@kiosk     200       200      200    A20.1         A20.1   A20.1    A20.1      A20.1      200         A9.2   A9.2      A20.1    A20.1
paul@office        200       200      200    A20.1         A20.1   A20.1    A20.1      A20.1      A5.1        A9.2   A9.2      A20.1    A20.1
minister@ministry  200       200      200    A20.1         A20.1   A20.1    A20.1      A20.1      200         A9.2   A9.2      A20.1    A20.1
anne@zone          A5.1      A5.1     200    A20.1         A20.1   A20.1    A20.1      A20.1      A5.1        200    200       A20.1    A20.1
luc@ministry       A5.1      A5.1     200    A20.1         A20.1   A20.1    A20.1      A20.1      A5.1        200    200       A20.1    A20.1
tom@ministry       A5.1      A5.1     A9.1   A20.1         A20.1   A20.1    A20.1      A20.1      A5.1        A9.2   A9.2      A20.1    A20.1
lea@office         A5.1      A5.1     A9.1   A20.1         A20.1   A20.1    A20.1      A20.1      A5.1        A9.2   A9.2      A20.1    A20.1
max@office         A5.1      A5.1     A9.1   A20.1         A20.1   A20.1    A20.1      A20.1      A5.1        A9.2   A9.2      A20.1    A20.1
nina@office        A5.1      A5.1     A9.1   A20.1         A20.1   A20.1    A20.1      A20.1      A5.1        A9.2   A9.2      A20.1    A20.1
premier@ministry   A5.1      A5.1     A9.1   A20.1         A20.1   A20.1    A20.1      A20.1      A5.1        A9.2   A9.2      A20.1    A20.1
claire@office      A5.1      A5.1     A9.1   A20.1         A20.1   A20.1    A20.1      A20.1      A5.1        A9.2   A9.2      A20.1    A20.1
bruno@ministry     A5.1      A5.1     A9.1   A20.1         A20.1   A20.1    A20.1      A20.1      A5.1        A9.2   A9.2      A20.1    A20.1
nadia@ministry     A5.1      A5.1     A9.1   A20.1         A20.1   A20.1    A20.1      A20.1      A5.1        A9.2   A9.2      A20.1    A20.1
jo@zone            A5.1      A5.1     A9.1   A20.1         A20.1   A20.1    A20.1      A20.1      A5.1        A9.2   A9.2      A20.1    A20.1
ada@none           A5.1      A5.1     A9.1   A20.1         A20.1   A20.1    A20.1      A20.1      A5.1        A9.2   A9.2      A20.1    A20.1
pending            login     login    login  login         login   login    login      login      login       login  login     login    login
none               login     login    login  login         login   login    login      login      login       login  login     login    login
bogus              login     login    login  login         login   login    login      login      login       login  login     login    login
`

// The audit log and one's account. The audit log's checkpoint and its proofs are for auditors and NSA officers
// (A11.2); their forms are empty pages. One's account, sessions, security keys and API tokens are one's own; the
// register of accounts is an administrator's (AUTH.ADMIN: ada), its form an empty page.
const mxuAccountGrid = `
account            audit  inclusion-form  inclusion  consistency-form  consistency  erase-form  account  sessions  keys   tokens  token-form  accounts    account-form
helene@zone        200    200             200        200               200          200         200      200       200    200     200         AUTH.ADMIN  AUTH.ADMIN
sophie@zone        A11.2  200             A11.2      200               A11.2        200         200      200       200    200     200         AUTH.ADMIN  AUTH.ADMIN
sophie@office      A11.2  200             A11.2      200               A11.2        200         200      200       200    200     200         AUTH.ADMIN  AUTH.ADMIN
sophie@conf        A11.2  200             A11.2      200               A11.2        200         200      200       200    200     200         AUTH.ADMIN  AUTH.ADMIN
sophie@kiosk       A11.2  200             A11.2      200               A11.2        200         200      200       200    200     200         AUTH.ADMIN  AUTH.ADMIN
sophie@none        A11.2  200             A11.2      200               A11.2        200         200      200       200    200     200         AUTH.ADMIN  AUTH.ADMIN
director@zone      A11.2  200             A11.2      200               A11.2        200         200      200       200    200     200         AUTH.ADMIN  AUTH.ADMIN
director@office    A11.2  200             A11.2      200               A11.2        200         200      200       200    200     200         AUTH.ADMIN  AUTH.ADMIN
director@conf      A11.2  200             A11.2      200               A11.2        200         200      200       200    200     200         AUTH.ADMIN  AUTH.ADMIN
director@kiosk     A11.2  200             A11.2      200               A11.2        200         200      200       200    200     200         AUTH.ADMIN  AUTH.ADMIN
paul@office        A11.2  200             A11.2      200               A11.2        200         200      200       200    200     200         AUTH.ADMIN  AUTH.ADMIN
minister@ministry  A11.2  200             A11.2      200               A11.2        200         200      200       200    200     200         AUTH.ADMIN  AUTH.ADMIN
anne@zone          A11.2  200             A11.2      200               A11.2        200         200      200       200    200     200         AUTH.ADMIN  AUTH.ADMIN
luc@ministry       A11.2  200             A11.2      200               A11.2        200         200      200       200    200     200         AUTH.ADMIN  AUTH.ADMIN
tom@ministry       A11.2  200             A11.2      200               A11.2        200         200      200       200    200     200         AUTH.ADMIN  AUTH.ADMIN
lea@office         A11.2  200             A11.2      200               A11.2        200         200      200       200    200     200         AUTH.ADMIN  AUTH.ADMIN
max@office         A11.2  200             A11.2      200               A11.2        200         200      200       200    200     200         AUTH.ADMIN  AUTH.ADMIN
nina@office        A11.2  200             A11.2      200               A11.2        200         200      200       200    200     200         AUTH.ADMIN  AUTH.ADMIN
premier@ministry   A11.2  200             A11.2      200               A11.2        200         200      200       200    200     200         AUTH.ADMIN  AUTH.ADMIN
claire@office      A11.2  200             A11.2      200               A11.2        200         200      200       200    200     200         AUTH.ADMIN  AUTH.ADMIN
bruno@ministry     A11.2  200             A11.2      200               A11.2        200         200      200       200    200     200         AUTH.ADMIN  AUTH.ADMIN
nadia@ministry     A11.2  200             A11.2      200               A11.2        200         200      200       200    200     200         AUTH.ADMIN  AUTH.ADMIN
jo@zone            A11.2  200             A11.2      200               A11.2        200         200      200       200    200     200         AUTH.ADMIN  AUTH.ADMIN
ada@none           A11.2  200             A11.2      200               A11.2        200         200      200       200    200     200         200         200
pending            login  login           login      login             login        login       login    login     login  login   login       login       login
none               login  login           login      login             login        login       login    login     login  login   login       login       login
bogus              login  login           login      login             login        login       login    login     login  login   login       login       login
`

// Grants: POST /ui/grants, need-to-know of each demo piece for a person of the test's own, cleared TRES SECRET. The
// granter must know the piece (else 404, as for a piece that never existed) and be the authority that classified
// it, or act for it, or a security officer of the organisation that holds it (A9.1): the director and anne (SRE)
// for TopSecret, the minister for Secret, paul for his pieces. Knowing a piece is not enough to pass it on.
const mxuGrantGrid = `
account            TopSecret  Secret  Confidential  Restricted  NATO   PartA  PartB
helene@zone        404        404     404           404         404    404    404
sophie@zone        A9.1       A9.1    A9.1          404         A9.1   A9.1   A9.1
sophie@office      A9.1       A9.1    A9.1          404         A9.1   A9.1   A9.1
sophie@conf        A9.1       A9.1    A9.1          404         A9.1   A9.1   A9.1
sophie@kiosk       A9.1       A9.1    A9.1          404         A9.1   A9.1   A9.1
sophie@none        A9.1       A9.1    A9.1          404         A9.1   A9.1   A9.1
director@zone      303        404     404           404         404    404    404
director@office    303        404     404           404         404    404    404
director@conf      303        404     404           404         404    404    404
director@kiosk     303        404     404           404         404    404    404
paul@office        404        404     303           303         303    303    303
minister@ministry  404        303     404           404         404    404    404
anne@zone          303        404     404           404         404    404    404
luc@ministry       404        404     404           404         404    404    404
tom@ministry       404        A9.1    404           A9.1        404    404    404
lea@office         404        404     A9.1          A9.1        404    404    404
max@office         404        404     404           A9.1        404    404    404
nina@office        404        404     404           404         404    404    404
premier@ministry   404        404     404           404         404    404    404
claire@office      404        404     404           404         404    404    404
bruno@ministry     404        404     404           404         404    404    404
nadia@ministry     404        404     404           404         404    404    404
jo@zone            404        404     404           404         404    404    404
ada@none           404        404     404           404         404    404    404
pending            login      login   login         login       login  login  login
none               login      login   login         login       login  login  login
bogus              login      login   login         login       login  login  login
`

// Classification: POST /ui/pieces, an electronic piece with its text, at each level, acting as the classifying
// authority one holds (the director, paul, the minister), or else as the director's, which one does not hold
// (A5.1). An authority classifies only up to its own clearance, but a member of the Government (A5.3: paul is
// SECRET). The content of an electronic piece is typed or sent from the terminal: a classified piece is not
// processed in a public place or on an unregistered terminal (A9.3: the kiosk), TRES SECRET only in a security
// zone (A8.2: the office, conf and ministry terminals), and on a terminal accredited for the level (A8.1: conf,
// for SECRET).
const mxuClassifyGrid = `
account            TopSecret  Secret  Confidential  Restricted
helene@zone        A5.1       A5.1    A5.1          A5.1
sophie@zone        A5.1       A5.1    A5.1          A5.1
sophie@office      A5.1       A5.1    A5.1          A5.1
sophie@conf        A5.1       A5.1    A5.1          A5.1
sophie@kiosk       A5.1       A5.1    A5.1          A5.1
sophie@none        A5.1       A5.1    A5.1          A5.1
director@zone      303        303     303           303
director@office    A8.2       303     303           303
director@conf      A8.2       A8.1    303           303
director@kiosk     A9.3       A9.3    A9.3          A9.3
paul@office        A5.3       303     303           303
minister@ministry  A8.2       303     303           303
anne@zone          A5.1       A5.1    A5.1          A5.1
luc@ministry       A5.1       A5.1    A5.1          A5.1
tom@ministry       A5.1       A5.1    A5.1          A5.1
lea@office         A5.1       A5.1    A5.1          A5.1
max@office         A5.1       A5.1    A5.1          A5.1
nina@office        A5.1       A5.1    A5.1          A5.1
premier@ministry   A5.1       A5.1    A5.1          A5.1
claire@office      A5.1       A5.1    A5.1          A5.1
bruno@ministry     A5.1       A5.1    A5.1          A5.1
nadia@ministry     A5.1       A5.1    A5.1          A5.1
jo@zone            A5.1       A5.1    A5.1          A5.1
ada@none           A5.1       A5.1    A5.1          A5.1
pending            login      login   login         login
none               login      login   login         login
bogus              login      login   login         login
`

// Custody: POST /ui/pieces, a physical piece (no content: the terminal does not matter) kept by the classifier in
// a place (A8.1, A8.2, A9.3): TopSecret in the security zone, then in office 3.14 (SECRET, not a zone), a
// Confidential piece in the SRE's current archives (accredited RESTREINT only, registered by the test: the demo
// has no place accredited below a level its authorities give), then in the ministry's public hall. The authority
// is chosen as for the classification grid.
const mxuCustodyGrid = `
account            TopSecret@zone  TopSecret@office  Confidential@archives  Confidential@lobby
helene@zone        A5.1            A5.1              A5.1                   A5.1
sophie@zone        A5.1            A5.1              A5.1                   A5.1
sophie@office      A5.1            A5.1              A5.1                   A5.1
sophie@conf        A5.1            A5.1              A5.1                   A5.1
sophie@kiosk       A5.1            A5.1              A5.1                   A5.1
sophie@none        A5.1            A5.1              A5.1                   A5.1
director@zone      303             A8.2              A8.1                   A9.3
director@office    303             A8.2              A8.1                   A9.3
director@conf      303             A8.2              A8.1                   A9.3
director@kiosk     303             A8.2              A8.1                   A9.3
paul@office        A5.3            A5.3              A8.1                   A9.3
minister@ministry  303             A8.2              A8.1                   A9.3
anne@zone          A5.1            A5.1              A5.1                   A5.1
luc@ministry       A5.1            A5.1              A5.1                   A5.1
tom@ministry       A5.1            A5.1              A5.1                   A5.1
lea@office         A5.1            A5.1              A5.1                   A5.1
max@office         A5.1            A5.1              A5.1                   A5.1
nina@office        A5.1            A5.1              A5.1                   A5.1
premier@ministry   A5.1            A5.1              A5.1                   A5.1
claire@office      A5.1            A5.1              A5.1                   A5.1
bruno@ministry     A5.1            A5.1              A5.1                   A5.1
nadia@ministry     A5.1            A5.1              A5.1                   A5.1
jo@zone            A5.1            A5.1              A5.1                   A5.1
ada@none           A5.1            A5.1              A5.1                   A5.1
pending            login           login             login                  login
none               login           login             login                  login
bogus              login           login             login                  login
`

// Dossiers and terminals: POST /ui/dossiers, a dossier at TRES SECRET and at SECRET, with the authority chosen as
// above (A5.1, A5.3: a dossier has no content, so the terminal does not matter); POST /ui/terminals, a terminal
// accredited TRES SECRET then SECRET in office 3.14 (SECRET), and one accredited SECRET in the ministry's reading
// room (SECRET). Only the place organisation's security officer registers a terminal (A9.2: anne for the SRE, luc
// for the ministry), never above its place's accreditation (A8.1).
const mxuRegisterFormGrid = `
account            dossier@TopSecret  dossier@Secret  terminal@office-TopSecret  terminal@office-Secret  terminal@reading-Secret
helene@zone        A5.1               A5.1            A9.2                       A9.2                    A9.2
sophie@zone        A5.1               A5.1            A9.2                       A9.2                    A9.2
sophie@office      A5.1               A5.1            A9.2                       A9.2                    A9.2
sophie@conf        A5.1               A5.1            A9.2                       A9.2                    A9.2
sophie@kiosk       A5.1               A5.1            A9.2                       A9.2                    A9.2
sophie@none        A5.1               A5.1            A9.2                       A9.2                    A9.2
director@zone      303                303             A9.2                       A9.2                    A9.2
director@office    303                303             A9.2                       A9.2                    A9.2
director@conf      303                303             A9.2                       A9.2                    A9.2
director@kiosk     303                303             A9.2                       A9.2                    A9.2
paul@office        A5.3               303             A9.2                       A9.2                    A9.2
minister@ministry  303                303             A9.2                       A9.2                    A9.2
anne@zone          A5.1               A5.1            A8.1                       303                     A9.2
luc@ministry       A5.1               A5.1            A9.2                       A9.2                    303
tom@ministry       A5.1               A5.1            A9.2                       A9.2                    A9.2
lea@office         A5.1               A5.1            A9.2                       A9.2                    A9.2
max@office         A5.1               A5.1            A9.2                       A9.2                    A9.2
nina@office        A5.1               A5.1            A9.2                       A9.2                    A9.2
premier@ministry   A5.1               A5.1            A9.2                       A9.2                    A9.2
claire@office      A5.1               A5.1            A9.2                       A9.2                    A9.2
bruno@ministry     A5.1               A5.1            A9.2                       A9.2                    A9.2
nadia@ministry     A5.1               A5.1            A9.2                       A9.2                    A9.2
jo@zone            A5.1               A5.1            A9.2                       A9.2                    A9.2
ada@none           A5.1               A5.1            A9.2                       A9.2                    A9.2
pending            login              login           login                      login                   login
none               login              login           login                      login                   login
bogus              login              login           login                      login                   login
`

// mxuBugs lists the UI cells whose real behaviour breaks the law, as mxBugs does for the API.
var mxuBugs = mxBugCells(nil)

// mxuWant is what a UI cell expects.
type mxuWant struct {
	status int    // 200, 303, 403 or 404; 303 too for login
	login  bool   // See Other to the sign-in page
	rule   string // the rule of a 403
}

func (w mxuWant) String() string {
	switch {
	case w.login:
		return "login (303 to the sign-in page)"
	case w.rule != "":
		return fmt.Sprintf("%d %s", w.status, w.rule)
	}
	return strconv.Itoa(w.status)
}

var mxuRuleID = regexp.MustCompile(`^(A[0-9]+\.[0-9]+|S[0-9]+|E[0-9]+|AUTH\.[A-Z_]+)$`)

// mxuParseCell reads a cell: a status, login, or a rule ID for a 403 refused by that rule.
func mxuParseCell(s string) (mxuWant, error) {
	switch s {
	case "200", "303", "404":
		n, _ := strconv.Atoi(s)
		return mxuWant{status: n}, nil
	case "login":
		return mxuWant{status: http.StatusSeeOther, login: true}, nil
	}
	if mxuRuleID.MatchString(s) {
		return mxuWant{status: http.StatusForbidden, rule: s}, nil
	}
	return mxuWant{}, fmt.Errorf("cell %q: want 200, 303, 404, login or a rule ID such as A8.2", s)
}

type mxuGrid = grid[mxuWant]

// mxuParseGrid reads a UI grid, whose rows are mxuRows, in that order.
func mxuParseGrid(t *testing.T, text string) mxuGrid {
	t.Helper()
	return parseGrid(t, text, mxuParseCell, mxuCallers)
}

// mxuParseRows splits a UI grid into lines of fields, the header first, whose rows are mxuRows, in that order.
func mxuParseRows(t *testing.T, text string) [][]string {
	t.Helper()
	return checkedRows(t, text, mxuCallers)
}

func mxuCallers(got []string) error {
	if !slices.Equal(got, mxuRows) {
		return fmt.Errorf("grid rows %v, want one row for each caller, in the order of mxuRows %v", got, mxuRows)
	}
	return nil
}

// mxuEnv is the UI over a fresh demo world, with what the grids need beyond it, and a signed-in browser per row.
type mxuEnv struct {
	*uiEnv
	conf     cleared.Terminal // 314-WS03: office 3.14, accredited CONFIDENTIEL
	archives cleared.Place    // the SRE's current archives, accredited RESTREINT
	callers  map[string]*mxuCaller
	fr       map[string]string // the French catalogue, in which pages speak by default
	pieces   map[string]cleared.Piece
}

// mxuCaller is a row: a browser, signed in or not.
type mxuCaller struct {
	key    string
	role   string
	b      *browser
	person cleared.PersonID // "" without a session
	csrf   string
}

// newMxuEnv starts the UI, registers the conf terminal and the archives, signs a checkpoint for the audit pages,
// and opens a session for every row of mxuRows.
func newMxuEnv(t *testing.T) *mxuEnv {
	t.Helper()
	e := &mxuEnv{uiEnv: newUIEnv(t), callers: map[string]*mxuCaller{}}
	w := e.world
	ctx := context.Background()
	anne := cleared.Actor{Person: w.Anne.ID, Terminal: w.ZoneTerm.ID}
	var err error
	if e.conf, err = e.svc.RegisterTerminal(ctx, anne, registry.NewTerminal{Place: w.Office.ID, Name: "314-WS03",
		AccreditedLevel: cleared.Confidential}); err != nil {
		t.Fatalf("register the conf terminal: %v", err)
	}
	if e.archives, err = e.svc.RegisterPlace(ctx, anne, registry.NewPlace{OrganisationID: w.SRE.ID, Name: "Archives courantes",
		AccreditedLevel: cleared.Restricted}); err != nil {
		t.Fatalf("register the archives: %v", err)
	}
	if _, err := e.svc.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("locale", "fr.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &e.fr); err != nil {
		t.Fatalf("locale/fr.json: %v", err)
	}
	e.pieces = map[string]cleared.Piece{"TopSecret": w.TopSecret, "Secret": w.Secret, "Confidential": w.Confidential,
		"Restricted": w.Restricted, "NATO": w.NATO, "PartA": w.PartA, "PartB": w.PartB}

	terminals := map[string]cleared.TerminalID{"zone": w.ZoneTerm.ID, "office": w.OfficeTerm.ID, "conf": e.conf.ID,
		"ministry": w.MinistryTerm.ID, "kiosk": w.Kiosk.ID, "none": ""}
	signedIn := map[string]bool{}
	for _, key := range mxuRows {
		c := &mxuCaller{key: key, b: e.browser()}
		switch key {
		case "none":
			c.role = "no session"
		case "bogus":
			c.role = "a session cookie never issued"
			c.b.client.Jar.SetCookies(mustURL(e.srv.URL), []*http.Cookie{{Name: "cleared_session", Value: "cleared_s_" + strings.Repeat("a", 52)}})
		case "pending":
			c.role = "tom past his password, not his code"
			c.b.get("/login")
			p := c.b.post("/login", url.Values{"login": {"tom"}, "password": {w.Login("tom").Password}, "terminal": {string(w.MinistryTerm.ID)}})
			if p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/login/second-factor") {
				t.Fatalf("pending: the password step answers %d %s", p.status, p.header.Get("Location"))
			}
		default:
			login, term, _ := strings.Cut(key, "@")
			id, ok := terminals[term]
			if !ok {
				t.Fatalf("row %s: no terminal %q", key, term)
			}
			l := w.Login(login)
			c.role = l.Role + ", at " + term
			c.person = l.Person.ID
			c.b.signIn(login, id)
			if p := c.b.get("/ui/"); p.status != http.StatusOK {
				t.Fatalf("%s: the dashboard answers %d", key, p.status)
			}
			if c.csrf = c.b.csrf(); c.csrf == "" {
				t.Fatalf("%s: no form token on the dashboard", key)
			}
			signedIn[login] = true
		}
		e.callers[key] = c
	}
	for _, l := range w.Logins {
		if !signedIn[l.Login] {
			t.Fatalf("no row signs in as the demo login %q: add one to mxuRows and to every grid", l.Login)
		}
	}
	return e
}

// mxuReq is a request of a cell, and what its answer must show.
type mxuReq struct {
	method, path string
	form         url.Values // a POST's form, without its token
	shown        string     // the request as failures show it, IDs replaced by names
	// missing is the same request for an object that never existed, for the 404 cells; echo is, for a POST, the
	// ID asked for and the missing one, which a form shown again echoes.
	missing *mxuReq
	echo    [2]string
	// level and text are the banner of a 200 page (A7.1): UNCLASSIFIED if level is "", any (the same at the top and
	// the bottom) if "*".
	level, text string
	download    bool   // a 200 is a download, not a page
	act         string // the audit action a refusal must not have recorded as done (a form's act)
	// ok says what else a 200 (the page) or a 303 (its Location) must show.
	ok func(p page) []string
}

// mxuAnswer is an answer, and how many entries the request appended to the audit log, from which one.
type mxuAnswer struct {
	page
	from, logged uint64
}

func (e *mxuEnv) logSize(t *testing.T) uint64 {
	t.Helper()
	cp, err := e.svc.Checkpoint(t.Context())
	if err != nil {
		t.Fatalf("checkpoint: %v", err)
	}
	return cp.Size
}

// measure sends r as c, with c's form token for a POST, and, if count, counts the audit entries it appended (a
// signed checkpoint before and after: the cells that need it only).
func (e *mxuEnv) measure(t *testing.T, c *mxuCaller, r mxuReq, count bool) mxuAnswer {
	t.Helper()
	var before uint64
	if count {
		before = e.logSize(t)
	}
	var p page
	if r.method == http.MethodGet {
		p = c.b.get(r.path)
	} else {
		form := url.Values{}
		for k, v := range r.form {
			form[k] = slices.Clone(v)
		}
		form.Set("csrf", c.csrf)
		p = c.b.post(r.path, form)
	}
	a := mxuAnswer{page: p}
	if count {
		a.from, a.logged = before, e.logSize(t)-before
	}
	return a
}

// cell acts as c on r and reports how the answer differs from want.
func (e *mxuEnv) cell(t *testing.T, c *mxuCaller, r mxuReq, want mxuWant) {
	t.Helper()
	var missing *mxuAnswer
	if want.status == http.StatusNotFound && !want.login {
		if r.missing == nil {
			t.Fatalf("%s: a 404 cell on a request without a reference for an object that never existed", r.shown)
		}
		m := e.measure(t, c, *r.missing, true)
		missing = &m
	}
	got := e.measure(t, c, r, want.login || want.status >= 400)
	mxuReport(t, c, r.method+" "+r.shown, want, e.mismatch(t, c, r, got, want, missing))
}

// mismatch compares an answer with its cell and says what differs, without failing, so that a known bug can be
// skipped.
func (e *mxuEnv) mismatch(t *testing.T, c *mxuCaller, r mxuReq, got mxuAnswer, want mxuWant, missing *mxuAnswer) []string {
	t.Helper()
	if want.login {
		target := "/login"
		if r.method == http.MethodGet && r.path != "/ui/" {
			target += "?next=" + url.QueryEscape(r.path)
		}
		if got.status != want.status || got.header.Get("Location") != target {
			return []string{fmt.Sprintf("status %d to %q, want %s to %q; body %.300s", got.status, got.header.Get("Location"), want, target, got.body)}
		}
		if got.logged != 0 {
			return []string{fmt.Sprintf("without a session, the audit log grew by %d entries", got.logged)}
		}
		return nil
	}
	if got.status != want.status {
		return []string{fmt.Sprintf("status %d, want %s; Location %q; body %.300s", got.status, want, got.header.Get("Location"), mxuProblemText(got.body))}
	}
	var bad []string
	switch want.status {
	case http.StatusOK:
		if !r.download {
			bad = append(bad, mxuPageBad(got.page, r.level, r.text)...)
		}
		if r.ok != nil {
			bad = append(bad, r.ok(got.page)...)
		}
	case http.StatusSeeOther:
		if r.ok != nil {
			bad = append(bad, r.ok(got.page)...)
		}
	case http.StatusNotFound:
		bad = append(bad, mxuPageBad(got.page, "", "")...)
		if missing == nil || missing.status != http.StatusNotFound {
			return append(bad, "no 404 answer for an object that never existed to compare with")
		}
		hid, miss := got.body, missing.body
		if r.echo[0] != "" {
			hid, miss = strings.ReplaceAll(hid, r.echo[0], "{id}"), strings.ReplaceAll(miss, r.echo[1], "{id}")
		}
		if hid != miss {
			bad = append(bad, fmt.Sprintf("the 404 page differs from the one for an ID that never existed:\nhidden  %s\nmissing %s", mxuDiff(hid, miss), mxuDiff(miss, hid)))
		}
		if d := mxHeaderDiff(got.header, missing.header); d != "" {
			bad = append(bad, "the 404 headers differ from those for an ID that never existed: "+d)
		}
		if got.logged != missing.logged {
			bad = append(bad, fmt.Sprintf("the audit log grew by %d entries for the hidden object, by %d for one that never existed",
				got.logged, missing.logged))
		}
	case http.StatusForbidden:
		bad = append(bad, mxuPageBad(got.page, "*", "")...)
		bad = append(bad, e.refusalBad(t, c, r, got, want.rule)...)
	}
	return bad
}

var (
	mxuAuditSeq = regexp.MustCompile(`id="problem-audit">([0-9]+)<`)
	mxuPieceRow = regexp.MustCompile(`<tr id="piece-([^"]+)"`)
	mxuTags     = regexp.MustCompile(`(?s)<[^>]*>`)
)

// refusalBad checks a 403 page: the rule named, its sentence in French (the pages' language by default), and the
// audit entry named, which must be the one refusal the request recorded, by rule, of c's act; and nothing of the
// kind refused recorded as done.
func (e *mxuEnv) refusalBad(t *testing.T, c *mxuCaller, r mxuReq, got mxuAnswer, rule string) []string {
	t.Helper()
	var bad []string
	if !strings.Contains(got.body, `id="problem-rule">`+rule+`<`) {
		bad = append(bad, fmt.Sprintf("the page does not name rule %s: %s", rule, mxuProblemText(got.body)))
	}
	sentence, ok := e.fr["rule."+rule]
	if !ok {
		bad = append(bad, fmt.Sprintf("locale/fr.json has no sentence for rule %s", rule))
	} else if !strings.Contains(got.body, `id="problem-message">`+template.HTMLEscapeString(sentence)+`<`) {
		bad = append(bad, fmt.Sprintf("the page does not say rule %s's sentence %q: %s", rule, sentence, mxuProblemText(got.body)))
	}
	m := mxuAuditSeq.FindStringSubmatch(got.body)
	if m == nil {
		return append(bad, "the page names no audit entry")
	}
	seq, _ := strconv.ParseUint(m[1], 10, 64)
	refusals := 0
	for _, rec := range e.records(t, got.from, got.from+got.logged) {
		switch {
		case !rec.Allowed:
			refusals++
			if rec.Seq != seq || rec.Rule != rule || rec.Actor != c.person {
				bad = append(bad, fmt.Sprintf("audit entry %d records a refusal of %s by %s, rule %q; the page names entry %d, want a refusal by %s of %s's act",
					rec.Seq, rec.Action, rec.Actor, rec.Rule, seq, rule, c.key))
			}
		case r.act != "" && rec.Action == r.act:
			bad = append(bad, fmt.Sprintf("refused, yet audit entry %d records %s as done", rec.Seq, rec.Action))
		}
	}
	if refusals != 1 {
		bad = append(bad, fmt.Sprintf("the request recorded %d refusals, want 1 (entries %d to %d)", refusals, got.from, got.from+got.logged))
	}
	return bad
}

// records returns the audit entries from seq from to seq to (excluded), read with inclusion proofs as the NSA
// officer.
func (e *mxuEnv) records(t *testing.T, from, to uint64) []audit.Record {
	t.Helper()
	ctx := context.Background()
	cp, err := e.svc.Checkpoint(ctx)
	if err != nil {
		t.Fatalf("checkpoint: %v", err)
	}
	var rs []audit.Record
	for seq := from; seq < to; seq++ {
		inc, err := e.svc.InclusionProof(ctx, cleared.Actor{Person: e.world.Helene.ID, Terminal: e.world.ZoneTerm.ID}, seq, cp.Size)
		if err != nil {
			t.Fatalf("audit entry %d: %v", seq, err)
		}
		rs = append(rs, inc.Record)
	}
	return rs
}

// mxuPageBad checks what every HTML page must have: the UI's headers, banners at the top and bottom for level
// and text ("" for UNCLASSIFIED; level "*" for any level, as a refused form keeps the banner of the level chosen),
// and no missing catalogue key.
func mxuPageBad(p page, level, text string) []string {
	var bad []string
	csp := "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
	if webauthnScript.MatchString(p.body) {
		csp += "; script-src 'self'; connect-src 'self'"
	}
	for k, v := range map[string]string{
		"Content-Security-Policy": csp,
		"Referrer-Policy":         "no-referrer",
		"X-Content-Type-Options":  "nosniff",
		"Cache-Control":           "no-store",
		"Content-Type":            "text/html; charset=utf-8",
	} {
		if got := p.header.Get(k); got != v {
			bad = append(bad, fmt.Sprintf("header %s: %q, want %q", k, got, v))
		}
	}
	top, bottom := bannerTop.FindStringSubmatch(p.body), bannerBottom.FindStringSubmatch(p.body)
	if level == "" {
		level, text = "UNCLASSIFIED", unclassified
	}
	switch {
	case top == nil || bottom == nil:
		bad = append(bad, fmt.Sprintf("A7.1: a banner is missing (top %t, bottom %t)", top != nil, bottom != nil))
	case !slices.Equal(top[1:], bottom[1:]):
		bad = append(bad, fmt.Sprintf("A7.1: the bottom banner %q differs from the top one %q", bottom[1:], top[1:]))
	case level != "*" && (top[2] != level || top[3] != text):
		bad = append(bad, fmt.Sprintf("A7.1: banner %s %q, want %s %q", top[2], top[3], level, text))
	}
	if m := missingKey.FindString(p.body); m != "" {
		bad = append(bad, "the page shows a missing catalogue key "+m)
	}
	return bad
}

// mxuProblemText is what a page says in its problem box, or its beginning, for failure messages.
func mxuProblemText(body string) string {
	if i := strings.Index(body, `id="problem"`); i >= 0 {
		body = body[i:]
		if j := strings.Index(body, "</div>"); j >= 0 {
			body = body[:j]
		}
	}
	s := strings.Join(strings.Fields(mxuTags.ReplaceAllString(body, " ")), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// mxuDiff is a from where it first differs from b, for failure messages.
func mxuDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	i = max(0, i-60)
	return fmt.Sprintf("…%.200s", a[i:])
}

// mxuReport fails the cell with what differs, or skips it if what differs is a known bug's symptom.
func mxuReport(t *testing.T, c *mxuCaller, what string, want mxuWant, bad []string) {
	t.Helper()
	if knownBug(t, mxuBugs, "mxuBugs", bad) {
		return
	}
	for _, b := range bad {
		t.Errorf("%s as %s (%s): want %s: %s", what, c.key, c.role, want, b)
	}
}

// pieceGrid runs a grid whose cells each make one request, req: its columns are the demo pieces (third "piece"), or
// the route's own values (levels, places), the third part of the subtests' names.
func (e *mxuEnv) pieceGrid(t *testing.T, route, text, third string, req func(c *mxuCaller, col string, p cleared.Piece) mxuReq) {
	t.Helper()
	g := mxuParseGrid(t, text)
	for _, col := range g.cols {
		if _, ok := e.pieces[col]; !ok && third == "piece" {
			t.Fatalf("grid %s: column %q is no demo piece", route, col)
		}
	}
	t.Run("route="+route, func(t *testing.T) {
		for _, row := range g.rows {
			c := e.callers[row.caller]
			t.Run("account="+c.key, func(t *testing.T) {
				for i, col := range g.cols {
					t.Run(third+"="+col, func(t *testing.T) {
						e.cell(t, c, req(c, col, e.pieces[col]), row.want[i])
					})
				}
			})
		}
	})
}

// pageGrid runs a grid whose columns are pages, each its own route.
func (e *mxuEnv) pageGrid(t *testing.T, text string, reqs map[string]mxuReq) {
	t.Helper()
	g := mxuParseGrid(t, text)
	for i, col := range g.cols {
		r, ok := reqs[col]
		if !ok {
			t.Fatalf("no page for column %q", col)
		}
		t.Run("route="+col, func(t *testing.T) {
			for _, row := range g.rows {
				c := e.callers[row.caller]
				t.Run("account="+c.key, func(t *testing.T) {
					e.cell(t, c, r, row.want[i])
				})
			}
		})
	}
}

// mxuGet is a GET of a page without data of its own: unclassified.
func mxuGet(path string) mxuReq { return mxuReq{method: http.MethodGet, path: path, shown: path} }

// TestMatrixUI_Reads runs the grids of the pages one reads: pieces, content, lists, registers, forms, the audit
// log and one's account (A9.1, A8.1, A8.2, A9.3, A20.1, A23.1, A11.2), then checks that a piece one may not know
// changes nothing one is shown.
func TestMatrixUI_Reads(t *testing.T) {
	t.Parallel() // its own server and demo world
	e := newMxuEnv(t)
	w := e.world
	content := mxuParseGrid(t, mxuContentGrid)
	contentOf := func(row string, col string) mxuWant {
		for _, r := range content.rows {
			if r.caller == row {
				return r.want[slices.Index(content.cols, col)]
			}
		}
		panic("no row " + row)
	}

	// withheld: where the content is refused by the terminal's accreditation, the title is too (A8.1, A8.2).
	withheld := func(row, col string) bool {
		w := contentOf(row, col)
		return w.rule == "A8.1" || w.rule == "A8.2"
	}
	e.pieceGrid(t, "piece", mxuKnowGrid, "piece", func(c *mxuCaller, col string, p cleared.Piece) mxuReq {
		r := mxuReq{method: http.MethodGet, path: "/ui/pieces/" + string(p.ID), shown: "/ui/pieces/{" + col + "}",
			missing: &mxuReq{method: http.MethodGet, path: "/ui/pieces/" + string(cleared.NewPieceID())},
			level:   p.Level.String(), text: p.Marking()}
		r.ok = func(pg page) []string {
			return append(mxuPieceShown(pg, p, contentOf(c.key, col)), mxuTitle(pg, p, withheld(c.key, col))...)
		}
		return r
	})
	e.pieceGrid(t, "piece-content", mxuContentGrid, "piece", func(c *mxuCaller, col string, p cleared.Piece) mxuReq {
		return mxuReq{method: http.MethodGet, path: "/ui/pieces/" + string(p.ID) + "/content", shown: "/ui/pieces/{" + col + "}/content",
			missing:  &mxuReq{method: http.MethodGet, path: "/ui/pieces/" + string(cleared.NewPieceID()) + "/content"},
			download: true, ok: func(pg page) []string { return mxuDownloaded(pg, p) }}
	})
	e.pieceGrid(t, "grant-form", mxuGrantFormGrid, "piece", func(c *mxuCaller, col string, p cleared.Piece) mxuReq {
		return mxuReq{method: http.MethodGet, path: "/ui/grants/new?piece=" + string(p.ID), shown: "/ui/grants/new?piece={" + col + "}",
			missing: &mxuReq{method: http.MethodGet, path: "/ui/grants/new?piece=" + string(cleared.NewPieceID())},
			level:   p.Level.String(), text: p.Marking(),
			ok: func(pg page) []string {
				if withheld(c.key, col) {
					return mxuTitle(pg, p, true)
				}
				if h := `<h1 id="page-title">` + template.HTMLEscapeString(p.Title) + `</h1>`; !strings.Contains(pg.body, h) {
					return []string{"the grant form is not headed by the piece's title"}
				}
				return nil
			}}
	})

	for _, list := range []struct{ route, path string }{{"pieces", "/ui/pieces"}, {"search", "/ui/pieces?q=e"}} {
		t.Run("route="+list.route, func(t *testing.T) {
			for _, row := range mxuParseRows(t, mxuListGrid)[1:] {
				c := e.callers[row[0]]
				t.Run("account="+c.key, func(t *testing.T) {
					if row[1] == "login" {
						e.cell(t, c, mxuGet(list.path), mxuWant{status: http.StatusSeeOther, login: true})
						return
					}
					var want, hidden []cleared.Piece
					if row[1] != "-" {
						for _, n := range row[1:] {
							p, ok := e.pieces[n]
							if !ok {
								t.Fatalf("list grid: %q is no demo piece", n)
							}
							switch {
							case !withheld(c.key, n):
								want = append(want, p)
							case list.route == "pieces":
								want, hidden = append(want, p), append(hidden, p)
							}
						}
					}
					r := mxuGet(list.path)
					b := mxuBannerOf(want)
					r.level, r.text = b.level, b.text
					r.ok = func(pg page) []string {
						bad := e.listed(pg, want)
						for _, p := range hidden {
							if strings.Contains(pg.body, template.HTMLEscapeString(p.Title)) {
								bad = append(bad, fmt.Sprintf("A8.1, A8.2: the title of %s is listed where it must be withheld", p.ID))
							}
						}
						return bad
					}
					e.cell(t, c, r, mxuWant{status: http.StatusOK})
				})
			}
		})
	}

	cp, err := e.svc.Checkpoint(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	size := strconv.FormatUint(cp.Size, 10)
	person := func(p cleared.Person, name string) mxuReq {
		return mxuReq{method: http.MethodGet, path: "/ui/persons/" + string(p.ID), shown: "/ui/persons/{" + name + "}",
			missing: &mxuReq{method: http.MethodGet, path: "/ui/persons/" + string(cleared.NewPersonID())}}
	}
	e.pageGrid(t, mxuRegisterGrid, map[string]mxuReq{
		"dashboard":     {method: http.MethodGet, path: "/ui/", shown: "/ui/", level: "*"},
		"registers":     mxuGet("/ui/registers"),
		"organisations": mxuGet("/ui/organisations"),
		"organisation": {method: http.MethodGet, path: "/ui/organisations/" + string(w.SRE.ID), shown: "/ui/organisations/{SRE}",
			missing: &mxuReq{method: http.MethodGet, path: "/ui/organisations/" + string(cleared.NewOrganisationID())}},
		"persons":     mxuGet("/ui/persons"),
		"tom-file":    person(w.Tom, "tom"),
		"sophie-file": person(w.Sophie, "sophie"),
		"authorities": mxuGet("/ui/authorities"),
		"places":      mxuGet("/ui/places"),
		"terminals":   mxuGet("/ui/terminals"),
		"channels":    mxuGet("/ui/channels"),
		"equivalence": mxuGet("/ui/equivalence"),
	})
	e.pageGrid(t, mxuFormGrid, map[string]mxuReq{
		"classify":     mxuGet("/ui/pieces/new"),
		"dossier":      mxuGet("/ui/dossiers/new"),
		"grant":        mxuGet("/ui/grants/new"),
		"organisation": mxuGet("/ui/organisations/new"),
		"person":       mxuGet("/ui/persons/new"),
		"officer":      mxuGet("/ui/security-officers/new"),
		"clearance":    mxuGet("/ui/clearances/new"),
		"authority":    mxuGet("/ui/authorities/new"),
		"delegation":   mxuGet("/ui/delegations/new"),
		"place":        mxuGet("/ui/places/new"),
		"terminal":     mxuGet("/ui/terminals/new"),
		"channel":      mxuGet("/ui/channels/new"),
		"equivalence":  mxuGet("/ui/equivalence/new"),
	})
	e.pageGrid(t, mxuAccountGrid, map[string]mxuReq{
		"audit":            mxuGet("/ui/audit"),
		"inclusion-form":   mxuGet("/ui/audit/inclusion"),
		"inclusion":        mxuGet("/ui/audit/inclusion?seq=1&size=" + size),
		"consistency-form": mxuGet("/ui/audit/consistency"),
		"consistency":      mxuGet("/ui/audit/consistency?from=1&to=" + size),
		"erase-form":       mxuGet("/ui/audit/erase"),
		"account":          mxuGet("/ui/account"),
		"sessions":         mxuGet("/ui/account/sessions"),
		"keys":             mxuGet("/ui/account/keys"),
		"tokens":           mxuGet("/ui/account/tokens"),
		"token-form":       mxuGet("/ui/account/tokens/new"),
		"accounts":         mxuGet("/ui/accounts"),
		"account-form":     mxuGet("/ui/accounts/new"),
	})

	// A9.1, no leak by counting: once the director has classified a piece no one else may know, every other
	// caller's list, search and dashboard read byte for byte as before.
	t.Run("route=hidden-piece", func(t *testing.T) {
		paths := []string{"/ui/", "/ui/pieces", "/ui/pieces?q=e", "/ui/pieces?q=orage"}
		before := map[string]string{}
		for _, key := range mxuRows {
			for _, path := range paths {
				before[key+" "+path] = e.callers[key].b.get(path).body
			}
		}
		if _, err := e.svc.Classify(t.Context(), cleared.Actor{Person: w.Director.ID, Terminal: w.ZoneTerm.ID}, registry.NewPiece{
			Authority: w.DirectorAuth.ID, Kind: cleared.Electronic, Title: "Évaluation de la menace : réseau ORAGE, mise à jour",
			Level: cleared.TopSecret, Reasons: []cleared.Reason{cleared.ReasonSecurity}, ReviewOn: e.now().AddDate(1, 0, 0),
			Content: []byte("Mise à jour TRES SECRET.\n"), ContentType: "text/plain; charset=utf-8"}); err != nil {
			t.Fatal(err)
		}
		for _, key := range mxuRows {
			if strings.HasPrefix(key, "director@") {
				continue // he classified it
			}
			t.Run("account="+key, func(t *testing.T) {
				for _, path := range paths {
					if got := e.callers[key].b.get(path).body; got != before[key+" "+path] {
						t.Errorf("A9.1 %s as %s changed when a piece he may not know was classified:\nbefore %s\nafter  %s",
							path, key, mxuDiff(before[key+" "+path], got), mxuDiff(got, before[key+" "+path]))
					}
				}
			})
		}
	})
}

// mxuPieceShown checks a piece's page: the piece asked for, and its content shown where the content grid says
// 200, else the refusal naming the rule in its place, and no content.
func mxuPieceShown(pg page, p cleared.Piece, content mxuWant) []string {
	var bad []string
	if !strings.Contains(pg.body, `<code id="piece-id">`+string(p.ID)+`</code>`) {
		bad = append(bad, "the page does not show the piece asked for")
	}
	shown := strings.Contains(pg.body, `id="piece-content"`)
	switch {
	case content.status == http.StatusOK && !shown:
		bad = append(bad, "the content is not shown, though it may be here: "+mxuProblemText(pg.body))
	case content.status == http.StatusForbidden && (shown || strings.Contains(pg.body, `id="download"`)):
		bad = append(bad, fmt.Sprintf("%s: the content is offered here", content.rule))
	case content.status == http.StatusForbidden && !strings.Contains(pg.body, `data-rule="`+content.rule+`"`):
		bad = append(bad, fmt.Sprintf("%s: the page does not say why the content is not shown: %s", content.rule, mxuProblemText(pg.body)))
	}
	return bad
}

// mxuTitle checks what a piece's page says the piece is about: its title, or where it is withheld (A8.1, A8.2) the
// words that say so and never the title.
func mxuTitle(pg page, p cleared.Piece, withheld bool) []string {
	has := strings.Contains(pg.body, template.HTMLEscapeString(p.Title))
	says := strings.Contains(pg.body, "(A8.1, A8.2)")
	switch {
	case withheld && (has || !says):
		return []string{fmt.Sprintf("A8.1, A8.2: the title is shown (%v) or its withholding not said (%v)", has, !says)}
	case !withheld && !has:
		return []string{"the page does not show the piece's title"}
	}
	return nil
}

// mxuDownloaded checks a piece's content: a PDF marked on every page (A7.1, deliver_test.go reads the marks), as
// an attachment, marked in the Classification header too, sandboxed should a browser open it.
func mxuDownloaded(pg page, p cleared.Piece) []string {
	var bad []string
	if !strings.HasPrefix(pg.body, "%PDF-") || pg.header.Get("Content-Type") != "application/pdf" {
		bad = append(bad, fmt.Sprintf("content of %d bytes typed %q, want a stamped PDF", len(pg.body), pg.header.Get("Content-Type")))
	}
	if h := pg.header.Get("Classification"); h != p.Marking() {
		bad = append(bad, fmt.Sprintf("Classification header %q, want %q", h, p.Marking()))
	}
	if d := pg.header.Get("Content-Disposition"); !strings.HasPrefix(d, "attachment") {
		bad = append(bad, fmt.Sprintf("Content-Disposition %q, want an attachment", d))
	}
	if csp := pg.header.Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") {
		bad = append(bad, fmt.Sprintf("Content-Security-Policy %q, want a sandbox", csp))
	}
	return bad
}

// listed checks a list of pieces: exactly want, no page link, no "more": nothing that counts other pieces.
func (e *mxuEnv) listed(pg page, want []cleared.Piece) []string {
	var bad []string
	names := map[cleared.PieceID]string{}
	for n, p := range e.pieces {
		names[p.ID] = n
	}
	var got, wantNames []string
	for _, m := range mxuPieceRow.FindAllStringSubmatch(pg.body, -1) {
		n, ok := names[cleared.PieceID(m[1])]
		if !ok {
			n = m[1] + " (not a demo piece)"
		}
		got = append(got, n)
	}
	for _, p := range want {
		wantNames = append(wantNames, names[p.ID])
	}
	if !slices.Equal(mxSorted(got), mxSorted(wantNames)) {
		bad = append(bad, fmt.Sprintf("A9.1: listed %v, want exactly %v", got, wantNames))
	}
	if len(want) == 0 && !strings.Contains(pg.body, `id="empty"`) {
		bad = append(bad, "an empty list does not say so")
	}
	for _, id := range []string{`id="next"`, `id="more"`} {
		if strings.Contains(pg.body, id) {
			bad = append(bad, fmt.Sprintf("A9.1: the list of %d pieces has %s: it counts pieces the caller may not know", len(want), id))
		}
	}
	return bad
}

type mxuBanner struct{ level, text string }

// mxuBannerOf is the banner of a list of pieces (A7.1): the highest level, with the marking of its piece if it is
// the only one at that level; "" for none (UNCLASSIFIED).
func mxuBannerOf(ps []cleared.Piece) mxuBanner {
	var top []cleared.Piece
	for _, p := range ps {
		switch {
		case len(top) == 0 || p.Level > top[0].Level:
			top = []cleared.Piece{p}
		case p.Level == top[0].Level:
			top = append(top, p)
		}
	}
	switch len(top) {
	case 0:
		return mxuBanner{}
	case 1:
		return mxuBanner{top[0].Level.String(), top[0].Marking()}
	}
	return mxuBanner{top[0].Level.String(), top[0].Level.Marking()}
}

// TestMatrixUI_Forms runs the grids of the forms that act: grants, classification, custody, dossiers and terminals
// (A9.1, A5.1, A5.3, A8.1, A8.2, A9.3, A9.2). What it creates is its own (a grantee, names unique to the cell), so
// that the demo world's rights stay as the grids say.
func TestMatrixUI_Forms(t *testing.T) {
	t.Parallel() // its own server and demo world
	e := newMxuEnv(t)
	w := e.world
	ctx := t.Context()
	nsa := cleared.Actor{Person: w.Helene.ID, Terminal: w.ZoneTerm.ID}
	grantee, err := e.svc.RegisterPerson(ctx, nsa, registry.NewPerson{OrganisationID: w.SRE.ID, Name: "Matrice Destinataire"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.RecordClearance(ctx, nsa, registry.NewClearance{HolderKind: cleared.HolderPerson, PersonID: grantee.ID,
		Level: cleared.TopSecret, Issued: e.now().AddDate(0, -1, 0), Reference: "ANS-PSC-MX-0001"}); err != nil {
		t.Fatal(err)
	}
	day := func(months int) string { return e.now().AddDate(0, months, 0).Format(time.DateOnly) }
	// authority is the authority a caller acts as: his own, or else one he does not hold (A5.1).
	authority := func(c *mxuCaller) cleared.AuthorityID {
		switch c.person {
		case w.Paul.ID:
			return w.PaulAuth.ID
		case w.Minister.ID:
			return w.MinisterAuth.ID
		}
		return w.DirectorAuth.ID
	}
	seeOther := func(prefix, suffix string) func(page) []string {
		return func(pg page) []string {
			if loc := pg.header.Get("Location"); !strings.HasPrefix(loc, prefix) || !strings.HasSuffix(loc, suffix) {
				return []string{fmt.Sprintf("Location %q, want %s…%s", loc, prefix, suffix)}
			}
			return nil
		}
	}
	levels := map[string]cleared.Level{"TopSecret": cleared.TopSecret, "Secret": cleared.Secret, "Confidential": cleared.Confidential,
		"Restricted": cleared.Restricted}

	e.pieceGrid(t, "grant+", mxuGrantGrid, "piece", func(c *mxuCaller, col string, p cleared.Piece) mxuReq {
		form := func(id cleared.PieceID) url.Values {
			return url.Values{"piece": {string(id)}, "person_id": {string(grantee.ID)}, "until": {day(6)},
				"reason": {"Matrice " + c.key + " " + col}}
		}
		never := cleared.NewPieceID()
		return mxuReq{method: http.MethodPost, path: "/ui/grants", form: form(p.ID), shown: "/ui/grants (piece {" + col + "})",
			missing: &mxuReq{method: http.MethodPost, path: "/ui/grants", form: form(never)}, echo: [2]string{string(p.ID), string(never)},
			act: "grant.create", ok: seeOther("/ui/pieces/"+string(p.ID)+"?ok=granted", "")}
	})
	e.pieceGrid(t, "classify+", mxuClassifyGrid, "level", func(c *mxuCaller, col string, _ cleared.Piece) mxuReq {
		return mxuReq{method: http.MethodPost, path: "/ui/pieces", shown: "/ui/pieces (electronic, " + col + ")", act: "piece.classify",
			form: url.Values{"authority": {string(authority(c))}, "title": {"Matrice " + c.key + " " + col}, "kind": {"electronic"},
				"level": {levels[col].String()}, "reasons": {"a"}, "review_on": {day(12)}, "text": {"Matrice " + col + "\n"}},
			ok: seeOther("/ui/pieces/pce_", "?ok=classified")}
	})
	places := map[string]cleared.PlaceID{"zone": w.Zone.ID, "office": w.Office.ID, "archives": e.archives.ID, "lobby": w.Lobby.ID}
	e.pieceGrid(t, "custody+", mxuCustodyGrid, "col", func(c *mxuCaller, col string, _ cleared.Piece) mxuReq {
		level, place, _ := strings.Cut(col, "@")
		custodian := cmp.Or(c.person, w.Director.ID)
		return mxuReq{method: http.MethodPost, path: "/ui/pieces", shown: "/ui/pieces (physical, " + col + ")", act: "piece.classify",
			form: url.Values{"authority": {string(authority(c))}, "title": {"Matrice " + c.key + " " + col}, "kind": {"physical"},
				"level": {levels[level].String()}, "reasons": {"a"}, "review_on": {day(12)}, "custodian": {string(custodian)},
				"location": {string(places[place])}},
			ok: seeOther("/ui/pieces/pce_", "?ok=classified")}
	})
	terminalPlaces := map[string]cleared.PlaceID{"office": w.Office.ID, "reading": w.Reading.ID}
	e.pieceGrid(t, "registers+", mxuRegisterFormGrid, "col", func(c *mxuCaller, col string, _ cleared.Piece) mxuReq {
		kind, rest, _ := strings.Cut(col, "@")
		if kind == "dossier" {
			return mxuReq{method: http.MethodPost, path: "/ui/dossiers", shown: "/ui/dossiers (" + rest + ")", act: "dossier.create",
				form: url.Values{"authority": {string(authority(c))}, "title": {"Dossier Matrice " + c.key + " " + rest},
					"level": {levels[rest].String()}},
				ok: seeOther("/ui/pieces/new?dossier=dos_", "")}
		}
		place, level, _ := strings.Cut(rest, "-")
		return mxuReq{method: http.MethodPost, path: "/ui/terminals", shown: "/ui/terminals (" + rest + ")", act: "terminal.register",
			form: url.Values{"place": {string(terminalPlaces[place])}, "name": {"MX " + c.key + " " + rest},
				"accredited_level": {levels[level].String()}},
			ok: seeOther("/ui/terminals?ok=terminal", "")}
	})
}

// TestUI_RuleSentencesNameLevelsAsBanners holds the refusal sentences of both catalogues to the markings the
// banners print (A7.1): a level a sentence names in capitals is the national marking, "TRES SECRET LUX", never
// "TOP SECRET" nor "TRÈS SECRET", and both languages name the same ones, so that a refusal names the level as the
// page's banner and the piece's marking do.
func TestUI_RuleSentencesNameLevelsAsBanners(t *testing.T) {
	level := regexp.MustCompile(`\b(TOP SECRET|TR[EÈ]S SECRET|SECRET|CONFIDENTIAL|CONFIDENTIEL|RESTRICTED|RESTREINT)( LUX)?\b`)
	markings := map[string]bool{}
	for _, l := range cleared.Levels {
		markings[l.Marking()] = true
	}
	named := map[string]map[string][]string{} // language → rule → markings named
	for _, lang := range []string{"en", "fr"} {
		b, err := os.ReadFile(filepath.Join("locale", lang+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var cat map[string]string
		if err := json.Unmarshal(b, &cat); err != nil {
			t.Fatalf("locale/%s.json: %v", lang, err)
		}
		named[lang] = map[string][]string{}
		for k, v := range cat {
			if !strings.HasPrefix(k, "rule.") {
				continue
			}
			for _, m := range level.FindAllString(v, -1) {
				if !markings[m] {
					t.Errorf("locale/%s.json %s names the level %q, which no banner prints: want its marking (%s)", lang, k, m, v)
				}
				named[lang][k] = append(named[lang][k], m)
			}
		}
	}
	for k, ms := range named["fr"] {
		if !slices.Equal(ms, named["en"][k]) {
			t.Errorf("%s names %q in French, %q in English", k, ms, named["en"][k])
		}
	}
	for k, ms := range named["en"] {
		if _, ok := named["fr"][k]; !ok {
			t.Errorf("%s names %q in English, nothing in French", k, ms)
		}
	}
}
