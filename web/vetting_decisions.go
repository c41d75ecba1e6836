package web

import (
	"net/http"
	"strconv"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/vetting"
)

// The routes of decisions on vetting cases (issue 20 §6, package vetting, decisions.go): the deciding authority
// lists the cases waiting for him and decides, with reasons, signed (A27.1, A27.2, A15.2, A16.1); the person's
// security officer lists the decisions to notify and records the notification (A27.1); the person reads his once
// notified, never the commission's opinion (A27.4); the NSA records appeals and their outcome (A29.1); the NSA or
// the deciding authority suspends a clearance and lifts the suspension (A27.1). Registered by New.
func (s *server) vettingDecisionsAPI(api func(pattern string, h handlerFunc)) {
	api("GET /api/vetting-decisions/pending", s.vettingDecisionPending)
	api("GET /api/vetting-decisions/to-notify", s.vettingDecisionToNotify)
	api("POST /api/vetting-cases/{id}/decision", s.vettingDecide)
	api("GET /api/vetting-cases/{id}/decision", s.vettingDecisionRead)
	api("POST /api/vetting-cases/{id}/decision/notification", s.vettingDecisionNotify)
	api("POST /api/vetting-cases/{id}/appeals", s.vettingAppealLodge)
	api("POST /api/vetting-cases/{id}/appeals/{n}/outcome", s.vettingAppealRule)
	api("POST /api/clearances/{id}/suspension", s.clearanceSuspend)
	api("POST /api/clearances/{id}/suspension/lift", s.clearanceLiftSuspension)
}

// vettingDecisionPending serves GET /api/vetting-decisions/pending: PendingDecisions, the cases waiting for the
// deciding authority (A27.1); 403 for anyone else.
func (s *server) vettingDecisionPending(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	cs, err := s.vet.PendingDecisions(r.Context(), a)
	if err != nil {
		return err
	}
	return ok(w, list[vetting.PendingCase]{Items: nonNil(cs)})
}

// vettingDecisionToNotify serves GET /api/vetting-decisions/to-notify: ToNotify, the decisions on the caller's
// staff waiting for him to notify them (A27.1); empty for one who is no security officer.
func (s *server) vettingDecisionToNotify(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	ds, err := s.vet.ToNotify(r.Context(), a)
	if err != nil {
		return err
	}
	return ok(w, list[vetting.DecisionView]{Items: nonNil(ds)})
}

// vettingDecide serves POST /api/vetting-cases/{id}/decision: Decide (A27.1, A27.2, A15.2, A16.1).
func (s *server) vettingDecide(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	var in vetting.NewDecision
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.vet.Decide(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return created(w, "/api/vetting-cases/"+string(id)+"/decision", v)
}

// vettingDecisionRead serves GET /api/vetting-cases/{id}/decision: Decision, as the caller may see it (A27.1,
// A27.4).
func (s *server) vettingDecisionRead(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	v, err := s.vet.Decision(r.Context(), a, id)
	if err != nil {
		return err
	}
	return ok(w, v)
}

// vettingDecisionNotify serves POST /api/vetting-cases/{id}/decision/notification: Notify, with its date (now if
// the body gives none), A27.1.
func (s *server) vettingDecisionNotify(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	var in vetting.Notification
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	v, err := s.vet.Notify(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return ok(w, v)
}

// vettingAppealLodge serves POST /api/vetting-cases/{id}/appeals: LodgeAppeal (A29.1).
func (s *server) vettingAppealLodge(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	var in vetting.NewAppeal
	if err := decode(r, &in); err != nil {
		return err
	}
	ap, err := s.vet.LodgeAppeal(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return created(w, "/api/vetting-cases/"+string(id)+"/decision", ap)
}

// vettingAppealRule serves POST /api/vetting-cases/{id}/appeals/{n}/outcome: RuleAppeal (A29.1).
func (s *server) vettingAppealRule(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.VettingCaseID](r)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > 999 {
		return cleared.Invalidf("an appeal's number is 1, 2…")
	}
	var in vetting.AppealRuling
	if err := decode(r, &in); err != nil {
		return err
	}
	ap, err := s.vet.RuleAppeal(r.Context(), a, id, n, in)
	if err != nil {
		return err
	}
	return ok(w, ap)
}

// clearanceSuspend serves POST /api/clearances/{id}/suspension: Suspend, with reasons (A27.1); the holder's access
// ends with the answer.
func (s *server) clearanceSuspend(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.ClearanceID](r)
	if err != nil {
		return err
	}
	var in vetting.NewSuspension
	if err := decode(r, &in); err != nil {
		return err
	}
	x, err := s.vet.Suspend(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return created(w, "/api/clearances/"+string(id), x)
}

// clearanceLiftSuspension serves POST /api/clearances/{id}/suspension/lift: LiftSuspension, with reasons (A27.1).
func (s *server) clearanceLiftSuspension(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id, err := pathID[cleared.ClearanceID](r)
	if err != nil {
		return err
	}
	var in vetting.NewSuspension
	if err := decode(r, &in); err != nil {
		return err
	}
	x, err := s.vet.LiftSuspension(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	return ok(w, x)
}
