package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// These tests hold the portal's security behaviour over real HTTP: what a
// browser sees in headers and cookies, and how the portal answers forged
// and abusive requests.

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	anon := p.client(t, "")
	sarah := p.client(t, "sarah@northwind.example")
	tests := []struct {
		name string
		c    *http.Client
		path string
	}{
		{"sign-in page", anon, "/login"},
		{"room", sarah, "/rooms/training"},
		{"missing page", sarah, "/rooms/no-such-room"},
		{"API", sarah, "/api/v1/me"},
		{"API error", anon, "/api/v1/me"},
		{"health", anon, "/healthz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := tt.c.Get(p.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			h := res.Header
			if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q", got)
			}
			if got := h.Get("Referrer-Policy"); got == "" {
				t.Error("no Referrer-Policy")
			}
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %s", csp, want)
				}
			}
			if strings.Contains(csp, "'unsafe-inline'") && strings.Contains(csp, "script-src") &&
				strings.Contains(csp[strings.Index(csp, "script-src"):], "'unsafe-inline'") {
				t.Errorf("CSP allows inline scripts: %q", csp)
			}
		})
	}
	// Pages carry a fresh script nonce each time, and frames only from the
	// program's embed allowlist.
	_, first := fetch(t, sarah, p.URL+"/rooms/training")
	res, _ := sarah.Get(p.URL + "/rooms/training")
	res.Body.Close()
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "'nonce-") {
		t.Fatalf("room page CSP has no nonce: %q", csp)
	}
	nonce := csp[strings.Index(csp, "'nonce-")+7:]
	nonce = nonce[:strings.Index(nonce, "'")]
	if strings.Contains(first, nonce) {
		t.Error("a script nonce was reused across responses")
	}
	i := strings.Index(csp, "frame-src")
	if i < 0 {
		t.Fatalf("no frame-src in %q", csp)
	}
	for _, src := range strings.Fields(strings.SplitN(csp[i:], ";", 2)[0])[1:] {
		if src == "*" || src == "https:" || src == "data:" {
			t.Errorf("frame-src admits any frame: %q", csp)
		}
	}
}

func TestSessionCookies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		https      bool
		wantName   string
		wantSecure bool
	}{
		{"plain HTTP (development)", false, "atrium_session", false},
		{"behind HTTPS", true, "__Host-atrium_session", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := startDemoWith(t, func(o *serveOptions) { o.https = tt.https })
			c := p.client(t, "")
			signIn := func() *http.Cookie {
				res, err := c.PostForm(p.URL+"/login", url.Values{"email": {"sarah@northwind.example"}, "password": {"demo"}})
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != http.StatusSeeOther {
					t.Fatalf("sign in: %d", res.StatusCode)
				}
				for _, ck := range res.Cookies() {
					if ck.Name == tt.wantName {
						return ck
					}
				}
				t.Fatalf("no %s cookie in %v", tt.wantName, res.Header.Values("Set-Cookie"))
				return nil
			}
			ck := signIn()
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure != tt.wantSecure || ck.Path != "/" || ck.Domain != "" {
				t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, Secure=%v, Path=/, no Domain", ck, tt.wantSecure)
			}
			if again := signIn(); again.Value == ck.Value {
				t.Error("signing in again kept the session token: a new token is due at every sign-in")
			}
		})
	}
}

func TestSignOutEndsTheSessionOnTheServer(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	c := p.client(t, "carlos@carlosco.example")
	u, _ := url.Parse(p.URL)
	stolen := c.Jar.Cookies(u)
	res, err := c.PostForm(p.URL+"/logout", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	// Someone who copied the cookie before sign-out gets nothing with it.
	replay := p.client(t, "")
	replay.Jar.SetCookies(u, stolen)
	if status, _ := fetch(t, replay, p.URL+"/rooms/training"); status != http.StatusSeeOther {
		t.Fatalf("the old session still opens rooms: status %d", status)
	}
}

func TestCrossSiteRequestsAreRefused(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	c := p.client(t, "mike@acme.example")
	tests := []struct {
		name    string
		headers map[string]string
		want    int
	}{
		{"cross-site fetch metadata", map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"foreign origin", map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
		{"same origin", map[string]string{"Sec-Fetch-Site": "same-origin"}, http.StatusUnprocessableEntity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", p.URL+"/admin/users/invite", strings.NewReader("email=not-an-email"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			res, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.want)
			}
		})
	}
}

func TestFailedSignInsAreLimited(t *testing.T) {
	p := startDemo(t)
	c := p.client(t, "")
	post := func(password string) int {
		res, err := c.PostForm(p.URL+"/login", url.Values{"email": {"tom@bluebird.example"}, "password": {password}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	var limited bool
	for range 12 {
		if post("wrong") == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	if !limited {
		t.Fatal("a dozen wrong passwords in a row were never limited")
	}
	// Once limited, even the right password waits: guessing cannot go on.
	if got := post("demo"); got != http.StatusTooManyRequests {
		t.Fatalf("the right password during the lockout: status %d, want 429", got)
	}
}

// The signed-in header is drawn once and reused: two people with the same
// role and navigation (two partner managers) still each see their own name,
// never the other's.
func TestHeaderIsDrawnPerViewer(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	accountName := regexp.MustCompile(`<span class="account-name">([^<]*)</span>`)
	for range 2 { // the second round is served from the cache
		for _, c := range []struct{ email, name string }{
			{"nina@acme.example", "Nina Patel"},
			{"jordan@acme.example", "Jordan Blake"},
		} {
			code, body := fetch(t, p.client(t, c.email), p.URL+"/admin")
			m := accountName.FindStringSubmatch(body)
			if code != http.StatusOK || m == nil || m[1] != c.name {
				t.Fatalf("%s: %d, header names %v, want %s", c.email, code, m, c.name)
			}
		}
	}
}
