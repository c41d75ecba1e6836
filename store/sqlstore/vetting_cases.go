package sqlstore

import (
	"strconv"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// vettingCaseCodec seals the rows of vetting_cases: who may see a case, its stage and its deadline decide what the
// security officer is told and when a case closes for non-cooperation (A25.1, A26.1). The wrapped data key is
// left out: erasing it (A23.2) must not break the seal. The holder is sealed as a last column of a facility case
// only (A15.1), so that a person's case keeps the seal it had before facility cases existed.
var vettingCaseCodec = codec[cleared.VettingCase]{table: "vetting_cases",
	key: func(c cleared.VettingCase) string { return string(c.ID) },
	row: func(c cleared.VettingCase) ([]any, error) {
		row := []any{string(c.ID), null(c.PersonID), string(c.OrganisationID), null(c.Post), null(c.Contract),
			int64(c.Level), string(c.Origin), c.ForeignBody, c.ForeignReference, string(c.Kind), c.Trigger,
			string(c.Stage), ns(c.Deadline), string(c.OpenedBy), ns(c.Opened), ns(c.Updated), ns(c.Signed),
			ns(c.Consented), ns(c.Closed), c.CloseCause}
		if c.Facility() {
			row = append(row, string(cleared.HolderFacility))
		}
		return row, nil
	}}

const (
	vettingCaseFields = `id, person_id, organisation_id, post_id, contract_id, level, origin, foreign_body,
	foreign_reference, kind, trigger_text, stage, deadline, opened_by, opened, updated, signed, consented, closed,
	close_cause, holder`
	vettingCaseColumns = vettingCaseFields + `, mac`
)

func scanVettingCase(s scanner) (cleared.VettingCase, error) {
	var c cleared.VettingCase
	err := s.Scan(&c.ID, opt(&c.PersonID), &c.OrganisationID, opt(&c.Post), opt(&c.Contract), &c.Level, &c.Origin,
		&c.ForeignBody, &c.ForeignReference, &c.Kind, &c.Trigger, &c.Stage, ts(&c.Deadline), &c.OpenedBy,
		ts(&c.Opened), ts(&c.Updated), ts(&c.Signed), ts(&c.Consented), ts(&c.Closed), &c.CloseCause, &c.Holder)
	if c.Holder == cleared.HolderPerson {
		c.Holder = "" // a person's case, as every case opened through intake reads
	}
	return c, err
}

// CreateVettingCase stores c with its wrapped data key; ErrConflict if its ID exists, ErrInvalid if what it names
// does not, it names both or neither of a post and a contract, the key is missing, or its holder does not match
// it: a person's case (Holder empty or HolderPerson) names a person, a facility case (A15.1, A21.2) none, and a
// contract.
func (tx *Tx) CreateVettingCase(c cleared.VettingCase, key store.CaseKey) error {
	err := checkTimes(c.Deadline, c.Opened, c.Updated)
	holder := cleared.HolderPerson
	switch {
	case err != nil:
	case (c.Post == "") == (c.Contract == ""):
		err = cleared.Invalidf("a vetting case names exactly one of a post and a contract")
	case key.KEK == "" || len(key.Wrapped) == 0:
		err = cleared.Invalidf("a vetting case has a wrapped data key")
	case c.Holder == cleared.HolderFacility:
		holder = cleared.HolderFacility
		if c.PersonID != "" || c.Contract == "" {
			err = cleared.Invalidf("a facility case names no person, and the contract its company executes (A15.1, A21.2)")
		}
	case c.Holder != "" && c.Holder != cleared.HolderPerson:
		err = cleared.Invalidf("a vetting case's holder is a person or a facility")
	case c.PersonID == "":
		err = cleared.Invalidf("a person's vetting case names the person")
	}
	var mac []byte
	if err == nil {
		mac, err = macOf(tx, vettingCaseCodec, c)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO vetting_cases (`+vettingCaseFields+`, key_kek, wrapped_key, mac) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
			$17, $18, $19, $20, $21, $22, $23, $24)`, string(c.ID), null(c.PersonID), string(c.OrganisationID),
			null(c.Post), null(c.Contract), int64(c.Level), string(c.Origin), c.ForeignBody, c.ForeignReference,
			string(c.Kind), c.Trigger, string(c.Stage), ns(c.Deadline), string(c.OpenedBy), ns(c.Opened),
			ns(c.Updated), ns(c.Signed), ns(c.Consented), ns(c.Closed), c.CloseCause, string(holder), key.KEK,
			key.Wrapped, mac)
	}
	if err != nil {
		return tx.errorf(err, "create vetting case %s", c.ID)
	}
	return nil
}

// VettingCase returns the case with the given ID; ErrNotFound if there is none.
func (tx *Tx) VettingCase(id cleared.VettingCaseID) (cleared.VettingCase, error) {
	c, err := get(tx, checked(tx, vettingCaseCodec, scanVettingCase), `SELECT `+vettingCaseColumns+` FROM vetting_cases WHERE id = $1`, id)
	if err != nil {
		return cleared.VettingCase{}, tx.notFound(err, "vetting case", id)
	}
	return c, nil
}

// UpdateVettingCase stores the stage, dates and close cause of c, resealing the row; ErrNotFound if there is none.
// What the opening recorded (person, target, level, origin, kind, trigger, deadline) is kept as stored.
func (tx *Tx) UpdateVettingCase(c cleared.VettingCase) error {
	old, err := tx.VettingCase(c.ID)
	if err != nil {
		return err
	}
	if err := checkTimes(c.Updated); err != nil {
		return tx.errorf(err, "update vetting case %s", c.ID)
	}
	old.Stage, old.Updated, old.Signed, old.Consented, old.Closed, old.CloseCause = c.Stage, c.Updated, c.Signed, c.Consented, c.Closed, c.CloseCause
	mac, err := macOf(tx, vettingCaseCodec, old)
	if err == nil {
		_, err = tx.exec(`UPDATE vetting_cases SET stage = $2, updated = $3, signed = $4, consented = $5, closed = $6,
			close_cause = $7, mac = $8 WHERE id = $1`, c.ID, string(old.Stage), ns(old.Updated), ns(old.Signed),
			ns(old.Consented), ns(old.Closed), old.CloseCause, mac)
	}
	if err != nil {
		return tx.errorf(err, "update vetting case %s", c.ID)
	}
	return nil
}

// VettingCases answers q: the cases of q.Person and of persons of q.Organisation (each if set), only open ones if
// q.Open, only those at intake due by q.Due if set; by opening.
func (tx *Tx) VettingCases(q store.VettingCaseQuery) ([]cleared.VettingCase, error) {
	if err := checkPage(q.Limit); err != nil {
		return nil, err
	}
	query := `SELECT ` + vettingCaseColumns + ` FROM vetting_cases WHERE 1 = 1`
	var args []any
	arg := func(v any) string { args = append(args, v); return `$` + strconv.Itoa(len(args)) }
	if q.Person != "" {
		query += ` AND person_id = ` + arg(string(q.Person))
	}
	if q.Organisation != "" {
		query += ` AND organisation_id = ` + arg(string(q.Organisation))
	}
	if q.Holder != "" {
		query += ` AND holder = ` + arg(string(q.Holder))
	}
	if q.Contract != "" {
		query += ` AND contract_id = ` + arg(string(q.Contract))
	}
	if q.Open {
		query += ` AND closed IS NULL`
	}
	if !q.ClosedSince.IsZero() {
		query += ` AND closed >= ` + arg(ns(q.ClosedSince))
	}
	if !q.Due.IsZero() {
		query += ` AND stage IN ('opened', 'questionnaire') AND deadline <= ` + arg(ns(q.Due))
	}
	query += ` ORDER BY opened, id LIMIT ` + arg(q.Limit)
	cs, err := list(tx, checked(tx, vettingCaseCodec, scanVettingCase), query, args...)
	if err != nil {
		return nil, tx.errorf(err, "list vetting cases")
	}
	return cs, nil
}

// VettingCaseKey returns the wrapped data key of case id (Wrapped nil once erased); ErrNotFound if there is none.
func (tx *Tx) VettingCaseKey(id cleared.VettingCaseID) (store.CaseKey, error) {
	k, err := get(tx, func(s scanner) (store.CaseKey, error) {
		var k store.CaseKey
		err := s.Scan(&k.KEK, &k.Wrapped)
		return k, err
	}, `SELECT key_kek, wrapped_key FROM vetting_cases WHERE id = $1`, id)
	if err != nil {
		return store.CaseKey{}, tx.notFound(err, "vetting case", id)
	}
	return k, nil
}

// PutVettingAnswers stores a section of a case's questionnaire, replacing the one saved before; ErrInvalid if the
// case does not exist.
func (tx *Tx) PutVettingAnswers(a store.VettingAnswers) error {
	err := checkTimes(a.Updated)
	if err == nil && (a.Section == "" || len(a.Ciphertext) == 0) {
		err = cleared.Invalidf("a questionnaire section has a name and sealed answers")
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO vetting_answers (case_id, section, ciphertext, updated) VALUES ($1, $2, $3, $4)
			ON CONFLICT (case_id, section) DO UPDATE SET ciphertext = excluded.ciphertext, updated = excluded.updated`,
			string(a.Case), a.Section, a.Ciphertext, ns(a.Updated))
	}
	if err != nil {
		return tx.errorf(err, "put questionnaire section %s of %s", a.Section, a.Case)
	}
	return nil
}

