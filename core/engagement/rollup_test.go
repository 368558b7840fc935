package engagement

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

var partnerTypes = []string{"referral", "reseller", "distributor"}

// seedPartners creates partners 1..n in the directory's table, with types
// in turn.
func seedPartners(t testing.TB, db *bun.DB, n int, created time.Time) {
	t.Helper()
	ctx := context.Background()
	for i := 1; i <= n; i += 500 {
		var rows []string
		var args []any
		for id := i; id < i+500 && id <= n; id++ {
			rows = append(rows, "(?, ?, ?, ?, 'gold', 'active', ?, ?)")
			args = append(args, id, fmt.Sprintf("p%d", id), fmt.Sprintf("Partner %04d", id), partnerTypes[id%len(partnerTypes)], created, created)
		}
		q := "INSERT INTO partners (id, slug, name, type, tier, stage, created_at, updated_at) VALUES " + join(rows)
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
}

func join(rows []string) string {
	out := ""
	for i, r := range rows {
		if i > 0 {
			out += ", "
		}
		out += r
	}
	return out
}

// ref is a direct computation over the raw events.
type ref struct {
	db       *bun.DB
	loc      *time.Location
	events   []rawEvent
	sessions []refSession
}

type refSession struct {
	user, partner, start, end int64
}

func newRef(t testing.TB, db *bun.DB, loc *time.Location) *ref {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), `SELECT id, at_ms, user_id, partner_id, kind, name, room_id, resource_id FROM engagement_events`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	r := &ref{db: db, loc: loc}
	for rows.Next() {
		var e rawEvent
		var p, room, res sql.NullInt64
		var kind, name string
		if err := rows.Scan(&e.id, &e.at, &e.user, &p, &kind, &name, &room, &res); err != nil {
			t.Fatal(err)
		}
		e.partner, e.room, e.resource = p.Int64, room.Int64, res.Int64
		e.pageView = kind == string(PageView)
		e.roomPage = e.pageView && name == PageRoom
		r.events = append(r.events, e)
	}
	// Sessionize from scratch: per user, in time order, by the rules.
	byUser := map[int64][]rawEvent{}
	for _, e := range r.events {
		byUser[e.user] = append(byUser[e.user], e)
	}
	for _, evs := range byUser {
		slices.SortFunc(evs, func(a, b rawEvent) int {
			if a.at != b.at {
				return int(a.at - b.at)
			}
			return int(a.id - b.id)
		})
		var cur *refSession
		for _, e := range evs {
			if cur != nil && cur.partner == e.partner && e.at-cur.end < 30*60*1000 && e.at-cur.start < 4*3600*1000 {
				cur.end = e.at
				continue
			}
			r.sessions = append(r.sessions, refSession{e.user, e.partner, e.at, e.at})
			cur = &r.sessions[len(r.sessions)-1]
		}
	}
	return r
}

func (r *ref) bounds(from, to int32) (int64, int64) {
	return midnight(from, r.loc).UnixMilli(), midnight(to, r.loc).UnixMilli()
}

// kpis computes the KPI values for the days and the partners in ps.
func (r *ref) kpis(t testing.TB, from, to int32, ps partnerSet) (users, sessions, pageViews, actions int64, avgDur time.Duration) {
	t.Helper()
	lo, hi := r.bounds(from, to)
	var dur int64
	for _, s := range r.sessions {
		if s.start >= lo && s.start < hi && ps.has(s.partner) {
			sessions++
			dur += s.end - s.start
		}
	}
	for _, e := range r.events {
		if e.at >= lo && e.at < hi && ps.has(e.partner) {
			if e.pageView {
				pageViews++
			} else {
				actions++
			}
		}
	}
	if sessions > 0 {
		avgDur = time.Duration(dur/sessions) * time.Millisecond
	}
	users = r.distinct(t, `SELECT COUNT(DISTINCT user_id) FROM engagement_events WHERE at_ms >= ? AND at_ms < ?`, lo, hi, ps, "")
	return
}

