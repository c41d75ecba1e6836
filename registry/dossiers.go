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

// addLevel appends c to its dossier's level history (A4.2), numbered after the last entry.
func addLevel(tx store.RegisterReads, c cleared.DossierLevelChange) error {
	hs, err := tx.DossierLevels(c.Dossier)
	if err != nil {
		return err
	}
	c.Seq = 1
	if n := len(hs); n > 0 {
		c.Seq = hs[n-1].Seq + 1
	}
	return tx.AddDossierLevel(c)
}

// DossierFile is a dossier as its reader sees it (Art. 4 al. 2, A4.2): its marking, the parts he may know (A9.1),
// and the history of its level.
type DossierFile struct {
	Dossier cleared.Dossier `json:"dossier"`
	Marking string          `json:"marking"`
	// Parts are the parts the reader may know, titles withheld where his terminal may not show their content
	// (policy.Describe). Parts he may not know are left out, not counted.
	Parts []cleared.Piece `json:"parts"`
	// Levels is the history of the dossier's level, oldest first. A dossier opened before the history was kept
	// (migration 00010) starts it at its first change.
	Levels []cleared.DossierLevelChange `json:"levels"`
	// Access and JudicialOrder are set when the reader knows the dossier by a judicial order (A9.5).
	Access        string                    `json:"access,omitempty"`
	JudicialOrder *cleared.JudicialOrderRef `json:"judicial_order,omitempty"`
	// MaySetLevel tells the UI to offer the reader to set the level: he holds, in office, an authority that acts
	// for the dossier's originator (A5.2). What level he may set is decided when he sets it.
	MaySetLevel bool `json:"-"`
}

// knownDossier loads a dossier the actor may know (A9.1, as for its parts: a clearance at its level and a grant
// on it) and makes it the action's object; a missing dossier and one he may not know answer alike, not found.
// withhold tells that his terminal may not show its content, so its title is not shown either (A8.1, A9.3).
// describe decides: policy.Describe for an act, policy.DescribeRead for a read, which a judicial order in force
// also allows (A9.5).
func knownDossier(tx store.Tx, x *act.Act, id cleared.DossierID, describe func(*policy.Subject, policy.Target, time.Time) (policy.Decision, bool)) (d cleared.Dossier, sub *policy.Subject, me cleared.Person, err error) {
	if sub, me, err = facts.Subject(tx, x.Actor, x.Now); err != nil {
		return d, nil, me, err
	}
	d, err = tx.Dossier(id)
	var tampered *store.TamperedError
	if errors.Is(err, cleared.ErrNotFound) || errors.As(err, &tampered) {
		return cleared.Dossier{}, nil, me, x.Hide(string(id))
	}
	if err != nil {
		return d, nil, me, err
	}
	dec, withhold := describe(sub, dossierTarget(d), x.Now)
	if !dec.Allowed {
		return cleared.Dossier{}, nil, me, x.Deny(string(id), dec)
	}
	if withhold {
		d.Title = ""
	}
	x.Object = string(id)
	return d, sub, me, nil
}

// Dossier returns a dossier's file to whoever may know it (A9.1); anyone else gets not-found, as for an ID that
// does not exist.
func (s *Service) Dossier(ctx context.Context, a cleared.Actor, id cleared.DossierID) (f DossierFile, err error) {
	defer cleared.Wrap(&err, "dossier %s", id)
	if err := id.Validate(); err != nil {
		return f, err
	}
	err = s.run.Read(ctx, a, act.DossierRead, s.clock(), func(tx store.Tx, x *act.Act) error {
		d, sub, me, err := knownDossier(tx, x, id, policy.DescribeRead)
		if err != nil {
			return err
		}
		acts, err := facts.ActsFor(tx, d.Originator, d.Created)
		if err != nil {
			return err
		}
		auth, found, err := actingAuthority(tx, me.ID, "", acts, x.Now)
		if err != nil {
			return err
		}
		may := found && policy.Competent(auth, x.Now).Allowed
		ms, err := markings(tx, x.Now)
		if err != nil {
			return err
		}
		d.Markings = ms
		f = DossierFile{MaySetLevel: may, Dossier: d, Marking: d.Marking(), Parts: []cleared.Piece{}}
		if dec, _ := policy.DescribeRead(sub, dossierTarget(d), x.Now); dec.Order != nil { // A9.5: says so
			f.Access, f.JudicialOrder = cleared.AccessJudicialOrder, dec.Order
		}
		parts, err := tx.DossierParts(id)
		if err != nil {
			return err
		}
		for _, p := range parts {
			p.Markings = ms
			if dec, withhold := policy.DescribeRead(sub, policy.TargetOf(p, d), x.Now); dec.Allowed {
				if withhold {
					p = p.WithholdTitle()
				}
				f.Parts = append(f.Parts, byOrder(nil, p, dec))
			}
		}
		if f.Levels, err = tx.DossierLevels(id); err != nil {
			return err
		}
		if f.Levels == nil {
			f.Levels = []cleared.DossierLevelChange{}
		}
		x.Payload = map[string]int{"parts": len(f.Parts)}
		if f.JudicialOrder != nil {
			x.Payload = dossierByOrder{Parts: len(f.Parts), Access: f.Access, Order: f.JudicialOrder}
		}
		return nil
	})
	return f, err
}

