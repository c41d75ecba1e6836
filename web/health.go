package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// healthz serves GET /healthz: the process answers. It needs no token and touches nothing.
func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	if err := ok(w, map[string]string{"status": "ok"}); err != nil {
		s.fail(w, r, err)
	}
}

// readyz serves GET /readyz: the server can act on requests (its database answers, its key ring holds a key, the
// audit log can be written: registry.Service.Ready). It needs no token; a failure is 503, with the sentence the
// check wrote for people (cleared.Message: "the audit log cannot be written…") when it has one, its cause (a
// driver's text, which names hosts and tables) logged, not shown.
func (s *server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		if err := s.ready(ctx); err != nil {
			s.log.LogAttrs(r.Context(), slog.LevelWarn, "not ready", slog.String("error", err.Error()))
			writeProblem(w, newProblem(http.StatusServiceUnavailable, userText(err, detailUnavailable)))
			return
		}
	}
	if err := ok(w, map[string]string{"status": "ready"}); err != nil {
		s.fail(w, r, err)
	}
}
