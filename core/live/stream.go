package live

import (
	"bytes"
	"context"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"time"

	sse "github.com/tmaxmax/go-sse"
)

// replayPage bounds the rows a reconnecting stream reads at a time.
const replayPage = 500

// writeWait is how long one write to a page may take before the stream is
// given up: a page that reads nothing must not hold a connection forever.
const writeWait = 15 * time.Second

// retry is the reconnect delay the stream suggests to the browser.
const retry = 3 * time.Second

// Stream serves one page's event stream for userID, whom the caller has
// authenticated: first the user's events after the page's Last-Event-ID
// (the header, or a lastEventId query parameter for a reconnect that lost
// it), then events as they happen, with a heartbeat comment while idle. The
// stream ends when the page goes, it reaches its maximum age, the user is
// disconnected, or the hub stops. Headers the caller set on w are sent.
//
// On HTTP/1.x, Stream takes the connection over and returns at once (see
// rawConn); the stream then lives on in the hub, not in the request: the
// caller's middleware must not count on it ending with the handler, and
// http.Server.Shutdown does not wait for it (stopping the hub ends it). On
// HTTP/2 it returns when the stream ends.
func (h *Hub) Stream(w http.ResponseWriter, r *http.Request, userID int64) {
	ctx := r.Context()
	select {
	case <-h.ready:
	case <-h.stopped:
	case <-ctx.Done():
		return
	}
	select {
	case <-h.stopped:
		http.Error(w, "Live updates are not available.", http.StatusServiceUnavailable)
		return
	default:
	}
	if h.streamsOf(userID) >= MaxStreams {
		// Tabs and devices, not thousands: each stream holds a connection
		// and may replay a day of events.
		w.Header().Set("Retry-After", "30")
		http.Error(w, "Too many live connections are open for you; close some tabs.", http.StatusTooManyRequests)
		return
	}
	last, resume := lastEventID(r)
	hdr := w.Header()
	hdr.Set("Content-Type", "text/event-stream")
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream

	if conn := hijack(w, r); conn != nil {
		// The connection is the stream's now: net/http's goroutine,
		// buffers and request go, and one small goroutine stays.
		sub, cut := h.subscribe(userID)
		go func() {
			defer conn.Close()
			defer h.unsubscribe(sub)
			h.follow(h.runCtx, userID, sub, cut, last, resume, conn.send)
		}()
		return
	}

	sess, err := sse.Upgrade(w, r)
	if err != nil {
		http.Error(w, "Live updates are not available.", http.StatusInternalServerError)
		return
	}
	sub, cut := h.subscribe(userID)
	defer h.unsubscribe(sub)
	rc := http.NewResponseController(w)
	send := func(msgs ...*sse.Message) bool {
		// The server's write timeout is for downloads; a stream moves the
		// deadline with every write instead.
		_ = rc.SetWriteDeadline(time.Now().Add(writeWait))
		for _, m := range msgs {
			if err := sess.Send(m); err != nil {
				return false
			}
		}
		return sess.Flush() == nil
	}
	h.follow(ctx, userID, sub, cut, last, resume, send)
}

