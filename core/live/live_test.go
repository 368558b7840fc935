package live_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/live"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

func publish(t testing.TB, h *live.Hub, ev live.Event, users ...int64) {
	t.Helper()
	if err := h.Publish(context.Background(), ev, users...); err != nil {
		t.Fatal(err)
	}
}

func TestDeliverOnlyToTheAddressedUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		h, srv := start(t, db)
		carlos := connect(t, srv, 1, "")
		carlos2 := connect(t, srv, 1, "") // a second tab
		lisa := connect(t, srv, 2, "")

		publish(t, h, live.Event{Type: "message.new", Topic: "thread:42", Payload: map[string]any{"badges": map[string]int{"messages": 3}}}, 1)
		for _, c := range []*client{carlos, carlos2} {
			m := c.next()
			if m.Type != "message.new" || m.Topic != "thread:42" || string(m.Payload) != `{"badges":{"messages":3}}` {
				t.Fatalf("got %+v", m)
			}
		}
		lisa.quiet(100 * time.Millisecond)

		publish(t, h, live.Event{Type: "notice"}, 2)
		if m := lisa.next(); m.Type != "notice" || string(m.Payload) != "null" {
			t.Fatalf("lisa got %+v", m)
		}
		carlos.quiet(50 * time.Millisecond)
	})
}

func TestPublishRejects(t *testing.T) {
	db := storetest.Open(t)
	h := live.New(db)
	ctx := context.Background()
	for name, ev := range map[string]live.Event{
		"no type":     {Topic: "thread:1"},
		"big payload": {Type: "x", Payload: make([]byte, live.MaxPayload)},
		"not JSON":    {Type: "x", Payload: func() {}},
	} {
		if err := h.Publish(ctx, ev, 1); err == nil {
			t.Errorf("%s: published", name)
		}
	}
	// Nobody to tell is not an error, and one user named twice gets one event.
	if err := h.Publish(ctx, live.Event{Type: "x"}); err != nil {
		t.Fatal(err)
	}
	if err := h.Publish(ctx, live.Event{Type: "x"}, 7, 7); err != nil {
		t.Fatal(err)
	}
	n, err := db.NewSelect().Table("live_events").Count(ctx)
	if err != nil || n != 1 {
		t.Fatalf("%d rows, %v", n, err)
	}
}

func TestReplayAfterLastEventID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		h, srv := start(t, db)
		c := connect(t, srv, 1, "")
		var ids []int64
		for i := range 2 {
			publish(t, h, live.Event{Type: "n", Topic: strconv.Itoa(i)}, 1)
			ids = append(ids, c.next().ID)
		}
		c.close()
		// Missed while away: two for this user, one for another.
		publish(t, h, live.Event{Type: "n", Topic: "2"}, 1)
		publish(t, h, live.Event{Type: "n", Topic: "other"}, 2)
		publish(t, h, live.Event{Type: "n", Topic: "3"}, 1)

		for _, how := range []string{"header", "query"} {
			var c *client
			if how == "header" {
				c = connect(t, srv, 1, strconv.FormatInt(ids[0], 10))
			} else {
				req, _ := http.NewRequest("GET", fmt.Sprintf("%s/events?user=1&lastEventId=%d", srv.URL, ids[0]), nil)
				c = open(t, req)
			}
			var got []string
			for range 3 {
				got = append(got, c.next().Topic)
			}
			if !slices.Equal(got, []string{"1", "2", "3"}) {
				t.Fatalf("%s: replayed %v", how, got)
			}
			c.quiet(50 * time.Millisecond)
			c.close()
		}

		// A page that reconnects after the last one gets what comes next.
		c = connect(t, srv, 1, "")
		publish(t, h, live.Event{Type: "n", Topic: "4"}, 1)
		if m := c.next(); m.Topic != "4" {
			t.Fatalf("got %+v", m)
		}
	})
}

