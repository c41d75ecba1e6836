package registry

import (
	"context"
	"errors"
	"strings"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// Name is how a page names an ID to its viewer (issue 18 §0: names, not raw IDs). Text is empty when the viewer
// may not know the object, or the ID names nothing: the two read alike. Readable tells that the viewer may open it.
type Name struct {
	Text     string `json:"text,omitempty"`
	Readable bool   `json:"readable,omitempty"`
}

// Names names ids for actor a. Organisations, authorities (their title), places, terminals and channels are
// registers anyone signed in reads: always named. A person is named to who may read his file (policy.PersonFile,
// A23.1); a piece or a dossier to who may read it (policy.DescribeRead, A9.1, A9.5), by its title, or by its ID where the
// terminal may not show its title (A8.1). A name is not a read of the object: the page that asks is, and records
// it; so Names records nothing and reveals nothing the reads it serves would not.
func (s *Service) Names(ctx context.Context, a cleared.Actor, ids []string) (map[string]Name, error) {
	out := make(map[string]Name, len(ids))
	now := s.clock()
	err := s.store.View(ctx, func(tx store.Tx) error {
		sub, me, err := facts.Subject(tx, a, now)
		if err != nil {
			return err
		}
		var mine []cleared.Clearance
		var officerOf []cleared.OrganisationID
		loadedReader := false
		for _, id := range ids {
			if _, done := out[id]; done || id == "" {
				continue
			}
			n, err := s.name(tx, id, func(p cleared.Person) (policy.Decision, error) {
				if !loadedReader {
					if mine, err = tx.PersonClearances(me.ID); err != nil {
						return policy.Decision{}, err
					}
					if officerOf, err = facts.OfficerOf(tx, me.ID, now); err != nil {
						return policy.Decision{}, err
					}
					loadedReader = true
				}
				return policy.PersonFile(me, mine, officerOf, p, now), nil
			}, sub)
			var tampered *store.TamperedError
			if errors.Is(err, cleared.ErrNotFound) || errors.Is(err, cleared.ErrInvalid) || errors.As(err, &tampered) {
				err, n = nil, Name{}
			}
			if err != nil {
				return err
			}
			out[id] = n
		}
		return nil
	})
	return out, err
}

func (s *Service) name(tx store.Tx, id string, personFile func(cleared.Person) (policy.Decision, error), sub *policy.Subject) (Name, error) {
	prefix, _, _ := strings.Cut(id, "_")
	now := s.clock()
	switch prefix + "_" {
	case cleared.PrefixOrganisation:
		o, err := tx.Organisation(cleared.OrganisationID(id))
		return Name{Text: o.Name, Readable: true}, err
	case cleared.PrefixAuthority:
		au, err := tx.Authority(cleared.AuthorityID(id))
		return Name{Text: au.Title}, err
	case cleared.PrefixPlace:
		pl, err := tx.Place(cleared.PlaceID(id))
		return Name{Text: pl.Name}, err
	case cleared.PrefixTerminal:
		t, err := tx.Terminal(cleared.TerminalID(id))
		return Name{Text: t.Name}, err
	case cleared.PrefixChannel:
		c, err := tx.Channel(cleared.ChannelID(id))
		return Name{Text: c.Name, Readable: true}, err
	case cleared.PrefixDelegation:
		if _, err := tx.Delegation(cleared.DelegationID(id)); err != nil {
			return Name{}, err
		}
		return Name{Text: id, Readable: true}, nil
	case cleared.PrefixPerson:
		p, err := tx.Person(cleared.PersonID(id))
		if err != nil {
			return Name{}, err
		}
		d, err := personFile(p)
		if err != nil || !d.Allowed {
			return Name{}, err
		}
		return Name{Text: p.Name, Readable: true}, nil
	case cleared.PrefixPiece:
		p, err := tx.Piece(cleared.PieceID(id))
		if err != nil {
			return Name{}, err
		}
		tg, err := target(tx, p)
		if err != nil {
			return Name{}, err
		}
		d, withhold := policy.DescribeRead(sub, tg, now) // named to who may read it, by a judicial order too (A9.5)
		if !d.Allowed {
			return Name{}, nil
		}
		if withhold {
			return Name{Text: id, Readable: true}, nil
		}
		return Name{Text: p.Title, Readable: true}, nil
	case cleared.PrefixDossier:
		d, err := tx.Dossier(cleared.DossierID(id))
		if err != nil {
			return Name{}, err
		}
		dec, withhold := policy.DescribeRead(sub, dossierTarget(d), now)
		if !dec.Allowed {
			return Name{}, nil
		}
		if withhold {
			return Name{Text: id, Readable: true}, nil
		}
		return Name{Text: d.Title, Readable: true}, nil
	}
	return Name{}, nil
}
