package sqlstore

import (
	"strconv"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// renewalReminderCodec seals the rows of renewal_reminders: a row removed would send a threshold's reminder again,
// a row added or moved would keep one from being sent (A17.1).
var renewalReminderCodec = codec[store.RenewalReminder]{table: "renewal_reminders",
	key: func(r store.RenewalReminder) string { return string(r.Clearance) + "/" + strconv.Itoa(r.Months) },
	row: func(r store.RenewalReminder) ([]any, error) {
		return []any{string(r.Clearance), int64(r.Months), ns(r.Sent)}, nil
	}}

const renewalReminderColumns = `clearance_id, months, sent, mac`

func scanRenewalReminder(s scanner) (store.RenewalReminder, error) {
	var r store.RenewalReminder
	err := s.Scan(&r.Clearance, &r.Months, ts(&r.Sent))
	return r, err
}

// AddRenewalReminder stores r; ErrConflict if its clearance was reminded at that threshold already, ErrInvalid if
// the clearance does not exist or the threshold is not 12, 6 or 3.
func (tx *Tx) AddRenewalReminder(r store.RenewalReminder) error {
	err := checkTimes(r.Sent)
	if err == nil && r.Months != 12 && r.Months != 6 && r.Months != 3 {
		err = cleared.Invalidf("a renewal reminder is sent 12, 6 or 3 months ahead, not %d", r.Months)
	}
	var args []any
	if err == nil {
		args, err = sealRow(tx, renewalReminderCodec, r)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO renewal_reminders (`+renewalReminderColumns+`) VALUES ($1, $2, $3, $4)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "add renewal reminder %s/%d", r.Clearance, r.Months)
	}
	return nil
}

// RenewalReminders lists the reminders of clearance c, by time.
func (tx *Tx) RenewalReminders(c cleared.ClearanceID) ([]store.RenewalReminder, error) {
	rs, err := list(tx, checked(tx, renewalReminderCodec, scanRenewalReminder),
		`SELECT `+renewalReminderColumns+` FROM renewal_reminders WHERE clearance_id = $1 ORDER BY sent, months`, c)
	if err != nil {
		return nil, tx.errorf(err, "list renewal reminders of %s", c)
	}
	return rs, nil
}
