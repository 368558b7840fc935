// Package leads is the Leads room: partners submit leads and follow them
// through the pipeline; partner managers, viewing the same pages from the
// staff side, move them, comment and convert them into deals. It reaches
// the pipeline only through the host API (sdk/pipeline), as the viewer.
//
//	registry.Register(leads.Plugin())
//
// Pages inside the room: items/all (the full list, with status filter,
// search, sorting and pages) and items/{id} (a lead's tracking page).
package leads

import (
	"context"
	"embed"
	"errors"
	"net/url"
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

// statusLabel names a lead status in the reader's language; a status the
// catalogue does not know is shown as the pipeline names it.
func statusLabel(w *i18n.Locale, status string) string {
	if id := "status." + status; w.Has(id) {
		return w.T(id)
	}
	return sp.Label(status)
}

// Plugin returns the room type and its blocks.
func Plugin() sdk.Plugin {
	return sdk.Plugin{ID: "atrium/leads", Blocks: []sdk.BlockType{formBlock{}, listBlock{}}, Rooms: []sdk.RoomType{Room{}}}
}

// Room is the leads room type.
type Room struct{}

// Describe names the room type and the blocks every Leads room starts with.
func (Room) Describe() sdk.RoomInfo {
	return sdk.RoomInfo{Name: "leads", Title: "Leads", Icon: "inbox", OncePerPartnerType: true,
		Description:   "Submit leads and follow them through the pipeline.",
		DefaultBlocks: []sdk.BlockSpec{{ID: "leads", Type: "lead-list"}, {ID: "submit", Type: "lead-form"}}}
}

// ---- the submit form ----

type formBlock struct{}

func (formBlock) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "lead-form", Title: "Lead form", Icon: "plus", Description: "A form partners submit leads with."}
}

func (formBlock) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	w := words(req.Viewer)
	if req.Viewer.Staff() {
		return ui.Callout{Tone: ui.ToneInfo, Title: w.T("form.staff-title"), Body: w.T("form.staff-body")}, nil
	}
	cfg, err := sp.GetConfig.Call(ctx, req.Host, struct{}{})
	if err != nil {
		return nil, err
	}
	return ui.Stack{Children: ui.Children{
		ui.Heading{Text: w.T("form.title"), Level: 2},
		ui.Form{Action: ui.Action{Name: "submit"}, Submit: w.T("form.submit"), Fields: leadFields(w, cfg)},
	}}, nil
}

// leadFields is the lead form: the standard fields and the program's own.
// The program's own fields are labelled as the program wrote them.
func leadFields(w *i18n.Locale, cfg sp.Config) []ui.Field {
	f := []ui.Field{
		{Name: "company", Label: w.T("field.company"), Required: true, Autocomplete: "organization", MaxLength: 200},
		{Name: "contactName", Label: w.T("field.contact-name"), Required: true, Autocomplete: "name", MaxLength: 200},
		{Name: "email", Label: w.T("field.email"), Type: "email", Required: true, Autocomplete: "email", MaxLength: 254},
		{Name: "phone", Label: w.T("field.phone"), Type: "tel", Autocomplete: "tel", MaxLength: 50},
		{Name: "website", Label: w.T("field.website"), Placeholder: "example.com", MaxLength: 300},
	}
	for _, lf := range cfg.LeadFields {
		field := ui.Field{Name: "x-" + lf.Name, Label: lf.Label, Required: lf.Required}
		if len(lf.Options) > 0 {
			field.Type = "select"
			for _, o := range lf.Options {
				field.Options = append(field.Options, ui.Option{Value: o, Label: o})
			}
		}
		f = append(f, field)
	}
	return append(f, ui.Field{Name: "notes", Label: w.T("field.notes"), Type: "textarea", Help: w.T("field.notes-help"), MaxLength: 5000})
}

func (formBlock) HandleAction(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	w := words(req.Viewer)
	if req.Name != "submit" {
		return sdk.ActionResult{Error: w.T("error.unknown-action")}, nil
	}
	in := sp.LeadInput{Company: req.Value("company"), ContactName: req.Value("contactName"), Email: req.Value("email"),
		Phone: req.Value("phone"), Website: req.Value("website"), Notes: req.Value("notes"), Extra: map[string]string{}}
	for k := range req.Values {
		if name, ok := strings.CutPrefix(k, "x-"); ok {
			in.Extra[name] = req.Value(k)
		}
	}
	lead, err := sp.SubmitLead.Call(ctx, req.Host, in)
	if res, ok := refusal(w, err, "x-"); ok {
		return res, nil
	}
	if err != nil {
		return sdk.ActionResult{}, err
	}
	msg := w.T("form.thanks", "Company", lead.Company)
	if lead.UnderReview {
		msg = w.T("form.thanks-review", "Company", lead.Company)
	}
	return sdk.ActionResult{Message: msg, Navigate: req.Room.Path + "/items/" + strconv.FormatInt(lead.ID, 10)}, nil
}

// refusal turns a host call's refusal into what the viewer sees: field
// errors (extra fields carry their prefix in the form), or a message.
// The host's own messages (ce.Message, field errors) come worded by it.
func refusal(w *i18n.Locale, err error, extraPrefix string) (sdk.ActionResult, bool) {
	var ce *sdk.CallError
	if !errors.As(err, &ce) {
		return sdk.ActionResult{}, false
	}
	switch ce.Code {
	case sdk.CodeInvalid:
		if len(ce.Fields) == 0 {
			return sdk.ActionResult{Error: ce.Message}, true
		}
		fe := map[string]string{}
		std := map[string]bool{"company": true, "contactName": true, "email": true, "phone": true, "website": true, "notes": true,
			"status": true, "comment": true, "value": true, "currency": true, "name": true, "reason": true, "body": true}
		for k, v := range ce.Fields {
			if !std[k] && extraPrefix != "" {
				k = extraPrefix + k
			}
			fe[k] = v
		}
		return sdk.ActionResult{FieldErrors: fe, Error: w.T("error.check-fields")}, true
	case sdk.CodeNotFound:
		return sdk.ActionResult{Error: w.T("error.gone")}, true
	case sdk.CodePermission, sdk.CodeConflict:
		return sdk.ActionResult{Error: ce.Message}, true
	}
	return sdk.ActionResult{}, false
}

