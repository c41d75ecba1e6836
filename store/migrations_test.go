package store_test

// This test holds the two migration sets, store/sqlite/migrations and store/postgres/migrations, to one schema.
// Both dialects are read and written by the same SQL (store/sqlstore), so a table, a column, a column's
// nullability or a unique key present in one and not the other is a bug that only one backend's tests would show,
// if any. The test needs no database: a small parser reads the "-- +goose Up" parts of both sets, applies them in
// order to an in-memory schema, and compares the results.
//
// Compared: the set of tables, each table's set of columns, each column's nullability (NOT NULL; PRIMARY KEY
// implies it, though SQLite lets a PRIMARY KEY column of a rowid table that is not STRICT hold NULL, which is why
// the migrations say NOT NULL as well), and the unique keys (PRIMARY KEY, UNIQUE inline or as a table constraint,
// CREATE UNIQUE INDEX), each as its kind, its column list in order, and, for a partial unique index, its WHERE
// clause with whitespace and the case of keywords normalised. Not compared: column types, which differ on purpose (INTEGER against
// BIGINT or SMALLINT, BLOB against BYTEA, TEXT against TEXT COLLATE "C"), table options (STRICT, WITHOUT ROWID),
// CHECK constraints and REFERENCES (their expressions are dialect-specific, length() against octet_length()),
// DEFAULTs, rows inserted, and non-unique indexes (which change speed, not what can be stored); a non-unique
// index is still parsed and must name a table and columns that exist.
//
// Statement kinds the parser knows, the ones the Up parts use: CREATE TABLE, CREATE [UNIQUE] INDEX … ON … [WHERE …],
// ALTER TABLE … ADD [COLUMN], ALTER TABLE … ADD CONSTRAINT … CHECK, ALTER TABLE … ALTER COLUMN … DROP NOT NULL,
// ALTER TABLE … RENAME TO, DROP TABLE (SQLite's rebuild of a table, 00031), INSERT INTO, DELETE FROM, UPDATE, and
// PRAGMA, BEGIN, COMMIT, which change no schema. Anything else in an Up part (ALTER TABLE … DROP COLUMN, DROP
// INDEX, CREATE VIEW, a DO block…) is an error naming the file, so that a migration cannot change the schema
// unseen: teach the parser the new kind first.

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// The migration sets, as named in the comparison's messages.
const (
	sqliteSet   = "sqlite"
	postgresSet = "postgres"
)

func TestMigrationSetsAgree(t *testing.T) {
	lite := loadDir(t, "sqlite/migrations")
	pg := loadDir(t, "postgres/migrations")

	// The parser must have seen something, or an empty comparison would prove nothing.
	if len(lite.tables) < 20 || len(pg.tables) < 20 {
		t.Fatalf("parsed %d tables in %s and %d in %s; expected the whole schema", len(lite.tables), sqliteSet,
			len(pg.tables), postgresSet)
	}
	for name, s := range map[string]*schema{sqliteSet: lite, postgresSet: pg} {
		tokens, ok := s.tables["tokens"]
		if !ok || tokens.columns["scopes"] == nil || !tokens.columns["scopes"].notNull {
			t.Errorf("%s: tokens.scopes (ALTER TABLE … ADD COLUMN, 00003) was not applied as NOT NULL", name)
		}
		accounts, ok := s.tables["accounts"]
		if !ok || !accounts.keys["UNIQUE (login)"] || !accounts.keys["PRIMARY KEY (id)"] {
			t.Errorf("%s: accounts lacks its keys PRIMARY KEY (id) and UNIQUE (login)", name)
		}
	}

	for _, d := range compareSchemas(lite, pg, sqliteSet, postgresSet) {
		t.Error(d)
	}
}

// edit replaces, in one file of a migration set, old with new; old must occur exactly once, so that a doctoring
// that no longer applies to the files fails loudly rather than proving nothing.
type edit struct {
	file, old, new string
}

