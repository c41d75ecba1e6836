package web

import (
	"net/http"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/vetting"
)

// The pages of Chapter 4's first step (issue 20, package vetting) for the security officer (posts, contracts,
// assignments and who lacks his clearance, A14.1) and the NSA (the register of exemptions). Registered by New.
func (s *server) vettingPages(page func(pattern string, h uiHandler)) {
	page("GET /ui/posts", s.uiPosts)
	page("GET /ui/posts/new", s.uiPostForm)
	page("POST /ui/posts", s.uiPostCreate)
	page("GET /ui/posts/{id}", s.uiPost)
	page("GET /ui/contracts", s.uiContracts)
	page("GET /ui/contracts/new", s.uiContractForm)
	page("POST /ui/contracts", s.uiContractCreate)
	page("GET /ui/contracts/{id}", s.uiContract)
	page("GET /ui/assignments", s.uiAssignments)
	page("GET /ui/assignments/new", s.uiAssignmentForm)
	page("POST /ui/assignments", s.uiAssignmentCreate)
	page("POST /ui/assignments/{id}/end", s.uiAssignmentEnd)
	page("GET /ui/exemptions", s.uiExemptions)
	page("GET /ui/exemptions/new", s.uiExemptionForm)
	page("POST /ui/exemptions", s.uiExemptionCreate)
	page("GET /ui/exemptions/members/new", s.uiMemberForm)
	page("POST /ui/exemptions/members", s.uiMemberCreate)
}

// offerVetting answers nil when the signed-in person may use form f of package vetting; else a 403 page naming
// the rule. The act itself is decided again, and audited, when the form is sent.
func (s *server) offerVetting(r *http.Request, u *uiSession, f vetting.Form) error {
	ds, err := s.vet.Forms(r.Context(), u.Actor)
	if err != nil {
		return err
	}
	if d, ok := ds[f]; ok {
		return d.Err()
	}
	return nil
}

// uiPosts serves GET /ui/posts: Posts, those the reader answers for (A14.1).
func (s *server) uiPosts(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	ps, err := s.vet.Posts(r.Context(), u.Actor, "", 0)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(ps))
	for _, p := range ps {
		ids = append(ids, string(p.OrganisationID))
	}
	n := s.names(r, u, ids...)
	p := &tablePage{Page: Page{Title: "posts.title", Nav: "registers"}, Intro: "posts.intro", Caption: "posts.title",
		Columns: []string{"post.title", "post.organisation", "post.level", "grant.from", "grant.until", "common.id"},
		Empty:   "list.empty", Actions: []link{{Href: "/ui/posts/new", Key: "posts.new"},
			{Href: "/ui/assignments?flagged=true", Key: "assignments.flagged"}, {Href: "/ui/contracts", Key: "contracts.title"}}}
	for _, x := range ps {
		p.Rows = append(p.Rows, row{ID: string(x.ID), Cells: []cell{linkCell(x.Title, "/ui/posts/"+string(x.ID)),
			n.cell(string(x.OrganisationID)), levelCell(x.Level), dateCell(x.From), dateCell(x.Until), codeCell(string(x.ID))}})
	}
	return s.render(w, r, u, http.StatusOK, p)
}

func postForm() *formPage {
	return &formPage{Page: Page{Title: "posts.new", Nav: "registers"}, Intro: "posts.new.intro", Action: "/ui/posts",
		Submit: "form.register", Links: []link{{Href: "/ui/posts", Key: "posts.title"}}, Fields: []field{
			{Name: "organisation_id", Label: "post.organisation", Help: "post.organisation.help", Kind: "text", Required: true},
			{Name: "title", Label: "post.title", Kind: "text", Required: true},
			{Name: "level", Label: "post.level", Help: "post.level.help", Kind: "select", Required: true, Options: choose(levelOptions(false))},
			{Name: "from", Label: "grant.from", Help: "form.date_today.help", Kind: "date"},
			{Name: "until", Label: "grant.until", Help: "post.until.help", Kind: "date"},
		}}
}

// uiPostForm serves GET /ui/posts/new, offered only to a security officer or the NSA (A14.1).
func (s *server) uiPostForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	if err := s.offerVetting(r, u, vetting.FormPost); err != nil {
		return err
	}
	f := postForm()
	f.prefill(r.URL.Query())
	return s.render(w, r, u, http.StatusOK, f)
}

