package registry

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// Transmission (Art. 11): a piece, or one of its numbered copies, is sent over a channel the NSA accredited, whose
// cryptographic product's approval is in force (A11.1), to a person cleared with need-to-know of it (A9.1) or to an
// organisation over a channel it accepts (a national recipient of S2 within its scope). Each transmission is
// recorded with its sender, recipient, channel, time and copy; the originator and the NSA list every recipient of
// a piece and of its copies (A11.2); the recipient confirms the receipt, and an unconfirmed one appears on the
// sender's agenda after Config.ReceiptDelay.

// NewCryptoProduct is the input of RegisterCryptoProduct.
type NewCryptoProduct struct {
	Name          string    `json:"name"`
	Reference     string    `json:"reference"`
	ApprovedFrom  time.Time `json:"approved_from"`
	ApprovedUntil time.Time `json:"approved_until"`
}

// RegisterCryptoProduct records a cryptographic product the NSA approved, for the period of its approval (A11.1).
// Only NSA officers record it. ApprovedFrom defaults to now; ApprovedUntil must follow it.
func (s *Service) RegisterCryptoProduct(ctx context.Context, a cleared.Actor, in NewCryptoProduct) (p cleared.CryptoProduct, err error) {
	defer cleared.Wrap(&err, "register crypto product")
	if err := cleared.CheckLine("name", in.Name, 1, maxName); err != nil {
		return p, err
	}
	if err := cleared.CheckLine("reference", in.Reference, 1, maxName); err != nil {
		return p, err
	}
	now := s.clock()
	if in.ApprovedFrom.IsZero() {
		in.ApprovedFrom = now
	}
	if !in.ApprovedUntil.After(in.ApprovedFrom) {
		return p, cleared.Invalidf("an approval needs an end (approved_until) after its start")
	}
	err = s.run.Do(ctx, a, act.CryptoProductRegister, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.RequireNSA(tx, x)
		if err != nil {
			return err
		}
		p = cleared.CryptoProduct{ID: cleared.NewCryptoProductID(), Name: in.Name, Reference: in.Reference,
			ApprovedFrom: in.ApprovedFrom.UTC(), ApprovedUntil: in.ApprovedUntil.UTC(), ApprovedBy: me.ID, Created: now}
		x.Object, x.Payload = string(p.ID), p
		return tx.CreateCryptoProduct(p)
	})
	return p, err
}

// CryptoProducts lists the approved cryptographic products, to anyone signed in, as the channels are.
func (s *Service) CryptoProducts(ctx context.Context, a cleared.Actor, after string, limit int) (ps []cleared.CryptoProduct, err error) {
	defer cleared.Wrap(&err, "list crypto products")
	err = s.run.Read(ctx, a, act.CryptoProductList, s.clock(), func(tx store.Tx, x *act.Act) error {
		if _, err := facts.ActorPerson(tx, a); err != nil {
			return err
		}
		ps, err = tx.CryptoProducts(store.Page{After: after, Limit: page(limit)})
		x.Payload = map[string]int{"count": len(ps)}
		return err
	})
	return ps, err
}

// CryptoProduct returns one approved cryptographic product to anyone signed in.
func (s *Service) CryptoProduct(ctx context.Context, a cleared.Actor, id cleared.CryptoProductID) (p cleared.CryptoProduct, err error) {
	defer cleared.Wrap(&err, "crypto product %s", id)
	if err := id.Validate(); err != nil {
		return p, err
	}
	err = s.run.Read(ctx, a, act.CryptoProductRead, s.clock(), func(tx store.Tx, x *act.Act) error {
		if _, err := facts.ActorPerson(tx, a); err != nil {
			return err
		}
		x.Object = string(id)
		p, err = tx.CryptoProduct(id)
		return err
	})
	return p, err
}

// NewAddressee is the input of RecordAddressee: the channels the organisation accepts, and for a national
// recipient (S2) its type, legal basis and scope.
type NewAddressee struct {
	Type     cleared.RecipientType `json:"type,omitempty"`
	Basis    string                `json:"basis,omitempty"`
	Scope    []string              `json:"scope,omitempty"`
	Channels []cleared.ChannelID   `json:"channels"`
}

// maxChannels bounds the channels and purposes of one addressee.
const maxChannels = 50

