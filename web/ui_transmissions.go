package web

import (
	"net/http"
	"strconv"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// The pages of transmissions (Art. 11, A11.1, A11.2, S2), over the same service methods as the API. The piece's
// page links to the form to send it and to the list of its recipients only for who may use them
// (registry.TransmitSheet).

// transmissionPages registers the pages, from New.
func (s *server) transmissionPages(page func(pattern string, h uiHandler)) {
	page("GET /ui/pieces/{id}/transmissions/new", s.uiTransmissionForm)
	page("POST /ui/pieces/{id}/transmissions", s.uiTransmit)
	page("GET /ui/pieces/{id}/recipients", s.uiRecipients)
	page("GET /ui/transmissions/{id}", s.uiTransmission)
	page("POST /ui/transmissions/{id}/receipt", s.uiReceipt)
}

// transmissionForm is the form to send piece id: a person (by ID) or an organisation that receives, over one of
// the channels of the register; the copy, the purpose, the originator's consent and a note.
func (s *server) transmissionForm(r *http.Request, u *uiSession, id cleared.PieceID) (*formPage, error) {
	cs, err := s.reg.Channels(r.Context(), u.Actor, "", maxListLimit)
	if err != nil {
		return nil, err
	}
	var chans []option
	for _, c := range cs {
		chans = append(chans, option{Value: string(c.ID), Text: c.Name})
	}
	as, err := s.reg.Addressees(r.Context(), u.Actor, "", maxListLimit)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, a := range as {
		ids = append(ids, string(a.Organisation))
	}
	names := s.names(r, u, ids...)
	orgs := []option{{Value: "", Key: "transmission.to_person.option"}}
	for _, a := range as {
		orgs = append(orgs, option{Value: string(a.Organisation), Text: names[string(a.Organisation)].Text})
	}
	return &formPage{Page: Page{Title: "transmission.new", Nav: "pieces"}, Intro: "transmission.new.intro",
		Action: "/ui/pieces/" + string(id) + "/transmissions", Submit: "transmission.submit",
		Links: []link{{Href: "/ui/pieces/" + string(id), Key: "copies.back"}}, Fields: []field{
			{Name: "to_person", Label: "transmission.to_person", Help: "transmission.to_person.help", Kind: "text"},
			{Name: "to_organisation", Label: "transmission.to_organisation", Help: "transmission.to_organisation.help", Kind: "select", Options: orgs},
			{Name: "channel", Label: "transmission.channel", Help: "transmission.channel.help", Kind: "select", Required: true, Options: choose(chans)},
			{Name: "copy", Label: "transmission.copy", Help: "transmission.copy.help", Kind: "text"},
			{Name: "purpose", Label: "transmission.purpose", Help: "transmission.purpose.help", Kind: "text"},
			{Name: "originator_consent", Label: "transmission.originator_consent", Help: "transmission.originator_consent.help", Kind: "text"},
			{Name: "note", Label: "transmission.note", Kind: "textarea"},
		}}, nil
}

// maxListLimit is the most items a form's choices list.
const maxListLimit = 500

// uiTransmissionForm serves GET /ui/pieces/{id}/transmissions/new, to who may send the piece (else the refusal).
func (s *server) uiTransmissionForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := pieceID(r)
	if err != nil {
		return err
	}
	o, err := s.reg.TransmitSheet(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	if !o.Send {
		return o.NoSend
	}
	f, err := s.transmissionForm(r, u, id)
	if err != nil {
		return err
	}
	return s.pieceForm(w, r, u, id, f)
}

// uiTransmit serves POST /ui/pieces/{id}/transmissions: Transmit, then the transmission's page.
func (s *server) uiTransmit(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := pieceID(r)
	if err != nil {
		return err
	}
	v := r.PostForm
	in := registry.NewTransmission{ToPerson: cleared.PersonID(formText(v, "to_person")),
		ToOrganisation: cleared.OrganisationID(formText(v, "to_organisation")), Channel: cleared.ChannelID(formText(v, "channel")),
		Copy: cleared.CopyID(formText(v, "copy")), Purpose: formText(v, "purpose"),
		OriginatorConsent: formText(v, "originator_consent"), Note: formText(v, "note")}
	t, err := s.reg.Transmit(r.Context(), u.Actor, id, in)
	if err == nil {
		return seeOther(w, r, "/ui/transmissions/"+string(t.ID), "sent")
	}
	f, ferr := s.transmissionForm(r, u, id)
	if ferr != nil {
		return ferr
	}
	return s.formFail(w, r, u, f, err)
}

// sentRow is a transmission as a row of the recipients' list.
func sentRow(t registry.Sent) row {
	copyNo := "—"
	if t.CopyNumber > 0 {
		copyNo = strconv.Itoa(t.CopyNumber)
	}
	received := keyCell("transmission.unconfirmed")
	if t.Confirmed() {
		received = textCell(formatTime(t.Received))
	}
	return row{ID: string(t.ID), Cells: []cell{linkCell(formatTime(t.Sent), "/ui/transmissions/"+string(t.ID)),
		textCell(t.RecipientName), textCell(copyNo), textCell(t.ChannelName), textCell(t.SenderName), received}}
}

// uiRecipients serves GET /ui/pieces/{id}/recipients: every recipient of the piece and of its copies, to the
// originator and the NSA (A11.2).
func (s *server) uiRecipients(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id, err := pieceID(r)
	if err != nil {
		return err
	}
	ts, err := s.reg.Recipients(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	pg := &tablePage{Page: Page{Title: "recipients.title", Nav: "pieces"}, Intro: "recipients.intro", Caption: "recipients.title",
		Empty: "recipients.none", Columns: []string{"transmission.sent", "transmission.recipient", "transmission.copy",
			"transmission.channel", "transmission.sender", "transmission.received"},
		Actions: []link{{Href: "/ui/pieces/" + string(id), Key: "copies.back"}}}
	// The NSA lists the recipients of any piece without need-to-know of it: the page shows no title, and its banner
	// is the level of what was sent (A7.1).
	var hi cleared.Level
	for _, t := range ts {
		pg.Rows = append(pg.Rows, sentRow(t))
		hi = max(hi, t.Level)
	}
	if hi.Classified() && len(ts) > 0 {
		pg.Banner = bannerOf(cleared.Piece{ID: id, Level: hi})
	}
	return s.render(w, r, u, http.StatusOK, pg)
}

// uiTransmission serves GET /ui/transmissions/{id}: the entry, and the button to confirm its receipt for the
// recipient (A11.2).
func (s *server) uiTransmission(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.TransmissionID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	t, confirm, err := s.reg.TransmissionSheet(r.Context(), u.Actor, id)
	if err != nil {
		return err
	}
	pg := &detailsPage{Page: Page{Title: "transmission.title", Nav: "pieces", Banner: bannerOf(cleared.Piece{ID: t.Piece, Level: t.Level})},
		Intro: "transmission.intro"}
	copyNo := textCell("—")
	if t.CopyNumber > 0 {
		copyNo = textCell(strconv.Itoa(t.CopyNumber))
	}
	received := keyCell("transmission.unconfirmed")
	if t.Confirmed() {
		received = textCell(formatTime(t.Received))
	}
	pg.Items = []detail{
		{Label: "transmission.piece", Value: linkCell(string(t.Piece), "/ui/pieces/"+string(t.Piece)), ID: "transmission-piece"},
		{Label: "transmission.marking", Value: textCell(t.Marking)},
		{Label: "transmission.copy", Value: copyNo},
		{Label: "transmission.sender", Value: textCell(t.SenderName)},
		{Label: "transmission.recipient", Value: textCell(t.RecipientName), ID: "transmission-recipient"},
		{Label: "transmission.channel", Value: textCell(t.ChannelName)},
		{Label: "transmission.purpose", Value: textCell(t.Purpose)},
		{Label: "transmission.originator_consent", Value: textCell(t.OriginatorConsent)},
		{Label: "transmission.note", Value: textCell(t.Note)},
		{Label: "transmission.sent", Value: textCell(formatTime(t.Sent))},
		{Label: "transmission.received", Value: received, ID: "transmission-received"},
	}
	if confirm {
		pg.Items = append(pg.Items, detail{Label: "transmission.receipt", ID: "transmission-receipt",
			Value: cell{Post: "/ui/transmissions/" + string(id) + "/receipt", CSRF: u.CSRF, Key: "transmission.confirm", ID: "confirm-receipt"}})
	}
	return s.render(w, r, u, http.StatusOK, pg)
}

// uiReceipt serves POST /ui/transmissions/{id}/receipt: ConfirmReceipt.
func (s *server) uiReceipt(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	id := cleared.TransmissionID(r.PathValue("id"))
	if id.Validate() != nil {
		return cleared.ErrNotFound
	}
	if _, err := s.reg.ConfirmReceipt(r.Context(), u.Actor, id); err != nil {
		return err
	}
	return seeOther(w, r, "/ui/transmissions/"+string(id), "received")
}
