package engagement

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

func TestScore(t *testing.T) {
	row := func(name string, sessions, users, pageViews int64, dur time.Duration) LeaderboardRow {
		return LeaderboardRow{Name: name, Sessions: sessions, Users: users, PageViews: pageViews, AvgDuration: dur}
	}
	for _, tc := range []struct {
		name string
		rows []LeaderboardRow
		want []string // name score rank, in rank order
	}{
		{
			name: "the formula",
			rows: []LeaderboardRow{row("B", 5, 5, 50, 2*time.Minute), row("A", 10, 5, 100, time.Minute)},
			// A: .4*1 + .3*1 + .2*1 + .1*.5 = .95; B: .4*.5 + .3*1 + .2*.5 + .1*1 = .70
			want: []string{"A 95.00 1", "B 70.00 2"},
		},
		{
			name: "a single partner scores 100",
			rows: []LeaderboardRow{row("Solo", 3, 2, 9, time.Minute)},
			want: []string{"Solo 100.00 1"},
		},
		{
			name: "a single partner with no duration loses only its weight",
			rows: []LeaderboardRow{row("Solo", 1, 1, 1, 0)},
			want: []string{"Solo 90.00 1"},
		},
		{
			name: "ties share a rank and are listed by name",
			rows: []LeaderboardRow{row("c", 1, 1, 1, 0), row("b", 4, 2, 8, time.Minute), row("A", 4, 2, 8, time.Minute), row("d", 2, 1, 4, 0)},
			want: []string{"A 100.00 1", "b 100.00 1", "d 45.00 3", "c 27.50 4"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			score(tc.rows)
			var got []string
			for _, r := range tc.rows {
				got = append(got, r.Name+" "+strconv.FormatFloat(r.Score, 'f', 2, 64)+" "+itoa(int64(r.Rank)))
			}
			if strings.Join(got, ", ") != strings.Join(tc.want, ", ") {
				t.Errorf("got  %v\nwant %v", got, tc.want)
			}
		})
	}
}

// dashboardFixture: five partners with a story each, as of 1 March 2026.
func dashboardFixture(t *testing.T, db *bun.DB) *Reports {
	t.Helper()
	seedPartners(t, db, 6, ts("2025-01-01T00:00:00Z"))
	if _, err := db.ExecContext(context.Background(), `UPDATE partners SET created_at = ? WHERE id = 6`, ts("2026-03-05T00:00:00Z")); err != nil {
		t.Fatal(err)
	}
	var evs []Event
	visit := func(user, partner int64, at time.Time, length time.Duration, actions bool) {
		evs = append(evs, pv(user, partner, at), pv(user, partner, at.Add(length)))
		if actions {
			evs = append(evs, act(user, partner, at.Add(length/2), 5))
		}
	}
	for i := range 5 {
		d := time.Duration(i) * 24 * time.Hour
		// Partner 1: long sessions in January, short ones in February.
		visit(11, 1, ts("2026-01-05T10:00:00Z").Add(d), 20*time.Minute, true)
		visit(11, 1, ts("2026-02-05T10:00:00Z").Add(d), 2*time.Minute, true)
		// Partner 4 visits in February but never acts.
		visit(41, 4, ts("2026-02-10T10:00:00Z").Add(d), 5*time.Minute, false)
		// Partner 5 is healthy.
		visit(51, 5, ts("2026-01-10T10:00:00Z").Add(d), 10*time.Minute, true)
		visit(52, 5, ts("2026-02-10T10:00:00Z").Add(d), 10*time.Minute, true)
	}
	// Partner 2 was last seen on 20 January; partner 3 never came.
	visit(21, 2, ts("2026-01-20T10:00:00Z"), time.Minute, true)
	write(t, db, evs...)
	step(t, db, time.UTC, ts("2026-03-05T00:00:00Z"))
	return NewReports(db, ReportOptions{})
}

