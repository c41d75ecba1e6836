package sharing

import (
	"context"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/facts"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/store"
)

// ImportInbox imports a pending item of the staging inbox: its envelope, opened, is registered by Import as the
// actor's classifying authority (A5.1), into dossier if given, each report a piece under its foreign marking
// (A6.1), the partner that sent it recorded as their originator; the item then says imported, by whom and the
// pieces registered. Who may not read the inbox does not find the item (cleared.ErrNotFound); one decided already
// is cleared.ErrConflict; Import's refusals (an authority not held, A5.1; a marking cleared cannot resolve, A6.1)
// leave the item pending. Import is not atomic across products: if it fails halfway, the item stays pending and
// importing it again registers the rest, the products received already answered Known.
func (s *Service) ImportInbox(ctx context.Context, a cleared.Actor, id cleared.InboxID, authority cleared.AuthorityID, dossier cleared.DossierID) (it cleared.InboxItem, out []Imported, err error) {
	defer cleared.Wrap(&err, "import inbox item %s", id)
	if err := id.Validate(); err != nil {
		return it, nil, err
	}
	var content store.InboxContent
	err = s.run.Read(ctx, a, act.InboxRead, s.clock(), func(tx store.Tx, x *act.Act) error {
		if it, err = s.loadInbox(tx, x, id); err != nil {
			return err
		}
		content, err = tx.InboxContent(id)
		return err
	})
	if err != nil {
		return cleared.InboxItem{}, nil, err
	}
	if it.State != cleared.InboxPending {
		return cleared.InboxItem{}, nil, cleared.Conflictf("the item was %s already", it.State)
	}
	bundle, err := s.ring.OpenRecord(string(id), keyring.DataKey{KEK: content.KEK, Wrapped: content.WrappedKey}, inboxSlot, content.Ciphertext)
	if err != nil {
		return cleared.InboxItem{}, nil, cleared.Unavailablef("open inbox item %s: %v", id, err)
	}
	out, err = s.Import(ctx, a, Import{Format: cleared.FormatSTIX, Data: bundle, Partner: it.Partner, Authority: authority,
		Dossier: dossier})
	if err != nil {
		return cleared.InboxItem{}, nil, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.InboxImport, now, func(tx store.Tx, x *act.Act) error {
		if it, err = s.loadInbox(tx, x, id); err != nil {
			return err
		}
		if it.State != cleared.InboxPending {
			// Another person imported or refused it meanwhile: the item keeps its first decision. Import's receipts
			// kept any product from being registered twice.
			return cleared.Conflictf("the item was %s meanwhile", it.State)
		}
		me, err := facts.ActorPerson(tx, a)
		if err != nil {
			return err
		}
		it.State, it.DecidedBy, it.Decided, it.Pieces = cleared.InboxImported, me.ID, now, nil
		known := 0
		for _, im := range out {
			if im.Piece != nil {
				it.Pieces = append(it.Pieces, im.Piece.ID)
			}
			if im.Known {
				known++
			}
		}
		x.Payload = map[string]any{"partner": it.Partner, "authority": authority, "pieces": it.Pieces, "known": known}
		return tx.UpdateInboxItem(&it)
	})
	if err != nil {
		return cleared.InboxItem{}, nil, err
	}
	return it, out, nil
}
