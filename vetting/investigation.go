package vetting

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/keyring"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
)

// The security investigation (Art. 21, 23, 24, 25; A15.2, A21.1, A23.1, A24.1, A25.3): an NSA officer opens the
// investigation of a signed case and names the NSA officers on it, who alone read and write it (the commission
// reads it too, A27.4: see file.go). What it collects is typed by the law's categories and nothing else, each item
// with its finding, source and date, flagged when it reveals a source with the written summary the person will be
// given instead (A28.1); requests to and from foreign services are linked to the case (A25.3); the report is filed
// once the checklist of the level is complete (A21.1, A15.2), and no decision is taken without it. Every item,
// request, report and request of the person is sealed under the case's own data key (A23.1, A24.1), every read is
// audited, and nothing of it leaves package vetting (no export, no other module's route).

// Limits of what the investigation's records carry.
const (
	maxFinding    = 8000
	maxRecordBody = 32 << 10
	maxOfficers   = 20
)

// Prefixes of the IDs of items and cooperation requests.
const (
	prefixItem        = "vit_"
	prefixCooperation = "vcr_"
)

// Slots of the records sealed under a case's data key (the questionnaire's sections use their names).
const (
	slotItem        = "item/"
	slotCooperation = "cooperation/"
	slotReport      = "report"
	slotFileRequest = "file_request"
)

// NewItem is an item of an investigation as the officer gives it (A21.1): one of the law's categories, what was
// found, where it comes from and when it was collected; for the social and professional situation, the period
// ("now" or "past") with its dates; an item that reveals a source carries the written summary of its essential
// content that the person will read in its place (A28.1). Dates are days, "2006-01-02".
type NewItem struct {
	Category      policy.Category `json:"category"`
	Finding       string          `json:"finding"`
	Source        string          `json:"source"`
	Collected     string          `json:"collected"`
	Period        string          `json:"period,omitempty"`
	From          string          `json:"from,omitempty"`
	Until         string          `json:"until,omitempty"`
	RevealsSource bool            `json:"reveals_source"`
	Summary       string          `json:"summary,omitempty"`
}

// Item is an item of an investigation as its readers see it.
type Item struct {
	ID string `json:"id"`
	NewItem
	// Withheld is set in the person's view of an item revealing sources: only its category, dates and summary
	// are given (A28.1).
	Withheld bool             `json:"withheld,omitempty"`
	Added    time.Time        `json:"added"`
	AddedBy  cleared.PersonID `json:"added_by,omitempty"`
}

// ParseItem decodes and checks an item given at now (A21.1, A28.1): strict JSON, the law's categories only, a
// period and dates in order for the social and professional situation and for nothing else, a summary for an item
// revealing sources and only for it. It returns the item in canonical form, which is what is sealed.
func ParseItem(data []byte, now time.Time) (NewItem, error) {
	var in NewItem
	if err := strict(data, &in, "item"); err != nil {
		return in, err
	}
	if err := in.check(now); err != nil {
		return in, cleared.Invalidf("item: %s", err.Error())
	}
	return in, nil
}

