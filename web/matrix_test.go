package web_test

// The authorization matrix (issue 5): for every API route, every demo account and, where it matters, the terminal
// the account speaks from, the answer the law requires. The grids below are the contract. They are written out by
// hand from the demo world (internal/demo) and the law, never computed from the policy they check, so that a change
// of behaviour shows up as a failing cell. A route or an account added later adds a column or a row: every grid must
// have a row for every demo account, or the test fails.
//
// A cell is one of:
//
//	200, 201  allowed (201: created, with its Location; a list then shows it)
//	404       the caller may not know the object exists: the answer is byte for byte the one for a well-formed ID
//	          that never existed, headers included, and leaves the same trail in the audit log (A9.1; A23.1 for a
//	          person's file)
//	401       no valid credentials
//	A8.2 …    403, refused by that rule, naming the audit entry that records the refusal (checked in the log)
//
// A refused POST changes nothing: the audit log grows by the refusal only, and the register's list is unchanged.
//
// A cell whose real behaviour breaks the law or design/api.md keeps the answer the law requires, and is listed in
// mxBugs with the defect: the runner skips it with "BUG: …" while it still misbehaves, and fails once it is fixed,
// so that the entry is removed.
//
// Subtests are named route=…/account=…/piece=…, so that a failure names its cell:
//
//	go test ./web -run 'TestMatrix_Pieces/route=piece-content/account=sophie_office/piece=TopSecret'

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/registry"
)

// Pieces: GET /api/pieces/{id}, the metadata with its marking. Knowing a piece exists needs a valid clearance at
// its level (or exemption, A14.1: the minister) and a need-to-know grant on it or its dossier (A9.1). The terminal
// then decides what is said of it: nothing classified at the public kiosk (A9.3: a 403, the grant told the caller
// it exists), and no title where its content could not be shown (200w: sophie's office terminal is no security
// zone, A8.2). The NSA officer, the security officers and the director know only what they were
// granted: rank and office give no need-to-know. Grants of the demo: sophie TopSecret, Secret, Confidential, NATO
// and the dossier (PartA, PartB); anne and the director TopSecret; the minister Secret (he classified it); paul what
// he classified (Confidential, Restricted, NATO, PartA, PartB); tom Secret and Restricted; lea Confidential and
// Restricted; max Restricted. luc, nina and helene hold none; jo's TRES SECRET clearance expired (A17.1).
const mxPieceGrid = `
account        TopSecret  Secret  Confidential  Restricted  NATO  PartA  PartB
helene         404        404     404           404         404   404    404
sophie_zone    200        200     200           404         200   200    200
sophie_office  200w       200     200           404         200   200    200
sophie_kiosk   A9.3       A9.3    A9.3          404         A9.3  A9.3   A9.3
director       200        404     404           404         404   404    404
paul           404        404     200           200         200   200    200
minister       404        200     404           404         404   404    404
anne           200        404     404           404         404   404    404
luc            404        404     404           404         404   404    404
tom            404        200     404           200         404   404    404
lea            404        404     200           200         404   404    404
max            404        404     404           200         404   404    404
nina           404        404     404           404         404   404    404
premier        404        404     404           404         404   404    404
claire         404        404     404           404         404   404    404
bruno          404        404     404           404         404   404    404
nadia          404        404     404           404         404   404    404
jo             404        404     404           404         404   404    404
none           401        401     401           401         401   401    401
bogus          401        401     401           401         401   401    401
`

// Content: GET /api/pieces/{id}/content. Past what the caller may know (else 404, as above), the terminal decides:
// no classified content in a public place (A9.3: sophie at the kiosk), TRES SECRET only in a security zone (A8.2:
// sophie at her office terminal), and a terminal accredited for the level (A8.1). The office and ministry terminals
// are accredited SECRET, the zone terminal TRES SECRET; NATO SECRET is SECRET LUX.
const mxContentGrid = `
account        TopSecret  Secret  Confidential  Restricted  NATO  PartA  PartB
helene         404        404     404           404         404   404    404
sophie_zone    200        200     200           404         200   200    200
sophie_office  A8.2       200     200           404         200   200    200
sophie_kiosk   A9.3       A9.3    A9.3          404         A9.3  A9.3   A9.3
director       200        404     404           404         404   404    404
paul           404        404     200           200         200   200    200
minister       404        200     404           404         404   404    404
anne           200        404     404           404         404   404    404
luc            404        404     404           404         404   404    404
tom            404        200     404           200         404   404    404
lea            404        404     200           200         404   404    404
max            404        404     404           200         404   404    404
nina           404        404     404           404         404   404    404
premier        404        404     404           404         404   404    404
claire         404        404     404           404         404   404    404
bruno          404        404     404           404         404   404    404
nadia          404        404     404           404         404   404    404
jo             404        404     404           404         404   404    404
none           401        401     401           401         401   401    401
bogus          401        401     401           401         401   401    401
`

// Lists: GET /api/pieces, followed page by page with limit=2. Exactly the pieces of the metadata grid's 200 and
// 200w cells (A9.1): nothing classified at the public kiosk (A9.3); "-" is an empty list. Pages count only what the caller may know: every page but
// the last is full.
const mxListGrid = `
account        pieces listed
helene         -
sophie_zone    TopSecret Secret Confidential NATO PartA PartB
sophie_office  TopSecret Secret Confidential NATO PartA PartB
sophie_kiosk   -
director       TopSecret
paul           Confidential Restricted NATO PartA PartB
minister       Secret
anne           TopSecret
luc            -
tom            Secret Restricted
lea            Confidential Restricted
max            Restricted
nina           -
premier        -
claire         -
bruno          -
nadia          -
jo             -
none           401
bogus          401
`

// The NSA's registers (A20.1): organisations, persons, clearances, classifying authorities and accredited
// channels are written by NSA officers only (helene). Organisations, authorities and channels are read by anyone
// authenticated; the list of persons is personal data, for the NSA only. Columns: a register's name is its GET
// list, with "+" its POST.
const mxNSAGrid = `
account        organisations  organisations+  persons  persons+  clearances+  authorities  authorities+  channels  channels+
helene         200            201             200      201       201          200          201           200       201
sophie_zone    200            A20.1           A20.1    A20.1     A20.1        200          A20.1         200       A20.1
sophie_office  200            A20.1           A20.1    A20.1     A20.1        200          A20.1         200       A20.1
sophie_kiosk   200            A20.1           A20.1    A20.1     A20.1        200          A20.1         200       A20.1
director       200            A20.1           A20.1    A20.1     A20.1        200          A20.1         200       A20.1
paul           200            A20.1           A20.1    A20.1     A20.1        200          A20.1         200       A20.1
minister       200            A20.1           A20.1    A20.1     A20.1        200          A20.1         200       A20.1
anne           200            A20.1           A20.1    A20.1     A20.1        200          A20.1         200       A20.1
luc            200            A20.1           A20.1    A20.1     A20.1        200          A20.1         200       A20.1
tom            200            A20.1           A20.1    A20.1     A20.1        200          A20.1         200       A20.1
lea            200            A20.1           A20.1    A20.1     A20.1        200          A20.1         200       A20.1
max            200            A20.1           A20.1    A20.1     A20.1        200          A20.1         200       A20.1
nina           200            A20.1           A20.1    A20.1     A20.1        200          A20.1         200       A20.1
premier        200            A20.1           A20.1    A20.1     A20.1        200          A20.1         200       A20.1
claire         200            A20.1           A20.1    A20.1     A20.1        200          A20.1         200       A20.1
bruno          200            A20.1           A20.1    A20.1     A20.1        200          A20.1         200       A20.1
nadia          200            A20.1           A20.1    A20.1     A20.1        200          A20.1         200       A20.1
jo             200            A20.1           A20.1    A20.1     A20.1        200          A20.1         200       A20.1
none           401            401             401      401       401          401          401           401       401
bogus          401            401             401      401       401          401          401           401       401
`