// uiPostCreate serves POST /ui/posts: RecordPost.
func (s *server) uiPostCreate(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	in := vetting.NewPost{OrganisationID: cleared.OrganisationID(formText(v, "organisation_id")), Title: formText(v, "title")}
	var err error
	if in.Level, err = formLevel(v, "level", "post.level"); err == nil {
		if in.From, err = formDate(v, "from", "grant.from"); err == nil {
			in.Until, err = formDate(v, "until", "grant.until")
		}
	}
	if err == nil {
		var p cleared.Post
		if p, err = s.vet.RecordPost(r.Context(), u.Actor, in); err == nil {
			return seeOther(w, r, "/ui/posts/"+string(p.ID), "post")
		}
	}
	return s.formFail(w, r, u, postForm(), err)
}

// flagCell says whether an assignment's person is covered at the read; a flag (A14.1) links to his file, where his
// clearances are.
func flagCell(a vetting.AssignmentView) cell {
	switch {
	case !a.InForce:
		return keyCell("assignment.not_in_force")
	case a.Flagged:
		return cell{Key: "assignment.flagged", Href: "/ui/persons/" + string(a.PersonID), ID: "flag-" + string(a.ID)}
	}
	return keyCell("assignment.covered")
}

// assignmentsSection is the table of a post's or a contract's assignments, the flagged ones marked (A14.1).
// Each assignment in force can be ended from there (A14.1); the page is only shown to who may.
func assignmentsSection(as []vetting.AssignmentView, csrf string) section {
	sec := section{ID: "assignments", Title: "assignments.title", Empty: "list.empty",
		Columns: []string{"assignment.person", "grant.from", "grant.until", "assignment.flag", "assignment.end"}}
	for _, a := range as {
		end := textCell("")
		if a.InForce {
			end = cell{Post: "/ui/assignments/" + string(a.ID) + "/end", CSRF: csrf, Key: "assignment.end", ID: "end-" + string(a.ID)}
		}
		sec.Rows = append(sec.Rows, row{ID: string(a.ID), Cells: []cell{linkCell(a.PersonName, "/ui/persons/"+string(a.PersonID)),
			dateCell(a.From), dateCell(a.Until), flagCell(a), end}})
	}
	return sec
}

// uiAssignmentEnd serves POST /ui/assignments/{id}/end: EndAssignment, now (A14.1).
func (s *server) uiAssignmentEnd(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.AssignmentID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	a, err := s.vet.EndAssignment(r.Context(), u.Actor, id, time.Time{})
	if err != nil {
		return err
	}
	to := "/ui/posts/" + string(a.Post)
	if a.Contract != "" {
		to = "/ui/contracts/" + string(a.Contract)
	}
	return seeOther(w, r, to, "assignment_ended")
}

