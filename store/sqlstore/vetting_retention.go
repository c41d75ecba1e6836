package sqlstore

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// caseDataTables lists, in ONE place, every table that holds personal data of a vetting case (A23.1, A24.1), with
// the column naming the case: PurgeVettingCase deletes their rows (A23.2). A chapter that adds a table of case
// data (investigation items, the commission's opinions, briefings' reports) adds it here, or a purge leaves it
// behind; storetest's retention suite fills each and checks it empty after a purge.
var caseDataTables = []struct{ table, column string }{
	{"vetting_answers", "case_id"},    // the questionnaire, sealed under the case's key
	{"vetting_signatures", "case_id"}, // the person's signatures: the questionnaire's digest is of his answers
	// The investigation (A21.1, A25.3, A15.2) and the person's request to see his file (A28.1).
	{"vetting_items", "case_id"},
	{"vetting_cooperation", "case_id"},
	{"vetting_reports", "case_id"},
	{"vetting_file_requests", "case_id"},
	// The commission's workspace and opinion (A27.4, A27.2).
	{"commission_requests", "case_id"},
	{"commission_hearings", "case_id"},
	{"opinions", "case_id"},
}

// CaseDataTables returns the tables of caseDataTables, for tests that check a purge empties each.
func CaseDataTables() []string {
	out := make([]string, len(caseDataTables))
	for i, t := range caseDataTables {
		out[i] = t.table
	}
	return out
}

// vettingRetentionCodec seals the rows of vetting_retention: a hold's review date removed or moved, a purge date
// forged or removed, would have data kept beyond its time or a case shown erased that is not (A23.2).
var vettingRetentionCodec = codec[store.VettingRetention]{table: "vetting_retention",
	key: func(r store.VettingRetention) string { return string(r.Case) },
	row: func(r store.VettingRetention) ([]any, error) {
		return []any{string(r.Case), r.HoldReason, ns(r.HoldReview), null(r.HeldBy), ns(r.Held), ns(r.Purged)}, nil
	}}

const vettingRetentionColumns = `case_id, hold_reason, hold_review, held_by, held, purged, mac`

func scanVettingRetention(s scanner) (store.VettingRetention, error) {
	var r store.VettingRetention
	err := s.Scan(&r.Case, &r.HoldReason, ts(&r.HoldReview), opt(&r.HeldBy), ts(&r.Held), ts(&r.Purged))
	return r, err
}

