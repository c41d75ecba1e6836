package web

import (
	"net/http"
	"strconv"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/registry"
)

// The register of accounts, kept by administrators.

// uiAccounts serves GET /ui/accounts: Accounts, by ID, with a button to unlock each.
func (s *server) uiAccounts(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	pq, err := idPage[cleared.AccountID](r)
	if err != nil {
		return err
	}
	as, err := s.auth.Accounts(r.Context(), u.Actor, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	p := &tablePage{Page: Page{Title: "accounts.title", Nav: "registers"}, Intro: "accounts.intro", Caption: "accounts.title",
		Columns: []string{"account.login", "accounts.person", "accounts.failures", "accounts.locked_until", "accounts.disabled", "accounts.action"},
		Empty:   "list.empty", Actions: []link{{Href: "/ui/accounts/new", Key: "accounts.new"}}}
	var ids []string
	for _, a := range as {
		ids = append(ids, string(a.PersonID))
	}
	names := s.names(r, u, ids...) // issue 18 §0: names, not IDs
	for _, a := range as {
		p.Rows = append(p.Rows, row{ID: string(a.ID), Cells: []cell{codeCell(a.Login), names.orID(string(a.PersonID)),
			textCell(strconv.Itoa(a.Failures)), textCell(formatTime(a.LockedUntil)), textCell(formatTime(a.Disabled)),
			{Post: "/ui/accounts/" + string(a.ID) + "/unlock", CSRF: u.CSRF, Key: "accounts.unlock", ID: "unlock-" + string(a.ID)}}})
	}
	if n := len(as); n > 0 {
		p.Next = nextHref("/ui/accounts", r.URL.Query(), n, pq.limit, string(as[n-1].ID))
	}
	return s.render(w, r, u, http.StatusOK, p)
}

func accountForm() *formPage {
	return &formPage{Page: Page{Title: "accounts.new", Nav: "registers"}, Intro: "accounts.new.intro", Action: "/ui/accounts",
		Submit: "accounts.submit", Links: []link{{Href: "/ui/accounts", Key: "accounts.title"}}, Fields: []field{
			{Name: "person_id", Label: "accounts.person", Help: "form.person_id.help", Kind: "text", Required: true},
			{Name: "login", Label: "account.login", Help: "accounts.login.help", Kind: "text", Required: true, Auto: "off"},
			{Name: "password", Label: "accounts.password", Help: "account.password.new.help", Kind: "password", Required: true, Auto: "new-password"},
		}}
}

// uiAccountForm serves GET /ui/accounts/new?person_id=.
func (s *server) uiAccountForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	if err := s.offer(r, u, registry.FormAccount); err != nil { // issue 18 §0: offered only to who may
		return err
	}
	f := accountForm()
	f.prefill(r.URL.Query())
	return s.render(w, r, u, http.StatusOK, f)
}

// uiAccountCreate serves POST /ui/accounts: CreateAccount. The TOTP secret to enrol is shown on this page, once.
func (s *server) uiAccountCreate(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	res, err := s.auth.CreateAccount(r.Context(), u.Actor, auth.NewAccount{PersonID: cleared.PersonID(formText(v, "person_id")),
		Login: formText(v, "login"), Password: v.Get("password")})
	if err != nil {
		return s.formFail(w, r, u, accountForm(), err)
	}
	return s.render(w, r, u, http.StatusCreated, &detailsPage{Page: Page{Title: "accounts.created", Nav: "registers"},
		Intro: "accounts.created.once", Actions: []link{{Href: "/ui/accounts", Key: "accounts.title"}}, Items: []detail{
			{Label: "account.login", Value: codeCell(res.Account.Login), ID: "account-login"},
			{Label: "accounts.totp_secret", Value: codeCell(res.TOTPSecret), ID: "totp-secret"},
			{Label: "accounts.totp_uri", Value: codeCell(res.TOTPURI), ID: "totp-uri"},
		}})
}

// uiAccountUnlock serves POST /ui/accounts/{id}/unlock: UnlockAccount.
func (s *server) uiAccountUnlock(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.AccountID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	if err := s.auth.UnlockAccount(r.Context(), u.Actor, id); err != nil {
		return err
	}
	return seeOther(w, r, "/ui/accounts", "unlocked")
}