func TestAtRisk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		r := dashboardFixture(t, db)
		f := Filter{Scope: reach.Everyone(), To: ts("2026-03-01T00:00:00Z")}
		got, err := r.AtRisk(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, a := range got {
			for _, x := range a.Reasons {
				lines = append(lines, a.Name+": "+string(x.Reason)+": "+x.Message)
			}
		}
		want := []string{
			"Partner 0002: no_sessions: No sessions in the last 30 days; last active 20 Jan 2026.",
			"Partner 0003: no_sessions: No sessions yet.",
			"Partner 0001: falling_duration: The average session fell from 20m0s to 2m0s (90% shorter) against the 30 days before.",
			"Partner 0004: no_actions: 5 sessions in the last 30 days without a single action.",
		}
		if strings.Join(lines, "\n") != strings.Join(want, "\n") {
			t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
		}
		var b bytes.Buffer
		if err := WriteAtRiskCSV(&b, got); err != nil || !strings.Contains(b.String(), "2,Partner 0002,distributor,no_sessions,") {
			t.Errorf("CSV:\n%s %v", b.String(), err)
		}
		// A manager sees only their partners.
		f.Scope = reach.ReadOnly([]int64{1, 5})
		got, _ = r.AtRisk(context.Background(), f)
		if len(got) != 1 || got[0].PartnerID != 1 {
			t.Errorf("manager of 1 and 5 sees %+v", got)
		}
	})
}

func TestScopes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		r := dashboardFixture(t, db)
		ctx := context.Background()
		base := Filter{From: ts("2026-01-01T00:00:00Z"), To: ts("2026-03-01T00:00:00Z")}
		users := func(f Filter) int64 {
			k, err := r.KPIs(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			return k.UniqueUsers.Value
		}
		for _, tc := range []struct {
			name string
			mod  func(*Filter)
			want int64
		}{
			{"no scope sees nothing", func(f *Filter) {}, 0},
			{"an admin sees all", func(f *Filter) { f.Scope = reach.Everyone() }, 5},
			{"a manager sees their partners", func(f *Filter) { f.Scope = reach.ReadOnly([]int64{1, 5}) }, 3},
			{"picking a partner outside the scope shows nothing", func(f *Filter) {
				f.Scope, f.PartnerIDs = reach.ReadOnly([]int64{1}), []int64{5}
			}, 0},
			{"an empty pick is nothing, not everything", func(f *Filter) { f.Scope, f.PartnerIDs = reach.Everyone(), []int64{} }, 0},
			{"types narrow the scope", func(f *Filter) {
				f.Scope, f.PartnerTypes = reach.ReadOnly([]int64{1, 4, 5}), []string{"reseller"}
			}, 2}, // partners 1 and 4 are resellers
		} {
			f := base
			tc.mod(&f)
			if got := users(f); got != tc.want {
				t.Errorf("%s: %d users, want %d", tc.name, got, tc.want)
			}
		}
		if _, err := r.KPIs(ctx, Filter{Scope: reach.Everyone(), From: base.To, To: base.From}); err == nil {
			t.Error("a range that ends before it starts was accepted")
		}
	})
}

func TestLeaderboardSortPageAndCSV(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		r := dashboardFixture(t, db)
		ctx := context.Background()
		f := Filter{Scope: reach.Everyone(), From: ts("2026-01-01T00:00:00Z"), To: ts("2026-03-01T00:00:00Z")}
		names := func(q LeaderboardQuery) string {
			lb, err := r.Leaderboard(ctx, f, q)
			if err != nil {
				t.Fatal(err)
			}
			var s []string
			for _, row := range lb.Rows {
				s = append(s, row.Slug)
			}
			return strings.Join(s, " ")
		}
		for q, want := range map[LeaderboardQuery]string{
			{}:                                       "p5 p1 p4 p2",
			{Sort: ByScore}:                          "p2 p4 p1 p5",
			{Sort: ByPartner, Desc: true}:            "p5 p4 p2 p1",
			{Sort: ByAvgDuration, Desc: true}:        "p1 p5 p4 p2",
			{Sort: ByUsers, Desc: true}:              "p5 p1 p4 p2",
			{Sort: BySessions}:                       "p2 p4 p5 p1",
			{PerPage: 2, Page: 2}:                    "p4 p2",
			{PerPage: 3, Page: 2, Sort: ByPageViews}: "p1",
		} {
			if got := names(q); got != want {
				t.Errorf("%+v: %s, want %s", q, got, want)
			}
		}
		lb, _ := r.Leaderboard(ctx, f, LeaderboardQuery{PerPage: 2})
		if lb.Total != 4 || lb.Pages() != 2 || lb.Totals.Sessions != 26 || lb.Totals.Users != 5 {
			t.Errorf("totals: %+v, total %d", lb.Totals, lb.Total)
		}
		// 26 sessions: partner 1 ten (20m, 2m), 4 five (5m), 5 ten (10m), 2 one (1m).
		if want := (5*20 + 5*2 + 5*5 + 10*10 + 1) * time.Minute / 26; lb.Totals.AvgDuration != want.Truncate(time.Millisecond) {
			t.Errorf("average duration %s, want %s", lb.Totals.AvgDuration, want)
		}
		if _, err := db.ExecContext(ctx, `UPDATE partners SET name = '=HYPERLINK("x")' WHERE id = 5`); err != nil {
			t.Fatal(err)
		}
		all, _ := r.Leaderboard(ctx, f, LeaderboardQuery{})
		var b bytes.Buffer
		if err := WriteLeaderboardCSV(&b, all); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(b.String()), "\n")
		if len(lines) != 6 || !strings.HasPrefix(lines[1], `1,5,"'=HYPERLINK(""x"")",`) || !strings.HasPrefix(lines[5], ",,Total (4 partners),,5,26,") {
			t.Errorf("CSV:\n%s", b.String())
		}
	})
}

