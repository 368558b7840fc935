// Package goals is the block type for targets measured from real data:
// leads submitted or won, deals won (count or value), or a manual value,
// per month, quarter or year, each with its progress. Measured goals ask
// the host as the viewer, so each partner sees their own progress.
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
	_ "embed"
	"encoding/json"
	"fmt"
	"time"

	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/atriumhq/atrium/sdk/ui"
)

//go:embed schema.json
var schema []byte

type goal struct {
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
				text = fmt.Sprintf("%s of %s", sp.Money{Amount: value, Currency: m.Currency}, sp.Money{Amount: target, Currency: m.Currency})
			}
		}
		if text == "" {
			text = fmt.Sprintf("%d of %d", value, target)
		}
		if value >= target {
			text += " · reached 🎉"
		}
		out = append(out, ui.Progress{Label: g.Title + " (" + label + ")", Value: float64(min(value, target)), Max: float64(target), Text: text})
	}
	return ui.Stack{Children: out}, nil
}
