package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/registry"
)

// pieceItem is a piece as the API lists it.
type pieceItem struct {
	ID      cleared.PieceID `json:"id"`
	Title   string          `json:"title"`
	Level   string          `json:"level"`
	Marking string          `json:"marking"`
}

type pieceList struct {
	Items      []pieceItem `json:"items"`
	NextCursor string      `json:"next_cursor"`
}

func ids(ps []pieceItem) []cleared.PieceID {
	out := make([]cleared.PieceID, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

// sameSet reports whether got and want hold the same IDs, each once.
func sameSet(got, want []cleared.PieceID) bool {
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	return slices.Equal(g, w)
}

func TestPieces_A9_1_ListAndReadOnlyWhatOneMayKnow(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	lists := []struct {
		name, key string
		want      []cleared.PieceID
	}{
		{"A9.1 sophie sees exactly what she was granted, dossier parts included, never RESTREINT", "sophie_zone",
			[]cleared.PieceID{w.TopSecret.ID, w.Secret.ID, w.Confidential.ID, w.NATO.ID, w.PartA.ID, w.PartB.ID}},
		{"A9.1 lea sees her CONFIDENTIEL and RESTREINT grants only", "lea",
			[]cleared.PieceID{w.Confidential.ID, w.Restricted.ID}},
		{"A9.1 nina without clearance sees nothing", "nina", nil},
		{"A9.1 jo whose clearance expired sees nothing", "jo", nil},
	}
	for _, tc := range lists {
		t.Run(tc.name, func(t *testing.T) {
			r := e.get(tc.key, "/api/pieces")
			wantStatus(t, r, http.StatusOK)
			got := decodeAs[pieceList](t, r)
			if got.Items == nil {
				t.Fatalf("items is %s, want a list (even empty)", r.body)
			}
			if !sameSet(ids(got.Items), tc.want) {
				t.Errorf("%s sees %v, want %v", tc.key, ids(got.Items), tc.want)
			}
			if got.NextCursor != "" {
				t.Errorf("next_cursor %q on a short list", got.NextCursor)
			}
		})
	}

	t.Run("A9.1 the list is newest first", func(t *testing.T) {
		got := decodeAs[pieceList](t, e.get("sophie_zone", "/api/pieces")).Items
		// The demo classified in this order: TopSecret, Secret, Confidential, Restricted, NATO, PartA, PartB.
		want := []cleared.PieceID{w.PartB.ID, w.PartA.ID, w.NATO.ID, w.Confidential.ID, w.Secret.ID, w.TopSecret.ID}
		if !slices.Equal(ids(got), want) {
			t.Errorf("order %v, want %v", ids(got), want)
		}
	})

	t.Run("A9.1 a known piece reads with its marking", func(t *testing.T) {
		r := e.get("lea", "/api/pieces/"+string(w.Confidential.ID))
		wantStatus(t, r, http.StatusOK)
		p := decodeAs[pieceItem](t, r)
		if p.ID != w.Confidential.ID || p.Level != "CONFIDENTIAL" || p.Marking != "CONFIDENTIEL LUX" {
			t.Errorf("lea reads %+v", p)
		}
		if got := r.header.Get("Classification"); got != "CONFIDENTIEL LUX" {
			t.Errorf("Classification header %q, want CONFIDENTIEL LUX", got)
		}
	})

	// A piece one may not know and a piece that never existed must answer alike, byte for byte: otherwise the
	// answer tells that a hidden piece exists.
	never := cleared.NewPieceID()
	hidden := []struct{ key, why string }{
		{"lea", "no need-to-know of the TRES SECRET piece"},
		{"nina", "no clearance at all"},
		{"jo", "clearance expired"},
		{"max", "RESTREINT clearance for a TRES SECRET piece"},
	}
	for _, suffix := range []string{"", "/content"} {
		for _, h := range hidden {
			t.Run(fmt.Sprintf("A9.1 %s: hidden and missing answer alike at /api/pieces/{id}%s", h.why, suffix), func(t *testing.T) {
				hid := e.get(h.key, "/api/pieces/"+string(w.TopSecret.ID)+suffix)
				miss := e.get(h.key, "/api/pieces/"+string(never)+suffix)
				wantProblem(t, hid, http.StatusNotFound, "")
				wantProblem(t, miss, http.StatusNotFound, "")
				if !bytes.Equal(hid.body, miss.body) {
					t.Errorf("hidden piece answers\n%s\nmissing piece answers\n%s", hid.body, miss.body)
				}
				for _, k := range []string{"Content-Type", "Content-Length", "Classification", "Content-Disposition"} {
					if hid.header.Get(k) != miss.header.Get(k) {
						t.Errorf("header %s: hidden %q, missing %q", k, hid.header.Get(k), miss.header.Get(k))
					}
				}
			})
		}
	}
	// Issue 18 §0: "unknown routes answer a plain 404 (no such page), distinct from the hidden piece's 404 only
	// where the route itself does not exist". The hidden piece's 404 is the missing piece's (above).
	t.Run("an unknown route answers its own 404, not a hidden piece's", func(t *testing.T) {
		hid := e.get("lea", "/api/pieces/"+string(w.TopSecret.ID))
		for _, path := range []string{"/api/nowhere", "/api/pieces/" + string(w.TopSecret.ID) + "/nowhere"} {
			route := wantProblem(t, e.get("lea", path), http.StatusNotFound, "")
			if route.Title != "No such route" || !strings.HasSuffix(route.Type, "/no-such-route") || bytes.Equal(hid.body, e.get("lea", path).body) {
				t.Errorf("%s answers %+v, want its own type and title, not the hidden piece's %s", path, route, hid.body)
			}
		}
		if p := wantProblem(t, hid, http.StatusNotFound, ""); p.Title != "Not found" {
			t.Errorf("hidden piece %+v", p)
		}
	})
}

func TestPieces_A6_1_ForeignPieceCarriesBothMarkings(t *testing.T) {
	e := newEnv(t, nil)
	r := e.get("sophie_zone", "/api/pieces/"+string(e.world.NATO.ID))
	wantStatus(t, r, http.StatusOK)
	if p := decodeAs[pieceItem](t, r); p.Marking != "NATO SECRET / SECRET LUX" || p.Level != "SECRET" {
		t.Errorf("NATO piece reads level %q marking %q, want SECRET and NATO SECRET / SECRET LUX", p.Level, p.Marking)
	}
	for _, p := range decodeAs[pieceList](t, e.get("sophie_zone", "/api/pieces")).Items {
		if p.ID == e.world.NATO.ID && p.Marking != "NATO SECRET / SECRET LUX" {
			t.Errorf("listed NATO piece has marking %q", p.Marking)
		}
	}
}

func TestContent_A8_A9_3_WhereContentMayBeShown(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	path := func(p cleared.Piece) string { return "/api/pieces/" + string(p.ID) + "/content" }

	t.Run("A8.2 TRES SECRET content is shown in the security zone, with its marking", func(t *testing.T) {
		r := e.get("sophie_zone", path(w.TopSecret))
		wantStatus(t, r, http.StatusOK)
		// A7.1: delivered as a PDF stamped with the marking (deliver_test.go reads it back).
		if !bytes.HasPrefix(r.body, []byte("%PDF-")) {
			t.Errorf("content %.40q, want a stamped PDF", r.body)
		}
		for k, v := range map[string]string{
			"Classification":         "TRES SECRET LUX",
			"Content-Type":           "application/pdf",
			"X-Content-Type-Options": "nosniff",
			"Cache-Control":          "no-store",
		} {
			if got := r.header.Get(k); got != v {
				t.Errorf("header %s: %q, want %q", k, got, v)
			}
		}
		if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
			t.Errorf("Content-Disposition %q, want an attachment", cd)
		}
	})
	t.Run("A8.2 TRES SECRET content is refused at sophie's office terminal, outside the security zone", func(t *testing.T) {
		r := e.get("sophie_office", path(w.TopSecret))
		wantProblem(t, r, http.StatusForbidden, "A8.2")
		if strings.Contains(string(r.body), "ORAGE") || r.header.Get("Classification") != "" {
			t.Errorf("refusal shows something of the piece: %v %s", r.header, r.body)
		}
	})
	t.Run("A8.1 SECRET content is refused at a terminal accredited RESTREINT", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path(w.Secret), nil)
		req.Header.Set("Authorization", "Bearer "+e.restrictedTerminal(t))
		wantProblem(t, e.send(req), http.StatusForbidden, "A8.1")
	})
	t.Run("A8.1 SECRET content is shown at the office terminal accredited SECRET", func(t *testing.T) {
		r := e.get("sophie_office", path(w.Secret))
		wantStatus(t, r, http.StatusOK)
		if r.header.Get("Classification") != "SECRET LUX" {
			t.Errorf("Classification %q, want SECRET LUX", r.header.Get("Classification"))
		}
	})
	t.Run("A9.3 SECRET content is refused at the public kiosk", func(t *testing.T) {
		wantProblem(t, e.get("sophie_kiosk", path(w.Secret)), http.StatusForbidden, "A9.3")
	})
	t.Run("A9.3 not even the metadata is shown at the kiosk: a 403, since the grant told her it exists", func(t *testing.T) {
		r := e.get("sophie_kiosk", "/api/pieces/"+string(w.Secret.ID))
		wantProblem(t, r, http.StatusForbidden, "A9.3")
		if strings.Contains(string(r.body), w.Secret.Title) {
			t.Errorf("the refusal carries the title: %s", r.body)
		}
	})
	t.Run("A8.2 outside the zone the metadata comes without the title", func(t *testing.T) {
		r := e.get("sophie_office", "/api/pieces/"+string(w.TopSecret.ID))
		wantStatus(t, r, http.StatusOK)
		if strings.Contains(string(r.body), w.TopSecret.Title) || !strings.Contains(string(r.body), `"title_withheld":true`) {
			t.Errorf("metadata %s", r.body)
		}
	})
	t.Run("A6.1 foreign content carries both markings", func(t *testing.T) {
		r := e.get("sophie_zone", path(w.NATO))
		wantStatus(t, r, http.StatusOK)
		if got := r.header.Get("Classification"); got != "NATO SECRET / SECRET LUX" {
			t.Errorf("Classification %q", got)
		}
	})
}

