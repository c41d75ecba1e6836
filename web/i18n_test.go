package web

import (
	"io/fs"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/policy"
)

func TestCatalogs_SameKeys(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range langs {
		for _, b := range langs {
			for k := range c[a] {
				if _, ok := c[b][k]; !ok {
					t.Errorf("key %q is in locale/%s.json but not in locale/%s.json", k, a, b)
				}
			}
		}
		for k, v := range c[a] {
			if strings.TrimSpace(v) == "" {
				t.Errorf("locale/%s.json: %q is empty", a, k)
			}
			if strings.Count(v, "%") != strings.Count(c[langs[0]][k], "%") {
				t.Errorf("key %q: the languages do not take the same arguments", k)
			}
		}
	}
}

// templateKeys finds the keys templates name literally: {{t "key"}}, (t "key").
var templateKeys = regexp.MustCompile(`\bt "([^"]+)"`)

func TestCatalogs_EveryKeyUsedExists(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	check := func(where, key string) {
		t.Helper()
		if !c.has(key) {
			t.Errorf("%s uses key %q, which a catalogue lacks", where, key)
		}
	}
	files, _ := fs.Glob(templateFS, "templates/*.html")
	for _, f := range files {
		b, _ := templateFS.ReadFile(f)
		for _, m := range templateKeys.FindAllStringSubmatch(string(b), -1) {
			check(f, m[1])
		}
	}
	// Keys in the Go of the UI: the fields of page structs that hold keys, and the helpers that take one.
	goKeys := []*regexp.Regexp{
		regexp.MustCompile(`\b(?:Label|Help|Title|Intro|Key|Submit|Caption|Empty|Warning|Message|About|field|message):\s*"([^"]+)"`),
		regexp.MustCompile(`keyCell\("([^"]+)"\)`),
		regexp.MustCompile(`form(?:Date|Level|Uint|Days)\(\w+, "[^"]+", "([^"]+)"`),
		regexp.MustCompile(`proofForm\("([^"]+)", "([^"]+)"`),
		regexp.MustCompile(`\btr?\("([^"]+)"\)`),
	}
	columns := regexp.MustCompile(`Columns:\s*\[\]string\{([^}]*)\}`)
	oks := regexp.MustCompile(`seeOther\(w, r, [^\n]*, "([a-z_]+)"\)`)
	srcs, _ := filepath.Glob("ui*.go")
	for _, f := range srcs {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		for _, re := range goKeys {
			for _, m := range re.FindAllStringSubmatch(src, -1) {
				for _, k := range m[1:] {
					if !strings.HasSuffix(k, ".") { // a prefix, completed by a value: see TestCatalogs_Enumerations
						check(f, k)
					}
				}
			}
		}
		for _, m := range columns.FindAllStringSubmatch(src, -1) {
			for _, k := range strings.Split(m[1], ",") {
				check(f, strings.Trim(strings.TrimSpace(k), `"`))
			}
		}
		for _, m := range oks.FindAllStringSubmatch(src, -1) {
			check(f, "ok."+m[1])
		}
	}
}