// strict decodes one JSON object of at most maxRecordBody bytes into v, refusing unknown fields.
func strict(data []byte, v any, what string) error {
	if len(data) > maxRecordBody {
		return cleared.Invalidf("%s: at most %d bytes", what, maxRecordBody)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return cleared.Invalidf("%s: %s (only the fields of the law's categories are accepted, A21.1)", what, decodeMessage(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return cleared.Invalidf("%s: unexpected data after the JSON object", what)
	}
	return nil
}

func (in *NewItem) check(now time.Time) error {
	if !in.Category.Valid() {
		return problem("category is one of civil_status, solvency, social_professional, reliability_reputation, vulnerability (A21.1)")
	}
	if err := first(long("finding", in.Finding, true, maxFinding), long("source", in.Source, true, maxAnswer)); err != nil {
		return err
	}
	collected, err := day("collected", in.Collected, now)
	if err != nil {
		return err
	}
	if in.Category == policy.CategorySocialProfessional {
		if err := in.checkPeriod(collected, now); err != nil {
			return err
		}
	} else if in.Period != "" || in.From != "" || in.Until != "" {
		return problem("period, from and until are of the social and professional situation only")
	}
	switch {
	case in.RevealsSource && in.Summary == "":
		return problem("an item revealing sources carries the written summary of its essential content (A28.1): missing summary")
	case !in.RevealsSource && in.Summary != "":
		return problem("only an item revealing sources carries a summary (A28.1)")
	}
	return long("summary", in.Summary, false, maxFinding)
}

// checkPeriod checks the period of a social and professional item: now (from, no end) or past (from and until,
// in order), both before the collection.
func (in *NewItem) checkPeriod(collected, now time.Time) error {
	from, err := day("from", in.From, now)
	if err != nil {
		return err
	}
	switch in.Period {
	case "now":
		if in.Until != "" {
			return problem("a situation now has no until")
		}
	case "past":
		until, err := day("until", in.Until, now)
		if err != nil {
			return err
		}
		if until.Before(from) {
			return problem("until is before from")
		}
		if collected.Before(until) {
			return problem("collected is before until")
		}
	default:
		return problem("period is now or past for the social and professional situation (A21.1)")
	}
	if collected.Before(from) {
		return problem("collected is before from")
	}
	return nil
}

func long(field, v string, required bool, max int) error {
	if required && v == "" {
		return problem("missing " + field)
	}
	if cleared.CheckText(field, v, 0, max) != nil {
		return problem(field + " is too long or not text")
	}
	return nil
}

// NewCooperation is a request to or from a foreign service about the person's stays abroad (A25.3): outgoing (the
// NSA asks) or incoming (a foreign service asks, and the NSA answers), the service named, what is asked, its
// reference if any and the day it was sent or received.
type NewCooperation struct {
	Direction string `json:"direction"`
	Service   string `json:"foreign_service"`
	Subject   string `json:"subject"`
	Reference string `json:"reference,omitempty"`
	Sent      string `json:"sent"`
}

// CooperationAnswer is the answer to a request: its content and day, not before the request's.
type CooperationAnswer struct {
	Answer   string `json:"answer"`
	Answered string `json:"answered"`
}

// Cooperation is a request to or from a foreign service with its answer if recorded.
type Cooperation struct {
	ID string `json:"id"`
	NewCooperation
	CooperationAnswer
	Updated time.Time `json:"updated"`
}

func parseCooperation(data []byte, now time.Time) (NewCooperation, error) {
	var in NewCooperation
	if err := strict(data, &in, "cooperation request"); err != nil {
		return in, err
	}
	err := first(long("subject", in.Subject, true, maxFinding))
	switch {
	case in.Direction != "outgoing" && in.Direction != "incoming":
		err = problem("direction is outgoing or incoming (A25.3)")
	case cleared.CheckLine("foreign_service", in.Service, 1, maxName) != nil:
		err = problem("foreign_service names the foreign service, on one line")
	case cleared.CheckLine("reference", in.Reference, 0, maxName) != nil:
		err = problem("reference is one line")
	case err == nil:
		_, err = day("sent", in.Sent, now)
	}
	if err != nil {
		return in, cleared.Invalidf("cooperation request: %s", err.Error())
	}
	return in, nil
}

func parseAnswer(data []byte, sent string, now time.Time) (CooperationAnswer, error) {
	var in CooperationAnswer
	if err := strict(data, &in, "answer"); err != nil {
		return in, err
	}
	err := long("answer", in.Answer, true, maxFinding)
	if err == nil {
		var answered time.Time
		if answered, err = day("answered", in.Answered, now); err == nil && answered.Format(dateLayout) < sent {
			err = problem("answered is before the request was sent")
		}
	}
	if err != nil {
		return in, cleared.Invalidf("answer: %s", err.Error())
	}
	return in, nil
}

// Report is the investigation report (A15.2): its conclusion, when and by whom it was filed.
type Report struct {
	Conclusion string           `json:"conclusion"`
	Filed      time.Time        `json:"filed"`
	FiledBy    cleared.PersonID `json:"filed_by,omitempty"`
}

// NewReport is the report as the officer files it.
type NewReport struct {
	Conclusion string `json:"conclusion"`
}

// Officer is an NSA officer's assignment to a case (A24.1).
type Officer struct {
	Person     cleared.PersonID `json:"person_id"`
	AssignedBy cleared.PersonID `json:"assigned_by"`
	Assigned   time.Time        `json:"assigned"`
	Ended      time.Time        `json:"ended,omitzero"`
	EndedBy    cleared.PersonID `json:"ended_by,omitempty"`
}

// Investigation is the investigation of a case as the officers on it read it: the case, its officers, items,
// cooperation requests, the checklist of its level and what it still lacks, the report once filed, and whether
// the person asked to see his file.
type Investigation struct {
	Case        cleared.VettingCase `json:"case"`
	Officers    []Officer           `json:"officers"`
	Items       []Item              `json:"items"`
	Cooperation []Cooperation       `json:"cooperation"`
	Checklist   []policy.Check      `json:"checklist"`
	Missing     []policy.Check      `json:"missing"`
	Report      *Report             `json:"report,omitempty"`
	FileRequest *FileRequest        `json:"file_request,omitempty"`
}

// OpenInvestigation opens the investigation of case id (A15.2, A24.1): by an NSA officer, on a case whose
// questionnaire and consent are signed; he and officers (NSA officers with a valid clearance) are on the case.
func (s *Service) OpenInvestigation(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID, officers []cleared.PersonID) (v Investigation, err error) {
	defer cleared.Wrap(&err, "open investigation")
	if err := id.Validate(); err != nil {
		return v, err
	}
	if len(officers) > maxOfficers {
		return v, cleared.Invalidf("officers: at most %d", maxOfficers)
	}
	for _, o := range officers {
		if err := o.Validate(); err != nil {
			return v, err
		}
	}
	now := s.clock()
	err = s.run.Do(ctx, a, act.VettingInvestigationOpen, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		c, _, err := loadCase(tx, x, w, id)
		if err != nil {
			return err
		}
		if !w.nsa {
			// The person and his security officer know the case, not that it is investigated (A23.1).
			return x.Hide(string(id))
		}
		team := []cleared.PersonID{w.me.ID}
		for _, o := range officers {
			if !slices.Contains(team, o) {
				team = append(team, o)
			}
		}
		all := true
		for _, o := range team {
			ok, err := investigator(tx, o, now)
			if err != nil {
				return err
			}
			all = all && ok.Allowed
		}
		if d := policy.OpenInvestigation(w.nsa, c, len(team), all); !d.Allowed {
			return x.Deny(string(id), d)
		}
		for _, o := range team {
			if err := tx.AddInvestigator(store.Investigator{Case: id, Person: o, AssignedBy: w.me.ID, Assigned: now}); err != nil {
				return err
			}
		}
		c.Stage, c.Updated = cleared.StageInvestigation, now
		if err := tx.UpdateVettingCase(c); err != nil {
			return err
		}
		x.Payload = map[string]any{"case": id, "officers": team}
		v, err = s.investigation(tx, c)
		return err
	})
	return v, err
}

// investigator decides whether person id may be on a case at t; an unknown person is refused as one who is not an
// NSA officer.
func investigator(tx store.Tx, id cleared.PersonID, t time.Time) (policy.Decision, error) {
	p, err := tx.Person(id)
	if errors.Is(err, cleared.ErrNotFound) {
		return policy.Investigator(cleared.Person{}, nil, t), nil
	} else if err != nil {
		return policy.Decision{}, err
	}
	cs, err := tx.PersonClearances(id)
	if err != nil {
		return policy.Decision{}, err
	}
	return policy.Investigator(p, cs, t), nil
}

// onCase loads case id for an action on its investigation: the case as the actor may know it, and whether he is an
// NSA officer on it now (an officer whose clearance lapsed is not, A24.1).
func onCase(tx store.Tx, x *act.Act, w who, id cleared.VettingCaseID) (cleared.VettingCase, bool, error) {
	c, _, err := loadCase(tx, x, w, id)
	if err != nil || !w.nsa {
		return c, false, err
	}
	is, err := tx.Investigators(id)
	if err != nil {
		return c, false, err
	}
	for _, i := range is {
		if i.Person == w.me.ID && i.On() {
			return c, true, nil
		}
	}
	return c, false, nil
}

// commission reports whether the actor reads case c as the commission (A27.4): the case is referred to it, the
// actor holds a seat in force and may act at now (A27.3: a valid TRES SECRET clearance), and the commission asked for
// the whole file; before that it has the report, in its workspace.
func commission(tx store.Tx, w who, c cleared.VettingCase, now time.Time) (bool, error) {
	if _, err := tx.Referral(c.ID); errors.Is(err, cleared.ErrNotFound) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	seats, err := tx.CommissionSeats()
	if err != nil {
		return false, err
	}
	seat, seated := policy.CommissionSeatOf(seats, w.me.ID, now)
	if !seated {
		return false, nil
	}
	cs, err := tx.PersonClearances(w.me.ID)
	if err != nil {
		return false, err
	}
	if !policy.CommissionMayAct(seat, cs, false, now).Allowed {
		return false, nil
	}
	rs, err := tx.CommissionRequests(store.CommissionRequestQuery{Case: c.ID, Limit: maxListLimit})
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(rs, func(r store.CommissionRequest) bool { return r.Kind == cleared.RequestFile }), nil
}

// decider decides whether the actor w (on the case or not) may act on case c at now, loading what it needs.
type decider func(tx store.Tx, w who, on bool, c cleared.VettingCase, now time.Time) (policy.Decision, error)

// pure turns a decision on the actor and the case alone into a decider.
func pure(f func(nsa, on bool, c cleared.VettingCase) policy.Decision) decider {
	return func(_ store.Tx, w who, on bool, c cleared.VettingCase, _ time.Time) (policy.Decision, error) {
		return f(w.nsa, on, c), nil
	}
}

// investigationStep runs one action on the investigation of case id: loads the case, asks decide whether the actor
// may (a refusal audited, a hidden case answered as missing), and runs fn.
func (s *Service) investigationStep(ctx context.Context, a cleared.Actor, name act.Name, id cleared.VettingCaseID, decide decider,
	fn func(tx store.Tx, x *act.Act, w who, c *cleared.VettingCase, now time.Time) error) error {
	if err := id.Validate(); err != nil {
		return err
	}
	now := s.clock()
	return s.run.Do(ctx, a, name, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		c, on, err := onCase(tx, x, w, id)
		if err != nil {
			return err
		}
		d, err := decide(tx, w, on, c, now)
		if err != nil {
			return err
		}
		if !d.Allowed {
			return x.Deny(string(id), d)
		}
		return fn(tx, x, w, &c, now)
	})
}

