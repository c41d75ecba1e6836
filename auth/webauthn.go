package auth

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/account"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/store"
)

// Security keys (WebAuthn) are the second factor that resists phishing: the key signs for this server's origin
// only. A ceremony (registering a key, or signing in with one) has two steps, a challenge and its answer; the
// challenge is kept in memory for SecondFactorTimeout, tied to the session that asked for it.

// putCeremony keeps a ceremony's challenge for its answer, in the database, so that any server of the
// installation may take the answer (a load balancer need not send it back to the one that gave the challenge).
func (s *Service) putCeremony(ctx context.Context, key string, d webauthn.SessionData) error {
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	now := s.clock()
	return s.store.Update(ctx, func(tx store.Tx) error {
		return tx.PutCeremony(key, b, now.Add(account.SecondFactorTimeout), now)
	})
}

// takeCeremony returns and forgets a ceremony's challenge: each is answered at most once. ok is false if none is
// waiting under key, or it expired.
func (s *Service) takeCeremony(ctx context.Context, key string) (d webauthn.SessionData, ok bool, err error) {
	var b []byte
	now := s.clock()
	err = s.store.Update(ctx, func(tx store.Tx) error {
		b, err = tx.TakeCeremony(key, now)
		return err
	})
	if errors.Is(err, cleared.ErrNotFound) {
		return d, false, nil
	}
	if err != nil {
		return d, false, err
	}
	if err := json.Unmarshal(b, &d); err != nil {
		return d, false, fmt.Errorf("read a kept ceremony: %w", err)
	}
	return d, true, nil
}

// keyUser is an account as the WebAuthn library sees it: its handle is the account ID, never shown.
type keyUser struct {
	acc   cleared.Account
	creds []webauthn.Credential
}

func (u keyUser) WebAuthnID() []byte                         { return []byte(u.acc.ID) }
func (u keyUser) WebAuthnName() string                       { return u.acc.Login }
func (u keyUser) WebAuthnDisplayName() string                { return u.acc.Login }
func (u keyUser) WebAuthnCredentials() []webauthn.Credential { return u.creds }

func loadKeyUser(tx store.Credentials, acc cleared.Account) (keyUser, []cleared.WebAuthnCredential, error) {
	u := keyUser{acc: acc}
	stored, err := tx.WebAuthnCredentials(acc.ID)
	if err != nil {
		return u, nil, err
	}
	for _, c := range stored {
		var wc webauthn.Credential
		if err := json.Unmarshal(c.Data, &wc); err != nil {
			return u, nil, cleared.Unavailablef("security key of account %s cannot be read: %v", acc.ID, err)
		}
		u.creds = append(u.creds, wc)
	}
	return u, stored, nil
}

func (s *Service) keys() (*webauthn.WebAuthn, error) {
	if s.webauthn == nil {
		return nil, cleared.Unavailablef("security keys are not configured on this server (serve --public-url)")
	}
	return s.webauthn, nil
}

// BeginKeyRegistration starts registering a security key to the actor's own account, from his signed-in session
// (sessionSecret). It returns the options for navigator.credentials.create, as JSON.
func (s *Service) BeginKeyRegistration(ctx context.Context, a cleared.Actor, sessionSecret string) (options []byte, err error) {
	defer cleared.Wrap(&err, "register security key")
	wa, err := s.keys()
	if err != nil {
		return nil, err
	}
	hash, ok := sessionHash(sessionSecret)
	if !ok {
		return nil, cleared.ErrUnauthenticated
	}
	var u keyUser
	err = s.store.View(ctx, func(tx store.Tx) error {
		acc, err := tx.AccountByPerson(a.Person)
		if err != nil {
			return err
		}
		u, _, err = loadKeyUser(tx, acc)
		return err
	})
	if err != nil {
		return nil, err
	}
	var exclude []protocol.CredentialDescriptor
	for _, c := range u.creds {
		exclude = append(exclude, c.Descriptor())
	}
	opts, data, err := wa.BeginRegistration(u, webauthn.WithExclusions(exclude),
		webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{UserVerification: protocol.VerificationDiscouraged,
			ResidentKey: protocol.ResidentKeyRequirementDiscouraged}))
	if err != nil {
		return nil, cleared.Invalidf("security key: %v", err)
	}
	if err := s.putCeremony(ctx, "register:"+hex.EncodeToString(hash), *data); err != nil {
		return nil, err
	}
	return json.Marshal(opts)
}

