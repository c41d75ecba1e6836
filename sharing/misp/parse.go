package misp

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cleared/cleared"
)

// Limits on an event read from a partner: its size, its attributes (in objects too, of every type), its tags (the
// event's and the attributes'), and its nesting.
const (
	MaxEventBytes = 64 << 20
	MaxAttributes = 200000
	maxTags       = 1000000
	maxDepth      = 64
)

// Imported is a MISP event read from a partner: its UUID, its content, its marking as read (Scheme and Marking,
// for cleared to resolve through the equivalence table, A6.1), its TLP and PAP, the organisation that made it
// (Orgc), whether it carries cleared's revocation tag, all its tags as read, its date (Created, a day: MISP keeps
// no time for it) and last change (Modified), and how many attributes were not imported (Skipped: of types cleared
// does not exchange, or deleted).
//
// Scheme is NATO or EU for the nato and euci taxonomies, LU for a national marking in cleared's own tag
// (cleared:classification="SECRET LUX"), and empty for another marking in that tag: the sending partner's scheme.
type Imported struct {
	UUID       string
	Product    cleared.Product
	Scheme     cleared.Scheme
	Marking    string
	TLP        cleared.TLP
	PAP        cleared.PAP
	Originator string
	Revoked    bool
	Tags       []string
	Created    time.Time
	Modified   time.Time
	Skipped    int
}

// The JSON of an event as read: the fields cleared imports, of the types MISP writes; others are ignored.
type (
	inEnvelope struct {
		Event *inEvent `json:"Event"`
	}
	inEvent struct {
		UUID      string        `json:"uuid"`
		Info      string        `json:"info"`
		Date      string        `json:"date"`
		Timestamp unixTime      `json:"timestamp"`
		Orgc      *org          `json:"Orgc"`
		Attribute []inAttribute `json:"Attribute"`
		Object    []inObject    `json:"Object"`
		Tag       []tag         `json:"Tag"`
	}
	inObject struct {
		Deleted   bool          `json:"deleted"`
		Attribute []inAttribute `json:"Attribute"`
	}
	inAttribute struct {
		UUID    string `json:"uuid"`
		Type    string `json:"type"`
		Value   string `json:"value"`
		Comment string `json:"comment"`
		ToIDS   bool   `json:"to_ids"`
		Deleted bool   `json:"deleted"`
		Tag     []tag  `json:"Tag"`
	}
)

// unixTime is a time in Unix seconds, which MISP writes as a string of digits and PyMISP as a number.
type unixTime int64

func (u *unixTime) UnmarshalJSON(b []byte) error {
	s := string(bytes.Trim(b, `"`))
	if len(b) > 0 && b[0] == '"' && (len(b) < 2 || b[len(b)-1] != '"') || s == "" || len(s) > 12 || strings.Trim(s, "0123456789") != "" {
		return cleared.Invalidf("timestamp %.40s: want Unix seconds", b)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return cleared.Invalidf("timestamp %.40s: want Unix seconds", b)
	}
	*u = unixTime(n)
	return nil
}

