package policy

import (
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
)

// now is the fixed moment every table decides at.
var now = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

// clearance returns a person clearance of level l issued at issued, active.
func clearance(p cleared.PersonID, l cleared.Level, issued time.Time) cleared.Clearance {
	return cleared.Clearance{ID: cleared.NewClearanceID(), HolderKind: cleared.HolderPerson, PersonID: p, Level: l,
		Issued: issued, Expires: ClearanceExpiry(l, issued), Status: cleared.ClearanceActive}
}

func withStatus(c cleared.Clearance, s cleared.ClearanceStatus) cleared.Clearance {
	c.Status = s
	return c
}

// allow and refuse describe the expected decision; hide is a hidden refusal.
func allow() Decision             { return Allow }
func refuse(rule string) Decision { return Decision{Rule: rule} }
func hide(rule string) Decision   { return Decision{Rule: rule, Hidden: true} }
func checkDecision(t *testing.T, got, want Decision) {
	t.Helper()
	switch {
	case got.Allowed != want.Allowed:
		if want.Allowed {
			t.Fatalf("want allowed, got refused by %s: %s", got.Rule, got.Reason)
		}
		t.Fatalf("want refused by %s, got allowed", want.Rule)
	case got.Allowed:
		return
	case got.Rule != want.Rule:
		t.Fatalf("want refused by %s, got refused by %s: %s", want.Rule, got.Rule, got.Reason)
	case got.Hidden != want.Hidden:
		t.Fatalf("refused by %s with hidden=%v, want hidden=%v", got.Rule, got.Hidden, want.Hidden)
	case got.Reason == "":
		t.Fatalf("refusal by %s gives no reason", got.Rule)
	}
}

func TestDecisionErr(t *testing.T) {
	if Allow.Err() != nil {
		t.Fatal("Allow.Err() is not nil")
	}
	err := refuse("A9.4").Err()
	if f, ok := err.(*cleared.ErrForbidden); !ok || f.Rule != "A9.4" {
		t.Fatalf("refusal error = %v, want *ErrForbidden for A9.4", err)
	}
	if err := hide("A9.1").Err(); err != cleared.ErrNotFound {
		t.Fatalf("hidden refusal error = %v, want ErrNotFound", err)
	}
	if !strings.Contains((&cleared.ErrForbidden{Rule: "A8.2", Reason: "x"}).Error(), "A8.2") {
		t.Fatal("ErrForbidden message does not name the rule")
	}
}

// A9.1: a missing object and one the actor may not know exist read the same, a hidden refusal with a reason.
func TestNotKnownA9_1(t *testing.T) {
	checkDecision(t, NotKnown(), hide("A9.1"))
	if NotKnown().Err() != cleared.ErrNotFound {
		t.Fatal("NotKnown is not answered as not found")
	}
}
