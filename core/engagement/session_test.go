package engagement

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// everyPartner in a wantStat reads the rollup of group "*" (every partner).
const everyPartner = -1

type wantStat struct {
	period  int32
	partner int64
	stat
}

// The cases run in parallel, each on a database of its own: on a busy
// PostgreSQL one after the other they took over a minute of CI, waiting on
// round trips.
func TestSessionEdges(t *testing.T) {
	t.Parallel()
	const u, p = 10, 7
	min := func(n int) time.Duration { return time.Duration(n) * time.Minute }
	t0 := ts("2026-03-10T09:00:00Z")
	every10 := func(from time.Time, n int) []Event {
		var out []Event
		for i := range n {
			out = append(out, pv(u, p, from.Add(min(10*i))))
		}
		return out
	}
	cases := []struct {
		name   string
		zone   string
		events []Event
		want   []sessionRow
		stats  []wantStat
	}{
		{
			name:   "a gap just under 30 minutes continues the session",
			events: []Event{pv(u, p, t0), pv(u, p, t0.Add(min(30)-time.Millisecond))},
			want:   []sessionRow{{u, p, t0, t0.Add(min(30) - time.Millisecond), 2, 0}},
		},
		{
			name:   "exactly 30:00 idle ends the session",
			events: []Event{pv(u, p, t0), pv(u, p, t0.Add(min(30)))},
			want:   []sessionRow{{u, p, t0, t0, 1, 0}, {u, p, t0.Add(min(30)), t0.Add(min(30)), 1, 0}},
			stats:  []wantStat{{day(2026, 3, 10), p, stat{sessions: 2, durationMS: 0, pageViews: 2}}},
		},
		{
			name:   "four hours of continuous use end the session",
			events: every10(t0, 26), // 0, 10, ..., 250 minutes
			want: []sessionRow{
				{u, p, t0, t0.Add(min(230)), 24, 0}, // the event at 240 is 4h after the first
				{u, p, t0.Add(min(240)), t0.Add(min(250)), 2, 0},
			},
			stats: []wantStat{{day(2026, 3, 10), p, stat{sessions: 2, durationMS: (230 + 10) * 60000, pageViews: 26}}},
		},
		{
			name: "events written out of order are sessionized in time order",
			events: []Event{pv(u, p, t0.Add(min(50))), act(u, p, t0.Add(min(25)), 3), pv(u, p, t0),
				pv(u, p, t0.Add(min(75)))},
			want: []sessionRow{{u, p, t0, t0.Add(min(75)), 3, 1}},
		},
		{
			name:   "a session across midnight counts on its first day, its events on theirs",
			events: []Event{pv(u, p, ts("2026-03-10T23:50:00Z")), act(u, p, ts("2026-03-11T00:10:00Z"), 3)},
			want:   []sessionRow{{u, p, ts("2026-03-10T23:50:00Z"), ts("2026-03-11T00:10:00Z"), 1, 1}},
			stats: []wantStat{
				{day(2026, 3, 10), p, stat{sessions: 1, durationMS: 20 * 60000, pageViews: 1}},
				{day(2026, 3, 11), p, stat{actions: 1}},
				{day(2026, 3, 10), everyPartner, stat{sessions: 1, durationMS: 20 * 60000, pageViews: 1}},
			},
		},
		{
			name:   "month and year boundaries",
			events: []Event{pv(u, p, ts("2025-12-31T23:45:00Z")), pv(u, p, ts("2026-01-01T00:05:00Z"))},
			stats: []wantStat{
				{monthPeriod(2025, 12), p, stat{sessions: 1, durationMS: 20 * 60000, pageViews: 1}},
				{monthPeriod(2026, 1), p, stat{pageViews: 1}},
				{yearPeriod(2025), p, stat{sessions: 1, durationMS: 20 * 60000, pageViews: 1}},
				{yearPeriod(2026), p, stat{pageViews: 1}},
			},
		},
		{
			name: "days are the reporting zone's days",
			zone: "America/New_York",
			// 03:30 UTC on 1 March is 22:30 on 28 February in New York.
			events: []Event{pv(u, p, ts("2026-03-01T03:30:00Z")), pv(u, p, ts("2026-03-01T05:10:00Z"))},
			stats: []wantStat{
				{day(2026, 2, 28), p, stat{sessions: 1, pageViews: 1}},
				{day(2026, 3, 1), p, stat{sessions: 1, pageViews: 1}},
				{monthPeriod(2026, 2), p, stat{sessions: 1, pageViews: 1}},
			},
		},
		{
			name: "a day with a daylight saving change",
			zone: "Europe/Berlin",
			// Clocks go forward at 02:00 on 29 March 2026: that day has 23 hours,
			// from 23:00Z on the 28th to 22:00Z on the 29th.
			events: []Event{pv(u, p, ts("2026-03-28T22:59:00Z")), pv(u, p, ts("2026-03-28T23:30:00Z")),
				pv(u, p, ts("2026-03-29T21:59:00Z")), pv(u, p, ts("2026-03-29T22:00:00Z"))},
			stats: []wantStat{
				{day(2026, 3, 28), p, stat{sessions: 1, pageViews: 1}},
				{day(2026, 3, 29), p, stat{sessions: 2, pageViews: 2, durationMS: 60000}},
				{day(2026, 3, 30), p, stat{pageViews: 1}},
			},
		},
		{
			name:   "a user who moves to another partner starts a new session",
			events: []Event{pv(u, p, t0), pv(u, p+1, t0.Add(min(5)))},
			want:   []sessionRow{{u, p, t0, t0, 1, 0}, {u, p + 1, t0.Add(min(5)), t0.Add(min(5)), 1, 0}},
		},
		{
			name:   "staff sessions are kept but left out of the partner totals",
			events: []Event{pv(u, 0, t0), pv(u, 0, t0.Add(min(5)))},
			want:   []sessionRow{{u, 0, t0, t0.Add(min(5)), 2, 0}},
			stats: []wantStat{
				{day(2026, 3, 10), 0, stat{sessions: 1, pageViews: 2, durationMS: 5 * 60000}},
				{day(2026, 3, 10), everyPartner, stat{}},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, db *bun.DB) {
				loc := time.UTC
				if tc.zone != "" {
					loc = mustLoc(t, tc.zone)
				}
				write(t, db, tc.events...)
				res := step(t, db, loc, ts("2026-06-01T00:00:00Z"))
				if res.Events != len(tc.events) {
					t.Fatalf("folded %d events, want %d", res.Events, len(tc.events))
				}
				if tc.want != nil {
					got := loadSessions(t, db)
					if len(got) != len(tc.want) {
						t.Fatalf("sessions:\n got %+v\nwant %+v", got, tc.want)
					}
					for i := range got {
						if got[i] != tc.want[i] {
							t.Errorf("session %d:\n got %+v\nwant %+v", i, got[i], tc.want[i])
						}
					}
				}
				for _, w := range tc.stats {
					got := partnerStat(t, db, w.period, w.partner)
					if w.partner == everyPartner {
						got = groupStat(t, db, allGroup, w.period)
					}
					if got != w.stat {
						t.Errorf("rollup period %d partner %d = %+v, want %+v", w.period, w.partner, got, w.stat)
					}
				}
			})
		})
	}
}

