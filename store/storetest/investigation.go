package storetest

import (
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// signedCase stores a vetting case of the world's person for a new post.
func (w world) signedCase(t *testing.T, s store.Store) cleared.VettingCase {
	t.Helper()
	p := w.post("Analyste")
	createPosts(t, s, p)
	c := w.vettingCase(w.person.ID, p.ID)
	update(t, s, func(tx store.Tx) error { return tx.CreateVettingCase(c, caseKey) })
	return c
}

func testInvestigations(t *testing.T, open opener) {
	t.Run("A24.1_officers_on_a_case_assigned_and_ended", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		c := w.signedCase(t, s)
		i := store.Investigator{Case: c.ID, Person: w.person.ID, AssignedBy: w.person.ID, Assigned: day(0)}
		update(t, s, func(tx store.Tx) error { return tx.AddInvestigator(i) })
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.AddInvestigator(i) })
		wantKind(t, "A24.1: the same officer twice", err, cleared.ErrConflict)
		again := i
		again.Assigned = day(1)
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.AddInvestigator(again) })
		wantKind(t, "A24.1: an officer on the case assigned again", err, cleared.ErrConflict)
		update(t, s, func(tx store.Tx) error { return tx.EndInvestigator(c.ID, w.person.ID, day(2), w.person.ID) })
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.EndInvestigator(c.ID, w.person.ID, day(3), w.person.ID) })
		wantKind(t, "A24.1: an ended assignment ended again", err, cleared.ErrNotFound)
		again.Assigned = day(3)
		update(t, s, func(tx store.Tx) error { return tx.AddInvestigator(again) })
		view(t, s, func(tx store.Tx) error {
			is, err := tx.Investigators(c.ID)
			if len(is) != 2 || is[0].On() || !is[0].Ended.Equal(day(2)) || is[0].EndedBy != w.person.ID || !is[1].On() {
				t.Errorf("A24.1: officers %+v", is)
			}
			return err
		})
		err = s.Update(t.Context(), func(tx store.Tx) error {
			return tx.AddInvestigator(store.Investigator{Case: "vet_none", Person: w.person.ID, AssignedBy: w.person.ID, Assigned: day(0)})
		})
		wantKind(t, "an officer on an unknown case", err, cleared.ErrInvalid)
	})
	t.Run("A21.1_A25.3_items_and_cooperation_requests_sealed_records", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		c := w.signedCase(t, s)
		other := w.signedCase(t, s)
		rec := func(id string, d int, ct string) store.SealedRecord {
			return store.SealedRecord{ID: id, Case: c.ID, Ciphertext: []byte(ct), Written: day(d), By: w.person.ID}
		}
		update(t, s, func(tx store.Tx) error {
			for _, r := range []store.SealedRecord{rec("vit_b", 1, "b"), rec("vit_a", 1, "a"), rec("vit_c", 0, "c")} {
				if err := tx.AddInvestigationItem(r); err != nil {
					return err
				}
			}
			if err := tx.PutCooperationRequest(rec("vcr_1", 0, "asked")); err != nil {
				return err
			}
			if err := tx.PutCooperationRequest(rec("vcr_2", 1, "received")); err != nil {
				return err
			}
			return tx.PutCooperationRequest(rec("vcr_1", 2, "answered"))
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.AddInvestigationItem(rec("vit_a", 3, "x")) })
		wantKind(t, "A21.1: an item's ID twice", err, cleared.ErrConflict)
		moved := rec("vcr_1", 3, "moved")
		moved.Case = other.ID
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.PutCooperationRequest(moved) })
		wantKind(t, "A25.3: a request moved to another case", err, cleared.ErrNotFound)
		empty := rec("vit_d", 0, "")
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.AddInvestigationItem(empty) })
		wantKind(t, "A21.1: an item without content", err, cleared.ErrInvalid)
		view(t, s, func(tx store.Tx) error {
			items, err := tx.InvestigationItems(c.ID)
			if err != nil {
				return err
			}
			if len(items) != 3 || items[0].ID != "vit_c" || items[1].ID != "vit_a" || string(items[2].Ciphertext) != "b" {
				t.Errorf("A21.1: items %+v", items)
			}
			rs, err := tx.CooperationRequests(c.ID)
			if err != nil {
				return err
			}
			if len(rs) != 2 || rs[0].ID != "vcr_1" || string(rs[0].Ciphertext) != "answered" || !rs[0].Written.Equal(day(2)) {
				t.Errorf("A25.3: requests %+v", rs)
			}
			n, err := count(tx.InvestigationItems(other.ID))
			if n != 0 {
				t.Errorf("A23.1: another case lists %d items", n)
			}
			return err
		})
	})
	t.Run("A15.2_A28.1_report_and_file_request_once_per_case", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		c := w.signedCase(t, s)
		r := store.SealedRecord{Case: c.ID, Ciphertext: []byte("report"), Written: day(1), By: w.person.ID}
		q := store.SealedRecord{Case: c.ID, Ciphertext: []byte("request"), Written: day(5), By: w.person.ID}
		view(t, s, func(tx store.Tx) error {
			_, err := tx.InvestigationReport(c.ID)
			wantKind(t, "A15.2: no report yet", err, cleared.ErrNotFound)
			_, err = tx.FileRequest(c.ID)
			wantKind(t, "A28.1: no request yet", err, cleared.ErrNotFound)
			return nil
		})
		update(t, s, func(tx store.Tx) error {
			if err := tx.AddInvestigationReport(r); err != nil {
				return err
			}
			return tx.AddFileRequest(q)
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.AddInvestigationReport(r) })
		wantKind(t, "A15.2: a second report", err, cleared.ErrConflict)
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.AddFileRequest(q) })
		wantKind(t, "A28.1: a second request", err, cleared.ErrConflict)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.InvestigationReport(c.ID)
			if err != nil {
				return err
			}
			if string(got.Ciphertext) != "report" || got.ID != string(c.ID) || !got.Written.Equal(day(1)) {
				t.Errorf("A15.2: report %+v", got)
			}
			for _, x := range []struct {
				since int
				want  int
			}{{5, 1}, {6, 0}} {
				n, err := count(tx.FileRequests(day(x.since), 10))
				if err != nil {
					return err
				}
				if n != x.want {
					t.Errorf("A28.1: requests since day(%d): %d, want %d", x.since, n, x.want)
				}
			}
			return nil
		})
	})
}
