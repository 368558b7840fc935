package engagement

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

// checkTotals asserts the running totals' definition against the day
// rollups: every partner has a row for each day from its first activity to
// the last day with any, holding its sums up to and including that day.
func checkTotals(t *testing.T, db *bun.DB) {
	t.Helper()
	ctx := context.Background()
	days := map[int64]map[int32]stat{}
	var last int32
	rows, err := db.QueryContext(ctx, `SELECT partner_id, period, sessions, duration_ms, page_views, actions FROM engagement_partner_stats
		WHERE period < 1000000 AND partner_id > 0`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var p int64
		var d int32
		var s stat
		if err := rows.Scan(&p, &d, &s.sessions, &s.durationMS, &s.pageViews, &s.actions); err != nil {
			t.Fatal(err)
		}
		if days[p] == nil {
			days[p] = map[int32]stat{}
		}
		days[p][d] = s
		last = max(last, d)
	}
	rows.Close()
	want := map[string]stat{}
	for p, byDay := range days {
		first := last
		for d := range byDay {
			first = min(first, d)
		}
		var run stat
		for d := first; d <= last; d++ {
			run.add(byDay[d])
			want[fmt.Sprint(p, "/", d)] = run
		}
	}
	got := map[string]stat{}
	rows, err = db.QueryContext(ctx, `SELECT partner_id, day, sessions, duration_ms, page_views, actions FROM engagement_partner_totals`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var p int64
		var d int32
		var s stat
		if err := rows.Scan(&p, &d, &s.sessions, &s.durationMS, &s.pageViews, &s.actions); err != nil {
			t.Fatal(err)
		}
		got[fmt.Sprint(p, "/", d)] = s
	}
	if len(want) == 0 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("running totals (partner/day: sessions, duration, page views, actions)\n got %v\nwant %v", got, want)
	}
}

// The job keeps the running totals across chunks and runs: days carried
// forward, partners appearing later, a session crossing midnight that
// changes a day already carried, and a rebuild.
func TestRunningTotals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		seedPartners(t, db, 3, ts("2026-01-01T00:00:00Z"))
		write(t, db,
			pv(10, 1, ts("2026-02-02T10:00:00Z")), act(10, 1, ts("2026-02-02T10:05:00Z"), 7),
			pv(10, 1, ts("2026-02-04T09:00:00Z")),
			pv(30, 3, ts("2026-02-03T12:00:00Z")), // staff-less partner seen once
			pv(99, 0, ts("2026-02-03T12:00:00Z")), // staff: never in the totals
		)
		step(t, db, time.UTC, ts("2026-02-05T00:00:00Z"))
		checkTotals(t, db)
		// Days later: partner 2 appears, partner 1's session crosses
		// midnight (its duration counts on the day it started).
		write(t, db,
			pv(20, 2, ts("2026-02-07T08:00:00Z")),
			pv(10, 1, ts("2026-02-07T23:50:00Z")),
		)
		step(t, db, time.UTC, ts("2026-02-08T00:00:00Z"))
		write(t, db, pv(10, 1, ts("2026-02-08T00:10:00Z")), act(10, 1, ts("2026-02-09T11:00:00Z"), 8))
		step(t, db, time.UTC, ts("2026-02-10T00:00:00Z"))
		checkTotals(t, db)

		r := NewReports(db, ReportOptions{})
		f := Filter{Scope: reach.Everyone(), From: ts("2026-02-04T00:00:00Z"), To: ts("2026-02-08T00:00:00Z")}
		lb, err := r.Leaderboard(ctx, f, LeaderboardQuery{Sort: ByPartner})
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, row := range lb.Rows {
			got += fmt.Sprintf("%d:%d/%d/%s ", row.PartnerID, row.Sessions, row.PageViews, row.AvgDuration)
		}
		// Partner 1: the session of the 4th and the one from 23:50 on the
		// 7th to 00:10 on the 8th (its page view of the 8th is outside);
		// partner 3 had nothing in the range.
		if want := "1:2/2/10m0s 2:1/1/0s "; got != want {
			t.Errorf("leaderboard %q, want %q", got, want)
		}
		// Ranges past the last day folded, and before any activity.
		for _, c := range []struct{ from, to, want string }{
			{"2026-02-09T00:00:00Z", "2026-03-01T00:00:00Z", "1:1/0/1 "},
			{"2026-02-11T00:00:00Z", "2026-03-01T00:00:00Z", ""},
			{"2026-01-01T00:00:00Z", "2026-02-02T00:00:00Z", ""},
		} {
			sums, err := r.partnerSums(ctx, partnerSet{all: true}, dayOf(ts(c.from)), dayOf(ts(c.to)))
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for p := int64(1); p <= 3; p++ {
				if s, ok := sums[p]; ok {
					got += fmt.Sprintf("%d:%d/%d/%d ", p, s.sessions, s.pageViews, s.actions)
				}
			}
			if got != c.want {
				t.Errorf("%s..%s: %q, want %q", c.from, c.to, got, c.want)
			}
		}

		if err := newTestJob(db, time.UTC, ts("2026-02-11T00:00:00Z")).Rebuild(ctx, RebuildOptions{}); err != nil {
			t.Fatal(err)
		}
		checkTotals(t, db)
	})
}
