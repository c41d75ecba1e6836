package policy

import (
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
)

// transmissionFixture: a SECRET piece in a TOP SECRET dossier, channels up to each level, a product whose approval
// runs from a month ago to a month ahead, a cleared recipient with need-to-know, and the national recipients.
type transmissionFixture struct {
	piece                    cleared.Piece
	tg                       Target
	product                  cleared.CryptoProduct
	secretCh, confCh, legacy cleared.Channel
	recipient                cleared.PersonID
	org, parquet             cleared.OrganisationID
}

func newTransmission() transmissionFixture {
	var f transmissionFixture
	f.piece = cleared.Piece{ID: cleared.NewPieceID(), Level: cleared.Secret}
	f.tg = Target{Piece: f.piece.ID, Level: cleared.Secret}
	f.product = cleared.CryptoProduct{ID: cleared.NewCryptoProductID(), Name: "Chiffreur X", ApprovedFrom: now.AddDate(0, -1, 0),
		ApprovedUntil: now.AddDate(0, 1, 0)}
	ch := func(l cleared.Level) cleared.Channel {
		return cleared.Channel{ID: cleared.NewChannelID(), Name: "réseau", MaxLevel: l, CryptoProduct: f.product.Name,
			Product: f.product.ID, From: now.AddDate(-1, 0, 0), Until: now.AddDate(1, 0, 0)}
	}
	f.secretCh, f.confCh = ch(cleared.Secret), ch(cleared.Confidential)
	f.legacy = ch(cleared.Secret)
	f.legacy.Product = ""
	f.recipient = cleared.NewPersonID()
	f.org, f.parquet = cleared.NewOrganisationID(), cleared.NewOrganisationID()
	return f
}

// person is the recipient with a clearance at l and a grant on the piece from..until (no grant when from is zero).
func (f transmissionFixture) person(l cleared.Level, from, until time.Time) *Subject {
	s := &Subject{Person: f.recipient}
	if l.Classified() {
		s.Clearances = []cleared.Clearance{clearance(f.recipient, l, now.AddDate(-1, 0, 0))}
	}
	var gs []cleared.Grant
	if !from.IsZero() {
		gs = append(gs, cleared.Grant{PersonID: f.recipient, Piece: f.piece.ID, From: from, Until: until})
	}
	s.Grants = NewGrantSet(gs)
	return s
}

