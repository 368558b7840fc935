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
	_ "embed"
	"encoding/json"
	"strconv"

	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/atriumhq/atrium/sdk/ui"
)

//go:embed schema.json
var schema []byte

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
	out = append(out, sp.Tiles(o))
	if cfg.ShowStatuses {
		l := ui.List{}
		for _, s := range sp.LeadStatuses {
			l.Items = append(l.Items, ui.ListItem{Title: sp.Label(s), Meta: strconv.Itoa(o.LeadsByStatus[s])})
		}
		out = append(out, l)
	}
	return ui.Stack{Children: out}, nil
}
