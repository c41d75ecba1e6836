package vetting

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzNewMeans holds the strict check of a facility's means (A15.1) to what it promises on any input: no panic,
// and means accepted only with every level classified and every storage in one of the places.
func FuzzNewMeans(f *testing.F) {
	for _, s := range []string{
		`{"places":[{"description":"Salle","level":"CONFIDENTIAL","security_zone":true}],"systems":[],"storage":[{"kind":"safe","description":"Coffre","level":"SECRET","in_place":0}]}`,
		`{"places":[],"storage":[{"kind":"safe","description":"Coffre","level":"SECRET","in_place":0}]}`,
		`{"places":[{"place":"plc_x","description":"","level":"UNCLASSIFIED"}]}`,
		`{"systems":[{"channel":"chn_aaaaaaaaaaaaaaaaaaaaaaaaaa","name":"R","accreditation":"A","level":"RESTREINT"}]}`,
		`{"storage":[{"kind":"drawer","description":"x","level":"SECRET","in_place":-1}]}`,
		`{}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var in NewMeans
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if dec.Decode(&in) != nil || in.validate() != nil {
			return
		}
		for _, p := range in.Places {
			if !p.Level.Classified() || p.Description == "" {
				t.Fatalf("accepted place %+v", p)
			}
		}
		for _, s := range in.Storage {
			if !s.Level.Classified() || !s.Kind.Valid() || s.InPlace < 0 || s.InPlace >= len(in.Places) {
				t.Fatalf("accepted storage %+v of %d places", s, len(in.Places))
			}
		}
		for _, s := range in.Systems {
			if !s.Level.Classified() || s.Name == "" || s.Accreditation == "" {
				t.Fatalf("accepted system %+v", s)
			}
		}
		if err := in.validate(); err != nil {
			t.Fatalf("accepted means refused when checked again: %v", err)
		}
	})
}
