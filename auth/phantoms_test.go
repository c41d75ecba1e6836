package auth

import (
	"strconv"
	"testing"
	"time"

	"github.com/cleared/cleared/account"
)

// TestPhantoms_full_table_keeps_locked_logins: filling the table with new logins (a flood) does not unlock a login
// that names no account, which would tell it apart from a real, still locked, account.
func TestPhantoms_full_table_keeps_locked_logins(t *testing.T) {
	var p phantoms
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	for range account.FreeAttempts + 1 {
		p.fail("target", now)
	}
	if _, locked := p.fail("target", now); !locked {
		t.Fatal("the login is not locked after its failures")
	}
	for i := range phantomLogins + 10 {
		p.fail("flood-"+strconv.Itoa(i), now)
	}
	if until, locked := p.fail("target", now); !locked || !until.After(now) {
		t.Fatalf("after a flood of %d logins the target is no longer locked", phantomLogins+10)
	}
	if len(p.m) > phantomLogins {
		t.Fatalf("the table holds %d logins, more than %d", len(p.m), phantomLogins)
	}
}
