package registry_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/registry"
)

// ministryProfile is the SRE's own profile, as the NSA records it.
func ministryProfile(org cleared.OrganisationID, version int, from time.Time, rules ...cleared.ProfileRule) cleared.RuleProfile {
	return cleared.RuleProfile{Name: "SRE", Version: version, EffectiveFrom: from, Note: "Instruction du directeur",
		Scope: cleared.ProfileScope{Organisations: []cleared.OrganisationID{org}}, Rules: rules}
}

func duties(o policy.Outcome) []string {
	var out []string
	for _, ob := range o.Obligations {
		out = append(out, string(ob.Duty)+"/"+ob.Profile)
	}
	return out
}

// A1.1: the EU and NATO profiles are recorded when the database is set up, and in force.
func TestShippedProfilesAreRecorded(t *testing.T) {
	e := newEnv(t)
	ps, err := e.svc.Profiles(e.ctx, e.as("tom"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range ps {
		names = append(names, p.Name)
		if p.Version != 1 || !p.InForce {
			t.Errorf("%s: version %d, in force %v; want version 1 in force", p.Name, p.Version, p.InForce)
		}
	}
	// The demo adds the Ministry's own.
	if !slices.Equal(names, []string{"EU", "MAEE", "NATO"}) {
		t.Fatalf("profiles %v, want EU, MAEE and NATO", names)
	}
	// A NATO SECRET copy is numbered, as the NATO document says.
	o, err := e.svc.Obligations(e.ctx, e.as("paul"), e.w.NATO.ID, policy.ActionReproduce)
	if err != nil {
		t.Fatal(err)
	}
	if got := duties(o); !slices.Equal(got, []string{"copy_number/NATO"}) {
		t.Fatalf("a NATO SECRET copy comes with %v", got)
	}
}

func TestRecordProfile(t *testing.T) {
	e := newEnv(t)
	sre := e.w.SRE.ID
	from := e.clock.Now()
	for _, tc := range []struct {
		name   string
		as     string
		doc    cleared.RuleProfile
		rule   string // empty: recorded
		reason string
	}{
		{"A1.1 destruction reports only from TRES SECRET relax A10.2 and are refused", "helene",
			ministryProfile(sre, 1, from, cleared.ProfileRule{Kind: cleared.RuleDestructionReport, From: "TOP_SECRET"}), "A1.1", "destruction reports from SECRET"},
		{"A1.1 a rule waiving the consent to a TRES SECRET copy is refused", "helene",
			ministryProfile(sre, 1, from, cleared.ProfileRule{Kind: "waive", From: "TOP_SECRET", Actions: []string{"reproduce"}}), "A1.1", "switch one off"},
		{"A1.1 an unknown kind of rule is refused", "helene",
			ministryProfile(sre, 1, from, cleared.ProfileRule{Kind: "burn_after_reading"}), "A1.1", "unknown kind"},
		{"A1.1 an unknown level is refused", "helene",
			ministryProfile(sre, 1, from, cleared.ProfileRule{Kind: cleared.RuleCopyNumber, From: "COSMIC"}), "A1.1", "unknown level"},
		{"A1.1 a first version numbered 2 is refused", "helene",
			ministryProfile(sre, 2, from, cleared.ProfileRule{Kind: cleared.RuleCopyNumber, From: "SECRET"}), "A1.1", "the next version is 1"},
		{"A20.1 a holder records no profile", "tom",
			ministryProfile(sre, 1, from, cleared.ProfileRule{Kind: cleared.RuleCopyNumber, From: "SECRET"}), "A20.1", ""},
		{"A1.1 a profile more rigorous than the law is recorded", "helene",
			ministryProfile(sre, 1, from, cleared.ProfileRule{Kind: cleared.RuleDestructionReport, From: "CONFIDENTIAL"}), "", ""},
		{"A1.1 a gap in versions is refused", "helene",
			ministryProfile(sre, 3, from, cleared.ProfileRule{Kind: cleared.RuleCopyNumber, From: "SECRET"}), "A1.1", "the next version is 2"},
		{"A1.1 the next version is recorded", "helene",
			ministryProfile(sre, 2, from, cleared.ProfileRule{Kind: cleared.RuleDestructionReport, From: "RESTRICTED"}), "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := e.svc.ProfileVersions(e.ctx, e.as("tom"), "SRE")
			size := e.Size(t)
			_, err := e.svc.RecordProfile(e.ctx, e.as(tc.as), tc.doc)
			entries := e.Last(t, int(e.Size(t)-size))
			after, _ := e.svc.ProfileVersions(e.ctx, e.as("tom"), "SRE")
			if tc.rule == "" {
				if err != nil {
					t.Fatal(err)
				}
				if len(after) != len(before)+1 || after[len(after)-1].Version != tc.doc.Version {
					t.Fatalf("versions %d then %d", len(before), len(after))
				}
				return
			}
			wantRule(t, err, tc.rule)
			if !strings.Contains(err.Error(), tc.reason) {
				t.Fatalf("refusal %q does not say %q", err, tc.reason)
			}
			if len(after) != len(before) {
				t.Fatalf("a refused profile changed the versions from %d to %d", len(before), len(after))
			}
			// The refusal is audited, among the reads around it.
			var rec []string
			for _, r := range entries {
				if r.Action == "profile.record" {
					rec = append(rec, r.Rule)
				}
			}
			if len(rec) != 1 || rec[0] != tc.rule {
				t.Fatalf("audit entries of profile.record %v, want one refusal by %s", rec, tc.rule)
			}
		})
	}
	vs, err := e.svc.ProfileVersions(e.ctx, e.as("tom"), "SRE")
	if err != nil || len(vs) != 2 {
		t.Fatalf("versions %v, %v", vs, err)
	}
	if _, err := e.svc.ProfileVersions(e.ctx, e.as("tom"), "Nobody"); !errors.Is(err, cleared.ErrNotFound) {
		t.Fatalf("versions of an unknown profile: %v", err)
	}
}

// A1.1: a profile binds the acts of its organisation from its date, exactly, and not before; the stricter of the
// profiles that apply wins.
func TestProfileBindsFromItsDate(t *testing.T) {
	e := newEnv(t)
	tomorrow := e.clock.Now().Add(24 * time.Hour)
	doc := ministryProfile(e.w.SRE.ID, 1, tomorrow,
		cleared.ProfileRule{Kind: cleared.RuleRefuse, From: "SECRET", Actions: []string{"transmit"}, Reason: "SECRET pieces leave the service by hand"},
		cleared.ProfileRule{Kind: cleared.RuleCopyNumber, From: "CONFIDENTIAL"})
	if _, err := e.svc.RecordProfile(e.ctx, e.as("helene"), doc); err != nil {
		t.Fatal(err)
	}
	paul := e.as("paul")
	o, err := e.svc.Obligations(e.ctx, paul, e.w.NATO.ID, policy.ActionTransmit)
	if err != nil || !o.Allowed {
		t.Fatalf("A1.1 today the transmission is not refused by a profile of tomorrow: %+v %v", o, err)
	}
	e.clock.Set(tomorrow.Add(-time.Microsecond))
	if o, _ := e.svc.Obligations(e.ctx, paul, e.w.NATO.ID, policy.ActionTransmit); !o.Allowed {
		t.Fatalf("A1.1 an instant before its date the profile applies: %+v", o)
	}
	e.clock.Set(tomorrow)
	o, err = e.svc.Obligations(e.ctx, paul, e.w.NATO.ID, policy.ActionTransmit)
	if err != nil || o.Allowed || o.Rule != "A1.1" || !strings.HasPrefix(o.Reason, "SRE: ") {
		t.Fatalf("A1.1 at its date the SRE's refusal applies: %+v %v", o, err)
	}
	// The union of the duties: NATO numbers the copy, and so does the SRE.
	o, err = e.svc.Obligations(e.ctx, paul, e.w.NATO.ID, policy.ActionReproduce)
	if got := duties(o); err != nil || !slices.Equal(got, []string{"copy_number/NATO", "copy_number/SRE"}) {
		t.Fatalf("A1.1 a NATO SECRET copy by the SRE comes with %v (%v)", got, err)
	}
	// A piece one may not know stays unknown.
	if _, err := e.svc.Obligations(e.ctx, e.as("tom"), e.w.NATO.ID, policy.ActionTransmit); !errors.Is(err, cleared.ErrNotFound) {
		t.Fatalf("A9.1 the obligations of a piece one may not know: %v", err)
	}
}

// A17.1: a reform of the law (bill 8651) entered with tomorrow's date does not apply today and applies tomorrow,
// exactly at its date; a clearance's validity is that of the law in force at its issue.
func TestLawReformEntersIntoForceAtItsDate(t *testing.T) {
	e := newEnv(t)
	now := e.clock.Now()
	tomorrow := now.Add(24 * time.Hour)
	reform := cleared.DefaultLaw()
	reform.ValidFrom, reform.Note = tomorrow, "Bill 8651"
	reform.ClearanceValidityYears[cleared.TopSecret] = 4
	if _, err := e.svc.SetLaw(e.ctx, e.as("tom"), reform); err == nil {
		t.Fatal("A20.1 a holder entered a reform of the law")
	}
	v2, err := e.svc.SetLaw(e.ctx, e.as("helene"), reform)
	if err != nil || v2.Version != 2 {
		t.Fatalf("the reform: %+v %v", v2, err)
	}
	bad := cleared.DefaultLaw()
	bad.ClearanceValidityYears[cleared.Secret] = 0
	if _, err := e.svc.SetLaw(e.ctx, e.as("helene"), bad); !errors.Is(err, cleared.ErrInvalid) {
		t.Fatalf("a law without a validity for SECRET: %v", err)
	}
	record := func(issued time.Time) cleared.Clearance {
		t.Helper()
		c, err := e.svc.RecordClearance(e.ctx, e.as("helene"), registry.NewClearance{HolderKind: cleared.HolderPerson,
			PersonID: e.w.Tom.ID, Level: cleared.TopSecret, Issued: issued, Reference: "ANS-" + issued.Format(time.RFC3339Nano)})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	law, _, err := e.svc.Law(e.ctx, e.as("tom"))
	if err != nil || law.Version != 1 {
		t.Fatalf("today the law of 2004 is in force: %v %v", law.Version, err)
	}
	if c := record(now); !c.Expires.Equal(now.AddDate(5, 0, 0)) {
		t.Fatalf("A17.1 a TRES SECRET clearance issued today expires %v, want five years", c.Expires)
	}
	e.clock.Set(tomorrow.Add(-time.Microsecond))
	if c := record(e.clock.Now()); !c.Expires.Equal(e.clock.Now().AddDate(5, 0, 0)) {
		t.Fatalf("A17.1 an instant before the reform a clearance expires %v, want five years", c.Expires)
	}
	e.clock.Set(tomorrow)
	law, versions, err := e.svc.Law(e.ctx, e.as("tom"))
	if err != nil || law.Version != 2 || len(versions) != 2 {
		t.Fatalf("A17.1 tomorrow the reform is in force: %v of %d, %v", law.Version, len(versions), err)
	}
	if c := record(tomorrow); !c.Expires.Equal(tomorrow.AddDate(4, 0, 0)) {
		t.Fatalf("A17.1 a TRES SECRET clearance issued at the reform's date expires %v, want four years", c.Expires)
	}
	// Issued before the reform, recorded after it: the law at its issue.
	if c := record(now); !c.Expires.Equal(now.AddDate(5, 0, 0)) {
		t.Fatalf("A17.1 a clearance issued under the 2004 law expires %v, want five years", c.Expires)
	}
}

// A17.1: a reform that lengthens a clearance's validity applies, from its entry into force, to the clearances issued
// under it: Tom's TRES SECRET clearance issued at the reform's date is in force six years later, and not at seven.
func TestLawReformLengtheningIsHonoured(t *testing.T) {
	e := newEnv(t)
	start := e.clock.Now().Add(24 * time.Hour)
	reform := cleared.DefaultLaw()
	reform.ValidFrom, reform.Note = start, "Bill 8651"
	reform.ClearanceValidityYears[cleared.TopSecret] = 7
	if _, err := e.svc.SetLaw(e.ctx, e.as("helene"), reform); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(start)
	c, err := e.svc.RecordClearance(e.ctx, e.as("helene"), registry.NewClearance{HolderKind: cleared.HolderPerson,
		PersonID: e.w.Tom.ID, Level: cleared.TopSecret, Issued: start, Reference: "ANS-PSC-REFORM-1"})
	if err != nil || !c.Expires.Equal(start.AddDate(7, 0, 0)) {
		t.Fatalf("a TRES SECRET clearance issued under the reform: %v, %v; want seven years", c.Expires, err)
	}
	status := func(at time.Time) cleared.ClearanceStatus {
		t.Helper()
		e.clock.Set(at)
		got, err := e.svc.Clearance(e.ctx, e.as("tom"), c.ID) // his own file (A23.1)
		if err != nil {
			t.Fatal(err)
		}
		return got.Status
	}
	if s := status(start.AddDate(6, 0, 0)); s != cleared.ClearanceActive {
		t.Fatalf("six years after its issue under the reform: %s, want active", s)
	}
	if s := status(start.AddDate(7, 0, 0).Add(-time.Microsecond)); s != cleared.ClearanceActive {
		t.Fatalf("the instant before its seventh year: %s, want active", s)
	}
	if s := status(start.AddDate(7, 0, 0)); s != cleared.ClearanceExpired {
		t.Fatalf("at its seventh year: %s, want expired", s)
	}
}

// A6.1: a level with no equivalent for a partner is refused, and the refusal audited.
func TestForeignEquivalent(t *testing.T) {
	e := newEnv(t)
	next := cleared.DefaultEquivalence()
	next.Schemes["FR"] = map[cleared.Level]string{cleared.TopSecret: "TRES SECRET", cleared.Secret: "SECRET FR"}
	next.ValidFrom = e.clock.Now().Add(time.Hour)
	if _, err := e.svc.SetEquivalence(e.ctx, e.as("helene"), next); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.ForeignEquivalent(e.ctx, e.as("tom"), "FR", cleared.Secret); err == nil {
		t.Fatal("A6.1 the French equivalent applies before its version's date")
	}
	e.clock.Set(next.ValidFrom)
	m, v, err := e.svc.ForeignEquivalent(e.ctx, e.as("tom"), "FR", cleared.Secret)
	if err != nil || m != "SECRET FR" || v != 2 {
		t.Fatalf("A6.1 SECRET for France: %q in version %d, %v", m, v, err)
	}
	size := e.Size(t)
	_, _, err = e.svc.ForeignEquivalent(e.ctx, e.as("tom"), "FR", cleared.Restricted)
	wantRule(t, err, "A6.1")
	rs := e.Last(t, int(e.Size(t)-size))
	if len(rs) != 1 || rs[0].Action != "equivalence.foreign" || rs[0].Allowed || rs[0].Rule != "A6.1" || rs[0].Object != "FR/RESTRICTED" {
		t.Fatalf("A6.1 the refusal is not audited: %+v", rs)
	}
}

// A1.1, A13.1: the NATO profile's row loosened in the database (its destruction reports moved to TRES SECRET) is
// not applied, and no act is judged without it: asking what an act on a NATO piece comes with fails, and the row is
// raised as a possible compromise.
func TestProfileRowEditedFailsClosed(t *testing.T) {
	e := newEnv(t)
	stopServer(t, e)
	edit(t, e, `UPDATE rule_profiles SET document = replace(document, '"from":"SECRET"', '"from":"TOP_SECRET"') WHERE name = 'NATO'`)
	d := restart(t, e)
	o, err := d.svc.Obligations(e.ctx, e.as("paul"), e.w.NATO.ID, policy.ActionDestroy)
	if !errors.Is(err, cleared.ErrUnavailable) {
		t.Fatalf("A1.1 the act is judged with a tampered profile: %+v, %v", o, err)
	}
	d.wantRaised(t, "rule_profiles", "NATO/1")
}

// A4.1, A7.1: a reform that renames a level's marking applies, from its entry into force, to every rendering of a
// piece or dossier of that level: read, listed, its content, the dossier's file; before it, the 2004 marking.
func TestLawReformRenamesMarkings(t *testing.T) {
	e := newEnv(t)
	start := e.clock.Now().Add(24 * time.Hour)
	reform := cleared.DefaultLaw()
	reform.ValidFrom, reform.Note = start, "Bill 8651"
	reform.Levels[cleared.Secret] = cleared.LevelNames{Name: "SECRET", Marking: "SECRET LU"}
	if _, err := e.svc.SetLaw(e.ctx, e.as("helene"), reform); err != nil {
		t.Fatal(err)
	}
	tom := e.as("tom")
	read := func() (piece, listed, content string) {
		t.Helper()
		p, err := e.svc.Piece(e.ctx, tom, e.w.Secret.ID)
		if err != nil {
			t.Fatal(err)
		}
		ps, _, err := e.svc.ListPieces(e.ctx, tom, nil, 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range ps {
			if q.ID == e.w.Secret.ID {
				listed = q.Marking()
			}
		}
		c, _, err := e.svc.ReadContent(e.ctx, e.as("sophie_zone"), e.w.Secret.ID)
		if err != nil {
			t.Fatal(err)
		}
		return p.Marking(), listed, c.Marking()
	}
	e.clock.Set(start.Add(-time.Microsecond))
	if p, l, c := read(); p != "SECRET LUX" || l != "SECRET LUX" || c != "SECRET LUX" {
		t.Fatalf("the instant before the reform: read %q, listed %q, content %q; want SECRET LUX", p, l, c)
	}
	e.clock.Set(start)
	if p, l, c := read(); p != "SECRET LU" || l != "SECRET LU" || c != "SECRET LU" {
		t.Fatalf("at the reform's entry into force: read %q, listed %q, content %q; want SECRET LU", p, l, c)
	}
	f, err := e.svc.Dossier(e.ctx, e.as("sophie_zone"), e.w.Dossier.ID)
	if err != nil || f.Marking != "SECRET LU" {
		t.Fatalf("the SECRET dossier's file is marked %q (%v), want SECRET LU", f.Marking, err)
	}
	if p, err := e.svc.Piece(e.ctx, e.as("sophie_zone"), e.w.TopSecret.ID); err != nil || p.Marking() != "TRES SECRET LUX" {
		t.Fatalf("a level the reform did not rename: %q, %v", p.Marking(), err)
	}
}
