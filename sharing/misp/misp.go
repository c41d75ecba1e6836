// Package misp renders the products cleared shares as MISP events and feeds, in the markings of the receiving
// partner's scheme (A6.1: the nato or euci taxonomies, or the national one), and reads the events partners send
// (S1). It holds no state and imports neither storage nor HTTP: the MISP feed (package web) and the exports call it.
package misp

import "github.com/cleared/cleared"

// Options are the receiving partner's preferences.
type Options struct {
	// Producer is the name of the organisation that produced the product (the event's Orgc).
	Producer string
}

// Event renders p as a MISP event ({"Event": {...}}).
func Event(p cleared.SharedProduct, o Options) ([]byte, error) {
	return nil, cleared.Unavailablef("misp: not yet rendered")
}
