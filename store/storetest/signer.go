package storetest

import (
	"sync"
	"testing"

	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/store"
)

// auditSigned is a store that signs the audit log's heads (sqlstore.Store): without its signer it refuses every
// append.
type auditSigned interface {
	SetAuditSigner(signerKey string) error
}

// testKeys is the audit key pair of the suite's stores, made once per test binary.
var testKeys = sync.OnceValues(func() ([2]string, error) {
	s, v, err := audit.NewKey("cleared.test/audit")
	return [2]string{s, v}, err
})

// AuditKeys returns the audit log's signer and verifier keys that [Signed] gives a store: one pair per test
// binary, so that stores opened on one database (several server processes) share the log's key.
func AuditKeys(tb testing.TB) (signer, verifier string) {
	tb.Helper()
	k, err := testKeys()
	if err != nil {
		tb.Fatal(err)
	}
	return k[0], k[1]
}

// Signed gives s the suite's audit signer key (AuditKeys), as the server gives its store the key of the key ring,
// and returns it. A store that does not sign heads is returned unchanged.
func Signed[S store.Store](tb testing.TB, s S) S {
	tb.Helper()
	if a, ok := any(s).(auditSigned); ok {
		signer, _ := AuditKeys(tb)
		if err := a.SetAuditSigner(signer); err != nil {
			tb.Fatal(err)
		}
	}
	return s
}
