package misp

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared"
)

// product returns a product with an indicator of every type cleared exchanges, marked in scheme s.
func product(s cleared.Scheme, l cleared.Level, marking string) cleared.SharedProduct {
	p := cleared.SharedProduct{
		UUID: "5f1c7a3e-2b4d-4c6e-8f90-a1b2c3d4e5f6",
		Product: cleared.Product{
			Title:   "APT-X infrastructure, March",
			Summary: "Infrastructure of APT-X seen in March.",
			Labels:  []string{"apt-x", "misp-galaxy:threat-actor=\"APT-X\""},
		},
		Level: l, Scheme: s, Marking: marking,
		TLP: cleared.TLPAmber, PAP: cleared.PAPGreen,
		Originator: "Service de renseignement de l'Etat",
		Created:    time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC),
		Modified:   time.Date(2026, 3, 15, 10, 0, 0, 0, time.UTC),
	}
	values := map[string]string{
		"ip-src": "192.0.2.1", "ip-dst": "198.51.100.7", "domain": "example.org", "hostname": "c2.example.org",
		"url": "https://example.org/x", "md5": "d41d8cd98f00b204e9800998ecf8427e",
		"sha1":      "da39a3ee5e6b4b0d3255bfef95601890afd80709",
		"sha256":    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"email-src": "a@example.org", "email-dst": "b@example.org", "filename": "dropper.exe", "text": "beacon every 60 s",
	}
	types := make([]string, 0, len(values))
	for t := range cleared.IndicatorTypes {
		types = append(types, t)
	}
	slices.Sort(types)
	for _, t := range types {
		p.Indicators = append(p.Indicators, cleared.Indicator{Type: t, Value: values[t], Comment: "seen " + t, ToIDS: t != "text"})
	}
	return p
}

func decode(t *testing.T, b []byte) event {
	t.Helper()
	var e envelope
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("the event is not JSON: %v", err)
	}
	return e.Event
}

func tagNames(e event) []string {
	var out []string
	for _, t := range e.Tag {
		out = append(out, t.Name)
	}
	return out
}