// Files, places, audit. A person's file (GET /api/persons/{id}) is for himself, the NSA and his organisation's
// security officers (A23.1): tom's (ministry) for tom, helene and luc; sophie's (SRE) for sophie, helene and anne;
// for anyone else it does not exist. Places and security zones are established by the organisation's security
// officer only (A9.2): anne for the SRE, luc for the ministry; not the NSA, not the head of the body. The audit
// log's checkpoint is for auditors and NSA officers (A11.2); the demo has no auditor. Everyone reads his own
// agenda (GET /api/me/agenda; what it holds: mxAgendaGrid).
const mxFileGrid = `
account        me   agenda  tom-file  sophie-file  places+SRE  places+ministry  checkpoint
helene         200  200     200       200          A9.2        A9.2             200
sophie_zone    200  200     404       200          A9.2        A9.2             A11.2
sophie_office  200  200     404       200          A9.2        A9.2             A11.2
sophie_kiosk   200  200     404       200          A9.2        A9.2             A11.2
director       200  200     404       404          A9.2        A9.2             A11.2
paul           200  200     404       404          A9.2        A9.2             A11.2
minister       200  200     404       404          A9.2        A9.2             A11.2
anne           200  200     404       200          201         A9.2             A11.2
luc            200  200     200       404          A9.2        201              A11.2
tom            200  200     200       404          A9.2        A9.2             A11.2
lea            200  200     404       404          A9.2        A9.2             A11.2
max            200  200     404       404          A9.2        A9.2             A11.2
nina           200  200     404       404          A9.2        A9.2             A11.2
premier        200  200     404       404          A9.2        A9.2             A11.2
claire         200  200     404       404          A9.2        A9.2             A11.2
bruno          200  200     404       404          A9.2        A9.2             A11.2
nadia          200  200     404       404          A9.2        A9.2             A11.2
jo             200  200     404       404          A9.2        A9.2             A11.2
none           401  401     401       401          401         401              401
bogus          401  401     401       401          401         401              401
`

// Agenda: GET /api/me/agenda, what each demo account must act on, as kind:object, soonest due first; "-" is an
// empty agenda. An item shows only what its reader may know. Paul reviews the CONFIDENTIEL piece he classified,
// due in three weeks (A3.2); the director, who acts for paul's delegated authority (A5.2) but has no need-to-know
// of the piece, is not told of it (A9.1). Tom's SECRET clearance turns ten in three months (A17.1): on his agenda,
// on his security officer luc's and on the NSA officer helene's, not on anne's, whose organisation is the SRE
// (A23.1). Jo's TRES SECRET clearance expired and was not renewed. Demo tokens live a year: none expires soon.
// Nina, on the ministry's classified contract without a clearance, is flagged to luc and helene (A14.1, issue 20).
// Luc, tom's security officer, is also asked to open tom's renewal case, not helene (A17.1, issue 20). The
// deciding authority, premier, has Iris Muller's reported case to decide (A27.1, issue 20): she has no account.
const mxAgendaGrid = `
account        agenda
helene         uncleared:nina holder_clearance:tom
sophie_zone    -
sophie_office  -
sophie_kiosk   -
director       -
paul           review:Confidential
minister       -
anne           -
luc            uncleared:nina holder_clearance:tom renewal:tom
tom            clearance:tom
lea            -
max            -
nina           -
premier        vetting_decide:iris
claire         -
bruno          -
nadia          -
jo             clearance:jo vetting_questionnaire:jo
none           401
bogus          401
`

// mxBugs lists the cells whose real behaviour breaks the law or the design, by subtest name below the top-level
// test (e.g. "route=piece/account=luc/piece=Secret"). A listed cell is skipped only while every difference it shows
// matches its bug's symptom; any other difference fails as usual, and a listed cell that passes fails too, so that
// its entry is removed once the code is fixed.
var mxBugs = mxBugCells(nil)

// mxBug is a known defect: its message, a regular expression matching every difference it shows, and the cells
// where it shows.
type mxBug struct {
	msg, symptom    string
	route, accounts string // accounts: space-separated, each possibly followed by "/piece=…" or "/limit=…"
	re              *regexp.Regexp
}

func mxBugCells(bugs []mxBug) map[string]mxBug {
	m := map[string]mxBug{}
	for _, b := range bugs {
		b.re = regexp.MustCompile(b.symptom)
		for _, a := range strings.Fields(b.accounts) {
			m["route="+b.route+"/account="+a] = b
		}
	}
	return m
}

