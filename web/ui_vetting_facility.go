package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/vetting"
)

// The pages of facility clearances (issue 20 §3; A15.1, A21.2), for the NSA and the security officers of the
// contracting organisation and of the company: the list of facility cases, the opening of one for a contract, the
// case's page with its organs, its means and its readiness (who lacks what), and the forms that list an organ and
// record the means. Registered by New.
func (s *server) vettingFacilityPages(page func(pattern string, h uiHandler)) {
	page("GET /ui/facility-cases", s.uiFacilityCases)
	page("GET /ui/facility-cases/new", s.uiFacilityCaseForm)
	page("POST /ui/facility-cases", s.uiFacilityCaseOpen)
	page("GET /ui/facility-cases/{id}", s.uiFacilityCase)
	page("GET /ui/facility-cases/{id}/organs/new", s.uiFacilityOrganForm)
	page("POST /ui/facility-cases/{id}/organs", s.uiFacilityOrganAdd)
	page("POST /ui/facility-cases/{id}/organs/{organ}/remove", s.uiFacilityOrganRemove)
	page("GET /ui/facility-cases/{id}/means", s.uiFacilityMeansForm)
	page("POST /ui/facility-cases/{id}/means", s.uiFacilityMeansRecord)
}

// How many rows of each kind the means' form offers; the API takes more.
const (
	maxPlaceRows   = 3
	maxSystemRows  = 2
	maxStorageRows = 3
)

// uiFacilityCases serves GET /ui/facility-cases: FacilityCases, those the reader may see (A21.2).
func (s *server) uiFacilityCases(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	cs, err := s.vet.FacilityCases(r.Context(), u.Actor, 0)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(cs))
	for _, c := range cs {
		ids = append(ids, string(c.OrganisationID))
	}
	n := s.names(r, u, ids...)
	p := &tablePage{Page: Page{Title: "facility.title", Nav: "registers"}, Intro: "facility.intro", Caption: "facility.title",
		Columns: []string{"facility.company", "assignment.contract", "post.level", "facility.stage", "common.id"}, Empty: "list.empty"}
	if s.offerVetting(r, u, vetting.FormContract) == nil {
		p.Actions = []link{{Href: "/ui/facility-cases/new", Key: "facility.new"}}
	}
	for _, c := range cs {
		p.Rows = append(p.Rows, row{ID: string(c.ID), Cells: []cell{n.cell(string(c.OrganisationID)), codeCell(string(c.Contract)),
			levelCell(c.Level), cell{Key: "facility.stage." + string(c.Stage), Href: "/ui/facility-cases/" + string(c.ID), ID: "case-" + string(c.ID)},
			codeCell(string(c.ID))}})
	}
	return s.render(w, r, u, http.StatusOK, p)
}

// facilityCaseForm is the opening's form: the contracts the reader answers for.
func (s *server) facilityCaseForm(r *http.Request, u *uiSession) (*formPage, error) {
	cs, err := s.vet.Contracts(r.Context(), u.Actor, "", 0)
	if err != nil {
		return nil, err
	}
	var opts []option
	for _, c := range cs {
		opts = append(opts, option{Value: string(c.ID), Text: c.Reference})
	}
	return &formPage{Page: Page{Title: "facility.new", Nav: "registers"}, Intro: "facility.new.intro", Action: "/ui/facility-cases",
		Submit: "facility.open", Links: []link{{Href: "/ui/facility-cases", Key: "facility.title"}}, Fields: []field{
			{Name: "contract", Label: "assignment.contract", Help: "facility.contract.help", Kind: "select", Required: true, Options: choose(opts)},
		}}, nil
}

// uiFacilityCaseForm serves GET /ui/facility-cases/new, offered to a security officer in office or the NSA.
func (s *server) uiFacilityCaseForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	if err := s.offerVetting(r, u, vetting.FormContract); err != nil {
		return err
	}
	f, err := s.facilityCaseForm(r, u)
	if err != nil {
		return err
	}
	f.prefill(r.URL.Query())
	return s.render(w, r, u, http.StatusOK, f)
}

