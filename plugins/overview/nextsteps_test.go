package overview

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/compliance"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/atriumhq/atrium/sdk/plugintest"
	"github.com/atriumhq/atrium/sdk/projects"
	"github.com/atriumhq/atrium/sdk/ui"
)

// TestTrendTiles: each tile shows this month's figure, says its change
// against last month in words (the arrow only repeats it), and carries the
// months as a sparkline whose accessible name gives every number.
func TestTrendTiles(t *testing.T) {
	month := func(m int, leads, deals, won int, value, commission int64) sp.MonthFigures {
		return sp.MonthFigures{Start: time.Date(2026, time.Month(m), 1, 0, 0, 0, 0, time.UTC), LeadsSubmitted: leads, DealsRegistered: deals,
			DealsWon: won, WonValue: sp.Money{Amount: value, Currency: "USD"}, Commission: sp.Money{Amount: commission, Currency: "USD"}}
	}
	o := sp.Overview{LeadsTotal: 20, LeadsByStatus: map[string]int{sp.LeadWon: 2, sp.LeadLost: 3}, OpenDeals: 4,
		PipelineValue: sp.Money{Amount: 5000000, Currency: "USD"}, CommissionPending: sp.Money{Amount: 120000, Currency: "USD"},
		CommissionPaid: sp.Money{Amount: 30000, Currency: "USD"},
		Months: []sp.MonthFigures{month(7, 0, 1, 0, 0, 0), month(8, 2, 0, 0, 0, 0), month(9, 1, 0, 1, 1000000, 100000),
			month(10, 4, 2, 0, 0, 0), month(11, 4, 3, 2, 2500000, 250000), month(12, 7, 1, 0, 0, -5000)}}
	type tile struct{ label, value, delta, trend, hint string }
	for _, tc := range []struct {
		lang  string
		want  []tile
		spark []float64 // the first tile's
		label string    // the first tile's sparkline's name
	}{
		{"en", []tile{
			{"Leads this month", "7", "3 more than last month", ui.TrendUp, "15 open · 20 in all"},
			{"Deals registered this month", "1", "2 fewer than last month", ui.TrendDown, "4 open · $50,000 in the pipeline"},
			{"Won this month", "$0", "$25,000 less than last month", ui.TrendDown, "0 deals closed"},
			{"Commission this month", "-$50", "$2,550 less than last month", ui.TrendDown, "$1,200 pending · $300 paid"},
		}, []float64{0, 2, 1, 4, 4, 7}, "Leads per month, Jul to Dec: 0, 2, 1, 4, 4, 7"},
		{"de", []tile{
			{"Leads diesen Monat", "7", "3 mehr als im Vormonat", ui.TrendUp, "15 offen · 20 insgesamt"},
		}, []float64{0, 2, 1, 4, 4, 7}, "Leads pro Monat"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			l := catalog.For(tc.lang)
			cols, ok := Metrics(l, o).(ui.Columns)
			if !ok || len(cols.Children) != 4 {
				t.Fatalf("tiles = %#v", Metrics(l, o))
			}
			for i, w := range tc.want {
				m := cols.Children[i].(ui.Metric)
				norm := func(s string) string { return strings.NewReplacer("\u00a0", " ", "\u202f", " ", "−", "-").Replace(s) }
				got := tile{m.Label, norm(m.Value), norm(m.Delta), m.Trend, norm(m.Hint)}
				if got != w {
					t.Errorf("tile %d = %+v\nwant %+v", i, got, w)
				}
				if len(m.Spark) != 6 || m.SparkLabel == "" {
					t.Errorf("tile %d sparkline %v %q", i, m.Spark, m.SparkLabel)
				}
			}
			first := cols.Children[0].(ui.Metric)
			if !slices.Equal(first.Spark, tc.spark) || !strings.HasPrefix(first.SparkLabel, tc.label) {
				t.Errorf("sparkline %v %q, want %v %q", first.Spark, first.SparkLabel, tc.spark, tc.label)
			}
		})
	}
	// With last month up to this day (what the portal sends), the change
	// is against that: 7 leads by the 8th against 9 by the 8th of
	// November is a fall, though all of November had 4.
	toDate := o
	lm := month(11, 9, 1, 0, 0, 250000)
	toDate.LastMonthToDate = &lm
	for lang, want := range map[string][2]string{
		"en": {"2 fewer than by this day last month", "$2,550 less than by this day last month"},
		"de": {"2 weniger als bis zu diesem Tag im Vormonat", "2.550 $ weniger als bis zu diesem Tag im Vormonat"},
		"es": {"2 menos que a estas alturas del mes pasado", "2.550 $ menos que a estas alturas del mes pasado"},
	} {
		cols := Metrics(catalog.For(lang), toDate).(ui.Columns)
		norm := strings.NewReplacer("\u00a0", " ", "\u202f", " ", "−", "-").Replace
		leads, commission := cols.Children[0].(ui.Metric), cols.Children[3].(ui.Metric)
		if leads.Trend != ui.TrendDown || norm(leads.Delta) != want[0] {
			t.Errorf("%s: leads against last month to date: %q %q", lang, leads.Trend, leads.Delta)
		}
		if norm(commission.Delta) != want[1] {
			t.Errorf("%s: commission against last month to date: %q", lang, commission.Delta)
		}
		if deals := cols.Children[1].(ui.Metric); deals.Trend != ui.TrendFlat {
			t.Errorf("%s: deals 1 against 1: %q %q", lang, deals.Trend, deals.Delta)
		}
	}

	// Same as last month is flat, and says so.
	flat := o
	flat.Months = []sp.MonthFigures{month(11, 3, 0, 0, 0, 0), month(12, 3, 0, 0, 0, 0)}
	m := Metrics(catalog.For("en"), flat).(ui.Columns).Children[0].(ui.Metric)
	if m.Trend != ui.TrendFlat || m.Delta != "Same as last month" {
		t.Errorf("flat = %q %q", m.Trend, m.Delta)
	}
}

