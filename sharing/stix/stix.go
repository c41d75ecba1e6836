// Package stix renders the products cleared shares as STIX 2.1 objects and bundles, in the markings of the
// receiving partner's scheme (A6.1), and reads the bundles partners send (S1). It holds no state and imports
// neither storage nor HTTP: the TAXII server (package web) and the exports call it.
package stix

import (
	"encoding/json"
	"time"

	"github.com/cleared/cleared"
)

// Options are the receiving partner's preferences.
type Options struct {
	// Producer is the name of the organisation that produced the product, as a STIX identity.
	Producer string
	// ACS marks classification and releasability with the ACS 3.0 extension as well, for partners that use it.
	ACS bool
}

// Object is one STIX object as served by TAXII: its id, type and version (modified), and its JSON.
type Object struct {
	ID       string
	Type     string
	Modified time.Time
	JSON     json.RawMessage
}

// Objects renders p as STIX 2.1 objects: its report, indicators, producer identity and marking definitions.
func Objects(p cleared.SharedProduct, o Options) ([]Object, error) {
	return nil, cleared.Unavailablef("stix: not yet rendered")
}

// Bundle renders ps as one STIX 2.1 bundle.
func Bundle(ps []cleared.SharedProduct, o Options) ([]byte, error) {
	return nil, cleared.Unavailablef("stix: not yet rendered")
}
