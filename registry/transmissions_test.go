package registry_test

import (
	"errors"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
)

// awaits reports whether a's agenda holds an item of kind k about transmission id.
func awaits(t *testing.T, e *env, a cleared.Actor, k policy.AgendaKind, id cleared.TransmissionID) bool {
	t.Helper()
	ag, err := e.svc.Agenda(e.ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range ag.Items {
		if it.Kind == k && it.Transmission != nil && it.Transmission.ID == id {
			return true
		}
	}
	return false
}

// recipientNames lists who received, in the order of the register.
func recipientNames(ss []registry.Sent) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.RecipientName)
	}
	return out
}

// The issue's "done when": a SECRET piece sent over a CONFIDENTIEL channel is refused (A11.1), audited; over a
// SECRET one it is recorded with its recipient; the originator lists who received it (A11.2); the recipient
// confirms the receipt, and an unconfirmed one reaches the sender's agenda after the delay.
func TestIssue19Transmission(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		w := e.w
		sophie, tom, minister := e.as("sophie_zone"), e.as("tom"), e.as("minister")
		send := registry.NewTransmission{ToPerson: w.Tom.ID, Channel: w.ConfidentialChannel.ID, Note: "pour la négociation"}

		_, err := e.svc.Transmit(e.ctx, sophie, w.Secret.ID, send)
		wantRule(t, err, "A11.1") // A11.1: the channel is accredited up to CONFIDENTIEL only
		e.lastRefusal(t, "transmission.send", "A11.1")
		if rs, err := e.svc.Recipients(e.ctx, minister, w.Secret.ID); err != nil || len(rs) != 0 {
			t.Fatalf("recipients after the refusal: %v, %v; want none", recipientNames(rs), err)
		}

		send.Channel = w.SecretChannel.ID
		sent, err := e.svc.Transmit(e.ctx, sophie, w.Secret.ID, send)
		if err != nil {
			t.Fatal(err)
		}
		if sent.Sender != w.Sophie.ID || sent.RecipientPerson != w.Tom.ID || sent.Channel != w.SecretChannel.ID ||
			sent.Level != cleared.Secret || sent.RecipientName != w.Tom.Name || sent.Marking != w.Secret.Marking() ||
			!sent.Sent.Equal(e.clock.Now().UTC().Truncate(time.Microsecond)) || sent.Confirmed() {
			t.Fatalf("recorded transmission %+v", sent)
		}

		// A11.2: the originator, and the NSA, list who received it.
		for _, key := range []string{"minister", "helene"} {
			rs, err := e.svc.Recipients(e.ctx, e.as(key), w.Secret.ID)
			if err != nil || len(rs) != 1 || rs[0].ID != sent.ID || rs[0].RecipientName != w.Tom.Name {
				t.Fatalf("%s lists recipients %v, %v; want Tom", key, recipientNames(rs), err)
			}
		}
		// A11.2: the recipient knows the piece but is not its originator; one who may not know it is told nothing.
		_, err = e.svc.Recipients(e.ctx, tom, w.Secret.ID)
		wantRule(t, err, "A11.2")
		if _, err := e.svc.Recipients(e.ctx, e.as("lea"), w.Secret.ID); !errors.Is(err, cleared.ErrNotFound) {
			t.Fatalf("recipients to one without need-to-know: %v, want not found", err)
		}

		// A11.2: the receipt waits on the recipient's agenda; the sender's flags it from exactly the delay.
		if !awaits(t, e, tom, policy.AgendaReceipt, sent.ID) {
			t.Error("the receipt to confirm is not on Tom's agenda")
		}
		e.clock.Add(policy.ReceiptDelay - time.Microsecond)
		if awaits(t, e, sophie, policy.AgendaReceiptPending, sent.ID) {
			t.Error("the unconfirmed receipt is on the sender's agenda before the delay")
		}
		e.clock.Add(time.Microsecond)
		if !awaits(t, e, sophie, policy.AgendaReceiptPending, sent.ID) {
			t.Error("the unconfirmed receipt is not on the sender's agenda at the delay")
		}

		// A11.2: only the recipient confirms; others who see it are refused, the rest told nothing.
		_, err = e.svc.ConfirmReceipt(e.ctx, sophie, sent.ID)
		wantRule(t, err, "A11.2")
		_, err = e.svc.ConfirmReceipt(e.ctx, minister, sent.ID)
		wantRule(t, err, "A11.2")
		if _, err := e.svc.ConfirmReceipt(e.ctx, e.as("lea"), sent.ID); !errors.Is(err, cleared.ErrNotFound) {
			t.Fatalf("receipt by a stranger: %v, want not found", err)
		}
		if _, err := e.svc.Transmission(e.ctx, e.as("lea"), sent.ID); !errors.Is(err, cleared.ErrNotFound) {
			t.Fatalf("transmission read by a stranger: %v, want not found", err)
		}
		got, err := e.svc.ConfirmReceipt(e.ctx, tom, sent.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ReceivedBy != w.Tom.ID || !got.Confirmed() {
			t.Fatalf("confirmed transmission %+v", got)
		}
		if _, err := e.svc.ConfirmReceipt(e.ctx, tom, sent.ID); !errors.Is(err, cleared.ErrConflict) {
			t.Fatalf("second receipt: %v, want a conflict", err)
		}
		if awaits(t, e, sophie, policy.AgendaReceiptPending, sent.ID) || awaits(t, e, tom, policy.AgendaReceipt, sent.ID) {
			t.Error("a confirmed receipt is still on an agenda")
		}
		read, err := e.svc.Transmission(e.ctx, minister, sent.ID)
		if err != nil || !read.Confirmed() {
			t.Fatalf("the originator reads %+v, %v", read, err)
		}
	})
}