// Dossiers lists, by ID after the cursor, the dossiers the actor may know: those his grants in force name, and
// the judicial orders in force naming him (A9.5), each decided again as a read is (A9.1, A9.5), so a list is never
// wider than a read.
func (s *Service) Dossiers(ctx context.Context, a cleared.Actor, after string, limit int) (ds []cleared.Dossier, err error) {
	defer cleared.Wrap(&err, "list dossiers")
	limit = page(limit)
	now := s.clock()
	err = s.run.Read(ctx, a, act.DossierList, now, func(tx store.Tx, x *act.Act) error {
		sub, me, err := facts.Subject(tx, a, now)
		if err != nil {
			return err
		}
		gs, err := tx.PersonGrants(me.ID, now)
		if err != nil {
			return err
		}
		var ids []cleared.DossierID
		for _, g := range gs {
			if g.Dossier != "" && string(g.Dossier) > after && !slices.Contains(ids, g.Dossier) {
				ids = append(ids, g.Dossier)
			}
		}
		_, ordered := sub.Orders.InForce(now) // A9.5: the dossiers a judicial order in force covers
		for _, id := range ordered {
			if string(id) > after && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		for _, id := range ids {
			if len(ds) == limit {
				break
			}
			d, err := tx.Dossier(id)
			var tampered *store.TamperedError
			if errors.As(err, &tampered) {
				continue
			}
			if err != nil {
				return err
			}
			if dec, withhold := policy.DescribeRead(sub, dossierTarget(d), now); dec.Allowed {
				if withhold {
					d.Title = ""
				}
				ds = append(ds, d)
			}
		}
		ms, err := markings(tx, now)
		for i := range ds {
			ds[i].Markings = ms
		}
		x.Payload = map[string]int{"count": len(ds)}
		return err
	})
	return ds, err
}

// NewDossierLevel is the input of SetDossierLevel.
type NewDossierLevel struct {
	Level  cleared.Level `json:"level"`
	Reason string        `json:"reason"`
	// Authority is the classifying authority the actor acts as; empty: the first he holds in office that acts for
	// the dossier's originator.
	Authority cleared.AuthorityID `json:"authority,omitempty"`
}

// SetDossierLevel sets a dossier's level (Art. 4 al. 2, A4.2): higher than its parts is allowed, below its
// highest part is refused. Only the authority that opened it, its successor in office or the principal that
// delegated it sets it (A5.2); lowering it is a downgrade, raising it classifies the aggregate (A5.1, A5.3). The
// actor must know the dossier (else not-found). The change joins the dossier's level history, with its reason.
func (s *Service) SetDossierLevel(ctx context.Context, a cleared.Actor, id cleared.DossierID, in NewDossierLevel) (f DossierFile, err error) {
	defer cleared.Wrap(&err, "set level of dossier %s", id)
	if err := id.Validate(); err != nil {
		return f, err
	}
	if !in.Level.Valid() {
		return f, cleared.Invalidf("unknown level")
	}
	if err := cleared.CheckText("reason", in.Reason, 1, maxText); err != nil {
		return f, err
	}
	if in.Authority != "" {
		if err := in.Authority.Validate(); err != nil {
			return f, err
		}
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.DossierSetLevel, now, func(tx store.Tx, x *act.Act) error {
		d, _, me, err := knownDossier(tx, x, id, policy.Describe)
		if err != nil {
			return err
		}
		acts, err := facts.ActsFor(tx, d.Originator, d.Created)
		if err != nil {
			return err
		}
		auth, found, err := actingAuthority(tx, me.ID, in.Authority, acts, now)
		if err != nil {
			return err
		}
		parts, err := tx.DossierParts(id)
		if err != nil {
			return err
		}
		var levels []cleared.Level
		for _, p := range parts {
			if p.Destroyed.IsZero() {
				levels = append(levels, p.Level)
			}
		}
		if dec := policy.SetDossierLevel(auth, found, acts, d.Level, in.Level, levels, now); !dec.Allowed {
			return x.Deny(string(id), dec)
		}
		c := cleared.DossierLevelChange{Dossier: id, Cause: cleared.LevelSet, From: d.Level, To: in.Level,
			Authority: auth.Office.ID, Reason: in.Reason, By: me.ID, At: now}
		x.Payload = c
		if err := tx.SetDossierLevel(id, in.Level); err != nil {
			return err
		}
		return addLevel(tx, c)
	})
	if err != nil {
		return f, err
	}
	return s.Dossier(ctx, a, id)
}

// actingAuthority finds the authority person acts as: the one he names, if he holds it; else the first he holds
// in office at now among acts. found is false when there is none.
func actingAuthority(tx store.Tx, person cleared.PersonID, named cleared.AuthorityID, acts []cleared.AuthorityID, now time.Time) (policy.Authority, bool, error) {
	mine, err := tx.PersonAuthorities(person)
	if err != nil {
		return policy.Authority{}, false, err
	}
	for _, au := range mine {
		if named != "" && au.ID != named {
			continue
		}
		if named == "" && (!au.InOfficeAt(now) || !slices.Contains(acts, au.ID)) {
			continue
		}
		f, err := facts.Authority(tx, au.ID)
		return f, err == nil, err
	}
	return policy.Authority{}, false, nil
}

// dossierByOrder is the audit payload of a dossier read by a judicial order (A9.5).
type dossierByOrder struct {
	Parts  int                       `json:"parts"`
	Access string                    `json:"access"`
	Order  *cleared.JudicialOrderRef `json:"judicial_order"`
}
