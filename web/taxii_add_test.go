package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/sharing"
)

// TAXII's write side over HTTPS with the partners' client certificates (issue 21 §3): what a partner adds is
// staged in cleared's inbox for a classifying authority (S1, A5.1), its status read by that partner alone.

// send sends method path through c with body as ctype ("" for TAXII's media type), as the demo account key if
// given (a person's token, for the inbox's API).
func (e *taxiiEnv) send(c *http.Client, method, path, ctype, key string, body []byte) response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if ctype == "" {
		ctype = taxiiAccept
	}
	if body != nil {
		req.Header.Set("Content-Type", ctype)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+e.te.World.Token(key))
	} else {
		req.Header.Set("Accept", taxiiAccept)
	}
	res, err := c.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// add posts envelope to the collection as c.
func (e *taxiiEnv) add(c *http.Client, envelope []byte) response {
	e.t.Helper()
	return e.send(c, http.MethodPost, taxiiCollection+"objects/", "", "", envelope)
}

// staged counts the items of the inbox, as Paul (a classifying authority) lists them.
func (e *taxiiEnv) staged() int {
	e.t.Helper()
	its, err := e.te.Share.Inbox(e.te.Ctx, e.sw.Originator, "", "", 500)
	if err != nil {
		e.t.Fatal(err)
	}
	return len(its)
}

// taxiiStatus is what the tests read of a status resource.
type taxiiStatus struct {
	ID           string `json:"id"`
	Status       string `json:"status"`
	TotalCount   int    `json:"total_count"`
	SuccessCount int    `json:"success_count"`
	FailureCount int    `json:"failure_count"`
	PendingCount int    `json:"pending_count"`
	Successes    []struct {
		ID      string `json:"id"`
		Version string `json:"version"`
		Message string `json:"message"`
	} `json:"successes"`
	Failures []any `json:"failures"`
}

func TestTAXII_S1_add_objects_202_status_to_its_partner_only(t *testing.T) {
	e := newTAXIIEnv(t)
	envelope := testenv.Envelope(t, "Botnet C2 rotation")
	r := e.add(e.nato, envelope)
	if r.status != http.StatusAccepted || r.header.Get("Content-Type") != taxiiAccept {
		t.Fatalf("add objects: %d %s %s", r.status, r.header.Get("Content-Type"), r.body)
	}
	st := decodeAs[taxiiStatus](t, r)
	if st.Status != "complete" || st.TotalCount < 4 || st.SuccessCount != st.TotalCount || st.FailureCount != 0 ||
		st.PendingCount != 0 || len(st.Successes) != st.TotalCount || st.Failures == nil {
		t.Fatalf("status %s", r.body)
	}
	for _, s := range st.Successes {
		if !bytes.Contains(envelope, []byte(`"id":"`+s.ID+`"`)) || s.Version == "" || !strings.Contains(s.Message, "waiting for review") {
			t.Errorf("success %+v is not an object posted, with its version", s)
		}
	}
	its, err := e.te.Share.Inbox(e.te.Ctx, e.sw.Originator, cleared.InboxPending, "", 10)
	if err != nil || len(its) != 1 || its[0].ID.UUID() != st.ID || its[0].Partner != e.sw.NATO.Organisation {
		t.Fatalf("inbox %+v, %v: want the envelope from NATO", its, err)
	}

	path := "/taxii2/cleared/status/" + st.ID + "/"
	again := e.get(e.nato, path, "")
	if again.status != http.StatusOK || decodeAs[taxiiStatus](t, again).ID != st.ID {
		t.Fatalf("status for its partner: %d %s", again.status, again.body)
	}
	// S1: another partner does not learn it exists; in the words of a status never given.
	other := e.get(e.eu, path, "")
	wantTAXIIError(t, other, http.StatusNotFound)
	never := e.get(e.eu, "/taxii2/cleared/status/"+cleared.NewInboxID().UUID()+"/", "")
	if !bytes.Equal(other.body, never.body) {
		t.Errorf("another partner's status %s, a status never given %s: want the same words", other.body, never.body)
	}
	wantTAXIIError(t, e.get(e.nato, "/taxii2/cleared/status/not-a-uuid/", ""), http.StatusNotFound)
	wantTAXIIError(t, e.get(e.none, path, ""), http.StatusUnauthorized)
	// What a partner adds is never served back, to it or to others.
	for _, c := range []*http.Client{e.nato, e.eu} {
		for _, o := range e.all(c, 100) {
			if bytes.Contains(envelope, []byte(`"id":"`+o.ID+`"`)) && o.Type == "report" {
				t.Errorf("the report posted is served back: %s", o.ID)
			}
		}
	}
}

