package audit_test

import (
	"crypto/sha256"
	"fmt"
	"os"

	"github.com/cleared/cleared/audit"
)

func ExampleSign() {
	// A key made for this example from a fixed seed; audit.NewKey makes real ones.
	const (
		signerKey   = "PRIVATE+KEY+cleared.example/audit+ba7865ca+AQcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH"
		verifierKey = "cleared.example/audit+ba7865ca+AepKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs"
	)
	root := sha256.Sum256([]byte("a root hash")) // in the server: audit.Root(tx, size)
	signed, err := audit.Sign(audit.Checkpoint{Origin: "cleared.example/audit", Size: 4711, Root: root[:]}, signerKey)
	if err != nil {
		fmt.Println(err)
		return
	}
	os.Stdout.Write(signed)

	c, err := audit.OpenCheckpoint(signed, verifierKey)
	fmt.Println(c.Size, err)
	// Output:
	// cleared.example/audit
	// 4711
	// 31S4vEQriPKP1QAyO3MTq1SZjYr1d8egALNF1M/Y/7E=
	//
	// — cleared.example/audit unhlyjmus4OLFb/mmHnzii3q+1OdATOIRNnkpsfhUztqtn68tTbGTtOjAoBYn72uNMKFnX9oCXHEzLQhWZ6ZjBe61wg=
	// 4711 <nil>
}
