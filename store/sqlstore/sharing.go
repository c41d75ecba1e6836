package sqlstore

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// Issue 21: sharing with partners (S1, A6.1, A11.1, A11.2).
//
// partners and releases are sealed. partner_certificates and release_audience are indexes that make the lookups
// by certificate and by partner fast; the database could forge a row in them, so the store never believes one
// without the sealed row it points to: a certificate must be in the sealed partner's list, a partner in the sealed
// release's audience.

// partnerCodec seals the rows of partners: the level, scheme, channels and certificates of a partner decide what
// it receives and how it proves who it is (S1, A6.1, A11.1).
var partnerCodec = codec[cleared.Partner]{table: "partners",
	key: func(p cleared.Partner) string { return string(p.Organisation) },
	row: func(p cleared.Partner) ([]any, error) {
		groups, err := jsonList(p.Groups)
		if err != nil {
			return nil, err
		}
		chans, err := jsonList(p.Channels)
		if err != nil {
			return nil, err
		}
		certs, err := jsonList(p.Certificates)
		if err != nil {
			return nil, err
		}
		return []any{string(p.Organisation), p.Name, string(p.Scheme), int64(p.MaxLevel), groups, chans, certs, bit(p.ACS),
			ns(p.AccreditedFrom), ns(p.AccreditedUntil), bit(p.Suspended), string(p.RecordedBy), ns(p.Recorded)}, nil
	}}

// partnerColumns are the columns scanPartner reads, and the MAC.
const partnerColumns = `p.organisation_id, p.name, p.scheme, p.max_level, p.partner_groups, p.channels, p.certificates, p.acs,
	p.accredited_from, p.accredited_until, p.suspended, p.recorded_by, p.recorded, p.mac`

func scanPartner(s scanner) (cleared.Partner, error) {
	var p cleared.Partner
	err := s.Scan(&p.Organisation, &p.Name, &p.Scheme, &p.MaxLevel, listScanner[string]{&p.Groups},
		listScanner[cleared.ChannelID]{&p.Channels}, listScanner[string]{&p.Certificates}, &p.ACS, ts(&p.AccreditedFrom),
		ts(&p.AccreditedUntil), &p.Suspended, &p.RecordedBy, ts(&p.Recorded))
	return p, err
}

// PutPartner stores p, replacing the organisation's partner record if it has one, and indexes its certificates;
// ErrInvalid if the organisation does not exist, ErrConflict if one of its certificates is another partner's.
func (tx *Tx) PutPartner(p cleared.Partner) error {
	if err := checkTimes(p.AccreditedFrom, p.AccreditedUntil, p.Recorded); err != nil {
		return tx.errorf(err, "put partner %s", p.Organisation)
	}
	for i, c := range p.Certificates {
		if c == "" || slices.Contains(p.Certificates[:i], c) {
			return cleared.Invalidf("partner %s: certificate fingerprint %d is empty or given twice", p.Organisation, i+1)
		}
	}
	if len(p.Certificates) > 0 {
		// Asked first, so that the refusal names the certificate and leaves the transaction usable; the primary
		// key of partner_certificates refuses it anyway.
		args := []any{string(p.Organisation)}
		in := make([]string, len(p.Certificates))
		for i, c := range p.Certificates {
			args = append(args, c)
			in[i] = "$" + strconv.Itoa(len(args))
		}
		taken, err := get(tx, func(s scanner) (string, error) {
			var fp string
			return fp, s.Scan(&fp)
		}, `SELECT fingerprint FROM partner_certificates WHERE organisation_id <> $1 AND fingerprint IN (`+
			strings.Join(in, ", ")+`) ORDER BY fingerprint LIMIT 1`, args...)
		switch {
		case err == nil:
			return cleared.Conflictf("partner %s: certificate %s is another partner's", p.Organisation, taken)
		case !errors.Is(err, sql.ErrNoRows):
			return tx.errorf(err, "put partner %s", p.Organisation)
		}
	}
	args, err := sealRow(tx, partnerCodec, p)
	if err == nil {
		_, err = tx.exec(`INSERT INTO partners (organisation_id, name, scheme, max_level, partner_groups, channels,
			certificates, acs, accredited_from, accredited_until, suspended, recorded_by, recorded, mac)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
			ON CONFLICT (organisation_id) DO UPDATE SET name = excluded.name, scheme = excluded.scheme,
			max_level = excluded.max_level, partner_groups = excluded.partner_groups, channels = excluded.channels,
			certificates = excluded.certificates, acs = excluded.acs, accredited_from = excluded.accredited_from,
			accredited_until = excluded.accredited_until, suspended = excluded.suspended,
			recorded_by = excluded.recorded_by, recorded = excluded.recorded, mac = excluded.mac`, args...)
	}
	if err == nil {
		_, err = tx.exec(`DELETE FROM partner_certificates WHERE organisation_id = $1`, string(p.Organisation))
	}
	for _, c := range p.Certificates {
		if err != nil {
			break
		}
		_, err = tx.exec(`INSERT INTO partner_certificates (fingerprint, organisation_id) VALUES ($1, $2)`, c,
			string(p.Organisation))
	}
	if err != nil {
		return tx.errorf(err, "put partner %s", p.Organisation)
	}
	return nil
}