func TestNextSteps(t *testing.T) {
	now := time.Date(2026, 12, 8, 10, 0, 0, 0, time.UTC)
	day := func(d int) *time.Time { t := now.AddDate(0, 0, d); return &t }
	iso := func(d int) string { return now.AddDate(0, 0, d).Format(time.DateOnly) }
	req := sdk.RenderRequest{Viewer: plugintest.Partner()}
	deal := func(id int64, name, reg string, protected, close *time.Time) sp.Deal {
		return sp.Deal{ID: id, PartnerID: 11, Name: name, Stage: "qualified", Registration: reg, ProtectedUntil: protected, ExpectedClose: close}
	}
	for _, tc := range []struct {
		name string
		r    records
		want []string // titles, in order
		href []string // links, in order (checked when given)
	}{
		{"nothing to do starts with leads", records{Start: "leads"}, []string{"Nothing needs you right now", "Submit a lead"}, nil},
		{"nothing to do starts with deals", records{Start: "deals"}, []string{"Nothing needs you right now", "Register a deal"}, nil},
		{"ranked: late, then soon, then to do, then habits", records{Start: "leads", LeadsBefore: 4,
			Deals: []sp.Deal{
				deal(1, "Far", sp.RegistrationApproved, day(60), day(40)),
				deal(2, "Closing soon", sp.RegistrationApproved, day(60), day(5)),
				deal(3, "Hooli", sp.RegistrationApproved, day(3), day(40)),
				deal(4, "Lapsed", sp.RegistrationApproved, day(-2), nil),
				deal(5, "Waiting for approval", sp.RegistrationPending, nil, day(50)),
				deal(6, "Slipped", sp.RegistrationApproved, day(60), day(-9)),
			},
			Items: []compliance.Item{
				{Name: "Insurance", PartnerID: 11, Status: compliance.Expiring, Expires: iso(12)},
				{Name: "Agreement", PartnerID: 11, Status: compliance.Rejected, Reason: "Unsigned page 3"},
				{Name: "Tax form", PartnerID: 11, Status: compliance.Submitted},
				{Name: "Certificate", PartnerID: 11, Status: compliance.Missing, Due: iso(90)},
			},
			Projects: []projects.Project{{ID: 9, PartnerID: 11, Name: "Rollout", LateTasks: 2}, {ID: 10, PartnerID: 11, Name: "On track"}},
		}, []string{"Next steps", "Protection of Lapsed has ended", "Agreement was not accepted", "Unsigned page 3", "2 late tasks in Rollout",
			"Slipped was expected to close on", "Protection of Hooli ends in 3 days"},
			[]string{"/rooms/deals/items/4", "/rooms/compliance", "/rooms/projects/items/9", "/rooms/deals/items/6", "/rooms/deals/items/3"}},
		{"the rest, when the urgent ones are done", records{Start: "leads", LeadsBefore: 4,
			Deals: []sp.Deal{deal(2, "Closing soon", sp.RegistrationApproved, day(60), day(5))},
			Items: []compliance.Item{{Name: "Insurance", PartnerID: 11, Status: compliance.Expiring, Expires: iso(12)},
				{Name: "Certificate", PartnerID: 11, Status: compliance.Missing, Due: iso(90)}},
		}, []string{"Insurance expires on", "Closing soon is expected to close on", "Hand in Certificate", "No leads submitted yet this month"},
			[]string{"/rooms/compliance", "/rooms/deals/items/2", "/rooms/compliance", "/rooms/leads"}},
		{"a month with leads needs no reminder", records{Start: "leads", LeadsThisMonth: 1, LeadsBefore: 4}, []string{"Nothing needs you right now"}, nil},
		{"nor does a partner that never brought one", records{Start: "leads"}, []string{"Nothing needs you right now"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tree := nextSteps(catalog.For("en"), req, tc.r, now)
			b, _ := json.Marshal(tree)
			got, at := string(b), 0
			for _, w := range tc.want {
				i := strings.Index(got[at:], w)
				if i < 0 {
					t.Fatalf("want %q after position %d in %s", w, at, got)
				}
				at += i
			}
			if tc.href == nil {
				return
			}
			list := tree.(ui.Stack).Children[1].(ui.List)
			var hrefs []string
			for _, it := range list.Items {
				hrefs = append(hrefs, it.Href)
			}
			if !slices.Equal(hrefs, tc.href) || len(list.Items) > maxSteps {
				t.Errorf("links %v, want %v", hrefs, tc.href)
			}
		})
	}
}

