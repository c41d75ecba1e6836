package vetting

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// Facility clearances (Art. 15 al. 1 point 2, Art. 21 al. 2; A15.1, A21.2): the case of a company executing a
// classified contract, opened at the contract's level by the NSA or the contracting organisation's security
// officer (policy/facility.go says why them). It lists the company's organs (directors, managers, auditors, the
// persons running the contract, its security officer), each covered by his own clearance or vetted in his own
// case, and records the company's material and technical means. Its readiness, who lacks what, is computed at
// each read (policy.FacilityLacks); the deciding authority's grant asks facilityReady.
//
// A facility case has no questionnaire of its own: the request of the competent security officer is its intake
// (Art. 25 al. 1), and the organs' questionnaires and consents are signed in their own cases. So it opens at stage
// signed, ready for the NSA to open its investigation, and never closes for non-cooperation.

// Limits on a facility case's means.
const (
	maxMeansItems = 50
	maxDesc       = 300
)

// NewFacilityCase is the input of OpenFacilityCase: the classified contract; the company is its contractor.
type NewFacilityCase struct {
	Contract cleared.ContractID `json:"contract"`
}

// NewOrgan is the input of AddOrgan: a person of the company, his role, and exactly one of his clearance and his
// own vetting case.
type NewOrgan struct {
	PersonID  cleared.PersonID      `json:"person_id"`
	Role      cleared.OrganRole     `json:"role"`
	Clearance cleared.ClearanceID   `json:"clearance,omitempty"`
	OwnCase   cleared.VettingCaseID `json:"own_case,omitempty"`
}

func (in NewOrgan) validate() error {
	if err := in.PersonID.Validate(); err != nil {
		return err
	}
	if !in.Role.Valid() {
		return cleared.Invalidf("role is one of director, manager, auditor, contract_runner, security_officer (A21.2)")
	}
	switch {
	case (in.Clearance == "") == (in.OwnCase == ""):
		return cleared.Invalidf("an organ names exactly one of clearance and own_case (A21.2)")
	case in.Clearance != "":
		return in.Clearance.Validate()
	}
	return in.OwnCase.Validate()
}

// NewMeans is the input of RecordMeans: the company's secure places, accredited systems and channels, and storage
// (A15.1), replacing those recorded before.
type NewMeans struct {
	Places  []cleared.MeansPlace   `json:"places"`
	Systems []cleared.MeansSystem  `json:"systems"`
	Storage []cleared.MeansStorage `json:"storage"`
}

// validate checks the means strictly, without the registers: each list bounded, each item with its level and
// description, references well formed, each storage in one of the places.
func (in *NewMeans) validate() error {
	if len(in.Places) > maxMeansItems || len(in.Systems) > maxMeansItems || len(in.Storage) > maxMeansItems {
		return cleared.Invalidf("at most %d places, systems and storage each", maxMeansItems)
	}
	level := func(field string, l cleared.Level) error {
		if !l.Classified() {
			return cleared.Invalidf("%s: level is one of TOP_SECRET, SECRET, CONFIDENTIAL, RESTRICTED", field)
		}
		return nil
	}
	for i, p := range in.Places {
		f := fmt.Sprintf("places[%d]", i)
		if p.Place != "" {
			if err := p.Place.Validate(); err != nil {
				return fmt.Errorf("%s: %w", f, err)
			}
		}
		if err := cleared.CheckLine(f+".description", p.Description, 1, maxDesc); err != nil {
			return err
		}
		if err := level(f, p.Level); err != nil {
			return err
		}
	}
	for i, sy := range in.Systems {
		f := fmt.Sprintf("systems[%d]", i)
		if sy.Channel != "" {
			if err := sy.Channel.Validate(); err != nil {
				return fmt.Errorf("%s: %w", f, err)
			}
		}
		if err := cleared.CheckLine(f+".name", sy.Name, 1, maxName); err != nil {
			return err
		}
		if err := cleared.CheckLine(f+".accreditation", sy.Accreditation, 1, maxName); err != nil {
			return err
		}
		if err := level(f, sy.Level); err != nil {
			return err
		}
	}
	for i, st := range in.Storage {
		f := fmt.Sprintf("storage[%d]", i)
		if !st.Kind.Valid() {
			return cleared.Invalidf("%s: kind is one of safe, strongroom, security_cabinet", f)
		}
		if err := cleared.CheckLine(f+".description", st.Description, 1, maxDesc); err != nil {
			return err
		}
		if err := level(f, st.Level); err != nil {
			return err
		}
		if st.InPlace < 0 || st.InPlace >= len(in.Places) {
			return cleared.Invalidf("%s: in_place is the index of one of the places (0 to %d)", f, len(in.Places)-1)
		}
	}
	if in.Places == nil {
		in.Places = []cleared.MeansPlace{}
	}
	if in.Systems == nil {
		in.Systems = []cleared.MeansSystem{}
	}
	if in.Storage == nil {
		in.Storage = []cleared.MeansStorage{}
	}
	return nil
}

