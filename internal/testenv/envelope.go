package testenv

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/sharing/stix"
)

// Envelope returns the TAXII 2.1 envelope a NATO partner's system posts to cleared's collection (issue 21 §3): one
// report, title, of a fresh UUID, marked NATO RESTRICTED and TLP:AMBER, with two indicators.
func Envelope(t testing.TB, title string) []byte {
	t.Helper()
	var u [16]byte
	rand.Read(u[:])
	u[6], u[8] = u[6]&0x0f|0x40, u[8]&0x3f|0x80
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	p := cleared.SharedProduct{UUID: fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:]),
		Product: cleared.Product{Title: title, Summary: "Seen by the partner.", Indicators: []cleared.Indicator{
			{Type: "domain", Value: "c2.evil.example", ToIDS: true}, {Type: "ip-dst", Value: "203.0.113.9", ToIDS: true}}},
		Level: cleared.Restricted, Scheme: cleared.SchemeNATO, Marking: "NATO RESTRICTED", TLP: cleared.TLPAmber,
		Originator: "Allied partner service", Created: at, Modified: at}
	b, err := stix.Bundle([]cleared.SharedProduct{p}, stix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var bundle struct {
		Objects json.RawMessage `json:"objects"`
	}
	if err := json.Unmarshal(b, &bundle); err != nil {
		t.Fatal(err)
	}
	return []byte(`{"objects":` + string(bundle.Objects) + `}`)
}