// Events that arrive late, but within the lateness window, join the session
// the job already stored — even when another process (a new Job) folds them.
func TestLateEventsJoinTheStoredSession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		const u, p = 3, 4
		t0 := ts("2026-03-10T09:00:00Z")
		write(t, db, pv(u, p, t0), pv(u, p, t0.Add(2*time.Minute)))
		// Six minutes later the job folds what is older than five minutes.
		if res := step(t, db, time.UTC, t0.Add(6*time.Minute)); res.Events != 1 {
			t.Fatalf("first step folded %d events, want 1 (the second is inside the lateness window)", res.Events)
		}
		// An event from minute 1 arrives now, after the one from minute 2.
		write(t, db, act(u, p, t0.Add(time.Minute), 9))
		if res := step(t, db, time.UTC, t0.Add(time.Hour)); res.Events != 2 {
			t.Fatalf("second step folded %d events, want 2", res.Events)
		}
		got := loadSessions(t, db)
		want := []sessionRow{{u, p, t0, t0.Add(2 * time.Minute), 2, 1}}
		if len(got) != 1 || got[0] != want[0] {
			t.Fatalf("sessions = %+v, want %+v", got, want)
		}
		if s := partnerStat(t, db, day(2026, 3, 10), p); s != (stat{sessions: 1, durationMS: 120000, pageViews: 2, actions: 1}) {
			t.Errorf("day rollup = %+v", s)
		}
		// A later event within 30 minutes extends the same stored session.
		write(t, db, pv(u, p, t0.Add(20*time.Minute)))
		step(t, db, time.UTC, t0.Add(2*time.Hour))
		if got := loadSessions(t, db); len(got) != 1 || got[0].End != t0.Add(20*time.Minute) {
			t.Fatalf("sessions = %+v, want one ending at minute 20", got)
		}
		if s := partnerStat(t, db, day(2026, 3, 10), p); s.durationMS != 20*60000 || s.sessions != 1 {
			t.Errorf("day rollup = %+v, want one session of 20 minutes", s)
		}
	})
}