// OrganView is an organ with his name, the level his role needs, the level he holds at the read (Unclassified if
// none valid), whether that covers him, and the stage of his own case if he is vetted in one.
type OrganView struct {
	cleared.FacilityOrgan
	PersonName   string            `json:"person_name"`
	Needs        cleared.Level     `json:"needs"`
	Holds        cleared.Level     `json:"holds,omitzero"`
	Covered      bool              `json:"covered"`
	OwnCaseStage cleared.CaseStage `json:"own_case_stage,omitempty"`
}

// LackView is one thing the case lacks, with the name of the organ's person when it is his.
type LackView struct {
	policy.Lack
	PersonName string `json:"person_name,omitempty"`
}

// Readiness is whether the facility clearance may be granted at At (A15.1, A21.2), and if not, who lacks what.
type Readiness struct {
	At    time.Time  `json:"at"`
	Ready bool       `json:"ready"`
	Lacks []LackView `json:"lacks"`
}

// FacilityView is a facility case with its company, contract, organs, means (nil if none recorded) and readiness
// at the time of the read.
type FacilityView struct {
	cleared.VettingCase
	CompanyName       string                 `json:"company_name"`
	ContractReference string                 `json:"contract_reference"`
	Organs            []OrganView            `json:"organs"`
	Means             *cleared.FacilityMeans `json:"means"`
	Readiness         Readiness              `json:"readiness"`
}

// OpenFacilityCase opens the case of the company executing contract in.Contract, at the contract's level (A15.1,
// A21.2, A16.1): by the NSA or the contracting organisation's security officer in office; ErrNotFound for a
// contract the actor may not know.
func (s *Service) OpenFacilityCase(ctx context.Context, a cleared.Actor, in NewFacilityCase) (v FacilityView, err error) {
	defer cleared.Wrap(&err, "open facility case")
	if err := in.Contract.Validate(); err != nil {
		return v, err
	}
	now := s.clock()
	id := cleared.NewVettingCaseID()
	key, err := s.ring.NewDataKey(string(id))
	if err != nil {
		return v, err
	}
	err = s.run.Do(ctx, a, act.FacilityCaseOpen, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		ct, err := tx.Contract(in.Contract)
		if errors.Is(err, cleared.ErrNotFound) {
			return x.Hide(string(in.Contract))
		} else if err != nil {
			return err
		}
		if !policy.SeePosts(w.officerOf, w.nsa, ct.OrganisationID, ct.Contractor).Allowed {
			return x.Hide(string(in.Contract))
		}
		co, err := tx.Organisation(ct.Contractor)
		if err != nil {
			return err
		}
		open, err := tx.VettingCases(store.VettingCaseQuery{Contract: ct.ID, Holder: cleared.HolderFacility, Open: true, Limit: 1})
		if err != nil {
			return err
		}
		r := policy.FacilityRequest{Company: co, Contract: ct, Open: len(open)}
		if d := policy.OpenFacilityCase(w.officerOf, w.nsa, r, now); !d.Allowed {
			return x.Deny(string(ct.ID), d)
		}
		c := cleared.VettingCase{ID: id, Holder: cleared.HolderFacility, OrganisationID: co.ID, Contract: ct.ID,
			Level: ct.Level, Origin: cleared.OriginNational, Kind: cleared.KindInitial, Stage: cleared.StageSigned,
			Deadline: now, OpenedBy: w.me.ID, Opened: now, Updated: now}
		x.Object, x.Payload = string(c.ID), c
		if err := tx.CreateVettingCase(c, store.CaseKey{KEK: key.KEK, Wrapped: key.Wrapped}); err != nil {
			return err
		}
		v, err = s.facilityView(tx, c, now)
		return err
	})
	return v, err
}