func TestTopContentAndTimelineCSV(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		r := dashboardFixture(t, db)
		ctx := context.Background()
		f := Filter{Scope: reach.Everyone(), From: ts("2026-02-01T00:00:00Z"), To: ts("2026-02-08T00:00:00Z")}
		rooms, err := r.TopContent(ctx, f, Rooms, 5)
		if err != nil || len(rooms) != 1 || rooms[0].Label != "overview" || rooms[0].Views != 6 || rooms[0].Users != 1 || rooms[0].Actions != 3 {
			t.Fatalf("rooms: %+v, %v", rooms, err)
		}
		res, err := r.TopContent(ctx, f, Resources, 5)
		if err != nil || len(res) != 1 || res[0].ID != 5 || res[0].Views != 3 || res[0].Users != 1 {
			t.Fatalf("resources: %+v, %v", res, err)
		}
		var b bytes.Buffer
		WriteTopContentCSV(&b, res, func(c ContentRow) string { return "Price list" })
		if want := "kind,id,name,views,page_views,actions,users\nresource,5,Price list,3,0,3,1\n"; b.String() != want {
			t.Errorf("content CSV:\n%s", b.String())
		}
		tl, err := r.Timeline(ctx, f)
		if err != nil || tl.Bucket != BucketDay || len(tl.Points) != 7 {
			t.Fatalf("timeline: %+v, %v", tl, err)
		}
		b.Reset()
		WriteTimelineCSV(&b, tl)
		if !strings.Contains(b.String(), "day,2026-02-05,2026-02-05,1,2,1,1\n") {
			t.Errorf("timeline CSV:\n%s", b.String())
		}
	})
}

// A partner whose type changes is counted under its new type, history
// included, once the job has run.
func TestTypeChangeMovesHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		r := dashboardFixture(t, db)
		ctx := context.Background()
		f := func(types ...string) Filter {
			return Filter{Scope: reach.Everyone(), PartnerTypes: types, From: ts("2026-01-01T00:00:00Z"), To: ts("2026-03-01T00:00:00Z")}
		}
		counts := func(types ...string) [3]int64 {
			k, err := r.KPIs(ctx, f(types...))
			if err != nil {
				t.Fatal(err)
			}
			rooms, err := r.TopContent(ctx, f(types...), Rooms, 5)
			if err != nil {
				t.Fatal(err)
			}
			var views int64
			for _, c := range rooms {
				views += c.Views
			}
			return [3]int64{k.Sessions.Value, k.UniqueUsers.Value, views}
		}
		// Resellers are partners 1 (10 sessions) and 4 (5 sessions).
		if got, want := counts("reseller"), [3]int64{15, 2, 30}; got != want {
			t.Fatalf("resellers before: %v, want %v", got, want)
		}
		if _, err := db.ExecContext(ctx, `UPDATE partners SET type = 'referral' WHERE id = 4`); err != nil {
			t.Fatal(err)
		}
		step(t, db, time.UTC, ts("2026-03-06T00:00:00Z"))
		if got, want := counts("reseller"), [3]int64{10, 1, 20}; got != want {
			t.Errorf("resellers after: %v, want %v", got, want)
		}
		if got, want := counts("referral"), [3]int64{5, 1, 10}; got != want {
			t.Errorf("referral partners after: %v, want %v", got, want)
		}
		if got, want := counts("referral", "reseller", "distributor"), counts(); got != want {
			t.Errorf("all three types %v, every partner %v", got, want)
		}
	})
}
