package vetting

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// maxRenewalScan bounds the clearances one RemindRenewals looks at: those expiring within a year, which for the
// country's holders is far fewer.
const maxRenewalScan = 100000

// renewalDue is a clearance whose reminder at Months months is due.
type renewalDue struct {
	Clearance cleared.Clearance
	Months    int
}

// dueRenewals lists the clearances whose renewal reminder is due at now (policy.RenewalReminderDue): the store's
// query narrows to the active clearances of persons expiring within a year and a day, the policy decides.
func dueRenewals(tx store.Tx, now time.Time) ([]renewalDue, error) {
	cs, err := tx.ExpiringClearances(store.ExpiryQuery{All: true, From: now, By: now.AddDate(1, 0, 1), Limit: maxRenewalScan})
	if err != nil {
		return nil, err
	}
	var due []renewalDue
	for _, c := range cs {
		all, err := tx.PersonClearances(c.PersonID)
		if err != nil {
			return nil, err
		}
		rs, err := tx.RenewalReminders(c.ID)
		if err != nil {
			return nil, err
		}
		months := make([]int, 0, len(rs))
		for _, r := range rs {
			months = append(months, r.Months)
		}
		if m := policy.RenewalReminderDue(c, all, months, now); m != 0 {
			due = append(due, renewalDue{Clearance: c, Months: m})
		}
	}
	return due, nil
}

// RemindRenewals writes to the outbox, for each clearance of a person that has reached 12, 6 or 3 months before
// its expiry and was not reminded at that threshold, an e-mail to the holder and one to each security officer in
// office of his organisation, those with an address (A17.1), and records the threshold reminded so it is sent
// once. It returns how many clearances it reminded. A run with nothing due writes nothing, not even an audit
// entry. The server runs it periodically, `cleared vetting remind-renewals` on demand.
func (s *Service) RemindRenewals(ctx context.Context) (n int, err error) {
	defer cleared.Wrap(&err, "remind renewals")
	now := s.clock()
	var due []renewalDue
	err = s.store.View(ctx, func(tx store.Tx) error {
		due, err = dueRenewals(tx, now)
		return err
	})
	if err != nil || len(due) == 0 {
		return 0, err
	}
	err = s.run.Do(ctx, cleared.Actor{}, act.VettingRenewalRemind, now, func(tx store.Tx, x *act.Act) error {
		n = 0
		due, err := dueRenewals(tx, now)
		if err != nil {
			return err
		}
		type reminded struct {
			Clearance cleared.ClearanceID `json:"clearance"`
			Months    int                 `json:"months"`
			Messages  int                 `json:"messages"`
		}
		var done []reminded
		for _, d := range due {
			sent, err := s.remindRenewal(tx, d, now)
			if err != nil {
				return err
			}
			if err := tx.AddRenewalReminder(store.RenewalReminder{Clearance: d.Clearance.ID, Months: d.Months, Sent: now}); err != nil {
				return err
			}
			done = append(done, reminded{d.Clearance.ID, d.Months, sent})
			n++
		}
		x.Payload = map[string]any{"reminded": done}
		return nil
	})
	return n, err
}

// remindRenewal writes the e-mails of one reminder and returns how many. The message names the clearance's
// reference, level and expiry, and where to go; no other personal data.
func (s *Service) remindRenewal(tx store.Tx, d renewalDue, now time.Time) (int, error) {
	c := d.Clearance
	holder, err := tx.Person(c.PersonID)
	if err != nil {
		return 0, err
	}
	sos, err := tx.SecurityOfficers(holder.OrganisationID)
	if err != nil {
		return 0, err
	}
	exp := policy.RenewalExpiry(c).Format(time.DateOnly)
	sent := 0
	for _, id := range policy.RenewalRecipients(holder.ID, sos, now) {
		p := holder
		if id != holder.ID {
			if p, err = tx.Person(id); err != nil {
				var tampered *store.TamperedError
				if errors.As(err, &tampered) {
					continue // an address that fails its seal is not written to
				}
				return 0, err
			}
		}
		if p.Email == "" {
			continue
		}
		var body string
		if id == holder.ID {
			body = fmt.Sprintf("Votre habilitation de sécurité %s (niveau %s) expire le %s, dans %d mois ou moins (art. 17 de la loi du 15 juin 2004).\n"+
				"Son renouvellement demande une nouvelle enquête : voyez votre officier de sécurité et votre agenda dans cleared (/ui/).\n\n"+
				"Your security clearance %s (level %s) expires on %s, in %d months or less (Art. 17). Renewing it needs a new investigation: see your security officer and your agenda in cleared (/ui/).\n",
				c.ID, c.Level.French(), exp, d.Months, c.ID, c.Level.English(), exp, d.Months)
		} else {
			body = fmt.Sprintf("L'habilitation de sécurité %s (niveau %s) d'un membre du personnel de votre organisation expire le %s, dans %d mois ou moins (art. 17 de la loi du 15 juin 2004).\n"+
				"Son renouvellement demande une nouvelle enquête, que vous demandez : voyez votre agenda dans cleared (/ui/).\n\n"+
				"The security clearance %s (level %s) of a member of your organisation's staff expires on %s, in %d months or less (Art. 17). Renewing it needs a new investigation, which you request: see your agenda in cleared (/ui/).\n",
				c.ID, c.Level.French(), exp, d.Months, c.ID, c.Level.English(), exp, d.Months)
		}
		m := cleared.Delivery{ID: cleared.NewDeliveryID(), Medium: cleared.MediumEmail, Recipient: p.ID, Address: p.Email,
			Subject: fmt.Sprintf("Habilitation : renouvellement à %d mois (art. 17) / Clearance: renewal due in %d months", d.Months, d.Months),
			Body:    []byte(body), Cause: string(c.ID), Created: now, NextAttempt: now}
		if err := tx.EnqueueDelivery(m); err != nil {
			return 0, err
		}
		sent++
	}
	return sent, nil
}
