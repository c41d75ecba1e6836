package store

import "github.com/cleared/cleared"

// FacilityCases holds what a facility case adds to a vetting case (Art. 15, Art. 21 al. 2; A15.1, A21.2): the
// organs of the company listed on it and its material and technical means. The case itself is a VettingCase
// (VettingCases) whose holder is a facility.
type FacilityCases interface {
	// AddFacilityOrgan stores o; ErrConflict if the case lists that person in that role already, ErrInvalid if
	// the case is not a facility case, what o names does not exist, or o names both or neither of a clearance
	// and an own case.
	AddFacilityOrgan(o cleared.FacilityOrgan) error
	// RemoveFacilityOrgan removes organ id of case c; ErrNotFound if the case lists none such.
	RemoveFacilityOrgan(c cleared.VettingCaseID, id cleared.FacilityOrganID) error
	// FacilityOrgans lists the organs of case c, by role as Art. 21 al. 2 names them, then by addition; a
	// *TamperedError if one of them fails its seal (read whole: none is left out).
	FacilityOrgans(c cleared.VettingCaseID) ([]cleared.FacilityOrgan, error)
	// PutFacilityMeans stores the means of a facility case, replacing those recorded before; ErrInvalid if the case
	// is not a facility case.
	PutFacilityMeans(m cleared.FacilityMeans) error
	// FacilityMeans returns the means recorded on case c; ErrNotFound if none are.
	FacilityMeans(c cleared.VettingCaseID) (cleared.FacilityMeans, error)
}
