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

// readyz serves GET /readyz: the server can answer requests (its database answers). It needs no token; a failure
// is 503, its cause logged, not shown.
func (s *server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		if err := s.ready(ctx); err != nil {
			s.log.LogAttrs(r.Context(), slog.LevelWarn, "not ready", slog.String("error", err.Error()))
			writeProblem(w, newProblem(http.StatusServiceUnavailable, detailUnavailable))
			return
		}
	}
	if err := ok(w, map[string]string{"status": "ready"}); err != nil {
		s.fail(w, r, err)
	}
}
