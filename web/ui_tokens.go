package web

import (
	"net/http"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/auth"
)

// uiTokens serves GET /ui/account/tokens: Tokens, one's own, ended ones included, with a button to end each.
func (s *server) uiTokens(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	ks, err := s.auth.Tokens(r.Context(), u.Actor)
	if err != nil {
		return err
	}
	p := &tablePage{Page: Page{Title: "tokens.title", Nav: "account"}, Intro: "tokens.intro", Caption: "tokens.title",
		Columns: []string{"tokens.label", "tokens.scopes", "tokens.terminal", "tokens.created", "tokens.expires", "tokens.action"},
		Empty:   "tokens.none", Actions: []link{{Href: "/ui/account/tokens/new", Key: "tokens.new"}, {Href: "/ui/account", Key: "account.title"}}}
	now := time.Now()
	var ids []string
	for _, k := range ks {
		ids = append(ids, string(k.Terminal))
	}
	names := s.names(r, u, ids...) // issue 18 §0: terminals by name
	for _, k := range ks {
		scopes := ""
		for i, sc := range k.Scopes {
			if i > 0 {
				scopes += ", "
			}
			scopes += string(sc)
		}
		act := cell{Post: "/ui/account/tokens/" + string(k.ID) + "/revoke", CSRF: u.CSRF, Key: "tokens.revoke", ID: "revoke-" + string(k.ID)}
		if !k.ActiveAt(now) {
			act = keyCell("tokens.ended")
		}
		p.Rows = append(p.Rows, row{ID: string(k.ID), Cells: []cell{textCell(k.Label), codeCell(scopes), names.orID(string(k.Terminal)),
			textCell(formatTime(k.Created)), textCell(formatTime(k.Expires)), act}})
	}
	return s.render(w, r, u, http.StatusOK, p)
}

func tokenForm() *formPage {
	return &formPage{Page: Page{Title: "tokens.new", Nav: "account"}, Intro: "tokens.new.intro", Action: "/ui/account/tokens",
		Submit: "tokens.submit", Links: []link{{Href: "/ui/account/tokens", Key: "tokens.title"}}, Fields: []field{
			{Name: "label", Label: "tokens.label", Help: "tokens.label.help", Kind: "text", Required: true},
			{Name: "days", Label: "tokens.days", Help: "tokens.days.help", Kind: "number", Required: true, Value: "30", Mode: "numeric"},
			{Name: "scopes", Label: "tokens.scopes", Help: "tokens.scopes.help", Kind: "checks", Required: true,
				Options: []option{{Value: string(cleared.ScopeRead), Key: "scope.read", Selected: true}, {Value: string(cleared.ScopeWrite), Key: "scope.write"}}},
		}}
}

// uiTokenForm serves GET /ui/account/tokens/new.
func (s *server) uiTokenForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	return s.render(w, r, u, http.StatusOK, tokenForm())
}

// uiTokenCreate serves POST /ui/account/tokens: CreateOwnToken, bound to the terminal of this session. The secret
// is shown on this page, once; it is not kept.
func (s *server) uiTokenCreate(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	in := auth.OwnToken{Label: formText(v, "label")}
	for _, sc := range v["scopes"] {
		in.Scopes = append(in.Scopes, cleared.Scope(sc))
	}
	var err error
	if in.TTL, err = formDays(v, "days", "tokens.days", int(auth.MaxTokenTTL/(24*time.Hour))); err == nil {
		secret, k, cerr := s.auth.CreateOwnToken(r.Context(), u.Actor, in)
		if err = cerr; err == nil {
			return s.render(w, r, u, http.StatusCreated, &detailsPage{Page: Page{Title: "tokens.created", Nav: "account"},
				Intro: "tokens.created.once", Actions: []link{{Href: "/ui/account/tokens", Key: "tokens.title"}}, Items: []detail{
					{Label: "tokens.secret", Value: codeCell(secret), ID: "token-secret"},
					{Label: "tokens.label", Value: textCell(k.Label)},
					{Label: "tokens.expires", Value: textCell(formatTime(k.Expires))},
					{Label: "tokens.terminal", Value: codeCell(string(k.Terminal))},
				}})
		}
	}
	return s.formFail(w, r, u, tokenForm(), err)
}

// uiTokenRevoke serves POST /ui/account/tokens/{id}/revoke: RevokeToken.
func (s *server) uiTokenRevoke(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.TokenID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	if err := s.auth.RevokeToken(r.Context(), u.Actor, id); err != nil {
		return err
	}
	return seeOther(w, r, "/ui/account/tokens", "token_revoked")
}
