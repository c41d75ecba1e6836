package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cleared/cleared/audit"
)

// TestAuditProveServer runs `cleared audit prove --server` against a real `cleared serve --demo`, then through a
// proxy that forges the proofs: the auditor trusts only the verifier key and the checkpoint kept (A11.2: Hélène,
// an NSA officer, reads the log).
func TestAuditProveServer(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	srv := startServe(t, nil, "--demo", "--data", dir, "--log-level", "warn", "--checkpoint-interval", "100ms")
	defer srv.stop()
	const tok = "cleared_demo_helene"
	env := map[string]string{tokenEnv: tok}
	kept := proveServerChecks(t, srv.base, dir, tok)
	_, otherVkey, _ := audit.NewKey("cleared.test/audit")
	for _, c := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no token", nil, []string{"--server", srv.base, "--data", dir, "--seq", "5"}, tokenEnv},
		{"two tokens", map[string]string{tokenEnv: tok, tokenEnv + "_FILE": kept}, []string{"--server", srv.base, "--data", dir, "--seq", "5"}, "keep one"},
		{"--size", env, []string{"--server", srv.base, "--data", dir, "--seq", "5", "--size", "9"}, "--size is not taken"},
		{"neither --seq nor --checkpoint", env, []string{"--server", srv.base, "--data", dir}, "want --seq N"},
		{"--from without the kept checkpoint", env, []string{"--server", srv.base, "--data", dir, "--from", "3", "--to", "9"}, "--checkpoint FILE"},
		{"--from other than the kept checkpoint's size", env, []string{"--server", srv.base, "--data", dir, "--checkpoint", kept, "--from", "2"}, "the only first root"},
		{"the token in clear to another machine", env, []string{"--server", "http://cleared.example", "--data", dir, "--seq", "5"}, "in clear"},
		{"two keys", env, []string{"--server", srv.base, "--vkey", "x", "--key", otherVkey, "--seq", "5"}, "once"},
	} {
		t.Run("usage: "+c.name, func(t *testing.T) {
			code, out, errs := run(t, c.env, append([]string{"audit", "prove"}, c.args...)...)
			if code != 2 || !strings.Contains(errs, c.want) || strings.Contains(out+errs, tok) {
				t.Fatalf("exit %d, want 2 with %q: %q %q", code, c.want, out, errs)
			}
		})
	}
}