func TestEvent_S1_fields(t *testing.T) {
	p := product(cleared.SchemeNATO, cleared.Secret, "NATO SECRET")
	b, err := Event(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := decode(t, b)
	if e.UUID != p.UUID || e.Info != p.Title || e.Date != "2026-03-14" {
		t.Errorf("uuid, info, date = %q, %q, %q", e.UUID, e.Info, e.Date)
	}
	if e.Timestamp != "1773568800" || e.PublishTimestamp != e.Timestamp || !e.Published {
		t.Errorf("timestamp %q, publish_timestamp %q, published %v: want the modification time, published", e.Timestamp, e.PublishTimestamp, e.Published)
	}
	if e.Analysis != "2" || e.ThreatLevelID != "4" || e.Distribution != "0" {
		t.Errorf("analysis %q, threat_level_id %q, distribution %q: want 2, 4, 0", e.Analysis, e.ThreatLevelID, e.Distribution)
	}
	if e.Orgc.Name != p.Originator || e.Orgc.UUID != uuid5(namespace, "org/"+p.Originator) {
		t.Errorf("Orgc = %+v: want the originator, with its derived UUID", e.Orgc)
	}
	if len(e.Attribute) != 1+len(p.Indicators) {
		t.Fatalf("%d attributes: want the summary and one per indicator", len(e.Attribute))
	}
	if a := e.Attribute[0]; a.Type != "text" || a.Category != "Other" || a.Value != p.Summary || a.ToIDS {
		t.Errorf("summary attribute = %+v", a)
	}
	for i, in := range p.Indicators {
		a := e.Attribute[i+1]
		if a.Type != in.Type || a.Value != in.Value || a.Comment != in.Comment || a.ToIDS != in.ToIDS || a.Category != categories[in.Type] || a.Timestamp != e.Timestamp {
			t.Errorf("attribute %d = %+v, from indicator %+v", i, a, in)
		}
	}
	b2, _ := Event(p, Options{Producer: "SRE"})
	if e2 := decode(t, b2); e2.Orgc.Name != "SRE" || e2.Orgc.UUID == e.Orgc.UUID {
		t.Errorf("Orgc with a producer = %+v: want the producer's name and its own UUID", e2.Orgc)
	}
}

func TestEvent_S1_deterministic(t *testing.T) {
	p := product(cleared.SchemeEU, cleared.Confidential, "CONFIDENTIEL UE/EU CONFIDENTIAL")
	a, err := Event(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if b, _ := Event(p, Options{}); !bytes.Equal(a, b) {
			t.Fatalf("two renderings differ:\n%s\n%s", a, b)
		}
	}
	e := decode(t, a)
	seen := map[string]bool{}
	for _, x := range e.Attribute {
		if seen[x.UUID] {
			t.Errorf("attribute UUID %s twice", x.UUID)
		}
		seen[x.UUID] = true
	}
	q := p
	q.UUID = "0b6f7a3e-2b4d-4c6e-8f90-a1b2c3d4e5f6"
	if b, _ := Event(q, Options{}); decode(t, b).Attribute[1].UUID == e.Attribute[1].UUID {
		t.Error("two products give one attribute the same UUID")
	}
}

func TestEvent_A6_1_taxonomy_of_partner_scheme(t *testing.T) {
	for _, c := range []struct {
		name    string
		scheme  cleared.Scheme
		level   cleared.Level
		marking string
		want    string
	}{
		{"NATO secret", cleared.SchemeNATO, cleared.Secret, "NATO SECRET", `nato:classification="NS"`},
		{"NATO top secret", cleared.SchemeNATO, cleared.TopSecret, "COSMIC TOP SECRET", `nato:classification="CTS"`},
		{"NATO confidential", cleared.SchemeNATO, cleared.Confidential, "NATO CONFIDENTIAL", `nato:classification="NC"`},
		{"NATO restricted", cleared.SchemeNATO, cleared.Restricted, "NATO RESTRICTED", `nato:classification="NR"`},
		{"EU top secret", cleared.SchemeEU, cleared.TopSecret, "TRES SECRET UE/EU TOP SECRET", "euci:TS-UE/EU-TS"},
		{"EU secret", cleared.SchemeEU, cleared.Secret, "SECRET UE/EU SECRET", "euci:S-UE/EU-S"},
		{"EU confidential", cleared.SchemeEU, cleared.Confidential, "CONFIDENTIEL UE/EU CONFIDENTIAL", "euci:C-UE/EU-C"},
		{"EU restricted", cleared.SchemeEU, cleared.Restricted, "RESTREINT UE/EU RESTRICTED", "euci:R-UE/EU-R"},
		{"national secret", cleared.SchemeNational, cleared.Secret, "SECRET LUX", `cleared:classification="SECRET LUX"`},
		{"bilateral", "FR", cleared.Secret, "SECRET", `cleared:classification="SECRET"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := Event(product(c.scheme, c.level, c.marking), Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := tagNames(decode(t, b))
			want := []string{c.want, "tlp:amber", "PAP:GREEN", "apt-x", `misp-galaxy:threat-actor="APT-X"`}
			if !slices.Equal(got, want) {
				t.Errorf("tags %q, want %q", got, want)
			}
		})
	}
	t.Run("TLP partner, unclassified: TLP and PAP only", func(t *testing.T) {
		b, err := Event(product(cleared.SchemeTLP, cleared.Unclassified, ""), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := tagNames(decode(t, b)); !slices.Equal(got[:2], []string{"tlp:amber", "PAP:GREEN"}) {
			t.Errorf("tags %q", got)
		}
	})
	for _, c := range []struct {
		name    string
		scheme  cleared.Scheme
		level   cleared.Level
		marking string
	}{
		{"A6.1 classified without a marking is refused", cleared.SchemeNATO, cleared.Secret, ""},
		{"A6.1 a NATO marking the taxonomy lacks is refused", cleared.SchemeNATO, cleared.Secret, "NATO VERY SECRET"},
		{"A6.1 an EU marking the taxonomy lacks is refused", cleared.SchemeEU, cleared.Secret, "EU SECRET"},
		{"A6.1 a marking to a TLP partner is refused", cleared.SchemeTLP, cleared.Secret, "SECRET LUX"},
		{"A6.1 a marking with a quote is refused", cleared.SchemeNational, cleared.Secret, `SECRET" LUX`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Event(product(c.scheme, c.level, c.marking), Options{})
			if !errors.Is(err, cleared.ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestEvent_S1_TLP_and_PAP_tags(t *testing.T) {
	for _, c := range []struct {
		tlp cleared.TLP
		pap cleared.PAP
		tl  string
		pa  string
	}{
		{cleared.TLPClear, cleared.PAPClear, "tlp:clear", "PAP:CLEAR"},
		{cleared.TLPGreen, cleared.PAPGreen, "tlp:green", "PAP:GREEN"},
		{cleared.TLPAmber, cleared.PAPAmber, "tlp:amber", "PAP:AMBER"},
		{cleared.TLPAmberStrict, cleared.PAPAmber, "tlp:amber+strict", "PAP:AMBER"},
		{cleared.TLPRed, cleared.PAPRed, "tlp:red", "PAP:RED"},
	} {
		p := product(cleared.SchemeTLP, cleared.Unclassified, "")
		p.TLP, p.PAP = c.tlp, c.pap
		b, err := Event(p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := tagNames(decode(t, b)); !slices.Equal(got[:2], []string{c.tl, c.pa}) {
			t.Errorf("TLP %s, PAP %s: tags %q, want %s and %s first", c.tlp, c.pap, got, c.tl, c.pa)
		}
	}
}

func TestEvent_S1_revoked_has_no_attributes(t *testing.T) {
	p := product(cleared.SchemeNATO, cleared.Secret, "NATO SECRET")
	p.Revoked = true
	b, err := Event(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := decode(t, b)
	if len(e.Attribute) != 0 || !slices.Contains(tagNames(e), "cleared:revoked") {
		t.Errorf("revoked event: %d attributes, tags %q: want none, and cleared:revoked", len(e.Attribute), tagNames(e))
	}
	if strings.Contains(string(b), "192.0.2.1") {
		t.Error("a revoked event sends its indicators again")
	}
}

func TestEvent_S1_refuses_what_it_cannot_write(t *testing.T) {
	for name, mod := range map[string]func(*cleared.SharedProduct){
		"not a UUID":             func(p *cleared.SharedProduct) { p.UUID = "../../etc/passwd" },
		"unknown indicator type": func(p *cleared.SharedProduct) { p.Indicators[0].Type = "btc" },
		"label spoofing a TLP":   func(p *cleared.SharedProduct) { p.Labels = append(p.Labels, "TLP:CLEAR") },
		"label spoofing a level": func(p *cleared.SharedProduct) { p.Labels = append(p.Labels, `nato:classification="NU"`) },
		"unknown TLP":            func(p *cleared.SharedProduct) { p.TLP = "white" },
		"no producer":            func(p *cleared.SharedProduct) { p.Originator = "" },
		"no creation time":       func(p *cleared.SharedProduct) { p.Created = time.Time{} },
	} {
		t.Run(name, func(t *testing.T) {
			p := product(cleared.SchemeNATO, cleared.Secret, "NATO SECRET")
			mod(&p)
			if _, err := Event(p, Options{}); !errors.Is(err, cleared.ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestUUID5_vector(t *testing.T) {
	dns := mustParseUUID("6ba7b810-9dad-11d1-80b4-00c04fd430c8")
	// Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
	if got := uuid5(dns, "python.org"); got != "886313e1-3b8a-5372-9b90-0c9aee199e5d" {
		t.Errorf("uuid5 = %s", got)
	}
}

func TestManifest_S1(t *testing.T) {
	a := product(cleared.SchemeNATO, cleared.Secret, "NATO SECRET")
	b := a
	b.UUID = "0b6f7a3e-2b4d-4c6e-8f90-a1b2c3d4e5f6"
	b.Title = "Second"
	m1, err := Manifest([]cleared.SharedProduct{a, b}, Options{Producer: "SRE"})
	if err != nil {
		t.Fatal(err)
	}
	m2, _ := Manifest([]cleared.SharedProduct{b, a}, Options{Producer: "SRE"})
	if !bytes.Equal(m1, m2) {
		t.Error("the manifest depends on the products' order")
	}
	var m map[string]map[string]any
	if err := json.Unmarshal(m1, &m); err != nil {
		t.Fatal(err)
	}
	if len(m) != 2 || m[b.UUID]["info"] != "Second" || m[a.UUID]["timestamp"] != "1773568800" || m[a.UUID]["date"] != "2026-03-14" {
		t.Errorf("manifest = %s", m1)
	}
	for _, k := range []string{"Orgc", "Tag", "info", "date", "analysis", "threat_level_id", "timestamp"} {
		if _, ok := m[a.UUID][k]; !ok {
			t.Errorf("manifest entry lacks %s", k)
		}
	}
	if _, err := Manifest([]cleared.SharedProduct{a, a}, Options{}); !errors.Is(err, cleared.ErrInvalid) {
		t.Errorf("a product twice: err = %v, want ErrInvalid", err)
	}
}

func TestHashes_S1(t *testing.T) {
	p := product(cleared.SchemeNATO, cleared.Secret, "NATO SECRET")
	h, err := Hashes([]cleared.SharedProduct{p})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(h), "\n"), "\n")
	if len(lines) != 1+len(p.Indicators) {
		t.Fatalf("%d lines, want one per attribute", len(lines))
	}
	// md5("example.org"), as MISP's feed generator writes it.
	if !slices.Contains(lines, "1bdf72e04d6b50c82a48c7e4dd38cc69,"+p.UUID) {
		t.Errorf("hashes.csv lacks the line of example.org:\n%s", h)
	}
	p.Revoked = true
	if h, _ := Hashes([]cleared.SharedProduct{p}); len(h) != 0 {
		t.Errorf("a revoked product's values are hashed: %s", h)
	}
}