// restrictedTerminal has the ministry's security officer register, through the API, a place and a terminal
// accredited RESTREINT; it returns a token for tom (SECRET, granted the SECRET piece) at that terminal.
func (e *env) restrictedTerminal(t *testing.T) string {
	t.Helper()
	w := e.world
	r := e.post("luc", "/api/places", registry.NewPlace{OrganisationID: w.Ministry.ID, Name: "Secrétariat",
		AccreditedLevel: cleared.Restricted})
	wantStatus(t, r, http.StatusCreated)
	pl := decodeAs[cleared.Place](t, r)
	r = e.post("luc", "/api/terminals", registry.NewTerminal{Place: pl.ID, Name: "SEC-WS01", AccreditedLevel: cleared.Restricted})
	wantStatus(t, r, http.StatusCreated)
	term := decodeAs[cleared.Terminal](t, r)
	secret, _, err := e.auth.CreateToken(context.Background(), auth.NewToken{PersonID: w.Tom.ID, Terminal: term.ID,
		Label: "test: secretariat", TTL: time.Hour})
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	return secret
}

// newPiece is a valid electronic piece for authority au, at level.
func newPiece(au cleared.ClassifyingAuthority, level, title string) map[string]any {
	return map[string]any{
		"authority":    au.ID,
		"kind":         "electronic",
		"title":        title,
		"level":        level,
		"reasons":      []string{"a"},
		"review_on":    time.Now().AddDate(1, 0, 0).UTC().Format(time.RFC3339),
		"content":      base64.StdEncoding.EncodeToString([]byte("contenu de " + title)),
		"content_type": "text/plain; charset=utf-8",
	}
}

