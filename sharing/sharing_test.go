package sharing_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/sharing"
)

func world(t *testing.T) (*testenv.Env, *testenv.SharingWorld) {
	t.Helper()
	e := testenv.New(t, testenv.Options{})
	return e, testenv.NewSharingWorld(t, e, nil)
}

func deliver(t *testing.T, e *testenv.Env, p cleared.Partner, after int64, limit int) ([]sharing.Item, bool) {
	t.Helper()
	items, more, err := e.Share.Deliver(e.Ctx, p, cleared.RouteTAXII, after, limit)
	if err != nil {
		t.Fatalf("deliver to %s: %v", p.Name, err)
	}
	return items, more
}

func pieces(items []sharing.Item) []cleared.PieceID {
	var out []cleared.PieceID
	for _, it := range items {
		out = append(out, it.Release.Piece)
	}
	return out
}

func TestDeliver_S1_A6_1_each_partner_receives_its_own_in_its_markings(t *testing.T) {
	e, sw := world(t)
	cases := []struct {
		name    string
		p       cleared.Partner
		want    []cleared.PieceID
		marking map[cleared.PieceID]string
	}{
		{"NATO up to SECRET", sw.NATO, []cleared.PieceID{sw.SecretPiece.ID, sw.ConfidentialPiece.ID, sw.OpenPiece.ID},
			map[cleared.PieceID]string{sw.SecretPiece.ID: "NATO SECRET", sw.ConfidentialPiece.ID: "NATO CONFIDENTIAL", sw.OpenPiece.ID: ""}},
		{"EU up to CONFIDENTIEL, not named in the SECRET set", sw.EU, []cleared.PieceID{sw.ConfidentialPiece.ID, sw.OpenPiece.ID},
			map[cleared.PieceID]string{sw.ConfidentialPiece.ID: "CONFIDENTIEL UE/EU CONFIDENTIAL"}},
		{"CERT, TLP only", sw.CERT, []cleared.PieceID{sw.OpenPiece.ID}, map[cleared.PieceID]string{sw.OpenPiece.ID: ""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			items, more := deliver(t, e, c.p, 0, 50)
			if got := pieces(items); !equal(got, c.want) || more {
				t.Fatalf("delivered %v (more %v), want %v", got, more, c.want)
			}
			for _, it := range items {
				if m, ok := c.marking[it.Release.Piece]; ok && it.Product.Marking != m {
					t.Errorf("%s marked %q for %s, want %q", it.Release.Piece, it.Product.Marking, c.p.Scheme, m)
				}
				if it.Product.Title == "" || len(it.Product.Indicators) == 0 || it.Product.UUID != sharing.ReleaseUUID(it.Release.ID) {
					t.Errorf("product %+v not rendered", it.Product)
				}
				if it.Product.Scheme != c.p.Scheme || it.Product.Level != it.Release.Level {
					t.Errorf("product in scheme %s at %s, want %s at %s", it.Product.Scheme, it.Product.Level, c.p.Scheme, it.Release.Level)
				}
			}
		})
	}
}

func equal(a, b []cleared.PieceID) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDeliver_S1_positions_page_without_skipping(t *testing.T) {
	e, sw := world(t)
	first, more := deliver(t, e, sw.NATO, 0, 2)
	if len(first) != 2 || !more {
		t.Fatalf("first page: %d items, more %v; want 2 and more", len(first), more)
	}
	rest, more := deliver(t, e, sw.NATO, first[1].Seq, 2)
	if len(rest) != 1 || more || rest[0].Release.Piece != sw.OpenPiece.ID {
		t.Fatalf("second page: %v, more %v; want the open piece alone", pieces(rest), more)
	}
	if none, more := deliver(t, e, sw.NATO, rest[0].Seq, 2); len(none) != 0 || more {
		t.Fatalf("after the last: %d items, more %v", len(none), more)
	}
	if _, _, err := e.Share.Deliver(e.Ctx, sw.NATO, cleared.RouteTAXII, -1, 2); !errors.Is(err, cleared.ErrInvalid) {
		t.Errorf("negative position: %v, want invalid", err)
	}
	if _, _, err := e.Share.Deliver(e.Ctx, sw.NATO, "carrier-pigeon", 0, 2); !errors.Is(err, cleared.ErrInvalid) {
		t.Errorf("unknown route: %v, want invalid", err)
	}
}

