package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"

	"github.com/uptrace/bun"
)

// RunInTx runs fn in a write transaction on db and returns when that
// transaction is committed, or with the error that kept it from being.
//
// On SQLite one connection writes at a time and, with synchronous FULL,
// every commit waits for the disk to flush the log: a few milliseconds,
// far more than the work of a typical write. Writes that arrive while one
// commits therefore queue inside the process (not in SQLite's busy
// handler, which sleeps between tries), and the first of them then runs
// the whole queue as a group: one transaction, each fn in a savepoint of
// its own, one commit and one flush for all (group commit). The group
// keeps each write's own outcome:
//   - a fn that returns an error, or panics, is rolled back to its
//     savepoint alone; its caller gets the error (or the panic), the
//     others commit;
//   - when the transaction as a whole fails (its commit, or an error that
//     ends it), every caller in the group gets an error and none of the
//     group's writes is stored;
//   - a caller is answered only after the commit that holds its write, so
//     an acknowledged write is as durable as with db.RunInTx.
//
// fn may run on another caller's goroutine, and must write through tx only.
// Its ctx carries the caller's values but, once fn has started, not its
// cancellation: interrupting a statement would roll back the whole group,
// so a started write finishes with its group. A caller whose ctx ends while
// it still waits in the queue is taken out of it and gets ctx.Err(). A call
// made from inside fn with db joins fn's transaction instead of waiting for
// a group that cannot start before fn returns. What must happen only once
// the write is committed (waking a worker, dropping a cache) fn hands to
// [AfterCommit].
//
// On PostgreSQL, on a transaction, or on a database not opened by [Open],
// RunInTx is db.RunInTx: PostgreSQL runs concurrent writers and groups
// their flushes itself.
func RunInTx(ctx context.Context, db bun.IDB, fn func(ctx context.Context, tx bun.Tx) error) error {
	d, ok := db.(*bun.DB)
	if !ok {
		return db.RunInTx(ctx, nil, fn)
	}
	if in, ok := ctx.Value(writeTxKey{}).(writeTx); ok && in.db == d.DB {
		// The inner write's hooks wait for the outer commit, and are
		// dropped with the inner write when it fails.
		var after []func()
		if err := in.tx.RunInTx(ctx, nil, func(_ context.Context, tx bun.Tx) error {
			return fn(withWriteTx(ctx, d, tx, &after), tx)
		}); err != nil {
			return err
		}
		*in.after = append(*in.after, after...)
		return nil
	}
	var after []func()
	var err error
	if c, ok := d.DB.Driver().(*sqliteConnector); ok {
		err = c.writes.run(ctx, d, fn, &after)
	} else {
		err = d.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return fn(withWriteTx(ctx, d, tx, &after), tx)
		})
	}
	if err != nil {
		return err
	}
	for _, h := range after {
		h()
	}
	return nil
}

// AfterCommit runs h once the write ctx belongs to is committed, and
// never if it is not; outside a write ([RunInTx]'s fn) it runs h now.
// It is for what the database cannot take back: waking a worker to read
// the new rows, dropping a cached count, telling a browser.
func AfterCommit(ctx context.Context, h func()) {
	if in, ok := ctx.Value(writeTxKey{}).(writeTx); ok {
		*in.after = append(*in.after, h)
		return
	}
	h()
}

// writeTxKey marks the ctx a fn of [RunInTx] runs with: it carries the
// transaction, which a nested call on the same database joins.
type writeTxKey struct{}

type writeTx struct {
	db    *sql.DB
	tx    bun.Tx
	after *[]func() // the write's [AfterCommit] hooks
}

func withWriteTx(ctx context.Context, db *bun.DB, tx bun.Tx, after *[]func()) context.Context {
	return context.WithValue(ctx, writeTxKey{}, writeTx{db: db.DB, tx: tx, after: after})
}

// sqliteConnector opens the connections of one SQLite database and carries
// its write queue, so that [RunInTx] finds the queue from the *bun.DB alone
// and two databases never share one. It is its own driver.Driver, which is
// what database/sql hands back from (*sql.DB).Driver.
type sqliteConnector struct {
	driver.Connector
	writes *writeQueue
}

// Driver returns c: (*sql.DB).Driver is how [RunInTx] finds the queue.
func (c *sqliteConnector) Driver() driver.Driver { return c }

// Open opens a connection as the wrapped driver does.
func (c *sqliteConnector) Open(name string) (driver.Conn, error) {
	return c.Connector.Driver().Open(name)
}

// maxGroup bounds how many writes one transaction holds, so that a long
// queue is committed in a few steps rather than keeping every caller until
// the last write of a huge group has run.
const maxGroup = 64

// writeQueue is one SQLite database's queue of writes waiting to be
// committed. At most one caller, the leader, runs a group at a time; when it
// is done it hands the lead to the first write still waiting.
type writeQueue struct {
	mu      sync.Mutex
	waiting []*write
	busy    bool   // a leader is running a group or about to
	next    *write // the waiting write that has been made leader
}

