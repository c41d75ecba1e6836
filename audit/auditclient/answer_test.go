package auditclient_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
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
