package store

import (
	"time"

	"github.com/cleared/cleared"
)

// ReleaseQuery selects the changes of releases a partner receives, in the order they happened: releases whose last
// change (release or revocation) has a sequence number above After, whose audience holds Partner, at a level at
// most MaxLevel, released or revoked (never proposed); at most Limit, by sequence. The filter is in the query, so
// that a page is full whatever the partner may not see; what it hands back is checked again by the service
// (the sealed release's audience) before it is believed.
type ReleaseQuery struct {
	Partner  cleared.OrganisationID
	MaxLevel cleared.Level
	After    int64
	Limit    int
	// ChangedAfter, if set, keeps the releases whose last change (release or revocation) is after it: TAXII's
	// added_after, filtered in the query so that a poll with nothing new reads nothing.
	ChangedAfter time.Time
}

// Sharing holds the partners, the releases of products to them and the deliveries (S1, A11.2): the chapter of
// package sharing. Partners and releases are sealed registers.
type Sharing interface {
	// PutPartner stores p, replacing the organisation's partner record if it has one; ErrInvalid if the
	// organisation does not exist, ErrConflict if one of its certificates is another partner's.
	PutPartner(p cleared.Partner) error
	// Partner returns an organisation's partner record; ErrNotFound if it has none.
	Partner(org cleared.OrganisationID) (cleared.Partner, error)
	// Partners lists the partner records by organisation ID.
	Partners(p Page) ([]cleared.Partner, error)
	// PartnerByCertificate returns the partner that presents the client certificate of the given SHA-256
	// fingerprint (lower-case hex); ErrNotFound if none does.
	PartnerByCertificate(fingerprint string) (cleared.Partner, error)
	// CreateRelease stores r (proposed or released); a released one gets the next sequence number, written into
	// r.Seq by the store, and its audience indexed. ErrConflict if its ID exists, ErrInvalid if its piece does not.
	CreateRelease(r *cleared.Release) error
	// UpdateRelease stores the new state of r (approved: released; revoked), giving it the next sequence number
	// (in r.Seq) and indexing its audience when it is released; ErrNotFound if there is no such release.
	UpdateRelease(r *cleared.Release) error
	// Release returns the release with the given ID; ErrNotFound if there is none.
	Release(id cleared.ReleaseID) (cleared.Release, error)
	// ReleaseByUUID returns the release whose external UUID (ReleaseID.UUID) is uuid; ErrNotFound if none.
	ReleaseByUUID(uuid string) (cleared.Release, error)
	// PieceReleases lists the releases of a piece, oldest first.
	PieceReleases(piece cleared.PieceID) ([]cleared.Release, error)
	// Releases lists the releases of every piece by ID (the NSA's view, and the proposals waiting).
	Releases(p Page) ([]cleared.Release, error)
	// ReleasedTo answers q; see ReleaseQuery.
	ReleasedTo(q ReleaseQuery) ([]cleared.Release, error)
	// LastReleaseSeq returns the highest sequence number given (0 when none).
	LastReleaseSeq() (int64, error)
	// RecordDelivery stores d and reports true, or reports false if the release had reached the partner by that
	// route already (then nothing is stored). The transmission it names is stored by the caller first.
	RecordDelivery(d cleared.PartnerDelivery) (bool, error)
	// Deliveries lists the deliveries of a release, oldest first: to partner only, or to all with partner "" (a
	// release to many partners is asked about one of them at each delivery).
	Deliveries(id cleared.ReleaseID, partner cleared.OrganisationID) ([]cleared.PartnerDelivery, error)

	// Products received and the sources they are pulled from (S1, A6.1).

	// RecordReceipt stores r; ErrConflict if the partner's product of that UUID and version was received already,
	// or if r's piece is another receipt's.
	RecordReceipt(r cleared.Receipt) error
	// Received lists the receipts of a partner's product by its UUID, latest version first.
	Received(partner cleared.OrganisationID, uuid string) ([]cleared.Receipt, error)
	// SourceReceipts lists the receipts of what source id brought, most recent first, at most limit.
	SourceReceipts(id cleared.SourceID, limit int) ([]cleared.Receipt, error)
	// PieceReceipt returns the receipt of the product a piece was registered for; ErrNotFound if the piece was
	// not received from a partner.
	PieceReceipt(piece cleared.PieceID) (cleared.Receipt, error)
	// PutSource stores s, replacing the source of its ID if there is one.
	PutSource(s cleared.Source) error
	// Source returns the source with the given ID; ErrNotFound if there is none.
	Source(id cleared.SourceID) (cleared.Source, error)
	// Sources lists the sources by ID.
	Sources(p Page) ([]cleared.Source, error)

	// The staging inbox (issue 21 §3): envelopes partners posted, waiting for a person who holds a classifying
	// authority to import or refuse them (S1, A5.1). Items are a sealed register; their content is stored as
	// sealed by the service, outside the MAC.

	// CreateInboxItem stores it, pending, with its sealed content; ErrConflict if its ID exists, ErrInvalid if its
	// partner is not one.
	CreateInboxItem(it cleared.InboxItem, c InboxContent) error
	// UpdateInboxItem stores the decision on it (imported or refused, by whom, when, why, the pieces registered);
	// ErrNotFound if there is no such item. Its partner, reception and objects are kept as stored.
	UpdateInboxItem(it *cleared.InboxItem) error
	// InboxItem returns the item with the given ID; ErrNotFound if there is none.
	InboxItem(id cleared.InboxID) (cleared.InboxItem, error)
	// InboxItemByUUID returns the item whose status identifier (InboxID.UUID) is uuid; ErrNotFound if none.
	InboxItemByUUID(uuid string) (cleared.InboxItem, error)
	// InboxContent returns the sealed content of item id; ErrNotFound if there is none.
	InboxContent(id cleared.InboxID) (InboxContent, error)
	// InboxItems lists the items by ID, of one state only unless state is "".
	InboxItems(p Page, state cleared.InboxState) ([]cleared.InboxItem, error)
}

// InboxContent is an inbox item's envelope as stored: encrypted under a data key of the item (keyring.SealRecord),
// that key wrapped by the KEK named.
type InboxContent struct {
	KEK        string
	WrappedKey []byte
	Ciphertext []byte
}