// Pages that keep reconnecting while events pour in get every event once:
// the ones missed from the table, the rest live, none twice.
func TestReconnectingWhilePublishingLosesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		h, srv := start(t, db)
		const total = 60
		c := connect(t, srv, 1, "")
		// The first half is published, then the rest once the server has
		// ended the page's stream.
		half := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range total {
				if i == total/2 {
					<-half
				}
				if err := h.Publish(context.Background(), live.Event{Type: "n", Topic: strconv.Itoa(i)}, 1, 2); err != nil {
					t.Error(err)
					return
				}
			}
		}()
		var got []string
		var last int64
		var ended, reconnected int
		for len(got) < total {
			m, ok := c.nextOrEnd()
			if !ok {
				// The hub ended the stream (it fell behind while
				// replaying, on a busy machine): a browser reconnects
				// from the last id it saw, and so does this page.
				c = connect(t, srv, 1, strconv.FormatInt(last, 10))
				reconnected++
				continue
			}
			if m.ID <= last {
				t.Fatalf("id %d after %d", m.ID, last)
			}
			last = m.ID
			got = append(got, m.Topic)
			switch {
			case len(got) == total/2:
				// The server ends a stream too (a user disconnected,
				// a stream that fell behind); the page comes back.
				h.Disconnect(1)
				c.ended()
				ended++
				close(half)
			case len(got)%7 == 0:
				c.close()
				c = connect(t, srv, 1, strconv.FormatInt(last, 10))
			}
		}
		wg.Wait()
		if reconnected < ended {
			t.Fatalf("the server ended the stream %d times; the page came back %d times", ended, reconnected)
		}
		for i, topic := range got {
			if topic != strconv.Itoa(i) {
				t.Fatalf("event %d is %s: %v", i, topic, got)
			}
		}
		c.quiet(50 * time.Millisecond)
	})
}

func TestPrune(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		now := time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)
		h := live.New(db, live.WithClock(func() time.Time { return now }), live.WithRetention(24*time.Hour))
		ctx := context.Background()
		publish(t, h, live.Event{Type: "old"}, 1, 2)
		now = now.Add(20 * time.Hour)
		publish(t, h, live.Event{Type: "new"}, 1)
		now = now.Add(5 * time.Hour)
		h.Prune(ctx)
		var left []string
		if err := db.NewSelect().Table("live_events").Column("type").Scan(ctx, &left); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(left, []string{"new"}) {
			t.Fatalf("left %v", left)
		}
	})
}

func TestStreamEnds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		t.Run("page goes", func(t *testing.T) {
			// Noticed when the next heartbeat cannot be written.
			h, srv := start(t, db, live.WithHeartbeat(20*time.Millisecond))
			c := connect(t, srv, 1, "")
			waitFor(t, func() bool { return h.Streams() == 1 })
			c.close()
			waitFor(t, func() bool { return h.Streams() == 0 })
		})
		t.Run("hub stops", func(t *testing.T) {
			h := live.New(db)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- h.Run(ctx) }()
			srv := newServer(t, h)
			c := connect(t, srv, 1, "")
			cancel()
			c.ended()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			// A stopped hub says so to the next page.
			resp, err := http.Get(srv.URL + "/events?user=1")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusServiceUnavailable {
				t.Fatalf("after stop: %s", resp.Status)
			}
		})
		t.Run("user disconnected", func(t *testing.T) {
			h, srv := start(t, db)
			c := connect(t, srv, 1, "")
			other := connect(t, srv, 2, "")
			h.Disconnect(1)
			c.ended()
			publish(t, h, live.Event{Type: "still here"}, 2)
			other.next()
		})
		t.Run("heartbeat then maximum age", func(t *testing.T) {
			_, srv := start(t, db, live.WithHeartbeat(20*time.Millisecond), live.WithMaxAge(100*time.Millisecond))
			c := connect(t, srv, 1, "")
			select {
			case s := <-c.comments:
				if s != "ping" {
					t.Fatalf("comment %q", s)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("no heartbeat")
			}
			c.ended()
		})
	})
}

func TestStreamHeaders(t *testing.T) {
	_, srv := start(t, storetest.Open(t))
	c := connect(t, srv, 1, "")
	for k, want := range map[string]string{"Content-Type": "text/event-stream", "Cache-Control": "no-cache", "X-Accel-Buffering": "no"} {
		if got := c.resp.Header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
}

func waitFor(t testing.TB, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !ok(); {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestStreamsPerPerson: one person holds at most MaxStreams streams on a
// process; the next is refused with 429, and another person is not.
func TestStreamsPerPerson(t *testing.T) {
	db := storetest.OpenEngine(t, storetest.SQLite)
	_, srv := start(t, db)
	for range live.MaxStreams {
		connect(t, srv, 1, "")
	}
	res, err := http.Get(srv.URL + "/events?user=1")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Errorf("stream %d: %s", live.MaxStreams+1, res.Status)
	}
	connect(t, srv, 2, "") // someone else still gets one
}
