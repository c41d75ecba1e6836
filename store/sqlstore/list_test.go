package sqlstore

import (
	"encoding/json"
	"slices"
	"testing"
)

// FuzzPlainList: the fast reader of stored lists reads what json.Unmarshal reads, or leaves it to it.
func FuzzPlainList(f *testing.F) {
	for _, s := range []string{`[]`, `["org_a"]`, `["org_a","org_b"]`, `["a",]`, `[,"a"]`, `["a" ,"b"]`, `["a\"b"]`,
		`["é"]`, `[""]`, `["a","b"`, `"a"`, `null`, `["a"]]`, "[\"\x01\"]"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, ok := plainList[string](b)
		if !ok {
			return
		}
		var want []string
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatalf("plainList read %q as %q; json.Unmarshal refuses it: %v", b, got, err)
		}
		if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("plainList(%q) = %q, json.Unmarshal %q", b, got, want)
		}
	})
}

func TestPlainList(t *testing.T) {
	for s, want := range map[string][]string{`[]`: nil, `["org_a","org_b"]`: {"org_a", "org_b"}, `[""]`: {""}} {
		got, ok := plainList[string]([]byte(s))
		if !ok || !slices.Equal(got, want) {
			t.Errorf("plainList(%s) = %q, %v; want %q", s, got, ok, want)
		}
	}
	for _, s := range []string{`["a",]`, `["a" ,"b"]`, `["a\"b"]`, `["é"]`, `["a","b"`, `null`, `["a"]]`} {
		if _, ok := plainList[string]([]byte(s)); ok {
			t.Errorf("plainList(%s) is ok; it is for json.Unmarshal", s)
		}
	}
}
