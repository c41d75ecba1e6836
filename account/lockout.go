package account

import (
	"time"

	"github.com/cleared/cleared"
)

// Lock-out: the first FreeAttempts failures cost nothing; each failure after them locks the account for a
// back-off that doubles, from FirstLock up to MaxLock. A success resets the count.
const (
	FreeAttempts = 5
	FirstLock    = time.Minute
	MaxLock      = time.Hour
)

// Backoff is how long an account stays locked after its failures-th consecutive failure.
func Backoff(failures int) time.Duration {
	if failures < FreeAttempts {
		return 0
	}
	d := FirstLock
	for i := FreeAttempts; i < failures && d < MaxLock; i++ {
		d *= 2
	}
	return min(d, MaxLock)
}

// Failed returns the account after one more failed attempt at now: the count raised and, past the free attempts,
// locked until the back-off has passed.
func Failed(a cleared.Account, now time.Time) cleared.Account {
	a.Failures++
	if d := Backoff(a.Failures); d > 0 {
		a.LockedUntil = now.Add(d)
	}
	return a
}

// Succeeded returns the account after a successful sign-in: no failures, no lock.
func Succeeded(a cleared.Account) cleared.Account {
	a.Failures, a.LockedUntil = 0, time.Time{}
	return a
}

// Locked reports whether the account refuses attempts at now.
func Locked(a cleared.Account, now time.Time) bool {
	return now.Before(a.LockedUntil)
}

// Session lifetimes. A session ends after IdleTimeout without a request, and at the latest AbsoluteTimeout after
// it was opened; a sign-in waiting for its second factor ends after SecondFactorTimeout.
const (
	IdleTimeout         = 30 * time.Minute
	AbsoluteTimeout     = 12 * time.Hour
	SecondFactorTimeout = 5 * time.Minute
	// TouchEvery bounds how often a session's last activity is written: once a minute is precise enough for the
	// idle timeout and spares the database a write per request.
	TouchEvery = time.Minute
)

// SessionOpen reports whether session x may be used at now from terminal, at stage: not revoked, not past its
// absolute end nor idle for too long, at the right stage, and from the terminal it was opened from (A8.2, A9.3: a
// session carried to another terminal would carry that terminal's accreditation with it).
func SessionOpen(x cleared.Session, stage cleared.SessionStage, terminal cleared.TerminalID, now time.Time) bool {
	switch {
	case !x.Revoked.IsZero() && !now.Before(x.Revoked):
		return false
	case !now.Before(x.Expires):
		return false
	case x.Stage != stage:
		return false
	case x.Terminal != terminal:
		return false
	}
	idle := IdleTimeout
	if stage == cleared.StageSecondFactor {
		idle = SecondFactorTimeout
	}
	return now.Sub(x.LastSeen) < idle
}
