package vetting

import (
	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// FileOf gives the package's tests the file the commission reads through file (A27.4).
func (s *Service) FileOf(tx store.Tx, c cleared.VettingCase, forPerson bool) (CaseFile, error) {
	return s.file(tx, c, forPerson)
}
