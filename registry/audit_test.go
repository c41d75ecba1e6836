package registry_test

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/internal/act"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
)

func (e *env) last(t *testing.T, n int) []audit.Record { return e.Last(t, n) }

func (e *env) size(t *testing.T) uint64 { return e.Size(t) }

func TestAuditRecordsEveryAction(t *testing.T) {
	e := newEnv(t)
	w := e.w
	t.Run("A11.2 a read of content is recorded with who, where and what", func(t *testing.T) {
		before := e.size(t)
		if _, _, err := e.svc.ReadContent(e.ctx, e.as("tom"), w.Secret.ID); err != nil {
			t.Fatal(err)
		}
		if e.size(t) != before+1 {
			t.Fatal("the read left no entry")
		}
		r := e.last(t, 1)[0]
		if r.Action != "piece.read_content" || !r.Allowed || r.Object != string(w.Secret.ID) || r.Actor != w.Tom.ID || r.Terminal != w.MinistryTerm.ID {
			t.Fatalf("entry %+v", r.Entry)
		}
	})
	t.Run("A8.2 a refusal is recorded, and its 403 names the entry", func(t *testing.T) {
		_, _, err := e.svc.ReadContent(e.ctx, e.as("sophie_office"), w.TopSecret.ID)
		var f *cleared.ErrForbidden
		if !errors.As(err, &f) || f.Rule != "A8.2" || f.AuditSeq == 0 {
			t.Fatalf("refusal %v", err)
		}
		r := e.last(t, 1)[0]
		if r.Seq != f.AuditSeq || r.Allowed || r.Rule != "A8.2" || r.Object != string(w.TopSecret.ID) {
			t.Fatalf("entry %+v for refusal with audit_seq %d", r.Entry, f.AuditSeq)
		}
	})
	t.Run("A9.1 a hidden piece and a missing one are recorded alike", func(t *testing.T) {
		missing := cleared.NewPieceID()
		_, errHidden := e.svc.Piece(e.ctx, e.as("lea"), w.TopSecret.ID)
		_, errMissing := e.svc.Piece(e.ctx, e.as("lea"), missing)
		rs := e.last(t, 2)
		for i, r := range rs {
			if r.Action != "piece.read" || r.Allowed || r.Rule != "A9.1" {
				t.Fatalf("entry %d: %+v", i, r.Entry)
			}
		}
		var f *cleared.ErrForbidden
		if errors.As(errHidden, &f) || errors.As(errMissing, &f) {
			t.Fatal("a hidden refusal carries an audit_seq, which a missing piece could not")
		}
	})
	t.Run("A20.1 a refused registration is recorded and changes nothing", func(t *testing.T) {
		before := e.size(t)
		_, err := e.svc.RegisterOrganisation(e.ctx, e.as("tom"), registry.NewOrganisation{Name: "X", Kind: cleared.Company, Country: "LU"})
		wantRule(t, err, "A20.1")
		if e.size(t) != before+1 || e.last(t, 1)[0].Rule != "A20.1" {
			t.Fatal("the refusal left no entry")
		}
	})
	t.Run("invalid input is not an action and leaves no entry", func(t *testing.T) {
		before := e.size(t)
		e.svc.RegisterOrganisation(e.ctx, e.as("helene"), registry.NewOrganisation{Name: "", Kind: cleared.Company, Country: "LU"})
		if e.size(t) != before {
			t.Fatal("invalid input was recorded")
		}
	})
}

// failingStore is the real store whose audit appends fail: what a full disk or a lost database would do to the
// log alone.
type failingStore struct{ store.Store }

func (f failingStore) Update(ctx context.Context, fn func(store.Tx) error) error {
	return f.Store.Update(ctx, func(tx store.Tx) error { return fn(failingTx{tx}) })
}

type failingTx struct{ store.Tx }

func (failingTx) AppendAudit(audit.Record, []byte, []audit.Node, []byte) error {
	return errors.New("injected: the audit table cannot be written")
}

