// Package deals is the Deals room: a pipeline board by stage with totals,
// the partner's deal registrations, and each deal's page with its history
// and notes. Partners register deals and add notes; partner managers,
// viewing the same pages from the staff side, approve or reject
// registrations and move deals through the stages. It reaches the pipeline
// only through the host API (sdk/pipeline), as the viewer.
//
//	registry.Register(deals.Plugin())
package deals

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/atriumhq/atrium/sdk/ui"
)

// Plugin returns the room type and its blocks.
func Plugin() sdk.Plugin {
	return sdk.Plugin{ID: "atrium/deals", Blocks: []sdk.BlockType{boardBlock{}, formBlock{}}, Rooms: []sdk.RoomType{Room{}}}
}

// Room is the deals room type.
type Room struct{}

// Describe names the room type and its starting blocks.
func (Room) Describe() sdk.RoomInfo {
	return sdk.RoomInfo{Name: "deals", Title: "Deals", Icon: "briefcase", OncePerPartnerType: true,
		Description:   "The deal pipeline and deal registration.",
		DefaultBlocks: []sdk.BlockSpec{{ID: "board", Type: "deal-board"}, {ID: "register", Type: "deal-form"}}}
}

func stageLabel(cfg sp.Config, key string) string {
	for _, s := range cfg.DealStages {
		if s.Key == key {
			return s.Label
		}
	}
	return sp.Label(key)
}

type boardBlock struct{}

func (boardBlock) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "deal-board", Title: "Deal pipeline", Icon: "chart", Description: "Deals by stage with totals, and the deal table."}
}

func (boardBlock) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	cfg, err := sp.GetConfig.Call(ctx, req.Host, struct{}{})
	if err != nil {
		return nil, err
	}
	page, err := sp.ListDeals.Call(ctx, req.Host, sp.DealQuery{PerPage: 50})
	if err != nil {
		return nil, err
	}
	tiles := ui.Children{}
	for _, t := range page.Totals {
		tone := ui.ToneNeutral
		if t.Stage == sp.StageWon {
			tone = ui.ToneSuccess
		}
		tiles = append(tiles, ui.Metric{Label: stageLabel(cfg, t.Stage), Value: t.Value.String(), Hint: fmt.Sprintf("%d deals", t.Count), Tone: tone})
	}
	// The board: one card per open stage listing its deals.
	board := ui.Children{}
	for _, st := range cfg.DealStages {
		if st.Key == sp.StageWon || st.Key == sp.StageLost {
			continue
		}
		l := ui.List{}
		for _, d := range page.Items {
			if d.Stage == st.Key && d.Open() {
				var badge *ui.Badge
				if d.Registration == sp.RegistrationPending {
					badge = &ui.Badge{Text: "Awaiting approval", Tone: ui.ToneWarning}
				}
				l.Items = append(l.Items, ui.ListItem{Title: d.Name, Description: d.Company + partnerNote(req.Viewer, d), Meta: d.Value.String(),
					Href: req.Room.Path + "/items/" + strconv.FormatInt(d.ID, 10), Badge: badge})
			}
		}
		var body ui.Children
		if len(l.Items) == 0 {
			body = ui.Children{ui.Text{Text: "No deals", Muted: true}}
		} else {
			body = ui.Children{l}
		}
		board = append(board, ui.Card{Title: st.Label, Body: body})
	}
	t := ui.Table{Columns: []ui.TableColumn{{Label: "Deal"}, {Label: "Stage"}, {Label: "Value", Align: "right"}, {Label: "Expected commission", Align: "right"}, {Label: "Expected close"}},
		Empty: "No deals yet. Register one below."}
	for _, d := range page.Items {
		closeAt := "—"
		if d.ExpectedClose != nil {
			closeAt = d.ExpectedClose.Format("2 Jan 2006")
		}
		t.Rows = append(t.Rows, ui.TableRow{Cells: ui.Children{
			ui.Link{Text: d.Name, Href: req.Room.Path + "/items/" + strconv.FormatInt(d.ID, 10)},
			ui.Badge{Text: stageText(cfg, d), Tone: stageTone(d)},
			ui.Text{Text: d.Value.String()}, ui.Text{Text: d.ExpectedCommission.String()}, ui.Text{Text: closeAt, Muted: true}}})
	}
	return ui.Stack{Children: ui.Children{
		ui.Heading{Text: "Deal pipeline", Level: 2},
		ui.Columns{Count: min(max(len(tiles), 2), 4), Children: tiles},
		ui.Columns{Count: min(max(len(board), 2), 4), Children: board},
		ui.Heading{Text: "All deals", Level: 3}, t,
	}}, nil
}