// uiPost serves GET /ui/posts/{id}: Post, its assignments and who lacks his clearance (A14.1).
func (s *server) uiPost(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.PostID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	p, err := s.vet.Post(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	n := s.names(r, u, string(p.OrganisationID))
	return s.render(w, r, u, http.StatusOK, &recordPage{Page: Page{Title: "post.page", Heading: p.Title, Nav: "registers"},
		Intro: "post.page.intro", Items: []detail{
			{Label: "post.organisation", Value: n.cell(string(p.OrganisationID))},
			{Label: "post.level", Value: levelCell(p.Level), ID: "post-level"},
			{Label: "grant.from", Value: dateCell(p.From)},
			{Label: "grant.until", Value: dateCell(p.Until)},
			{Label: "common.id", Value: codeCell(string(p.ID))},
		}, Sections: []section{assignmentsSection(p.Assignments, u.CSRF)},
		Actions: []link{{Href: "/ui/assignments/new?post=" + string(p.ID), Key: "assignments.new"}}})
}

// uiContracts serves GET /ui/contracts: Contracts (A14.1).
func (s *server) uiContracts(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	cs, err := s.vet.Contracts(r.Context(), u.Actor, "", 0)
	if err != nil {
		return err
	}
	var ids []string
	for _, c := range cs {
		ids = append(ids, string(c.OrganisationID), string(c.Contractor))
	}
	n := s.names(r, u, ids...)
	p := &tablePage{Page: Page{Title: "contracts.title", Nav: "registers"}, Intro: "contracts.intro", Caption: "contracts.title",
		Columns: []string{"contract.reference", "contract.organisation", "contract.contractor", "post.level", "grant.from", "grant.until"},
		Empty:   "list.empty", Actions: []link{{Href: "/ui/contracts/new", Key: "contracts.new"}}}
	for _, c := range cs {
		p.Rows = append(p.Rows, row{ID: string(c.ID), Cells: []cell{linkCell(c.Reference, "/ui/contracts/"+string(c.ID)),
			n.cell(string(c.OrganisationID)), n.cell(string(c.Contractor)), levelCell(c.Level), dateCell(c.From), dateCell(c.Until)}})
	}
	return s.render(w, r, u, http.StatusOK, p)
}

func contractForm() *formPage {
	return &formPage{Page: Page{Title: "contracts.new", Nav: "registers"}, Intro: "contracts.new.intro", Action: "/ui/contracts",
		Submit: "form.register", Links: []link{{Href: "/ui/contracts", Key: "contracts.title"}}, Fields: []field{
			{Name: "reference", Label: "contract.reference", Kind: "text", Required: true},
			{Name: "organisation_id", Label: "contract.organisation", Help: "post.organisation.help", Kind: "text", Required: true},
			{Name: "contractor", Label: "contract.contractor", Help: "contract.contractor.help", Kind: "text", Required: true},
			{Name: "level", Label: "post.level", Help: "post.level.help", Kind: "select", Required: true, Options: choose(levelOptions(false))},
			{Name: "from", Label: "grant.from", Help: "form.date_today.help", Kind: "date"},
			{Name: "until", Label: "grant.until", Help: "post.until.help", Kind: "date"},
		}}
}

// uiContractForm serves GET /ui/contracts/new.
func (s *server) uiContractForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	if err := s.offerVetting(r, u, vetting.FormContract); err != nil {
		return err
	}
	f := contractForm()
	f.prefill(r.URL.Query())
	return s.render(w, r, u, http.StatusOK, f)
}

// uiContractCreate serves POST /ui/contracts: RecordContract.
func (s *server) uiContractCreate(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	in := vetting.NewContract{Reference: formText(v, "reference"), OrganisationID: cleared.OrganisationID(formText(v, "organisation_id")),
		Contractor: cleared.OrganisationID(formText(v, "contractor"))}
	var err error
	if in.Level, err = formLevel(v, "level", "post.level"); err == nil {
		if in.From, err = formDate(v, "from", "grant.from"); err == nil {
			in.Until, err = formDate(v, "until", "grant.until")
		}
	}
	if err == nil {
		var c cleared.Contract
		if c, err = s.vet.RecordContract(r.Context(), u.Actor, in); err == nil {
			return seeOther(w, r, "/ui/contracts/"+string(c.ID), "contract")
		}
	}
	return s.formFail(w, r, u, contractForm(), err)
}

