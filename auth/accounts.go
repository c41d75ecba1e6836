package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/account"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// Issuer names cleared in authenticator apps.
const Issuer = "cleared"

// sessionPrefix starts every session secret (the cookie's value).
const sessionPrefix = "cleared_s_"

// Rules of sign-in refusals that are not the law's: they are recorded in the audit log like the law's.
const (
	RuleLockout  = policy.RuleLockout
	rulePassword = policy.RulePassword
	ruleCode     = policy.RuleSecondFactor
)

// NewAccount is the input of CreateAccount.
type NewAccount struct {
	PersonID cleared.PersonID `json:"person_id"`
	Login    string           `json:"login"`
	Password string           `json:"password"`
	// TOTPSecret, if set, is used instead of a fresh one, and PasswordHash instead of hashing Password. Only the
	// demo data set sets them, so that anyone can compute its codes, and loading it stays quick.
	TOTPSecret   string `json:"-"`
	PasswordHash string `json:"-"`
}

// NewAccountResult is what CreateAccount shows once: the account and its TOTP secret, to enrol in an
// authenticator app (as text or through the otpauth URI).
type NewAccountResult struct {
	Account    cleared.Account `json:"account"`
	TOTPSecret string          `json:"totp_secret"`
	TOTPURI    string          `json:"totp_uri"`
}

// CheckLogin reports a login that is not 2 to 64 characters of lower-case letters, digits, '.', '-' and '_'.
func CheckLogin(login string) error {
	if len(login) < 2 || len(login) > 64 {
		return cleared.Invalidf("a login has 2 to 64 characters")
	}
	for _, c := range login {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return cleared.Invalidf("a login holds lower-case letters, digits, '.', '-' and '_' only")
		}
	}
	return nil
}

// CreateAccount gives a person an account with a password and a fresh TOTP secret (every account has a second
// factor). Only an admin may; the person must exist and have no account yet (ErrConflict).
func (s *Service) CreateAccount(ctx context.Context, a cleared.Actor, in NewAccount) (r NewAccountResult, err error) {
	defer cleared.Wrap(&err, "create account")
	now := s.clock()
	acc, secret, err := s.prepareAccount(in, a.Person, now)
	if err != nil {
		return r, err
	}
	err = s.run.Do(ctx, a, act.AccountCreate, now, func(tx store.Tx, x *act.Act) error {
		if err := requireAdmin(tx, x); err != nil {
			return err
		}
		x.Object, x.Payload = string(acc.ID), map[string]any{"person": acc.PersonID, "login": acc.Login}
		if _, err := tx.Person(in.PersonID); err != nil {
			return err
		}
		return tx.CreateAccount(acc)
	})
	if err != nil {
		return r, err
	}
	return NewAccountResult{Account: acc, TOTPSecret: secret, TOTPURI: account.TOTPURI(Issuer, acc.Login, secret)}, nil
}

// AddAccount is CreateAccount as an operator's act on the server (cleared user add, the demo data set): no admin
// is needed, and the log records it under the account's own person.
func (s *Service) AddAccount(ctx context.Context, in NewAccount) (r NewAccountResult, err error) {
	defer cleared.Wrap(&err, "add account")
	now := s.clock()
	acc, secret, err := s.prepareAccount(in, in.PersonID, now)
	if err != nil {
		return r, err
	}
	err = s.run.Commit(ctx, cleared.Actor{Person: in.PersonID}, act.AccountCreate, now, func(tx store.Tx, x *act.Act) error {
		if _, err := tx.Person(in.PersonID); err != nil {
			return err
		}
		x.Object, x.Payload = string(acc.ID), map[string]any{"person": acc.PersonID, "login": acc.Login, "by": "operator"}
		return tx.CreateAccount(acc)
	})
	if err != nil {
		return r, err
	}
	return NewAccountResult{Account: acc, TOTPSecret: secret, TOTPURI: account.TOTPURI(Issuer, acc.Login, secret)}, nil
}

