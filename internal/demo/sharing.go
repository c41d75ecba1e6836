package demo

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/sharing"
)

// loadSharing (issue 21, S1, A6.1, A11.1): the NSA records three partners: the NATO Office of Security, which reads
// up to SECRET in NATO markings over the SECRET channel; the EU's Intelligence and Situation Centre, up to
// CONFIDENTIEL in EU markings over the CONFIDENTIEL one; and the national CERT, which reads TLP only. Paul (SRE)
// classified three products on the ORAGE network and released them: the SECRET one to NATO, approved by the SRE's
// director (four eyes); the CONFIDENTIEL one to the "alliance" group, TLP:AMBER; and a declassified indicator set to
// the alliance and the CERTs, TLP:GREEN, PAP:GREEN. The partners have no certificate yet: `cleared partner issue`
// gives one (README tour).
func loadSharing(l *loader, w *World) {
	ctx, s, sh, now := l.ctx, l.sv.Registry, l.sv.Sharing, l.now
	if sh == nil {
		return
	}
	nsa := cleared.Actor{Person: w.Helene.ID}
	partner := func(name, country string, kind cleared.OrganisationKind, scheme cleared.Scheme, lv cleared.Level, ch cleared.ChannelID, group string) cleared.Partner {
		org := do(l, "organisation "+name, func() (cleared.Organisation, error) {
			return s.RegisterOrganisation(ctx, nsa, registry.NewOrganisation{Name: name, Kind: kind, Country: country})
		})
		return do(l, "partner "+name, func() (cleared.Partner, error) {
			return sh.RecordPartner(ctx, nsa, org.ID, sharing.NewPartner{Scheme: scheme, MaxLevel: lv, Groups: []string{group},
				Channels: []cleared.ChannelID{ch}, AccreditedFrom: l.years(1)})
		})
	}
	w.NATOPartner = partner("NATO Office of Security", "BE", cleared.ForeignPartner, cleared.SchemeNATO, cleared.Secret, w.SecretChannel.ID, "alliance")
	w.EUPartner = partner("EU Intelligence and Situation Centre", "BE", cleared.ForeignPartner, cleared.SchemeEU, cleared.Confidential, w.ConfidentialChannel.ID, "alliance")
	w.CERTPartner = partner("CERT national", "LU", cleared.PublicBody, cleared.SchemeTLP, cleared.Unclassified, w.ConfidentialChannel.ID, "cert")

	paul := cleared.Actor{Person: w.Paul.ID, Terminal: w.OfficeTerm.ID}
	classify := func(title string, lv cleared.Level, n int) cleared.Piece {
		return do(l, "classify "+title, func() (cleared.Piece, error) {
			return s.Classify(ctx, paul, registry.NewPiece{Authority: w.PaulAuth.ID, Kind: cleared.Electronic, Title: title, Level: lv,
				Reasons: []cleared.Reason{cleared.ReasonSecurity, cleared.ReasonInternational}, ReviewOn: now.AddDate(2, 0, 0),
				Content: ProductContent(title, n), ContentType: "application/json"})
		})
	}
	release := func(p cleared.Piece, in sharing.NewRelease) cleared.Release {
		r := do(l, "release "+p.Title, func() (cleared.Release, error) { return sh.Release(ctx, paul, p.ID, in) })
		if r.State == cleared.ReleaseProposed {
			r = do(l, "approve "+p.Title, func() (cleared.Release, error) {
				return sh.Approve(ctx, cleared.Actor{Person: w.Director.ID, Terminal: w.ZoneTerm.ID}, r.ID)
			})
		}
		return r
	}
	w.SecretProduct = classify("ORAGE : infrastructure de commande", cleared.Secret, 4)
	w.ConfidentialProduct = classify("ORAGE : vague d'hameçonnage", cleared.Confidential, 6)
	// A product for CERTs is declassified first: cleared classifies at one of four levels (A4.1), and a TLP reader
	// receives only what is no longer classified (A6.1).
	open := classify("ORAGE : indicateurs publics", cleared.Restricted, 10)
	w.OpenProduct = do(l, "declassify "+open.Title, func() (cleared.Piece, error) {
		return s.Declassify(ctx, paul, open.ID, registry.Declassification{Reason: "Indicateurs observés en sources ouvertes"})
	})
	w.SecretRelease = release(w.SecretProduct, sharing.NewRelease{Sets: []cleared.ReleasabilitySet{{Partners: []cleared.OrganisationID{w.NATOPartner.Organisation}}}})
	w.ConfidentialRelease = release(w.ConfidentialProduct, sharing.NewRelease{Sets: []cleared.ReleasabilitySet{{Groups: []string{"alliance"}}}, TLP: cleared.TLPAmber})
	w.OpenRelease = release(w.OpenProduct, sharing.NewRelease{Sets: []cleared.ReleasabilitySet{{Groups: []string{"alliance"}}, {Groups: []string{"cert"}}},
		TLP: cleared.TLPGreen, PAP: cleared.PAPGreen})
}

// ProductContent returns the JSON content of a product with n indicators: addresses and command servers.
func ProductContent(title string, n int) []byte {
	p := cleared.Product{Title: title, Summary: "Évaluation : " + title + ".", Labels: []string{"orage"}}
	for i := range n {
		in := cleared.Indicator{Type: "ip-dst", Value: "198.51.100." + strconv.Itoa(i%250+1), ToIDS: true}
		if i%2 == 1 {
			in = cleared.Indicator{Type: "domain", Value: "c2-" + strconv.Itoa(i) + ".orage.example", Comment: "C2"}
		}
		p.Indicators = append(p.Indicators, in)
	}
	b, err := json.Marshal(p)
	if err != nil {
		panic(err)
	}
	return b
}

// LoadSharing loads the sharing chapter into a world loaded without it (Services.Sharing nil): the tests of other
// chapters count the demo's pieces and organisations without these, and the tests of sharing add them.
func LoadSharing(ctx context.Context, sv Services, now time.Time, w *World) error {
	l := &loader{ctx: ctx, sv: sv, now: now}
	loadSharing(l, w)
	return l.err
}
