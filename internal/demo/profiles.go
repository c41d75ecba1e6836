package demo

import "github.com/cleared/cleared"

// MinistryProfile is the name of the Ministry of Foreign Affairs' own rule profile in the demo.
const MinistryProfile = "MAEE"

// loadProfiles records the Ministry of Foreign Affairs' own rules (A1.1), more rigorous than the law's: copies
// numbered and destructions reported from CONFIDENTIEL, pieces of SECRET and above inventoried every year. The EU
// and NATO profiles were recorded with the database (registry.Bootstrap).
func loadProfiles(l *loader, w *World) {
	do(l, "profile "+MinistryProfile, func() (cleared.RuleProfile, error) {
		return l.sv.Registry.RecordProfile(l.ctx, cleared.Actor{Person: w.Helene.ID}, cleared.RuleProfile{
			Name: MinistryProfile, Version: 1, EffectiveFrom: l.years(1),
			Note:  "Instruction ministérielle sur la protection des pièces classifiées",
			Scope: cleared.ProfileScope{Organisations: []cleared.OrganisationID{w.Ministry.ID}},
			Rules: []cleared.ProfileRule{
				{Kind: cleared.RuleCopyNumber, From: "CONFIDENTIAL"},
				{Kind: cleared.RuleDestructionReport, From: "CONFIDENTIAL"},
				{Kind: cleared.RuleInventory, From: "SECRET", Months: 12},
			}})
	})
}
