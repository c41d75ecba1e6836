package sqlstore

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// cryptoProductCodec seals the rows of crypto_products: a product's approval decides whether a channel may carry
// classified pieces (A11.1).
var cryptoProductCodec = codec[cleared.CryptoProduct]{table: "crypto_products",
	key: func(p cleared.CryptoProduct) string { return string(p.ID) },
	row: func(p cleared.CryptoProduct) ([]any, error) {
		return []any{string(p.ID), p.Name, p.Reference, ns(p.ApprovedFrom), ns(p.ApprovedUntil), string(p.ApprovedBy),
			ns(p.Created)}, nil
	}}

// cryptoProductColumns are the columns scanCryptoProduct reads, and the MAC.
const cryptoProductColumns = `id, name, reference, approved_from, approved_until, approved_by, created, mac`

func scanCryptoProduct(s scanner) (cleared.CryptoProduct, error) {
	var p cleared.CryptoProduct
	err := s.Scan(&p.ID, &p.Name, &p.Reference, ts(&p.ApprovedFrom), ts(&p.ApprovedUntil), &p.ApprovedBy, ts(&p.Created))
	return p, err
}

// CreateCryptoProduct stores p; ErrConflict if its ID exists.
func (tx *Tx) CreateCryptoProduct(p cleared.CryptoProduct) error {
	err := checkTimes(p.ApprovedFrom, p.ApprovedUntil, p.Created)
	var args []any
	if err == nil {
		args, err = sealRow(tx, cryptoProductCodec, p)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO crypto_products (`+cryptoProductColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create crypto product %s", p.ID)
	}
	return nil
}

// CryptoProduct returns the product with the given ID; ErrNotFound if there is none.
func (tx *Tx) CryptoProduct(id cleared.CryptoProductID) (cleared.CryptoProduct, error) {
	p, err := get(tx, checked(tx, cryptoProductCodec, scanCryptoProduct),
		`SELECT `+cryptoProductColumns+` FROM crypto_products WHERE id = $1`, id)
	if err != nil {
		return cleared.CryptoProduct{}, tx.notFound(err, "crypto product", id)
	}
	return p, nil
}

// CryptoProducts lists products by ID.
func (tx *Tx) CryptoProducts(p store.Page) ([]cleared.CryptoProduct, error) {
	if err := checkPage(p.Limit); err != nil {
		return nil, err
	}
	ps, err := list(tx, checked(tx, cryptoProductCodec, scanCryptoProduct),
		`SELECT `+cryptoProductColumns+` FROM crypto_products WHERE id > $1 ORDER BY id LIMIT $2`, p.After, p.Limit)
	if err != nil {
		return nil, tx.errorf(err, "list crypto products")
	}
	return ps, nil
}

// jsonList is the stored form of a list of text: a JSON array, "[]" when empty, so that the sealed value of a row
// read back is the value written.
func jsonList[T ~string](xs []T) (string, error) {
	if len(xs) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(xs)
	return string(b), err
}

// listScanner reads what jsonList wrote; an empty array reads as nil.
type listScanner[T ~string] struct{ p *[]T }

func (s listScanner[T]) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("sqlstore: a list is stored as text, not %T", src)
	}
	xs, ok := plainList[T](b)
	if !ok {
		if err := json.Unmarshal(b, &xs); err != nil {
			return fmt.Errorf("sqlstore: a stored list: %w", err)
		}
	}
	if len(xs) == 0 {
		xs = nil
	}
	*s.p = xs
	return nil
}

// plainList reads a compact JSON array of strings of printable ASCII without quotes or backslashes (identifiers,
// as jsonList writes them) without reflection: a release's audience lists up to every partner and is read at each
// delivery. Anything else is not ok, for json.Unmarshal to read.
func plainList[T ~string](b []byte) ([]T, bool) {
	if len(b) < 2 || b[0] != '[' || b[len(b)-1] != ']' {
		return nil, false
	}
	b = b[1 : len(b)-1]
	var xs []T
	for len(b) > 0 {
		if b[0] != '"' {
			return nil, false
		}
		end := 1
		for ; end < len(b) && b[end] != '"'; end++ {
			if c := b[end]; c < 0x20 || c > 0x7e || c == '\\' {
				return nil, false
			}
		}
		if end == len(b) {
			return nil, false
		}
		xs = append(xs, T(b[1:end]))
		b = b[end+1:]
		if len(b) > 0 {
			if b[0] != ',' || len(b) == 1 {
				return nil, false
			}
			b = b[1:]
		}
	}
	return xs, true
}

// addresseeCodec seals the rows of addressees: the channels an organisation accepts decide where a piece may be
// sent to it (A11.1), and a national recipient's scope what it receives (S2).
var addresseeCodec = codec[cleared.Addressee]{table: "addressees",
	key: func(a cleared.Addressee) string { return string(a.Organisation) },
	row: func(a cleared.Addressee) ([]any, error) {
		scope, err := jsonList(a.Scope)
		if err != nil {
			return nil, err
		}
		chans, err := jsonList(a.Channels)
		if err != nil {
			return nil, err
		}
		return []any{string(a.Organisation), string(a.Type), a.Basis, scope, chans, string(a.RecordedBy), ns(a.Recorded)}, nil
	}}

// addresseeColumns are the columns scanAddressee reads, and the MAC.
const addresseeColumns = `organisation_id, type, basis, scope, channels, recorded_by, recorded, mac`

func scanAddressee(s scanner) (cleared.Addressee, error) {
	var a cleared.Addressee
	err := s.Scan(&a.Organisation, &a.Type, &a.Basis, listScanner[string]{&a.Scope}, listScanner[cleared.ChannelID]{&a.Channels},
		&a.RecordedBy, ts(&a.Recorded))
	return a, err
}

// PutAddressee stores a, replacing the organisation's record if it has one.
func (tx *Tx) PutAddressee(a cleared.Addressee) error {
	err := checkTimes(a.Recorded)
	var args []any
	if err == nil {
		args, err = sealRow(tx, addresseeCodec, a)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO addressees (`+addresseeColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (organisation_id) DO UPDATE SET type = excluded.type, basis = excluded.basis, scope = excluded.scope,
			channels = excluded.channels, recorded_by = excluded.recorded_by, recorded = excluded.recorded, mac = excluded.mac`, args...)
	}
	if err != nil {
		return tx.errorf(err, "put addressee %s", a.Organisation)
	}
	return nil
}

// Addressee returns an organisation's record as addressee; ErrNotFound if it has none.
func (tx *Tx) Addressee(org cleared.OrganisationID) (cleared.Addressee, error) {
	a, err := get(tx, checked(tx, addresseeCodec, scanAddressee), `SELECT `+addresseeColumns+` FROM addressees WHERE organisation_id = $1`, org)
	if err != nil {
		return cleared.Addressee{}, tx.notFound(err, "addressee", org)
	}
	return a, nil
}

// Addressees lists the records by organisation ID.
func (tx *Tx) Addressees(p store.Page) ([]cleared.Addressee, error) {
	if err := checkPage(p.Limit); err != nil {
		return nil, err
	}
	as, err := list(tx, checked(tx, addresseeCodec, scanAddressee),
		`SELECT `+addresseeColumns+` FROM addressees WHERE organisation_id > $1 ORDER BY organisation_id LIMIT $2`, p.After, p.Limit)
	if err != nil {
		return nil, tx.errorf(err, "list addressees")
	}
	return as, nil
}

// transmissionCodec seals the rows of transmissions: the originator and the NSA answer who received a piece from
// them (A11.2), so a recipient changed or erased behind the store's back must not be believed.
var transmissionCodec = codec[cleared.Transmission]{table: "transmissions",
	key: func(t cleared.Transmission) string { return string(t.ID) },
	row: func(t cleared.Transmission) ([]any, error) {
		return []any{string(t.ID), string(t.Piece), null(t.Copy), int64(t.CopyNumber), int64(t.Level), string(t.Sender),
			string(t.SenderOrganisation), null(t.RecipientPerson), null(t.RecipientOrganisation), string(t.Channel), t.Purpose,
			t.OriginatorConsent, t.Note, ns(t.Sent), null(t.ReceivedBy), ns(t.Received)}, nil
	}}

// transmissionColumns are the columns scanTransmission reads, and the MAC.
const transmissionColumns = `id, piece_id, copy_id, copy_number, level, sender, sender_organisation, recipient_person,
	recipient_organisation, channel_id, purpose, originator_consent, note, sent, received_by, received, mac`

func scanTransmission(s scanner) (cleared.Transmission, error) {
	var t cleared.Transmission
	err := s.Scan(&t.ID, &t.Piece, opt(&t.Copy), &t.CopyNumber, &t.Level, &t.Sender, &t.SenderOrganisation,
		opt(&t.RecipientPerson), opt(&t.RecipientOrganisation), &t.Channel, &t.Purpose, &t.OriginatorConsent, &t.Note,
		ts(&t.Sent), opt(&t.ReceivedBy), ts(&t.Received))
	return t, err
}

// CreateTransmission stores t; ErrConflict if its ID exists.
func (tx *Tx) CreateTransmission(t cleared.Transmission) error {
	err := checkTimes(t.Sent, t.Received)
	var args []any
	if err == nil {
		args, err = sealRow(tx, transmissionCodec, t)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO transmissions (`+transmissionColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create transmission %s", t.ID)
	}
	return nil
}

// Transmission returns the transmission with the given ID; ErrNotFound if there is none.
func (tx *Tx) Transmission(id cleared.TransmissionID) (cleared.Transmission, error) {
	t, err := get(tx, checked(tx, transmissionCodec, scanTransmission), `SELECT `+transmissionColumns+` FROM transmissions WHERE id = $1`, id)
	if err != nil {
		return cleared.Transmission{}, tx.notFound(err, "transmission", id)
	}
	return t, nil
}

// PieceTransmissions lists the transmissions of a piece and of its copies, oldest first.
func (tx *Tx) PieceTransmissions(piece cleared.PieceID) ([]cleared.Transmission, error) {
	ts, err := list(tx, checked(tx, transmissionCodec, scanTransmission),
		`SELECT `+transmissionColumns+` FROM transmissions WHERE piece_id = $1 ORDER BY sent, id`, piece)
	if err != nil {
		return nil, tx.errorf(err, "list transmissions of %s", piece)
	}
	return ts, nil
}

// UnconfirmedTransmissions answers q: see store.ReceiptQuery.
func (tx *Tx) UnconfirmedTransmissions(q store.ReceiptQuery) ([]cleared.Transmission, error) {
	if err := checkPage(q.Limit); err != nil {
		return nil, err
	}
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	var or []string
	if q.Sender != "" {
		or = append(or, `sender = `+arg(string(q.Sender)))
	}
	if q.Person != "" {
		or = append(or, `recipient_person = `+arg(string(q.Person)))
	}
	if len(q.Organisations) > 0 {
		in := make([]string, len(q.Organisations))
		for i, o := range q.Organisations {
			in[i] = arg(string(o))
		}
		or = append(or, `recipient_organisation IN (`+strings.Join(in, ", ")+`)`)
	}
	if len(or) == 0 {
		return nil, nil
	}
	query := `SELECT ` + transmissionColumns + ` FROM transmissions WHERE received IS NULL AND (` + strings.Join(or, " OR ") +
		`) ORDER BY sent, id LIMIT ` + arg(q.Limit)
	ts, err := list(tx, checked(tx, transmissionCodec, scanTransmission), query, args...)
	if err != nil {
		return nil, tx.errorf(err, "list unconfirmed transmissions")
	}
	return ts, nil
}

// ConfirmReceipt records t's receipt (ReceivedBy, Received); ErrNotFound if there is no such transmission,
// ErrConflict if its receipt was already confirmed. The rest of the row is kept as stored.
func (tx *Tx) ConfirmReceipt(t cleared.Transmission) error {
	if err := checkTimes(t.Received); err != nil {
		return tx.errorf(err, "confirm receipt of %s", t.ID)
	}
	if t.ReceivedBy == "" || t.Received.IsZero() {
		return cleared.Invalidf("a receipt names who confirmed it and when")
	}
	old, err := tx.Transmission(t.ID)
	if err != nil {
		return err
	}
	if old.Confirmed() {
		return cleared.Conflictf("the receipt of transmission %s was already confirmed", t.ID)
	}
	old.ReceivedBy, old.Received = t.ReceivedBy, t.Received
	mac, err := macOf(tx, transmissionCodec, old)
	if err == nil {
		_, err = tx.exec(`UPDATE transmissions SET received_by = $2, received = $3, mac = $4 WHERE id = $1 AND received IS NULL`,
			string(old.ID), string(old.ReceivedBy), ns(old.Received), mac)
	}
	if err != nil {
		return tx.errorf(err, "confirm receipt of %s", t.ID)
	}
	return nil
}
