package storetest

import (
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// testRenewalReminders: a clearance is reminded once per threshold (A17.1): a second reminder at the same
// threshold conflicts, a threshold other than 12, 6 or 3 or an unknown clearance is invalid.
func testRenewalReminders(t *testing.T, open opener) {
	t.Run("A17.1_once_per_threshold", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		c := cleared.Clearance{ID: cleared.NewClearanceID(), HolderKind: cleared.HolderPerson, PersonID: w.person.ID,
			Level: cleared.Secret, Issued: day(-3000), Expires: day(600), Status: cleared.ClearanceActive,
			Source: cleared.SourcePaperRegister, Reference: "ANS-PSC-2", RecordedBy: w.person.ID, Recorded: day(-3000)}
		create(t, s, c)
		r12 := store.RenewalReminder{Clearance: c.ID, Months: 12, Sent: day(0)}
		r6 := store.RenewalReminder{Clearance: c.ID, Months: 6, Sent: day(180)}
		update(t, s, func(tx store.Tx) error {
			if err := tx.AddRenewalReminder(r6); err != nil {
				return err
			}
			return tx.AddRenewalReminder(r12)
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.AddRenewalReminder(r6) })
		wantKind(t, "a second reminder at 6 months", err, cleared.ErrConflict)
		for name, r := range map[string]store.RenewalReminder{
			"a reminder 4 months ahead": {Clearance: c.ID, Months: 4, Sent: day(1)},
			"an unknown clearance":      {Clearance: cleared.NewClearanceID(), Months: 3, Sent: day(1)},
		} {
			err := s.Update(t.Context(), func(tx store.Tx) error { return tx.AddRenewalReminder(r) })
			wantKind(t, name, err, cleared.ErrInvalid)
		}
		view(t, s, func(tx store.Tx) error {
			rs, err := tx.RenewalReminders(c.ID)
			if err != nil {
				return err
			}
			if len(rs) != 2 || rs[0] != r12 || rs[1] != r6 {
				t.Errorf("reminders = %+v, want 12 then 6", rs)
			}
			return nil
		})
	})
}
