package engagement

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"
)

// RecorderOptions tune the [Recorder]. The zero value is sensible.
type RecorderOptions struct {
	// Buffer is how many events may wait in memory (default 65536). When it
	// is full, new events are dropped and counted, never waited for.
	Buffer int
	// BatchSize is how many events one write takes at most (default 5000).
	BatchSize int
	// FlushInterval is the longest an event waits before its batch is
	// written (default 1s).
	FlushInterval time.Duration
	// MaxDelay is the oldest an event may be when written (default 2m).
	// Older times — a browser's clock, a batch held back by a database
	// outage — are moved forward to the write time minus MaxDelay, so every
	// event lands inside the rollup job's lateness window
	// ([JobOptions.Lateness] must exceed it) and is sessionized.
	MaxDelay time.Duration
	// Logger gets dropped-event warnings (at most one per 10s) and write
	// failures. Default slog.Default().
	Logger *slog.Logger
	// Now is the clock; tests replace it.
	Now func() time.Time
}

// RecorderStats are the recorder's counters since it started, for metrics.
type RecorderStats struct {
	Accepted uint64 // queued
	Written  uint64 // committed to the database
	Dropped  uint64 // not queued: buffer full, or recorder closed
	Invalid  uint64 // not queued: failed Validate
	Retimed  uint64 // written with a time moved forward (see MaxDelay)
	Failed   uint64 // queued but lost: the database refused them until Close gave up
	Queued   int    // waiting now
}

// Recorder takes events on the request path without blocking and writes them
// in batches from one background goroutine. It is safe for concurrent use.
type Recorder struct {
	db   *bun.DB
	opts RecorderOptions
	ch   chan Event

	mu     sync.RWMutex // guards closed against sends racing Close
	closed bool
	done   chan struct{} // closed by Close to stop the writer
	exited chan struct{} // closed by the writer when it returns
	stop   context.Context
	cancel context.CancelFunc

	accepted, written, dropped, invalid, retimed, failed atomic.Uint64
	lastWarn                                             atomic.Int64
}

// NewRecorder starts a recorder writing to db. Call Close on shutdown to
// write what is still queued.
func NewRecorder(db *bun.DB, opts RecorderOptions) *Recorder {
	if opts.Buffer <= 0 {
		opts.Buffer = 65536
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 5000
	}
	if opts.FlushInterval <= 0 {
		opts.FlushInterval = time.Second
	}
	if opts.MaxDelay <= 0 {
		opts.MaxDelay = 2 * time.Minute
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	r := &Recorder{db: db, opts: opts, ch: make(chan Event, opts.Buffer),
		done: make(chan struct{}), exited: make(chan struct{})}
	r.stop, r.cancel = context.WithCancel(context.Background())
	go r.run()
	return r
}

// Record queues one event. It never blocks: an invalid event, or one that
// finds the buffer full, is counted and dropped. A zero At means now.
func (r *Recorder) Record(ev Event) { r.record(ev) }

// RecordBatch queues events (a browser's beacon, already checked by the web
// layer against what the viewer may see) and returns how many were queued.
func (r *Recorder) RecordBatch(evs []Event) int {
	n := 0
	for _, ev := range evs {
		if r.record(ev) {
			n++
		}
	}
	return n
}

func (r *Recorder) record(ev Event) bool {
	if Validate(ev) != nil {
		r.invalid.Add(1)
		return false
	}
	now := r.opts.Now()
	if ev.At.IsZero() || ev.At.After(now) {
		ev.At = now
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.closed {
		r.dropped.Add(1)
		return false
	}
	select {
	case r.ch <- ev:
		r.accepted.Add(1)
		return true
	default:
		r.dropped.Add(1)
		r.warnDropped()
		return false
	}
}

// Stats returns the counters.
func (r *Recorder) Stats() RecorderStats {
	return RecorderStats{
		Accepted: r.accepted.Load(), Written: r.written.Load(), Dropped: r.dropped.Load(),
		Invalid: r.invalid.Load(), Retimed: r.retimed.Load(), Failed: r.failed.Load(), Queued: len(r.ch),
	}
}

// Close stops taking events and writes what is queued. When ctx ends first,
// it gives up and counts the rest as failed.
func (r *Recorder) Close(ctx context.Context) error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		<-r.exited
		return nil
	}
	r.closed = true
	r.mu.Unlock()
	close(r.done)
	select {
	case <-r.exited:
		return nil
	case <-ctx.Done():
		r.cancel()
		<-r.exited
		return ctx.Err()
	}
}

func (r *Recorder) warnDropped() {
	now := time.Now().UnixNano()
	last := r.lastWarn.Load()
	if now-last < int64(10*time.Second) || !r.lastWarn.CompareAndSwap(last, now) {
		return
	}
	r.opts.Logger.Warn("engagement events dropped: buffer full", "dropped_total", r.dropped.Load(), "buffer", r.opts.Buffer)
}

// run is the writer: it collects a batch until it is full or the flush
// interval passes, writes it, and on Close drains the buffer.
func (r *Recorder) run() {
	defer close(r.exited)
	defer r.cancel()
	batch := make([]Event, 0, r.opts.BatchSize)
	timer := time.NewTimer(r.opts.FlushInterval)
	defer timer.Stop()
	for {
		select {
		case ev := <-r.ch:
			batch = append(batch, ev)
			if len(batch) < r.opts.BatchSize {
				continue
			}
		case <-timer.C:
		case <-r.done:
			for {
				for len(batch) < r.opts.BatchSize {
					select {
					case ev := <-r.ch:
						batch = append(batch, ev)
						continue
					default:
					}
					break
				}
				if len(batch) == 0 {
					return
				}
				if !r.flush(batch) {
					r.failed.Add(uint64(len(batch) + len(r.ch)))
					return
				}
				batch = batch[:0]
			}
		}
		if len(batch) > 0 {
			if !r.flush(batch) {
				r.failed.Add(uint64(len(batch) + len(r.ch)))
				return
			}
			batch = batch[:0]
		}
		timer.Reset(r.opts.FlushInterval)
	}
}

// flush writes one batch, retrying with backoff while the database refuses
// it. It reports false only when the recorder is being torn down.
func (r *Recorder) flush(batch []Event) bool {
	backoff := 100 * time.Millisecond
	for {
		oldest := r.opts.Now().Add(-r.opts.MaxDelay)
		for i := range batch {
			if batch[i].At.Before(oldest) {
				batch[i].At = oldest
				r.retimed.Add(1)
			}
		}
		err := writeEvents(r.stop, r.db, batch)
		if err == nil {
			r.written.Add(uint64(len(batch)))
			return true
		}
		r.opts.Logger.Error("write engagement events; retrying", "events", len(batch), "err", err)
		select {
		case <-r.stop.Done():
			return false
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}
