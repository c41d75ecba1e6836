//go:build ignore

// Command casemutants runs the mutants gremlins cannot, against one package's own tests, in a copy of the module.
//
// Gremlins (v0.6.0) takes a mutant as covered only when a block of `go test -coverprofile` contains it, and the
// cover tool puts neither a switch's case expressions nor constant declarations in any block: gremlins reports
// them NOT COVERED however well they are tested. With -results, this command applies each mutant of the given
// status from gremlins's JSON report (-o), exactly as gremlins's mutator of that type would, and runs the tests.
// Gremlins also counts a mutant that does not compile as KILLED: -status KILLED runs its kills again, and a build
// failure reads NOT VIABLE here.
//
// Gremlins has no mutator for method calls, so the boundaries of time (t.Before(x), t.After(x)) are never
// mutated. With -time, this command turns each x.Before(y) into !x.After(y) (strictly before becomes not after:
// the boundary instant changes side) and each x.After(y) into !x.Before(y), in the package's non-test files.
//
// Usage, from the module root:
//
//	gremlins unleash ./policy --workers 1 --timeout-coefficient 30 -o /tmp/policy.json
//	go run .ci/casemutants.go -results /tmp/policy.json -pkg policy
//	go run .ci/casemutants.go -results /tmp/policy.json -pkg policy -status KILLED
//	go run .ci/casemutants.go -time -pkg policy
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// mutations are gremlins's token mutations (internal/engine/mappings.go): the types enabled by default, and
// --invert-logical and --invert-loopctrl.
var mutations = map[string]map[token.Token]token.Token{
	"ARITHMETIC_BASE":       {token.ADD: token.SUB, token.MUL: token.QUO, token.QUO: token.MUL, token.REM: token.MUL, token.SUB: token.ADD},
	"CONDITIONALS_BOUNDARY": {token.GEQ: token.GTR, token.GTR: token.GEQ, token.LEQ: token.LSS, token.LSS: token.LEQ},
	"CONDITIONALS_NEGATION": {token.EQL: token.NEQ, token.GEQ: token.LSS, token.GTR: token.LEQ, token.LEQ: token.GTR, token.LSS: token.GEQ, token.NEQ: token.EQL},
	"INVERT_NEGATIVES":      {token.SUB: token.ADD},
	"INCREMENT_DECREMENT":   {token.INC: token.DEC, token.DEC: token.INC},
	"INVERT_LOGICAL":        {token.LAND: token.LOR, token.LOR: token.LAND},
	"INVERT_LOOPCTRL":       {token.BREAK: token.CONTINUE, token.CONTINUE: token.BREAK},
}

// mutant is one change to one file: where, and the file's source with it.
type mutant struct {
	file      string
	line, col int
	kind      string
	desc      string
	src       []byte
}

type report struct {
	Files []struct {
		Name      string `json:"file_name"`
		Mutations []struct {
			Type   string `json:"type"`
			Status string `json:"status"`
			Line   int    `json:"line"`
			Column int    `json:"column"`
		} `json:"mutations"`
	} `json:"files"`
}

func main() {
	results := flag.String("results", "", "gremlins's JSON report (unleash -o) whose mutants to run")
	status := flag.String("status", "NOT COVERED", "with -results, the status of the mutants to run")
	timeBoundary := flag.Bool("time", false, "run the time-boundary mutants of the package instead")
	module := flag.String("module", ".", "module root")
	pkg := flag.String("pkg", "policy", "package directory, relative to the module root")
	timeout := flag.Duration("timeout", 2*time.Minute, "timeout of one test run")
	flag.Parse()

	dir := filepath.Join(*module, *pkg)
	var ms []mutant
	var err error
	switch {
	case *timeBoundary:
		ms, err = timeMutants(dir)
	case *results != "":
		ms, err = reportMutants(dir, *results, *status)
	default:
		err = fmt.Errorf("give -results or -time")
	}
	if err != nil {
		log.Fatal(err)
	}

	work, err := os.MkdirTemp("", "casemutants")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(work)
	if out, err := exec.Command("cp", "-a", *module+"/.", work).CombinedOutput(); err != nil {
		log.Fatalf("copying the module: %v: %s", err, out)
	}
	counts := map[string]int{}
	for _, m := range ms {
		path := filepath.Join(work, *pkg, m.file)
		orig, err := os.ReadFile(path)
		if err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(path, m.src, 0o644); err != nil {
			log.Fatal(err)
		}
		verdict := run(work, *pkg, *timeout)
		if err := os.WriteFile(path, orig, 0o644); err != nil {
			log.Fatal(err)
		}
		counts[verdict]++
		fmt.Printf("%12s %s at %s:%d:%d (%s)\n", verdict, m.kind, m.file, m.line, m.col, m.desc)
	}
	fmt.Printf("Killed: %d, Lived: %d, Timed out: %d, Not viable: %d\n",
		counts["KILLED"], counts["LIVED"], counts["TIMED OUT"], counts["NOT VIABLE"])
}