// loadFacility reads facility case id and its contract, hiding (ErrNotFound) what the actor may not know; with
// change, refusing a case decided (A21.2).
func loadFacility(tx store.Tx, x *act.Act, w who, id cleared.VettingCaseID, change bool) (cleared.VettingCase, error) {
	c, err := tx.VettingCase(id)
	if errors.Is(err, cleared.ErrNotFound) {
		return c, x.Hide(string(id))
	} else if err != nil {
		return c, err
	}
	if !c.Facility() {
		return c, x.Hide(string(id))
	}
	ct, err := tx.Contract(c.Contract)
	if err != nil {
		return c, err
	}
	d := policy.SeeFacilityCase(w.officerOf, w.nsa, c, ct)
	if change {
		d = policy.ChangeFacilityCase(w.officerOf, w.nsa, c, ct)
	}
	if !d.Allowed {
		return c, x.Deny(string(id), d)
	}
	x.Object = string(id)
	return c, nil
}

// FacilityCase reads facility case id with its organs, means and readiness at the time of the read (A15.1,
// A21.2): for the NSA and the security officers of the contracting organisation and of the company; ErrNotFound
// for others, and for a person's case.
func (s *Service) FacilityCase(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID) (v FacilityView, err error) {
	defer cleared.Wrap(&err, "read facility case")
	if err := id.Validate(); err != nil {
		return v, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.FacilityCaseRead, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		c, err := loadFacility(tx, x, w, id, false)
		if err != nil {
			return err
		}
		v, err = s.facilityView(tx, c, now)
		return err
	})
	return v, err
}

// FacilityCases lists the facility cases the actor may see (A21.2): all for the NSA; for a security officer those
// of his organisation's contracts and of his company. Most recent last.
func (s *Service) FacilityCases(ctx context.Context, a cleared.Actor, limit int) (out []cleared.VettingCase, err error) {
	defer cleared.Wrap(&err, "list facility cases")
	now := s.clock()
	err = s.run.Read(ctx, a, act.FacilityCaseList, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		out = []cleared.VettingCase{}
		if !w.nsa && len(w.officerOf) == 0 {
			return nil
		}
		cs, err := tx.VettingCases(store.VettingCaseQuery{Holder: cleared.HolderFacility, Limit: maxListLimit})
		if err != nil {
			return err
		}
		for _, c := range cs {
			ct, err := tx.Contract(c.Contract)
			if err != nil {
				continue // a contract that fails its seal shows nothing of its cases
			}
			if policy.SeeFacilityCase(w.officerOf, w.nsa, c, ct).Allowed && len(out) < page(limit) {
				out = append(out, c)
			}
		}
		return nil
	})
	return out, err
}

// facilityStep runs a change of facility case id by who may change it (A21.2): fn changes what the case holds;
// the case's view after it is returned.
func (s *Service) facilityStep(ctx context.Context, a cleared.Actor, name act.Name, id cleared.VettingCaseID,
	fn func(tx store.Tx, x *act.Act, w who, c cleared.VettingCase, now time.Time) error) (v FacilityView, err error) {
	if err := id.Validate(); err != nil {
		return v, err
	}
	now := s.clock()
	err = s.run.Do(ctx, a, name, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		c, err := loadFacility(tx, x, w, id, true)
		if err != nil {
			return err
		}
		if err := fn(tx, x, w, c, now); err != nil {
			return err
		}
		v, err = s.facilityView(tx, c, now)
		return err
	})
	return v, err
}