// write is one caller's fn and, once its group is done, its outcome.
type write struct {
	ctx   context.Context
	fn    func(ctx context.Context, tx bun.Tx) error
	after *[]func()
	// wake receives true when this caller is to lead the next group, false
	// when its outcome below is set.
	wake     chan bool
	err      error
	panicked any
	didPanic bool
}

func (q *writeQueue) run(ctx context.Context, db *bun.DB, fn func(ctx context.Context, tx bun.Tx) error, after *[]func()) error {
	w := &write{ctx: ctx, fn: fn, after: after, wake: make(chan bool, 1)}
	q.mu.Lock()
	q.waiting = append(q.waiting, w)
	lead := !q.busy
	q.busy = true
	q.mu.Unlock()
	if !lead {
		select {
		case lead = <-w.wake:
		case <-ctx.Done():
			if q.withdraw(w) {
				return ctx.Err()
			}
			lead = <-w.wake
		}
	}
	if lead {
		q.lead(db, w)
	}
	if w.didPanic {
		panic(w.panicked)
	}
	return w.err
}

// withdraw takes w out of the queue unless it is already in a group or
// leads the next one.
func (q *writeQueue) withdraw(w *write) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.next == w {
		return false
	}
	for i, x := range q.waiting {
		if x == w {
			q.waiting = append(q.waiting[:i:i], q.waiting[i+1:]...)
			return true
		}
	}
	return false
}

// lead runs the writes at the head of the queue (self among them) as one
// group, hands the lead on, and answers the others.
func (q *writeQueue) lead(db *bun.DB, self *write) {
	q.mu.Lock()
	n := min(len(q.waiting), maxGroup)
	group := append([]*write(nil), q.waiting[:n]...)
	q.waiting = append(q.waiting[:0:0], q.waiting[n:]...)
	q.next = nil
	q.mu.Unlock()

	func() {
		// A panic outside the writes' own code (in the driver, say)
		// must still answer the group and hand the lead on: the callers
		// waiting behind it would wait for ever.
		defer func() {
			if p := recover(); p != nil {
				for _, w := range group {
					if w.err == nil && !w.didPanic {
						w.err = fmt.Errorf("commit writes: %v", p)
					}
				}
			}
		}()
		commitGroup(db, group)
	}()

	q.mu.Lock()
	if len(q.waiting) > 0 {
		q.next = q.waiting[0]
		q.next.wake <- true
	} else {
		q.busy = false
	}
	q.mu.Unlock()
	for _, w := range group {
		if w != self {
			w.wake <- false
		}
	}
}

// commitGroup runs group in one transaction and sets each write's outcome.
func commitGroup(db *bun.DB, group []*write) {
	// The transaction belongs to no single caller: no caller's
	// cancellation may roll back the others' writes.
	ctx := context.WithoutCancel(group[0].ctx)
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if len(group) == 1 {
			// Alone, a write needs no savepoint: its error rolls back
			// the transaction, which holds nothing else.
			w := group[0]
			if err := w.ctx.Err(); err != nil {
				w.err = err
				return err
			}
			call(db, tx, w)
			if w.didPanic {
				return errPanicked
			}
			return w.err
		}
		for _, w := range group {
			if err := w.ctx.Err(); err != nil {
				w.err = err
				continue
			}
			if err := inSavepoint(ctx, db, tx, w); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		return
	}
	for _, w := range group {
		if w.err == nil && !w.didPanic {
			w.err = fmt.Errorf("commit writes: %w", err)
		}
	}
}

// errPanicked rolls back a transaction whose only write panicked; its
// caller gets the panic, never this error.
var errPanicked = errors.New("write panicked")

// inSavepoint runs w in a savepoint of the group's transaction. It returns
// an error only when the transaction itself can no longer be used, which
// fails the whole group.
func inSavepoint(ctx context.Context, db *bun.DB, tx bun.Tx, w *write) error {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT grouped_write"); err != nil {
		return fmt.Errorf("open savepoint: %w", err)
	}
	call(db, tx, w)
	if w.err != nil || w.didPanic {
		// SQLite ends the whole transaction on some errors (a full disk,
		// an I/O error): then the savepoint is gone and so are the
		// group's earlier writes.
		if _, err := tx.ExecContext(ctx, "ROLLBACK TO grouped_write"); err != nil {
			return fmt.Errorf("roll back a failed write: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, "RELEASE grouped_write"); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	return nil
}

// call runs w.fn on tx and keeps its error or panic for its caller.
func call(db *bun.DB, tx bun.Tx, w *write) {
	defer func() {
		if p := recover(); p != nil {
			w.panicked, w.didPanic = p, true
		}
	}()
	ctx := withWriteTx(context.WithoutCancel(w.ctx), db, tx, w.after)
	w.err = w.fn(ctx, tx)
}
