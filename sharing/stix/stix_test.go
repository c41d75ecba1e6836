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
	for _, typ := range []string{"report", "indicator", "note", "identity"} {
		for _, v := range m[typ] {
			if refs, _ := v["object_marking_refs"].([]any); len(refs) != 3 {
				t.Errorf("%s %v carries %d markings, want TLP, classification and PAP", typ, v["id"], len(refs))
			}
		}
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