// TestMatrix_Pieces runs the piece grids: read, content and list, for every caller and demo piece (A9.1, A8.1,
// A8.2, A9.3).
func TestMatrix_Pieces(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	pieces := map[string]cleared.Piece{
		"TopSecret": w.TopSecret, "Secret": w.Secret, "Confidential": w.Confidential, "Restricted": w.Restricted,
		"NATO": w.NATO, "PartA": w.PartA, "PartB": w.PartB,
	}
	routes := []struct {
		name string
		grid string
		path func(cleared.PieceID) string
		ok   func(p cleared.Piece, r response, w mxWant) []string // what a 200 must carry
	}{
		{"piece", mxPieceGrid, func(id cleared.PieceID) string { return "/api/pieces/" + string(id) }, mxPieceOK},
		{"piece-content", mxContentGrid, func(id cleared.PieceID) string { return "/api/pieces/" + string(id) + "/content" }, mxContentOK},
	}
	for _, rt := range routes {
		g := mxParseGrid(t, e, rt.grid)
		for _, col := range g.cols {
			if _, ok := pieces[col]; !ok {
				t.Fatalf("grid %s: column %q is no demo piece", rt.name, col)
			}
		}
		t.Run("route="+rt.name, func(t *testing.T) {
			for _, row := range g.rows {
				c := mxAs(e, row.caller)
				t.Run("account="+c.key, func(t *testing.T) {
					// The reference: the same caller asking for a well-formed piece ID that never existed.
					missing := c.measure(t, e, http.MethodGet, rt.path(cleared.NewPieceID()), nil)
					for i, col := range g.cols {
						p := pieces[col]
						t.Run("piece="+col, func(t *testing.T) {
							path := rt.path(p.ID)
							got := c.measure(t, e, http.MethodGet, path, nil)
							bad := mxMismatch(e, c, got, row.want[i], &missing)
							if len(bad) == 0 && row.want[i].status == http.StatusOK {
								bad = rt.ok(p, got.response, row.want[i])
							}
							mxReport(t, c, "GET "+strings.Replace(path, string(p.ID), "{"+col+"}", 1), row.want[i], bad)
						})
					}
				})
			}
		})
	}

	t.Run("route=pieces", func(t *testing.T) {
		names := map[cleared.PieceID]string{}
		for n, p := range pieces {
			names[p.ID] = n
		}
		for _, row := range mxParseRows(t, e, mxListGrid)[1:] {
			c := mxAs(e, row[0])
			t.Run("account="+c.key, func(t *testing.T) {
				if row[1] == "401" {
					got := c.measure(t, e, http.MethodGet, "/api/pieces?limit=2", nil)
					mxReport(t, c, "GET /api/pieces", mxWant{status: http.StatusUnauthorized},
						mxMismatch(e, c, got, mxWant{status: http.StatusUnauthorized}, nil))
					return
				}
				var want []string
				if row[1] != "-" {
					want = row[1:]
				}
				for _, n := range want {
					if _, ok := pieces[n]; !ok {
						t.Fatalf("list grid: %q is no demo piece", n)
					}
				}
				got, bad := mxListPieces(t, e, c, 2)
				var seen []string
				for _, id := range got {
					n, ok := names[id]
					if !ok {
						n = string(id) + " (not a demo piece)"
					}
					seen = append(seen, n)
				}
				if !slices.Equal(mxSorted(seen), mxSorted(want)) {
					bad = append(bad, fmt.Sprintf("listed %v, want exactly %v", seen, want))
				}
				mxReport(t, c, "GET /api/pieces?limit=2 (all pages)", mxWant{status: http.StatusOK}, bad)
			})
		}
	})
}

// TestMatrix_Registers runs the register grids (A20.1, A23.1, A9.2, A11.2). It records through the API only
// objects of its own (a test person, names unique to the run), so the demo world's rights stay as the grids say.
func TestMatrix_Registers(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	if _, err := e.svc.Checkpoint(t.Context()); err != nil { // the checkpoint route needs one
		t.Fatal(err)
	}
	// A person of the run's own, on whom clearances and authorities are recorded, so that the demo world's
	// holders keep their rights.
	r := e.post("helene", "/api/persons", registry.NewPerson{OrganisationID: w.Company.ID, Name: "Matrice Personne-Test"})
	wantStatus(t, r, http.StatusCreated)
	subject := decodeAs[cleared.Person](t, r)
	nonce := strconv.FormatInt(time.Now().UnixNano(), 36)
	name := func(route string, c mxCaller) string { return fmt.Sprintf("Matrice %s %s %s", route, c.key, nonce) }
	later := e.now.AddDate(1, 0, 0)

	// The routes, by column name. A POST names the list that shows what it creates: read by the NSA officer
	// before and after, it must be unchanged by a refusal. Places have no list: the audit log shows that nothing
	// but the refusal was recorded.
	routes := map[string]mxRoute{
		"organisations": {method: http.MethodGet, path: "/api/organisations"},
		"organisations+": {method: http.MethodPost, path: "/api/organisations", list: "/api/organisations?limit=500",
			body: func(c mxCaller) any {
				return registry.NewOrganisation{Name: name("organisation", c), Kind: cleared.Company, Country: "LU"}
			}},
		"persons": {method: http.MethodGet, path: "/api/persons"},
		"persons+": {method: http.MethodPost, path: "/api/persons", list: "/api/persons?limit=500",
			body: func(c mxCaller) any {
				return registry.NewPerson{OrganisationID: w.Company.ID, Name: name("person", c)}
			}},
		"clearances+": {method: http.MethodPost, path: "/api/clearances", list: "/api/persons/" + string(subject.ID),
			body: func(c mxCaller) any {
				return registry.NewClearance{HolderKind: cleared.HolderPerson, PersonID: subject.ID, Level: cleared.Confidential,
					Issued: e.now.AddDate(0, -1, 0), Reference: name("clearance", c)}
			}},
		"authorities": {method: http.MethodGet, path: "/api/authorities"},
		"authorities+": {method: http.MethodPost, path: "/api/authorities", list: "/api/authorities?limit=500",
			body: func(c mxCaller) any {
				return registry.NewAuthority{PersonID: subject.ID, Kind: cleared.AuthorityDelegate, Title: name("authority", c)}
			}},
		"channels": {method: http.MethodGet, path: "/api/channels"},
		"channels+": {method: http.MethodPost, path: "/api/channels", list: "/api/channels?limit=500",
			body: func(c mxCaller) any {
				return registry.NewChannel{Name: name("channel", c), MaxLevel: cleared.Secret, CryptoProduct: "Chiffreur agréé MX", Until: later}
			}},
		"me":     {method: http.MethodGet, path: "/api/me"},
		"agenda": {method: http.MethodGet, path: "/api/me/agenda"},
		"tom-file": {method: http.MethodGet, path: "/api/persons/" + string(w.Tom.ID), shown: "/api/persons/{tom}",
			missing: mxMissingPerson},
		"sophie-file": {method: http.MethodGet, path: "/api/persons/" + string(w.Sophie.ID), shown: "/api/persons/{sophie}",
			missing: mxMissingPerson},
		"places+SRE": {method: http.MethodPost, path: "/api/places", body: func(c mxCaller) any {
			return registry.NewPlace{OrganisationID: w.SRE.ID, Name: name("place SRE", c), AccreditedLevel: cleared.Restricted}
		}},
		"places+ministry": {method: http.MethodPost, path: "/api/places", body: func(c mxCaller) any {
			return registry.NewPlace{OrganisationID: w.Ministry.ID, Name: name("place ministère", c), AccreditedLevel: cleared.Restricted}
		}},
		"checkpoint": {method: http.MethodGet, path: "/api/audit/checkpoint"},
	}

	for _, grid := range []string{mxNSAGrid, mxFileGrid} {
		g := mxParseGrid(t, e, grid)
		for i, col := range g.cols {
			rt, ok := routes[col]
			if !ok {
				t.Fatalf("register grid: no route for column %q", col)
			}
			t.Run("route="+col, func(t *testing.T) {
				for _, row := range g.rows {
					c := mxAs(e, row.caller)
					t.Run("account="+c.key, func(t *testing.T) {
						mxRegisterCell(t, e, c, rt, row.want[i])
					})
				}
			})
		}
	}
}

