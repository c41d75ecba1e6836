package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/sharing/misp"
	"github.com/cleared/cleared/sharing/stix"
)

// importAnswer is the answer of POST /api/imports.
type importAnswer struct {
	Items []struct {
		Piece *struct {
			ID      cleared.PieceID         `json:"id"`
			Title   string                  `json:"title"`
			Level   string                  `json:"level"`
			Foreign *cleared.ForeignMarking `json:"foreign"`
			Reasons []cleared.Reason        `json:"reasons"`
			Review  time.Time               `json:"review_on"`
			Dossier cleared.DossierID       `json:"dossier"`
		} `json:"piece"`
		UUID    string `json:"uuid"`
		Skipped int    `json:"skipped"`
		Revoked bool   `json:"revoked"`
		Known   bool   `json:"known"`
	} `json:"items"`
}

func importPath(format string, partner cleared.OrganisationID, authority cleared.AuthorityID) string {
	return "/api/imports?format=" + format + "&partner=" + url.QueryEscape(string(partner)) + "&authority=" + url.QueryEscape(string(authority))
}

// sender records the demo world's partners and returns NATO's organisation, the sender of the documents imported.
func sender(t testing.TB, e *env) cleared.OrganisationID {
	t.Helper()
	return testenv.NewSharingWorld(t, e.te, nil).NATO.Organisation
}

// received is a product as a partner sends it.
func received(uuid, title string, level cleared.Level, scheme cleared.Scheme, marking string) cleared.SharedProduct {
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	return cleared.SharedProduct{UUID: uuid, Level: level, Scheme: scheme, Marking: marking, TLP: cleared.TLPAmber,
		Originator: "Partner service", Created: at, Modified: at,
		Product: cleared.Product{Title: title, Summary: "Assessment of " + title + ".", Labels: []string{"apt"}, Indicators: []cleared.Indicator{
			{Type: "ip-dst", Value: "198.51.100.7", ToIDS: true},
			{Type: "domain", Value: "c2.example.org", Comment: "C2", ToIDS: true}, // STIX carries indicators only: ToIDS always
		}}}
}

