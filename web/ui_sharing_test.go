package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
)

// TestUI_Sharing_S1 releases a product from the web UI as its originator, has the second person approve it from
// the list of proposals, and revokes it with a reason; the register of partners is the NSA's and the authorities'.
func TestUI_Sharing_S1(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	sw := testenv.NewSharingWorld(t, e.env, nil)
	paul := e.as("paul", w.OfficeTerm.ID)
	piece := "/ui/pieces/" + string(sw.SecretPiece.ID)

	for _, lang := range []string{"en", "fr"} {
		paul.get("/lang/" + lang + "?next=/ui/")
		for _, path := range []string{"/ui/partners", piece + "/releases", piece + "/releases/new", "/ui/releases/pending"} {
			p := paul.get(path)
			wantPage(t, p, http.StatusOK, map[bool]string{true: "SECRET", false: "UNCLASSIFIED"}[strings.HasPrefix(path, piece)],
				map[string]map[bool]string{"en": {true: "SECRET LUX", false: "UNCLASSIFIED"}, "fr": {true: "SECRET LUX", false: unclassified}}[lang][strings.HasPrefix(path, piece)])
		}
	}
	paul.get("/lang/en?next=/ui/")
	if p := paul.get(piece); !strings.Contains(p.body, `id="releases-link"`) {
		t.Error("the originator's piece page does not link to its releases")
	}
	if p := paul.get("/ui/partners"); !strings.Contains(p.body, sw.NATO.Name) || !strings.Contains(p.body, "in force") {
		t.Errorf("partners page:\n%s", p.body)
	}
	lea := e.as("lea", w.OfficeTerm.ID)
	if p := lea.get("/ui/partners"); p.status != http.StatusForbidden {
		t.Errorf("the register of partners to a holder without authority: %d", p.status)
	}
	if p := lea.get(piece + "/releases"); p.status != http.StatusNotFound {
		t.Errorf("releases of a piece she may not know: %d, want 404 (A9.1)", p.status)
	}

	// Released to NATO: SECRET waits for the second person.
	paul.get(piece + "/releases/new")
	p := paul.post(piece+"/releases", url.Values{"partners": {string(sw.NATO.Organisation)}, "tlp": {"amber"}, "reason": {"for NATO"}})
	if p.status != http.StatusSeeOther || !strings.HasSuffix(p.header.Get("Location"), "/releases?ok=release_proposed") {
		t.Fatalf("release: %d %s\n%s", p.status, p.header.Get("Location"), p.body)
	}
	// A bad choice is the form again with the problem, and nothing released.
	paul.get(piece + "/releases/new")
	if p := paul.post(piece+"/releases", url.Values{"tlp": {"purple"}}); p.status != http.StatusBadRequest || !strings.Contains(p.body, "TLP") {
		t.Fatalf("bad TLP: %d\n%s", p.status, p.body)
	}

	director := e.as("director", w.ZoneTerm.ID)
	p = director.get("/ui/releases/pending")
	rels, err := e.env.Share.PieceReleases(e.env.Ctx, sw.Originator, sw.SecretPiece.ID)
	if err != nil {
		t.Fatal(err)
	}
	var proposed cleared.Release
	for _, r := range rels {
		if r.State == cleared.ReleaseProposed {
			proposed = r
		}
	}
	if proposed.ID == "" || !strings.Contains(p.body, `id="approve-`+string(proposed.ID)+`"`) {
		t.Fatalf("the proposal %q is not offered to the director:\n%s", proposed.ID, p.body)
	}
	if p := director.post("/ui/releases/"+string(proposed.ID)+"/approve", nil); p.status != http.StatusSeeOther || !strings.HasSuffix(p.header.Get("Location"), "ok=released") {
		t.Fatalf("approve: %d %s\n%s", p.status, p.header.Get("Location"), p.body)
	}

	// Revocation asks for a reason.
	paul.get("/ui/releases/" + string(proposed.ID) + "/revoke")
	if p := paul.post("/ui/releases/"+string(proposed.ID)+"/revoke", url.Values{"reason": {""}}); p.status != http.StatusBadRequest {
		t.Fatalf("revoke without a reason: %d", p.status)
	}
	paul.get("/ui/releases/" + string(proposed.ID) + "/revoke")
	if p := paul.post("/ui/releases/"+string(proposed.ID)+"/revoke", url.Values{"reason": {"source withdrawn"}}); p.status != http.StatusSeeOther || !strings.HasSuffix(p.header.Get("Location"), "ok=revoked") {
		t.Fatalf("revoke: %d %s\n%s", p.status, p.header.Get("Location"), p.body)
	}
	if p := paul.get(piece + "/releases"); !strings.Contains(p.body, "revoked") {
		t.Errorf("the revoked release is not shown so:\n%s", p.body)
	}
}