// distinct runs a COUNT(DISTINCT ...) over raw events restricted to ps.
func (r *ref) distinct(t testing.TB, q string, lo, hi int64, ps partnerSet, extra string, args ...any) int64 {
	t.Helper()
	all := []any{lo, hi}
	if ps.all {
		q += " AND partner_id > 0"
	} else {
		q += " AND partner_id IN (?)"
		all = append(all, bun.List(append(ps.list(), -99)))
	}
	q += extra
	var n int64
	if err := r.db.QueryRowContext(context.Background(), q, append(all, args...)...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The seeds run in parallel, each on a database of its own (see
// TestSessionEdges).
func TestRollupsMatchRawEvents(t *testing.T) {
	t.Parallel()
	zones := []string{"UTC", "America/New_York", "Asia/Kolkata"}
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, db *bun.DB) {
				ctx := context.Background()
				loc := mustLoc(t, zones[seed%3])
				const partners = 14
				seedPartners(t, db, partners, ts("2025-01-01T00:00:00Z"))
				from, to := ts("2025-11-03T00:00:00Z"), ts("2026-03-02T00:00:00Z")
				pop := (&generator{rng: rand.New(rand.NewPCG(seed, 7))}).synthetic(partners, 45)
				pop = append(pop, PartnerUsers{PartnerID: 0, UserIDs: []int64{900, 901}}) // staff
				// A user who moves to another partner counts once overall.
				pop[0].UserIDs = append(pop[0].UserIDs, 777)
				pop[1].UserIDs = append(pop[1].UserIDs, 777)
				res, err := Generate(ctx, db, GenerateOptions{Population: pop, Events: 4000, From: from, To: to, Seed: seed,
					Rooms: []RoomRef{{1, "overview"}, {2, "resources"}, {3, "deals"}}, Resources: []int64{11, 12, 13, 14, 15, 16}})
				if err != nil || res.Events != 4000 {
					t.Fatalf("generate: %+v, %v", res, err)
				}
				job := NewJob(db, JobOptions{Location: loc, ChunkSize: 333, Now: func() time.Time { return to.Add(48 * time.Hour) }})
				if _, err := job.Step(ctx); err != nil {
					t.Fatal(err)
				}
				checkTotals(t, db)
				rf := newRef(t, db, loc)
				reports := NewReports(db, ReportOptions{Location: loc})

				rng := rand.New(rand.NewPCG(seed, 99))
				first, last := dayOf(from.In(loc))-1, dayOf(to.In(loc))+1
				type rng2 struct{ a, b int32 }
				ranges := []rng2{{first, last}, {day(2025, 12, 1), day(2026, 1, 1)}, {day(2025, 12, 31), day(2026, 1, 2)},
					{day(2025, 11, 1), day(2026, 3, 1)}, {day(2025, 11, 17), day(2026, 2, 3)}}
				for range 6 {
					a := first + rng.Int32N(last-first)
					b := a + 1 + rng.Int32N(last-a)
					ranges = append(ranges, rng2{a, b})
				}
				filters := []struct {
					name string
					f    Filter
					ps   partnerSet
				}{
					{"all", Filter{Scope: reach.Everyone()}, partnerSet{all: true}},
					{"scope", Filter{Scope: reach.ReadOnly([]int64{1, 2, 3, 5, 8})}, set(1, 2, 3, 5, 8)},
					{"scope and picked", Filter{Scope: reach.ReadOnly([]int64{1, 2, 3, 5, 8}), PartnerIDs: []int64{2, 5, 9}}, set(2, 5)},
					{"type", Filter{Scope: reach.Everyone(), PartnerTypes: []string{"reseller"}}, set(1, 4, 7, 10, 13)},
					{"scope, picked and types", Filter{Scope: reach.ReadOnly([]int64{1, 2, 3, 4, 5, 6, 7}), PartnerIDs: []int64{1, 2, 4, 7, 12},
						PartnerTypes: []string{"reseller", "distributor"}}, set(1, 2, 4, 7)},
				}
				for _, r := range ranges {
					for _, fc := range filters {
						f := fc.f
						f.From, f.To = midnight(r.a, loc), midnight(r.b, loc)
						name := fmt.Sprintf("%s %s..%s", fc.name, f.From.Format(time.DateOnly), f.To.Format(time.DateOnly))
						k, err := reports.KPIs(ctx, f)
						if err != nil {
							t.Fatal(err)
						}
						u, s, p, a, d := rf.kpis(t, r.a, r.b, fc.ps)
						got := [5]int64{k.UniqueUsers.Value, k.Sessions.Value, k.PageViews.Value, k.Actions.Value, int64(k.AvgSessionDuration.Value)}
						if want := [5]int64{u, s, p, a, int64(d)}; got != want {
							t.Errorf("%s: KPIs (users, sessions, page views, actions, duration) = %v, want %v", name, got, want)
						}
						n := r.b - r.a
						u, s, p, a, d = rf.kpis(t, r.a-n, r.a, fc.ps)
						got = [5]int64{k.UniqueUsers.Previous, k.Sessions.Previous, k.PageViews.Previous, k.Actions.Previous, int64(k.AvgSessionDuration.Previous)}
						if want := [5]int64{u, s, p, a, int64(d)}; got != want {
							t.Errorf("%s: previous KPIs = %v, want %v", name, got, want)
						}
						checkTimeline(t, name, reports, rf, f, fc.ps)
						checkLeaderboard(t, name, reports, rf, f, fc.ps)
						checkContent(t, name, reports, rf, f, fc.ps)
					}
				}
			})
		})
	}
}

