package engagement

// Benchmarks for ingest and for every dashboard panel; the README's
// Performance section has the commands and the figures. They only run
// under -bench. The dashboard dataset is built once per size and kept (a
// folder for SQLite, a schema for PostgreSQL) so later runs start at once:
//
//	ATRIUM_BENCH_EVENTS    events in the dataset (default 1000000; full size 10000000)
//	ATRIUM_BENCH_PARTNERS  partners (default 500; full size 5000), users are four times as many
//	ATRIUM_BENCH_DIR       where SQLite datasets live (default the temp folder)
//	ATRIUM_BENCH_INGEST    events per ingest run (default 200000)
//	ATRIUM_BENCH_ENGINE    sqlite or postgres: the dashboard on that engine only
//
// PostgreSQL runs when ATRIUM_TEST_DATABASE_URL is set. Its full-size
// dataset writes the events with COPY (about 1.5 min) and folds them (about
// 20 min on the 2-core machine); SQLite's takes about 10 min.

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/store"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// benchEvents generates n events in memory.
func benchEvents(b *testing.B, n int) []Event {
	b.Helper()
	g, err := newGenerator(GenerateOptions{Partners: 500, Users: 2000, Events: n,
		From: ts("2026-01-01T00:00:00Z"), To: ts("2026-03-01T00:00:00Z"), Seed: 42, BatchSize: 10000})
	if err != nil {
		b.Fatal(err)
	}
	out := make([]Event, 0, n)
	if _, err := g.run(context.Background(), func(evs []Event) error { out = append(out, evs...); return nil }); err != nil {
		b.Fatal(err)
	}
	return out
}

// plainEventRow is an event as a plain bun model, for the baseline insert.
type plainEventRow struct {
	bun.BaseModel `bun:"table:engagement_events"`

	ID         int64   `bun:"id,pk,autoincrement"`
	AtMS       int64   `bun:"at_ms"`
	UserID     int64   `bun:"user_id"`
	PartnerID  *int64  `bun:"partner_id"`
	Kind       string  `bun:"kind"`
	Name       string  `bun:"name"`
	RoomID     *int64  `bun:"room_id"`
	RoomSlug   string  `bun:"room_slug"`
	BlockID    string  `bun:"block_id"`
	ResourceID *int64  `bun:"resource_id"`
	Path       string  `bun:"path"`
	Meta       *string `bun:"meta"`
}