// Partner returns an organisation's partner record; ErrNotFound if it has none.
func (tx *Tx) Partner(org cleared.OrganisationID) (cleared.Partner, error) {
	p, err := get(tx, checked(tx, partnerCodec, scanPartner), `SELECT `+partnerColumns+` FROM partners p
		WHERE p.organisation_id = $1`, string(org))
	if err != nil {
		return cleared.Partner{}, tx.notFound(err, "partner", org)
	}
	return p, nil
}

// Partners lists the partner records by organisation ID.
func (tx *Tx) Partners(pg store.Page) ([]cleared.Partner, error) {
	if err := checkPage(pg.Limit); err != nil {
		return nil, err
	}
	ps, err := list(tx, checked(tx, partnerCodec, scanPartner), `SELECT `+partnerColumns+` FROM partners p
		WHERE p.organisation_id > $1 ORDER BY p.organisation_id LIMIT $2`, pg.After, pg.Limit)
	if err != nil {
		return nil, tx.errorf(err, "list partners")
	}
	return ps, nil
}

// PartnerByCertificate returns the partner that presents the client certificate of the given fingerprint;
// ErrNotFound if none does. The index row is believed only if the sealed partner lists the certificate: one that
// points elsewhere was written outside cleared, and is raised as tampering (fail closed).
func (tx *Tx) PartnerByCertificate(fingerprint string) (cleared.Partner, error) {
	p, err := get(tx, checked(tx, partnerCodec, scanPartner), `SELECT `+partnerColumns+` FROM partner_certificates c
		JOIN partners p ON p.organisation_id = c.organisation_id WHERE c.fingerprint = $1`, fingerprint)
	if err != nil {
		return cleared.Partner{}, tx.notFound(err, "partner of certificate", fingerprint)
	}
	if !slices.Contains(p.Certificates, fingerprint) {
		return cleared.Partner{}, tx.s.tampered("partner_certificates", fingerprint)
	}
	return p, nil
}

// releaseCodec seals the rows of releases: a release's state, level and audience decide what reaches which
// partner, and its seq where it stands in what the partners pull (S1).
var releaseCodec = codec[cleared.Release]{table: "releases",
	key: func(r cleared.Release) string { return string(r.ID) },
	row: func(r cleared.Release) ([]any, error) {
		sets, err := jsonArray(r.Sets)
		if err != nil {
			return nil, err
		}
		audience, err := jsonList(r.Audience)
		if err != nil {
			return nil, err
		}
		var seq any
		if r.Seq != 0 {
			seq = r.Seq
		}
		return []any{string(r.ID), string(r.Piece), int64(r.Level), sets, string(r.TLP), string(r.PAP), string(r.State),
			string(r.ProposedBy), ns(r.Proposed), null(r.ApprovedBy), ns(r.Released), null(r.RevokedBy), ns(r.Revoked),
			r.Reason, audience, seq}, nil
	}}

// releaseColumns are the columns scanRelease reads, and the MAC.
const releaseColumns = `r.id, r.piece_id, r.level, r.sets, r.tlp, r.pap, r.state, r.proposed_by, r.proposed, r.approved_by,
	r.released, r.revoked_by, r.revoked, r.reason, r.audience, r.seq, r.mac`

