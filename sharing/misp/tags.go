package misp

import (
	"strings"

	"github.com/cleared/cleared"
)

// The classification tags, from MISP's taxonomies (github.com/MISP/misp-taxonomies): nato (version 2) writes a
// level as the value of its classification predicate, euci (version 3) as a predicate of its own. A6.1: a partner
// of the NATO or EU scheme reads the marking in the taxonomy its MISP already knows; the national scheme and
// bilateral ones have no public taxonomy, so cleared writes cleared:classification="<marking>".
var (
	natoTags = map[string]string{
		"COSMIC TOP SECRET":         `nato:classification="CTS"`,
		"COSMIC TOP SECRET BOHEMIA": `nato:classification="CTS-B"`,
		"COSMIC TOP SECRET ATOMAL":  `nato:classification="CTS-A"`,
		"NATO SECRET":               `nato:classification="NS"`,
		"SECRET ATOMAL":             `nato:classification="NS-A"`,
		"NATO CONFIDENTIAL":         `nato:classification="NC"`,
		"CONFIDENTIAL ATOMAL":       `nato:classification="NC-A"`,
		"NATO RESTRICTED":           `nato:classification="NR"`,
		"NATO UNCLASSIFIED":         `nato:classification="NU"`,
	}
	euciTags = map[string]string{
		"TRES SECRET UE/EU TOP SECRET":    "euci:TS-UE/EU-TS",
		"SECRET UE/EU SECRET":             "euci:S-UE/EU-S",
		"CONFIDENTIEL UE/EU CONFIDENTIAL": "euci:C-UE/EU-C",
		"RESTREINT UE/EU RESTRICTED":      "euci:R-UE/EU-R",
	}
	// markingOf reads the taxonomies' tags back: tag → scheme and marking.
	markingOf = func() map[string]cleared.ForeignMarking {
		m := map[string]cleared.ForeignMarking{}
		for marking, tag := range natoTags {
			m[tag] = cleared.ForeignMarking{Scheme: cleared.SchemeNATO, Marking: marking}
		}
		for marking, tag := range euciTags {
			m[tag] = cleared.ForeignMarking{Scheme: cleared.SchemeEU, Marking: marking}
		}
		return m
	}()
)

// Tag prefixes of cleared's own namespace.
const (
	tagClassification = "cleared:classification="
	tagRevoked        = "cleared:revoked"
)

// classificationTag returns the tag that carries p's marking in the scheme of the receiving partner, and "" for an
// unclassified product. A classified product without a marking, or with one its scheme's taxonomy does not know,
// is refused: it must never leave less protected than it is.
func classificationTag(p cleared.SharedProduct) (string, error) {
	if p.Marking == "" {
		if p.Level.Classified() {
			return "", cleared.Invalidf("product %s is %s but carries no marking in the partner's scheme (A6.1)", p.UUID, p.Level)
		}
		return "", nil
	}
	switch p.Scheme {
	case cleared.SchemeNATO:
		if t, ok := natoTags[strings.ToUpper(p.Marking)]; ok {
			return t, nil
		}
		return "", cleared.Invalidf("marking %q has no tag in MISP's nato taxonomy (A6.1)", p.Marking)
	case cleared.SchemeEU:
		if t, ok := euciTags[strings.ToUpper(p.Marking)]; ok {
			return t, nil
		}
		return "", cleared.Invalidf("marking %q has no tag in MISP's euci taxonomy (A6.1)", p.Marking)
	case cleared.SchemeTLP:
		return "", cleared.Invalidf("a partner of the TLP scheme reads no classification, yet product %s is marked %q (A6.1)", p.UUID, p.Marking)
	}
	if strings.ContainsAny(p.Marking, "\"\\") || cleared.CheckLine("marking", p.Marking, 1, 200) != nil {
		return "", cleared.Invalidf("marking %q cannot be written as a MISP tag", p.Marking)
	}
	return tagClassification + `"` + p.Marking + `"`, nil
}

// tlpTag and papTag write TLP 2.0 in MISP's tlp taxonomy (lower case: tlp:amber+strict) and PAP in its PAP
// taxonomy (upper case: PAP:AMBER).
func tlpTag(t cleared.TLP) string { return "tlp:" + string(t) }
func papTag(p cleared.PAP) string { return "PAP:" + strings.ToUpper(string(p)) }

// reserved reports whether a tag lies in a namespace that carries markings: an analyst's label there would pass
// for a marking at the receiver's end (a "tlp:clear" label on a red product), so labels may not use them.
func reserved(tag string) bool {
	ns, _, ok := strings.Cut(strings.ToLower(tag), ":")
	if !ok {
		return false
	}
	switch strings.TrimSpace(ns) {
	case "tlp", "pap", "nato", "euci", "cleared":
		return true
	}
	return false
}
