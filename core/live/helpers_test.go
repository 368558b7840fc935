package live_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/live"
	"github.com/uptrace/bun"
)

// start runs a hub on db and serves its streams at /events?user=N, as the
// web layer would once it has authenticated the user.
func start(t testing.TB, db *bun.DB, opts ...live.Option) (*live.Hub, *httptest.Server) {
	t.Helper()
	h := live.New(db, append([]live.Option{live.WithPoll(time.Second)}, opts...)...)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Run(ctx) }()
	srv := newServer(t, h)
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return h, srv
}

// newServer serves h's streams at /events?user=N.
func newServer(t testing.TB, h *live.Hub) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, err := strconv.ParseInt(r.URL.Query().Get("user"), 10, 64)
		if err != nil {
			http.Error(w, "no user", http.StatusUnauthorized)
			return
		}
		h.Stream(w, r, user)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// msg is one event as a page receives it.
type msg struct {
	ID      int64
	Type    string
	Topic   string
	Payload json.RawMessage
}

// client is one page's open stream.
type client struct {
	t      testing.TB
	resp   *http.Response
	events chan msg
	// comments counts the comment lines seen (hello and heartbeats).
	comments chan string
	closed   chan struct{}
}

// connect opens a stream for user; last, if not empty, is its Last-Event-ID.
func connect(t testing.TB, srv *httptest.Server, user int64, last string) *client {
	t.Helper()
	req, err := http.NewRequest("GET", srv.URL+"/events?user="+strconv.FormatInt(user, 10), nil)
	if err != nil {
		t.Fatal(err)
	}
	if last != "" {
		req.Header.Set("Last-Event-ID", last)
	}
	return open(t, req)
}

func open(t testing.TB, req *http.Request) *client {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("stream: %s", resp.Status)
	}
	c := &client{t: t, resp: resp, events: make(chan msg, 1000), comments: make(chan string, 1000), closed: make(chan struct{})}
	go c.read()
	t.Cleanup(c.close)
	// The stream is open once its greeting arrives.
	select {
	case <-c.comments:
	case <-time.After(5 * time.Second):
		t.Fatal("no greeting from the stream")
	}
	return c
}

func (c *client) read() {
	defer close(c.closed)
	sc := bufio.NewScanner(c.resp.Body)
	var m msg
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if m.ID != 0 {
				c.events <- m
			}
			m = msg{}
		case strings.HasPrefix(line, ":"):
			c.comments <- strings.TrimSpace(line[1:])
		case strings.HasPrefix(line, "id: "):
			m.ID, _ = strconv.ParseInt(line[4:], 10, 64)
		case strings.HasPrefix(line, "data: "):
			var w struct {
				Type    string          `json:"type"`
				Topic   string          `json:"topic"`
				Payload json.RawMessage `json:"payload"`
			}
			if err := json.Unmarshal([]byte(line[6:]), &w); err != nil {
				c.t.Errorf("event data %q: %v", line, err)
			}
			m.Type, m.Topic, m.Payload = w.Type, w.Topic, w.Payload
		}
	}
}

func (c *client) close() {
	c.resp.Body.Close()
	<-c.closed
}

// next waits for the next event.
func (c *client) next() msg {
	c.t.Helper()
	select {
	case m := <-c.events:
		return m
	case <-time.After(5 * time.Second):
		c.t.Fatal("no event within 5s")
		return msg{}
	}
}

// nextOrEnd waits for the next event, or for the server to end the stream
// with no event left to read (ok is false).
func (c *client) nextOrEnd() (m msg, ok bool) {
	c.t.Helper()
	select {
	case m := <-c.events:
		return m, true
	case <-c.closed:
		select {
		case m := <-c.events:
			return m, true
		default:
			return msg{}, false
		}
	case <-time.After(5 * time.Second):
		c.t.Fatal("no event within 5s")
		return msg{}, false
	}
}

// quiet checks that no event arrives for d.
func (c *client) quiet(d time.Duration) {
	c.t.Helper()
	select {
	case m := <-c.events:
		c.t.Fatalf("unexpected event %+v", m)
	case <-time.After(d):
	}
}

// ended waits for the server to end the stream.
func (c *client) ended() {
	c.t.Helper()
	select {
	case <-c.closed:
	case <-time.After(5 * time.Second):
		c.t.Fatal("the stream did not end")
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
