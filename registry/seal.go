package registry

import (
	"context"
	"errors"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/store"
)

// Sealed registers (architecture, principle 9; issue 17). The store checks every register row's MAC on read and
// calls a hook for each row that fails; the server gives that hook RecordTampering, which leaves the row's trace
// in the audit log (A13.1). SealRegisters is the one-time upgrade of a database made before sealed registers.

// registerSealer is what the upgrade needs of the store's transaction (store/sqlstore's Tx).
type registerSealer interface {
	SealRegisters() (int, error)
	UpgradeContentKeys(rewrap func(p cleared.Piece, kek string, wrapped []byte) (string, []byte, error)) (int, error)
}

// RecordTampering appends a register.tampered entry for the row of table whose key is key: it failed its seal
// check, so it was altered outside cleared, a possible compromise (A13.1). It names the row, never its values. In
// the same transaction it opens an incident about the row (incidents.go), which warns the NSA, unless one is open
// about it already: a row read again and again makes one case.
func (s *Service) RecordTampering(ctx context.Context, table, key string) error {
	sent := 0
	err := s.run.Do(ctx, cleared.Actor{}, act.RegisterTampered, s.clock(), func(tx store.Tx, x *act.Act) error {
		x.Object = table + "/" + key
		payload := map[string]string{"table": table, "key": key}
		x.Payload = payload
		i := cleared.Incident{Kind: cleared.IncidentSuspectedCompromise, ObjectKind: cleared.IncidentRegisterRow,
			Object: table + "/" + key, Source: cleared.SourceTampering,
			Description: "A row of the register " + table + " failed its seal check: it was written or changed outside cleared."}
		id, n, err := s.detectIncident(tx, x, i, time.Time{})
		payload["incident"], sent = string(id), n
		return err
	})
	if err == nil {
		s.woken(sent)
	}
	return err
}

// SealRegisters seals every register row with the store's seal key (which must be set) and re-wraps every content
// key to bind its piece's level and originator, in one audited transaction (register.seal). The server runs it
// once, when its key ring has no register key yet: a database made by an older cleared, or sealed under a key the
// ring never kept. A content key already in the new form (an upgrade interrupted after its commit) is kept.
func (s *Service) SealRegisters(ctx context.Context) (rows, keys int, err error) {
	defer cleared.Wrap(&err, "seal registers")
	err = s.run.Do(ctx, cleared.Actor{}, act.RegisterSeal, s.clock(), func(tx store.Tx, x *act.Act) error {
		u, ok := tx.(registerSealer)
		if !ok {
			return cleared.Unavailablef("this store does not seal its registers")
		}
		var err error
		if rows, err = u.SealRegisters(); err != nil {
			return err
		}
		keys, err = u.UpgradeContentKeys(func(p cleared.Piece, kek string, wrapped []byte) (string, []byte, error) {
			old := keyring.Sealed{KEK: kek, WrappedKey: wrapped}
			b := keyring.BindingOf(p)
			up, err := s.ring.UpgradeWrap(p.ID, b, old)
			if errors.Is(err, keyring.ErrCorrupt) {
				up, err = s.ring.Rewrap(p.ID, b, b, old) // already in the new form
			}
			return up.KEK, up.WrappedKey, err
		})
		if err != nil {
			return err
		}
		x.Payload = map[string]int{"rows": rows, "content_keys": keys}
		return nil
	})
	return rows, keys, err
}
