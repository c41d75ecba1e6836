package sqlstore

import (
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// investigatorCodec seals the rows of vetting_investigators: an officer on a case reads its investigation
// (A23.1, A24.1), so an assignment added or reopened in the database would open it to him.
var investigatorCodec = codec[store.Investigator]{table: "vetting_investigators",
	key: func(i store.Investigator) string {
		return string(i.Case) + "/" + string(i.Person) + "/" + i.Assigned.UTC().Format(time.RFC3339Nano)
	},
	row: func(i store.Investigator) ([]any, error) {
		return []any{string(i.Case), string(i.Person), string(i.AssignedBy), ns(i.Assigned), ns(i.Ended), string(i.EndedBy)}, nil
	}}

const investigatorColumns = `case_id, person_id, assigned_by, assigned, ended, ended_by, mac`

func scanInvestigator(s scanner) (store.Investigator, error) {
	var i store.Investigator
	err := s.Scan(&i.Case, &i.Person, &i.AssignedBy, ts(&i.Assigned), ts(&i.Ended), &i.EndedBy)
	return i, err
}

// AddInvestigator assigns an officer to a case; ErrConflict if he is on it already, ErrInvalid if the case or the
// person does not exist.
func (tx *Tx) AddInvestigator(i store.Investigator) error {
	i.Ended, i.EndedBy = time.Time{}, ""
	err := checkTimes(i.Assigned)
	if err == nil && (i.Assigned.IsZero() || i.AssignedBy == "") {
		err = cleared.Invalidf("an assignment to a case has its time and who made it")
	}
	var args []any
	if err == nil {
		args, err = sealRow(tx, investigatorCodec, i)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO vetting_investigators (`+investigatorColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "assign %s to %s", i.Person, i.Case)
	}
	return nil
}

// EndInvestigator ends the current assignment of person to case c at t, by by, resealing the row; ErrNotFound if
// there is none.
func (tx *Tx) EndInvestigator(c cleared.VettingCaseID, person cleared.PersonID, t time.Time, by cleared.PersonID) error {
	i, err := get(tx, checked(tx, investigatorCodec, scanInvestigator), `SELECT `+investigatorColumns+`
		FROM vetting_investigators WHERE case_id = $1 AND person_id = $2 AND ended IS NULL`, string(c), string(person))
	if err != nil {
		return tx.notFound(err, "assignment to the case", person)
	}
	if err := checkTimes(t); err != nil {
		return tx.errorf(err, "end the assignment of %s to %s", person, c)
	}
	if t.Before(i.Assigned) {
		return cleared.Invalidf("an assignment ends after it starts")
	}
	i.Ended, i.EndedBy = t, by
	mac, err := macOf(tx, investigatorCodec, i)
	if err == nil {
		_, err = tx.exec(`UPDATE vetting_investigators SET ended = $4, ended_by = $5, mac = $6
			WHERE case_id = $1 AND person_id = $2 AND assigned = $3`, string(c), string(person), ns(i.Assigned), ns(t), string(by), mac)
	}
	if err != nil {
		return tx.errorf(err, "end the assignment of %s to %s", person, c)
	}
	return nil
}

// Investigators lists the assignments of case c, past ones included, by time; a row that fails its seal is left
// out.
func (tx *Tx) Investigators(c cleared.VettingCaseID) ([]store.Investigator, error) {
	is, err := list(tx, checked(tx, investigatorCodec, scanInvestigator), `SELECT `+investigatorColumns+`
		FROM vetting_investigators WHERE case_id = $1 ORDER BY assigned, person_id`, string(c))
	if err != nil {
		return nil, tx.errorf(err, "list the officers on %s", c)
	}
	return is, nil
}

func scanSealedRecord(s scanner) (store.SealedRecord, error) {
	var r store.SealedRecord
	err := s.Scan(&r.ID, &r.Case, &r.Ciphertext, ts(&r.Written), &r.By)
	return r, err
}

func checkSealedRecord(r store.SealedRecord, what string, withID bool) error {
	if err := checkTimes(r.Written); err != nil {
		return err
	}
	if withID && r.ID == "" || r.Case == "" || len(r.Ciphertext) == 0 || r.Written.IsZero() || r.By == "" {
		return cleared.Invalidf("%s has its case, sealed content, time and author", what)
	}
	return nil
}

// AddInvestigationItem stores an item; ErrConflict if its ID exists, ErrInvalid if the case does not.
func (tx *Tx) AddInvestigationItem(r store.SealedRecord) error {
	err := checkSealedRecord(r, "an investigation item", true)
	if err == nil {
		_, err = tx.exec(`INSERT INTO vetting_items (id, case_id, ciphertext, written, written_by) VALUES ($1, $2, $3, $4, $5)`,
			r.ID, string(r.Case), r.Ciphertext, ns(r.Written), string(r.By))
	}
	if err != nil {
		return tx.errorf(err, "add item to %s", r.Case)
	}
	return nil
}

// InvestigationItems lists the items of case c, by time and ID.
func (tx *Tx) InvestigationItems(c cleared.VettingCaseID) ([]store.SealedRecord, error) {
	rs, err := list(tx, scanSealedRecord, `SELECT id, case_id, ciphertext, written, written_by FROM vetting_items
		WHERE case_id = $1 ORDER BY written, id`, string(c))
	if err != nil {
		return nil, tx.errorf(err, "list the items of %s", c)
	}
	return rs, nil
}

// PutCooperationRequest stores a request to or from a foreign service, or replaces the sealed content, time and
// author of the one of that ID and case; ErrInvalid if the case does not exist, ErrNotFound if the ID is of
// another case.
func (tx *Tx) PutCooperationRequest(r store.SealedRecord) error {
	err := checkSealedRecord(r, "a cooperation request", true)
	if err == nil {
		var one bool
		one, err = tx.execOne(`INSERT INTO vetting_cooperation (id, case_id, ciphertext, created, written, written_by)
			VALUES ($1, $2, $3, $4, $4, $5) ON CONFLICT (id) DO UPDATE SET ciphertext = excluded.ciphertext,
			written = excluded.written, written_by = excluded.written_by WHERE vetting_cooperation.case_id = excluded.case_id`,
			r.ID, string(r.Case), r.Ciphertext, ns(r.Written), string(r.By))
		if err == nil && !one {
			return cleared.NotFoundf("cooperation request %s of %s not found", r.ID, r.Case)
		}
	}
	if err != nil {
		return tx.errorf(err, "put cooperation request %s of %s", r.ID, r.Case)
	}
	return nil
}

// CooperationRequests lists the requests of case c, by first writing and ID.
func (tx *Tx) CooperationRequests(c cleared.VettingCaseID) ([]store.SealedRecord, error) {
	rs, err := list(tx, scanSealedRecord, `SELECT id, case_id, ciphertext, written, written_by FROM vetting_cooperation
		WHERE case_id = $1 ORDER BY created, id`, string(c))
	if err != nil {
		return nil, tx.errorf(err, "list the cooperation requests of %s", c)
	}
	return rs, nil
}

// AddInvestigationReport stores the report of case r.Case; ErrConflict if it has one.
func (tx *Tx) AddInvestigationReport(r store.SealedRecord) error {
	return tx.addCaseRecord("vetting_reports", "the investigation report", r)
}

// InvestigationReport returns the report of case c; ErrNotFound if none is filed.
func (tx *Tx) InvestigationReport(c cleared.VettingCaseID) (store.SealedRecord, error) {
	return tx.caseRecord("vetting_reports", "investigation report", c)
}

// AddFileRequest stores the person's written request to see his file on case r.Case; ErrConflict if one is filed.
func (tx *Tx) AddFileRequest(r store.SealedRecord) error {
	return tx.addCaseRecord("vetting_file_requests", "the request to see the file", r)
}

// FileRequest returns the request of case c; ErrNotFound if none is filed.
func (tx *Tx) FileRequest(c cleared.VettingCaseID) (store.SealedRecord, error) {
	return tx.caseRecord("vetting_file_requests", "request to see the file", c)
}

// FileRequests lists the requests filed at or after since, by time, at most limit.
func (tx *Tx) FileRequests(since time.Time, limit int) ([]store.SealedRecord, error) {
	if err := checkPage(limit); err != nil {
		return nil, err
	}
	rs, err := list(tx, scanSealedRecord, `SELECT case_id, case_id, ciphertext, written, written_by FROM vetting_file_requests
		WHERE written >= $1 ORDER BY written, case_id LIMIT $2`, ns(since), limit)
	if err != nil {
		return nil, tx.errorf(err, "list the requests to see a file")
	}
	return rs, nil
}

// addCaseRecord inserts the one record of a case into table (vetting_reports, vetting_file_requests).
func (tx *Tx) addCaseRecord(table, what string, r store.SealedRecord) error {
	err := checkSealedRecord(r, what, false)
	if err == nil {
		_, err = tx.exec(`INSERT INTO `+table+` (case_id, ciphertext, written, written_by) VALUES ($1, $2, $3, $4)`,
			string(r.Case), r.Ciphertext, ns(r.Written), string(r.By))
	}
	if err != nil {
		return tx.errorf(err, "add %s of %s", what, r.Case)
	}
	return nil
}

// caseRecord reads the one record of case c in table; its ID is the case's.
func (tx *Tx) caseRecord(table, what string, c cleared.VettingCaseID) (store.SealedRecord, error) {
	r, err := get(tx, scanSealedRecord, `SELECT case_id, case_id, ciphertext, written, written_by FROM `+table+`
		WHERE case_id = $1`, string(c))
	if err != nil {
		return store.SealedRecord{}, tx.notFound(err, what, c)
	}
	return r, nil
}
