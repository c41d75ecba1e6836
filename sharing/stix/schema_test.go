package stix_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/sharing/stix"
)

// schemaBase is the $id prefix of the OASIS schemas; each is served from its copy in testdata, never fetched.
const schemaBase = "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/"

// schemas compiles the vendored OASIS STIX 2.1 schemas, one per object type cleared writes.
func schemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.UseLoader(noNetwork{})
	files, err := filepath.Glob("testdata/schemas/*/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no vendored schemas: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		rel := strings.TrimPrefix(filepath.ToSlash(f), "testdata/schemas/")
		if err := c.AddResource(schemaBase+rel, doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	m := map[string]*jsonschema.Schema{}
	for typ, rel := range map[string]string{
		"report": "sdos/report.json", "indicator": "sdos/indicator.json", "identity": "sdos/identity.json",
		"note": "sdos/note.json", "marking-definition": "common/marking-definition.json",
	} {
		s, err := c.Compile(schemaBase + rel)
		if err != nil {
			t.Fatalf("compile %s: %v", rel, err)
		}
		m[typ] = s
	}
	return m
}

type noNetwork struct{}

func (noNetwork) Load(url string) (any, error) {
	return nil, os.ErrNotExist
}

// validate checks every object of a bundle against the schema of its type.
func validate(t *testing.T, ss map[string]*jsonschema.Schema, bundle []byte) {
	t.Helper()
	var b struct {
		Type    string            `json:"type"`
		ID      string            `json:"id"`
		Objects []json.RawMessage `json:"objects"`
	}
	if err := json.Unmarshal(bundle, &b); err != nil {
		t.Fatalf("bundle is not JSON: %v", err)
	}
	if b.Type != "bundle" || !strings.HasPrefix(b.ID, "bundle--") {
		t.Fatalf("bundle type %q id %q", b.Type, b.ID)
	}
	for _, raw := range b.Objects {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		typ, _ := inst.(map[string]any)["type"].(string)
		s, ok := ss[typ]
		if !ok {
			t.Fatalf("no schema for object type %q", typ)
		}
		if err := s.Validate(inst); err != nil {
			t.Errorf("%s invalid against the OASIS schema: %v\n%s", typ, err, raw)
		}
	}
}

func TestObjects_S1_valid_against_OASIS_schemas(t *testing.T) {
	ss := schemas(t)
	for _, tlp := range []cleared.TLP{"", cleared.TLPClear, cleared.TLPGreen, cleared.TLPAmber, cleared.TLPAmberStrict, cleared.TLPRed} {
		for _, acs := range []bool{false, true} {
			for _, revoked := range []bool{false, true} {
				p := product()
				p.TLP, p.Revoked = tlp, revoked
				b, err := stix.Bundle([]cleared.SharedProduct{p}, stix.Options{ACS: acs})
				if err != nil {
					t.Fatalf("tlp %q acs %v: %v", tlp, acs, err)
				}
				validate(t, ss, b)
			}
		}
	}
	t.Run("unclassified, no indicator, no PAP", func(t *testing.T) {
		p := product()
		p.Level, p.Marking, p.PAP, p.Indicators, p.Labels = cleared.Unclassified, "", "", nil, nil
		b, err := stix.Bundle([]cleared.SharedProduct{p}, stix.Options{ACS: true})
		if err != nil {
			t.Fatal(err)
		}
		validate(t, ss, b)
	})
}

func TestObjects_S1_schema_check_can_fail(t *testing.T) {
	ss := schemas(t)
	bad := []string{
		`{"type":"report","spec_version":"2.1","id":"report--5b0e6e0e-8b1c-5a4e-9d3b-2f1a0c9e7d61","created":"2026-03-01T10:00:00Z","modified":"2026-03-01T10:00:00.000Z","name":"x","published":"2026-03-01T10:00:00Z","object_refs":["identity--5b0e6e0e-8b1c-5a4e-9d3b-2f1a0c9e7d61"]}`,
		`{"type":"indicator","spec_version":"2.1","id":"indicator--5b0e6e0e-8b1c-5a4e-9d3b-2f1a0c9e7d61","created":"2026-03-01T10:00:00.000Z","modified":"2026-03-01T10:00:00.000Z","pattern_type":"stix","valid_from":"2026-03-01T10:00:00Z"}`,
	}
	for _, s := range bad {
		inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(s))
		typ := inst.(map[string]any)["type"].(string)
		if err := ss[typ].Validate(inst); err == nil {
			t.Errorf("the %s schema accepted an invalid object: %s", typ, s)
		}
	}
}
