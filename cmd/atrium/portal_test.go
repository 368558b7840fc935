package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/store/storetest"
)

// testPortal is a demo portal served on a loopback port for one test.
type testPortal struct {
	URL string
	g   *globals

	once   sync.Once // builds svc
	svc    *portal
	svcErr error
}

// startDemo serves a freshly seeded demo portal on the test's database
// engine (SQLite, or PostgreSQL when ATRIUM_TEST_DATABASE_URL is set).
func startDemo(t testing.TB) *testPortal { t.Helper(); return startDemoWith(t, nil) }

// startDemoWith is startDemo with serve options changed by change.
func startDemoWith(t testing.TB, change func(*serveOptions)) *testPortal {
	t.Helper()
	cfg := storetest.Config(t)
	var out bytes.Buffer
	g := &globals{data: cfg.DataDir, databaseURL: cfg.DatabaseURL, logLevel: "error", stdin: strings.NewReader(""), stdout: &out, stderr: io.Discard}
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	errc := make(chan error, 1)
	go func() {
		o := defaultServeOptions()
		o.addr, o.demo, o.poll = "127.0.0.1:0", true, 200*time.Millisecond
		if change != nil {
			change(o)
		}
		errc <- serve(ctx, g, o, func(a string) { addrc <- a })
	}()
	select {
	case a := <-addrc:
		p := &testPortal{URL: "http://" + a, g: g}
		t.Cleanup(func() {
			cancel()
			<-errc
			if p.svc != nil {
				p.svc.Close()
			}
		})
		return p
	case err := <-errc:
		cancel()
		t.Fatalf("portal did not start: %v", err)
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatal("portal did not start within a minute")
	}
	return nil
}

// client returns an HTTP client that does not follow redirects, signed in
// as email when it is not empty.
func (p *testPortal) client(t testing.TB, email string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if email == "" {
		return c
	}
	res, err := c.PostForm(p.URL+"/login", url.Values{"email": {email}, "password": {"demo"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d", email, res.StatusCode)
	}
	return c
}

// fetch fetches a page and returns its status and body.
func fetch(t testing.TB, c *http.Client, u string) (int, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}
