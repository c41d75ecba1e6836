package testenv

import (
	"crypto/tls"
	"encoding/hex"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/demo"
	"github.com/cleared/cleared/keyring/pki"
	"github.com/cleared/cleared/sharing"
)

// SharingWorld is the demo world's partners and products (issue 21, internal/demo/sharing.go): a NATO service that reads up to SECRET over
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
func Product(title string, n int) []byte { return demo.ProductContent(title, n) }

// NewSharingWorld loads the demo's sharing chapter (internal/demo/sharing.go) and gives its partners client certificates issued by ca (nil:
// a CA of its own), recorded in their records, and returns them with the demo's products and releases.
func NewSharingWorld(t testing.TB, e *Env, ca *pki.CA) *SharingWorld {
	t.Helper()
	w := e.World
	if ca == nil {
		var err error
		if ca, err = pki.NewCA("cleared test partners CA", time.Now().Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if w.NATOPartner.Organisation == "" {
		sv := e.Services()
		sv.Sharing = e.Share
		if err := demo.LoadSharing(e.Ctx, sv, e.Now(), w); err != nil {
			t.Fatal(err)
		}
	}
	nsa := cleared.Actor{Person: w.Helene.ID}
	certify := func(p cleared.Partner) (cleared.Partner, tls.Certificate) {
		t.Helper()
		certPEM, keyPEM, _, fp, err := ca.IssuePartner(p.Organisation, time.Now().Add(-time.Minute), 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		cert, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			t.Fatal(err)
		}
		p, err = e.Share.RecordPartner(e.Ctx, nsa, p.Organisation, sharing.NewPartner{Scheme: p.Scheme, MaxLevel: p.MaxLevel, Groups: p.Groups,
			Channels: p.Channels, Certificates: []string{hex.EncodeToString(fp)}, ACS: p.ACS, AccreditedFrom: p.AccreditedFrom})
		if err != nil {
			t.Fatalf("partner %s: %v", p.Name, err)
		}
		return p, cert
	}
	sw := &SharingWorld{Originator: cleared.Actor{Person: w.Paul.ID, Terminal: w.OfficeTerm.ID},
		Approver:    cleared.Actor{Person: w.Director.ID, Terminal: w.ZoneTerm.ID},
		SecretPiece: w.SecretProduct, ConfidentialPiece: w.ConfidentialProduct, OpenPiece: w.OpenProduct,
		SecretRelease: w.SecretRelease, ConfidentialRelease: w.ConfidentialRelease, OpenRelease: w.OpenRelease}
	sw.NATO, sw.NATOCert = certify(w.NATOPartner)
	sw.EU, sw.EUCert = certify(w.EUPartner)
	sw.CERT, sw.CERTCert = certify(w.CERTPartner)
	return sw
}
