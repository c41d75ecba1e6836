package sqlstore

import (
	"strconv"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// The agenda's queries (registry.Agenda): what falls due soon. Each finds candidates for package policy to decide
// on, through the indexes the rest of the schema has: no table of reminders, no index of its own.

// ReviewsDue answers q (A3.2): the pieces q.Person may see at q.At, exactly as VisiblePieces finds them (A9.1),
// whose review date is before q.By, earliest review first.
//
// Like VisiblePieces, the query starts from the person's grants (grants_person), so it reads only the pieces they
// cover, never the whole register.
func (tx *Tx) ReviewsDue(q store.ReviewQuery) ([]cleared.Piece, error) {
	if err := checkPage(q.Limit); err != nil {
		return nil, err
	}
	if err := checkTimeSet("visibility", q.At); err != nil {
		return nil, tx.errorf(err, "list reviews due of %s", q.Person)
	}
	if err := checkTimeSet("review", q.By); err != nil {
		return nil, tx.errorf(err, "list reviews due of %s", q.Person)
	}
	ps, err := list(tx, scanPiece, `
		SELECT `+pieceColumns+granted+`
		WHERE p.level <= $3 AND p.destroyed IS NULL AND p.review_on < $4
		ORDER BY p.review_on, p.id LIMIT $5`,
		q.Person, q.At.UnixNano(), int(q.MaxLevel), q.By.UnixNano(), q.Limit)
	if err != nil {
		return nil, tx.errorf(err, "list reviews due of %s", q.Person)
	}
	return ps, nil
}

// ExpiringClearances answers q (A17.1): active person clearances whose expiry, the earlier of the recorded one
// and Art. 17's, falls in [q.From, q.By), and that no later clearance of the same person replaced.
//
// The expiry the law sets is not a column: five years after issue for TRES SECRET, ten for the others. The query
// keeps a clearance when the recorded expiry is before q.By or its issue is before q.By less five or ten years;
// the earlier expiry is never after the recorded one, so a recorded expiry before q.From excludes it. (An issue on
// 29 February expires on 1 March by Art. 17 and may be returned when q.By falls on that day: policy.Agenda decides
// to the nanosecond.) For organisations, the persons are found through persons_organisation and their clearances
// through clearances_person; for All, the clearances are read whole (a register of thousands of rows).
func (tx *Tx) ExpiringClearances(q store.ExpiryQuery) ([]cleared.Clearance, error) {
	if err := checkPage(q.Limit); err != nil {
		return nil, err
	}
	if err := checkTimeSet("expiry", q.From); err != nil {
		return nil, tx.errorf(err, "list expiring clearances")
	}
	if err := checkTimeSet("expiry", q.By); err != nil {
		return nil, tx.errorf(err, "list expiring clearances")
	}
	if !q.All && len(q.Organisations) == 0 {
		return nil, nil
	}
	// A17.1: the issue dates whose Art. 17 expiry may fall before q.By.
	topSecretBefore, otherBefore := q.By.AddDate(-5, 0, 0), q.By.AddDate(-10, 0, 0)
	if err := checkTimes(topSecretBefore, otherBefore); err != nil {
		return nil, tx.errorf(err, "list expiring clearances")
	}
	query := `
		SELECT ` + clearanceColumns + ` FROM clearances c
		WHERE c.holder_kind = $1 AND c.status = $2 AND c.expires >= $3
			AND (c.expires < $4 OR c.issued < $5 OR (c.level = $6 AND c.issued < $7))
			AND NOT EXISTS (SELECT 1 FROM clearances n WHERE n.person_id = c.person_id AND n.issued > c.issued)`
	args := []any{cleared.HolderPerson, cleared.ClearanceActive, q.From.UnixNano(), q.By.UnixNano(),
		otherBefore.UnixNano(), int(cleared.TopSecret), topSecretBefore.UnixNano()}
	if !q.All {
		var in []string
		for _, o := range q.Organisations {
			args = append(args, o)
			in = append(in, "$"+strconv.Itoa(len(args)))
		}
		query += ` AND c.person_id IN (SELECT id FROM persons WHERE organisation_id IN (` + strings.Join(in, ", ") + `))`
	}
	args = append(args, q.Limit)
	query += ` ORDER BY c.expires, c.id LIMIT $` + strconv.Itoa(len(args))
	cs, err := list(tx, scanClearance, query, args...)
	if err != nil {
		return nil, tx.errorf(err, "list expiring clearances")
	}
	return cs, nil
}

// LockedAccounts lists the accounts locked out at t and not disabled at t, the first to be unlocked first, at most
// limit of them. Accounts are one per person who signs in, so the table is read whole.
func (tx *Tx) LockedAccounts(at time.Time, limit int) ([]cleared.Account, error) {
	if err := checkPage(limit); err != nil {
		return nil, err
	}
	if err := checkTimeSet("lock", at); err != nil {
		return nil, tx.errorf(err, "list locked accounts")
	}
	as, err := list(tx, scanAccount, `
		SELECT `+accountColumns+` FROM accounts
		WHERE locked_until > $1 AND (disabled IS NULL OR disabled > $1)
		ORDER BY locked_until, id LIMIT $2`,
		at.UnixNano(), limit)
	if err != nil {
		return nil, tx.errorf(err, "list locked accounts")
	}
	return as, nil
}
