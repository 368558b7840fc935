package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"
)

// openGrouped opens a SQLite database with a table to write to, and
// returns its write queue.
func openGrouped(t *testing.T) (*bun.DB, *writeQueue) {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.ExecContext(ctx, "CREATE TABLE grouped_writes (n INTEGER PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	return db, db.DB.Driver().(*sqliteConnector).writes
}

// holdQueue starts a write that blocks until the returned release is
// called, so that the writes started meanwhile queue behind it.
func holdQueue(t *testing.T, db *bun.DB) (release func()) {
	t.Helper()
	started, hold := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- RunInTx(context.Background(), db, func(ctx context.Context, tx bun.Tx) error {
			close(started)
			<-hold
			return nil
		})
	}()
	<-started
	return func() {
		close(hold)
		if err := <-done; err != nil {
			t.Errorf("holding write: %v", err)
		}
	}
}

// waitQueued waits until n writes wait in q.
func waitQueued(t *testing.T, q *writeQueue, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		q.mu.Lock()
		got := len(q.waiting)
		q.mu.Unlock()
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d writes queued, want %d", got, n)
		}
	}
}

func stored(t *testing.T, db *bun.DB) string {
	t.Helper()
	var ns []int
	if err := db.NewRaw("SELECT n FROM grouped_writes ORDER BY n").Scan(context.Background(), &ns); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(ns)
}

// TestWritesQueuedTogetherCommitTogether: writes that queue behind a
// commit run in one transaction; one of them failing leaves the others
// stored, and a caller that gives up while queued is taken out and
// stores nothing.
func TestWritesQueuedTogetherCommitTogether(t *testing.T) {
	db, q := openGrouped(t)
	release := holdQueue(t, db)
	errRefused := errors.New("refused")
	var (
		mu  sync.Mutex
		txs = map[*sql.Tx]bool{}
		wg  sync.WaitGroup
	)
	errs := make([]error, 6)
	gone, giveUp := context.WithCancel(context.Background())
	for i := range 6 {
		ctx := context.Background()
		if i == 4 {
			ctx = gone
		}
		wg.Go(func() {
			errs[i] = RunInTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
				mu.Lock()
				txs[tx.Tx] = true
				mu.Unlock()
				if _, err := tx.ExecContext(ctx, "INSERT INTO grouped_writes (n) VALUES (?)", i); err != nil {
					return err
				}
				if i == 2 {
					return errRefused
				}
				return nil
			})
		})
		waitQueued(t, q, i+1)
	}
	giveUp()
	waitQueued(t, q, 5)
	release()
	wg.Wait()
	for i, err := range errs {
		want := error(nil)
		switch i {
		case 2:
			want = errRefused
		case 4:
			want = context.Canceled
		}
		if !errors.Is(err, want) {
			t.Errorf("write %d: %v, want %v", i, err, want)
		}
	}
	if len(txs) != 1 {
		t.Errorf("the queued writes ran in %d transactions, want one", len(txs))
	}
	if got := stored(t, db); got != "[0 1 3 5]" {
		t.Errorf("stored %s, want the four successful writes", got)
	}
}

// TestGroupFailsAsAWhole: when a write ends the group's transaction, no
// write of the group is stored and every caller in it gets an error;
// writes after the group work.
func TestGroupFailsAsAWhole(t *testing.T) {
	db, q := openGrouped(t)
	release := holdQueue(t, db)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range 4 {
		wg.Go(func() {
			errs[i] = RunInTx(context.Background(), db, func(ctx context.Context, tx bun.Tx) error {
				if _, err := tx.ExecContext(ctx, "INSERT INTO grouped_writes (n) VALUES (?)", i); err != nil {
					return err
				}
				if i == 2 {
					// What SQLite does on a full disk or an I/O error.
					tx.ExecContext(ctx, "ROLLBACK") //nolint:errcheck // the point is the ended transaction
					return errors.New("disk full")
				}
				return nil
			})
		})
		waitQueued(t, q, i+1)
	}
	release()
	wg.Wait()
	for i, err := range errs {
		if err == nil {
			t.Errorf("write %d acknowledged, but its group was not committed", i)
		}
	}
	if got := stored(t, db); got != "[]" {
		t.Errorf("stored %s of a failed group, want nothing", got)
	}
	if err := RunInTx(context.Background(), db, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO grouped_writes (n) VALUES (9)")
		return err
	}); err != nil {
		t.Fatalf("write after the failed group: %v", err)
	}
	if got := stored(t, db); got != "[9]" {
		t.Errorf("stored %s, want the later write", got)
	}
}