func TestTAXII_S1_A6_1_hostile_envelope_4xx_nothing_staged(t *testing.T) {
	e := newTAXIIEnv(t)
	good := string(testenv.Envelope(t, "Phishing wave"))
	for _, tt := range []struct {
		name, body, ctype string
		status            int
	}{
		{"S1 a duplicate key", strings.Replace(good, `"type":"report"`, `"type":"report","type":"report"`, 1), "", http.StatusBadRequest},
		{"S1 a key repeated in another case", strings.Replace(good, `"id":"report--`, `"ID":"report--00000000-0000-4000-8000-000000000000","id":"report--`, 1), "", http.StatusBadRequest},
		{"A6.1 a spoofed TLP marking id", strings.Replace(good, `"tlp_2_0":"amber"`, `"tlp_2_0":"clear"`, 1), "", http.StatusBadRequest},
		{"S1 deep nesting", `{"objects":[` + strings.Repeat(`{"x":`, 64) + `1` + strings.Repeat(`}`, 64) + `]}`, "", http.StatusBadRequest},
		{"S1 not an envelope", `{"type":"bundle","objects":[]}`, "", http.StatusBadRequest},
		{"S1 no report", `{"objects":[{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--11111111-1111-4111-8111-111111111111","value":"198.51.100.7"}]}`, "", http.StatusBadRequest},
		{"S1 as JSON", good, "application/json", http.StatusUnsupportedMediaType},
		{"S1 as TAXII 2.0", good, "application/taxii+json;version=2.0", http.StatusUnsupportedMediaType},
		{"S1 over max_content_length", `{"objects":["` + strings.Repeat("a", 8<<20) + `"]}`, "", http.StatusRequestEntityTooLarge},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := e.send(e.nato, http.MethodPost, taxiiCollection+"objects/", tt.ctype, "", []byte(tt.body))
			wantTAXIIError(t, r, tt.status)
		})
	}
	wantTAXIIError(t, e.add(e.none, []byte(good)), http.StatusUnauthorized)
	wantTAXIIError(t, e.send(e.nato, http.MethodPost, "/taxii2/cleared/collections/00000000-0000-4000-8000-000000000000/objects/", "", "", []byte(good)), http.StatusNotFound)
	if n := e.staged(); n != 0 {
		t.Fatalf("%d items staged from refused requests", n)
	}
	// Not an audit entry (bad input), but the operators see a partner's system sending what cleared refuses.
	if l := e.logs.String(); !strings.Contains(l, "a partner's envelope is refused") || !strings.Contains(l, string(e.sw.NATO.Organisation)) {
		t.Errorf("the refused envelopes are not logged with their partner:\n%s", l)
	}
}

func TestTAXII_S1_suspended_partner_adds_nothing(t *testing.T) {
	e := newTAXIIEnv(t)
	n := e.sw.NATO
	in := sharing.NewPartner{Scheme: n.Scheme, MaxLevel: n.MaxLevel, Groups: n.Groups, Channels: n.Channels,
		Certificates: n.Certificates, AccreditedFrom: n.AccreditedFrom, Suspended: true}
	if _, err := e.te.Share.RecordPartner(e.te.Ctx, cleared.Actor{Person: e.te.World.Helene.ID}, n.Organisation, in); err != nil {
		t.Fatal(err)
	}
	wantTAXIIError(t, e.add(e.nato, testenv.Envelope(t, "Late news")), http.StatusUnauthorized)
	if got := e.staged(); got != 0 {
		t.Fatalf("%d items staged from a suspended partner", got)
	}
}

