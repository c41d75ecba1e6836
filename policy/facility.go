package policy

import (
	"fmt"
	"time"

	"github.com/cleared/cleared"
)

// Facility clearances (Art. 15 al. 1 point 2, Art. 21 al. 2; A15.1, A21.2): who opens the case of a company for a
// classified contract, who sees and completes it, which organs it lists, and whether the facility security
// clearance may be granted at a given time.
//
// The case is opened by the NSA, which investigates (Art. 20), or by the security officer in office of the
// contracting organisation: the competent security officer of Art. 25 al. 1 for the pieces the contract uses,
// since the company's own security officer is one of the organs under investigation (Art. 21 al. 2). The company's
// security officer sees the case and completes it (its organs and means) with them.

// FacilityRequest is what opening a facility case decides on: the company, the contract it executes, and how many
// facility cases of the company for that contract are open.
type FacilityRequest struct {
	Company  cleared.Organisation
	Contract cleared.Contract
	Open     int
}

// OpenFacilityCase decides whether one security officer of officerOf, or an NSA officer, may open the case of
// r.Company for r.Contract at t: the NSA or the contracting organisation's security officer in office (A21.2,
// Art. 25 al. 1); of a company, the contract's contractor (A15.1); the contract in force and classified (A16.1:
// the case's level is the contract's); one open case per company and contract.
func OpenFacilityCase(officerOf []cleared.OrganisationID, nsa bool, r FacilityRequest, t time.Time) Decision {
	switch {
	case !nsa && !isOfficer(officerOf, r.Contract.OrganisationID):
		return deny("A21.2", "only the NSA or the security officer in office of the contracting organisation opens a facility case")
	case r.Company.Kind != cleared.Company:
		return deny("A15.1", "a facility security clearance is of a company (a legal entity), not of a public body or a foreign partner")
	case r.Contract.Contractor != r.Company.ID:
		return deny("A15.1", "the company is not the contractor executing the contract")
	case !r.Contract.Period.At(t):
		return deny("A16.1", "the contract is not in force")
	case !r.Contract.Level.Classified():
		return deny("A16.1", "the contract requires no clearance")
	case r.Open > 0:
		return deny("A15.1", "the company already has a facility case open for this contract")
	}
	return Allow
}

// SeeFacilityCase decides whether one security officer of officerOf, or an NSA officer, may see the facility case c
// for contract ct: the NSA, the security officer of the contracting organisation, and the company's own; others
// may not know it exists (A21.2).
func SeeFacilityCase(officerOf []cleared.OrganisationID, nsa bool, c cleared.VettingCase, ct cleared.Contract) Decision {
	if !c.Facility() {
		return hidden("A21.2", "not a facility case")
	}
	if nsa || isOfficer(officerOf, ct.OrganisationID) || isOfficer(officerOf, c.OrganisationID) {
		return Allow
	}
	return hidden("A21.2", "only the NSA and the security officers of the contracting organisation and of the company see a facility case")
}

// ChangeFacilityCase decides whether who may see c (SeeFacilityCase) may change its organs or means: not once it
// is decided (A21.2, A15.1: the grant was made on what it listed).
func ChangeFacilityCase(officerOf []cleared.OrganisationID, nsa bool, c cleared.VettingCase, ct cleared.Contract) Decision {
	if d := SeeFacilityCase(officerOf, nsa, c, ct); !d.Allowed {
		return d
	}
	if c.Stage.Closed() {
		return deny("A21.2", "the facility case is decided: its organs and means no longer change")
	}
	return Allow
}

// OrganRequest is what listing a person as an organ of a company decides on: the facility case, the person, the
// role, and what covers him: the clearance named (nil if none) or his own case (nil if none), and whether the
// case lists a security officer already.
type OrganRequest struct {
	Case            cleared.VettingCase
	Person          cleared.Person
	Role            cleared.OrganRole
	Clearance       *cleared.Clearance
	OwnCase         *cleared.VettingCase
	HasOfficerOrgan bool
}