func TestMigrationComparisonCatches(t *testing.T) {
	for _, tc := range []struct {
		name           string
		sqlite, pg     []edit
		want           []string // every difference reported, in order; none: the sets must still agree
		wantErrContain string   // set: loading the doctored sqlite set must fail with this
	}{
		{
			name:   "NOT NULL removed",
			sqlite: []edit{{"00003_accounts.sql", "login          TEXT    NOT NULL UNIQUE,", "login          TEXT    UNIQUE,"}},
			want:   []string{"table accounts, column login: nullable in sqlite, NOT NULL in postgres"},
		},
		{
			name:   "NOT NULL removed from a column added by ALTER TABLE",
			sqlite: []edit{{"00003_accounts.sql", "ADD COLUMN scopes TEXT NOT NULL DEFAULT", "ADD COLUMN scopes TEXT DEFAULT"}},
			want:   []string{"table tokens, column scopes: nullable in sqlite, NOT NULL in postgres"},
		},
		{
			name:   "NOT NULL added",
			sqlite: []edit{{"00001_init.sql", "\tuntil           INTEGER,\n", "\tuntil           INTEGER NOT NULL,\n"}},
			want:   []string{"table security_officers, column until: NOT NULL in sqlite, nullable in postgres"},
		},
		{
			name:   "column dropped",
			sqlite: []edit{{"00003_accounts.sql", "\tlocked_until   INTEGER,\n", ""}},
			want:   []string{"table accounts, column locked_until: in postgres, missing from sqlite"},
		},
		{
			name:   "column added by ALTER TABLE dropped",
			sqlite: []edit{{"00003_accounts.sql", "ALTER TABLE tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT 'read,write';\n", ""}},
			want:   []string{"table tokens, column scopes: in postgres, missing from sqlite"},
		},
		{
			name:   "column renamed",
			sqlite: []edit{{"00002_audit.sql", "\tcreated_ns INTEGER NOT NULL\n", "\tcreated INTEGER NOT NULL\n"}},
			want: []string{
				"table audit_checkpoints, column created: in sqlite, missing from postgres",
				"table audit_checkpoints, column created_ns: in postgres, missing from sqlite",
			},
		},
		{
			name:   "inline UNIQUE removed",
			sqlite: []edit{{"00003_accounts.sql", "serial      TEXT    NOT NULL UNIQUE,", "serial      TEXT    NOT NULL,"}},
			want:   []string{"table terminal_certificates: unique key UNIQUE (serial) in postgres, missing from sqlite"},
		},
		{
			name:   "UNIQUE hidden in a comment",
			sqlite: []edit{{"00003_accounts.sql", "serial      TEXT    NOT NULL UNIQUE,", "serial      TEXT    NOT NULL, -- UNIQUE"}},
			want:   []string{"table terminal_certificates: unique key UNIQUE (serial) in postgres, missing from sqlite"},
		},
		{
			name: "inline UNIQUE moved to a table constraint",
			sqlite: []edit{{"00003_accounts.sql", "serial      TEXT    NOT NULL UNIQUE,", "serial      TEXT    NOT NULL,"},
				{"00003_accounts.sql", "\trevoked     INTEGER\n) STRICT;\nCREATE INDEX terminal_certificates_terminal",
					"\trevoked     INTEGER,\n\tCONSTRAINT serial_unique UNIQUE (serial)\n) STRICT;\nCREATE INDEX terminal_certificates_terminal"}},
		},
		{
			name: "inline UNIQUE moved to a unique index",
			sqlite: []edit{{"00003_accounts.sql", "serial      TEXT    NOT NULL UNIQUE,", "serial      TEXT    NOT NULL,"},
				{"00003_accounts.sql", "CREATE INDEX terminal_certificates_terminal",
					"CREATE UNIQUE INDEX terminal_certificates_serial ON terminal_certificates (serial);\nCREATE INDEX terminal_certificates_terminal"}},
		},
		{
			name:   "primary key's columns reordered",
			sqlite: []edit{{"00002_audit.sql", "PRIMARY KEY (level, idx)", "PRIMARY KEY (idx, level)"}},
			want: []string{
				"table audit_nodes: unique key PRIMARY KEY (idx, level) in sqlite, missing from postgres",
				"table audit_nodes: unique key PRIMARY KEY (level, idx) in postgres, missing from sqlite",
			},
		},
		{
			name:   "primary key removed",
			sqlite: []edit{{"00001_init.sql", "\tname  TEXT NOT NULL PRIMARY KEY,", "\tname  TEXT,"}},
			want: []string{
				"table meta, column name: nullable in sqlite, NOT NULL in postgres",
				"table meta: unique key PRIMARY KEY (name) in postgres, missing from sqlite",
			},
		},
		{
			name:   "unique index added",
			sqlite: []edit{{"00004_oidc.sql", "CREATE INDEX oidc_nonces_expires", "CREATE UNIQUE INDEX oidc_nonces_expires"}},
			want:   []string{"table oidc_nonces: unique key UNIQUE (expires) in sqlite, missing from postgres"},
		},
		{
			name: "partial unique indexes differing only in whitespace",
			sqlite: []edit{{"00003_accounts.sql", "CREATE INDEX sessions_account",
				"CREATE UNIQUE INDEX sessions_live ON sessions (account_id, hash) WHERE revoked IS NULL AND stage = 'active';\nCREATE INDEX sessions_account"}},
			pg: []edit{{"00003_accounts.sql", "CREATE INDEX sessions_account",
				"CREATE UNIQUE INDEX sessions_live ON sessions (account_id, hash)\n\tWHERE revoked  IS NULL\n\t  and stage = 'active';\nCREATE INDEX sessions_account"}},
		},
		{
			name: "partial unique indexes differing in their WHERE",
			sqlite: []edit{{"00003_accounts.sql", "CREATE INDEX sessions_account",
				"CREATE UNIQUE INDEX sessions_live ON sessions (account_id) WHERE revoked IS NULL;\nCREATE INDEX sessions_account"}},
			pg: []edit{{"00003_accounts.sql", "CREATE INDEX sessions_account",
				"CREATE UNIQUE INDEX sessions_live ON sessions (account_id) WHERE revoked IS NOT NULL;\nCREATE INDEX sessions_account"}},
			want: []string{
				"table sessions: unique key UNIQUE (account_id) WHERE revoked is not null in postgres, missing from sqlite",
				"table sessions: unique key UNIQUE (account_id) WHERE revoked is null in sqlite, missing from postgres",
			},
		},
		{
			name:   "table renamed",
			sqlite: []edit{{"00002_audit.sql", "CREATE TABLE audit_checkpoints (", "CREATE TABLE audit_checkpoint ("}},
			want: []string{
				"table audit_checkpoint: in sqlite, missing from postgres",
				"table audit_checkpoints: in postgres, missing from sqlite",
			},
		},
		{
			name:   "table added",
			sqlite: []edit{{"00006_webauthn_ceremonies.sql", "\n-- +goose Down", "CREATE TABLE extra (id TEXT NOT NULL PRIMARY KEY) STRICT;\n\n-- +goose Down"}},
			want:   []string{"table extra: in sqlite, missing from postgres"},
		},
		{
			name:   "Down part ignored",
			sqlite: []edit{{"00006_webauthn_ceremonies.sql", "DROP TABLE webauthn_ceremonies;", "CREATE TABLE extra (id TEXT);\nDROP TABLE webauthn_ceremonies;"}},
		},
		{
			name:   "type and CHECK not compared",
			sqlite: []edit{{"00004_oidc.sql", "BLOB    NOT NULL PRIMARY KEY CHECK (length(hash) = 32)", "TEXT NOT NULL PRIMARY KEY CHECK (hash <> '')"}},
		},
		{
			name: "statements between StatementBegin and StatementEnd",
			sqlite: []edit{{"00006_webauthn_ceremonies.sql", "CREATE TABLE webauthn_ceremonies (",
				"-- +goose StatementBegin\nCREATE TABLE extra (\n\tid TEXT NOT NULL CHECK (id <> ';')\n);\n-- +goose StatementEnd\nCREATE TABLE webauthn_ceremonies ("}},
			want: []string{"table extra: in sqlite, missing from postgres"},
		},
		{
			name:           "unknown statement kind in an Up part",
			sqlite:         []edit{{"00006_webauthn_ceremonies.sql", "CREATE INDEX webauthn_ceremonies_expires", "DROP INDEX oidc_nonces_expires;\nCREATE INDEX webauthn_ceremonies_expires"}},
			wantErrContain: `00006_webauthn_ceremonies.sql: statement 2: unsupported statement kind "DROP INDEX"`,
		},
		{
			name:   "table dropped in one set",
			sqlite: []edit{{"00006_webauthn_ceremonies.sql", "CREATE INDEX webauthn_ceremonies_expires", "DROP TABLE oidc_nonces;\nCREATE INDEX webauthn_ceremonies_expires"}},
			want:   []string{"table oidc_nonces: in postgres, missing from sqlite"},
		},
		{
			name: "NOT NULL dropped in one set",
			pg:   []edit{{"00006_webauthn_ceremonies.sql", "\n-- +goose Down", "ALTER TABLE oidc_nonces ALTER COLUMN expires DROP NOT NULL;\n\n-- +goose Down"}},
			want: []string{"table oidc_nonces, column expires: NOT NULL in sqlite, nullable in postgres"},
		},
		{
			name:           "unknown ALTER TABLE action in an Up part",
			sqlite:         []edit{{"00003_accounts.sql", "ALTER TABLE tokens ADD COLUMN scopes", "ALTER TABLE tokens RENAME COLUMN label TO name;\nALTER TABLE tokens ADD COLUMN scopes"}},
			wantErrContain: `unsupported statement kind "ALTER TABLE … RENAME"`,
		},
		{
			name:           "index on a missing column",
			sqlite:         []edit{{"00004_oidc.sql", "ON oidc_nonces (expires)", "ON oidc_nonces (expiry)"}},
			wantErrContain: "00004_oidc.sql: statement 2: index oidc_nonces_expires: table oidc_nonces has no column expiry",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lite, err := parseSet(doctor(t, "sqlite/migrations", tc.sqlite))
			if tc.wantErrContain != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErrContain) {
					t.Fatalf("loading the doctored set: error %v, want one containing %q", err, tc.wantErrContain)
				}
				return
			}
			if err != nil {
				t.Fatalf("loading the doctored sqlite set: %v", err)
			}
			pg, err := parseSet(doctor(t, "postgres/migrations", tc.pg))
			if err != nil {
				t.Fatalf("loading the postgres set: %v", err)
			}
			if got := compareSchemas(lite, pg, sqliteSet, postgresSet); !slices.Equal(got, tc.want) {
				t.Errorf("differences:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(tc.want, "\n\t"))
			}
		})
	}
}

