package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/atriumhq/atrium/core/store"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

// createWrites makes the table the write tests insert into.
func createWrites(t testing.TB, db *bun.DB) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), "CREATE TABLE grouped_writes (n INTEGER PRIMARY KEY, writer INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}
}

// TestRunInTxConcurrentWriters has 32 writers write at once, some of
// whose writes fail after inserting: every successful write is
// acknowledged and stored, every failed one is absent, and no writer
// sees the database busy.
func TestRunInTxConcurrentWriters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		createWrites(t, db)
		ctx := context.Background()
		const writers, each = 32, 25
		errRefused := errors.New("refused")
		failing := func(n int) bool { return n%7 == 3 }
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					n := w*each + i
					err := store.RunInTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
						// Two statements, the second reading the first: a
						// write sees its own rows inside the group.
						if _, err := tx.ExecContext(ctx, "INSERT INTO grouped_writes (n, writer) VALUES (?, ?)", n, w); err != nil {
							return err
						}
						var got int
						if err := tx.QueryRowContext(ctx, "SELECT writer FROM grouped_writes WHERE n = ?", n).Scan(&got); err != nil || got != w {
							return fmt.Errorf("read back %d: %d, %v", n, got, err)
						}
						if failing(n) {
							return errRefused
						}
						return nil
					})
					switch {
					case failing(n) && !errors.Is(err, errRefused):
						errs <- fmt.Errorf("write %d: err = %v, want its own error", n, err)
					case !failing(n) && err != nil:
						errs <- fmt.Errorf("write %d: %w", n, err)
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		var stored []int
		if err := db.NewRaw("SELECT n FROM grouped_writes ORDER BY n").Scan(ctx, &stored); err != nil {
			t.Fatal(err)
		}
		want := 0
		for n := range writers * each {
			if !failing(n) {
				want++
			}
		}
		if len(stored) != want {
			t.Errorf("%d rows stored, want %d", len(stored), want)
		}
		for _, n := range stored {
			if failing(n) {
				t.Errorf("row %d of a failed write is stored", n)
			}
		}
	})
}

// TestRunInTxPanicReachesItsCaller: a write that panics panics in its
// caller, stores nothing, and leaves the writes after it working.
func TestRunInTxPanicReachesItsCaller(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		createWrites(t, db)
		ctx := context.Background()
		func() {
			defer func() {
				if p := recover(); p != "boom" {
					t.Errorf("recovered %v, want the write's panic", p)
				}
			}()
			store.RunInTx(ctx, db, func(ctx context.Context, tx bun.Tx) error { //nolint:errcheck // it panics
				if _, err := tx.ExecContext(ctx, "INSERT INTO grouped_writes (n, writer) VALUES (1, 1)"); err != nil {
					return err
				}
				panic("boom")
			})
		}()
		if err := store.RunInTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO grouped_writes (n, writer) VALUES (2, 2)")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		var stored []int
		if err := db.NewRaw("SELECT n FROM grouped_writes ORDER BY n").Scan(ctx, &stored); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(stored) != "[2]" {
			t.Errorf("stored %v, want only the write after the panic", stored)
		}
	})
}

// TestRunInTxNestedJoins: a write that calls RunInTx again on the same
// database (a service calling another inside its transaction) joins the
// transaction instead of waiting for one that cannot start, and the inner
// write is undone with the outer.
func TestRunInTxNestedJoins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		createWrites(t, db)
		ctx := context.Background()
		insert := func(n int) func(ctx context.Context, tx bun.Tx) error {
			return func(ctx context.Context, tx bun.Tx) error {
				_, err := tx.ExecContext(ctx, "INSERT INTO grouped_writes (n, writer) VALUES (?, 0)", n)
				return err
			}
		}
		errOuter := errors.New("outer fails")
		for _, tc := range []struct {
			n     int
			outer error
		}{{10, nil}, {20, errOuter}} {
			err := store.RunInTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
				if err := store.RunInTx(ctx, db, insert(tc.n)); err != nil {
					return err
				}
				if err := insert(tc.n+1)(ctx, tx); err != nil {
					return err
				}
				return tc.outer
			})
			if !errors.Is(err, tc.outer) {
				t.Fatalf("write %d: %v, want %v", tc.n, err, tc.outer)
			}
		}
		var stored []int
		if err := db.NewRaw("SELECT n FROM grouped_writes ORDER BY n").Scan(ctx, &stored); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(stored) != "[10 11]" {
			t.Errorf("stored %v, want the committed write's two rows only", stored)
		}
	})
}

// TestAfterCommitWaitsForTheCommit: a hook runs once its write is
// committed (seeing the write from another connection), never for a
// write that fails, and a nested write's hook waits for the outer commit.
func TestAfterCommitWaitsForTheCommit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		createWrites(t, db)
		ctx := context.Background()
		var ran []string
		seen := func(name string, n int) func() {
			return func() {
				var c int
				if err := db.NewRaw("SELECT count(*) FROM grouped_writes WHERE n = ?", n).Scan(ctx, &c); err != nil {
					t.Error(err)
				}
				ran = append(ran, fmt.Sprintf("%s:%d", name, c))
			}
		}
		errRefused := errors.New("refused")
		for _, tc := range []struct {
			n    int
			fail error
		}{{1, nil}, {2, errRefused}} {
			before := len(ran)
			err := store.RunInTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
				if _, err := tx.ExecContext(ctx, "INSERT INTO grouped_writes (n, writer) VALUES (?, 0)", tc.n); err != nil {
					return err
				}
				store.AfterCommit(ctx, seen("outer", tc.n))
				if err := store.RunInTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
					store.AfterCommit(ctx, seen("inner", tc.n))
					return nil
				}); err != nil {
					return err
				}
				if len(ran) != before {
					t.Errorf("hooks ran inside the write: %v", ran[before:])
				}
				return tc.fail
			})
			if !errors.Is(err, tc.fail) {
				t.Fatalf("write %d: %v", tc.n, err)
			}
		}
		// Outside a write a hook runs at once.
		store.AfterCommit(ctx, func() { ran = append(ran, "alone") })
		if got := fmt.Sprint(ran); got != "[outer:1 inner:1 alone]" {
			t.Errorf("hooks ran %s, want both hooks of the committed write, after its commit, then the lone one", got)
		}
	})
}