func TestClassify_A3_1_A5_3(t *testing.T) {
	e := newEnv(t, nil)
	w := e.world
	listIDs := func(key string) []cleared.PieceID {
		return ids(decodeAs[pieceList](t, e.get(key, "/api/pieces")).Items)
	}

	t.Run("A5.3 a SECRET delegate cannot classify TRES SECRET, and nothing is created", func(t *testing.T) {
		before := listIDs("paul")
		wantProblem(t, e.post("paul", "/api/pieces", newPiece(w.PaulAuth, "TOP_SECRET", "Au-dessus de ma clearance")),
			http.StatusForbidden, "A5.3")
		if after := listIDs("paul"); !slices.Equal(before, after) {
			t.Errorf("paul's list changed after a refusal: %v, then %v", before, after)
		}
	})
	t.Run("A3.1 a classification without reasons is refused", func(t *testing.T) {
		in := newPiece(w.PaulAuth, "SECRET", "Sans motif")
		delete(in, "reasons")
		wantProblem(t, e.post("paul", "/api/pieces", in), http.StatusForbidden, "A3.1")
		in["reasons"] = []string{}
		wantProblem(t, e.post("paul", "/api/pieces", in), http.StatusForbidden, "A3.1")
	})
	t.Run("A5.3 a member of the Government classifies SECRET without a clearance", func(t *testing.T) {
		r := e.post("minister", "/api/pieces", newPiece(w.MinisterAuth, "SECRET", "Instruction du ministre"))
		wantStatus(t, r, http.StatusCreated)
		p := decodeAs[pieceItem](t, r)
		if p.Level != "SECRET" || p.Marking != "SECRET LUX" {
			t.Errorf("created %+v", p)
		}
		if loc := r.header.Get("Location"); loc != "/api/pieces/"+string(p.ID) {
			t.Errorf("Location %q", loc)
		}
		if r.header.Get("Classification") != "SECRET LUX" {
			t.Errorf("Classification %q", r.header.Get("Classification"))
		}
		// The classifier receives need-to-know (A9.1) and reads it back.
		got := e.get("minister", "/api/pieces/"+string(p.ID)+"/content")
		wantStatus(t, got, http.StatusOK)
		if !bytes.HasPrefix(got.body, []byte("%PDF-")) || got.header.Get("Rendering") != "rendered-text" {
			t.Errorf("content %.40q, want the text on stamped pages (A7.1)", got.body)
		}
		if !slices.Contains(listIDs("minister"), p.ID) {
			t.Errorf("the new piece is not in the minister's list")
		}
		// Nobody else knows it exists.
		wantProblem(t, e.get("sophie_zone", "/api/pieces/"+string(p.ID)), http.StatusNotFound, "")
	})
	t.Run("A6.1 a piece classified under a foreign marking takes its national level", func(t *testing.T) {
		in := newPiece(w.PaulAuth, "", "EU note (received)")
		delete(in, "level")
		in["foreign_marking"] = "CONFIDENTIEL UE/EU CONFIDENTIAL"
		r := e.post("paul", "/api/pieces", in)
		wantStatus(t, r, http.StatusCreated)
		if p := decodeAs[pieceItem](t, r); p.Marking != "CONFIDENTIEL UE/EU CONFIDENTIAL / CONFIDENTIEL LUX" {
			t.Errorf("marking %q", p.Marking)
		}
	})
}