// follow sends a subscribed stream what it missed, then what happens, until
// it ends.
func (h *Hub) follow(ctx context.Context, userID int64, sub *subscriber, cut, last int64, resume bool, send func(...*sse.Message) bool) {
	hello := &sse.Message{Retry: retry}
	hello.AppendComment("live")
	if !send(hello) {
		return
	}
	// Rows before cut were dispatched before this stream subscribed: a
	// reconnecting page reads the ones it missed from the table; the rest
	// come live, so none comes twice.
	if !resume {
		last = cut - 1
	}
	for last < cut-1 {
		var rows []event
		err := h.db.NewSelect().Model(&rows).
			Where("user_id = ? AND id > ? AND id < ?", userID, last, cut).
			OrderExpr("id").Limit(replayPage).Scan(ctx)
		if err != nil {
			if ctx.Err() == nil {
				h.log.Warn("live: replay events", "user", userID, "after", last, "error", err)
			}
			return
		}
		msgs := make([]*sse.Message, len(rows))
		for i, row := range rows {
			msgs[i] = encode(row)
		}
		if len(msgs) > 0 && !send(msgs...) {
			return
		}
		if len(rows) < replayPage {
			break
		}
		last = rows[len(rows)-1].ID
	}
	last = max(last, cut-1)

	ping := &sse.Message{}
	ping.AppendComment("ping")
	heartbeat := time.NewTicker(h.heartbeat)
	defer heartbeat.Stop()
	// Streams end at different times so that reconnects spread out.
	end := time.Now().Add(h.maxAge - h.maxAge/10 + rand.N(h.maxAge/5+1))
	var batch []*sse.Message
	for {
		select {
		case <-ctx.Done():
			return
		case <-h.stopped:
			return
		case <-sub.gone:
			return
		case <-heartbeat.C:
			if time.Now().After(end) || !send(ping) {
				return
			}
		case it := <-sub.ch:
			batch = batch[:0]
			for more := true; more; {
				// A page that reconnected here from a process further
				// ahead has seen these already.
				if it.id > last {
					batch = append(batch, it.msg)
					last = it.id
				}
				select {
				case it = <-sub.ch:
				default:
					more = false
				}
			}
			if len(batch) > 0 && !send(batch...) {
				return
			}
		}
	}
}

// lastEventID reads where a reconnecting page left off.
func lastEventID(r *http.Request) (int64, bool) {
	v := r.Header.Get("Last-Event-ID")
	if v == "" {
		v = r.URL.Query().Get("lastEventId")
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 0 {
		return 0, false
	}
	return id, true
}

// rawConn is a stream on a connection taken over from net/http.
//
// net/http keeps, for every open response, a 4 KB read buffer, a 4 KB and a
// 2 KB write buffer, the request, and a goroutine whose stack has grown to
// 8 KB while it parsed the request, plus a second goroutine watching for
// the client to go: about 24 KB for a stream that sends a few bytes a
// minute (measured by TestIdleMemory). Taking the connection over leaves
// the socket, the subscription and one goroutine waiting on a channel. The
// HTTP of it is one response head and a body that ends when the connection
// closes; go-sse still writes every event.
//
// A page that goes is noticed at the next heartbeat, whose write fails.
type rawConn struct {
	c net.Conn
}

// hijack takes over an HTTP/1.x connection and writes the response head
// (with every header set so far, the caller's included), or returns nil when
// the connection cannot be taken over (HTTP/2, or a writer that does not
// let go), and the stream is served through net/http.
func hijack(w http.ResponseWriter, r *http.Request) *rawConn {
	if r.ProtoMajor != 1 {
		return nil
	}
	c, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return nil
	}
	// net/http's deadlines (its read and write timeouts) no longer apply;
	// every write sets its own.
	_ = c.SetDeadline(time.Time{})
	var head bytes.Buffer
	head.WriteString("HTTP/1.1 200 OK\r\n")
	hdr := w.Header().Clone()
	hdr.Set("Connection", "close")
	hdr.Del("Content-Length")
	_ = hdr.Write(&head)
	head.WriteString("\r\n")
	_ = c.SetWriteDeadline(time.Now().Add(writeWait))
	if _, err := c.Write(head.Bytes()); err != nil {
		c.Close()
		return nil
	}
	return &rawConn{c: c}
}

func (rc *rawConn) send(msgs ...*sse.Message) bool {
	// A buffer per write rather than one kept per connection: writes are
	// rare, idle connections many.
	var buf bytes.Buffer
	for _, m := range msgs {
		_, _ = m.WriteTo(&buf)
	}
	_ = rc.c.SetWriteDeadline(time.Now().Add(writeWait))
	_, err := rc.c.Write(buf.Bytes())
	return err == nil
}

func (rc *rawConn) Close() error { return rc.c.Close() }
