package deals

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/i18n"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/atriumhq/atrium/sdk/ui"
)

// RenderItem serves items/{id}: a deal's page.
func (Room) RenderItem(ctx context.Context, req sdk.ItemRequest) (sdk.Page, error) {
	id, err := strconv.ParseInt(req.Path, 10, 64)
	if err != nil || id <= 0 {
		return sdk.Page{}, sdk.ErrNotFound
	}
	d, err := sp.GetDeal.Call(ctx, req.Host, sp.ByID{ID: id})
	if err != nil {
		return sdk.Page{}, err
	}
	cfg, err := sp.GetConfig.Call(ctx, req.Host, struct{}{})
	if err != nil {
		return sdk.Page{}, err
	}
	w := words(req.Viewer)
	deal := d.Deal
	sid := req.Path
	body := ui.Children{}
	switch {
	case deal.Stage == sp.StageWon:
		body = append(body, ui.Banner{Tone: ui.ToneSuccess, Text: w.T("deal.won-banner", "Commission", money(w, deal.ExpectedCommission))})
	case deal.Registration == sp.RegistrationPending:
		body = append(body, ui.Callout{Tone: ui.ToneWarning, Title: w.T("registration.pending"), Body: w.T("deal.pending-body")})
	case deal.Registration == sp.RegistrationRejected:
		body = append(body, ui.Callout{Tone: ui.ToneDanger, Title: w.T("registration.rejected"), Body: deal.RegistrationReason})
	}
	items := []ui.ListItem{
		{Title: w.T("field.company"), Description: deal.Company},
		{Title: w.T("col.stage"), Badge: &ui.Badge{Text: stageText(w, cfg, deal), Tone: stageTone(deal)}},
		{Title: w.T("col.value"), Meta: money(w, deal.Value)},
		{Title: w.T("col.commission"), Meta: money(w, deal.ExpectedCommission)},
	}
	if req.Viewer.Staff() || (req.Viewer.Partner != nil && deal.PartnerID != req.Viewer.Partner.ID) {
		items = append([]ui.ListItem{{Title: w.T("deal.partner"), Description: deal.PartnerName}}, items...)
	}
	if deal.ExpectedClose != nil {
		items = append(items, ui.ListItem{Title: w.T("col.close"), Meta: w.Date(*deal.ExpectedClose)})
	}
	if deal.ProtectedUntil != nil {
		items = append(items, ui.ListItem{Title: w.T("deal.protected-until"), Meta: w.Date(*deal.ProtectedUntil)})
	}
	if deal.CloseReason != "" {
		items = append(items, ui.ListItem{Title: w.T("deal.close-reason"), Description: deal.CloseReason})
	}
	body = append(body, ui.Card{Title: deal.Name, Body: ui.Children{ui.List{Items: items}}})
	if d.CanReview {
		body = append(body, ui.Card{Title: w.T("review.title"), Body: ui.Children{
			ui.Form{Action: ui.Action{Name: "approve", State: sid}, Submit: w.T("review.approve"), Fields: []ui.Field{}},
			ui.Form{Action: ui.Action{Name: "reject", State: sid}, Submit: w.T("review.reject"), Fields: []ui.Field{
				{Name: "reason", Label: w.T("review.reason"), Required: true, Type: "textarea", MaxLength: 2000}}},
		}})
	}
	if len(d.Next) > 0 {
		opts := []ui.Option{}
		for _, s := range d.Next {
			opts = append(opts, ui.Option{Value: s, Label: stageLabel(w, cfg, s)})
		}
		body = append(body, ui.Card{Title: w.T("move.title"), Body: ui.Children{
			ui.Form{Action: ui.Action{Name: "stage", State: sid}, Submit: w.T("move.submit"), Fields: []ui.Field{
				{Name: "stage", Label: w.T("col.stage"), Type: "select", Required: true, Placeholder: w.T("move.choose"), Options: opts},
				{Name: "reason", Label: w.T("move.reason"), Help: w.T("move.reason-help"), MaxLength: 2000}}}}})
	}
	notes := ui.List{}
	for _, n := range d.Notes {
		by := n.By
		if n.Staff {
			by = w.T("notes.by-staff", "Name", n.By)
		}
		notes.Items = append(notes.Items, ui.ListItem{Title: by, Description: n.Body, Meta: w.DateTime(n.CreatedAt)})
	}
	noteBody := ui.Children{}
	if len(notes.Items) > 0 {
		noteBody = append(noteBody, notes)
	}
	noteBody = append(noteBody, ui.Form{Action: ui.Action{Name: "note", State: sid}, Submit: w.T("notes.add"), Fields: []ui.Field{
		{Name: "body", Label: w.T("notes.note"), Type: "textarea", Required: true, MaxLength: 5000}}})
	body = append(body, ui.Card{Title: w.T("notes.title"), Body: noteBody})
	hist := ui.List{Ordered: true}
	for _, h := range d.History {
		title := historyLabel(w, cfg, h.To)
		if h.From != "" {
			title = historyLabel(w, cfg, h.From) + " → " + title
		}
		hist.Items = append(hist.Items, ui.ListItem{Title: title, Description: h.Comment, Meta: h.By + " · " + w.DateTime(h.At)})
	}
	body = append(body, ui.Card{Title: w.T("deal.history"), Body: ui.Children{hist}}, ui.Link{Text: w.T("deal.back"), Href: req.Room.Path})
	return sdk.Page{Title: deal.Name, Body: ui.Stack{Children: body}}, nil
}