// uiFacilityCaseOpen serves POST /ui/facility-cases: OpenFacilityCase.
func (s *server) uiFacilityCaseOpen(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v, err := s.vet.OpenFacilityCase(r.Context(), u.Actor, vetting.NewFacilityCase{Contract: cleared.ContractID(formText(r.PostForm, "contract"))})
	if err == nil {
		return seeOther(w, r, "/ui/facility-cases/"+string(v.ID), "facility_opened")
	}
	f, ferr := s.facilityCaseForm(r, u)
	if ferr != nil {
		return ferr
	}
	return s.formFail(w, r, u, f, err)
}

// facilityID reads the case's ID from the path; a malformed one is a case that does not exist.
func facilityID(r *http.Request) (cleared.VettingCaseID, error) {
	id := cleared.VettingCaseID(r.PathValue("id"))
	if id.Validate() != nil {
		return id, cleared.ErrNotFound
	}
	return id, nil
}

// uiFacilityCase serves GET /ui/facility-cases/{id}: the case, its readiness (who lacks what, A15.1, A21.2), its
// organs with what covers each, and its means; for who may change it, the buttons to list and remove organs and
// record the means.
func (s *server) uiFacilityCase(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := facilityID(r)
	if err != nil {
		return err
	}
	v, err := s.vet.FacilityCase(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	base := "/ui/facility-cases/" + string(id)
	ready := keyCell("facility.not_ready")
	if v.Readiness.Ready {
		ready = keyCell("facility.ready")
	}
	p := &recordPage{Page: Page{Title: "facility.page", Nav: "registers"}, Intro: "facility.page.intro", Items: []detail{
		{Label: "facility.company", Value: textCell(v.CompanyName)},
		{Label: "assignment.contract", Value: textCell(v.ContractReference)},
		{Label: "post.level", Value: levelCell(v.Level)},
		{Label: "facility.stage", Value: keyCell("facility.stage." + string(v.Stage)), ID: "case-stage"},
		{Label: "facility.readiness", Value: ready, ID: "readiness"},
		{Label: "facility.opened", Value: dateCell(v.Opened)},
		{Label: "common.id", Value: codeCell(string(v.ID))},
	}, Actions: []link{{Href: "/ui/facility-cases", Key: "facility.title"}}}
	open := !v.Stage.Closed()

	lacks := section{ID: "lacks", Title: "facility.lacks", Empty: "facility.lacks.none",
		Columns: []string{"facility.lack.rule", "facility.lack.who", "facility.role", "facility.lack.what", "facility.needs", "facility.holds"}}
	for i, l := range v.Readiness.Lacks {
		who, role := keyCell("facility.lack.company"), textCell("—")
		if l.PersonName != "" {
			who = textCell(l.PersonName)
		}
		if l.Role != "" {
			role = keyCell("facility.role." + string(l.Role))
		}
		lacks.Rows = append(lacks.Rows, row{ID: "lack-" + strconv.Itoa(i), Cells: []cell{textCell(l.Rule), who, role,
			keyCell("facility.lack." + l.Kind), levelOrDash(l.Needs), levelOrDash(l.Holds)}})
	}

	organs := section{ID: "organs", Title: "facility.organs", Empty: "facility.organs.none",
		Columns: []string{"facility.person", "facility.role", "facility.needs", "facility.holds", "facility.covered", "facility.covered_by", "facility.remove"}}
	for _, o := range v.Organs {
		by := codeCell(string(o.Clearance))
		if o.OwnCase != "" {
			by = cell{Key: "facility.stage." + string(o.OwnCaseStage), Href: "/ui/vetting-cases/" + string(o.OwnCase)}
		}
		remove := textCell("")
		if open {
			remove = cell{Post: base + "/organs/" + string(o.ID) + "/remove", CSRF: u.CSRF, Key: "facility.remove", ID: "remove-" + string(o.ID)}
		}
		organs.Rows = append(organs.Rows, row{ID: string(o.ID), Cells: []cell{textCell(o.PersonName), keyCell("facility.role." + string(o.Role)),
			levelCell(o.Needs), levelOrDash(o.Holds), yesNo(o.Covered), by, remove}})
	}

	places := section{ID: "places", Title: "facility.places", Empty: "facility.means.none",
		Columns: []string{"facility.description", "post.level", "facility.zone", "facility.place"}}
	systems := section{ID: "systems", Title: "facility.systems", Empty: "facility.means.none",
		Columns: []string{"facility.system", "facility.accreditation", "post.level", "facility.channel"}}
	storage := section{ID: "storage", Title: "facility.storage", Empty: "facility.means.none",
		Columns: []string{"facility.description", "facility.kind", "post.level", "facility.in_place"}}
	if m := v.Means; m != nil {
		for i, pl := range m.Places {
			places.Rows = append(places.Rows, row{ID: "place-" + strconv.Itoa(i), Cells: []cell{textCell(pl.Description),
				levelCell(pl.Level), yesNo(pl.SecurityZone), codeCell(string(pl.Place))}})
		}
		for i, sy := range m.Systems {
			systems.Rows = append(systems.Rows, row{ID: "system-" + strconv.Itoa(i), Cells: []cell{textCell(sy.Name),
				textCell(sy.Accreditation), levelCell(sy.Level), codeCell(string(sy.Channel))}})
		}
		for i, st := range m.Storage {
			in := ""
			if st.InPlace < len(m.Places) {
				in = m.Places[st.InPlace].Description
			}
			storage.Rows = append(storage.Rows, row{ID: "storage-" + strconv.Itoa(i), Cells: []cell{textCell(st.Description),
				keyCell("facility.kind." + string(st.Kind)), levelCell(st.Level), textCell(in)}})
		}
	}
	p.Sections = []section{lacks, organs, places, systems, storage}
	if open {
		p.Actions = append([]link{{Href: base + "/organs/new", Key: "facility.add_organ"}, {Href: base + "/means", Key: "facility.record_means"}}, p.Actions...)
	}
	return s.render(w, r, u, http.StatusOK, p)
}

// levelOrDash shows a level, or a dash for none.
func levelOrDash(l cleared.Level) cell {
	if !l.Classified() {
		return textCell("—")
	}
	return levelCell(l)
}

func facilityOrganForm(id cleared.VettingCaseID) *formPage {
	base := "/ui/facility-cases/" + string(id)
	return &formPage{Page: Page{Title: "facility.add_organ", Nav: "registers"}, Intro: "facility.organ.intro", Action: base + "/organs",
		Submit: "facility.add", Links: []link{{Href: base, Key: "facility.page"}}, Fields: []field{
			{Name: "person_id", Label: "facility.person", Help: "facility.person.help", Kind: "text", Required: true},
			{Name: "role", Label: "facility.role", Kind: "select", Required: true, Options: choose(enumOptions("facility.role.", cleared.OrganRoles...))},
			{Name: "clearance", Label: "facility.clearance", Help: "facility.clearance.help", Kind: "text"},
			{Name: "own_case", Label: "facility.own_case", Help: "facility.own_case.help", Kind: "text"},
		}}
}

// uiFacilityOrganForm serves GET /ui/facility-cases/{id}/organs/new, to who may see the case.
func (s *server) uiFacilityOrganForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := facilityID(r)
	if err != nil {
		return err
	}
	if _, err := s.vet.FacilityCase(r.Context(), u.Actor, id); err != nil {
		return err
	}
	f := facilityOrganForm(id)
	f.prefill(r.URL.Query())
	return s.render(w, r, u, http.StatusOK, f)
}

