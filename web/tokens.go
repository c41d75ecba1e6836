package web

import (
	"net/http"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/auth"
)

// tokenIn is the body of POST /api/tokens: a label, a life in days, and scopes.
type tokenIn struct {
	Label  string          `json:"label"`
	Days   int             `json:"days"`
	Scopes []cleared.Scope `json:"scopes"`
}

// tokenCreated is the answer of POST /api/tokens: the token and its secret, shown this once.
type tokenCreated struct {
	cleared.Token
	Secret string `json:"secret"`
}

// tokenList serves GET /api/tokens: the caller's own tokens.
func (s *server) tokenList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	ks, err := s.auth.Tokens(r.Context(), a)
	if err != nil {
		return err
	}
	return ok(w, list[cleared.Token]{Items: mapItems(ks, func(k cleared.Token) cleared.Token { return k })})
}

// tokenCreate serves POST /api/tokens: CreateOwnToken, bound to the caller's terminal.
func (s *server) tokenCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in tokenIn
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Days < 1 || in.Days > int(auth.MaxTokenTTL/(24*time.Hour)) {
		return cleared.Invalidf("days: a token lives 1 to %d days", int(auth.MaxTokenTTL/(24*time.Hour)))
	}
	secret, k, err := s.auth.CreateOwnToken(r.Context(), a, auth.OwnToken{Label: in.Label, TTL: time.Duration(in.Days) * 24 * time.Hour, Scopes: in.Scopes})
	if err != nil {
		return err
	}
	return created(w, "/api/tokens", tokenCreated{Token: k, Secret: secret})
}

// tokenRevoke serves DELETE /api/tokens/{id}: RevokeToken, one's own only.
func (s *server) tokenRevoke(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.TokenID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	if err := s.auth.RevokeToken(r.Context(), a, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
