package sharing_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/internal/testenv"
	"github.com/cleared/cleared/sharing"
)

// woken reports whether wake has a value, and takes it.
func woken(wake <-chan struct{}) bool {
	select {
	case <-wake:
		return true
	default:
		return false
	}
}

// TestNotified_S1_wakes_the_audience_or_everyone: a change told by another server wakes the subscribers of the
// partners it reaches; one whose audience is unknown (too long to tell, missed, malformed) wakes them all.
func TestNotified_S1_wakes_the_audience_or_everyone(t *testing.T) {
	e := testenv.New(t, testenv.Options{NoDemo: true})
	a, b := cleared.NewOrganisationID(), cleared.NewOrganisationID()
	wakeA, cancelA := e.Share.Subscribe(a)
	defer cancelA()
	wakeB, cancelB := e.Share.Subscribe(b)
	defer cancelB()
	many := make([]cleared.OrganisationID, 300)
	for i := range many {
		many[i] = cleared.NewOrganisationID()
	}
	cases := []struct {
		name         string
		payload      string
		wantA, wantB bool
	}{
		{"S1 the audience only", sharing.ChangeMessage(7, []cleared.OrganisationID{a}), true, false},
		{"S1 an empty audience wakes nobody", sharing.ChangeMessage(7, nil), false, false},
		{"S1 an audience too long to tell wakes all", sharing.ChangeMessage(7, append(many, a)), true, true},
		{"S1 messages missed wake all", "", true, true},
		{"S1 a message without audience wakes all", `{"seq": 7}`, true, true},
		{"S1 a malformed message wakes all", `{"seq": 7, "audience": ["` + string(a) + `"]`, true, true},
		{"S1 an unknown field wakes all", `{"seq": 7, "audience": [], "more": 1}`, true, true},
		{"S1 a bad identifier wakes all", `{"seq": 7, "audience": ["nobody"]}`, true, true},
		{"S1 no sequence number wakes all", `{"audience": []}`, true, true},
		{"S1 data after the message wakes all", sharing.ChangeMessage(7, nil) + `{}`, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.Share.Notified(c.payload)
			if gotA, gotB := woken(wakeA), woken(wakeB); gotA != c.wantA || gotB != c.wantB {
				t.Errorf("%.80s woke a: %v, b: %v; want %v, %v", c.payload, gotA, gotB, c.wantA, c.wantB)
			}
		})
	}
}

// TestChangeMessage_S1_fits_a_notification: the message stays under PostgreSQL's 8000 bytes whatever the
// audience, and names it when it fits in 7000.
func TestChangeMessage_S1_fits_a_notification(t *testing.T) {
	for _, n := range []int{0, 1, 10, 200, 5000} {
		aud := make([]cleared.OrganisationID, n)
		for i := range aud {
			aud[i] = cleared.NewOrganisationID()
		}
		m := sharing.ChangeMessage(1<<40, aud)
		if len(m) > 7000 {
			t.Errorf("%d partners: %d bytes", n, len(m))
		}
		var got struct {
			Seq      int64
			Audience []cleared.OrganisationID
		}
		if err := json.Unmarshal([]byte(m), &got); err != nil || got.Seq != 1<<40 {
			t.Fatalf("%d partners: %s: %v", n, m, err)
		}
		full := len(fmt.Sprintf(`{"seq":%d,"audience":[]}`, got.Seq)) + n*(len(string(cleared.NewOrganisationID()))+3)
		if fits := full <= 7000; fits != strings.Contains(m, "audience") || fits && len(got.Audience) != n {
			t.Errorf("%d partners (%d bytes in full): %.100s", n, full, m)
		}
	}
}

// FuzzNotified: no message, however malformed, panics or leaves a subscriber asleep unless it is a JSON
// message (which may name an audience without it).
func FuzzNotified(f *testing.F) {
	e := testenv.New(f, testenv.Options{NoDemo: true})
	org := cleared.NewOrganisationID()
	for _, s := range []string{"", "null", "[", "{}", `{"seq": 1}`, `{"seq": -1}`, `{"seq": 1, "audience": null}`,
		`{"seq": 1, "audience": ["x"]}`, `{"seq": 1}{}`, `{"seq": 1, "extra": 2}`, `{"seq": 1e3}`,
		sharing.ChangeMessage(3, []cleared.OrganisationID{org, cleared.NewOrganisationID()}),
		sharing.ChangeMessage(3, []cleared.OrganisationID{cleared.NewOrganisationID()})} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, payload string) {
		wake, cancel := e.Share.Subscribe(org)
		defer cancel()
		e.Share.Notified(payload)
		if !woken(wake) && !json.Valid([]byte(payload)) {
			t.Fatalf("%q is not JSON and woke nobody", payload)
		}
	})
}
