package live_test

import (
	"context"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/live"
	"github.com/atriumhq/atrium/core/store"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

// postgres opens n connections pools to one fresh PostgreSQL database, as n
// portal processes would, and returns its URL; it skips without PostgreSQL.
func postgres(t *testing.T, n int) ([]*bun.DB, string) {
	t.Helper()
	if storetest.Default() != storetest.Postgres {
		t.Skip(storetest.EnvPostgres + " is not set")
	}
	cfg := storetest.Config(t)
	var dbs []*bun.DB
	for range n {
		db, err := store.Open(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs = append(dbs, db)
	}
	return dbs, cfg.DatabaseURL
}

func TestTwoProcessesDeliverToEachOther(t *testing.T) {
	dbs, url := postgres(t, 3)
	// A long poll: only the notification can bring the event in time.
	a, srvA := start(t, dbs[0], live.WithDatabaseURL(url), live.WithPoll(time.Hour))
	b, srvB := start(t, dbs[1], live.WithDatabaseURL(url), live.WithPoll(time.Hour))
	onA := connect(t, srvA, 1, "")
	onB := connect(t, srvB, 1, "")
	time.Sleep(100 * time.Millisecond) // both listeners are up

	publish(t, a, live.Event{Type: "from a"}, 1)
	publish(t, b, live.Event{Type: "from b"}, 1)
	for name, c := range map[string]*client{"a": onA, "b": onB} {
		if m1, m2 := c.next(), c.next(); m1.Type != "from a" || m2.Type != "from b" || m1.ID >= m2.ID {
			t.Fatalf("on %s: %+v then %+v", name, m1, m2)
		}
	}
	// A page that moves to a process that lags behind (it hears nothing
	// and has not looked yet) is not sent again what it saw.
	c, srvC := start(t, dbs[2], live.WithPoll(time.Hour))
	connect(t, srvC, 9, "") // c has started
	publish(t, b, live.Event{Type: "seen on b"}, 1)
	seen := onB.next()
	moved := connect(t, srvC, 1, itoa(seen.ID))
	publish(t, c, live.Event{Type: "after the move"}, 1)
	if m := moved.next(); m.Type != "after the move" {
		t.Fatalf("moved page got %+v", m)
	}
	moved.quiet(100 * time.Millisecond)
}

// insertOpen stores an event for user in a transaction it leaves open, as
// a publish whose commit is slow: its id is taken now, visible later.
func insertOpen(t *testing.T, db *bun.DB, user int64, typ string) bun.Tx {
	t.Helper()
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO live_events (user_id, type, created_at) VALUES (?, ?, ?)", user, typ, time.Now().UTC())
	if err == nil {
		_, err = tx.ExecContext(ctx, "SELECT pg_notify(?, '')", live.Channel)
	}
	if err != nil {
		tx.Rollback()
		t.Fatal(err)
	}
	// A test that fails before it ends the transaction must not leave it
	// holding the schema it drops.
	t.Cleanup(func() { tx.Rollback() })
	return tx
}

func TestOutOfOrderCommitsAreNotLost(t *testing.T) {
	dbs, url := postgres(t, 1)
	db := dbs[0]
	h, srv := start(t, db, live.WithDatabaseURL(url), live.WithGapWait(time.Minute))
	c := connect(t, srv, 1, "")

	slow := insertOpen(t, db, 1, "first")
	publish(t, h, live.Event{Type: "second"}, 1)
	// The second is visible, the first not yet: the second waits.
	c.quiet(200 * time.Millisecond)
	if err := slow.Commit(); err != nil {
		t.Fatal(err)
	}
	m1, m2 := c.next(), c.next()
	if m1.Type != "first" || m2.Type != "second" || m1.ID+1 != m2.ID {
		t.Fatalf("got %+v then %+v", m1, m2)
	}

	// A page that reconnects with the first's id gets the second once.
	c.close()
	c = connect(t, srv, 1, itoa(m1.ID))
	if m := c.next(); m.ID != m2.ID {
		t.Fatalf("replayed %+v", m)
	}
	c.quiet(100 * time.Millisecond)
}

func TestRolledBackIDIsGivenUp(t *testing.T) {
	dbs, url := postgres(t, 1)
	db := dbs[0]
	h, srv := start(t, db, live.WithDatabaseURL(url), live.WithGapWait(300*time.Millisecond))
	c := connect(t, srv, 1, "")

	gone := insertOpen(t, db, 1, "rolled back")
	publish(t, h, live.Event{Type: "after"}, 1)
	if err := gone.Rollback(); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	if m := c.next(); m.Type != "after" {
		t.Fatalf("got %+v", m)
	}
	if waited := time.Since(began); waited < 200*time.Millisecond {
		t.Fatalf("delivered after %v, before the hole was given up", waited)
	}
	publish(t, h, live.Event{Type: "next"}, 1)
	if m := c.next(); m.Type != "next" {
		t.Fatalf("got %+v", m)
	}
}
