package policy

import (
	"strings"
	"time"

	"github.com/cleared/cleared"
)

// The security investigation of a case and the person's access to his file (Art. 21, 23, 24, 25, 28; A15.2,
// A21.1, A23.1, A24.1, A25.3, A28.1): the NSA opens the investigation of a signed case and names its officers on
// the case; only they (and the commission, A27.4) read and write it; the data collected is of the law's five
// categories, with a checklist that grows with the level; the report is filed once the checklist is complete, and
// without it no decision; a person refused or withdrawn sees, on his written request, his file but the pieces that
// reveal sources, whose written summary he reads instead.

// Category is one of the categories of data the investigation may collect (Art. 21 al. 2, A21.1): nothing else.
type Category string

// The law's categories.
const (
	CategoryCivilStatus        Category = "civil_status"
	CategorySolvency           Category = "solvency"
	CategorySocialProfessional Category = "social_professional" // now or past: Item.Period says which
	CategoryReliability        Category = "reliability_reputation"
	CategoryVulnerability      Category = "vulnerability"
)

// Categories lists the law's categories in the order of Art. 21.
var Categories = []Category{CategoryCivilStatus, CategorySolvency, CategorySocialProfessional, CategoryReliability, CategoryVulnerability}

// Valid reports whether c is one of the law's categories.
func (c Category) Valid() bool {
	for _, k := range Categories {
		if c == k {
			return true
		}
	}
	return false
}

// Check is one line of the investigation's checklist: a category (the social and professional situation split in
// now and past), or the checks made abroad through a foreign service (A25.3).
type Check string

// The checklist's lines.
const (
	CheckCivilStatus      Check = "civil_status"
	CheckReliability      Check = "reliability_reputation"
	CheckSolvency         Check = "solvency"
	CheckProfessionalNow  Check = "social_professional_now"
	CheckProfessionalPast Check = "social_professional_past"
	CheckVulnerability    Check = "vulnerability"
	CheckAbroad           Check = "abroad" // an outgoing request to a foreign service, answered (A25.3)
	periodNow, periodPast       = "now", "past"
)

// checklist is what the investigation establishes at each level (A21.1: "the scope grows with the level"); each
// level asks what the one below asks and more:
//
//	RESTREINT      civil status, reliability and reputation
//	CONFIDENTIEL   + solvency
//	SECRET         + social and professional situation, now and past
//	TRES SECRET    + vulnerability to pressure, and the checks abroad (an answered request to a foreign service)
var checklist = map[cleared.Level][]Check{
	cleared.Restricted:   {CheckCivilStatus, CheckReliability},
	cleared.Confidential: {CheckCivilStatus, CheckReliability, CheckSolvency},
	cleared.Secret:       {CheckCivilStatus, CheckReliability, CheckSolvency, CheckProfessionalNow, CheckProfessionalPast},
	cleared.TopSecret: {CheckCivilStatus, CheckReliability, CheckSolvency, CheckProfessionalNow, CheckProfessionalPast,
		CheckVulnerability, CheckAbroad},
}

// Checklist is what an investigation for a clearance at level l establishes (A21.1); none for a level that needs
// no clearance.
func Checklist(l cleared.Level) []Check { return checklist[l] }

// Collected is what an investigation holds, as the checklist counts it: the category (and, for the social and
// professional situation, the period) of each item, and whether an outgoing request abroad has its answer.
type Collected struct {
	Items []ItemKind
	// AbroadAnswered: an outgoing cooperation request has its answer recorded (A25.3).
	AbroadAnswered bool
}

// ItemKind is the category of an item and, for the social and professional situation, its period ("now" or
// "past").
type ItemKind struct {
	Category Category
	Period   string
}

// Missing is what the checklist of level l still lacks given what was collected, in the checklist's order.
func Missing(l cleared.Level, got Collected) []Check {
	have := map[Check]bool{CheckAbroad: got.AbroadAnswered}
	for _, it := range got.Items {
		switch {
		case it.Category == CategorySocialProfessional && it.Period == periodNow:
			have[CheckProfessionalNow] = true
		case it.Category == CategorySocialProfessional && it.Period == periodPast:
			have[CheckProfessionalPast] = true
		case it.Category != CategorySocialProfessional:
			have[Check(it.Category)] = true
		}
	}
	var out []Check
	for _, c := range Checklist(l) {
		if !have[c] {
			out = append(out, c)
		}
	}
	return out
}

// Investigator decides whether person p, with his clearances, may be an officer on a case at t: an NSA officer
// holding a valid clearance (A24.1: the facts are the NSA's to keep; A20.1).
func Investigator(p cleared.Person, cs []cleared.Clearance, t time.Time) Decision {
	if d := NSARegister(p, cs, t); !d.Allowed {
		return deny("A24.1", "an officer on a case is an NSA officer with a valid clearance")
	}
	return Allow
}

// OpenInvestigation decides whether an NSA officer (nsa) may open the investigation of case c with officers, each
// decided by Investigator beforehand (all true): only the NSA, of a case whose questionnaire and consent are
// signed and whose investigation is not open yet (A15.2, A25.1), with at least one officer.
func OpenInvestigation(nsa bool, c cleared.VettingCase, officers int, allInvestigators bool) Decision {
	switch {
	case !nsa:
		return deny("A24.1", "only the National Security Authority opens a security investigation")
	case c.Stage != cleared.StageSigned:
		return deny("A15.2", "only a case whose questionnaire and consent are signed, not yet investigated, is opened for investigation")
	case officers == 0:
		return deny("A24.1", "an investigation has at least one NSA officer on the case")
	case !allInvestigators:
		return deny("A24.1", "an officer on a case is an NSA officer with a valid clearance")
	}
	return Allow
}