// TestInboxAPI_S1_A5_1 walks the inbox's routes as a classifying authority, the NSA and a person who holds no
// authority, each answer checked against openapi.json.
func TestInboxAPI_S1_A5_1(t *testing.T) {
	e := newTAXIIEnv(t)
	doc := loadOpenAPI(t)
	ops := oaOperations(t, doc)
	check := func(method, route string, r response) response {
		t.Helper()
		op, ok := ops[method+" "+route]
		if !ok {
			t.Fatalf("%s %s is not documented", method, route)
		}
		oaCheckAnswer(t, doc, op, r)
		return r
	}
	posted := check("POST", "/taxii2/cleared/collections/{id}/objects/", e.add(e.nato, testenv.Envelope(t, "Botnet C2 rotation")))
	status := decodeAs[taxiiStatus](t, posted).ID
	its, err := e.te.Share.Inbox(e.te.Ctx, e.sw.Originator, "", "", 10)
	if err != nil || len(its) != 1 {
		t.Fatalf("inbox %v, %v", its, err)
	}
	item := "/api/inbox/" + string(its[0].ID)
	api := func(key, method, path string, body []byte) response {
		t.Helper()
		return e.send(e.none, method, path, "application/json", key, body)
	}

	for _, who := range []string{"paul", "helene"} {
		r := check("GET", "/api/inbox", api(who, "GET", "/api/inbox?state=pending", nil))
		if got := decodeAs[struct{ Items []cleared.InboxItem }](t, r); r.status != http.StatusOK || len(got.Items) != 1 {
			t.Fatalf("inbox as %s: %d %s", who, r.status, r.body)
		}
		if r := check("GET", "/api/inbox/{id}", api(who, "GET", item, nil)); r.status != http.StatusOK {
			t.Fatalf("item as %s: %d %s", who, r.status, r.body)
		}
	}
	// A5.1: Léa holds no classifying authority: refused the inbox, and its items are not found.
	wantRule(t, api("lea", "GET", "/api/inbox", nil), http.StatusForbidden, "A5.1")
	wantProblem(t, api("lea", "GET", item, nil), http.StatusNotFound, "")
	wantProblem(t, api("lea", "POST", item+"/refuse", []byte(`{"reason":"no"}`)), http.StatusNotFound, "")
	wantProblem(t, api("paul", "GET", "/api/inbox?state=lost", nil), http.StatusBadRequest, "")

	r := check("POST", "/api/inbox/{id}/refuse", api("paul", "POST", item+"/refuse", []byte(`{"reason":"Duplicate of our own reporting"}`)))
	if got := decodeAs[cleared.InboxItem](t, r); r.status != http.StatusOK || got.State != cleared.InboxRefused ||
		got.Reason != "Duplicate of our own reporting" || got.DecidedBy != e.te.World.Paul.ID {
		t.Fatalf("refuse: %d %s", r.status, r.body)
	}
	wantProblem(t, api("helene", "POST", item+"/refuse", []byte(`{"reason":"again"}`)), http.StatusConflict, "")
	// The partner reads that its objects were not registered, never why.
	st := e.get(e.nato, "/taxii2/cleared/status/"+status+"/", "")
	check("GET", "/taxii2/cleared/status/{status_id}/", st)
	if !bytes.Contains(st.body, []byte("not registered")) || bytes.Contains(st.body, []byte("Duplicate")) {
		t.Errorf("status after the refusal: %s", st.body)
	}
}

