package demo

import (
	"github.com/cleared/cleared"
	"github.com/cleared/cleared/vetting"
)

// loadVettingFacility: Chapter 4's facility clearances (Art. 15, Art. 21 al. 2; A15.1, A21.2). Luc, the ministry's
// security officer, opens the case of Luxdefence for the ministry's CONFIDENTIEL contract it executes; he lists
// Léa as director and as the person running the contract (her CONFIDENTIEL clearance covers both) and Max as the
// company's security officer, and records the company's secure room and safe. Max holds only RESTREINT: the
// case's readiness names him, and the facility clearance cannot be granted until he holds CONFIDENTIEL.
func loadVettingFacility(l *loader, w *World) {
	ctx, v := l.ctx, l.sv.Vetting
	luc := cleared.Actor{Person: w.Luc.ID}
	cs := do(l, "the register of clearances", func() ([]cleared.Clearance, error) {
		return l.sv.Registry.Clearances(ctx, cleared.Actor{Person: w.Helene.ID}, "", 500)
	})
	clearance := func(p cleared.Person) cleared.ClearanceID {
		for _, c := range cs {
			if c.PersonID == p.ID {
				return c.ID
			}
		}
		return ""
	}
	w.FacilityCase = do(l, "Luxdefence's facility case", func() (vetting.FacilityView, error) {
		return v.OpenFacilityCase(ctx, luc, vetting.NewFacilityCase{Contract: w.Contract.ID})
	}).VettingCase
	lea, max := clearance(w.Lea), clearance(w.Max)
	for _, o := range []vetting.NewOrgan{
		{PersonID: w.Lea.ID, Role: cleared.OrganDirector, Clearance: lea},
		{PersonID: w.Lea.ID, Role: cleared.OrganContractRunner, Clearance: lea},
		{PersonID: w.Max.ID, Role: cleared.OrganSecurityOfficer, Clearance: max},
	} {
		do(l, "organ "+string(o.Role), func() (vetting.FacilityView, error) {
			return v.AddOrgan(ctx, luc, w.FacilityCase.ID, o)
		})
	}
	do(l, "Luxdefence's means", func() (vetting.FacilityView, error) {
		return v.RecordMeans(ctx, luc, w.FacilityCase.ID, vetting.NewMeans{
			Places: []cleared.MeansPlace{{Description: "Salle sécurisée du bâtiment B, Bettembourg", Level: cleared.Confidential,
				SecurityZone: true}},
			Systems: []cleared.MeansSystem{{Name: "Poste autonome de développement des chiffreurs", Accreditation: "ANS-HOM-2026-014",
				Level: cleared.Confidential}},
			Storage: []cleared.MeansStorage{{Kind: cleared.StorageSafe, Description: "Coffre-fort classe B, salle B-012",
				Level: cleared.Confidential}},
		})
	})
}
