package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/store/storetest"
)

// TestAdmission: with every turn taken, a page waits its turn in the queue
// and is served when one frees up; past the queue, or past the wait, pages
// and API calls are answered 503 with Retry-After at once, while health
// checks still answer.
func TestAdmission(t *testing.T) {
	db := storetest.OpenEngine(t, storetest.SQLite)
	p := newTestPortal(t, db, portalOptions{admission: Admission{Concurrent: 1, Queue: 1, Wait: 5 * time.Second, RetryAfter: 3 * time.Second}})
	c := p.session(t)
	if res, _ := p.get(t, c, "/rooms/plain"); res.StatusCode != http.StatusOK {
		t.Fatalf("an idle portal answered %d", res.StatusCode)
	}
	g := p.web.gate
	g.run <- struct{}{} // a request is working

	queued := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodGet, p.URL+"/rooms/plain", nil)
		req.AddCookie(c)
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			queued <- 0
			return
		}
		res.Body.Close()
		queued <- res.StatusCode
	}()
	deadline := time.Now().Add(5 * time.Second)
	for len(g.queue) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the request never queued")
		}
		time.Sleep(5 * time.Millisecond)
	}

	// The queue is full: everything bounded is refused at once.
	for _, tc := range []struct {
		method, path, want string
	}{
		{http.MethodGet, "/rooms/plain", "tries again by itself"},
		{http.MethodPost, "/rooms/inbox/blocks/up/actions/send", "send the form again"},
	} {
		start := time.Now()
		req, _ := http.NewRequest(tc.method, p.URL+tc.path, strings.NewReader("a=b"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, body := p.do(t, c, req)
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") != "3" || !strings.Contains(body, tc.want) {
			t.Errorf("%s %s when full: %d Retry-After %q\n%s", tc.method, tc.path, res.StatusCode, res.Header.Get("Retry-After"), body)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s %s took %s to be refused", tc.method, tc.path, d)
		}
	}
	// The API is bounded too, except what streams or moves files.
	api := p.web.apiAdmitted(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }))
	for path, want := range map[string]int{"/api/v1/me": http.StatusServiceUnavailable, "/api/v1/events": http.StatusOK, "/api/v1/files/7/download": http.StatusOK} {
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != want {
			t.Errorf("API %s when full: %d, want %d", path, rec.Code, want)
		}
		if want == http.StatusServiceUnavailable && (!strings.Contains(rec.Body.String(), `"status":503`) || rec.Header().Get("Retry-After") != "3") {
			t.Errorf("API refusal: %v %s", rec.Header(), rec.Body)
		}
	}
	if strings.Contains(busyPage, "<script") {
		t.Error("the busy page runs a script")
	}
	if res, _ := p.get(t, nil, "/healthz"); res.StatusCode != http.StatusOK {
		t.Errorf("/healthz answered %d when the portal was full", res.StatusCode)
	}

	<-g.run // the working request ends; the queued one gets its turn
	select {
	case code := <-queued:
		if code != http.StatusOK {
			t.Errorf("the queued page answered %d", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the queued page was never served")
	}
}

// TestGateWait: a request that waited its whole wait is refused, and one
// whose caller went away leaves the queue.
func TestGateWait(t *testing.T) {
	g := newGate(Admission{Concurrent: 1, Queue: 2, Wait: 50 * time.Millisecond}, nil)
	if !g.enter(context.Background()) {
		t.Fatal("an empty gate refused")
	}
	start := time.Now()
	if g.enter(context.Background()) {
		t.Fatal("a full gate admitted")
	}
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("refused after %s, before the wait ran out", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if g.enter(ctx) {
		t.Fatal("admitted a request whose caller had gone")
	}
	if len(g.queue) != 0 {
		t.Errorf("%d left in the queue", len(g.queue))
	}
	g.leave()
	if !g.enter(context.Background()) {
		t.Fatal("a freed gate refused")
	}
}