func (s *Service) prepareAccount(in NewAccount, by cleared.PersonID, now time.Time) (cleared.Account, string, error) {
	var acc cleared.Account
	if err := in.PersonID.Validate(); err != nil {
		return acc, "", err
	}
	if err := CheckLogin(in.Login); err != nil {
		return acc, "", err
	}
	hash := in.PasswordHash
	if hash == "" {
		var err error
		if hash, err = account.HashPassword(in.Password); err != nil {
			return acc, "", err
		}
	}
	secret := in.TOTPSecret
	if secret == "" {
		var err error
		if secret, err = account.NewTOTPSecret(); err != nil {
			return acc, "", err
		}
	}
	acc = cleared.Account{ID: cleared.NewAccountID(), PersonID: in.PersonID, Login: in.Login, PasswordHash: hash,
		Created: now, CreatedBy: by}
	var err error
	if acc.TOTPKEK, acc.TOTP, err = s.ring.SealValue(totpPurpose(acc.ID), []byte(secret)); err != nil {
		return acc, "", err
	}
	return acc, secret, nil
}

func totpPurpose(id cleared.AccountID) string { return "totp:" + string(id) }

// requireAdmin refuses an actor who does not manage accounts.
func requireAdmin(tx store.Registers, x *act.Act) error {
	me, err := facts.ActorPerson(tx, x.Actor)
	if err != nil {
		return err
	}
	if d := policy.AccountAdmin(me); !d.Allowed {
		return x.Deny("", d)
	}
	return nil
}

// Accounts lists accounts, by ID, to an admin.
func (s *Service) Accounts(ctx context.Context, a cleared.Actor, after string, limit int) (as []cleared.Account, err error) {
	defer cleared.Wrap(&err, "list accounts")
	err = s.run.Read(ctx, a, act.AccountList, s.clock(), func(tx store.Tx, x *act.Act) error {
		if err := requireAdmin(tx, x); err != nil {
			return err
		}
		as, err = tx.Accounts(store.Page{After: after, Limit: page(limit)})
		x.Payload = map[string]int{"count": len(as)}
		return err
	})
	return as, err
}

// UnlockAccount clears an account's failures and lock. Only an admin may.
func (s *Service) UnlockAccount(ctx context.Context, a cleared.Actor, id cleared.AccountID) (err error) {
	defer cleared.Wrap(&err, "unlock account %s", id)
	if err := id.Validate(); err != nil {
		return err
	}
	return s.run.Do(ctx, a, act.AccountUnlock, s.clock(), func(tx store.Tx, x *act.Act) error {
		if err := requireAdmin(tx, x); err != nil {
			return err
		}
		acc, err := tx.Account(id)
		if err != nil {
			return err
		}
		x.Object = string(id)
		return tx.UpdateAccount(account.Succeeded(acc))
	})
}

// ChangePassword sets a new password for the actor's own account, given the old one.
func (s *Service) ChangePassword(ctx context.Context, a cleared.Actor, old, pw string) (err error) {
	defer cleared.Wrap(&err, "change password")
	hash, err := account.HashPassword(pw)
	if err != nil {
		return err
	}
	return s.run.Do(ctx, a, act.AccountPassword, s.clock(), func(tx store.Tx, x *act.Act) error {
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		acc, err := tx.AccountByPerson(me.ID)
		if err != nil {
			return err
		}
		x.Object = string(acc.ID)
		if !account.CheckPassword(acc.PasswordHash, old) {
			return x.Deny(string(acc.ID), policy.ProofFailed(rulePassword, "the current password is wrong", time.Time{}, x.Now))
		}
		acc.PasswordHash = hash
		return tx.UpdateAccount(acc)
	})
}

// LoginInput is a sign-in's first step.
type LoginInput struct {
	Login    string
	Password string
	// Terminal is the terminal the sign-in comes from (its client certificate's), "" for none.
	Terminal cleared.TerminalID
	Remote   string // the client's address, for the log
}

// SignIn is an opened session and its secret, shown once (it goes in the cookie).
type SignIn struct {
	Secret  string
	Session cleared.Session
}