// Parse reads a MISP event ({"Event": {...}}) a partner sent, strictly and all or nothing: bad UTF-8, duplicate
// keys, deep nesting, a wrong JSON type, an event beyond the limits, a marking tag cleared cannot read or two that
// disagree (the product must never become less protected), an attribute's marking other than the event's, an
// attribute value cleared refuses: each is [cleared.ErrInvalid], naming the attribute where there is one.
// Attributes of objects are read as the event's; those of types cleared does not exchange are skipped and counted.
func Parse(data []byte) (_ Imported, err error) {
	defer cleared.Wrap(&err, "misp.Parse")
	if len(data) > MaxEventBytes {
		return Imported{}, cleared.Invalidf("the event is %d bytes, more than the %d accepted", len(data), MaxEventBytes)
	}
	if !utf8.Valid(data) {
		return Imported{}, cleared.Invalidf("the event is not valid UTF-8")
	}
	if err := checkStructure(data); err != nil {
		return Imported{}, err
	}
	var env inEnvelope
	if err := json.Unmarshal(data, &env); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field == "" {
			return Imported{}, cleared.Invalidf("the document is a JSON %s: want an object {\"Event\": {...}}", te.Value)
		}
		if errors.As(err, &te) {
			return Imported{}, cleared.Invalidf("the event's %s is a JSON %s, not the type MISP writes (byte %d)", te.Field, te.Value, te.Offset)
		}
		if m := cleared.Message(err); m != "" {
			return Imported{}, cleared.Invalidf("%s", m)
		}
		return Imported{}, cleared.Invalidf("the event is not MISP JSON: %v", err)
	}
	if env.Event == nil {
		return Imported{}, cleared.Invalidf(`the document holds no "Event"`)
	}
	return convert(env.Event)
}

// marks are the markings read from one set of tags.
type marks struct {
	fm      cleared.ForeignMarking
	tlp     cleared.TLP
	pap     cleared.PAP
	revoked bool
}

func convert(e *inEvent) (Imported, error) {
	if _, ok := parseUUID(e.UUID); !ok {
		return Imported{}, cleared.Invalidf("the event's uuid %q is not a UUID", truncate(e.UUID))
	}
	created, err := time.Parse(time.DateOnly, e.Date)
	if err != nil {
		return Imported{}, cleared.Invalidf("the event's date %q: want YYYY-MM-DD", truncate(e.Date))
	}
	if e.Timestamp <= 0 {
		return Imported{}, cleared.Invalidf("the event has no timestamp: cleared could not tell its versions apart")
	}
	imp := Imported{
		UUID:     strings.ToLower(e.UUID),
		Created:  created,
		Modified: time.Unix(int64(e.Timestamp), 0).UTC(),
		Product:  cleared.Product{Title: e.Info},
	}
	if e.Orgc != nil {
		imp.Originator = e.Orgc.Name
	}
	var m marks
	seen := map[string]bool{}
	for _, t := range e.Tag {
		imp.Tags = append(imp.Tags, t.Name)
		label, err := m.read(t.Name)
		if err != nil {
			return Imported{}, cleared.Invalidf("the event's tags: %s", cleared.Message(err))
		}
		if label && !seen[t.Name] {
			seen[t.Name] = true
			imp.Product.Labels = append(imp.Product.Labels, t.Name)
		}
	}
	imp.Scheme, imp.Marking, imp.TLP, imp.PAP, imp.Revoked = m.fm.Scheme, m.fm.Marking, m.tlp, m.pap, m.revoked

	summary := summaryUUID(imp.UUID)
	var paragraphs []string
	n := 0
	read := func(a inAttribute) error {
		n++
		name := "attribute " + strconv.Itoa(n) + " (" + truncate(a.UUID) + ")"
		var am marks
		for _, t := range a.Tag {
			if _, err := am.read(t.Name); err != nil {
				return cleared.Invalidf("%s: %s", name, cleared.Message(err))
			}
		}
		if (am.fm != cleared.ForeignMarking{} && am.fm != m.fm) || (am.tlp != "" && am.tlp != m.tlp) || (am.pap != "" && am.pap != m.pap) {
			return cleared.Invalidf("%s is marked otherwise than its event: cleared keeps one marking per product, so split the event", name)
		}
		if a.Deleted || !cleared.IndicatorTypes[a.Type] {
			imp.Skipped++
			return nil
		}
		// MISP keeps the line ends its users typed; cleared's texts end their lines with LF.
		a.Value, a.Comment = crlf.Replace(a.Value), crlf.Replace(a.Comment)
		if a.Type == "text" && (strings.EqualFold(a.UUID, summary) || strings.Contains(a.Value, "\n")) {
			// cleared's own summary, or free text of several lines, which no indicator holds: the summary.
			if err := cleared.CheckText("value", a.Value, 1, 100000); err != nil {
				return cleared.Invalidf("%s: %s", name, cleared.Message(err))
			}
			paragraphs = append(paragraphs, a.Value)
			return nil
		}
		if err := cleared.CheckLine("value", a.Value, 1, 4096); err != nil {
			return cleared.Invalidf("%s of type %s: %s", name, a.Type, cleared.Message(err))
		}
		if err := cleared.CheckText("comment", a.Comment, 0, 1000); err != nil {
			return cleared.Invalidf("%s: %s", name, cleared.Message(err))
		}
		imp.Product.Indicators = append(imp.Product.Indicators, cleared.Indicator{Type: a.Type, Value: a.Value, Comment: a.Comment, ToIDS: a.ToIDS})
		return nil
	}
	for _, a := range e.Attribute {
		if err := read(a); err != nil {
			return Imported{}, err
		}
	}
	for _, o := range e.Object {
		for _, a := range o.Attribute {
			if o.Deleted {
				a.Deleted = true
			}
			if err := read(a); err != nil {
				return Imported{}, err
			}
		}
	}
	imp.Product.Summary = strings.Join(paragraphs, "\n\n")
	if err := imp.Product.Validate(); err != nil {
		return Imported{}, cleared.Invalidf("event %s: %s", imp.UUID, cleared.Message(err))
	}
	return imp, nil
}

