package stix_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/sharing/stix"
)

var received = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// envelopeOf turns a bundle into the TAXII envelope a partner posts: the same objects, without the bundle's type
// and id.
func envelopeOf(t testing.TB, bundle []byte) []byte {
	t.Helper()
	var b struct {
		Objects json.RawMessage `json:"objects"`
	}
	if err := json.Unmarshal(bundle, &b); err != nil {
		t.Fatal(err)
	}
	return []byte(`{"objects":` + string(b.Objects) + `}`)
}

func TestParseEnvelope_S1_reads_what_Parse_reads(t *testing.T) {
	bundle, err := stix.Bundle([]cleared.SharedProduct{product()}, stix.Options{ACS: true})
	if err != nil {
		t.Fatal(err)
	}
	want, err := stix.Parse(bundle)
	if err != nil {
		t.Fatal(err)
	}
	got, err := stix.ParseEnvelope(envelopeOf(t, bundle), received)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "reports", got.Reports, want)
	again, err := stix.Parse(got.Bundle)
	if err != nil {
		t.Fatalf("the bundle ParseEnvelope stores does not parse: %v", err)
	}
	same(t, "reports of the stored bundle", again, want)
	var objs []map[string]any
	var b struct {
		Objects json.RawMessage `json:"objects"`
	}
	json.Unmarshal(bundle, &b)
	json.Unmarshal(b.Objects, &objs)
	if len(got.Objects) != len(objs) {
		t.Fatalf("%d objects in the status, %d posted", len(got.Objects), len(objs))
	}
	for i, o := range objs {
		v, _ := o["modified"].(string)
		if v == "" {
			v, _ = o["created"].(string)
		}
		if got.Objects[i].ID != o["id"] || got.Objects[i].Version != v {
			t.Errorf("object %d: status %+v, posted id %v version %v", i, got.Objects[i], o["id"], v)
		}
	}
}

func TestParseEnvelope_S1_unversioned_object_at_reception(t *testing.T) {
	in := envelopeOf(t, bundleWith(`{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--11111111-1111-4111-8111-111111111111","value":"198.51.100.7"}`))
	got, err := stix.ParseEnvelope(in, received)
	if err != nil {
		t.Fatal(err)
	}
	if v := got.Objects[1].Version; v != "2026-03-02T09:00:00.000Z" {
		t.Errorf("version of an observable %q, want the time it was received", v)
	}
}

func TestParseEnvelope_S1_A6_1_refuses(t *testing.T) {
	good, err := stix.Bundle([]cleared.SharedProduct{product()}, stix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	env := string(envelopeOf(t, good))
	for _, tt := range []struct{ name, in string }{
		{"S1 a duplicate key", strings.Replace(env, `"type":"report"`, `"type":"report","type":"report"`, 1)},
		{"S1 a key repeated in another case", strings.Replace(env, `"id":"report--`, `"ID":"report--00000000-0000-4000-8000-000000000000","id":"report--`, 1)},
		{"S1 objects repeated in another case", strings.Replace(env, `{"objects":`, `{"OBJECTS":[],"objects":`, 1)},
		{"A6.1 a spoofed TLP marking id", strings.Replace(env, `"tlp_2_0":"amber"`, `"tlp_2_0":"clear"`, 1)},
		{"A6.1 an undefined marking reference", markReport(env, "marking-definition--99999999-9999-4999-8999-999999999999")},
		{"S1 deep nesting", `{"objects":[` + strings.Repeat(`{"a":`, 40) + `1` + strings.Repeat(`}`, 40) + `]}`},
		{"S1 an unknown property of the envelope", strings.Replace(env, `{"objects":`, `{"type":"bundle","objects":`, 1)},
		{"S1 a bundle instead of an envelope", string(good)},
		{"S1 no objects", `{"objects":[]}`},
		{"S1 objects not an array", `{"objects":{}}`},
		{"S1 not an object", `[]`},
		{"S1 null", `null`},
		{"S1 no report", `{"objects":[{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--11111111-1111-4111-8111-111111111111","value":"198.51.100.7"}]}`},
		{"S1 a version that is not a timestamp", strings.Replace(env, `"modified":"`, `"modified":"yesterday","x":"`, 1)},
		{"S1 bad UTF-8", "{\"objects\":[\"\xff\"]}"},
		{"S1 trailing data", env + `{}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := stix.ParseEnvelope([]byte(tt.in), received); !errors.Is(err, cleared.ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

// Regression: Parse read a key repeated in another case ("ID" beside "id") as encoding/json does, the last one
// winning, where other readers take the exact key: a bundle read one way here and another way by a partner's tools.
func TestParse_S1_key_repeated_in_another_case_is_refused(t *testing.T) {
	in := strings.Replace(string(bundleWith()), `"name":"R"`, `"name":"R","NAME":"other"`, 1)
	if _, err := stix.Parse([]byte(in)); !errors.Is(err, cleared.ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
}

func FuzzParseEnvelope(f *testing.F) {
	b, err := stix.Bundle([]cleared.SharedProduct{product()}, stix.Options{ACS: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(envelopeOf(f, b))
	f.Add(envelopeOf(f, bundleWith()))
	f.Add([]byte(`{"objects":[]}`))
	f.Add([]byte(`{"objects":[{"type":"report","id":"report--x"}],"more":false}`))
	f.Add([]byte("\x00garbage[{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := stix.ParseEnvelope(data, received)
		if err != nil {
			if !errors.Is(err, cleared.ErrInvalid) {
				t.Fatalf("error of another kind: %v", err)
			}
			return
		}
		if len(got.Reports) == 0 || len(got.Objects) == 0 {
			t.Fatalf("accepted an envelope with %d reports and %d objects", len(got.Reports), len(got.Objects))
		}
		again, err := stix.Parse(got.Bundle)
		if err != nil {
			t.Fatalf("the stored bundle does not parse: %v", err)
		}
		if len(again) != len(got.Reports) {
			t.Fatalf("the stored bundle reads as %d reports, the envelope as %d", len(again), len(got.Reports))
		}
	})
}

// markReport adds a marking reference to the report of env.
func markReport(env, ref string) string {
	i := strings.Index(env, `"type":"report"`)
	j := i + strings.Index(env[i:], `"object_marking_refs":[`) + len(`"object_marking_refs":[`)
	return env[:j] + `"` + ref + `",` + env[j:]
}

func same(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}