// uiContract serves GET /ui/contracts/{id}: Contract (A14.1).
func (s *server) uiContract(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.ContractID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	c, err := s.vet.Contract(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	n := s.names(r, u, string(c.OrganisationID), string(c.Contractor))
	return s.render(w, r, u, http.StatusOK, &recordPage{Page: Page{Title: "contract.page", Heading: c.Reference, Nav: "registers"},
		Intro: "contract.page.intro", Items: []detail{
			{Label: "contract.organisation", Value: n.cell(string(c.OrganisationID))},
			{Label: "contract.contractor", Value: n.cell(string(c.Contractor))},
			{Label: "post.level", Value: levelCell(c.Level), ID: "contract-level"},
			{Label: "grant.from", Value: dateCell(c.From)},
			{Label: "grant.until", Value: dateCell(c.Until)},
			{Label: "common.id", Value: codeCell(string(c.ID))},
		}, Sections: []section{assignmentsSection(c.Assignments, u.CSRF)},
		Actions: []link{{Href: "/ui/assignments/new?contract=" + string(c.ID), Key: "assignments.new"}}})
}

// uiAssignments serves GET /ui/assignments[?flagged=true]: Assignments, the security officer's list of who is
// assigned and who lacks the clearance his assignment needs (A14.1).
func (s *server) uiAssignments(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	flagged := r.URL.Query().Get("flagged") == "true"
	vs, err := s.vet.Assignments(r.Context(), u.Actor, vetting.AssignmentFilter{Flagged: flagged})
	if err != nil {
		return err
	}
	title := "assignments.title"
	if flagged {
		title = "assignments.flagged"
	}
	p := &tablePage{Page: Page{Title: title, Nav: "registers"}, Intro: "assignments.intro", Caption: title,
		Columns: []string{"assignment.person", "assignment.to", "post.level", "grant.from", "grant.until", "assignment.flag"},
		Empty:   "assignments.empty", Actions: []link{{Href: "/ui/assignments/new", Key: "assignments.new"}}}
	for _, a := range vs {
		to := linkCell(string(a.Post), "/ui/posts/"+string(a.Post))
		if a.Contract != "" {
			to = linkCell(string(a.Contract), "/ui/contracts/"+string(a.Contract))
		}
		to.Code = true
		p.Rows = append(p.Rows, row{ID: string(a.ID), Cells: []cell{linkCell(a.PersonName, "/ui/persons/"+string(a.PersonID)), to,
			levelCell(a.Level), dateCell(a.From), dateCell(a.Until), flagCell(a)}})
	}
	return s.render(w, r, u, http.StatusOK, p)
}

func assignmentForm() *formPage {
	return &formPage{Page: Page{Title: "assignments.new", Nav: "registers"}, Intro: "assignments.new.intro", Action: "/ui/assignments",
		Submit: "form.register", Links: []link{{Href: "/ui/posts", Key: "posts.title"}}, Fields: []field{
			{Name: "person_id", Label: "assignment.person", Help: "assignment.person.help", Kind: "text", Required: true},
			{Name: "post", Label: "assignment.post", Help: "assignment.post.help", Kind: "text"},
			{Name: "contract", Label: "assignment.contract", Kind: "text"},
			{Name: "from", Label: "grant.from", Help: "form.date_today.help", Kind: "date"},
			{Name: "until", Label: "grant.until", Help: "post.until.help", Kind: "date"},
		}}
}

// uiAssignmentForm serves GET /ui/assignments/new[?post=|?contract=].
func (s *server) uiAssignmentForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	if err := s.offerVetting(r, u, vetting.FormAssignment); err != nil {
		return err
	}
	f := assignmentForm()
	f.prefill(r.URL.Query())
	return s.render(w, r, u, http.StatusOK, f)
}

// uiAssignmentCreate serves POST /ui/assignments: Assign (A14.1).
func (s *server) uiAssignmentCreate(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	in := vetting.NewAssignment{PersonID: cleared.PersonID(formText(v, "person_id")), Post: cleared.PostID(formText(v, "post")),
		Contract: cleared.ContractID(formText(v, "contract"))}
	var err error
	if in.From, err = formDate(v, "from", "grant.from"); err == nil {
		in.Until, err = formDate(v, "until", "grant.until")
	}
	if err == nil {
		var a vetting.AssignmentView
		if a, err = s.vet.Assign(r.Context(), u.Actor, in); err == nil {
			to := "/ui/posts/" + string(a.Post)
			if a.Contract != "" {
				to = "/ui/contracts/" + string(a.Contract)
			}
			return seeOther(w, r, to, "assignment")
		}
	}
	return s.formFail(w, r, u, assignmentForm(), err)
}

