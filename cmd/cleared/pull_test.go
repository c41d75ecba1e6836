package main

import (
	"context"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cleared/cleared"
	"github.com/cleared/cleared/registry"
	"github.com/cleared/cleared/store"
)

// TestSource_S1_poll polls a partner's TAXII server once from the command line, trusting it by --pull-ca: a poll
// with nothing new registers nothing and moves no cursor.
func TestSource_S1_poll(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	code, out, errs := run(t, pass, initArgs(dir)...)
	if code != 0 {
		t.Fatalf("init exit %d: %s", code, errs)
	}
	officer := cleared.PersonID(regexp.MustCompile(`per_[a-z2-7]{26}`).FindString(out))
	org := recordPartner(t, dir, officer)
	var asked atomic.Int64
	partner := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		w.Header().Set("Content-Type", "application/taxii+json;version=2.1")
		w.Write([]byte(`{"more":false}`))
	}))
	partner.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	partner.StartTLS()
	defer partner.Close()
	caFile := filepath.Join(t.TempDir(), "partner-ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: partner.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	// Recorded in the store as the API would (the API's checks are web's tests): the officer as its registrar.
	src := cleared.Source{ID: cleared.NewSourceID(), Partner: org, Kind: cleared.SourceTAXII, URL: partner.URL + "/taxii2/api/collections/c1/",
		Registrar: cleared.Actor{Person: officer}, Recorded: time.Now().UTC().Truncate(time.Microsecond)}
	putSource(t, dir, &src)

	t.Run("bad command lines", func(t *testing.T) {
		for _, args := range [][]string{
			{"source"},
			{"source", "poll", "--data", dir, "--pull-cert", caFile},
			{"source", "poll", "--data", dir, "--pull-ca", filepath.Join(dir, "none.pem")},
		} {
			if code, _, _ := run(t, pass, args...); code == 0 {
				t.Errorf("%q succeeded", args)
			}
		}
	})
	t.Run("S1 without the partner's roots the server is not trusted", func(t *testing.T) {
		code, _, errs := run(t, pass, "source", "poll", "--data", dir, "--source", string(src.ID))
		if code == 0 || !strings.Contains(errs, "certificate") {
			t.Errorf("exit %d, %q: want the poll refused for an unknown certificate", code, errs)
		}
	})
	code, out, errs = run(t, pass, "source", "poll", "--data", dir, "--pull-ca", caFile)
	if code != 0 || !strings.Contains(out, "1 source(s) polled") {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	code, out, errs = run(t, pass, "source", "poll", "--data", dir, "--pull-ca", caFile, "--source", string(src.ID))
	if code != 0 || !strings.Contains(out, "0 registered") {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	if n := asked.Load(); n != 2 {
		t.Errorf("the partner's server was asked %d times, want one request per poll", n)
	}
}

// putSource stores src, under an authority its registrar holds.
func putSource(t *testing.T, dir string, src *cleared.Source) {
	t.Helper()
	a := &app{stdout: io.Discard, stderr: io.Discard, getenv: func(k string) string { return pass[k] }}
	sv, err := (&storage{data: dir}).open(context.Background(), a, serviceConfig{log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer sv.db.Close()
	au, err := sv.reg.RegisterAuthority(context.Background(), src.Registrar, registry.NewAuthority{PersonID: src.Registrar.Person,
		Kind: cleared.AuthoritySREDirector, Title: "Directeur du SRE", From: time.Now().Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	src.Authority = au.ID
	if err := sv.db.Update(context.Background(), func(tx store.Tx) error { return tx.PutSource(*src) }); err != nil {
		t.Fatal(err)
	}
}