// match[version] and match[spec_version] on objects/ and manifest/ (TAXII 2.1 §3.6): the collection keeps each
// release's last state, so each object has one version; every object is STIX 2.1.
func TestTAXII_S1_match_version_and_spec_version(t *testing.T) {
	e := newTAXIIEnv(t)
	coll := taxiiCollection + "objects/?limit=1000"
	_, every, _ := e.page(e.nato, coll)
	if len(every) == 0 {
		t.Fatal("NATO sees no object")
	}
	for _, q := range []string{"match[version]=last", "match[version]=first", "match[version]=all", "match[version]=first,last",
		"match[spec_version]=2.1", "match[spec_version]=2.0,2.1"} {
		if _, got, _ := e.page(e.nato, coll+"&"+q); len(got) != len(every) {
			t.Errorf("%s: %d objects, want all %d", q, len(got), len(every))
		}
	}
	for _, path := range []string{coll, taxiiCollection + "manifest/?limit=1000"} {
		env, got, _ := e.page(e.nato, path+"&match[spec_version]=2.0")
		if len(got) != 0 || env.More {
			t.Errorf("%s, spec version 2.0 only: %d objects (more %v), want none", path, len(got), env.More)
		}
	}
	var report taxiiObject
	for _, o := range every {
		if o.ID == reportID(e.sw.SecretRelease) {
			report = o
		}
	}
	_, got, _ := e.page(e.nato, coll+"&match[version]="+url.QueryEscape(report.Modified))
	if !slices.ContainsFunc(got, func(o taxiiObject) bool { return o.ID == report.ID }) {
		t.Errorf("match[version]=%s: the report of that version is not among %d objects", report.Modified, len(got))
	}
	for _, o := range got {
		if o.Modified != report.Modified && o.Modified != "" {
			t.Errorf("match[version]=%s: object %s of version %s", report.Modified, o.ID, o.Modified)
		}
	}
	r := e.get(e.nato, taxiiCollection+"manifest/?limit=1000&match[version]="+url.QueryEscape(report.Modified), "")
	var man struct {
		Objects []struct {
			ID      string `json:"id"`
			Version string `json:"version"`
		} `json:"objects"`
	}
	if err := json.Unmarshal(r.body, &man); err != nil || r.status != http.StatusOK || len(man.Objects) == 0 {
		t.Fatalf("manifest of one version: %d %s", r.status, r.body)
	}
	if _, got, _ := e.page(e.nato, coll+"&match[version]=2001-01-01T00:00:00.000Z"); len(got) != 0 {
		t.Errorf("a version that never was: %d objects", len(got))
	}
}

// TestInboxAPI_S1_A5_1_A6_1_import: a person who holds a classifying authority imports what a partner posted;
// the pieces are registered, the item says imported, the partner's status says registered.
func TestInboxAPI_S1_A5_1_A6_1_import(t *testing.T) {
	e := newTAXIIEnv(t)
	doc := loadOpenAPI(t)
	op := oaOperations(t, doc)["POST /api/inbox/{id}/import"]
	status := decodeAs[taxiiStatus](t, e.add(e.nato, testenv.Envelope(t, "Botnet C2 rotation"))).ID
	its, err := e.te.Share.Inbox(e.te.Ctx, e.sw.Originator, "", "", 10)
	if err != nil || len(its) != 1 {
		t.Fatalf("inbox %v, %v", its, err)
	}
	path := "/api/inbox/" + string(its[0].ID) + "/import?authority=" + string(e.te.World.PaulAuth.ID)
	api := func(key, path string) response {
		t.Helper()
		return e.send(e.none, http.MethodPost, path, "application/json", key, nil)
	}
	wantProblem(t, api("lea", path), http.StatusNotFound, "")
	wantRule(t, api("helene", path), http.StatusForbidden, "A5.1") // the NSA reads the inbox, holds no authority of Paul's
	wantProblem(t, api("paul", "/api/inbox/"+string(its[0].ID)+"/import"), http.StatusBadRequest, "")
	wantProblem(t, api("paul", path+"&colour=blue"), http.StatusBadRequest, "")

	r := api("paul", path)
	if r.status != http.StatusCreated {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	oaCheckAnswer(t, doc, op, r)
	got := decodeAs[struct {
		Item  cleared.InboxItem
		Items []struct{ Piece *struct{ ID cleared.PieceID } }
	}](t, r)
	if got.Item.State != cleared.InboxImported || len(got.Items) != 1 || got.Items[0].Piece == nil ||
		len(got.Item.Pieces) != 1 || got.Item.Pieces[0] != got.Items[0].Piece.ID {
		t.Fatalf("import answered %s", r.body)
	}
	if c := r.header.Get("Classification"); c != cleared.Restricted.Marking() {
		t.Errorf("Classification %q, want the level registered (A7.1)", c)
	}
	if p := e.send(e.none, http.MethodGet, "/api/pieces/"+string(got.Items[0].Piece.ID), "", "paul", nil); p.status != http.StatusOK {
		t.Errorf("the piece registered: %d %s", p.status, p.body)
	}
	if st := e.get(e.nato, "/taxii2/cleared/status/"+status+"/", ""); !bytes.Contains(st.body, []byte("received and registered")) {
		t.Errorf("status after the import: %s", st.body)
	}
	wantProblem(t, api("paul", path), http.StatusConflict, "")
}