// AddOrgan lists a person of the company on facility case id in his role (A21.2), covered by his personnel
// clearance or vetted in his own case; ErrNotFound for a person who is not of the company (another organisation's
// staff is not the officer's to know); a person in a role twice is a conflict.
func (s *Service) AddOrgan(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID, in NewOrgan) (v FacilityView, err error) {
	defer cleared.Wrap(&err, "add organ")
	if err := in.validate(); err != nil {
		return v, err
	}
	return s.facilityStep(ctx, a, act.FacilityCaseOrganAdd, id, func(tx store.Tx, x *act.Act, w who, c cleared.VettingCase, now time.Time) error {
		p, err := tx.Person(in.PersonID)
		if errors.Is(err, cleared.ErrNotFound) || err == nil && p.OrganisationID != c.OrganisationID {
			return x.Hide(string(in.PersonID))
		} else if err != nil {
			return err
		}
		r := policy.OrganRequest{Case: c, Person: p, Role: in.Role}
		if in.Clearance != "" {
			cl, err := tx.Clearance(in.Clearance)
			if errors.Is(err, cleared.ErrNotFound) {
				return cleared.Invalidf("no clearance %s in the register", in.Clearance)
			} else if err != nil {
				return err
			}
			r.Clearance = &cl
		} else {
			own, err := tx.VettingCase(in.OwnCase)
			if errors.Is(err, cleared.ErrNotFound) {
				return cleared.Invalidf("no vetting case %s", in.OwnCase)
			} else if err != nil {
				return err
			}
			r.OwnCase = &own
		}
		organs, err := tx.FacilityOrgans(c.ID)
		if err != nil {
			return err
		}
		for _, o := range organs {
			r.HasOfficerOrgan = r.HasOfficerOrgan || o.Role == cleared.OrganSecurityOfficer
		}
		if d := policy.AddOrgan(r); !d.Allowed {
			return x.Deny(string(c.ID), d)
		}
		o := cleared.FacilityOrgan{ID: cleared.NewFacilityOrganID(), Case: c.ID, PersonID: p.ID, Role: in.Role,
			Clearance: in.Clearance, OwnCase: in.OwnCase, AddedBy: w.me.ID, Added: now}
		x.Payload = o
		return tx.AddFacilityOrgan(o)
	})
}

// RemoveOrgan takes organ organ off facility case id (A21.2); ErrNotFound if the case lists none such.
func (s *Service) RemoveOrgan(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID, organ cleared.FacilityOrganID) (v FacilityView, err error) {
	defer cleared.Wrap(&err, "remove organ")
	if err := organ.Validate(); err != nil {
		return v, err
	}
	return s.facilityStep(ctx, a, act.FacilityCaseOrganRemove, id, func(tx store.Tx, x *act.Act, _ who, c cleared.VettingCase, _ time.Time) error {
		err := tx.RemoveFacilityOrgan(c.ID, organ)
		if errors.Is(err, cleared.ErrNotFound) {
			return x.Hide(string(organ))
		}
		x.Payload = map[string]string{"case": string(c.ID), "organ": string(organ)}
		return err
	})
}

// RecordMeans records the company's material and technical means on facility case id (A15.1), replacing those
// before: places of the register must be the company's and accredited at least at the level given, channels of
// the register accredited at least at theirs.
func (s *Service) RecordMeans(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID, in NewMeans) (v FacilityView, err error) {
	defer cleared.Wrap(&err, "record facility means")
	if err := in.validate(); err != nil {
		return v, err
	}
	return s.facilityStep(ctx, a, act.FacilityCaseMeans, id, func(tx store.Tx, x *act.Act, w who, c cleared.VettingCase, now time.Time) error {
		for i, p := range in.Places {
			if p.Place == "" {
				continue
			}
			pl, err := tx.Place(p.Place)
			if errors.Is(err, cleared.ErrNotFound) || err == nil && pl.OrganisationID != c.OrganisationID {
				return cleared.Invalidf("places[%d]: %s is not a place of the company in the register", i, p.Place)
			} else if err != nil {
				return err
			}
			if p.Level > pl.AccreditedLevel {
				return cleared.Invalidf("places[%d]: the register accredits %s up to %s", i, p.Place, pl.AccreditedLevel)
			}
			if p.SecurityZone && !pl.SecurityZone {
				return cleared.Invalidf("places[%d]: %s is not a security zone in the register", i, p.Place)
			}
		}
		for i, sy := range in.Systems {
			if sy.Channel == "" {
				continue
			}
			ch, err := tx.Channel(sy.Channel)
			if errors.Is(err, cleared.ErrNotFound) {
				return cleared.Invalidf("systems[%d]: no channel %s in the register", i, sy.Channel)
			} else if err != nil {
				return err
			}
			if sy.Level > ch.MaxLevel || !ch.ActiveAt(now) {
				return cleared.Invalidf("systems[%d]: the channel %s is not accredited at %s now", i, sy.Channel, sy.Level)
			}
		}
		m := cleared.FacilityMeans{Case: c.ID, Places: in.Places, Systems: in.Systems, Storage: in.Storage,
			RecordedBy: w.me.ID, Recorded: now}
		x.Payload = m
		return tx.PutFacilityMeans(m)
	})
}

