package cleared

import (
	"crypto/sha1"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Sharing with partners (S1, S2): the partners the intelligence service shares its products with, each with the
// scheme it reads markings in (A6.1), the highest level it may receive, the channels accredited to reach it (A11.1)
// and the client certificates it presents; and the releases of products, each to one or more releasability sets,
// recorded as transmissions when delivered (A11.2).

// ReleaseID identifies a release of a product to partners.
type ReleaseID string

// PrefixRelease is the prefix of release IDs.
const PrefixRelease = "rel_"

// NewReleaseID returns a fresh release ID.
func NewReleaseID() ReleaseID { return ReleaseID(NewID(PrefixRelease)) }

// Validate reports a malformed identifier as [ErrInvalid].
func (id ReleaseID) Validate() error { return checkID(string(id), PrefixRelease, "release") }

// releaseNamespace is the UUID namespace of cleared's releases (a fixed random UUID): a release's external
// identifier is the name-based UUID (version 5) of its ID in it, the same at every delivery and by every route.
var releaseNamespace = [16]byte{0x6b, 0x1f, 0x3c, 0x52, 0x9d, 0x04, 0x4e, 0x8a, 0xb1, 0x77, 0x2e, 0x90, 0x5c, 0xd3, 0x48, 0x0f}

// UUID returns the release's external identifier: the UUID MISP events and STIX reports carry, by which a
// partner asks for it again (TAXII's objects/{id}).
func (id ReleaseID) UUID() string { return nameUUID(releaseNamespace, string(id)) }

// nameUUID returns the name-based UUID (version 5) of name in namespace ns.
func nameUUID(ns [16]byte, name string) string {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// SchemeNational is the scheme of a partner inside Luxembourg, which reads the national markings; SchemeTLP is a
// CERT's, which receives unclassified products under their TLP marking only.
const (
	SchemeNational Scheme = "LU"
	SchemeTLP      Scheme = "TLP"
)

// TLP is a Traffic Light Protocol 2.0 marking (FIRST), for exchanges with CERTs.
type TLP string

// The TLP 2.0 labels.
const (
	TLPClear       TLP = "clear"
	TLPGreen       TLP = "green"
	TLPAmber       TLP = "amber"
	TLPAmberStrict TLP = "amber+strict"
	TLPRed         TLP = "red"
)

// Validate reports an unknown label as [ErrInvalid]; the zero value (no TLP) is valid.
func (t TLP) Validate() error {
	switch t {
	case "", TLPClear, TLPGreen, TLPAmber, TLPAmberStrict, TLPRed:
		return nil
	}
	return Invalidf("unknown TLP %q: want clear, green, amber, amber+strict or red (TLP 2.0)", truncate(string(t), 20))
}

// PAP is a Permissible Actions Protocol marking: what the recipient may do with an indicator.
type PAP string

// The PAP labels.
const (
	PAPClear PAP = "clear"
	PAPGreen PAP = "green"
	PAPAmber PAP = "amber"
	PAPRed   PAP = "red"
)

// Validate reports an unknown label as [ErrInvalid]; the zero value (no PAP) is valid.
func (p PAP) Validate() error {
	switch p {
	case "", PAPClear, PAPGreen, PAPAmber, PAPRed:
		return nil
	}
	return Invalidf("unknown PAP %q: want clear, green, amber or red", truncate(string(p), 20))
}

// Partner is an organisation of the register (a foreign service, an international organisation, a national body, a
// CERT) as a recipient of shared products (S1): the scheme it reads markings in, mapped through the equivalence
// table (A6.1; a level with no equivalent in it is never released to it); the highest level it may receive; the
// groups it belongs to (releasability sets may name a group); the accredited channels that reach it (A11.1); the
// SHA-256 fingerprints (hex) of the client certificates it presents; whether it reads the ACS 3.0 extension of
// STIX; and the period its sharing agreement (accreditation) is in force. A suspended partner receives nothing.
type Partner struct {
	Organisation OrganisationID `json:"organisation_id"`
	Name         string         `json:"name"`
	Scheme       Scheme         `json:"scheme"`
	MaxLevel     Level          `json:"max_level"`
	Groups       []string       `json:"groups,omitempty"`
	Channels     []ChannelID    `json:"channels"`
	Certificates []string       `json:"certificates,omitempty"`
	ACS          bool           `json:"acs,omitempty"`
	// AccreditedFrom and AccreditedUntil bound the agreement under which it receives; a zero Until has no end.
	AccreditedFrom  time.Time `json:"accredited_from"`
	AccreditedUntil time.Time `json:"accredited_until,omitzero"`
	Suspended       bool      `json:"suspended,omitempty"`
	RecordedBy      PersonID  `json:"recorded_by"`
	Recorded        time.Time `json:"recorded"`
}

// AccreditedAt reports whether the partner's agreement is in force at t and it is not suspended: from
// AccreditedFrom included to AccreditedUntil excluded.
func (p Partner) AccreditedAt(t time.Time) bool {
	return !p.Suspended && !t.Before(p.AccreditedFrom) && (p.AccreditedUntil.IsZero() || t.Before(p.AccreditedUntil))
}

// InGroup reports whether the partner belongs to group g.
func (p Partner) InGroup(g string) bool { return slices.Contains(p.Groups, g) }

// ReleasabilitySet is one audience a product is releasable to: partners named, and partner groups (every member
// of the group when the release is made). A product is releasable to any of its sets; no partner sees the sets.
type ReleasabilitySet struct {
	Partners []OrganisationID `json:"partners,omitempty"`
	Groups   []string         `json:"groups,omitempty"`
}

// Includes reports whether p is in the set, by name or by one of its groups.
func (s ReleasabilitySet) Includes(p Partner) bool {
	if slices.Contains(s.Partners, p.Organisation) {
		return true
	}
	for _, g := range s.Groups {
		if p.InGroup(g) {
			return true
		}
	}
	return false
}

// ReleaseState is where a release stands.
type ReleaseState string

// States of a release: proposed (waiting for a second person, four eyes), released, revoked.
const (
	ReleaseProposed ReleaseState = "proposed"
	ReleaseReleased ReleaseState = "released"
	ReleaseRevoked  ReleaseState = "revoked"
)

// Release is the originator's decision to share a product (a classified piece whose content is a [Product]) with
// the partners of its releasability sets (S1), with the TLP and PAP markings it carries for CERTs. Above a level, or
// where a rule profile says so, it needs a second person (four eyes): it is proposed by one and approved by
// another. Seq orders every change of every release (its release, its revocation) for the partners that pull them:
// a monotonic sequence, never a timestamp, so that changes sharing one time are neither skipped nor repeated.
type Release struct {
	ID    ReleaseID          `json:"id"`
	Piece PieceID            `json:"piece"`
	Level Level              `json:"level"`
	Sets  []ReleasabilitySet `json:"sets"`
	TLP   TLP                `json:"tlp,omitempty"`
	PAP   PAP                `json:"pap,omitempty"`
	State ReleaseState       `json:"state"`
	// ProposedBy decided it; ApprovedBy is the second person, where one is needed.
	ProposedBy PersonID  `json:"proposed_by"`
	Proposed   time.Time `json:"proposed"`
	ApprovedBy PersonID  `json:"approved_by,omitempty"`
	Released   time.Time `json:"released,omitzero"`
	RevokedBy  PersonID  `json:"revoked_by,omitempty"`
	Revoked    time.Time `json:"revoked,omitzero"`
	Reason     string    `json:"reason,omitempty"`
	// Audience is the partners the release reaches, fixed when it is released (policy.Audience): stored sealed
	// with it, checked against what the database's index hands back, never shown to a partner.
	Audience []OrganisationID `json:"audience,omitempty"`
	Seq      int64            `json:"seq,omitempty"`
}

// Route is the way a product reached a partner.
type Route string

// The routes of delivery.
const (
	RouteTAXII    Route = "taxii"
	RouteMISPFeed Route = "misp_feed"
	RouteLive     Route = "live"
	RoutePush     Route = "push"
	RouteExport   Route = "export"
)

// Validate reports an unknown route as [ErrInvalid].
func (r Route) Validate() error {
	switch r {
	case RouteTAXII, RouteMISPFeed, RouteLive, RoutePush, RouteExport:
		return nil
	}
	return Invalidf("unknown route %q: want taxii, misp_feed, live, push or export", truncate(string(r), 20))
}

// PartnerDelivery is the first time a release reached a partner by one route; it is recorded as a transmission of the
// piece to the partner's organisation over the channel used (A11.2), so that the originator and the NSA list it
// among the piece's recipients.
type PartnerDelivery struct {
	Release      ReleaseID      `json:"release"`
	Partner      OrganisationID `json:"partner"`
	Route        Route          `json:"route"`
	Transmission TransmissionID `json:"transmission"`
	At           time.Time      `json:"at"`
}

// Indicator is one observable of a product: its type, in MISP's attribute vocabulary (ip-dst, domain, url, sha256,
// email-src, …), its value and a comment.
type Indicator struct {
	Type    string `json:"type"`
	Value   string `json:"value"`
	Comment string `json:"comment,omitempty"`
	// ToIDS marks it for detection (MISP's to_ids; a STIX indicator rather than an observed object).
	ToIDS bool `json:"to_ids,omitempty"`
}

// Product is the content of a piece that is an intelligence product: an assessment (a title and a summary), an
// indicator set, or both. It is the piece's content, encrypted as any piece's, in this JSON form; the piece's
// level, markings and originator are the product's.
type Product struct {
	Title      string      `json:"title"`
	Summary    string      `json:"summary,omitempty"`
	Indicators []Indicator `json:"indicators,omitempty"`
	// Labels are free tags the analyst gives (MISP tags, STIX labels), beyond the markings.
	Labels []string `json:"labels,omitempty"`
}

// Limits on a product.
const (
	MaxProductIndicators = 100000
	maxIndicatorValue    = 4096
)

// Validate checks a product before it is classified or released: a title, bounded lengths, known indicator types
// (see [IndicatorTypes]).
func (p Product) Validate() error {
	if err := CheckLine("title", p.Title, 1, 300); err != nil {
		return err
	}
	if err := CheckText("summary", p.Summary, 0, 100000); err != nil {
		return err
	}
	if len(p.Indicators) > MaxProductIndicators {
		return Invalidf("at most %d indicators in one product, got %d", MaxProductIndicators, len(p.Indicators))
	}
	for i, in := range p.Indicators {
		if !IndicatorTypes[in.Type] {
			return Invalidf("indicator %d: unknown type %q (see the list in docs/sharing.md)", i, truncate(in.Type, 40))
		}
		if err := CheckLine("indicator value", in.Value, 1, maxIndicatorValue); err != nil {
			return Invalidf("indicator %d: %s", i, Message(err))
		}
		if err := CheckText("indicator comment", in.Comment, 0, 1000); err != nil {
			return Invalidf("indicator %d: %s", i, Message(err))
		}
	}
	if len(p.Labels) > 50 {
		return Invalidf("at most 50 labels")
	}
	for _, l := range p.Labels {
		if err := CheckLine("label", l, 1, 100); err != nil {
			return err
		}
	}
	return nil
}

// IndicatorTypes are the indicator types cleared exchanges, in MISP's attribute vocabulary; each maps to a STIX 2.1
// cyber-observable and pattern.
var IndicatorTypes = map[string]bool{
	"ip-src": true, "ip-dst": true, "domain": true, "hostname": true, "url": true,
	"md5": true, "sha1": true, "sha256": true, "email-src": true, "email-dst": true,
	"filename": true, "text": true,
}

// CheckGroup validates a partner group name: lower-case letters, digits and dashes, as group codes are written.
func CheckGroup(g string) error {
	if len(g) == 0 || len(g) > 40 || strings.Trim(g, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
		return Invalidf("group %q: lower-case letters, digits and dashes, 1 to 40", truncate(g, 40))
	}
	return nil
}

// SharedProduct is a product as exchanged with a partner, what the MISP and STIX codecs write and read: its stable
// external identifier (a UUID, the MISP event's uuid and the STIX report's), its content, its level and the marking
// of that level in the partner's scheme (Marking, in Scheme: "NATO SECRET" in NATO, "SECRET LUX" in LU; empty when
// unclassified), its TLP and PAP, the name of the originating organisation, its times, and whether it was revoked
// (a STIX revocation, a MISP deletion). An imported one carries the marking as read; cleared resolves it through
// the equivalence table (A6.1) and refuses what it cannot resolve.
type SharedProduct struct {
	UUID string `json:"uuid"`
	Product
	Level      Level     `json:"level"`
	Scheme     Scheme    `json:"scheme,omitempty"`
	Marking    string    `json:"marking,omitempty"`
	TLP        TLP       `json:"tlp,omitempty"`
	PAP        PAP       `json:"pap,omitempty"`
	Originator string    `json:"originator,omitempty"`
	Created    time.Time `json:"created"`
	Modified   time.Time `json:"modified"`
	Revoked    bool      `json:"revoked,omitempty"`
}

// Products received from partners (S1, A6.1): a receipt records which partner sent a product, under which of its
// identifiers and version, and the piece it became, so that the piece's foreign originator is known (the consent
// A1.1 asks of it before a downgrade) and a product received twice is registered once.

// ImportFormat is the format of a partner's document.
type ImportFormat string

// The formats cleared reads.
const (
	FormatSTIX ImportFormat = "stix" // a STIX 2.1 bundle (or a TAXII envelope's objects)
	FormatMISP ImportFormat = "misp" // a MISP event
)

// Validate reports an unknown format as [ErrInvalid].
func (f ImportFormat) Validate() error {
	if f == FormatSTIX || f == FormatMISP {
		return nil
	}
	return Invalidf("format %q: want stix (a STIX 2.1 bundle) or misp (a MISP event)", truncate(string(f), 40))
}

// Receipt is a product received from a partner. UUID and Version are the partner's (a STIX report's id and
// modified; a MISP event's uuid and timestamp): the same UUID at a later version is a new receipt, and a new piece.
type Receipt struct {
	Partner  OrganisationID `json:"partner"`
	UUID     string         `json:"uuid"`
	Version  time.Time      `json:"version,omitzero"`
	Format   ImportFormat   `json:"format"`
	Marking  string         `json:"marking"` // the partner's marking, as received (A6.1: the original kept)
	Piece    PieceID        `json:"piece,omitempty"`
	Revoked  bool           `json:"revoked,omitempty"` // the partner withdrew the product: nothing was registered
	Source   SourceID       `json:"source,omitempty"`  // the pull that brought it; empty when imported by hand
	Received time.Time      `json:"received"`
	By       PersonID       `json:"by"`
}

// SourceID identifies a partner's server cleared pulls products from.
type SourceID string

// PrefixSource is the prefix of source IDs.
const PrefixSource = "src_"

// NewSourceID returns a fresh source ID.
func NewSourceID() SourceID { return SourceID(NewID(PrefixSource)) }

// Validate reports a malformed identifier as [ErrInvalid].
func (id SourceID) Validate() error { return checkID(string(id), PrefixSource, "source") }

// SourceKind is the protocol of a source.
type SourceKind string

// The kinds of sources.
const (
	SourceTAXII    SourceKind = "taxii"     // a TAXII 2.1 collection, read with added_after
	SourceMISPFeed SourceKind = "misp_feed" // a MISP feed (manifest.json and <uuid>.json)
)

// Validate reports an unknown kind as [ErrInvalid].
func (k SourceKind) Validate() error {
	if k == SourceTAXII || k == SourceMISPFeed {
		return nil
	}
	return Invalidf("source kind %q: want taxii or misp_feed", truncate(string(k), 40))
}

// Source is a partner's server that cleared polls for new products (S1): a TAXII 2.1 collection or a MISP feed.
// What it brings is classified by Registrar as Authority, into Dossier if set, exactly as if Registrar imported
// it by hand: a registrar who no longer holds the authority, or whose terminal is no longer accredited, stops the
// pull (fail closed). Cursor is where the last poll stopped: TAXII's X-TAXII-Date-Added-Last, or the MISP
// manifest's validator (its ETag), so that a poll with nothing new costs one round trip.
type Source struct {
	ID        SourceID       `json:"id"`
	Partner   OrganisationID `json:"partner"`
	Kind      SourceKind     `json:"kind"`
	URL       string         `json:"url"`
	Registrar Actor          `json:"registrar"`
	Authority AuthorityID    `json:"authority"`
	Dossier   DossierID      `json:"dossier,omitempty"`
	Paused    bool           `json:"paused,omitempty"`
	Recorded  time.Time      `json:"recorded"`
	// What the polls left: the cursor, the last poll's time, its error (empty when it succeeded), and the time of
	// the last poll that succeeded.
	Cursor    string    `json:"cursor,omitempty"`
	Polled    time.Time `json:"polled,omitzero"`
	LastError string    `json:"last_error,omitempty"`
	Succeeded time.Time `json:"succeeded,omitzero"`
}

// Products partners send (S1, issue 21 §3): a partner's system posts a TAXII 2.1 envelope to cleared's collection.
// Only a classifying authority registers a classified piece (A5.1), so what arrives is not a piece: it waits in a
// staging inbox, its content sealed as classified content is, until a person who holds a classifying authority
// imports it (each report then a piece, A6.1) or refuses it.

// InboxID identifies one envelope received from a partner.
type InboxID string

// PrefixInbox is the prefix of inbox IDs.
const PrefixInbox = "inb_"

// NewInboxID returns a fresh inbox ID.
func NewInboxID() InboxID { return InboxID(NewID(PrefixInbox)) }

// Validate reports a malformed identifier as [ErrInvalid].
func (id InboxID) Validate() error { return checkID(string(id), PrefixInbox, "inbox item") }

// inboxNamespace is the UUID namespace of inbox items (a fixed random UUID, not the releases'): the TAXII status
// resource of an envelope is the name-based UUID of its ID, so that the partner asks for it by a UUID that says
// nothing of how many others posted before it.
var inboxNamespace = [16]byte{0x3e, 0x9a, 0x51, 0x07, 0xc2, 0x6d, 0x4f, 0x1b, 0x8e, 0x25, 0xa4, 0x60, 0xdb, 0x13, 0x7c, 0x94}

// UUID returns the identifier of the item's TAXII status resource.
func (id InboxID) UUID() string { return nameUUID(inboxNamespace, string(id)) }

// InboxState is where an inbox item stands.
type InboxState string

// States of an inbox item: pending (received, waiting for a person), imported (registered as pieces), refused.
const (
	InboxPending  InboxState = "pending"
	InboxImported InboxState = "imported"
	InboxRefused  InboxState = "refused"
)

// Validate reports an unknown state as [ErrInvalid].
func (s InboxState) Validate() error {
	switch s {
	case InboxPending, InboxImported, InboxRefused:
		return nil
	}
	return Invalidf("inbox state %q: want pending, imported or refused", truncate(string(s), 20))
}

// InboxObject is one STIX object of a received envelope, as TAXII's status resource names it: its id and version
// (its modified, else its created, else the time it was received).
type InboxObject struct {
	ID      string `json:"id"`
	Version string `json:"version"`
}

// InboxItem is one envelope a partner posted: who sent it and when, its size, the reports it holds (Reports, each a
// product once imported) and every object's id and version, for the TAXII status the partner reads. Its content is
// stored sealed beside it, never in it. DecidedBy imported or refused it, with a reason when refused; Pieces are
// those its import registered.
type InboxItem struct {
	ID        InboxID        `json:"id"`
	Partner   OrganisationID `json:"partner"`
	Received  time.Time      `json:"received"`
	Size      int64          `json:"size"`
	Reports   int            `json:"reports"`
	Objects   []InboxObject  `json:"objects"`
	State     InboxState     `json:"state"`
	DecidedBy PersonID       `json:"decided_by,omitempty"`
	Decided   time.Time      `json:"decided,omitzero"`
	Reason    string         `json:"reason,omitempty"`
	Pieces    []PieceID      `json:"pieces,omitempty"`
}
