package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/auth"
)

// accountList serves GET /api/accounts: Accounts, to an admin.
func (s *server) accountList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	pq, err := idPage[cleared.AccountID](r)
	if err != nil {
		return err
	}
	as, err := s.auth.Accounts(r.Context(), a, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	return idList(w, as, pq.limit, func(x cleared.Account) cleared.AccountID { return x.ID })
}

// accountIn is the body of POST /api/accounts.
type accountIn struct {
	PersonID cleared.PersonID `json:"person_id"`
	Login    string           `json:"login"`
	Password string           `json:"password"`
}

// accountCreate serves POST /api/accounts: CreateAccount, by an admin; the answer holds the TOTP secret, once.
func (s *server) accountCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in accountIn
	if err := decode(r, &in); err != nil {
		return err
	}
	res, err := s.auth.CreateAccount(r.Context(), a, auth.NewAccount{PersonID: in.PersonID, Login: in.Login, Password: in.Password})
	if err != nil {
		return err
	}
	return created(w, "/api/accounts", res)
}

// accountUnlock serves POST /api/accounts/{id}/unlock: UnlockAccount, by an admin.
func (s *server) accountUnlock(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	id := cleared.AccountID(r.PathValue("id"))
	if err := id.Validate(); err != nil {
		return err
	}
	if err := s.auth.UnlockAccount(r.Context(), a, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
