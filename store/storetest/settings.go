package storetest

import (
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

func testMeta(t *testing.T, open opener) {
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.Meta("installation_id")
			wantKind(t, "Meta of an unset key", err, cleared.ErrNotFound)
			return nil
		})
	})
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		update(t, s, func(tx store.Tx) error { return tx.SetMeta("installation_id", "one") })
		update(t, s, func(tx store.Tx) error { return tx.SetMeta("installation_id", "two") })
		update(t, s, func(tx store.Tx) error { return tx.SetMeta("other", "") })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.Meta("installation_id")
			if err != nil {
				return err
			}
			same(t, "Meta after two SetMeta", got, "two")
			got, err = tx.Meta("other")
			same(t, "Meta set to the empty string", got, "")
			return err
		})
	})
}
