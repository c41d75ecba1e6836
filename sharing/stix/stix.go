// Package stix renders the products cleared shares as STIX 2.1 objects and bundles, in the markings of the
// receiving partner's scheme (A6.1), and reads the bundles partners send (S1). It holds no state and imports
// neither storage nor HTTP: the TAXII server (package web) and the exports call it.
//
// A product becomes a report, one indicator per observable (one note per free-text one), the producer's identity
// and its marking definitions: TLP 2.0 by the fixed identifiers OASIS publishes, the classification in the
// partner's scheme and the PAP as statements, and with [Options.ACS] an ACS 3.0 marking as well. Every object
// carries the markings of the product (A6.1, A11: a transmitted piece keeps its marking). Identifiers are derived
// from the product's UUID, so the same product always renders the same objects.
package stix

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/cleared/cleared"
)

// Options are the receiving partner's preferences.
type Options struct {
	// Producer is the name of the organisation that produced the product, as a STIX identity.
	Producer string
	// ACS marks classification and releasability with the ACS 3.0 extension as well, for partners that use it.
	ACS bool
	// Custodian is the ACS responsible entity ("LUX.SRE" unless set): country and organisation codes.
	Custodian string
}

// DefaultCustodian is the ACS responsible entity when Options.Custodian is empty.
const DefaultCustodian = "LUX.SRE"

// Object is one STIX object as served by TAXII: its id, type and version (modified), and its JSON.
type Object struct {
	ID       string
	Type     string
	Modified time.Time
	JSON     json.RawMessage
}

// timestamp is STIX's timestamp with the millisecond precision its created and modified require.
const timestamp = "2006-01-02T15:04:05.000Z"

func format(t time.Time) string { return t.UTC().Format(timestamp) }

type identity struct {
	Type          string   `json:"type"`
	SpecVersion   string   `json:"spec_version"`
	ID            string   `json:"id"`
	Created       string   `json:"created"`
	Modified      string   `json:"modified"`
	Name          string   `json:"name"`
	IdentityClass string   `json:"identity_class"`
	Markings      []string `json:"object_marking_refs,omitempty"`
}

type report struct {
	Type        string   `json:"type"`
	SpecVersion string   `json:"spec_version"`
	ID          string   `json:"id"`
	CreatedBy   string   `json:"created_by_ref"`
	Created     string   `json:"created"`
	Modified    string   `json:"modified"`
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	ReportTypes []string `json:"report_types"`
	Published   string   `json:"published"`
	ObjectRefs  []string `json:"object_refs"`
	Labels      []string `json:"labels,omitempty"`
	Revoked     bool     `json:"revoked,omitempty"`
	Markings    []string `json:"object_marking_refs,omitempty"`
}

type indicator struct {
	Type        string   `json:"type"`
	SpecVersion string   `json:"spec_version"`
	ID          string   `json:"id"`
	CreatedBy   string   `json:"created_by_ref"`
	Created     string   `json:"created"`
	Modified    string   `json:"modified"`
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Pattern     string   `json:"pattern"`
	PatternType string   `json:"pattern_type"`
	ValidFrom   string   `json:"valid_from"`
	Labels      []string `json:"labels,omitempty"`
	Revoked     bool     `json:"revoked,omitempty"`
	Markings    []string `json:"object_marking_refs,omitempty"`
}

type note struct {
	Type        string   `json:"type"`
	SpecVersion string   `json:"spec_version"`
	ID          string   `json:"id"`
	CreatedBy   string   `json:"created_by_ref"`
	Created     string   `json:"created"`
	Modified    string   `json:"modified"`
	Abstract    string   `json:"abstract,omitempty"`
	Content     string   `json:"content"`
	ObjectRefs  []string `json:"object_refs"`
	Revoked     bool     `json:"revoked,omitempty"`
	Markings    []string `json:"object_marking_refs,omitempty"`
}

// typeLabel carries the indicator's own type (ip-src rather than ip-dst, hostname rather than domain) as MISP's
// STIX exports do, so that it survives the trip back.
func typeLabel(t string) string { return `misp:type="` + t + `"` }

