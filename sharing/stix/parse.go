package stix

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cleared/cleared"
)

// Limits on a bundle read from a partner.
const (
	MaxBundleBytes   = 64 << 20
	MaxBundleObjects = 200000
	maxDepth         = 32
)

// Imported is one report of a partner's bundle, read back as a product: its UUID (the report's), its content, its
// TLP and PAP, its classification marking as the partner wrote it (resolved by the caller through the equivalence
// table, A6.1), its producer's name and times. Skipped counts the objects it refers to that cleared does not
// import (other object types, patterns other than one comparison).
type Imported struct {
	UUID       string
	Product    cleared.Product
	TLP        cleared.TLP
	PAP        cleared.PAP
	Marking    string
	Originator string
	Created    time.Time
	Modified   time.Time
	Revoked    bool
	Skipped    int
}

type header struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

type inMarking struct {
	header
	Name           string                     `json:"name"`
	DefinitionType string                     `json:"definition_type"`
	Definition     json.RawMessage            `json:"definition"`
	Extensions     map[string]json.RawMessage `json:"extensions"`
}

type inCommon struct {
	header
	CreatedBy string   `json:"created_by_ref"`
	Created   string   `json:"created"`
	Modified  string   `json:"modified"`
	Revoked   bool     `json:"revoked"`
	Labels    []string `json:"labels"`
	Markings  []string `json:"object_marking_refs"`
}

type inReport struct {
	inCommon
	Name        string   `json:"name"`
	Description string   `json:"description"`
	ObjectRefs  []string `json:"object_refs"`
}

type inIndicator struct {
	inCommon
	Description string `json:"description"`
	Pattern     string `json:"pattern"`
	PatternType string `json:"pattern_type"`
}

type inNote struct {
	inCommon
	Abstract string `json:"abstract"`
	Content  string `json:"content"`
}

type inIdentity struct {
	header
	Name string `json:"name"`
}