func TestCatalogs_Enumerations(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, l := range append([]cleared.Level{cleared.Unclassified}, cleared.Levels...) {
		keys = append(keys, "level."+l.String())
	}
	add := func(prefix string, vs ...string) {
		for _, v := range vs {
			keys = append(keys, prefix+v)
		}
	}
	add("piece.kind.", string(cleared.Electronic), string(cleared.Physical))
	add("reason.", string(cleared.ReasonSecurity), string(cleared.ReasonInternational), string(cleared.ReasonPotential))
	add("organisation.kind.", string(cleared.PublicBody), string(cleared.Company), string(cleared.ForeignPartner))
	add("role.", string(cleared.RoleNSAOfficer), string(cleared.RoleAuditor), string(cleared.RoleAdmin))
	add("authority.kind.", string(cleared.AuthorityGovernmentMember), string(cleared.AuthorityChiefOfStaff),
		string(cleared.AuthoritySREDirector), string(cleared.AuthorityDelegate))
	add("clearance.status.", string(cleared.ClearanceActive), string(cleared.ClearanceSuspended), string(cleared.ClearanceWithdrawn),
		string(cleared.ClearanceExpired))
	add("clearance.holder.", string(cleared.HolderPerson), string(cleared.HolderFacility))
	add("scope.", string(cleared.ScopeRead), string(cleared.ScopeWrite))
	// Issue 20 §3: facility cases (A15.1, A21.2).
	for _, r := range cleared.OrganRoles {
		add("facility.role.", string(r))
	}
	add("facility.kind.", string(cleared.StorageSafe), string(cleared.StorageStrongroom), string(cleared.StorageCabinet))
	add("facility.lack.", policy.LackDirector, policy.LackRunner, policy.LackOfficer, policy.LackOrganBelow, policy.LackOrganNone,
		policy.LackMeans, policy.LackMeansPlace, policy.LackMeansStorage)
	add("facility.stage.", string(cleared.StageOpened), string(cleared.StageQuestionnaire), string(cleared.StageSigned),
		string(cleared.StageInvestigation), string(cleared.StageReported), string(cleared.StageCommission), string(cleared.StageGranted),
		string(cleared.StageRefused), string(cleared.StageWithdrawn), string(cleared.StageClosedNonCooperation))
	add("problem.", "413", "413.title", "415", "415.title", "405", "405.title")
	for _, k := range keys {
		if !c.has(k) {
			t.Errorf("no message %q", k)
		}
	}
}

// TestCatalogs_EveryRuleHasASentence holds the catalogues to the rules the code refuses by: a refusal is shown
// with a sentence in the reader's language (the service's reason is English, and shown only beside it).
func TestCatalogs_EveryRuleHasASentence(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	ruleRef := regexp.MustCompile(`(?:deny|hidden)\("([^"]+)"|Rule:\s*"([^"]+)"|\b[Rr]ule[A-Za-z]*\s*=\s*"([^"]+)"`)
	found := map[string]bool{}
	for _, dir := range []string{"../policy", "../registry", "../account"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ruleRef.FindAllStringSubmatch(string(b), -1) {
				for _, id := range m[1:] {
					if id != "" {
						found[id] = true
					}
				}
			}
		}
	}
	if len(found) < 15 {
		t.Fatalf("found only %d rule IDs in the code: is the search right?", len(found))
	}
	for id := range found {
		if !c.has("rule." + id) {
			t.Errorf("rule %s is refused by the code but has no sentence in the catalogues (rule.%s)", id, id)
		}
	}
}

// TestTemplates_NoInlineText checks that templates write no text of their own: once the actions ({{…}}) and the
// tags are taken out, no letter is left, and no attribute a person reads (title, alt, placeholder, aria-label)
// holds one.
func TestTemplates_NoInlineText(t *testing.T) {
	comment := regexp.MustCompile(`(?s)\{\{/\*.*?\*/\}\}`)
	action := regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	tag := regexp.MustCompile(`(?s)<[^>]*>`)
	readAttr := regexp.MustCompile(`\b(title|alt|placeholder|aria-label|label)="([^"]*)"`)
	entity := regexp.MustCompile(`&[a-z]+;|&#[0-9]+;`)
	files, _ := fs.Glob(templateFS, "templates/*.html")
	if len(files) < 5 {
		t.Fatalf("only %d templates", len(files))
	}
	for _, f := range files {
		b, _ := templateFS.ReadFile(f)
		s := action.ReplaceAllString(comment.ReplaceAllString(string(b), ""), "\x00")
		for _, tg := range tag.FindAllString(s, -1) {
			for _, a := range readAttr.FindAllStringSubmatch(tg, -1) {
				if strings.ContainsFunc(a[2], unicode.IsLetter) {
					t.Errorf("%s: attribute %s=%q is text outside the catalogues", f, a[1], a[2])
				}
			}
		}
		rest := entity.ReplaceAllString(tag.ReplaceAllString(s, " "), " ")
		for _, line := range strings.Split(rest, "\n") {
			if strings.ContainsFunc(line, unicode.IsLetter) {
				t.Errorf("%s: text outside the catalogues: %q", f, strings.TrimSpace(line))
			}
		}
	}
}

