package account_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/account"
)

func TestPassword(t *testing.T) {
	h, err := account.HashPasswordCheaply("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=8192,t=1,p=2$") {
		t.Fatalf("hash %q is not an argon2id PHC string with its parameters", h)
	}
	if !account.CheckPassword(h, "correct horse battery") {
		t.Error("the right password is refused")
	}
	for _, wrong := range []string{"", "correct horse batterY", "correct horse battery ", strings.Repeat("x", 5000)} {
		if account.CheckPassword(h, wrong) {
			t.Errorf("wrong password %.20q is accepted", wrong)
		}
	}
	h2, _ := account.HashPasswordCheaply("correct horse battery")
	if h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
}

func TestPasswordRules(t *testing.T) {
	for _, tc := range []struct {
		pw string
		ok bool
	}{
		{"short", false},
		{"elevenchars", false},
		{"twelve chars", true},
		{"été à l'école", true}, // characters, not bytes
		{strings.Repeat("a", 256), true},
		{strings.Repeat("a", 257), false},
		{"bad utf-8 \xff\xfe..", false},
	} {
		if err := account.CheckPasswordRules(tc.pw); (err == nil) != tc.ok {
			t.Errorf("CheckPasswordRules(%.20q) = %v, want ok=%v", tc.pw, err, tc.ok)
		}
	}
}

// Each byte of a stored hash, altered, must match nothing (and never panic).
func TestCheckPasswordMangled(t *testing.T) {
	h, _ := account.HashPasswordCheaply("correct horse battery")
	for i := range len(h) {
		b := []byte(h)
		b[i] ^= 0x01
		if account.CheckPassword(string(b), "correct horse battery") {
			t.Errorf("hash altered at byte %d still matches", i)
		}
	}
	for _, bad := range []string{"", "$argon2id$", "$argon2id$v=19$m=99999999,t=1,p=2$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"$argon2i$v=19$m=8192,t=1,p=2$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
		if account.CheckPassword(bad, "") {
			t.Errorf("malformed hash %q matches", bad)
		}
	}
}

func FuzzCheckPassword(f *testing.F) {
	h, _ := account.HashPasswordCheaply("correct horse battery")
	f.Add(h, "correct horse battery")
	f.Add("$argon2id$v=19$m=8192,t=1,p=2$$", "")
	f.Fuzz(func(t *testing.T, hash, pw string) {
		account.CheckPassword(hash, pw) // must not panic, nor run away with memory
	})
}

func TestTOTP(t *testing.T) {
	secret, err := account.NewTOTPSecret()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 10, 0, 15, 0, time.UTC)
	code := func(at time.Time) string {
		c, err := account.TOTPCode(secret, at)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	step, ok := account.CheckTOTP(secret, code(now), now, 0)
	if !ok || step != now.Unix()/30 {
		t.Fatalf("the current code is refused (ok=%v step=%d)", ok, step)
	}
	if _, ok := account.CheckTOTP(secret, code(now), now, step); ok {
		t.Error("a code used once is accepted again (replay)")
	}
	if _, ok := account.CheckTOTP(secret, code(now.Add(-30*time.Second)), now, 0); !ok {
		t.Error("the previous step's code is refused: clocks a little apart must work")
	}
	if _, ok := account.CheckTOTP(secret, code(now.Add(-90*time.Second)), now, 0); ok {
		t.Error("a code three steps old is accepted")
	}
	for _, bad := range []string{"", "12345", "1234567", "abcdef", "12 456"} {
		if _, ok := account.CheckTOTP(secret, bad, now, 0); ok {
			t.Errorf("malformed code %q accepted", bad)
		}
	}
	other, _ := account.NewTOTPSecret()
	oc, _ := account.TOTPCode(other, now)
	if oc != code(now) {
		if _, ok := account.CheckTOTP(secret, oc, now, 0); ok {
			t.Error("another secret's code is accepted")
		}
	}
	if u := account.TOTPURI("cleared", "sophie", secret); !strings.HasPrefix(u, "otpauth://totp/cleared:sophie?") || !strings.Contains(u, "secret="+secret) {
		t.Errorf("TOTP URI %q", u)
	}
}

func TestLockout(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		failures int
		want     time.Duration
	}{
		{1, 0}, {4, 0}, {5, time.Minute}, {6, 2 * time.Minute}, {7, 4 * time.Minute}, {11, time.Hour}, {50, time.Hour},
	} {
		if got := account.Backoff(tc.failures); got != tc.want {
			t.Errorf("Backoff(%d) = %v, want %v", tc.failures, got, tc.want)
		}
	}
	var a cleared.Account
	for range 4 {
		a = account.Failed(a, now)
	}
	if account.Locked(a, now) {
		t.Fatal("locked after four failures")
	}
	a = account.Failed(a, now)
	if !account.Locked(a, now) || !account.Locked(a, now.Add(59*time.Second)) || account.Locked(a, now.Add(time.Minute)) {
		t.Errorf("after five failures: locked until %v, want one minute", a.LockedUntil)
	}
	a = account.Succeeded(a)
	if a.Failures != 0 || account.Locked(a, now) {
		t.Error("a success does not reset the failures")
	}
}

// A8.2, A9.3: a session is valid only from the terminal it was opened from, at its stage, within its lifetimes.
func TestSessionOpen(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	base := cleared.Session{Stage: cleared.StageActive, Terminal: "trm_zone", Created: now.Add(-time.Hour),
		LastSeen: now.Add(-time.Minute), Expires: now.Add(time.Hour)}
	for _, tc := range []struct {
		name     string
		edit     func(*cleared.Session)
		stage    cleared.SessionStage
		terminal cleared.TerminalID
		want     bool
	}{
		{"open", func(*cleared.Session) {}, cleared.StageActive, "trm_zone", true},
		{"A8.2 carried to another terminal", func(*cleared.Session) {}, cleared.StageActive, "trm_office", false},
		{"A9.3 carried to no terminal", func(*cleared.Session) {}, cleared.StageActive, "", false},
		{"revoked", func(x *cleared.Session) { x.Revoked = now.Add(-time.Second) }, cleared.StageActive, "trm_zone", false},
		{"past its absolute end", func(x *cleared.Session) { x.Expires = now }, cleared.StageActive, "trm_zone", false},
		{"idle too long", func(x *cleared.Session) { x.LastSeen = now.Add(-account.IdleTimeout) }, cleared.StageActive, "trm_zone", false},
		{"waiting for its second factor", func(x *cleared.Session) { x.Stage = cleared.StageSecondFactor }, cleared.StageActive, "trm_zone", false},
		{"second factor too late", func(x *cleared.Session) {
			x.Stage, x.LastSeen = cleared.StageSecondFactor, now.Add(-account.SecondFactorTimeout)
		}, cleared.StageSecondFactor, "trm_zone", false},
		{"second factor in time", func(x *cleared.Session) { x.Stage = cleared.StageSecondFactor }, cleared.StageSecondFactor, "trm_zone", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := base
			tc.edit(&x)
			if got := account.SessionOpen(x, tc.stage, tc.terminal, now); got != tc.want {
				t.Errorf("SessionOpen = %v, want %v", got, tc.want)
			}
		})
	}
}
