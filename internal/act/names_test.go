package act

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// docNames reads the names of the table under "## Actions" in docs/audit.md, in order.
func docNames(t *testing.T) []Name {
	t.Helper()
	b, err := os.ReadFile("../../docs/audit.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## Actions\n")
	if !ok {
		t.Fatal("docs/audit.md has no section ## Actions")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	row := regexp.MustCompile("(?m)^\\| `([a-z_.]+)` \\|")
	var out []Name
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		out = append(out, Name(m[1]))
	}
	return out
}

// The auditors' list of actions and the code's are one list: an action added, renamed or removed in one and not
// the other fails here.
func TestNamesAreTheDocumentedOnes(t *testing.T) {
	doc, code := docNames(t), Names()
	for _, n := range code {
		if !slices.Contains(doc, n) {
			t.Errorf("action %s is not described in docs/audit.md", n)
		}
	}
	for _, n := range doc {
		if !slices.Contains(code, n) {
			t.Errorf("docs/audit.md describes %s, which no code records", n)
		}
	}
	if !slices.Equal(doc, code) && !t.Failed() {
		t.Errorf("docs/audit.md lists the actions in another order than Names:\n doc  %v\n code %v", doc, code)
	}
	seen := map[Name]bool{}
	for _, n := range code {
		if seen[n] {
			t.Errorf("action %s is listed twice", n)
		}
		seen[n] = true
		if !regexp.MustCompile(`^[a-z_]+(\.[a-z_]+)+$`).MatchString(string(n)) {
			t.Errorf("action %q is not register.verb", n)
		}
	}
}
