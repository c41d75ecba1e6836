package policy

import (
	"time"

	"github.com/cleared/cleared"
)

// Agenda items of transmissions (A11.2).

// ReceiptDelay is how long after a transmission its sender waits for the receipt before his agenda flags it, when
// the service sets no other delay: the law sets none, and two days covers a weekend's registry.
const ReceiptDelay = 48 * time.Hour

// ReceiptPendingItems are the transmissions sender made whose receipt is not confirmed delay after they were sent
// (A11.2: the originator must be able to say who received its pieces, so the sender follows up). Each is due at
// the end of the delay, and appears from that instant.
func ReceiptPendingItems(sender cleared.PersonID, trs []cleared.Transmission, delay time.Duration, t time.Time) []AgendaItem {
	var items []AgendaItem
	for i := range trs {
		tr := trs[i]
		due := tr.Sent.Add(delay)
		if tr.Sender != sender || tr.Confirmed() || t.Before(due) {
			continue
		}
		items = append(items, agendaItem(AgendaItem{Kind: AgendaReceiptPending, Due: due, Transmission: &tr}, t))
	}
	return items
}

// ReceiptItems are the transmissions whose receipt the viewer is to confirm (ConfirmReceipt: the recipient person,
// or a security officer of the recipient organisation), due from when they were sent.
func ReceiptItems(v TransmissionViewer, trs []cleared.Transmission, t time.Time) []AgendaItem {
	var items []AgendaItem
	for i := range trs {
		tr := trs[i]
		if tr.Confirmed() || !ConfirmReceipt(v, tr).Allowed {
			continue
		}
		items = append(items, agendaItem(AgendaItem{Kind: AgendaReceipt, Due: tr.Sent, Transmission: &tr}, t))
	}
	return items
}