// TestNextStepsOwnRecordsOnly: a distributor's host calls answer its
// sub-partners' records too; the next steps show only the partner's own,
// and staff see none.
func TestNextStepsOwnRecordsOnly(t *testing.T) {
	h := plugintest.NewHost()
	soon := time.Now().UTC().AddDate(0, 0, 3)
	plugintest.Handle(h, sp.ListDeals, func(_ context.Context, v sdk.Viewer, q sp.DealQuery) (sp.DealPage, error) {
		return sp.DealPage{Items: []sp.Deal{
			{ID: 1, PartnerID: 11, Name: "Own deal", Stage: "qualified", Registration: sp.RegistrationApproved, ProtectedUntil: &soon},
			{ID: 2, PartnerID: 12, Name: "Sub-partner deal", Stage: "qualified", Registration: sp.RegistrationApproved, ProtectedUntil: &soon},
		}}, nil
	})
	plugintest.Handle(h, compliance.ListItems, func(_ context.Context, v sdk.Viewer, q compliance.ItemQuery) (compliance.ItemPage, error) {
		return compliance.ItemPage{Items: []compliance.Item{{Name: "Own agreement", PartnerID: 11, Status: compliance.Overdue},
			{Name: "Sub-partner agreement", PartnerID: 12, Status: compliance.Overdue}}}, nil
	})
	plugintest.Handle(h, projects.ListProjects, func(_ context.Context, v sdk.Viewer, q projects.ProjectQuery) (projects.ProjectPage, error) {
		return projects.ProjectPage{Projects: []projects.Project{{ID: 1, PartnerID: 12, Name: "Sub-partner project", LateTasks: 3}}}, nil
	})
	plugintest.Handle(h, sp.Measure, func(_ context.Context, v sdk.Viewer, q sp.MetricQuery) (sp.MetricValue, error) {
		return sp.MetricValue{}, nil
	})
	v := plugintest.Partner()
	v.Partner.Type = "distributor"
	b, _ := json.Marshal(plugintest.Render(t, nextStepsBlock{}, v, `{}`, h))
	got := string(b)
	for _, w := range []string{"Own deal", "Own agreement"} {
		if !strings.Contains(got, w) {
			t.Errorf("want %q in %s", w, got)
		}
	}
	if strings.Contains(got, "Sub-partner") {
		t.Errorf("another partner's records in %s", got)
	}
	b, _ = json.Marshal(plugintest.Render(t, nextStepsBlock{}, plugintest.Staff(), `{}`, h))
	if strings.Contains(string(b), "agreement") || strings.Contains(string(b), "deal") {
		t.Errorf("staff see next steps: %s", b)
	}
}