// SeeInvestigation decides whether one may read the investigation of case c: the NSA officers on the case
// (onCase) and the commission on a case referred to it (commission, computed by the caller; A27.4), and nobody
// else (A23.1, A24.1). Another NSA officer knows the case's stage and is refused; anyone else may not know that an
// investigation exists.
func SeeInvestigation(nsa, onCase, commission bool, c cleared.VettingCase) Decision {
	switch {
	case onCase || commission:
		return Allow
	case nsa:
		return deny("A23.1", "the investigation is read only by the NSA officers on the case and the commission")
	}
	return hidden("A23.1", "the investigation is read only by the NSA officers on the case and the commission")
}

// WriteInvestigation decides whether one may add to the investigation of case c (items, officers): an officer on
// the case, while the investigation is open (A15.2: once the report is filed the file is closed to additions).
func WriteInvestigation(nsa, onCase bool, c cleared.VettingCase) Decision {
	if d := SeeInvestigation(nsa, onCase, false, c); !d.Allowed {
		return d
	}
	if c.Stage != cleared.StageInvestigation {
		return deny("A15.2", "the investigation is not open: it is written between its opening and its report")
	}
	return Allow
}

// WriteCooperation decides whether one may record a request to or from a foreign service on case c, or its answer
// (A25.3): an officer on the case, from the opening of the investigation until the case is decided (a foreign
// request may come while the commission sits).
func WriteCooperation(nsa, onCase bool, c cleared.VettingCase) Decision {
	if d := SeeInvestigation(nsa, onCase, false, c); !d.Allowed {
		return d
	}
	if c.Stage != cleared.StageInvestigation && c.Stage != cleared.StageReported && c.Stage != cleared.StageCommission {
		return deny("A25.3", "requests with foreign services are recorded while the case is investigated and until it is decided")
	}
	return Allow
}

// AssignInvestigator decides whether an officer on case c may put another on it, officer the decision of
// Investigator on him: the case open, the investigation opened, the one assigned an NSA officer with a valid
// clearance (A24.1).
func AssignInvestigator(nsa, onCase bool, c cleared.VettingCase, officer Decision) Decision {
	if d := SeeInvestigation(nsa, onCase, false, c); !d.Allowed {
		return d
	}
	switch {
	case c.Stage.Closed():
		return deny("A24.1", "the case is closed")
	case !officer.Allowed:
		return officer
	}
	return Allow
}

// EndInvestigator decides whether an officer on the case may end an assignment on case c, leaving remaining
// officers: the case keeps at least one (A24.1).
func EndInvestigator(nsa, onCase bool, c cleared.VettingCase, remaining int) Decision {
	if d := SeeInvestigation(nsa, onCase, false, c); !d.Allowed {
		return d
	}
	switch {
	case c.Stage.Closed():
		return deny("A24.1", "the case is closed")
	case remaining == 0:
		return deny("A24.1", "a case keeps at least one NSA officer on it")
	}
	return Allow
}

// FileReport decides whether one may file the investigation report of case c, the checklist still lacking
// missing: an officer on the case, the investigation open, the checklist of the case's level complete (A21.1,
// A15.2: no clearance without a completed investigation).
func FileReport(nsa, onCase bool, c cleared.VettingCase, missing []Check) Decision {
	if d := WriteInvestigation(nsa, onCase, c); !d.Allowed {
		return d
	}
	if len(missing) > 0 {
		names := make([]string, len(missing))
		for i, m := range missing {
			names[i] = string(m)
		}
		return deny("A21.1", "the checklist of the level is not complete: missing "+strings.Join(names, ", "))
	}
	return Allow
}

// RequestFile decides whether person me may file a written request to the commission to see his file on case c
// (A28.1): only the person, whose case closed against him (refused or withdrawn, for non-cooperation too), once.
func RequestFile(me cleared.PersonID, c cleared.VettingCase, requested bool) Decision {
	switch {
	case me != c.PersonID:
		return hidden("A28.1", "only the person under vetting asks to see his file")
	case !c.Stage.Negative():
		return deny("A28.1", "the file is open to the person after a refusal or a withdrawal")
	case requested:
		return deny("A28.1", "the request to see the file is already filed")
	}
	return Allow
}

// SeeFile decides whether person me may read his file on case c (A28.1): only the person, after a refusal or a
// withdrawal, once his written request is filed. What he reads leaves out the pieces revealing sources (their
// summary instead) and never holds the commission's opinion (A27.4).
func SeeFile(me cleared.PersonID, c cleared.VettingCase, requested bool) Decision {
	switch {
	case me != c.PersonID:
		return hidden("A28.1", "only the person under vetting reads his file")
	case !c.Stage.Negative():
		return deny("A28.1", "the file is open to the person after a refusal or a withdrawal")
	case !requested:
		return deny("A28.1", "the file is open to the person on his written request to the commission")
	}
	return Allow
}

// FileRequestItems are the person's requests to see their file not yet older than ClosedNotice, on the agenda
// of the NSA officers as the commission's secretariat (A28.1): each due at its filing.
func FileRequestItems(nsa bool, rs []FileRequestFact, t time.Time) []AgendaItem {
	if !nsa {
		return nil
	}
	var items []AgendaItem
	for _, r := range rs {
		if r.Filed.After(t) || !t.Before(r.Filed.Add(ClosedNotice)) {
			continue
		}
		c := r.Case
		items = append(items, agendaItem(AgendaItem{Kind: AgendaVettingFileRequest, Due: r.Filed, VettingCase: &c}, t))
	}
	return items
}

// FileRequestFact is a person's request to see his file, as the agenda counts it.
type FileRequestFact struct {
	Case  cleared.VettingCase
	Filed time.Time
}
