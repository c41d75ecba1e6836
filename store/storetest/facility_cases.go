package storetest

import (
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// facilityCase is the case of company for contract, opened at day(-2) by the world's person (A15.1, A21.2).
func (w world) facilityCase(company cleared.OrganisationID, contract cleared.ContractID) cleared.VettingCase {
	return cleared.VettingCase{ID: cleared.NewVettingCaseID(), Holder: cleared.HolderFacility, OrganisationID: company,
		Contract: contract, Level: cleared.Confidential, Origin: cleared.OriginNational, Kind: cleared.KindInitial,
		Stage: cleared.StageSigned, Deadline: day(-2), OpenedBy: w.person.ID, Opened: day(-2), Updated: day(-2)}
}

// organ lists person on case c in role, covered by clearance (or by own case if clearance is empty).
func (w world) organ(c cleared.VettingCaseID, person cleared.PersonID, role cleared.OrganRole, clearance cleared.ClearanceID, own cleared.VettingCaseID) cleared.FacilityOrgan {
	return cleared.FacilityOrgan{ID: cleared.NewFacilityOrganID(), Case: c, PersonID: person, Role: role,
		Clearance: clearance, OwnCase: own, AddedBy: w.person.ID, Added: day(-1)}
}

func (w world) means(c cleared.VettingCaseID, place cleared.PlaceID) cleared.FacilityMeans {
	return cleared.FacilityMeans{Case: c,
		Places:     []cleared.MeansPlace{{Place: place, Description: "Salle forte", Level: cleared.Secret, SecurityZone: true}},
		Systems:    []cleared.MeansSystem{{Name: "Poste isolé", Accreditation: "ANS-HOM-7", Level: cleared.Confidential}},
		Storage:    []cleared.MeansStorage{{Kind: cleared.StorageSafe, Description: "Coffre classe B", Level: cleared.Secret}},
		RecordedBy: w.person.ID, Recorded: day(-1)}
}

// facilityWorld is a company with two persons, a contract it executes, the case of the company and the person
// case of its second person.
type facilityWorld struct {
	world
	company        cleared.Organisation
	boss, engineer cleared.Person
	contract       cleared.Contract
	clearance      cleared.Clearance
	fac, own       cleared.VettingCase
}

func newFacilityWorld(t *testing.T, s store.Store) facilityWorld {
	t.Helper()
	w := facilityWorld{world: newWorld(t, s)}
	w.company = newOrganisation()
	w.company.Kind = cleared.Company
	w.boss, w.engineer = newPerson(w.company.ID), newPerson(w.company.ID)
	w.clearance = cleared.Clearance{ID: cleared.NewClearanceID(), HolderKind: cleared.HolderPerson, PersonID: w.boss.ID,
		Level: cleared.Secret, Issued: day(-100), Expires: day(100), Status: cleared.ClearanceActive,
		Source: cleared.SourcePaperRegister, Reference: "ANS-PSC-9", RecordedBy: w.person.ID, Recorded: day(-100)}
	create(t, s, w.company, w.boss, w.engineer, w.clearance)
	w.contract = w.world.contract("MP-FSC-1", w.company.ID)
	createPosts(t, s, w.contract)
	w.fac = w.world.facilityCase(w.company.ID, w.contract.ID)
	w.own = w.world.vettingCase(w.engineer.ID, "")
	w.own.OrganisationID, w.own.Contract = w.company.ID, w.contract.ID
	update(t, s, func(tx store.Tx) error {
		if err := tx.CreateVettingCase(w.fac, caseKey); err != nil {
			return err
		}
		return tx.CreateVettingCase(w.own, caseKey)
	})
	return w
}

func testFacilityCases(t *testing.T, open opener) {
	t.Run("A15.1_facility_case_round_trip_and_holder_filter", func(t *testing.T) {
		s := open(t)
		w := newFacilityWorld(t, s)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.VettingCase(w.fac.ID)
			if err != nil {
				return err
			}
			same(t, "facility case", got, w.fac)
			own, err := tx.VettingCase(w.own.ID)
			if err != nil {
				return err
			}
			same(t, "person case (holder empty)", own, w.own)
			for _, q := range []struct {
				q    store.VettingCaseQuery
				want int
			}{
				{store.VettingCaseQuery{Organisation: w.company.ID, Limit: 10}, 2},
				{store.VettingCaseQuery{Organisation: w.company.ID, Holder: cleared.HolderFacility, Limit: 10}, 1},
				{store.VettingCaseQuery{Organisation: w.company.ID, Holder: cleared.HolderPerson, Limit: 10}, 1},
				{store.VettingCaseQuery{Contract: w.contract.ID, Holder: cleared.HolderFacility, Open: true, Limit: 10}, 1},
				{store.VettingCaseQuery{Contract: "ctr_none", Limit: 10}, 0},
				{store.VettingCaseQuery{Due: day(400), Limit: 10}, 1}, // the person's case at intake; a facility case never is
			} {
				n, err := count(tx.VettingCases(q.q))
				if err != nil {
					return err
				}
				if n != q.want {
					t.Errorf("%+v: %d cases, want %d", q.q, n, q.want)
				}
			}
			return nil
		})
		moved := w.fac
		moved.Stage, moved.Updated = cleared.StageInvestigation, day(0)
		update(t, s, func(tx store.Tx) error { return tx.UpdateVettingCase(moved) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.VettingCase(w.fac.ID)
			same(t, "facility case moved on (seal kept)", got, moved)
			return err
		})
	})
	t.Run("A15.1_holder_mismatch_is_refused", func(t *testing.T) {
		s := open(t)
		w := newFacilityWorld(t, s)
		withPerson := w.world.facilityCase(w.company.ID, w.contract.ID)
		withPerson.PersonID = w.boss.ID
		withoutPerson := w.world.vettingCase("", "")
		withoutPerson.Contract = w.contract.ID
		forPost := w.world.facilityCase(w.company.ID, "")
		forPost.Post = w.world.post("Directeur").ID
		strange := w.world.vettingCase(w.boss.ID, "")
		strange.Contract, strange.Holder = w.contract.ID, "company"
		for name, c := range map[string]cleared.VettingCase{"facility case naming a person": withPerson,
			"person case naming no person": withoutPerson, "facility case for a post": forPost, "unknown holder": strange} {
			err := s.Update(t.Context(), func(tx store.Tx) error { return tx.CreateVettingCase(c, caseKey) })
			wantKind(t, name, err, cleared.ErrInvalid)
		}
	})
	t.Run("A21.2_organs_round_trip_conflict_and_remove", func(t *testing.T) {
		s := open(t)
		w := newFacilityWorld(t, s)
		sec := w.world.organ(w.fac.ID, w.engineer.ID, cleared.OrganSecurityOfficer, "", w.own.ID)
		dir := w.world.organ(w.fac.ID, w.boss.ID, cleared.OrganDirector, w.clearance.ID, "")
		runner := w.world.organ(w.fac.ID, w.boss.ID, cleared.OrganContractRunner, w.clearance.ID, "")
		update(t, s, func(tx store.Tx) error {
			for _, o := range []cleared.FacilityOrgan{sec, dir, runner} {
				if err := tx.AddFacilityOrgan(o); err != nil {
					return err
				}
			}
			return nil
		})
		view(t, s, func(tx store.Tx) error {
			got, err := tx.FacilityOrgans(w.fac.ID)
			same(t, "organs by role (A21.2's order)", got, []cleared.FacilityOrgan{dir, runner, sec})
			return err
		})
		again := w.world.organ(w.fac.ID, w.boss.ID, cleared.OrganDirector, w.clearance.ID, "")
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.AddFacilityOrgan(again) })
		wantKind(t, "the same person twice in one role", err, cleared.ErrConflict)
		both := w.world.organ(w.fac.ID, w.boss.ID, cleared.OrganAuditor, w.clearance.ID, w.own.ID)
		neither := w.world.organ(w.fac.ID, w.boss.ID, cleared.OrganAuditor, "", "")
		badRole := w.world.organ(w.fac.ID, w.boss.ID, "chairman", w.clearance.ID, "")
		onPersonCase := w.world.organ(w.own.ID, w.boss.ID, cleared.OrganManager, w.clearance.ID, "")
		unknownCase := w.world.organ(cleared.NewVettingCaseID(), w.boss.ID, cleared.OrganManager, w.clearance.ID, "")
		for name, o := range map[string]cleared.FacilityOrgan{"clearance and own case": both, "neither": neither,
			"unknown role": badRole, "on a person's case": onPersonCase, "on no case": unknownCase} {
			err := s.Update(t.Context(), func(tx store.Tx) error { return tx.AddFacilityOrgan(o) })
			wantKind(t, name, err, cleared.ErrInvalid)
		}
		update(t, s, func(tx store.Tx) error { return tx.RemoveFacilityOrgan(w.fac.ID, runner.ID) })
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.RemoveFacilityOrgan(w.fac.ID, runner.ID) })
		wantKind(t, "removed twice", err, cleared.ErrNotFound)
		err = s.Update(t.Context(), func(tx store.Tx) error { return tx.RemoveFacilityOrgan(w.own.ID, dir.ID) })
		wantKind(t, "removed from another case", err, cleared.ErrNotFound)
		view(t, s, func(tx store.Tx) error {
			got, err := tx.FacilityOrgans(w.fac.ID)
			same(t, "organs after the removal", got, []cleared.FacilityOrgan{dir, sec})
			return err
		})
	})
	t.Run("A15.1_means_replace_and_read", func(t *testing.T) {
		s := open(t)
		w := newFacilityWorld(t, s)
		view(t, s, func(tx store.Tx) error {
			_, err := tx.FacilityMeans(w.fac.ID)
			wantKind(t, "means before any is recorded", err, cleared.ErrNotFound)
			return nil
		})
		m := w.world.means(w.fac.ID, "")
		update(t, s, func(tx store.Tx) error { return tx.PutFacilityMeans(m) })
		m.Systems, m.Recorded = nil, day(0)
		m.Storage = append(m.Storage, cleared.MeansStorage{Kind: cleared.StorageStrongroom, Description: "Chambre forte", Level: cleared.TopSecret})
		update(t, s, func(tx store.Tx) error { return tx.PutFacilityMeans(m) })
		view(t, s, func(tx store.Tx) error {
			got, err := tx.FacilityMeans(w.fac.ID)
			same(t, "means replaced", got, m)
			return err
		})
		err := s.Update(t.Context(), func(tx store.Tx) error { return tx.PutFacilityMeans(w.world.means(w.own.ID, "")) })
		wantKind(t, "means of a person's case", err, cleared.ErrInvalid)
	})
}