// Login checks a login and password and opens a session that waits for the second factor. A wrong login and a
// wrong password give the same cleared.ErrUnauthenticated, after the same work. A locked account gives
// *cleared.ErrForbidden with rule AUTH.LOCKOUT, saying until when. Every attempt is recorded in the audit log,
// refused ones included, and a failure counts towards the lock-out in the same transaction.
func (s *Service) Login(ctx context.Context, in LoginInput) (out SignIn, err error) {
	defer cleared.Wrap(&err, "sign in")
	now := s.clock()
	if CheckLogin(in.Login) != nil || len(in.Password) > 4*account.MaxPassword {
		account.DummyCheck(in.Password)
		return out, cleared.ErrUnauthenticated
	}
	if err := s.checkTerminal(ctx, in.Terminal); err != nil {
		return out, err
	}
	var acc cleared.Account
	err = s.store.View(ctx, func(tx store.Tx) error {
		var err error
		acc, err = tx.AccountByLogin(in.Login)
		return err
	})
	if errors.Is(err, cleared.ErrNotFound) {
		account.DummyCheck(in.Password)
		payload := map[string]any{"login": in.Login, "remote": in.Remote}
		if until, locked := s.phantoms.fail(in.Login, now); locked {
			// Locked as an account would be, with the same answer: a lock-out must not tell which logins exist.
			x := s.run.Act(cleared.Actor{Terminal: in.Terminal}, act.SessionLogin, now)
			x.Payload = payload
			d := policy.LockedOut(until)
			return out, x.Record(ctx, d, d.Err())
		}
		return out, s.refuseSignIn(ctx, cleared.Actor{Terminal: in.Terminal}, "", now, rulePassword, "unknown login", payload)
	}
	if err != nil {
		return out, err
	}
	// The hash is checked outside the transaction: it takes a tenth of a second, which the writer must not wait.
	good := account.CheckPassword(acc.PasswordHash, in.Password)
	return s.firstStep(ctx, acc.ID, in.Terminal, in.Remote, now, rulePassword, map[string]any{"remote": in.Remote},
		func(store.Tx, cleared.Account) (factorCheck, error) {
			if !good {
				return factorCheck{failed: true, reason: "wrong password"}, nil
			}
			return factorCheck{good: true}, nil
		})
}

// firstStep is the first step of a sign-in, whatever proves who one is: a password (Login) or an identity
// provider (OIDCLogin). In one transaction it reloads the account, refuses a disabled or locked one, runs check,
// and then counts a failure towards the lock-out, or opens a session bound to terminal that waits for the second
// factor; and it appends the attempt to the audit log (action session.login), refusals under rule, or
// AUTH.LOCKOUT. payload is the entry's payload when the session opens, with the session added. check may write in
// tx (an identity provider's nonce): what it writes commits with the entry.
func (s *Service) firstStep(ctx context.Context, id cleared.AccountID, terminal cleared.TerminalID, remote string, now time.Time,
	rule string, payload map[string]any, check func(tx store.Tx, acc cleared.Account) (factorCheck, error)) (out SignIn, err error) {
	secret, hash, err := newSessionSecret()
	if err != nil {
		return out, err
	}
	err = s.run.Commit(ctx, cleared.Actor{Terminal: terminal}, act.SessionLogin, now, func(tx store.Tx, x *act.Act) error {
		out = SignIn{}
		acc, err := tx.Account(id)
		if err != nil {
			return err
		}
		x.Actor.Person, x.Object = acc.PersonID, string(acc.ID)
		if d := policy.SignIn(acc, rule, now); !d.Allowed {
			return x.Refuse(d, signInRefusal(d))
		}
		c, err := check(tx, acc)
		if err != nil {
			return err
		}
		switch {
		case c.good:
			out.Session = cleared.Session{ID: cleared.NewSessionID(), AccountID: acc.ID, PersonID: acc.PersonID,
				Hash: hash, Terminal: terminal, Stage: cleared.StageSecondFactor, Remote: truncateRemote(remote),
				Created: now, LastSeen: now, Expires: now.Add(account.AbsoluteTimeout)}
			p := maps.Clone(payload)
			if p == nil {
				p = map[string]any{}
			}
			p["session"] = out.Session.ID
			x.Payload = p
			return tx.CreateSession(out.Session)
		case c.failed:
			acc = account.Failed(acc, now)
			if err := tx.UpdateAccount(acc); err != nil {
				return err
			}
			return x.Refuse(policy.ProofFailed(rule, c.reason, acc.LockedUntil, now), cleared.ErrUnauthenticated)
		}
		return x.Refuse(policy.ProofFailed(rule, c.reason, time.Time{}, now), cleared.ErrUnauthenticated)
	})
	if err != nil {
		return SignIn{}, err
	}
	out.Secret = secret
	return out, nil
}

// signInRefusal is what a refused step of signing in answers: a lock-out says so (403, with its end), anything else
// only that the sign-in failed, as an unknown login does.
func signInRefusal(d policy.Decision) error {
	if d.Rule == policy.RuleLockout {
		return d.Err()
	}
	return cleared.ErrUnauthenticated
}

// phantoms counts the failed sign-ins of logins that name no account, as an account counts its own, so that they
// lock alike: were only real accounts locked, a guesser would learn which logins exist by being locked out. They
// are kept in memory only (a restart forgets them, as nothing is at stake behind them), at most phantomLogins,
// the locked ones kept longest.
type phantoms struct {
	mu sync.Mutex
	m  map[string]cleared.Account
}

