package store

import "github.com/cleared/cleared"

// Transmissions holds the register of transmissions (Art. 11, A11.1, A11.2, S2): the cryptographic products the
// NSA approved, the organisations as addressees (the channels they accept, the scope of a national recipient), and
// every transmission with its receipt.
type Transmissions interface {
	// CreateCryptoProduct stores p; ErrConflict if its ID exists.
	CreateCryptoProduct(p cleared.CryptoProduct) error
	// CryptoProduct returns the product with the given ID; ErrNotFound if there is none.
	CryptoProduct(id cleared.CryptoProductID) (cleared.CryptoProduct, error)
	// CryptoProducts lists products by ID.
	CryptoProducts(p Page) ([]cleared.CryptoProduct, error)
	// PutAddressee stores a, replacing the organisation's record if it has one; ErrInvalid if the organisation does
	// not exist.
	PutAddressee(a cleared.Addressee) error
	// Addressee returns an organisation's record as addressee; ErrNotFound if it has none.
	Addressee(org cleared.OrganisationID) (cleared.Addressee, error)
	// Addressees lists the records by organisation ID.
	Addressees(p Page) ([]cleared.Addressee, error)
	// CreateTransmission stores t; ErrConflict if its ID exists, ErrInvalid if a piece, person, organisation, copy
	// or channel it names does not.
	CreateTransmission(t cleared.Transmission) error
	// Transmission returns the transmission with the given ID; ErrNotFound if there is none.
	Transmission(id cleared.TransmissionID) (cleared.Transmission, error)
	// PieceTransmissions lists the transmissions of a piece and of its copies, oldest first.
	PieceTransmissions(piece cleared.PieceID) ([]cleared.Transmission, error)
	// UnconfirmedTransmissions lists, oldest first and at most limit, the transmissions whose receipt is not
	// confirmed that sender sent (if set), or that go to person (if set) or to one of orgs.
	UnconfirmedTransmissions(q ReceiptQuery) ([]cleared.Transmission, error)
	// ConfirmReceipt records that by confirmed t's receipt at t.Received; ErrNotFound if there is no such
	// transmission, ErrConflict if its receipt was already confirmed.
	ConfirmReceipt(t cleared.Transmission) error
}

// ReceiptQuery selects unconfirmed transmissions: those Sender sent, or those to Person or to one of
// Organisations; at most Limit, oldest first.
type ReceiptQuery struct {
	Sender        cleared.PersonID
	Person        cleared.PersonID
	Organisations []cleared.OrganisationID
	Limit         int
}
