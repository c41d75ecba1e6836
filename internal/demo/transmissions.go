package demo

import (
	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// loadTransmissions: the NSA approves a cryptographic product for two years and accredits two channels it
// protects, one up to SECRET and one up to CONFIDENTIEL (A11.1); it records that the national recipients accept
// the SECRET channel (S2); Sophie, who follows the contract, sends Paul's specification of the encryption system to the Office for Export
// Controls for an export-control risk assessment, and the OCEIT has not confirmed its receipt yet (A11.2).
func loadTransmissions(l *loader, w *World) {
	ctx, s, now := l.ctx, l.sv.Registry, l.now
	nsa := cleared.Actor{Person: w.Helene.ID}
	w.Product = do(l, "crypto product", func() (cleared.CryptoProduct, error) {
		return s.RegisterCryptoProduct(ctx, nsa, registry.NewCryptoProduct{Name: "Chiffreur IP LUXCRYPT 3",
			Reference: "ANS-AGR-2025-012", ApprovedFrom: l.years(1), ApprovedUntil: now.AddDate(2, 0, 0)})
	})
	channel := func(name string, lv cleared.Level) cleared.Channel {
		return do(l, "channel "+name, func() (cleared.Channel, error) {
			return s.RegisterChannel(ctx, nsa, registry.NewChannel{Name: name, MaxLevel: lv, Product: w.Product.ID,
				From: l.years(1), Until: now.AddDate(3, 0, 0)})
		})
	}
	w.SecretChannel = channel("Réseau gouvernemental chiffré (SECRET)", cleared.Secret)
	w.ConfidentialChannel = channel("Messagerie sécurisée (CONFIDENTIEL)", cleared.Confidential)

	orgs := do(l, "list organisations", func() ([]cleared.Organisation, error) { return s.Organisations(ctx, nsa, "", 50) })
	byName := map[string]cleared.Organisation{}
	for _, o := range orgs {
		byName[o.Name] = o
	}
	for _, r := range registry.NationalRecipients {
		o := byName[r.Name]
		switch r.Type {
		case cleared.StateProsecutor:
			w.Parquet = o
		case cleared.ExportControlOffice:
			w.ExportControl = o
		case cleared.Customs:
			w.Customs = o
		}
		do(l, "channels of "+r.Name, func() (cleared.Addressee, error) {
			return s.RecordAddressee(ctx, nsa, o.ID, registry.NewAddressee{Type: r.Type, Basis: r.Basis, Scope: r.Scope,
				Channels: []cleared.ChannelID{w.SecretChannel.ID}})
		})
	}
	sent := do(l, "Sophie sends the specification to the OCEIT", func() (registry.Sent, error) {
		return s.Transmit(ctx, cleared.Actor{Person: w.Sophie.ID, Terminal: w.ZoneTerm.ID}, w.Confidential.ID, registry.NewTransmission{
			ToOrganisation: w.ExportControl.ID, Channel: w.SecretChannel.ID, Purpose: "export_control",
			Note: "Évaluation du risque à l'exportation du système de chiffrement"})
	})
	w.Sent = sent.Transmission
}