// read takes one tag: a marking (classification, TLP, PAP, revocation), recorded in m, or a label (true). A tag in
// a namespace of markings that cleared does not know, or one that disagrees with a marking read before, is refused.
func (m *marks) read(name string) (label bool, err error) {
	if !reserved(name) {
		return true, nil
	}
	ns, pred, _ := strings.Cut(name, ":")
	set := func(what string, cur *string, v string) error {
		if *cur != "" && *cur != v {
			return cleared.Invalidf("two %s markings, %q and %q: cleared keeps one", what, *cur, v)
		}
		*cur = v
		return nil
	}
	switch strings.ToLower(ns) {
	case "tlp":
		t := cleared.TLP(strings.ToLower(pred))
		if t == "white" {
			t = cleared.TLPClear // TLP 1.0's white is TLP 2.0's clear
		}
		if t.Validate() != nil {
			return false, cleared.Invalidf("unknown TLP tag %q: want tlp:clear, green, amber, amber+strict or red", truncate(name))
		}
		return false, set("TLP", (*string)(&m.tlp), string(t))
	case "pap":
		p := cleared.PAP(strings.ToLower(pred))
		if p == "white" {
			p = cleared.PAPClear
		}
		if p.Validate() != nil {
			return false, cleared.Invalidf("unknown PAP tag %q: want PAP:CLEAR, GREEN, AMBER or RED", truncate(name))
		}
		return false, set("PAP", (*string)(&m.pap), string(p))
	}
	var fm cleared.ForeignMarking
	switch {
	case name == tagRevoked:
		m.revoked = true
		return false, nil
	case strings.HasPrefix(name, tagClassification):
		v, err := strconv.Unquote(strings.TrimPrefix(name, tagClassification))
		if err != nil || cleared.CheckLine("marking", v, 1, 200) != nil {
			return false, cleared.Invalidf("tag %q: want cleared:classification=\"<marking>\"", truncate(name))
		}
		fm.Marking = v
		if l, err := cleared.ParseLevel(v); err == nil && l.Classified() && strings.HasSuffix(strings.ToUpper(v), " LUX") {
			fm.Scheme = cleared.SchemeNational
		}
	default:
		var ok bool
		if fm, ok = markingOf[name]; !ok {
			return false, cleared.Invalidf("unknown marking tag %q: cleared reads the nato and euci taxonomies, tlp, PAP and its own", truncate(name))
		}
	}
	if m.fm != (cleared.ForeignMarking{}) && m.fm != fm {
		return false, cleared.Invalidf("two classification markings, %q and %q: cleared keeps one", m.fm.Marking, fm.Marking)
	}
	m.fm = fm
	return false, nil
}