func stixBundle(t testing.TB, ps ...cleared.SharedProduct) []byte {
	t.Helper()
	b, err := stix.Bundle(ps, stix.Options{Producer: "Partner service"})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mispEvent(t testing.TB, p cleared.SharedProduct) []byte {
	t.Helper()
	b, err := misp.Event(p, misp.Options{Producer: "Partner service"})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// importedContent reads an imported piece's content back as key: a JSON file the SRE delivers inside a marked
// wrapper once its security officer chose so (A7.1).
func importedContent(t *testing.T, e *env, key string, id cleared.PieceID) cleared.Product {
	t.Helper()
	setting := "/api/organisations/" + string(e.world.SRE.ID) + "/other-formats"
	wantStatus(t, e.request("anne", http.MethodPut, setting, "application/json", `{"other_formats":"wrap"}`), http.StatusOK)
	r := e.get(key, "/api/pieces/"+string(id)+"/content")
	wantStatus(t, r, http.StatusOK)
	var p cleared.Product
	dec := json.NewDecoder(bytes.NewReader(attachedFile(t, r.body, string(id)+".json")))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("the content is not a product: %v", err)
	}
	return p
}

// countPieces counts the pieces key sees, every page.
func countPieces(t *testing.T, e *env, key string) int {
	t.Helper()
	n, cursor := 0, ""
	for {
		l := decodeAs[pieceList](t, e.get(key, "/api/pieces?limit=500&cursor="+url.QueryEscape(cursor)))
		n += len(l.Items)
		if l.NextCursor == "" {
			return n
		}
		cursor = l.NextCursor
	}
}

func TestImport_A6_1_STIX_bundle_registered_under_foreign_marking(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	from := sender(t, e)
	sent := received("5e1b9a0c-3f4e-4b7a-9d2e-1c0a8b6f7e21", "Threat to the summit", cleared.Secret, cleared.SchemeNATO, "NATO SECRET")
	revoked := received("0f6c2d7e-8a1b-4c3d-9e5f-a1b2c3d4e5f6", "Withdrawn assessment", cleared.Secret, cleared.SchemeNATO, "NATO SECRET")
	revoked.Revoked = true
	r := e.request("paul", http.MethodPost, importPath("stix", from, w.PaulAuth.ID), "application/stix+json;version=2.1", stixBundle(t, sent, revoked))
	wantStatus(t, r, http.StatusCreated)
	if r.header.Get("Classification") != "SECRET LUX" || r.header.Get("Location") != "/api/pieces" {
		t.Errorf("Classification %q, Location %q: want SECRET LUX (A7.1) and /api/pieces", r.header.Get("Classification"), r.header.Get("Location"))
	}
	got := decodeAs[importAnswer](t, r)
	if len(got.Items) != 2 {
		t.Fatalf("%d items, want 2: %s", len(got.Items), r.body)
	}
	byUUID := map[string]int{got.Items[0].UUID: 0, got.Items[1].UUID: 1}
	it := got.Items[byUUID[sent.UUID]]
	p := it.Piece
	if p == nil {
		t.Fatalf("no piece for %s: %s", sent.UUID, r.body)
	}
	if p.Level != "SECRET" || p.Foreign == nil || p.Foreign.Marking != "NATO SECRET" || p.Foreign.Scheme != cleared.SchemeNATO {
		t.Errorf("piece at %s under %+v: want SECRET under NATO SECRET (A6.1)", p.Level, p.Foreign)
	}
	if p.Title != sent.Title || len(p.Reasons) != 1 || p.Reasons[0] != cleared.ReasonInternational {
		t.Errorf("title %q, reasons %v: want the product's title and reason b (international relations)", p.Title, p.Reasons)
	}
	if d := time.Until(p.Review); d < 4*365*24*time.Hour || d > 6*365*24*time.Hour {
		t.Errorf("review on %v: want in five years (A3.2)", p.Review)
	}
	if rv := got.Items[byUUID[revoked.UUID]]; !rv.Revoked || rv.Piece != nil {
		t.Errorf("the revoked product: %+v, want listed as revoked with no piece", rv)
	}

	content := importedContent(t, e, "paul", p.ID)
	if content.Title != sent.Title || content.Summary != sent.Summary || len(content.Indicators) != len(sent.Indicators) {
		t.Errorf("content %+v: want the product sent, %+v", content, sent.Product)
	}
	for i, in := range content.Indicators {
		if in != sent.Indicators[i] {
			t.Errorf("indicator %d: %+v, want %+v", i, in, sent.Indicators[i])
		}
	}
}

// Found reviewing the import: the same partner document sent twice (a poll that overlaps the last, a retry after a
// lost answer) registered each product twice, and nothing named the partner the piece came from.
func TestImport_A6_1_received_once_and_its_originator_kept(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	from := sender(t, e)
	sent := received("6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d", "Assessment received twice", cleared.Secret, cleared.SchemeNATO, "NATO SECRET")
	bundle := stixBundle(t, sent)
	first := decodeAs[importAnswer](t, e.post("paul", importPath("stix", from, w.PaulAuth.ID), bundle))
	if len(first.Items) != 1 || first.Items[0].Piece == nil || first.Items[0].Known {
		t.Fatalf("first import: %+v, want one piece registered", first)
	}
	before := countPieces(t, e, "paul")
	r := e.post("paul", importPath("stix", from, w.PaulAuth.ID), bundle)
	wantStatus(t, r, http.StatusCreated)
	again := decodeAs[importAnswer](t, r)
	if len(again.Items) != 1 || again.Items[0].Piece != nil || !again.Items[0].Known || again.Items[0].UUID != sent.UUID {
		t.Errorf("the same document again: %s, want the product listed as known and no piece", r.body)
	}
	if after := countPieces(t, e, "paul"); after != before {
		t.Errorf("paul sees %d pieces after the second import, %d before: want none registered again", after, before)
	}
	later := sent
	later.Modified = sent.Modified.Add(time.Hour)
	later.Summary = "Revised assessment."
	if got := decodeAs[importAnswer](t, e.post("paul", importPath("stix", from, w.PaulAuth.ID), stixBundle(t, later))); len(got.Items) != 1 ||
		got.Items[0].Piece == nil || got.Items[0].Known {
		t.Errorf("a later version: %+v, want it registered as a new piece", got)
	}

	id := first.Items[0].Piece.ID
	rc := decodeAs[cleared.Receipt](t, e.get("paul", "/api/pieces/"+string(id)+"/receipt"))
	if rc.Partner != from || rc.UUID != sent.UUID || rc.Format != cleared.FormatSTIX || rc.Marking != "NATO SECRET" ||
		!rc.Version.Equal(sent.Modified) || rc.Piece != id || rc.By != w.Paul.ID {
		t.Errorf("receipt %+v: want NATO (%s) as originator of %s at %v, marking NATO SECRET, imported by paul", rc, from, sent.UUID, sent.Modified)
	}
	wantProblem(t, e.get("lea", "/api/pieces/"+string(id)+"/receipt"), http.StatusNotFound, "")
	wantProblem(t, e.get("paul", "/api/pieces/"+string(w.Secret.ID)+"/receipt"), http.StatusNotFound, "")
}

func TestImport_A6_1_MISP_event(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	from := sender(t, e)
	sent := received("9b2f4c1d-6e7a-4b8c-8d9e-0f1a2b3c4d5e", "Cyber campaign against EU institutions", cleared.Confidential, cleared.SchemeEU,
		"CONFIDENTIEL UE/EU CONFIDENTIAL")
	r := e.post("paul", importPath("misp", from, w.PaulAuth.ID), mispEvent(t, sent))
	wantStatus(t, r, http.StatusCreated)
	got := decodeAs[importAnswer](t, r)
	if len(got.Items) != 1 || got.Items[0].Piece == nil || got.Items[0].UUID != sent.UUID {
		t.Fatalf("answer %s: want one piece for %s", r.body, sent.UUID)
	}
	p := got.Items[0].Piece
	if p.Level != "CONFIDENTIAL" || p.Foreign == nil || p.Foreign.Marking != sent.Marking || p.Foreign.Scheme != cleared.SchemeEU {
		t.Errorf("piece at %s under %+v: want CONFIDENTIAL under %s (A6.1)", p.Level, p.Foreign, sent.Marking)
	}
	if content := importedContent(t, e, "paul", p.ID); content.Title != sent.Title || len(content.Indicators) != 2 {
		t.Errorf("content %+v: want the event's title and its two indicators", content)
	}

	t.Run("A6.1 a national marking gives the level itself", func(t *testing.T) {
		national := received("1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5", "Note from a national body", cleared.Restricted, cleared.SchemeNational, "RESTREINT LUX")
		r := e.post("paul", importPath("misp", from, w.PaulAuth.ID), mispEvent(t, national))
		wantStatus(t, r, http.StatusCreated)
		p := decodeAs[importAnswer](t, r).Items[0].Piece
		if p == nil || p.Level != "RESTRICTED" || p.Foreign != nil {
			t.Errorf("piece %+v: want RESTRICTED with no foreign marking", p)
		}
	})
	t.Run("A4.2 the pieces join the dossier given", func(t *testing.T) {
		again := received("4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b", "Follow-up on the campaign", cleared.Confidential, cleared.SchemeEU,
			"CONFIDENTIEL UE/EU CONFIDENTIAL")
		r := e.post("paul", importPath("misp", from, w.PaulAuth.ID)+"&dossier="+string(w.Dossier.ID), mispEvent(t, again))
		wantStatus(t, r, http.StatusCreated)
		if p := decodeAs[importAnswer](t, r).Items[0].Piece; p == nil || p.Dossier != w.Dossier.ID {
			t.Errorf("piece %+v: want it in dossier %s", p, w.Dossier.ID)
		}
	})
}

func TestImport_S1_refusals(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	from := sender(t, e)
	nato := received("5e1b9a0c-3f4e-4b7a-9d2e-1c0a8b6f7e21", "Threat to the summit", cleared.Secret, cleared.SchemeNATO, "NATO SECRET")
	unclassified := received("7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d", "Public advisory", cleared.Unclassified, cleared.SchemeTLP, "")
	unknown := nato
	unknown.UUID, unknown.Marking = "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", "NATO SECRET"
	unknownBundle := bytes.ReplaceAll(stixBundle(t, nato, unknown), []byte("NATO SECRET"), []byte("ATOMAL SECRET"))
	stixType := "application/stix+json;version=2.1"
	before := countPieces(t, e, "paul")

	for _, tc := range []struct {
		name, key, path, ctype string
		body                   []byte
		status                 int
		rule, says             string
	}{
		{"A4.1 an unclassified product (TLP only) is refused", "paul", importPath("stix", from, w.PaulAuth.ID), stixType,
			stixBundle(t, nato, unclassified), http.StatusBadRequest, "", "an unclassified product is not imported"},
		{"A4.1 an unclassified MISP event is refused", "paul", importPath("misp", from, w.PaulAuth.ID), "application/json",
			mispEvent(t, unclassified), http.StatusBadRequest, "", "classified pieces only"},
		{"A6.1 a marking with no national equivalent refuses the whole bundle", "paul", importPath("stix", from, w.PaulAuth.ID), stixType,
			unknownBundle, http.StatusBadRequest, "", "ATOMAL SECRET"},
		{"S1 garbage is refused", "paul", importPath("stix", from, w.PaulAuth.ID), stixType,
			[]byte(`{"type":"bundle","objects":[{"type":`), http.StatusBadRequest, "", "bundle"},
		{"S1 a MISP event that is not one is refused", "paul", importPath("misp", from, w.PaulAuth.ID), "application/json",
			[]byte(`[1,2,3]`), http.StatusBadRequest, "", "Event"},
		{"S1 an unknown format is refused", "paul", importPath("csv", from, w.PaulAuth.ID), "application/json",
			stixBundle(t, nato), http.StatusBadRequest, "", "format"},
		{"S1 a missing authority is refused", "paul", "/api/imports?format=stix&partner=" + string(from), "application/json",
			stixBundle(t, nato), http.StatusBadRequest, "", "authority"},
		{"A6.1 a missing partner is refused: it is the products' originator", "paul",
			"/api/imports?format=stix&authority=" + string(w.PaulAuth.ID), "application/json", stixBundle(t, nato), http.StatusBadRequest, "", "partner"},
		{"S1 a sender not in the register of partners is refused", "paul", importPath("stix", w.SRE.ID, w.PaulAuth.ID), stixType,
			stixBundle(t, nato), http.StatusBadRequest, "", "register of partners"},
		{"S1 an unknown parameter is refused", "paul", importPath("stix", from, w.PaulAuth.ID) + "&level=SECRET", "application/json",
			stixBundle(t, nato), http.StatusBadRequest, "", "level"},
		{"S1 a MISP event sent as STIX media type is refused", "paul", importPath("misp", from, w.PaulAuth.ID), stixType,
			mispEvent(t, nato), http.StatusUnsupportedMediaType, "", ""},
		{"S1 text is refused", "paul", importPath("stix", from, w.PaulAuth.ID), "text/plain",
			stixBundle(t, nato), http.StatusUnsupportedMediaType, "", ""},
		{"A5.1 who holds no classifying authority is refused", "lea", importPath("stix", from, w.PaulAuth.ID), stixType,
			stixBundle(t, nato), http.StatusForbidden, "A5.1", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := wantProblem(t, e.request(tc.key, http.MethodPost, tc.path, tc.ctype, tc.body), tc.status, tc.rule)
			if !strings.Contains(p.Detail, tc.says) {
				t.Errorf("detail %q does not say %q", p.Detail, tc.says)
			}
		})
	}
	t.Run("S1 a body over 64 MiB is refused", func(t *testing.T) {
		big := append(stixBundle(t, nato), bytes.Repeat([]byte(" "), 64<<20)...)
		wantProblem(t, e.request("paul", http.MethodPost, importPath("stix", from, w.PaulAuth.ID), stixType, big), http.StatusRequestEntityTooLarge, "")
	})
	if after := countPieces(t, e, "paul"); after != before {
		t.Errorf("paul sees %d pieces after the refusals, %d before: a refused import created pieces", after, before)
	}
}

