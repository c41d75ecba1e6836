package sharing

import (
	"context"
	"errors"
	"slices"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/sharing/stix"
	"github.com/cleared/cleared/store"
)

// The staging inbox (issue 21 §3): what a partner's system posts to cleared's TAXII collection. Only a classifying
// authority registers a classified piece (A5.1), so an envelope is not imported when it arrives: it is checked as
// strictly as an import (stix.ParseEnvelope), sealed (its content under a data key of the item, the row under the
// register's MAC) and waits for a person who holds an authority to import it, or for one of them or the NSA to
// refuse it.

// inboxSlot is the slot an envelope's content is sealed in (keyring.SealRecord), so that it opens for its item only.
const inboxSlot = "envelope"

// MaxInboxObjects bounds the objects of one envelope: each is named in the item's row (its TAXII status), which
// every list of the inbox reads, so that one partner's envelopes of tiny objects cannot make the inbox unreadable.
const MaxInboxObjects = 10000

// Receive stages the TAXII envelope data that partner p's system posted (S1). The envelope is read first and
// refused whole, with nothing stored, if stix.ParseEnvelope refuses it (cleared.ErrInvalid); a partner whose
// record changed since it was authenticated, or whose gate is closed (suspended, out of its agreement, no channel
// left: policy.PartnerGate) is refused, recorded. The item answers TAXII's status: pending until a person decides,
// every object received.
func (s *Service) Receive(ctx context.Context, p cleared.Partner, data []byte) (it cleared.InboxItem, err error) {
	defer cleared.Wrap(&err, "receive from %s", p.Organisation)
	now := s.clock()
	// Read and sealed before the transaction: the writer is not held while a large envelope is parsed.
	env, err := stix.ParseEnvelope(data, now)
	if err != nil {
		// Bad input, not a decision of the policy, so not an audit entry; but a partner's system that sends what
		// cleared refuses (a hostile document as much as a broken one) is for the operators to see.
		s.log.WarnContext(ctx, "a partner's envelope is refused: nothing staged", "partner", p.Organisation,
			"size", len(data), "error", err)
		return it, err
	}
	if len(env.Objects) > MaxInboxObjects {
		return it, cleared.Invalidf("an envelope of %d objects: send at most %d at a time", len(env.Objects), MaxInboxObjects)
	}
	it = cleared.InboxItem{ID: cleared.NewInboxID(), Partner: p.Organisation, Received: now, Size: int64(len(data)),
		Reports: len(env.Reports), Objects: env.Objects, State: cleared.InboxPending}
	dk, err := s.ring.NewDataKey(string(it.ID))
	if err != nil {
		return cleared.InboxItem{}, err
	}
	sealed, err := s.ring.SealRecord(string(it.ID), dk, inboxSlot, env.Bundle)
	if err != nil {
		return cleared.InboxItem{}, err
	}
	err = s.run.Do(ctx, cleared.Actor{}, act.InboxReceive, now, func(tx store.Tx, x *act.Act) error {
		if _, err := openGate(tx, p, x); err != nil {
			return err
		}
		x.Object = string(it.ID)
		x.Payload = map[string]any{"partner": p.Organisation, "size": it.Size, "reports": it.Reports,
			"objects": len(it.Objects), "status": it.ID.UUID()}
		return tx.CreateInboxItem(it, store.InboxContent{KEK: dk.KEK, WrappedKey: dk.Wrapped, Ciphertext: sealed})
	})
	if err != nil {
		return cleared.InboxItem{}, err
	}
	return it, nil
}

// Status returns to partner p the item of status identifier uuid (cleared.InboxID.UUID), for TAXII's status
// resource: only the partner that posted it; for any other, and for none, cleared.ErrNotFound in the same words
// (S1: a partner learns nothing of what others send).
func (s *Service) Status(ctx context.Context, p cleared.Partner, uuid string) (it cleared.InboxItem, err error) {
	defer cleared.Wrap(&err, "status %s for %s", uuid, p.Organisation)
	err = s.run.Read(ctx, cleared.Actor{}, act.InboxStatus, s.clock(), func(tx store.Tx, x *act.Act) error {
		if _, err := openGate(tx, p, x); err != nil {
			return err
		}
		it, err = tx.InboxItemByUUID(uuid)
		if errors.Is(err, cleared.ErrNotFound) || isTampered(err) || (err == nil && it.Partner != p.Organisation) {
			it = cleared.InboxItem{}
			return x.Hide(uuid)
		}
		x.Object = string(it.ID)
		return err
	})
	return it, err
}

