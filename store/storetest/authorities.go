package storetest

import (
	"slices"
	"strings"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

func testAuthority(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		earlier := newAuthority(w.person.ID, w.org.ID)
		earlier.Kind, earlier.Title, earlier.From, earlier.Until = cleared.AuthorityDelegate, "Directeur", day(-900), day(-400)
		create(t, s, earlier)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Authority(w.auth.ID)
			if err != nil {
				return err
			}
			same(t, "Authority", got, w.auth)
			list, err := tx.PersonAuthorities(w.person.ID)
			same(t, "PersonAuthorities, oldest term first", list, []cleared.ClassifyingAuthority{earlier, w.auth})
			return err
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Authority(cleared.NewAuthorityID())
			wantKind(t, "Authority of an unknown ID", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateAuthority(w.auth) })
		wantKind(t, "CreateAuthority with an existing ID", err, cleared.ErrConflict)
	})
	t.Run("Page", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		want := []cleared.ClassifyingAuthority{w.auth}
		for range 4 {
			a := newAuthority(w.person.ID, w.org.ID)
			create(t, s, a)
			want = append(want, a)
		}
		slices.SortFunc(want, func(a, b cleared.ClassifyingAuthority) int { return strings.Compare(string(a.ID), string(b.ID)) })
		got := pageThrough(t, s, 2, func(a cleared.ClassifyingAuthority) string { return string(a.ID) },
			func(tx store.Tx, p store.Page) ([]cleared.ClassifyingAuthority, error) { return tx.Authorities(p) })
		same(t, "Authorities, by ID, two at a time", got, want)
	})
	t.Run("SetSuccessor", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		next := newAuthority(w.person.ID, w.org.ID)
		create(t, s, next)
		update(t, s, func(tx store.Tx) error { return tx.SetAuthoritySuccessor(w.auth.ID, next.ID, day(1)) })
		want := w.auth
		want.Successor, want.Until = next.ID, day(1)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Authority(w.auth.ID)
			same(t, "Authority after SetAuthoritySuccessor", got, want)
			return err
		})
	})
	t.Run("SetSuccessor_ErrNotFound", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		err := s.Update(t.Context(), func(tx store.Tx) error {
			return tx.SetAuthoritySuccessor(cleared.NewAuthorityID(), w.auth.ID, day(1))
		})
		wantKind(t, "SetAuthoritySuccessor of an unknown authority", err, cleared.ErrNotFound)
	})
	t.Run("SetSuccessor_ErrInvalid_unknown_successor", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		err := s.Update(t.Context(), func(tx store.Tx) error {
			return tx.SetAuthoritySuccessor(w.auth.ID, cleared.NewAuthorityID(), day(1))
		})
		wantKind(t, "SetAuthoritySuccessor to an unknown successor", err, cleared.ErrInvalid)
	})
}

func testDelegation(t *testing.T, open opener) {
	newDelegation := func(w world, delegate cleared.AuthorityID) cleared.Delegation {
		return cleared.Delegation{
			ID: cleared.NewDelegationID(), Delegate: delegate, Principal: w.auth.ID, From: day(-20), Until: day(345),
			Reference: "Arrêté ministériel du 1er mars 2025", GrantedBy: w.person.ID, Created: day(-21),
		}
	}
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		delegate := newAuthority(w.person.ID, w.org.ID)
		delegate.Kind = cleared.AuthorityDelegate
		d := newDelegation(w, delegate.ID)
		older := newDelegation(w, delegate.ID)
		older.From, older.Until = day(-400), day(-35)
		create(t, s, delegate, d, older)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Delegation(d.ID)
			if err != nil {
				return err
			}
			same(t, "Delegation", got, d)
			list, err := tx.Delegations(delegate.ID)
			if err != nil {
				return err
			}
			same(t, "Delegations, oldest first", list, []cleared.Delegation{older, d})
			list, err = tx.Delegations(w.auth.ID)
			if len(list) != 0 {
				t.Errorf("Delegations to the principal: %v, want none", list)
			}
			return err
		})
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Delegation(cleared.NewDelegationID())
			wantKind(t, "Delegation of an unknown ID", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		d := newDelegation(w, w.auth.ID)
		create(t, s, d)
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateDelegation(d) })
		wantKind(t, "CreateDelegation with an existing ID", err, cleared.ErrConflict)
	})
	t.Run("ErrInvalid_unknown_principal", func(t *testing.T) {
		s := open(t)
		w := newWorld(t, s)
		d := newDelegation(w, w.auth.ID)
		d.Principal = cleared.NewAuthorityID()
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateDelegation(d) })
		wantKind(t, "CreateDelegation from an unknown principal", err, cleared.ErrInvalid)
	})
}