// Parse reads a STIX 2.1 bundle a partner sent: one [Imported] per report, with its indicators (and notes, as
// text indicators) read back from the one-comparison patterns [Objects] writes. It is all or nothing: a bundle
// over 64 MiB or 200 000 objects, malformed JSON (bad UTF-8, duplicate keys, nesting deeper than 32), a property
// of the wrong type, a marking reference it cannot resolve (it would leave the object less protected, A6.1), a
// TLP identifier redefined with other content, or a report whose content is not a valid product is refused with
// [cleared.ErrInvalid] naming the object. Object types it does not import are ignored.
func Parse(data []byte) (_ []Imported, err error) {
	defer cleared.Wrap(&err, "stix.Parse")
	if len(data) > MaxBundleBytes {
		return nil, cleared.Invalidf("bundle of %d bytes: at most %d", len(data), MaxBundleBytes)
	}
	if !utf8.Valid(data) {
		return nil, cleared.Invalidf("bundle is not valid UTF-8")
	}
	if err := checkJSON(data); err != nil {
		return nil, err
	}
	var b struct {
		Type    string            `json:"type"`
		ID      string            `json:"id"`
		Objects []json.RawMessage `json:"objects"`
	}
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, cleared.Invalidf("bundle: %s", jsonMessage(err))
	}
	if b.Type != "bundle" {
		return nil, cleared.Invalidf("not a STIX bundle: type %q", trunc(b.Type))
	}
	if len(b.Objects) > MaxBundleObjects {
		return nil, cleared.Invalidf("bundle of %d objects: at most %d", len(b.Objects), MaxBundleObjects)
	}

	raw := map[string]json.RawMessage{}
	types := map[string]string{}
	var reports []string
	for i, o := range b.Objects {
		var h header
		if err := json.Unmarshal(o, &h); err != nil {
			return nil, cleared.Invalidf("object %d: %s", i, jsonMessage(err))
		}
		typ, _, ok := strings.Cut(h.ID, "--")
		if !ok || typ != h.Type {
			return nil, cleared.Invalidf("object %d: id %q does not name its type %q", i, trunc(h.ID), trunc(h.Type))
		}
		if prev, dup := raw[h.ID]; dup {
			if !bytes.Equal(prev, o) {
				return nil, cleared.Invalidf("object %s appears twice with different content", trunc(h.ID))
			}
			continue
		}
		raw[h.ID], types[h.ID] = o, h.Type
		if h.Type == "report" {
			reports = append(reports, h.ID)
		}
	}

	markings := map[string]resolved{}
	for id, o := range raw {
		if types[id] != "marking-definition" {
			continue
		}
		m, err := readMarking(o)
		if err != nil {
			return nil, err
		}
		markings[id] = m
	}

	out := make([]Imported, 0, len(reports))
	for _, rid := range reports {
		var r inReport
		if err := strictUnmarshal(raw[rid], &r); err != nil {
			return nil, cleared.Invalidf("report %s: %s", trunc(rid), jsonMessage(err))
		}
		im := Imported{UUID: strings.TrimPrefix(rid, "report--"), Revoked: r.Revoked}
		if !validUUID(im.UUID) {
			return nil, cleared.Invalidf("report %s: its id is not report--<UUID>", trunc(rid))
		}
		if im.Created, err = readTime(rid, "created", r.Created); err != nil {
			return nil, err
		}
		if im.Modified, err = readTime(rid, "modified", r.Modified); err != nil {
			return nil, err
		}
		m, err := applyMarkings(rid, r.Markings, markings)
		if err != nil {
			return nil, err
		}
		im.TLP, im.PAP, im.Marking = m.tlp, m.pap, m.statement
		if im.Marking == "" && m.acs != "" && m.acs != "U" {
			// ACS alone gives the level: kept under its own name, for the equivalence table to resolve or refuse.
			im.Marking = "ACS " + m.acs
		}
		if idn, ok := raw[r.CreatedBy]; ok && types[r.CreatedBy] == "identity" {
			var who inIdentity
			if err := strictUnmarshal(idn, &who); err != nil {
				return nil, cleared.Invalidf("identity %s: %s", trunc(r.CreatedBy), jsonMessage(err))
			}
			im.Originator = who.Name
		}
		im.Product = cleared.Product{Title: r.Name, Summary: r.Description, Labels: r.Labels}
		for _, ref := range r.ObjectRefs {
			in, ok, err := readRef(ref, raw[ref], types[ref], r.Markings, markings)
			if err != nil {
				return nil, err
			}
			if !ok {
				im.Skipped++
				continue
			}
			im.Product.Indicators = append(im.Product.Indicators, in)
		}
		if err := im.Product.Validate(); err != nil {
			return nil, cleared.Invalidf("report %s: %s", trunc(rid), cleared.Message(err))
		}
		out = append(out, im)
	}
	return out, nil
}

// readRef reads one object a report refers to as an indicator; ok is false for what cleared does not import.
func readRef(ref string, o json.RawMessage, typ string, reportMarkings []string, markings map[string]resolved) (cleared.Indicator, bool, error) {
	var common inCommon
	var in cleared.Indicator
	switch typ {
	case "indicator":
		var v inIndicator
		if err := strictUnmarshal(o, &v); err != nil {
			return in, false, cleared.Invalidf("indicator %s: %s", trunc(ref), jsonMessage(err))
		}
		common = v.inCommon
		path, value, ok := parsePattern(v.Pattern)
		if v.PatternType != "stix" || !ok {
			return in, false, nil
		}
		in = cleared.Indicator{Type: defaultTypes[path], Value: value, Comment: v.Description, ToIDS: true}
		for _, l := range v.Labels {
			if t, ok := strings.CutPrefix(l, `misp:type="`); ok {
				t = strings.TrimSuffix(t, `"`)
				if p, known := paths[t]; known && (p == path || p == "ipv4-addr:value" && path == "ipv6-addr:value") {
					in.Type = t
				}
			}
		}
	case "note":
		var v inNote
		if err := strictUnmarshal(o, &v); err != nil {
			return in, false, cleared.Invalidf("note %s: %s", trunc(ref), jsonMessage(err))
		}
		common = v.inCommon
		in = cleared.Indicator{Type: "text", Value: v.Content, Comment: v.Abstract}
	default:
		return in, false, nil
	}
	// An observable marked otherwise than its report would be imported under the report's marking, perhaps a
	// lower one: refused rather than guessed (A6.1).
	if _, err := applyMarkings(ref, common.Markings, markings); err != nil {
		return in, false, err
	}
	if !sameSet(common.Markings, reportMarkings) {
		return in, false, cleared.Invalidf("%s %s is marked otherwise than its report", typ, trunc(ref))
	}
	return in, true, nil
}

