package storetest

import (
	"slices"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// Issue 21 §3: the staging inbox of envelopes partners post (S1, A5.1).

// newInboxItem returns a pending item received from partner, and its content as the service would seal it.
func newInboxItem(partner cleared.OrganisationID, received int) (cleared.InboxItem, store.InboxContent) {
	it := cleared.InboxItem{ID: cleared.NewInboxID(), Partner: partner, Received: day(received), Size: 1234, Reports: 1,
		Objects: []cleared.InboxObject{
			{ID: "report--0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9", Version: "2026-01-02T03:04:05.000Z"},
			{ID: "indicator--1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d", Version: "2026-01-02T03:04:05.000Z"},
		},
		State: cleared.InboxPending}
	return it, store.InboxContent{KEK: "kek-1", WrappedKey: []byte("wrapped"), Ciphertext: []byte("sealed envelope")}
}

func createInbox(t *testing.T, s store.Store, it cleared.InboxItem, c store.InboxContent) {
	t.Helper()
	update(t, s, func(tx store.Tx) error { return tx.CreateInboxItem(it, c) })
}

func inboxIDs(t *testing.T, s store.Store, pg store.Page, state cleared.InboxState) []cleared.InboxID {
	t.Helper()
	var ids []cleared.InboxID
	view(t, s, func(tx store.Tx) error {
		its, err := tx.InboxItems(pg, state)
		for _, it := range its {
			ids = append(ids, it.ID)
		}
		return err
	})
	return ids
}

func testSharingInbox(t *testing.T, open opener) {
	t.Run("S1_create_read_by_id_and_uuid", func(t *testing.T) {
		s := open(t)
		w := newSharingWorld(t, s)
		it, c := newInboxItem(w.a.Organisation, -1)
		createInbox(t, s, it, c)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.InboxItem(it.ID)
			if err != nil {
				return err
			}
			same(t, "InboxItem", got, it)
			got, err = tx.InboxItemByUUID(it.ID.UUID())
			if err != nil {
				return err
			}
			same(t, "InboxItemByUUID", got, it)
			gotC, err := tx.InboxContent(it.ID)
			same(t, "InboxContent", gotC, c)
			return err
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		err := s.View(t.Context(), func(tx store.Tx) error { _, err := tx.InboxItem(cleared.NewInboxID()); return err })
		wantKind(t, "InboxItem of an unknown ID", err, cleared.ErrNotFound)
		err = s.View(t.Context(), func(tx store.Tx) error { _, err := tx.InboxItemByUUID(cleared.NewInboxID().UUID()); return err })
		wantKind(t, "InboxItemByUUID of an unknown UUID", err, cleared.ErrNotFound)
		err = s.View(t.Context(), func(tx store.Tx) error { _, err := tx.InboxContent(cleared.NewInboxID()); return err })
		wantKind(t, "InboxContent of an unknown ID", err, cleared.ErrNotFound)
		it, _ := newInboxItem(cleared.NewOrganisationID(), 0)
		it.State = cleared.InboxRefused
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.UpdateInboxItem(&it) })
		wantKind(t, "UpdateInboxItem of an unknown ID", err, cleared.ErrNotFound)
	})
	t.Run("ErrConflict_and_ErrInvalid", func(t *testing.T) {
		s := open(t)
		w := newSharingWorld(t, s)
		it, c := newInboxItem(w.a.Organisation, -1)
		createInbox(t, s, it, c)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateInboxItem(it, c) })
		wantKind(t, "CreateInboxItem of an existing ID", err, cleared.ErrConflict)
		stranger, _ := newInboxItem(cleared.NewOrganisationID(), -1)
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateInboxItem(stranger, c) })
		wantKind(t, "CreateInboxItem from no partner", err, cleared.ErrInvalid)
		decided, _ := newInboxItem(w.a.Organisation, -1)
		decided.State = cleared.InboxImported
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateInboxItem(decided, c) })
		wantKind(t, "CreateInboxItem already imported", err, cleared.ErrInvalid)
		bare, _ := newInboxItem(w.a.Organisation, -1)
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateInboxItem(bare, store.InboxContent{}) })
		wantKind(t, "CreateInboxItem without its sealed content", err, cleared.ErrInvalid)
	})
	t.Run("S1_A5_1_decision_stored_and_listed_by_state", func(t *testing.T) {
		s := open(t)
		w := newSharingWorld(t, s)
		first, c := newInboxItem(w.a.Organisation, -3)
		second, _ := newInboxItem(w.b.Organisation, -2)
		third, _ := newInboxItem(w.a.Organisation, -1)
		for _, it := range []cleared.InboxItem{first, second, third} {
			createInbox(t, s, it, c)
		}
		// A decision cannot move the item to another partner or change what was received.
		imported := second
		imported.Partner, imported.Size, imported.Objects = w.a.Organisation, 1, nil
		imported.State, imported.DecidedBy, imported.Decided = cleared.InboxImported, w.person.ID, day(0)
		imported.Pieces = []cleared.PieceID{w.piece.ID}
		update(t, s, func(tx store.Tx) error { return tx.UpdateInboxItem(&imported) })
		want := second
		want.State, want.DecidedBy, want.Decided, want.Pieces = imported.State, imported.DecidedBy, imported.Decided, imported.Pieces
		same(t, "the item as UpdateInboxItem wrote it back", imported, want)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.InboxItem(second.ID)
			same(t, "InboxItem after the import", got, want)
			return err
		})
		ids := []cleared.InboxID{first.ID, second.ID, third.ID}
		slices.Sort(ids)
		same(t, "InboxItems of every state", inboxIDs(t, s, store.Page{Limit: 10}, ""), ids)
		pending := []cleared.InboxID{first.ID, third.ID}
		slices.Sort(pending)
		same(t, "InboxItems pending", inboxIDs(t, s, store.Page{Limit: 10}, cleared.InboxPending), pending)
		same(t, "InboxItems pending, second page", inboxIDs(t, s, store.Page{After: string(pending[0]), Limit: 10},
			cleared.InboxPending), pending[1:])
		same(t, "InboxItems imported", inboxIDs(t, s, store.Page{Limit: 10}, cleared.InboxImported), []cleared.InboxID{second.ID})
		err := s.View(t.Context(), func(tx store.Tx) error { _, err := tx.InboxItems(store.Page{Limit: 10}, "lost"); return err })
		wantKind(t, "InboxItems of an unknown state", err, cleared.ErrInvalid)
	})
}

