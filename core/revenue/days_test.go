package revenue_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/engagement"
	"github.com/atriumhq/atrium/core/pipeline"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/revenue"
	"github.com/atriumhq/atrium/core/store/storetest"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/uptrace/bun"
)

// TestDailyCountsFollowEveryChange changes a generated pipeline every way
// the daily counts must follow (statuses, stages, registrations, values,
// dates, a partner's type, a lead moved to another partner, deletions),
// in bulk statements as well as row by row, and checks every panel for
// every partner and each partner type against the rows, in zones whose
// midnights fall on, a few hours off and a quarter hour off UTC's.
func TestDailyCountsFollowEveryChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		res, err := pipeline.Generate(ctx, db, pipeline.GenerateOptions{Partners: 16, Leads: 3000, Seed: 7, Currencies: []string{"USD", "EUR"}})
		if err != nil {
			t.Fatal(err)
		}
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := db.ExecContext(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		exec("UPDATE pipeline_leads SET status = ? WHERE id % 7 = 0", sp.LeadQualified)
		exec("UPDATE pipeline_leads SET status = ? WHERE id % 11 = 0", sp.LeadWon)
		exec("UPDATE pipeline_leads SET partner_id = ? WHERE id % 13 = 0", res.PartnerIDs[3])
		exec("UPDATE pipeline_leads SET notes = 'seen' WHERE id % 3 = 0") // no count changes
		exec("UPDATE partners SET type = 'distributor' WHERE id = ?", res.PartnerIDs[0])
		exec("UPDATE partners SET type = 'implementation' WHERE id = ?", res.PartnerIDs[1])
		exec("UPDATE pipeline_deals SET registration = ? WHERE id % 5 = 0", sp.RegistrationPending)
		exec("UPDATE pipeline_deals SET registration = '' WHERE id % 10 = 0")
		exec("UPDATE pipeline_deals SET value = value + 1234 WHERE id % 4 = 0")
		exec("UPDATE pipeline_deals SET currency = 'GBP' WHERE id % 9 = 0")
		exec("DELETE FROM pipeline_deals WHERE id % 17 = 0")
		exec("UPDATE pipeline_commissions SET status = ? WHERE id % 3 = 0", sp.CommissionPaid)
		exec("DELETE FROM pipeline_commissions WHERE id % 8 = 0")
		exec("DELETE FROM pipeline_leads WHERE id % 19 = 0")

		// Row by row: open deals won, won deals lost, dates moved across
		// UTC midnights.
		var open []struct {
			ID        int64     `bun:"id"`
			CreatedAt time.Time `bun:"created_at"`
		}
		if err := db.NewSelect().Table("pipeline_deals").Column("id", "created_at").Where("stage NOT IN (?, ?)", sp.StageWon, sp.StageLost).
			Order("id").Limit(40).Scan(ctx, &open); err != nil {
			t.Fatal(err)
		}
		for i, d := range open {
			closed := d.CreatedAt.Add(time.Duration(i*7) * time.Hour)
			exec("UPDATE pipeline_deals SET stage = ?, closed_at = ? WHERE id = ?", sp.StageWon, closed.UTC(), d.ID)
		}
		exec("UPDATE pipeline_deals SET stage = ? WHERE stage = ? AND id % 6 = 0", sp.StageLost, sp.StageWon)
		var leads []struct {
			ID        int64     `bun:"id"`
			CreatedAt time.Time `bun:"created_at"`
		}
		if err := db.NewSelect().Table("pipeline_leads").Column("id", "created_at").Order("id").Limit(60).Scan(ctx, &leads); err != nil {
			t.Fatal(err)
		}
		for i, l := range leads {
			exec("UPDATE pipeline_leads SET created_at = ? WHERE id = ?", l.CreatedAt.Add(time.Duration(i-30)*5*time.Hour).UTC(), l.ID)
		}

		w := load(t, db)
		for _, loc := range []*time.Location{time.UTC, mustZone(t, "America/Los_Angeles"), mustZone(t, "Pacific/Chatham")} {
			r := revenue.NewReports(db, revenue.Options{Location: loc})
			now := time.Now().In(loc)
			type span struct {
				name     string
				from, to time.Time
			}
			spans := []span{{"400-days", now.AddDate(0, 0, -399), now.AddDate(0, 0, 1)}, {"one-day", now, now.AddDate(0, 0, 1)},
				{"50-days", now.AddDate(0, -3, 3), now.AddDate(0, -1, 11)}}
			for _, q := range []engagement.QuickRange{engagement.ThisYear, engagement.LastQuarter} {
				from, to := q.Range(now)
				spans = append(spans, span{string(q), from, to})
			}
			for _, sc := range []struct {
				name  string
				types []string
			}{{"all", nil}, {"distributor", []string{"distributor"}}, {"implementation-reseller", []string{"implementation", "reseller"}}} {
				for _, s := range spans {
					f := revenue.Filter{From: s.from, To: s.to, Scope: reach.Everyone(), PartnerTypes: sc.types}
					in := func(id int64) bool { return inFilter(w, f, id) }
					from := time.Date(s.from.Year(), s.from.Month(), s.from.Day(), 0, 0, 0, 0, loc)
					to := time.Date(s.to.Year(), s.to.Month(), s.to.Day(), 0, 0, 0, 0, loc)
					checkPanels(t, ctx, r, f, compute(w, in, from, to), w, fmt.Sprintf("%s/%s/%s", loc, sc.name, s.name))
				}
			}
		}
	})
}

