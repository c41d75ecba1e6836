package web

import (
	"net/http"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/vetting"
)

// The routes of the commission of Art. 27 (issue 20 §5, package vetting, commission.go; A27.2, A27.3, A27.4): the
// NSA keeps the register of seats and records the president's election, and refers a reported case; the members
// in office holding a valid TRES SECRET clearance work on it (workspace, requests, hearings) and give the one
// reasoned opinion, which the deciding authority reads and the person never does. Registered by New.
func (s *server) vettingCommissionAPI(api func(pattern string, h handlerFunc)) {
	api("GET /api/commission/members", s.commissionMembers)
	api("POST /api/commission/members", s.commissionSeatRecord)
	api("POST /api/commission/members/{id}/end", s.commissionSeatEnd)
	api("POST /api/commission/president", s.commissionPresident)
	api("GET /api/commission/cases", s.commissionCases)
	api("POST /api/vetting-cases/{id}/referral", s.commissionRefer)
	api("GET /api/vetting-cases/{id}/commission", s.commissionWorkspace)
	api("GET /api/vetting-cases/{id}/commission/requests", s.commissionRequests)
	api("POST /api/vetting-cases/{id}/commission/requests", s.commissionRequest)
	api("POST /api/vetting-cases/{id}/commission/requests/{request}/answer", s.commissionAnswer)
	api("POST /api/vetting-cases/{id}/commission/hearings", s.commissionHearing)
	api("GET /api/vetting-cases/{id}/commission/opinion", s.commissionOpinionRead)
	api("POST /api/vetting-cases/{id}/commission/opinion", s.commissionOpinion)
}

// commissionMembers serves GET /api/commission/members: CommissionRegister, to the NSA and the members (A27.2).
func (s *server) commissionMembers(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	ms, err := s.vet.CommissionRegister(r.Context(), a)
	if err != nil {
		return err
	}
	return ok(w, list[cleared.CommissionMember]{Items: nonNil(ms)})
}

// commissionSeatRecord serves POST /api/commission/members: RecordSeat, by the NSA from the designation act (A27.2).
func (s *server) commissionSeatRecord(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in vetting.NewSeat
	if err := decode(r, &in); err != nil {
		return err
	}
	m, err := s.vet.RecordSeat(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/commission/members", m)
}

// seatEnd is the body of POST /api/commission/members/{id}/end: when the seat ends (now if absent).
type seatEnd struct {
	Until time.Time `json:"until,omitzero"`
}

// commissionSeatEnd serves POST /api/commission/members/{id}/end: EndSeat, by the NSA (A27.2).
func (s *server) commissionSeatEnd(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.CommissionSeatID](r)
	if err != nil {
		return err
	}
	var in seatEnd
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	m, err := s.vet.EndSeat(r.Context(), a, id, in.Until)
	if err != nil {
		return err
	}
	return ok(w, m)
}

// commissionPresident serves POST /api/commission/president: ElectPresident, the election recorded by the NSA from
// the commission's minutes, for three years (A27.3).
func (s *server) commissionPresident(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in vetting.Election
	if err := decode(r, &in); err != nil {
		return err
	}
	m, err := s.vet.ElectPresident(r.Context(), a, in)
	if err != nil {
		return err
	}
	return ok(w, m)
}

// commissionCases serves GET /api/commission/cases: CommissionCases, the cases before the commission, to its
// members who may act (A27.3) and the NSA.
func (s *server) commissionCases(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	cs, err := s.vet.CommissionCases(r.Context(), a)
	if err != nil {
		return err
	}
	return ok(w, list[cleared.VettingCase]{Items: nonNil(cs)})
}

// commissionRefer serves POST /api/vetting-cases/{id}/referral: Refer, by the NSA, of a reported case (A27.4).
func (s *server) commissionRefer(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	c, err := s.vet.Refer(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, c)
}

// commissionWorkspace serves GET /api/vetting-cases/{id}/commission: Workspace, to the members who may act (A27.3,
// A27.4).
func (s *server) commissionWorkspace(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	v, err := s.vet.Workspace(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, v)
}

// commissionRequests serves GET /api/vetting-cases/{id}/commission/requests: Requests, to the NSA and the members
// who may act (A27.4).
func (s *server) commissionRequests(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	rs, err := s.vet.Requests(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, list[cleared.CommissionRequest]{Items: nonNil(rs)})
}

// commissionRequest serves POST /api/vetting-cases/{id}/commission/requests: Request, for the whole file or more
// information (A27.4).
func (s *server) commissionRequest(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	var in vetting.NewRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	q, err := s.vet.Request(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return created(w, "/api/vetting-cases/"+string(id)+"/commission/requests", q)
}

// requestAnswer is the body of POST .../commission/requests/{request}/answer.
type requestAnswer struct {
	Answer string `json:"answer"`
}

// commissionAnswer serves POST /api/vetting-cases/{id}/commission/requests/{request}/answer: AnswerRequest, by an
// NSA officer (A27.4).
func (s *server) commissionAnswer(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	rid := cleared.CommissionRequestID(r.PathValue("request"))
	if err := rid.Validate(); err != nil {
		return err
	}
	var in requestAnswer
	if err := decode(r, &in); err != nil {
		return err
	}
	q, err := s.vet.AnswerRequest(r.Context(), a, id, rid, in.Answer)
	if err != nil {
		return err
	}
	return ok(w, q)
}

// commissionHearing serves POST /api/vetting-cases/{id}/commission/hearings: RecordHearing, of an NSA member or of
// the person with his observations (A27.4).
func (s *server) commissionHearing(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	var in vetting.NewHearing
	if err := decode(r, &in); err != nil {
		return err
	}
	h, err := s.vet.RecordHearing(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return created(w, "/api/vetting-cases/"+string(id)+"/commission", h)
}

// commissionOpinion serves POST /api/vetting-cases/{id}/commission/opinion: GiveOpinion, the commission's one
// reasoned opinion (A27.2).
func (s *server) commissionOpinion(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	var in vetting.NewOpinion
	if err := decode(r, &in); err != nil {
		return err
	}
	o, err := s.vet.GiveOpinion(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return created(w, "/api/vetting-cases/"+string(id)+"/commission/opinion", o)
}

// commissionOpinionRead serves GET /api/vetting-cases/{id}/commission/opinion: Opinion, to the deciding authority
// and the members who may act; 404 to anyone else, the person first (A27.4).
func (s *server) commissionOpinionRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	o, err := s.vet.Opinion(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, o)
}