// uiFacilityOrganAdd serves POST /ui/facility-cases/{id}/organs: AddOrgan.
func (s *server) uiFacilityOrganAdd(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := facilityID(r)
	if err != nil {
		return err
	}
	v := r.PostForm
	in := vetting.NewOrgan{PersonID: cleared.PersonID(formText(v, "person_id")), Role: cleared.OrganRole(formText(v, "role")),
		Clearance: cleared.ClearanceID(formText(v, "clearance")), OwnCase: cleared.VettingCaseID(formText(v, "own_case"))}
	if _, err := s.vet.AddOrgan(r.Context(), u.Actor, id, in); err != nil {
		return s.formFail(w, r, u, facilityOrganForm(id), err)
	}
	return seeOther(w, r, "/ui/facility-cases/"+string(id), "facility_organ_added")
}

// uiFacilityOrganRemove serves POST /ui/facility-cases/{id}/organs/{organ}/remove: RemoveOrgan.
func (s *server) uiFacilityOrganRemove(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := facilityID(r)
	if err != nil {
		return err
	}
	organ := cleared.FacilityOrganID(r.PathValue("organ"))
	if organ.Validate() != nil {
		return cleared.ErrNotFound
	}
	if _, err := s.vet.RemoveOrgan(r.Context(), u.Actor, id, organ); err != nil {
		return err
	}
	return seeOther(w, r, "/ui/facility-cases/"+string(id), "facility_organ_removed")
}