// FinishKeyRegistration checks the browser's answer to BeginKeyRegistration and records the key under name. A
// wrong or late answer is ErrInvalid and records nothing.
func (s *Service) FinishKeyRegistration(ctx context.Context, a cleared.Actor, sessionSecret, name string, answer []byte) (c cleared.WebAuthnCredential, err error) {
	defer cleared.Wrap(&err, "register security key")
	wa, err := s.keys()
	if err != nil {
		return c, err
	}
	if err := cleared.CheckLine("name", name, 1, maxName); err != nil {
		return c, err
	}
	hash, ok := sessionHash(sessionSecret)
	if !ok {
		return c, cleared.ErrUnauthenticated
	}
	now := s.clock()
	data, ok, err := s.takeCeremony(ctx, "register:"+hex.EncodeToString(hash))
	if err != nil {
		return c, err
	}
	if !ok {
		return c, cleared.Invalidf("no security key registration is waiting, or it took longer than %v: start again", account.SecondFactorTimeout)
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(answer)
	if err != nil {
		return c, cleared.Invalidf("the security key's answer cannot be read")
	}
	err = s.run.Do(ctx, a, act.AccountSecurityKey, now, func(tx store.Tx, x *act.Act) error {
		acc, err := tx.AccountByPerson(a.Person)
		if err != nil {
			return err
		}
		u, _, err := loadKeyUser(tx, acc)
		if err != nil {
			return err
		}
		cred, err := wa.CreateCredential(u, data, parsed)
		if err != nil {
			return cleared.Invalidf("the security key's answer is not valid for this server")
		}
		b, err := json.Marshal(cred)
		if err != nil {
			return err
		}
		c = cleared.WebAuthnCredential{ID: cred.ID, AccountID: acc.ID, Name: name, Data: b, Created: now}
		x.Object, x.Payload = string(acc.ID), map[string]any{"name": name}
		return tx.CreateWebAuthnCredential(c)
	})
	return c, err
}

// SecurityKeys lists the actor's own security keys.
func (s *Service) SecurityKeys(ctx context.Context, a cleared.Actor) (cs []cleared.WebAuthnCredential, err error) {
	defer cleared.Wrap(&err, "list security keys")
	err = s.store.View(ctx, func(tx store.Tx) error {
		acc, err := tx.AccountByPerson(a.Person)
		if errors.Is(err, cleared.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		cs, err = tx.WebAuthnCredentials(acc.ID)
		return err
	})
	return cs, err
}

// RemoveSecurityKey removes one of the actor's own security keys (lost, or given back): it can no longer sign
// him in. A key ID that is not one of his keys is cleared.ErrNotFound. The removal is recorded in the audit log.
func (s *Service) RemoveSecurityKey(ctx context.Context, a cleared.Actor, id []byte) (err error) {
	defer cleared.Wrap(&err, "remove security key")
	if len(id) == 0 || len(id) > 1023 {
		return cleared.ErrNotFound
	}
	return s.run.Do(ctx, a, act.SecurityKeyRemove, s.clock(), func(tx store.Tx, x *act.Act) error {
		acc, err := tx.AccountByPerson(a.Person)
		if err != nil {
			return err
		}
		var name string
		ks, err := tx.WebAuthnCredentials(acc.ID)
		if err != nil {
			return err
		}
		for _, k := range ks {
			if bytes.Equal(k.ID, id) {
				name = k.Name
			}
		}
		if err := tx.DeleteWebAuthnCredential(acc.ID, id); err != nil {
			return err
		}
		x.Object, x.Payload = string(acc.ID), map[string]any{"key": name}
		return nil
	})
}

// BeginKeyLogin starts the second step of a sign-in with a security key, for a session waiting for its second
// factor. It returns the options for navigator.credentials.get, as JSON; an account without a key is ErrConflict.
func (s *Service) BeginKeyLogin(ctx context.Context, secret string, terminal cleared.TerminalID) (options []byte, err error) {
	defer cleared.Wrap(&err, "security key")
	wa, err := s.keys()
	if err != nil {
		return nil, err
	}
	x, err := s.PendingSession(ctx, secret, terminal)
	if err != nil {
		return nil, err
	}
	var u keyUser
	err = s.store.View(ctx, func(tx store.Tx) error {
		acc, err := tx.Account(x.AccountID)
		if err != nil {
			return err
		}
		u, _, err = loadKeyUser(tx, acc)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(u.creds) == 0 {
		return nil, cleared.Conflictf("no security key is registered to this account: use the code of your authenticator app")
	}
	opts, data, err := wa.BeginLogin(u, webauthn.WithUserVerification(protocol.VerificationDiscouraged))
	if err != nil {
		return nil, cleared.Invalidf("security key: %v", err)
	}
	if err := s.putCeremony(ctx, "login:"+hex.EncodeToString(x.Hash), *data); err != nil {
		return nil, err
	}
	return json.Marshal(opts)
}

// FinishKeyLogin completes a sign-in with the browser's answer to BeginKeyLogin. A wrong answer is
// ErrUnauthenticated and counts towards the lock-out, as a wrong code does; every attempt is recorded. On success
// the session has a new secret, returned in the SignIn, as SecondFactor does.
func (s *Service) FinishKeyLogin(ctx context.Context, secret string, terminal cleared.TerminalID, answer []byte) (in SignIn, err error) {
	defer cleared.Wrap(&err, "security key")
	wa, err := s.keys()
	if err != nil {
		return in, err
	}
	hash, ok := sessionHash(secret)
	if !ok {
		return in, cleared.ErrUnauthenticated
	}
	data, haveData, err := s.takeCeremony(ctx, "login:"+hex.EncodeToString(hash))
	if err != nil {
		return in, err
	}
	parsed, perr := protocol.ParseCredentialRequestResponseBytes(answer)
	return s.secondFactor(ctx, secret, terminal, "webauthn", func(tx store.Tx, acc *cleared.Account, now time.Time) (factorCheck, error) {
		u, stored, err := loadKeyUser(tx, *acc)
		if err != nil {
			return factorCheck{}, err
		}
		var cred *webauthn.Credential
		if haveData && perr == nil {
			cred, err = wa.ValidateLogin(u, data, parsed)
		}
		if !haveData || perr != nil || err != nil || cred.Authenticator.CloneWarning {
			return factorCheck{failed: true, reason: "the security key's answer is wrong, late or from a cloned key"}, nil
		}
		for _, c := range stored {
			if string(c.ID) == string(cred.ID) {
				c.Data, _ = json.Marshal(cred) // the new sign count
				c.LastUsed = now
				if err := tx.UpdateWebAuthnCredential(c); err != nil {
					return factorCheck{}, err
				}
			}
		}
		return factorCheck{good: true}, nil
	})
}

// NewWebAuthn configures security keys for a server reached at publicURL (e.g. "https://cleared.example.lu"): the
// relying party is its host name, and answers are accepted from that origin only.
func NewWebAuthn(publicURL string) (*webauthn.WebAuthn, error) {
	host := publicURL
	if i := len("https://"); len(host) > i && host[:i] == "https://" {
		host = host[i:]
	} else if i := len("http://"); len(host) > i && host[:i] == "http://" {
		host = host[i:]
	}
	for i, c := range host {
		if c == ':' || c == '/' {
			host = host[:i]
			break
		}
	}
	return webauthn.New(&webauthn.Config{RPID: host, RPDisplayName: "cleared", RPOrigins: []string{publicURL}})
}
