package notify

import "time"

// Backoff is the schedule of retries of a message that could not be sent: Base after the first failure, doubled
// after each further one, never more than Max; Jitter (0 to 1) shortens each delay by up to that fraction, at
// random, so that the messages of one outage do not all come back at the same instant. A message is never given up:
// once the delay reaches Max it is tried again every Max (less jitter), for as long as it takes.
type Backoff struct {
	Base, Max time.Duration
	Jitter    float64
}

// DefaultBackoff is 5 s, 10 s, 20 s, 40 s … up to 10 minutes, less up to a fifth at random.
var DefaultBackoff = Backoff{Base: 5 * time.Second, Max: 10 * time.Minute, Jitter: 0.2}

// Delay returns how long to wait after the failed attempt number attempts (1 for the first), with r, in [0, 1),
// the random draw of the jitter (0 gives the full delay). It is pure, so its boundaries are tested.
func (b Backoff) Delay(attempts int, r float64) time.Duration {
	if attempts < 1 {
		attempts = 1
	}
	d := b.Base
	for i := 1; i < attempts && d < b.Max; i++ {
		d *= 2
	}
	if d > b.Max || d <= 0 {
		d = b.Max
	}
	if r < 0 || r >= 1 {
		r = 0
	}
	return d - time.Duration(float64(d)*b.Jitter*r)
}
