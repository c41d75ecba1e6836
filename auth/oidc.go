package auth

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// Sign-in through an organisation's own identity provider (OpenID Connect) replaces the password step, and only
// it. The web adapter runs the protocol with the provider and verifies the ID token the provider's token endpoint
// returns (signature, issuer, audience, expiry, and that its nonce is the one sent for this browser); OIDCLogin
// then maps the token's issuer and subject to the one account an administrator linked to them (LinkOIDC), and opens
// a session that waits for cleared's own second factor, exactly as Login does: the account may see classified
// content, so the provider's word is not enough. No account is ever created from an ID token: an identity no
// account is linked to is refused and recorded, like an unknown login.

// ruleOIDC names the refusals of a sign-in through an identity provider, recorded like the law's rules.
const ruleOIDC = "AUTH.OIDC"

// Bounds of what an identity provider's ID token may carry.
const (
	maxIssuer  = 500
	maxSubject = 255 // OpenID Connect Core 1.0, 5.1: "sub" is at most 255 ASCII characters
	maxNonce   = 256
	// oidcMaxAge is how old an ID token may be when it is presented: the adapter fetches it from the provider's
	// token endpoint just before, so a minute would do; the rest is room for a slow provider.
	oidcMaxAge = 10 * time.Minute
	// oidcSkew is how far the provider's clock may be from ours (as go-oidc allows for "nbf").
	oidcSkew = 5 * time.Minute
)

// OIDCIdentity is a person's identity at an identity provider: the provider's issuer URL and the subject it gives
// him. Together they name him for good: a subject is never reassigned within its issuer (OpenID Connect Core 1.0,
// 2), whereas an e-mail address or a name may be.
type OIDCIdentity struct {
	Issuer  string `json:"issuer"`
	Subject string `json:"subject"`
}

// key is the identity as the store keeps it (cleared.Account.OIDCSubject): "issuer|subject". CheckOIDCIssuer
// refuses "|" in an issuer, so the first "|" ends it and no two identities share a key.
func (id OIDCIdentity) key() string { return id.Issuer + "|" + id.Subject }

// Check reports an identity whose issuer CheckOIDCIssuer refuses, or whose subject is not 1 to 255 printable ASCII
// characters without a space at either end, as ErrInvalid.
func (id OIDCIdentity) Check() error {
	if err := CheckOIDCIssuer(id.Issuer); err != nil {
		return err
	}
	if id.Subject == "" || len(id.Subject) > maxSubject {
		return cleared.Invalidf("subject: an identity provider's subject has 1 to %d characters", maxSubject)
	}
	for _, c := range []byte(id.Subject) {
		if c < 0x20 || c > 0x7e {
			return cleared.Invalidf("subject: an identity provider's subject is printable ASCII")
		}
	}
	if strings.TrimSpace(id.Subject) != id.Subject {
		return cleared.Invalidf("subject: an identity provider's subject does not start or end with a space")
	}
	return nil
}

// CheckOIDCIssuer reports, as ErrInvalid, an issuer that is not a URL OpenID Connect allows: https, a host, no
// user, query or fragment (OpenID Connect Discovery 1.0, 2); http only on the loopback host, for a provider run
// beside the server while trying it out. An issuer is compared as the exact string, so nothing is normalised.
func CheckOIDCIssuer(issuer string) error {
	if issuer == "" || len(issuer) > maxIssuer {
		return cleared.Invalidf("issuer: an issuer URL has 1 to %d characters", maxIssuer)
	}
	for _, c := range []byte(issuer) {
		if c <= 0x20 || c >= 0x7f || c == '|' {
			return cleared.Invalidf("issuer: an issuer URL holds no space, no control or non-ASCII character and no '|'")
		}
	}
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" || u.Opaque != "" || u.User != nil || u.RawQuery != "" || u.ForceQuery || strings.Contains(issuer, "#") {
		return cleared.Invalidf("issuer: %q is not an https URL with a host and no user, query or fragment", issuer)
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && loopback(u.Hostname()):
	default:
		return cleared.Invalidf("issuer: %q does not use https (http is accepted on the loopback host only)", issuer)
	}
	return nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// LinkOIDC links an account to one identity at an identity provider, in place of the one it had: from then on that
// identity signs in to this account, and to no other. Only an admin may (AUTH.ADMIN); an identity already linked to
// another account is ErrConflict, a malformed one ErrInvalid, an unknown account ErrNotFound.
func (s *Service) LinkOIDC(ctx context.Context, a cleared.Actor, id cleared.AccountID, idp OIDCIdentity) (acc cleared.Account, err error) {
	defer cleared.Wrap(&err, "link account %s to an identity provider", id)
	if err := id.Validate(); err != nil {
		return acc, err
	}
	if err := idp.Check(); err != nil {
		return acc, err
	}
	err = s.run.Do(ctx, a, act.AccountLinkOIDC, s.clock(), func(tx store.Tx, x *act.Act) error {
		if err := requireAdmin(tx, x); err != nil {
			return err
		}
		var err error
		if acc, err = tx.Account(id); err != nil {
			return err
		}
		x.Object, x.Payload = string(id), map[string]any{"issuer": idp.Issuer, "subject": idp.Subject}
		acc.OIDCSubject = idp.key()
		return tx.UpdateAccount(acc)
	})
	if err != nil {
		return cleared.Account{}, err
	}
	return acc, nil
}

