package policy

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
)

// sharingFixture: a NATO partner up to SECRET whose agreement runs from a year ago to a year ahead, reached over a
// SECRET channel with an approved product; a CERT reading TLP only; the shipped equivalence table.
type sharingFixture struct {
	nato, cert cleared.Partner
	ch, low    cleared.Channel
	prod       cleared.CryptoProduct
	eq         cleared.EquivalenceTable
}

func newSharing() sharingFixture {
	var f sharingFixture
	f.prod = cleared.CryptoProduct{ID: cleared.NewCryptoProductID(), Name: "Chiffreur X", ApprovedFrom: now.AddDate(-1, 0, 0),
		ApprovedUntil: now.AddDate(1, 0, 0)}
	f.ch = cleared.Channel{ID: cleared.NewChannelID(), Name: "NATO link", MaxLevel: cleared.Secret, CryptoProduct: f.prod.Name,
		Product: f.prod.ID, From: now.AddDate(-1, 0, 0), Until: now.AddDate(1, 0, 0)}
	f.low = f.ch
	f.low.ID, f.low.MaxLevel = cleared.NewChannelID(), cleared.Restricted
	f.nato = cleared.Partner{Organisation: cleared.NewOrganisationID(), Scheme: cleared.SchemeNATO, MaxLevel: cleared.Secret,
		Groups: []string{"nato", "five"}, Channels: []cleared.ChannelID{f.ch.ID, f.low.ID},
		AccreditedFrom: now.AddDate(-1, 0, 0), AccreditedUntil: now.AddDate(1, 0, 0)}
	f.cert = cleared.Partner{Organisation: cleared.NewOrganisationID(), Scheme: cleared.SchemeTLP, MaxLevel: cleared.Unclassified,
		Groups: []string{"certs"}, Channels: []cleared.ChannelID{f.low.ID}, AccreditedFrom: now.AddDate(-1, 0, 0)}
	f.eq = cleared.DefaultEquivalence()
	return f
}

func TestPartnerGate_S1_A6_1_A11_1(t *testing.T) {
	f := newSharing()
	suspended := f.nato
	suspended.Suspended = true
	notYet, lapsed := f.nato, f.nato
	notYet.AccreditedFrom = now.Add(time.Nanosecond)
	lapsed.AccreditedUntil = now // the agreement ends exactly now
	startsNow := f.nato
	startsNow.AccreditedFrom = now
	endsLater := f.nato
	endsLater.AccreditedUntil = now.Add(time.Nanosecond)
	bilateral := f.nato
	bilateral.Scheme, bilateral.MaxLevel = "FR", cleared.TopSecret
	eqFR := cleared.DefaultEquivalence()
	eqFR.Schemes["FR"] = map[cleared.Level]string{cleared.Secret: "SECRET", cleared.TopSecret: "TRES SECRET"}
	national := f.nato
	national.Scheme = cleared.SchemeNational
	lapsedProd := f.prod
	lapsedProd.ApprovedUntil = now
	other := f.ch
	other.ID = cleared.NewChannelID()
	cases := []struct {
		name  string
		p     cleared.Partner
		l     cleared.Level
		eq    cleared.EquivalenceTable
		ch    *cleared.Channel
		prod  *cleared.CryptoProduct
		rule  string
		words string
	}{
		{"allowed at its level", f.nato, cleared.Secret, f.eq, &f.ch, &f.prod, "", ""},
		{"allowed below its level", f.nato, cleared.Confidential, f.eq, &f.ch, &f.prod, "", ""},
		{"allowed unclassified over the low channel", f.nato, cleared.Unclassified, f.eq, &f.low, &f.prod, "", ""},
		{"agreement starting exactly now", startsNow, cleared.Secret, f.eq, &f.ch, &f.prod, "", ""},
		{"agreement ending just after now", endsLater, cleared.Secret, f.eq, &f.ch, &f.prod, "", ""},
		{"national scheme reads national markings", national, cleared.Secret, f.eq, &f.ch, &f.prod, "", ""},
		{"bilateral scheme with an equivalent", bilateral, cleared.Secret, eqFR, &f.ch, &f.prod, "", ""},
		{"suspended", suspended, cleared.Restricted, f.eq, &f.low, &f.prod, "S1", "suspended"},
		{"agreement not yet in force", notYet, cleared.Restricted, f.eq, &f.low, &f.prod, "S1", "not yet"},
		{"agreement ended exactly now", lapsed, cleared.Restricted, f.eq, &f.low, &f.prod, "S1", "lapsed"},
		{"above its level", f.nato, cleared.TopSecret, f.eq, &f.ch, &f.prod, "S1", "up to SECRET"},
		{"no equivalent in a bilateral scheme", bilateral, cleared.Confidential, eqFR, &f.ch, &f.prod, "A6.1", "no equivalent"},
		{"no scheme at all in the table", bilateral, cleared.Secret, f.eq, &f.ch, &f.prod, "A6.1", "no equivalent"},
		{"TLP partner and a classified product", f.cert, cleared.Restricted, f.eq, &f.low, &f.prod, "S1", "up to"},
		{"channel not the partner's", f.nato, cleared.Secret, f.eq, &other, &f.prod, "A11.1", "not one accredited"},
		{"no channel", f.nato, cleared.Secret, f.eq, nil, nil, "A11.1", "not one accredited"},
		{"channel below the level", f.nato, cleared.Secret, f.eq, &f.low, &f.prod, "A11.1", ""},
		{"crypto product lapsed exactly now", f.nato, cleared.Secret, f.eq, &f.ch, &lapsedProd, "A11.1", "lapsed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := PartnerGate(c.p, c.l, c.eq, c.ch, c.prod, now)
			if d.Allowed != (c.rule == "") || d.Rule != c.rule || !strings.Contains(d.Reason, c.words) {
				t.Fatalf("PartnerGate = %+v, want rule %q with %q", d, c.rule, c.words)
			}
		})
	}
	// The TLP partner receives unclassified products over its channel.
	if d := PartnerGate(f.cert, cleared.Unclassified, f.eq, &f.low, &f.prod, now); !d.Allowed {
		t.Fatalf("a CERT is refused an unclassified product: %+v", d)
	}
}