const phantomLogins = 10000

// fail counts a failed sign-in of login at now, and reports whether login was locked before it, and until when;
// a locked login's attempt is not counted, as an account's is not.
func (p *phantoms) fail(login string, now time.Time) (time.Time, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	a := p.m[login]
	if account.Locked(a, now) {
		return a.LockedUntil, true
	}
	if len(p.m) >= phantomLogins {
		// Full: forget the logins not locked now first, so that flooding the table with new logins does not
		// unlock the ones locked (which would tell them apart from accounts); only if all are locked, all.
		maps.DeleteFunc(p.m, func(_ string, a cleared.Account) bool { return !account.Locked(a, now) })
		if len(p.m) >= phantomLogins {
			clear(p.m)
		}
	}
	if p.m == nil {
		p.m = make(map[string]cleared.Account)
	}
	p.m[login] = account.Failed(a, now)
	return time.Time{}, false
}

// refuseSignIn records a refused sign-in that concerns no account, and returns ErrUnauthenticated.
func (s *Service) refuseSignIn(ctx context.Context, a cleared.Actor, object string, now time.Time, rule, reason string, payload any) error {
	x := s.run.Act(a, act.SessionLogin, now)
	x.Object, x.Payload = object, payload
	return x.Record(ctx, policy.ProofFailed(rule, reason, time.Time{}, now), cleared.ErrUnauthenticated)
}

// checkTerminal refuses a sign-in from a revoked terminal (a client certificate outlives nothing).
func (s *Service) checkTerminal(ctx context.Context, id cleared.TerminalID) error {
	if id == "" {
		return nil
	}
	return s.store.View(ctx, func(tx store.Tx) error {
		t, err := tx.Terminal(id)
		if errors.Is(err, cleared.ErrNotFound) {
			return cleared.ErrUnauthenticated
		}
		if err != nil {
			return err
		}
		if !t.Revoked.IsZero() {
			return cleared.ErrUnauthenticated
		}
		return nil
	})
}

func truncateRemote(s string) string {
	if len(s) > 100 {
		return s[:100]
	}
	return s
}

func newSessionSecret() (secret string, hash []byte, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, err
	}
	secret = sessionPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
	sum := sha256.Sum256([]byte(secret))
	return secret, sum[:], nil
}

func sessionHash(secret string) ([]byte, bool) {
	rest, ok := strings.CutPrefix(secret, sessionPrefix)
	if !ok || len(rest) != 52 {
		return nil, false
	}
	for _, c := range rest {
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return nil, false
		}
	}
	sum := sha256.Sum256([]byte(secret))
	return sum[:], true
}

// SecondFactor completes a sign-in with a TOTP code. A wrong, stale or replayed code is ErrUnauthenticated and
// counts towards the lock-out like a wrong password; every attempt is recorded in the audit log. On success the
// session has a new secret (and ID), returned in the SignIn: the secret given here no longer opens anything.
func (s *Service) SecondFactor(ctx context.Context, secret string, terminal cleared.TerminalID, code string) (in SignIn, err error) {
	defer cleared.Wrap(&err, "second factor")
	return s.secondFactor(ctx, secret, terminal, "totp", func(tx store.Tx, acc *cleared.Account, now time.Time) (factorCheck, error) {
		if len(acc.TOTP) == 0 {
			return factorCheck{reason: "no TOTP is enrolled for this account"}, nil
		}
		totp, err := s.ring.OpenValue(totpPurpose(acc.ID), acc.TOTPKEK, acc.TOTP)
		if err != nil {
			return factorCheck{}, err // fail closed: a secret that cannot be read lets no one in
		}
		step, good := account.CheckTOTP(string(totp), code, now, acc.TOTPLastStep)
		clear(totp)
		if !good {
			return factorCheck{failed: true, reason: "wrong, expired or already used code"}, nil
		}
		acc.TOTPLastStep = step
		return factorCheck{good: true}, nil
	})
}

// factorCheck is what a second factor's check found: good; or refused for reason, counting towards the lock-out
// when failed (a wrong answer, not a factor that is missing).
type factorCheck struct {
	good, failed bool
	reason       string
}

