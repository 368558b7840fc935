package engagement

import (
	"context"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

func TestGenerateTellsAStory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		var progress [][2]int
		res, err := Generate(ctx, db, GenerateOptions{Partners: 40, Users: 120, Events: 20000, Seed: 3,
			From: ts("2026-01-05T00:00:00Z"), To: ts("2026-05-04T00:00:00Z"), BatchSize: 3000,
			Progress: func(done, total int) { progress = append(progress, [2]int{done, total}) }})
		if err != nil {
			t.Fatal(err)
		}
		if res.Events != 20000 || countEvents(t, db) != 20000 {
			t.Fatalf("wrote %d events (%d in the database), want exactly 20000", res.Events, countEvents(t, db))
		}
		if len(progress) != 7 || progress[6] != [2]int{20000, 20000} {
			t.Errorf("progress calls %v", progress)
		}
		if len(res.Quiet) == 0 || len(res.Passive) == 0 {
			t.Fatalf("no quiet or passive partners to tell a story: %+v", res)
		}
		var n int
		if err := db.NewSelect().Table("engagement_events").Where("kind = 'action' AND partner_id IN (?)", bun.List(res.Passive)).
			ColumnExpr("count(*)").Scan(ctx, &n); err != nil || n != 0 {
			t.Errorf("passive partners took %d actions (%v)", n, err)
		}
		var last int64
		if err := db.NewSelect().Table("engagement_events").Where("partner_id IN (?)", bun.List(res.Quiet)).
			ColumnExpr("max(at_ms)").Scan(ctx, &last); err != nil || time.UnixMilli(last).After(ts("2026-05-03T00:00:00Z")) {
			t.Errorf("quiet partners were active until %s (%v)", time.UnixMilli(last).UTC(), err)
		}
		// Weekdays are busier than weekends.
		var weekend, weekday int
		// The job folds the story at its production chunk size: the chunk
		// boundaries have tests of their own (TestSessionEdges,
		// TestRollupsMatchRawEvents), and folding 20,000 events seven at a
		// time took four minutes on a busy PostgreSQL.
		now := ts("2026-05-05T00:00:00Z")
		job := NewJob(db, JobOptions{Location: time.UTC, Now: func() time.Time { return now }})
		if res, err := job.Step(ctx); err != nil || !res.Leader || res.Events != 20000 {
			t.Fatalf("fold the story: %+v, %v", res, err)
		}
		for d := day(2026, 1, 5); d < day(2026, 5, 4); d++ {
			s := partnerStatsDay(t, db, d)
			if wd := time.Unix(int64(d)*86400, 0).UTC().Weekday(); wd == time.Saturday || wd == time.Sunday {
				weekend += int(s.pageViews + s.actions)
			} else {
				weekday += int(s.pageViews + s.actions)
			}
		}
		if weekend*5/2 > weekday*2/5 { // per day, weekends under 40% of weekdays
			t.Errorf("weekend events %d, weekday events %d", weekend, weekday)
		}
	})
}

func partnerStatsDay(t testing.TB, db *bun.DB, d int32) stat {
	return groupStat(t, db, allGroup, d)
}