func TestForeignMarking_A6_1(t *testing.T) {
	eq := cleared.DefaultEquivalence()
	cases := []struct {
		s    cleared.Scheme
		l    cleared.Level
		want string
		ok   bool
	}{
		{cleared.SchemeNATO, cleared.Secret, "NATO SECRET", true},
		{cleared.SchemeEU, cleared.Secret, "SECRET UE/EU SECRET", true},
		{cleared.SchemeNational, cleared.Secret, "SECRET LUX", true},
		{cleared.SchemeNATO, cleared.Unclassified, "", true},
		{cleared.SchemeTLP, cleared.Unclassified, "", true},
		{cleared.SchemeTLP, cleared.Restricted, "", false},
		{"FR", cleared.Secret, "", false},
	}
	for _, c := range cases {
		got, ok := ForeignMarking(c.s, c.l, eq)
		if got != c.want || ok != c.ok {
			t.Errorf("ForeignMarking(%s, %s) = %q, %v; want %q, %v", c.s, c.l, got, ok, c.want, c.ok)
		}
	}
}

func TestReleaseDecisions_S1_four_eyes(t *testing.T) {
	alice, bob := cleared.NewPersonID(), cleared.NewPersonID()
	orig := Releaser{Person: alice, Originator: true}
	second := Releaser{Person: bob, Originator: true}
	nsa := Releaser{Person: bob, NSA: true}
	stranger := Releaser{Person: bob}
	proposed := cleared.Release{State: cleared.ReleaseProposed, ProposedBy: alice}
	released := cleared.Release{State: cleared.ReleaseReleased, ProposedBy: alice}
	revoked := cleared.Release{State: cleared.ReleaseRevoked, ProposedBy: alice}

	for _, c := range []struct {
		r      Releaser
		l      cleared.Level
		allow  bool
		second bool
	}{
		{orig, cleared.Confidential, true, false},
		{orig, cleared.Secret, true, true}, // exactly the four-eyes level
		{orig, cleared.TopSecret, true, true},
		{stranger, cleared.Restricted, false, false},
		{nsa, cleared.Restricted, false, false}, // the NSA does not release another's product
	} {
		d, two := ProposeRelease(c.r, c.l, FourEyesLevel)
		if d.Allowed != c.allow || two != c.second || !c.allow && d.Rule != "S1" {
			t.Errorf("ProposeRelease(%+v, %s) = %+v, %v; want %v, %v", c.r, c.l, d, two, c.allow, c.second)
		}
	}
	if _, two := ProposeRelease(orig, cleared.Unclassified, cleared.Unclassified); !two {
		t.Error("a profile asking four eyes for every release is not followed")
	}

	for _, c := range []struct {
		name  string
		r     Releaser
		rel   cleared.Release
		allow bool
		words string
	}{
		{"second person", second, proposed, true, ""},
		{"the proposer himself", orig, proposed, false, "must not be who proposed"},
		{"not for the originator", nsa, proposed, false, "acts for the product's originator"},
		{"already released", second, released, false, "not waiting"},
		{"revoked", second, revoked, false, "not waiting"},
	} {
		d := ApproveRelease(c.r, c.rel)
		if d.Allowed != c.allow || !strings.Contains(d.Reason, c.words) || !c.allow && d.Rule != "S1" {
			t.Errorf("ApproveRelease %s = %+v", c.name, d)
		}
	}
	for _, c := range []struct {
		name  string
		r     Releaser
		rel   cleared.Release
		allow bool
	}{
		{"originator revokes", orig, released, true},
		{"originator withdraws a proposal", orig, proposed, true},
		{"NSA revokes", nsa, released, true},
		{"stranger", stranger, released, false},
		{"twice", orig, revoked, false},
	} {
		if d := RevokeRelease(c.r, c.rel); d.Allowed != c.allow {
			t.Errorf("RevokeRelease %s = %+v", c.name, d)
		}
	}
	if !ListReleases(orig).Allowed || !ListReleases(nsa).Allowed || ListReleases(stranger).Allowed {
		t.Error("ListReleases: the originator and the NSA list releases, no one else")
	}
	if !ReadPartners(true, false).Allowed || !ReadPartners(false, true).Allowed || ReadPartners(false, false).Allowed {
		t.Error("ReadPartners: the NSA and authorities read the register, no one else")
	}
}

