package sqlstore

import (
	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// opinionCodec seals the rows of opinions: a refusal or withdrawal is recorded only on the commission's opinion
// (A27.2), so a row slipped in by hand would let one through, and a row changed would change its advice.
var opinionCodec = codec[store.Opinion]{table: "opinions",
	key: func(o store.Opinion) string { return string(o.Case) },
	row: func(o store.Opinion) ([]any, error) {
		members, err := joinList("members", o.Members)
		if err != nil {
			return nil, err
		}
		return []any{string(o.Case), string(o.Advice), members, string(o.By), ns(o.Given), o.Reasons}, nil
	}}

const opinionColumns = `case_id, advice, members, by_person, given, reasons, mac`

func scanOpinion(s scanner) (store.Opinion, error) {
	var o store.Opinion
	var members string
	err := s.Scan(&o.Case, &o.Advice, &members, &o.By, ts(&o.Given), &o.Reasons)
	o.Members = splitList[cleared.PersonID](members)
	return o, err
}

// AddOpinion stores o; ErrConflict if the case has an opinion already, ErrInvalid if the case does not exist, the
// advice is unknown, or it names no member or no reasons.
func (tx *Tx) AddOpinion(o store.Opinion) error {
	err := checkTimes(o.Given)
	switch {
	case err != nil:
	case !o.Advice.Valid():
		err = cleared.Invalidf("unknown advice %q: want grant, refuse or withdraw", o.Advice)
	case len(o.Members) == 0:
		err = cleared.Invalidf("an opinion names the members who gave it")
	case len(o.Reasons) == 0:
		err = cleared.Invalidf("an opinion is reasoned (A27.2)")
	}
	var args []any
	if err == nil {
		args, err = sealRow(tx, opinionCodec, o)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO opinions (`+opinionColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "add opinion on %s", o.Case)
	}
	return nil
}

// CaseOpinion returns the opinion on case id; ErrNotFound if there is none.
func (tx *Tx) CaseOpinion(id cleared.VettingCaseID) (store.Opinion, error) {
	o, err := get(tx, checked(tx, opinionCodec, scanOpinion), `SELECT `+opinionColumns+` FROM opinions WHERE case_id = $1`, id)
	if err != nil {
		return store.Opinion{}, tx.notFound(err, "opinion on", id)
	}
	return o, nil
}
