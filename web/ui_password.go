package web

import "net/http"

func passwordForm() *formPage {
	return &formPage{Page: Page{Title: "account.title", Nav: "account"}, Intro: "account.intro", Action: "/ui/account/password",
		Submit: "account.password.submit", Links: []link{
			{Href: "/ui/account/sessions", Key: "sessions.title"},
			{Href: "/ui/account/keys", Key: "keys.title"},
			{Href: "/ui/account/tokens", Key: "tokens.title"},
		}, Fields: []field{
			{Name: "old", Label: "account.password.old", Kind: "password", Required: true, Auto: "current-password"},
			{Name: "new", Label: "account.password.new", Help: "account.password.new.help", Kind: "password", Required: true, Auto: "new-password"},
			{Name: "repeat", Label: "account.password.repeat", Kind: "password", Required: true, Auto: "new-password"},
		}}
}

// uiPassword serves POST /ui/account/password: ChangePassword. The new password is typed twice; that the two
// agree is checked here, being about typing, not about the account.
func (s *server) uiPassword(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	var err error
	if v.Get("new") != v.Get("repeat") {
		err = &inputError{field: "account.password.repeat", message: "account.password.mismatch"}
	} else if err = s.auth.ChangePassword(r.Context(), u.Actor, v.Get("old"), v.Get("new")); err == nil {
		return seeOther(w, r, "/ui/account", "password")
	}
	return s.formFail(w, r, u, passwordForm(), err)
}
