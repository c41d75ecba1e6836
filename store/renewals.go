package store

import (
	"time"

	"github.com/cleared/cleared"
)

// RenewalReminder records that the holder of a clearance and his security officers were reminded, at Sent, that
// it expires within Months months (12, 6 or 3; A17.1), so each threshold is reminded once.
type RenewalReminder struct {
	Clearance cleared.ClearanceID
	Months    int
	Sent      time.Time
}

// RenewalReminders holds the renewal reminders sent (A17.1): the third chapter of package vetting.
type RenewalReminders interface {
	// AddRenewalReminder stores r; ErrConflict if its clearance was reminded at that threshold already, ErrInvalid
	// if the clearance does not exist or the threshold is not 12, 6 or 3.
	AddRenewalReminder(r RenewalReminder) error
	// RenewalReminders lists the reminders of clearance c, by time.
	RenewalReminders(c cleared.ClearanceID) ([]RenewalReminder, error)
}
