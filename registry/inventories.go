package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// Inventories: the periodic count the EU's and NATO's handling rules ask (A1.1) of the pieces and numbered copies
// an organisation, or one holder, holds. Each item is confirmed present or not; closing reconciles them, and what
// is not confirmed present is reported as a possible compromise (A13.1): on the inventory, in one audit entry
// inventory.missing per item, and on the security officers' agenda. The incident itself (warning the NSA and the
// originator, A13.1) is opened in the same transaction (incidents.go).

// NewInventory is the input of OpenInventory: exactly one of an organisation and a holder.
type NewInventory struct {
	OrganisationID cleared.OrganisationID `json:"organisation,omitempty"`
	Holder         cleared.PersonID       `json:"holder,omitempty"`
	Note           string                 `json:"note,omitempty"`
}

// InventoryItemView is an item as shown: the piece's reference and marking (never its title, which an inventory
// taker may not know), and the copy's number.
type InventoryItemView struct {
	cleared.InventoryItem
	Marking    string `json:"marking"`
	CopyNumber int    `json:"copy_number,omitempty"`
}

// InventoryView is an inventory and its items.
type InventoryView struct {
	cleared.Inventory
	Items []InventoryItemView `json:"items"`
}

// OpenInventory opens the inventory of an organisation's pieces and copies not destroyed, or of the physical pieces
// and the copies one holder keeps. Only the organisation's security officer, or the NSA, takes it
// (policy.TakeInventory).
func (s *Service) OpenInventory(ctx context.Context, a cleared.Actor, in NewInventory) (v InventoryView, err error) {
	defer cleared.Wrap(&err, "open inventory")
	if (in.OrganisationID == "") == (in.Holder == "") {
		return v, cleared.Invalidf("an inventory names exactly one of organisation and holder")
	}
	if in.OrganisationID != "" {
		if err := in.OrganisationID.Validate(); err != nil {
			return v, err
		}
	} else if err := in.Holder.Validate(); err != nil {
		return v, err
	}
	if err := cleared.CheckText("note", in.Note, 0, maxText); err != nil {
		return v, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.InventoryOpen, now, func(tx store.Tx, x *act.Act) error {
		me, officerOf, err := inventoryTaker(tx, a, x.Now)
		if err != nil {
			return err
		}
		org := in.OrganisationID
		if in.Holder != "" {
			h, err := tx.Person(in.Holder)
			if errors.Is(err, cleared.ErrNotFound) {
				// The holder's file is not an officer's to know (A23.1): a missing person and another's staff alike.
				// The NSA keeps the register of persons: to it, a missing person is missing.
				if d := policy.TakeInventory(officerOf, me.HasRole(cleared.RoleNSAOfficer), ""); !d.Allowed {
					return x.Deny(string(in.Holder), d)
				}
			}
			if err != nil {
				return err
			}
			org = h.OrganisationID
		}
		if d := policy.TakeInventory(officerOf, me.HasRole(cleared.RoleNSAOfficer), org); !d.Allowed {
			return x.Deny(string(org)+string(in.Holder), d)
		}
		if _, err := tx.Organisation(org); err != nil {
			return err
		}
		ps, err := tx.HeldPieces(orgUnlessHolder(org, in.Holder), in.Holder)
		if err != nil {
			return err
		}
		cs, err := tx.HeldCopies(orgUnlessHolder(org, in.Holder), in.Holder)
		if err != nil {
			return err
		}
		var items []cleared.InventoryItem
		for _, p := range ps {
			items = append(items, cleared.InventoryItem{Piece: p.ID})
		}
		for _, c := range cs {
			items = append(items, cleared.InventoryItem{Piece: c.Piece, Copy: c.ID})
		}
		v.Inventory = cleared.Inventory{ID: cleared.NewInventoryID(), OrganisationID: org, Holder: in.Holder, OpenedBy: me.ID,
			Opened: now, Note: in.Note}
		if err := tx.CreateInventory(v.Inventory, items); err != nil {
			return err
		}
		x.Object, x.Payload = string(v.ID), map[string]any{"inventory": v.Inventory, "items": len(items)}
		v.Items, err = itemViews(tx, v.ID)
		return err
	})
	return v, err
}

func orgUnlessHolder(org cleared.OrganisationID, holder cleared.PersonID) cleared.OrganisationID {
	if holder != "" {
		return ""
	}
	return org
}

// inventoryTaker loads the actor and the organisations he is security officer of.
func inventoryTaker(tx store.Tx, a cleared.Actor, now time.Time) (cleared.Person, []cleared.OrganisationID, error) {
	me, err := facts.ActorPerson(tx, a)
	if err != nil {
		return me, nil, err
	}
	officerOf, err := facts.OfficerOf(tx, me.ID, now)
	return me, officerOf, err
}

