package sqlstore

import (
	"strconv"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// decisionCodec seals the rows of vetting_decisions: a decision's outcome and the clearances it touched are what
// the person is told and may appeal (A27.1, A29.1), and its notification date is when he may read it.
var decisionCodec = codec[store.Decision]{table: "vetting_decisions",
	key: func(d store.Decision) string { return string(d.Case) },
	row: func(d store.Decision) ([]any, error) {
		cs, err := joinList("clearances", d.Clearances)
		if err != nil {
			return nil, err
		}
		return []any{string(d.Case), string(d.Outcome), int64(d.Level), cs, string(d.By), ns(d.Decided), d.Reasons,
			d.Certificate, d.CMS, d.Digest, ns(d.Notified), null(d.NotifiedBy)}, nil
	}}

const decisionColumns = `case_id, outcome, level, clearances, by_person, decided, reasons, certificate, cms, digest,
	notified, notified_by, mac`

func scanDecision(s scanner) (store.Decision, error) {
	var d store.Decision
	var cs string
	err := s.Scan(&d.Case, &d.Outcome, &d.Level, &cs, &d.By, ts(&d.Decided), &d.Reasons, &d.Certificate, &d.CMS,
		&d.Digest, ts(&d.Notified), opt(&d.NotifiedBy))
	d.Clearances = splitList[cleared.ClearanceID](cs)
	return d, err
}

// AddDecision stores d; ErrConflict if the case has a decision already, ErrInvalid if the case does not exist, the
// outcome is unknown, or it carries no reasons or no signature.
func (tx *Tx) AddDecision(d store.Decision) error {
	err := checkTimes(d.Decided)
	switch {
	case err != nil:
	case !d.Outcome.Valid():
		err = cleared.Invalidf("unknown outcome %q: want grant, refuse or withdraw", d.Outcome)
	case len(d.Reasons) == 0:
		err = cleared.Invalidf("a decision is reasoned (A27.1)")
	case d.Certificate == "" || len(d.CMS) == 0:
		err = cleared.Invalidf("a decision is signed")
	}
	var args []any
	if err == nil {
		args, err = sealRow(tx, decisionCodec, d)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO vetting_decisions (`+decisionColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8,
			$9, $10, $11, $12, $13)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "add decision on %s", d.Case)
	}
	return nil
}

// CaseDecision returns the decision on case id; ErrNotFound if there is none.
func (tx *Tx) CaseDecision(id cleared.VettingCaseID) (store.Decision, error) {
	d, err := get(tx, checked(tx, decisionCodec, scanDecision), `SELECT `+decisionColumns+` FROM vetting_decisions WHERE case_id = $1`, id)
	if err != nil {
		return store.Decision{}, tx.notFound(err, "decision on", id)
	}
	return d, nil
}

// SetDecisionNotified records the notification of the decision on case id, resealing the row; ErrNotFound if
// there is none, ErrConflict if it was notified already.
func (tx *Tx) SetDecisionNotified(id cleared.VettingCaseID, at time.Time, by cleared.PersonID) error {
	d, err := tx.CaseDecision(id)
	if err != nil {
		return err
	}
	if !d.Notified.IsZero() {
		return cleared.Conflictf("the decision on %s was notified already", id)
	}
	if err := checkTimeSet("notified", at); err != nil {
		return tx.errorf(err, "notify decision on %s", id)
	}
	d.Notified, d.NotifiedBy = at, by
	mac, err := macOf(tx, decisionCodec, d)
	if err == nil {
		_, err = tx.exec(`UPDATE vetting_decisions SET notified = $2, notified_by = $3, mac = $4 WHERE case_id = $1`,
			id, ns(at), string(by), mac)
	}
	if err != nil {
		return tx.errorf(err, "notify decision on %s", id)
	}
	return nil
}

// Decisions answers q: the decisions on cases of persons of q.Organisations, only those not notified if
// q.Unnotified; by decision.
func (tx *Tx) Decisions(q store.DecisionQuery) ([]store.Decision, error) {
	if err := checkPage(q.Limit); err != nil {
		return nil, err
	}
	if len(q.Organisations) == 0 {
		return nil, nil
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return `$` + strconv.Itoa(len(args)) }
	in := ""
	for i, o := range q.Organisations {
		if i > 0 {
			in += ", "
		}
		in += arg(string(o))
	}
	query := `SELECT ` + decisionColumns + ` FROM vetting_decisions
		WHERE case_id IN (SELECT id FROM vetting_cases WHERE organisation_id IN (` + in + `))`
	if q.Unnotified {
		query += ` AND notified IS NULL`
	}
	query += ` ORDER BY decided, case_id LIMIT ` + arg(q.Limit)
	ds, err := list(tx, checked(tx, decisionCodec, scanDecision), query, args...)
	if err != nil {
		return nil, tx.errorf(err, "list decisions")
	}
	return ds, nil
}

const appealColumns = `case_id, number, lodged, court, reference, recorded_by, outcome, ruled, ruled_by`

func scanAppeal(s scanner) (cleared.Appeal, error) {
	var a cleared.Appeal
	err := s.Scan(&a.Case, &a.Number, ts(&a.Lodged), &a.Court, &a.Reference, &a.RecordedBy, &a.Outcome, ts(&a.Ruled),
		opt(&a.RuledBy))
	return a, err
}

// AddAppeal stores a with the next number of its case, which it returns; ErrInvalid if the case has no decision.
func (tx *Tx) AddAppeal(a cleared.Appeal) (int, error) {
	if err := checkTimes(a.Lodged); err != nil {
		return 0, tx.errorf(err, "add appeal on %s", a.Case)
	}
	n, err := get(tx, scanInt, `SELECT COALESCE(MAX(number), 0) + 1 FROM vetting_appeals WHERE case_id = $1`, a.Case)
	if err == nil {
		_, err = tx.exec(`INSERT INTO vetting_appeals (case_id, number, lodged, court, reference, recorded_by)
			VALUES ($1, $2, $3, $4, $5, $6)`, string(a.Case), n, ns(a.Lodged), a.Court, a.Reference, string(a.RecordedBy))
	}
	if err != nil {
		return 0, tx.errorf(err, "add appeal on %s", a.Case)
	}
	return int(n), nil
}

// SetAppealOutcome records the outcome of appeal n of case id; ErrNotFound if there is none, ErrConflict if it
// has one.
func (tx *Tx) SetAppealOutcome(id cleared.VettingCaseID, n int, o cleared.AppealOutcome, ruled time.Time, by cleared.PersonID) error {
	if !o.Valid() {
		return cleared.Invalidf("unknown appeal outcome %q: want upheld, annulled or dismissed", o)
	}
	if err := checkTimeSet("ruled", ruled); err != nil {
		return tx.errorf(err, "rule appeal %d on %s", n, id)
	}
	a, err := get(tx, scanAppeal, `SELECT `+appealColumns+` FROM vetting_appeals WHERE case_id = $1 AND number = $2`, id, n)
	if err != nil {
		return tx.notFound(err, "appeal on", id)
	}
	if a.Outcome != "" {
		return cleared.Conflictf("appeal %d on %s has an outcome already", n, id)
	}
	_, err = tx.exec(`UPDATE vetting_appeals SET outcome = $3, ruled = $4, ruled_by = $5 WHERE case_id = $1 AND number = $2`,
		string(id), n, string(o), ns(ruled), string(by))
	if err != nil {
		return tx.errorf(err, "rule appeal %d on %s", n, id)
	}
	return nil
}

// CaseAppeals lists the appeals of case id, by number.
func (tx *Tx) CaseAppeals(id cleared.VettingCaseID) ([]cleared.Appeal, error) {
	as, err := list(tx, scanAppeal, `SELECT `+appealColumns+` FROM vetting_appeals WHERE case_id = $1 ORDER BY number`, id)
	if err != nil {
		return nil, tx.errorf(err, "list appeals on %s", id)
	}
	return as, nil
}

// suspensionCodec seals the rows of clearance_suspensions: what a lifted suspension restores, and whether one is
// open, decide whether the clearance grants anything (A27.1). The wrapped data key is left out, as a case's is.
var suspensionCodec = codec[store.Suspension]{table: "clearance_suspensions",
	key: func(s store.Suspension) string { return string(s.Clearance) + "/" + strconv.Itoa(s.Number) },
	row: func(s store.Suspension) ([]any, error) {
		return []any{string(s.Clearance), int64(s.Number), string(s.Previous), string(s.By), ns(s.Suspended), s.Reasons,
			ns(s.Lifted), null(s.LiftedBy), s.LiftReasons}, nil
	}}

const suspensionColumns = `clearance_id, number, previous, by_person, suspended, reasons, lifted, lifted_by,
	lift_reasons, mac`

func scanSuspension(s scanner) (store.Suspension, error) {
	var x store.Suspension
	err := s.Scan(&x.Clearance, &x.Number, &x.Previous, &x.By, ts(&x.Suspended), &x.Reasons, ts(&x.Lifted),
		opt(&x.LiftedBy), &x.LiftReasons)
	return x, err
}

// AddSuspension stores s with the next number of its clearance, which it returns; ErrInvalid if the clearance does
// not exist or the reasons or key are missing, ErrConflict if a suspension of it is not lifted.
func (tx *Tx) AddSuspension(s store.Suspension) (int, error) {
	err := checkTimes(s.Suspended)
	switch {
	case err != nil:
	case len(s.Reasons) == 0:
		err = cleared.Invalidf("a suspension is reasoned (A27.1)")
	case s.Key.KEK == "" || len(s.Key.Wrapped) == 0:
		err = cleared.Invalidf("a suspension has a wrapped data key")
	case s.Previous.Validate() != nil:
		err = s.Previous.Validate()
	}
	if err != nil {
		return 0, tx.errorf(err, "suspend clearance %s", s.Clearance)
	}
	open, err := get(tx, scanInt, `SELECT COUNT(*) FROM clearance_suspensions WHERE clearance_id = $1 AND lifted IS NULL`, s.Clearance)
	if err != nil {
		return 0, tx.errorf(err, "suspend clearance %s", s.Clearance)
	}
	if open > 0 {
		return 0, cleared.Conflictf("clearance %s is suspended already", s.Clearance)
	}
	n, err := get(tx, scanInt, `SELECT COALESCE(MAX(number), 0) + 1 FROM clearance_suspensions WHERE clearance_id = $1`, s.Clearance)
	var args []any
	if err == nil {
		s.Number, s.Lifted, s.LiftedBy, s.LiftReasons = int(n), time.Time{}, "", nil
		args, err = sealRow(tx, suspensionCodec, s)
	}
	if err == nil {
		mac := args[len(args)-1]
		args = append(append(args[:len(args)-1:len(args)-1], s.Key.KEK, s.Key.Wrapped), mac)
		_, err = tx.exec(`INSERT INTO clearance_suspensions (clearance_id, number, previous, by_person, suspended, reasons,
			lifted, lifted_by, lift_reasons, key_kek, wrapped_key, mac) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, args...)
	}
	if err != nil {
		return 0, tx.errorf(err, "suspend clearance %s", s.Clearance)
	}
	return int(n), nil
}

// LiftSuspension records the lifting of the open suspension of clearance id, resealing its row; ErrNotFound if
// there is none.
func (tx *Tx) LiftSuspension(id cleared.ClearanceID, at time.Time, by cleared.PersonID, reasons []byte) error {
	ss, err := tx.ClearanceSuspensions(id)
	if err != nil {
		return err
	}
	if len(ss) == 0 || !ss[len(ss)-1].Lifted.IsZero() {
		return cleared.NotFoundf("no open suspension of clearance %s", id)
	}
	if err := checkTimeSet("lifted", at); err != nil {
		return tx.errorf(err, "lift suspension of %s", id)
	}
	s := ss[len(ss)-1]
	s.Lifted, s.LiftedBy, s.LiftReasons = at, by, reasons
	mac, err := macOf(tx, suspensionCodec, s)
	if err == nil {
		_, err = tx.exec(`UPDATE clearance_suspensions SET lifted = $3, lifted_by = $4, lift_reasons = $5, mac = $6
			WHERE clearance_id = $1 AND number = $2`, string(id), s.Number, ns(at), string(by), reasons, mac)
	}
	if err != nil {
		return tx.errorf(err, "lift suspension of %s", id)
	}
	return nil
}

// ClearanceSuspensions lists the suspensions of clearance id, by number, each with its wrapped key.
func (tx *Tx) ClearanceSuspensions(id cleared.ClearanceID) ([]store.Suspension, error) {
	ss, err := list(tx, func(s scanner) (store.Suspension, error) {
		var kek string
		var wrapped []byte
		x, err := checked(tx, suspensionCodec, scanSuspension)(extraScanner{s, []any{&kek, &wrapped}})
		x.Key = store.CaseKey{KEK: kek, Wrapped: wrapped}
		return x, err
	}, `SELECT `+suspensionColumns+`, key_kek, wrapped_key FROM clearance_suspensions WHERE clearance_id = $1 ORDER BY number`, id)
	if err != nil {
		return nil, tx.errorf(err, "list suspensions of %s", id)
	}
	return ss, nil
}