func TestTransmission(t *testing.T) {
	f := newTransmission()
	year := now.AddDate(1, 0, 0)
	ok := f.person(cleared.Secret, now.AddDate(0, -1, 0), year)
	lapsed, future := f.product, f.product
	lapsed.ApprovedUntil = now // A11.1: the approval ends exactly now
	future.ApprovedFrom = now.Add(time.Nanosecond)
	startsNow := f.product
	startsNow.ApprovedFrom = now
	expiredCh := f.secretCh
	expiredCh.Until = now
	startsNowCh, startsLaterCh := f.secretCh, f.secretCh
	startsNowCh.From, startsLaterCh.From = now, now.Add(time.Nanosecond)
	noCrypto := f.legacy
	noCrypto.CryptoProduct = ""
	exempt := f.person(0, now.AddDate(0, -1, 0), year)
	exempt.ClearanceExempt = true
	accepts := &cleared.Addressee{Organisation: f.org, Channels: []cleared.ChannelID{f.secretCh.ID}}
	parquet := &cleared.Addressee{Organisation: f.parquet, Type: cleared.StateProsecutor, Scope: []string{"crime"},
		Channels: []cleared.ChannelID{f.secretCh.ID}}
	toOrg := func(org cleared.OrganisationID, a *cleared.Addressee) Recipient {
		return Recipient{Organisation: org, Addressee: a}
	}
	// A15.1: a company receives only under a facility clearance in force at the piece's level.
	fsc := func(l cleared.Level, expires time.Time) []cleared.Clearance {
		return []cleared.Clearance{{ID: cleared.NewClearanceID(), HolderKind: cleared.HolderFacility, OrganisationID: f.org, Level: l,
			Issued: now.AddDate(-1, 0, 0), Expires: expires, Status: cleared.ClearanceActive}}
	}
	company := func(fs []cleared.Clearance) Recipient {
		return Recipient{Organisation: f.org, Kind: cleared.Company, Facility: fs, Addressee: accepts}
	}
	tests := []struct {
		name    string
		ch      *cleared.Channel
		prod    *cleared.CryptoProduct
		to      Recipient
		purpose string
		want    Decision
	}{
		{name: "A11.1 A9.1 a SECRET piece to a SECRET-cleared recipient with need-to-know over a SECRET channel is allowed",
			ch: &f.secretCh, prod: &f.product, to: Recipient{Person: ok}, want: allow()},
		{name: "A11.1 a SECRET piece over a CONFIDENTIEL channel is refused", ch: &f.confCh, prod: &f.product,
			to: Recipient{Person: ok}, want: refuse("A11.1")},
		{name: "A11.1 no channel is refused", to: Recipient{Person: ok}, want: refuse("A11.1")},
		{name: "A11.1 a channel whose accreditation ends exactly now is refused", ch: &expiredCh, prod: &f.product,
			to: Recipient{Person: ok}, want: refuse("A11.1")},
		{name: "A11.1 a channel whose accreditation starts exactly now is allowed", ch: &startsNowCh, prod: &f.product,
			to: Recipient{Person: ok}, want: allow()},
		{name: "A11.1 a channel whose accreditation starts after now is refused", ch: &startsLaterCh, prod: &f.product,
			to: Recipient{Person: ok}, want: refuse("A11.1")},
		{name: "A11.1 a channel without a cryptographic system is refused", ch: &noCrypto, to: Recipient{Person: ok},
			want: refuse("A11.1")},
		{name: "A11.1 a product whose approval lapses exactly now is refused", ch: &f.secretCh, prod: &lapsed,
			to: Recipient{Person: ok}, want: refuse("A11.1")},
		{name: "A11.1 a product whose approval starts after now is refused", ch: &f.secretCh, prod: &future,
			to: Recipient{Person: ok}, want: refuse("A11.1")},
		{name: "A11.1 a product whose approval starts exactly now is allowed", ch: &f.secretCh, prod: &startsNow,
			to: Recipient{Person: ok}, want: allow()},
		{name: "A11.1 a channel naming a product that could not be loaded is refused (fail closed)", ch: &f.secretCh,
			to: Recipient{Person: ok}, want: refuse("A11.1")},
		{name: "A11.1 a channel recorded before the register, with its product's name only, is allowed", ch: &f.legacy,
			to: Recipient{Person: ok}, want: allow()},
		{name: "A9.1 a recipient cleared below the piece's level is refused, not hidden", ch: &f.secretCh, prod: &f.product,
			to: Recipient{Person: f.person(cleared.Confidential, now.AddDate(0, -1, 0), year)}, want: refuse("A9.1")},
		{name: "A9.1 a recipient without clearance is refused", ch: &f.secretCh, prod: &f.product,
			to: Recipient{Person: f.person(0, now.AddDate(0, -1, 0), year)}, want: refuse("A9.1")},
		{name: "A9.1 a recipient without need-to-know is refused", ch: &f.secretCh, prod: &f.product,
			to: Recipient{Person: f.person(cleared.TopSecret, time.Time{}, time.Time{})}, want: refuse("A9.1")},
		{name: "A9.1 a need-to-know that ends exactly now is refused", ch: &f.secretCh, prod: &f.product,
			to: Recipient{Person: f.person(cleared.Secret, now.AddDate(0, -1, 0), now)}, want: refuse("A9.1")},
		{name: "A9.1 a need-to-know that starts exactly now is allowed", ch: &f.secretCh, prod: &f.product,
			to: Recipient{Person: f.person(cleared.Secret, now, year)}, want: allow()},
		{name: "A9.1 A14.1 a member of the Government with need-to-know needs no clearance", ch: &f.secretCh, prod: &f.product,
			to: Recipient{Person: exempt}, want: allow()},
		{name: "A11.1 an organisation receives over a channel it accepts", ch: &f.secretCh, prod: &f.product,
			to: toOrg(f.org, accepts), want: allow()},
		{name: "A11.1 an organisation that accepts no channel is refused", ch: &f.secretCh, prod: &f.product,
			to: toOrg(f.org, nil), want: refuse("A11.1")},
		{name: "A11.1 an addressee record of another organisation does not count", ch: &f.secretCh, prod: &f.product,
			to: toOrg(f.org, parquet), want: refuse("A11.1")},
		{name: "A11.1 an organisation refuses a channel it does not accept", ch: &f.legacy, to: toOrg(f.org, accepts),
			want: refuse("A11.1")},
		{name: "A15.1 a company with a facility clearance at the piece's level receives it", ch: &f.secretCh, prod: &f.product,
			to: company(fsc(cleared.Secret, year)), want: allow()},
		{name: "A15.1 a company without a facility clearance is refused", ch: &f.secretCh, prod: &f.product,
			to: company(nil), want: refuse("A15.1")},
		{name: "A15.1 a company cleared below the piece's level is refused", ch: &f.secretCh, prod: &f.product,
			to: company(fsc(cleared.Confidential, year)), want: refuse("A15.1")},
		{name: "A15.1 a company whose facility clearance expires exactly now is refused", ch: &f.secretCh, prod: &f.product,
			to: company(fsc(cleared.Secret, now)), want: refuse("A15.1")},
		{name: "A15.1 a company whose facility clearance expires just after now receives it", ch: &f.secretCh, prod: &f.product,
			to: company(fsc(cleared.Secret, now.Add(time.Nanosecond))), want: allow()},
		{name: "S2 the State Prosecutor receives intelligence on crimes", ch: &f.secretCh, prod: &f.product,
			to: toOrg(f.parquet, parquet), purpose: "crime", want: allow()},
		{name: "S2 the State Prosecutor refuses a purpose outside its scope", ch: &f.secretCh, prod: &f.product,
			to: toOrg(f.parquet, parquet), purpose: "customs", want: refuse("S2")},
		{name: "S2 a national recipient refuses a communication without purpose", ch: &f.secretCh, prod: &f.product,
			to: toOrg(f.parquet, parquet), want: refuse("S2")},
		{name: "A11.2 a transmission to no one is refused", ch: &f.secretCh, prod: &f.product, want: refuse("A11.2")},
		{name: "A11.2 a transmission to a person and an organisation at once is refused", ch: &f.secretCh, prod: &f.product,
			to: Recipient{Person: ok, Organisation: f.org, Addressee: accepts}, want: refuse("A11.2")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := TransmissionRequest{Target: f.tg, Channel: tt.ch, Product: tt.prod, Recipient: tt.to, Purpose: tt.purpose}
			checkDecision(t, Transmission(req, now), tt.want)
		})
	}
}

