package main

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cleared/cleared/notify"
)

// mailbox is a mail server on loopback that accepts every message and keeps it: enough SMTP for net/smtp.
type mailbox struct {
	ln     net.Listener
	mu     sync.Mutex
	msgs   []mailMsg
	onMail func(mailMsg) // called as each message is kept, if set
}

type mailMsg struct {
	to   []string
	data string
}

func newMailbox(t *testing.T) *mailbox { return newMailboxTB(t) }

func newMailboxTB(t testing.TB) *mailbox {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m := &mailbox{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go m.session(c)
		}
	}()
	return m
}

func (m *mailbox) session(c net.Conn) {
	defer c.Close()
	tp := textproto.NewConn(c)
	tp.PrintfLine("220 mailbox ready")
	var cur mailMsg
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb := strings.ToUpper(strings.Fields(line + " x")[0])
		switch verb {
		case "EHLO", "HELO":
			tp.PrintfLine("250 mailbox")
		case "MAIL":
			cur = mailMsg{}
			tp.PrintfLine("250 OK")
		case "RCPT":
			_, addr, _ := strings.Cut(line, ":")
			cur.to = append(cur.to, strings.Trim(addr, "<> "))
			tp.PrintfLine("250 OK")
		case "DATA":
			tp.PrintfLine("354 go on")
			b, err := io.ReadAll(tp.DotReader())
			if err != nil {
				return
			}
			cur.data = string(b)
			m.mu.Lock()
			m.msgs = append(m.msgs, cur)
			f := m.onMail
			m.mu.Unlock()
			if f != nil {
				f(cur)
			}
			tp.PrintfLine("250 kept")
		case "QUIT":
			tp.PrintfLine("221 bye")
			return
		default:
			tp.PrintfLine("250 OK")
		}
	}
}

func (m *mailbox) about(id string) []mailMsg {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []mailMsg
	for _, x := range m.msgs {
		if strings.Contains(x.data, id) {
			out = append(out, x)
		}
	}
	return out
}

// hookCall is one webhook call received: the organisation its endpoint was registered for, its headers and body.
type hookCall struct {
	org    string
	header http.Header
	body   []byte
}