func partnerNote(v sdk.Viewer, d sp.Deal) string {
	if v.Staff() || (v.Partner != nil && d.PartnerID != v.Partner.ID) {
		return " · " + d.PartnerName
	}
	return ""
}

func stageText(cfg sp.Config, d sp.Deal) string {
	switch d.Registration {
	case sp.RegistrationPending:
		return "Awaiting approval"
	case sp.RegistrationRejected:
		return "Registration rejected"
	}
	return stageLabel(cfg, d.Stage)
}

func stageTone(d sp.Deal) ui.Tone {
	switch {
	case d.Registration == sp.RegistrationRejected || d.Stage == sp.StageLost:
		return ui.ToneDanger
	case d.Registration == sp.RegistrationPending:
		return ui.ToneWarning
	case d.Stage == sp.StageWon:
		return ui.ToneSuccess
	}
	return ui.ToneInfo
}

type formBlock struct{}

func (formBlock) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "deal-form", Title: "Deal registration", Icon: "plus", Description: "Partners register a deal for approval."}
}

func (formBlock) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	if req.Viewer.Staff() {
		return ui.Stack{}, nil
	}
	return ui.Stack{Children: ui.Children{
		ui.Heading{Text: "Register a deal", Level: 2},
		ui.Text{Text: "Once your partner manager approves it, the deal is protected for you.", Muted: true},
		ui.Form{Action: ui.Action{Name: "register"}, Submit: "Register deal", Fields: []ui.Field{
			{Name: "name", Label: "Deal name", Required: true, MaxLength: 200, Placeholder: "Acme Cloud for Globex"},
			{Name: "company", Label: "Customer company", Required: true, Autocomplete: "organization", MaxLength: 200},
			{Name: "website", Label: "Customer website or domain", MaxLength: 300},
			{Name: "value", Label: "Value", Required: true, Placeholder: "25000"},
			{Name: "currency", Label: "Currency", Placeholder: "USD", MaxLength: 3},
			{Name: "expectedClose", Label: "Expected close", Type: "date"},
			{Name: "notes", Label: "Notes", Type: "textarea", MaxLength: 5000},
		}},
	}}, nil
}

func (formBlock) HandleAction(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	if req.Name != "register" {
		return sdk.ActionResult{Error: "unknown action"}, nil
	}
	// A value that does not parse is still sent (as nothing), so every
	// other field's problem is reported in the same round.
	amount, perr := sp.ParseMoney(req.Value("value"))
	d, err := sp.RegisterDeal.Call(ctx, req.Host, sp.DealInput{Name: req.Value("name"), Company: req.Value("company"), Website: req.Value("website"),
		Value: sp.Money{Amount: amount, Currency: strings.ToUpper(strings.TrimSpace(req.Value("currency")))}, ExpectedClose: req.Value("expectedClose"), Notes: req.Value("notes")})
	var ce *sdk.CallError
	if errors.As(err, &ce) {
		if len(ce.Fields) > 0 || perr != nil {
			fields := map[string]string{}
			maps.Copy(fields, ce.Fields)
			if perr != nil {
				fields["value"] = perr.Error()
			}
			return sdk.ActionResult{FieldErrors: fields, Error: "Please check the highlighted fields."}, nil
		}
		return sdk.ActionResult{Error: ce.Message}, nil
	}
	if err != nil {
		return sdk.ActionResult{}, err
	}
	return sdk.ActionResult{Message: d.Name + " is registered and waits for your partner manager's approval.",
		Navigate: req.Room.Path + "/items/" + strconv.FormatInt(d.ID, 10)}, nil
}
