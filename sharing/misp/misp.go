// Package misp renders the products cleared shares as MISP events and feeds, in the markings of the receiving
// partner's scheme (A6.1: the nato or euci taxonomies, or the national one), and reads the events partners send
// (S1). It holds no state and imports neither storage nor HTTP: the MISP feed (package web) and the exports call it.
//
// The event format is MISP's core format (draft-dulaunoy-misp-core-format); the feed is what MISP's feed fetcher
// reads: manifest.json, one <uuid>.json per event, and hashes.csv.
package misp

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/cleared/cleared"
)

// Options are the receiving partner's preferences.
type Options struct {
	// Producer is the name of the organisation that produced the product (the event's Orgc).
	Producer string
}

// The event's fixed fields. analysis "2" is "completed": a product is released finished. threat_level_id "4" is
// "undefined": cleared does not grade threats, the tags say what the product is. distribution "0" is "your
// organisation only": the feed's receivers may not pass the product on, since a release names its partners and a
// further transmission is the originator's decision (S1, A11.2).
const (
	analysisCompleted = "2"
	threatUndefined   = "4"
	distributionOrg   = "0"
)

// Categories of the attributes, per type: MISP's defaults (describeTypes.json), except text, which is an
// indicator's comment from outside analysis; the product's summary is the one text attribute of category Other.
var categories = map[string]string{
	"ip-src": "Network activity", "ip-dst": "Network activity", "domain": "Network activity",
	"hostname": "Network activity", "url": "Network activity", "email-dst": "Network activity",
	"md5": "Payload delivery", "sha1": "Payload delivery", "sha256": "Payload delivery",
	"email-src": "Payload delivery", "filename": "Payload delivery",
	"text": "External analysis",
}

const (
	categorySummary = "Other"
	commentSummary  = "Summary"
)

// The JSON of a MISP event, its fields in the order MISP writes them, so that output is deterministic.
type (
	envelope struct {
		Event event `json:"Event"`
	}
	event struct {
		UUID             string      `json:"uuid"`
		Info             string      `json:"info"`
		Date             string      `json:"date"`
		Timestamp        string      `json:"timestamp"`
		PublishTimestamp string      `json:"publish_timestamp"`
		Published        bool        `json:"published"`
		Analysis         string      `json:"analysis"`
		ThreatLevelID    string      `json:"threat_level_id"`
		Distribution     string      `json:"distribution"`
		Orgc             org         `json:"Orgc"`
		Attribute        []attribute `json:"Attribute"`
		Tag              []tag       `json:"Tag"`
	}
	org struct {
		Name string `json:"name"`
		UUID string `json:"uuid"`
	}
	attribute struct {
		UUID      string `json:"uuid"`
		Type      string `json:"type"`
		Category  string `json:"category"`
		Value     string `json:"value"`
		Comment   string `json:"comment"`
		ToIDS     bool   `json:"to_ids"`
		Timestamp string `json:"timestamp"`
	}
	tag struct {
		Name string `json:"name"`
	}
)

// Event renders p as a MISP event ({"Event": {...}}), marked for the partner o describes: the classification in
// its scheme's taxonomy (A6.1), the TLP and PAP, and the product's labels as plain tags. The same product renders
// the same bytes. A product cleared could not write faithfully (a classified one without its marking, an unknown
// indicator type, a label in a marking namespace) is [cleared.ErrInvalid].
func Event(p cleared.SharedProduct, o Options) (_ []byte, err error) {
	defer cleared.Wrap(&err, "misp.Event %s", p.UUID)
	e, err := render(p, o)
	if err != nil {
		return nil, err
	}
	return json.Marshal(envelope{Event: e})
}

func render(p cleared.SharedProduct, o Options) (event, error) {
	if _, ok := parseUUID(p.UUID); !ok {
		return event{}, cleared.Invalidf("product UUID %q is not a UUID", p.UUID)
	}
	if p.Created.IsZero() {
		return event{}, cleared.Invalidf("product %s has no creation time", p.UUID)
	}
	if err := p.TLP.Validate(); err != nil {
		return event{}, err
	}
	if err := p.PAP.Validate(); err != nil {
		return event{}, err
	}
	modified := p.Modified
	if modified.IsZero() {
		modified = p.Created
	}
	ts := strconv.FormatInt(modified.Unix(), 10)
	producer := o.Producer
	if producer == "" {
		producer = p.Originator
	}
	if producer == "" {
		return event{}, cleared.Invalidf("product %s names no producer: MISP requires the event's organisation", p.UUID)
	}
	tags, err := eventTags(p)
	if err != nil {
		return event{}, err
	}
	e := event{
		UUID:             p.UUID,
		Info:             p.Title,
		Date:             p.Created.UTC().Format(time.DateOnly),
		Timestamp:        ts,
		PublishTimestamp: ts,
		Published:        true,
		Analysis:         analysisCompleted,
		ThreatLevelID:    threatUndefined,
		Distribution:     distributionOrg,
		Orgc:             org{Name: producer, UUID: uuid5(namespace, "org/"+producer)},
		Attribute:        []attribute{},
		Tag:              tags,
	}
	// A revoked product keeps its event, tagged cleared:revoked and emptied of its attributes: MISP's feed fetcher
	// cannot delete an event, but it replaces the one it holds by this newer version, so that the receiver's copy
	// stops feeding detection and says why; the indicators are not sent again.
	if p.Revoked {
		return e, nil
	}
	if p.Summary != "" {
		e.Attribute = append(e.Attribute, attribute{
			UUID: summaryUUID(p.UUID), Type: "text", Category: categorySummary,
			Value: p.Summary, Comment: commentSummary, Timestamp: ts,
		})
	}
	for i, in := range p.Indicators {
		c, ok := categories[in.Type]
		if !ok {
			return event{}, cleared.Invalidf("indicator %d: type %q is not one cleared exchanges", i, in.Type)
		}
		e.Attribute = append(e.Attribute, attribute{
			UUID: indicatorUUID(p.UUID, i, in), Type: in.Type, Category: c,
			Value: in.Value, Comment: in.Comment, ToIDS: in.ToIDS, Timestamp: ts,
		})
	}
	return e, nil
}

// summaryUUID and indicatorUUID derive the attributes' UUIDs from the product's, so that an update of the event
// updates them in the receiver's MISP; the index keeps two equal indicators apart.
func summaryUUID(product string) string { return uuid5(namespace, product+"/summary") }

func indicatorUUID(product string, i int, in cleared.Indicator) string {
	return uuid5(namespace, product+"/"+strconv.Itoa(i)+"/"+in.Type+"/"+in.Value)
}

// eventTags returns the event's tags: classification, TLP, PAP, revocation, then the labels, each once.
func eventTags(p cleared.SharedProduct) ([]tag, error) {
	var names []string
	c, err := classificationTag(p)
	if err != nil {
		return nil, err
	}
	if c != "" {
		names = append(names, c)
	}
	if p.TLP != "" {
		names = append(names, tlpTag(p.TLP))
	}
	if p.PAP != "" {
		names = append(names, papTag(p.PAP))
	}
	if p.Revoked {
		names = append(names, tagRevoked)
	}
	seen := map[string]bool{}
	for _, l := range p.Labels {
		if reserved(l) {
			return nil, cleared.Invalidf("label %q lies in a namespace of markings (tlp, PAP, nato, euci, cleared): it would pass for one", l)
		}
		if !seen[l] {
			seen[l] = true
			names = append(names, l)
		}
	}
	tags := make([]tag, len(names))
	for i, n := range names {
		tags[i] = tag{Name: n}
	}
	return tags, nil
}
