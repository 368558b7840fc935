package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	sse "github.com/tmaxmax/go-sse"
)

// dispatchBatch bounds the rows the dispatcher reads at a time.
const dispatchBatch = 2000

// pruneEvery is how often Run deletes events past the retention.
const pruneEvery = 10 * time.Minute

// subscriber is one open stream, waiting for its user's events.
type subscriber struct {
	user int64
	// ch carries dispatched events in id order. When a stream falls this
	// far behind, it is dropped rather than letting it hold up the others:
	// the browser reconnects and is sent the rest from the table.
	ch chan item
	// gone is closed when the stream is dropped.
	gone    chan struct{}
	dropped bool
}

// subscriberBuffer is how many events a stream may have waiting.
const subscriberBuffer = 32

type item struct {
	id  int64
	msg *sse.Message
}

// Run dispatches events to this process's streams, listens for other
// processes' events on PostgreSQL and prunes old events, until ctx ends;
// then every stream of this hub ends too. Start it once per process.
func (h *Hub) Run(ctx context.Context) error {
	h.mu.Lock()
	if h.running {
		h.mu.Unlock()
		return errors.New("live hub: Run called twice")
	}
	h.running = true
	h.mu.Unlock()
	defer close(h.stopped)

	// Events before this moment are for reconnecting pages; live delivery
	// starts after the newest one.
	var last int64
	if err := h.db.NewSelect().Model((*event)(nil)).ColumnExpr("COALESCE(MAX(id), 0)").Scan(ctx, &last); err != nil {
		return fmt.Errorf("live hub: find the newest event: %w", err)
	}
	h.mu.Lock()
	h.next = last + 1
	h.mu.Unlock()
	h.runCtx = ctx
	close(h.ready)

	if h.pg && h.dbURL != "" {
		go h.listen(ctx)
	}
	h.prune(ctx)
	pruneTick := time.NewTicker(pruneEvery)
	defer pruneTick.Stop()
	look := time.NewTimer(h.poll)
	defer look.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-pruneTick.C:
			h.prune(ctx)
			continue
		case <-h.wake:
		case <-look.C:
		}
		if err := h.dispatch(ctx); err != nil && ctx.Err() == nil {
			h.log.Warn("live: dispatch events", "error", err)
		}
		wait := h.poll
		if h.hole != 0 {
			wait = h.recheck
		}
		look.Reset(wait)
	}
}

// dispatch reads the events after the last one dispatched and hands them to
// their users' streams, strictly in id order (see the package comment).
func (h *Hub) dispatch(ctx context.Context) error {
	for {
		h.mu.Lock()
		next := h.next
		h.mu.Unlock()
		var rows []event
		err := h.db.NewSelect().Model(&rows).Where("id >= ?", next).OrderExpr("id").Limit(dispatchBatch).Scan(ctx)
		if err != nil {
			return fmt.Errorf("read events from %d: %w", next, err)
		}
		n := 0
		for _, r := range rows {
			if r.ID > next {
				if h.hole != next {
					h.hole, h.holeSince = next, time.Now()
				}
				if time.Since(h.holeSince) < h.gapWait {
					break
				}
				h.log.Warn("live: gave up waiting for events", "from", next, "to", r.ID-1)
			}
			next = r.ID + 1
			n++
		}
		if h.hole != 0 && h.hole < next {
			h.hole = 0
		}
		h.deliver(rows[:n], next)
		if len(rows) < dispatchBatch || n < len(rows) {
			return nil
		}
	}
}

// deliver hands rows to their streams and moves the dispatcher past them,
// in one step under the lock, so that a stream that subscribes gets each
// event either from the table (up to next) or live (from next on).
func (h *Hub) deliver(rows []event, next int64) {
	msgs := make([]*sse.Message, len(rows))
	for i, r := range rows {
		msgs[i] = encode(r)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for i, r := range rows {
		for s := range h.subs[r.UserID] {
			select {
			case s.ch <- item{id: r.ID, msg: msgs[i]}:
			default:
				h.drop(s)
			}
		}
	}
	h.next = next
}

// wire is an event's data on the wire.
type wire struct {
	Type    string          `json:"type"`
	Topic   string          `json:"topic,omitempty"`
	Payload json.RawMessage `json:"payload"`
}

func encode(r event) *sse.Message {
	payload := json.RawMessage(r.Data)
	if !json.Valid(payload) {
		payload = json.RawMessage("null")
	}
	data, _ := json.Marshal(wire{Type: r.Type, Topic: r.Topic, Payload: payload})
	m := &sse.Message{ID: sse.ID(strconv.FormatInt(r.ID, 10))}
	m.AppendData(string(data))
	return m
}

// subscribe registers a stream of user and returns the first id it will be
// sent live; everything before that comes from the table.
func (h *Hub) subscribe(user int64) (*subscriber, int64) {
	s := &subscriber{user: user, ch: make(chan item, subscriberBuffer), gone: make(chan struct{})}
	h.mu.Lock()
	defer h.mu.Unlock()
	m := h.subs[user]
	if m == nil {
		m = map[*subscriber]struct{}{}
		h.subs[user] = m
	}
	m[s] = struct{}{}
	return s, h.next
}

func (h *Hub) unsubscribe(s *subscriber) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.drop(s)
}

// drop ends a stream's subscription; h.mu must be held.
func (h *Hub) drop(s *subscriber) {
	if s.dropped {
		return
	}
	s.dropped = true
	close(s.gone)
	m := h.subs[s.user]
	delete(m, s)
	if len(m) == 0 {
		delete(h.subs, s.user)
	}
}

// streams counts this process's open streams.
func (h *Hub) streams() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, m := range h.subs {
		n += len(m)
	}
	return n
}

// listen wakes the dispatcher on every notification from any process,
// reconnecting with backoff when the connection fails.
func (h *Hub) listen(ctx context.Context) {
	backoff := 100 * time.Millisecond
	for {
		connected, err := h.listenOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		if connected {
			backoff = 100 * time.Millisecond
		}
		h.log.Warn("live: listen for events from other processes", "error", err, "retry", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 10*time.Second)
	}
}

func (h *Hub) listenOnce(ctx context.Context) (connected bool, err error) {
	conn, err := pgx.Connect(ctx, h.dbURL)
	if err != nil {
		return false, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+channel); err != nil {
		return false, err
	}
	// Whatever was published while nobody listened is in the table.
	h.poke()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return true, err
		}
		h.poke()
	}
}

// prune deletes events older than the retention; pages that were away
// longer start afresh.
func (h *Hub) prune(ctx context.Context) {
	res, err := h.db.NewDelete().Model((*event)(nil)).Where("created_at < ?", h.now().UTC().Add(-h.retention)).Exec(ctx)
	if err != nil {
		if ctx.Err() == nil {
			h.log.Warn("live: prune events", "error", err)
		}
		return
	}
	if n, _ := res.RowsAffected(); n > 0 {
		h.log.Debug("live: pruned events", "count", n)
	}
}
