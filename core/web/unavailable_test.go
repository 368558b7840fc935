package web

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/atriumhq/atrium/core/store"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

// TestDatabaseOutage: when the database stops answering, a signed-in
// visitor gets a 503 page that says so (not the sign-in page), and keeps
// their session; on PostgreSQL the connection is cut by a proxy, on SQLite
// the database is closed.
func TestDatabaseOutage(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		db := storetest.OpenEngine(t, storetest.SQLite)
		outage(t, db, func() { db.Close() })
	})
	t.Run("postgres", func(t *testing.T) {
		if !strings.Contains(strings.Join(engines(), ","), "postgres") {
			t.Skip("set " + storetest.EnvPostgres + " to run it on PostgreSQL")
		}
		cfg := storetest.Config(t)
		u, err := url.Parse(cfg.DatabaseURL)
		if err != nil {
			t.Fatal(err)
		}
		px := startProxy(t, u.Host)
		u.Host = px.addr
		cfg.DatabaseURL = u.String()
		db, err := store.Open(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		outage(t, db, px.cut)
	})
}

func engines() []string {
	var out []string
	for _, e := range storetest.Engines() {
		out = append(out, string(e))
	}
	return out
}

// outage signs in, takes the database away with down, and checks the
// answers.
func outage(t *testing.T, db *bun.DB, down func()) {
	t.Helper()
	p := newTestPortal(t, db, portalOptions{})
	c := p.session(t)
	if res, _ := p.get(t, c, "/rooms/plain"); res.StatusCode != http.StatusOK {
		t.Fatalf("before the outage: %d", res.StatusCode)
	}
	down()
	res, page := p.get(t, c, "/rooms/plain")
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" || !strings.Contains(page, "cannot reach its database") {
		t.Errorf("page during the outage: %d (Location %q)\n%.400s", res.StatusCode, res.Header.Get("Location"), page)
	}
	for _, ck := range res.Cookies() {
		if ck.Name == sessionCookie && ck.MaxAge < 0 {
			t.Error("the outage signed the visitor out")
		}
	}
	res, page = p.get(t, c, "/api/v1/anything")
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(page, `"status":503`) {
		t.Errorf("API during the outage: %d %.300s", res.StatusCode, page)
	}
}

// proxy forwards TCP to a database until cut.
type proxy struct {
	addr  string
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func startProxy(t *testing.T, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	px := &proxy{addr: ln.Addr().String(), ln: ln}
	t.Cleanup(px.cut)
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", target)
			if err != nil {
				in.Close()
				continue
			}
			px.mu.Lock()
			px.conns = append(px.conns, in, out)
			px.mu.Unlock()
			go func() { io.Copy(out, in); out.Close() }() //nolint:errcheck // ends when cut
			go func() { io.Copy(in, out); in.Close() }()  //nolint:errcheck // ends when cut
		}
	}()
	return px
}

// cut stops taking connections and drops the open ones.
func (px *proxy) cut() {
	px.ln.Close()
	px.mu.Lock()
	defer px.mu.Unlock()
	for _, c := range px.conns {
		c.Close()
	}
	px.conns = nil
}