// Objects renders p as STIX 2.1 objects: its report, indicators, producer identity and marking definitions. A
// classified product with no marking in the partner's scheme is refused with [cleared.ErrInvalid] (A6.1: no
// equivalent, no release), as are an unknown TLP or PAP.
func Objects(p cleared.SharedProduct, o Options) (_ []Object, err error) {
	defer cleared.Wrap(&err, "stix.Objects %s", p.UUID)
	if err := p.TLP.Validate(); err != nil {
		return nil, err
	}
	if err := p.PAP.Validate(); err != nil {
		return nil, err
	}
	if !p.Level.Valid() {
		return nil, cleared.Invalidf("invalid level %d", p.Level)
	}
	if !validUUID(p.UUID) {
		return nil, cleared.Invalidf("product UUID %q is not a UUID", p.UUID)
	}
	if p.Level.Classified() && strings.TrimSpace(p.Marking) == "" {
		return nil, cleared.Invalidf("a %s product needs its marking in the partner's scheme (A6.1)", p.Level)
	}
	producer := o.Producer
	if producer == "" {
		producer = p.Originator
	}
	if producer == "" {
		return nil, cleared.Invalidf("no producer: set Options.Producer or the product's originator")
	}
	custodian := o.Custodian
	if custodian == "" {
		custodian = DefaultCustodian
	}

	var defs []markingDefinition
	if p.TLP != "" {
		defs = append(defs, tlpDefinition(p.TLP))
	}
	if p.Marking != "" {
		defs = append(defs, statementDefinition(p.Marking))
	}
	if p.PAP != "" {
		defs = append(defs, statementDefinition("PAP:"+strings.ToUpper(string(p.PAP))))
	}
	if o.ACS {
		defs = append(defs, acsDefinition(p, custodian))
	}
	var refs []string
	for _, d := range defs {
		refs = append(refs, d.ID)
	}

	created, modified := format(p.Created), format(p.Modified)
	if p.Modified.Before(p.Created) {
		modified = created
	}
	var out []Object
	add := func(id, typ string, mod string, v any) error {
		b, err := marshal(v)
		if err != nil {
			return err
		}
		t, _ := time.Parse(timestamp, mod)
		out = append(out, Object{ID: id, Type: typ, Modified: t, JSON: b})
		return nil
	}
	for _, d := range defs {
		if err := add(d.ID, d.Type, d.Created, d); err != nil {
			return nil, err
		}
	}
	// The producer's identity is one object whatever the product: unmarked, since STIX 2.1 gives one id at one
	// version one content, and a partner reading several products (a bundle, TAXII pages, a poll) meets it again.
	who := identity{
		Type: "identity", SpecVersion: "2.1", ID: id("identity", producer),
		Created: statementCreated, Modified: statementCreated, Name: producer, IdentityClass: "organization",
	}
	if err := add(who.ID, who.Type, who.Modified, who); err != nil {
		return nil, err
	}

	rep := report{
		Type: "report", SpecVersion: "2.1", ID: "report--" + strings.ToLower(p.UUID), CreatedBy: who.ID,
		Created: created, Modified: modified, Name: p.Title, Description: p.Summary,
		ReportTypes: []string{"threat-report"}, Published: created, Labels: p.Labels, Revoked: p.Revoked,
		Markings: refs,
	}
	for i, in := range p.Indicators {
		key := fmt.Sprintf("%s\x00%d\x00%s\x00%s", rep.ID, i, in.Type, in.Value)
		if pat, ok := pattern(in.Type, in.Value); ok {
			ind := indicator{
				Type: "indicator", SpecVersion: "2.1", ID: id("indicator", key), CreatedBy: who.ID,
				Created: created, Modified: modified, Name: in.Value, Description: in.Comment,
				Pattern: pat, PatternType: "stix", ValidFrom: created, Labels: []string{typeLabel(in.Type)},
				Revoked: p.Revoked, Markings: refs,
			}
			if err := add(ind.ID, ind.Type, ind.Modified, ind); err != nil {
				return nil, err
			}
			rep.ObjectRefs = append(rep.ObjectRefs, ind.ID)
			continue
		}
		if in.Type != "text" {
			return nil, cleared.Invalidf("indicator %d: unknown type %q", i, in.Type)
		}
		// Free text has no pattern: it travels as a note on the report.
		n := note{
			Type: "note", SpecVersion: "2.1", ID: id("note", key), CreatedBy: who.ID,
			Created: created, Modified: modified, Abstract: in.Comment, Content: in.Value,
			ObjectRefs: []string{rep.ID}, Revoked: p.Revoked, Markings: refs,
		}
		if err := add(n.ID, n.Type, n.Modified, n); err != nil {
			return nil, err
		}
		rep.ObjectRefs = append(rep.ObjectRefs, n.ID)
	}
	if len(rep.ObjectRefs) == 0 {
		// A report refers to at least one object: with no observable, its producer.
		rep.ObjectRefs = []string{who.ID}
	}
	if err := add(rep.ID, rep.Type, rep.Modified, rep); err != nil {
		return nil, err
	}
	return out, nil
}

// Bundle renders ps as one STIX 2.1 bundle, each object (a shared identity or marking definition) once. Its id is
// derived from its content, so the same products give the same bytes.
func Bundle(ps []cleared.SharedProduct, o Options) (_ []byte, err error) {
	defer cleared.Wrap(&err, "stix.Bundle")
	seen := map[string]bool{}
	var objs []json.RawMessage
	var ids strings.Builder
	for _, p := range ps {
		os, err := Objects(p, o)
		if err != nil {
			return nil, err
		}
		for _, ob := range os {
			key := ob.ID + "\x00" + format(ob.Modified)
			if seen[key] {
				continue
			}
			seen[key] = true
			objs = append(objs, ob.JSON)
			ids.WriteString(key + "\x00")
		}
	}
	if objs == nil {
		objs = []json.RawMessage{}
	}
	return marshal(struct {
		Type    string            `json:"type"`
		ID      string            `json:"id"`
		Objects []json.RawMessage `json:"objects"`
	}{"bundle", id("bundle", ids.String()), objs})
}

// marshal writes JSON without HTML escaping: STIX consumers read it as data, not markup.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// validUUID reports whether s is a UUID in its canonical textual form, any version.
func validUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
				return false
			}
		}
	}
	return true
}