// AssignOfficer puts NSA officer person on case id (A24.1): by an officer on the case, while it is open.
func (s *Service) AssignOfficer(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID, person cleared.PersonID) (err error) {
	defer cleared.Wrap(&err, "assign officer")
	if err := person.Validate(); err != nil {
		return err
	}
	return s.investigationStep(ctx, a, act.VettingInvestigationAssign, id,
		func(tx store.Tx, w who, on bool, c cleared.VettingCase, now time.Time) (policy.Decision, error) {
			if d := policy.SeeInvestigation(w.nsa, on, false, c); !d.Allowed {
				return d, nil // who may not know the investigation learns nothing of the officer either
			}
			officer, err := investigator(tx, person, now)
			return policy.AssignInvestigator(w.nsa, on, c, officer), err
		},
		func(tx store.Tx, x *act.Act, w who, c *cleared.VettingCase, now time.Time) error {
			is, err := tx.Investigators(c.ID)
			if err != nil {
				return err
			}
			for _, i := range is {
				if i.Person == person && i.On() {
					return cleared.Conflictf("%s is on the case already", person)
				}
			}
			x.Payload = map[string]any{"case": c.ID, "officer": person}
			return tx.AddInvestigator(store.Investigator{Case: c.ID, Person: person, AssignedBy: w.me.ID, Assigned: now})
		})
}

