package policy

import (
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/account"
)

// The rules of signing in. They are not articles of the law but the system's own, by which it knows who acts
// before any article can be applied (architecture, "Authentication"); a refusal names them as it would an article.
const (
	RuleLockout      = "AUTH.LOCKOUT"       // too many failed sign-ins
	RulePassword     = "AUTH.PASSWORD"      // the first step: login and password
	RuleSecondFactor = "AUTH.SECOND_FACTOR" // the second step: TOTP or security key
	RuleOIDC         = "AUTH.OIDC"          // the first step through an identity provider
	RuleAdmin        = "AUTH.ADMIN"         // who manages accounts
	RuleScope        = "AUTH.SCOPE"         // what an API token may do: its owner's own limit
)

const lockedReason = "too many failed sign-ins: locked until "

// SignIn decides whether account acc may take a step of signing in at now, before its proof is checked: not if it
// is disabled (refused by rule, the step's), nor while it is locked out.
func SignIn(acc cleared.Account, rule string, now time.Time) Decision {
	switch {
	case !acc.Disabled.IsZero():
		return deny(rule, "the account is disabled")
	case account.Locked(acc, now):
		return LockedOut(acc.LockedUntil)
	}
	return Allow
}

// LockedOut is the refusal of a sign-in while its login is locked until until, an account's or a login that names
// none: both read the same, so that a lock-out does not tell which logins exist.
func LockedOut(until time.Time) Decision {
	return deny(RuleLockout, lockedReason+until.UTC().Format(time.RFC3339))
}

// ProofFailed is the refusal of a step of signing in whose proof failed (a wrong password, an unknown login, a
// wrong code), by rule, the step's, for reason; lockedUntil, if set and after now, says the failure locked the
// account.
func ProofFailed(rule, reason string, lockedUntil, now time.Time) Decision {
	if now.Before(lockedUntil) {
		reason += "; locked until " + lockedUntil.UTC().Format(time.RFC3339)
	}
	return deny(rule, reason)
}

// AccountAdmin decides whether person p may manage accounts: only an administrator.
func AccountAdmin(p cleared.Person) Decision {
	if !p.HasRole(cleared.RoleAdmin) {
		return deny(RuleAdmin, "only an administrator manages accounts")
	}
	return Allow
}

// TokenScope decides whether an API token with scopes may be used for an act that needs need (RuleScope).
func TokenScope(scopes []cleared.Scope, need cleared.Scope) Decision {
	for _, s := range scopes {
		if s == need {
			return Allow
		}
	}
	names := make([]string, len(scopes))
	for i, s := range scopes {
		names[i] = string(s)
	}
	return deny(RuleScope, "the token may not "+string(need)+": its scopes are "+strings.Join(names, ", "))
}