// TestCSS_BannerContrast checks that every level's banner and badge pairs its colour with a text colour at WCAG AA
// contrast (4.5:1).
func TestCSS_BannerContrast(t *testing.T) {
	b, err := staticFS.ReadFile("static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	rule := regexp.MustCompile(`\.(banner|level)-([a-z-]+) \{ background: #([0-9a-f]{6}); color: #([0-9a-f]{6}); \}`)
	seen := map[string]bool{}
	for _, m := range rule.FindAllStringSubmatch(string(b), -1) {
		seen[m[1]+"-"+m[2]] = true
		if r := contrast(m[3], m[4]); r < 4.5 {
			t.Errorf(".%s-%s: contrast %.2f, want at least 4.5", m[1], m[2], r)
		}
	}
	for _, l := range append([]cleared.Level{cleared.Unclassified}, cleared.Levels...) {
		for _, kind := range []string{"banner", "level"} {
			if !seen[kind+"-"+levelClass(l)] {
				t.Errorf("no colours for .%s-%s", kind, levelClass(l))
			}
		}
	}
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(hex string) float64 {
	var c [3]float64
	for i := range 3 {
		v, _ := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		x := float64(v) / 255
		if x <= 0.04045 {
			c[i] = x / 12.92
		} else {
			c[i] = math.Pow((x+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}

func TestLangOf(t *testing.T) {
	for _, tc := range []struct{ accept, cookie, want string }{
		{"", "", "fr"},
		{"en-US,en;q=0.9", "", "en"},
		{"de-DE,de;q=0.9", "", "fr"},
		{"de, en;q=0.5, fr;q=0.4", "", "en"},
		{"fr-LU", "", "fr"},
		{"en", "fr", "fr"},
		{"fr", "en", "en"},
		{"en", "xx", "en"},
	} {
		r := httptest.NewRequest("GET", "/login", nil)
		if tc.accept != "" {
			r.Header.Set("Accept-Language", tc.accept)
		}
		if tc.cookie != "" {
			r.Header.Set("Cookie", langCookie+"="+tc.cookie)
		}
		if got := langOf(r); got != tc.want {
			t.Errorf("Accept-Language %q, cookie %q: %s, want %s", tc.accept, tc.cookie, got, tc.want)
		}
	}
}

func TestLocalPath(t *testing.T) {
	good := []string{"/ui/", "/ui/pieces?q=x", "/login", "/login/second-factor"}
	bad := []string{"", "//evil.example", "/\\evil.example", "https://evil.example/ui/", "/api/pieces", "ui/", "/ui/\r\nX: y", "/static/app.css", "/lang/en"}
	for _, p := range good {
		if localPath(p) != p {
			t.Errorf("localPath(%q) refused", p)
		}
	}
	for _, p := range bad {
		if localPath(p) != "" {
			t.Errorf("localPath(%q) accepted", p)
		}
	}
}

func TestBannerOf(t *testing.T) {
	nato := &cleared.ForeignMarking{Scheme: cleared.SchemeNATO, Marking: "NATO SECRET"}
	for _, tc := range []struct {
		name string
		ps   []cleared.Piece
		want banner
	}{
		{"no piece: unclassified", nil, banner{}},
		{"one piece: its marking", []cleared.Piece{{Level: cleared.Secret, Foreign: nato}}, banner{cleared.Secret, "NATO SECRET / SECRET LUX"}},
		{"the highest level wins", []cleared.Piece{{Level: cleared.Restricted}, {Level: cleared.TopSecret}, {Level: cleared.Secret}},
			banner{cleared.TopSecret, "TRES SECRET LUX"}},
		{"national and foreign at the top level: the national marking", []cleared.Piece{{Level: cleared.Secret, Foreign: nato}, {Level: cleared.Secret}},
			banner{cleared.Secret, "SECRET LUX"}},
		{"a foreign piece below the top does not count", []cleared.Piece{{Level: cleared.Confidential, Foreign: nato}, {Level: cleared.Secret}},
			banner{cleared.Secret, "SECRET LUX"}},
	} {
		if got := bannerOf(tc.ps...); got != tc.want {
			t.Errorf("A7.1 %s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
	if !slices.Equal([]string{levelClass(cleared.TopSecret)}, []string{"top-secret"}) {
		t.Errorf("class of TOP_SECRET")
	}
}