// EndOfficer ends the assignment of person to case id (A24.1): by an officer on the case, the case keeping one.
func (s *Service) EndOfficer(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID, person cleared.PersonID) (err error) {
	defer cleared.Wrap(&err, "end officer's assignment")
	if err := person.Validate(); err != nil {
		return err
	}
	return s.investigationStep(ctx, a, act.VettingInvestigationEndAssignment, id,
		func(tx store.Tx, w who, on bool, c cleared.VettingCase, _ time.Time) (policy.Decision, error) {
			is, err := tx.Investigators(c.ID)
			remaining := 0
			for _, i := range is {
				if i.On() && i.Person != person {
					remaining++
				}
			}
			return policy.EndInvestigator(w.nsa, on, c, remaining), err
		},
		func(tx store.Tx, x *act.Act, w who, c *cleared.VettingCase, now time.Time) error {
			x.Payload = map[string]any{"case": c.ID, "officer": person}
			return tx.EndInvestigator(c.ID, person, now, w.me.ID)
		})
}

// Investigation reads the investigation of case id (A23.1, A24.1): to the NSA officers on the case; refused to
// another NSA officer, not found for anyone else. The read is audited.
func (s *Service) Investigation(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID) (v Investigation, err error) {
	defer cleared.Wrap(&err, "read investigation")
	if err := id.Validate(); err != nil {
		return v, err
	}
	now := s.clock()
	err = s.run.Read(ctx, a, act.VettingInvestigationRead, now, func(tx store.Tx, x *act.Act) error {
		w, err := actor(tx, a, now)
		if err != nil {
			return err
		}
		c, on, err := onCase(tx, x, w, id)
		if err != nil {
			return err
		}
		com, err := commission(tx, w, c, now)
		if err != nil {
			return err
		}
		if d := policy.SeeInvestigation(w.nsa, on, com, c); !d.Allowed {
			return x.Deny(string(id), d)
		}
		v, err = s.investigation(tx, c)
		return err
	})
	return v, err
}