func TestMigrationParserRefuses(t *testing.T) {
	for _, tc := range []struct{ name, sql, want string }{
		{"no Up part", "CREATE TABLE t (a TEXT);\n", "before -- +goose Up"},
		{"two Up parts", "-- +goose Up\nCREATE TABLE t (a TEXT);\n-- +goose Up\n", "second -- +goose Up"},
		{"unknown annotation", "-- +goose Up\n-- +goose ENVSUB ON\nCREATE TABLE t (a TEXT);\n", "unsupported annotation"},
		{"unterminated block", "-- +goose Up\n-- +goose StatementBegin\nCREATE TABLE t (a TEXT);\n", "StatementBegin without StatementEnd"},
		{"unterminated string", "-- +goose Up\nINSERT INTO t VALUES ('x);\n", "unterminated"},
		{"view", "-- +goose Up\nCREATE VIEW v AS SELECT 1;\n", `unsupported statement kind "CREATE VIEW"`},
		{"drop index", "-- +goose Up\nDROP INDEX i;\n", `unsupported statement kind "DROP INDEX"`},
		{"duplicate table", "-- +goose Up\nCREATE TABLE t (a TEXT);\nCREATE TABLE t (b TEXT);\n", "table t exists"},
		{"duplicate column", "-- +goose Up\nCREATE TABLE t (a TEXT, a INTEGER);\n", "column a twice"},
		{"two primary keys", "-- +goose Up\nCREATE TABLE t (a TEXT PRIMARY KEY, b TEXT, PRIMARY KEY (b));\n", "second PRIMARY KEY"},
		{"unknown table option", "-- +goose Up\nCREATE TABLE t (a TEXT) PARTITION BY RANGE (a);\n", "unsupported table option"},
		{"unknown table constraint", "-- +goose Up\nCREATE TABLE t (a TEXT, EXCLUDE USING gist (a WITH =));\n", "unsupported table element"},
		{"index on a missing table", "-- +goose Up\nCREATE INDEX i ON t (a);\n", "no table t"},
		{"insert into a missing table", "-- +goose Up\nINSERT INTO t VALUES (1);\n", "no table t"},
		{"IF NOT EXISTS", "-- +goose Up\nCREATE TABLE IF NOT EXISTS t (a TEXT);\n", "IF NOT EXISTS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseSet(fstest.MapFS{"00001_x.sql": {Data: []byte(tc.sql)}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// loadDir parses the migration set in dir (relative to store/).
func loadDir(t *testing.T, dir string) *schema {
	t.Helper()
	s, err := parseSet(os.DirFS(dir))
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	return s
}

// doctor copies the migration set in dir into memory with the edits made.
func doctor(t *testing.T, dir string, edits []edit) fs.FS {
	t.Helper()
	files, err := fs.Glob(os.DirFS(dir), "*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("%s: no migrations (%v)", dir, err)
	}
	m := fstest.MapFS{}
	for _, f := range files {
		b, err := os.ReadFile(path.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		m[f] = &fstest.MapFile{Data: b}
	}
	for _, e := range edits {
		f, ok := m[e.file]
		if !ok {
			t.Fatalf("%s: no file %s to doctor", dir, e.file)
		}
		if n := strings.Count(string(f.Data), e.old); n != 1 {
			t.Fatalf("%s/%s: %q occurs %d times, want once", dir, e.file, e.old, n)
		}
		f.Data = []byte(strings.Replace(string(f.Data), e.old, e.new, 1))
	}
	return m
}

// schema is what the migrations leave: the tables by name.
type schema struct {
	tables  map[string]*table
	indexes map[string]string // index name → table
}

type table struct {
	name    string
	columns map[string]*column
	// keys holds the unique keys, each as "PRIMARY KEY (a, b)", "UNIQUE (a)" or "UNIQUE (a) WHERE …".
	keys          map[string]bool
	hasPrimaryKey bool
}

type column struct {
	notNull bool
}

// compareSchemas lists, sorted, every way in which a (migration set nameA) and b (nameB) disagree.
func compareSchemas(a, b *schema, nameA, nameB string) []string {
	var diffs []string
	for _, tn := range unionKeys(a.tables, b.tables) {
		ta, tb := a.tables[tn], b.tables[tn]
		switch {
		case tb == nil:
			diffs = append(diffs, fmt.Sprintf("table %s: in %s, missing from %s", tn, nameA, nameB))
			continue
		case ta == nil:
			diffs = append(diffs, fmt.Sprintf("table %s: in %s, missing from %s", tn, nameB, nameA))
			continue
		}
		for _, cn := range unionKeys(ta.columns, tb.columns) {
			ca, cb := ta.columns[cn], tb.columns[cn]
			switch {
			case cb == nil:
				diffs = append(diffs, fmt.Sprintf("table %s, column %s: in %s, missing from %s", tn, cn, nameA, nameB))
			case ca == nil:
				diffs = append(diffs, fmt.Sprintf("table %s, column %s: in %s, missing from %s", tn, cn, nameB, nameA))
			case ca.notNull != cb.notNull:
				diffs = append(diffs, fmt.Sprintf("table %s, column %s: %s in %s, %s in %s", tn, cn,
					nullability(ca.notNull), nameA, nullability(cb.notNull), nameB))
			}
		}
		for _, k := range unionKeys(ta.keys, tb.keys) {
			switch {
			case !tb.keys[k]:
				diffs = append(diffs, fmt.Sprintf("table %s: unique key %s in %s, missing from %s", tn, k, nameA, nameB))
			case !ta.keys[k]:
				diffs = append(diffs, fmt.Sprintf("table %s: unique key %s in %s, missing from %s", tn, k, nameB, nameA))
			}
		}
	}
	return diffs
}

func nullability(notNull bool) string {
	if notNull {
		return "NOT NULL"
	}
	return "nullable"
}

func unionKeys[V any](a, b map[string]V) []string {
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// parseSet applies the Up parts of the migrations in fsys (*.sql, ordered by goose version) to an empty schema.
func parseSet(fsys fs.FS) (*schema, error) {
	files, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no migrations")
	}
	versions := map[string]int64{}
	for _, f := range files {
		num, _, ok := strings.Cut(f, "_")
		v, err := strconv.ParseInt(num, 10, 64)
		if !ok || err != nil {
			return nil, fmt.Errorf("%s: not named VERSION_name.sql", f)
		}
		versions[f] = v
	}
	slices.SortFunc(files, func(x, y string) int { return int(versions[x] - versions[y]) })
	for i := 1; i < len(files); i++ {
		if versions[files[i]] == versions[files[i-1]] {
			return nil, fmt.Errorf("%s and %s: same version", files[i-1], files[i])
		}
	}
	s := &schema{tables: map[string]*table{}, indexes: map[string]string{}}
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		stmts, err := upStatements(string(b))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for i, st := range stmts {
			if err := s.apply(st); err != nil {
				return nil, fmt.Errorf("%s: statement %d: %w", f, i+1, err)
			}
		}
	}
	return s, nil
}

// upStatements returns the statements of a migration's Up part, as tokens, comments stripped. Outside a
// StatementBegin/StatementEnd block statements end at a semicolon; inside one, the block is one statement.
func upStatements(src string) ([][]sqlToken, error) {
	const (
		before = iota
		up
		down
	)
	part, inBlock := before, false
	var stmts [][]sqlToken
	var buf, block strings.Builder
	flush := func() error {
		toks, err := lex(buf.String())
		buf.Reset()
		if err != nil {
			return err
		}
		var cur []sqlToken
		for _, tk := range toks {
			if tk.is(";") {
				if len(cur) > 0 {
					stmts = append(stmts, cur)
				}
				cur = nil
				continue
			}
			cur = append(cur, tk)
		}
		if len(cur) > 0 {
			return fmt.Errorf("statement without a closing semicolon: %s", render(cur))
		}
		return nil
	}
	for n, line := range strings.Split(src, "\n") {
		trimmed := strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(trimmed, "-- +goose "); ok {
			switch ann := strings.TrimSpace(rest); ann {
			case "Up":
				if part != before {
					return nil, fmt.Errorf("line %d: second -- +goose Up", n+1)
				}
				toks, err := lex(buf.String())
				if err != nil {
					return nil, err
				}
				if len(toks) > 0 {
					return nil, fmt.Errorf("line %d: SQL before -- +goose Up: %s", n+1, render(toks))
				}
				buf.Reset()
				part = up
			case "Down":
				if part != up || inBlock {
					return nil, fmt.Errorf("line %d: -- +goose Down out of place", n+1)
				}
				if err := flush(); err != nil {
					return nil, err
				}
				part = down
			case "StatementBegin":
				if inBlock {
					return nil, fmt.Errorf("line %d: nested StatementBegin", n+1)
				}
				inBlock = true
				if part == up {
					if err := flush(); err != nil {
						return nil, err
					}
				}
			case "StatementEnd":
				if !inBlock {
					return nil, fmt.Errorf("line %d: StatementEnd without StatementBegin", n+1)
				}
				inBlock = false
				if part == up {
					toks, err := lex(block.String())
					if err != nil {
						return nil, err
					}
					if len(toks) > 0 && toks[len(toks)-1].is(";") {
						toks = toks[:len(toks)-1]
					}
					if len(toks) > 0 {
						stmts = append(stmts, toks)
					}
				}
				block.Reset()
			case "NO TRANSACTION":
			default:
				return nil, fmt.Errorf("line %d: unsupported annotation -- +goose %s", n+1, ann)
			}
			continue
		}
		switch {
		case part == down:
		case inBlock:
			block.WriteString(line + "\n")
		default:
			buf.WriteString(line + "\n")
		}
	}
	switch {
	case inBlock:
		return nil, fmt.Errorf("StatementBegin without StatementEnd")
	case part == before:
		toks, err := lex(buf.String())
		if err != nil {
			return nil, err
		}
		if len(toks) > 0 {
			return nil, fmt.Errorf("SQL before -- +goose Up (there is none): %s", render(toks))
		}
		return nil, fmt.Errorf("no -- +goose Up")
	case part == up:
		if err := flush(); err != nil {
			return nil, err
		}
	}
	return stmts, nil
}

type tokenKind int

const (
	word   tokenKind = iota // keyword or unquoted identifier, lower-cased
	quoted                  // "identifier", unquoted
	str                     // 'string', as written
	number
	punct
)

type sqlToken struct {
	kind tokenKind
	text string
}

func (t sqlToken) is(s string) bool { return (t.kind == word || t.kind == punct) && t.text == s }

// name is the identifier a token stands for, if it is one.
func (t sqlToken) name() (string, bool) { return t.text, t.kind == word || t.kind == quoted }

func (t sqlToken) String() string {
	if t.kind == quoted {
		return `"` + strings.ReplaceAll(t.text, `"`, `""`) + `"`
	}
	return t.text
}

// render joins tokens with single spaces: the text of SQL with whitespace, comments and keyword case normalised.
func render(toks []sqlToken) string {
	parts := make([]string, len(toks))
	for i, t := range toks {
		parts[i] = t.String()
	}
	return strings.Join(parts, " ")
}

// lex splits SQL into tokens, dropping whitespace and comments (-- to the end of the line, /* … */).
func lex(src string) ([]sqlToken, error) {
	var toks []sqlToken
	isWord := func(c byte) bool {
		return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.HasPrefix(src[i:], "--"):
			if j := strings.IndexByte(src[i:], '\n'); j >= 0 {
				i += j
			} else {
				i = len(src)
			}
		case strings.HasPrefix(src[i:], "/*"):
			j := strings.Index(src[i+2:], "*/")
			if j < 0 {
				return nil, fmt.Errorf("unterminated /* comment")
			}
			i += 2 + j + 2
		case c == '\'' || c == '"':
			j := i + 1
			for {
				k := strings.IndexByte(src[j:], c)
				if k < 0 {
					return nil, fmt.Errorf("unterminated %c…%c: %.40s", c, c, src[i:])
				}
				j += k + 1
				if j < len(src) && src[j] == c { // doubled: an escaped quote
					j++
					continue
				}
				break
			}
			if c == '\'' {
				toks = append(toks, sqlToken{str, src[i:j]})
			} else {
				toks = append(toks, sqlToken{quoted, strings.ReplaceAll(src[i+1:j-1], `""`, `"`)})
			}
			i = j
		case c == '$':
			return nil, fmt.Errorf("dollar-quoted text is not supported: %.40s", src[i:])
		case c >= '0' && c <= '9':
			j := i
			for j < len(src) && (isWord(src[j]) || src[j] == '.') {
				j++
			}
			toks = append(toks, sqlToken{number, src[i:j]})
			i = j
		case isWord(c):
			j := i
			for j < len(src) && isWord(src[j]) {
				j++
			}
			toks = append(toks, sqlToken{word, strings.ToLower(src[i:j])})
			i = j
		default:
			toks = append(toks, sqlToken{punct, string(c)})
			i++
		}
	}
	return toks, nil
}

// sqlParser walks the tokens of one statement.
type sqlParser struct {
	toks []sqlToken
	pos  int
}

func (p *sqlParser) done() bool { return p.pos >= len(p.toks) }

func (p *sqlParser) peek(s string) bool { return !p.done() && p.toks[p.pos].is(s) }

// accept consumes the words or punctuation in seq if they come next.
func (p *sqlParser) accept(seq ...string) bool {
	if p.pos+len(seq) > len(p.toks) {
		return false
	}
	for i, s := range seq {
		if !p.toks[p.pos+i].is(s) {
			return false
		}
	}
	p.pos += len(seq)
	return true
}

func (p *sqlParser) expect(seq ...string) error {
	if !p.accept(seq...) {
		return fmt.Errorf("expected %s at %q", strings.Join(seq, " "), render(p.toks[p.pos:]))
	}
	return nil
}

func (p *sqlParser) name(what string) (string, error) {
	if p.done() {
		return "", fmt.Errorf("expected %s name at the end", what)
	}
	n, ok := p.toks[p.pos].name()
	if !ok {
		return "", fmt.Errorf("expected %s name at %q", what, render(p.toks[p.pos:]))
	}
	p.pos++
	if p.peek(".") {
		return "", fmt.Errorf("schema-qualified %s name %s.… is not supported", what, n)
	}
	return n, nil
}

// group consumes a parenthesised group and returns its elements, split at its top-level commas.
func (p *sqlParser) group() ([][]sqlToken, error) {
	if err := p.expect("("); err != nil {
		return nil, err
	}
	var elems [][]sqlToken
	var cur []sqlToken
	for depth := 1; ; p.pos++ {
		if p.done() {
			return nil, fmt.Errorf("unbalanced parentheses")
		}
		t := p.toks[p.pos]
		switch {
		case t.is("("):
			depth++
		case t.is(")"):
			depth--
			if depth == 0 {
				p.pos++
				if len(cur) > 0 || len(elems) > 0 {
					elems = append(elems, cur)
				}
				return elems, nil
			}
		case t.is(",") && depth == 1:
			elems = append(elems, cur)
			cur = nil
			continue
		}
		cur = append(cur, t)
	}
}

func (s *schema) table(name string) (*table, error) {
	t, ok := s.tables[name]
	if !ok {
		return nil, fmt.Errorf("no table %s", name)
	}
	return t, nil
}

// apply changes the schema as the statement does, or says why it cannot.
func (s *schema) apply(toks []sqlToken) error {
	p := &sqlParser{toks: toks}
	switch {
	case p.accept("create", "table"):
		if p.peek("if") {
			return fmt.Errorf("CREATE TABLE IF NOT EXISTS is not supported")
		}
		name, err := p.name("table")
		if err != nil {
			return err
		}
		if _, ok := s.tables[name]; ok {
			return fmt.Errorf("table %s exists", name)
		}
		t := &table{name: name, columns: map[string]*column{}, keys: map[string]bool{}}
		elems, err := p.group()
		if err != nil {
			return fmt.Errorf("table %s: %w", name, err)
		}
		for _, e := range elems {
			if err := t.element(e); err != nil {
				return fmt.Errorf("table %s: %w", name, err)
			}
		}
		if len(t.columns) == 0 {
			return fmt.Errorf("table %s: no columns", name)
		}
		// SQLite's table options; they do not change what the comparison looks at.
		for !p.done() {
			if !p.accept("strict") && !p.accept("without", "rowid") && !p.accept(",") {
				return fmt.Errorf("table %s: unsupported table option %q", name, render(p.toks[p.pos:]))
			}
		}
		s.tables[name] = t
		return nil

	case p.peek("create") && (p.pos+1 < len(toks) && (toks[1].is("index") || toks[1].is("unique"))):
		p.accept("create")
		unique := p.accept("unique")
		if err := p.expect("index"); err != nil {
			return err
		}
		if p.peek("if") || p.peek("concurrently") {
			return fmt.Errorf("CREATE INDEX %s is not supported", toks[p.pos].text)
		}
		name, err := p.name("index")
		if err != nil {
			return err
		}
		if on, ok := s.indexes[name]; ok {
			return fmt.Errorf("index %s exists (on %s)", name, on)
		}
		if err := p.expect("on"); err != nil {
			return fmt.Errorf("index %s: %w", name, err)
		}
		tn, err := p.name("table")
		if err != nil {
			return fmt.Errorf("index %s: %w", name, err)
		}
		t, err := s.table(tn)
		if err != nil {
			return fmt.Errorf("index %s: %w", name, err)
		}
		elems, err := p.group()
		if err != nil {
			return fmt.Errorf("index %s: %w", name, err)
		}
		cols, err := t.indexColumns(elems)
		if err != nil {
			return fmt.Errorf("index %s: %w", name, err)
		}
		key := "UNIQUE (" + strings.Join(cols, ", ") + ")"
		if p.accept("where") {
			if p.done() {
				return fmt.Errorf("index %s: empty WHERE", name)
			}
			key += " WHERE " + render(p.toks[p.pos:])
			p.pos = len(p.toks)
		}
		if !p.done() {
			return fmt.Errorf("index %s: unsupported %q", name, render(p.toks[p.pos:]))
		}
		s.indexes[name] = tn
		if unique {
			t.keys[key] = true
		}
		return nil

	case p.accept("alter", "table"):
		name, err := p.name("table")
		if err != nil {
			return err
		}
		t, err := s.table(name)
		if err != nil {
			return err
		}
		switch {
		case p.accept("rename", "to"):
			to, err := p.name("table")
			if err != nil {
				return err
			}
			if _, ok := s.tables[to]; ok {
				return fmt.Errorf("table %s exists", to)
			}
			delete(s.tables, name)
			t.name, s.tables[to] = to, t
			for ix, on := range s.indexes {
				if on == name {
					s.indexes[ix] = to
				}
			}
			return nil
		case p.accept("alter", "column"):
			cn, err := p.name("column")
			if err != nil {
				return err
			}
			c, ok := t.columns[cn]
			if !ok || !p.accept("drop", "not", "null") || !p.done() {
				return fmt.Errorf("unsupported statement kind %q: %s", "ALTER TABLE … ALTER COLUMN", render(toks))
			}
			c.notNull = false
			return nil
		case p.accept("add", "constraint"):
			// A CHECK is not compared; a unique key added this way would be, so it is refused.
			if _, err := p.name("constraint"); err != nil || !p.accept("check") {
				return fmt.Errorf("unsupported statement kind %q: %s", "ALTER TABLE … ADD constraint", render(toks))
			}
			return nil
		}
		if !p.accept("add") {
			kind := "ALTER TABLE"
			if !p.done() {
				kind += " … " + strings.ToUpper(p.toks[p.pos].text)
			}
			return fmt.Errorf("unsupported statement kind %q: %s", kind, render(toks))
		}
		p.accept("column")
		if p.peek("constraint") || p.peek("primary") || p.peek("unique") || p.peek("check") || p.peek("foreign") {
			return fmt.Errorf("unsupported statement kind %q: %s", "ALTER TABLE … ADD constraint", render(toks))
		}
		if err := t.element(p.toks[p.pos:]); err != nil {
			return fmt.Errorf("table %s: %w", name, err)
		}
		return nil

	case p.accept("drop", "table"):
		name, err := p.name("table")
		if err != nil {
			return err
		}
		if _, err := s.table(name); err != nil {
			return err
		}
		delete(s.tables, name)
		for ix, on := range s.indexes {
			if on == name {
				delete(s.indexes, ix)
			}
		}
		return nil

	case p.accept("pragma") || p.accept("begin") || p.accept("commit"):
		return nil // no schema change

	case p.accept("delete", "from") || p.accept("update"):
		// Rows change no schema; the table must exist all the same.
		name, err := p.name("table")
		if err != nil {
			return err
		}
		_, err = s.table(name)
		return err

	case p.accept("insert", "into"):
		// Rows change no schema; the table must exist all the same.
		name, err := p.name("table")
		if err != nil {
			return err
		}
		_, err = s.table(name)
		return err
	}
	kind := ""
	for i := 0; i < len(toks) && i < 2; i++ {
		kind = strings.TrimSpace(kind + " " + strings.ToUpper(toks[i].text))
	}
	return fmt.Errorf("unsupported statement kind %q (teach store/migrations_test.go this kind before a migration uses it): %s",
		kind, render(toks))
}

// element adds a CREATE TABLE element, a column definition or a table constraint, to t.
func (t *table) element(e []sqlToken) error {
	if len(e) == 0 {
		return fmt.Errorf("empty element")
	}
	p := &sqlParser{toks: e}
	if p.accept("constraint") {
		if _, err := p.name("constraint"); err != nil {
			return err
		}
		if p.done() || p.toks[p.pos].kind != word {
			return fmt.Errorf("unsupported table element %q", render(e))
		}
	}
	switch {
	case p.accept("primary", "key"):
		cols, err := t.keyColumns(p)
		if err != nil {
			return err
		}
		for _, c := range cols {
			t.columns[c].notNull = true
		}
		return t.primaryKey(cols)
	case p.accept("unique"):
		cols, err := t.keyColumns(p)
		if err != nil {
			return err
		}
		t.keys["UNIQUE ("+strings.Join(cols, ", ")+")"] = true
		return nil
	case p.accept("check"), p.accept("foreign", "key"):
		return nil // not compared
	case p.pos > 0, p.peek("exclude"), p.peek("like"):
		return fmt.Errorf("unsupported table element %q", render(e))
	}

	// A column: its name, its type (not compared), then constraints. Only top-level NOT NULL, PRIMARY KEY and
	// UNIQUE matter; parenthesised parts (type modifiers, CHECK, REFERENCES' columns) and strings are skipped.
	name, err := p.name("column")
	if err != nil {
		return err
	}
	if _, ok := t.columns[name]; ok {
		return fmt.Errorf("column %s twice", name)
	}
	c := &column{}
	t.columns[name] = c
	depth := 0
	for ; !p.done(); p.pos++ {
		tk := p.toks[p.pos]
		switch {
		case tk.is("("):
			depth++
		case tk.is(")"):
			depth--
		case depth > 0:
		case tk.is("not") && p.pos+1 < len(e) && e[p.pos+1].is("null"):
			c.notNull = true
		case tk.is("primary") && p.pos+1 < len(e) && e[p.pos+1].is("key"):
			c.notNull = true
			if err := t.primaryKey([]string{name}); err != nil {
				return err
			}
		case tk.is("unique"):
			t.keys["UNIQUE ("+name+")"] = true
		}
	}
	return nil
}

func (t *table) primaryKey(cols []string) error {
	if t.hasPrimaryKey {
		return fmt.Errorf("second PRIMARY KEY (%s)", strings.Join(cols, ", "))
	}
	t.hasPrimaryKey = true
	t.keys["PRIMARY KEY ("+strings.Join(cols, ", ")+")"] = true
	return nil
}

// keyColumns parses the column list of a PRIMARY KEY or UNIQUE table constraint: plain names of t's columns.
func (t *table) keyColumns(p *sqlParser) ([]string, error) {
	if p.peek("nulls") {
		return nil, fmt.Errorf("UNIQUE NULLS … is not supported")
	}
	elems, err := p.group()
	if err != nil {
		return nil, err
	}
	var cols []string
	for _, e := range elems {
		n, ok := sqlToken{}, len(e) == 1
		if ok {
			n = e[0]
		}
		name, isName := n.name()
		if !ok || !isName {
			return nil, fmt.Errorf("key column %q: only plain column names are supported", render(e))
		}
		if t.columns[name] == nil {
			return nil, fmt.Errorf("key on a missing column %s", name)
		}
		cols = append(cols, name)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("key without columns")
	}
	if !p.done() {
		return nil, fmt.Errorf("unsupported %q after a key's columns", render(p.toks[p.pos:]))
	}
	return cols, nil
}

// indexColumns renders the columns of CREATE INDEX: a column (checked to exist), or an expression as written.
func (t *table) indexColumns(elems [][]sqlToken) ([]string, error) {
	var cols []string
	for _, e := range elems {
		if len(e) == 0 {
			return nil, fmt.Errorf("empty index column")
		}
		if name, ok := e[0].name(); ok && (len(e) == 1 || !e[1].is("(")) {
			if t.columns[name] == nil {
				return nil, fmt.Errorf("table %s has no column %s", t.name, name)
			}
		}
		cols = append(cols, render(e))
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("index without columns")
	}
	return cols, nil
}