// proveServerChecks runs prove --server against the server at base, whose data folder (for audit.vkey) is dir, as
// the NSA officer of token tok: first honest answers, then forged ones through a proxy. It returns the checkpoint
// file it kept.
func proveServerChecks(t *testing.T, base, dir, tok string) string {
	t.Helper()
	env := map[string]string{tokenEnv: tok}
	kept := filepath.Join(t.TempDir(), "kept.txt")
	prove := func(t *testing.T, args ...string) (int, string, string) {
		t.Helper()
		code, out, errs := run(t, env, append([]string{"audit", "prove"}, args...)...)
		if strings.Contains(out+errs, tok) {
			t.Fatalf("the token is printed: %s %s", out, errs)
		}
		return code, out, errs
	}
	// The server signs its first checkpoint within the interval.
	var out string
	for i := 0; ; i++ {
		var code int
		code, out, _ = prove(t, "--server", base, "--data", dir, "--keep", kept, "--seq", "1")
		if code == 0 {
			break
		}
		if i == 100 {
			t.Fatalf("no checkpoint served: %s", out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.HasPrefix(out, "OK: the log cleared/audit/") || !strings.Contains(out, "holds entry #1 ") || strings.Count(out, "\n") != 1 {
		t.Fatalf("want one OK line naming entry 3: %q", out)
	}
	first, err := os.ReadFile(kept)
	if err != nil {
		t.Fatal(err)
	}
	vkey, _ := os.ReadFile(filepath.Join(dir, vkeyFile))
	keptCp, err := audit.OpenCheckpoint(first, strings.TrimSpace(string(vkey)))
	if err != nil {
		t.Fatalf("--keep wrote %q: %v", first, err)
	}
	// The last entry the kept checkpoint holds.
	last := u64(keptCp.Size - 1)
	// The log grows (each proof asked is an entry), and the server signs a later checkpoint.
	for i := 0; ; i++ {
		code, out, _ := prove(t, "--server", base, "--data", dir, "--checkpoint", kept, "--seq", last)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, out)
		}
		if !strings.Contains(out, "has "+u64(keptCp.Size)+" entries") {
			if !strings.Contains(out, "extends the checkpoint kept, of "+u64(keptCp.Size)+" entries; it holds entry #"+last+" ") {
				t.Fatalf("want the consistency with the kept checkpoint said: %q", out)
			}
			break
		}
		if i == 100 {
			t.Fatal("the server signs no later checkpoint")
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Run("the token from a file", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "token")
		os.WriteFile(file, []byte(tok+"\n"), 0o600)
		code, out, errs := run(t, map[string]string{tokenEnv + "_FILE": file}, "audit", "prove", "--server", base, "--data", dir, "--seq", "1")
		if code != 0 || strings.Contains(out+errs, tok) {
			t.Fatalf("exit %d: %q %q", code, out, errs)
		}
	})
	t.Run("consistency alone", func(t *testing.T) {
		code, out, _ := prove(t, "--server", base, "--vkey", filepath.Join(dir, vkeyFile), "--checkpoint", kept, "--from", u64(keptCp.Size))
		if code != 0 || !strings.Contains(out, "extends the checkpoint kept") || strings.Contains(out, "holds entry") {
			t.Fatalf("exit %d: %q", code, out)
		}
	})

	// liar is a proxy to the real server that flips one bit of every inclusion proof.
	target, _ := url.Parse(base)
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(r *http.Response) error {
		if r.Request.URL.Path != "/api/audit/proof/inclusion" || r.StatusCode != http.StatusOK {
			return nil
		}
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return err
		}
		var m map[string]json.RawMessage
		var p [][]byte
		if err := json.Unmarshal(b, &m); err != nil {
			return err
		}
		if err := json.Unmarshal(m["proof"], &p); err != nil {
			return err
		}
		p[len(p)-1][7] ^= 0x10
		m["proof"], _ = json.Marshal(p)
		b, _ = json.Marshal(m)
		r.Body = io.NopCloser(bytes.NewReader(b))
		r.ContentLength = int64(len(b))
		r.Header.Del("Content-Length")
		return nil
	}
	liar := httptest.NewServer(proxy)
	defer liar.Close()
	_, otherVkey, _ := audit.NewKey("cleared.test/audit")

	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"a forged inclusion proof", []string{"--server", liar.URL, "--data", dir, "--checkpoint", kept, "--seq", last}, 1,
			"FAIL: inclusion of entry " + last + " in the checkpoint of size"},
		{"another log's key", []string{"--server", base, "--key", otherVkey, "--seq", last}, 1,
			"FAIL: the server's latest checkpoint: the checkpoint is not signed by the log's key cleared.test/audit+"},
		{"a kept checkpoint of another log", []string{"--server", base, "--data", dir, "--checkpoint", filepath.Join(dir, vkeyFile), "--seq", last}, 1,
			"FAIL: the checkpoint kept in"},
		{"an entry beyond the checkpoint", []string{"--server", base, "--data", dir, "--seq", "99999999"}, 1,
			"is not in a log of"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := prove(t, c.args...)
			if code != c.code || !strings.Contains(out, c.want) || strings.Count(out, "\n") != 1 {
				t.Fatalf("exit %d, want %d with %q: %q %s", code, c.code, c.want, out, errs)
			}
		})
	}
	if after, _ := os.ReadFile(kept); !bytes.Equal(after, first) {
		t.Error("a failed check changed the kept checkpoint")
	}
	return kept
}

// TestAuditProveServerPostgres: the same checks against a server on PostgreSQL, as the first officer that
// 'cleared init' makes (an NSA officer, A11.2).
func TestAuditProveServerPostgres(t *testing.T) {
	url, _ := pgURL(t)
	dir := filepath.Join(t.TempDir(), "data")
	code, out, errs := run(t, pass, append(initArgs(dir), "--db", url)...)
	if code != 0 {
		t.Fatalf("init on PostgreSQL: %d %s", code, errs)
	}
	tok := regexp.MustCompile(`cleared_[a-z0-9]{52}`).FindString(out)
	srv := startServe(t, pass, "--data", dir, "--db", url, "--log-level", "warn", "--checkpoint-interval", "100ms")
	defer srv.stop()
	proveServerChecks(t, srv.base, dir, tok)
}

func u64(n uint64) string { return strconv.FormatUint(n, 10) }
