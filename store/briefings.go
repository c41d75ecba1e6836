package store

import (
	"time"

	"github.com/cleared/cleared"
)

// BriefingQuery selects the clearances of persons whose briefing is due (A18.1): of Person, or of the staff of
// Organisations (neither: none); those pending their first declaration, and those active whose last declared
// briefing was given at or before Before (a briefing given exactly at Before is due). At most Limit, by clearance
// ID.
type BriefingQuery struct {
	Person        cleared.PersonID
	Organisations []cleared.OrganisationID
	Before        time.Time
	Limit         int
}

// CircumstanceQuery selects reports of changes of circumstances: of Person if set, of the staff of Organisation
// if set, only those no NSA officer took up if Open; the newest first, at most Limit.
type CircumstanceQuery struct {
	Person       cleared.PersonID
	Organisation cleared.OrganisationID
	Open         bool
	Limit        int
}

// SealedCircumstance is a report with what changed, sealed under the report's data key (keyring.SealRecord): the
// store never sees it.
type SealedCircumstance struct {
	Report     cleared.CircumstanceReport
	Key        CaseKey
	Ciphertext []byte
}

// Briefings holds the security briefings of holders with their signed declarations, and the holders' reports of
// changes of their circumstances (Art. 18; A18.1): the briefings chapter of package vetting.
type Briefings interface {
	// AddBriefing stores b undeclared; ErrConflict if its clearance has a briefing of that number, ErrInvalid if
	// the clearance or the holder does not exist.
	AddBriefing(b cleared.Briefing) error
	// DeclareBriefing stores the declaration of b (Declared, Certificate, CMS, Digest); ErrNotFound if there is no
	// such briefing, ErrConflict if it was declared already.
	DeclareBriefing(b cleared.Briefing) error
	// Briefings lists the briefings of clearance c, by number.
	Briefings(c cleared.ClearanceID) ([]cleared.Briefing, error)
	// BriefingsDue answers q; see BriefingQuery.
	BriefingsDue(q BriefingQuery) ([]cleared.Clearance, error)
	// CreateCircumstance stores a report; ErrConflict if its ID exists, ErrInvalid if its person does not or the
	// key or the sealed content is missing.
	CreateCircumstance(r SealedCircumstance) error
	// Circumstance returns a report with its sealed content; ErrNotFound if there is none.
	Circumstance(id cleared.CircumstanceID) (SealedCircumstance, error)
	// Circumstances answers q; see CircumstanceQuery.
	Circumstances(q CircumstanceQuery) ([]cleared.CircumstanceReport, error)
	// TakeUpCircumstance records that NSA officer by took report id up at; ErrNotFound if there is none,
	// ErrConflict if it was taken up already.
	TakeUpCircumstance(id cleared.CircumstanceID, by cleared.PersonID, at time.Time) error
}
