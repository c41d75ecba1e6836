package web

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/cleared/cleared"
)

// decode reads the request's JSON body into v strictly (design/api.md): the media type must be application/json
// (415), the body within the limit set by [server.authed] (413), every field known and given once, by its exact
// name, at every depth (checkStrict), every value of its field's type, and nothing after the object (400). The
// 400 errors are of kind cleared.ErrInvalid and name the field when the decoder knows it.
func decode(r *http.Request, v any) error {
	if err := checkJSONType(r.Header.Get("Content-Type")); err != nil {
		return err
	}
	// The body is read whole first (within its limit): it is read twice, by checkStrict and by the decoder.
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return decodeError(err)
	}
	if err := checkStrict(data, reflect.TypeOf(v)); err != nil {
		return err
	}
	if data, err = normalizeDays(data, reflect.TypeOf(v)); err != nil { // dates.go
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	// One value, then nothing but white space.
	switch err := dec.Decode(&json.RawMessage{}); {
	case err == io.EOF:
		return nil
	case isTooLarge(err):
		return decodeError(err)
	}
	return cleared.Invalidf("request body: unexpected data after the JSON object")
}

func checkJSONType(ct string) error {
	mt, params, err := mime.ParseMediaType(ct)
	if err == nil && mt == "application/json" {
		if cs, ok := params["charset"]; !ok || strings.EqualFold(cs, "utf-8") {
			return nil
		}
	}
	return &statusError{status: http.StatusUnsupportedMediaType, detail: "The request body must be JSON, sent with Content-Type: application/json."}
}

func isTooLarge(err error) bool {
	var tooLarge *http.MaxBytesError
	return errors.As(err, &tooLarge)
}

// decodeError says what is wrong with a body in terms of JSON and field names, not Go types.
func decodeError(err error) error {
	var (
		tooLarge *http.MaxBytesError
		syntax   *json.SyntaxError
		typ      *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &tooLarge):
		return &statusError{status: http.StatusRequestEntityTooLarge,
			detail: fmt.Sprintf("The request body is over this route's limit of %d bytes.", tooLarge.Limit)}
	case err == io.EOF:
		return cleared.Invalidf("request body: empty; want a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return cleared.Invalidf("request body: the JSON ends too early")
	case errors.As(err, &syntax):
		return cleared.Invalidf("request body: malformed JSON at byte %d: %s", syntax.Offset, syntax.Error())
	case errors.As(err, &typ) && typ.Field != "":
		return cleared.Invalidf("request body: field %q: want %s, got %s", typ.Field, jsonType(typ.Type), typ.Value)
	case errors.As(err, &typ):
		return cleared.Invalidf("request body: want %s, got %s", jsonType(typ.Type), typ.Value)
	case errors.Is(err, cleared.ErrInvalid):
		// A value's own parser refused it (a level name, say); its message names what it accepts.
		return cleared.Invalidf("request body: %v", err)
	}
	// Unknown fields, times and base64 that do not parse: the decoder's message, without its package name.
	return cleared.Invalidf("request body: %s", strings.TrimPrefix(err.Error(), "json: "))
}

// jsonType names the JSON a Go type is read from.
func jsonType(t reflect.Type) string {
	if t == nil {
		return "a value"
	}
	if t == reflect.TypeFor[time.Time]() {
		return "an RFC 3339 time string"
	}
	if text := reflect.TypeFor[encoding.TextUnmarshaler](); t.Implements(text) || reflect.PointerTo(t).Implements(text) {
		return "a string"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "a base64 string"
		}
		return "an array"
	case reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Pointer:
		return jsonType(t.Elem())
	}
	return "a value"
}

// writeJSON writes v with the status, and the headers of extra. v is encoded before anything is set, so that an
// encoding error can still be answered as a problem, without those headers.
func writeJSON(w http.ResponseWriter, status int, v any, extra http.Header) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	h := w.Header()
	for k, vs := range extra {
		h[k] = vs
	}
	h.Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n')) //nolint:errcheck // the client may be gone; nothing more can be said to it
	return nil
}

// ok answers 200 with v.
func ok(w http.ResponseWriter, v any) error { return writeJSON(w, http.StatusOK, v, nil) }

// created answers 201 with v and its location.
func created(w http.ResponseWriter, location string, v any) error {
	return writeJSON(w, http.StatusCreated, v, http.Header{"Location": {location}})
}