func TestPagination(t *testing.T) {
	e := newEnv(t, nil)
	t.Run("pieces: following next_cursor returns each visible piece once, in order", func(t *testing.T) {
		all := ids(decodeAs[pieceList](t, e.get("sophie_zone", "/api/pieces")).Items)
		var got []cleared.PieceID
		cursor, pages := "", 0
		for {
			r := e.get("sophie_zone", "/api/pieces?limit=2&cursor="+url.QueryEscape(cursor))
			wantStatus(t, r, http.StatusOK)
			page := decodeAs[pieceList](t, r)
			if len(page.Items) > 2 {
				t.Fatalf("page of %d items with limit=2", len(page.Items))
			}
			got = append(got, ids(page.Items)...)
			pages++
			if page.NextCursor == "" || pages > 10 {
				break
			}
			cursor = page.NextCursor
		}
		if !slices.Equal(got, all) {
			t.Errorf("pages gave %v, one list gives %v", got, all)
		}
	})
	t.Run("organisations: following next_cursor returns each organisation once", func(t *testing.T) {
		type orgList struct {
			Items      []cleared.Organisation `json:"items"`
			NextCursor string                 `json:"next_cursor"`
		}
		all := decodeAs[orgList](t, e.get("tom", "/api/organisations")).Items
		if want := 6 + len(registry.NationalRecipients); len(all) != want { // the briefings' Direction de la Défense included
			t.Fatalf("%d organisations, want the demo's %d", len(all), want)
		}
		var got []cleared.Organisation
		cursor := ""
		for range 10 {
			page := decodeAs[orgList](t, e.get("tom", "/api/organisations?limit=1&cursor="+cursor))
			got = append(got, page.Items...)
			if page.NextCursor == "" {
				break
			}
			cursor = page.NextCursor
		}
		if len(got) != len(all) {
			t.Fatalf("pages gave %d organisations, want %d", len(got), len(all))
		}
		for i := range got {
			if got[i].ID != all[i].ID {
				t.Errorf("item %d: %s, want %s", i, got[i].ID, all[i].ID)
			}
		}
	})
}
