package registry

import (
	"context"
	"errors"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// The registers one can read (issue 18 §0): each item is read by whoever the policy lets, and each list is
// filtered by the same decision as a read, so that a list is never wider than a read. Lists read the register by
// ID until a page of readable items is found (or the register ends): an item left out neither shortens a page nor
// lends its ID to the cursor.

// filtered reads a register by ID after after, keeping the items keep allows, until limit are kept.
func filtered[T any](after string, limit int, id func(T) string, read func(store.Page) ([]T, error), keep func(T) (bool, error)) ([]T, error) {
	var out []T
	cur := after
	for len(out) < limit {
		raw, err := read(store.Page{After: cur, Limit: limit})
		if err != nil {
			return nil, err
		}
		for _, v := range raw {
			ok, err := keep(v)
			if err != nil {
				return nil, err
			}
			if ok {
				if out = append(out, v); len(out) == limit {
					break
				}
			}
		}
		if len(raw) < limit {
			break
		}
		cur = id(raw[len(raw)-1])
	}
	return out, nil
}

// clearanceReader decides clearance reads for one actor (policy.ClearanceFile, A23.1).
type clearanceReader struct {
	tx        store.Tx
	me        cleared.Person
	mine      []cleared.Clearance
	officerOf []cleared.OrganisationID
}

func newClearanceReader(tx store.Tx, x *act.Act) (*clearanceReader, error) {
	me, err := facts.ActorPerson(tx, x.Actor)
	if err != nil {
		return nil, err
	}
	r := &clearanceReader{tx: tx, me: me}
	if r.mine, err = tx.PersonClearances(me.ID); err != nil {
		return nil, err
	}
	if r.officerOf, err = facts.OfficerOf(tx, me.ID, x.Now); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *clearanceReader) decide(c cleared.Clearance, x *act.Act) (policy.Decision, error) {
	org := c.OrganisationID
	if c.HolderKind == cleared.HolderPerson {
		p, err := r.tx.Person(c.PersonID)
		if err != nil {
			return policy.Decision{}, err
		}
		org = p.OrganisationID
	}
	return policy.ClearanceFile(r.me, r.mine, r.officerOf, c, org, x.Now), nil
}

// Clearance returns a clearance to its holder, to NSA officers and to the security officers of the holder's
// organisation (A23.1, A20.1); anyone else gets not-found.
func (s *Service) Clearance(ctx context.Context, a cleared.Actor, id cleared.ClearanceID) (c cleared.Clearance, err error) {
	defer cleared.Wrap(&err, "clearance %s", id)
	if err := id.Validate(); err != nil {
		return c, err
	}
	err = s.run.Read(ctx, a, act.ClearanceRead, s.clock(), func(tx store.Tx, x *act.Act) error {
		r, err := newClearanceReader(tx, x)
		if err != nil {
			return err
		}
		if c, err = tx.Clearance(id); errors.Is(err, cleared.ErrNotFound) {
			return x.Hide(string(id))
		} else if err != nil {
			return err
		}
		dec, err := r.decide(c, x)
		if err != nil {
			return err
		}
		if !dec.Allowed {
			c = cleared.Clearance{}
			return x.Deny(string(id), dec)
		}
		x.Object = string(id)
		c.Status = policy.ClearanceStatus(c, x.Now)
		return nil
	})
	return c, err
}

// Clearances lists, by ID, the clearances the actor may read (Clearance).
func (s *Service) Clearances(ctx context.Context, a cleared.Actor, after string, limit int) (cs []cleared.Clearance, err error) {
	defer cleared.Wrap(&err, "list clearances")
	err = s.run.Read(ctx, a, act.ClearanceList, s.clock(), func(tx store.Tx, x *act.Act) error {
		r, err := newClearanceReader(tx, x)
		if err != nil {
			return err
		}
		cs, err = filtered(after, page(limit), func(c cleared.Clearance) string { return string(c.ID) }, tx.ClearanceList,
			func(c cleared.Clearance) (bool, error) { d, err := r.decide(c, x); return d.Allowed, err })
		for i := range cs {
			cs[i].Status = policy.ClearanceStatus(cs[i], x.Now)
		}
		x.Payload = map[string]int{"count": len(cs)}
		return err
	})
	return cs, err
}

// Delegation returns a delegation of the power to classify. Like the register of authorities, anyone signed in
// reads it: recipients must be able to check who classified what, and by whose power (A5.1, A5.2).
func (s *Service) Delegation(ctx context.Context, a cleared.Actor, id cleared.DelegationID) (d cleared.Delegation, err error) {
	defer cleared.Wrap(&err, "delegation %s", id)
	if err := id.Validate(); err != nil {
		return d, err
	}
	err = s.run.Read(ctx, a, act.DelegationRead, s.clock(), func(tx store.Tx, x *act.Act) error {
		if _, err := facts.ActorPerson(tx, a); err != nil {
			return err
		}
		x.Object = string(id)
		d, err = tx.Delegation(id)
		return err
	})
	return d, err
}

// Delegations lists the delegations by ID, to anyone signed in (see Delegation).
func (s *Service) Delegations(ctx context.Context, a cleared.Actor, after string, limit int) (ds []cleared.Delegation, err error) {
	defer cleared.Wrap(&err, "list delegations")
	err = s.run.Read(ctx, a, act.DelegationList, s.clock(), func(tx store.Tx, x *act.Act) error {
		if _, err := facts.ActorPerson(tx, a); err != nil {
			return err
		}
		ds, err = tx.DelegationList(store.Page{After: after, Limit: page(limit)})
		x.Payload = map[string]int{"count": len(ds)}
		return err
	})
	return ds, err
}

// Channel returns an accredited channel, to anyone signed in, as the register's list does (A11.1).
func (s *Service) Channel(ctx context.Context, a cleared.Actor, id cleared.ChannelID) (c cleared.Channel, err error) {
	defer cleared.Wrap(&err, "channel %s", id)
	if err := id.Validate(); err != nil {
		return c, err
	}
	err = s.run.Read(ctx, a, act.ChannelRead, s.clock(), func(tx store.Tx, x *act.Act) error {
		if _, err := facts.ActorPerson(tx, a); err != nil {
			return err
		}
		x.Object = string(id)
		c, err = tx.Channel(id)
		return err
	})
	return c, err
}

// grantReader decides grant reads for one actor (policy.ReadGrant, A9.1).
type grantReader struct {
	tx     store.Tx
	reader policy.GrantReader
	acts   map[string][]cleared.AuthorityID
}

func newGrantReader(tx store.Tx, x *act.Act) (*grantReader, error) {
	sub, me, err := facts.Subject(tx, x.Actor, x.Now)
	if err != nil {
		return nil, err
	}
	r := &grantReader{tx: tx, reader: policy.GrantReader{Subject: sub}, acts: map[string][]cleared.AuthorityID{}}
	if r.reader.OfficerOf, err = facts.OfficerOf(tx, me.ID, x.Now); err != nil {
		return nil, err
	}
	mine, err := tx.PersonAuthorities(me.ID)
	if err != nil {
		return nil, err
	}
	for _, au := range mine {
		if au.InOfficeAt(x.Now) {
			r.reader.Authorities = append(r.reader.Authorities, au.ID)
		}
	}
	return r, nil
}

func (r *grantReader) decide(g cleared.Grant, x *act.Act) (policy.Decision, error) {
	if g.PersonID == r.reader.Subject.Person {
		return policy.Allow, nil // his own: nothing else to load
	}
	tg, originator, holder, created, err := grantTarget(r.tx, NewGrant{Piece: g.Piece, Dossier: g.Dossier})
	var tampered *store.TamperedError
	if errors.Is(err, cleared.ErrNotFound) || errors.As(err, &tampered) {
		return policy.NotKnown(), nil
	}
	if err != nil {
		return policy.Decision{}, err
	}
	key := string(g.Piece) + string(g.Dossier)
	acts, ok := r.acts[key]
	if !ok {
		if acts, err = facts.ActsFor(r.tx, originator, created); err != nil {
			return policy.Decision{}, err
		}
		r.acts[key] = acts
	}
	return policy.ReadGrant(r.reader, g, tg, acts, holder, x.Now), nil
}

// ReadGrant returns a need-to-know grant to its grantee, to who granted it, to the originating authority and to
// the holding organisation's security officer, if they know its piece or dossier (A9.1); anyone else gets
// not-found, as for a grant that does not exist.
func (s *Service) ReadGrant(ctx context.Context, a cleared.Actor, id cleared.GrantID) (g cleared.Grant, err error) {
	defer cleared.Wrap(&err, "grant %s", id)
	if err := id.Validate(); err != nil {
		return g, err
	}
	err = s.run.Read(ctx, a, act.GrantRead, s.clock(), func(tx store.Tx, x *act.Act) error {
		r, err := newGrantReader(tx, x)
		if err != nil {
			return err
		}
		g, err = tx.Grant(id)
		var tampered *store.TamperedError
		if errors.Is(err, cleared.ErrNotFound) || errors.As(err, &tampered) {
			return x.Hide(string(id))
		} else if err != nil {
			return err
		}
		dec, err := r.decide(g, x)
		if err != nil {
			return err
		}
		if !dec.Allowed {
			g = cleared.Grant{}
			return x.Deny(string(id), dec)
		}
		x.Object = string(id)
		return nil
	})
	return g, err
}

// Grants lists, by ID, the grants the actor may read (ReadGrant).
func (s *Service) Grants(ctx context.Context, a cleared.Actor, after string, limit int) (gs []cleared.Grant, err error) {
	defer cleared.Wrap(&err, "list grants")
	err = s.run.Read(ctx, a, act.GrantList, s.clock(), func(tx store.Tx, x *act.Act) error {
		r, err := newGrantReader(tx, x)
		if err != nil {
			return err
		}
		gs, err = filtered(after, page(limit), func(g cleared.Grant) string { return string(g.ID) }, tx.GrantList,
			func(g cleared.Grant) (bool, error) { d, err := r.decide(g, x); return d.Allowed, err })
		x.Payload = map[string]int{"count": len(gs)}
		return err
	})
	return gs, err
}

// readPublic reads one item of a register anyone signed in reads (authorities, places, terminals), audited under
// name with the item as its object.
func readPublic[T any](s *Service, ctx context.Context, a cleared.Actor, name act.Name, id string, read func(tx store.Tx) (T, error)) (v T, err error) {
	err = s.run.Read(ctx, a, name, s.clock(), func(tx store.Tx, x *act.Act) error {
		if _, err := facts.ActorPerson(tx, a); err != nil {
			return err
		}
		x.Object = id
		v, err = read(tx)
		return err
	})
	return v, err
}

// Authority returns a classifying authority, to anyone signed in, as the register's list does (A5.1).
func (s *Service) Authority(ctx context.Context, a cleared.Actor, id cleared.AuthorityID) (au cleared.ClassifyingAuthority, err error) {
	defer cleared.Wrap(&err, "authority %s", id)
	if err := id.Validate(); err != nil {
		return au, err
	}
	return readPublic(s, ctx, a, act.AuthorityRead, string(id), func(tx store.Tx) (cleared.ClassifyingAuthority, error) { return tx.Authority(id) })
}

// Place returns a place, to anyone signed in, as the register's list does (A8.1, A9.2).
func (s *Service) Place(ctx context.Context, a cleared.Actor, id cleared.PlaceID) (pl cleared.Place, err error) {
	defer cleared.Wrap(&err, "place %s", id)
	if err := id.Validate(); err != nil {
		return pl, err
	}
	return readPublic(s, ctx, a, act.PlaceRead, string(id), func(tx store.Tx) (cleared.Place, error) { return tx.Place(id) })
}

// Terminal returns a terminal, to anyone signed in, as the register's list does (A8.2, A9.3).
func (s *Service) Terminal(ctx context.Context, a cleared.Actor, id cleared.TerminalID) (t cleared.Terminal, err error) {
	defer cleared.Wrap(&err, "terminal %s", id)
	if err := id.Validate(); err != nil {
		return t, err
	}
	return readPublic(s, ctx, a, act.TerminalRead, string(id), func(tx store.Tx) (cleared.Terminal, error) { return tx.Terminal(id) })
}