// uiExemptions serves GET /ui/exemptions: Exemptions, the NSA's register of the categories exempt from clearance
// and their members (A14.1).
func (s *server) uiExemptions(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	cs, err := s.vet.Exemptions(r.Context(), u.Actor)
	if err != nil {
		return err
	}
	p := &recordPage{Page: Page{Title: "exemptions.title", Nav: "registers"}, Intro: "exemptions.intro",
		Actions: []link{{Href: "/ui/exemptions/new", Key: "exemptions.new"}, {Href: "/ui/exemptions/members/new", Key: "exemptions.member.new"}}}
	for _, c := range cs {
		sec := section{ID: "category-" + string(c.ID), Title: "exemptions.members", Empty: "list.empty",
			Columns: []string{"assignment.person", "exemption.reference", "grant.from", "grant.until", "exemption.in_force"}}
		p.Items = append(p.Items, detail{Label: "exemption.category", Value: textCell(c.Name + " — " + c.Basis + " (" + string(c.ID) + ")"),
			ID: "exemption-" + string(c.ID)})
		for _, m := range c.Members {
			sec.Rows = append(sec.Rows, row{ID: string(m.ID), Cells: []cell{linkCell(m.PersonName, "/ui/persons/"+string(m.PersonID)),
				textCell(m.Reference), dateCell(m.From), dateCell(m.Until), yesNo(m.InForce)}})
		}
		p.Sections = append(p.Sections, sec)
	}
	return s.render(w, r, u, http.StatusOK, p)
}

func exemptionForm() *formPage {
	return &formPage{Page: Page{Title: "exemptions.new", Nav: "registers"}, Intro: "exemptions.new.intro", Action: "/ui/exemptions",
		Submit: "form.register", Links: []link{{Href: "/ui/exemptions", Key: "exemptions.title"}}, Fields: []field{
			{Name: "name", Label: "exemption.name", Kind: "text", Required: true},
			{Name: "basis", Label: "exemption.basis", Help: "exemption.basis.help", Kind: "text", Required: true},
			{Name: "government", Label: "exemption.government", Help: "exemption.government.help", Kind: "checkbox"},
		}}
}

// uiExemptionForm serves GET /ui/exemptions/new, the NSA's (A20.1).
func (s *server) uiExemptionForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	if err := s.offerVetting(r, u, vetting.FormExemption); err != nil {
		return err
	}
	return s.render(w, r, u, http.StatusOK, exemptionForm())
}

// uiExemptionCreate serves POST /ui/exemptions: RecordExemptionCategory.
func (s *server) uiExemptionCreate(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	in := vetting.NewExemptionCategory{Name: formText(v, "name"), Basis: formText(v, "basis"), Government: formBool(v, "government")}
	if _, err := s.vet.RecordExemptionCategory(r.Context(), u.Actor, in); err != nil {
		return s.formFail(w, r, u, exemptionForm(), err)
	}
	return seeOther(w, r, "/ui/exemptions", "exemption")
}

func memberForm() *formPage {
	return &formPage{Page: Page{Title: "exemptions.member.new", Nav: "registers"}, Intro: "exemptions.member.intro",
		Action: "/ui/exemptions/members", Submit: "form.register", Links: []link{{Href: "/ui/exemptions", Key: "exemptions.title"}},
		Fields: []field{
			{Name: "category", Label: "exemption.category", Help: "exemption.category.help", Kind: "text", Required: true},
			{Name: "person_id", Label: "assignment.person", Help: "assignment.person.help", Kind: "text", Required: true},
			{Name: "reference", Label: "exemption.reference", Help: "exemption.reference.help", Kind: "text", Required: true},
			{Name: "from", Label: "grant.from", Help: "form.date_today.help", Kind: "date"},
			{Name: "until", Label: "grant.until", Help: "post.until.help", Kind: "date"},
		}}
}

// uiMemberForm serves GET /ui/exemptions/members/new.
func (s *server) uiMemberForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	if err := s.offerVetting(r, u, vetting.FormExemption); err != nil {
		return err
	}
	f := memberForm()
	f.prefill(r.URL.Query())
	return s.render(w, r, u, http.StatusOK, f)
}

// uiMemberCreate serves POST /ui/exemptions/members: RecordMembership.
func (s *server) uiMemberCreate(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	in := vetting.NewMembership{Category: cleared.ExemptionCategoryID(formText(v, "category")),
		PersonID: cleared.PersonID(formText(v, "person_id")), Reference: formText(v, "reference")}
	var err error
	if in.From, err = formDate(v, "from", "grant.from"); err == nil {
		in.Until, err = formDate(v, "until", "grant.until")
	}
	if err == nil {
		if _, err = s.vet.RecordMembership(r.Context(), u.Actor, in); err == nil {
			return seeOther(w, r, "/ui/exemptions", "exemption")
		}
	}
	return s.formFail(w, r, u, memberForm(), err)
}
