// Package analytics is the block type for pipeline metric tiles: leads,
// open deals and pipeline value, commissions pending and earned. It asks
// the host for the very figures the Overview room shows, as the viewer:
// a partner sees their own, staff the program (every partner they manage)
// or the partner the config names.
//
//	blocks:
//	  - id: numbers
//	    type: analytics
//	    config: { title: Your quarter, showStatuses: true }
package analytics

import (
	"context"
	"embed"
	"encoding/json"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/i18n"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/atriumhq/atrium/sdk/ui"
)

//go:embed schema.json
var schema []byte

// The block's words, one file per language: the Overview room's words for
// the same figures. The title is the config's, as the manager wrote it.
//
//go:embed locales/*.json
var locales embed.FS

var catalog = i18n.MustLoad(locales, "locales")

type config struct {
	Title        string `json:"title,omitempty"`
	PartnerID    int64  `json:"partnerId,omitempty"`
	ShowStatuses bool   `json:"showStatuses,omitempty"`
}

type block struct{}

// New returns the analytics block type.
func New() sdk.BlockType { return block{} }

func (block) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "analytics", Title: "Analytics", Icon: "chart", SchemaVersion: 1,
		Description:  "Pipeline metric tiles: leads, deals, pipeline value and commissions.",
		ConfigSchema: json.RawMessage(schema), DefaultConfig: json.RawMessage(`{"title":"Your pipeline"}`)}
}

func (block) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	cfg, err := sdk.DecodeConfig[config](req.Config)
	if err != nil {
		return nil, err
	}
	q := sp.OverviewQuery{Part: "figures"}
	if req.Viewer.Staff() {
		q.PartnerID = cfg.PartnerID // partners always get their own
	}
	o, err := sp.GetOverview.Call(ctx, req.Host, q)
	if err != nil {
		return nil, err
	}
	out := ui.Children{}
	if cfg.Title != "" {
		out = append(out, ui.Heading{Text: cfg.Title, Level: 2})
	}
	w := catalog.For(req.Viewer.Locale)
	out = append(out, Tiles(w, o))
	if cfg.ShowStatuses {
		l := ui.List{}
		for _, s := range sp.LeadStatuses {
			l.Items = append(l.Items, ui.ListItem{Title: statusLabel(w, s), Meta: w.Int(int64(o.LeadsByStatus[s]))})
		}
		out = append(out, l)
	}
	return ui.Stack{Children: out}, nil
}

// Tiles draws the figures as the Overview room does, worded and formatted
// for the reader.
func Tiles(w *i18n.Locale, o sp.Overview) ui.Component {
	open := o.LeadsTotal - o.LeadsByStatus[sp.LeadWon] - o.LeadsByStatus[sp.LeadLost]
	money := func(m sp.Money) string { return w.Money(m.Amount, m.Currency) }
	return ui.Columns{Count: 4, Children: ui.Children{
		ui.Metric{Label: w.T("tile.leads"), Value: w.Int(int64(o.LeadsTotal)),
			Hint: w.T("tile.leads-hint", "Open", w.Int(int64(open)), "Month", w.Int(int64(o.LeadsThisMonth)))},
		ui.Metric{Label: w.T("tile.deals"), Value: w.Int(int64(o.OpenDeals)), Hint: w.T("tile.deals-hint", "Value", money(o.PipelineValue))},
		ui.Metric{Label: w.T("tile.pending"), Value: money(o.CommissionPending), Hint: w.T("tile.pending-hint", "Value", money(o.CommissionApproved)), Tone: ui.ToneInfo},
		ui.Metric{Label: w.T("tile.earned"), Value: money(o.CommissionPaid), Hint: w.N("tile.earned-hint", o.DealsWon, "Value", money(o.WonValue)), Tone: ui.ToneSuccess},
	}}
}

// statusLabel names a lead status in the reader's language; a status the
// catalogue does not know is shown as the pipeline names it.
func statusLabel(w *i18n.Locale, s string) string {
	if id := "status." + s; w.Has(id) {
		return w.T(id)
	}
	return sp.Label(s)
}
