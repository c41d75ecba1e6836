package policy

import "github.com/cleared/cleared"

// Decision is the answer of a rule: allowed, or denied by Rule for Reason.
type Decision struct {
	Allowed bool
	// Rule is the requirement ID that refused (e.g. "A9.4"); empty when allowed.
	Rule string
	// Reason says why, in a sentence a user can act on; empty when allowed.
	Reason string
	// Hidden is set on a refusal where the subject may not know that the object exists (no clearance at its level
	// or no need-to-know): the service answers not-found, never forbidden.
	Hidden bool
	// Order is set on a read allowed by a judicial order rather than by clearance and need-to-know (Consult,
	// A9.5): the read says so, to the reader and in the audit log.
	Order *cleared.JudicialOrderRef
}

// Allow is the allowing decision.
var Allow = Decision{Allowed: true}

func deny(rule, reason string) Decision { return Decision{Rule: rule, Reason: reason} }

func hidden(rule, reason string) Decision { return Decision{Rule: rule, Reason: reason, Hidden: true} }

// Err returns nil when d allows, cleared.ErrNotFound when d hides the object, and a *cleared.ErrForbidden naming
// the rule otherwise.
func (d Decision) Err() error {
	switch {
	case d.Allowed:
		return nil
	case d.Hidden:
		return cleared.ErrNotFound
	}
	return &cleared.ErrForbidden{Rule: d.Rule, Reason: d.Reason}
}

// first returns the first refusal among ds, or Allow.
func first(ds ...Decision) Decision {
	for _, d := range ds {
		if !d.Allowed {
			return d
		}
	}
	return Allow
}

// NotKnown is the refusal of an object that does not exist or that the subject may not know exists (A9.1): the two
// must read the same, so they are one decision.
func NotKnown() Decision {
	return hidden("A9.1", "no such object, or not the actor's to know")
}
