package sqlstore

import (
	"encoding/hex"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// placeCodec seals the rows of places.
var placeCodec = codec[cleared.Place]{table: "places",
	key: func(p cleared.Place) string { return string(p.ID) },
	row: func(p cleared.Place) ([]any, error) {
		return []any{string(p.ID), string(p.OrganisationID), p.Name, int64(p.AccreditedLevel), bit(p.SecurityZone),
			bit(p.Public), string(p.Officer), ns(p.Created)}, nil
	}}

// CreatePlace stores p; ErrConflict if its ID exists, ErrInvalid if its organisation or officer does not.
func (tx *Tx) CreatePlace(p cleared.Place) error {
	err := checkTimes(p.Created)
	var args []any
	if err == nil {
		args, err = sealRow(tx, placeCodec, p)
	}
	if err == nil {
		_, err = tx.exec(`
			INSERT INTO places (`+placeColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create place %s", p.ID)
	}
	return nil
}

// placeColumns are the columns scanPlace reads, and the MAC.
const placeColumns = `id, organisation_id, name, accredited_level, security_zone, public, officer, created, mac`

func scanPlace(s scanner) (cleared.Place, error) {
	var p cleared.Place
	err := s.Scan(&p.ID, &p.OrganisationID, &p.Name, &p.AccreditedLevel, &p.SecurityZone, &p.Public, &p.Officer,
		ts(&p.Created))
	return p, err
}

// Place returns the place with the given ID; ErrNotFound if there is none.
func (tx *Tx) Place(id cleared.PlaceID) (cleared.Place, error) {
	p, err := get(tx, checked(tx, placeCodec, scanPlace), `SELECT `+placeColumns+` FROM places WHERE id = $1`, id)
	if err != nil {
		return cleared.Place{}, tx.notFound(err, "place", id)
	}
	return p, nil
}

// Places lists places by ID.
func (tx *Tx) Places(p store.Page) ([]cleared.Place, error) {
	if err := checkPage(p.Limit); err != nil {
		return nil, err
	}
	ps, err := list(tx, checked(tx, placeCodec, scanPlace), `SELECT `+placeColumns+` FROM places WHERE id > $1 ORDER BY id LIMIT $2`,
		p.After, p.Limit)
	if err != nil {
		return nil, tx.errorf(err, "list places")
	}
	return ps, nil
}

// terminalCodec seals the rows of terminals.
var terminalCodec = codec[cleared.Terminal]{table: "terminals",
	key: func(t cleared.Terminal) string { return string(t.ID) },
	row: func(t cleared.Terminal) ([]any, error) {
		return []any{string(t.ID), t.Name, null(t.Place), int64(t.AccreditedLevel), bit(t.SecurityZone),
			bit(t.Public), string(t.RegisteredBy), ns(t.Created), ns(t.Revoked)}, nil
	}}

// CreateTerminal stores t; ErrConflict if its ID exists, ErrInvalid if its place does not.
func (tx *Tx) CreateTerminal(t cleared.Terminal) error {
	err := checkTimes(t.Created, t.Revoked)
	var args []any
	if err == nil {
		args, err = sealRow(tx, terminalCodec, t)
	}
	if err == nil {
		_, err = tx.exec(`
			INSERT INTO terminals (`+terminalColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create terminal %s", t.ID)
	}
	return nil
}

// terminalColumns are the columns scanTerminal reads, and the MAC.
const terminalColumns = `id, name, place_id, accredited_level, security_zone, public, registered_by, created, revoked,
	mac`

func scanTerminal(s scanner) (cleared.Terminal, error) {
	var t cleared.Terminal
	err := s.Scan(&t.ID, &t.Name, opt(&t.Place), &t.AccreditedLevel, &t.SecurityZone, &t.Public, &t.RegisteredBy,
		ts(&t.Created), ts(&t.Revoked))
	return t, err
}

// Terminal returns the terminal with the given ID; ErrNotFound if there is none.
func (tx *Tx) Terminal(id cleared.TerminalID) (cleared.Terminal, error) {
	t, err := get(tx, checked(tx, terminalCodec, scanTerminal), `SELECT `+terminalColumns+` FROM terminals WHERE id = $1`, id)
	if err != nil {
		return cleared.Terminal{}, tx.notFound(err, "terminal", id)
	}
	return t, nil
}

// Terminals lists terminals by ID, revoked ones included.
func (tx *Tx) Terminals(p store.Page) ([]cleared.Terminal, error) {
	if err := checkPage(p.Limit); err != nil {
		return nil, err
	}
	ts, err := list(tx, checked(tx, terminalCodec, scanTerminal), `SELECT `+terminalColumns+` FROM terminals WHERE id > $1 ORDER BY id LIMIT $2`,
		p.After, p.Limit)
	if err != nil {
		return nil, tx.errorf(err, "list terminals")
	}
	return ts, nil
}

// channelCodec seals the rows of channels. The product of the register (issue 19) is sealed only when a channel
// names one, so that the MACs of channels recorded before it still hold; the number of columns is in the sealed
// encoding, so a product added to or removed from a row behind the store's back fails its check all the same.
var channelCodec = codec[cleared.Channel]{table: "channels",
	key: func(c cleared.Channel) string { return string(c.ID) },
	row: func(c cleared.Channel) ([]any, error) {
		row := []any{string(c.ID), c.Name, int64(c.MaxLevel), c.CryptoProduct, string(c.ApprovedBy), ns(c.From),
			ns(c.Until), ns(c.Created)}
		if c.Product != "" {
			row = append(row, string(c.Product))
		}
		return row, nil
	}}

// CreateChannel stores c; ErrConflict if its ID exists, ErrInvalid if the product it names does not.
func (tx *Tx) CreateChannel(c cleared.Channel) error {
	err := checkTimes(c.From, c.Until, c.Created)
	var mac []byte
	if err == nil {
		mac, err = macOf(tx, channelCodec, c)
	}
	if err == nil {
		_, err = tx.exec(`
			INSERT INTO channels (`+channelColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			string(c.ID), c.Name, int64(c.MaxLevel), c.CryptoProduct, string(c.ApprovedBy), ns(c.From), ns(c.Until),
			ns(c.Created), null(c.Product), mac)
	}
	if err != nil {
		return tx.errorf(err, "create channel %s", c.ID)
	}
	return nil
}

// channelColumns are the columns scanChannel reads, and the MAC.
const channelColumns = `id, name, max_level, crypto_product, approved_by, valid_from, valid_until, created, product, mac`

func scanChannel(s scanner) (cleared.Channel, error) {
	var c cleared.Channel
	err := s.Scan(&c.ID, &c.Name, &c.MaxLevel, &c.CryptoProduct, &c.ApprovedBy, ts(&c.From), ts(&c.Until),
		ts(&c.Created), opt(&c.Product))
	return c, err
}

// Channel returns the channel with the given ID; ErrNotFound if there is none.
func (tx *Tx) Channel(id cleared.ChannelID) (cleared.Channel, error) {
	c, err := get(tx, checked(tx, channelCodec, scanChannel), `SELECT `+channelColumns+` FROM channels WHERE id = $1`, id)
	if err != nil {
		return cleared.Channel{}, tx.notFound(err, "channel", id)
	}
	return c, nil
}

// Channels lists channels by ID.
func (tx *Tx) Channels(p store.Page) ([]cleared.Channel, error) {
	if err := checkPage(p.Limit); err != nil {
		return nil, err
	}
	cs, err := list(tx, checked(tx, channelCodec, scanChannel), `
		SELECT `+channelColumns+` FROM channels
		WHERE id > $1 ORDER BY id LIMIT $2`,
		p.After, p.Limit)
	if err != nil {
		return nil, tx.errorf(err, "list channels")
	}
	return cs, nil
}

// terminalCertificateCodec seals the rows of terminal_certificates; their key is the fingerprint, in hex.
var terminalCertificateCodec = codec[cleared.TerminalCertificate]{table: "terminal_certificates",
	key: func(c cleared.TerminalCertificate) string { return hex.EncodeToString(c.Fingerprint) },
	row: func(c cleared.TerminalCertificate) ([]any, error) {
		return []any{c.Fingerprint, string(c.Terminal), c.Serial, ns(c.NotAfter), string(c.IssuedBy), ns(c.Issued),
			ns(c.Revoked)}, nil
	}}

// terminalCertificateColumns are the columns scanTerminalCertificate reads, and the MAC.
const terminalCertificateColumns = `fingerprint, terminal_id, serial, not_after, issued_by, issued, revoked, mac`

func scanTerminalCertificate(s scanner) (cleared.TerminalCertificate, error) {
	var c cleared.TerminalCertificate
	err := s.Scan(&c.Fingerprint, &c.Terminal, &c.Serial, ts(&c.NotAfter), &c.IssuedBy, ts(&c.Issued),
		ts(&c.Revoked))
	return c, err
}

// CreateTerminalCertificate stores c; ErrConflict if its fingerprint or serial exists, ErrInvalid if its
// terminal does not.
func (tx *Tx) CreateTerminalCertificate(c cleared.TerminalCertificate) error {
	err := checkTimes(c.NotAfter, c.Issued, c.Revoked)
	var args []any
	if err == nil {
		args, err = sealRow(tx, terminalCertificateCodec, c)
	}
	if err == nil {
		_, err = tx.exec(`
			INSERT INTO terminal_certificates (`+terminalCertificateColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "record certificate of terminal %s", c.Terminal)
	}
	return nil
}

// TerminalCertificate finds a certificate by the SHA-256 of its DER; ErrNotFound if none was issued.
func (tx *Tx) TerminalCertificate(fingerprint []byte) (cleared.TerminalCertificate, error) {
	c, err := get(tx, checked(tx, terminalCertificateCodec, scanTerminalCertificate), `
		SELECT `+terminalCertificateColumns+` FROM terminal_certificates WHERE fingerprint = $1`, fingerprint)
	if err != nil {
		return c, tx.notFound(err, "terminal certificate", "with this fingerprint")
	}
	return c, nil
}

// TerminalCertificates lists the certificates issued to a terminal, oldest first.
func (tx *Tx) TerminalCertificates(id cleared.TerminalID) ([]cleared.TerminalCertificate, error) {
	cs, err := list(tx, checked(tx, terminalCertificateCodec, scanTerminalCertificate), `
		SELECT `+terminalCertificateColumns+` FROM terminal_certificates WHERE terminal_id = $1 ORDER BY issued, serial`,
		id)
	if err != nil {
		return nil, tx.errorf(err, "list certificates of terminal %s", id)
	}
	return cs, nil
}

// RevokeTerminal ends a terminal and every certificate issued to it at t; ErrNotFound if there is no such
// terminal, ErrConflict if it is already revoked.
func (tx *Tx) RevokeTerminal(id cleared.TerminalID, at time.Time) error {
	if err := checkTimeSet("revocation", at); err != nil {
		return tx.errorf(err, "revoke terminal %s", id)
	}
	t, err := tx.Terminal(id)
	if err != nil {
		return err
	}
	if !t.Revoked.IsZero() {
		return cleared.Conflictf("terminal %v is already revoked", id)
	}
	t.Revoked = at
	mac, err := macOf(tx, terminalCodec, t)
	if err == nil {
		_, err = tx.exec(`UPDATE terminals SET revoked = $2, mac = $3 WHERE id = $1`, id, ns(at), mac)
	}
	if err != nil {
		return tx.errorf(err, "revoke terminal %s", id)
	}
	// A certificate that fails its check is left out of the list, stays unusable, and keeps its row as found.
	cs, err := tx.TerminalCertificates(id)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if !c.Revoked.IsZero() {
			continue
		}
		c.Revoked = at
		mac, err := macOf(tx, terminalCertificateCodec, c)
		if err == nil {
			_, err = tx.exec(`UPDATE terminal_certificates SET revoked = $2, mac = $3 WHERE fingerprint = $1`,
				c.Fingerprint, ns(at), mac)
		}
		if err != nil {
			return tx.errorf(err, "revoke certificates of terminal %s", id)
		}
	}
	return nil
}