// TestMatrix_Agenda runs the agenda grid (A3.2, A5.2, A9.1, A17.1, A23.1). A piece on an agenda must be one the
// piece grid lets its reader know: the agenda never names what one may not know.
func TestMatrix_Agenda(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	pieces := map[cleared.PieceID]string{w.TopSecret.ID: "TopSecret", w.Secret.ID: "Secret", w.Confidential.ID: "Confidential",
		w.Restricted.ID: "Restricted", w.NATO.ID: "NATO", w.PartA.ID: "PartA", w.PartB.ID: "PartB"}
	persons := map[cleared.PersonID]string{w.Iris.ID: "iris"} // iris has no account
	for _, a := range w.Accounts {
		persons[a.Person.ID] = strings.Split(a.Key, "_")[0]
	}
	known := mxParseGrid(t, e, mxPieceGrid)
	for _, row := range mxParseRows(t, e, mxAgendaGrid)[1:] {
		c := mxAs(e, row[0])
		t.Run("route=agenda/account="+c.key, func(t *testing.T) {
			got := c.measure(t, e, http.MethodGet, "/api/me/agenda", nil)
			if row[1] == "401" {
				mxReport(t, c, "GET /api/me/agenda", mxWant{status: http.StatusUnauthorized},
					mxMismatch(e, c, got, mxWant{status: http.StatusUnauthorized}, nil))
				return
			}
			bad := mxMismatch(e, c, got, mxWant{status: http.StatusOK}, nil)
			var ag struct {
				Items []struct {
					Kind      string `json:"kind"`
					Piece     *struct{ ID cleared.PieceID }
					Dossier   *struct{ ID cleared.DossierID }
					Clearance *struct {
						PersonID cleared.PersonID `json:"person_id"`
					}
					Assignment *struct { // issue 20 (A14.1)
						PersonID cleared.PersonID `json:"person_id"`
					}
					VettingCase *struct { // issue 20 (A25.1)
						PersonID cleared.PersonID `json:"person_id"`
					} `json:"vetting_case"`
				} `json:"items"`
			}
			if err := json.Unmarshal(got.body, &ag); err != nil || ag.Items == nil {
				bad = append(bad, fmt.Sprintf("agenda %.300s: want {\"items\": [...]} (%v)", got.body, err))
			}
			var seen []string
			for _, it := range ag.Items {
				name := "?"
				switch {
				case it.Piece != nil:
					name = cmp.Or(pieces[it.Piece.ID], string(it.Piece.ID)+" (not a demo piece)")
					for i, col := range known.cols {
						if col == name && mxKnows(known, c.key, i) != http.StatusOK {
							bad = append(bad, fmt.Sprintf("A9.1 the agenda names %s, which the piece grid hides from %s", name, c.key))
						}
					}
				case it.Dossier != nil:
					name = string(it.Dossier.ID)
				case it.Clearance != nil:
					name = cmp.Or(persons[it.Clearance.PersonID], string(it.Clearance.PersonID))
				case it.Assignment != nil:
					name = cmp.Or(persons[it.Assignment.PersonID], string(it.Assignment.PersonID))
				case it.VettingCase != nil:
					name = cmp.Or(persons[it.VettingCase.PersonID], string(it.VettingCase.PersonID))
				}
				seen = append(seen, it.Kind+":"+name)
			}
			var want []string
			if row[1] != "-" {
				want = row[1:]
			}
			if !slices.Equal(seen, want) {
				bad = append(bad, fmt.Sprintf("agenda %v, want exactly %v", seen, want))
			}
			if got.logged != 1 {
				bad = append(bad, fmt.Sprintf("reading the agenda appended %d audit entries, want 1", got.logged))
			}
			mxReport(t, c, "GET /api/me/agenda", mxWant{status: http.StatusOK}, bad)
		})
	}
}

// mxKnows is the status the grid g expects for caller's column i.
func mxKnows(g mxGrid, caller string, i int) int {
	for _, r := range g.rows {
		if r.caller == caller {
			return r.want[i].status
		}
	}
	return 0
}

// A dossier raised above a grantee's clearance (A4.2) hides its parts from him (A9.1: the clearance must reach the
// dossier's level): a read answers the 404 of a piece that never existed, and lists neither show the parts, nor
// count them (a page short of its limit before the last), nor carry them in a cursor. The demo world has no such
// dossier, so this test makes one, through the API: paul creates a CONFIDENTIEL dossier, gives lea (CONFIDENTIEL)
// need-to-know of it, classifies a CONFIDENTIEL part, then a SECRET part, which raises the dossier to SECRET.
func TestMatrix_ListsAfterADossierIsRaised(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	paul, lea := mxAs(e, "paul"), mxAs(e, "lea")
	r := paul.act(t, e, http.MethodPost, "/api/dossiers", registry.NewDossier{Authority: w.PaulAuth.ID, Title: "Dossier GIVRE",
		Level: cleared.Confidential})
	wantStatus(t, r, http.StatusCreated)
	d := decodeAs[cleared.Dossier](t, r)
	wantStatus(t, paul.act(t, e, http.MethodPost, "/api/grants", registry.NewGrant{PersonID: w.Lea.ID, Dossier: d.ID,
		Until: e.now.AddDate(1, 0, 0), Reason: "Ingénieure du contrat GIVRE"}), http.StatusCreated)
	part := func(title string, lv cleared.Level) cleared.Piece {
		t.Helper()
		r := paul.act(t, e, http.MethodPost, "/api/pieces", registry.NewPiece{Authority: w.PaulAuth.ID, Kind: cleared.Electronic,
			Title: title, Level: lv, Reasons: []cleared.Reason{cleared.ReasonPotential}, ReviewOn: e.now.AddDate(2, 0, 0),
			Dossier: d.ID, Content: []byte(title + "\n"), ContentType: "text/plain; charset=utf-8"})
		wantStatus(t, r, http.StatusCreated)
		return decodeAs[cleared.Piece](t, r)
	}
	low := part("GIVRE : annexe", cleared.Confidential)
	wantStatus(t, lea.act(t, e, http.MethodGet, "/api/pieces/"+string(low.ID), nil), http.StatusOK) // not yet raised
	part("GIVRE : synthèse", cleared.Secret)

	t.Run("route=piece/account=lea/piece=raised-part", func(t *testing.T) {
		missing := lea.measure(t, e, http.MethodGet, "/api/pieces/"+string(cleared.NewPieceID()), nil)
		got := lea.measure(t, e, http.MethodGet, "/api/pieces/"+string(low.ID), nil)
		mxReport(t, lea, "GET /api/pieces/{raised-part}", mxWant{status: http.StatusNotFound},
			mxMismatch(e, lea, got, mxWant{status: http.StatusNotFound}, &missing))
	})
	want := []cleared.PieceID{w.Confidential.ID, w.Restricted.ID}
	for _, limit := range []int{1, 2, 3, 50} {
		t.Run(fmt.Sprintf("route=pieces/account=lea/limit=%d", limit), func(t *testing.T) {
			got, bad := mxListPieces(t, e, lea, limit)
			g, wnt := slices.Clone(got), slices.Clone(want)
			slices.Sort(g)
			slices.Sort(wnt)
			if !slices.Equal(g, wnt) {
				bad = append(bad, fmt.Sprintf("listed %v, want exactly %v (Confidential, Restricted); the raised part is %s", got, want, low.ID))
			}
			mxReport(t, lea, fmt.Sprintf("GET /api/pieces?limit=%d (all pages)", limit), mxWant{status: http.StatusOK}, bad)
		})
	}
}

