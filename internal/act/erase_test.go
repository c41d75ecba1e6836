package act_test

import (
	"testing"

	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/internal/act"
)

// TestAuditErasePayload_IsWhatVerifyAccountsFor: audit.Verify requires an entry of action audit.ActionErasePayload
// for every erased payload (A23.2), so the runner's action must be that one.
func TestAuditErasePayload_IsWhatVerifyAccountsFor(t *testing.T) {
	if string(act.AuditErasePayload) != audit.ActionErasePayload {
		t.Errorf("act.AuditErasePayload = %q, audit.ActionErasePayload = %q", act.AuditErasePayload, audit.ActionErasePayload)
	}
}
