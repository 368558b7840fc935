package deals

import (
	"context"
	"errors"
	"strconv"

	"github.com/atriumhq/atrium/sdk"
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
	deal := d.Deal
	sid := req.Path
	body := ui.Children{}
	switch {
	case deal.Stage == sp.StageWon:
		body = append(body, ui.Banner{Tone: ui.ToneSuccess, Text: "🎉 Closed won! Congratulations: your commission of " + deal.ExpectedCommission.String() + " is on its way."})
	case deal.Registration == sp.RegistrationPending:
		body = append(body, ui.Callout{Tone: ui.ToneWarning, Title: "Awaiting approval", Body: "The partner manager reviews this registration."})
	case deal.Registration == sp.RegistrationRejected:
		body = append(body, ui.Callout{Tone: ui.ToneDanger, Title: "Registration rejected", Body: deal.RegistrationReason})
	}
	items := []ui.ListItem{
		{Title: "Company", Description: deal.Company},
		{Title: "Stage", Badge: &ui.Badge{Text: stageText(cfg, deal), Tone: stageTone(deal)}},
		{Title: "Value", Meta: deal.Value.String()},
		{Title: "Expected commission", Meta: deal.ExpectedCommission.String()},
	}
	if req.Viewer.Staff() || (req.Viewer.Partner != nil && deal.PartnerID != req.Viewer.Partner.ID) {
		items = append([]ui.ListItem{{Title: "Partner", Description: deal.PartnerName}}, items...)
	}
	if deal.ExpectedClose != nil {
		items = append(items, ui.ListItem{Title: "Expected close", Meta: deal.ExpectedClose.Format("2 Jan 2006")})
	}
	if deal.ProtectedUntil != nil {
		items = append(items, ui.ListItem{Title: "Protected until", Meta: deal.ProtectedUntil.Format("2 Jan 2006")})
	}
	if deal.CloseReason != "" {
		items = append(items, ui.ListItem{Title: "Win/loss reason", Description: deal.CloseReason})
	}
	body = append(body, ui.Card{Title: deal.Name, Body: ui.Children{ui.List{Items: items}}})
	if d.CanReview {
		body = append(body, ui.Card{Title: "Review the registration", Body: ui.Children{
			ui.Form{Action: ui.Action{Name: "approve", State: sid}, Submit: "Approve", Fields: []ui.Field{}},
			ui.Form{Action: ui.Action{Name: "reject", State: sid}, Submit: "Reject", Fields: []ui.Field{
				{Name: "reason", Label: "Reason", Required: true, Type: "textarea", MaxLength: 2000}}},
		}})
	}
	if len(d.Next) > 0 {
		opts := []ui.Option{}
		for _, s := range d.Next {
			opts = append(opts, ui.Option{Value: s, Label: stageLabel(cfg, s)})
		}
		body = append(body, ui.Card{Title: "Move the deal", Body: ui.Children{
			ui.Form{Action: ui.Action{Name: "stage", State: sid}, Submit: "Move", Fields: []ui.Field{
				{Name: "stage", Label: "Stage", Type: "select", Required: true, Options: opts},
				{Name: "reason", Label: "Win or loss reason", Help: "Required when closing.", MaxLength: 2000}}}}})
	}
	notes := ui.List{}
	for _, n := range d.Notes {
		by := n.By
		if n.Staff {
			by += " (Acme)"
		}
		notes.Items = append(notes.Items, ui.ListItem{Title: by, Description: n.Body, Meta: n.CreatedAt.Format("2 Jan 2006 15:04")})
	}
	noteBody := ui.Children{}
	if len(notes.Items) > 0 {
		noteBody = append(noteBody, notes)
	}
	noteBody = append(noteBody, ui.Form{Action: ui.Action{Name: "note", State: sid}, Submit: "Add note", Fields: []ui.Field{
		{Name: "body", Label: "Note", Type: "textarea", Required: true, MaxLength: 5000}}})
	body = append(body, ui.Card{Title: "Notes", Body: noteBody})
	hist := ui.List{Ordered: true}
	for _, h := range d.History {
		title := stageLabel(cfg, h.To)
		if h.From != "" {
			title = stageLabel(cfg, h.From) + " → " + title
		}
		hist.Items = append(hist.Items, ui.ListItem{Title: title, Description: h.Comment, Meta: h.By + " · " + h.At.Format("2 Jan 2006 15:04")})
	}
	body = append(body, ui.Card{Title: "History", Body: ui.Children{hist}}, ui.Link{Text: "← All deals", Href: req.Room.Path})
	return sdk.Page{Title: deal.Name, Body: ui.Stack{Children: body}}, nil
}

// HandleAction serves the deal page's forms.
func (Room) HandleAction(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	id, err := strconv.ParseInt(req.State, 10, 64)
	if err != nil {
		return sdk.ActionResult{Error: "unknown deal"}, nil
	}
	back := req.Room.Path + "/items/" + req.State
	msg := ""
	switch req.Name {
	case "note":
		_, err = sp.AddDealNote.Call(ctx, req.Host, sp.NoteInput{DealID: id, Body: req.Value("body")})
		msg = "Note added."
	case "approve":
		_, err = sp.ReviewDeal.Call(ctx, req.Host, sp.Review{ID: id, Approve: true})
		msg = "Registration approved."
	case "reject":
		_, err = sp.ReviewDeal.Call(ctx, req.Host, sp.Review{ID: id, Reason: req.Value("reason")})
		msg = "Registration rejected."
	case "stage":
		var d sp.Deal
		d, err = sp.SetDealStage.Call(ctx, req.Host, sp.StageChange{ID: id, Stage: req.Value("stage"), Reason: req.Value("reason")})
		msg = "Moved to " + sp.Label(d.Stage) + "."
		if d.Stage == sp.StageWon {
			msg = "🎉 Closed won!"
		}
	default:
		return sdk.ActionResult{Error: "unknown action"}, nil
	}
	var ce *sdk.CallError
	if errors.As(err, &ce) {
		if ce.Code == sdk.CodeInvalid && len(ce.Fields) > 0 {
			// Beside the form's fields; the portal draws the page again
			// with what was typed.
			return sdk.ActionResult{FieldErrors: ce.Fields, Error: "Please check the highlighted fields.", Navigate: back}, nil
		}
		text := ce.Message
		if ce.Code == sdk.CodeNotFound {
			text = "That deal no longer exists, or is not yours to change."
		}
		return sdk.ActionResult{Error: text, Navigate: back}, nil
	}
	if err != nil {
		return sdk.ActionResult{}, err
	}
	return sdk.ActionResult{Message: msg, Navigate: back}, nil
}
