package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/store/storetest"
)

// benchPortal builds a demo portal's handler and a session cookie for Sarah
// (referral, silver, active, sales), who sees 11 of the training room's 13
// blocks.
func benchPortal(b *testing.B) (http.Handler, *http.Cookie) {
	b.Helper()
	cfg := storetest.Config(b)
	g := &globals{data: cfg.DataDir, databaseURL: cfg.DatabaseURL, logLevel: "error", stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
	o := defaultServeOptions()
	o.demo = true
	p, err := buildPortal(context.Background(), g, o)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { p.Close() })
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(url.Values{"email": {"sarah@northwind.example"}, "password": {"demo"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	p.handler.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if strings.HasSuffix(c.Name, "atrium_session") {
			return p.handler, c
		}
	}
	b.Fatalf("sign-in gave no session (status %d)", rec.Code)
	return nil, nil
}

// BenchmarkTrainingRoom serves the demo training room page to a signed-in
// partner through the whole handler: session, audiences, blocks, theme.
func BenchmarkTrainingRoom(b *testing.B) {
	h, cookie := benchPortal(b)
	serve := func() {
		req := httptest.NewRequest(http.MethodGet, "/rooms/training", nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || strings.Count(rec.Body.String(), "data-block-id=") < 10 {
			b.Fatalf("status %d, %d blocks", rec.Code, strings.Count(rec.Body.String(), "data-block-id="))
		}
	}
	serve() // warm the caches
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		serve()
	}
}

// BenchmarkHealthz is the baseline for BenchmarkTrainingRoom: the same
// middleware, no work.
func BenchmarkHealthz(b *testing.B) {
	h, _ := benchPortal(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}