// putVettingRetention writes r, sealed, in place of the case's record if any.
func (tx *Tx) putVettingRetention(r store.VettingRetention) error {
	args, err := sealRow(tx, vettingRetentionCodec, r)
	if err != nil {
		return err
	}
	_, err = tx.exec(`INSERT INTO vetting_retention (`+vettingRetentionColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (case_id) DO UPDATE SET hold_reason = excluded.hold_reason, hold_review = excluded.hold_review,
		held_by = excluded.held_by, held = excluded.held, purged = excluded.purged, mac = excluded.mac`, args...)
	return err
}

// PutVettingHold records the hold of r, replacing any before; ErrInvalid if the case does not exist or a field is
// missing, ErrConflict if the case was purged.
func (tx *Tx) PutVettingHold(r store.VettingRetention) error {
	err := checkTimes(r.HoldReview, r.Held)
	switch {
	case err != nil:
	case len(r.HoldReason) == 0 || r.HoldReview.IsZero() || r.HeldBy == "" || r.Held.IsZero():
		err = cleared.Invalidf("a hold has its sealed reason, review date, author and time")
	case !r.Purged.IsZero():
		err = cleared.Invalidf("a hold does not purge")
	}
	if err == nil {
		var old store.VettingRetention
		switch old, err = tx.VettingRetention(r.Case); {
		case err == nil && !old.Purged.IsZero():
			err = cleared.Conflictf("the case's data was purged")
		case err == nil || errors.Is(err, cleared.ErrNotFound):
			err = tx.putVettingRetention(r)
		}
	}
	if err != nil {
		return tx.errorf(err, "put retention hold of %s", r.Case)
	}
	return nil
}

// VettingRetention returns the retention record of case id; ErrNotFound if it was neither held nor purged.
func (tx *Tx) VettingRetention(id cleared.VettingCaseID) (store.VettingRetention, error) {
	r, err := get(tx, checked(tx, vettingRetentionCodec, scanVettingRetention),
		`SELECT `+vettingRetentionColumns+` FROM vetting_retention WHERE case_id = $1`, string(id))
	if err != nil {
		return store.VettingRetention{}, tx.notFound(err, "retention record of", id)
	}
	return r, nil
}

// VettingRetentions lists the purged cases' records if purged (latest first), else those of the cases held and
// not purged (by review date); at most limit.
func (tx *Tx) VettingRetentions(purged bool, limit int) ([]store.VettingRetention, error) {
	if err := checkPage(limit); err != nil {
		return nil, err
	}
	where := `purged IS NULL AND hold_review IS NOT NULL ORDER BY hold_review, case_id`
	if purged {
		where = `purged IS NOT NULL ORDER BY purged DESC, case_id`
	}
	rs, err := list(tx, checked(tx, vettingRetentionCodec, scanVettingRetention),
		`SELECT `+vettingRetentionColumns+` FROM vetting_retention WHERE `+where+` LIMIT $1`, limit)
	if err != nil {
		return nil, tx.errorf(err, "list retention records")
	}
	return rs, nil
}

// RetentionCandidates answers q: the closed cases not purged that may be due (see store.RetentionQuery), by
// closing. The query narrows by stage and closing date on vetting_cases_closed, and by the person's assignments on
// assignments_person_until; policy.RetentionDue decides each.
func (tx *Tx) RetentionCandidates(q store.RetentionQuery) ([]cleared.VettingCase, error) {
	if err := checkPage(q.Limit); err != nil {
		return nil, err
	}
	if err := checkTimes(q.NegativeBy, q.ActivityBy, q.At); err != nil {
		return nil, err
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return `$` + strconv.Itoa(len(args)) }
	var ors []string
	if !q.NegativeBy.IsZero() {
		ors = append(ors, `c.stage IN ('refused', 'withdrawn', 'closed_non_cooperation') AND c.closed <= `+arg(ns(q.NegativeBy)))
	}
	if !q.ActivityBy.IsZero() {
		by := arg(ns(q.ActivityBy))
		ors = append(ors, `c.stage = 'granted' AND c.closed <= `+by+` AND NOT EXISTS (SELECT 1 FROM assignments a
			WHERE a.person_id = c.person_id AND (a.valid_until IS NULL OR a.valid_until > `+by+`))`)
	}
	if len(ors) == 0 {
		return nil, nil
	}
	query := `SELECT ` + vettingCaseColumnsOf("c") + ` FROM vetting_cases c
		LEFT JOIN vetting_retention r ON r.case_id = c.id
		WHERE c.closed IS NOT NULL AND r.purged IS NULL AND (r.hold_review IS NULL OR r.hold_review <= ` + arg(ns(q.At)) + `)
		AND ((` + ors[0] + `)`
	for _, o := range ors[1:] {
		query += ` OR (` + o + `)`
	}
	query += `) ORDER BY c.closed, c.id LIMIT ` + arg(q.Limit)
	cs, err := list(tx, checked(tx, vettingCaseCodec, scanVettingCase), query, args...)
	if err != nil {
		return nil, tx.errorf(err, "list cases due for retention")
	}
	return cs, nil
}

// PurgeVettingCase erases the personal data of case id at at (A23.2); see store.VettingRetentions. The deletions
// and updates are in the caller's transaction; on SQLite, secure_delete zeroes the freed bytes and the
// write-ahead log is checkpointed and truncated once the batch is committed (Dialect.AfterErase), as for
// EraseAuditPayload. PostgreSQL keeps the old row versions until VACUUM (FULL, to rewrite the pages) reclaims
// them: docs/vetting.md says what an operator does.
func (tx *Tx) PurgeVettingCase(id cleared.VettingCaseID, at time.Time, reason string) ([]uint64, error) {
	seqs, err := tx.purgeVettingCase(id, at, reason)
	if err != nil {
		return nil, tx.errorf(err, "purge vetting case %s", id)
	}
	return seqs, nil
}

func (tx *Tx) purgeVettingCase(id cleared.VettingCaseID, at time.Time, reason string) ([]uint64, error) {
	if err := checkTimeSet("purge", at); err != nil {
		return nil, err
	}
	if reason == "" {
		return nil, cleared.Invalidf("a purge needs its reason (A23.2)")
	}
	c, err := tx.VettingCase(id)
	if err != nil {
		return nil, err
	}
	r, err := tx.VettingRetention(id)
	switch {
	case err == nil && !r.Purged.IsZero():
		return nil, cleared.Conflictf("vetting case %s is purged already", id)
	case err != nil && !errors.Is(err, cleared.ErrNotFound):
		return nil, err
	}
	if err := tx.flushAudit(); err != nil {
		return nil, err
	}
	for _, t := range caseDataTables {
		if _, err := tx.exec(`DELETE FROM `+t.table+` WHERE `+t.column+` = $1`, string(id)); err != nil {
			return nil, err
		}
	}
	c.Trigger, c.ForeignReference = "", ""
	mac, err := macOf(tx, vettingCaseCodec, c)
	if err != nil {
		return nil, err
	}
	if _, err := tx.exec(`UPDATE vetting_cases SET wrapped_key = NULL, trigger_text = '', foreign_reference = '',
		mac = $2 WHERE id = $1`, string(id), mac); err != nil {
		return nil, err
	}
	if err := tx.putVettingRetention(store.VettingRetention{Case: id, Purged: at}); err != nil {
		return nil, err
	}
	seqs, err := list(tx, func(s scanner) (uint64, error) {
		var seq int64
		err := s.Scan(&seq)
		return uint64(seq), err
	}, `UPDATE audit_entries SET payload = NULL, erased_ns = $2, erasure_reason = $3
		WHERE object = $1 AND erased_ns IS NULL RETURNING seq`, string(id), at.UnixNano(), reason)
	if err != nil {
		return nil, err
	}
	slices.Sort(seqs)
	if tx.batch != nil {
		tx.batch.erased = true
	}
	return seqs, nil
}

// vettingCaseColumnsOf is vettingCaseColumns, each qualified by alias.
func vettingCaseColumnsOf(alias string) string {
	cols := strings.Split(vettingCaseColumns, ",")
	for i, c := range cols {
		cols[i] = alias + "." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}