// BenchmarkImport_MISP_43000_attributes imports one MISP event of 43 000 attributes end to end, over HTTP; the
// issue asks for at least 20 000 attributes a second.
func BenchmarkImport_MISP_43000_attributes(b *testing.B) {
	e := newEnv(b, nil)
	from := sender(b, e)
	const n = 43000
	p := received("3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a", "Large indicator set", cleared.Secret, cleared.SchemeNATO, "NATO SECRET")
	p.Indicators = make([]cleared.Indicator, n)
	for i := range p.Indicators {
		p.Indicators[i] = cleared.Indicator{Type: "ip-dst", Value: fmt.Sprintf("10.%d.%d.%d", i>>16, i>>8&255, i&255), ToIDS: true}
	}
	body := mispEvent(b, p)
	path := importPath("misp", from, e.world.PaulAuth.ID)
	b.SetBytes(int64(len(body)))
	n0 := 0
	for b.Loop() {
		// Another event each time: the same one again is known, and registered once.
		n0++
		body := bytes.Replace(body, []byte(p.UUID), fmt.Appendf(nil, "3d4e5f6a-7b8c-4d9e-8f0a-%012d", n0), 1)
		r := e.post("paul", path, body)
		if r.status != http.StatusCreated {
			b.Fatalf("status %d: %.300s", r.status, r.body)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "attributes/s")
}
