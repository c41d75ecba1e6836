package account_test

import (
	"bufio"
	"encoding/base32"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared/account"
)

// TestTOTPRFC6238Vectors holds the codes to RFC 6238's own vectors (testdata/rfc6238-sha1.txt), so that the codes
// an authenticator app shows are the ones accepted: six digits, the last six of the RFC's eight.
func TestTOTPRFC6238Vectors(t *testing.T) {
	f, err := os.Open("testdata/rfc6238-sha1.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte("12345678901234567890"))
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		unix, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil || len(fields) != 2 || len(fields[1]) != 8 {
			t.Fatalf("malformed vector %q", sc.Text())
		}
		at, want := time.Unix(unix, 0).UTC(), fields[1][2:]
		got, err := account.TOTPCode(secret, at)
		if err != nil || got != want {
			t.Errorf("code at %d = %q, %v; want %q", unix, got, err, want)
		}
		if _, ok := account.CheckTOTP(secret, want, at, 0); !ok {
			t.Errorf("the RFC's code at %d is refused", unix)
		}
		n++
	}
	if err := sc.Err(); err != nil || n == 0 {
		t.Fatalf("read %d vectors: %v", n, err)
	}
}
