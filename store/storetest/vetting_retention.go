package storetest

import (
	"bytes"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/store"
)

// closedCase is w's case of person for post, closed at stage on day closed.
func (w world) closedCase(person cleared.PersonID, post cleared.PostID, stage cleared.CaseStage, closed int) cleared.VettingCase {
	c := w.vettingCase(person, post)
	c.Stage, c.Closed, c.Updated = stage, day(closed), day(closed)
	return c
}

// appendAbout appends an audit entry whose object is object, with payload.
func appendAbout(tx store.Tx, object string, payload []byte) (uint64, error) {
	seq, err := tx.AuditSize()
	if err != nil {
		return 0, err
	}
	r := auditRecord(seq)
	r.Object, r.PayloadHash = object, audit.HashPayload(payload)
	return seq, tx.AppendAudit(r, payload, auditNodes(seq), treeRoot(seq+1))
}

func testVettingRetentions(t *testing.T, open opener) {
	t.Run("A23.2_holds_round_trip_and_refusals", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.post("Analyste")
		createPosts(t, s, p)
		c := w.closedCase(w.person.ID, p.ID, cleared.StageRefused, 1)
		update(t, s, func(tx store.Tx) error { return tx.CreateVettingCase(c, caseKey) })
		h := store.VettingRetention{Case: c.ID, HoldReason: []byte("sealed reason"), HoldReview: day(400), HeldBy: w.person.ID, Held: day(2)}
		update(t, s, func(tx store.Tx) error { return tx.PutVettingHold(h) })
		later := h
		later.HoldReview, later.Held = day(500), day(3)
		update(t, s, func(tx store.Tx) error { return tx.PutVettingHold(later) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.VettingRetention(c.ID)
			if err != nil {
				return err
			}
			same(t, "VettingRetention", got, later)
			held, err := tx.VettingRetentions(false, 10)
			same(t, "held", held, []store.VettingRetention{later})
			return err
		})
		err := s.Update(t.Context(), func(tx store.Tx) error {
			_, err := tx.VettingRetention("vet_none")
			return err
		})
		wantKind(t, "VettingRetention of a case never held", err, cleared.ErrNotFound)
		noReason := h
		noReason.HoldReason = nil
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.PutVettingHold(noReason) })
		wantKind(t, "a hold without its reason", err, cleared.ErrInvalid)
		missing := h
		missing.Case = cleared.NewVettingCaseID()
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.PutVettingHold(missing) })
		wantKind(t, "a hold of no case", err, cleared.ErrInvalid)
		update(t, s, func(tx store.Tx) error { _, err := tx.PurgeVettingCase(c.ID, day(600), "A23.2"); return err })
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.PutVettingHold(later) })
		wantKind(t, "a hold of a purged case", err, cleared.ErrConflict)
	})
	t.Run("A23.2_candidates_by_stage_date_activity_and_hold", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.post("Analyste")
		active, gone := newPerson(w.org.ID), newPerson(w.org.ID)
		create(t, s, active, gone)
		stillOn := w.assignment(active.ID, p.ID, "")
		ended := w.assignment(gone.ID, p.ID, "")
		ended.Until = day(10)
		createPosts(t, s, p, stillOn, ended)
		refused := w.closedCase(w.person.ID, p.ID, cleared.StageRefused, 1)
		withdrawn := w.closedCase(active.ID, p.ID, cleared.StageWithdrawn, 2)
		grantedActive := w.closedCase(active.ID, p.ID, cleared.StageGranted, 3)
		grantedGone := w.closedCase(gone.ID, p.ID, cleared.StageGranted, 4)
		open := w.vettingCase(gone.ID, p.ID)
		held := w.closedCase(w.person.ID, p.ID, cleared.StageClosedNonCooperation, 5)
		update(t, s, func(tx store.Tx) error {
			for _, c := range []cleared.VettingCase{refused, withdrawn, grantedActive, grantedGone, open, held} {
				if err := tx.CreateVettingCase(c, caseKey); err != nil {
					return err
				}
			}
			return tx.PutVettingHold(store.VettingRetention{Case: held.ID, HoldReason: []byte("r"), HoldReview: day(300), HeldBy: w.person.ID, Held: day(6)})
		})
		ids := func(q store.RetentionQuery) []cleared.VettingCaseID {
			t.Helper()
			var out []cleared.VettingCaseID
			view(t, s, func(tx store.Tx) error {
				cs, err := tx.RetentionCandidates(q)
				for _, c := range cs {
					out = append(out, c.ID)
				}
				return err
			})
			return out
		}
		same(t, "negative closed by day(1) exactly", ids(store.RetentionQuery{NegativeBy: day(1), At: day(200), Limit: 10}), []cleared.VettingCaseID{refused.ID})
		same(t, "negative closed by day(5), the hold not reviewed", ids(store.RetentionQuery{NegativeBy: day(5), At: day(299), Limit: 10}),
			[]cleared.VettingCaseID{refused.ID, withdrawn.ID})
		same(t, "the hold reviewed exactly at day(300)", ids(store.RetentionQuery{NegativeBy: day(5), At: day(300), Limit: 10}),
			[]cleared.VettingCaseID{refused.ID, withdrawn.ID, held.ID})
		same(t, "granted, the last assignment ended by day(10) exactly", ids(store.RetentionQuery{ActivityBy: day(10), At: day(10), Limit: 10}),
			[]cleared.VettingCaseID{grantedGone.ID})
		same(t, "granted, an assignment ending after day(9)", ids(store.RetentionQuery{ActivityBy: day(9), At: day(9), Limit: 10}), []cleared.VettingCaseID(nil))
		update(t, s, func(tx store.Tx) error { _, err := tx.PurgeVettingCase(refused.ID, day(200), "A23.2"); return err })
		same(t, "a purged case is no candidate", ids(store.RetentionQuery{NegativeBy: day(1), At: day(200), Limit: 10}), []cleared.VettingCaseID(nil))
	})
	t.Run("A23.2_purge_erases_the_case_data_key_and_audit_payloads", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.post("Analyste")
		createPosts(t, s, p)
		c := w.closedCase(w.person.ID, p.ID, cleared.StageRefused, 1)
		c.Kind, c.Trigger = cleared.KindFollowUp, "dettes signalées"
		c.Origin, c.ForeignBody, c.ForeignReference = cleared.OriginForeignNSA, "BfV", "BfV-2026-7"
		other := w.closedCase(w.person.ID, p.ID, cleared.StageRefused, 1)
		var about, unrelated uint64
		update(t, s, func(tx store.Tx) error {
			for _, k := range []cleared.VettingCase{c, other} {
				if err := tx.CreateVettingCase(k, caseKey); err != nil {
					return err
				}
				if err := tx.PutVettingAnswers(store.VettingAnswers{Case: k.ID, Section: "civil_status", Ciphertext: []byte("sealed"), Updated: day(0)}); err != nil {
					return err
				}
				if err := tx.AddVettingSignature(store.VettingSignature{Case: k.ID, What: "consent", Signer: w.person.ID, Certificate: "fp",
					CMS: []byte("cms"), Digest: "d", Signed: day(0)}); err != nil {
					return err
				}
			}
			if err := tx.PutVettingHold(store.VettingRetention{Case: c.ID, HoldReason: []byte("r"), HoldReview: day(300), HeldBy: w.person.ID, Held: day(6)}); err != nil {
				return err
			}
			var err error
			if about, err = appendAbout(tx, string(c.ID), []byte(`{"trigger":"dettes signalées"}`)); err != nil {
				return err
			}
			unrelated, err = appendAbout(tx, string(other.ID), []byte(`{"case":"other"}`))
			return err
		})
		update(t, s, func(tx store.Tx) error {
			seqs, err := tx.PurgeVettingCase(c.ID, day(400), "A23.2 retention")
			same(t, "the payloads erased", seqs, []uint64{about})
			return err
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.VettingCase(c.ID)
			if err != nil {
				return err
			}
			want := c
			want.Trigger, want.ForeignReference = "", ""
			same(t, "the purged case's record", got, want)
			k, err := tx.VettingCaseKey(c.ID)
			if err != nil {
				return err
			}
			if k.Wrapped != nil {
				t.Errorf("the wrapped key survives the purge: %x", k.Wrapped)
			}
			as, err := tx.VettingAnswers(c.ID)
			if err != nil || len(as) != 0 {
				t.Errorf("answers after the purge: %v, %v", as, err)
			}
			gs, err := tx.VettingSignatures(c.ID)
			if err != nil || len(gs) != 0 {
				t.Errorf("signatures after the purge: %v, %v", gs, err)
			}
			r, err := tx.VettingRetention(c.ID)
			if err != nil {
				return err
			}
			same(t, "the retention record", r, store.VettingRetention{Case: c.ID, Purged: day(400)})
			pay, err := tx.AuditPayload(about)
			if err != nil {
				return err
			}
			same(t, "the payload about the case", pay, audit.Payload{Seq: about, Erased: day(400), Reason: "A23.2 retention"})
			pay, err = tx.AuditPayload(unrelated)
			if err != nil || pay.Data == nil {
				t.Errorf("another case's payload: %+v, %v", pay, err)
			}
			k, err = tx.VettingCaseKey(other.ID)
			if err != nil || !bytes.Equal(k.Wrapped, caseKey.Wrapped) {
				t.Errorf("another case's key: %+v, %v", k, err)
			}
			as, err = tx.VettingAnswers(other.ID)
			if err != nil || len(as) != 1 {
				t.Errorf("another case's answers: %v, %v", as, err)
			}
			purged, err := tx.VettingRetentions(true, 10)
			same(t, "purged", len(purged), 1)
			return err
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { _, err := tx.PurgeVettingCase(c.ID, day(401), "A23.2"); return err })
		wantKind(t, "a second purge", err, cleared.ErrConflict)
		err = s.Update(t.Context(), func(tx store.Tx) error {
			_, err := tx.PurgeVettingCase(cleared.NewVettingCaseID(), day(401), "A23.2")
			return err
		})
		wantKind(t, "a purge of no case", err, cleared.ErrNotFound)
		err = s.Update(t.Context(), func(tx store.Tx) error { _, err := tx.PurgeVettingCase(other.ID, day(401), ""); return err })
		wantKind(t, "a purge without its reason", err, cleared.ErrInvalid)
	})
}
