package testenv

import (
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/keyring/pki"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/sharing"
)

// SharingWorld is the demo world's partners and products (issue 21): a NATO service that reads up to SECRET over
// the SECRET channel, an EU body up to CONFIDENTIEL over the CONFIDENTIEL one, and a CERT that reads TLP only; each
// with a client certificate from ca. Paul (SRE) classified three products and released them: Secret to NATO
// (approved by the SRE's director, four eyes), Confidential to NATO and the EU, and an unclassified indicator set
// marked TLP:GREEN to everyone.
type SharingWorld struct {
	NATO, EU, CERT             cleared.Partner
	NATOCert, EUCert, CERTCert tls.Certificate
	// Originator classifies and releases (Paul at his terminal); Approver is the second person (the director).
	Originator, Approver cleared.Actor
	// Products, and their releases in the order above.
	SecretPiece, ConfidentialPiece, OpenPiece       cleared.Piece
	SecretRelease, ConfidentialRelease, OpenRelease cleared.Release
}

// Product returns the JSON content of a product with n indicators.
func Product(title string, n int) []byte {
	p := cleared.Product{Title: title, Summary: "Assessment of " + title + ".", Labels: []string{"apt"}}
	for i := range n {
		p.Indicators = append(p.Indicators, cleared.Indicator{Type: "ip-dst", Value: "198.51.100." + strconv.Itoa(i%250+1), ToIDS: true})
		if i%2 == 1 {
			p.Indicators[i] = cleared.Indicator{Type: "domain", Value: "c2-" + strconv.Itoa(i) + ".example.org", Comment: "C2"}
		}
	}
	b, err := json.Marshal(p)
	if err != nil {
		panic(err)
	}
	return b
}

// NewSharingWorld records the partners and releases the products of SharingWorld in e, issuing the partners'
// certificates from ca (nil: a CA of its own).
func NewSharingWorld(t testing.TB, e *Env, ca *pki.CA) *SharingWorld {
	t.Helper()
	w := e.World
	if ca == nil {
		var err error
		if ca, err = pki.NewCA("cleared test partners CA", time.Now().Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	nsa := cleared.Actor{Person: w.Helene.ID}
	sw := &SharingWorld{Originator: cleared.Actor{Person: w.Paul.ID, Terminal: w.OfficeTerm.ID},
		Approver: cleared.Actor{Person: w.Director.ID, Terminal: w.ZoneTerm.ID}}
	partner := func(name string, scheme cleared.Scheme, lv cleared.Level, ch cleared.ChannelID, groups ...string) (cleared.Partner, tls.Certificate) {
		t.Helper()
		org, err := e.Reg.RegisterOrganisation(e.Ctx, nsa, registry.NewOrganisation{Name: name, Kind: cleared.ForeignPartner, Country: "BE"})
		if err != nil {
			t.Fatalf("organisation %s: %v", name, err)
		}
		certPEM, keyPEM, _, fp, err := ca.IssuePartner(org.ID, time.Now().Add(-time.Minute), 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		cert, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			t.Fatal(err)
		}
		p, err := e.Share.RecordPartner(e.Ctx, nsa, org.ID, sharing.NewPartner{Scheme: scheme, MaxLevel: lv, Groups: groups,
			Channels: []cleared.ChannelID{ch}, Certificates: []string{hex.EncodeToString(fp)},
			AccreditedFrom: e.Clock.Now().AddDate(-1, 0, 0)})
		if err != nil {
			t.Fatalf("partner %s: %v", name, err)
		}
		return p, cert
	}
	sw.NATO, sw.NATOCert = partner("NATO Office of Security", cleared.SchemeNATO, cleared.Secret, w.SecretChannel.ID, "alliance")
	sw.EU, sw.EUCert = partner("EU Intelligence and Situation Centre", cleared.SchemeEU, cleared.Confidential, w.ConfidentialChannel.ID, "alliance")
	sw.CERT, sw.CERTCert = partner("CERT partenaire", cleared.SchemeTLP, cleared.Unclassified, w.ConfidentialChannel.ID, "cert")

	classify := func(title string, lv cleared.Level, n int) cleared.Piece {
		t.Helper()
		p, err := e.Reg.Classify(e.Ctx, sw.Originator, registry.NewPiece{Authority: w.PaulAuth.ID, Kind: cleared.Electronic,
			Title: title, Level: lv, Reasons: []cleared.Reason{cleared.ReasonSecurity, cleared.ReasonInternational},
			ReviewOn: e.Clock.Now().AddDate(2, 0, 0), Content: Product(title, n), ContentType: "application/json"})
		if err != nil {
			t.Fatalf("classify %s: %v", title, err)
		}
		return p
	}
	release := func(p cleared.Piece, in sharing.NewRelease) cleared.Release {
		t.Helper()
		r, err := e.Share.Release(e.Ctx, sw.Originator, p.ID, in)
		if err != nil {
			t.Fatalf("release %s: %v", p.Title, err)
		}
		if r.State == cleared.ReleaseProposed {
			if r, err = e.Share.Approve(e.Ctx, sw.Approver, r.ID); err != nil {
				t.Fatalf("approve %s: %v", p.Title, err)
			}
		}
		return r
	}
	sw.SecretPiece = classify("ORAGE network: infrastructure", cleared.Secret, 4)
	sw.ConfidentialPiece = classify("ORAGE network: phishing wave", cleared.Confidential, 6)
	// A product for CERTs is declassified first: cleared classifies at one of four levels (A4.1), and a TLP reader
	// receives only what is no longer classified (A6.1).
	sw.OpenPiece = classify("ORAGE network: public indicators", cleared.Restricted, 10)
	var err error
	if sw.OpenPiece, err = e.Reg.Declassify(e.Ctx, sw.Originator, sw.OpenPiece.ID, registry.Declassification{Reason: "indicators observed in the open"}); err != nil {
		t.Fatalf("declassify: %v", err)
	}
	sw.SecretRelease = release(sw.SecretPiece, sharing.NewRelease{Sets: []cleared.ReleasabilitySet{{Partners: []cleared.OrganisationID{sw.NATO.Organisation}}}})
	sw.ConfidentialRelease = release(sw.ConfidentialPiece, sharing.NewRelease{Sets: []cleared.ReleasabilitySet{{Groups: []string{"alliance"}}}, TLP: cleared.TLPAmber})
	sw.OpenRelease = release(sw.OpenPiece, sharing.NewRelease{Sets: []cleared.ReleasabilitySet{{Groups: []string{"alliance"}}, {Groups: []string{"cert"}}},
		TLP: cleared.TLPGreen, PAP: cleared.PAPGreen})
	return sw
}
