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
	"embed"
	"errors"
	"maps"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/i18n"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/atriumhq/atrium/sdk/ui"
)

// The room's words, one file per language.
//
//go:embed locales/*.json
var locales embed.FS

var catalog = i18n.MustLoad(locales, "locales")

// words is the catalogue in the viewer's language.
func words(v sdk.Viewer) *i18n.Locale { return catalog.For(v.Locale) }

// money writes an amount the way the reader's language does.
func money(w *i18n.Locale, m sp.Money) string { return w.Money(m.Amount, m.Currency) }

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

// stageLabel names a deal stage for the reader. The stages are the
// program's: a stage the program still calls by the name it ships with is
// translated, one the program named itself is shown as the program wrote
// it, in every language.
func stageLabel(w *i18n.Locale, cfg sp.Config, key string) string {
	label := sp.Label(key)
	for _, s := range cfg.DealStages {
		if s.Key == key {
			label = s.Label
		}
	}
	id := "stage." + key
	if w.Has(id) && catalog.For("en").T(id) == label {
		return w.T(id)
	}
	return label
}

type boardBlock struct{}

func (boardBlock) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "deal-board", Title: "Deal pipeline", Icon: "chart", Description: "Deals by stage with totals, and the deal table."}
}

func (boardBlock) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	w := words(req.Viewer)
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
		tiles = append(tiles, ui.Metric{Label: stageLabel(w, cfg, t.Stage), Value: money(w, t.Value), Hint: w.N("board.deals", t.Count), Tone: tone})
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
					badge = &ui.Badge{Text: w.T("registration.pending"), Tone: ui.ToneWarning}
				}
				l.Items = append(l.Items, ui.ListItem{Title: d.Name, Description: d.Company + partnerNote(req.Viewer, d), Meta: money(w, d.Value),
					Href: req.Room.Path + "/items/" + strconv.FormatInt(d.ID, 10), Badge: badge})
			}
		}
		var body ui.Children
		if len(l.Items) == 0 {
			body = ui.Children{ui.Text{Text: w.T("board.no-deals"), Muted: true}}
		} else {
			body = ui.Children{l}
		}
		board = append(board, ui.Card{Title: stageLabel(w, cfg, st.Key), Body: body})
	}
	t := ui.Table{Columns: []ui.TableColumn{{Label: w.T("col.deal")}, {Label: w.T("col.stage")}, {Label: w.T("col.value"), Align: "right"},
		{Label: w.T("col.commission"), Align: "right"}, {Label: w.T("col.close")}},
		Empty: w.T("board.empty")}
	for _, d := range page.Items {
		closeAt := "—"
		if d.ExpectedClose != nil {
			closeAt = w.Date(*d.ExpectedClose)
		}
		t.Rows = append(t.Rows, ui.TableRow{Cells: ui.Children{
			ui.Link{Text: d.Name, Href: req.Room.Path + "/items/" + strconv.FormatInt(d.ID, 10)},
			ui.Badge{Text: stageText(w, cfg, d), Tone: stageTone(d)},
			ui.Text{Text: money(w, d.Value)}, ui.Text{Text: money(w, d.ExpectedCommission)}, ui.Text{Text: closeAt, Muted: true}}})
	}
	return ui.Stack{Children: ui.Children{
		ui.Heading{Text: w.T("board.title"), Level: 2},
		ui.Columns{Count: min(max(len(tiles), 2), 4), Children: tiles},
		ui.Columns{Count: min(max(len(board), 2), 4), Children: board},
		ui.Heading{Text: w.T("board.all"), Level: 3}, t,
	}}, nil
}

func partnerNote(v sdk.Viewer, d sp.Deal) string {
	if v.Staff() || (v.Partner != nil && d.PartnerID != v.Partner.ID) {
		return " · " + d.PartnerName
	}
	return ""
}

func stageText(w *i18n.Locale, cfg sp.Config, d sp.Deal) string {
	switch d.Registration {
	case sp.RegistrationPending:
		return w.T("registration.pending")
	case sp.RegistrationRejected:
		return w.T("registration.rejected")
	}
	return stageLabel(w, cfg, d.Stage)
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
	cfg, err := sp.GetConfig.Call(ctx, req.Host, struct{}{})
	if err != nil {
		return nil, err
	}
	w := words(req.Viewer)
	return ui.Stack{Children: ui.Children{
		ui.Heading{Text: w.T("form.title"), Level: 2},
		ui.Text{Text: w.T("form.intro"), Muted: true},
		ui.Form{Action: ui.Action{Name: "register"}, Submit: w.T("form.submit"), Fields: []ui.Field{
			{Name: "name", Label: w.T("field.name"), Required: true, MaxLength: 200, Placeholder: w.T("field.name-example")},
			{Name: "company", Label: w.T("field.company"), Required: true, Autocomplete: "organization", MaxLength: 200},
			{Name: "website", Label: w.T("field.website"), MaxLength: 300},
			{Name: "value", Label: w.T("field.value"), Required: true, Placeholder: "25000"},
			// The program's currency is what an empty field means.
			{Name: "currency", Label: w.T("field.currency"), Placeholder: cfg.Currency, MaxLength: 3},
			{Name: "expectedClose", Label: w.T("field.close"), Type: "date"},
			{Name: "notes", Label: w.T("field.notes"), Type: "textarea", MaxLength: 5000},
		}},
	}}, nil
}

func (formBlock) HandleAction(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	w := words(req.Viewer)
	if req.Name != "register" {
		return sdk.ActionResult{Error: w.T("error.unknown-action")}, nil
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
				fields["value"] = w.T("error.amount")
			}
			return sdk.ActionResult{FieldErrors: fields, Error: w.T("error.check-fields")}, nil
		}
		return sdk.ActionResult{Error: ce.Message}, nil
	}
	if err != nil {
		return sdk.ActionResult{}, err
	}
	return sdk.ActionResult{Message: w.T("form.thanks", "Deal", d.Name),
		Navigate: req.Room.Path + "/items/" + strconv.FormatInt(d.ID, 10)}, nil
}
