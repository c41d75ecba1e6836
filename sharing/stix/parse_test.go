package stix_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/sharing/stix"
)

func TestParse_S1_round_trip(t *testing.T) {
	for _, acs := range []bool{false, true} {
		p := product()
		b, err := stix.Bundle([]cleared.SharedProduct{p}, stix.Options{ACS: acs})
		if err != nil {
			t.Fatal(err)
		}
		got, err := stix.Parse(b)
		if err != nil {
			t.Fatalf("acs %v: %v", acs, err)
		}
		if len(got) != 1 {
			t.Fatalf("%d reports read back, want 1", len(got))
		}
		im := got[0]
		want := stix.Imported{
			UUID: p.UUID, Product: p.Product, TLP: p.TLP, PAP: p.PAP, Marking: p.Marking, Originator: p.Originator,
			Created: p.Created.Truncate(1e6), Modified: p.Modified.Truncate(1e6),
		}
		if !reflect.DeepEqual(im, want) {
			t.Errorf("acs %v: read back\n%+v\nwant\n%+v", acs, im, want)
		}
	}
}

func TestParse_S1_skips_other_patterns_and_types(t *testing.T) {
	b := bundleWith(`{"type":"indicator","spec_version":"2.1","id":"indicator--11111111-1111-4111-8111-111111111111","created":"2026-03-01T10:00:00.000Z","modified":"2026-03-01T10:00:00.000Z","pattern":"[ipv4-addr:value = '1.2.3.4'] AND [url:value = 'x']","pattern_type":"stix","valid_from":"2026-03-01T10:00:00Z"}`,
		`{"type":"malware","spec_version":"2.1","id":"malware--22222222-2222-4222-8222-222222222222","created":"2026-03-01T10:00:00.000Z","modified":"2026-03-01T10:00:00.000Z","name":"x","is_family":false}`)
	got, err := stix.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Skipped != 2 || len(got[0].Product.Indicators) != 0 {
		t.Fatalf("got %+v, want one report with 2 skipped", got)
	}
}

// bundleWith is a minimal unmarked report referring to the extra objects given.
func bundleWith(extra ...string) []byte {
	var refs []string
	for _, e := range extra {
		i := strings.Index(e, `"id":"`) + 6
		refs = append(refs, `"`+e[i:i+strings.Index(e[i:], `"`)]+`"`)
	}
	objs := append([]string{`{"type":"report","spec_version":"2.1","id":"report--33333333-3333-4333-8333-333333333333","created":"2026-03-01T10:00:00.000Z","modified":"2026-03-01T10:00:00.000Z","name":"R","published":"2026-03-01T10:00:00Z","object_refs":[` + strings.Join(refs, ",") + `]}`}, extra...)
	return []byte(`{"type":"bundle","id":"bundle--44444444-4444-4444-8444-444444444444","objects":[` + strings.Join(objs, ",") + `]}`)
}

func TestParse_A6_1_refuses(t *testing.T) {
	good, err := stix.Bundle([]cleared.SharedProduct{product()}, stix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := string(good)
	tlpAmber := "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
	for _, tt := range []struct{ name, in string }{
		{"A6.1 an undefined marking reference", strings.Replace(string(bundleWith()), `"name":"R"`, `"name":"R","object_marking_refs":["marking-definition--99999999-9999-4999-8999-999999999999"]`, 1)},
		{"A6.1 a marking of a kind cleared cannot read", strings.Replace(string(bundleWith(`{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--99999999-9999-4999-8999-999999999999","created":"2026-03-01T10:00:00.000Z","definition_type":"acme","definition":{"level":"HIGH"}}`)), `"name":"R"`, `"name":"R","object_marking_refs":["marking-definition--99999999-9999-4999-8999-999999999999"]`, 1)},
		{"A6.1 an indicator marked otherwise than its report", strings.Replace(s, `"object_marking_refs":["`+tlpAmber+`",`, `"object_marking_refs":[`, 2)}, // the identity's and the first indicator's
		{"A6.1 a TLP id reused with another TLP", strings.Replace(s, `"tlp_2_0":"amber"`, `"tlp_2_0":"clear"`, 1)},
		{"S1 a duplicate key", strings.Replace(s, `"type":"bundle"`, `"type":"bundle","type":"bundle"`, 1)},
		{"S1 a property of the wrong type", strings.Replace(s, `"pattern_type":"stix"`, `"pattern_type":7`, 1)},
		{"S1 a title of the wrong type", strings.Replace(s, `"name":"APT-X targets ministries"`, `"name":42`, 1)},
		{"S1 deep nesting", `{"type":"bundle","objects":[` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `]}`},
		{"S1 not a bundle", `{"type":"report"}`},
		{"S1 bad UTF-8", "{\"type\":\"bundle\",\"objects\":[\"\xff\"]}"},
		{"S1 an id not naming its type", strings.Replace(s, `"id":"report--`, `"id":"indicator--`, 1)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := stix.Parse([]byte(tt.in)); !errors.Is(err, cleared.ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
		})
	}
	t.Run("S1 too large", func(t *testing.T) {
		big := make([]byte, stix.MaxBundleBytes+1)
		if _, err := stix.Parse(big); !errors.Is(err, cleared.ErrInvalid) {
			t.Fatalf("err = %v, want ErrInvalid", err)
		}
	})
}

func FuzzParse(f *testing.F) {
	for _, acs := range []bool{false, true} {
		b, err := stix.Bundle([]cleared.SharedProduct{product()}, stix.Options{ACS: acs})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(bundleWith())
	f.Add([]byte(``))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"type":"bundle","objects":[{"type":"report","id":"report--x"}]}`))
	f.Add([]byte("\x00garbage[{"))
	files, _ := filepath.Glob("testdata/schemas/sdos/*.json")
	for _, fn := range files[:1] {
		b, _ := os.ReadFile(fn)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := stix.Parse(data)
		if err != nil {
			if !errors.Is(err, cleared.ErrInvalid) {
				t.Fatalf("error of another kind: %v", err)
			}
			return
		}
		for _, im := range got {
			if err := im.Product.Validate(); err != nil {
				t.Fatalf("imported an invalid product: %v", err)
			}
		}
	})
}