// TestChannelFitRestricted: A11.1 asks an accredited channel from CONFIDENTIEL; a RESTREINT piece goes over any,
// even one whose product lapsed.
func TestChannelFitRestricted(t *testing.T) {
	f := newTransmission()
	lapsed := f.product
	lapsed.ApprovedUntil = now.Add(-time.Hour)
	checkDecision(t, ChannelFit(cleared.Restricted, &f.secretCh, &lapsed, now), allow())
	checkDecision(t, ChannelFit(cleared.Confidential, &f.secretCh, &lapsed, now), refuse("A11.1"))
}

func TestTransmitCopy(t *testing.T) {
	holder, officer, other := cleared.NewPersonID(), cleared.NewPersonID(), cleared.NewPersonID()
	org := cleared.NewOrganisationID()
	c := cleared.Copy{ID: cleared.NewCopyID(), Holder: holder, OrganisationID: org, Number: 2}
	tests := []struct {
		name      string
		person    cleared.PersonID
		officerOf []cleared.OrganisationID
		want      Decision
	}{
		{"A9.4 the holder sends his copy", holder, nil, allow()},
		{"A9.4 the security officer of the holding organisation sends it", officer, []cleared.OrganisationID{org}, allow()},
		{"A9.4 anyone else is refused", other, []cleared.OrganisationID{cleared.NewOrganisationID()}, refuse("A9.4")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, TransmitCopy(tt.person, tt.officerOf, c), tt.want) })
	}
}

