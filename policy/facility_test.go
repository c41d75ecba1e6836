package policy

import (
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
)

const company cleared.OrganisationID = "org_company"

func facilityContract() cleared.Contract {
	return cleared.Contract{ID: "ctr_1", OrganisationID: orgA, Contractor: company, Level: cleared.Confidential,
		Period: cleared.Period{From: now.Add(-days(10)), Until: now.Add(days(300))}}
}

func facilityCase() cleared.VettingCase {
	return cleared.VettingCase{ID: "vet_f", Holder: cleared.HolderFacility, OrganisationID: company, Contract: "ctr_1",
		Level: cleared.Confidential, Stage: cleared.StageSigned}
}

func TestOpenFacilityCase(t *testing.T) {
	base := FacilityRequest{Company: cleared.Organisation{ID: company, Kind: cleared.Company}, Contract: facilityContract()}
	with := func(f func(*FacilityRequest)) FacilityRequest { r := base; f(&r); return r }
	officer := []cleared.OrganisationID{orgA}
	tests := []struct {
		name      string
		officerOf []cleared.OrganisationID
		nsa       bool
		r         FacilityRequest
		want      Decision
	}{
		{"A21.2 the contracting organisation's security officer opens the case", officer, false, base, allow()},
		{"A21.2 the NSA opens the case", nil, true, base, allow()},
		{"A21.2 the company's own security officer does not", []cleared.OrganisationID{company}, false, base, refuse("A21.2")},
		{"A21.2 another organisation's security officer does not", []cleared.OrganisationID{orgB}, false, base, refuse("A21.2")},
		{"A15.1 a public body has no facility clearance", officer, false, with(func(r *FacilityRequest) { r.Company.Kind = cleared.PublicBody }), refuse("A15.1")},
		{"A15.1 a company that is not the contractor", officer, false, with(func(r *FacilityRequest) { r.Contract.Contractor = orgB }), refuse("A15.1")},
		{"A16.1 a contract starting exactly at the opening is in force", officer, false, with(func(r *FacilityRequest) { r.Contract.From = now }), allow()},
		{"A16.1 a contract starting after the opening is refused", officer, false, with(func(r *FacilityRequest) { r.Contract.From = now.Add(time.Nanosecond) }), refuse("A16.1")},
		{"A16.1 a contract ended exactly at the opening is refused", officer, false, with(func(r *FacilityRequest) { r.Contract.Until = now }), refuse("A16.1")},
		{"A16.1 a contract requiring no level is refused", officer, false, with(func(r *FacilityRequest) { r.Contract.Level = cleared.Unclassified }), refuse("A16.1")},
		{"A15.1 a second open case for the same contract is refused", officer, false, with(func(r *FacilityRequest) { r.Open = 1 }), refuse("A15.1")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkDecision(t, OpenFacilityCase(tc.officerOf, tc.nsa, tc.r, now), tc.want)
		})
	}
}

func TestSeeAndChangeFacilityCase(t *testing.T) {
	c, ct := facilityCase(), facilityContract()
	closed := c
	closed.Stage = cleared.StageGranted
	person := c
	person.Holder, person.PersonID = "", "per_x"
	tests := []struct {
		name       string
		officerOf  []cleared.OrganisationID
		nsa        bool
		c          cleared.VettingCase
		see, chang Decision
	}{
		{"A21.2 the NSA sees and completes the case", nil, true, c, allow(), allow()},
		{"A21.2 the contracting organisation's officer sees and completes it", []cleared.OrganisationID{orgA}, false, c, allow(), allow()},
		{"A21.2 the company's officer sees and completes it", []cleared.OrganisationID{company}, false, c, allow(), allow()},
		{"A21.2 another officer may not know it exists", []cleared.OrganisationID{orgB}, false, c, hide("A21.2"), hide("A21.2")},
		{"A21.2 one who is no officer may not know it exists", nil, false, c, hide("A21.2"), hide("A21.2")},
		{"A21.2 a decided case is seen, not changed", nil, true, closed, allow(), refuse("A21.2")},
		{"A21.2 a person's case is not a facility case", nil, true, person, hide("A21.2"), hide("A21.2")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkDecision(t, SeeFacilityCase(tc.officerOf, tc.nsa, tc.c, ct), tc.see)
			checkDecision(t, ChangeFacilityCase(tc.officerOf, tc.nsa, tc.c, ct), tc.chang)
		})
	}
}

