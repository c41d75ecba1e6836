package store

import (
	"time"

	"github.com/cleared/cleared"
)

// JudicialOrders holds the judicial orders the NSA records (Art. 9 al. 1, A9.5): who each names, the pieces and
// dossiers it covers, its period, and its end when the court lifts it early.
type JudicialOrders interface {
	// CreateJudicialOrder stores o; ErrConflict if its ID, or its court and reference, exist already, ErrInvalid if
	// a person it names does not exist.
	CreateJudicialOrder(o cleared.JudicialOrder) error
	// JudicialOrder returns the order with the given ID; ErrNotFound if there is none.
	JudicialOrder(id cleared.JudicialOrderID) (cleared.JudicialOrder, error)
	// EndJudicialOrder records that the order ends at at, by by, for reason; ErrNotFound if there is no such order,
	// ErrConflict if it was ended already.
	EndJudicialOrder(id cleared.JudicialOrderID, at time.Time, by cleared.PersonID, reason string) error
	// JudicialOrderList lists the orders by ID, after p.After, at most p.Limit of them.
	JudicialOrderList(p Page) ([]cleared.JudicialOrder, error)
	// PersonJudicialOrders lists the orders naming person, by ID, in force or not.
	PersonJudicialOrders(person cleared.PersonID) ([]cleared.JudicialOrder, error)
}