// run runs the package's tests in the module copy at work and says what became of the mutant.
func run(work, pkg string, timeout time.Duration) string {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "test", "-count=1", "-failfast", "./"+pkg)
	cmd.Dir = work
	out, err := cmd.CombinedOutput()
	switch {
	case ctx.Err() != nil:
		return "TIMED OUT"
	case err == nil:
		return "LIVED"
	case bytes.Contains(out, []byte("[build failed]")) || bytes.Contains(out, []byte("[setup failed]")):
		return "NOT VIABLE"
	}
	return "KILLED"
}

// reportMutants reads the mutants of the given status from a gremlins report.
func reportMutants(dir, results, status string) ([]mutant, error) {
	b, err := os.ReadFile(results)
	if err != nil {
		return nil, err
	}
	var r report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", results, err)
	}
	var ms []mutant
	for _, f := range r.Files {
		src, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil {
			return nil, err
		}
		for _, g := range f.Mutations {
			if g.Status != status {
				continue
			}
			m, err := tokenMutant(src, g.Type, g.Line, g.Column)
			if err != nil {
				return nil, fmt.Errorf("%s:%d:%d: %w", f.Name, g.Line, g.Column, err)
			}
			m.file = f.Name
			ms = append(ms, m)
		}
	}
	return ms, nil
}

// tokenMutant changes the operator at line:col of src as gremlins's mutator typ does: in the syntax tree, printed
// again, so that go/printer adds the parentheses that keep the operands of a changed && or || grouped as they were.
func tokenMutant(src []byte, typ string, line, col int) (mutant, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments)
	if err != nil {
		return mutant{}, err
	}
	var set func(token.Token)
	var tok token.Token
	ast.Inspect(f, func(n ast.Node) bool {
		at := func(pos token.Pos) bool { p := fset.Position(pos); return p.Line == line && p.Column == col }
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if at(n.OpPos) {
				tok, set = n.Op, func(t token.Token) { n.Op = t }
			}
		case *ast.UnaryExpr:
			if at(n.OpPos) {
				tok, set = n.Op, func(t token.Token) { n.Op = t }
			}
		case *ast.BranchStmt:
			if at(n.TokPos) {
				tok, set = n.Tok, func(t token.Token) { n.Tok = t }
			}
		case *ast.IncDecStmt:
			if at(n.TokPos) {
				tok, set = n.Tok, func(t token.Token) { n.Tok = t }
			}
		case *ast.AssignStmt:
			if at(n.TokPos) {
				tok, set = n.Tok, func(t token.Token) { n.Tok = t }
			}
		}
		return set == nil
	})
	if set == nil {
		return mutant{}, fmt.Errorf("no operator at this position")
	}
	to, ok := mutations[typ][tok]
	if !ok {
		return mutant{}, fmt.Errorf("%s does not mutate %s", typ, tok)
	}
	set(to)
	var out bytes.Buffer
	if err := printer.Fprint(&out, fset, f); err != nil {
		return mutant{}, err
	}
	return mutant{line: line, col: col, kind: typ, desc: tok.String() + " to " + to.String(), src: out.Bytes()}, nil
}

// timeMutants are the time-boundary mutants of the package in dir.
func timeMutants(dir string) ([]mutant, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var ms []mutant
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			return nil, err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "Before" && sel.Sel.Name != "After") {
				return true
			}
			other := map[string]string{"Before": "After", "After": "Before"}[sel.Sel.Name]
			start, end := fset.Position(call.Pos()), fset.Position(call.End())
			sp := fset.Position(sel.Sel.Pos())
			text := string(src[start.Offset:end.Offset])
			repl := "!" + string(src[start.Offset:sp.Offset]) + other + string(src[sp.Offset+len(sel.Sel.Name):end.Offset])
			ms = append(ms, mutant{file: filepath.Base(name), line: sp.Line, col: sp.Column, kind: "TIME_BOUNDARY",
				desc: text + " to " + repl, src: splice(src, start.Offset, end.Offset, repl)})
			return true
		})
	}
	return ms, nil
}

func splice(src []byte, from, to int, with string) []byte {
	out := append([]byte{}, src[:from]...)
	out = append(out, with...)
	return append(out, src[to:]...)
}