func set(ids ...int64) partnerSet {
	m := map[int64]struct{}{}
	for _, id := range ids {
		m[id] = struct{}{}
	}
	return partnerSet{ids: m}
}

func checkTimeline(t *testing.T, name string, r *Reports, rf *ref, f Filter, ps partnerSet) {
	t.Helper()
	tl, err := r.Timeline(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	if want := BucketFor(f.From, f.To); tl.Bucket != want {
		t.Errorf("%s: bucket %s, want %s", name, tl.Bucket, want)
	}
	for _, p := range tl.Points {
		u, s, pv, a, _ := rf.kpis(t, dayOf(p.Start), dayOf(p.End), ps)
		if got, want := [4]int64{p.Users, p.Sessions, p.PageViews, p.Actions}, [4]int64{u, s, pv, a}; got != want {
			t.Errorf("%s: point %s..%s = %v, want %v", name, p.Start.Format(time.DateOnly), p.End.Format(time.DateOnly), got, want)
		}
	}
}

func checkLeaderboard(t *testing.T, name string, r *Reports, rf *ref, f Filter, ps partnerSet) {
	t.Helper()
	lb, err := r.Leaderboard(context.Background(), f, LeaderboardQuery{})
	if err != nil {
		t.Fatal(err)
	}
	from, to, _ := f.days()
	got := map[int64][3]int64{}
	for _, row := range lb.Rows {
		got[row.PartnerID] = [3]int64{row.Users, row.Sessions, row.PageViews}
	}
	want := map[int64][3]int64{}
	for id := int64(1); id <= 14; id++ {
		if !ps.has(id) {
			continue
		}
		u, s, p, a, _ := rf.kpis(t, from, to, set(id))
		if u+s+p+a > 0 {
			want[id] = [3]int64{u, s, p}
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: leaderboard (users, sessions, page views) by partner\n got %v\nwant %v", name, got, want)
	}
}

func checkContent(t *testing.T, name string, r *Reports, rf *ref, f Filter, ps partnerSet) {
	t.Helper()
	from, to, _ := f.days()
	lo, hi := rf.bounds(from, to)
	for _, kind := range []ContentKind{Rooms, Resources} {
		rows, err := r.TopContent(context.Background(), f, kind, 100)
		if err != nil {
			t.Fatal(err)
		}
		views := map[int64]int64{}
		for _, e := range rf.events {
			if e.at < lo || e.at >= hi || !ps.has(e.partner) {
				continue
			}
			if kind == Rooms && e.roomPage {
				views[e.room]++
			}
			if kind == Resources && e.resource > 0 {
				views[e.resource]++
			}
		}
		if len(rows) != len(views) {
			t.Errorf("%s: %d %s rows, want %d", name, len(rows), kind, len(views))
		}
		for i, row := range rows {
			if row.Views != views[row.ID] {
				t.Errorf("%s: %s %d views = %d, want %d", name, kind, row.ID, row.Views, views[row.ID])
			}
			if i > 0 && rows[i-1].Views < row.Views {
				t.Errorf("%s: %s not ordered by views", name, kind)
			}
			extra := " AND resource_id = ?"
			if kind == Rooms {
				extra = " AND room_id = ? AND kind = 'page_view' AND name = 'room'"
			}
			if u := rf.distinct(t, `SELECT COUNT(DISTINCT user_id) FROM engagement_events WHERE at_ms >= ? AND at_ms < ?`, lo, hi, ps, extra, row.ID); row.Users != u {
				t.Errorf("%s: %s %d users = %d, want %d", name, kind, row.ID, row.Users, u)
			}
		}
	}
}
