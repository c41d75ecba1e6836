package stix_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/sharing/stix"
)

var (
	t0 = time.Date(2026, 3, 1, 10, 0, 0, 123456789, time.UTC)
	t1 = t0.Add(90 * time.Minute)
)

// product returns a NATO SECRET product with one indicator of every type cleared exchanges.
func product() cleared.SharedProduct {
	return cleared.SharedProduct{
		UUID: "5b0e6e0e-8b1c-5a4e-9d3b-2f1a0c9e7d61",
		Product: cleared.Product{
			Title:   "APT-X targets ministries",
			Summary: "Spear-phishing <campaign> & exfiltration.",
			Labels:  []string{"apt-x", "phishing"},
			Indicators: []cleared.Indicator{
				{Type: "ip-src", Value: "198.51.100.7", ToIDS: true},
				{Type: "ip-dst", Value: "2001:db8::1", ToIDS: true},
				{Type: "domain", Value: "evil.example", ToIDS: true},
				{Type: "hostname", Value: "c2.evil.example", ToIDS: true},
				{Type: "url", Value: `https://evil.example/a'b\c`, Comment: "landing page", ToIDS: true},
				{Type: "md5", Value: "d41d8cd98f00b204e9800998ecf8427e", ToIDS: true},
				{Type: "sha1", Value: "da39a3ee5e6b4b0d3255bfef95601890afd80709", ToIDS: true},
				{Type: "sha256", Value: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ToIDS: true},
				{Type: "email-src", Value: "boss@evil.example", ToIDS: true},
				{Type: "email-dst", Value: "victim@gov.example", ToIDS: true},
				{Type: "filename", Value: "invoice.pdf.exe", ToIDS: true},
				{Type: "text", Value: "Operators work UTC+3 office hours.", Comment: "analyst note"},
			},
		},
		Level:      cleared.Secret,
		Scheme:     "NATO",
		Marking:    "NATO SECRET",
		TLP:        cleared.TLPAmber,
		PAP:        cleared.PAPGreen,
		Originator: "Service de renseignement de l'État",
		Created:    t0,
		Modified:   t1,
	}
}

func objectsByType(t *testing.T, os []stix.Object) map[string][]map[string]any {
	t.Helper()
	m := map[string][]map[string]any{}
	for _, o := range os {
		var v map[string]any
		if err := json.Unmarshal(o.JSON, &v); err != nil {
			t.Fatalf("object %s is not JSON: %v", o.ID, err)
		}
		if v["id"] != o.ID || v["type"] != o.Type {
			t.Fatalf("object %s: JSON says id %v type %v", o.ID, v["id"], v["type"])
		}
		m[o.Type] = append(m[o.Type], v)
	}
	return m
}

