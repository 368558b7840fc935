package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// benchPortal builds a demo portal's handler and a session cookie for Sarah
// (referral, silver, active, sales), who sees 11 of the training room's 13
// blocks.
func benchPortal(b *testing.B) (http.Handler, *http.Cookie) {
	b.Helper()
	p := seededPortal(b)
	return p.handler, benchSession(b, p, "sarah@northwind.example", "demo")[0]
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