func TestCheckSetsAndAudience_S1(t *testing.T) {
	f := newSharing()
	partners := map[cleared.OrganisationID]cleared.Partner{f.nato.Organisation: f.nato, f.cert.Organisation: f.cert}
	ok := []cleared.ReleasabilitySet{{Partners: []cleared.OrganisationID{f.nato.Organisation}}, {Groups: []string{"certs"}}}
	if err := CheckSets(ok, partners); err != nil {
		t.Fatalf("CheckSets refused good sets: %v", err)
	}
	bad := []struct {
		name  string
		sets  []cleared.ReleasabilitySet
		words string
	}{
		{"no set", nil, "at least one"},
		{"an empty set", []cleared.ReleasabilitySet{{}}, "empty"},
		{"an unknown partner", []cleared.ReleasabilitySet{{Partners: []cleared.OrganisationID{cleared.NewOrganisationID()}}}, "not a partner"},
		{"a group without members", []cleared.ReleasabilitySet{{Groups: []string{"nobody"}}}, "no partner belongs"},
		{"a malformed group", []cleared.ReleasabilitySet{{Groups: []string{"Bad Group"}}}, "lower-case"},
		{"too many sets", slices.Repeat(ok[:1], 21), "at most 20"},
	}
	for _, c := range bad {
		if err := CheckSets(c.sets, partners); err == nil || !strings.Contains(err.Error(), c.words) {
			t.Errorf("CheckSets %s = %v, want %q", c.name, err, c.words)
		}
	}
	got := Audience([]cleared.ReleasabilitySet{{Groups: []string{"certs"}}}, []cleared.Partner{f.nato, f.cert})
	if !slices.Equal(got, []cleared.OrganisationID{f.cert.Organisation}) {
		t.Errorf("Audience by group = %v, want the CERT alone", got)
	}
	both := Audience(ok, []cleared.Partner{f.cert, f.nato})
	if len(both) != 2 || !slices.IsSorted(both) {
		t.Errorf("Audience of two sets = %v, want both partners, sorted", both)
	}
}

func TestDeliverable_S1(t *testing.T) {
	f := newSharing()
	rel := cleared.Release{State: cleared.ReleaseReleased, Level: cleared.Secret}
	if d := Deliverable(f.nato, rel, true, f.eq, &f.ch, &f.prod, now); !d.Allowed {
		t.Fatalf("a released product to its audience is refused: %+v", d)
	}
	if d := Deliverable(f.nato, rel, false, f.eq, &f.ch, &f.prod, now); d.Allowed || !d.Hidden {
		t.Errorf("outside the audience: %+v, want hidden", d)
	}
	for _, st := range []cleared.ReleaseState{cleared.ReleaseProposed, cleared.ReleaseRevoked} {
		r := rel
		r.State = st
		if d := Deliverable(f.nato, r, true, f.eq, &f.ch, &f.prod, now); d.Allowed || !d.Hidden {
			t.Errorf("%s: %+v, want hidden", st, d)
		}
	}
	top := rel
	top.Level = cleared.TopSecret
	if d := Deliverable(f.nato, top, true, f.eq, &f.ch, &f.prod, now); d.Allowed || d.Rule != "S1" {
		t.Errorf("above the partner's level: %+v", d)
	}
}