// Issue 19, done when: an incident reported over the API reaches its three recipients at once, by e-mail through
// the tests' mail server and by signed webhook at their organisations' receivers, from a `cleared serve` wired as
// in production (A13.1).
func TestIssue19_incident_reaches_its_three_recipients(t *testing.T) {
	box := newMailbox(t)
	var (
		mu    sync.Mutex
		calls []hookCall
	)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		calls = append(calls, hookCall{org: strings.TrimPrefix(r.URL.Path, "/org/"), header: r.Header.Clone(), body: b})
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer receiver.Close()

	dir := filepath.Join(t.TempDir(), "demo")
	srv := startServe(t, nil, "--demo", "--data", dir, "--log-level", "warn", "--webhook-allow-http-loopback",
		"--smtp-addr", box.ln.Addr().String(), "--smtp-from", "cleared@ans.example.lu")
	defer srv.stop()
	do := func(token, method, path, body string, into any) int {
		t.Helper()
		req, _ := http.NewRequest(method, srv.base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer cleared_demo_"+token)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if into != nil && resp.StatusCode < 300 {
			if err := json.Unmarshal(b, into); err != nil {
				t.Fatalf("%s %s: %v\n%s", method, path, err, b)
			}
		}
		if resp.StatusCode >= 300 {
			t.Logf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
		return resp.StatusCode
	}

	// The NSA registers an Ed25519 endpoint for every organisation; receivers check with the served public key.
	var orgs struct{ Items []struct{ ID string } }
	if do("helene", "GET", "/api/organisations?limit=500", "", &orgs) != 200 || len(orgs.Items) == 0 {
		t.Fatal("no organisations")
	}
	for _, o := range orgs.Items {
		body := `{"organisation":"` + o.ID + `","url":"` + receiver.URL + `/org/` + o.ID + `","scheme":"ed25519"}`
		if code := do("helene", "POST", "/api/webhooks", body, nil); code != 201 {
			t.Fatalf("register the webhook of %s: %d", o.ID, code)
		}
	}
	var key struct {
		PublicKey string `json:"public_key"`
	}
	if do("", "GET", "/api/webhooks/key", "", &key) != 200 {
		t.Fatal("no webhook key")
	}
	pub, err := base64.StdEncoding.DecodeString(key.PublicKey)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		t.Fatalf("webhook key %q: %v", key.PublicKey, err)
	}

	var secret struct{ Items []struct{ ID, Level string } }
	do("tom", "GET", "/api/pieces", "", &secret)
	piece := ""
	for _, p := range secret.Items {
		if p.Level == "SECRET" {
			piece = p.ID
		}
	}
	if piece == "" {
		t.Fatal("tom holds no SECRET piece")
	}
	var c struct {
		ID            string
		Notifications []struct{ Recipient, As string }
	}
	reported := time.Now()
	if code := do("tom", "POST", "/api/incidents", `{"kind":"suspected_compromise","object_kind":"piece","object":"`+piece+
		`","description":"The safe of the registry was found open."}`, &c); code != 201 || c.ID == "" {
		t.Fatalf("report: %d", code)
	}
	id := c.ID
	if do("helene", "GET", "/api/incidents/"+id, "", &c) != 200 {
		t.Fatal("the NSA does not read the case")
	}
	as := map[string]bool{}
	for _, n := range c.Notifications {
		as[n.As] = true
	}
	if !as["security_officer"] || !as["nsa"] || !as["originator"] {
		t.Fatalf("A13.1: the three are not all warned: %+v", c.Notifications)
	}
	// Every warned person gets an e-mail; each one's organisation gets one signed call.
	wantOrgs := map[string]bool{}
	wantMail := map[string]bool{}
	for _, w := range c.Notifications {
		var f struct {
			Person struct {
				OrganisationID string `json:"organisation_id"`
				Email          string
			}
		}
		p := &f.Person
		if do("helene", "GET", "/api/persons/"+w.Recipient, "", &f) != 200 || p.Email == "" {
			t.Fatalf("warned person %s: no e-mail address", w.Recipient)
		}
		wantOrgs[p.OrganisationID], wantMail[p.Email] = true, true
	}

	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		n := 0
		for _, h := range calls {
			if strings.Contains(string(h.body), id) {
				n++
			}
		}
		mu.Unlock()
		if len(box.about(id)) >= len(wantMail) && n >= len(wantOrgs) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 20 s: %d of %d e-mails and %d of %d webhook calls about %s", len(box.about(id)), len(wantMail), n, len(wantOrgs), id)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("the e-mails and webhook calls of %s arrived %v after the report", id, time.Since(reported).Round(time.Millisecond))

	gotMail := map[string]bool{}
	for _, m := range box.about(id) {
		for _, to := range m.to {
			gotMail[strings.ToLower(to)] = true
		}
		if strings.Contains(m.data, "The safe of the registry") {
			t.Error("the e-mail carries the report's description")
		}
	}
	for addr := range wantMail {
		if !gotMail[strings.ToLower(addr)] {
			t.Errorf("no e-mail to %s (got %v)", addr, gotMail)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	gotOrgs := map[string]int{}
	for _, h := range calls {
		if !strings.Contains(string(h.body), id) {
			continue
		}
		if err := notify.VerifyWebhook(h.header, h.body, ed25519.PublicKey(pub), time.Now(), time.Minute); err != nil {
			t.Errorf("the call to %s does not verify: %v", h.org, err)
		}
		gotOrgs[h.org]++
	}
	for o := range wantOrgs {
		if gotOrgs[o] != 1 {
			t.Errorf("organisation %s received %d calls, want 1", o, gotOrgs[o])
		}
	}
	if len(gotOrgs) != len(wantOrgs) {
		t.Errorf("calls to %v, want the warned persons' organisations %v", gotOrgs, wantOrgs)
	}
}

// BenchmarkIncidentReportToRecipients (issue 19, A13.1): 100 incidents reported at once over the API of a served
// cleared (the demo, on SQLite), each about a piece, measured from the moment its POST is sent to the last of its
// messages received: every warned person's e-mail at the mail server and one signed call per warned person's
// organisation at the receiver. Reported: p50-ms, p99-ms, max-ms over every incident of every round.
func BenchmarkIncidentReportToRecipients(b *testing.B) {
	const incidents = 100
	box := newMailboxTB(b)
	var (
		mu   sync.Mutex
		last = map[string]time.Time{} // incident → last message received
		got  = map[string]int{}
	)
	seen := func(body string, at time.Time) {
		i := strings.Index(body, "inc_")
		if i < 0 || len(body) < i+30 {
			return
		}
		id := body[i : i+30]
		mu.Lock()
		got[id]++
		if at.After(last[id]) {
			last[id] = at
		}
		mu.Unlock()
	}
	box.onMail = func(m mailMsg) { seen(m.data, time.Now()) }
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		seen(string(body), time.Now())
		w.WriteHeader(http.StatusNoContent)
	}))
	defer receiver.Close()
	srv := startServe(b, nil, "--demo", "--data", filepath.Join(b.TempDir(), "demo"), "--log-level", "error",
		"--webhook-allow-http-loopback", "--smtp-addr", box.ln.Addr().String(), "--smtp-from", "cleared@ans.example.lu")
	defer srv.stop()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: incidents}}
	do := func(token, method, path, body string, into any) int {
		req, _ := http.NewRequest(method, srv.base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer cleared_demo_"+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if into != nil {
			json.Unmarshal(raw, into)
		}
		return resp.StatusCode
	}
	var orgs struct{ Items []struct{ ID string } }
	do("helene", "GET", "/api/organisations?limit=500", "", &orgs)
	for _, o := range orgs.Items {
		do("helene", "POST", "/api/webhooks", `{"organisation":"`+o.ID+`","url":"`+receiver.URL+`/org/`+o.ID+`","scheme":"ed25519"}`, nil)
	}
	var pieces struct{ Items []struct{ ID, Level string } }
	do("tom", "GET", "/api/pieces", "", &pieces)
	piece := ""
	for _, p := range pieces.Items {
		if p.Level == "SECRET" {
			piece = p.ID
		}
	}
	// How many messages one report sends: learnt from a first report, outside the measure.
	var c struct {
		ID            string
		Notifications []struct{ Recipient string }
	}
	report := `{"kind":"suspected_compromise","object_kind":"piece","object":"` + piece + `","description":"bench"}`
	if do("tom", "POST", "/api/incidents", report, &c) != 201 {
		b.Fatal("report refused")
	}
	do("helene", "GET", "/api/incidents/"+c.ID, "", &c)
	orgsOf := map[string]bool{}
	for _, n := range c.Notifications {
		var f struct {
			Person struct {
				OrganisationID string `json:"organisation_id"`
			}
		}
		do("helene", "GET", "/api/persons/"+n.Recipient, "", &f)
		orgsOf[f.Person.OrganisationID] = true
	}
	want := len(c.Notifications) + len(orgsOf)
	var lat []time.Duration
	for b.Loop() {
		sent := make([]time.Time, incidents)
		ids := make([]string, incidents)
		var wg sync.WaitGroup
		for i := range incidents {
			wg.Go(func() {
				var r struct{ ID string }
				sent[i] = time.Now()
				if code := do("tom", "POST", "/api/incidents", report, &r); code != 201 {
					b.Errorf("report %d: %d", i, code)
				}
				ids[i] = r.ID
			})
		}
		wg.Wait()
		deadline := time.Now().Add(60 * time.Second)
		for {
			mu.Lock()
			done := 0
			for _, id := range ids {
				if got[id] >= want {
					done++
				}
			}
			mu.Unlock()
			if done == incidents {
				break
			}
			if time.Now().After(deadline) {
				b.Fatalf("after 60 s, %d of %d incidents fully delivered", done, incidents)
			}
			time.Sleep(5 * time.Millisecond)
		}
		mu.Lock()
		for i, id := range ids {
			lat = append(lat, last[id].Sub(sent[i]))
		}
		mu.Unlock()
	}
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(q(1), "max-ms")
	b.Logf("%d incidents, %d messages each: p50 %.0f ms, p99 %.0f ms, max %.0f ms", len(lat), want, q(0.50), q(0.99), q(1))
}
