package pipeline_test

import (
	"context"
	"testing"

	"github.com/atriumhq/atrium/core/pipeline"
	"github.com/atriumhq/atrium/core/store/storetest"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/uptrace/bun"
)

func TestGenerate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		last := 0
		res, err := pipeline.Generate(ctx, db, pipeline.GenerateOptions{Partners: 30, Leads: 2000, ManagerID: w.mike.UserID, Seed: 1,
			Progress: func(done, total int) { last = done }})
		if err != nil {
			t.Fatal(err)
		}
		if last != 2030 || len(res.PartnerIDs) != 30 || res.Leads != 2000 || res.Deals == 0 {
			t.Fatalf("result %+v, progress %d", res, last)
		}
		page, err := w.svc.ListLeads(ctx, w.mike, sp.LeadQuery{PerPage: 1})
		if err != nil || page.Total != 2000 {
			t.Fatalf("mike sees %d leads, %v", page.Total, err)
		}
		ov, err := w.svc.Overview(ctx, w.mike, sp.OverviewQuery{PartnerID: res.PartnerIDs[0]})
		if err != nil || ov.LeadsTotal == 0 {
			t.Fatalf("overview %+v, %v", ov, err)
		}
	})
}
