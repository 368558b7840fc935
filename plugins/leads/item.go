package leads

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/atriumhq/atrium/sdk/ui"
)

// RenderItem serves items/all and items/{id}.
func (Room) RenderItem(ctx context.Context, req sdk.ItemRequest) (sdk.Page, error) {
	if req.Path == "all" {
		return listPage(ctx, req)
	}
	id, err := strconv.ParseInt(req.Path, 10, 64)
	if err != nil || id <= 0 {
		return sdk.Page{}, sdk.ErrNotFound
	}
	d, err := sp.GetLead.Call(ctx, req.Host, sp.ByID{ID: id})
	if err != nil {
		return sdk.Page{}, err
	}
	cfg, err := sp.GetConfig.Call(ctx, req.Host, struct{}{})
	if err != nil {
		return sdk.Page{}, err
	}
	return leadPage(req, d, cfg), nil
}

func first(q map[string][]string, k string) string {
	if v := q[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func listPage(ctx context.Context, req sdk.ItemRequest) (sdk.Page, error) {
	q := sp.LeadQuery{Status: first(req.Query, "status"), Search: first(req.Query, "q"), Sort: first(req.Query, "sort"), PerPage: 25}
	q.Page, _ = strconv.Atoi(first(req.Query, "page"))
	if first(req.Query, "review") == "1" {
		q.Review = true
	}
	if pid, err := strconv.ParseInt(first(req.Query, "partner"), 10, 64); err == nil {
		q.PartnerID = pid
	}
	page, err := sp.ListLeads.Call(ctx, req.Host, q)
	var ce *sdk.CallError
	if errors.As(err, &ce) && ce.Code == sdk.CodeInvalid {
		q.Status = ""
		page, err = sp.ListLeads.Call(ctx, req.Host, q)
	}
	if err != nil {
		return sdk.Page{}, err
	}
	base := req.Room.Path + "/items/"
	sortHref := func(key string) (string, string) {
		sorted := ""
		if q.Sort == key || (key == "newest" && q.Sort == "") {
			sorted = "asc"
			if key == "newest" {
				sorted = "desc"
			}
		}
		return base + "all?" + listQuery(q.Status, q.Search, key, 1), sorted
	}
	w := words(req.Viewer)
	body := ui.Children{filterForm(w, q), leadTable(w, page, base, showPartner(req.Viewer), sortHref)}
	pages := (page.Total + page.PerPage - 1) / page.PerPage
	var nav []ui.Button
	if page.Page > 1 {
		nav = append(nav, ui.Button{Label: w.T("all.previous"), Href: base + "all?" + listQuery(q.Status, q.Search, q.Sort, page.Page-1), Variant: "secondary"})
	}
	if page.Page < pages {
		nav = append(nav, ui.Button{Label: w.T("all.next"), Href: base + "all?" + listQuery(q.Status, q.Search, q.Sort, page.Page+1), Variant: "secondary"})
	}
	body = append(body, ui.Text{Text: w.N("all.status", page.Total, "Page", w.Int(int64(page.Page)), "Pages", w.Int(int64(max(pages, 1)))), Muted: true})
	if len(nav) > 0 {
		body = append(body, ui.ActionBar{Buttons: nav})
	}
	return sdk.Page{Title: w.T("all.title"), Body: ui.Stack{Children: body}}, nil
}

func leadPage(req sdk.ItemRequest, d sp.LeadDetail, cfg sp.Config) sdk.Page {
	l := d.Lead
	w := words(req.Viewer)
	id := strconv.FormatInt(l.ID, 10)
	body := ui.Children{}
	if l.UnderReview && !req.Viewer.Staff() {
		body = append(body, ui.Callout{Tone: ui.ToneWarning, Title: w.T("lead.review-title"), Body: w.T("lead.review-body")})
	}
	if d.Conflict != nil {
		c := d.Conflict
		who := w.T("lead.first-here")
		if c.FirstIsOther {
			who = w.T("lead.first-other", "Partner", c.PartnerName)
		}
		body = append(body, ui.Callout{Tone: ui.ToneWarning, Title: w.T("lead.conflict", "Reason", c.Reason), Body: who},
			ui.Columns{Count: 2, Children: ui.Children{
				ui.Card{Title: w.T("lead.this"), Subtitle: l.PartnerName, Body: ui.Children{
					ui.Text{Text: l.Company + " · " + l.ContactName + " <" + l.Email + ">"},
					ui.Text{Text: w.T("lead.submitted-at", "When", w.DateTime(l.CreatedAt)), Muted: true}}},
				ui.Card{Title: w.T("lead.other", "Kind", c.Kind, "ID", c.ID), Subtitle: c.PartnerName, Body: ui.Children{
					ui.Text{Text: strings.TrimSpace(c.Company + " · " + c.Contact)},
					ui.Badge{Text: statusLabel(w, c.Status)},
					ui.Text{Text: w.T("lead.registered-at", "When", w.DateTime(c.CreatedAt)), Muted: true}}},
			}},
			ui.Form{Action: ui.Action{Name: "resolve", State: id}, Submit: w.T("lead.resolve"), Fields: []ui.Field{
				{Name: "comment", Label: w.T("lead.decision"), Help: w.T("lead.decision-help"), MaxLength: 2000}}})
	}
	comm := "—"
	if l.ExpectedCommission.Amount > 0 {
		comm = w.Money(l.ExpectedCommission.Amount, l.ExpectedCommission.Currency)
	}
	details := []ui.ListItem{
		{Title: w.T("col.contact"), Description: l.ContactName + " · " + l.Email},
		{Title: w.T("col.status"), Badge: &ui.Badge{Text: statusLabel(w, l.Status), Tone: statusTone(l.Status)}},
		{Title: w.T("col.commission"), Meta: comm},
		{Title: w.T("col.submitted"), Meta: w.Date(l.CreatedAt)},
	}
	if l.Phone != "" {
		details = append(details, ui.ListItem{Title: w.T("lead.phone"), Description: l.Phone})
	}
	if l.Website != "" {
		details = append(details, ui.ListItem{Title: w.T("lead.website"), Description: l.Website})
	}
	if showPartner(req.Viewer) {
		details = append([]ui.ListItem{{Title: w.T("col.partner"), Description: l.PartnerName}}, details...)
	}
	details = append(details, extraDetails(l.Extra, cfg.LeadFields)...)
	if l.DealID != 0 {
		details = append(details, ui.ListItem{Title: w.T("lead.deal"), Description: w.T("lead.converted", "ID", l.DealID)})
	}
	body = append(body, ui.Card{Title: l.Company, Body: ui.Children{ui.List{Items: details}}})
	if l.Notes != "" {
		body = append(body, ui.Card{Title: w.T("lead.notes"), Body: ui.Children{ui.Text{Text: l.Notes}}})
	}
	if len(d.Next) > 0 {
		opts := []ui.Option{}
		for _, s := range d.Next {
			opts = append(opts, ui.Option{Value: s, Label: statusLabel(w, s)})
		}
		body = append(body, ui.Card{Title: w.T("lead.work"), Body: ui.Children{
			ui.Form{Action: ui.Action{Name: "status", State: id}, Submit: w.T("lead.change-status"), Fields: []ui.Field{
				{Name: "status", Label: w.T("lead.new-status"), Type: "select", Required: true, Options: opts},
				{Name: "comment", Label: w.T("lead.comment"), Type: "textarea", MaxLength: 2000}}},
			ui.Form{Action: ui.Action{Name: "comment", State: id}, Submit: w.T("lead.add-comment"), Fields: []ui.Field{
				{Name: "comment", Label: w.T("lead.comment-only"), Type: "textarea", Required: true, MaxLength: 2000}}},
		}})
		if l.DealID == 0 {
			body = append(body, ui.Card{Title: w.T("lead.convert-title"), Body: ui.Children{
				ui.Form{Action: ui.Action{Name: "convert", State: id}, Submit: w.T("lead.convert"), Fields: []ui.Field{
					{Name: "name", Label: w.T("lead.deal-name"), Value: l.Company, MaxLength: 200},
					{Name: "value", Label: w.T("lead.value"), Required: true, Placeholder: "25000", Help: w.T("lead.value-help")}}},
			}})
		}
	}
	hist := ui.List{Ordered: true}
	for _, h := range d.History {
		var title string
		switch {
		case h.From == "":
			title = w.T("lead.history-submitted")
		case h.From == h.To:
			title = w.T("lead.history-comment")
		default:
			title = statusLabel(w, h.From) + " → " + statusLabel(w, h.To)
		}
		hist.Items = append(hist.Items, ui.ListItem{Title: title, Description: strings.TrimSpace(h.Comment), Meta: h.By + " · " + w.DateTime(h.At)})
	}
	body = append(body, ui.Card{Title: w.T("lead.history"), Body: ui.Children{hist}})
	body = append(body, ui.Link{Text: w.T("lead.all"), Href: req.Room.Path + "/items/all"})
	return sdk.Page{Title: l.Company, Body: ui.Stack{Children: body}}
}

// HandleAction serves the forms of the lead page: staff change status,
// comment, resolve a review and convert to a deal.
func (Room) HandleAction(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	w := words(req.Viewer)
	id, err := strconv.ParseInt(req.State, 10, 64)
	if err != nil {
		return sdk.ActionResult{Error: w.T("error.unknown-lead")}, nil
	}
	back := req.Room.Path + "/items/" + req.State
	var msg string
	switch req.Name {
	case "status":
		var l sp.Lead
		l, err = sp.SetLeadState.Call(ctx, req.Host, sp.StatusChange{ID: id, Status: req.Value("status"), Comment: req.Value("comment")})
		msg = w.T("done.moved", "Status", statusLabel(w, l.Status))
	case "comment":
		_, err = sp.CommentLead.Call(ctx, req.Host, sp.Comment{ID: id, Comment: req.Value("comment")})
		msg = w.T("done.comment")
	case "resolve":
		_, err = sp.ResolveReview.Call(ctx, req.Host, sp.Comment{ID: id, Comment: req.Value("comment")})
		msg = w.T("done.resolved")
	case "convert":
		amount, perr := sp.ParseMoney(req.Value("value"))
		if perr != nil {
			return sdk.ActionResult{FieldErrors: map[string]string{"value": perr.Error()}, Error: w.T("error.check-fields"), Navigate: back}, nil
		}
		var d sp.Deal
		d, err = sp.ConvertLead.Call(ctx, req.Host, sp.Convert{ID: id, Name: req.Value("name"), Value: sp.Money{Amount: amount}})
		msg = w.T("done.converted", "ID", d.ID)
	default:
		return sdk.ActionResult{Error: w.T("error.unknown-action")}, nil
	}
	// Field errors go back to the form, beside its fields; the portal
	// draws the page again with what was typed.
	if res, ok := refusal(w, err, ""); ok {
		res.Navigate = back
		return res, nil
	}
	if err != nil {
		return sdk.ActionResult{}, err
	}
	return sdk.ActionResult{Message: msg, Navigate: back}, nil
}

// extraDetails lists the answers to the program's own lead fields under
// their labels, in the form's order; answers to fields the program has
// since removed follow under their names.
func extraDetails(extra map[string]string, fields []sp.LeadField) []ui.ListItem {
	var out []ui.ListItem
	shown := map[string]bool{}
	for _, f := range fields {
		if v, ok := extra[f.Name]; ok {
			out = append(out, ui.ListItem{Title: f.Label, Description: v})
			shown[f.Name] = true
		}
	}
	rest := make([]string, 0, len(extra))
	for k := range extra {
		if !shown[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		out = append(out, ui.ListItem{Title: sp.Label(k), Description: extra[k]})
	}
	return out
}
