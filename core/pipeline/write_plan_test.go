package pipeline_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/atriumhq/atrium/core/store/storetest"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/uptrace/bun"
)

// selects records the SELECT statements a piece of code runs.
type selects struct {
	mu  sync.Mutex
	sql []string
	on  bool
}

func (s *selects) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

func (s *selects) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.on && strings.HasPrefix(strings.TrimSpace(e.Query), "SELECT") {
		s.sql = append(s.sql, e.Query)
	}
}

// TestWritesReadNoWholeTable asks SQLite how it runs every SELECT that
// submitting a lead, registering a deal and moving a stage make, and fails
// when one reads a whole pipeline table: such a write gets slower with
// every lead in the program (a duplicate check that once did cost 66 ms a
// lead at 100,000 leads, against 3 ms at 1,000).
func TestWritesReadNoWholeTable(t *testing.T) {
	db := storetest.OpenEngine(t, storetest.SQLite)
	rec := &selects{}
	db.AddQueryHook(rec)
	w := newWorld(t, db)
	ctx := context.Background()
	for i, in := range []sp.LeadInput{
		{ContactName: "Ann", Company: "Globex", Website: "globex.example", Email: "ann@globex.example"},
		{ContactName: "Bob", Company: "Initech", Email: "bob@initech.example"},
		{ContactName: "Cy", Company: "Freelance", Email: "cy@gmail.com"},
	} {
		rec.on = i > 0 // the first submission warms the settings cache
		if _, err := w.svc.SubmitLead(ctx, w.carlos, in); err != nil {
			t.Fatal(err)
		}
	}
	d, err := w.svc.RegisterDeal(ctx, w.carlos, sp.DealInput{Name: "Globex rollout", Company: "Globex", Website: "globex.example", Value: sp.Money{Amount: 100_000, Currency: "USD"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.ReviewDeal(ctx, w.mike, sp.Review{ID: d.ID, Approve: true}); err != nil {
		t.Fatal(err)
	}
	cfg, err := w.svc.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.SetDealStage(ctx, w.mike, sp.StageChange{ID: d.ID, Stage: cfg.DealStages[1].Key}); err != nil {
		t.Fatal(err)
	}
	rec.on = false
	if len(rec.sql) == 0 {
		t.Fatal("no SELECT was recorded")
	}
	for _, q := range rec.sql {
		rows, err := db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q)
		if err != nil {
			t.Fatalf("explain %s: %v", q, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		for _, step := range plan {
			// "SCAN t" reads every row of t (or of one of its indexes,
			// "USING COVERING INDEX"), whatever its alias.
			if strings.HasPrefix(step, "SCAN ") && step != "SCAN CONSTANT ROW" {
				t.Errorf("a write reads a whole table (%s):\n%s\nplan: %s", step, q, strings.Join(plan, "; "))
			}
		}
	}
}
