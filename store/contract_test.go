package store_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// maxMethods bounds what one interface of the storage contract declares directly: past it, a chapter is two.
const maxMethods = 40

// chapters names the file of store/ that declares each chapter of the contract; store/sqlstore implements it in
// a file of the same name, and store/storetest tests it in one.
var chapters = map[string]string{
	"Registers":         "registers.go",
	"Clearances":        "clearances.go",
	"Authorities":       "authorities.go",
	"Pieces":            "pieces.go",
	"Grants":            "grants.go",
	"Places":            "places.go",
	"Credentials":       "credentials.go",
	"EquivalenceTables": "equivalence.go",
	"Settings":          "settings.go",
	"AuditTx":           "audit.go",
	"Cosignatures":      "cosignatures.go",
	"Copies":            "copies.go",
	"Inventories":       "inventories.go",
	"Markings":          "markings.go",
	"Profiles":          "profiles.go",
	"Laws":              "laws.go",
	"Signatures":        "signatures.go",
	"Destructions":      "destructions.go",
	"RegisterReads":     "reads.go",         // issue 18
	"Outbox":            "outbox.go",        // issue 19
	"Transmissions":     "transmissions.go", // issue 19
	// Issue 19: judicial orders (A9.5).
	"JudicialOrders":   "judicial.go",
	"Posts":            "posts.go",         // issue 20
	"Incidents":        "incidents.go",     // issue 19
	"VettingCases":     "vetting_cases.go", // issue 20: intake
	"Investigations":   "investigation.go", // issue 20: investigation and the person's file
	"RenewalReminders": "renewals.go",      // issue 20: renewal reminders (A17.1)
	"Opinions":         "opinions.go",      // issue 20: the commission's opinions (A27.2)

	"VettingRetentions": "vetting_retention.go", // issue 20 §9: retention and purge (A23.2)
	"Commission":        "commission.go",        // issue 20: the commission (A27.2 to A27.4)
	"Decisions":         "decisions.go",         // issue 20: decisions, appeals, suspensions (A27.1, A29.1)
	"Briefings":         "briefings.go",         // issue 20: briefings (A18.1)
	"FacilityCases":     "facility_cases.go",    // issue 20: facility clearances (A15.1, A21.2)
	"Sharing":           "sharing.go",           // issue 21: partners and releases (S1, A11.2)
}

// interfaces parses the Go files of dir (tests aside) and returns, for each interface declared there, the file
// that declares it, the number of methods it declares directly and the interfaces it embeds.
func interfaces(t *testing.T, dir string) map[string]iface {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]iface{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok {
				return true
			}
			it, ok := ts.Type.(*ast.InterfaceType)
			if !ok {
				return true
			}
			i := iface{file: filepath.Base(name)}
			for _, m := range it.Methods.List {
				if _, fn := m.Type.(*ast.FuncType); fn {
					i.methods += len(m.Names)
				} else if id, ok := m.Type.(*ast.Ident); ok {
					i.embeds = append(i.embeds, id.Name)
				}
			}
			out[ts.Name.Name] = i
			return true
		})
	}
	return out
}

type iface struct {
	file    string
	methods int
	embeds  []string
}

func TestNoInterfaceDeclaresMoreThan40Methods(t *testing.T) {
	for name, i := range interfaces(t, ".") {
		if i.methods > maxMethods {
			t.Errorf("store.%s (%s) declares %d methods directly; split it into chapters of at most %d",
				name, i.file, i.methods, maxMethods)
		}
	}
}

func TestTxIsTheChapters(t *testing.T) {
	is := interfaces(t, ".")
	tx, ok := is["Tx"]
	if !ok {
		t.Fatal("store.Tx is not declared")
	}
	if tx.methods != 0 {
		t.Errorf("store.Tx declares %d methods of its own; each belongs in a chapter", tx.methods)
	}
	var want []string
	for c, file := range chapters {
		want = append(want, c)
		i, ok := is[c]
		if !ok {
			t.Errorf("chapter %s is not declared", c)
			continue
		}
		if i.file != file {
			t.Errorf("chapter %s is declared in %s, want %s", c, i.file, file)
		}
		for _, dir := range []string{"sqlstore", "storetest"} {
			if _, err := os.Stat(filepath.Join(dir, file)); err != nil {
				t.Errorf("chapter %s has no %s/%s: %v", c, dir, file, err)
			}
		}
	}
	slices.Sort(want)
	got := slices.Sorted(slices.Values(tx.embeds))
	if !slices.Equal(got, want) {
		t.Errorf("store.Tx embeds %v, want the chapters %v", got, want)
	}
}
