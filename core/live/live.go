// Package live sends events to the pages people have open, so that a new
// message, an unread count or "there is something new here" shows without a
// reload. A capability calls [Hub.Publish] after its transaction commits; the
// web layer serves each signed-in page's [Hub.Stream] (Server-Sent Events);
// the serve command runs [Hub.Run] once per process.
//
// # Events on the wire
//
// Every event is an unnamed SSE event (so EventSource's onmessage sees them
// all) whose data is one JSON object:
//
//	id: 1234
//	data: {"type":"message.new","topic":"thread:42","payload":{"badges":{"messages":3}}}
//
// type says what happened; topic names what a page may be showing ("thread:42":
// a page showing thread 42 refreshes that part); payload is small and free
// form, with one convention the theme's script understands: "badges" maps a
// badge name to its count. The stream opens with a retry hint and a comment,
// and sends a comment (": ping") every heartbeat so proxies keep it open.
//
// # Delivery, across processes
//
// Publish stores one row per recipient in live_events and wakes every
// process: in process on SQLite (one process), with pg_notify on PostgreSQL,
// which every Hub hears on a dedicated connection ([WithDatabaseURL]). The
// notification carries nothing: each process's dispatcher reads the rows
// after the last one it dispatched and hands each to the streams of its user
// in that process. A notification lost while the listener reconnects costs
// nothing but time: the dispatcher also looks on its own every poll
// interval and right after the listener reconnects.
//
// # Event ids, and why one may wait
//
// An event's SSE id is its row id, and a reconnecting page (Last-Event-ID)
// is sent its user's rows after that id. That is only right if a page never
// sees id 7 before id 6. On PostgreSQL ids are taken when a row is inserted
// but become visible when its transaction commits, so 7 may be visible
// before 6. The dispatcher therefore dispatches ids strictly in order: when
// it sees a missing id it holds the rows after it back and looks again every
// few milliseconds (a commit's notification also wakes it). A commit in
// flight fills the hole within milliseconds. An id that never appears (its
// insert was rolled back, or the sequence skipped ahead after a crash) is
// given up after a few seconds, and the rows behind it are dispatched. So
// nothing is delivered twice, nothing committed within the wait is lost, and
// the price is that a rolled-back publish delays live delivery by the wait.
// Two alternatives were weighed: dispatching out of order would make a
// page's position a set of ids instead of one number, and reading only rows
// older than the database's oldest open transaction (pg_snapshot_xmin) would
// stall every page behind any long transaction anywhere in the database.
// Publish is one short transaction of its own, which keeps holes short; that
// is also why there is no publish inside a caller's transaction.
//
// A page that connects without an id gets what happens from then on; one
// that reconnects with an id older than the retention gets what is left.
//
// # Who may listen
//
// Stream serves whoever the caller says: the caller authenticates the request
// and passes the user's id. Because a stream outlives the request that
// opened it, a signed-out or deactivated user's open stream would go on
// receiving events; two things bound that. Every stream ends after a maximum
// age ([WithMaxAge], ten minutes by default), and the browser's reconnect is
// a new request that is authenticated again (and fails for a revoked
// session) while Last-Event-ID makes sure nothing is missed in between.
// And [Hub.Disconnect] ends a user's streams in this process at once (call
// it when deactivating someone or signing them out everywhere).
package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/atriumhq/atrium/core/store"
	"github.com/uptrace/bun"
)

// Event is something that happened that open pages should hear about.
type Event struct {
	// Type says what happened ("message.new").
	Type string
	// Topic names what a page may be showing that is now out of date
	// ("thread:42"); empty when no part of a page needs to refresh.
	Topic string
	// Payload is marshalled to JSON and must stay under [MaxPayload] bytes:
	// it is stored once per recipient. By convention {"badges": {"messages":
	// 3}} sets badge counts.
	Payload any
}

// MaxPayload is the largest payload, in bytes of JSON, that Publish takes.
// Events say that something changed and what the counts are; the page
// fetches the content itself.
const MaxPayload = 4 << 10

// channel is the PostgreSQL notification channel every Hub listens on.
const channel = "atrium_live"

// event is one stored row: one event for one recipient.
type event struct {
	bun.BaseModel `bun:"table:live_events"`

	ID        int64     `bun:"id,pk,autoincrement"`
	UserID    int64     `bun:"user_id"`
	Type      string    `bun:"type"`
	Topic     string    `bun:"topic"`
	Data      string    `bun:"data"`
	CreatedAt time.Time `bun:"created_at"`
}

// Hub stores published events and streams them to the open pages of this
// process. One Hub per process; its Run must be running for streams to work.
type Hub struct {
	db        *bun.DB
	pg        bool
	log       *slog.Logger
	now       func() time.Time
	retention time.Duration
	heartbeat time.Duration
	maxAge    time.Duration
	poll      time.Duration
	dbURL     string
	// gapWait is how long a missing id holds back the ids after it.
	gapWait time.Duration
	// recheck is how often the dispatcher looks again while an id is missing.
	recheck time.Duration

	wake    chan struct{}
	runCtx  context.Context // Run's, for the streams it owns
	ready   chan struct{}   // closed once Run knows where to start
	stopped chan struct{}   // closed when Run returns

	mu      sync.Mutex
	running bool
	next    int64 // the first id not yet dispatched
	subs    map[int64]map[*subscriber]struct{}

	// The missing id the dispatcher waits for, and since when; only the
	// dispatcher touches them.
	hole      int64
	holeSince time.Time
}