func TestPartnerCertificate_S1(t *testing.T) {
	f := newSharing()
	fp := strings.Repeat("ab", 32)
	p := f.nato
	p.Certificates = []string{fp}
	if d := PartnerCertificate(&p, fp, now); !d.Allowed {
		t.Fatalf("a partner's own certificate is refused: %+v", d)
	}
	if d := PartnerCertificate(nil, fp, now); d.Allowed || !strings.Contains(d.Reason, "unknown") {
		t.Errorf("no partner: %+v", d)
	}
	if d := PartnerCertificate(&p, strings.Repeat("cd", 32), now); d.Allowed || !strings.Contains(d.Reason, "does not hold") {
		t.Errorf("a certificate the sealed record does not hold: %+v", d)
	}
	lapsed := p
	lapsed.AccreditedUntil = now
	if d := PartnerCertificate(&lapsed, fp, now); d.Allowed {
		t.Errorf("a lapsed agreement: %+v", d)
	}
}

func TestExportRelease_S1(t *testing.T) {
	alice := cleared.NewPersonID()
	orig := Releaser{Person: alice, Originator: true}
	nsa := Releaser{Person: alice, NSA: true}
	for _, c := range []struct {
		name  string
		r     Releaser
		state cleared.ReleaseState
		allow bool
	}{
		{"originator, released", orig, cleared.ReleaseReleased, true},
		{"originator, proposed", orig, cleared.ReleaseProposed, false},
		{"originator, revoked", orig, cleared.ReleaseRevoked, false},
		{"the NSA does not export another's product", nsa, cleared.ReleaseReleased, false},
		{"a stranger", Releaser{Person: alice}, cleared.ReleaseReleased, false},
	} {
		d := ExportRelease(c.r, cleared.Release{State: c.state}, true)
		if d.Allowed != c.allow || !c.allow && d.Rule != "S1" {
			t.Errorf("%s: %+v, want allowed %v", c.name, d, c.allow)
		}
	}
	if d := ExportRelease(orig, cleared.Release{State: cleared.ReleaseReleased}, false); d.Allowed || d.Rule != "S1" || d.Hidden {
		t.Errorf("a partner out of the audience: %+v, want a refusal the originator is told", d)
	}
}

// TestCheckSets_S1_bounds_and_set_numbers: the limits hold exactly at their values, a set counts its partners and
// groups together, and a refusal names the set it is about.
func TestCheckSets_S1_bounds_and_set_numbers(t *testing.T) {
	f := newSharing()
	partners := map[cleared.OrganisationID]cleared.Partner{f.nato.Organisation: f.nato, f.cert.Organisation: f.cert}
	nato := cleared.ReleasabilitySet{Partners: []cleared.OrganisationID{f.nato.Organisation}}
	if err := CheckSets(slices.Repeat([]cleared.ReleasabilitySet{nato}, 20), partners); err != nil {
		t.Errorf("exactly 20 sets: %v", err)
	}
	if err := CheckSets([]cleared.ReleasabilitySet{{Partners: []cleared.OrganisationID{f.nato.Organisation}, Groups: []string{"certs"}}}, partners); err != nil {
		t.Errorf("one partner and one group in a set: %v", err)
	}
	big := cleared.ReleasabilitySet{Groups: slices.Repeat([]string{"certs"}, 499), Partners: []cleared.OrganisationID{f.nato.Organisation}}
	if err := CheckSets([]cleared.ReleasabilitySet{big}, partners); err != nil {
		t.Errorf("exactly 500 members: %v", err)
	}
	var unknown []cleared.OrganisationID
	for range 300 {
		unknown = append(unknown, cleared.NewOrganisationID())
	}
	for _, c := range []struct {
		name  string
		sets  []cleared.ReleasabilitySet
		words string
	}{
		{"501 members, partners and groups together", []cleared.ReleasabilitySet{{Partners: unknown, Groups: slices.Repeat([]string{"certs"}, 201)}}, "set 1: at most 500 members"},
		{"the second set empty", []cleared.ReleasabilitySet{nato, {}}, "set 2 is empty"},
		{"an unknown partner in the second set", []cleared.ReleasabilitySet{nato, {Partners: unknown[:1]}}, "set 2: " + string(unknown[0])},
		{"a group without members in the third set", []cleared.ReleasabilitySet{nato, nato, {Groups: []string{"nobody"}}}, "set 3: no partner belongs"},
	} {
		if err := CheckSets(c.sets, partners); err == nil || !strings.Contains(err.Error(), c.words) {
			t.Errorf("%s: %v, want %q", c.name, err, c.words)
		}
	}
}

