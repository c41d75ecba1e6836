package sqlstore

import (
	"strconv"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// briefingCodec seals the rows of clearance_briefings: a declaration added behind the store's back would make a
// clearance active, a briefing date moved would put off the next one (A18.1).
var briefingCodec = codec[cleared.Briefing]{table: "clearance_briefings",
	key: func(b cleared.Briefing) string { return string(b.Clearance) + "/" + strconv.Itoa(b.Number) },
	row: func(b cleared.Briefing) ([]any, error) {
		return []any{string(b.Clearance), int64(b.Number), string(b.Holder), ns(b.BriefedOn), b.BriefedBy,
			b.Instructions, string(b.RecordedBy), ns(b.Recorded), ns(b.Declared), b.Certificate, b.CMS, b.Digest}, nil
	}}

const briefingColumns = `clearance_id, number, holder, briefed_on, briefed_by, instructions, recorded_by, recorded,
	declared, certificate, cms, digest, mac`

func scanBriefing(s scanner) (cleared.Briefing, error) {
	var b cleared.Briefing
	err := s.Scan(&b.Clearance, &b.Number, &b.Holder, ts(&b.BriefedOn), &b.BriefedBy, &b.Instructions, &b.RecordedBy,
		ts(&b.Recorded), ts(&b.Declared), &b.Certificate, &b.CMS, &b.Digest)
	return b, err
}

// AddBriefing stores b undeclared; ErrConflict if its clearance has a briefing of that number, ErrInvalid if the
// clearance or the holder does not exist.
func (tx *Tx) AddBriefing(b cleared.Briefing) error {
	err := checkTimes(b.BriefedOn, b.Recorded)
	switch {
	case err != nil:
	case b.Number < 1 || b.BriefedOn.IsZero() || b.BriefedBy == "" || b.Instructions == "":
		err = cleared.Invalidf("a briefing has a number from 1, a date, who gave it and the instructions given")
	case !b.Declared.IsZero() || len(b.CMS) > 0:
		err = cleared.Invalidf("a briefing is recorded before its declaration is signed")
	}
	var args []any
	if err == nil {
		args, err = sealRow(tx, briefingCodec, b)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO clearance_briefings (`+briefingColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "add briefing %s/%d", b.Clearance, b.Number)
	}
	return nil
}

// DeclareBriefing stores the declaration of b, resealing the row; ErrNotFound if there is no such briefing,
// ErrConflict if it was declared already. What the briefing recorded is kept as stored.
func (tx *Tx) DeclareBriefing(b cleared.Briefing) error {
	old, err := get(tx, checked(tx, briefingCodec, scanBriefing),
		`SELECT `+briefingColumns+` FROM clearance_briefings WHERE clearance_id = $1 AND number = $2`, b.Clearance, b.Number)
	if err != nil {
		return tx.notFound(err, "briefing", string(b.Clearance)+"/"+strconv.Itoa(b.Number))
	}
	switch {
	case !old.Declared.IsZero():
		return cleared.Conflictf("briefing %s/%d is declared already", b.Clearance, b.Number)
	case b.Declared.IsZero() || b.Certificate == "" || len(b.CMS) == 0 || b.Digest == "":
		return cleared.Invalidf("a declaration has its time, certificate, signature and digest")
	}
	if err := checkTimes(b.Declared); err != nil {
		return tx.errorf(err, "declare briefing %s/%d", b.Clearance, b.Number)
	}
	old.Declared, old.Certificate, old.CMS, old.Digest = b.Declared, b.Certificate, b.CMS, b.Digest
	mac, err := macOf(tx, briefingCodec, old)
	if err == nil {
		_, err = tx.exec(`UPDATE clearance_briefings SET declared = $3, certificate = $4, cms = $5, digest = $6, mac = $7
			WHERE clearance_id = $1 AND number = $2`, b.Clearance, b.Number, ns(old.Declared), old.Certificate, old.CMS, old.Digest, mac)
	}
	if err != nil {
		return tx.errorf(err, "declare briefing %s/%d", b.Clearance, b.Number)
	}
	return nil
}

// Briefings lists the briefings of clearance c, by number.
func (tx *Tx) Briefings(c cleared.ClearanceID) ([]cleared.Briefing, error) {
	bs, err := list(tx, checked(tx, briefingCodec, scanBriefing),
		`SELECT `+briefingColumns+` FROM clearance_briefings WHERE clearance_id = $1 ORDER BY number`, c)
	if err != nil {
		return nil, tx.errorf(err, "list briefings of %s", c)
	}
	return bs, nil
}

// BriefingsDue answers q (A18.1): the person clearances of q.Person or of the staff of q.Organisations that are
// pending their first declaration, or active with a declared briefing and none declared given after q.Before. A clearance imported from the paper register with no briefing recorded in cleared is not due: its
// schedule starts with the first briefing recorded.
func (tx *Tx) BriefingsDue(q store.BriefingQuery) ([]cleared.Clearance, error) {
	if err := checkPage(q.Limit); err != nil {
		return nil, err
	}
	if err := checkTimeSet("briefing", q.Before); err != nil {
		return nil, tx.errorf(err, "list briefings due")
	}
	if q.Person == "" && len(q.Organisations) == 0 {
		return nil, nil
	}
	args := []any{cleared.HolderPerson, cleared.ClearancePending, cleared.ClearanceActive, q.Before.UnixNano()}
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	query := `SELECT ` + clearanceColumns + ` FROM clearances c
		WHERE c.holder_kind = $1 AND (c.status = $2 OR c.status = $3
			AND EXISTS (SELECT 1 FROM clearance_briefings b WHERE b.clearance_id = c.id AND b.declared IS NOT NULL)
			AND NOT EXISTS (SELECT 1 FROM clearance_briefings b WHERE b.clearance_id = c.id AND b.declared IS NOT NULL
				AND b.briefed_on > $4))`
	if q.Person != "" {
		query += ` AND c.person_id = ` + arg(string(q.Person))
	} else {
		var in []string
		for _, o := range q.Organisations {
			in = append(in, arg(string(o)))
		}
		query += ` AND c.person_id IN (SELECT id FROM persons WHERE organisation_id IN (` + strings.Join(in, ", ") + `))`
	}
	query += ` ORDER BY c.id LIMIT ` + arg(q.Limit)
	cs, err := list(tx, checked(tx, clearanceCodec, scanClearance), query, args...)
	if err != nil {
		return nil, tx.errorf(err, "list briefings due")
	}
	return cs, nil
}

// circumstanceCodec seals the rows of circumstance_reports: who may read a report depends on its person and
// organisation, and whether it waits on the NSA's agenda on taken_up. The wrapped key and the sealed content are
// left out: erasing the key must not break the seal, and the content is authenticated by its own seal.
var circumstanceCodec = codec[cleared.CircumstanceReport]{table: "circumstance_reports",
	key: func(r cleared.CircumstanceReport) string { return string(r.ID) },
	row: func(r cleared.CircumstanceReport) ([]any, error) {
		return []any{string(r.ID), string(r.PersonID), string(r.OrganisationID), ns(r.Reported), null(r.TakenUpBy),
			ns(r.TakenUp)}, nil
	}}

const (
	circumstanceFields  = `id, person_id, organisation_id, reported, taken_up_by, taken_up`
	circumstanceColumns = circumstanceFields + `, mac`
)

func scanCircumstance(s scanner) (cleared.CircumstanceReport, error) {
	var r cleared.CircumstanceReport
	err := s.Scan(&r.ID, &r.PersonID, &r.OrganisationID, ts(&r.Reported), opt(&r.TakenUpBy), ts(&r.TakenUp))
	return r, err
}

// CreateCircumstance stores a report with its wrapped key and sealed content; ErrConflict if its ID exists,
// ErrInvalid if its person does not or the key or the content is missing.
func (tx *Tx) CreateCircumstance(r store.SealedCircumstance) error {
	err := checkTimes(r.Report.Reported)
	switch {
	case err != nil:
	case r.Key.KEK == "" || len(r.Key.Wrapped) == 0 || len(r.Ciphertext) == 0:
		err = cleared.Invalidf("a circumstance report has a wrapped data key and sealed content")
	case r.Report.Reported.IsZero() || r.Report.TakenUpBy != "" || !r.Report.TakenUp.IsZero():
		err = cleared.Invalidf("a circumstance report is stored when reported, not yet taken up")
	}
	var args []any
	if err == nil {
		args, err = sealRow(tx, circumstanceCodec, r.Report)
	}
	if err == nil {
		mac := args[len(args)-1]
		args = append(append(args[:len(args)-1:len(args)-1], r.Key.KEK, r.Key.Wrapped, r.Ciphertext), mac)
		_, err = tx.exec(`INSERT INTO circumstance_reports (`+circumstanceFields+`, key_kek, wrapped_key, ciphertext, mac)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create circumstance report %s", r.Report.ID)
	}
	return nil
}

// Circumstance returns a report with its sealed content; ErrNotFound if there is none.
func (tx *Tx) Circumstance(id cleared.CircumstanceID) (store.SealedCircumstance, error) {
	var out store.SealedCircumstance
	r, err := get(tx, checked(tx, circumstanceCodec, scanCircumstance),
		`SELECT `+circumstanceColumns+` FROM circumstance_reports WHERE id = $1`, id)
	if err != nil {
		return out, tx.notFound(err, "circumstance report", id)
	}
	out.Report = r
	type sealed struct {
		key store.CaseKey
		ct  []byte
	}
	s, err := get(tx, func(sc scanner) (sealed, error) {
		var s sealed
		err := sc.Scan(&s.key.KEK, &s.key.Wrapped, &s.ct)
		return s, err
	}, `SELECT key_kek, wrapped_key, ciphertext FROM circumstance_reports WHERE id = $1`, id)
	if err != nil {
		return out, tx.notFound(err, "circumstance report", id)
	}
	out.Key, out.Ciphertext = s.key, s.ct
	return out, nil
}

// Circumstances answers q: the reports of q.Person and of q.Organisation if set, only those not taken up if
// q.Open; newest first.
func (tx *Tx) Circumstances(q store.CircumstanceQuery) ([]cleared.CircumstanceReport, error) {
	if err := checkPage(q.Limit); err != nil {
		return nil, err
	}
	query := `SELECT ` + circumstanceColumns + ` FROM circumstance_reports WHERE 1 = 1`
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if q.Person != "" {
		query += ` AND person_id = ` + arg(string(q.Person))
	}
	if q.Organisation != "" {
		query += ` AND organisation_id = ` + arg(string(q.Organisation))
	}
	if q.Open {
		query += ` AND taken_up IS NULL`
	}
	query += ` ORDER BY reported DESC, id LIMIT ` + arg(q.Limit)
	rs, err := list(tx, checked(tx, circumstanceCodec, scanCircumstance), query, args...)
	if err != nil {
		return nil, tx.errorf(err, "list circumstance reports")
	}
	return rs, nil
}

// TakeUpCircumstance records that NSA officer by took report id up at, resealing the row; ErrNotFound if there is
// none, ErrConflict if it was taken up already.
func (tx *Tx) TakeUpCircumstance(id cleared.CircumstanceID, by cleared.PersonID, at time.Time) error {
	r, err := get(tx, checked(tx, circumstanceCodec, scanCircumstance),
		`SELECT `+circumstanceColumns+` FROM circumstance_reports WHERE id = $1`, id)
	if err != nil {
		return tx.notFound(err, "circumstance report", id)
	}
	if !r.TakenUp.IsZero() {
		return cleared.Conflictf("circumstance report %s was taken up already", id)
	}
	if err := checkTimeSet("take-up", at); err != nil || by == "" {
		return cleared.Invalidf("a report is taken up by someone at a time")
	}
	r.TakenUpBy, r.TakenUp = by, at
	mac, err := macOf(tx, circumstanceCodec, r)
	if err == nil {
		_, err = tx.exec(`UPDATE circumstance_reports SET taken_up_by = $2, taken_up = $3, mac = $4 WHERE id = $1`,
			id, string(by), ns(at), mac)
	}
	if err != nil {
		return tx.errorf(err, "take up circumstance report %s", id)
	}
	return nil
}
