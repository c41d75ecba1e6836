package act_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/auth"
	"github.com/cleared/cleared/internal/act"
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

// A9.1: the server log and the metrics must not tell a reader which IDs exist. The log lines of a hidden refusal
// (a piece the actor may not know, refused for its level; a person's file, refused by A23.1) and those of an ID
// that never existed are the same, word for word, and so are the decisions counted; the audit log alone keeps the
// rule and the reason.
func TestA9_1HiddenRefusalLogsAsMissingObject(t *testing.T) {
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // the two reads happen at different times; nothing else may differ
			}
			return a
		}}))
	var mu sync.Mutex
	var counted []string
	observe := func(a act.Name, allowed bool, rule string) {
		mu.Lock()
		defer mu.Unlock()
		counted = append(counted, fmt.Sprint(a, allowed, rule))
	}
	took := func() []string { mu.Lock(); defer mu.Unlock(); c := counted; counted = nil; return c }
	e := testenv.New(t, testenv.Options{Log: log, Observe: observe})
	nina := e.As("nina") // no clearance, no role: the TOP SECRET piece and Sophie's file are hidden from her
	tests := []struct {
		name            string
		hidden, missing func() error
	}{
		{"piece refused by A9.1 for its level", func() error { _, err := e.Reg.Piece(e.Ctx, nina, e.World.TopSecret.ID); return err },
			func() error { _, err := e.Reg.Piece(e.Ctx, nina, cleared.NewPieceID()); return err }},
		{"person's file refused by A23.1", func() error { _, err := e.Reg.Person(e.Ctx, nina, e.World.Sophie.ID); return err },
			func() error { _, err := e.Reg.Person(e.Ctx, nina, cleared.NewPersonID()); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs.take()
			took()
			if err := tt.hidden(); !errors.Is(err, cleared.ErrNotFound) {
				t.Fatalf("the hidden object: %v, want not found", err)
			}
			hidden, hiddenCounted := logs.take(), took()
			if err := tt.missing(); !errors.Is(err, cleared.ErrNotFound) {
				t.Fatalf("a missing object: %v, want not found", err)
			}
			missing, missingCounted := logs.take(), took()
			if hidden == "" {
				t.Fatal("the hidden refusal logged nothing: the test sees no line to compare")
			}
			if hidden != missing {
				t.Errorf("the log tells a hidden object from a missing one:\nhidden:  %smissing: %s", hidden, missing)
			}
			if fmt.Sprint(hiddenCounted) != fmt.Sprint(missingCounted) {
				t.Errorf("the metrics tell a hidden object from a missing one: %v / %v", hiddenCounted, missingCounted)
			}
			last := e.Last(t, 2)
			if last[0].Entry.Rule == last[1].Entry.Rule && last[0].Entry.Object == last[1].Entry.Object {
				t.Errorf("the audit log no longer keeps what the server log leaves out: %+v / %+v", last[0].Entry, last[1].Entry)
			}
		})
	}
}

// AUTH.PASSWORD: a refused sign-in tells the server log neither who tried nor why, so that a reader of the log who
// tries logins of his own cannot tell one that names an account (a wrong password) from one that names none: both
// log the same line. The audit log keeps the account and the reason.
func TestSignInRefusalLogsTheSameForAnUnknownLogin(t *testing.T) {
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}}))
	e := testenv.New(t, testenv.Options{Log: log})
	login := func(name string) string {
		t.Helper()
		logs.take()
		_, err := e.Auth.Login(e.Ctx, auth.LoginInput{Login: name, Password: "not-the-password", Terminal: e.World.OfficeTerm.ID})
		if !errors.Is(err, cleared.ErrUnauthenticated) {
			t.Fatalf("sign-in of %q with a wrong password: %v, want unauthenticated", name, err)
		}
		return logs.take()
	}
	known, unknown := login("sophie"), login("nobody-here")
	if known == "" {
		t.Fatal("a refused sign-in logged nothing: the test sees no line to compare")
	}
	if known != unknown {
		t.Errorf("the server log tells a login that exists from one that does not:\nexists:  %snone:    %s", known, unknown)
	}
	last := e.Last(t, 2)
	if last[0].Entry.Object == last[1].Entry.Object && last[0].Entry.Actor == last[1].Entry.Actor {
		t.Errorf("the audit log no longer tells the two apart: %+v / %+v", last[0].Entry, last[1].Entry)
	}
}