// secondFactor is the second step of a sign-in, whatever the factor: in one transaction, it finds the session
// waiting for it from terminal, refuses a disabled or locked account, runs check, counts a failure or activates
// the session, and appends the attempt to the audit log (action session.second_factor). check may change the
// account (the TOTP's last step) and write in tx (a security key's counter).
//
// Activating replaces the session (session fixation): the waiting one ends, and an active one with a fresh secret
// and ID takes its place, with the same terminal, start and absolute end. Whoever knew or planted the secret of the
// first step (a cookie set by a page of another subdomain, read over a shoulder) holds nothing once the second
// factor succeeded.
func (s *Service) secondFactor(ctx context.Context, secret string, terminal cleared.TerminalID, method string,
	check func(tx store.Tx, acc *cleared.Account, now time.Time) (factorCheck, error)) (in SignIn, err error) {
	hash, ok := sessionHash(secret)
	if !ok {
		return in, cleared.ErrUnauthenticated
	}
	fresh, freshHash, err := newSessionSecret()
	if err != nil {
		return in, err
	}
	now := s.clock()
	var x cleared.Session
	err = s.run.Commit(ctx, cleared.Actor{Terminal: terminal}, act.SessionSecondFactor, now, func(tx store.Tx, e *act.Act) error {
		x, err = tx.SessionByHash(hash)
		if errors.Is(err, cleared.ErrNotFound) || err == nil && !account.SessionOpen(x, cleared.StageSecondFactor, terminal, now) {
			return cleared.ErrUnauthenticated // no session waits: nothing to count, nor to record
		}
		if err != nil {
			return err
		}
		acc, err := tx.Account(x.AccountID)
		if err != nil {
			return err
		}
		e.Actor.Person, e.Object, e.Payload = acc.PersonID, string(acc.ID), map[string]any{"session": x.ID, "method": method}
		if d := policy.SignIn(acc, ruleCode, now); !d.Allowed {
			return e.Refuse(d, signInRefusal(d))
		}
		c, err := check(tx, &acc, now)
		if err != nil {
			return err
		}
		var refused *policy.Decision
		switch {
		case c.good:
			acc = account.Succeeded(acc)
			waiting := x
			waiting.Revoked = now
			if err := tx.UpdateSession(waiting); err != nil {
				return err
			}
			x.ID, x.Hash = cleared.NewSessionID(), freshHash
			x.Stage, x.Method, x.LastSeen = cleared.StageActive, method, now
			if err := tx.CreateSession(x); err != nil {
				return err
			}
			e.Payload = map[string]any{"session": x.ID, "replaces": waiting.ID, "method": method}
		case c.failed:
			acc = account.Failed(acc, now)
			d := policy.ProofFailed(ruleCode, c.reason, time.Time{}, now)
			refused = &d
		default:
			d := policy.ProofFailed(ruleCode, c.reason, time.Time{}, now)
			refused = &d
		}
		if err := tx.UpdateAccount(acc); err != nil {
			return err
		}
		if refused != nil {
			return e.Refuse(*refused, cleared.ErrUnauthenticated)
		}
		return nil
	})
	if err != nil {
		return SignIn{}, err
	}
	return SignIn{Secret: fresh, Session: x}, nil
}

// SessionActor returns the actor of a fully signed-in session used from terminal, and touches its last activity
// (at most once a minute). A malformed, unknown, revoked, expired or idle session, one still waiting for its second
// factor, or one used from another terminal than it was opened from, is cleared.ErrUnauthenticated.
func (s *Service) SessionActor(ctx context.Context, secret string, terminal cleared.TerminalID) (a cleared.Actor, x cleared.Session, err error) {
	x, err = s.session(ctx, secret, cleared.StageActive, terminal)
	if err != nil {
		return a, x, err
	}
	return cleared.Actor{Person: x.PersonID, Terminal: x.Terminal}, x, nil
}

// PendingSession returns a session waiting for its second factor, as SessionActor does for an active one.
func (s *Service) PendingSession(ctx context.Context, secret string, terminal cleared.TerminalID) (cleared.Session, error) {
	return s.session(ctx, secret, cleared.StageSecondFactor, terminal)
}