// facilityFacts loads what the readiness of facility case c is decided on.
func facilityFacts(tx store.Tx, c cleared.VettingCase) (policy.FacilityFacts, error) {
	f := policy.FacilityFacts{Case: c}
	organs, err := tx.FacilityOrgans(c.ID)
	if err != nil {
		return f, err
	}
	for _, o := range organs {
		cs, err := tx.PersonClearances(o.PersonID)
		if err != nil {
			return f, err
		}
		f.Organs = append(f.Organs, policy.OrganFacts{Organ: o, Clearances: cs})
	}
	m, err := tx.FacilityMeans(c.ID)
	switch {
	case err == nil:
		f.Means = &m
	case !errors.Is(err, cleared.ErrNotFound):
		return f, err
	}
	return f, nil
}

// facilityReady decides whether the facility security clearance of case c may be granted at now (A15.1, A21.2):
// the deciding authority's grant of a facility case calls it in its transaction, and refuses with its decision.
// Facts that cannot be read refuse (fail closed).
func (s *Service) facilityReady(tx store.Tx, c cleared.VettingCase, now time.Time) policy.Decision {
	f, err := facilityFacts(tx, c)
	if err != nil {
		return policy.FacilityUnknown(err)
	}
	return policy.FacilityReady(f, now)
}

// facilityView completes facility case c with its company, contract, organs, means and readiness at now.
func (s *Service) facilityView(tx store.Tx, c cleared.VettingCase, now time.Time) (FacilityView, error) {
	v := FacilityView{VettingCase: c, Organs: []OrganView{}}
	co, err := tx.Organisation(c.OrganisationID)
	if err != nil {
		return v, err
	}
	ct, err := tx.Contract(c.Contract)
	if err != nil {
		return v, err
	}
	v.CompanyName, v.ContractReference = co.Name, ct.Reference
	f, err := facilityFacts(tx, c)
	if err != nil {
		return v, err
	}
	v.Means = f.Means
	names := map[cleared.PersonID]string{}
	for _, o := range f.Organs {
		p, err := tx.Person(o.Organ.PersonID)
		if err != nil {
			return v, err
		}
		names[p.ID] = p.Name
		ov := OrganView{FacilityOrgan: o.Organ, PersonName: p.Name, Needs: policy.OrganLevel(o.Organ.Role, c.Level)}
		var own []cleared.Clearance
		for _, cl := range o.Clearances {
			if cl.HolderKind == cleared.HolderPerson {
				own = append(own, cl)
			}
		}
		ov.Holds, _ = policy.BestClearance(own, now)
		ov.Covered = ov.Holds >= ov.Needs
		if o.Organ.OwnCase != "" {
			oc, err := tx.VettingCase(o.Organ.OwnCase)
			if err != nil {
				return v, err
			}
			ov.OwnCaseStage = oc.Stage
		}
		v.Organs = append(v.Organs, ov)
	}
	v.Readiness = Readiness{At: now, Lacks: []LackView{}}
	for _, l := range policy.FacilityLacks(f, now) {
		v.Readiness.Lacks = append(v.Readiness.Lacks, LackView{Lack: l, PersonName: names[l.Person]})
	}
	v.Readiness.Ready = len(v.Readiness.Lacks) == 0 && c.Facility()
	return v, nil
}
