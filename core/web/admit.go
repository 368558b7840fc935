package web

import (
	"context"
	"encoding/json"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Admission bounds the work the portal takes on at once. Past the bound,
// a page or API call waits in a short queue; past the queue, or after
// waiting too long, it is answered 503 with Retry-After at once. Without a
// bound, a burst of visitors made every request slower until the blocks of
// a page ran out of time and pages came back quietly broken ("this section
// is unavailable"); with one, the requests taken are served at full speed
// and the others are told plainly to come back.
type Admission struct {
	// Concurrent is how many requests do work at once (default four per
	// CPU, at least eight).
	Concurrent int
	// Queue is how many more may wait for a turn (default eight per
	// running request).
	Queue int
	// Wait is the longest a request waits in the queue (default two
	// seconds).
	Wait time.Duration
	// RetryAfter is the Retry-After of a refusal (default one second).
	RetryAfter time.Duration
}

// gate admits requests by an Admission. Both channels are semaphores: a
// request holds a slot of run while it works, and one of queue while it
// waits for that.
type gate struct {
	run, queue chan struct{}
	wait       time.Duration
	retryAfter string
	// refused counts refusals (for metrics); it may be nil.
	refused func()
}

func newGate(a Admission, refused func()) *gate {
	if a.Concurrent <= 0 {
		a.Concurrent = max(8, 4*runtime.GOMAXPROCS(0))
	}
	if a.Queue <= 0 {
		a.Queue = 8 * a.Concurrent
	}
	if a.Wait <= 0 {
		a.Wait = 2 * time.Second
	}
	if a.RetryAfter <= 0 {
		a.RetryAfter = time.Second
	}
	secs := max(1, int(a.RetryAfter.Round(time.Second)/time.Second))
	return &gate{run: make(chan struct{}, a.Concurrent), queue: make(chan struct{}, a.Queue), wait: a.Wait,
		retryAfter: strconv.Itoa(secs), refused: refused}
}

// enter takes a turn, waiting in the queue if needed. It reports false
// when the queue is full, the wait ran out or the caller went away; on
// true the caller must call leave.
func (g *gate) enter(ctx context.Context) bool {
	select {
	case g.run <- struct{}{}:
		return true
	default:
	}
	select {
	case g.queue <- struct{}{}:
	default:
		return false
	}
	defer func() { <-g.queue }()
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.run <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

func (g *gate) leave() { <-g.run }

// admit runs h when the gate admits the request and answers 503 otherwise.
// Page routes are admitted in guard, once the route is known.
func (s *Server) admit(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.gate.enter(r.Context()) {
			s.busy(w, r)
			return
		}
		defer s.gate.leave()
		h.ServeHTTP(w, r)
	})
}

// busy answers a request the portal has no room for: 503 with
// Retry-After, as problem details for the API and a page for people.
func (s *Server) busy(w http.ResponseWriter, r *http.Request) {
	if s.gate.refused != nil {
		s.gate.refused()
	}
	w.Header().Set("Retry-After", s.gate.retryAfter)
	msg := tr(r, "error.busy")
	if strings.HasPrefix(r.URL.Path, "/api/") {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusServiceUnavailable)
		json.NewEncoder(w).Encode(map[string]any{"title": "Service Unavailable", "status": http.StatusServiceUnavailable, "detail": msg}) //nolint:errcheck // the client went away
		return
	}
	// The page is drawn without the signed-in chrome: that would cost the
	// database reads the refusal is there to spare.
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusServiceUnavailable)
	page := busyPage
	if r.Method != http.MethodGet {
		// Refreshing would not send the form again; say so instead.
		page = strings.Replace(page, `<meta http-equiv="refresh" content="2">`, "", 1)
		page = strings.Replace(page, "This page tries again by itself in a moment.", "Go back and send the form again in a moment.", 1)
	}
	_, _ = w.Write([]byte(page))
}

// busyPage is the whole refusal page: small, self-contained, and
// refreshing itself after the Retry-After.
const busyPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="2"><title>Busy — please try again</title>
<style>body{font:1rem/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2933}</style></head>
<body><main><h1>The portal is very busy</h1><p>Nothing was lost. This page tries again by itself in a moment.</p></main></body></html>
`

// apiAdmitted is the API behind the gate, except what streams or moves
// files: a live event stream or a download holds its connection for as
// long as it lasts, and must not hold a turn meant for a page.
func (s *Server) apiAdmitted(api http.Handler) http.Handler {
	gated := s.admit(api)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if streams(r) {
			api.ServeHTTP(w, r)
			return
		}
		gated.ServeHTTP(w, r)
	})
}

// streams reports whether an API request streams: live events,
// downloads, and uploads.
func streams(r *http.Request) bool {
	p := r.URL.Path
	return p == "/api/v1/events" || strings.HasSuffix(p, "/download") || uploading(r)
}

// uploading reports whether a request carries files (a form with a file
// field arrives as multipart): it lasts as long as the upload does, so it
// is not admitted against pages.
func uploading(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/")
}