func TestAddOrgan(t *testing.T) {
	staff := cleared.Person{ID: "per_s", OrganisationID: company}
	held := clearance(staff.ID, cleared.Secret, now.Add(-days(100)))
	own := cleared.VettingCase{ID: "vet_own", PersonID: staff.ID, OrganisationID: company, Stage: cleared.StageInvestigation}
	base := OrganRequest{Case: facilityCase(), Person: staff, Role: cleared.OrganDirector, Clearance: &held}
	with := func(f func(*OrganRequest)) OrganRequest { r := base; f(&r); return r }
	tests := []struct {
		name string
		r    OrganRequest
		want Decision
	}{
		{"A21.2 a director of the company with his clearance", base, allow()},
		{"A21.2 a person running the contract with his own case", with(func(r *OrganRequest) {
			r.Role, r.Clearance, r.OwnCase = cleared.OrganContractRunner, nil, &own
		}), allow()},
		{"A21.2 the security officer when none is listed", with(func(r *OrganRequest) { r.Role = cleared.OrganSecurityOfficer }), allow()},
		{"A21.2 a second security officer is refused", with(func(r *OrganRequest) { r.Role, r.HasOfficerOrgan = cleared.OrganSecurityOfficer, true }), refuse("A21.2")},
		{"A21.2 another director when a security officer is listed", with(func(r *OrganRequest) { r.HasOfficerOrgan = true }), allow()},
		{"A21.2 a person of another organisation is refused", with(func(r *OrganRequest) { r.Person.OrganisationID = orgA }), refuse("A21.2")},
		{"A21.2 an unknown role is refused", with(func(r *OrganRequest) { r.Role = "chairman" }), refuse("A21.2")},
		{"A21.2 neither clearance nor case is refused", with(func(r *OrganRequest) { r.Clearance = nil }), refuse("A21.2")},
		{"A21.2 both clearance and case are refused", with(func(r *OrganRequest) { r.OwnCase = &own }), refuse("A21.2")},
		{"A21.2 another person's clearance is refused", with(func(r *OrganRequest) {
			c := clearance("per_other", cleared.Secret, now.Add(-days(100)))
			r.Clearance = &c
		}), refuse("A21.2")},
		{"A21.2 a facility clearance is no organ's", with(func(r *OrganRequest) {
			c := held
			c.HolderKind, c.PersonID, c.OrganisationID = cleared.HolderFacility, "", company
			r.Clearance = &c
		}), refuse("A21.2")},
		{"A21.2 another person's case is refused", with(func(r *OrganRequest) {
			o := own
			o.PersonID = "per_other"
			r.Clearance, r.OwnCase = nil, &o
		}), refuse("A21.2")},
		{"A21.2 a facility case is no person's own case", with(func(r *OrganRequest) {
			o := facilityCase()
			r.Clearance, r.OwnCase = nil, &o
		}), refuse("A21.2")},
		{"A21.2 an own case refused is refused", with(func(r *OrganRequest) {
			o := own
			o.Stage = cleared.StageRefused
			r.Clearance, r.OwnCase = nil, &o
		}), refuse("A21.2")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { checkDecision(t, AddOrgan(tc.r), tc.want) })
	}
}

