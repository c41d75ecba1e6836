package vetting

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"time"

	"github.com/cleared/cleared"
)

// The questionnaire (Art. 21, Art. 25): one section per category of data the law lets the investigation cover
// (A21.1: civil status, solvency, social and professional situation now and past, reliability and reputation,
// vulnerability to pressure) and nothing else. A section arrives as JSON, decoded strictly: an unknown field (data
// outside the law's categories), a missing one or dates in the wrong order is an error and nothing is stored.
// Dates are days, "2006-01-02".

// Section names a section of the questionnaire.
type Section string

// The sections, in the order the person fills them in.
const (
	SectionCivilStatus   Section = "civil_status"
	SectionSolvency      Section = "solvency"
	SectionProfessional  Section = "professional"
	SectionReliability   Section = "reliability"
	SectionVulnerability Section = "vulnerability"
)

// Sections lists the sections in order.
var Sections = []Section{SectionCivilStatus, SectionSolvency, SectionProfessional, SectionReliability, SectionVulnerability}

// Valid reports whether s is a section of the questionnaire.
func (s Section) Valid() bool { return slices.Contains(Sections, s) }

// CivilStatus is the section of civil status.
type CivilStatus struct {
	Surname       string   `json:"surname"`
	GivenNames    string   `json:"given_names"`
	Born          string   `json:"born"`
	Birthplace    string   `json:"birthplace"`
	Nationalities []string `json:"nationalities"`
	MaritalStatus string   `json:"marital_status"` // single, married, partnered, divorced, widowed
}

// Solvency is the section of solvency: debts and insolvency proceedings.
type Solvency struct {
	Debts       *bool  `json:"debts"`
	DebtDetails string `json:"debt_details"` // required if Debts
	Insolvency  *bool  `json:"insolvency"`
}

// Job is a post held, now (no Until) or in the past.
type Job struct {
	Employer string `json:"employer"`
	Function string `json:"function"`
	From     string `json:"from"`
	Until    string `json:"until,omitempty"`
}

// Professional is the section of the social and professional situation, now and past.
type Professional struct {
	Jobs []Job `json:"jobs"`
}

// Reliability is the section of reliability and reputation: convictions and pending proceedings.
type Reliability struct {
	Convictions *bool  `json:"convictions"`
	Proceedings *bool  `json:"proceedings"`
	Details     string `json:"details"` // required if either
}

// Vulnerability is the section of vulnerability to pressure: contacts with foreign services, attempts at pressure.
type Vulnerability struct {
	ForeignContacts *bool  `json:"foreign_contacts"`
	Pressure        *bool  `json:"pressure"`
	Details         string `json:"details"` // required if either
}

// Limits of the answers.
const (
	maxAnswer   = 2000
	maxJobs     = 30
	maxNations  = 5
	maxSection  = 32 << 10
	dateLayout  = "2006-01-02"
	minBornYear = 1900
)

// parseSection decodes and checks the answers of section s, given at now; it returns them in canonical JSON (the
// struct's encoding), which is what is sealed and, once complete, signed.
func parseSection(s Section, data []byte, now time.Time) ([]byte, error) {
	if !s.Valid() {
		return nil, cleared.Invalidf("unknown section %q of the questionnaire: the law's categories are civil_status, solvency, professional, reliability, vulnerability (A21.1)", truncated(string(s)))
	}
	if len(data) > maxSection {
		return nil, cleared.Invalidf("section %s: at most %d bytes", s, maxSection)
	}
	var v interface{ check(now time.Time) error }
	switch s {
	case SectionCivilStatus:
		v = &CivilStatus{}
	case SectionSolvency:
		v = &Solvency{}
	case SectionProfessional:
		v = &Professional{}
	case SectionReliability:
		v = &Reliability{}
	default:
		v = &Vulnerability{}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return nil, cleared.Invalidf("section %s: %s (only the fields of the law's categories are accepted, A21.1)", s, decodeMessage(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, cleared.Invalidf("section %s: unexpected data after the JSON object", s)
	}
	if err := v.check(now); err != nil {
		return nil, cleared.Invalidf("section %s: %s", s, err.Error())
	}
	return json.Marshal(v)
}

func decodeMessage(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return "malformed JSON"
	case errors.As(err, &typ):
		return "field " + truncated(typ.Field) + " has the wrong type"
	}
	return truncated(err.Error())
}

func truncated(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

type problem string

func (p problem) Error() string { return string(p) }

func text(field, v string, required bool) error {
	if required && v == "" {
		return problem("missing " + field)
	}
	if err := cleared.CheckText(field, v, 0, maxAnswer); err != nil {
		return problem(field + " is too long or not text")
	}
	return nil
}

func day(field, v string, now time.Time) (time.Time, error) {
	if v == "" {
		return time.Time{}, problem("missing " + field)
	}
	t, err := time.Parse(dateLayout, v)
	if err != nil {
		return t, problem(field + " is not a date (YYYY-MM-DD)")
	}
	if t.Year() < minBornYear || t.After(now) {
		return t, problem(field + " is not between 1900 and today")
	}
	return t, nil
}

func flag(field string, b *bool) error {
	if b == nil {
		return problem("missing " + field)
	}
	return nil
}

func first(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func (c *CivilStatus) check(now time.Time) error {
	_, err := day("born", c.Born, now)
	if err := first(text("surname", c.Surname, true), text("given_names", c.GivenNames, true), err,
		text("birthplace", c.Birthplace, true)); err != nil {
		return err
	}
	if len(c.Nationalities) == 0 || len(c.Nationalities) > maxNations {
		return problem("nationalities: between 1 and 5 countries")
	}
	for _, n := range c.Nationalities {
		if len(n) != 2 || n[0] < 'A' || n[0] > 'Z' || n[1] < 'A' || n[1] > 'Z' {
			return problem("nationalities: ISO 3166 country codes, e.g. LU")
		}
	}
	switch c.MaritalStatus {
	case "single", "married", "partnered", "divorced", "widowed":
		return nil
	}
	return problem("marital_status is one of single, married, partnered, divorced, widowed")
}

func (s *Solvency) check(time.Time) error {
	if err := first(flag("debts", s.Debts), flag("insolvency", s.Insolvency)); err != nil {
		return err
	}
	return text("debt_details", s.DebtDetails, *s.Debts)
}

func (p *Professional) check(now time.Time) error {
	if len(p.Jobs) == 0 || len(p.Jobs) > maxJobs {
		return problem("jobs: between 1 and 30, the present one included")
	}
	current := 0
	for _, j := range p.Jobs {
		from, err := day("from", j.From, now)
		if err := first(text("employer", j.Employer, true), text("function", j.Function, true), err); err != nil {
			return err
		}
		if j.Until == "" {
			current++
			continue
		}
		until, err := day("until", j.Until, now)
		if err != nil {
			return err
		}
		if !until.After(from) {
			return problem("a job's until must be after its from")
		}
	}
	if current > 3 {
		return problem("at most 3 jobs without an end")
	}
	return nil
}

func (r *Reliability) check(time.Time) error {
	if err := first(flag("convictions", r.Convictions), flag("proceedings", r.Proceedings)); err != nil {
		return err
	}
	return text("details", r.Details, *r.Convictions || *r.Proceedings)
}

func (v *Vulnerability) check(time.Time) error {
	if err := first(flag("foreign_contacts", v.ForeignContacts), flag("pressure", v.Pressure)); err != nil {
		return err
	}
	return text("details", v.Details, *v.ForeignContacts || *v.Pressure)
}
