package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cleared/cleared/account"
)

// The session's secret is replaced when the second factor succeeds (session fixation): a cookie set after the
// password step, which another page or person may have seen or planted, opens nothing once the second factor
// succeeded; the cookie set then does.
func TestUI_SessionSecretReplacedAfterSecondFactor(t *testing.T) {
	e := newUIEnv(t)
	w := e.world
	base := mustURL(e.srv.URL)
	for _, tc := range []struct {
		name   string
		submit func(b *browser, login string) page
	}{
		{"TOTP code", func(b *browser, login string) page {
			b.get("/login/second-factor")
			e.tick()
			code, err := account.TOTPCode(w.Login(login).TOTPSecret, e.now())
			if err != nil {
				t.Fatal(err)
			}
			return b.post("/login/second-factor", url.Values{"code": {code}, "next": {"/ui/"}})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := e.browser()
			b.get("/login")
			p := b.post("/login", url.Values{"login": {"sophie"}, "password": {w.Login("sophie").Password},
				"terminal": {string(w.OfficeTerm.ID)}, "next": {"/ui/"}})
			if p.status != http.StatusSeeOther {
				t.Fatalf("password step: %d", p.status)
			}
			first := sessionCookieOf(t, b, base)
			if p := tc.submit(b, "sophie"); p.status != http.StatusSeeOther || p.header.Get("Location") != "/ui/" {
				t.Fatalf("second factor: %d %s", p.status, p.header.Get("Location"))
			}
			second := sessionCookieOf(t, b, base)
			if second == first {
				t.Fatal("the second factor left the session's secret as the password step set it")
			}

			// The cookie of the password step, in another browser (whoever planted or saw it): no session.
			fixed := e.browser()
			fixed.client.Jar.SetCookies(base, []*http.Cookie{{Name: "cleared_session", Value: first, Path: "/"}})
			if p := fixed.get("/ui/"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/login") {
				t.Errorf("the password step's cookie after the second factor: %d %s, want to the sign-in page", p.status, p.header.Get("Location"))
			}
			if p := fixed.get("/login/second-factor"); p.status != http.StatusSeeOther {
				t.Errorf("the password step's cookie still waits for a second factor: %d", p.status)
			}
			// The new one is the signed-in session.
			if p := b.get("/ui/"); p.status != http.StatusOK {
				t.Errorf("the cookie set by the second factor: %d, want the dashboard", p.status)
			}
		})
	}
}

// sessionCookieOf is b's session cookie for base, failing the test if there is none.
func sessionCookieOf(t *testing.T, b *browser, base *url.URL) string {
	t.Helper()
	for _, c := range b.client.Jar.Cookies(base) {
		if c.Name == "cleared_session" && c.Value != "" {
			return c.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}
