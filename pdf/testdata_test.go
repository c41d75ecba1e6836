package pdf

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// -update writes testdata/ anew: every PDF there is made here, by Text or by pdfcpu, so none is anyone's document.
var update = flag.Bool("update", false, "write the PDFs of testdata/ anew")

// testPDFs are the files of testdata/ and how each is made.
var testPDFs = map[string]func(t *testing.T) []byte{
	"one-page.pdf":    func(*testing.T) []byte { return Text([]string{"A one-page memorandum", "", "Nothing of note."}) },
	"three-pages.pdf": func(*testing.T) []byte { return Text(numbered("Three pages", 3*linesPage-5)) },
	"twenty-pages.pdf": func(*testing.T) []byte {
		return Text(numbered("Twenty pages", 20*linesPage-5))
	},
	// Encrypted with a password to open it (user password), and with an owner password only: both are refused.
	"encrypted-user.pdf":  func(t *testing.T) []byte { return encrypt(t, "open-me", "owner") },
	"encrypted-owner.pdf": func(t *testing.T) []byte { return encrypt(t, "", "owner") },
}

func numbered(title string, n int) []string {
	lines := []string{title}
	for i := 1; i < n; i++ {
		lines = append(lines, fmt.Sprintf("Line %d of the body: the quick brown fox jumps over the lazy dog.", i))
	}
	return lines
}

func encrypt(t *testing.T, user, owner string) []byte {
	t.Helper()
	var b bytes.Buffer
	conf := model.NewAESConfiguration(user, owner, 256)
	if err := api.Encrypt(bytes.NewReader(Text([]string{"An encrypted memorandum"})), &b, conf); err != nil {
		t.Fatalf("encrypt: %v", err)
	}
	return b.Bytes()
}

// testdata reads testdata/name, writing it first under -update.
func testdata(t testing.TB, name string) []byte {
	t.Helper()
	path := filepath.Join("testdata", name)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./pdf -run TestTestdata -update to make it)", err)
	}
	return b
}

func TestTestdata(t *testing.T) {
	if !*update {
		t.Skip("-update not set: testdata/ is used as it is")
	}
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	for name, make := range testPDFs {
		if err := os.WriteFile(filepath.Join("testdata", name), make(t), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
