package act_test

import (
	"bytes"
	"errors"
	"log/slog"
	"sync"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
)

// syncBuffer is a log sink the services may write to from their goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// take returns what was written since the last take.
func (s *syncBuffer) take() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.b.String()
	s.b.Reset()
	return out
}

// A9.1: the server log must not tell a reader which IDs exist. The log of a hidden refusal (a piece the actor may
// not know, refused for its level) and that of an ID that never existed are the same lines, word for word; the
// audit log alone keeps the rule and the reason.
func TestA9_1HiddenRefusalLogsAsMissingObject(t *testing.T) {
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // the two reads happen at different times; nothing else may differ
			}
			return a
		}}))
	e := testenv.New(t, testenv.Options{Log: log})
	nina := e.As("nina") // no clearance: the TOP SECRET piece is hidden from her
	logs.take()

	_, err := e.Reg.Piece(e.Ctx, nina, e.World.TopSecret.ID)
	if !errors.Is(err, cleared.ErrNotFound) {
		t.Fatalf("reading the hidden piece: %v, want not found", err)
	}
	hidden := logs.take()
	_, err = e.Reg.Piece(e.Ctx, nina, cleared.NewPieceID())
	if !errors.Is(err, cleared.ErrNotFound) {
		t.Fatalf("reading a missing piece: %v, want not found", err)
	}
	missing := logs.take()

	if hidden == "" {
		t.Fatal("the hidden refusal logged nothing: the test sees no line to compare")
	}
	if hidden != missing {
		t.Errorf("the log tells a hidden piece from a missing one:\nhidden:  %smissing: %s", hidden, missing)
	}
	last := e.Last(t, 2)
	if last[0].Entry.Rule == last[1].Entry.Rule && last[0].Entry.Object == last[1].Entry.Object {
		t.Errorf("the audit log no longer keeps what the server log leaves out: %+v / %+v", last[0].Entry, last[1].Entry)
	}
}