// A9.1: the recipient must be cleared at the piece's level with need-to-know; the sender must know the piece.
func TestTransmitRecipientA9_1(t *testing.T) {
	e := newEnv(t)
	w := e.w
	sophie := e.as("sophie_zone")
	// Léa holds CONFIDENTIEL and no need-to-know of the SECRET note: the sender, who knows the piece, is told.
	_, err := e.svc.Transmit(e.ctx, sophie, w.Secret.ID, registry.NewTransmission{ToPerson: w.Lea.ID, Channel: w.SecretChannel.ID})
	wantRule(t, err, "A9.1")
	e.lastRefusal(t, "transmission.send", "A9.1")
	// Anne holds TRES SECRET but no need-to-know of it.
	_, err = e.svc.Transmit(e.ctx, sophie, w.Secret.ID, registry.NewTransmission{ToPerson: w.Anne.ID, Channel: w.SecretChannel.ID})
	wantRule(t, err, "A9.1")
	// Jo's clearance expired (A17.1): he may not receive.
	_, err = e.svc.Transmit(e.ctx, e.as("tom"), w.Restricted.ID, registry.NewTransmission{ToPerson: w.Jo.ID, Channel: w.SecretChannel.ID})
	wantRule(t, err, "A9.1")
	// A9.1: a sender who may not know the piece is told it does not exist.
	_, err = e.svc.Transmit(e.ctx, e.as("lea"), w.Secret.ID, registry.NewTransmission{ToPerson: w.Tom.ID, Channel: w.SecretChannel.ID})
	if !errors.Is(err, cleared.ErrNotFound) {
		t.Fatalf("transmission by one who may not know the piece: %v, want not found", err)
	}
	// A9.3: sending is a use of the piece: not from the public kiosk, where nothing classified is shown.
	_, err = e.svc.Transmit(e.ctx, e.as("sophie_kiosk"), w.Secret.ID, registry.NewTransmission{ToPerson: w.Tom.ID, Channel: w.SecretChannel.ID})
	wantRule(t, err, "A9.3")
	// A14.1: the minister, a member of the Government, receives the piece he classified without a clearance: he
	// holds need-to-know of it.
	if _, err = e.svc.Transmit(e.ctx, sophie, w.Secret.ID, registry.NewTransmission{ToPerson: w.Minister.ID, Channel: w.SecretChannel.ID}); err != nil {
		t.Fatalf("to a member of the Government with need-to-know: %v", err)
	}
	// Malformed input is a 400, before anything.
	_, err = e.svc.Transmit(e.ctx, sophie, w.Secret.ID, registry.NewTransmission{ToPerson: w.Tom.ID, ToOrganisation: w.Ministry.ID,
		Channel: w.SecretChannel.ID})
	if !errors.Is(err, cleared.ErrInvalid) {
		t.Fatalf("two recipients: %v, want invalid", err)
	}
}

