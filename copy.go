package cleared

import "time"

// Identifiers of the copies' and inventories' registers (Art. 9 al. 4, A9.4; inventories of the EU and NATO
// handling rules, A1.1).
type (
	CopyID        string
	CopyRequestID string
	InventoryID   string
)

// Prefixes of the copies' and inventories' IDs.
const (
	PrefixCopy        = "cpy_"
	PrefixCopyRequest = "cpr_"
	PrefixInventory   = "inv_"
)

// New identifiers of copies, copy requests and inventories.
func NewCopyID() CopyID               { return CopyID(NewID(PrefixCopy)) }
func NewCopyRequestID() CopyRequestID { return CopyRequestID(NewID(PrefixCopyRequest)) }
func NewInventoryID() InventoryID     { return InventoryID(NewID(PrefixInventory)) }

// Validate reports a malformed identifier as [ErrInvalid].
func (id CopyID) Validate() error { return checkID(string(id), PrefixCopy, "copy") }
func (id CopyRequestID) Validate() error {
	return checkID(string(id), PrefixCopyRequest, "copy request")
}
func (id InventoryID) Validate() error { return checkID(string(id), PrefixInventory, "inventory") }

// Copy is a reproduction, in part or whole, of a classified piece (Art. 9 al. 4, A9.4): numbered (copy Number of
// the copies made of the piece so far), registered and tracked like a piece: who holds it, where a physical copy is
// kept (a place accredited for the piece's level, A8.1), and its destruction (A10.1). An electronic copy's content
// is the piece's.
type Copy struct {
	ID     CopyID    `json:"id"`
	Piece  PieceID   `json:"piece"`
	Number int       `json:"number"` // n of "copy n of m", from 1, in the order the copies were made
	Kind   PieceKind `json:"kind"`
	Holder PersonID  `json:"holder"`
	// OrganisationID is the holder's organisation when the copy was made: its security officer answers for the
	// copy and counts it in inventories.
	OrganisationID OrganisationID `json:"organisation_id"`
	Location       PlaceID        `json:"location,omitempty"` // physical copies
	Reason         string         `json:"reason"`
	// Request is the copy request whose consent the copy used, if it needed one (A9.4).
	Request     CopyRequestID `json:"request,omitempty"`
	Created     time.Time     `json:"created"`
	CreatedBy   PersonID      `json:"created_by"`
	Destroyed   time.Time     `json:"destroyed,omitzero"`
	DestroyedBy PersonID      `json:"destroyed_by,omitempty"`
}

// CopyRequestStatus is where a copy request stands.
type CopyRequestStatus string

// The states of a copy request.
const (
	CopyRequestPending  CopyRequestStatus = "pending"
	CopyRequestApproved CopyRequestStatus = "approved"
	CopyRequestRefused  CopyRequestStatus = "refused"
)

// CopyRequest asks the originator of a piece for the prior express consent to reproduce it (A9.4): for TOP SECRET,
// and for lower levels where a rule profile asks the originator's consent (A1.1). Approved, it is the consent of
// CopyConsent for Copies copies by the requester until Until; each copy made under it counts in Used.
type CopyRequest struct {
	ID          CopyRequestID     `json:"id"`
	Piece       PieceID           `json:"piece"`
	Copies      int               `json:"copies"`
	Reason      string            `json:"reason"`
	RequestedBy PersonID          `json:"requested_by"`
	Created     time.Time         `json:"created"`
	Status      CopyRequestStatus `json:"status"`
	// The decision: who took it, as which authority (the originator or one acting for it, A5.2), when, and why.
	DecidedBy PersonID    `json:"decided_by,omitempty"`
	DecidedAs AuthorityID `json:"decided_as,omitempty"`
	Decided   time.Time   `json:"decided,omitzero"`
	Note      string      `json:"note,omitempty"`
	Until     time.Time   `json:"until,omitzero"` // an approval's end
	Used      int         `json:"used"`           // copies made under the consent
}

// Consent returns the consent an approved request gives, nil for any other.
func (r CopyRequest) Consent() *CopyConsent {
	if r.Status != CopyRequestApproved {
		return nil
	}
	return &CopyConsent{Piece: r.Piece, By: r.DecidedAs, To: r.RequestedBy, Copies: r.Copies, Given: r.Decided, Until: r.Until}
}

// Inventory is the periodic count of the pieces and numbered copies an organisation or a holder holds, as the EU's
// and NATO's handling rules require (A1.1): each item is confirmed present or not, and closing reconciles them:
// what is missing is reported as a possible compromise (A13.1).
type Inventory struct {
	ID             InventoryID    `json:"id"`
	OrganisationID OrganisationID `json:"organisation_id,omitempty"`
	Holder         PersonID       `json:"holder,omitempty"`
	OpenedBy       PersonID       `json:"opened_by"`
	Opened         time.Time      `json:"opened"`
	ClosedBy       PersonID       `json:"closed_by,omitempty"`
	Closed         time.Time      `json:"closed,omitzero"`
	Missing        int            `json:"missing"` // items not confirmed present at closing
	Note           string         `json:"note,omitempty"`
}

// InventoryItem is one piece or numbered copy of an inventory. Present is nil until it is checked.
type InventoryItem struct {
	Inventory InventoryID `json:"inventory"`
	Number    int         `json:"number"` // from 1, the item's place in the list
	Piece     PieceID     `json:"piece"`
	Copy      CopyID      `json:"copy,omitempty"`
	Present   *bool       `json:"present"`
	Note      string      `json:"note,omitempty"`
	CheckedBy PersonID    `json:"checked_by,omitempty"`
	Checked   time.Time   `json:"checked,omitzero"`
}
