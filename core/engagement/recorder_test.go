package engagement

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/store"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

func countEvents(t testing.TB, db *bun.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), `SELECT count(*) FROM engagement_events`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRecorderWritesEverythingOnClose(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		rec := NewRecorder(db, RecorderOptions{BatchSize: 100, FlushInterval: time.Hour})
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Go(func() {
				for i := range 1000 {
					rec.Record(pv(int64(g+1), 1, time.Time{}))
					if i%100 == 0 {
						rec.RecordBatch([]Event{act(int64(g+1), 1, time.Time{}, 3), {UserID: 1, Kind: "bogus"}})
					}
				}
			})
		}
		wg.Wait()
		if err := rec.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		rec.Record(pv(1, 1, time.Time{})) // after Close: dropped, not a panic
		st := rec.Stats()
		if st.Accepted != 4040 || st.Written != 4040 || st.Invalid != 40 || st.Dropped != 1 || st.Queued != 0 {
			t.Errorf("stats = %+v", st)
		}
		if n := countEvents(t, db); n != 4040 {
			t.Errorf("%d events in the database, want 4040", n)
		}
	})
}

// While the database refuses writes, Record still returns at once: what
// does not fit in the buffer is dropped and counted; the rest is written when
// the database is back.
func TestRecorderNeverBlocks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		lock := []string{"BEGIN IMMEDIATE"}
		if store.IsPostgres(db) {
			lock = []string{"BEGIN", "LOCK TABLE engagement_events IN EXCLUSIVE MODE"}
		}
		for _, q := range lock {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		rec := NewRecorder(db, RecorderOptions{Buffer: 10, BatchSize: 5, FlushInterval: time.Millisecond})
		time.Sleep(20 * time.Millisecond)
		start := time.Now()
		for range 1000 {
			rec.Record(pv(1, 1, time.Time{}))
		}
		if d := time.Since(start); d > 200*time.Millisecond {
			t.Errorf("1000 Record calls took %s with the database locked", d)
		}
		st := rec.Stats()
		if st.Dropped < 980 || st.Accepted+st.Dropped != 1000 {
			t.Errorf("stats with the database locked = %+v", st)
		}
		if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
			t.Fatal(err)
		}
		if err := rec.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if n := countEvents(t, db); n != int(st.Accepted) {
			t.Errorf("%d events written, want the %d accepted", n, st.Accepted)
		}
	})
}

func TestRecorderRetimesOldEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		now := ts("2026-03-10T12:00:00Z")
		rec := NewRecorder(db, RecorderOptions{Now: func() time.Time { return now }})
		rec.Record(pv(1, 1, now.Add(-time.Hour)))      // a stale browser clock
		rec.Record(pv(1, 1, now.Add(time.Hour)))       // a fast one
		rec.Record(pv(1, 1, now.Add(-30*time.Second))) // fine
		if err := rec.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		var got []int64
		if err := db.NewSelect().Table("engagement_events").Column("at_ms").Order("id").Scan(context.Background(), &got); err != nil {
			t.Fatal(err)
		}
		want := []int64{now.Add(-2 * time.Minute).UnixMilli(), now.UnixMilli(), now.Add(-30 * time.Second).UnixMilli()}
		if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
			t.Errorf("times = %v, want %v", got, want)
		}
		if st := rec.Stats(); st.Retimed != 1 {
			t.Errorf("retimed %d, want 1", st.Retimed)
		}
	})
}

func TestValidate(t *testing.T) {
	ok := pv(1, 2, time.Time{})
	for _, tc := range []struct {
		name string
		mod  func(*Event)
	}{
		{"no user", func(e *Event) { e.UserID = 0 }},
		{"bad kind", func(e *Event) { e.Kind = "click" }},
		{"page view with an action's name", func(e *Event) { e.Name = ActionDownload }},
		{"name with capitals", func(e *Event) { e.Kind, e.Name = Action, "VideoPlay" }},
		{"long path", func(e *Event) { e.Path = string(make([]byte, MaxPathLen+1)) }},
		{"meta not an object", func(e *Event) { e.Meta = []byte(`[1]`) }},
		{"negative partner", func(e *Event) { e.PartnerID = -1 }},
	} {
		e := ok
		tc.mod(&e)
		if err := Validate(e); !errors.Is(err, ErrInvalidEvent) {
			t.Errorf("%s: Validate = %v", tc.name, err)
		}
	}
	ok.Meta = []byte(`{"results":3}`)
	if err := Validate(ok); err != nil {
		t.Errorf("a good event: %v", err)
	}
	custom := Event{UserID: 1, Kind: Action, Name: "quiz_submit"}
	if err := Validate(custom); err != nil {
		t.Errorf("a plugin's own action: %v", err)
	}
}
