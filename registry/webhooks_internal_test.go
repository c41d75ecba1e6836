package registry

import (
	"errors"
	"testing"

	"github.com/cleared/cleared"
)

// A webhook's URL is https://, or plain http:// to a loopback host where the server allows it (tests).
func TestCheckWebhookURL(t *testing.T) {
	for _, c := range []struct {
		url      string
		loopback bool
		ok       bool
	}{
		{"https://soc.example.lu/cleared", false, true},
		{"https://[2001:db8::1]:8443/x", false, true},
		{"http://127.0.0.1:8080/hook", true, true},
		{"http://localhost/hook", true, true},
		{"http://[::1]:9/hook", true, true},
		{"http://127.0.0.1:8080/hook", false, false},
		{"http://soc.example.lu/hook", true, false},
		{"http://10.0.0.1/hook", true, false},
		{"https:///nohost", false, false},
		{"https://a b.example.lu/", false, false},
	} {
		err := checkWebhookURL(c.url, c.loopback)
		if (err == nil) != c.ok || err != nil && !errors.Is(err, cleared.ErrInvalid) {
			t.Errorf("checkWebhookURL(%q, loopback http %v) = %v, want ok %v", c.url, c.loopback, err, c.ok)
		}
	}
}