// AddOrgan decides whether r may be listed on its case (A21.2): a person of the company, in one of the roles of
// Art. 21 al. 2, one security officer per case, with exactly one of a personnel clearance of his and his own case
// (a person's case, of him) that has not closed against him.
func AddOrgan(r OrganRequest) Decision {
	switch {
	case r.Person.OrganisationID != r.Case.OrganisationID:
		return deny("A21.2", "an organ is a person of the company under investigation")
	case !r.Role.Valid():
		return deny("A21.2", "an organ is a director, manager, auditor, person running the contract, or the security officer")
	case r.Role == cleared.OrganSecurityOfficer && r.HasOfficerOrgan:
		return deny("A21.2", "the case lists the company's security officer already")
	case (r.Clearance == nil) == (r.OwnCase == nil):
		return deny("A21.2", "an organ is covered by exactly one of his personnel clearance and his own vetting case")
	case r.Clearance != nil && (r.Clearance.HolderKind != cleared.HolderPerson || r.Clearance.PersonID != r.Person.ID):
		return deny("A21.2", "the clearance named is not a personnel clearance of this person")
	case r.OwnCase != nil && (r.OwnCase.Facility() || r.OwnCase.PersonID != r.Person.ID):
		return deny("A21.2", "the case named is not this person's own vetting case")
	case r.OwnCase != nil && r.OwnCase.Stage.Negative():
		return deny("A21.2", "the person's own case closed against him: it cannot cover him")
	}
	return Allow
}

// OrganLevel is the level of the personnel clearance an organ in role needs on a facility case of level l: l for
// every role. Art. 15 al. 1 point 2 asks the guarantees of the organs "likely to have access" to the pieces, and
// Art. 21 al. 2 names each role for investigation; the contract's pieces go up to l, and a clearance below it
// would not cover them (Art. 16 al. 2, A16.1). Directors, managers and auditors are not exempt from that level:
// they answer for the company that holds the pieces.
func OrganLevel(role cleared.OrganRole, l cleared.Level) cleared.Level { return l }

// OrganFacts is an organ with the personnel clearances of his person.
type OrganFacts struct {
	Organ      cleared.FacilityOrgan
	Clearances []cleared.Clearance
}

// FacilityFacts is what the readiness of a facility case is decided on: the case, its organs with their
// clearances, and its means (nil if none are recorded).
type FacilityFacts struct {
	Case   cleared.VettingCase
	Organs []OrganFacts
	Means  *cleared.FacilityMeans
}

// Lack is one thing a facility case lacks to be granted: under Rule, for the organ (its person and role) when it
// is one's, the level needed and the one held (Unclassified if none), and why.
type Lack struct {
	Rule string `json:"rule"`
	// Kind names the lack for a page to say it in its reader's language: one of the Lack* constants.
	Kind   string            `json:"kind"`
	Person cleared.PersonID  `json:"person_id,omitempty"`
	Role   cleared.OrganRole `json:"role,omitempty"`
	Needs  cleared.Level     `json:"needs,omitzero"`
	Holds  cleared.Level     `json:"holds,omitzero"`
	Reason string            `json:"reason"`
}

// The kinds of lack.
const (
	LackDirector     = "no_director"
	LackRunner       = "no_contract_runner"
	LackOfficer      = "no_security_officer"
	LackOrganBelow   = "organ_below_level"
	LackOrganNone    = "organ_not_cleared"
	LackMeans        = "no_means"
	LackMeansPlace   = "no_place_at_level"
	LackMeansStorage = "no_storage_at_level"
)

// FacilityLacks lists what case f.Case lacks at t to be granted, in order: the roles A21.2 requires (at least one
// director or manager, since a société anonyme has directors and a société à responsabilité limitée managers;
// the persons running the contract; the security officer); each organ's personnel clearance valid at t at the
// level OrganLevel says (a clearance that expires exactly at t does not count, A17.1; one pending its briefing
// does not, A18.1); the means (A15.1): recorded, with a secure place and a storage accredited at the case's level.
func FacilityLacks(f FacilityFacts, t time.Time) []Lack {
	var lacks []Lack
	has := map[cleared.OrganRole]bool{}
	for _, o := range f.Organs {
		has[o.Organ.Role] = true
	}
	if !has[cleared.OrganDirector] && !has[cleared.OrganManager] {
		lacks = append(lacks, Lack{Rule: "A21.2", Kind: LackDirector, Role: cleared.OrganDirector, Reason: "the case lists no director or manager of the company"})
	}
	if !has[cleared.OrganContractRunner] {
		lacks = append(lacks, Lack{Rule: "A21.2", Kind: LackRunner, Role: cleared.OrganContractRunner, Reason: "the case lists no person running the classified contract"})
	}
	if !has[cleared.OrganSecurityOfficer] {
		lacks = append(lacks, Lack{Rule: "A21.2", Kind: LackOfficer, Role: cleared.OrganSecurityOfficer, Reason: "the case lists no security officer of the company"})
	}
	for _, o := range f.Organs {
		if l, ok := organLack(o, f.Case.Level, t); !ok {
			lacks = append(lacks, l)
		}
	}
	lacks = append(lacks, meansLacks(f.Means, f.Case.Level)...)
	return lacks
}

