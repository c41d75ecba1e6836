package web

import "net/http"

func eraseForm() *formPage {
	return &formPage{Page: Page{Title: "audit.erase.title", Nav: "audit"}, Intro: "audit.erase.intro", Warning: "audit.erase.warning",
		Action: "/ui/audit/erase", Submit: "audit.erase.submit", Links: []link{{Href: "/ui/audit", Key: "audit.title"}}, Fields: []field{
			{Name: "seq", Label: "audit.seq", Kind: "number", Required: true, Mode: "numeric"},
			{Name: "reason", Label: "audit.erase.reason", Help: "audit.erase.reason.help", Kind: "textarea", Required: true},
		}}
}

// uiAuditEraseForm serves GET /ui/audit/erase.
func (s *server) uiAuditEraseForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	return s.render(w, r, u, http.StatusOK, eraseForm())
}

// uiAuditErase serves POST /ui/audit/erase: EraseAuditPayload (A23.2).
func (s *server) uiAuditErase(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	seq, err := formUint(r.PostForm, "seq", "audit.seq")
	if err == nil {
		if err = s.reg.EraseAuditPayload(r.Context(), u.Actor, seq, formText(r.PostForm, "reason")); err == nil {
			return seeOther(w, r, "/ui/audit", "erased")
		}
	}
	return s.formFail(w, r, u, eraseForm(), err)
}
