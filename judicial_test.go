package cleared

import (
	"testing"
	"time"
)

// A9.5: an order's period is [From, Until), cut short by its end; its status says where it stands.
func TestJudicialOrderStatusA9_5(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	o := JudicialOrder{From: now, Until: now.Add(time.Hour)}
	ended := o
	ended.Ended = now.Add(time.Minute)
	for _, tc := range []struct {
		name  string
		o     JudicialOrder
		at    time.Time
		want  JudicialOrderStatus
		force bool
	}{
		{"a nanosecond before its period", o, now.Add(-time.Nanosecond), JudicialOrderPending, false},
		{"its first instant", o, now, JudicialOrderInForce, true},
		{"its last instant", o, now.Add(time.Hour - time.Nanosecond), JudicialOrderInForce, true},
		{"its end", o, now.Add(time.Hour), JudicialOrderExpired, false},
		{"before it is ended", ended, now.Add(time.Minute - time.Nanosecond), JudicialOrderInForce, true},
		{"the instant it is ended", ended, now.Add(time.Minute), JudicialOrderEnded, false},
		{"ended, after its term", ended, now.Add(2 * time.Hour), JudicialOrderEnded, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.o.StatusAt(tc.at); got != tc.want {
				t.Errorf("status %s, want %s", got, tc.want)
			}
			if got := tc.o.InForceAt(tc.at); got != tc.force {
				t.Errorf("in force %v, want %v", got, tc.force)
			}
		})
	}
}
