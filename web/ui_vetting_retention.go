package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/vetting"
)

// The NSA's retention page (issue 20 §9, A23.2): the cases whose data is due for erasure at the next daily purge,
// those held with the reason and review date, those purged; and the form that records a hold. Registered by New.
func (s *server) vettingRetentionPages(page func(pattern string, h uiHandler)) {
	page("GET /ui/vetting-retention", s.uiVettingRetention)
	page("GET /ui/vetting-retention/{id}/hold", s.uiRetentionHoldForm)
	page("POST /ui/vetting-retention/{id}/hold", s.uiRetentionHold)
}

// uiVettingRetention serves GET /ui/vetting-retention: Retention.
func (s *server) uiVettingRetention(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v, err := s.vet.Retention(r.Context(), u.Actor)
	if err != nil {
		return err
	}
	var ids []string
	for _, l := range [][]vetting.RetentionCase{v.Due, v.Held, v.Purged} {
		for _, c := range l {
			ids = append(ids, string(c.PersonID))
		}
	}
	n := s.names(r, u, ids...)
	caseCell := func(c vetting.RetentionCase) cell {
		return cell{Text: string(c.ID), Code: true, Href: "/ui/vetting-cases/" + string(c.ID), ID: "case-" + string(c.ID)}
	}
	holdCell := func(c vetting.RetentionCase) cell {
		return cell{Key: "retention.hold", Href: "/ui/vetting-retention/" + string(c.ID) + "/hold", ID: "hold-" + string(c.ID)}
	}
	due := section{ID: "due", Title: "retention.due", Empty: "retention.none",
		Columns: []string{"common.id", "vetting.person", "vetting.stage", "retention.closed_on", "retention.due_on", "retention.hold"}}
	for _, c := range v.Due {
		due.Rows = append(due.Rows, row{ID: string(c.ID), Cells: []cell{caseCell(c), n.cell(string(c.PersonID)),
			keyCell("retention.stage." + string(c.Stage)), dateCell(c.Closed), dateCell(c.Due), holdCell(c)}})
	}
	held := section{ID: "held", Title: "retention.held", Empty: "retention.none",
		Columns: []string{"common.id", "vetting.person", "vetting.stage", "retention.reason", "retention.review", "retention.hold"}}
	for _, c := range v.Held {
		held.Rows = append(held.Rows, row{ID: string(c.ID), Cells: []cell{caseCell(c), n.cell(string(c.PersonID)),
			keyCell("retention.stage." + string(c.Stage)), textCell(c.HoldReason), dateCell(c.HoldReview), holdCell(c)}})
	}
	purged := section{ID: "purged", Title: "retention.purged", Empty: "retention.none",
		Columns: []string{"common.id", "vetting.person", "vetting.stage", "retention.closed_on", "retention.purged_on"}}
	for _, c := range v.Purged {
		purged.Rows = append(purged.Rows, row{ID: string(c.ID), Cells: []cell{caseCell(c), n.cell(string(c.PersonID)),
			keyCell("retention.stage." + string(c.Stage)), dateCell(c.Closed), dateCell(c.Purged)}})
	}
	return s.render(w, r, u, http.StatusOK, &recordPage{Page: Page{Title: "retention.title", Nav: "registers"},
		Intro: "retention.intro", Sections: []section{due, held, purged}})
}

func retentionHoldForm(id cleared.VettingCaseID) *formPage {
	return &formPage{Page: Page{Title: "retention.hold", Nav: "registers"}, Intro: "retention.hold.intro",
		Action: "/ui/vetting-retention/" + string(id) + "/hold", Submit: "retention.hold.submit",
		Links: []link{{Href: "/ui/vetting-retention", Key: "retention.title"}}, Fields: []field{
			{Name: "reason", Label: "retention.reason", Help: "retention.reason.help", Kind: "textarea", Required: true},
			{Name: "review", Label: "retention.review", Help: "retention.review.help", Kind: "date", Required: true},
		}}
}

// uiRetentionHoldForm serves GET /ui/vetting-retention/{id}/hold, offered only to a cleared NSA officer, of a case
// he may know.
func (s *server) uiRetentionHoldForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.VettingCaseID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	if _, err := s.vet.Case(r.Context(), u.Actor, id); err != nil {
		return err
	}
	if err := s.offerVetting(r, u, vetting.FormRetentionHold); err != nil {
		return err
	}
	return s.render(w, r, u, http.StatusOK, retentionHoldForm(id))
}

// uiRetentionHold serves POST /ui/vetting-retention/{id}/hold: HoldCase.
func (s *server) uiRetentionHold(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.VettingCaseID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	review, err := formDate(r.PostForm, "review", "retention.review")
	if err == nil {
		in := vetting.Hold{Reason: formText(r.PostForm, "reason"), Review: review}
		if _, err = s.vet.HoldCase(r.Context(), u.Actor, id, in); err == nil {
			return seeOther(w, r, "/ui/vetting-retention", "retention_held")
		}
	}
	return s.formFail(w, r, u, retentionHoldForm(id), err)
}