func facilityMeansForm(id cleared.VettingCaseID) *formPage {
	base := "/ui/facility-cases/" + string(id)
	var fs []field
	for i := 1; i <= maxPlaceRows; i++ {
		n := strconv.Itoa(i)
		fs = append(fs, field{Name: "place_desc_" + n, Label: "facility.place_desc", Kind: "text", Required: i == 1},
			field{Name: "place_level_" + n, Label: "facility.place_level", Kind: "select", Options: choose(levelOptions(false))},
			field{Name: "place_zone_" + n, Label: "facility.zone", Kind: "checkbox"},
			field{Name: "place_id_" + n, Label: "facility.place", Help: "facility.place.help", Kind: "text"})
	}
	for i := 1; i <= maxSystemRows; i++ {
		n := strconv.Itoa(i)
		fs = append(fs, field{Name: "system_name_" + n, Label: "facility.system", Kind: "text"},
			field{Name: "system_accreditation_" + n, Label: "facility.accreditation", Kind: "text"},
			field{Name: "system_level_" + n, Label: "facility.system_level", Kind: "select", Options: choose(levelOptions(false))},
			field{Name: "system_channel_" + n, Label: "facility.channel", Help: "facility.channel.help", Kind: "text"})
	}
	for i := 1; i <= maxStorageRows; i++ {
		n := strconv.Itoa(i)
		fs = append(fs, field{Name: "storage_desc_" + n, Label: "facility.storage_desc", Kind: "text", Required: i == 1},
			field{Name: "storage_kind_" + n, Label: "facility.kind", Kind: "select", Options: choose(enumOptions("facility.kind.",
				cleared.StorageSafe, cleared.StorageStrongroom, cleared.StorageCabinet))},
			field{Name: "storage_level_" + n, Label: "facility.storage_level", Kind: "select", Options: choose(levelOptions(false))},
			field{Name: "storage_place_" + n, Label: "facility.in_place", Help: "facility.in_place.help", Kind: "number"})
	}
	return &formPage{Page: Page{Title: "facility.record_means", Nav: "registers"}, Intro: "facility.means.intro", Action: base + "/means",
		Submit: "facility.record", Links: []link{{Href: base, Key: "facility.page"}}, Fields: fs}
}