func ptr(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// BenchmarkIngest measures events per second written by the Recorder (four
// goroutines recording as fast as they can, until Close has written
// everything) against a plain batched INSERT of the same rows with bun, in
// the same run, on a fresh database each.
func BenchmarkIngest(b *testing.B) {
	n := envInt("ATRIUM_BENCH_INGEST", 200000)
	evs := benchEvents(b, n)
	const batch = 5000
	for _, e := range storetest.Engines() {
		b.Run(string(e), func(b *testing.B) {
			ctx := context.Background()
			var baseline, recorder time.Duration
			for range b.N {
				now := time.Now()
				for i := range evs {
					evs[i].At = now
				}
				db := storetest.OpenEngine(b, e)
				rows := make([]plainEventRow, len(evs))
				for i, ev := range evs {
					var meta *string
					if len(ev.Meta) > 0 {
						s := string(ev.Meta)
						meta = &s
					}
					rows[i] = plainEventRow{AtMS: ev.At.UnixMilli(), UserID: ev.UserID, PartnerID: ptr(ev.PartnerID), Kind: string(ev.Kind), Name: ev.Name,
						RoomID: ptr(ev.RoomID), RoomSlug: ev.RoomSlug, BlockID: ev.BlockID, ResourceID: ptr(ev.ResourceID), Path: ev.Path, Meta: meta}
				}
				start := time.Now()
				for lo := 0; lo < len(rows); lo += batch {
					part := rows[lo:min(len(rows), lo+batch)]
					if _, err := db.NewInsert().Model(&part).ExcludeColumn("id").Returning("NULL").Exec(ctx); err != nil {
						b.Fatal(err)
					}
				}
				baseline += time.Since(start)

				db = storetest.OpenEngine(b, e)
				rec := NewRecorder(db, RecorderOptions{Buffer: len(evs), BatchSize: batch})
				start = time.Now()
				var wg sync.WaitGroup
				for g := range 4 {
					wg.Go(func() {
						for i := g; i < len(evs); i += 4 {
							rec.Record(evs[i])
						}
					})
				}
				wg.Wait()
				if err := rec.Close(ctx); err != nil {
					b.Fatal(err)
				}
				recorder += time.Since(start)
				if st := rec.Stats(); st.Written != uint64(len(evs)) {
					b.Fatalf("recorder wrote %d of %d events: %+v", st.Written, len(evs), st)
				}
			}
			total := float64(b.N * len(evs))
			b.ReportMetric(total/recorder.Seconds(), "events/s")
			b.ReportMetric(total/baseline.Seconds(), "baseline-events/s")
			b.ReportMetric(baseline.Seconds()/recorder.Seconds(), "x-baseline")
		})
	}
}

// BenchmarkFold measures how many events per second the rollup job folds
// into sessions and rollups (a catch-up of a fresh backlog).
func BenchmarkFold(b *testing.B) {
	n := envInt("ATRIUM_BENCH_INGEST", 200000)
	evs := benchEvents(b, n)
	for _, e := range storetest.Engines() {
		b.Run(string(e), func(b *testing.B) {
			var d time.Duration
			for range b.N {
				db := storetest.OpenEngine(b, e)
				for lo := 0; lo < len(evs); lo += 20000 {
					write(b, db, evs[lo:min(len(evs), lo+20000)]...)
				}
				j := NewJob(db, JobOptions{Now: func() time.Time { return ts("2026-03-02T00:00:00Z") }})
				start := time.Now()
				res, err := j.Step(context.Background())
				if err != nil || res.Events != len(evs) {
					b.Fatalf("%+v, %v", res, err)
				}
				d += time.Since(start)
			}
			b.ReportMetric(float64(b.N*len(evs))/d.Seconds(), "events/s")
		})
	}
}

// The dashboard dataset: two years up to the benchmark's "today".
var (
	benchFrom  = ts("2024-11-26T00:00:00Z")
	benchTo    = ts("2026-11-26T00:00:00Z")
	benchToday = ts("2026-11-25T15:00:00Z")
)

// benchDataset opens (building it the first time) the dataset of the
// configured size on engine e.
func benchDataset(b *testing.B, e storetest.Engine) (*bun.DB, int) {
	b.Helper()
	events := envInt("ATRIUM_BENCH_EVENTS", 1_000_000)
	partners := envInt("ATRIUM_BENCH_PARTNERS", 500)
	name := fmt.Sprintf("engagement_bench_%d_%d", events, partners)
	ctx := context.Background()
	var cfg store.Config
	switch e {
	case storetest.SQLite:
		dir := os.Getenv("ATRIUM_BENCH_DIR")
		if dir == "" {
			dir = os.TempDir()
		}
		cfg.DataDir = filepath.Join(dir, name)
	default:
		base := os.Getenv(storetest.EnvPostgres)
		admin, err := store.Open(ctx, store.Config{DatabaseURL: base})
		if err != nil {
			b.Fatal(err)
		}
		_, err = admin.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+name)
		admin.Close()
		if err != nil {
			b.Fatal(err)
		}
		u, _ := url.Parse(base)
		q := u.Query()
		q.Set("search_path", name)
		u.RawQuery = q.Encode()
		cfg.DatabaseURL = u.String()
	}
	db, err := store.Open(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := store.Migrate(ctx, db); err != nil {
		b.Fatal(err)
	}
	var ready int
	db.QueryRowContext(ctx, `SELECT count(*) FROM settings WHERE key = 'engagement_bench_ready'`).Scan(&ready) //nolint:errcheck // 0 on error
	if ready == 1 {
		return db, partners
	}
	for _, t := range []string{"engagement_events", "partners"} {
		if _, err := db.ExecContext(ctx, "DELETE FROM "+t); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("building the %s dataset %s: %d events, %d partners", e, name, events, partners)
	seedPartners(b, db, partners, ts("2024-01-01T00:00:00Z"))
	start := time.Now()
	res, err := Generate(ctx, db, GenerateOptions{Partners: partners, Users: 4 * partners, Events: events,
		From: benchFrom, To: benchTo, Seed: 1, Resources: benchResources()})
	if err != nil {
		b.Fatal(err)
	}
	gen := time.Since(start)
	start = time.Now()
	j := NewJob(db, JobOptions{ChunkSize: 100000, Now: func() time.Time { return benchToday.Add(24 * time.Hour) }})
	if err := j.Rebuild(ctx, RebuildOptions{}); err != nil {
		b.Fatal(err)
	}
	fold := time.Since(start)
	b.Logf("generated %d events in %s (%.0f/s), folded them in %s (%.0f/s)", res.Events, gen.Round(time.Second),
		float64(res.Events)/gen.Seconds(), fold.Round(time.Second), float64(res.Events)/fold.Seconds())
	if _, err := db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('engagement_bench_ready', ?)`,
		fmt.Sprintf("generate %s, fold %s", gen.Round(time.Second), fold.Round(time.Second))); err != nil {
		b.Fatal(err)
	}
	if !store.IsPostgres(db) {
		db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)") //nolint:errcheck // keeps the WAL file small
	}
	return db, partners
}

func benchResources() []int64 {
	out := make([]int64, 2000)
	for i := range out {
		out[i] = int64(i + 1)
	}
	return out
}

type benchCase struct {
	rng, scope string
	f          Filter
}

// benchCases are every quick range, whole years and arbitrary ranges, each
// for an admin, a manager of 100 partners, and a partner type.
func benchCases(partners int) []benchCase {
	ranges := map[string][2]time.Time{}
	for _, q := range QuickRanges() {
		from, to := q.Range(benchToday)
		ranges[string(q)] = [2]time.Time{from, to}
	}
	ranges["two-years"] = [2]time.Time{benchFrom, benchTo}
	ranges["730-days-unaligned"] = [2]time.Time{ts("2024-11-27T00:00:00Z"), ts("2026-11-27T00:00:00Z")}
	ranges["400-days-unaligned"] = [2]time.Time{ts("2025-06-13T00:00:00Z"), ts("2026-07-18T00:00:00Z")}
	ranges["45-days"] = [2]time.Time{ts("2026-08-17T00:00:00Z"), ts("2026-10-01T00:00:00Z")}
	ranges["7-days"] = [2]time.Time{ts("2026-11-18T00:00:00Z"), ts("2026-11-25T00:00:00Z")}
	rng := rand.New(rand.NewPCG(5, 5))
	var managed []int64
	for _, i := range rng.Perm(partners)[:min(100, partners)] {
		managed = append(managed, int64(i+1))
	}
	scopes := map[string]Filter{
		"admin":    {Scope: reach.Everyone()},
		"manager":  {Scope: reach.ReadOnly(managed)},
		"reseller": {Scope: reach.Everyone(), PartnerTypes: []string{"reseller"}},
	}
	var out []benchCase
	for _, rn := range slices.Sorted(maps.Keys(ranges)) {
		for _, sn := range slices.Sorted(maps.Keys(scopes)) {
			f := scopes[sn]
			f.From, f.To = ranges[rn][0], ranges[rn][1]
			out = append(out, benchCase{rn, sn, f})
		}
	}
	return out
}

// leaderboardSorts are the leaderboard's sort columns; "" is by score.
var leaderboardSorts = []LeaderboardColumn{"", ByScore, ByPartner, ByType, ByUsers, BySessions, ByPageViews, ByActions, ByAvgDuration}

// BenchmarkDashboard runs each panel over every case in turn and reports the
// latency percentiles across them; -v logs the slowest case of each panel.
func BenchmarkDashboard(b *testing.B) {
	for _, e := range storetest.Engines() {
		if only := os.Getenv("ATRIUM_BENCH_ENGINE"); only != "" && only != string(e) {
			continue
		}
		b.Run(string(e), func(b *testing.B) {
			db, partners := benchDataset(b, e)
			r := NewReports(db, ReportOptions{})
			cases := benchCases(partners)
			ctx := context.Background()
			sorts := 0
			panels := []struct {
				name string
				run  func(f Filter) error
			}{
				{"kpis", func(f Filter) error { _, err := r.KPIs(ctx, f); return err }},
				{"timeline", func(f Filter) error { _, err := r.Timeline(ctx, f); return err }},
				{"top-rooms", func(f Filter) error { _, err := r.TopContent(ctx, f, Rooms, 10); return err }},
				{"top-resources", func(f Filter) error { _, err := r.TopContent(ctx, f, Resources, 10); return err }},
				{"leaderboard", func(f Filter) error {
					// Every sort column in turn, each way.
					sorts++
					col := leaderboardSorts[sorts%len(leaderboardSorts)]
					_, err := r.Leaderboard(ctx, f, LeaderboardQuery{Sort: col, Desc: sorts/len(leaderboardSorts)%2 == 0, PerPage: 25})
					return err
				}},
				{"at-risk", func(f Filter) error { _, err := r.AtRisk(ctx, f); return err }},
				// The baseline: the leaderboard's and at-risk's per-partner
				// sums as they were read before the running totals, from the
				// day, month and year rollups of the range's cover.
				{"partner-sums-from-periods", func(f Filter) error {
					from, to, err := f.days()
					if err != nil {
						return err
					}
					ps, err := resolvePartners(ctx, db, f)
					if err != nil {
						return err
					}
					_, err = r.sumStats(ctx, ps, cover(from, to), "partner_id")
					return err
				}},
				{"partner-sums-from-totals", func(f Filter) error {
					from, to, err := f.days()
					if err != nil {
						return err
					}
					ps, err := resolvePartners(ctx, db, f)
					if err != nil {
						return err
					}
					_, err = r.partnerSums(ctx, ps, from, to)
					return err
				}},
			}
			for _, p := range panels {
				b.Run(p.name, func(b *testing.B) {
					if err := p.run(cases[0].f); err != nil { // warm the member index
						b.Fatal(err)
					}
					lat := make([]time.Duration, 0, b.N)
					slowest, slowCase := time.Duration(0), ""
					b.ResetTimer()
					for i := range b.N {
						c := cases[i%len(cases)]
						start := time.Now()
						if err := p.run(c.f); err != nil {
							b.Fatal(err)
						}
						d := time.Since(start)
						lat = append(lat, d)
						if d > slowest {
							slowest, slowCase = d, c.rng+"/"+c.scope
						}
					}
					slices.Sort(lat)
					pct := func(q float64) float64 {
						return float64(lat[min(len(lat)-1, int(q*float64(len(lat))))].Microseconds()) / 1000
					}
					b.ReportMetric(pct(0.5), "p50-ms")
					b.ReportMetric(pct(0.99), "p99-ms")
					b.ReportMetric(float64(slowest.Microseconds())/1000, "max-ms")
					b.Logf("%s: slowest %s (%s) over %d cases", p.name, slowCase, slowest.Round(100*time.Microsecond), len(cases))
				})
			}
		})
	}
}

// BenchmarkRecord is what a page view costs the request that records it.
func BenchmarkRecord(b *testing.B) {
	db := storetest.OpenEngine(b, storetest.SQLite)
	rec := NewRecorder(db, RecorderOptions{Buffer: 1 << 20})
	ev := pv(1, 1, time.Time{})
	ev.Path = "/r/overview"
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec.Record(ev)
		}
	})
	b.StopTimer()
	rec.Close(context.Background()) //nolint:errcheck // the figure is the call's cost
}
