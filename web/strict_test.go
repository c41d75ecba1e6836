package web

import (
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
)

// strictSample has every shape a request body takes: fields renamed by tags, a nested object, an array of
// objects, a map keyed by a parsed name, an embedded struct, a time, and a value of any JSON.
type strictSample struct {
	Name   string                   `json:"name"`
	Inner  strictInner              `json:"inner"`
	List   []strictInner            `json:"list"`
	Levels map[cleared.Level]string `json:"levels"`
	Plain  map[string]strictInner   `json:"plain"`
	When   time.Time                `json:"when"`
	Any    any                      `json:"any"`
	Skip   string                   `json:"-"`
	strictEmbedded
}

type strictInner struct {
	Level cleared.Level `json:"level"`
	Title string        `json:"title,omitempty"`
	Deep  *strictInner  `json:"deep,omitempty"`
}

type strictEmbedded struct {
	Extra string `json:"extra"`
}

func TestCheckStrict(t *testing.T) {
	typ := reflect.TypeFor[*strictSample]()
	tests := []struct {
		name, body string
		want       string // a part of the error; "" for accepted
	}{
		{"accepted: every shape once", `{"name":"a","inner":{"level":"SECRET"},"list":[{"level":"SECRET"},{"level":"RESTRICTED","deep":{"title":"x"}}],` +
			`"levels":{"SECRET":"a","RESTRICTED":"b"},"plain":{"x":{},"X":{}},"when":"2026-01-01T00:00:00Z","any":{"a":1,"A":2},"extra":"e"}`, ""},
		{"accepted: malformed JSON is the decoder's to refuse", `{"name":"a","inner"`, ""},
		{"accepted: an unknown field is the decoder's to refuse", `{"vat":1}`, ""},
		{"duplicate key", `{"name":"a","name":"b"}`, `field "name" is given more than once`},
		{"duplicate key with other keys between", `{"name":"a","extra":"x","name":"a"}`, `field "name" is given more than once`},
		{"duplicate in a nested object", `{"inner":{"level":"SECRET","level":"RESTRICTED"}}`, `field "inner.level" is given more than once`},
		{"duplicate in an object of an array", `{"list":[{"level":"SECRET"},{"title":"a","title":"b"}]}`, `field "list[1].title" is given more than once`},
		{"duplicate three deep", `{"list":[{"deep":{"deep":{"title":"a","title":"a"}}}]}`, `field "list[0].deep.deep.title" is given more than once`},
		{"duplicate map key", `{"plain":{"x":{},"x":{}}}`, `field "plain.x" is given more than once`},
		{"duplicate key in any JSON", `{"any":[{"a":1,"a":2}]}`, `field "any[0].a" is given more than once`},
		{"duplicate embedded field", `{"extra":"a","extra":"b"}`, `field "extra" is given more than once`},
		{"field name in upper case", `{"NAME":"a"}`, `unknown field "NAME": names are case-sensitive, write "name"`},
		{"field name in mixed case", `{"Name":"a"}`, `write "name"`},
		{"nested field name in another case", `{"inner":{"Level":"SECRET"}}`, `unknown field "inner.Level": names are case-sensitive, write "inner.level"`},
		{"field in an array in another case", `{"list":[{"TITLE":"a"}]}`, `write "list[0].title"`},
		{"embedded field in another case", `{"EXTRA":"a"}`, `write "extra"`},
		{"two map keys naming one level", `{"levels":{"SECRET":"a","secret":"b"}}`, `keys "levels.SECRET" and "levels.secret" name the same key`},
		{"two map keys naming one level, by its French name", `{"levels":{"CONFIDENTIAL":"a","CONFIDENTIEL":"b"}}`, `name the same key`},
		{"the name and the case variant", `{"name":"a","NAME":"b"}`, `write "name"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkStrict([]byte(tt.body), typ)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !errors.Is(err, cleared.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want ErrInvalid saying %q", err, tt.want)
			}
		})
	}
}

func TestCheckSingle(t *testing.T) {
	for _, tt := range []struct {
		query string
		ok    bool
	}{
		{"name=a&kind=b", true},
		{"reasons=a&reasons=b&roles=x&roles=y&scopes=read&scopes=write", true},
		{"name=a&name=b", false},
		{"level=SECRET&level=RESTRICTED", false},
		{"csrf=a&csrf=a", false},
	} {
		v, _ := url.ParseQuery(tt.query)
		err := checkSingle(v, "form")
		if (err == nil) != tt.ok || err != nil && !errors.Is(err, cleared.ErrInvalid) {
			t.Errorf("%s: %v, want accepted %v", tt.query, err, tt.ok)
		}
	}
}

// FuzzCheckStrict: no input panics; every error is ErrInvalid; and on any JSON, the untyped check agrees with an
// independent count: it refuses exactly when the decoder, which keeps one of two equal keys, ends up with fewer
// keys than the text holds.
func FuzzCheckStrict(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1,"a":2}`, `{"a":{"b":[{"c":1,"c":2}]}}`, `[{"x":1},{"x":1}]`, `{"NAME":"a"}`,
		`{"levels":{"SECRET":"a","secret":"b"}}`, `{"a":`, `"x"`, `{"a":1,"b":{"a":1}}`, `{"\u0061":1,"a":2}`} {
		f.Add(s)
	}
	typed := reflect.TypeFor[*strictSample]()
	f.Fuzz(func(t *testing.T, s string) {
		if err := checkStrict([]byte(s), typed); err != nil && !errors.Is(err, cleared.ErrInvalid) {
			t.Fatalf("error of the wrong kind: %v", err)
		}
		err := checkStrict([]byte(s), nil)
		var v any
		if json.Unmarshal([]byte(s), &v) != nil {
			return
		}
		written, kept := keysWritten([]byte(s)), keysKept(v)
		if (written != kept) != (err != nil) {
			t.Fatalf("%q: %d keys written, %d kept by the decoder, check said %v", s, written, kept, err)
		}
	})
}

// keysWritten counts the object keys of a valid JSON text, through the decoder's tokens: in an object, every
// other token at its level is a key.
func keysWritten(data []byte) int {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	type frame struct {
		object bool
		n      int
	}
	var stack []frame
	keys := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return keys
		}
		isKey := len(stack) > 0 && stack[len(stack)-1].object && stack[len(stack)-1].n%2 == 0
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if len(stack) > 0 {
				stack[len(stack)-1].n++
			}
			stack = append(stack, frame{object: tok == json.Delim('{')})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			continue
		}
		if isKey {
			keys++
		}
		if len(stack) > 0 {
			stack[len(stack)-1].n++
		}
	}
}

// keysKept counts the keys of every object the decoder made.
func keysKept(v any) int {
	switch v := v.(type) {
	case map[string]any:
		n := len(v)
		for _, e := range v {
			n += keysKept(e)
		}
		return n
	case []any:
		n := 0
		for _, e := range v {
			n += keysKept(e)
		}
		return n
	}
	return 0
}