// Only one job holds the lease; the other does nothing until it expires.
func TestOneJobAtATime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		now := ts("2026-03-10T12:00:00Z")
		clock := func() time.Time { return now }
		a := NewJob(db, JobOptions{Now: clock})
		b := NewJob(db, JobOptions{Now: clock})
		write(t, db, pv(1, 1, now.Add(-time.Hour)))
		if res, err := a.Step(ctx); err != nil || !res.Leader || res.Events != 1 {
			t.Fatalf("a: %+v, %v", res, err)
		}
		if res, err := b.Step(ctx); err != nil || res.Leader {
			t.Fatalf("b took the lease a holds: %+v, %v", res, err)
		}
		if err := b.Rebuild(ctx, RebuildOptions{}); err != ErrBusy {
			t.Fatalf("b rebuilt while a holds the lease: %v", err)
		}
		now = now.Add(3 * time.Minute) // a stopped renewing: its lease expired
		write(t, db, pv(1, 1, now.Add(-time.Hour)))
		if res, err := b.Step(ctx); err != nil || !res.Leader || res.Events != 1 {
			t.Fatalf("b after expiry: %+v, %v", res, err)
		}
		if res, err := a.Step(ctx); err != nil || res.Leader {
			t.Fatalf("a took the lease back from b: %+v, %v", res, err)
		}
		if n := len(loadSessions(t, db)); n != 1 {
			t.Errorf("%d sessions, want 1", n)
		}
	})
}

func TestZoneChangeNeedsRebuild(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		now := ts("2026-03-10T12:00:00Z")
		write(t, db, pv(1, 1, ts("2026-03-10T02:00:00Z")))
		step(t, db, time.UTC, now)
		ny := mustLoc(t, "America/New_York")
		j := newTestJob(db, ny, now.Add(time.Hour)) // after the first job's lease
		if _, err := j.Step(ctx); !errors.Is(err, ErrZoneChanged) {
			t.Fatal("stepped in a new zone over rollups of the old one")
		}
		if err := j.Rebuild(ctx, RebuildOptions{}); err != nil {
			t.Fatal(err)
		}
		if s := partnerStat(t, db, day(2026, 3, 9), 1); s.sessions != 1 {
			t.Errorf("after the rebuild the session is not on 9 March in New York: %+v", s)
		}
		if s := partnerStat(t, db, day(2026, 3, 10), 1); s != (stat{}) {
			t.Errorf("the old zone's rollup survived the rebuild: %+v", s)
		}
	})
}

func TestRetentionKeepsRollups(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		now := ts("2026-03-10T12:00:00Z")
		write(t, db, pv(1, 1, now.AddDate(0, 0, -40)), pv(1, 1, now.AddDate(0, 0, -2)))
		j := NewJob(db, JobOptions{Retention: 30 * 24 * time.Hour, Now: func() time.Time { return now }})
		res, err := j.Step(ctx)
		if err != nil || res.Pruned != 1 {
			t.Fatalf("step: %+v, %v; want one event pruned", res, err)
		}
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM engagement_events`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("%d raw events left (%v), want 1", n, err)
		}
		if s := partnerStat(t, db, monthPeriod(2026, 1), 1); s.sessions != 1 {
			t.Errorf("January's rollup went with its raw events: %+v", s)
		}
		if err := j.Rebuild(ctx, RebuildOptions{}); err == nil {
			t.Error("rebuilt over pruned history without being forced")
		}
	})
}
