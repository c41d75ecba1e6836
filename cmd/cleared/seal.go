package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
)

// Sealed registers (architecture, principle 9; issue 17): the store seals every register row with the key ring's
// register key and checks it on every read. This file gives the store that key, wires what the store raises
// (a row that fails its check) to the log, the metrics and the audit log, and upgrades a database made before.

// sealable is the store's side of sealed registers (store/sqlstore.Store).
type sealable interface {
	SetSealKey(key []byte) error
	SetTamperHook(func(table, key string))
}

// sealStore gives db the ring's register key and the hook that raises a row failing its check. It reports false
// when the ring holds no register key yet (see upgradeRegisters).
func sealStore(db store.Store, ring *keyring.Ring, reg *registry.Service, c serviceConfig) (bool, error) {
	s, ok := db.(sealable)
	if !ok {
		return false, fmt.Errorf("the store does not seal its registers")
	}
	s.SetTamperHook(tamperHook(c.log, c.tampered, reg))
	key, ok := ring.Secret(keyring.RegisterKey)
	if !ok {
		return false, nil
	}
	return true, s.SetSealKey(key)
}

// openSealed is sealStore for a store whose data are already there: when the ring has no register key yet, it
// upgrades the database (upgradeRegisters).
func openSealed(ctx context.Context, sv services, ring *keyring.Ring, path string, pass []byte, c serviceConfig) error {
	ok, err := sealStore(sv.db, ring, sv.reg, c)
	if err != nil {
		return err
	}
	if !ok {
		if err := upgradeRegisters(ctx, sv, ring, path, pass, c); err != nil {
			return err
		}
	}
	if err := saveSigningCA(ring, path, pass, c); err != nil {
		return err
	}
	return saveWebhookKey(ring, path, pass, c) // notify.go
}

// upgradeRegisters is the one-time step of a database made before sealed registers (or sealed under a key the ring
// never kept): it makes the register key, seals every row and re-wraps every content key in one audited
// transaction (register.seal), then saves the ring with the key. Once the ring holds the key, a row without a MAC
// is a row altered outside cleared. If the ring cannot be saved, the next start does the whole step again with a
// new key.
func upgradeRegisters(ctx context.Context, sv services, ring *keyring.Ring, path string, pass []byte, c serviceConfig) error {
	key := ring.NewRegisterKey()
	if err := sv.db.(sealable).SetSealKey(key); err != nil {
		return err
	}
	rows, keys, err := sv.reg.SealRegisters(ctx)
	if err != nil {
		return fmt.Errorf("upgrade to sealed registers: %w", err)
	}
	if err := keyring.Save(path, ring, pass); err != nil {
		return fmt.Errorf("upgrade to sealed registers: save the key ring with its register key: %w", err)
	}
	logger(c).Warn("sealed registers: the key ring had no register key; made one, sealed every register row and re-wrapped every content key (recorded in the audit log as register.seal)",
		"rows", rows, "content_keys", keys)
	return nil
}

func logger(c serviceConfig) *slog.Logger {
	if c.log != nil {
		return c.log
	}
	return slog.Default()
}

// tamperHook returns what the store calls for a row that failed its check: an ERROR log line, the metric, and an
// audit entry (register.tampered, A13.1), appended from a goroutine of its own since the store may call the hook
// from inside its writer. A row read again and again is recorded once a minute, not at every read.
func tamperHook(log *slog.Logger, count func(table string), reg *registry.Service) func(table, key string) {
	if log == nil {
		log = slog.Default()
	}
	var mu sync.Mutex
	last := map[string]time.Time{}
	return func(table, key string) {
		log.Error("register row failed its seal check: altered outside cleared, possible compromise; report it as a security incident (A13.1)",
			"table", table, "key", key)
		if count != nil {
			count(table)
		}
		mu.Lock()
		k := table + "/" + key
		recent := time.Since(last[k]) < time.Minute
		if !recent {
			if len(last) > 10000 {
				clear(last)
			}
			last[k] = time.Now()
		}
		mu.Unlock()
		if recent || reg == nil {
			return
		}
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := reg.RecordTampering(ctx, table, key); err != nil {
				log.Error("could not record a tampered register row in the audit log", "table", table, "key", key, "err", err)
			}
		}()
	}
}