// mxRoute is a register route of the matrix.
type mxRoute struct {
	method, path string
	shown        string             // the path as failures show it, when path holds an ID
	body         func(mxCaller) any // a POST's body, with names unique to the caller and the run
	list         string             // a POST's list, read by the NSA officer: a refusal leaves it unchanged
	missing      func() string      // the path of an object that never existed, for the 404 cells
}

func mxMissingPerson() string { return "/api/persons/" + string(cleared.NewPersonID()) }

// mxRegisterCell acts as c on rt and checks the answer and, for a POST, the state: created and listed on 201,
// unchanged on a refusal.
func mxRegisterCell(t *testing.T, e *env, c mxCaller, rt mxRoute, want mxWant) {
	t.Helper()
	what := rt.method + " " + cmp.Or(rt.shown, rt.path)
	var missing *mxAnswer
	if want.status == http.StatusNotFound {
		if rt.missing == nil {
			t.Fatalf("%s: a 404 cell on a route without a reference for a missing object", what)
		}
		m := c.measure(t, e, http.MethodGet, rt.missing(), nil)
		missing = &m
	}
	if rt.method == http.MethodGet {
		got := c.measure(t, e, rt.method, rt.path, nil)
		bad := mxMismatch(e, c, got, want, missing)
		if len(bad) == 0 && want.status == http.StatusOK && !json.Valid(got.body) {
			bad = append(bad, fmt.Sprintf("200 with a body that is not JSON: %.200s", got.body))
		}
		mxReport(t, c, what, want, bad)
		return
	}

	var listBefore response
	if rt.list != "" {
		listBefore = mxAs(e, "helene").act(t, e, http.MethodGet, rt.list, nil)
		wantStatus(t, listBefore, http.StatusOK)
	}
	got := c.measure(t, e, rt.method, rt.path, rt.body(c))
	bad := mxMismatch(e, c, got, want, missing)
	var listAfter response
	if rt.list != "" {
		listAfter = mxAs(e, "helene").act(t, e, http.MethodGet, rt.list, nil)
		wantStatus(t, listAfter, http.StatusOK)
	}
	switch want.status {
	case http.StatusCreated:
		if got.logged != 1 {
			bad = append(bad, fmt.Sprintf("the audit log grew by %d entries, want 1", got.logged))
		}
		var obj struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(got.body, &obj); err != nil || obj.ID == "" {
			bad = append(bad, fmt.Sprintf("created object %.200s has no id", got.body))
			break
		}
		if loc := got.header.Get("Location"); !strings.HasSuffix(loc, "/"+obj.ID) || !strings.HasPrefix(loc, rt.path+"/") {
			bad = append(bad, fmt.Sprintf("Location %q, want %s/%s", loc, rt.path, obj.ID))
		}
		if rt.list != "" && !bytes.Contains(listAfter.body, []byte(`"`+obj.ID+`"`)) {
			bad = append(bad, fmt.Sprintf("created %s, but %s does not show it", obj.ID, rt.list))
		}
	case http.StatusForbidden, http.StatusUnauthorized:
		grew := uint64(0)
		if want.status == http.StatusForbidden {
			grew = 1 // the refusal's own entry, and nothing else
		}
		if got.logged != grew {
			bad = append(bad, fmt.Sprintf("refused, yet the audit log grew by %d entries, want %d", got.logged, grew))
		}
		if rt.list != "" && !bytes.Equal(listBefore.body, listAfter.body) {
			bad = append(bad, fmt.Sprintf("refused, yet %s changed:\nbefore %.300s\nafter  %.300s", rt.list, listBefore.body, listAfter.body))
		}
	}
	mxReport(t, c, what, want, bad)
}

// mxWant is what a cell expects: a status and, for a 403, the rule that refuses.
type mxWant struct {
	status int
	rule   string
	// withheld: a 200 whose piece is described without its title (A8.1, A8.2), cell "200w".
	withheld bool
}

func (w mxWant) String() string {
	if w.rule != "" {
		return fmt.Sprintf("%d %s", w.status, w.rule)
	}
	return strconv.Itoa(w.status)
}

var mxRuleID = regexp.MustCompile(`^(A[0-9]+\.[0-9]+|S[0-9]+|E[0-9]+)$`)

// mxParseCell reads a cell: a status, or a rule ID for a 403 refused by that rule.
func mxParseCell(s string) (mxWant, error) {
	switch s {
	case "200", "201", "401", "404":
		n, _ := strconv.Atoi(s)
		return mxWant{status: n}, nil
	case "200w":
		return mxWant{status: http.StatusOK, withheld: true}, nil
	}
	if mxRuleID.MatchString(s) {
		return mxWant{status: http.StatusForbidden, rule: s}, nil
	}
	return mxWant{}, fmt.Errorf("cell %q: want 200, 200w (title withheld), 201, 401, 404 or a rule ID such as A8.2", s)
}

// grid is a parsed grid of cells of type W: its columns, and one row of expectations per caller. The API's and
// the UI's matrices read their grids with it, each with its own cells and callers.
type grid[W any] struct {
	cols []string
	rows []gridRow[W]
}

type gridRow[W any] struct {
	caller string
	want   []W
}

type mxGrid = grid[mxWant]

// parseGrid reads a grid: a header "account col…", then a row per caller with one cell per column, each read by
// cell. callers checks the rows' callers, in the grid's order.
func parseGrid[W any](t *testing.T, text string, cell func(string) (W, error), callers func(got []string) error) grid[W] {
	t.Helper()
	rows := checkedRows(t, text, callers)
	g := grid[W]{cols: rows[0][1:]}
	for _, r := range rows[1:] {
		if len(r) != len(rows[0]) {
			t.Fatalf("grid row %q: %d cells, want %d (%v)", r[0], len(r)-1, len(g.cols), g.cols)
		}
		gr := gridRow[W]{caller: r[0]}
		for _, s := range r[1:] {
			w, err := cell(s)
			if err != nil {
				t.Fatalf("grid row %q: %v", r[0], err)
			}
			gr.want = append(gr.want, w)
		}
		g.rows = append(g.rows, gr)
	}
	return g
}