// VettingAnswers lists the sections saved for case id, by section.
func (tx *Tx) VettingAnswers(id cleared.VettingCaseID) ([]store.VettingAnswers, error) {
	as, err := list(tx, func(s scanner) (store.VettingAnswers, error) {
		var a store.VettingAnswers
		err := s.Scan(&a.Case, &a.Section, &a.Ciphertext, ts(&a.Updated))
		return a, err
	}, `SELECT case_id, section, ciphertext, updated FROM vetting_answers WHERE case_id = $1 ORDER BY section`, string(id))
	if err != nil {
		return nil, tx.errorf(err, "list questionnaire sections of %s", id)
	}
	return as, nil
}

// AddVettingSignature stores a signature of a case; ErrConflict if the case has one of that document already,
// ErrInvalid if the case does not exist.
func (tx *Tx) AddVettingSignature(g store.VettingSignature) error {
	err := checkTimes(g.Signed)
	if err == nil && (g.What != "questionnaire" && g.What != "consent" || len(g.CMS) == 0 || g.Certificate == "" || g.Digest == "") {
		err = cleared.Invalidf("a case's signature is of its questionnaire or consent, with its certificate, CMS and digest")
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO vetting_signatures (case_id, what, signer, certificate, cms, digest, signed)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, string(g.Case), g.What, string(g.Signer), g.Certificate, g.CMS, g.Digest, ns(g.Signed))
	}
	if err != nil {
		return tx.errorf(err, "add %s signature of %s", g.What, g.Case)
	}
	return nil
}

// VettingSignatures lists the signatures of case id, by time.
func (tx *Tx) VettingSignatures(id cleared.VettingCaseID) ([]store.VettingSignature, error) {
	gs, err := list(tx, func(s scanner) (store.VettingSignature, error) {
		var g store.VettingSignature
		err := s.Scan(&g.Case, &g.What, &g.Signer, &g.Certificate, &g.CMS, &g.Digest, ts(&g.Signed))
		return g, err
	}, `SELECT case_id, what, signer, certificate, cms, digest, signed FROM vetting_signatures WHERE case_id = $1
		ORDER BY signed, what`, string(id))
	if err != nil {
		return nil, tx.errorf(err, "list signatures of %s", id)
	}
	return gs, nil
}