func TestPollSource_S1(t *testing.T) {
	f := newSharing()
	src := cleared.Source{ID: cleared.NewSourceID(), Partner: f.nato.Organisation, Kind: cleared.SourceTAXII}
	endsNow := f.nato
	endsNow.AccreditedFrom, endsNow.AccreditedUntil = now.Add(-time.Hour), now
	startsNow := f.nato
	startsNow.AccreditedFrom, startsNow.AccreditedUntil = now, now.Add(time.Hour)
	suspended := f.nato
	suspended.Suspended = true
	other := f.cert
	paused := src
	paused.Paused = true
	for _, c := range []struct {
		name  string
		s     cleared.Source
		p     *cleared.Partner
		allow bool
		says  string
	}{
		{"a partner in its agreement", src, &f.nato, true, ""},
		{"an agreement that starts exactly now", src, &startsNow, true, ""},
		{"an agreement that ends exactly now", src, &endsNow, false, "not in force"},
		{"a suspended partner", src, &suspended, false, "not in force"},
		{"a partner not in the register", src, nil, false, "not in the register"},
		{"another partner's record", src, &other, false, "not in the register"},
		{"a paused source", paused, &f.nato, false, "paused"},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := PollSource(c.s, c.p, now)
			if d.Allowed != c.allow || !strings.Contains(d.Reason, c.says) || (!c.allow && d.Rule != "S1") {
				t.Errorf("PollSource = %+v, want allowed %v saying %q (S1)", d, c.allow, c.says)
			}
		})
	}
}

func TestKeepSource_S1_A5_1(t *testing.T) {
	for _, c := range []struct {
		name                         string
		held, exists, registrar, nsa bool
		allow                        bool
		rule                         string
	}{
		{"a holder records a new source", true, false, false, false, true, ""},
		{"its registrar changes it", true, true, true, false, true, ""},
		{"an NSA officer holding the authority changes it", true, true, false, true, true, ""},
		{"another holder may not take it over", true, true, false, false, false, "S1"},
		{"one who does not hold the authority", false, false, false, true, false, "A5.1"},
		{"its registrar no longer holding the authority", false, true, true, false, false, "A5.1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := KeepSource(c.held, c.exists, c.registrar, c.nsa)
			if d.Allowed != c.allow || d.Rule != c.rule {
				t.Errorf("KeepSource = %+v, want allowed %v, rule %q", d, c.allow, c.rule)
			}
		})
	}
}

func TestPollNow_S1(t *testing.T) {
	for _, c := range []struct {
		registrar, nsa, allow bool
	}{{true, false, true}, {false, true, true}, {true, true, true}, {false, false, false}} {
		d := PollNow(c.registrar, c.nsa)
		if d.Allowed != c.allow || (!c.allow && d.Rule != "S1") {
			t.Errorf("PollNow(registrar %v, nsa %v) = %+v, want allowed %v", c.registrar, c.nsa, d, c.allow)
		}
	}
}

func TestReadInbox_S1_A5_1(t *testing.T) {
	for _, tt := range []struct {
		name           string
		nsa, authority bool
		want           string // the rule that refuses; "" allows
	}{
		{name: "A5.1 a holder of a classifying authority reads and decides on the inbox", authority: true},
		{name: "S1 an NSA officer reads the inbox and refuses what a partner should not have sent", nsa: true},
		{name: "S1 an NSA officer who holds an authority", nsa: true, authority: true},
		{name: "A5.1 anyone else is refused", want: "A5.1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := ReadInbox(tt.nsa, tt.authority)
			switch {
			case tt.want == "" && !d.Allowed:
				t.Errorf("refused by %s (%s), want allowed", d.Rule, d.Reason)
			case tt.want != "" && (d.Allowed || d.Rule != tt.want || d.Hidden):
				t.Errorf("decision %+v, want a refusal by %s that says so", d, tt.want)
			}
		})
	}
}