func TestTransmitDuties(t *testing.T) {
	ob := func(d Duty) Obligation { return Obligation{Duty: d, Rule: "A1.1", Profile: "EU"} }
	tests := []struct {
		name      string
		o         Outcome
		consented bool
		want      Decision
	}{
		{"A1.1 no duty: allowed", Outcome{Decision: Allow}, false, allow()},
		{"A1.1 the registry entry is the register of transmissions", Outcome{Decision: Allow, Obligations: []Obligation{ob(DutyRegistryEntry)}}, false, allow()},
		{"A1.1 the originator's consent without its reference is refused", Outcome{Decision: Allow, Obligations: []Obligation{ob(DutyOriginatorConsent)}}, false, refuse("A1.1")},
		{"A1.1 the originator's consent with its reference is allowed", Outcome{Decision: Allow, Obligations: []Obligation{ob(DutyOriginatorConsent)}}, true, allow()},
		{"A1.1 a duty cleared cannot perform for a transmission is refused", Outcome{Decision: Allow, Obligations: []Obligation{ob(DutyDestructionReport)}}, true, refuse("A1.1")},
		{"A1.1 a profile's refusal stands", Outcome{Decision: deny("A1.1", "MinDef: handed over in person")}, true, refuse("A1.1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecision(t, TransmitDuties(tt.o, tt.consented), tt.want) })
	}
	t.Run("A1.1 the refusal says what is missing: the consent's reference, or the duty cleared cannot perform", func(t *testing.T) {
		consent := TransmitDuties(Outcome{Decision: Allow, Obligations: []Obligation{ob(DutyOriginatorConsent)}}, false)
		other := TransmitDuties(Outcome{Decision: Allow, Obligations: []Obligation{ob(DutyDestructionReport)}}, false)
		if !strings.Contains(consent.Reason, "originator_consent") || strings.Contains(other.Reason, "originator_consent") {
			t.Fatalf("consent refused with %q, another duty with %q", consent.Reason, other.Reason)
		}
	})
}

func TestRecipientsAndReceipt(t *testing.T) {
	sender, recipient, officer, other := cleared.NewPersonID(), cleared.NewPersonID(), cleared.NewPersonID(), cleared.NewPersonID()
	org := cleared.NewOrganisationID()
	toPerson := cleared.Transmission{ID: cleared.NewTransmissionID(), Sender: sender, RecipientPerson: recipient}
	toOrg := cleared.Transmission{ID: cleared.NewTransmissionID(), Sender: sender, RecipientOrganisation: org}
	v := func(p cleared.PersonID) TransmissionViewer { return TransmissionViewer{Person: p} }
	orig := TransmissionViewer{Person: other, Originator: true}
	nsa := TransmissionViewer{Person: other, NSA: true}
	off := TransmissionViewer{Person: officer, OfficerOf: []cleared.OrganisationID{org}}

	t.Run("A11.2 the originator and the NSA list the recipients; a sender does not", func(t *testing.T) {
		checkDecision(t, Recipients(orig), allow())
		checkDecision(t, Recipients(nsa), allow())
		checkDecision(t, Recipients(v(sender)), refuse("A11.2"))
	})
	t.Run("A11.2 who sees a transmission", func(t *testing.T) {
		for _, c := range []struct {
			name string
			v    TransmissionViewer
			tr   cleared.Transmission
			want bool
		}{
			{"sender", v(sender), toPerson, true}, {"recipient", v(recipient), toPerson, true},
			{"originator", orig, toPerson, true}, {"NSA", nsa, toPerson, true},
			{"officer of the recipient organisation", off, toOrg, true},
			{"officer of no recipient", off, toPerson, false}, {"anyone else", v(other), toOrg, false},
		} {
			if got := SeeTransmission(c.v, c.tr); got != c.want {
				t.Errorf("%s sees the transmission: %v, want %v", c.name, got, c.want)
			}
		}
	})
	t.Run("A11.2 the recipient confirms the receipt, for an organisation its security officer; no one else", func(t *testing.T) {
		checkDecision(t, ConfirmReceipt(v(recipient), toPerson), allow())
		checkDecision(t, ConfirmReceipt(off, toOrg), allow())
		checkDecision(t, ConfirmReceipt(v(sender), toPerson), refuse("A11.2"))
		checkDecision(t, ConfirmReceipt(nsa, toOrg), refuse("A11.2"))
		checkDecision(t, ConfirmReceipt(orig, toPerson), refuse("A11.2"))
	})
}

func TestReceiptAgenda(t *testing.T) {
	sender, recipient := cleared.NewPersonID(), cleared.NewPersonID()
	tr := func(sent time.Time) cleared.Transmission {
		return cleared.Transmission{ID: cleared.NewTransmissionID(), Sender: sender, RecipientPerson: recipient, Sent: sent}
	}
	atDelay, beforeDelay := tr(now.Add(-ReceiptDelay)), tr(now.Add(-ReceiptDelay+time.Nanosecond))
	confirmed := tr(now.AddDate(0, 0, -5))
	confirmed.ReceivedBy, confirmed.Received = recipient, now.AddDate(0, 0, -4)
	all := []cleared.Transmission{atDelay, beforeDelay, confirmed}

	t.Run("A11.2 an unconfirmed receipt is flagged to the sender from exactly the delay, not before", func(t *testing.T) {
		items := ReceiptPendingItems(sender, all, ReceiptDelay, now)
		if len(items) != 1 || items[0].Transmission.ID != atDelay.ID {
			t.Fatalf("items = %+v, want only the transmission sent the delay ago", items)
		}
		if it := items[0]; it.Kind != AgendaReceiptPending || it.Article != "A11.2" || !it.Due.Equal(now) || !it.Overdue {
			t.Fatalf("item = %+v, want receipt_pending by A11.2 due now, overdue", it)
		}
		if got := ReceiptPendingItems(recipient, all, ReceiptDelay, now); len(got) != 0 {
			t.Fatalf("the recipient sees %d sender items", len(got))
		}
	})
	t.Run("A11.2 by default the sender waits two days for the receipt", func(t *testing.T) {
		if got := ReceiptPendingItems(sender, []cleared.Transmission{tr(now.Add(-47 * time.Hour))}, ReceiptDelay, now); len(got) != 0 {
			t.Fatalf("flagged after 47 hours: %+v", got)
		}
		if got := ReceiptPendingItems(sender, []cleared.Transmission{tr(now.Add(-48 * time.Hour))}, ReceiptDelay, now); len(got) != 1 {
			t.Fatalf("not flagged after 48 hours: %+v", got)
		}
	})
	t.Run("A11.2 the recipient is asked to confirm what he has not", func(t *testing.T) {
		items := ReceiptItems(TransmissionViewer{Person: recipient}, all, now)
		if len(items) != 2 {
			t.Fatalf("%d items, want the 2 unconfirmed", len(items))
		}
		for _, it := range items {
			if it.Kind != AgendaReceipt || it.Article != "A11.2" {
				t.Fatalf("item = %+v", it)
			}
		}
		if got := ReceiptItems(TransmissionViewer{Person: sender}, all, now); len(got) != 0 {
			t.Fatalf("the sender is asked to confirm %d receipts", len(got))
		}
	})
}

// S2: the refusal names the national recipient's purposes, or says that none is recorded.
func TestTransmissionScopeSentence(t *testing.T) {
	f := newTransmission()
	for _, c := range []struct {
		scope []string
		says  string
	}{{nil, "(none recorded)"}, {[]string{"crime"}, "(crime)"}, {[]string{"crime", "customs"}, "(crime, customs)"}} {
		a := &cleared.Addressee{Organisation: f.parquet, Type: cleared.StateProsecutor, Scope: c.scope,
			Channels: []cleared.ChannelID{f.secretCh.ID}}
		d := Transmission(TransmissionRequest{Target: f.tg, Channel: &f.secretCh, Product: &f.product,
			Recipient: Recipient{Organisation: f.parquet, Addressee: a}, Purpose: "export_control"}, now)
		if d.Rule != "S2" || !strings.Contains(d.Reason, c.says) {
			t.Errorf("scope %v: %s %q, want S2 saying %q", c.scope, d.Rule, d.Reason, c.says)
		}
	}
}