// Option configures a Hub.
type Option func(*Hub)

// WithLogger sets where the hub logs failures.
func WithLogger(l *slog.Logger) Option { return func(h *Hub) { h.log = l } }

// WithClock sets the clock that stamps and prunes events (tests).
func WithClock(now func() time.Time) Option { return func(h *Hub) { h.now = now } }

// WithRetention sets how long events are kept for pages that reconnect
// (24 hours by default).
func WithRetention(d time.Duration) Option { return func(h *Hub) { h.retention = d } }

// WithDatabaseURL gives the PostgreSQL URL the hub opens its own listening
// connection with (LISTEN needs a connection of its own, outside the pool).
// Without it, a hub on PostgreSQL hears other processes only by polling.
func WithDatabaseURL(url string) Option { return func(h *Hub) { h.dbURL = url } }

// WithHeartbeat sets how often an idle stream sends a comment (25 s by
// default), under the idle timeouts of proxies and load balancers.
func WithHeartbeat(d time.Duration) Option { return func(h *Hub) { h.heartbeat = d } }

// WithMaxAge sets how long a stream lives before the browser must reconnect
// and so authenticate again (10 minutes by default, give or take a tenth so
// that pages do not all come back at once).
func WithMaxAge(d time.Duration) Option { return func(h *Hub) { h.maxAge = d } }

// WithPoll sets how often the dispatcher looks for events without being
// woken (5 s by default): the safety net behind notifications, and the only
// way across processes on PostgreSQL without [WithDatabaseURL].
func WithPoll(d time.Duration) Option { return func(h *Hub) { h.poll = d } }

// New returns a hub on db, which must have the portal's migrations applied.
func New(db *bun.DB, opts ...Option) *Hub {
	h := &Hub{
		db:        db,
		pg:        store.IsPostgres(db),
		log:       slog.Default(),
		now:       func() time.Time { return time.Now().UTC() },
		retention: 24 * time.Hour,
		heartbeat: 25 * time.Second,
		maxAge:    10 * time.Minute,
		poll:      5 * time.Second,
		gapWait:   3 * time.Second,
		recheck:   10 * time.Millisecond,
		wake:      make(chan struct{}, 1),
		ready:     make(chan struct{}),
		stopped:   make(chan struct{}),
		subs:      map[int64]map[*subscriber]struct{}{},
	}
	for _, o := range opts {
		o(h)
	}
	return h
}

// publishChunk bounds the rows of one INSERT statement.
const publishChunk = 1000

// Push publishes one event to one person with their new badge counts
// ({"badges": {"messages": 3}}), the shape the portal's pages read: what
// a capability such as Messages tells open pages after a change.
func (h *Hub) Push(ctx context.Context, userID int64, kind, topic string, badges map[string]int) error {
	return h.Publish(ctx, Event{Type: kind, Topic: topic, Payload: map[string]any{"badges": badges}}, userID)
}

// Publish stores ev for each of users and wakes every process's dispatcher.
// Call it after the transaction that made the change commits, so that a
// page refreshing on the event sees the change. Duplicate users get one
// event.
func (h *Hub) Publish(ctx context.Context, ev Event, users ...int64) error {
	if ev.Type == "" {
		return errors.New("publish live event: no type")
	}
	data, err := json.Marshal(ev.Payload)
	if err != nil {
		return fmt.Errorf("publish live event %s: payload: %w", ev.Type, err)
	}
	if len(data) > MaxPayload {
		return fmt.Errorf("publish live event %s: payload is %d bytes, more than %d", ev.Type, len(data), MaxPayload)
	}
	users = slices.Clone(users)
	slices.Sort(users)
	users = slices.Compact(users)
	if len(users) == 0 {
		return nil
	}
	now := h.now().UTC()
	rows := make([]event, len(users))
	for i, u := range users {
		rows[i] = event{UserID: u, Type: ev.Type, Topic: ev.Topic, Data: string(data), CreatedAt: now}
	}
	err = h.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for chunk := range slices.Chunk(rows, publishChunk) {
			if _, err := tx.NewInsert().Model(&chunk).Exec(ctx); err != nil {
				return err
			}
		}
		if h.pg {
			// Delivered to every listener when the transaction commits.
			if _, err := tx.ExecContext(ctx, "SELECT pg_notify(?, '')", channel); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("publish live event %s to %d users: %w", ev.Type, len(users), err)
	}
	h.poke()
	return nil
}

// MaxStreams is how many streams one person may hold open on one process.
const MaxStreams = 16

// streamsOf counts a person's open streams in this process.
func (h *Hub) streamsOf(userID int64) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs[userID])
}

// Disconnect ends the streams of userID in this process now, for someone
// deactivated or signed out everywhere; the browser's reconnect is then
// authenticated again.
func (h *Hub) Disconnect(userID int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs[userID] {
		h.drop(s)
	}
}

// poke wakes the dispatcher; a wake already pending covers this one.
func (h *Hub) poke() {
	select {
	case h.wake <- struct{}{}:
	default:
	}
}