// TestCover checks how a range splits between daily counts and rows.
func TestCover(t *testing.T) {
	utc := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	day := func(s string) int64 { return utc(s+"T00:00:00Z").Unix() / 86400 }
	for _, c := range []struct {
		name        string
		from, to    string
		cuts        []string
		first, last int64
		skip        []int64
		raw         [][2]string
	}{
		{name: "whole UTC days", from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z",
			first: day("2026-01-01"), last: day("2026-02-01")},
		{name: "a zone behind UTC", from: "2026-01-01T05:00:00Z", to: "2026-02-01T05:00:00Z",
			first: day("2026-01-02"), last: day("2026-02-01"),
			raw: [][2]string{{"2026-01-01T05:00:00Z", "2026-01-02T00:00:00Z"}, {"2026-02-01T00:00:00Z", "2026-02-01T05:00:00Z"}}},
		{name: "inside one UTC day", from: "2026-01-01T05:00:00Z", to: "2026-01-01T09:00:00Z",
			raw: [][2]string{{"2026-01-01T05:00:00Z", "2026-01-01T09:00:00Z"}}},
		{name: "across one UTC midnight only", from: "2026-01-01T18:30:00Z", to: "2026-01-02T18:30:00Z",
			raw: [][2]string{{"2026-01-01T18:30:00Z", "2026-01-02T18:30:00Z"}}},
		{name: "cuts inside days are read raw", from: "2026-01-01T00:00:00Z", to: "2026-03-01T00:00:00Z",
			cuts:  []string{"2026-02-01T00:00:00Z", "2026-02-10T13:45:00Z", "2026-02-10T20:00:00Z"},
			first: day("2026-01-01"), last: day("2026-03-01"), skip: []int64{day("2026-02-10")},
			raw: [][2]string{{"2026-02-10T00:00:00Z", "2026-02-11T00:00:00Z"}}},
	} {
		got := revenue.CoverOf(utc(c.from), utc(c.to), func() []time.Time {
			var out []time.Time
			for _, s := range c.cuts {
				out = append(out, utc(s))
			}
			return out
		}()...)
		var raw [][2]string
		for _, s := range got.Raw {
			raw = append(raw, [2]string{s[0].Format(time.RFC3339), s[1].Format(time.RFC3339)})
		}
		if got.First != c.first || got.Last != c.last || fmt.Sprint(got.Skip) != fmt.Sprint(c.skip) || fmt.Sprint(raw) != fmt.Sprint(c.raw) {
			t.Errorf("%s: days [%d, %d) skip %v raw %v, want [%d, %d) skip %v raw %v", c.name, got.First, got.Last, got.Skip, raw,
				c.first, c.last, c.skip, c.raw)
		}
	}
}