// LinkOIDCAsOperator is LinkOIDC as an operator's act on the server (cleared user link-oidc), as AddAccount is
// CreateAccount's: the account is named by its login, no admin is needed, and the log records the act under the
// account's own person.
func (s *Service) LinkOIDCAsOperator(ctx context.Context, login string, idp OIDCIdentity) (acc cleared.Account, err error) {
	defer cleared.Wrap(&err, "link account %q to an identity provider", login)
	if err := CheckLogin(login); err != nil {
		return acc, err
	}
	if err := idp.Check(); err != nil {
		return acc, err
	}
	now := s.clock()
	err = s.store.Update(ctx, func(tx store.Tx) error {
		var err error
		if acc, err = tx.AccountByLogin(login); err != nil {
			return err
		}
		acc.OIDCSubject = idp.key()
		if err := tx.UpdateAccount(acc); err != nil {
			return err
		}
		x := s.run.Act(cleared.Actor{Person: acc.PersonID}, act.AccountLinkOIDC, now)
		x.Object, x.Payload = string(acc.ID), map[string]any{"issuer": idp.Issuer, "subject": idp.Subject, "by": "operator"}
		_, err = x.Append(tx, policy.Allow)
		return err
	})
	if err != nil {
		return cleared.Account{}, err
	}
	return acc, nil
}

// OIDCLoginInput is a sign-in through an identity provider: what the ID token says, once the web adapter has
// received it from the provider's token endpoint and verified it (signature, issuer, audience, expiry, and its
// nonce against the one it sent with this browser's request).
type OIDCLoginInput struct {
	Identity OIDCIdentity // the token's "iss" and "sub"
	Nonce    string       // the token's "nonce"
	IssuedAt time.Time    // the token's "iat"
	// Terminal is the terminal the sign-in comes from (its client certificate's), "" for none.
	Terminal cleared.TerminalID
	Remote   string // the client's address, for the log
}

// OIDCLogin signs in the account linked to an identity provider's identity, and opens a session that waits for
// the second factor, as Login does after a right password. An identity no account is linked to, a disabled
// account, an ID token older than ten minutes, and an ID token whose nonce was used before (a replay, wherever it
// was first accepted) are all the same cleared.ErrUnauthenticated, recorded in the audit log with rule AUTH.OIDC; a
// locked account is *cleared.ErrForbidden with rule AUTH.LOCKOUT. None of these counts towards the lock-out: the
// person typed nothing wrong here.
func (s *Service) OIDCLogin(ctx context.Context, in OIDCLoginInput) (out SignIn, err error) {
	defer cleared.Wrap(&err, "sign in through an identity provider")
	now := s.clock()
	if err := s.checkTerminal(ctx, in.Terminal); err != nil {
		return out, err
	}
	nobody := cleared.Actor{Terminal: in.Terminal}
	if err := in.Identity.Check(); err != nil {
		return out, s.refuseSignIn(ctx, nobody, "", now, ruleOIDC, "the ID token names no identity an account can be linked to: "+cleared.Message(err), nil)
	}
	if in.Nonce == "" || len(in.Nonce) > maxNonce {
		return out, s.refuseSignIn(ctx, nobody, "", now, ruleOIDC, "the ID token carries no usable nonce", nil)
	}
	key := in.Identity.key()
	var acc cleared.Account
	err = s.store.View(ctx, func(tx store.Tx) error {
		var err error
		acc, err = tx.AccountByOIDC(key)
		return err
	})
	if errors.Is(err, cleared.ErrNotFound) {
		// The subject is recorded: it is what an administrator needs to link the right account, if one is due.
		return out, s.refuseSignIn(ctx, nobody, "", now, ruleOIDC,
			fmt.Sprintf("no account is linked to subject %q of %s", in.Identity.Subject, in.Identity.Issuer), nil)
	}
	if err != nil {
		return out, err
	}
	nonce := sha256.Sum256([]byte(in.Nonce))
	// A token carrying this nonce is accepted until then at the latest, so the nonce need not be kept longer.
	last := in.IssuedAt.Add(oidcMaxAge + oidcSkew)
	payload := map[string]any{"remote": in.Remote, "method": "oidc", "issuer": in.Identity.Issuer}
	return s.firstStep(ctx, acc.ID, in.Terminal, in.Remote, now, ruleOIDC, payload,
		func(tx store.Tx, acc cleared.Account) (factorCheck, error) {
			switch {
			case acc.OIDCSubject != key:
				return factorCheck{reason: "the identity was unlinked from the account meanwhile"}, nil
			case in.IssuedAt.IsZero() || in.IssuedAt.After(now.Add(oidcSkew)) || now.After(last):
				return factorCheck{reason: fmt.Sprintf("the ID token was not issued in the last %v", oidcMaxAge)}, nil
			}
			err := tx.UseOIDCNonce(nonce[:], last, now)
			if errors.Is(err, cleared.ErrConflict) {
				return factorCheck{reason: "the ID token's nonce was used before: a replayed sign-in"}, nil
			}
			if err != nil {
				return factorCheck{}, err
			}
			return factorCheck{good: true}, nil
		})
}
