package act_test

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/policy"
	"github.com/cleared/cleared/store"
	"github.com/cleared/cleared/store/sqlite"
	"github.com/cleared/cleared/store/storetest"
)

var now = time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)

type observed struct {
	action  act.Name
	allowed bool
	rule    string
}

func newRunner(t *testing.T) (*act.Runner, store.Store, *[]observed) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "act.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	storetest.Signed(t, st)
	var seen []observed
	r := act.New(st, slog.New(slog.DiscardHandler), func(a act.Name, ok bool, rule string) { seen = append(seen, observed{a, ok, rule}) })
	return r, st, &seen
}

// entries reads the whole log.
func entries(t *testing.T, st store.Store) []audit.Record {
	t.Helper()
	var rs []audit.Record
	if err := st.View(context.Background(), func(tx store.Tx) error {
		var err error
		rs, err = tx.AuditRecords(0, 1000)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return rs
}

func meta(t *testing.T, st store.Store, key string) string {
	t.Helper()
	var v string
	err := st.View(context.Background(), func(tx store.Tx) error {
		var err error
		v, err = tx.Meta(key)
		return err
	})
	if err != nil && !errors.Is(err, cleared.ErrNotFound) {
		t.Fatal(err)
	}
	return v
}

var refusal = policy.Decision{Rule: "A8.1", Reason: "the terminal is accredited below the piece"}

func TestDo(t *testing.T) {
	ctx := context.Background()
	actor := cleared.Actor{Person: cleared.NewPersonID()}
	t.Run("an allowed action commits with its entry", func(t *testing.T) {
		r, st, seen := newRunner(t)
		err := r.Do(ctx, actor, act.PlaceRegister, now, func(tx store.Tx, x *act.Act) error {
			x.Object = "plc_1"
			return tx.SetMeta("k", "done")
		})
		rs := entries(t, st)
		if err != nil || meta(t, st, "k") != "done" || len(rs) != 1 || !rs[0].Allowed || rs[0].Action != string(act.PlaceRegister) ||
			rs[0].Object != "plc_1" || rs[0].Actor != actor.Person {
			t.Fatalf("err %v, entries %+v", err, rs)
		}
		if len(*seen) != 1 || !(*seen)[0].allowed || r.Appended() != 1 {
			t.Fatalf("observed %+v, appended %d", *seen, r.Appended())
		}
	})
	t.Run("a refusal rolls the change back and is recorded alone, naming its entry", func(t *testing.T) {
		r, st, seen := newRunner(t)
		err := r.Do(ctx, actor, act.PlaceRegister, now, func(tx store.Tx, x *act.Act) error {
			if err := tx.SetMeta("k", "done"); err != nil {
				return err
			}
			return x.Deny("plc_1", refusal)
		})
		var f *cleared.ErrForbidden
		rs := entries(t, st)
		if !errors.As(err, &f) || f.Rule != "A8.1" || meta(t, st, "k") != "" || len(rs) != 1 || rs[0].Allowed || rs[0].Rule != "A8.1" {
			t.Fatalf("err %v, entries %+v", err, rs)
		}
		if f.AuditSeq != rs[0].Seq || len(*seen) != 1 || (*seen)[0].allowed || (*seen)[0].rule != "A8.1" {
			t.Fatalf("seq %d, entry %d, observed %+v", f.AuditSeq, rs[0].Seq, *seen)
		}
	})
	t.Run("A9.1 a hidden refusal reads as not found and names no entry", func(t *testing.T) {
		r, st, _ := newRunner(t)
		err := r.Do(ctx, actor, act.PieceRead, now, func(_ store.Tx, x *act.Act) error { return x.Hide("pce_1") })
		rs := entries(t, st)
		if !errors.Is(err, cleared.ErrNotFound) || len(rs) != 1 || rs[0].Rule != "A9.1" || rs[0].Object != "pce_1" {
			t.Fatalf("err %v, entries %+v", err, rs)
		}
	})
	t.Run("an error that is no refusal records nothing", func(t *testing.T) {
		r, st, seen := newRunner(t)
		err := r.Do(ctx, actor, act.PlaceRegister, now, func(store.Tx, *act.Act) error { return cleared.Invalidf("bad") })
		if !errors.Is(err, cleared.ErrInvalid) || len(entries(t, st)) != 0 || len(*seen) != 0 {
			t.Fatalf("err %v", err)
		}
	})
}

func TestRead(t *testing.T) {
	ctx := context.Background()
	r, st, _ := newRunner(t)
	actor := cleared.Actor{Person: cleared.NewPersonID()}
	err := r.Read(ctx, actor, act.PieceList, now, func(_ store.Tx, x *act.Act) error {
		if !x.Cached || x.Gen != st.Generation() {
			t.Errorf("a read may use the cache at the generation read before it: cached %v gen %d", x.Cached, x.Gen)
		}
		x.Payload = map[string]int{"count": 2}
		return nil
	})
	if rs := entries(t, st); err != nil || len(rs) != 1 || !rs[0].Allowed || rs[0].Action != string(act.PieceList) {
		t.Fatalf("err %v, entries %+v", err, rs)
	}
	gen := st.Generation()
	err = r.Read(ctx, actor, act.PieceRead, now, func(_ store.Tx, x *act.Act) error { return x.Deny("pce_1", refusal) })
	var f *cleared.ErrForbidden
	if rs := entries(t, st); !errors.As(err, &f) || len(rs) != 2 || rs[1].Rule != "A8.1" || f.AuditSeq != 1 {
		t.Fatalf("err %v, entries %+v", err, rs)
	}
	if st.Generation() != gen {
		t.Fatal("recording a read moved the generation: every cache would be dropped by a read")
	}
}

func TestCommit(t *testing.T) {
	ctx := context.Background()
	actor := cleared.Actor{Terminal: cleared.TerminalID("trm_x")}
	t.Run("a refusal commits with what it changed, and answers its outcome", func(t *testing.T) {
		r, st, seen := newRunner(t)
		who := cleared.NewPersonID()
		err := r.Commit(ctx, actor, act.SessionLogin, now, func(tx store.Tx, x *act.Act) error {
			x.Actor.Person, x.Object = who, "acc_1"
			if err := tx.SetMeta("failures", "1"); err != nil {
				return err
			}
			return x.Refuse(policy.ProofFailed(policy.RulePassword, "wrong password", time.Time{}, now), cleared.ErrUnauthenticated)
		})
		rs := entries(t, st)
		if !errors.Is(err, cleared.ErrUnauthenticated) || meta(t, st, "failures") != "1" || len(rs) != 1 || rs[0].Allowed ||
			rs[0].Rule != policy.RulePassword || rs[0].Actor != who || rs[0].Terminal != actor.Terminal {
			t.Fatalf("err %v, entries %+v", err, rs)
		}
		if len(*seen) != 1 || (*seen)[0].allowed {
			t.Fatalf("observed %+v", *seen)
		}
	})
	t.Run("a 403 outcome names its entry", func(t *testing.T) {
		r, st, _ := newRunner(t)
		d := policy.LockedOut(now.Add(time.Minute))
		err := r.Commit(ctx, actor, act.SessionLogin, now, func(_ store.Tx, x *act.Act) error { return x.Refuse(d, d.Err()) })
		var f *cleared.ErrForbidden
		if rs := entries(t, st); !errors.As(err, &f) || f.Rule != policy.RuleLockout || f.AuditSeq != rs[0].Seq {
			t.Fatalf("err %v, entries %+v", err, rs)
		}
	})
	t.Run("an allowed action commits with its entry", func(t *testing.T) {
		r, st, _ := newRunner(t)
		err := r.Commit(ctx, actor, act.SessionLogin, now, func(tx store.Tx, x *act.Act) error { return tx.SetMeta("k", "v") })
		if rs := entries(t, st); err != nil || len(rs) != 1 || !rs[0].Allowed || meta(t, st, "k") != "v" {
			t.Fatalf("err %v, entries %+v", err, rs)
		}
	})
	t.Run("an error rolls everything back and records nothing", func(t *testing.T) {
		r, st, _ := newRunner(t)
		err := r.Commit(ctx, actor, act.SessionLogin, now, func(tx store.Tx, x *act.Act) error {
			if err := tx.SetMeta("k", "v"); err != nil {
				return err
			}
			return cleared.ErrUnauthenticated
		})
		if !errors.Is(err, cleared.ErrUnauthenticated) || len(entries(t, st)) != 0 || meta(t, st, "k") != "" {
			t.Fatalf("err %v", err)
		}
	})
}

// failingStore is the real store whose audit appends fail, as a full disk would make them.
type failingStore struct{ store.Store }

func (f failingStore) Update(ctx context.Context, fn func(store.Tx) error) error {
	return f.Store.Update(ctx, func(tx store.Tx) error { return fn(failingTx{tx}) })
}

type failingTx struct{ store.Tx }

func (failingTx) AppendAudit(audit.Record, []byte, []audit.Node, []byte) error {
	return errors.New("disk full")
}

func TestFailClosed(t *testing.T) {
	ctx := context.Background()
	_, st, _ := newRunner(t)
	r := act.New(failingStore{st}, slog.New(slog.DiscardHandler), nil)
	actor := cleared.Actor{Person: cleared.NewPersonID()}
	for name, run := range map[string]func() error{
		"Do": func() error {
			return r.Do(ctx, actor, act.PlaceRegister, now, func(tx store.Tx, _ *act.Act) error { return tx.SetMeta("k", "v") })
		},
		"Do refused": func() error {
			return r.Do(ctx, actor, act.PlaceRegister, now, func(_ store.Tx, x *act.Act) error { return x.Deny("", refusal) })
		},
		"Read": func() error {
			return r.Read(ctx, actor, act.PieceList, now, func(store.Tx, *act.Act) error { return nil })
		},
		"Commit refused": func() error {
			return r.Commit(ctx, actor, act.SessionLogin, now, func(tx store.Tx, x *act.Act) error {
				if err := tx.SetMeta("k", "v"); err != nil {
					return err
				}
				return x.Refuse(refusal, refusal.Err())
			})
		},
	} {
		t.Run(name, func(t *testing.T) {
			if err := run(); !errors.Is(err, cleared.ErrUnavailable) {
				t.Fatalf("want unavailable, got %v", err)
			}
			if meta(t, st, "k") != "" || len(entries(t, st)) != 0 {
				t.Fatal("an action whose entry could not be written left a trace")
			}
		})
	}
}

// sources walks the module's Go files that are not tests, outside testdata, and calls fn with each parsed file.
func sources(t *testing.T, fn func(path string, f *ast.File)) {
	t.Helper()
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		fn(path, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Every decision that names a rule is made in package policy: a service that built one by hand would decide a
// rule where no table test carrying its ID can see it (issue 16: one had drifted).
func TestNoRuleDecidedOutsidePolicy(t *testing.T) {
	sources(t, func(path string, f *ast.File) {
		if f.Name.Name == "policy" {
			return
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			sel, ok := lit.Type.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "Decision" {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "policy" {
				return true
			}
			for _, e := range lit.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					if k, ok := kv.Key.(*ast.Ident); ok && (k.Name == "Rule" || k.Name == "Allowed") {
						t.Errorf("%s: a policy.Decision naming %s is built outside package policy", path, k.Name)
					}
				}
			}
			return true
		})
	})
}

// Every action a service runs is named by a constant of names.go: a string literal would compile (Name is a
// string type) and escape the documented list.
func TestNoActionNamedByALiteral(t *testing.T) {
	methods := map[string]int{"Do": 2, "Read": 2, "Commit": 2, "Act": 1}
	sources(t, func(path string, f *ast.File) {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if i, ok := methods[sel.Sel.Name]; ok && len(call.Args) > i {
				if lit, ok := call.Args[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					t.Errorf("%s: %s names its action by the literal %s, not a constant of package act", path, sel.Sel.Name, lit.Value)
				}
			}
			return true
		})
	})
}
