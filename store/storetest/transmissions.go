package storetest

import (
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// Issue 19: the register of transmissions (A11.1, A11.2, S2).

func (w world) cryptoProduct() cleared.CryptoProduct {
	return cleared.CryptoProduct{ID: cleared.NewCryptoProductID(), Name: "Chiffreur X", Reference: "ANS-AGR-7",
		ApprovedFrom: day(-30), ApprovedUntil: day(300), ApprovedBy: w.person.ID, Created: day(-30)}
}

func (w world) productChannel(p cleared.CryptoProduct) cleared.Channel {
	return cleared.Channel{ID: cleared.NewChannelID(), Name: "Réseau S", MaxLevel: cleared.Secret, CryptoProduct: p.Name,
		Product: p.ID, ApprovedBy: w.person.ID, From: day(-10), Until: day(300), Created: day(-10)}
}

func (w world) transmission(piece cleared.PieceID, ch cleared.ChannelID, to cleared.PersonID) cleared.Transmission {
	return cleared.Transmission{ID: cleared.NewTransmissionID(), Piece: piece, Level: cleared.Secret, Sender: w.person.ID,
		SenderOrganisation: w.org.ID, RecipientPerson: to, Channel: ch, Purpose: "briefing", Sent: day(-2)}
}

func createTransmission(t *testing.T, s store.Store, objects ...any) {
	t.Helper()
	update(t, s, func(tx store.Tx) error {
		for _, o := range objects {
			var err error
			switch o := o.(type) {
			case cleared.CryptoProduct:
				err = tx.CreateCryptoProduct(o)
			case cleared.Addressee:
				err = tx.PutAddressee(o)
			case cleared.Transmission:
				err = tx.CreateTransmission(o)
			default:
				err = createOne(tx, o)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

func testCryptoProduct(t *testing.T, open opener) {
	t.Run("A11.1_round_trip_and_channel_naming_it", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.cryptoProduct()
		ch := w.productChannel(p)
		legacy := ch
		legacy.ID, legacy.Product = cleared.NewChannelID(), ""
		createTransmission(t, s, p, ch, legacy)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.CryptoProduct(p.ID)
			if err != nil {
				return err
			}
			same(t, "CryptoProduct", got, p)
			ps, err := tx.CryptoProducts(store.Page{Limit: 10})
			if err != nil {
				return err
			}
			same(t, "CryptoProducts", ps, []cleared.CryptoProduct{p})
			gc, err := tx.Channel(ch.ID)
			if err != nil {
				return err
			}
			same(t, "Channel naming a product", gc, ch)
			gl, err := tx.Channel(legacy.ID)
			same(t, "Channel by name only", gl, legacy)
			return err
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.CryptoProduct(cleared.NewCryptoProductID())
			wantKind(t, "CryptoProduct of an unknown ID", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.cryptoProduct()
		createTransmission(t, s, p)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateCryptoProduct(p) })
		wantKind(t, "CreateCryptoProduct twice", err, cleared.ErrConflict)
	})
}

func testAddressee(t *testing.T, open opener) {
	t.Run("S2_put_replace_list", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.cryptoProduct()
		ch := w.productChannel(p)
		a := cleared.Addressee{Organisation: w.org.ID, Type: cleared.StateProsecutor, Basis: "Art. 23(2) CPP",
			Scope: []string{"crime"}, RecordedBy: w.person.ID, Recorded: day(-3)}
		createTransmission(t, s, p, ch, a)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Addressee(w.org.ID)
			same(t, "Addressee without channels", got, a)
			return err
		})
		a.Channels, a.Recorded = []cleared.ChannelID{ch.ID}, day(-1)
		createTransmission(t, s, a)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Addressee(w.org.ID)
			if err != nil {
				return err
			}
			same(t, "Addressee replaced", got, a)
			as, err := tx.Addressees(store.Page{Limit: 10})
			same(t, "Addressees", as, []cleared.Addressee{a})
			return err
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Addressee(cleared.NewOrganisationID())
			wantKind(t, "Addressee of an organisation without one", err, cleared.ErrNotFound)
			return nil
		})
	})
}

