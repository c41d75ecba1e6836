package misp

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/cleared/cleared"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schemas compiles MISP's event schemas vendored in testdata (see testdata/README.md), offline: the compiler is
// given each document and loads nothing else.
func schemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	out := map[string]*jsonschema.Schema{}
	for _, name := range []string{"schema.json", "schema-lax.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// Both schemas list "required" among sharing_group's properties, an array where draft-04 wants a schema,
		// which the meta-schema refuses; it constrains nothing, and cleared's events carry no sharing group.
		delete(doc.(map[string]any)["defs"].(map[string]any)["sharing_group"].(map[string]any)["properties"].(map[string]any), "required")
		c := jsonschema.NewCompiler()
		c.UseLoader(noLoader{})
		url := "file:///testdata/" + name
		if err := c.AddResource(url, doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s, err := c.Compile(url)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = s
	}
	return out
}

// noLoader refuses every load: validation never reaches the network.
type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("no loading of %s while validating", url)
}

func validate(t *testing.T, ss map[string]*jsonschema.Schema, b []byte) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range ss {
		if err := s.Validate(v); err != nil {
			t.Errorf("invalid against MISP's %s: %v", name, err)
		}
	}
}

func TestEvent_S1_valid_against_MISP_schema(t *testing.T) {
	ss := schemas(t)
	markings := []struct {
		scheme  cleared.Scheme
		level   cleared.Level
		marking string
	}{
		{cleared.SchemeNATO, cleared.TopSecret, "COSMIC TOP SECRET"},
		{cleared.SchemeNATO, cleared.Restricted, "NATO RESTRICTED"},
		{cleared.SchemeEU, cleared.Secret, "SECRET UE/EU SECRET"},
		{cleared.SchemeNational, cleared.Confidential, "CONFIDENTIEL LUX"},
		{"FR", cleared.Secret, "SECRET"},
		{cleared.SchemeTLP, cleared.Unclassified, ""},
	}
	tlps := []cleared.TLP{"", cleared.TLPClear, cleared.TLPGreen, cleared.TLPAmber, cleared.TLPAmberStrict, cleared.TLPRed}
	paps := []cleared.PAP{"", cleared.PAPClear, cleared.PAPGreen, cleared.PAPAmber, cleared.PAPRed}
	for _, m := range markings {
		for i, tlp := range tlps {
			for _, revoked := range []bool{false, true} {
				p := product(m.scheme, m.level, m.marking)
				p.TLP, p.PAP, p.Revoked = tlp, paps[i%len(paps)], revoked
				t.Run(fmt.Sprintf("%s/tlp=%s/pap=%s/revoked=%v", m.scheme, tlp, p.PAP, revoked), func(t *testing.T) {
					b, err := Event(p, Options{})
					if err != nil {
						t.Fatal(err)
					}
					validate(t, ss, b)
				})
			}
		}
	}
	t.Run("no summary, no indicators, no labels", func(t *testing.T) {
		p := product(cleared.SchemeTLP, cleared.Unclassified, "")
		p.Summary, p.Indicators, p.Labels = "", nil, nil
		b, err := Event(p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		validate(t, ss, b)
	})
}

// TestSchema_rejects_a_malformed_event shows the validation can fail: a number where MISP wants a string.
func TestSchema_rejects_a_malformed_event(t *testing.T) {
	ss := schemas(t)
	b, err := Event(product(cleared.SchemeNATO, cleared.Secret, "NATO SECRET"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Replace(b, []byte(`"timestamp":"1773568800"`), []byte(`"timestamp":1773568800`), 1)
	v, _ := jsonschema.UnmarshalJSON(bytes.NewReader(bad))
	if err := ss["schema.json"].Validate(v); err == nil {
		t.Error("MISP's schema accepted a numeric timestamp")
	}
}
