package cleared_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/cleared/cleared"
)

func TestIDs(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := cleared.NewPieceID()
		if err := id.Validate(); err != nil {
			t.Fatalf("fresh ID %s invalid: %v", id, err)
		}
		if seen[string(id)] {
			t.Fatalf("duplicate ID %s", id)
		}
		seen[string(id)] = true
	}
	bad := []string{"", "pce_", "per_" + strings.Repeat("a", 26), "pce_" + strings.Repeat("a", 25), "pce_" + strings.Repeat("A", 26),
		"pce_" + strings.Repeat("1", 26), "pce_" + strings.Repeat("a", 27), "1", "pce_../../etc/passwd/aaaaaaaaaaaa"}
	for _, s := range bad {
		if err := cleared.PieceID(s).Validate(); !errors.Is(err, cleared.ErrInvalid) {
			t.Errorf("PieceID(%q).Validate() = %v, want ErrInvalid", s, err)
		}
	}
	// A person ID is not a piece ID.
	if err := cleared.PieceID(cleared.NewPersonID()).Validate(); err == nil {
		t.Error("a person ID validated as a piece ID")
	}
}

func FuzzIDValidate(f *testing.F) {
	f.Add(string(cleared.NewPieceID()))
	f.Add("pce_\x00")
	f.Fuzz(func(t *testing.T, s string) {
		err := cleared.PieceID(s).Validate()
		if err == nil && (len(s) != 30 || !strings.HasPrefix(s, "pce_")) {
			t.Fatalf("accepted %q", s)
		}
		if err != nil && !errors.Is(err, cleared.ErrInvalid) {
			t.Fatalf("wrong kind: %v", err)
		}
	})
}

func TestErrorKinds(t *testing.T) {
	err := error(&cleared.ErrForbidden{Rule: "A9.4", Reason: "no consent"})
	var f *cleared.ErrForbidden
	if !errors.As(err, &f) || f.Rule != "A9.4" || !errors.Is(err, &cleared.ErrForbidden{}) {
		t.Fatal("ErrForbidden does not match its kind")
	}
	wrapped := error(nil)
	func() {
		defer cleared.Wrap(&wrapped, "classify %s", "pce_x")
		wrapped = cleared.Invalidf("bad")
	}()
	if !errors.Is(wrapped, cleared.ErrInvalid) || wrapped.Error() != "classify pce_x: bad" {
		t.Fatalf("Wrap gave %q", wrapped)
	}
	for _, e := range []error{cleared.Conflictf("x"), cleared.NotFoundf("x"), cleared.Unavailablef("x")} {
		if errors.Is(e, cleared.ErrInvalid) {
			t.Fatalf("%v matches ErrInvalid", e)
		}
	}
}

func TestValidUUID(t *testing.T) {
	for s, want := range map[string]bool{
		"5e1b9a0c-3f4e-4b7a-9d2e-1c0a8b6f7e21":    true,
		"5E1B9A0C-3F4E-4B7A-9D2E-1C0A8B6F7E21":    false, // not canonical: a file named so could collide on a case-blind disk
		"5e1b9a0c-3f4e-4b7a-9d2e-1c0a8b6f7e2":     false,
		"5e1b9a0c-3f4e-4b7a-9d2e-1c0a8b6f7e211":   false,
		"5e1b9a0c03f4e-4b7a-9d2e-1c0a8b6f7e21":    false,
		"../../../../etc/passwd-0000-0000-000000": false,
		"5e1b9a0c-3f4e-4b7a-9d2e-1c0a8b6f7e2g":    false,
		"":                                        false,
	} {
		if got := cleared.ValidUUID(s); got != want {
			t.Errorf("ValidUUID(%q) = %v, want %v", s, got, want)
		}
	}
}