// checkStructure scans the JSON before it is decoded: nested at most maxDepth deep, no key twice in an object (in
// any letter case, as encoding/json matches keys), and at most MaxAttributes attributes and maxTags tags, counted
// before anything is built for them. It checks no more of the syntax than it needs: json.Unmarshal, which runs
// next, refuses any malformed document. (encoding/json's Decoder.Token is five times slower on large events.)
func checkStructure(data []byte) error {
	type frame struct {
		array   bool
		name    string // the key the array sits under
		wantKey bool
		key     string
		keys    []string
		keySet  map[string]bool // past 16 keys, so that a huge object costs no quadratic time
	}
	var stack []frame
	attributes, tags := 0, 0
	value := func() error { // a value begins
		if len(stack) == 0 || !stack[len(stack)-1].array {
			return nil
		}
		switch stack[len(stack)-1].name {
		case "Attribute":
			if attributes++; attributes > MaxAttributes {
				return cleared.Invalidf("more than %d attributes in the event", MaxAttributes)
			}
		case "Tag":
			if tags++; tags > maxTags {
				return cleared.Invalidf("more than %d tags in the event", maxTags)
			}
		}
		return nil
	}
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case ' ', '\t', '\n', '\r', ':':
		case ',':
			if n := len(stack); n > 0 && !stack[n-1].array {
				stack[n-1].wantKey = true
			}
		case '{', '[':
			if err := value(); err != nil {
				return err
			}
			if len(stack) >= maxDepth {
				return cleared.Invalidf("the event nests deeper than %d levels", maxDepth)
			}
			f := frame{array: c == '[', wantKey: c == '{'}
			if n := len(stack); n > 0 && !stack[n-1].array {
				f.name = stack[n-1].key
			}
			stack = append(stack, f)
		case '}', ']':
			if len(stack) == 0 {
				return nil // malformed: json.Unmarshal says where
			}
			stack = stack[:len(stack)-1]
		case '"':
			j := i + 1
			for j < len(data) && data[j] != '"' {
				if data[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(data) {
				return nil
			}
			n := len(stack)
			if n == 0 || stack[n-1].array || !stack[n-1].wantKey {
				if err := value(); err != nil {
					return err
				}
				i = j
				continue
			}
			var k string
			if err := json.Unmarshal(data[i:j+1], &k); err != nil {
				return nil
			}
			f := &stack[n-1]
			fk := foldKey(k)
			if slices.Contains(f.keys, fk) || f.keySet[fk] {
				return cleared.Invalidf("key %q appears twice in one object", truncate(k))
			}
			if len(f.keys) < 16 {
				f.keys = append(f.keys, fk)
			} else {
				if f.keySet == nil {
					f.keySet = map[string]bool{}
				}
				f.keySet[fk] = true
			}
			f.key, f.wantKey = k, false
			i = j
		default: // a number, true, false or null
			if err := value(); err != nil {
				return err
			}
			for i+1 < len(data) && !strings.ContainsRune(",:]} \t\n\r\"{[", rune(data[i+1])) {
				i++
			}
		}
	}
	return nil
}

// foldKey folds a key so that two keys encoding/json would take for one (it ignores case, Unicode's too) fold to
// one string; it may fold a few more together, which only refuses more.
func foldKey(k string) string {
	for i := 0; i < len(k); i++ {
		if k[i] >= utf8.RuneSelf {
			return strings.ToLower(strings.ToUpper(k))
		}
	}
	return strings.ToLower(k)
}

var crlf = strings.NewReplacer("\r\n", "\n", "\r", "\n")

func truncate(s string) string {
	if len(s) > 60 {
		return strings.ToValidUTF8(s[:60], "") + "…"
	}
	return s
}
