package sqlstore

import (
	"strconv"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/store"
)

// postCodec seals the rows of posts: a post's level decides who is flagged and a clearance's ceiling (A14.1,
// A16.1).
var postCodec = codec[cleared.Post]{table: "posts",
	key: func(p cleared.Post) string { return string(p.ID) },
	row: func(p cleared.Post) ([]any, error) {
		return []any{string(p.ID), string(p.OrganisationID), p.Title, int64(p.Level), ns(p.From), ns(p.Until),
			string(p.CreatedBy), ns(p.Created)}, nil
	}}

const postColumns = `id, organisation_id, title, level, valid_from, valid_until, created_by, created, mac`

func scanPost(s scanner) (cleared.Post, error) {
	var p cleared.Post
	err := s.Scan(&p.ID, &p.OrganisationID, &p.Title, &p.Level, ts(&p.From), ts(&p.Until), &p.CreatedBy, ts(&p.Created))
	return p, err
}

// CreatePost stores p; ErrConflict if its ID exists, ErrInvalid if its organisation does not.
func (tx *Tx) CreatePost(p cleared.Post) error {
	err := checkTimes(p.From, p.Until, p.Created)
	var args []any
	if err == nil {
		args, err = sealRow(tx, postCodec, p)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO posts (`+postColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create post %s", p.ID)
	}
	return nil
}

// Post returns the post with the given ID; ErrNotFound if there is none.
func (tx *Tx) Post(id cleared.PostID) (cleared.Post, error) {
	p, err := get(tx, checked(tx, postCodec, scanPost), `SELECT `+postColumns+` FROM posts WHERE id = $1`, id)
	if err != nil {
		return cleared.Post{}, tx.notFound(err, "post", id)
	}
	return p, nil
}

// PostsOf lists the posts of org (every post if org is empty), by title, at most limit.
func (tx *Tx) PostsOf(org cleared.OrganisationID, limit int) ([]cleared.Post, error) {
	if err := checkPage(limit); err != nil {
		return nil, err
	}
	ps, err := list(tx, checked(tx, postCodec, scanPost), `SELECT `+postColumns+` FROM posts
		WHERE ($1 = '' OR organisation_id = $1) ORDER BY title, id LIMIT $2`, string(org), limit)
	if err != nil {
		return nil, tx.errorf(err, "list posts of %s", org)
	}
	return ps, nil
}

// contractCodec seals the rows of contracts, as posts.
var contractCodec = codec[cleared.Contract]{table: "contracts",
	key: func(c cleared.Contract) string { return string(c.ID) },
	row: func(c cleared.Contract) ([]any, error) {
		return []any{string(c.ID), c.Reference, string(c.OrganisationID), string(c.Contractor), int64(c.Level),
			ns(c.From), ns(c.Until), string(c.CreatedBy), ns(c.Created)}, nil
	}}

const contractColumns = `id, reference, organisation_id, contractor_id, level, valid_from, valid_until, created_by, created, mac`

func scanContract(s scanner) (cleared.Contract, error) {
	var c cleared.Contract
	err := s.Scan(&c.ID, &c.Reference, &c.OrganisationID, &c.Contractor, &c.Level, ts(&c.From), ts(&c.Until),
		&c.CreatedBy, ts(&c.Created))
	return c, err
}

// CreateContract stores c; ErrConflict if its ID exists, ErrInvalid if an organisation it names does not.
func (tx *Tx) CreateContract(c cleared.Contract) error {
	err := checkTimes(c.From, c.Until, c.Created)
	var args []any
	if err == nil {
		args, err = sealRow(tx, contractCodec, c)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO contracts (`+contractColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create contract %s", c.ID)
	}
	return nil
}

// Contract returns the contract with the given ID; ErrNotFound if there is none.
func (tx *Tx) Contract(id cleared.ContractID) (cleared.Contract, error) {
	c, err := get(tx, checked(tx, contractCodec, scanContract), `SELECT `+contractColumns+` FROM contracts WHERE id = $1`, id)
	if err != nil {
		return cleared.Contract{}, tx.notFound(err, "contract", id)
	}
	return c, nil
}

// ContractsOf lists the contracts org awarded or executes (every one if org is empty), by reference, at most limit.
func (tx *Tx) ContractsOf(org cleared.OrganisationID, limit int) ([]cleared.Contract, error) {
	if err := checkPage(limit); err != nil {
		return nil, err
	}
	cs, err := list(tx, checked(tx, contractCodec, scanContract), `SELECT `+contractColumns+` FROM contracts
		WHERE ($1 = '' OR organisation_id = $1 OR contractor_id = $1) ORDER BY reference, id LIMIT $2`, string(org), limit)
	if err != nil {
		return nil, tx.errorf(err, "list contracts of %s", org)
	}
	return cs, nil
}

// assignmentCodec seals the rows of assignments: who is on which post decides the flags and the ceiling.
var assignmentCodec = codec[cleared.Assignment]{table: "assignments",
	key: func(a cleared.Assignment) string { return string(a.ID) },
	row: func(a cleared.Assignment) ([]any, error) {
		return []any{string(a.ID), string(a.PersonID), null(a.Post), null(a.Contract), string(a.OrganisationID),
			ns(a.From), ns(a.Until), string(a.CreatedBy), ns(a.Created)}, nil
	}}

const assignmentColumns = `id, person_id, post_id, contract_id, organisation_id, valid_from, valid_until, created_by, created, mac`

func scanAssignment(s scanner) (cleared.Assignment, error) {
	var a cleared.Assignment
	err := s.Scan(&a.ID, &a.PersonID, opt(&a.Post), opt(&a.Contract), &a.OrganisationID, ts(&a.From), ts(&a.Until),
		&a.CreatedBy, ts(&a.Created))
	return a, err
}

// CreateAssignment stores a; ErrConflict if its ID exists, ErrInvalid if what it names does not or it names both
// or neither of a post and a contract.
func (tx *Tx) CreateAssignment(a cleared.Assignment) error {
	err := checkTimes(a.From, a.Until, a.Created)
	if err == nil && (a.Post == "") == (a.Contract == "") {
		err = cleared.Invalidf("an assignment names exactly one of a post and a contract")
	}
	var args []any
	if err == nil {
		args, err = sealRow(tx, assignmentCodec, a)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO assignments (`+assignmentColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create assignment %s", a.ID)
	}
	return nil
}

// Assignment returns the assignment with the given ID; ErrNotFound if there is none.
func (tx *Tx) Assignment(id cleared.AssignmentID) (cleared.Assignment, error) {
	a, err := get(tx, checked(tx, assignmentCodec, scanAssignment), `SELECT `+assignmentColumns+` FROM assignments WHERE id = $1`, id)
	if err != nil {
		return cleared.Assignment{}, tx.notFound(err, "assignment", id)
	}
	return a, nil
}

// EndAssignment sets the end of assignment id to until; ErrNotFound if there is none. The MAC is computed over the
// stored row with its new end.
func (tx *Tx) EndAssignment(id cleared.AssignmentID, until time.Time) error {
	if err := checkTimeSet("end", until); err != nil {
		return tx.errorf(err, "end assignment %s", id)
	}
	a, err := tx.Assignment(id)
	if err != nil {
		return err
	}
	a.Until = until
	mac, err := macOf(tx, assignmentCodec, a)
	if err == nil {
		_, err = tx.exec(`UPDATE assignments SET valid_until = $2, mac = $3 WHERE id = $1`, id, ns(until), mac)
	}
	if err != nil {
		return tx.errorf(err, "end assignment %s", id)
	}
	return nil
}

// Assignments answers q: the assignments of q.Person, q.Post, q.Contract (each if set), and those q.Organisation
// answers for (the assignment's organisation, or the person's), by start.
func (tx *Tx) Assignments(q store.AssignmentQuery) ([]cleared.Assignment, error) {
	if err := checkPage(q.Limit); err != nil {
		return nil, err
	}
	query := `SELECT ` + assignmentColumns + ` FROM assignments WHERE 1 = 1`
	var args []any
	add := func(cond string, v string) {
		args = append(args, v)
		query += ` AND ` + cond + `$` + strconv.Itoa(len(args))
	}
	if q.Person != "" {
		add("person_id = ", string(q.Person))
	}
	if q.Post != "" {
		add("post_id = ", string(q.Post))
	}
	if q.Contract != "" {
		add("contract_id = ", string(q.Contract))
	}
	if q.Organisation != "" {
		args = append(args, string(q.Organisation))
		n := `$` + strconv.Itoa(len(args))
		query += ` AND (organisation_id = ` + n + ` OR person_id IN (SELECT id FROM persons WHERE organisation_id = ` + n + `))`
	}
	args = append(args, q.Limit)
	query += ` ORDER BY valid_from, id LIMIT $` + strconv.Itoa(len(args))
	as, err := list(tx, checked(tx, assignmentCodec, scanAssignment), query, args...)
	if err != nil {
		return nil, tx.errorf(err, "list assignments")
	}
	return as, nil
}

// exemptionCategoryCodec seals the rows of exemption_categories: a category exempts its members from clearance.
var exemptionCategoryCodec = codec[cleared.ExemptionCategory]{table: "exemption_categories",
	key: func(c cleared.ExemptionCategory) string { return string(c.ID) },
	row: func(c cleared.ExemptionCategory) ([]any, error) {
		return []any{string(c.ID), c.Name, c.Basis, bit(c.Government), string(c.CreatedBy), ns(c.Created)}, nil
	}}

const exemptionCategoryColumns = `id, name, basis, government, created_by, created, mac`

func scanExemptionCategory(s scanner) (cleared.ExemptionCategory, error) {
	var c cleared.ExemptionCategory
	err := s.Scan(&c.ID, &c.Name, &c.Basis, &c.Government, &c.CreatedBy, ts(&c.Created))
	return c, err
}

// CreateExemptionCategory stores c; ErrConflict if its ID or its name exists.
func (tx *Tx) CreateExemptionCategory(c cleared.ExemptionCategory) error {
	err := checkTimes(c.Created)
	var args []any
	if err == nil {
		args, err = sealRow(tx, exemptionCategoryCodec, c)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO exemption_categories (`+exemptionCategoryColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create exemption category %s", c.ID)
	}
	return nil
}

// ExemptionCategory returns the category with the given ID; ErrNotFound if there is none.
func (tx *Tx) ExemptionCategory(id cleared.ExemptionCategoryID) (cleared.ExemptionCategory, error) {
	c, err := get(tx, checked(tx, exemptionCategoryCodec, scanExemptionCategory),
		`SELECT `+exemptionCategoryColumns+` FROM exemption_categories WHERE id = $1`, id)
	if err != nil {
		return cleared.ExemptionCategory{}, tx.notFound(err, "exemption category", id)
	}
	return c, nil
}

// ExemptionCategories lists every category, by name.
func (tx *Tx) ExemptionCategories() ([]cleared.ExemptionCategory, error) {
	cs, err := list(tx, checked(tx, exemptionCategoryCodec, scanExemptionCategory),
		`SELECT `+exemptionCategoryColumns+` FROM exemption_categories ORDER BY name, id`)
	if err != nil {
		return nil, tx.errorf(err, "list exemption categories")
	}
	return cs, nil
}

// exemptionMembershipCodec seals the rows of exemption_memberships: a membership in force exempts its person.
var exemptionMembershipCodec = codec[cleared.ExemptionMembership]{table: "exemption_memberships",
	key: func(m cleared.ExemptionMembership) string { return string(m.ID) },
	row: func(m cleared.ExemptionMembership) ([]any, error) {
		return []any{string(m.ID), string(m.Category), string(m.PersonID), m.Reference, ns(m.From), ns(m.Until),
			string(m.CreatedBy), ns(m.Created)}, nil
	}}

const exemptionMembershipColumns = `id, category_id, person_id, reference, valid_from, valid_until, created_by, created, mac`

func scanExemptionMembership(s scanner) (cleared.ExemptionMembership, error) {
	var m cleared.ExemptionMembership
	err := s.Scan(&m.ID, &m.Category, &m.PersonID, &m.Reference, ts(&m.From), ts(&m.Until), &m.CreatedBy, ts(&m.Created))
	return m, err
}

// CreateExemptionMembership stores m; ErrConflict if its ID exists, ErrInvalid if its category or person does not.
func (tx *Tx) CreateExemptionMembership(m cleared.ExemptionMembership) error {
	err := checkTimes(m.From, m.Until, m.Created)
	var args []any
	if err == nil {
		args, err = sealRow(tx, exemptionMembershipCodec, m)
	}
	if err == nil {
		_, err = tx.exec(`INSERT INTO exemption_memberships (`+exemptionMembershipColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, args...)
	}
	if err != nil {
		return tx.errorf(err, "create exemption membership %s", m.ID)
	}
	return nil
}

// ExemptionMemberships lists the memberships of person (if set) in category (if set), by start.
func (tx *Tx) ExemptionMemberships(category cleared.ExemptionCategoryID, person cleared.PersonID) ([]cleared.ExemptionMembership, error) {
	ms, err := list(tx, checked(tx, exemptionMembershipCodec, scanExemptionMembership),
		`SELECT `+exemptionMembershipColumns+` FROM exemption_memberships
		WHERE ($1 = '' OR category_id = $1) AND ($2 = '' OR person_id = $2) ORDER BY valid_from, id`, string(category), string(person))
	if err != nil {
		return nil, tx.errorf(err, "list exemption memberships")
	}
	return ms, nil
}