// checkedRows is gridRows, with the rows' callers checked by callers, in the grid's order.
func checkedRows(t *testing.T, text string, callers func(got []string) error) [][]string {
	t.Helper()
	rows := gridRows(t, text)
	var names []string
	for _, r := range rows[1:] {
		names = append(names, r[0])
	}
	if err := callers(names); err != nil {
		t.Fatal(err)
	}
	return rows
}

// gridRows splits a grid into lines of fields, the header first, each row with at least one cell.
func gridRows(t *testing.T, text string) [][]string {
	t.Helper()
	var rows [][]string
	for line := range strings.Lines(text) {
		if f := strings.Fields(line); len(f) > 0 {
			rows = append(rows, f)
		}
	}
	if len(rows) < 2 || rows[0][0] != "account" {
		t.Fatalf("grid %q: want a header starting with \"account\", then rows", text)
	}
	for _, r := range rows[1:] {
		if len(r) < 2 {
			t.Fatalf("grid row %q has no cell", r[0])
		}
	}
	return rows
}

// mxParseGrid reads an API grid (see mxCallers).
func mxParseGrid(t *testing.T, e *env, text string) mxGrid {
	t.Helper()
	return parseGrid(t, text, mxParseCell, mxCallers(e))
}

// mxParseRows splits an API grid into lines of fields, the header first (see mxCallers).
func mxParseRows(t *testing.T, e *env, text string) [][]string {
	t.Helper()
	return checkedRows(t, text, mxCallers(e))
}

// mxCallers checks that an API grid's rows name every caller of the matrix exactly once: every demo account, no
// token and a bogus token.
func mxCallers(e *env) func(got []string) error {
	want := []string{"none", "bogus"}
	for _, a := range e.world.Accounts {
		want = append(want, a.Key)
	}
	return func(got []string) error {
		if !slices.Equal(mxSorted(got), mxSorted(want)) {
			return fmt.Errorf("grid rows %v, want one row for each caller %v", got, want)
		}
		return nil
	}
}

func mxSorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// mxCaller is who acts in a cell: a demo account with its token (and the terminal the token is bound to), no
// token at all, or a well-formed token that was never issued.
type mxCaller struct {
	key    string
	auth   string // the Authorization header; empty for none
	person cleared.PersonID
	role   string
}

// mxAs returns the caller of a grid row.
func mxAs(e *env, key string) mxCaller {
	switch key {
	case "none":
		return mxCaller{key: key, role: "no token"}
	case "bogus":
		return mxCaller{key: key, auth: "Bearer " + auth.TokenPrefix + "demo_nobody_at_all", role: "a token never issued"}
	}
	a := e.world.Account(key)
	return mxCaller{key: key, auth: "Bearer " + a.Token, person: a.Person.ID, role: a.Role}
}

// mxAnswer is an answer, and how many entries the request appended to the audit log.
type mxAnswer struct {
	response
	logged uint64
}

// measure sends a request as c, as act does, and counts the audit entries it appended.
func (c mxCaller) measure(t *testing.T, e *env, method, path string, body any) mxAnswer {
	t.Helper()
	before := mxLogSize(t, e)
	r := c.act(t, e, method, path, body)
	return mxAnswer{response: r, logged: mxLogSize(t, e) - before}
}