func scanRelease(s scanner) (cleared.Release, error) {
	var r cleared.Release
	var seq sql.NullInt64
	err := s.Scan(&r.ID, &r.Piece, &r.Level, arrayScanner[cleared.ReleasabilitySet]{&r.Sets, "releasability sets"}, &r.TLP, &r.PAP, &r.State, &r.ProposedBy,
		ts(&r.Proposed), opt(&r.ApprovedBy), ts(&r.Released), opt(&r.RevokedBy), ts(&r.Revoked), &r.Reason,
		listScanner[cleared.OrganisationID]{&r.Audience}, &seq)
	r.Seq = seq.Int64
	return r, err
}

// jsonArray is the stored form of a list of records (releasability sets, an inbox item's objects): a JSON array,
// "[]" when empty.
func jsonArray[T any](xs []T) (string, error) {
	if len(xs) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(xs)
	return string(b), err
}

// arrayScanner reads what jsonArray wrote; an empty array reads as nil. what names the list in errors.
type arrayScanner[T any] struct {
	p    *[]T
	what string
}

func (s arrayScanner[T]) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("sqlstore: %s are stored as text, not %T", s.what, src)
	}
	var xs []T
	if err := json.Unmarshal(b, &xs); err != nil {
		return fmt.Errorf("sqlstore: stored %s: %w", s.what, err)
	}
	if len(xs) == 0 {
		xs = nil
	}
	*s.p = xs
	return nil
}

// nextReleaseSeq takes the next number of the one counter of release changes.
//
// The counter is a row that each writer updates inside its transaction, never a database SEQUENCE (nor an
// autoincrement): a sequence hands out numbers outside transactions, so a change numbered 7 may commit after one
// numbered 8, and a partner that pulled after 8 in between would skip 7 for good. Updating the row locks it until
// the commit (PostgreSQL; SQLite has one writer), so numbers are committed in the order they are given: once a
// reader sees n, it sees every number below n.
func (tx *Tx) nextReleaseSeq() (int64, error) {
	return get(tx, scanInt, `UPDATE sharing_seq SET seq = seq + 1 WHERE id = 1 RETURNING seq`)
}

// checkRelease refuses what the table cannot hold as the release it is.
func checkRelease(r *cleared.Release) error {
	if err := checkTimes(r.Proposed, r.Released, r.Revoked); err != nil {
		return err
	}
	switch r.State {
	case cleared.ReleaseProposed, cleared.ReleaseReleased, cleared.ReleaseRevoked:
	default:
		return cleared.Invalidf("release %s: unknown state %q", r.ID, r.State)
	}
	for i, o := range r.Audience {
		if o == "" || slices.Contains(r.Audience[:i], o) {
			return cleared.Invalidf("release %s: audience member %d is empty or given twice", r.ID, i+1)
		}
	}
	return nil
}

// indexAudience writes the audience rows of r, at its seq and level.
func (tx *Tx) indexAudience(r *cleared.Release) error {
	for _, o := range r.Audience {
		if _, err := tx.exec(`INSERT INTO release_audience (release_id, partner, seq, level) VALUES ($1, $2, $3, $4)`,
			string(r.ID), string(o), r.Seq, int64(r.Level)); err != nil {
			return err
		}
	}
	return nil
}