// itemViews loads an inventory's items with their pieces' markings and their copies' numbers.
func itemViews(tx store.Tx, id cleared.InventoryID) ([]InventoryItemView, error) {
	its, err := tx.InventoryItems(id)
	if err != nil {
		return nil, err
	}
	out := make([]InventoryItemView, 0, len(its))
	markings := map[cleared.PieceID]string{}
	for _, it := range its {
		m, ok := markings[it.Piece]
		if !ok {
			p, err := tx.Piece(it.Piece)
			if err != nil {
				var tampered *store.TamperedError
				if !errors.As(err, &tampered) {
					return nil, err
				}
				m = "?" // raised by the store (A13.1); the item stays listed, for it must be found
			} else {
				m = p.Marking()
			}
			markings[it.Piece] = m
		}
		v := InventoryItemView{InventoryItem: it, Marking: m}
		if it.Copy != "" {
			if c, err := tx.Copy(it.Copy); err == nil {
				v.CopyNumber = c.Number
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// takenInventory loads an inventory its taker may act on or read: the security officer of its organisation or the
// NSA (policy.TakeInventory); refused otherwise, naming the rule (an inventory says nothing of what the pieces are).
func takenInventory(tx store.Tx, x *act.Act, id cleared.InventoryID) (cleared.Inventory, cleared.Person, error) {
	inv, err := tx.Inventory(id)
	if err != nil {
		return inv, cleared.Person{}, err
	}
	me, officerOf, err := inventoryTaker(tx, x.Actor, x.Now)
	if err != nil {
		return inv, me, err
	}
	if d := policy.TakeInventory(officerOf, me.HasRole(cleared.RoleNSAOfficer), inv.OrganisationID); !d.Allowed {
		return inv, me, x.Deny(string(id), d)
	}
	x.Object = string(id)
	return inv, me, nil
}

// ItemCheck is the input of CheckInventoryItem.
type ItemCheck struct {
	Present *bool  `json:"present"`
	Note    string `json:"note,omitempty"`
}

// CheckInventoryItem records whether item number of an open inventory was found present.
func (s *Service) CheckInventoryItem(ctx context.Context, a cleared.Actor, id cleared.InventoryID, number int, in ItemCheck) (it InventoryItemView, err error) {
	defer cleared.Wrap(&err, "check item %d of inventory %s", number, id)
	if err := id.Validate(); err != nil {
		return it, err
	}
	if in.Present == nil {
		return it, cleared.Invalidf("say whether the item is present (present: true or false)")
	}
	if err := cleared.CheckText("note", in.Note, 0, maxText); err != nil {
		return it, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.InventoryCheck, now, func(tx store.Tx, x *act.Act) error {
		inv, me, err := takenInventory(tx, x, id)
		if err != nil {
			return err
		}
		if !inv.Closed.IsZero() {
			return cleared.Conflictf("the inventory was closed on %s", inv.Closed.Format(time.DateOnly))
		}
		item := cleared.InventoryItem{Inventory: id, Number: number, Present: in.Present, Note: in.Note, CheckedBy: me.ID, Checked: now}
		if err := tx.CheckInventoryItem(item); err != nil {
			return err
		}
		views, err := itemViews(tx, id)
		if err != nil {
			return err
		}
		for _, v := range views {
			if v.Number == number {
				it = v
			}
		}
		x.Payload = it.InventoryItem
		return nil
	})
	return it, err
}

// CloseNote is the input of CloseInventory.
type CloseNote struct {
	Note string `json:"note,omitempty"`
}

// missingItem is the payload of an inventory.missing entry.
type missingItem struct {
	Inventory cleared.InventoryID `json:"inventory"`
	Number    int                 `json:"number"`
	Piece     cleared.PieceID     `json:"piece"`
	Copy      cleared.CopyID      `json:"copy,omitempty"`
	Checked   bool                `json:"checked"` // false: never confirmed present at closing
	Note      string              `json:"note,omitempty"`
	Rule      string              `json:"rule"`
}

// CloseInventory closes an open inventory and reconciles it: every item not confirmed present (found missing, or
// never checked) is missing, a possible compromise (A13.1): counted on the inventory, and recorded in one audit
// entry inventory.missing per item, in the same transaction as the closing.
func (s *Service) CloseInventory(ctx context.Context, a cleared.Actor, id cleared.InventoryID, in CloseNote) (v InventoryView, err error) {
	defer cleared.Wrap(&err, "close inventory %s", id)
	if err := id.Validate(); err != nil {
		return v, err
	}
	if err := cleared.CheckText("note", in.Note, 0, maxText); err != nil {
		return v, err
	}
	now := s.clock()
	sent := 0
	err = s.run.Do(ctx, a, act.InventoryClose, now, func(tx store.Tx, x *act.Act) error {
		sent = 0
		inv, me, err := takenInventory(tx, x, id)
		if err != nil {
			return err
		}
		if !inv.Closed.IsZero() {
			return cleared.Conflictf("the inventory was closed on %s", inv.Closed.Format(time.DateOnly))
		}
		its, err := tx.InventoryItems(id)
		if err != nil {
			return err
		}
		inv.Closed, inv.ClosedBy, inv.Missing = now, me.ID, 0
		if in.Note != "" {
			inv.Note = in.Note
		}
		for _, it := range its {
			if it.Present != nil && *it.Present {
				continue
			}
			inv.Missing++
			object := string(it.Piece)
			if it.Copy != "" {
				object = string(it.Copy)
			}
			payload, err := json.Marshal(missingItem{Inventory: id, Number: it.Number, Piece: it.Piece, Copy: it.Copy,
				Checked: it.Present != nil, Note: it.Note, Rule: "A13.1"})
			if err != nil {
				return err
			}
			e := audit.Entry{Time: now, Actor: a.Person, Terminal: a.Terminal, Action: string(act.InventoryMissing), Object: object, Allowed: true}
			if _, err := audit.Append(tx, e, payload); err != nil {
				return err
			}
			s.log.Warn("inventory: item missing, a possible compromise (A13.1)", "inventory", id, "item", it.Number, "object", object)
			n, err := s.detectMissing(tx, x, inv, it, me.ID)
			if err != nil {
				return err
			}
			sent += n
		}
		if err := tx.CloseInventory(inv); err != nil {
			return err
		}
		x.Payload = inv
		v.Inventory = inv
		v.Items, err = itemViews(tx, id)
		return err
	})
	if err == nil {
		s.woken(sent)
	}
	return v, err
}

// detectMissing opens, in the inventory's closing transaction, an incident about an item found missing (A13.1): a
// copy, or else the piece, reported by who closed the inventory, concerning the inventory's organisation; unless
// an incident about it is open already. It returns the number of messages written to the outbox.
func (s *Service) detectMissing(tx store.Tx, x *act.Act, inv cleared.Inventory, it cleared.InventoryItem, by cleared.PersonID) (int, error) {
	i := cleared.Incident{Kind: cleared.IncidentSuspectedCompromise, ObjectKind: cleared.IncidentPiece, Object: string(it.Piece),
		OrganisationID: inv.OrganisationID, Source: cleared.SourceInventory, ReportedBy: by,
		Description: fmt.Sprintf("Item %d of inventory %s was not confirmed present when the inventory was closed.", it.Number, inv.ID)}
	if it.Copy != "" {
		i.ObjectKind, i.Object = cleared.IncidentCopy, string(it.Copy)
	}
	var classified time.Time
	if p, err := tx.Piece(it.Piece); err == nil {
		i.Originator, classified = p.Originator, p.Created
	}
	_, n, err := s.detectIncident(tx, x, i, classified)
	return n, err
}

// Inventory returns an inventory and its items to the security officer of its organisation or the NSA.
func (s *Service) Inventory(ctx context.Context, a cleared.Actor, id cleared.InventoryID) (v InventoryView, err error) {
	defer cleared.Wrap(&err, "inventory %s", id)
	if err := id.Validate(); err != nil {
		return v, err
	}
	err = s.run.Read(ctx, a, act.InventoryRead, s.clock(), func(tx store.Tx, x *act.Act) error {
		inv, _, err := takenInventory(tx, x, id)
		if err != nil {
			return err
		}
		v.Inventory = inv
		v.Items, err = itemViews(tx, id)
		return err
	})
	return v, err
}

// Inventories lists, newest first, the inventories of the organisations the actor is security officer of, or
// every one for the NSA.
func (s *Service) Inventories(ctx context.Context, a cleared.Actor) (vs []cleared.Inventory, err error) {
	defer cleared.Wrap(&err, "list inventories")
	err = s.run.Read(ctx, a, act.InventoryList, s.clock(), func(tx store.Tx, x *act.Act) error {
		vs = nil
		me, officerOf, err := inventoryTaker(tx, a, x.Now)
		if err != nil {
			return err
		}
		if me.HasRole(cleared.RoleNSAOfficer) {
			vs, err = tx.Inventories("", maxListLimit)
			return err
		}
		for _, o := range officerOf {
			l, err := tx.Inventories(o, maxListLimit)
			if err != nil {
				return err
			}
			vs = append(vs, l...)
		}
		return nil
	})
	return vs, err
}