func testTransmission(t *testing.T, open opener) {
	t.Run("A11.2_round_trip_lists_and_receipt", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		other := newPerson(w.org.ID)
		p := w.piece(cleared.Secret, day(-5))
		pr := w.cryptoProduct()
		ch := w.productChannel(pr)
		c := w.copyOf(p.ID, 1)
		createTransmission(t, s, other, p, pr, ch)
		createCopies(t, s, nil, []cleared.Copy{c})
		toPerson := w.transmission(p.ID, ch.ID, other.ID)
		toOrg := w.transmission(p.ID, ch.ID, "")
		toOrg.RecipientOrganisation, toOrg.Copy, toOrg.CopyNumber, toOrg.Sent = w.org.ID, c.ID, 1, day(-1)
		toOrg.OriginatorConsent = "EU-CONS-1"
		createTransmission(t, s, toPerson, toOrg)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Transmission(toOrg.ID)
			if err != nil {
				return err
			}
			same(t, "Transmission of a copy to an organisation", got, toOrg)
			all, err := tx.PieceTransmissions(p.ID)
			if err != nil {
				return err
			}
			same(t, "PieceTransmissions, oldest first", all, []cleared.Transmission{toPerson, toOrg})
			mine, err := tx.UnconfirmedTransmissions(store.ReceiptQuery{Sender: w.person.ID, Limit: 10})
			if err != nil {
				return err
			}
			same(t, "unconfirmed, by sender", len(mine), 2)
			his, err := tx.UnconfirmedTransmissions(store.ReceiptQuery{Person: other.ID, Limit: 10})
			if err != nil {
				return err
			}
			same(t, "unconfirmed, to the person", his, []cleared.Transmission{toPerson})
			orgs, err := tx.UnconfirmedTransmissions(store.ReceiptQuery{Organisations: []cleared.OrganisationID{w.org.ID}, Limit: 10})
			if err != nil {
				return err
			}
			same(t, "unconfirmed, to the organisation", orgs, []cleared.Transmission{toOrg})
			none, err := tx.UnconfirmedTransmissions(store.ReceiptQuery{Limit: 10})
			same(t, "unconfirmed, of no one", len(none), 0)
			return err
		})
		toPerson.ReceivedBy, toPerson.Received = other.ID, day(-1)
		update(t, s, func(tx store.Tx) error { return tx.ConfirmReceipt(toPerson) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Transmission(toPerson.ID)
			if err != nil {
				return err
			}
			same(t, "Transmission after its receipt", got, toPerson)
			his, err := tx.UnconfirmedTransmissions(store.ReceiptQuery{Person: other.ID, Limit: 10})
			same(t, "unconfirmed after the receipt", len(his), 0)
			return err
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.ConfirmReceipt(toPerson) })
		wantKind(t, "ConfirmReceipt twice", err, cleared.ErrConflict)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Transmission(cleared.NewTransmissionID())
			wantKind(t, "Transmission of an unknown ID", err, cleared.ErrNotFound)
			return nil
		})
		err := s.Update(t.Context(), func(tx store.Tx) error {
			return tx.ConfirmReceipt(cleared.Transmission{ID: cleared.NewTransmissionID(), ReceivedBy: w.person.ID, Received: day(0)})
		})
		wantKind(t, "ConfirmReceipt of an unknown ID", err, cleared.ErrNotFound)
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.Secret, day(-5))
		pr := w.cryptoProduct()
		ch := w.productChannel(pr)
		tr := w.transmission(p.ID, ch.ID, w.person.ID)
		createTransmission(t, s, p, pr, ch, tr)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateTransmission(tr) })
		wantKind(t, "CreateTransmission twice", err, cleared.ErrConflict)
	})
}