func TestDeliver_A11_2_first_delivery_is_a_transmission_to_the_partner(t *testing.T) {
	e, sw := world(t)
	recipients := func() []cleared.OrganisationID {
		t.Helper()
		sent, err := e.Reg.Recipients(e.Ctx, sw.Originator, sw.SecretPiece.ID)
		if err != nil {
			t.Fatal(err)
		}
		var out []cleared.OrganisationID
		for _, s := range sent {
			out = append(out, s.RecipientOrganisation)
		}
		return out
	}
	if got := recipients(); len(got) != 0 {
		t.Fatalf("recipients before any delivery: %v", got)
	}
	deliver(t, e, sw.NATO, 0, 50)
	deliver(t, e, sw.NATO, 0, 50) // fetched again by the same route: one transmission
	deliver(t, e, sw.EU, 0, 50)   // not in the SECRET piece's audience
	if got := recipients(); len(got) != 1 || got[0] != sw.NATO.Organisation {
		t.Fatalf("recipients of the SECRET product: %v, want NATO once", got)
	}
}

func TestRelease_S1_four_eyes_from_SECRET(t *testing.T) {
	e, sw := world(t)
	p := sw.SecretPiece
	r, err := e.Share.Release(e.Ctx, sw.Originator, p.ID, sharing.NewRelease{Sets: []cleared.ReleasabilitySet{{Groups: []string{"alliance"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if r.State != cleared.ReleaseProposed || len(r.Audience) != 0 {
		t.Fatalf("a SECRET release by one person: %s with audience %v, want proposed and no audience", r.State, r.Audience)
	}
	if _, err := e.Share.Approve(e.Ctx, sw.Originator, r.ID); !errors.Is(err, &cleared.ErrForbidden{}) {
		t.Fatalf("approved by its proposer: %v, want forbidden", err)
	}
	// Not delivered while proposed.
	items, _ := deliver(t, e, sw.EU, 0, 50)
	for _, it := range items {
		if it.Release.ID == r.ID {
			t.Fatal("a proposed release was delivered")
		}
	}
	r, err = e.Share.Approve(e.Ctx, sw.Approver, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.State != cleared.ReleaseReleased || r.ApprovedBy != sw.Approver.Person || len(r.Audience) != 2 {
		t.Fatalf("approved: %+v", r)
	}
	// The EU is in the audience but reads up to CONFIDENTIEL: still nothing SECRET reaches it (A11.1).
	items, _ = deliver(t, e, sw.EU, 0, 50)
	for _, it := range items {
		if it.Release.ID == r.ID {
			t.Fatal("a SECRET product was delivered to a partner cleared to CONFIDENTIEL")
		}
	}
}

func TestRevoke_S1_sent_again_revoked_only_to_those_who_had_it(t *testing.T) {
	e, sw := world(t)
	natoItems, _ := deliver(t, e, sw.NATO, 0, 50) // NATO had every product; the EU had none yet
	last := natoItems[len(natoItems)-1].Seq
	if _, err := e.Share.Revoke(e.Ctx, sw.Originator, sw.ConfidentialRelease.ID, "source withdrawn"); err != nil {
		t.Fatal(err)
	}
	items, _ := deliver(t, e, sw.NATO, last, 50)
	if len(items) != 1 || !items[0].Product.Revoked || items[0].Release.ID != sw.ConfidentialRelease.ID {
		t.Fatalf("NATO after the revocation: %+v, want the product revoked", items)
	}
	for _, it := range mustDeliver(t, e, sw.EU) {
		if it.Release.ID == sw.ConfidentialRelease.ID {
			t.Fatalf("the EU, which never received it, is told of the revoked product: %+v", it)
		}
	}
	if _, err := e.Share.Revoke(e.Ctx, sw.Originator, sw.ConfidentialRelease.ID, "again"); err == nil {
		t.Error("revoked twice")
	}
}

func mustDeliver(t *testing.T, e *testenv.Env, p cleared.Partner) []sharing.Item {
	items, _ := deliver(t, e, p, 0, 50)
	return items
}

func TestDeliver_S1_suspended_partner_receives_nothing(t *testing.T) {
	e, sw := world(t)
	nsa := cleared.Actor{Person: e.World.Helene.ID}
	in := sharing.NewPartner{Scheme: sw.EU.Scheme, MaxLevel: sw.EU.MaxLevel, Groups: sw.EU.Groups, Channels: sw.EU.Channels,
		Certificates: sw.EU.Certificates, AccreditedFrom: sw.EU.AccreditedFrom, Suspended: true}
	if _, err := e.Share.RecordPartner(e.Ctx, nsa, sw.EU.Organisation, in); err != nil {
		t.Fatal(err)
	}
	// The record given is the one it had when it authenticated: the service decides on the stored one.
	if _, _, err := e.Share.Deliver(e.Ctx, sw.EU, cleared.RouteTAXII, 0, 50); !errors.Is(err, &cleared.ErrForbidden{}) {
		t.Fatalf("suspended partner: %v, want forbidden", err)
	}
}

func TestPartners_S1_only_the_NSA_records_them(t *testing.T) {
	e, sw := world(t)
	in := sharing.NewPartner{Scheme: cleared.SchemeNATO, MaxLevel: cleared.TopSecret, Channels: sw.NATO.Channels}
	if _, err := e.Share.RecordPartner(e.Ctx, sw.Originator, sw.NATO.Organisation, in); !errors.Is(err, &cleared.ErrForbidden{}) {
		t.Fatalf("an analyst raised a partner's level: %v, want forbidden", err)
	}
	bad := []sharing.NewPartner{
		{Scheme: cleared.SchemeTLP, MaxLevel: cleared.Restricted, Channels: sw.NATO.Channels},
		{Scheme: cleared.SchemeNATO, MaxLevel: cleared.Secret},
		{Scheme: cleared.SchemeNATO, MaxLevel: cleared.Secret, Channels: sw.NATO.Channels, Certificates: []string{"not-hex"}},
		{Scheme: "MARS", MaxLevel: cleared.Secret, Channels: sw.NATO.Channels},
	}
	nsa := cleared.Actor{Person: e.World.Helene.ID}
	for i, in := range bad {
		if _, err := e.Share.RecordPartner(e.Ctx, nsa, sw.NATO.Organisation, in); !errors.Is(err, cleared.ErrInvalid) {
			t.Errorf("bad record %d: %v, want invalid", i, err)
		}
	}
}

func TestPartnerByCertificate_S1(t *testing.T) {
	e, sw := world(t)
	fp := make([]byte, 32)
	if _, err := e.Share.PartnerByCertificate(e.Ctx, fp); !errors.Is(err, cleared.ErrUnauthenticated) {
		t.Fatalf("unknown certificate: %v", err)
	}
	if _, err := e.Share.PartnerByCertificate(e.Ctx, fp[:5]); !errors.Is(err, cleared.ErrUnauthenticated) {
		t.Fatalf("short fingerprint: %v", err)
	}
	if last := e.Last(t, 1)[0]; last.Action != "partner.refused" {
		t.Errorf("the refusal is not in the audit log: last is %s", last.Action)
	}
	_ = sw
}

func TestExport_S1_A11_2(t *testing.T) {
	e, sw := world(t)
	it, err := e.Share.Export(e.Ctx, sw.Originator, sw.ConfidentialRelease.ID, sw.EU.Organisation)
	if err != nil {
		t.Fatal(err)
	}
	if it.Product.Marking != "CONFIDENTIEL UE/EU CONFIDENTIAL" || it.Product.Title != sw.ConfidentialPiece.Title {
		t.Fatalf("exported for the EU: %+v", it.Product)
	}
	sent, err := e.Reg.Recipients(e.Ctx, sw.Originator, sw.ConfidentialPiece.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(sent) != 1 || sent[0].RecipientOrganisation != sw.EU.Organisation {
		t.Fatalf("the export is not among the recipients: %+v", sent)
	}
	for _, c := range []struct {
		name string
		a    cleared.Actor
		rel  cleared.ReleaseID
		to   cleared.OrganisationID
		rule string
	}{
		{"the SECRET product for the EU, not in its audience", sw.Originator, sw.SecretRelease.ID, sw.EU.Organisation, "S1"},
		{"the CONFIDENTIEL product for the CERT, above what it reads", sw.Originator, sw.ConfidentialRelease.ID, sw.CERT.Organisation, "S1"},
		{"by the NSA, not the originator", cleared.Actor{Person: e.World.Helene.ID}, sw.OpenRelease.ID, sw.CERT.Organisation, "S1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.Share.Export(e.Ctx, c.a, c.rel, c.to)
			testenv.WantRule(t, err, c.rule)
		})
	}
	// In the audience, but above what the partner reads: its gate refuses (S1), as delivery would.
	wide, err := e.Share.Release(e.Ctx, sw.Originator, sw.SecretPiece.ID, sharing.NewRelease{Sets: []cleared.ReleasabilitySet{{Groups: []string{"alliance"}}}})
	if err == nil {
		wide, err = e.Share.Approve(e.Ctx, sw.Approver, wide.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Share.Export(e.Ctx, sw.Originator, wide.ID, sw.EU.Organisation)
	testenv.WantRule(t, err, "S1")
	if !strings.Contains(err.Error(), "up to") {
		t.Errorf("the refusal does not say the partner's ceiling: %v", err)
	}
	if _, err := e.Share.Export(e.Ctx, sw.Originator, sw.OpenRelease.ID, e.World.SRE.ID); !errors.Is(err, cleared.ErrInvalid) {
		t.Errorf("an organisation that is no partner: %v, want invalid", err)
	}
	if _, err := e.Share.Export(e.Ctx, cleared.Actor{Person: e.World.Lea.ID, Terminal: e.World.OfficeTerm.ID}, sw.SecretRelease.ID, sw.NATO.Organisation); !errors.Is(err, cleared.ErrNotFound) {
		t.Errorf("one who may not know the piece: %v, want not found", err)
	}
}