func (in NewAddressee) validate() error {
	if err := in.Type.Validate(); err != nil {
		return err
	}
	if err := cleared.CheckLine("basis", in.Basis, 0, maxName); err != nil {
		return err
	}
	if len(in.Scope) > maxChannels || len(in.Channels) > maxChannels {
		return cleared.Invalidf("at most %d channels and %d purposes", maxChannels, maxChannels)
	}
	for _, p := range in.Scope {
		if err := cleared.CheckLine("purpose", p, 1, 64); err != nil {
			return err
		}
	}
	if in.Type != "" && len(in.Scope) == 0 {
		return cleared.Invalidf("a national recipient (S2) receives for named purposes: give its scope")
	}
	for _, c := range in.Channels {
		if err := c.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// RecordAddressee records, for organisation org, the channels over which it receives transmissions and, for a
// national recipient, its type, basis and scope (A11.1, S2), replacing what was recorded. Only NSA officers record
// it; every channel must be in the register.
func (s *Service) RecordAddressee(ctx context.Context, a cleared.Actor, org cleared.OrganisationID, in NewAddressee) (ad cleared.Addressee, err error) {
	defer cleared.Wrap(&err, "record addressee %s", org)
	if err := org.Validate(); err != nil {
		return ad, err
	}
	if err := in.validate(); err != nil {
		return ad, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.AddresseeRecord, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.RequireNSA(tx, x)
		if err != nil {
			return err
		}
		if _, err := tx.Organisation(org); err != nil {
			return err
		}
		chans := slices.Clone(in.Channels)
		slices.Sort(chans)
		chans = slices.Compact(chans)
		for _, c := range chans {
			if _, err := tx.Channel(c); errors.Is(err, cleared.ErrNotFound) {
				return cleared.Invalidf("no channel %s in the register", c)
			} else if err != nil {
				return err
			}
		}
		ad = cleared.Addressee{Organisation: org, Type: in.Type, Basis: in.Basis, Scope: slices.Clone(in.Scope), Channels: chans,
			RecordedBy: me.ID, Recorded: now}
		x.Object, x.Payload = string(org), ad
		return tx.PutAddressee(ad)
	})
	return ad, err
}

// Addressees lists the organisations that receive transmissions, the channels each accepts and the national
// recipients' scope, to anyone signed in: a sender must know where he may send.
func (s *Service) Addressees(ctx context.Context, a cleared.Actor, after string, limit int) (as []cleared.Addressee, err error) {
	defer cleared.Wrap(&err, "list addressees")
	err = s.run.Read(ctx, a, act.AddresseeList, s.clock(), func(tx store.Tx, x *act.Act) error {
		if _, err := facts.ActorPerson(tx, a); err != nil {
			return err
		}
		as, err = tx.Addressees(store.Page{After: after, Limit: page(limit)})
		x.Payload = map[string]int{"count": len(as)}
		return err
	})
	return as, err
}

// NewTransmission is the input of Transmit: to whom (a person or an organisation), over which channel, the copy
// sent if it is one, the purpose (a national recipient's scope, S2), the reference of the originator's consent
// where a rule profile asks it (A1.1), and a note.
type NewTransmission struct {
	ToPerson          cleared.PersonID       `json:"to_person,omitempty"`
	ToOrganisation    cleared.OrganisationID `json:"to_organisation,omitempty"`
	Channel           cleared.ChannelID      `json:"channel"`
	Copy              cleared.CopyID         `json:"copy,omitempty"`
	Purpose           string                 `json:"purpose,omitempty"`
	OriginatorConsent string                 `json:"originator_consent,omitempty"`
	Note              string                 `json:"note,omitempty"`
}

func (in NewTransmission) validate() error {
	switch {
	case (in.ToPerson == "") == (in.ToOrganisation == ""):
		return cleared.Invalidf("name one recipient: to_person or to_organisation")
	case in.ToPerson != "":
		if err := in.ToPerson.Validate(); err != nil {
			return err
		}
	default:
		if err := in.ToOrganisation.Validate(); err != nil {
			return err
		}
	}
	if err := in.Channel.Validate(); err != nil {
		return err
	}
	if in.Copy != "" {
		if err := in.Copy.Validate(); err != nil {
			return err
		}
	}
	if err := cleared.CheckLine("purpose", in.Purpose, 0, 64); err != nil {
		return err
	}
	if err := cleared.CheckLine("originator_consent", in.OriginatorConsent, 0, maxName); err != nil {
		return err
	}
	return cleared.CheckText("note", in.Note, 0, maxText)
}

// Sent is a transmission as shown: its register entry, the names of its sender, recipient and channel, and the
// piece's marking (A7.1).
type Sent struct {
	cleared.Transmission
	SenderName    string `json:"sender_name"`
	RecipientName string `json:"recipient_name"`
	ChannelName   string `json:"channel_name"`
	Marking       string `json:"marking"`
}

// Transmit sends piece id, or its numbered copy in.Copy, to a person or an organisation over a channel, and records it
// (Art. 11, A11.2). The sender must know the piece (else not found, A9.1) and act from a terminal where it could be
// read (A9.3, A8.1, A8.2: sending is a use of it); a copy must be his or his organisation's as security officer (A9.4)
// and not destroyed; the channel must be accredited up to the piece's level, with a cryptographic product whose
// approval is in force (A11.1); a person recipient must be cleared at its level with need-to-know (A9.1, a 403: the
// sender knows the piece); an organisation must accept the channel, a national recipient only within its scope (S2);
// the rule profiles' duties are performed or the transmission is refused (A1.1: the register is the registry entry; the
// originator's consent needs its reference). Every refusal is audited.
func (s *Service) Transmit(ctx context.Context, a cleared.Actor, id cleared.PieceID, in NewTransmission) (out Sent, err error) {
	defer cleared.Wrap(&err, "transmit %s", id)
	if err := id.Validate(); err != nil {
		return out, err
	}
	if err := in.validate(); err != nil {
		return out, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.TransmissionSend, now, func(tx store.Tx, x *act.Act) error {
		p, sub, tg, err := s.knownPiece(tx, x, id)
		if err != nil {
			return err
		}
		if !p.Destroyed.IsZero() {
			return cleared.Conflictf("the piece was destroyed on %s", p.Destroyed.Format(time.DateOnly))
		}
		// Sending is a use of the piece: from a terminal where it could be read (A9.3, A8.1, A8.2), as for its
		// content; the refusal is not hidden, the sender knows the piece.
		if d := policy.Use(sub, tg, now); !d.Allowed {
			return x.Deny(string(id), d)
		}
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		tr := cleared.Transmission{ID: cleared.NewTransmissionID(), Piece: p.ID, Level: p.Level, Sender: me.ID,
			SenderOrganisation: me.OrganisationID, RecipientPerson: in.ToPerson, RecipientOrganisation: in.ToOrganisation,
			Channel: in.Channel, Purpose: in.Purpose, OriginatorConsent: in.OriginatorConsent, Note: in.Note, Sent: now}
		if in.Copy != "" {
			c, err := tx.Copy(in.Copy)
			var tampered *store.TamperedError
			if errors.Is(err, cleared.ErrNotFound) || errors.As(err, &tampered) || err == nil && c.Piece != p.ID {
				return x.Hide(string(in.Copy))
			}
			if err != nil {
				return err
			}
			if !c.Destroyed.IsZero() {
				return cleared.Conflictf("copy %d was destroyed on %s", c.Number, c.Destroyed.Format(time.DateOnly))
			}
			officerOf, err := facts.OfficerOf(tx, me.ID, now)
			if err != nil {
				return err
			}
			if d := policy.TransmitCopy(me.ID, officerOf, c); !d.Allowed {
				return x.Deny(string(id), d)
			}
			tr.Copy, tr.CopyNumber = c.ID, c.Number
		}
		req := policy.TransmissionRequest{Target: tg, Purpose: in.Purpose}
		ch, err := tx.Channel(in.Channel)
		if errors.Is(err, cleared.ErrNotFound) {
			return cleared.Invalidf("no channel %s in the register", in.Channel)
		} else if err != nil {
			return err
		}
		req.Channel = &ch
		if ch.Product != "" {
			// A product that cannot be read leaves Product nil: the policy refuses the channel (fail closed).
			if pr, err := tx.CryptoProduct(ch.Product); err == nil {
				req.Product = &pr
			} else if !errors.Is(err, cleared.ErrNotFound) && !isTampered(err) {
				return err
			}
		}
		if in.ToPerson != "" {
			rp, err := tx.Person(in.ToPerson)
			if errors.Is(err, cleared.ErrNotFound) {
				return cleared.Invalidf("no person %s in the register", in.ToPerson)
			} else if err != nil {
				return err
			}
			if req.Recipient.Person, _, err = facts.SubjectOf(tx, rp, "", now); err != nil {
				return err
			}
		} else {
			org, err := tx.Organisation(in.ToOrganisation)
			if errors.Is(err, cleared.ErrNotFound) {
				return cleared.Invalidf("no organisation %s in the register", in.ToOrganisation)
			} else if err != nil {
				return err
			}
			req.Recipient.Organisation, req.Recipient.Kind = in.ToOrganisation, org.Kind
			if org.Kind == cleared.Company {
				if req.Recipient.Facility, err = tx.FacilityClearances(org.ID); err != nil {
					return err
				}
			}
			if ad, err := tx.Addressee(in.ToOrganisation); err == nil {
				req.Recipient.Addressee = &ad
			} else if !errors.Is(err, cleared.ErrNotFound) {
				return err
			}
		}
		o, err := s.outcome(tx, policy.Transmission(req, now), policy.ActionTransmit, p, me.OrganisationID, now)
		if err != nil {
			return err
		}
		if d := policy.TransmitDuties(o, in.OriginatorConsent != ""); !d.Allowed {
			return x.Deny(string(id), d)
		}
		if err := tx.CreateTransmission(tr); err != nil {
			return err
		}
		x.Object, x.Payload = string(tr.ID), tr
		out, err = s.sent(tx, tr, p.Marking())
		return err
	})
	return out, err
}

func isTampered(err error) bool {
	var tampered *store.TamperedError
	return errors.As(err, &tampered)
}

// sent describes tr with the names of its sender, recipient and channel. A name that cannot be read is left
// empty: the entry itself is what accountability rests on.
func (s *Service) sent(tx store.Tx, tr cleared.Transmission, marking string) (Sent, error) {
	out := Sent{Transmission: tr, Marking: marking}
	if p, err := tx.Person(tr.Sender); err == nil {
		out.SenderName = p.Name
	}
	if tr.RecipientPerson != "" {
		if p, err := tx.Person(tr.RecipientPerson); err == nil {
			out.RecipientName = p.Name
		}
	} else if o, err := tx.Organisation(tr.RecipientOrganisation); err == nil {
		out.RecipientName = o.Name
	}
	if c, err := tx.Channel(tr.Channel); err == nil {
		out.ChannelName = c.Name
	}
	return out, nil
}

// transmissionViewer describes me to the policy of transmissions for piece p: whether he acts for its originator
// (A5.2), is an NSA officer, and which organisations he is security officer of.
func transmissionViewer(tx store.Tx, me cleared.Person, p cleared.Piece, now time.Time) (policy.TransmissionViewer, error) {
	cv, _, err := copyViewer(tx, me, p, now)
	if err != nil {
		return policy.TransmissionViewer{}, err
	}
	receives, err := receivesFor(tx, me, cv.OfficerOf, now)
	return policy.TransmissionViewer{Person: me.ID, Originator: cv.Originator, NSA: cv.NSA, OfficerOf: receives}, err
}

// receivesFor returns the organisations whose transmissions me confirms the receipt of (policy.TransmissionViewer):
// those he is security officer of (officerOf), and his own where it has no security officer in office at now.
func receivesFor(tx store.Registers, me cleared.Person, officerOf []cleared.OrganisationID, now time.Time) ([]cleared.OrganisationID, error) {
	if me.OrganisationID == "" || slices.Contains(officerOf, me.OrganisationID) {
		return officerOf, nil
	}
	os, err := tx.SecurityOfficers(me.OrganisationID)
	if err != nil {
		return nil, err
	}
	for _, o := range os {
		if o.ActiveAt(now) {
			return officerOf, nil
		}
	}
	return append(slices.Clone(officerOf), me.OrganisationID), nil
}

// Recipients lists every transmission of piece id and of its copies, oldest first, with who received it (A11.2),
// to the originator (its classifying authority or who acts for it, A5.2) and to the NSA, who may list the
// recipients of any piece without need-to-know of it (the answer carries no title or content). Anyone else who
// may know the piece is refused with A11.2; one who may not gets not found.
func (s *Service) Recipients(ctx context.Context, a cleared.Actor, id cleared.PieceID) (out []Sent, err error) {
	defer cleared.Wrap(&err, "recipients of %s", id)
	if err := id.Validate(); err != nil {
		return nil, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.TransmissionRecipients, now, func(tx store.Tx, x *act.Act) error {
		out = nil
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		var p cleared.Piece
		if me.HasRole(cleared.RoleNSAOfficer) {
			if p, _, err = s.piece(tx, x, id); errors.Is(err, cleared.ErrNotFound) || isTampered(err) {
				return x.Hide(string(id))
			} else if err != nil {
				return err
			}
			x.Object = string(id)
		} else if p, _, _, err = s.knownPiece(tx, x, id); err != nil {
			return err
		}
		v, err := transmissionViewer(tx, me, p, now)
		if err != nil {
			return err
		}
		if d := policy.Recipients(v); !d.Allowed {
			return x.Deny(string(id), d)
		}
		trs, err := tx.PieceTransmissions(p.ID)
		if err != nil {
			return err
		}
		for _, tr := range trs {
			e, err := s.sent(tx, tr, p.Marking())
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		x.Payload = map[string]int{"count": len(out)}
		return nil
	})
	return out, err
}

// knownTransmission loads a transmission the actor may see (policy.SeeTransmission: its sender, its recipient,
// the originator, the NSA), with its piece and the viewer; anyone else is told it does not exist.
func (s *Service) knownTransmission(tx store.Tx, x *act.Act, id cleared.TransmissionID) (cleared.Transmission, cleared.Piece, policy.TransmissionViewer, error) {
	var v policy.TransmissionViewer
	tr, err := tx.Transmission(id)
	if errors.Is(err, cleared.ErrNotFound) || isTampered(err) {
		return tr, cleared.Piece{}, v, x.Hide(string(id))
	}
	if err != nil {
		return tr, cleared.Piece{}, v, err
	}
	p, _, err := s.piece(tx, x, tr.Piece)
	if errors.Is(err, cleared.ErrNotFound) || isTampered(err) {
		return tr, p, v, x.Hide(string(id))
	}
	if err != nil {
		return tr, p, v, err
	}
	me, err := facts.ActorPerson(tx, x.Actor)
	if err != nil {
		return tr, p, v, err
	}
	if v, err = transmissionViewer(tx, me, p, x.Now); err != nil {
		return tr, p, v, err
	}
	if !policy.SeeTransmission(v, tr) {
		return tr, p, v, x.Hide(string(id))
	}
	x.Object = string(id)
	return tr, p, v, nil
}

// Transmission returns a transmission's entry to its sender, its recipient (the person, or a security officer of
// the organisation), the originator and the NSA; anyone else gets not found.
func (s *Service) Transmission(ctx context.Context, a cleared.Actor, id cleared.TransmissionID) (out Sent, err error) {
	defer cleared.Wrap(&err, "transmission %s", id)
	if err := id.Validate(); err != nil {
		return out, err
	}
	err = s.run.Read(ctx, a, act.TransmissionRead, s.clock(), func(tx store.Tx, x *act.Act) error {
		tr, p, _, err := s.knownTransmission(tx, x, id)
		if err != nil {
			return err
		}
		out, err = s.sent(tx, tr, p.Marking())
		return err
	})
	return out, err
}

// ConfirmReceipt records that the actor received transmission id (A11.2): the recipient person, or for an
// organisation one of its security officers in office. The sender, the originator and the NSA see it but may not
// confirm it (403 A11.2); anyone else gets not found; a receipt already confirmed is a conflict.
func (s *Service) ConfirmReceipt(ctx context.Context, a cleared.Actor, id cleared.TransmissionID) (out Sent, err error) {
	defer cleared.Wrap(&err, "confirm receipt of %s", id)
	if err := id.Validate(); err != nil {
		return out, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.TransmissionReceipt, now, func(tx store.Tx, x *act.Act) error {
		tr, p, v, err := s.knownTransmission(tx, x, id)
		if err != nil {
			return err
		}
		if tr.Confirmed() {
			return cleared.Conflictf("the receipt was already confirmed on %s", tr.Received.Format(time.DateOnly))
		}
		if d := policy.ConfirmReceipt(v, tr); !d.Allowed {
			return x.Deny(string(id), d)
		}
		tr.ReceivedBy, tr.Received = v.Person, now
		if err := tx.ConfirmReceipt(tr); err != nil {
			return err
		}
		x.Payload = map[string]any{"piece": tr.Piece, "received_by": tr.ReceivedBy}
		out, err = s.sent(tx, tr, p.Marking())
		return err
	})
	return out, err
}

// transmissionAgenda is the agenda's source of receipts (A11.2): for the recipient (or the recipient
// organisation's security officer) the receipts to confirm, for the sender those unconfirmed after delay.
type transmissionAgenda struct{ delay time.Duration }

// AgendaItems loads the unconfirmed transmissions the reader sent or is to confirm.
func (g transmissionAgenda) AgendaItems(tx store.Tx, r policy.AgendaReader, now time.Time) ([]policy.AgendaItem, error) {
	officerOf, err := facts.OfficerOf(tx, r.Person.ID, now)
	if err != nil {
		return nil, err
	}
	if officerOf, err = receivesFor(tx, r.Person, officerOf, now); err != nil {
		return nil, err
	}
	trs, err := tx.UnconfirmedTransmissions(store.ReceiptQuery{Sender: r.Person.ID, Person: r.Person.ID,
		Organisations: officerOf, Limit: maxListLimit})
	if err != nil {
		return nil, err
	}
	v := policy.TransmissionViewer{Person: r.Person.ID, OfficerOf: officerOf}
	return append(policy.ReceiptPendingItems(r.Person.ID, trs, g.delay, now), policy.ReceiptItems(v, trs, now)...), nil
}

// TransmitOffer says which transmission forms the UI offers for a piece (policy/forms.go's rule: offer a form only
// to who the policy would let use it): Send to one who may use the piece from his terminal (A9.1, A9.3, A8.1, A8.2)
// while it is not destroyed (the rest is decided on the transmission itself), Recipients to its originator and the
// NSA (A11.2).
type TransmitOffer struct {
	Send bool
	// NoSend is why Send is not offered: the piece's destruction (cleared.ErrConflict) or the terminal's rule
	// (*cleared.ErrForbidden); nil when it is.
	NoSend     error
	Recipients bool
}

// TransmitSheet returns what the actor is offered for piece id; one who may not know it gets not found.
func (s *Service) TransmitSheet(ctx context.Context, a cleared.Actor, id cleared.PieceID) (o TransmitOffer, err error) {
	defer cleared.Wrap(&err, "transmission offer %s", id)
	if err := id.Validate(); err != nil {
		return o, err
	}
	now := s.clock()
	// It records nothing (as Forms): the page that asks has recorded its read of the piece.
	x := s.run.Act(a, act.PieceRead, now)
	err = s.store.View(ctx, func(tx store.Tx) error {
		p, sub, tg, err := s.knownPiece(tx, x, id)
		if err != nil {
			return err
		}
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		v, err := transmissionViewer(tx, me, p, now)
		if err != nil {
			return err
		}
		o = TransmitOffer{Recipients: policy.Recipients(v).Allowed}
		if !p.Destroyed.IsZero() {
			o.NoSend = cleared.Conflictf("the piece was destroyed on %s", p.Destroyed.Format(time.DateOnly))
		} else {
			o.NoSend = policy.Use(sub, tg, now).Err()
		}
		o.Send = o.NoSend == nil
		return nil
	})
	return o, err
}

// TransmissionSheet returns a transmission's entry (see Transmission) and whether the actor may confirm its
// receipt (policy.ConfirmReceipt), for the page that offers it.
func (s *Service) TransmissionSheet(ctx context.Context, a cleared.Actor, id cleared.TransmissionID) (out Sent, confirm bool, err error) {
	defer cleared.Wrap(&err, "transmission %s", id)
	if err := id.Validate(); err != nil {
		return out, false, err
	}
	err = s.run.Read(ctx, a, act.TransmissionRead, s.clock(), func(tx store.Tx, x *act.Act) error {
		tr, p, v, err := s.knownTransmission(tx, x, id)
		if err != nil {
			return err
		}
		confirm = !tr.Confirmed() && policy.ConfirmReceipt(v, tr).Allowed
		out, err = s.sent(tx, tr, p.Marking())
		return err
	})
	return out, confirm, err
}
