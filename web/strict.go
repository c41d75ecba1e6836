package web

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/cleared/cleared"
)

// Strict JSON (design/api.md). encoding/json takes the last of two keys of the same name and matches a key to a
// field whatever its letter case, so {"level":"SECRET","level":"RESTRICTED"} or {"LEVEL":…} would mean what the
// last or the nearest key says, while a proxy, a log or a partner's validator in front of us may read the first or
// none. checkStrict reads the body once before the decoder, along the Go type it is decoded into, and refuses, at
// every depth (objects in objects, objects in arrays, map keys):
//   - a key given twice in one object;
//   - a key that names a field only when letter case is ignored ({"NAME":…} for "name");
//   - two keys of a map that read as the same key (the levels "SECRET" and "secret").
//
// What is malformed otherwise (syntax, unknown fields, types) is left to the decoder, which says it in its words.

// errMalformed stops the walk at a syntax error: the decoder then reports it.
var errMalformed = errors.New("malformed JSON")

// checkStrict checks data, the body to be decoded into a value of type t, as above; errors are of kind
// cleared.ErrInvalid.
func checkStrict(data []byte, t reflect.Type) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	err := walkValue(dec, t, "")
	if errors.Is(err, errMalformed) {
		return nil
	}
	return err
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// implements reports whether a value of t (or a pointer to one) implements iface.
func implements(t reflect.Type, iface reflect.Type) bool {
	return t.Implements(iface) || t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(iface)
}

// shape is what the walk needs of a Go type: nil for any JSON (an interface, a type that reads its own JSON); a
// struct's fields by JSON name; a map's key and element types; a slice's element type.
func shape(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		if implements(t, jsonUnmarshaler) {
			return nil
		}
		t = t.Elem()
	}
	if t == nil || implements(t, jsonUnmarshaler) || t.Kind() == reflect.Interface {
		return nil
	}
	return t
}

func walkValue(dec *json.Decoder, t reflect.Type, path string) error {
	tok, err := dec.Token()
	if err != nil {
		return errMalformed
	}
	t = shape(t)
	switch tok {
	case json.Delim('{'):
		return walkObject(dec, t, path)
	case json.Delim('['):
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for i := 0; dec.More(); i++ {
			if err := walkValue(dec, elem, path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return errMalformed
		}
	}
	return nil
}

func walkObject(dec *json.Decoder, t reflect.Type, path string) error {
	var (
		fields  map[string]reflect.Type // a struct's
		folded  map[string]string       // a struct's field names by their lower case
		keyType reflect.Type            // a map's, when its keys are parsed (TextUnmarshaler)
		elem    reflect.Type            // a map's element type
		parsed  map[any]string          // a map's keys already seen, parsed, and as they were written
	)
	if t != nil {
		switch t.Kind() {
		case reflect.Struct:
			fields, folded = structFields(t)
		case reflect.Map:
			elem = t.Elem()
			if k := t.Key(); implements(k, textUnmarshaler) && k.Comparable() {
				keyType, parsed = k, map[any]string{}
			}
		}
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return errMalformed
		}
		key, ok := tok.(string)
		if !ok {
			return errMalformed
		}
		at := joinPath(path, key)
		if seen[key] {
			return cleared.Invalidf("request body: field %q is given more than once; give each field once", at)
		}
		seen[key] = true
		var next reflect.Type
		switch {
		case fields != nil:
			ft, known := fields[key]
			if !known {
				if name, ok := folded[strings.ToLower(key)]; ok {
					return cleared.Invalidf("request body: unknown field %q: names are case-sensitive, write %q", at, joinPath(path, name))
				}
			}
			next = ft // nil for an unknown field, which the decoder refuses
		case keyType != nil:
			k := reflect.New(keyType)
			if err := k.Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(key)); err == nil {
				v := k.Elem().Interface()
				if first, dup := parsed[v]; dup {
					return cleared.Invalidf("request body: keys %q and %q name the same key; give each once", joinPath(path, first), at)
				}
				parsed[v] = key
			}
			next = elem
		default:
			next = elem
		}
		if err := walkValue(dec, next, at); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return errMalformed
	}
	return nil
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// structFields returns the JSON names of t's fields as encoding/json reads them (the tag's name, else the Go
// name; embedded structs' fields promoted; "-" left out), with their types, and the same names by lower case.
func structFields(t reflect.Type) (map[string]reflect.Type, map[string]string) {
	if c, ok := fieldCache.Load(t); ok {
		f := c.(cachedFields)
		return f.byName, f.folded
	}
	f := cachedFields{byName: map[string]reflect.Type{}, folded: map[string]string{}}
	addFields(t, f, 0)
	fieldCache.Store(t, f)
	return f.byName, f.folded
}

type cachedFields struct {
	byName map[string]reflect.Type
	folded map[string]string
}

var fieldCache sync.Map // reflect.Type → cachedFields

func addFields(t reflect.Type, f cachedFields, depth int) {
	if depth > 8 {
		return
	}
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if sf.Anonymous && name == "" {
			et := sf.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				addFields(et, f, depth+1)
				continue
			}
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		if _, dup := f.byName[name]; dup && depth > 0 {
			continue // the shallower field wins, as in encoding/json
		}
		f.byName[name] = sf.Type
		f.folded[strings.ToLower(name)] = name
	}
}

// multiValued are the form fields that may be given more than once: the checkboxes of a "checks" field (a
// person's roles, a piece's reasons, a token's scopes). Any other field given twice is refused.
var multiValued = map[string]bool{"roles": true, "reasons": true, "scopes": true, "members": true} // members: the commission's opinion (issue 20)

// checkSingle refuses a form or query that gives a field more than once (other than those of multiValued): as in
// JSON, which of the two counts would be the reader's guess.
func checkSingle(v url.Values, what string) error {
	for name, vals := range v {
		if len(vals) > 1 && !multiValued[name] {
			return cleared.Invalidf("%s: field %q is given %d times; give it once", what, name, len(vals))
		}
	}
	return nil
}
