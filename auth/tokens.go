package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// TokenPrefix starts every API token, so a leaked one is recognisable in logs and by secret scanners.
const TokenPrefix = "cleared_"

// NewToken is the input of CreateToken.
type NewToken struct {
	PersonID cleared.PersonID   `json:"person_id"`
	Terminal cleared.TerminalID `json:"terminal,omitempty"`
	Label    string             `json:"label"`
	TTL      time.Duration      `json:"ttl"`
	// Scopes limit what the token may do; none means read and write.
	Scopes []cleared.Scope `json:"scopes,omitempty"`
	// Secret, if set, is used instead of a random one. Only the demo data set sets it, so the README's examples
	// work as written.
	Secret string `json:"-"`
}

// MaxTokenTTL bounds a token's life.
const MaxTokenTTL = 366 * 24 * time.Hour

// CreateToken creates an API token for a person, bound to a registered terminal if one is named (requests with it
// then count as coming from that terminal, A8.2, A9.3). It returns the secret, shown only now: the store keeps its
// SHA-256. This is an operator's act on the server (cleared token create), not an API call.
func (s *Service) CreateToken(ctx context.Context, in NewToken) (secret string, k cleared.Token, err error) {
	defer cleared.Wrap(&err, "create token")
	if err := in.PersonID.Validate(); err != nil {
		return "", k, err
	}
	if in.Scopes, err = checkScopes(in.Scopes); err != nil {
		return "", k, err
	}
	if in.Terminal != "" {
		if err := in.Terminal.Validate(); err != nil {
			return "", k, err
		}
	}
	if err := cleared.CheckLine("label", in.Label, 1, maxName); err != nil {
		return "", k, err
	}
	if in.TTL <= 0 || in.TTL > MaxTokenTTL {
		return "", k, cleared.Invalidf("a token lives more than zero and at most %d days", int(MaxTokenTTL.Hours()/24))
	}
	secret = in.Secret
	if secret == "" {
		var b [32]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", k, err
		}
		secret = TokenPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
	}
	if err := checkTokenSyntax(secret); err != nil {
		return "", k, err
	}
	now := s.clock()
	sum := sha256.Sum256([]byte(secret))
	k = cleared.Token{ID: cleared.NewTokenID(), PersonID: in.PersonID, Terminal: in.Terminal, Label: in.Label,
		Hash: sum[:], Created: now, Expires: now.Add(in.TTL), Scopes: in.Scopes}
	err = s.store.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.Person(in.PersonID); err != nil {
			return err
		}
		if in.Terminal != "" {
			t, err := tx.Terminal(in.Terminal)
			if err != nil {
				return err
			}
			if !t.Revoked.IsZero() {
				return cleared.Conflictf("terminal %s is revoked", t.ID)
			}
		}
		if err := tx.CreateToken(k); err != nil {
			return err
		}
		// An operator's act on the server: the log records it under the token's person, without the secret.
		x := s.run.Act(cleared.Actor{Person: in.PersonID, Terminal: in.Terminal}, act.TokenCreate, now)
		x.Object, x.Payload = string(k.ID), map[string]any{"label": k.Label, "terminal": k.Terminal, "expires": k.Expires, "scopes": k.Scopes}
		_, err := x.Append(tx, policy.Allow)
		return err
	})
	if err != nil {
		return "", k, err
	}
	return secret, k, nil
}

func checkTokenSyntax(secret string) error {
	rest, ok := strings.CutPrefix(secret, TokenPrefix)
	if !ok || len(rest) < 6 || len(rest) > 100 {
		return cleared.ErrUnauthenticated
	}
	for _, c := range rest {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return cleared.ErrUnauthenticated
		}
	}
	return nil
}

// RuleScope is the refusal of an act a token's scopes do not cover (a read-only token asked to change something).
// It is not an article of the law: it is the token's owner's own limit.
const RuleScope = policy.RuleScope