func (s *Service) session(ctx context.Context, secret string, stage cleared.SessionStage, terminal cleared.TerminalID) (x cleared.Session, err error) {
	hash, ok := sessionHash(secret)
	if !ok {
		return x, cleared.ErrUnauthenticated
	}
	now := s.clock()
	gen := s.store.Generation()
	cached := false
	if stage == cleared.StageActive {
		x, cached = s.sessions.Get([32]byte(hash), gen)
	}
	if !cached {
		err = s.store.View(ctx, func(tx store.Tx) error {
			x, err = tx.SessionByHash(hash)
			if errors.Is(err, cleared.ErrNotFound) {
				return cleared.ErrUnauthenticated
			}
			return err
		})
		if err != nil {
			return cleared.Session{}, err
		}
		if stage == cleared.StageActive && x.Stage == cleared.StageActive {
			s.sessions.Put([32]byte(hash), gen, x)
		}
	}
	if !account.SessionOpen(x, stage, terminal, now) {
		return cleared.Session{}, cleared.ErrUnauthenticated
	}
	if stage == cleared.StageActive && now.Sub(x.LastSeen) >= account.TouchEvery {
		err = s.store.Update(ctx, func(tx store.Tx) error {
			y, err := tx.SessionByHash(hash)
			if err != nil {
				return err
			}
			if !account.SessionOpen(y, stage, terminal, now) {
				return cleared.ErrUnauthenticated // revoked meanwhile
			}
			y.LastSeen = now
			x = y
			return tx.UpdateSession(y)
		})
		if err != nil {
			return cleared.Session{}, err
		}
	}
	return x, nil
}

// SessionTerminal returns the terminal a session was opened from, whatever its stage, or ErrUnauthenticated. The
// web adapter needs it in demo mode only, where that terminal was chosen on the sign-in form.
func (s *Service) SessionTerminal(ctx context.Context, secret string) (t cleared.TerminalID, err error) {
	hash, ok := sessionHash(secret)
	if !ok {
		return "", cleared.ErrUnauthenticated
	}
	if x, ok := s.sessions.Get([32]byte(hash), s.store.Generation()); ok {
		return x.Terminal, nil // a session's terminal never changes; the kept session is an active one
	}
	err = s.store.View(ctx, func(tx store.Tx) error {
		x, err := tx.SessionByHash(hash)
		if errors.Is(err, cleared.ErrNotFound) {
			return cleared.ErrUnauthenticated
		}
		t = x.Terminal
		return err
	})
	return t, err
}

// Logout ends the session whose secret is given; an unknown or ended one is no error (there is nothing to end).
func (s *Service) Logout(ctx context.Context, secret string) (err error) {
	defer cleared.Wrap(&err, "sign out")
	hash, ok := sessionHash(secret)
	if !ok {
		return nil
	}
	now := s.clock()
	return s.store.Update(ctx, func(tx store.Tx) error {
		x, err := tx.SessionByHash(hash)
		if errors.Is(err, cleared.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if !x.Revoked.IsZero() {
			return nil
		}
		x.Revoked = now
		if err := tx.UpdateSession(x); err != nil {
			return err
		}
		e := s.run.Act(cleared.Actor{Person: x.PersonID, Terminal: x.Terminal}, act.SessionLogout, now)
		e.Object = string(x.ID)
		_, err = e.Append(tx, policy.Allow)
		return err
	})
}

// Sessions lists the actor's own open sessions, newest first.
func (s *Service) Sessions(ctx context.Context, a cleared.Actor) (xs []cleared.Session, err error) {
	defer cleared.Wrap(&err, "list sessions")
	now := s.clock()
	err = s.store.View(ctx, func(tx store.Tx) error {
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		acc, err := tx.AccountByPerson(me.ID)
		if errors.Is(err, cleared.ErrNotFound) {
			return nil // an API-only person has no sessions
		}
		if err != nil {
			return err
		}
		xs, err = tx.AccountSessions(acc.ID, now)
		return err
	})
	return xs, err
}

// RevokeSession ends one of the actor's own sessions (a lost laptop). Another's session is not found.
func (s *Service) RevokeSession(ctx context.Context, a cleared.Actor, id cleared.SessionID) (err error) {
	defer cleared.Wrap(&err, "revoke session %s", id)
	if err := id.Validate(); err != nil {
		return err
	}
	now := s.clock()
	return s.run.Do(ctx, a, act.SessionRevoke, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		acc, err := tx.AccountByPerson(me.ID)
		if errors.Is(err, cleared.ErrNotFound) {
			return cleared.NotFoundf("no session %s", id)
		}
		if err != nil {
			return err
		}
		xs, err := tx.AccountSessions(acc.ID, now)
		if err != nil {
			return err
		}
		for _, y := range xs {
			if y.ID == id {
				y.Revoked = now
				x.Object = string(id)
				return tx.UpdateSession(y)
			}
		}
		return cleared.NotFoundf("no session %s", id)
	})
}
