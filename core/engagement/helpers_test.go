package engagement

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"
)

// pv and act build events for tests.
func pv(user, partner int64, at time.Time) Event {
	return Event{At: at, UserID: user, PartnerID: partner, Kind: PageView, Name: PageRoom, RoomID: 1, RoomSlug: "overview"}
}

func act(user, partner int64, at time.Time, resource int64) Event {
	return Event{At: at, UserID: user, PartnerID: partner, Kind: Action, Name: ActionDownload, RoomID: 1, ResourceID: resource}
}

func write(t testing.TB, db *bun.DB, evs ...Event) {
	t.Helper()
	if err := writeEvents(context.Background(), db, evs); err != nil {
		t.Fatal(err)
	}
}

func newTestJob(db *bun.DB, loc *time.Location, now time.Time) *Job {
	return NewJob(db, JobOptions{Location: loc, Now: func() time.Time { return now }, ChunkSize: 7})
}

func step(t testing.TB, db *bun.DB, loc *time.Location, now time.Time) StepResult {
	t.Helper()
	res, err := newTestJob(db, loc, now).Step(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !res.Leader {
		t.Fatal("the job did not get the lease")
	}
	return res
}

type sessionRow struct {
	User, Partner      int64
	Start, End         time.Time
	PageViews, Actions int64
}

func loadSessions(t testing.TB, db *bun.DB) []sessionRow {
	t.Helper()
	rows, err := db.QueryContext(context.Background(),
		`SELECT user_id, partner_id, start_ms, end_ms, page_views, actions FROM engagement_sessions ORDER BY user_id, start_ms`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []sessionRow
	for rows.Next() {
		var s sessionRow
		var a, b int64
		if err := rows.Scan(&s.User, &s.Partner, &a, &b, &s.PageViews, &s.Actions); err != nil {
			t.Fatal(err)
		}
		s.Start, s.End = time.UnixMilli(a).UTC(), time.UnixMilli(b).UTC()
		out = append(out, s)
	}
	return out
}

// partnerStat reads one rollup row (zero when absent).
func partnerStat(t testing.TB, db *bun.DB, period int32, partner int64) stat {
	t.Helper()
	var s stat
	rows, err := db.QueryContext(context.Background(),
		`SELECT sessions, duration_ms, page_views, actions FROM engagement_partner_stats WHERE period = ? AND partner_id = ?`, period, partner)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&s.sessions, &s.durationMS, &s.pageViews, &s.actions); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// groupStat reads one group rollup row (zero when absent).
func groupStat(t testing.TB, db *bun.DB, grp string, period int32) stat {
	t.Helper()
	var s stat
	rows, err := db.QueryContext(context.Background(),
		`SELECT sessions, duration_ms, page_views, actions FROM engagement_group_stats WHERE grp = ? AND period = ?`, grp, period)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&s.sessions, &s.durationMS, &s.pageViews, &s.actions); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func day(y int, m time.Month, d int) int32 { return civil(y, m, d) }