// investigation opens the investigation of case c.
func (s *Service) investigation(tx store.Tx, c cleared.VettingCase) (Investigation, error) {
	v := Investigation{Case: c, Officers: []Officer{}, Checklist: policy.Checklist(c.Level)}
	is, err := tx.Investigators(c.ID)
	if err != nil {
		return v, err
	}
	for _, i := range is {
		v.Officers = append(v.Officers, Officer{Person: i.Person, AssignedBy: i.AssignedBy, Assigned: i.Assigned, Ended: i.Ended, EndedBy: i.EndedBy})
	}
	o, err := s.opener(tx, c.ID)
	if err != nil {
		return v, err
	}
	if v.Items, err = items(tx, o, c.ID); err != nil {
		return v, err
	}
	if v.Cooperation, err = cooperation(tx, o, c.ID); err != nil {
		return v, err
	}
	v.Missing = policy.Missing(c.Level, collected(v.Items, v.Cooperation))
	if v.Report, err = report(tx, o, c.ID); err != nil {
		return v, err
	}
	v.FileRequest, err = fileRequest(tx, o, c.ID)
	return v, err
}

// collected is what the checklist counts of items and requests.
func collected(items []Item, rs []Cooperation) policy.Collected {
	var got policy.Collected
	for _, it := range items {
		got.Items = append(got.Items, policy.ItemKind{Category: it.Category, Period: it.Period})
	}
	for _, r := range rs {
		got.AbroadAnswered = got.AbroadAnswered || r.Direction == "outgoing" && r.Answer != ""
	}
	return got
}

// sealer seals and opens the records of one case under its data key.
type sealer struct {
	s   *Service
	id  cleared.VettingCaseID
	key keyring.DataKey
}

func (s *Service) opener(tx store.Tx, id cleared.VettingCaseID) (sealer, error) {
	k, err := tx.VettingCaseKey(id)
	if err != nil {
		return sealer{}, err
	}
	return sealer{s: s, id: id, key: keyring.DataKey{KEK: k.KEK, Wrapped: k.Wrapped}}, nil
}