// runTamperingInbox holds the status index to the sealed row: an administrator who points another item's UUID at
// a row makes the store refuse it, so that a partner never reads another's status.
func runTamperingInbox(t *testing.T, open TamperOpener) {
	t.Run("S1_status_uuid_of_another_item_is_refused", func(t *testing.T) {
		t.Parallel()
		s, db := open(t)
		var h hooked
		s.SetTamperHook(h.raise)
		w := newSharingWorld(t, s)
		mine, c := newInboxItem(w.a.Organisation, -1)
		theirs, _ := newInboxItem(w.b.Organisation, -1)
		createInbox(t, s, mine, c)
		createInbox(t, s, theirs, c)
		execRaw(t, db, `UPDATE inbox_items SET uuid = $1 WHERE id = $2`, "x", string(theirs.ID))
		execRaw(t, db, `UPDATE inbox_items SET uuid = $1 WHERE id = $2`, theirs.ID.UUID(), string(mine.ID))
		err := s.View(t.Context(), func(tx store.Tx) error { _, err := tx.InboxItemByUUID(theirs.ID.UUID()); return err })
		wantTampered(t, err, "inbox_items", string(mine.ID))
	})
	t.Run("A13_1_inbox_item_moved_to_another_partner_is_refused", func(t *testing.T) {
		t.Parallel()
		s, db := open(t)
		var h hooked
		s.SetTamperHook(h.raise)
		w := newSharingWorld(t, s)
		it, c := newInboxItem(w.a.Organisation, -1)
		createInbox(t, s, it, c)
		execRaw(t, db, `UPDATE inbox_items SET partner = $1 WHERE id = $2`, string(w.b.Organisation), string(it.ID))
		err := s.View(t.Context(), func(tx store.Tx) error { _, err := tx.InboxItemByUUID(it.ID.UUID()); return err })
		wantTampered(t, err, "inbox_items", string(it.ID))
		same(t, "InboxItems after the edit", inboxIDs(t, s, store.Page{Limit: 10}, ""), []cleared.InboxID(nil))
	})
}
