package stix

import (
	"strings"

	"github.com/cleared/cleared"
)

// TLP 2.0 marking definitions: FIRST's labels as the OASIS CTI TC publishes them for STIX 2.1 (the TLP 2.0
// extension of cti-stix-common-objects), by fixed identifiers every partner knows, so they are never redefined.
const (
	tlpExtension = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
	tlpCreated   = "2022-10-01T00:00:00.000Z"
)

var tlpIDs = map[cleared.TLP]string{
	cleared.TLPClear:       "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
	cleared.TLPGreen:       "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
	cleared.TLPAmber:       "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
	cleared.TLPAmberStrict: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
	cleared.TLPRed:         "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}

// tlp1IDs are the TLP 1.0 definitions of the STIX 2.1 specification (§7.2.1.4), which partners still send; they
// are read as their TLP 2.0 counterparts (WHITE became CLEAR).
var tlp1IDs = map[string]cleared.TLP{
	"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": cleared.TLPClear,
	"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": cleared.TLPGreen,
	"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": cleared.TLPAmber,
	"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": cleared.TLPRed,
}

// acsExtension is the ACS 3.0 marking extension (ISA Access Control Specification), for partners that read it.
const acsExtension = "extension-definition--3a65884d-005a-4290-8335-cb2d778a83ce"

// acsPolicy denies by default both access beyond the recipient and further sharing: S1 releases to a partner, not
// through it.
const acsPolicy = "urn:isa:policy:acs:ns:v3.0?privdefault=deny&sharedefault=deny"

// statementCreated is the creation time of cleared's statement and ACS marking definitions: fixed, so that one
// definition has one content whichever product carries it (the law of 15 June 2004).
const statementCreated = "2004-06-15T00:00:00.000Z"

type markingDefinition struct {
	Type           string         `json:"type"`
	SpecVersion    string         `json:"spec_version"`
	ID             string         `json:"id"`
	Created        string         `json:"created"`
	Name           string         `json:"name,omitempty"`
	DefinitionType string         `json:"definition_type,omitempty"`
	Definition     *statement     `json:"definition,omitempty"`
	Extensions     map[string]any `json:"extensions,omitempty"`
}

type statement struct {
	Statement string `json:"statement"`
}

type tlpExt struct {
	ExtensionType string `json:"extension_type"`
	TLP           string `json:"tlp_2_0"`
}

type acsExt struct {
	ExtensionType  string        `json:"extension_type"`
	Identifier     string        `json:"identifier"`
	Name           string        `json:"name,omitempty"`
	CreateDateTime string        `json:"create_date_time"`
	Custodian      string        `json:"responsible_entity_custodian"`
	PolicyRef      string        `json:"policy_reference"`
	FurtherSharing []sharingRule `json:"further_sharing,omitempty"`
	ControlSet     acsControlSet `json:"control_set"`
}

type sharingRule struct {
	Scope  []string `json:"sharing_scope"`
	Effect string   `json:"rule_effect"`
}

type acsControlSet struct {
	Classification string `json:"classification"`
}

func tlpDefinition(t cleared.TLP) markingDefinition {
	return markingDefinition{
		Type: "marking-definition", SpecVersion: "2.1", ID: tlpIDs[t], Created: tlpCreated,
		Name:       "TLP:" + strings.ToUpper(string(t)),
		Extensions: map[string]any{tlpExtension: tlpExt{ExtensionType: "property-extension", TLP: string(t)}},
	}
}

// statementDefinition is a statement marking: the classification in the partner's scheme (A6.1), or the PAP.
func statementDefinition(text string) markingDefinition {
	return markingDefinition{
		Type: "marking-definition", SpecVersion: "2.1", ID: id("marking-definition", "statement\x00"+text),
		Created: statementCreated, Name: text, DefinitionType: "statement", Definition: &statement{Statement: text},
	}
}

// acsClassification maps a level to ACS's four codes. ACS has no RESTRICTED: it is marked C, never U, so that
// the partner protects it at least as much (A6.1: never less protected).
func acsClassification(l cleared.Level) string {
	switch {
	case l >= cleared.TopSecret:
		return "TS"
	case l >= cleared.Secret:
		return "S"
	case l >= cleared.Restricted:
		return "C"
	}
	return "U"
}

// acsDefinition is the ACS 3.0 marking of the classification and the release: no further sharing with other
// foreign governments (S1 releases to a partner, not through it).
func acsDefinition(p cleared.SharedProduct, custodian string) markingDefinition {
	class := acsClassification(p.Level)
	mid := id("marking-definition", "acs\x00"+class+"\x00"+custodian)
	return markingDefinition{
		Type: "marking-definition", SpecVersion: "2.1", ID: mid, Created: statementCreated,
		Name: "ACS 3.0 " + class,
		Extensions: map[string]any{acsExtension: acsExt{
			ExtensionType:  "property-extension",
			Identifier:     "isa:guide.19001.ACS3-" + strings.TrimPrefix(mid, "marking-definition--"),
			CreateDateTime: statementCreated,
			Custodian:      custodian,
			PolicyRef:      acsPolicy,
			FurtherSharing: []sharingRule{{Scope: []string{"FOREIGNGOV"}, Effect: "deny"}},
			ControlSet:     acsControlSet{Classification: class},
		}},
	}
}
