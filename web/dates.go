package web

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"time"

	"github.com/cleared/cleared"
)

// Days in JSON (issue 18 §0: "dates given as YYYY-MM-DD are accepted where a day is meant, or refused with a
// sentence, not a Go parse error"). A time field of a request (a review date, a grant's or a delegation's period,
// a clearance's issue) takes a day, 2027-03-31, read as midnight UTC as the forms read it, or a time in RFC 3339.
// Anything else is refused in a sentence that names the field and shows both forms.

var dayPattern = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

var timeType = reflect.TypeFor[time.Time]()

// normalizeDays returns data, the body to be decoded into a value of type t, with every day given to a time field
// of a struct written as an RFC 3339 time; data itself when there is none. Errors are of kind cleared.ErrInvalid.
// A body that is not a JSON object where a struct is expected is left to the decoder, which says what is wrong.
func normalizeDays(data []byte, t reflect.Type) ([]byte, error) {
	out, changed, err := daysIn(data, t, "")
	if err != nil || !changed {
		return data, err
	}
	return out, nil
}

func daysIn(data []byte, t reflect.Type, path string) ([]byte, bool, error) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct || t == timeType {
		return data, false, nil
	}
	fields, _ := structFields(t)
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return data, false, nil
	}
	changed := false
	for key, raw := range obj {
		ft, ok := fields[key]
		if !ok {
			continue
		}
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		at := joinPath(path, key)
		if ft == timeType {
			var s string
			if json.Unmarshal(raw, &s) != nil {
				continue // not a string: the decoder says what it wants
			}
			v, err := parseDay(at, s)
			if err != nil {
				return nil, false, err
			}
			if v != s {
				obj[key], changed = json.RawMessage(`"`+v+`"`), true
			}
			continue
		}
		if ft.Kind() == reflect.Struct && bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
			sub, ch, err := daysIn(raw, ft, at)
			if err != nil {
				return nil, false, err
			}
			if ch {
				obj[key], changed = sub, true
			}
		}
	}
	if !changed {
		return data, false, nil
	}
	out, err := json.Marshal(obj)
	return out, err == nil, err
}

// parseDay reads the value of a time field: "" as it is (the zero time, which the service refuses or defaults), a
// day as midnight UTC in RFC 3339, a time in RFC 3339 as it is; else a sentence.
func parseDay(field, s string) (string, error) {
	if s == "" {
		return s, nil
	}
	if dayPattern.MatchString(s) {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return "", cleared.Invalidf("request body: field %q: %.20q is not a day of the calendar; write a day as YYYY-MM-DD, e.g. 2027-03-31", field, s)
		}
		return d.UTC().Format(time.RFC3339), nil
	}
	if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
		return "", cleared.Invalidf("request body: field %q: %.40q is not a date; write a day as YYYY-MM-DD (2027-03-31) or a time as RFC 3339 (2027-03-31T09:30:00Z)", field, s)
	}
	return s, nil
}
