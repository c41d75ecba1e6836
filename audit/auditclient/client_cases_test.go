package auditclient_test

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/audit/auditclient"
)

// TestClient_AnswerLimit: an answer of 64 KiB is read (and then judged on what it says: a note that long is not a
// checkpoint); one byte more is refused before it is read.
func TestClient_AnswerLimit(t *testing.T) {
	f := newFixture(t)
	const maxAnswer = 64 << 10
	f.liar.tell(t, pathCheckpoint, noteLie(bytes.Repeat([]byte("x"), maxAnswer)))
	_, err := f.client.Checkpoint(t.Context())
	if err == nil || strings.Contains(err.Error(), "longer than") || !strings.Contains(err.Error(), "65536 bytes is too long") {
		t.Fatalf("an answer of %d bytes: %v; want it read, and its note refused as too long", maxAnswer, err)
	}
	f.liar.tell(t, pathCheckpoint, noteLie(bytes.Repeat([]byte("x"), maxAnswer+1)))
	_, err = f.client.Checkpoint(t.Context())
	wantRejected(t, err, "the answer is longer than 65536 bytes")
}

// TestClient_ServerErrorDetail: the error of a server that could not answer quotes the detail the server gave, which
// says why, and only then.
func TestClient_ServerErrorDetail(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct{ body, want string }{
		{`{"detail":"the audit log is being verified"}`, "503 Service Unavailable: the audit log is being verified"},
		{`{}`, "503 Service Unavailable"},
	} {
		f.liar.tell(t, pathCheckpoint, func(*http.Request, func(*http.Request) answer) answer {
			return answer{http.StatusServiceUnavailable, http.Header{"Content-Type": {"application/problem+json"}}, []byte(tc.body)}
		})
		_, err := f.client.Checkpoint(t.Context())
		if err == nil || !strings.HasSuffix(err.Error(), tc.want) {
			t.Errorf("a 503 answering %s: %v; want an error ending in %q", tc.body, err, tc.want)
		}
	}
}

// TestNew_Scheme: plain http to a host that is not the loopback is refused because the token would travel in clear;
// another scheme is refused as not a server URL.
func TestNew_Scheme(t *testing.T) {
	_, vkey, _ := audit.NewKey("cleared.test/audit")
	for _, tc := range []struct{ url, want string }{
		{"http://cleared.example", "want https, the API token would travel in clear"},
		{"ftp://cleared.example", "want https://host[:port][/path]"},
	} {
		_, err := auditclient.New(tc.url, "cleared_token", vkey)
		if !errors.Is(err, cleared.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%q) = %v, want ErrInvalid: %s", tc.url, err, tc.want)
		}
	}
}

// TestClient_ExtendsItself: a checkpoint extends itself, with nothing asked of the server.
func TestClient_ExtendsItself(t *testing.T) {
	f := newFixture(t)
	f.liar.tell(t, pathConsistency, func(*http.Request, func(*http.Request) answer) answer {
		return answer{http.StatusInternalServerError, nil, nil}
	})
	for _, cp := range []auditclient.Checkpoint{f.first, f.kept, f.latest} {
		if err := f.client.Extends(t.Context(), cp, cp); err != nil {
			t.Errorf("the checkpoint of size %d does not extend itself: %v", cp.Size(), err)
		}
	}
}
