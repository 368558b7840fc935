// Package goals is the block type for targets measured from real data:
// leads submitted or won, deals won (count or value), checklist tasks
// completed, or a manual value, per month, quarter or year, each with its
// progress. Measured goals ask the host as the viewer, so each partner sees
// their own progress.
//
// Reaching a goal is an achievement the engagement dashboard counts: the
// first time one of a partner's people sees a goal reached in a period, the
// block claims it (pipeline.ReachGoal, which answers First once per goal,
// period and partner) and records a goal_complete action
// (engagement.RecordAction). Staff and previews never claim.
//
//	blocks:
//	  - id: goals
//	    type: goals
//	    config:
//	      goals:
//	        - { title: Leads this quarter, metric: leads_submitted, target: 10, period: quarter }
//	        - { title: Closed revenue this year, metric: deals_won_value, target: 250000, period: year }
package goals

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/engagement"
	"github.com/atriumhq/atrium/sdk/i18n"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/atriumhq/atrium/sdk/ui"
)

//go:embed schema.json
var schema []byte

// The block's words, one file per language. The goals' titles are the
// manager's, as written.
//
//go:embed locales/*.json
var locales embed.FS

var catalog = i18n.MustLoad(locales, "locales")

type goal struct {
	// ID keeps a goal's achievements when its title is reworded; the title
	// stands in when it is empty.
	ID     string `json:"id,omitempty"`
	Title  string `json:"title"`
	Metric string `json:"metric"`
	Target int64  `json:"target"`
	Period string `json:"period,omitempty"`
	Value  int64  `json:"value,omitempty"`
}

type config struct {
	Title string `json:"title,omitempty"`
	Goals []goal `json:"goals"`
}

type block struct{ now func() time.Time }

// New returns the goals block type.
func New() sdk.BlockType { return block{now: time.Now} }

func (block) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "goals", Title: "Goals", Icon: "rocket", SchemaVersion: 1,
		Description:   "Targets measured from real data, with progress.",
		ConfigSchema:  json.RawMessage(schema),
		DefaultConfig: json.RawMessage(`{"title":"Goals","goals":[{"title":"Leads this quarter","metric":"leads_submitted","target":10,"period":"quarter"}]}`)}
}

// PeriodLabel names the period starting at from for a reader: "November
// 2026", "Q4 2026", "2026" in English. (Period's label is the one
// recorded with an achievement, the same in every language.)
func PeriodLabel(w *i18n.Locale, from time.Time, period string) string {
	switch period {
	case "month":
		return w.MonthYear(from)
	case "year":
		return strconv.Itoa(from.Year())
	}
	return w.T("period.quarter", "Quarter", (int(from.Month())-1)/3+1, "Year", strconv.Itoa(from.Year()))
}

// Period returns the bounds of the month, quarter or year holding t.
func Period(t time.Time, period string) (from, to time.Time, label string) {
	t = t.UTC()
	switch period {
	case "month":
		from = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		return from, from.AddDate(0, 1, 0), from.Format("January 2006")
	case "year":
		from = time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		return from, from.AddDate(1, 0, 0), from.Format("2006")
	}
	q := (int(t.Month()) - 1) / 3
	from = time.Date(t.Year(), time.Month(q*3+1), 1, 0, 0, 0, 0, time.UTC)
	return from, from.AddDate(0, 3, 0), fmt.Sprintf("Q%d %d", q+1, t.Year())
}

func (b block) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	cfg, err := sdk.DecodeConfig[config](req.Config)
	if err != nil {
		return nil, err
	}
	w := catalog.For(req.Viewer.Locale)
	out := ui.Children{}
	if cfg.Title != "" {
		out = append(out, ui.Heading{Text: cfg.Title, Level: 2})
	}
	for _, g := range cfg.Goals {
		from, to, label := Period(b.now(), g.Period)
		value, target := g.Value, g.Target
		text := ""
		if g.Metric != "manual" {
			m, err := sp.Measure.Call(ctx, req.Host, sp.MetricQuery{Metric: g.Metric, From: from, To: to})
			if err != nil {
				return nil, err
			}
			value = m.Value
			if g.Metric == sp.MetricDealsWonValue {
				target = g.Target * 100 // whole units in the config, minor units measured
				text = w.T("goal.progress", "Value", w.Money(value, m.Currency), "Target", w.Money(target, m.Currency))
			}
		}
		if text == "" {
			text = w.T("goal.progress", "Value", w.Int(value), "Target", w.Int(target))
		}
		if value >= target {
			text = w.T("goal.reached", "Progress", text)
			b.reached(ctx, req, g, from, label, value)
		}
		out = append(out, ui.Progress{Label: w.T("goal.label", "Goal", g.Title, "Period", PeriodLabel(w, from, g.Period)),
			Value: float64(min(value, target)), Max: float64(target), Text: text})
	}
	return ui.Stack{Children: out}, nil
}

// reached records a reached goal as the partner's goal_complete action,
// once per goal, period and partner. Its calls fail quietly: the goal is
// still shown reached, and a claim that was not made is tried again on the
// next view. (A claim made whose record then fails is not retried: the
// claim guarantees the event is never counted twice.)
func (block) reached(ctx context.Context, req sdk.RenderRequest, g goal, from time.Time, label string, value int64) {
	if req.Viewer.Staff() || req.Viewer.Preview || req.Viewer.Partner == nil {
		return
	}
	key := g.ID
	if key == "" {
		key = g.Title
	}
	// The claim and its record are made together, outside the render's
	// deadline: a render cut short between them would leave a claim
	// without its event, which is never tried again.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	claim, err := sp.ReachGoal.Call(ctx, req.Host, sp.GoalMark{Room: req.Room.Slug, Block: req.BlockID, Goal: key, PeriodStart: from})
	if err != nil || !claim.First {
		return
	}
	meta, _ := json.Marshal(map[string]any{"goal": key, "title": g.Title, "metric": g.Metric, "target": g.Target, "value": value, "period": label})
	_, _ = engagement.RecordAction.Call(ctx, req.Host, engagement.Action{Room: req.Room.Slug, Block: req.BlockID, Name: "goal_complete", Meta: meta})
}