// CreateRelease stores r; a released one gets the next sequence number (in r.Seq) and its audience indexed.
// ErrConflict if its ID exists, ErrInvalid if its piece does not.
func (tx *Tx) CreateRelease(r *cleared.Release) error {
	if err := checkRelease(r); err != nil {
		return tx.errorf(err, "create release %s", r.ID)
	}
	if r.State == cleared.ReleaseRevoked {
		return cleared.Invalidf("release %s: a release is created proposed or released", r.ID)
	}
	// Asked first, so that the order of the statements below cannot turn a conflict into another kind.
	if ok, err := tx.exists("releases", "id", string(r.ID)); err != nil || ok {
		if err == nil {
			err = cleared.Conflictf("release %s exists", r.ID)
		}
		return tx.errorf(err, "create release %s", r.ID)
	}
	r.Seq = 0
	var err error
	if r.State == cleared.ReleaseReleased {
		r.Seq, err = tx.nextReleaseSeq()
	}
	var args []any
	if err == nil {
		args, err = sealRow(tx, releaseCodec, *r)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO releases (id, piece_id, level, sets, tlp, pap, state, proposed_by, proposed,
			approved_by, released, revoked_by, revoked, reason, audience, seq, mac, uuid)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`, append(args, r.ID.UUID())...)
	}
	if err == nil && r.State == cleared.ReleaseReleased {
		err = tx.indexAudience(r)
	}
	if err != nil {
		return tx.errorf(err, "create release %s", r.ID)
	}
	return nil
}

// UpdateRelease stores the new state of r (released or revoked) with the next sequence number (in r.Seq), and
// moves its audience rows to that number; ErrNotFound if there is no such release. Its piece and proposal are
// kept as stored (written back into r); the stored row is read checked first, so that no change seals a row
// altered outside cleared.
func (tx *Tx) UpdateRelease(r *cleared.Release) error {
	if err := checkRelease(r); err != nil {
		return tx.errorf(err, "update release %s", r.ID)
	}
	if r.State == cleared.ReleaseProposed {
		return cleared.Invalidf("release %s: an update releases or revokes it", r.ID)
	}
	old, err := tx.Release(r.ID)
	if err != nil {
		return err
	}
	r.Piece, r.ProposedBy, r.Proposed = old.Piece, old.ProposedBy, old.Proposed
	r.Seq, err = tx.nextReleaseSeq()
	var args []any
	if err == nil {
		args, err = sealRow(tx, releaseCodec, *r)
	}
	if err == nil {
		_, err = tx.exec(`UPDATE releases SET piece_id = $2, level = $3, sets = $4, tlp = $5, pap = $6, state = $7,
			proposed_by = $8, proposed = $9, approved_by = $10, released = $11, revoked_by = $12, revoked = $13,
			reason = $14, audience = $15, seq = $16, mac = $17 WHERE id = $1`, args...)
	}
	if err == nil {
		if old.State != cleared.ReleaseProposed && slices.Equal(old.Audience, r.Audience) {
			// The same partners: their rows move to the new number (a revocation).
			_, err = tx.exec(`UPDATE release_audience SET seq = $2, level = $3 WHERE release_id = $1`,
				string(r.ID), r.Seq, int64(r.Level))
		} else {
			_, err = tx.exec(`DELETE FROM release_audience WHERE release_id = $1`, string(r.ID))
			if err == nil {
				err = tx.indexAudience(r)
			}
		}
	}
	if err != nil {
		return tx.errorf(err, "update release %s", r.ID)
	}
	return nil
}

// Release returns the release with the given ID; ErrNotFound if there is none.
func (tx *Tx) Release(id cleared.ReleaseID) (cleared.Release, error) {
	r, err := get(tx, checked(tx, releaseCodec, scanRelease), `SELECT `+releaseColumns+` FROM releases r WHERE r.id = $1`,
		string(id))
	if err != nil {
		return cleared.Release{}, tx.notFound(err, "release", id)
	}
	return r, nil
}

// ReleaseByUUID returns the release whose external UUID is uuid; ErrNotFound if there is none. The uuid column is
// an index, not sealed: the row found is believed only if its sealed ID gives that UUID.
func (tx *Tx) ReleaseByUUID(uuid string) (cleared.Release, error) {
	id, err := get(tx, func(sc scanner) (string, error) {
		var id string
		return id, sc.Scan(&id)
	}, `SELECT id FROM releases WHERE uuid = $1`, uuid)
	if err != nil {
		return cleared.Release{}, tx.notFound(err, "release", uuid)
	}
	r, err := tx.Release(cleared.ReleaseID(id))
	if err != nil {
		return r, err
	}
	if r.ID.UUID() != uuid {
		return cleared.Release{}, tx.s.tampered("releases", id)
	}
	return r, nil
}

// PieceReleases lists the releases of a piece, oldest first.
func (tx *Tx) PieceReleases(piece cleared.PieceID) ([]cleared.Release, error) {
	rs, err := list(tx, checked(tx, releaseCodec, scanRelease), `SELECT `+releaseColumns+` FROM releases r
		WHERE r.piece_id = $1 ORDER BY r.proposed, r.id`, string(piece))
	if err != nil {
		return nil, tx.errorf(err, "list releases of %s", piece)
	}
	return rs, nil
}

// Releases lists the releases of every piece by ID.
func (tx *Tx) Releases(pg store.Page) ([]cleared.Release, error) {
	if err := checkPage(pg.Limit); err != nil {
		return nil, err
	}
	rs, err := list(tx, checked(tx, releaseCodec, scanRelease), `SELECT `+releaseColumns+` FROM releases r
		WHERE r.id > $1 ORDER BY r.id LIMIT $2`, pg.After, pg.Limit)
	if err != nil {
		return nil, tx.errorf(err, "list releases")
	}
	return rs, nil
}

// ReleasedTo answers q (see store.ReleaseQuery) by a range scan of release_audience (partner, seq), joined to the
// sealed releases. A row is handed back only if its release's seal holds and the sealed release says what the
// index said: the partner in its audience, released or revoked, its number above q.After, its level at most
// q.MaxLevel. Anything else was written outside cleared: left out, and raised through the tamper hook.
func (tx *Tx) ReleasedTo(q store.ReleaseQuery) ([]cleared.Release, error) {
	if err := checkPage(q.Limit); err != nil {
		return nil, err
	}
	scan := checked(tx, releaseCodec, scanRelease)
	rs, err := list(tx, func(s scanner) (cleared.Release, error) {
		r, err := scan(s)
		if err != nil {
			return r, err
		}
		if !slices.Contains(r.Audience, q.Partner) || r.State == cleared.ReleaseProposed || r.Seq <= q.After ||
			r.Level > q.MaxLevel || !q.ChangedAfter.IsZero() && !lastChange(r).After(q.ChangedAfter) {
			return cleared.Release{}, tx.s.tampered("release_audience", string(r.ID)+"/"+string(q.Partner))
		}
		return r, nil
	}, `SELECT `+releaseColumns+` FROM release_audience a JOIN releases r ON r.id = a.release_id
		WHERE a.partner = $1 AND a.seq > $2 AND a.level <= $3 AND COALESCE(r.revoked, r.released, 9223372036854775807) > $5
		ORDER BY a.seq LIMIT $4`,
		string(q.Partner), q.After, int64(q.MaxLevel), q.Limit, changedAfter(q.ChangedAfter))
	if err != nil {
		return nil, tx.errorf(err, "list releases to %s", q.Partner)
	}
	return rs, nil
}

// A release with neither time (a proposal, which no audience row may name) passes the query's time filter, so
// that a row forged for it is seen, and raised, by the check of the sealed row.

// lastChange is the time of a release's last change seen by partners: its revocation, or its release.
func lastChange(r cleared.Release) time.Time {
	if !r.Revoked.IsZero() {
		return r.Revoked
	}
	return r.Released
}

// changedAfter is the stored form of ReleaseQuery.ChangedAfter: Unix nanoseconds, below every stored time when
// not set.
func changedAfter(t time.Time) int64 {
	if t.IsZero() {
		return math.MinInt64
	}
	return t.UnixNano()
}

// LastReleaseSeq returns the highest sequence number given (0 when none).
func (tx *Tx) LastReleaseSeq() (int64, error) {
	n, err := get(tx, scanInt, `SELECT seq FROM sharing_seq WHERE id = 1`)
	if err != nil {
		return 0, tx.errorf(err, "read the last release number")
	}
	return n, nil
}

// RecordDelivery stores d and reports true, or false if the release had reached the partner by that route already.
func (tx *Tx) RecordDelivery(d cleared.PartnerDelivery) (bool, error) {
	err := d.Route.Validate()
	if err == nil {
		err = checkTimeSet("delivery", d.At)
	}
	var added bool
	if err == nil {
		added, err = tx.execOne(`INSERT INTO partner_deliveries (release_id, partner, route, transmission_id, delivered)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (release_id, partner, route) DO NOTHING`,
			string(d.Release), string(d.Partner), string(d.Route), string(d.Transmission), ns(d.At))
	}
	if err != nil {
		return false, tx.errorf(err, "record delivery of %s to %s", d.Release, d.Partner)
	}
	return added, nil
}

// Deliveries lists the deliveries of a release, oldest first, to partner or ("") to all; the primary key
// (release, partner, route) serves both.
func (tx *Tx) Deliveries(id cleared.ReleaseID, partner cleared.OrganisationID) ([]cleared.PartnerDelivery, error) {
	ds, err := list(tx, func(s scanner) (cleared.PartnerDelivery, error) {
		var d cleared.PartnerDelivery
		err := s.Scan(&d.Release, &d.Partner, &d.Route, &d.Transmission, ts(&d.At))
		return d, err
	}, `SELECT release_id, partner, route, transmission_id, delivered FROM partner_deliveries
		WHERE release_id = $1 AND ($2 = '' OR partner = $2) ORDER BY delivered, partner, route`, string(id), string(partner))
	if err != nil {
		return nil, tx.errorf(err, "list deliveries of %s", id)
	}
	return ds, nil
}