// act sends a request as c; a body is sent as JSON.
func (c mxCaller) act(t testing.TB, e *env, method, path string, body any) response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatalf("encode request: %v", err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.auth != "" {
		req.Header.Set("Authorization", c.auth)
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read answer: %v", method, path, err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// mxMismatch compares an answer with its cell and says what differs, without failing, so that a known bug can be
// skipped. missing is the caller's answer for an object that never existed, for a 404 cell: the hidden object's
// answer must be the same, body, headers and audit trail (one entry each, so that the time taken tells nothing
// either).
func mxMismatch(e *env, c mxCaller, got mxAnswer, want mxWant, missing *mxAnswer) []string {
	if got.status != want.status {
		return []string{fmt.Sprintf("status %d, want %s; body %.300s", got.status, want, got.body)}
	}
	if want.status < 400 {
		return nil
	}
	var bad []string
	if ct := got.header.Get("Content-Type"); ct != "application/problem+json" {
		bad = append(bad, fmt.Sprintf("Content-Type %q, want application/problem+json", ct))
	}
	var p problem
	if err := json.Unmarshal(got.body, &p); err != nil {
		return append(bad, fmt.Sprintf("problem body %.300s: %v", got.body, err))
	}
	if p.Status != want.status || p.Type == "" || p.Title == "" || p.Detail == "" {
		bad = append(bad, fmt.Sprintf("problem %+v: want status %d and a type, title and detail", p, want.status))
	}
	if p.Rule != want.rule {
		bad = append(bad, fmt.Sprintf("rule %q, want %q (detail: %s)", p.Rule, want.rule, p.Detail))
	}
	switch want.status {
	case http.StatusUnauthorized:
		if got.header.Get("WWW-Authenticate") == "" {
			bad = append(bad, "401 without WWW-Authenticate")
		}
	case http.StatusForbidden:
		if p.AuditSeq == 0 {
			bad = append(bad, "403 without audit_seq")
		} else if err := mxAudited(e, p.AuditSeq, want.rule, c.person); err != nil {
			bad = append(bad, err.Error())
		}
	case http.StatusNotFound:
		if missing == nil {
			return append(bad, "no reference answer for an object that never existed")
		}
		if !bytes.Equal(got.body, missing.body) {
			bad = append(bad, fmt.Sprintf("404 body differs from the one for an ID that never existed:\nhidden  %s\nmissing %s", got.body, missing.body))
		}
		if d := mxHeaderDiff(got.header, missing.header); d != "" {
			bad = append(bad, "404 headers differ from those for an ID that never existed: "+d)
		}
		if got.logged != missing.logged {
			bad = append(bad, fmt.Sprintf("the audit log grew by %d entries for the hidden object, by %d for one that never existed: the time taken tells them apart",
				got.logged, missing.logged))
		}
	}
	return bad
}

// mxHeaderDiff compares two answers' headers, but for the date.
func mxHeaderDiff(a, b http.Header) string {
	a, b = a.Clone(), b.Clone()
	a.Del("Date")
	b.Del("Date")
	if maps.EqualFunc(a, b, slices.Equal) {
		return ""
	}
	return fmt.Sprintf("%v vs %v", a, b)
}

// mxAudited checks that audit entry seq records a refusal by rule of actor's action.
func mxAudited(e *env, seq uint64, rule string, actor cleared.PersonID) error {
	ctx := context.Background()
	cp, err := e.svc.Checkpoint(ctx)
	if err != nil {
		return fmt.Errorf("checkpoint: %v", err)
	}
	inc, err := e.svc.InclusionProof(ctx, cleared.Actor{Person: e.world.Helene.ID, Terminal: e.world.ZoneTerm.ID}, seq, cp.Size)
	if err != nil {
		return fmt.Errorf("audit_seq %d: %v", seq, err)
	}
	if r := inc.Record; r.Allowed || r.Rule != rule || r.Actor != actor {
		return fmt.Errorf("audit entry %d records %s by %s allowed=%t rule %q; want a refusal by %s of %s's action",
			seq, r.Action, r.Actor, r.Allowed, r.Rule, rule, actor)
	}
	return nil
}

// mxLogSize returns the audit log's size.
func mxLogSize(t *testing.T, e *env) uint64 {
	t.Helper()
	cp, err := e.svc.Checkpoint(t.Context())
	if err != nil {
		t.Fatalf("checkpoint: %v", err)
	}
	return cp.Size
}

// mxReport fails the cell with what differs, or skips it if what differs is a known bug's symptom.
func mxReport(t *testing.T, c mxCaller, what string, want mxWant, bad []string) {
	t.Helper()
	if knownBug(t, mxBugs, "mxBugs", bad) {
		return
	}
	for _, b := range bad {
		t.Errorf("%s as %s (%s): %s", what, c.key, c.role, b)
	}
}

// knownBug tells whether the cell t runs is listed in bugs (named list): if it now answers as the law requires, it
// fails the cell, since the entry must go; if all it got wrong (bad) is the bug's symptom, it skips the cell.
func knownBug(t *testing.T, bugs map[string]mxBug, list string, bad []string) bool {
	t.Helper()
	cell := t.Name()[strings.Index(t.Name(), "/")+1:]
	bug, ok := bugs[cell]
	if !ok {
		return false
	}
	if len(bad) == 0 {
		t.Errorf("%s now answers as the law requires: remove it from %s (%s)", cell, list, bug.msg)
		return true
	}
	for _, b := range bad {
		if !bug.re.MatchString(b) {
			return false
		}
	}
	t.Skipf("%s (observed: %s)", bug.msg, strings.Join(bad, "; "))
	return true
}

// mxPieceOK checks a piece's metadata: the piece asked for, with its marking in the body and the header (A7.1).
func mxPieceOK(p cleared.Piece, r response, w mxWant) []string {
	var got struct {
		ID       cleared.PieceID `json:"id"`
		Marking  string          `json:"marking"`
		Title    string          `json:"title"`
		Withheld bool            `json:"title_withheld"`
	}
	if err := json.Unmarshal(r.body, &got); err != nil {
		return []string{fmt.Sprintf("metadata %.200s: %v", r.body, err)}
	}
	var bad []string
	if got.ID != p.ID || got.Marking != p.Marking() {
		bad = append(bad, fmt.Sprintf("metadata of %s marked %q, want %s marked %q", got.ID, got.Marking, p.ID, p.Marking()))
	}
	if h := r.header.Get("Classification"); h != p.Marking() {
		bad = append(bad, fmt.Sprintf("Classification header %q, want %q", h, p.Marking()))
	}
	switch {
	case w.withheld && (got.Title != "" || !got.Withheld):
		bad = append(bad, fmt.Sprintf("title %q shown (withheld %v) where it must be withheld", got.Title, got.Withheld))
	case !w.withheld && (got.Title != p.Title || got.Withheld):
		bad = append(bad, fmt.Sprintf("title %q (withheld %v), want %q", got.Title, got.Withheld, p.Title))
	}
	return bad
}

// mxContentOK checks a piece's content: a PDF marked on every page (A7.1, deliver_test.go reads the marks), marked
// in the Classification header too, as an attachment.
func mxContentOK(p cleared.Piece, r response, _ mxWant) []string {
	var bad []string
	if !bytes.HasPrefix(r.body, []byte("%PDF-")) || r.header.Get("Content-Type") != "application/pdf" {
		bad = append(bad, fmt.Sprintf("content of %d bytes typed %q, want a stamped PDF", len(r.body), r.header.Get("Content-Type")))
	}
	if h := r.header.Get("Classification"); h != p.Marking() {
		bad = append(bad, fmt.Sprintf("Classification header %q, want %q", h, p.Marking()))
	}
	if d := r.header.Get("Content-Disposition"); !strings.HasPrefix(d, "attachment") {
		bad = append(bad, fmt.Sprintf("Content-Disposition %q, want an attachment", d))
	}
	return bad
}

// mxListPieces follows GET /api/pieces?limit= to its end, and returns the IDs listed and what is wrong with the
// pages: a status other than 200, a piece listed twice, or a page short of the limit before the last, which
// would count pieces the caller may not know.
func mxListPieces(t *testing.T, e *env, c mxCaller, limit int) ([]cleared.PieceID, []string) {
	var (
		ids   []cleared.PieceID
		bad   []string
		sizes []int
		seen  = map[cleared.PieceID]bool{}
	)
	cursor := ""
	for page := 0; ; page++ {
		if page > 20 {
			return ids, append(bad, "more than 20 pages: the cursor does not advance")
		}
		path := "/api/pieces?limit=" + strconv.Itoa(limit)
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		r := c.act(t, e, http.MethodGet, path, nil)
		if r.status != http.StatusOK {
			return ids, append(bad, fmt.Sprintf("page %d: status %d; body %.300s", page, r.status, r.body))
		}
		var l struct {
			Items []struct {
				ID cleared.PieceID `json:"id"`
			} `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		if err := json.Unmarshal(r.body, &l); err != nil || l.Items == nil {
			return ids, append(bad, fmt.Sprintf("page %d: %.300s: want {\"items\": [...]} (%v)", page, r.body, err))
		}
		if len(l.Items) > limit {
			bad = append(bad, fmt.Sprintf("page %d holds %d items, over the limit %d", page, len(l.Items), limit))
		}
		for _, it := range l.Items {
			if seen[it.ID] {
				bad = append(bad, fmt.Sprintf("%s listed twice", it.ID))
			}
			seen[it.ID] = true
			ids = append(ids, it.ID)
		}
		sizes = append(sizes, len(l.Items))
		if l.NextCursor == "" {
			break
		}
		// The cursor is opaque, but if it reads as a position (a time, then a piece ID), that piece must be one
		// already shown: a cursor must not carry a piece the caller may not know.
		if b, err := base64.RawURLEncoding.DecodeString(l.NextCursor); err == nil && len(b) > 8 {
			if id := cleared.PieceID(b[8:]); id.Validate() == nil && !seen[id] {
				bad = append(bad, fmt.Sprintf("page %d: next_cursor carries piece %s, which the caller was not shown", page, id))
			}
		}
		cursor = l.NextCursor
	}
	for i, n := range sizes[:len(sizes)-1] {
		if n != limit {
			bad = append(bad, fmt.Sprintf("page %d of %d holds %d items with a next cursor: the pages count pieces the caller may not know (sizes %v)",
				i, len(sizes), n, sizes))
		}
	}
	return ids, bad
}

// A8.1 cells, which the demo world cannot show: it has no terminal or place accredited below a level its users hold
// or its authorities give. The test registers them through the API, as anne, the SRE's security officer:
// 314-WS03 in office 3.14, accredited CONFIDENTIEL, and the SRE's current archives, accredited RESTREINT; sophie
// gets a token bound to 314-WS03. Content is served only to a terminal accredited for the piece's level (A8.1;
// TRES SECRET needs a security zone first, A8.2; NATO SECRET is SECRET LUX). A terminal is never accredited above
// its place, and a physical piece is kept only in a place accredited for its level (A8.1): anne registers a
// terminal accredited TRES SECRET in office 3.14 (SECRET), the director classifies a physical CONFIDENTIEL piece
// kept in the archives, and, from a token bound to 314-WS03, an electronic SECRET piece whose content he sends from
// there. Each refused by A8.1 when the one acting may act: the director is no security officer (A9.2), anne holds
// no classifying authority (A5.1).
const mxA81ContentGrid = `
account       TopSecret  Secret  Confidential  Restricted  NATO  PartA  PartB
sophie_conf   A8.2       A8.1    200           404         A8.1  200    200
`

const mxA81RegisterGrid = `
account        terminals+above-place  custody+below-level  classify+at-terminal
anne           A8.1                   A5.1                 A5.1
director       A9.2                   A8.1                 201
director_conf  A9.2                   A8.1                 A8.1
`

// TestMatrix_A8_1 runs the A8.1 grids above.
func TestMatrix_A8_1(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	r := e.post("anne", "/api/terminals", registry.NewTerminal{Place: w.Office.ID, Name: "314-WS03", AccreditedLevel: cleared.Confidential})
	wantStatus(t, r, http.StatusCreated)
	conf := decodeAs[cleared.Terminal](t, r)
	r = e.post("anne", "/api/places", registry.NewPlace{OrganisationID: w.SRE.ID, Name: "Archives courantes", AccreditedLevel: cleared.Restricted})
	wantStatus(t, r, http.StatusCreated)
	archives := decodeAs[cleared.Place](t, r)
	at := func(p cleared.Person, key, role string) mxCaller {
		t.Helper()
		secret, _, err := e.auth.CreateToken(t.Context(), auth.NewToken{PersonID: p.ID, Terminal: conf.ID, Label: "matrix: " + key, TTL: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		return mxCaller{key: key, auth: "Bearer " + secret, person: p.ID, role: role + ", at 314-WS03 (CONFIDENTIEL)"}
	}
	callers := map[string]mxCaller{
		"sophie_conf":   at(w.Sophie, "sophie_conf", "analyst, TRES SECRET"),
		"director_conf": at(w.Director, "director_conf", "SRE director, classifying authority (TRES SECRET)"),
		"anne":          mxAs(e, "anne"),
		"director":      mxAs(e, "director"),
	}
	pieces := map[string]cleared.Piece{
		"TopSecret": w.TopSecret, "Secret": w.Secret, "Confidential": w.Confidential, "Restricted": w.Restricted,
		"NATO": w.NATO, "PartA": w.PartA, "PartB": w.PartB,
	}
	// grid reads a grid of these callers' cells.
	grid := func(text string) ([]string, [][]string) {
		t.Helper()
		var rows [][]string
		for line := range strings.Lines(text) {
			if f := strings.Fields(line); len(f) > 0 {
				rows = append(rows, f)
			}
		}
		for _, row := range rows[1:] {
			if _, ok := callers[row[0]]; !ok || len(row) != len(rows[0]) {
				t.Fatalf("A8.1 grid row %v: unknown caller or %d cells, want %d", row, len(row)-1, len(rows[0])-1)
			}
		}
		return rows[0][1:], rows[1:]
	}
	cell := func(s string) mxWant {
		t.Helper()
		want, err := mxParseCell(s)
		if err != nil {
			t.Fatal(err)
		}
		return want
	}

	cols, rows := grid(mxA81ContentGrid)
	t.Run("route=piece-content", func(t *testing.T) {
		for _, row := range rows {
			c := callers[row[0]]
			t.Run("account="+c.key, func(t *testing.T) {
				missing := c.measure(t, e, http.MethodGet, "/api/pieces/"+string(cleared.NewPieceID())+"/content", nil)
				for i, col := range cols {
					p, ok := pieces[col]
					if !ok {
						t.Fatalf("A8.1 grid: column %q is no demo piece", col)
					}
					want := cell(row[i+1])
					t.Run("piece="+col, func(t *testing.T) {
						got := c.measure(t, e, http.MethodGet, "/api/pieces/"+string(p.ID)+"/content", nil)
						bad := mxMismatch(e, c, got, want, &missing)
						if len(bad) == 0 && want.status == http.StatusOK {
							bad = mxContentOK(p, got.response, want)
						}
						mxReport(t, c, "GET /api/pieces/{"+col+"}/content", want, bad)
					})
				}
			})
		}
	})

	nonce := strconv.FormatInt(time.Now().UnixNano(), 36)
	routes := map[string]mxRoute{
		"terminals+above-place": {method: http.MethodPost, path: "/api/terminals", list: "/api/terminals?limit=500",
			body: func(c mxCaller) any {
				return registry.NewTerminal{Place: w.Office.ID, Name: "MX " + c.key + " " + nonce, AccreditedLevel: cleared.TopSecret}
			}},
		"custody+below-level": {method: http.MethodPost, path: "/api/pieces",
			body: func(c mxCaller) any {
				return registry.NewPiece{Authority: w.DirectorAuth.ID, Kind: cleared.Physical, Title: "Matrice garde " + c.key + " " + nonce,
					Level: cleared.Confidential, Reasons: []cleared.Reason{cleared.ReasonSecurity}, ReviewOn: e.now.AddDate(1, 0, 0),
					Custodian: w.Director.ID, Location: archives.ID}
			}},
		"classify+at-terminal": {method: http.MethodPost, path: "/api/pieces",
			body: func(c mxCaller) any {
				return registry.NewPiece{Authority: w.DirectorAuth.ID, Kind: cleared.Electronic, Title: "Matrice poste " + c.key + " " + nonce,
					Level: cleared.Secret, Reasons: []cleared.Reason{cleared.ReasonSecurity}, ReviewOn: e.now.AddDate(1, 0, 0),
					Content: []byte("Note SECRET saisie au poste.\n"), ContentType: "text/plain; charset=utf-8"}
			}},
	}
	cols, rows = grid(mxA81RegisterGrid)
	for i, col := range cols {
		rt, ok := routes[col]
		if !ok {
			t.Fatalf("A8.1 grid: no route for column %q", col)
		}
		t.Run("route="+col, func(t *testing.T) {
			for _, row := range rows {
				c := callers[row[0]]
				t.Run("account="+c.key, func(t *testing.T) { mxRegisterCell(t, e, c, rt, cell(row[i+1])) })
			}
		})
	}
}
