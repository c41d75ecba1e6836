package vetting

import (
	"context"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// FacilityReady runs facilityReady on case id at now in a read transaction: the tests of package vetting_test ask
// it what the deciding authority's grant of a facility case asks.
func (s *Service) FacilityReady(ctx context.Context, id cleared.VettingCaseID, now time.Time) (d policy.Decision, err error) {
	err = s.store.View(ctx, func(tx store.Tx) error {
		c, err := tx.VettingCase(id)
		if err == nil {
			d = s.facilityReady(tx, c, now)
		}
		return err
	})
	return d, err
}