// A11.1: a channel whose product's approval lapsed is refused from the instant it lapses; a channel recorded by
// its product's name alone (before the register) still serves.
func TestTransmitLapsedProductA11_1(t *testing.T) {
	e := newEnv(t)
	w := e.w
	nsa, sophie := e.as("helene"), e.as("sophie_zone")
	now := e.clock.Now()
	pr, err := e.svc.RegisterCryptoProduct(e.ctx, nsa, registry.NewCryptoProduct{Name: "Chiffreur ancien", Reference: "ANS-AGR-2019-3",
		ApprovedFrom: now.AddDate(-5, 0, 0), ApprovedUntil: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	ch, err := e.svc.RegisterChannel(e.ctx, nsa, registry.NewChannel{Name: "Liaison ancienne", MaxLevel: cleared.Secret, Product: pr.ID,
		Until: now.AddDate(1, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if ch.CryptoProduct != pr.Name || ch.Product != pr.ID {
		t.Fatalf("channel %+v does not name its product", ch)
	}
	legacy, err := e.svc.RegisterChannel(e.ctx, nsa, registry.NewChannel{Name: "Liaison historique", MaxLevel: cleared.Secret,
		CryptoProduct: "TCE 621", Until: now.AddDate(1, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	to := registry.NewTransmission{ToPerson: w.Tom.ID, Channel: ch.ID}
	if _, err := e.svc.Transmit(e.ctx, sophie, w.Secret.ID, to); err != nil {
		t.Fatalf("before the approval lapses: %v", err)
	}
	e.clock.Add(time.Hour) // the approval ends exactly now
	_, err = e.svc.Transmit(e.ctx, sophie, w.Secret.ID, to)
	wantRule(t, err, "A11.1")
	var f *cleared.ErrForbidden
	if errors.As(err, &f) && f.Reason == "" {
		t.Fatal("the refusal does not say the approval lapsed")
	}
	to.Channel = legacy.ID
	if _, err := e.svc.Transmit(e.ctx, sophie, w.Secret.ID, to); err != nil {
		t.Fatalf("over a channel recorded by its product's name: %v", err)
	}
	// Only the NSA approves products.
	_, err = e.svc.RegisterCryptoProduct(e.ctx, sophie, registry.NewCryptoProduct{Name: "x", Reference: "y", ApprovedUntil: now.AddDate(1, 0, 0)})
	var forbidden *cleared.ErrForbidden
	if !errors.As(err, &forbidden) {
		t.Fatalf("a product recorded by an analyst: %v, want forbidden", err)
	}
}

// S2, A11.1: an organisation receives over the channels it accepts; a national recipient only within its scope.
func TestTransmitToOrganisationS2(t *testing.T) {
	e := newEnv(t)
	w := e.w
	sophie := e.as("sophie_zone")
	to := registry.NewTransmission{ToOrganisation: w.Parquet.ID, Channel: w.SecretChannel.ID, Purpose: "customs"}
	_, err := e.svc.Transmit(e.ctx, sophie, w.Secret.ID, to)
	wantRule(t, err, "S2")
	to.Purpose = "crime"
	sent, err := e.svc.Transmit(e.ctx, sophie, w.Secret.ID, to)
	if err != nil {
		t.Fatal(err)
	}
	if sent.RecipientOrganisation != w.Parquet.ID || sent.RecipientName != w.Parquet.Name || sent.Purpose != "crime" {
		t.Fatalf("transmission %+v", sent)
	}
	// A11.1: the Parquet accepts the SECRET channel, not the CONFIDENTIEL one, even for a CONFIDENTIEL piece.
	_, err = e.svc.Transmit(e.ctx, sophie, w.Confidential.ID, registry.NewTransmission{ToOrganisation: w.Parquet.ID,
		Channel: w.ConfidentialChannel.ID, Purpose: "crime"})
	wantRule(t, err, "A11.1")
	// A11.1: an organisation that recorded no channel receives nothing.
	_, err = e.svc.Transmit(e.ctx, sophie, w.Secret.ID, registry.NewTransmission{ToOrganisation: w.Company.ID, Channel: w.SecretChannel.ID})
	wantRule(t, err, "A11.1")
	// The demo's transmission to the OCEIT waits for its receipt (its registry confirms it:
	// TestReceiptByAnOrganisationWithoutOfficer); the NSA sees it among the specification's recipients.
	rs, err := e.svc.Recipients(e.ctx, e.as("helene"), w.Confidential.ID)
	if err != nil || len(rs) != 1 || rs[0].ID != w.Sent.ID || rs[0].Confirmed() {
		t.Fatalf("recipients of the specification: %v, %v", recipientNames(rs), err)
	}
	// Only the NSA records what an organisation accepts, and only channels of the register.
	_, err = e.svc.RecordAddressee(e.ctx, sophie, w.Company.ID, registry.NewAddressee{Channels: []cleared.ChannelID{w.SecretChannel.ID}})
	var forbidden *cleared.ErrForbidden
	if !errors.As(err, &forbidden) {
		t.Fatalf("addressee recorded by an analyst: %v, want forbidden", err)
	}
	_, err = e.svc.RecordAddressee(e.ctx, e.as("helene"), w.Company.ID, registry.NewAddressee{Channels: []cleared.ChannelID{cleared.NewChannelID()}})
	if !errors.Is(err, cleared.ErrInvalid) {
		t.Fatalf("an unknown channel: %v, want invalid", err)
	}
	// The company's security officer confirms a receipt for it once it accepts the channel.
	if _, err := e.svc.RecordAddressee(e.ctx, e.as("helene"), w.Ministry.ID, registry.NewAddressee{
		Channels: []cleared.ChannelID{w.SecretChannel.ID}}); err != nil {
		t.Fatal(err)
	}
	toMinistry, err := e.svc.Transmit(e.ctx, sophie, w.Secret.ID, registry.NewTransmission{ToOrganisation: w.Ministry.ID, Channel: w.SecretChannel.ID})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.ConfirmReceipt(e.ctx, e.as("tom"), toMinistry.ID)
	if !errors.Is(err, cleared.ErrNotFound) {
		t.Fatalf("receipt by a ministry adviser: %v, want not found", err)
	}
	if !onAgenda(t, e, e.as("luc"), policy.AgendaReceipt) {
		t.Error("the receipt is not on the ministry security officer's agenda")
	}
	if _, err := e.svc.ConfirmReceipt(e.ctx, e.as("luc"), toMinistry.ID); err != nil {
		t.Fatalf("receipt by the ministry's security officer: %v", err)
	}
}

// A9.4: a numbered copy is sent by its holder; the recipients of a piece include those of its copies (A11.2).
func TestTransmitCopyA9_4(t *testing.T) {
	e := newEnv(t)
	w := e.w
	sophie := e.as("sophie_zone")
	cs, err := e.svc.MakeCopies(e.ctx, sophie, w.Secret.ID, registry.NewCopies{Copies: 1, Reason: "envoi"})
	if err != nil {
		t.Fatal(err)
	}
	c := cs[0]
	sent, err := e.svc.Transmit(e.ctx, sophie, w.Secret.ID, registry.NewTransmission{ToPerson: w.Tom.ID, Channel: w.SecretChannel.ID, Copy: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	if sent.Copy != c.ID || sent.CopyNumber != c.Number {
		t.Fatalf("transmission %+v does not name copy %d", sent, c.Number)
	}
	// Tom knows the piece but does not hold Sophie's copy.
	_, err = e.svc.Transmit(e.ctx, e.as("tom"), w.Secret.ID, registry.NewTransmission{ToPerson: w.Sophie.ID, Channel: w.SecretChannel.ID, Copy: c.ID})
	wantRule(t, err, "A9.4")
	// A copy of another piece is no copy of this one.
	_, err = e.svc.Transmit(e.ctx, sophie, w.Confidential.ID, registry.NewTransmission{ToPerson: w.Lea.ID, Channel: w.SecretChannel.ID, Copy: c.ID})
	if !errors.Is(err, cleared.ErrNotFound) {
		t.Fatalf("a copy of another piece: %v, want not found", err)
	}
	rs, err := e.svc.Recipients(e.ctx, e.as("minister"), w.Secret.ID)
	if err != nil || len(rs) != 1 || rs[0].CopyNumber != c.Number {
		t.Fatalf("recipients %v, %v; want Tom for copy %d", recipientNames(rs), err, c.Number)
	}
}

// A1.1: a rule profile's duties apply to a transmission, stricter wins: the originator's consent needs its
// reference; a treaty's registry entry is the register of transmissions.
func TestTransmitProfilesA1_1(t *testing.T) {
	e := newEnv(t)
	w := e.w
	sophie := e.as("sophie_zone")
	if _, err := e.svc.RecordProfile(e.ctx, e.as("helene"), ministryProfile(w.SRE.ID, 1, e.clock.Now().AddDate(0, 0, -1),
		cleared.ProfileRule{Kind: cleared.RuleOriginatorConsent, Actions: []string{"transmit"}})); err != nil {
		t.Fatal(err)
	}
	to := registry.NewTransmission{ToPerson: w.Tom.ID, Channel: w.SecretChannel.ID}
	_, err := e.svc.Transmit(e.ctx, sophie, w.Secret.ID, to)
	wantRule(t, err, "A1.1")
	to.OriginatorConsent = "MAEE/2026/118"
	sent, err := e.svc.Transmit(e.ctx, sophie, w.Secret.ID, to)
	if err != nil {
		t.Fatal(err)
	}
	if sent.OriginatorConsent != to.OriginatorConsent {
		t.Fatalf("the consent's reference is not recorded: %+v", sent)
	}
	// NATO SECRET: NATO's registry entry is performed by the register itself.
	e.grantOf(t, w.Paul, w.Anne, w.NATO.ID)
	if _, err := e.svc.Transmit(e.ctx, e.as("paul"), w.NATO.ID, registry.NewTransmission{ToPerson: w.Anne.ID, Channel: w.SecretChannel.ID,
		OriginatorConsent: "x"}); err != nil {
		t.Fatalf("a NATO SECRET piece to a cleared recipient: %v", err)
	}
}

// A11.2, S2: a piece sent to an organisation with no security officer in office (a national recipient) is confirmed
// by one of its members, its registry; once it has an officer in office, by him alone. Found when the demo's
// transmission to the OCEIT could never be confirmed by anyone.
func TestReceiptByAnOrganisationWithoutOfficer(t *testing.T) {
	e := newEnv(t)
	w := e.w
	nsa := e.as("helene")
	clerk, err := e.svc.RegisterPerson(e.ctx, nsa, registry.NewPerson{OrganisationID: w.ExportControl.ID, Name: "Greffe de l'OCEIT"})
	if err != nil {
		t.Fatal(err)
	}
	// Someone of another organisation may not confirm it, and does not learn of it.
	if _, err := e.svc.ConfirmReceipt(e.ctx, e.as("tom"), w.Sent.ID); !errors.Is(err, cleared.ErrNotFound) {
		t.Fatalf("tom confirms the OCEIT's receipt: %v, want not found", err)
	}
	got, err := e.svc.ConfirmReceipt(e.ctx, cleared.Actor{Person: clerk.ID}, w.Sent.ID)
	if err != nil || got.ReceivedBy != clerk.ID {
		t.Fatalf("the OCEIT's registry confirms: %+v, %v", got.Transmission, err)
	}
}

// A15.1: a company receives a piece only under a facility clearance in force at its level. One granted through a
// facility case (source vetting, the company as holder: what the deciding authority's grant of a facility case
// records, helper dec's part, created here through the store) counts as one from the paper register does.
func TestTransmitToCompanyFacilityClearanceA15_1(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, e *env) {
		w := e.w
		sophie, nsa := e.as("sophie_zone"), e.as("helene")
		if _, err := e.svc.RecordAddressee(e.ctx, nsa, w.Company.ID, registry.NewAddressee{Channels: []cleared.ChannelID{w.SecretChannel.ID}}); err != nil {
			t.Fatal(err)
		}
		to := registry.NewTransmission{ToOrganisation: w.Company.ID, Channel: w.SecretChannel.ID}
		// The demo's facility clearance is CONFIDENTIEL: a SECRET piece is refused.
		_, err := e.svc.Transmit(e.ctx, sophie, w.Secret.ID, to)
		wantRule(t, err, "A15.1")
		now := e.clock.Now().UTC().Truncate(time.Microsecond)
		create := func(status cleared.ClearanceStatus) {
			fsc := cleared.Clearance{ID: cleared.NewClearanceID(), HolderKind: cleared.HolderFacility, OrganisationID: w.Company.ID,
				Level: cleared.Secret, Issued: now, Expires: policy.ClearanceExpiry(cleared.Secret, now), Status: status,
				Source: cleared.SourceVetting, RecordedBy: w.Helene.ID, Recorded: now}
			if err := e.st.Update(e.ctx, func(tx store.Tx) error { return tx.CreateClearance(fsc) }); err != nil {
				t.Fatal(err)
			}
		}
		// Granted but pending the briefing of its organs (A18.1), it covers nothing yet.
		create(cleared.ClearancePending)
		_, err = e.svc.Transmit(e.ctx, sophie, w.Secret.ID, to)
		wantRule(t, err, "A15.1")
		create(cleared.ClearanceActive)
		sent, err := e.svc.Transmit(e.ctx, sophie, w.Secret.ID, to)
		if err != nil {
			t.Fatalf("a SECRET piece to the company under its SECRET facility clearance: %v", err)
		}
		if sent.RecipientOrganisation != w.Company.ID || sent.Level != cleared.Secret {
			t.Errorf("transmission %+v", sent)
		}
	})
}
