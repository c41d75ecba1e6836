package storetest

import (
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// testRegisterReads: the registers read whole by ID, and the level history of a dossier (A4.2).
func testRegisterReads(t *testing.T, open opener) {
	t.Run("GrantList_ClearanceList_DelegationList_page_by_ID", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		p := w.piece(cleared.Secret, day(-1))
		d := w.dossier(cleared.Secret)
		create(t, s, p, d)
		var grants []cleared.Grant
		var clearances []cleared.Clearance
		var delegations []cleared.Delegation
		var objects []any
		principal := newAuthority(w.person.ID, w.org.ID)
		objects = append(objects, principal)
		for i := range 5 {
			g := w.grant(w.person.ID, p.ID)
			if i%2 == 1 {
				g = w.grant(w.person.ID, d.ID)
			}
			c := cleared.Clearance{ID: cleared.NewClearanceID(), HolderKind: cleared.HolderPerson, PersonID: w.person.ID,
				Level: cleared.Secret, Issued: day(-100 - i), Expires: day(100), Status: cleared.ClearanceActive,
				Source: cleared.SourcePaperRegister, Reference: "ANS-1", RecordedBy: w.person.ID, Recorded: day(-100)}
			dl := cleared.Delegation{ID: cleared.NewDelegationID(), Delegate: w.auth.ID, Principal: principal.ID,
				From: day(-10), Until: day(10 + i), Reference: "arrêté", GrantedBy: w.person.ID, Created: day(-10)}
			grants, clearances, delegations = append(grants, g), append(clearances, c), append(delegations, dl)
			objects = append(objects, g, c, dl)
		}
		create(t, s, objects...)
		sortByID(grants, func(g cleared.Grant) string { return string(g.ID) })
		sortByID(clearances, func(c cleared.Clearance) string { return string(c.ID) })
		sortByID(delegations, func(d cleared.Delegation) string { return string(d.ID) })
		same(t, "GrantList", pageThrough(t, s, 2, func(g cleared.Grant) string { return string(g.ID) },
			func(tx store.Tx, p store.Page) ([]cleared.Grant, error) { return tx.GrantList(p) }), grants)
		same(t, "ClearanceList", pageThrough(t, s, 2, func(c cleared.Clearance) string { return string(c.ID) },
			func(tx store.Tx, p store.Page) ([]cleared.Clearance, error) { return tx.ClearanceList(p) }), clearances)
		same(t, "DelegationList", pageThrough(t, s, 2, func(d cleared.Delegation) string { return string(d.ID) },
			func(tx store.Tx, p store.Page) ([]cleared.Delegation, error) { return tx.DelegationList(p) }), delegations)
	})
	t.Run("A4.2_DossierLevels_in_order", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		d := w.dossier(cleared.Confidential)
		p := w.piece(cleared.Secret, day(-1))
		p.Dossier = d.ID
		create(t, s, d, p)
		want := []cleared.DossierLevelChange{
			{Dossier: d.ID, Seq: 1, Cause: cleared.LevelCreated, To: cleared.Confidential, Authority: w.auth.ID, By: w.person.ID, At: d.Created},
			{Dossier: d.ID, Seq: 2, Cause: cleared.LevelRaised, From: cleared.Confidential, To: cleared.Secret, Piece: p.ID, By: w.person.ID, At: day(-1)},
			{Dossier: d.ID, Seq: 3, Cause: cleared.LevelSet, From: cleared.Secret, To: cleared.TopSecret, Authority: w.auth.ID,
				Reason: "the whole reveals the operation", By: w.person.ID, At: day(0)},
		}
		update(t, s, func(tx store.Tx) error {
			for _, c := range []cleared.DossierLevelChange{want[2], want[0], want[1]} {
				if err := tx.AddDossierLevel(c); err != nil {
					return err
				}
			}
			return nil
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.DossierLevels(d.ID)
			same(t, "DossierLevels", got, want)
			none, _ := tx.DossierLevels(cleared.NewDossierID())
			if len(none) != 0 {
				t.Errorf("DossierLevels of an unknown dossier: %v", none)
			}
			return err
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.AddDossierLevel(want[0]) })
		wantKind(t, "AddDossierLevel with an existing number", err, cleared.ErrConflict)
		bad := want[0]
		bad.Dossier, bad.Seq = cleared.NewDossierID(), 1
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.AddDossierLevel(bad) })
		wantKind(t, "AddDossierLevel of an unknown dossier", err, cleared.ErrInvalid)
	})
}

func sortByID[T any](xs []T, id func(T) string) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && id(xs[j]) < id(xs[j-1]); j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}
