package registry

import (
	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/store"
)

// SignFor signs doc as person p within the action x (its transaction tx), with the certificate cleared holds for
// him, issued at first use (E2, docs/signing.md): the signing service of the other services over the same runner
// (package vetting signs a questionnaire and a consent with it, A25.1, A25.2). p must be the authenticated actor
// of x: the caller checks it, as signAs's callers do. It returns the certificate's fingerprint and the detached
// CMS signature (DER).
func (s *Service) SignFor(tx store.Tx, x *act.Act, p cleared.Person, doc []byte) (string, []byte, error) {
	c, cms, err := s.signAs(tx, x, p, doc)
	return c.Fingerprint, cms, err
}