// TestUI_RecordPartner_S1_A20_1: the NSA records a partner from the UI, and changing a record keeps its
// certificates; the form is neither offered nor served to anyone else.
func TestUI_RecordPartner_S1_A20_1(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	sw := testenv.NewSharingWorld(t, e.env, nil)
	helene := e.as("helene", w.ZoneTerm.ID)
	if p := helene.get("/ui/partners"); !strings.Contains(p.body, `href="/ui/partners/new"`) {
		t.Fatalf("the NSA is not offered the form:\n%s", p.body)
	}
	paul := e.as("paul", w.OfficeTerm.ID)
	if p := paul.get("/ui/partners"); strings.Contains(p.body, `href="/ui/partners/new"`) {
		t.Error("an authority is offered the NSA's form")
	}
	if p := paul.get("/ui/partners/new"); p.status != http.StatusForbidden || !strings.Contains(p.body, "A20.1") {
		t.Errorf("the form to an authority: %d", p.status)
	}
	for _, lang := range []string{"en", "fr"} {
		helene.get("/lang/" + lang + "?next=/ui/")
		wantPage(t, helene.get("/ui/partners/new"), http.StatusOK, "UNCLASSIFIED", map[string]string{"en": "UNCLASSIFIED", "fr": unclassified}[lang])
	}
	// The EU raised to SECRET over the SECRET channel: its certificate stays.
	form := url.Values{"organisation": {string(sw.EU.Organisation)}, "scheme": {"EU"}, "max_level": {"SECRET"},
		"groups": {"alliance, eu"}, "channels": {string(w.SecretChannel.ID)}}
	helene.get("/ui/partners/new")
	if p := helene.post("/ui/partners", form); p.status != http.StatusSeeOther || !strings.HasSuffix(p.header.Get("Location"), "ok=partner") {
		t.Fatalf("record: %d %s\n%s", p.status, p.header.Get("Location"), p.body)
	}
	got, err := e.env.Share.Partner(e.env.Ctx, cleared.Actor{Person: w.Helene.ID}, sw.EU.Organisation)
	if err != nil {
		t.Fatal(err)
	}
	if got.MaxLevel != cleared.Secret || len(got.Groups) != 2 || len(got.Certificates) != 1 || got.Certificates[0] != sw.EU.Certificates[0] {
		t.Fatalf("the EU's record after the form: %+v", got)
	}
	// Bad input: the form again with the problem, nothing changed.
	helene.get("/ui/partners/new")
	bad := url.Values{"organisation": {string(sw.EU.Organisation)}, "scheme": {"TLP"}, "max_level": {"SECRET"}, "channels": {string(w.SecretChannel.ID)}}
	if p := helene.post("/ui/partners", bad); p.status != http.StatusBadRequest || !strings.Contains(p.body, "UNCLASSIFIED") {
		t.Fatalf("a TLP partner at SECRET: %d\n%s", p.status, p.body)
	}
	if again, _ := e.env.Share.Partner(e.env.Ctx, cleared.Actor{Person: w.Helene.ID}, sw.EU.Organisation); again.Scheme != cleared.SchemeEU {
		t.Error("a refused form changed the record")
	}
}