func (o sealer) seal(slot string, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return o.s.ring.SealRecord(string(o.id), o.key, slot, b)
}

func (o sealer) open(slot string, sealed []byte, v any) error {
	b, err := o.s.ring.OpenRecord(string(o.id), o.key, slot, sealed)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func items(tx store.Tx, o sealer, id cleared.VettingCaseID) ([]Item, error) {
	rs, err := tx.InvestigationItems(id)
	if err != nil {
		return nil, err
	}
	out := []Item{}
	for _, r := range rs {
		it := Item{ID: r.ID, Added: r.Written, AddedBy: r.By}
		if err := o.open(slotItem+r.ID, r.Ciphertext, &it.NewItem); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

func cooperation(tx store.Tx, o sealer, id cleared.VettingCaseID) ([]Cooperation, error) {
	rs, err := tx.CooperationRequests(id)
	if err != nil {
		return nil, err
	}
	out := []Cooperation{}
	for _, r := range rs {
		var c Cooperation
		if err := o.open(slotCooperation+r.ID, r.Ciphertext, &c); err != nil {
			return nil, err
		}
		c.ID, c.Updated = r.ID, r.Written
		out = append(out, c)
	}
	return out, nil
}

func report(tx store.Tx, o sealer, id cleared.VettingCaseID) (*Report, error) {
	r, err := tx.InvestigationReport(id)
	if errors.Is(err, cleared.ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	out := &Report{Filed: r.Written, FiledBy: r.By}
	return out, o.open(slotReport, r.Ciphertext, out)
}

// AddItem adds an item to the investigation of case id (A21.1, A28.1): data is parsed by ParseItem, the item
// sealed under the case's key; by an officer on the case while the investigation is open. The audit entry names
// the item, its category and whether it reveals sources, never its content.
func (s *Service) AddItem(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID, data []byte) (it Item, err error) {
	defer cleared.Wrap(&err, "add investigation item")
	in, err := ParseItem(data, s.clock())
	if err != nil {
		return it, err
	}
	err = s.investigationStep(ctx, a, act.VettingInvestigationItem, id, pure(policy.WriteInvestigation),
		func(tx store.Tx, x *act.Act, w who, c *cleared.VettingCase, now time.Time) error {
			o, err := s.opener(tx, c.ID)
			if err != nil {
				return err
			}
			it = Item{ID: cleared.NewID(prefixItem), NewItem: in, Added: now, AddedBy: w.me.ID}
			sealed, err := o.seal(slotItem+it.ID, in)
			if err != nil {
				return err
			}
			x.Payload = map[string]any{"case": c.ID, "item": it.ID, "category": in.Category, "reveals_source": in.RevealsSource}
			return tx.AddInvestigationItem(store.SealedRecord{ID: it.ID, Case: c.ID, Ciphertext: sealed, Written: now, By: w.me.ID})
		})
	return it, err
}

// AddCooperation records a request to or from a foreign service on case id (A25.3): by an officer on the case,
// from the investigation until the decision.
func (s *Service) AddCooperation(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID, data []byte) (r Cooperation, err error) {
	defer cleared.Wrap(&err, "record cooperation request")
	in, err := parseCooperation(data, s.clock())
	if err != nil {
		return r, err
	}
	err = s.investigationStep(ctx, a, act.VettingInvestigationCooperation, id, pure(policy.WriteCooperation),
		func(tx store.Tx, x *act.Act, w who, c *cleared.VettingCase, now time.Time) error {
			r = Cooperation{ID: cleared.NewID(prefixCooperation), NewCooperation: in, Updated: now}
			x.Payload = map[string]any{"case": c.ID, "request": r.ID, "direction": in.Direction}
			return s.putCooperation(tx, c.ID, r, w.me.ID, now)
		})
	return r, err
}

func (s *Service) putCooperation(tx store.Tx, id cleared.VettingCaseID, r Cooperation, by cleared.PersonID, now time.Time) error {
	o, err := s.opener(tx, id)
	if err != nil {
		return err
	}
	sealed, err := o.seal(slotCooperation+r.ID, r)
	if err != nil {
		return err
	}
	return tx.PutCooperationRequest(store.SealedRecord{ID: r.ID, Case: id, Ciphertext: sealed, Written: now, By: by})
}

// AnswerCooperation records the answer to request rid of case id (A25.3): the answer of the foreign service to an
// outgoing request, the NSA's to an incoming one; once.
func (s *Service) AnswerCooperation(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID, rid string, data []byte) (r Cooperation, err error) {
	defer cleared.Wrap(&err, "record cooperation answer")
	if err := checkRecordID(rid, prefixCooperation, "cooperation request"); err != nil {
		return r, err
	}
	if err := strict(data, &CooperationAnswer{}, "answer"); err != nil {
		return r, err
	}
	err = s.investigationStep(ctx, a, act.VettingInvestigationAnswer, id, pure(policy.WriteCooperation),
		func(tx store.Tx, x *act.Act, w who, c *cleared.VettingCase, now time.Time) error {
			o, err := s.opener(tx, c.ID)
			if err != nil {
				return err
			}
			rs, err := cooperation(tx, o, c.ID)
			if err != nil {
				return err
			}
			i := slices.IndexFunc(rs, func(r Cooperation) bool { return r.ID == rid })
			if i < 0 {
				return x.Hide(rid)
			}
			r = rs[i]
			if r.Answer != "" {
				return cleared.Conflictf("the request %s has its answer already", rid)
			}
			if r.CooperationAnswer, err = parseAnswer(data, r.Sent, now); err != nil {
				return err
			}
			r.Updated = now
			x.Payload = map[string]any{"case": c.ID, "request": r.ID, "answered": true}
			return s.putCooperation(tx, c.ID, r, w.me.ID, now)
		})
	return r, err
}

// checkRecordID reports a malformed ID of an item or a request as ErrInvalid.
func checkRecordID(s, prefix, kind string) error {
	ok := len(s) == len(prefix)+26 && s[:len(prefix)] == prefix
	for i := len(prefix); ok && i < len(s); i++ {
		c := s[i]
		ok = c >= 'a' && c <= 'z' || c >= '2' && c <= '7'
	}
	if !ok {
		return cleared.Invalidf("malformed %s ID", kind)
	}
	return nil
}

// FileReport files the investigation report of case id (A15.2, A21.1): by an officer on the case, once the
// checklist of the case's level is complete; the case goes to stage reported, without which no decision is taken.
func (s *Service) FileReport(ctx context.Context, a cleared.Actor, id cleared.VettingCaseID, data []byte) (v Investigation, err error) {
	defer cleared.Wrap(&err, "file investigation report")
	var in NewReport
	if err := strict(data, &in, "report"); err != nil {
		return v, err
	}
	if err := long("conclusion", in.Conclusion, true, maxFinding); err != nil {
		return v, cleared.Invalidf("report: %s", err.Error())
	}
	err = s.investigationStep(ctx, a, act.VettingInvestigationReport, id,
		func(tx store.Tx, w who, on bool, c cleared.VettingCase, _ time.Time) (policy.Decision, error) {
			if d := policy.WriteInvestigation(w.nsa, on, c); !d.Allowed {
				return d, nil
			}
			cur, err := s.investigation(tx, c)
			return policy.FileReport(w.nsa, on, c, cur.Missing), err
		},
		func(tx store.Tx, x *act.Act, w who, c *cleared.VettingCase, now time.Time) error {
			o, err := s.opener(tx, c.ID)
			if err != nil {
				return err
			}
			sealed, err := o.seal(slotReport, Report{Conclusion: in.Conclusion})
			if err != nil {
				return err
			}
			if err := tx.AddInvestigationReport(store.SealedRecord{Case: c.ID, Ciphertext: sealed, Written: now, By: w.me.ID}); err != nil {
				return err
			}
			c.Stage, c.Updated = cleared.StageReported, now
			if err := tx.UpdateVettingCase(*c); err != nil {
				return err
			}
			x.Payload = map[string]any{"case": c.ID, "stage": c.Stage}
			v, err = s.investigation(tx, *c)
			return err
		})
	return v, err
}