// meansValues turns recorded means into the form's values.
func meansValues(m *cleared.FacilityMeans) url.Values {
	v := url.Values{}
	if m == nil {
		return v
	}
	for i, p := range m.Places {
		if i < maxPlaceRows {
			n := strconv.Itoa(i + 1)
			v.Set("place_desc_"+n, p.Description)
			v.Set("place_level_"+n, p.Level.String())
			v.Set("place_id_"+n, string(p.Place))
			if p.SecurityZone {
				v.Set("place_zone_"+n, "on")
			}
		}
	}
	for i, sy := range m.Systems {
		if i < maxSystemRows {
			n := strconv.Itoa(i + 1)
			v.Set("system_name_"+n, sy.Name)
			v.Set("system_accreditation_"+n, sy.Accreditation)
			v.Set("system_level_"+n, sy.Level.String())
			v.Set("system_channel_"+n, string(sy.Channel))
		}
	}
	for i, st := range m.Storage {
		if i < maxStorageRows {
			n := strconv.Itoa(i + 1)
			v.Set("storage_desc_"+n, st.Description)
			v.Set("storage_kind_"+n, string(st.Kind))
			v.Set("storage_level_"+n, st.Level.String())
			v.Set("storage_place_"+n, strconv.Itoa(st.InPlace+1))
		}
	}
	return v
}

// meansInput turns the posted form into the means, as the API takes them: rows left empty are left out; places
// are numbered from 1 on the form.
func meansInput(v url.Values) (vetting.NewMeans, error) {
	var in vetting.NewMeans
	for i := 1; i <= maxPlaceRows; i++ {
		n := strconv.Itoa(i)
		p := cleared.MeansPlace{Description: formText(v, "place_desc_"+n), Place: cleared.PlaceID(formText(v, "place_id_"+n)),
			SecurityZone: formBool(v, "place_zone_"+n)}
		lv, err := formLevel(v, "place_level_"+n, "facility.place_level")
		if err != nil {
			return in, err
		}
		p.Level = lv
		if p.Description != "" || p.Place != "" || lv != cleared.Unclassified {
			in.Places = append(in.Places, p)
		}
	}
	for i := 1; i <= maxSystemRows; i++ {
		n := strconv.Itoa(i)
		sy := cleared.MeansSystem{Name: formText(v, "system_name_"+n), Accreditation: formText(v, "system_accreditation_"+n),
			Channel: cleared.ChannelID(formText(v, "system_channel_"+n))}
		lv, err := formLevel(v, "system_level_"+n, "facility.system_level")
		if err != nil {
			return in, err
		}
		sy.Level = lv
		if sy.Name != "" || sy.Accreditation != "" || sy.Channel != "" || lv != cleared.Unclassified {
			in.Systems = append(in.Systems, sy)
		}
	}
	for i := 1; i <= maxStorageRows; i++ {
		n := strconv.Itoa(i)
		st := cleared.MeansStorage{Description: formText(v, "storage_desc_"+n), Kind: cleared.StorageKind(formText(v, "storage_kind_"+n))}
		lv, err := formLevel(v, "storage_level_"+n, "facility.storage_level")
		if err != nil {
			return in, err
		}
		st.Level = lv
		if s := formText(v, "storage_place_"+n); s != "" {
			k, err := strconv.Atoi(s)
			if err != nil {
				return in, &inputError{field: "facility.in_place", message: "form.bad_number"}
			}
			st.InPlace = k - 1
		}
		if st.Description != "" || st.Kind != "" || lv != cleared.Unclassified {
			in.Storage = append(in.Storage, st)
		}
	}
	return in, nil
}

// uiFacilityMeansForm serves GET /ui/facility-cases/{id}/means: the form, filled with the means recorded.
func (s *server) uiFacilityMeansForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := facilityID(r)
	if err != nil {
		return err
	}
	v, err := s.vet.FacilityCase(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	f := facilityMeansForm(id)
	f.fill(meansValues(v.Means))
	return s.render(w, r, u, http.StatusOK, f)
}

// uiFacilityMeansRecord serves POST /ui/facility-cases/{id}/means: RecordMeans.
func (s *server) uiFacilityMeansRecord(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := facilityID(r)
	if err != nil {
		return err
	}
	in, err := meansInput(r.PostForm)
	if err == nil {
		if _, err = s.vet.RecordMeans(r.Context(), u.Actor, id, in); err == nil {
			return seeOther(w, r, "/ui/facility-cases/"+string(id), "facility_means_recorded")
		}
	}
	return s.formFail(w, r, u, facilityMeansForm(id), err)
}
