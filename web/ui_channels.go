package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// uiChannels serves GET /ui/channels: Channels, by ID (A11.1).
func (s *server) uiChannels(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	pq, err := idPage[cleared.ChannelID](r)
	if err != nil {
		return err
	}
	cs, err := s.reg.Channels(r.Context(), u.Actor, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	p := &tablePage{Page: Page{Title: "channels.title", Nav: "registers"}, Intro: "channels.intro", Caption: "channels.title",
		Columns: []string{"channel.name", "channel.max_level", "channel.crypto_product", "channel.from", "channel.until", "common.id"},
		Empty:   "list.empty", Actions: []link{{Href: "/ui/channels/new", Key: "channels.new"}}}
	for _, c := range cs {
		p.Rows = append(p.Rows, row{ID: string(c.ID), Cells: []cell{linkCell(c.Name, "/ui/channels/"+string(c.ID)), levelCell(c.MaxLevel), textCell(c.CryptoProduct),
			textCell(formatDate(c.From)), textCell(formatDate(c.Until)), codeCell(string(c.ID))}})
	}
	if n := len(cs); n > 0 {
		p.Next = nextHref("/ui/channels", r.URL.Query(), n, pq.limit, string(cs[n-1].ID))
	}
	return s.render(w, r, u, http.StatusOK, p)
}

func channelForm() *formPage {
	return &formPage{Page: Page{Title: "channels.new", Nav: "registers"}, Intro: "channels.new.intro", Action: "/ui/channels",
		Submit: "form.register", Links: []link{{Href: "/ui/channels", Key: "channels.title"}}, Fields: []field{
			{Name: "name", Label: "channel.name", Kind: "text", Required: true},
			{Name: "max_level", Label: "channel.max_level", Kind: "select", Required: true, Options: choose(levelOptions(false))},
			{Name: "product", Label: "channel.product", Help: "channel.product.help", Kind: "text"},
			{Name: "crypto_product", Label: "channel.crypto_product", Help: "channel.crypto_product.help", Kind: "text"},
			{Name: "from", Label: "channel.from", Help: "form.date_today.help", Kind: "date"},
			{Name: "until", Label: "channel.until", Kind: "date", Required: true},
		}}
}

// uiChannelForm serves GET /ui/channels/new.
func (s *server) uiChannelForm(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	if err := s.offer(r, u, registry.FormChannel); err != nil { // issue 18 §0: offered only to who may
		return err
	}
	return s.render(w, r, u, http.StatusOK, channelForm())
}

// uiChannelCreate serves POST /ui/channels: RegisterChannel.
func (s *server) uiChannelCreate(w http.ResponseWriter, r *http.Request, u *uiSession) error {
	v := r.PostForm
	in := registry.NewChannel{Name: formText(v, "name"), CryptoProduct: formText(v, "crypto_product"),
		Product: cleared.CryptoProductID(formText(v, "product"))}
	var err error
	if in.MaxLevel, err = formLevel(v, "max_level", "channel.max_level"); err == nil {
		if in.From, err = formDate(v, "from", "channel.from"); err == nil {
			in.Until, err = formDate(v, "until", "channel.until")
		}
	}
	if err == nil {
		if _, err = s.reg.RegisterChannel(r.Context(), u.Actor, in); err == nil {
			return seeOther(w, r, "/ui/channels", "channel")
		}
	}
	return s.formFail(w, r, u, channelForm(), err)
}
