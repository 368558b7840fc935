package pipeline_test

import (
	"context"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/pipeline"
	"github.com/atriumhq/atrium/core/store/storetest"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/uptrace/bun"
)

// TestVisitOverview: the first visit has no previous one; looks within half
// an hour are the same visit (a reload keeps the same news); after a gap the
// previous visit is when the viewer last looked; previews record nothing.
func TestVisitOverview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		now := t0
		svc := pipeline.New(db, directory.New(db), pipeline.WithClock(func() time.Time { return now }))
		look := func(at time.Time) *time.Time {
			t.Helper()
			now = at
			v, err := svc.VisitOverview(ctx, w.sarah)
			if err != nil {
				t.Fatal(err)
			}
			return v.Previous
		}
		if p := look(t0); p != nil {
			t.Fatalf("first visit has a previous one: %v", p)
		}
		if p := look(t0.Add(10 * time.Minute)); p != nil {
			t.Fatalf("a reload within the first visit has a previous one: %v", p)
		}
		// A reload seconds later writes nothing.
		look(t0.Add(10*time.Minute + 30*time.Second))
		var seen time.Time
		if err := db.NewRaw("SELECT seen_at FROM overview_visits WHERE user_id = ?", w.sarah.UserID).Scan(ctx, &seen); err != nil || !seen.Equal(t0.Add(10*time.Minute)) {
			t.Fatalf("seen_at %v, %v; want it left at %v", seen, err, t0.Add(10*time.Minute))
		}
		if p := look(t0.Add(3 * time.Hour)); p == nil || !p.Equal(t0.Add(10*time.Minute)) {
			t.Fatalf("after a gap the previous visit is %v, want the last look at %v", p, t0.Add(10*time.Minute))
		}
		if p := look(t0.Add(3*time.Hour + 20*time.Minute)); p == nil || !p.Equal(t0.Add(10*time.Minute)) {
			t.Fatalf("a reload within the visit moved the previous visit to %v", p)
		}
		if p := look(t0.Add(30 * time.Hour)); p == nil || !p.Equal(t0.Add(3*time.Hour+20*time.Minute)) {
			t.Fatalf("the next day the previous visit is %v", p)
		}
		other, err := svc.VisitOverview(ctx, w.carlos) // per person
		if err != nil || other.Previous != nil {
			t.Fatalf("Carlos's first visit: %v %v", other.Previous, err)
		}
		pv := w.dana
		pv.Preview = true
		if v, err := svc.VisitOverview(ctx, pv); err != nil || v.Previous != nil {
			t.Fatalf("preview: %v %v", v, err)
		}
		if n, _ := db.NewSelect().Table("overview_visits").Where("user_id = ?", w.dana.UserID).Count(ctx); n != 0 {
			t.Fatal("a preview recorded a visit")
		}
	})
}

// TestReachGoal: one claim per goal, period and partner, whoever of the
// partner's people sees it first; staff never claim.
func TestReachGoal(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		q4 := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
		mark := sp.GoalMark{Room: "overview", Block: "goals", Goal: "Leads submitted", PeriodStart: q4}
		next := mark
		next.PeriodStart = q4.AddDate(0, 3, 0)
		other := mark
		other.Goal = "Deals won"
		for _, c := range []struct {
			name  string
			claim func() (sp.GoalClaim, error)
			first bool
		}{
			{"first sight", func() (sp.GoalClaim, error) { return w.svc.ReachGoal(ctx, w.sarah, mark) }, true},
			{"again", func() (sp.GoalClaim, error) { return w.svc.ReachGoal(ctx, w.sarah, mark) }, false},
			{"staff", func() (sp.GoalClaim, error) { return w.svc.ReachGoal(ctx, w.mike, other) }, false},
			{"another goal", func() (sp.GoalClaim, error) { return w.svc.ReachGoal(ctx, w.sarah, other) }, true},
			{"next period", func() (sp.GoalClaim, error) { return w.svc.ReachGoal(ctx, w.sarah, next) }, true},
			{"another partner", func() (sp.GoalClaim, error) { return w.svc.ReachGoal(ctx, w.carlos, mark) }, true},
		} {
			got, err := c.claim()
			if err != nil || got.First != c.first {
				t.Errorf("%s: first %v, %v; want %v", c.name, got.First, err, c.first)
			}
		}
		if _, err := w.svc.ReachGoal(ctx, w.sarah, sp.GoalMark{Room: "overview"}); err == nil {
			t.Error("a mark without block, goal and period was accepted")
		}
	})
}

// TestMeasureTasksCompleted counts the partner's completed checklist tasks
// in the period, and only theirs.
func TestMeasureTasksCompleted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		in := time.Date(2026, 11, 5, 12, 0, 0, 0, time.UTC)
		for i, row := range []struct {
			partner int64
			at      time.Time
		}{{w.sarah.PartnerID(), in}, {w.sarah.PartnerID(), in.Add(time.Hour)}, {w.sarah.PartnerID(), in.AddDate(0, -2, 0)}, {w.carlos.PartnerID(), in}} {
			if _, err := db.NewRaw(`INSERT INTO task_completions (partner_id, user_id, block_key, task_id, completed_by, completed_at) VALUES (?, ?, 'onboarding', ?, ?, ?)`,
				row.partner, w.sarah.UserID, "t"+string(rune('a'+i)), w.sarah.UserID, row.at).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		from, to := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		got, err := w.svc.Measure(ctx, w.sarah, sp.MetricQuery{Metric: sp.MetricTasksCompleted, From: from, To: to})
		if err != nil || got.Value != 2 {
			t.Fatalf("Sarah's tasks completed in November: %d, %v; want 2", got.Value, err)
		}
		got, err = w.svc.Measure(ctx, w.priya, sp.MetricQuery{Metric: sp.MetricTasksCompleted, From: from, To: to})
		if err != nil || got.Value != 0 {
			t.Fatalf("Priya (manages neither) counts %d, %v", got.Value, err)
		}
	})
}