func TestObjects_S1_renders_report_indicators_identity_markings(t *testing.T) {
	p := product()
	os, err := stix.Objects(p, stix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := objectsByType(t, os)
	if len(m["report"]) != 1 || len(m["indicator"]) != 11 || len(m["note"]) != 1 || len(m["identity"]) != 1 {
		t.Fatalf("got %d reports, %d indicators, %d notes, %d identities; want 1, 11, 1, 1",
			len(m["report"]), len(m["indicator"]), len(m["note"]), len(m["identity"]))
	}
	r := m["report"][0]
	if r["id"] != "report--"+p.UUID || r["name"] != p.Title || r["description"] != p.Summary {
		t.Errorf("report id/name/description = %v / %v / %v", r["id"], r["name"], r["description"])
	}
	if r["created"] != "2026-03-01T10:00:00.123Z" || r["modified"] != "2026-03-01T11:30:00.123Z" || r["published"] != r["created"] {
		t.Errorf("report times = %v %v %v, want millisecond RFC 3339", r["created"], r["modified"], r["published"])
	}
	if refs := r["object_refs"].([]any); len(refs) != 12 {
		t.Errorf("report refers to %d objects, want 12 (11 indicators and the note)", len(refs))
	}
	if r["created_by_ref"] != m["identity"][0]["id"] || m["identity"][0]["name"] != p.Originator {
		t.Errorf("report created by %v, identity %v named %v", r["created_by_ref"], m["identity"][0]["id"], m["identity"][0]["name"])
	}
	want := map[string]string{
		"ip-src":    "[ipv4-addr:value = '198.51.100.7']",
		"ip-dst":    "[ipv6-addr:value = '2001:db8::1']",
		"url":       `[url:value = 'https://evil.example/a\'b\\c']`,
		"md5":       "[file:hashes.'MD5' = 'd41d8cd98f00b204e9800998ecf8427e']",
		"sha1":      "[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']",
		"email-dst": "[email-addr:value = 'victim@gov.example']",
		"filename":  "[file:name = 'invoice.pdf.exe']",
		"hostname":  "[domain-name:value = 'c2.evil.example']",
	}
	for _, in := range m["indicator"] {
		typ := strings.TrimSuffix(strings.TrimPrefix(in["labels"].([]any)[0].(string), `misp:type="`), `"`)
		if w, ok := want[typ]; ok && in["pattern"] != w {
			t.Errorf("%s: pattern %v, want %s", typ, in["pattern"], w)
		}
		if in["valid_from"] != r["created"] || in["pattern_type"] != "stix" {
			t.Errorf("%s: valid_from %v pattern_type %v", typ, in["valid_from"], in["pattern_type"])
		}
	}
	for _, typ := range []string{"report", "indicator", "note"} {
		for _, v := range m[typ] {
			if refs, _ := v["object_marking_refs"].([]any); len(refs) != 3 {
				t.Errorf("%s %v carries %d markings, want TLP, classification and PAP", typ, v["id"], len(refs))
			}
		}
	}
}

// Found pulling from cleared's own TAXII server over several pages: the producer's identity carried each product's
// markings, so the same identity at the same version came with different content, and a strict reader (cleared's
// own) refused the poll. One id at one version is one content (STIX 2.1, 3.6).
func TestObjects_S1_identity_is_one_object_for_every_product(t *testing.T) {
	secret, open := product(), product()
	open.UUID, open.Level, open.Marking, open.TLP = "0f6c2d7e-8a1b-4c3d-9e5f-a1b2c3d4e5f6", cleared.Unclassified, "", cleared.TLPGreen
	identityOf := func(p cleared.SharedProduct) string {
		os, err := stix.Objects(p, stix.Options{ACS: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range os {
			if o.Type == "identity" {
				b, err := json.Marshal(o)
				if err != nil {
					t.Fatal(err)
				}
				return string(b)
			}
		}
		t.Fatal("no identity")
		return ""
	}
	if a, b := identityOf(secret), identityOf(open); a != b {
		t.Errorf("the producer's identity differs between products:\n%s\n%s", a, b)
	}
}

func TestObjects_S1_deterministic(t *testing.T) {
	a, err := stix.Bundle([]cleared.SharedProduct{product()}, stix.Options{ACS: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := stix.Bundle([]cleared.SharedProduct{product()}, stix.Options{ACS: true})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatalf("two renderings of one product differ:\n%s\n%s", a, b)
	}
	p := product()
	p.Modified = p.Modified.Add(time.Second)
	c, _ := stix.Bundle([]cleared.SharedProduct{p}, stix.Options{ACS: true})
	if bytes.Equal(a, c) {
		t.Fatal("a new version renders the same bundle")
	}
}

func TestObjects_A6_1_classified_without_marking_is_refused(t *testing.T) {
	p := product()
	p.Marking = ""
	if _, err := stix.Objects(p, stix.Options{}); !errors.Is(err, cleared.ErrInvalid) {
		t.Fatalf("a SECRET product with no marking in the partner's scheme rendered: err = %v, want ErrInvalid", err)
	}
}

func TestObjects_A6_1_marking_of_partner_scheme(t *testing.T) {
	for _, tt := range []struct {
		name    string
		level   cleared.Level
		scheme  cleared.Scheme
		marking string
	}{
		{"A6.1 NATO reads NATO SECRET", cleared.Secret, "NATO", "NATO SECRET"},
		{"A6.1 the EU reads SECRET UE/EU SECRET", cleared.Secret, "EU", "SECRET UE/EU SECRET"},
		{"A6.1 a national body reads SECRET LUX", cleared.Secret, cleared.SchemeNational, "SECRET LUX"},
		{"A6.1 NATO reads NATO CONFIDENTIAL", cleared.Confidential, "NATO", "NATO CONFIDENTIAL"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := product()
			p.Level, p.Scheme, p.Marking = tt.level, tt.scheme, tt.marking
			os, err := stix.Objects(p, stix.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var statements []string
			var stmtID string
			for _, v := range objectsByType(t, os)["marking-definition"] {
				if v["definition_type"] == "statement" {
					s := v["definition"].(map[string]any)["statement"].(string)
					statements = append(statements, s)
					if s == tt.marking {
						stmtID = v["id"].(string)
					}
				}
			}
			if stmtID == "" {
				t.Fatalf("statements %q, want the partner's marking %q", statements, tt.marking)
			}
			for _, o := range os {
				// The producer's identity is one object for every product: unmarked.
				if o.Type != "marking-definition" && o.Type != "identity" && !bytes.Contains(o.JSON, []byte(stmtID)) {
					t.Errorf("%s does not carry the classification marking %s", o.ID, stmtID)
				}
			}
		})
	}
	t.Run("A6.1 unclassified carries no classification marking", func(t *testing.T) {
		p := product()
		p.Level, p.Marking, p.PAP = cleared.Unclassified, "", ""
		os, err := stix.Objects(p, stix.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range objectsByType(t, os)["marking-definition"] {
			if v["definition_type"] == "statement" {
				t.Errorf("unclassified product carries statement %v", v["definition"])
			}
		}
	})
}

func TestObjects_S1_TLP_by_fixed_ids(t *testing.T) {
	want := map[cleared.TLP]string{
		cleared.TLPClear:       "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
		cleared.TLPGreen:       "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
		cleared.TLPAmber:       "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
		cleared.TLPAmberStrict: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
		cleared.TLPRed:         "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
	}
	for tlp, id := range want {
		p := product()
		p.TLP = tlp
		os, err := stix.Objects(p, stix.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if os[0].ID != id || !bytes.Contains(os[0].JSON, []byte(`"tlp_2_0":"`+string(tlp)+`"`)) {
			t.Errorf("TLP %s: first definition %s %s, want %s", tlp, os[0].ID, os[0].JSON, id)
		}
	}
}

func TestBundle_S1_each_definition_once(t *testing.T) {
	a, b := product(), product()
	b.UUID = "0c1e2d3f-4a5b-5c6d-8e7f-8091a2b3c4d5"
	b.Title = "Second"
	out, err := stix.Bundle([]cleared.SharedProduct{a, b}, stix.Options{ACS: true})
	if err != nil {
		t.Fatal(err)
	}
	var bundle struct {
		Objects []struct {
			ID   string `json:"id"`
			Type string `json:"type"`
		} `json:"objects"`
	}
	if err := json.Unmarshal(out, &bundle); err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	types := map[string]int{}
	for _, o := range bundle.Objects {
		count[o.ID]++
		types[o.Type]++
	}
	for id, n := range count {
		if n != 1 {
			t.Errorf("%s appears %d times", id, n)
		}
	}
	if types["identity"] != 1 || types["marking-definition"] != 4 || types["report"] != 2 || types["indicator"] != 22 {
		t.Errorf("bundle holds %v; want 1 identity, 4 marking definitions (TLP, classification, PAP, ACS), 2 reports, 22 indicators", types)
	}
}

func TestObjects_S1_pattern_escaping(t *testing.T) {
	p := product()
	p.Indicators = []cleared.Indicator{{Type: "url", Value: `http://x.example/'] OR [file:name = 'a\`}}
	os, err := stix.Objects(p, stix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range os {
		if o.Type != "indicator" {
			continue
		}
		var v struct{ Pattern string }
		if err := json.Unmarshal(o.JSON, &v); err != nil {
			t.Fatal(err)
		}
		if want := `[url:value = 'http://x.example/\'] OR [file:name = \'a\\']`; v.Pattern != want {
			t.Fatalf("pattern %s, want %s", v.Pattern, want)
		}
		return
	}
	t.Fatal("no indicator rendered")
}

func TestObjects_A6_1_ACS_marking_only_when_asked(t *testing.T) {
	const ext = "extension-definition--3a65884d-005a-4290-8335-cb2d778a83ce"
	for _, tt := range []struct {
		level cleared.Level
		code  string
	}{{cleared.Restricted, "C"}, {cleared.Confidential, "C"}, {cleared.Secret, "S"}, {cleared.TopSecret, "TS"}} {
		p := product()
		p.Level = tt.level
		with, err := stix.Bundle([]cleared.SharedProduct{p}, stix.Options{ACS: true})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(with, []byte(ext)) || !bytes.Contains(with, []byte(`"control_set":{"classification":"`+tt.code+`"}`)) {
			t.Errorf("%s with ACS: no ACS marking classified %s in %s", tt.level, tt.code, with)
		}
		without, err := stix.Bundle([]cleared.SharedProduct{p}, stix.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(without, []byte(ext)) {
			t.Errorf("%s without ACS carries the ACS extension", tt.level)
		}
	}
}
