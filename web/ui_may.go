package web

import (
	"net/http"
	"strings"

	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/vetting"
)

// Offering only what one may do (issue 18 §0: "forms are offered to people the API will refuse"). Every page of a
// signed-in person knows which forms the policy would let him use (Page.May, from registry.Forms); links to the
// others are left out of the page, and a form's page itself answers the refusal, recorded, to whoever opens it.

// formPaths are the forms' pages, by path.
var formPaths = map[string]registry.Form{
	"/ui/organisations/new": registry.FormOrganisation, "/ui/persons/new": registry.FormPerson,
	"/ui/security-officers/new": registry.FormOfficer, "/ui/clearances/new": registry.FormClearance,
	"/ui/authorities/new": registry.FormAuthority, "/ui/channels/new": registry.FormChannel,
	"/ui/equivalence/new": registry.FormEquivalence, "/ui/places/new": registry.FormPlace,
	"/ui/terminals/new": registry.FormTerminal, "/ui/pieces/new": registry.FormClassify,
	"/ui/dossiers/new": registry.FormDossier, "/ui/grants/new": registry.FormGrant,
	"/ui/delegations/new": registry.FormDelegation, "/ui/accounts/new": registry.FormAccount,
	"/ui/judicial-orders/new": registry.FormJudicialOrder, // issue 19 (A9.5)
}

// vettingFormPaths are the forms of package vetting (issue 20), by path.
var vettingFormPaths = map[string]vetting.Form{
	"/ui/posts/new": vetting.FormPost, "/ui/contracts/new": vetting.FormContract,
	"/ui/assignments/new": vetting.FormAssignment, "/ui/exemptions/new": vetting.FormExemption,
	"/ui/exemptions/members/new": vetting.FormExemption,
}

// fillMay sets p.May for the signed-in person, and leaves out of v the links to forms he may not use. Without a
// session, or when the registers cannot say, nothing is offered (fail closed).
func (s *server) fillMay(r *http.Request, u *uiSession, p *Page, v view) {
	p.May = map[string]bool{}
	if u != nil && p.SignedIn {
		if ds, err := s.reg.Forms(r.Context(), u.Actor); err == nil {
			for f, d := range ds {
				p.May[string(f)] = d.Allowed
			}
		}
		if s.vet != nil {
			if ds, err := s.vet.Forms(r.Context(), u.Actor); err == nil {
				for f, d := range ds {
					p.May["vetting."+string(f)] = d.Allowed
				}
			}
		}
	}
	keep := func(ls []link) []link {
		var out []link
		for _, l := range ls {
			if p.mayHref(l.Href) {
				out = append(out, l)
			}
		}
		return out
	}
	switch v := v.(type) {
	case *tablePage:
		v.Actions = keep(v.Actions)
	case *detailsPage:
		v.Actions = keep(v.Actions)
	case *recordPage:
		v.Actions = keep(v.Actions)
	case *registersPage:
		for i := range v.Groups {
			var ls []registerLink
			for _, l := range v.Groups[i].Links {
				if p.mayHref(l.Href) {
					ls = append(ls, l)
				}
			}
			v.Groups[i].Links = ls
		}
	}
}

// mayHref reports whether a link may be shown: any link but to a form the page's reader may not use.
func (p *Page) mayHref(href string) bool {
	path, _, _ := strings.Cut(href, "?")
	if f, ok := vettingFormPaths[path]; ok {
		return p.May["vetting."+string(f)]
	}
	f, ok := formPaths[path]
	return !ok || p.May[string(f)]
}

// offer answers nil when the signed-in person may use form f; else its refusal, recorded (a 403 page naming the
// rule and the audit entry).
func (s *server) offer(r *http.Request, u *uiSession, f registry.Form) error {
	return s.reg.OfferForm(r.Context(), u.Actor, f)
}