// organLack is what organ o lacks at t on a case of level l, if anything.
func organLack(o OrganFacts, l cleared.Level, t time.Time) (Lack, bool) {
	needs := OrganLevel(o.Organ.Role, l)
	var own []cleared.Clearance
	for _, c := range o.Clearances {
		if c.HolderKind == cleared.HolderPerson && c.PersonID == o.Organ.PersonID {
			own = append(own, c)
		}
	}
	holds, ok := BestClearance(own, t)
	switch {
	case ok && holds >= needs:
		return Lack{}, true
	case ok:
		return Lack{Rule: "A21.2", Kind: LackOrganBelow, Person: o.Organ.PersonID, Role: o.Organ.Role, Needs: needs, Holds: holds,
			Reason: fmt.Sprintf("holds a %s clearance: the case needs at least %s", holds.French(), needs.French())}, false
	}
	reason := "holds no personnel clearance"
	if len(own) > 0 {
		// Why the latest one does not count: expired, suspended, withdrawn, pending its briefing.
		latest := own[0]
		for _, c := range own[1:] {
			if c.Issued.After(latest.Issued) {
				latest = c
			}
		}
		reason = "holds no valid personnel clearance: " + ClearanceValid(latest, t).Reason
	}
	if o.Organ.OwnCase != "" {
		reason += " (his own vetting case is not yet granted and briefed)"
	}
	return Lack{Rule: "A21.2", Kind: LackOrganNone, Person: o.Organ.PersonID, Role: o.Organ.Role, Needs: needs, Reason: reason}, false
}

// meansLacks is what means m lack for a case of level l (A15.1).
func meansLacks(m *cleared.FacilityMeans, l cleared.Level) []Lack {
	if m == nil {
		return []Lack{{Rule: "A15.1", Kind: LackMeans, Reason: "the company's material and technical means are not recorded"}}
	}
	var lacks []Lack
	place, storage := false, false
	for _, p := range m.Places {
		place = place || p.Level >= l
	}
	for _, s := range m.Storage {
		storage = storage || s.Level >= l
	}
	if !place {
		lacks = append(lacks, Lack{Rule: "A15.1", Kind: LackMeansPlace, Needs: l, Reason: "no secure place of the company is accredited at " + l.French()})
	}
	if !storage {
		lacks = append(lacks, Lack{Rule: "A15.1", Kind: LackMeansStorage, Needs: l, Reason: "no storage of the company is approved at " + l.French()})
	}
	return lacks
}

// FacilityReady decides whether the facility security clearance of case f.Case may be granted at t (A15.1,
// A21.2): a facility case, with nothing FacilityLacks finds; refused with the first lack's rule, the reason
// naming every lack (who lacks what, by person ID and role).
func FacilityReady(f FacilityFacts, t time.Time) Decision {
	if !f.Case.Facility() {
		return deny("A15.1", "not a facility case")
	}
	lacks := FacilityLacks(f, t)
	if len(lacks) == 0 {
		return Allow
	}
	reason := ""
	for i, l := range lacks {
		if i > 0 {
			reason += "; "
		}
		if l.Person != "" {
			reason += fmt.Sprintf("%s (%s) ", l.Person, l.Role)
		}
		reason += l.Reason
	}
	return deny(lacks[0].Rule, reason)
}

// FacilityUnknown is the refusal of a grant whose facts could not be read (fail closed, A15.1): nothing is granted
// on organs or means that cannot be checked.
func FacilityUnknown(err error) Decision {
	return deny("A15.1", "the facility case's organs and means cannot be read: "+err.Error())
}
