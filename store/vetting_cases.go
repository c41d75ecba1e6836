package store

import (
	"time"

	"github.com/cleared/cleared"
)

// VettingCaseQuery selects vetting cases: of Person, of those Organisation answers for (the person's
// organisation, or the company of a facility case), of Holder (HolderPerson: persons' cases only; HolderFacility:
// legal entities' only; empty: both), for Contract, only those not closed if Open, only those at intake whose
// deadline is at or before Due if set, only those closed at or after ClosedSince if set; by opening, at most Limit.
type VettingCaseQuery struct {
	Person       cleared.PersonID
	Organisation cleared.OrganisationID
	Holder       cleared.HolderKind
	Contract     cleared.ContractID
	Open         bool
	Due          time.Time
	ClosedSince  time.Time
	Limit        int
}

// VettingAnswers is one section of a case's questionnaire, sealed under the case's data key (keyring.SealRecord,
// the section as slot): the store never sees the answers.
type VettingAnswers struct {
	Case       cleared.VettingCaseID
	Section    string
	Ciphertext []byte
	Updated    time.Time
}

// CaseKey is a case's data key wrapped by the key ring's KEK (keyring.DataKey as stored).
type CaseKey struct {
	KEK     string
	Wrapped []byte
}

// VettingCases holds the security vetting cases (Art. 20, 25, 26; A20.1, A25.1, A25.2, A26.1), each with its
// data key and the sealed sections of its questionnaire: the second chapter of package vetting.
type VettingCases interface {
	// CreateVettingCase stores c with its wrapped data key; ErrConflict if its ID exists, ErrInvalid if what it
	// names does not, the key is missing, or its holder does not match it (a person's case names a person, a
	// facility case none and a contract, A15.1).
	CreateVettingCase(c cleared.VettingCase, key CaseKey) error
	VettingCase(id cleared.VettingCaseID) (cleared.VettingCase, error)
	// UpdateVettingCase stores the stage, dates and close cause of c; ErrNotFound if there is none.
	UpdateVettingCase(c cleared.VettingCase) error
	// VettingCases answers q; see VettingCaseQuery.
	VettingCases(q VettingCaseQuery) ([]cleared.VettingCase, error)
	// VettingCaseKey returns the wrapped data key of case id; ErrNotFound if there is none.
	VettingCaseKey(id cleared.VettingCaseID) (CaseKey, error)
	// PutVettingAnswers stores a section of a case's questionnaire, replacing the one saved before; ErrInvalid if
	// the case does not exist.
	PutVettingAnswers(a VettingAnswers) error
	// VettingAnswers lists the sections saved for case id, by section.
	VettingAnswers(id cleared.VettingCaseID) ([]VettingAnswers, error)
	// AddVettingSignature stores a signature of a case; ErrConflict if the case has one of that document already,
	// ErrInvalid if the case does not exist.
	AddVettingSignature(g VettingSignature) error
	// VettingSignatures lists the signatures of case id, by time.
	VettingSignatures(id cleared.VettingCaseID) ([]VettingSignature, error)
}

// VettingSignature is the person's detached CMS signature (keyring/sign) of his questionnaire or of his consent
// (A25.1, A25.2), over the canonical document whose SHA-256 it records; the document of a questionnaire holds the
// answers and is not stored, it is rebuilt from them to verify.
type VettingSignature struct {
	Case        cleared.VettingCaseID
	What        string // "questionnaire" or "consent"
	Signer      cleared.PersonID
	Certificate string // the fingerprint of the signing certificate
	CMS         []byte
	Digest      string // hex SHA-256 of the document signed
	Signed      time.Time
}