// Inbox lists the items of the staging inbox by ID, of state only unless it is "", to holders of a classifying
// authority in office and NSA officers (policy.ReadInbox); anyone else is refused (A5.1).
func (s *Service) Inbox(ctx context.Context, a cleared.Actor, state cleared.InboxState, after string, limit int) (its []cleared.InboxItem, err error) {
	defer cleared.Wrap(&err, "inbox")
	if state != "" {
		if err := state.Validate(); err != nil {
			return nil, err
		}
	}
	err = s.run.Read(ctx, a, act.InboxList, s.clock(), func(tx store.Tx, x *act.Act) error {
		if d, err := s.inboxReader(tx, x); err != nil {
			return err
		} else if !d.Allowed {
			return x.Deny("", d)
		}
		its, err = tx.InboxItems(store.Page{After: after, Limit: page(limit)}, state)
		x.Payload = map[string]any{"state": state, "count": len(its)}
		return err
	})
	return its, err
}

// InboxItem returns one item of the staging inbox to who may read it (policy.ReadInbox); to anyone else it is not
// found, as one that does not exist.
func (s *Service) InboxItem(ctx context.Context, a cleared.Actor, id cleared.InboxID) (it cleared.InboxItem, err error) {
	defer cleared.Wrap(&err, "inbox item %s", id)
	if err := id.Validate(); err != nil {
		return it, err
	}
	err = s.run.Read(ctx, a, act.InboxRead, s.clock(), func(tx store.Tx, x *act.Act) error {
		it, err = s.loadInbox(tx, x, id)
		return err
	})
	return it, err
}

// Refuse refuses a pending item with a reason (S1): who may read the inbox (policy.ReadInbox). Nothing is
// registered; the item stays, refused, so that the partner's status and the record say so. An item decided
// already is cleared.ErrConflict.
func (s *Service) Refuse(ctx context.Context, a cleared.Actor, id cleared.InboxID, reason string) (it cleared.InboxItem, err error) {
	defer cleared.Wrap(&err, "refuse inbox item %s", id)
	if err := id.Validate(); err != nil {
		return it, err
	}
	if err := cleared.CheckText("reason", reason, 1, 2000); err != nil {
		return it, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.InboxRefuse, now, func(tx store.Tx, x *act.Act) error {
		if it, err = s.loadInbox(tx, x, id); err != nil {
			return err
		}
		if it.State != cleared.InboxPending {
			return cleared.Conflictf("the item was %s already", it.State)
		}
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		it.State, it.DecidedBy, it.Decided, it.Reason = cleared.InboxRefused, me.ID, now, reason
		x.Payload = map[string]any{"partner": it.Partner, "reason": reason}
		return tx.UpdateInboxItem(&it)
	})
	return it, err
}

// loadInbox loads item id for a person who may read the inbox; to anyone else, and for an item that does not
// exist or whose row fails its seal, it is not found.
func (s *Service) loadInbox(tx store.Tx, x *act.Act, id cleared.InboxID) (cleared.InboxItem, error) {
	d, err := s.inboxReader(tx, x)
	if err != nil {
		return cleared.InboxItem{}, err
	}
	if !d.Allowed {
		return cleared.InboxItem{}, x.Hide(string(id))
	}
	it, err := tx.InboxItem(id)
	if errors.Is(err, cleared.ErrNotFound) || isTampered(err) {
		return cleared.InboxItem{}, x.Hide(string(id))
	}
	x.Object = string(id)
	return it, err
}

// inboxReader decides whether the actor reads the inbox: an NSA officer, or a holder of a classifying authority in
// office at x.Now.
func (s *Service) inboxReader(tx store.Tx, x *act.Act) (policy.Decision, error) {
	me, err := facts.ActorPerson(tx, x.Actor)
	if err != nil {
		return policy.Decision{}, err
	}
	as, err := tx.PersonAuthorities(me.ID)
	if err != nil {
		return policy.Decision{}, err
	}
	inOffice := slices.ContainsFunc(as, func(au cleared.ClassifyingAuthority) bool { return au.InOfficeAt(x.Now) })
	return policy.ReadInbox(me.HasRole(cleared.RoleNSAOfficer), inOffice), nil
}
