package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cleared/cleared"
)

// Forms are described by data and rendered by one template (form.html), so that every form of the UI has its
// labels, help, focus order and error box in the same places. A form handler builds its fields, fills them from
// what was typed when it shows them again, and reads the posted values with the helpers below.

// field is one input of a form.
type field struct {
	Name  string // the form value's name; the input's id is "f-" + Name
	Label string // catalogue key
	// LabelText is the label when it is data (a scheme of the equivalence table), in place of Label.
	LabelText string
	Help      string // catalogue key, optional
	// Kind is the input: text, password, date, number, email, select, checkbox, checks (several checkboxes),
	// textarea, file, hidden.
	Kind     string
	Value    string
	Checked  bool
	Required bool
	Options  []option
	Auto     string // autocomplete attribute
	Mode     string // inputmode attribute
	// NoEcho: what was typed is never shown again (a piece's content, whose marking the form cannot vouch for).
	NoEcho bool
}

// option is a choice of a select or of checks: its label is a catalogue key, or data (a name) when Key is empty.
type option struct {
	Value    string
	Key      string
	Text     string
	Selected bool
}

// formPage is any form of the UI.
type formPage struct {
	Page
	Intro     string // catalogue key, optional
	Warning   string // catalogue key of a highlighted note, optional
	Action    string
	Get       bool // a form that only reads (a proof of the audit log) is sent with GET, without a token
	Multipart bool
	Fields    []field
	Submit    string // catalogue key
	Problem   *uiProblem
	// Links lead to related pages (the register the form adds to).
	Links []link
}

func (*formPage) viewName() string { return "form" }

func (f *formPage) form() *formPage { return f }

type link struct {
	Href string
	Key  string
}

// fill sets the fields to the values given (what was typed, or a query that prefills the form). Passwords and
// files are never sent back.
func (f *formPage) fill(v url.Values) {
	if v == nil {
		return
	}
	for i := range f.Fields {
		fd := &f.Fields[i]
		vals, given := v[fd.Name]
		if fd.NoEcho {
			continue
		}
		switch fd.Kind {
		case "password", "file":
		case "checkbox":
			if given || len(v) > 0 {
				fd.Checked = v.Get(fd.Name) != ""
			}
		case "checks":
			if given || len(v) > 0 {
				for j := range fd.Options {
					fd.Options[j].Selected = slices.Contains(vals, fd.Options[j].Value)
				}
			}
		case "select":
			if given {
				for j := range fd.Options {
					fd.Options[j].Selected = fd.Options[j].Value == v.Get(fd.Name)
				}
			}
		default:
			if given {
				fd.Value = v.Get(fd.Name)
			}
		}
	}
}

// prefill fills the fields named in the query only (a link such as /ui/grants/new?piece=…); other fields keep
// their defaults.
func (f *formPage) prefill(q url.Values) {
	v := url.Values{}
	for _, fd := range f.Fields {
		if q.Has(fd.Name) && fd.Kind != "checkbox" && fd.Kind != "checks" {
			v[fd.Name] = q[fd.Name]
		}
	}
	if len(v) > 0 {
		f.fill(v)
	}
}

// Options of the enumerations of the root package, labelled from the catalogue.

func levelOptions(withUnclassified bool) []option {
	var os []option
	if withUnclassified {
		os = append(os, option{Value: cleared.Unclassified.String(), Key: "level.UNCLASSIFIED"})
	}
	for _, l := range slices.Backward(cleared.Levels) {
		os = append(os, option{Value: l.String(), Key: "level." + l.String()})
	}
	return os
}

func enumOptions[T ~string](prefix string, vs ...T) []option {
	os := make([]option, 0, len(vs))
	for _, v := range vs {
		os = append(os, option{Value: string(v), Key: prefix + string(v)})
	}
	return os
}

// choose puts an empty choice first ("— choose —"), for selects whose answer is required but has no default.
func choose(os []option) []option {
	return append([]option{{Value: "", Key: "form.choose"}}, os...)
}

// Readers of posted values. Each returns an inputError naming the field's label when the value cannot be read;
// what the value means is the service's to judge.

func formText(v url.Values, name string) string { return strings.TrimSpace(v.Get(name)) }

// formDate reads a date (YYYY-MM-DD, as <input type="date"> sends it) as midnight UTC; "" is the zero time.
func formDate(v url.Values, name, label string) (time.Time, error) {
	s := formText(v, name)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, &inputError{field: label, message: "form.bad_date"}
	}
	return t.UTC(), nil
}

// formLevel reads a level by its API name; "" is Unclassified. The value is not trimmed: a level is a name from a
// select, taken exactly as cleared.ParseLevel does everywhere (" SECRET" is refused, not guessed).
func formLevel(v url.Values, name, label string) (cleared.Level, error) {
	s := v.Get(name)
	if s == "" {
		return cleared.Unclassified, nil
	}
	l, err := cleared.ParseLevel(s)
	if err != nil {
		return l, &inputError{field: label, message: "form.bad_level"}
	}
	return l, nil
}

// formMarking reads a marking as typed, untrimmed: "" when blank, else the value, which the service requires exact
// (cleared.CheckName: " NATO SECRET" is refused, not trimmed into a marking).
func formMarking(v url.Values, name string) string {
	if s := v.Get(name); strings.TrimSpace(s) != "" {
		return s
	}
	return ""
}

func formBool(v url.Values, name string) bool { return v.Get(name) != "" }

// formUint reads a whole number; "" is an error, the number being required.
func formUint(v url.Values, name, label string) (uint64, error) {
	s := formText(v, name)
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, &inputError{field: label, message: "form.bad_number"}
	}
	return n, nil
}

// formDays reads a number of days from 1 to max.
func formDays(v url.Values, name, label string, max int) (time.Duration, error) {
	n, err := strconv.Atoi(formText(v, name))
	if err != nil || n < 1 || n > max {
		return 0, &inputError{field: label, message: "form.bad_days"}
	}
	return time.Duration(n) * 24 * time.Hour, nil
}