// ---- the list ----

type listBlock struct{}

func (listBlock) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "lead-list", Title: "Lead list", Icon: "file-text", Description: "The viewer's latest leads, with their status and expected commission."}
}

func (listBlock) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	page, err := sp.ListLeads.Call(ctx, req.Host, sp.LeadQuery{PerPage: 10})
	if err != nil {
		return nil, err
	}
	w := words(req.Viewer)
	title := w.T("list.title")
	if req.Viewer.Staff() {
		title = w.T("list.title-staff")
	}
	base := req.Room.Path + "/items/"
	return ui.Stack{Children: ui.Children{
		ui.Heading{Text: title, Level: 2},
		filterForm(w, sp.LeadQuery{}),
		leadTable(w, page, base, showPartner(req.Viewer), nil),
		ui.ActionBar{Buttons: []ui.Button{{Label: w.N("list.all", page.Total), Href: base + "all", Variant: "secondary", Icon: "file-text"}}},
	}}, nil
}

func (listBlock) HandleAction(_ context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	if req.Name != "filter" {
		return sdk.ActionResult{Error: words(req.Viewer).T("error.unknown-action")}, nil
	}
	return sdk.Navigate(req.Room.Path + "/items/all?" + listQuery(req.Value("status"), req.Value("q"), req.Value("sort"), 1)), nil
}

func listQuery(status, q, sort string, page int) string {
	v := url.Values{}
	if status != "" {
		v.Set("status", status)
	}
	if q != "" {
		v.Set("q", q)
	}
	if sort != "" {
		v.Set("sort", sort)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return v.Encode()
}

func filterForm(w *i18n.Locale, q sp.LeadQuery) ui.Component {
	status := ui.Field{Name: "status", Label: w.T("filter.status"), Type: "select", Placeholder: w.T("filter.any-status"), Value: q.Status}
	for _, s := range sp.LeadStatuses {
		status.Options = append(status.Options, ui.Option{Value: s, Label: statusLabel(w, s)})
	}
	sort := ui.Field{Name: "sort", Label: w.T("filter.sort"), Type: "select", Placeholder: w.T("filter.newest"), Value: q.Sort,
		Options: []ui.Option{{Value: "oldest", Label: w.T("filter.oldest")}, {Value: "company", Label: w.T("col.company")}, {Value: "status", Label: w.T("col.status")}}}
	return ui.Form{Action: ui.Action{Name: "filter"}, Submit: w.T("filter.search"), Fields: []ui.Field{
		{Name: "q", Label: w.T("filter.search-label"), Type: "search", Value: q.Search, MaxLength: 100}, status, sort}}
}

// showPartner is true for viewers who see more than one partner's leads:
// staff, and distributors (their sub-partners').
func showPartner(v sdk.Viewer) bool {
	return v.Staff() || (v.Partner != nil && v.Partner.Type == "distributor")
}

// statusTone colours a status badge.
func statusTone(s string) ui.Tone {
	switch s {
	case sp.LeadWon:
		return ui.ToneSuccess
	case sp.LeadLost:
		return ui.ToneDanger
	case sp.LeadDemo, sp.LeadProposal:
		return ui.ToneInfo
	}
	return ui.ToneNeutral
}

func leadTable(w *i18n.Locale, page sp.LeadPage, base string, staff bool, sortHref func(string) (string, string)) ui.Component {
	cols := []ui.TableColumn{{Label: w.T("col.company")}, {Label: w.T("col.contact")}, {Label: w.T("col.status")},
		{Label: w.T("col.commission"), Align: "right"}, {Label: w.T("col.submitted")}}
	// The sort key of each column, by position (labels are translated).
	keys := []string{"company", "", "status", "", "newest"}
	if staff {
		cols = append([]ui.TableColumn{{Label: w.T("col.partner")}}, cols...)
		keys = append([]string{""}, keys...)
	}
	if sortHref != nil {
		for i := range cols {
			if keys[i] != "" {
				cols[i].SortHref, cols[i].Sorted = sortHref(keys[i])
			}
		}
	}
	t := ui.Table{Columns: cols, Empty: w.T("list.empty")}
	for _, l := range page.Items {
		status := ui.Children{ui.Badge{Text: statusLabel(w, l.Status), Tone: statusTone(l.Status)}}
		if l.UnderReview {
			status = append(status, ui.Badge{Text: w.T("list.under-review"), Tone: ui.ToneWarning})
		}
		comm := "—"
		if l.ExpectedCommission.Amount > 0 {
			comm = w.Money(l.ExpectedCommission.Amount, l.ExpectedCommission.Currency)
		}
		cells := ui.Children{
			ui.Link{Text: l.Company, Href: base + strconv.FormatInt(l.ID, 10)},
			ui.Text{Text: l.ContactName},
			ui.Stack{Children: status},
			ui.Text{Text: comm},
			ui.Text{Text: w.Date(l.CreatedAt), Muted: true},
		}
		if staff {
			cells = append(ui.Children{ui.Text{Text: l.PartnerName}}, cells...)
		}
		t.Rows = append(t.Rows, ui.TableRow{Cells: cells})
	}
	return t
}
