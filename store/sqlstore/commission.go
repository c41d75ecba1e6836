package sqlstore

import (
	"database/sql"
	"strconv"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// commissionSeatCodec seals the rows of commission_seats: a seat lengthened, moved to another person or given the
// presidency would let him act for the commission (A27.3).
var commissionSeatCodec = codec[cleared.CommissionMember]{table: "commission_seats",
	key: func(m cleared.CommissionMember) string { return string(m.ID) },
	row: func(m cleared.CommissionMember) ([]any, error) {
		return []any{string(m.ID), string(m.Person), m.Designator, ns(m.From), ns(m.Until), m.Reference,
			ns(m.PresidentFrom), m.PresidentReference, string(m.RecordedBy), ns(m.Recorded)}, nil
	}}

const commissionSeatColumns = `id, person_id, designator, term_from, term_until, reference, president_from,
	president_reference, recorded_by, recorded, mac`

func scanCommissionSeat(s scanner) (cleared.CommissionMember, error) {
	var m cleared.CommissionMember
	err := s.Scan(&m.ID, &m.Person, &m.Designator, ts(&m.From), ts(&m.Until), &m.Reference, ts(&m.PresidentFrom),
		&m.PresidentReference, &m.RecordedBy, ts(&m.Recorded))
	m.President = !m.PresidentFrom.IsZero()
	return m, err
}

// referralCodec seals the rows of commission_referrals: a referral slipped in would open a case to the members.
var referralCodec = codec[store.Referral]{table: "commission_referrals",
	key: func(r store.Referral) string { return string(r.Case) },
	row: func(r store.Referral) ([]any, error) {
		return []any{string(r.Case), string(r.By), ns(r.Referred)}, nil
	}}

const referralColumns = `case_id, referred_by, referred, mac`

func scanReferral(s scanner) (store.Referral, error) {
	var r store.Referral
	err := s.Scan(&r.Case, &r.By, ts(&r.Referred))
	return r, err
}

// AddCommissionSeat stores seat m; ErrConflict if its ID exists, ErrInvalid if its person does not exist, its
// designator is unknown, it has no reference or its term ends before it starts.
func (tx *Tx) AddCommissionSeat(m cleared.CommissionMember) error {
	err := checkTimes(m.From, m.Until, m.PresidentFrom, m.Recorded)
	switch {
	case err != nil:
	case !cleared.ValidDesignator(m.Designator):
		err = cleared.Invalidf("unknown designator %q: want prime_minister, foreign_affairs or justice", m.Designator)
	case m.Reference == "":
		err = cleared.Invalidf("a seat names the designation act's reference")
	case !m.Until.After(m.From):
		err = cleared.Invalidf("a seat's term ends after it starts")
	}
	var args []any
	if err == nil {
		args, err = sealRow(tx, commissionSeatCodec, m)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO commission_seats (`+commissionSeatColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7,
			$8, $9, $10, $11)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "add commission seat %s", m.ID)
	}
	return nil
}

// UpdateCommissionSeat stores the end of m's term and its presidency, resealing the row; ErrNotFound if there is
// none. What the designation recorded (person, designator, start, reference) is kept as stored.
func (tx *Tx) UpdateCommissionSeat(m cleared.CommissionMember) error {
	old, err := tx.CommissionSeat(m.ID)
	if err != nil {
		return err
	}
	if err := checkTimes(m.Until, m.PresidentFrom); err != nil {
		return tx.errorf(err, "update commission seat %s", m.ID)
	}
	if !m.Until.After(old.From) {
		return cleared.Invalidf("update commission seat %s: a seat's term ends after it starts", m.ID)
	}
	old.Until, old.PresidentFrom, old.PresidentReference = m.Until, m.PresidentFrom, m.PresidentReference
	if m.PresidentFrom.IsZero() {
		old.PresidentReference = ""
	}
	mac, err := macOf(tx, commissionSeatCodec, old)
	if err == nil {
		_, err = tx.exec(`UPDATE commission_seats SET term_until = $2, president_from = $3, president_reference = $4,
			mac = $5 WHERE id = $1`, string(m.ID), ns(old.Until), ns(old.PresidentFrom), old.PresidentReference, mac)
	}
	if err != nil {
		return tx.errorf(err, "update commission seat %s", m.ID)
	}
	return nil
}

// CommissionSeat returns seat id; ErrNotFound if there is none.
func (tx *Tx) CommissionSeat(id cleared.CommissionSeatID) (cleared.CommissionMember, error) {
	m, err := get(tx, checked(tx, commissionSeatCodec, scanCommissionSeat),
		`SELECT `+commissionSeatColumns+` FROM commission_seats WHERE id = $1`, string(id))
	if err != nil {
		return cleared.CommissionMember{}, tx.notFound(err, "commission seat", id)
	}
	return m, nil
}

// CommissionSeats lists the register, by start of term; a row that fails its seal is left out.
func (tx *Tx) CommissionSeats() ([]cleared.CommissionMember, error) {
	ms, err := list(tx, checked(tx, commissionSeatCodec, scanCommissionSeat),
		`SELECT `+commissionSeatColumns+` FROM commission_seats ORDER BY term_from, id`)
	if err != nil {
		return nil, tx.errorf(err, "list commission seats")
	}
	return ms, nil
}

// AddReferral stores r; ErrConflict if the case was referred already, ErrInvalid if it does not exist.
func (tx *Tx) AddReferral(r store.Referral) error {
	err := checkTimeSet("referral", r.Referred)
	var args []any
	if err == nil {
		args, err = sealRow(tx, referralCodec, r)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO commission_referrals (`+referralColumns+`) VALUES ($1, $2, $3, $4)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "refer %s to the commission", r.Case)
	}
	return nil
}

// Referral returns the referral of case id; ErrNotFound if it was not referred.
func (tx *Tx) Referral(id cleared.VettingCaseID) (store.Referral, error) {
	r, err := get(tx, checked(tx, referralCodec, scanReferral),
		`SELECT `+referralColumns+` FROM commission_referrals WHERE case_id = $1`, string(id))
	if err != nil {
		return store.Referral{}, tx.notFound(err, "referral of", id)
	}
	return r, nil
}

// OpenReferrals lists the referrals of cases not closed, by time referred, at most limit.
func (tx *Tx) OpenReferrals(limit int) ([]store.Referral, error) {
	if err := checkPage(limit); err != nil {
		return nil, err
	}
	rs, err := list(tx, checked(tx, referralCodec, scanReferral), `SELECT r.case_id, r.referred_by, r.referred, r.mac
		FROM commission_referrals r JOIN vetting_cases c ON c.id = r.case_id WHERE c.closed IS NULL
		ORDER BY r.referred, r.case_id LIMIT $1`, limit)
	if err != nil {
		return nil, tx.errorf(err, "list open referrals")
	}
	return rs, nil
}

const commissionRequestColumns = `id, case_id, kind, by_person, made, question, answered_by, answered, answer`

func scanCommissionRequest(s scanner) (store.CommissionRequest, error) {
	var r store.CommissionRequest
	err := s.Scan(&r.ID, &r.Case, &r.Kind, &r.By, ts(&r.Made), &r.Question, opt(&r.AnsweredBy), ts(&r.Answered), &r.Answer)
	return r, err
}

// AddCommissionRequest stores r unanswered; ErrConflict if its ID exists, ErrInvalid if its case does not exist,
// its kind is unknown or a request for information has no question.
func (tx *Tx) AddCommissionRequest(r store.CommissionRequest) error {
	err := checkTimeSet("request", r.Made)
	switch {
	case err != nil:
	case !r.Kind.Valid():
		err = cleared.Invalidf("unknown request kind %q: want file or information", r.Kind)
	case r.Kind == cleared.RequestInformation && len(r.Question) == 0:
		err = cleared.Invalidf("a request for information states its question")
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO commission_requests (id, case_id, kind, by_person, made, question)
			VALUES ($1, $2, $3, $4, $5, $6)`, string(r.ID), string(r.Case), string(r.Kind), string(r.By), ns(r.Made), r.Question)
	}
	if err != nil {
		return tx.errorf(err, "add commission request on %s", r.Case)
	}
	return nil
}

// AnswerCommissionRequest stores the answer of r; ErrNotFound if there is none, ErrConflict if it is answered,
// ErrInvalid without an answer.
func (tx *Tx) AnswerCommissionRequest(r store.CommissionRequest) error {
	err := checkTimeSet("answer", r.Answered)
	if err == nil && (len(r.Answer) == 0 || r.AnsweredBy == "") {
		err = cleared.Invalidf("an answer names who gave it and says something")
	}
	var res sql.Result
	if err == nil {
		res, err = tx.exec(`UPDATE commission_requests SET answered_by = $2, answered = $3, answer = $4
			WHERE id = $1 AND answered IS NULL`, string(r.ID), string(r.AnsweredBy), ns(r.Answered), r.Answer)
	}
	if err == nil {
		var n int64
		if n, err = res.RowsAffected(); err == nil && n == 0 {
			if _, err = tx.CommissionRequest(r.ID); err == nil {
				err = cleared.Conflictf("commission request %s is answered already", r.ID)
			}
			return err
		}
	}
	if err != nil {
		return tx.errorf(err, "answer commission request %s", r.ID)
	}
	return nil
}

// CommissionRequest returns request id; ErrNotFound if there is none.
func (tx *Tx) CommissionRequest(id cleared.CommissionRequestID) (store.CommissionRequest, error) {
	r, err := get(tx, scanCommissionRequest, `SELECT `+commissionRequestColumns+` FROM commission_requests WHERE id = $1`, string(id))
	if err != nil {
		return store.CommissionRequest{}, tx.notFound(err, "commission request", id)
	}
	return r, nil
}

// CommissionRequests answers q: the requests of q.Case if set, only unanswered requests for information if
// q.Open; by time made.
func (tx *Tx) CommissionRequests(q store.CommissionRequestQuery) ([]store.CommissionRequest, error) {
	if err := checkPage(q.Limit); err != nil {
		return nil, err
	}
	query := `SELECT ` + commissionRequestColumns + ` FROM commission_requests WHERE 1 = 1`
	var args []any
	arg := func(v any) string { args = append(args, v); return `$` + strconv.Itoa(len(args)) }
	if q.Case != "" {
		query += ` AND case_id = ` + arg(string(q.Case))
	}
	if q.Open {
		query += ` AND kind = 'information' AND answered IS NULL`
	}
	query += ` ORDER BY made, id LIMIT ` + arg(q.Limit)
	rs, err := list(tx, scanCommissionRequest, query, args...)
	if err != nil {
		return nil, tx.errorf(err, "list commission requests")
	}
	return rs, nil
}

// AddHearing stores h; ErrConflict if its ID exists, ErrInvalid if its case or person does not exist, who was
// heard is unknown or it has no summary.
func (tx *Tx) AddHearing(h store.Hearing) error {
	err := checkTimes(h.Held, h.Recorded)
	switch {
	case err != nil:
	case h.Held.IsZero() || h.Recorded.IsZero():
		err = cleared.Invalidf("a hearing has its date and the time it was recorded")
	case !h.Heard.Valid():
		err = cleared.Invalidf("unknown heard %q: want nsa or person", h.Heard)
	case len(h.Summary) == 0:
		err = cleared.Invalidf("a hearing has a summary")
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO commission_hearings (id, case_id, heard, person_id, held, recorded_by, recorded,
			summary, observations) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, string(h.ID), string(h.Case),
			string(h.Heard), string(h.Person), ns(h.Held), string(h.RecordedBy), ns(h.Recorded), h.Summary, h.Observations)
	}
	if err != nil {
		return tx.errorf(err, "add hearing on %s", h.Case)
	}
	return nil
}

// Hearings lists the hearings of case id, by date held.
func (tx *Tx) Hearings(id cleared.VettingCaseID) ([]store.Hearing, error) {
	hs, err := list(tx, func(s scanner) (store.Hearing, error) {
		var h store.Hearing
		err := s.Scan(&h.ID, &h.Case, &h.Heard, &h.Person, ts(&h.Held), &h.RecordedBy, ts(&h.Recorded), &h.Summary, &h.Observations)
		return h, err
	}, `SELECT id, case_id, heard, person_id, held, recorded_by, recorded, summary, observations
		FROM commission_hearings WHERE case_id = $1 ORDER BY held, id`, string(id))
	if err != nil {
		return nil, tx.errorf(err, "list hearings of %s", id)
	}
	return hs, nil
}
