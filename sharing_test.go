package cleared

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSharingLabels_S1(t *testing.T) {
	for _, v := range []TLP{"", TLPClear, TLPGreen, TLPAmber, TLPAmberStrict, TLPRed} {
		if err := v.Validate(); err != nil {
			t.Errorf("TLP %q refused: %v", v, err)
		}
	}
	for _, v := range []TLP{"white", "AMBER", "amber strict"} {
		if err := v.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("TLP %q accepted", v)
		}
	}
	for _, v := range []PAP{"", PAPClear, PAPGreen, PAPAmber, PAPRed} {
		if err := v.Validate(); err != nil {
			t.Errorf("PAP %q refused: %v", v, err)
		}
	}
	if err := PAP("white").Validate(); !errors.Is(err, ErrInvalid) {
		t.Error("PAP white accepted")
	}
	for _, r := range []Route{RouteTAXII, RouteMISPFeed, RouteLive, RoutePush, RouteExport} {
		if err := r.Validate(); err != nil {
			t.Errorf("route %q refused", r)
		}
	}
	if err := Route("mail").Validate(); !errors.Is(err, ErrInvalid) {
		t.Error("route mail accepted")
	}
	for g, ok := range map[string]bool{"nato": true, "five-eyes": true, "eu2": true, "": false, "Nato": false, "a b": false,
		strings.Repeat("a", 41): false} {
		if err := CheckGroup(g); (err == nil) != ok {
			t.Errorf("CheckGroup(%q) = %v", g, err)
		}
	}
}

func TestPartnerAccreditedAt_S1(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	p := Partner{AccreditedFrom: t0, AccreditedUntil: t0.Add(time.Hour)}
	for at, want := range map[time.Time]bool{
		t0.Add(-time.Nanosecond): false, t0: true, t0.Add(time.Hour - time.Nanosecond): true, t0.Add(time.Hour): false,
	} {
		if got := p.AccreditedAt(at); got != want {
			t.Errorf("AccreditedAt(%s) = %v, want %v", at, got, want)
		}
	}
	open := Partner{AccreditedFrom: t0}
	if !open.AccreditedAt(t0.AddDate(50, 0, 0)) {
		t.Error("an agreement without end lapsed")
	}
	open.Suspended = true
	if open.AccreditedAt(t0.Add(time.Hour)) {
		t.Error("a suspended partner is accredited")
	}
}

func TestProductValidate(t *testing.T) {
	good := Product{Title: "APT-X infrastructure", Summary: "Assessment.", Indicators: []Indicator{{Type: "ip-dst", Value: "203.0.113.7", ToIDS: true}},
		Labels: []string{"apt-x"}}
	if err := good.Validate(); err != nil {
		t.Fatalf("a good product refused: %v", err)
	}
	bad := map[string]Product{
		"no title":             {},
		"unknown type":         {Title: "x", Indicators: []Indicator{{Type: "btc", Value: "1"}}},
		"empty value":          {Title: "x", Indicators: []Indicator{{Type: "url", Value: ""}}},
		"a newline in a title": {Title: "a\nb"},
		"a label too long":     {Title: "x", Labels: []string{strings.Repeat("l", 101)}},
	}
	for name, p := range bad {
		if err := p.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: accepted (%v)", name, err)
		}
	}
}