// historyLabel names a step of a deal's history: a stage, or one of the
// registration's steps ("registered", "registration approved").
func historyLabel(w *i18n.Locale, cfg sp.Config, key string) string {
	if id := "history." + strings.ReplaceAll(key, " ", "-"); w.Has(id) {
		return w.T(id)
	}
	return stageLabel(w, cfg, key)
}

// HandleAction serves the deal page's forms.
func (Room) HandleAction(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	w := words(req.Viewer)
	id, err := strconv.ParseInt(req.State, 10, 64)
	if err != nil {
		return sdk.ActionResult{Error: w.T("error.unknown-deal")}, nil
	}
	back := req.Room.Path + "/items/" + req.State
	msg := ""
	switch req.Name {
	case "note":
		_, err = sp.AddDealNote.Call(ctx, req.Host, sp.NoteInput{DealID: id, Body: req.Value("body")})
		msg = w.T("done.note")
	case "approve":
		_, err = sp.ReviewDeal.Call(ctx, req.Host, sp.Review{ID: id, Approve: true})
		msg = w.T("done.approved")
	case "reject":
		_, err = sp.ReviewDeal.Call(ctx, req.Host, sp.Review{ID: id, Reason: req.Value("reason")})
		msg = w.T("done.rejected")
	case "stage":
		var d sp.Deal
		d, err = sp.SetDealStage.Call(ctx, req.Host, sp.StageChange{ID: id, Stage: req.Value("stage"), Reason: req.Value("reason")})
		if err == nil {
			cfg, cerr := sp.GetConfig.Call(ctx, req.Host, struct{}{})
			if cerr != nil {
				return sdk.ActionResult{}, cerr
			}
			msg = w.T("done.moved", "Stage", stageLabel(w, cfg, d.Stage))
		}
		if d.Stage == sp.StageWon {
			msg = w.T("done.won")
		}
	default:
		return sdk.ActionResult{Error: w.T("error.unknown-action")}, nil
	}
	var ce *sdk.CallError
	if errors.As(err, &ce) {
		if ce.Code == sdk.CodeInvalid && len(ce.Fields) > 0 {
			// Beside the form's fields; the portal draws the page again
			// with what was typed.
			return sdk.ActionResult{FieldErrors: ce.Fields, Error: w.T("error.check-fields"), Navigate: back}, nil
		}
		text := ce.Message
		if ce.Code == sdk.CodeNotFound {
			text = w.T("error.gone")
		}
		return sdk.ActionResult{Error: text, Navigate: back}, nil
	}
	if err != nil {
		return sdk.ActionResult{}, err
	}
	return sdk.ActionResult{Message: msg, Navigate: back}, nil
}