// AuthenticateFor is Authenticate for a request that needs scope need: a token without it is refused with
// *cleared.ErrForbidden (RuleScope) and the refusal is recorded in the audit log, since a script trying to write
// with a read-only token is either broken or not its owner's.
func (s *Service) AuthenticateFor(ctx context.Context, secret string, need cleared.Scope) (a cleared.Actor, k cleared.Token, err error) {
	a, k, err = s.Authenticate(ctx, secret)
	if err != nil {
		return a, k, err
	}
	d := policy.TokenScope(k.Scopes, need)
	if d.Allowed {
		return a, k, nil
	}
	x := s.run.Act(a, act.TokenUse, s.clock())
	x.Object, x.Payload = string(k.ID), map[string]any{"needs": need, "scopes": k.Scopes}
	return cleared.Actor{}, cleared.Token{}, x.Record(ctx, d, d.Err())
}

// Authenticate maps a bearer token's secret to the actor it stands for, and returns the token (for its scopes). A
// malformed, unknown, expired or revoked token is cleared.ErrUnauthenticated, the same for all, so a guesser
// learns nothing.
func (s *Service) Authenticate(ctx context.Context, secret string) (a cleared.Actor, k cleared.Token, err error) {
	if err := checkTokenSyntax(secret); err != nil {
		return a, k, err
	}
	now := s.clock()
	sum := sha256.Sum256([]byte(secret))
	err = s.store.View(ctx, func(tx store.Tx) error {
		k, err = tx.TokenByHash(sum[:])
		if errors.Is(err, cleared.ErrNotFound) {
			return cleared.ErrUnauthenticated
		}
		if err != nil {
			return err
		}
		if !k.ActiveAt(now) {
			return cleared.ErrUnauthenticated
		}
		a = cleared.Actor{Person: k.PersonID, Terminal: k.Terminal}
		return nil
	})
	if err != nil {
		return cleared.Actor{}, cleared.Token{}, err
	}
	return a, k, nil
}

// checkScopes validates scopes; none means read and write.
func checkScopes(scopes []cleared.Scope) ([]cleared.Scope, error) {
	if len(scopes) == 0 {
		return []cleared.Scope{cleared.ScopeRead, cleared.ScopeWrite}, nil
	}
	seen := map[cleared.Scope]bool{}
	var out []cleared.Scope
	for _, sc := range scopes {
		if err := sc.Validate(); err != nil {
			return nil, err
		}
		if !seen[sc] {
			seen[sc] = true
			out = append(out, sc)
		}
	}
	return out, nil
}

// OwnToken is the input of CreateOwnToken.
type OwnToken struct {
	Label  string          `json:"label"`
	TTL    time.Duration   `json:"ttl"`
	Scopes []cleared.Scope `json:"scopes"`
}

// CreateOwnToken creates an API token for the actor himself, bound to the terminal he acts from (a token cannot
// carry a person to a better terminal than his own). The secret is shown only now.
func (s *Service) CreateOwnToken(ctx context.Context, a cleared.Actor, in OwnToken) (secret string, k cleared.Token, err error) {
	defer cleared.Wrap(&err, "create token")
	if err := a.Person.Validate(); err != nil {
		return "", k, cleared.ErrUnauthenticated
	}
	return s.CreateToken(ctx, NewToken{PersonID: a.Person, Terminal: a.Terminal, Label: in.Label, TTL: in.TTL, Scopes: in.Scopes})
}

// Tokens lists the actor's own tokens, ended ones included, newest first.
func (s *Service) Tokens(ctx context.Context, a cleared.Actor) (ks []cleared.Token, err error) {
	defer cleared.Wrap(&err, "list tokens")
	err = s.store.View(ctx, func(tx store.Tx) error {
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		ks, err = tx.PersonTokens(me.ID)
		return err
	})
	return ks, err
}

// RevokeToken ends one of the actor's own tokens; another's is not found, an ended one is ErrConflict.
func (s *Service) RevokeToken(ctx context.Context, a cleared.Actor, id cleared.TokenID) (err error) {
	defer cleared.Wrap(&err, "revoke token %s", id)
	if err := id.Validate(); err != nil {
		return err
	}
	now := s.clock()
	return s.run.Do(ctx, a, act.TokenRevoke, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		k, err := tx.Token(id)
		if errors.Is(err, cleared.ErrNotFound) || err == nil && k.PersonID != me.ID {
			return cleared.NotFoundf("no token %s", id)
		}
		if err != nil {
			return err
		}
		x.Object = string(id)
		return tx.RevokeToken(id, now)
	})
}