// resolved is what a marking definition means to cleared.
type resolved struct {
	tlp       cleared.TLP
	pap       cleared.PAP
	statement string
	acs       string // the ACS classification code, read when no statement gives the marking
}

// readMarking reads a marking definition of the bundle. One that reuses a TLP identifier must say that TLP; one
// cleared cannot read (another definition type or extension) is kept unresolved, and refuses what it marks.
func readMarking(o json.RawMessage) (resolved, error) {
	var m inMarking
	if err := strictUnmarshal(o, &m); err != nil {
		return resolved{}, cleared.Invalidf("marking definition: %s", jsonMessage(err))
	}
	want, fixed := knownTLP(m.ID)
	var r resolved
	switch {
	case m.DefinitionType == "statement":
		var s statement
		if err := strictUnmarshal(m.Definition, &s); err != nil || s.Statement == "" {
			return r, cleared.Invalidf("marking definition %s: a statement marking needs its statement", trunc(m.ID))
		}
		if p, ok := strings.CutPrefix(s.Statement, "PAP:"); ok {
			r.pap = cleared.PAP(strings.ToLower(p))
			if err := r.pap.Validate(); err != nil {
				return r, cleared.Invalidf("marking definition %s: %s", trunc(m.ID), cleared.Message(err))
			}
		} else {
			r.statement = s.Statement
		}
	case m.DefinitionType == "tlp":
		var d struct {
			TLP string `json:"tlp"`
		}
		if err := strictUnmarshal(m.Definition, &d); err != nil {
			return r, cleared.Invalidf("marking definition %s: %s", trunc(m.ID), jsonMessage(err))
		}
		r.tlp = cleared.TLP(d.TLP)
		if d.TLP == "white" {
			r.tlp = cleared.TLPClear
		}
	case m.Extensions[tlpExtension] != nil:
		var e tlpExt
		if err := strictUnmarshal(m.Extensions[tlpExtension], &e); err != nil {
			return r, cleared.Invalidf("marking definition %s: %s", trunc(m.ID), jsonMessage(err))
		}
		r.tlp = cleared.TLP(e.TLP)
	case m.Extensions[acsExtension] != nil:
		var e struct {
			ControlSet acsControlSet `json:"control_set"`
		}
		if err := strictUnmarshal(m.Extensions[acsExtension], &e); err != nil {
			return r, cleared.Invalidf("marking definition %s: %s", trunc(m.ID), jsonMessage(err))
		}
		if e.ControlSet.Classification == "" {
			return r, cleared.Invalidf("marking definition %s: ACS marking without a classification", trunc(m.ID))
		}
		r.acs = e.ControlSet.Classification
	}
	if r.tlp != "" {
		if err := r.tlp.Validate(); err != nil {
			return r, cleared.Invalidf("marking definition %s: %s", trunc(m.ID), cleared.Message(err))
		}
	}
	if fixed && r.tlp != want {
		return r, cleared.Invalidf("marking definition %s reuses the identifier of TLP:%s with other content",
			trunc(m.ID), strings.ToUpper(string(want)))
	}
	return r, nil
}

// knownTLP returns the TLP a fixed marking-definition identifier stands for.
func knownTLP(id string) (cleared.TLP, bool) {
	for t, tid := range tlpIDs {
		if tid == id {
			return t, true
		}
	}
	t, ok := tlp1IDs[id]
	return t, ok
}

