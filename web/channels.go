package web

import (
	"net/http"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
)

// channelList serves GET /api/channels: Channels, by ID.
func (s *server) channelList(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	pq, err := idPage[cleared.ChannelID](r)
	if err != nil {
		return err
	}
	cs, err := s.reg.Channels(r.Context(), a, pq.cursor, pq.limit)
	if err != nil {
		return err
	}
	return idList(w, cs, pq.limit, func(c cleared.Channel) cleared.ChannelID { return c.ID })
}

// channelCreate serves POST /api/channels: RegisterChannel.
func (s *server) channelCreate(w http.ResponseWriter, r *http.Request, a cleared.Actor) error {
	var in registry.NewChannel
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.reg.RegisterChannel(r.Context(), a, in)
	if err != nil {
		return err
	}
	return created(w, "/api/channels/"+string(c.ID), c)
}