func TestFacilityReady(t *testing.T) {
	organ := func(id cleared.PersonID, role cleared.OrganRole, cs ...cleared.Clearance) OrganFacts {
		return OrganFacts{Organ: cleared.FacilityOrgan{PersonID: id, Role: role}, Clearances: cs}
	}
	conf := func(p cleared.PersonID) cleared.Clearance {
		return clearance(p, cleared.Confidential, now.Add(-days(100)))
	}
	expiringAtT := conf("per_so")
	expiringAtT.Expires = now
	expiringAfterT := conf("per_so")
	expiringAfterT.Expires = now.Add(time.Nanosecond)
	means := cleared.FacilityMeans{Case: "vet_f",
		Places:  []cleared.MeansPlace{{Description: "Salle", Level: cleared.Confidential}},
		Storage: []cleared.MeansStorage{{Kind: cleared.StorageSafe, Description: "Coffre", Level: cleared.Secret}}}
	base := FacilityFacts{Case: facilityCase(), Means: &means, Organs: []OrganFacts{
		organ("per_dir", cleared.OrganDirector, conf("per_dir")),
		organ("per_run", cleared.OrganContractRunner, conf("per_run")),
		organ("per_so", cleared.OrganSecurityOfficer, conf("per_so")),
	}}
	with := func(f func(*FacilityFacts)) FacilityFacts {
		r := base
		r.Organs = append([]OrganFacts(nil), base.Organs...)
		f(&r)
		return r
	}
	setSO := func(cs ...cleared.Clearance) func(*FacilityFacts) {
		return func(f *FacilityFacts) { f.Organs[2] = organ("per_so", cleared.OrganSecurityOfficer, cs...) }
	}
	tests := []struct {
		name    string
		f       FacilityFacts
		want    Decision
		lacking string // a word the reason must hold: who or what lacks
	}{
		{"A15.1 A21.2 every organ cleared at the level and the means recorded: ready", base, allow(), ""},
		{"A21.2 a manager instead of a director is enough", with(func(f *FacilityFacts) {
			f.Organs[0] = organ("per_dir", cleared.OrganManager, conf("per_dir"))
		}), allow(), ""},
		{"A21.2 an auditor alone is no director", with(func(f *FacilityFacts) {
			f.Organs[0] = organ("per_dir", cleared.OrganAuditor, conf("per_dir"))
		}), refuse("A21.2"), "director"},
		{"A21.2 no person running the contract", with(func(f *FacilityFacts) { f.Organs = f.Organs[:1:1]; f.Organs = append(f.Organs, base.Organs[2]) }), refuse("A21.2"), "running"},
		{"A21.2 no security officer", with(func(f *FacilityFacts) { f.Organs = f.Organs[:2] }), refuse("A21.2"), "security officer"},
		{"A21.2 an organ with no clearance", with(setSO()), refuse("A21.2"), "per_so"},
		{"A21.2 an organ cleared below the case's level", with(setSO(clearance("per_so", cleared.Restricted, now.Add(-days(100))))), refuse("A21.2"), "RESTREINT"},
		{"A21.2 an organ cleared above the case's level", with(setSO(clearance("per_so", cleared.TopSecret, now.Add(-days(100))))), allow(), ""},
		{"A21.2 A17.1 a clearance expiring exactly at t does not count", with(setSO(expiringAtT)), refuse("A21.2"), "expired"},
		{"A21.2 A17.1 a clearance expiring just after t counts", with(setSO(expiringAfterT)), allow(), ""},
		{"A21.2 A18.1 a clearance pending its briefing does not count", with(setSO(withStatus(conf("per_so"), cleared.ClearancePending))), refuse("A21.2"), "briefing"},
		{"A21.2 A27.1 a suspended clearance does not count", with(setSO(withStatus(conf("per_so"), cleared.ClearanceSuspended))), refuse("A21.2"), "suspended"},
		{"A21.2 a clearance issued after t does not count", with(setSO(clearance("per_so", cleared.Confidential, now.Add(time.Nanosecond)))), refuse("A21.2"), "per_so"},
		{"A21.2 another person's clearance does not cover the organ", with(setSO(conf("per_dir"))), refuse("A21.2"), "per_so"},
		{"A15.1 means not recorded", with(func(f *FacilityFacts) { f.Means = nil }), refuse("A15.1"), "means"},
		{"A15.1 no place at the case's level", with(func(f *FacilityFacts) {
			m := means
			m.Places = []cleared.MeansPlace{{Description: "Bureau", Level: cleared.Restricted}}
			f.Means = &m
		}), refuse("A15.1"), "place"},
		{"A15.1 no storage at the case's level", with(func(f *FacilityFacts) {
			m := means
			m.Storage = nil
			f.Means = &m
		}), refuse("A15.1"), "storage"},
		{"A15.1 a person's case is not a facility case", with(func(f *FacilityFacts) { f.Case.Holder = "" }), refuse("A15.1"), "facility"},
		{"A15.1 a place and a storage exactly at the case's level are enough", with(func(f *FacilityFacts) {
			m := means
			m.Storage = []cleared.MeansStorage{{Kind: cleared.StorageSafe, Description: "Coffre", Level: cleared.Confidential}}
			f.Means = &m
		}), allow(), ""},
		{"A21.2 an organ whose own case is not granted is told so", with(func(f *FacilityFacts) {
			f.Organs[2] = OrganFacts{Organ: cleared.FacilityOrgan{PersonID: "per_so", Role: cleared.OrganSecurityOfficer, OwnCase: "vet_own"}}
		}), refuse("A21.2"), "his own vetting case is not yet granted"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := FacilityReady(tc.f, now)
			checkDecision(t, d, tc.want)
			if !strings.Contains(d.Reason, tc.lacking) {
				t.Errorf("reason %q does not say %q", d.Reason, tc.lacking)
			}
		})
	}
	// Every lack is listed, each naming its rule: two organs and the means.
	f := with(func(f *FacilityFacts) {
		f.Organs[0], f.Organs[2], f.Means = organ("per_dir", cleared.OrganDirector), organ("per_so", cleared.OrganSecurityOfficer), nil
	})
	if d := FacilityReady(f, now); strings.HasPrefix(d.Reason, ";") || strings.Count(d.Reason, "; ") != 2 {
		t.Errorf("the reason does not list the three lacks apart: %q", d.Reason)
	}
	if d := FacilityReady(with(setSO()), now); strings.Contains(d.Reason, "own vetting case") {
		t.Errorf("an organ without a case of his own is said to have one: %q", d.Reason)
	}
	lacks := FacilityLacks(f, now)
	if len(lacks) != 3 || lacks[0].Person != "per_dir" || lacks[1].Person != "per_so" || lacks[2].Rule != "A15.1" ||
		lacks[0].Needs != cleared.Confidential || lacks[0].Rule != "A21.2" || lacks[0].Kind != LackOrganNone || lacks[2].Kind != LackMeans {
		t.Errorf("lacks %+v", lacks)
	}
}

// A15.1: facts that cannot be read refuse the grant (fail closed).
func TestFacilityUnknown(t *testing.T) {
	d := FacilityUnknown(cleared.ErrUnavailable)
	checkDecision(t, d, refuse("A15.1"))
}
