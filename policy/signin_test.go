package policy

import (
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
)

func TestSignIn(t *testing.T) {
	open := cleared.Account{ID: cleared.AccountID("acc_1")}
	disabled := open
	disabled.Disabled = now.Add(-time.Hour)
	locked := open
	locked.LockedUntil = now.Add(time.Minute)
	unlockedNow := open
	unlockedNow.LockedUntil = now // the lock ends at now: the sign-in may go on
	tests := []struct {
		name string
		acc  cleared.Account
		want Decision
	}{
		{"AUTH.PASSWORD an open account may try", open, allow()},
		{"AUTH.PASSWORD a disabled account is refused by the step's rule", disabled, refuse(RulePassword)},
		{"AUTH.LOCKOUT a locked account is refused", locked, refuse(RuleLockout)},
		{"AUTH.LOCKOUT a lock that ends exactly now no longer holds", unlockedNow, allow()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, SignIn(tt.acc, RulePassword, now), tt.want) })
	}
	t.Run("AUTH.LOCKOUT the refusal says until when", func(t *testing.T) {
		if d := SignIn(locked, RulePassword, now); !strings.HasSuffix(d.Reason, locked.LockedUntil.Format(time.RFC3339)) {
			t.Fatalf("reason %q", d.Reason)
		}
	})
	t.Run("AUTH.LOCKOUT an account and a login that names none read the same", func(t *testing.T) {
		if a, b := SignIn(locked, RulePassword, now), LockedOut(locked.LockedUntil); a != b {
			t.Fatalf("%+v != %+v", a, b)
		}
	})
}

func TestProofFailed(t *testing.T) {
	d := ProofFailed(RuleSecondFactor, "wrong code", time.Time{}, now)
	checkDecision(t, d, refuse(RuleSecondFactor))
	if d.Reason != "wrong code" {
		t.Fatalf("reason %q", d.Reason)
	}
	t.Run("AUTH.LOCKOUT a failure that locks says so", func(t *testing.T) {
		d := ProofFailed(RulePassword, "wrong password", now.Add(time.Minute), now)
		if !strings.Contains(d.Reason, "; locked until ") {
			t.Fatalf("reason %q", d.Reason)
		}
		if want := "wrong password; locked until " + now.Add(time.Minute).Format(time.RFC3339); d.Reason != want {
			t.Fatalf("reason %q, want the step's reason then the lock's end: %q", d.Reason, want)
		}
		if d := ProofFailed(RulePassword, "wrong password", now, now); d.Reason != "wrong password" {
			t.Fatalf("a lock that ends now is no lock: %q", d.Reason)
		}
	})
}

func TestAccountAdmin(t *testing.T) {
	checkDecision(t, AccountAdmin(cleared.Person{Roles: []cleared.Role{cleared.RoleAdmin}}), allow())
	t.Run("AUTH.ADMIN only an administrator manages accounts", func(t *testing.T) {
		checkDecision(t, AccountAdmin(cleared.Person{Roles: []cleared.Role{cleared.RoleNSAOfficer}}), refuse(RuleAdmin))
		checkDecision(t, AccountAdmin(cleared.Person{}), refuse(RuleAdmin))
	})
}

func TestTokenScope(t *testing.T) {
	checkDecision(t, TokenScope([]cleared.Scope{cleared.ScopeRead, cleared.ScopeWrite}, cleared.ScopeWrite), allow())
	t.Run("AUTH.SCOPE a read-only token may not write", func(t *testing.T) {
		d := TokenScope([]cleared.Scope{cleared.ScopeRead}, cleared.ScopeWrite)
		checkDecision(t, d, refuse(RuleScope))
		if !strings.Contains(d.Reason, string(cleared.ScopeRead)) {
			t.Fatalf("the refusal names the token's scopes: %q", d.Reason)
		}
	})
	t.Run("AUTH.SCOPE a token without scopes may do nothing", func(t *testing.T) {
		checkDecision(t, TokenScope(nil, cleared.ScopeRead), refuse(RuleScope))
	})
}
