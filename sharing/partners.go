package sharing

import (
	"context"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// NewPartner is the input of RecordPartner.
type NewPartner struct {
	Scheme          cleared.Scheme      `json:"scheme"`
	MaxLevel        cleared.Level       `json:"max_level"`
	Groups          []string            `json:"groups,omitempty"`
	Channels        []cleared.ChannelID `json:"channels"`
	Certificates    []string            `json:"certificates,omitempty"`
	ACS             bool                `json:"acs,omitempty"`
	AccreditedFrom  time.Time           `json:"accredited_from,omitzero"`
	AccreditedUntil time.Time           `json:"accredited_until,omitzero"`
	Suspended       bool                `json:"suspended,omitempty"`
}

func (in *NewPartner) validate() error {
	if err := in.Scheme.Validate(); err != nil {
		return err
	}
	if !in.MaxLevel.Valid() {
		return cleared.Invalidf("max_level: not a level")
	}
	if in.Scheme == cleared.SchemeTLP && in.MaxLevel.Classified() {
		return cleared.Invalidf("a partner that reads TLP only receives unclassified products: max_level must be UNCLASSIFIED")
	}
	if len(in.Groups) > maxGroups || len(in.Certificates) > maxCerts || len(in.Channels) > maxGroups {
		return cleared.Invalidf("at most %d groups, %d channels and %d certificates", maxGroups, maxGroups, maxCerts)
	}
	for _, g := range in.Groups {
		if err := cleared.CheckGroup(g); err != nil {
			return err
		}
	}
	if len(in.Channels) == 0 {
		return cleared.Invalidf("a partner is reached over at least one accredited channel (A11.1): give channels")
	}
	for _, c := range in.Channels {
		if err := c.Validate(); err != nil {
			return err
		}
	}
	for i, c := range in.Certificates {
		c = strings.ToLower(strings.ReplaceAll(c, ":", ""))
		if b, err := hex.DecodeString(c); err != nil || len(b) != 32 {
			return cleared.Invalidf("certificate %d: give the SHA-256 fingerprint of the client certificate's DER, in hex", i+1)
		}
		in.Certificates[i] = c
	}
	if !in.AccreditedUntil.IsZero() && !in.AccreditedFrom.IsZero() && !in.AccreditedUntil.After(in.AccreditedFrom) {
		return cleared.Invalidf("accredited_until must be after accredited_from")
	}
	return nil
}

// RecordPartner records organisation org as a partner, or changes its record (S1): the NSA alone keeps the
// register. The organisation and every channel must be in the register, the scheme national, TLP or one of the
// equivalence table in force (A6.1); a certificate may name one partner only.
func (s *Service) RecordPartner(ctx context.Context, a cleared.Actor, org cleared.OrganisationID, in NewPartner) (p cleared.Partner, err error) {
	defer cleared.Wrap(&err, "record partner %s", org)
	if err := org.Validate(); err != nil {
		return p, err
	}
	in.Groups, in.Channels, in.Certificates = slices.Clone(in.Groups), slices.Clone(in.Channels), slices.Clone(in.Certificates)
	if err := in.validate(); err != nil {
		return p, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.PartnerRecord, now, func(tx store.Tx, x *act.Act) error {
		me, err := facts.RequireNSA(tx, x)
		if err != nil {
			return err
		}
		o, err := tx.Organisation(org)
		if errors.Is(err, cleared.ErrNotFound) {
			return cleared.Invalidf("no organisation %s in the register", org)
		} else if err != nil {
			return err
		}
		if in.Scheme != cleared.SchemeNational && in.Scheme != cleared.SchemeTLP {
			// A scheme the table does not know could never be marked for (A6.1): say so now, not by silence later.
			eq, err := tx.Equivalence(now)
			if err != nil && !errors.Is(err, cleared.ErrNotFound) {
				return err
			}
			if _, ok := eq.Schemes[in.Scheme]; !ok {
				return cleared.Invalidf("scheme %s is not in the equivalence table in force (A6.1): give LU, TLP or a scheme of the table, or add it to the table first", in.Scheme)
			}
		}
		for _, c := range in.Channels {
			if _, err := tx.Channel(c); errors.Is(err, cleared.ErrNotFound) {
				return cleared.Invalidf("no channel %s in the register", c)
			} else if err != nil {
				return err
			}
		}
		from := in.AccreditedFrom
		if from.IsZero() {
			from = now
		}
		p = cleared.Partner{Organisation: org, Name: o.Name, Scheme: in.Scheme, MaxLevel: in.MaxLevel,
			Groups: sortedSet(in.Groups), Channels: sortedSet(in.Channels), Certificates: sortedSet(in.Certificates),
			ACS: in.ACS, AccreditedFrom: from.UTC().Truncate(time.Microsecond), Suspended: in.Suspended,
			RecordedBy: me.ID, Recorded: now}
		if !in.AccreditedUntil.IsZero() {
			p.AccreditedUntil = in.AccreditedUntil.UTC().Truncate(time.Microsecond)
		}
		x.Object, x.Payload = string(org), p
		return tx.PutPartner(p)
	})
	return p, err
}

// MayRecordPartners decides whether the actor may keep the register of partners (A20.1), for the UI to offer its
// form only to who may; the form's action decides again, recorded.
func (s *Service) MayRecordPartners(ctx context.Context, a cleared.Actor) (d policy.Decision, err error) {
	now := s.clock()
	err = s.store.View(ctx, func(tx store.Tx) error {
		p, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		cs, err := tx.PersonClearances(p.ID)
		if err != nil {
			return err
		}
		d = policy.NSARegister(p, cs, now)
		return nil
	})
	return d, err
}

func sortedSet[T ~string](xs []T) []T {
	out := slices.Clone(xs)
	slices.Sort(out)
	return slices.Compact(out)
}

// Partners lists the register of partners to NSA officers (who receives what is the NSA's to know, S1).
func (s *Service) Partners(ctx context.Context, a cleared.Actor, after string, limit int) (ps []cleared.Partner, err error) {
	defer cleared.Wrap(&err, "list partners")
	err = s.run.Read(ctx, a, act.PartnerList, s.clock(), func(tx store.Tx, x *act.Act) error {
		if _, err := s.partnerReader(tx, x); err != nil {
			return err
		}
		ps, err = tx.Partners(store.Page{After: after, Limit: page(limit)})
		x.Payload = map[string]int{"count": len(ps)}
		return err
	})
	return ps, err
}

// Partner returns one partner's record to NSA officers and to who acts for a classifying authority (who releases
// products and must know the partners he names).
func (s *Service) Partner(ctx context.Context, a cleared.Actor, org cleared.OrganisationID) (p cleared.Partner, err error) {
	defer cleared.Wrap(&err, "partner %s", org)
	if err := org.Validate(); err != nil {
		return p, err
	}
	err = s.run.Read(ctx, a, act.PartnerRead, s.clock(), func(tx store.Tx, x *act.Act) error {
		if _, err := s.partnerReader(tx, x); err != nil {
			return err
		}
		x.Object = string(org)
		p, err = tx.Partner(org)
		return err
	})
	return p, err
}

// partnerReader admits NSA officers and holders of a classifying authority in office (the originators who release
// products), and refuses anyone else with S1.
func (s *Service) partnerReader(tx store.Tx, x *act.Act) (cleared.Person, error) {
	me, err := facts.ActorPerson(tx, x.Actor)
	if err != nil {
		return me, err
	}
	as, err := tx.PersonAuthorities(me.ID)
	if err != nil {
		return me, err
	}
	inOffice := slices.ContainsFunc(as, func(au cleared.ClassifyingAuthority) bool { return au.InOfficeAt(x.Now) })
	if d := policy.ReadPartners(me.HasRole(cleared.RoleNSAOfficer), inOffice); !d.Allowed {
		return me, x.Deny("", d)
	}
	return me, nil
}

// PartnerByCertificate returns the partner that presents the client certificate of the given SHA-256 fingerprint
// (of its DER), if its agreement is in force: the TAXII server, the MISP feed and the live feed authenticate
// partners so. An unknown certificate, or a suspended partner or one out of its agreement, is
// cleared.ErrUnauthenticated, and that refusal is recorded (partner.refused): a partner that presents a certificate
// no longer accepted is a security event. A good certificate is not logged here; what it then asks for is.
func (s *Service) PartnerByCertificate(ctx context.Context, fingerprint []byte) (p cleared.Partner, err error) {
	if len(fingerprint) != 32 {
		return p, cleared.ErrUnauthenticated
	}
	fp := hex.EncodeToString(fingerprint)
	now := s.clock()
	var found *cleared.Partner
	err = s.store.View(ctx, func(tx store.Tx) error {
		p, err := tx.PartnerByCertificate(fp)
		var tampered *store.TamperedError
		switch {
		case err == nil:
			found = &p
		case errors.Is(err, cleared.ErrNotFound), errors.As(err, &tampered):
			// A row that fails its seal is not believed: the partner is unknown (the store raised it, A13.1).
		default:
			return err
		}
		return nil
	})
	if err != nil {
		return cleared.Partner{}, err
	}
	if d := policy.PartnerCertificate(found, fp, now); !d.Allowed {
		x := s.run.Act(cleared.Actor{}, act.PartnerRefused, now)
		if found != nil {
			x.Object = string(found.Organisation)
		}
		x.Payload = map[string]string{"fingerprint": fp}
		if rerr := x.Record(ctx, d, cleared.ErrUnauthenticated); !errors.Is(rerr, cleared.ErrUnauthenticated) {
			return cleared.Partner{}, rerr
		}
		return cleared.Partner{}, cleared.ErrUnauthenticated
	}
	return *found, nil
}
