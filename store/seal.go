package store

import "github.com/cleared/cleared"

// TamperedError says that a sealed row failed its check: its MAC (architecture, principle 9) does not match what
// the row holds, or it has none, so it was written or changed outside cleared. The row is not used: a single-row
// read answers this error, of kind cleared.ErrUnavailable (fail closed: nothing the row would allow is allowed), and
// a list leaves the row out. Either way the store raises it as a possible compromise (A13.1) through its tamper
// hook. It names the table and the row's key, never the row's values.
type TamperedError struct {
	Table string
	Key   string
}

func (e *TamperedError) Error() string {
	return "store: row " + e.Table + " " + e.Key +
		" fails its seal check (altered outside cleared, possible compromise A13.1): not used"
}

// Is makes a TamperedError of kind cleared.ErrUnavailable.
func (e *TamperedError) Is(target error) bool { return target == cleared.ErrUnavailable }

// SealedTables lists the tables whose rows carry a MAC, in the order they are created.
var SealedTables = []string{
	"organisations", "persons", "security_officers", "clearances", "authorities", "delegations", "dossiers",
	"places", "pieces", "grants", "terminals", "channels", "tokens", "equivalence_tables", "accounts", "sessions",
	"webauthn_credentials", "terminal_certificates",
	// Issue 18: copies (A9.4) and inventories (A13.1).
	"copy_requests", "copies", "inventories", "inventory_items",
	"piece_markings",
	"rule_profiles", "law_parameters",
	"signing_cas", "signing_certificates", "destructions", "destruction_signatures",
	"dossier_levels",         // issue 18
	"deliveries", "webhooks", // issue 19: notifications (A13.1)
	// Issue 19: transmissions (A11.1, A11.2, S2).
	"crypto_products", "addressees", "transmissions",
	// Issue 19: judicial orders (A9.5).
	"judicial_orders",
	// Issue 20: posts and contracts decide who is flagged and the ceiling of a clearance (A14.1, A16.1); the
	// exemptions decide who needs none.
	"posts", "contracts", "assignments", "exemption_categories", "exemption_memberships",
	"incidents", "incident_notifications", "incident_notes", // issue 19: incidents (A13.1 to A13.3)
	"vetting_cases",         // issue 20: who sees a case and when it closes for non-cooperation (A25.1, A26.1)
	"renewal_reminders",     // issue 20: renewal reminders sent (A17.1)
	"opinions",              // issue 20: the commission's opinions (A27.2)
	"vetting_investigators", // issue 20: the NSA officers on a case, who alone read its investigation (A24.1)
	// Issue 20: who sits on the commission and what is referred to it (A27.3, A27.4).
	"commission_seats", "commission_referrals",
	// Issue 20: decisions (whether the person is told, A27.1) and suspensions (what a lift restores, A27.1).
	"vetting_decisions", "clearance_suspensions",
	// Issue 20: whether a clearance is active and its next briefing due; who may read a report (A18.1).
	"clearance_briefings", "circumstance_reports",
	"facility_organs", "facility_means", // issue 20: what a facility clearance is granted on (A15.1, A21.2)
	"vetting_retention", // issue 20: a hold's review date and a case's purge (A23.2)
	// Issue 21: who receives shared products, and what reaches whom (S1, A11.2).
	"partners", "releases",
	"sources", "receipts", // issue 21: what is pulled from partners and what was received (S1, A6.1)
	"inbox_items", // issue 21 §3: what partners send, waiting for a classifying authority (S1, A5.1)
}