func TestAuditFailsClosed(t *testing.T) {
	e := newEnv(t)
	w := e.w
	broken := registry.New(act.New(failingStore{e.st}, slog.New(slog.DiscardHandler), nil), e.ring, registry.Config{Now: e.clock.Now, Log: slog.New(slog.DiscardHandler)})
	before := e.count(t, "paul") // listing is an action too: measure the log's size after it
	sizeBefore := e.size(t)
	_, err := broken.Classify(e.ctx, e.as("paul"), registry.NewPiece{Authority: w.PaulAuth.ID, Kind: cleared.Electronic, Title: "Sans trace",
		Level: cleared.Secret, Reasons: []cleared.Reason{"a"}, ReviewOn: e.clock.Now().AddDate(1, 0, 0), Content: []byte("x")})
	if !errors.Is(err, cleared.ErrUnavailable) {
		t.Fatalf("classification without its audit entry: %v, want unavailable", err)
	}
	if e.size(t) != sizeBefore || e.count(t, "paul") != before {
		t.Fatal("the classification happened although its audit entry could not be written")
	}
	t.Run("a read whose entry cannot be written shows nothing", func(t *testing.T) {
		_, b, err := broken.ReadContent(e.ctx, e.as("tom"), w.Secret.ID)
		if !errors.Is(err, cleared.ErrUnavailable) || b != nil {
			t.Fatalf("read without its entry: %v, %d bytes", err, len(b))
		}
	})
	t.Run("a refusal whose entry cannot be written is unavailable", func(t *testing.T) {
		_, err := broken.RegisterOrganisation(e.ctx, e.as("tom"), registry.NewOrganisation{Name: "X", Kind: cleared.Company, Country: "LU"})
		if !errors.Is(err, cleared.ErrUnavailable) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestAuditCheckpointsAndProofs(t *testing.T) {
	e := newEnv(t)
	cp1, err := e.svc.Checkpoint(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	c1, err := audit.OpenCheckpoint(cp1.Note, e.vkey)
	if err != nil || c1.Size != cp1.Size || c1.Size != e.size(t) {
		t.Fatalf("checkpoint %+v: %v", c1, err)
	}
	if again, _ := e.svc.Checkpoint(e.ctx); again.Size != cp1.Size {
		t.Fatal("a checkpoint at the same size was made twice")
	}
	e.svc.ReadContent(e.ctx, e.as("tom"), e.w.Secret.ID)
	cp2, err := e.svc.Checkpoint(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	c2, _ := audit.OpenCheckpoint(cp2.Note, e.vkey)

	t.Run("A11.2 inclusion of the read in the checkpoint", func(t *testing.T) {
		p, err := e.svc.InclusionProof(e.ctx, e.as("helene"), c2.Size-1, c2.Size)
		if err != nil {
			t.Fatal(err)
		}
		if p.Record.Action != "piece.read_content" {
			t.Fatalf("entry %+v", p.Record.Entry)
		}
		leaf, _ := p.Record.Entry.LeafHash()
		if err := audit.VerifyInclusion(p.Record.Seq, p.Size, leaf, p.Proof, c2.Root); err != nil {
			t.Fatalf("proof does not verify: %v", err)
		}
	})
	t.Run("consistency between the two checkpoints", func(t *testing.T) {
		p, err := e.svc.ConsistencyProof(e.ctx, e.as("helene"), c1.Size, c2.Size)
		if err != nil {
			t.Fatal(err)
		}
		if err := audit.VerifyConsistency(c1.Size, c2.Size, p.Proof, c1.Root, c2.Root); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("A11.2 only auditors and NSA officers read the log", func(t *testing.T) {
		_, err := e.svc.LatestCheckpoint(e.ctx, e.as("tom"))
		wantRule(t, err, "A11.2")
	})
	t.Run("sizes beyond the log are invalid", func(t *testing.T) {
		if _, err := e.svc.InclusionProof(e.ctx, e.as("helene"), 0, 1<<40); !errors.Is(err, cleared.ErrInvalid) {
			t.Fatalf("got %v", err)
		}
		if _, err := e.svc.ConsistencyProof(e.ctx, e.as("helene"), 5, 3); !errors.Is(err, cleared.ErrInvalid) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("A23.2 an erased payload leaves every proof valid", func(t *testing.T) {
		if err := e.svc.EraseAuditPayload(e.ctx, e.as("helene"), 3, "A23.2: 6 months after a refusal"); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.EraseAuditPayload(e.ctx, e.as("tom"), 4, "x"); err == nil {
			t.Fatal("a holder erased a payload")
		}
		e.svc.Checkpoint(e.ctx)
		var rep audit.Report
		err := e.st.View(e.ctx, func(tx store.Tx) (err error) {
			rep, err = audit.Verify(e.ctx, tx, e.vkey, audit.VerifyOptions{Trusted: cp1.Note})
			return err
		})
		if err != nil || rep.FirstBad != nil || rep.Erased != 1 || rep.Checkpoints < 3 {
			t.Fatalf("verify: %+v %v", rep, err)
		}
	})
}

// TestAuditProofs_ServedOnlyIfTheyVerify flips one bit of a stored tree node, as a database administrator could
// while the server runs: the server must not serve the proofs built from it (they would not verify against its
// latest signed head), but answer 503 and log a possible compromise (issue 17, §2). On SQLite, and on PostgreSQL
// when CLEARED_TEST_POSTGRES is set.
func TestAuditProofs_ServedOnlyIfTheyVerify(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		var logged strings.Builder
		e := newEnvLogged(t, slog.New(slog.NewTextHandler(&logged, nil)))
		db, err := sql.Open("sqlite", e.path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		proofsOverAFlippedNode(t, e, db, &logged)
	})
	t.Run("postgres", func(t *testing.T) {
		st, pgURL := testenv.Postgres(t, "cleared_registry_")
		db, err := sql.Open("pgx", pgURL)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var logged strings.Builder
		e := wrap(testenv.New(t, testenv.Options{Store: st, Log: slog.New(slog.NewTextHandler(&logged, nil))}))
		proofsOverAFlippedNode(t, e, db, &logged)
	})
}

func proofsOverAFlippedNode(t *testing.T, e *env, db *sql.DB, logged *strings.Builder) {
	size := e.size(t)
	if size < 40 {
		t.Fatalf("the demo log has %d entries, too few for a stored node of level 4 and a proof through it", size)
	}
	// Before: the proofs through node (level 4, index 0), entries 0 to 15, are served and verify.
	root := signedRoot(t, e, size)
	p, err := e.svc.InclusionProof(e.ctx, e.as("helene"), 20, size)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := p.Record.Entry.LeafHash()
	if err := audit.VerifyInclusion(20, size, leaf, p.Proof, root); err != nil {
		t.Fatalf("the proof served before the flip does not verify: %v", err)
	}

	var node []byte
	if err := db.QueryRow(`SELECT hash FROM audit_nodes WHERE level = 4 AND idx = 0`).Scan(&node); err != nil {
		t.Fatal(err)
	}
	node[0] ^= 1
	if _, err := db.Exec(`UPDATE audit_nodes SET hash = $1 WHERE level = 4 AND idx = 0`, node); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.InclusionProof(e.ctx, e.as("helene"), 20, size); !errors.Is(err, cleared.ErrUnavailable) {
		t.Errorf("inclusion proof over a flipped node: %v, want unavailable (503)", err)
	}
	if _, err := e.svc.ConsistencyProof(e.ctx, e.as("helene"), 16, size); !errors.Is(err, cleared.ErrUnavailable) {
		t.Errorf("consistency proof over a flipped node: %v, want unavailable (503)", err)
	}
	if !strings.Contains(logged.String(), "possible compromise") {
		t.Errorf("the refused proofs were not logged as a possible compromise:\n%s", logged.String())
	}
}

func newEnvLogged(t *testing.T, log *slog.Logger) *env {
	t.Helper()
	return wrap(testenv.New(t, testenv.Options{Log: log}))
}

// signedRoot returns the root of the signed head the store keeps for size.
func signedRoot(t *testing.T, e *env, size uint64) []byte {
	t.Helper()
	var heads []audit.StoredCheckpoint
	if err := e.st.View(e.ctx, func(tx store.Tx) (err error) { heads, err = tx.Checkpoints(); return err }); err != nil {
		t.Fatal(err)
	}
	for _, h := range heads {
		if h.Size == size {
			c, err := audit.OpenCheckpoint(h.Note, e.vkey)
			if err != nil {
				t.Fatal(err)
			}
			return c.Root
		}
	}
	t.Fatalf("no signed head of size %d", size)
	return nil
}

// TestRuleRefusalsAreForbidden holds the refusals that once answered as malformed input (400) to what every
// refusal by a rule is: forbidden, naming its rule, with an audit entry of its own (issue 16, §5).
func TestRuleRefusalsAreForbidden(t *testing.T) {
	e := newEnv(t)
	w := e.w
	review := e.clock.Now().AddDate(2, 0, 0)
	marked := func(level cleared.Level, marking string) registry.NewPiece {
		return registry.NewPiece{Authority: w.PaulAuth.ID, Kind: cleared.Electronic, Title: "Note", Level: level,
			ForeignMarking: marking, Reasons: []cleared.Reason{cleared.ReasonSecurity}, ReviewOn: review,
			Content: []byte("x"), ContentType: "text/plain"}
	}
	refused := func(t *testing.T, err error, action, rule string) {
		t.Helper()
		var f *cleared.ErrForbidden
		if !errors.As(err, &f) || f.Rule != rule || f.AuditSeq == 0 {
			t.Fatalf("want forbidden by %s with an audit entry, got %v", rule, err)
		}
		r := e.last(t, 1)[0]
		if r.Seq != f.AuditSeq || r.Allowed || r.Rule != rule || r.Action != action {
			t.Fatalf("entry %+v for refusal with audit_seq %d", r.Entry, f.AuditSeq)
		}
	}
	t.Run("A6.1 a foreign marking with no national equivalent is forbidden", func(t *testing.T) {
		_, err := e.svc.Classify(e.ctx, e.as("paul"), marked(cleared.Unclassified, "SECRET DEFENSE"))
		refused(t, err, "piece.classify", "A6.1")
	})
	t.Run("A6.1 a level that contradicts the marking is forbidden", func(t *testing.T) {
		_, err := e.svc.Classify(e.ctx, e.as("paul"), marked(cleared.Restricted, "NATO SECRET"))
		refused(t, err, "piece.classify", "A6.1")
	})
	t.Run("A5.1 one who holds no authority is refused by A5.1 before the table is read", func(t *testing.T) {
		_, err := e.svc.Classify(e.ctx, e.as("tom"), marked(cleared.Unclassified, "SECRET DEFENSE"))
		refused(t, err, "piece.classify", "A5.1")
		_, err = e.svc.Classify(e.ctx, e.as("tom"), marked(cleared.Secret, "NATO SECRET"))
		refused(t, err, "piece.classify", "A5.1")
	})
	t.Run("A6.1 a malformed marking is invalid and recorded nowhere", func(t *testing.T) {
		before := e.size(t)
		_, err := e.svc.Classify(e.ctx, e.as("paul"), marked(cleared.Unclassified, "NATO\nSECRET"))
		if !errors.Is(err, cleared.ErrInvalid) {
			t.Fatalf("want invalid input, got %v", err)
		}
		if e.size(t) != before {
			t.Fatal("a malformed request left an audit entry")
		}
	})
	t.Run("A9.3 a public place accredited for a level is forbidden", func(t *testing.T) {
		_, err := e.svc.RegisterPlace(e.ctx, e.as("luc"), registry.NewPlace{OrganisationID: w.Ministry.ID, Name: "Cafétéria",
			AccreditedLevel: cleared.Restricted, Public: true})
		refused(t, err, "place.register", "A9.3")
	})
	t.Run("A9.3 a public security zone is forbidden", func(t *testing.T) {
		_, err := e.svc.RegisterPlace(e.ctx, e.as("luc"), registry.NewPlace{OrganisationID: w.Ministry.ID, Name: "Hall",
			SecurityZone: true, Public: true})
		refused(t, err, "place.register", "A9.3")
	})
}
