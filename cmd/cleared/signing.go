package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/keyring/sign"
)

// signingCAFile is the copy of the signing CA's certificate in the data folder, for verifiers (GET /api/ca serves
// the same): the key ring holds the CA itself.
const signingCAFile = "signing-ca.pem"

// ensureSigningCA makes cleared's signing CA (E2) in the ring if it holds none, and writes its certificate into
// the data folder dir. It reports whether it made one: the caller then saves the ring, or the CA would not outlive
// the process and the signatures it made would no longer chain to what the next start serves.
func ensureSigningCA(ring *keyring.Ring, dir string, now time.Time) (bool, error) {
	ca, made, err := sign.Ensure(ring, now)
	if err != nil {
		return false, fmt.Errorf("signing CA: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, signingCAFile), ca.CertPEM(), 0o644); err != nil {
		return made, fmt.Errorf("write the signing CA's certificate: %w", err)
	}
	return made, nil
}

// saveSigningCA is ensureSigningCA for a data folder made before signatures: the CA is made once, at the first
// start that lacks it, and the ring saved with it.
func saveSigningCA(ring *keyring.Ring, path string, pass []byte, c serviceConfig) error {
	made, err := ensureSigningCA(ring, filepath.Dir(path), time.Now())
	if err != nil || !made {
		return err
	}
	if err := keyring.Save(path, ring, pass); err != nil {
		return fmt.Errorf("save the key ring with its new signing CA: %w", err)
	}
	logger(c).Warn("signatures: the key ring had no signing CA; made one and saved the ring", "certificate", filepath.Join(filepath.Dir(path), signingCAFile))
	return nil
}
