package auditclient_test

import (
	"bytes"
	"encoding/base64"
	"testing"

	"github.com/cleared/cleared/audit"
	"github.com/cleared/cleared/audit/auditclient"
)

// FuzzOpenCheckpoint: whatever a server sends as its checkpoint, OpenCheckpoint never panics, and what it accepts
// is a note the log's key signed, for the key's log, whose first three lines are what it returns.
func FuzzOpenCheckpoint(f *testing.F) {
	skey, vkey, err := audit.NewKey("cleared.test/audit")
	if err != nil {
		f.Fatal(err)
	}
	root := bytes.Repeat([]byte{1}, 32)
	for _, c := range []audit.Checkpoint{{Origin: "cleared.test/audit", Size: 42, Root: root}, {Origin: "cleared.test/audit", Root: root}} {
		n, err := audit.Sign(c, skey)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(n)
	}
	f.Add([]byte("cleared.test/audit\n42\n" + base64.StdEncoding.EncodeToString(root) + "\nprev 41 " + base64.StdEncoding.EncodeToString(root) + "\n\n— cleared.test/audit AAAA\n"))
	f.Fuzz(func(t *testing.T, note []byte) {
		c, err := auditclient.OpenCheckpoint(note, vkey)
		if err != nil {
			return
		}
		want := []byte("cleared.test/audit\n" + u(c.Size()) + "\n" + base64.StdEncoding.EncodeToString(c.Root()) + "\n")
		if c.Origin() != "cleared.test/audit" || len(c.Root()) != 32 || !bytes.Equal(c.Note(), note) || !bytes.HasPrefix(note, want) {
			t.Fatalf("accepted %q as %+v", note, c)
		}
	})
}