// applyMarkings resolves an object's marking references: the fixed TLP identifiers, or definitions of the bundle
// cleared reads. Two TLPs, PAPs or classifications contradict each other and are refused.
func applyMarkings(obj string, refs []string, markings map[string]resolved) (resolved, error) {
	var r resolved
	for _, ref := range refs {
		m, ok := markings[ref]
		if !ok {
			t, fixed := knownTLP(ref)
			if !fixed {
				return r, cleared.Invalidf("%s: marking %s is not defined in the bundle", trunc(obj), trunc(ref))
			}
			m = resolved{tlp: t}
		}
		if m == (resolved{}) {
			return r, cleared.Invalidf("%s: marking %s is of a kind cleared cannot read", trunc(obj), trunc(ref))
		}
		if m.tlp != "" && r.tlp != "" && m.tlp != r.tlp || m.pap != "" && r.pap != "" && m.pap != r.pap ||
			m.statement != "" && r.statement != "" && m.statement != r.statement || m.acs != "" && r.acs != "" && m.acs != r.acs {
			return r, cleared.Invalidf("%s: contradictory markings", trunc(obj))
		}
		r.tlp, r.pap, r.statement, r.acs = first(r.tlp, m.tlp), first(r.pap, m.pap), first(r.statement, m.statement), first(r.acs, m.acs)
	}
	return r, nil
}

func first[T comparable](a, b T) T {
	var zero T
	if a != zero {
		return a
	}
	return b
}

func sameSet(a, b []string) bool {
	in := map[string]bool{}
	for _, s := range a {
		in[s] = true
	}
	for _, s := range b {
		if !in[s] {
			return false
		}
	}
	other := map[string]bool{}
	for _, s := range b {
		other[s] = true
	}
	for s := range in {
		if !other[s] {
			return false
		}
	}
	return true
}

func readTime(obj, field, s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || !strings.HasSuffix(s, "Z") {
		return time.Time{}, cleared.Invalidf("%s: %s %q is not a STIX timestamp", trunc(obj), field, trunc(s))
	}
	return t, nil
}

// strictUnmarshal decodes one value: wrong types are errors, unknown properties (custom ones) are not.
func strictUnmarshal(b []byte, v any) error {
	if len(b) == 0 {
		return errors.New("missing")
	}
	return json.Unmarshal(b, v)
}

// jsonMessage turns a decoding error into a message for the partner, without Go type names.
func jsonMessage(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("property %q: want %s, got %s", te.Field, jsonKind(te.Type.Kind().String()), te.Value)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("malformed JSON at byte %d", se.Offset)
	}
	return err.Error()
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "slice":
		return "an array"
	case "map", "struct":
		return "an object"
	}
	return "a number"
}

// checkJSON walks the document once: one value, nesting at most maxDepth, no object with a key twice, in any case
// (which decoders read differently, so that two systems would not import the same thing).
func checkJSON(data []byte) error {
	d := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		keys   map[string]bool
		object bool
		key    bool // the next string token in an object is a key
	}
	var stack []frame
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return cleared.Invalidf("bundle: %s", jsonMessage(err))
		}
		top := len(stack) - 1
		if delim, ok := tok.(json.Delim); ok {
			switch delim {
			case '{', '[':
				if top >= 0 && stack[top].object {
					stack[top].key = true
				}
				if len(stack) == maxDepth {
					return cleared.Invalidf("bundle: nested deeper than %d", maxDepth)
				}
				stack = append(stack, frame{object: delim == '{', key: delim == '{', keys: map[string]bool{}})
			case '}', ']':
				stack = stack[:top]
			}
			continue
		}
		if top >= 0 && stack[top].object {
			if stack[top].key {
				k := tok.(string)
				// Folded: encoding/json matches a key to a field whatever its case ("ID" is read as id, the last
				// one winning), where other readers take the key written exactly, so two keys that differ only in
				// case would be two different objects to two systems.
				fold := strings.ToLower(strings.ToUpper(k))
				if stack[top].keys[fold] {
					return cleared.Invalidf("bundle: key %q appears twice in one object (keys are compared without regard to case)", trunc(k))
				}
				stack[top].keys[fold] = true
				stack[top].key = false
				continue
			}
			stack[top].key = true
		}
	}
	return nil
}

func trunc(s string) string {
	if len(s) <= 80 {
		return s
	}
	return strings.ToValidUTF8(s[:80], "") + "…"
}
