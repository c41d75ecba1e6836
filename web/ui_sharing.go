package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/sharing"
)

// The pages of sharing with partners (issue 21, S1), over the same service methods as the API: the register of
// partners, a piece's releases with the form to release it (one releasability set; the API takes several), the
// proposals waiting for a second person, and revocation with its reason.

// sharingPages registers the pages, from New.
func (s *server) sharingPages(page func(pattern string, h uiHandler)) {
	page("GET /ui/partners", s.uiPartners)
	page("GET /ui/partners/new", s.uiPartnerForm)
	page("POST /ui/partners", s.uiPartnerRecord)
	page("GET /ui/pieces/{id}/releases", s.uiReleases)
	page("GET /ui/pieces/{id}/releases/new", s.uiReleaseForm)
	page("POST /ui/pieces/{id}/releases", s.uiRelease)
	page("GET /ui/releases/pending", s.uiPendingReleases)
	page("POST /ui/releases/{id}/approve", s.uiApproveRelease)
	page("GET /ui/releases/{id}/revoke", s.uiRevokeForm)
	page("POST /ui/releases/{id}/revoke", s.uiRevokeRelease)
}

// uiPartners serves GET /ui/partners: Partners, by organisation ID.
func (s *server) uiPartners(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	sh, err := s.sharer()
	if err != nil {
		return err
	}
	pq, err := idPage[cleared.OrganisationID](r)
	if err != nil {
		return err
	}
	ps, err := sh.Partners(r.Context(), u.Actor, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	p := &tablePage{Page: Page{Title: "partners.title", Nav: "registers"}, Intro: "partners.intro", Caption: "partners.title",
		Columns: []string{"partner.name", "partner.scheme", "partner.max_level", "partner.groups", "partner.certificates", "partner.state", "common.id"},
		Empty:   "list.empty", Actions: []link{{Href: "/ui/releases/pending", Key: "releases.pending.title"},
			{Href: "/ui/inbox", Key: "inbox.title"}}}
	if d, err := sh.MayRecordPartners(r.Context(), u.Actor); err == nil && d.Allowed {
		p.Actions = append([]link{{Href: "/ui/partners/new", Key: "partners.new"}}, p.Actions...)
	}
	now := time.Now()
	for _, pt := range ps {
		state := keyCell("partner.in_force")
		if !pt.AccreditedAt(now) {
			state = keyCell("partner.not_in_force")
		}
		p.Rows = append(p.Rows, row{ID: string(pt.Organisation), Cells: []cell{linkCell(pt.Name, "/ui/organisations/"+string(pt.Organisation)),
			textCell(string(pt.Scheme)), levelCell(pt.MaxLevel), textCell(strings.Join(pt.Groups, ", ")),
			textCell(strconv.Itoa(len(pt.Certificates))), state, codeCell(string(pt.Organisation))}})
	}
	if n := len(ps); n > 0 {
		p.Next = nextHref("/ui/partners", r.URL.Query(), n, pq.limit, string(ps[n-1].Organisation))
	}
	return s.render(w, r, u, http.StatusOK, p)
}

// releaseRow is a release as a row: its state, level, markings, who proposed and approved it, and who it reaches.
func releaseRow(rel cleared.Release, n names, u *uiSession) row {
	var aud []string
	for _, o := range rel.Audience {
		aud = append(aud, n[string(o)].Text)
	}
	action := textCell("")
	if rel.State != cleared.ReleaseRevoked {
		action = cell{Href: "/ui/releases/" + string(rel.ID) + "/revoke", Key: "release.revoke", ID: "revoke-" + string(rel.ID)}
	}
	marks := string(rel.TLP)
	if rel.PAP != "" {
		marks += " PAP:" + string(rel.PAP)
	}
	return row{ID: string(rel.ID), Cells: []cell{keyCell("release.state." + string(rel.State)), levelCell(rel.Level), textCell(marks),
		textCell(n[string(rel.ProposedBy)].Text + " · " + formatTime(rel.Proposed)), textCell(n[string(rel.ApprovedBy)].Text),
		textCell(strings.Join(aud, ", ")), action, codeCell(string(rel.ID))}}
}

var releaseColumns = []string{"release.state", "release.level", "release.markings", "release.proposed", "release.approved_by",
	"release.audience", "release.action", "common.id"}

// releaseNames names the persons and partners of rs.
func (s *server) releaseNames(r *http.Request, u *uiSession, rs []cleared.Release) names {
	var ids []string
	for _, rel := range rs {
		ids = append(ids, string(rel.ProposedBy), string(rel.ApprovedBy))
		for _, o := range rel.Audience {
			ids = append(ids, string(o))
		}
	}
	return s.names(r, u, ids...)
}

// uiReleases serves GET /ui/pieces/{id}/releases: PieceReleases, to who acts for the originator.
func (s *server) uiReleases(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	sh, err := s.sharer()
	if err != nil {
		return err
	}
	id, err := pieceID(r)
	if err != nil {
		return err
	}
	rs, err := sh.PieceReleases(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	p, err := s.reg.Piece(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	pg := &tablePage{Page: Page{Title: "releases.title", Nav: "pieces", Banner: bannerOf(p)}, Intro: "releases.intro",
		Caption: "releases.title", Empty: "releases.none", Columns: releaseColumns,
		Actions: []link{{Href: "/ui/pieces/" + string(id) + "/releases/new", Key: "release.new"}, {Href: "/ui/pieces/" + string(id), Key: "copies.back"}}}
	n := s.releaseNames(r, u, rs)
	for _, rel := range rs {
		pg.Rows = append(pg.Rows, releaseRow(rel, n, u))
	}
	return s.render(w, r, u, http.StatusOK, pg)
}

// releaseForm is the form to release piece id to one set of partners and groups, with its TLP and PAP.
func (s *server) releaseForm(r *http.Request, u *uiSession, id cleared.PieceID) (*formPage, error) {
	sh, err := s.sharer()
	if err != nil {
		return nil, err
	}
	ps, err := sh.Partners(r.Context(), u.Actor, "", maxListLimit)
	if err != nil {
		return nil, err
	}
	var partners, groups []option
	seen := map[string]bool{}
	for _, p := range ps {
		partners = append(partners, option{Value: string(p.Organisation), Text: p.Name + " (" + string(p.Scheme) + ")"})
		for _, g := range p.Groups {
			if !seen[g] {
				seen[g] = true
				groups = append(groups, option{Value: g, Text: g})
			}
		}
	}
	tlp := []option{{Value: "", Key: "release.none"}}
	for _, t := range []cleared.TLP{cleared.TLPClear, cleared.TLPGreen, cleared.TLPAmber, cleared.TLPAmberStrict, cleared.TLPRed} {
		tlp = append(tlp, option{Value: string(t), Text: "TLP:" + strings.ToUpper(string(t))})
	}
	pap := []option{{Value: "", Key: "release.none"}}
	for _, p := range []cleared.PAP{cleared.PAPClear, cleared.PAPGreen, cleared.PAPAmber, cleared.PAPRed} {
		pap = append(pap, option{Value: string(p), Text: "PAP:" + strings.ToUpper(string(p))})
	}
	return &formPage{Page: Page{Title: "release.new", Nav: "pieces"}, Intro: "release.new.intro",
		Action: "/ui/pieces/" + string(id) + "/releases", Submit: "release.submit",
		Links: []link{{Href: "/ui/pieces/" + string(id) + "/releases", Key: "releases.title"}}, Fields: []field{
			{Name: "partners", Label: "release.partners", Help: "release.partners.help", Kind: "checks", Options: partners},
			{Name: "groups", Label: "release.groups", Help: "release.groups.help", Kind: "checks", Options: groups},
			{Name: "tlp", Label: "release.tlp", Kind: "select", Options: tlp},
			{Name: "pap", Label: "release.pap", Kind: "select", Options: pap},
			{Name: "reason", Label: "release.reason", Kind: "textarea"},
		}}, nil
}

// uiReleaseForm serves GET /ui/pieces/{id}/releases/new.
func (s *server) uiReleaseForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := pieceID(r)
	if err != nil {
		return err
	}
	f, err := s.releaseForm(r, u, id)
	if err != nil {
		return err
	}
	return s.pieceForm(w, r, u, id, f)
}

// uiRelease serves POST /ui/pieces/{id}/releases: Release, then the piece's releases.
func (s *server) uiRelease(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	sh, err := s.sharer()
	if err != nil {
		return err
	}
	id, err := pieceID(r)
	if err != nil {
		return err
	}
	v := r.PostForm
	var set cleared.ReleasabilitySet
	for _, p := range v["partners"] {
		set.Partners = append(set.Partners, cleared.OrganisationID(p))
	}
	set.Groups = v["groups"]
	in := sharing.NewRelease{Sets: []cleared.ReleasabilitySet{set}, TLP: cleared.TLP(formText(v, "tlp")), PAP: cleared.PAP(formText(v, "pap")),
		Reason: formText(v, "reason")}
	rel, err := sh.Release(r.Context(), u.Actor, id, in)
	if err == nil {
		ok := "released"
		if rel.State == cleared.ReleaseProposed {
			ok = "release_proposed"
		}
		return seeOther(w, r, "/ui/pieces/"+string(id)+"/releases", ok)
	}
	f, ferr := s.releaseForm(r, u, id)
	if ferr != nil {
		return ferr
	}
	return s.formFail(w, r, u, f, err)
}

// uiPendingReleases serves GET /ui/releases/pending: the proposals the reader may approve, each with its button.
func (s *server) uiPendingReleases(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	sh, err := s.sharer()
	if err != nil {
		return err
	}
	pq, err := idPage[cleared.ReleaseID](r)
	if err != nil {
		return err
	}
	rs, err := sh.Pending(r.Context(), u.Actor, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	pg := &tablePage{Page: Page{Title: "releases.pending.title", Nav: "pieces"}, Intro: "releases.pending.intro",
		Caption: "releases.pending.title", Empty: "releases.none",
		Columns: []string{"release.piece", "release.level", "release.proposed", "release.reason", "release.action", "common.id"}}
	n := s.releaseNames(r, u, rs)
	var hi cleared.Level
	for _, rel := range rs {
		hi = max(hi, rel.Level)
		pg.Rows = append(pg.Rows, row{ID: string(rel.ID), Cells: []cell{linkCell(string(rel.Piece), "/ui/pieces/"+string(rel.Piece)+"/releases"),
			levelCell(rel.Level), textCell(n[string(rel.ProposedBy)].Text + " · " + formatTime(rel.Proposed)), textCell(rel.Reason),
			{Post: "/ui/releases/" + string(rel.ID) + "/approve", CSRF: u.CSRF, Key: "release.approve", ID: "approve-" + string(rel.ID)},
			codeCell(string(rel.ID))}})
	}
	if hi.Classified() {
		pg.Banner = bannerOf(cleared.Piece{Level: hi})
	}
	if k := len(rs); k > 0 {
		pg.Next = nextHref("/ui/releases/pending", r.URL.Query(), k, pq.limit, string(rs[k-1].ID))
	}
	return s.render(w, r, u, http.StatusOK, pg)
}

// releaseID reads the {id} of a release's page; a malformed one is no such page.
func releaseID(r *http.Request) (cleared.ReleaseID, error) {
	id := cleared.ReleaseID(r.PathValue("id"))
	if id.Validate() != nil {
		return "", cleared.ErrNotFound
	}
	return id, nil
}

// uiApproveRelease serves POST /ui/releases/{id}/approve: Approve, then the piece's releases.
func (s *server) uiApproveRelease(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	sh, err := s.sharer()
	if err != nil {
		return err
	}
	id, err := releaseID(r)
	if err != nil {
		return err
	}
	rel, err := sh.Approve(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	return seeOther(w, r, "/ui/pieces/"+string(rel.Piece)+"/releases", "released")
}

func revokeForm(id cleared.ReleaseID) *formPage {
	return &formPage{Page: Page{Title: "release.revoke", Nav: "pieces"}, Intro: "release.revoke.intro",
		Action: "/ui/releases/" + string(id) + "/revoke", Submit: "release.revoke",
		Links: []link{{Href: "/ui/releases/pending", Key: "releases.pending.title"}}, Fields: []field{
			{Name: "reason", Label: "release.reason", Help: "release.revoke.reason.help", Kind: "textarea", Required: true},
		}}
}

// uiRevokeForm serves GET /ui/releases/{id}/revoke.
func (s *server) uiRevokeForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := releaseID(r)
	if err != nil {
		return err
	}
	return s.render(w, r, u, http.StatusOK, revokeForm(id))
}

// uiRevokeRelease serves POST /ui/releases/{id}/revoke: Revoke, then the piece's releases.
func (s *server) uiRevokeRelease(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	sh, err := s.sharer()
	if err != nil {
		return err
	}
	id, err := releaseID(r)
	if err != nil {
		return err
	}
	rel, err := sh.Revoke(r.Context(), u.Actor, id, formText(r.PostForm, "reason"))
	if err != nil {
		return s.formFail(w, r, u, revokeForm(id), err)
	}
	return seeOther(w, r, "/ui/pieces/"+string(rel.Piece)+"/releases", "revoked")
}

// partnerForm is the NSA's form to record a partner or change its record: the organisation, its scheme (national,
// TLP, or one of the equivalence table in force), highest level, groups, channels, agreement and suspension. The
// certificates a record holds are kept: `cleared partner issue` adds them.
func (s *server) partnerForm(r *http.Request, u *uiSession) (*formPage, error) {
	orgs, err := s.reg.Organisations(r.Context(), u.Actor, "", maxListLimit)
	if err != nil {
		return nil, err
	}
	var orgOpts []option
	for _, o := range orgs {
		if o.Kind == cleared.ForeignPartner || o.Kind == cleared.PublicBody {
			orgOpts = append(orgOpts, option{Value: string(o.ID), Text: o.Name})
		}
	}
	schemes := []option{{Value: string(cleared.SchemeNational), Text: "LU"}, {Value: string(cleared.SchemeTLP), Text: "TLP"}}
	if t, err := s.reg.Equivalence(r.Context(), u.Actor); err == nil {
		var names []string
		for sc := range t.Schemes {
			names = append(names, string(sc))
		}
		slices.Sort(names)
		for _, n := range names {
			schemes = append(schemes, option{Value: n, Text: n})
		}
	}
	cs, err := s.reg.Channels(r.Context(), u.Actor, "", maxListLimit)
	if err != nil {
		return nil, err
	}
	var chans []option
	for _, c := range cs {
		chans = append(chans, option{Value: string(c.ID), Text: c.Name})
	}
	return &formPage{Page: Page{Title: "partners.new", Nav: "registers"}, Intro: "partners.new.intro", Action: "/ui/partners",
		Submit: "form.register", Links: []link{{Href: "/ui/partners", Key: "partners.title"}}, Fields: []field{
			{Name: "organisation", Label: "partner.organisation", Kind: "select", Required: true, Options: choose(orgOpts)},
			{Name: "scheme", Label: "partner.scheme", Help: "partner.scheme.help", Kind: "select", Required: true, Options: choose(schemes)},
			{Name: "max_level", Label: "partner.max_level", Kind: "select", Required: true, Options: choose(levelOptions(true))},
			{Name: "groups", Label: "partner.groups", Help: "partner.groups.help", Kind: "text"},
			{Name: "channels", Label: "partner.channels", Help: "partner.channels.help", Kind: "checks", Options: chans},
			{Name: "acs", Label: "partner.acs", Kind: "checkbox"},
			{Name: "accredited_from", Label: "partner.accredited_from", Help: "form.date_today.help", Kind: "date"},
			{Name: "accredited_until", Label: "partner.accredited_until", Kind: "date"},
			{Name: "suspended", Label: "partner.suspended", Kind: "checkbox"},
		}}, nil
}

// uiPartnerForm serves GET /ui/partners/new, to who keeps the register (else the refusal, A20.1).
func (s *server) uiPartnerForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	sh, err := s.sharer()
	if err != nil {
		return err
	}
	if d, err := sh.MayRecordPartners(r.Context(), u.Actor); err != nil {
		return err
	} else if !d.Allowed {
		return d.Err()
	}
	f, err := s.partnerForm(r, u)
	if err != nil {
		return err
	}
	f.prefill(r.URL.Query())
	return s.render(w, r, u, http.StatusOK, f)
}

// uiPartnerRecord serves POST /ui/partners: RecordPartner, keeping the certificates the record holds.
func (s *server) uiPartnerRecord(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	sh, err := s.sharer()
	if err != nil {
		return err
	}
	v := r.PostForm
	org := cleared.OrganisationID(formText(v, "organisation"))
	in := sharing.NewPartner{Scheme: cleared.Scheme(formText(v, "scheme")), ACS: formBool(v, "acs"), Suspended: formBool(v, "suspended")}
	for _, g := range strings.Split(formText(v, "groups"), ",") {
		if g = strings.TrimSpace(g); g != "" {
			in.Groups = append(in.Groups, g)
		}
	}
	for _, c := range v["channels"] {
		in.Channels = append(in.Channels, cleared.ChannelID(c))
	}
	if in.MaxLevel, err = formLevel(v, "max_level", "partner.max_level"); err == nil {
		if in.AccreditedFrom, err = formDate(v, "accredited_from", "partner.accredited_from"); err == nil {
			in.AccreditedUntil, err = formDate(v, "accredited_until", "partner.accredited_until")
		}
	}
	if err == nil && org.Validate() == nil {
		if old, perr := sh.Partner(r.Context(), u.Actor, org); perr == nil {
			in.Certificates = old.Certificates
		}
	}
	if err == nil {
		if _, err = sh.RecordPartner(r.Context(), u.Actor, org, in); err == nil {
			return seeOther(w, r, "/ui/partners", "partner")
		}
	}
	f, ferr := s.partnerForm(r, u)
	if ferr != nil {
		return ferr
	}
	return s.formFail(w, r, u, f, err)
}
