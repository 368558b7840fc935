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
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/atriumhq/atrium/sdk/ui"
)

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
	if req.Viewer.Staff() {
		return ui.Callout{Tone: ui.ToneInfo, Title: "Partners submit leads here", Body: "Open the lead list to work your partners' leads."}, nil
	}
	cfg, err := sp.GetConfig.Call(ctx, req.Host, struct{}{})
	if err != nil {
		return nil, err
	}
	return ui.Stack{Children: ui.Children{
		ui.Heading{Text: "Submit a lead", Level: 2},
		ui.Form{Action: ui.Action{Name: "submit"}, Submit: "Submit lead", Fields: leadFields(cfg)},
	}}, nil
}

// leadFields is the lead form: the standard fields and the program's own.
func leadFields(cfg sp.Config) []ui.Field {
	f := []ui.Field{
		{Name: "company", Label: "Company", Required: true, Autocomplete: "organization", MaxLength: 200},
		{Name: "contactName", Label: "Contact name", Required: true, Autocomplete: "name", MaxLength: 200},
		{Name: "email", Label: "Contact email", Type: "email", Required: true, Autocomplete: "email", MaxLength: 254},
		{Name: "phone", Label: "Phone", Type: "tel", Autocomplete: "tel", MaxLength: 50},
		{Name: "website", Label: "Company website or domain", Placeholder: "example.com", MaxLength: 300},
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
	return append(f, ui.Field{Name: "notes", Label: "Notes", Type: "textarea", Help: "What they need, timing, budget: anything that helps.", MaxLength: 5000})
}

func (formBlock) HandleAction(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	if req.Name != "submit" {
		return sdk.ActionResult{Error: "unknown action"}, nil
	}
	in := sp.LeadInput{Company: req.Value("company"), ContactName: req.Value("contactName"), Email: req.Value("email"),
		Phone: req.Value("phone"), Website: req.Value("website"), Notes: req.Value("notes"), Extra: map[string]string{}}
	for k := range req.Values {
		if name, ok := strings.CutPrefix(k, "x-"); ok {
			in.Extra[name] = req.Value(k)
		}
	}
	lead, err := sp.SubmitLead.Call(ctx, req.Host, in)
	if res, ok := refusal(err, "x-"); ok {
		return res, nil
	}
	if err != nil {
		return sdk.ActionResult{}, err
	}
	msg := fmt.Sprintf("Thanks! %s is submitted. Follow it here.", lead.Company)
	if lead.UnderReview {
		msg = fmt.Sprintf("Thanks! %s is submitted and under review by your partner manager.", lead.Company)
	}
	return sdk.ActionResult{Message: msg, Navigate: req.Room.Path + "/items/" + strconv.FormatInt(lead.ID, 10)}, nil
}

// refusal turns a host call's refusal into what the viewer sees: field
// errors (extra fields carry their prefix in the form), or a message.
func refusal(err error, extraPrefix string) (sdk.ActionResult, bool) {
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
		return sdk.ActionResult{FieldErrors: fe, Error: "Please check the highlighted fields."}, true
	case sdk.CodeNotFound:
		return sdk.ActionResult{Error: "That lead no longer exists, or is not yours to change."}, true
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
	title := "Your leads"
	if req.Viewer.Staff() {
		title = "Your partners' leads"
	}
	base := req.Room.Path + "/items/"
	return ui.Stack{Children: ui.Children{
		ui.Heading{Text: title, Level: 2},
		filterForm(sp.LeadQuery{}),
		leadTable(page, base, showPartner(req.Viewer), nil),
		ui.ActionBar{Buttons: []ui.Button{{Label: fmt.Sprintf("All %d leads", page.Total), Href: base + "all", Variant: "secondary", Icon: "file-text"}}},
	}}, nil
}

func (listBlock) HandleAction(_ context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	if req.Name != "filter" {
		return sdk.ActionResult{Error: "unknown action"}, nil
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

func filterForm(q sp.LeadQuery) ui.Component {
	status := ui.Field{Name: "status", Label: "Status", Type: "select", Placeholder: "Any status", Value: q.Status}
	for _, s := range sp.LeadStatuses {
		status.Options = append(status.Options, ui.Option{Value: s, Label: sp.Label(s)})
	}
	sort := ui.Field{Name: "sort", Label: "Sort", Type: "select", Placeholder: "Newest first", Value: q.Sort,
		Options: []ui.Option{{Value: "oldest", Label: "Oldest first"}, {Value: "company", Label: "Company"}, {Value: "status", Label: "Status"}}}
	return ui.Form{Action: ui.Action{Name: "filter"}, Submit: "Search", Fields: []ui.Field{
		{Name: "q", Label: "Search company, contact or email", Type: "search", Value: q.Search, MaxLength: 100}, status, sort}}
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

func leadTable(page sp.LeadPage, base string, staff bool, sortHref func(string) (string, string)) ui.Component {
	cols := []ui.TableColumn{{Label: "Company"}, {Label: "Contact"}, {Label: "Status"}, {Label: "Expected commission", Align: "right"}, {Label: "Submitted"}}
	if staff {
		cols = append([]ui.TableColumn{{Label: "Partner"}}, cols...)
	}
	if sortHref != nil {
		for i := range cols {
			key := map[string]string{"Company": "company", "Status": "status", "Submitted": "newest"}[cols[i].Label]
			if key != "" {
				cols[i].SortHref, cols[i].Sorted = sortHref(key)
			}
		}
	}
	t := ui.Table{Columns: cols, Empty: "No leads yet. Submit your first one with the form."}
	for _, l := range page.Items {
		status := ui.Children{ui.Badge{Text: sp.Label(l.Status), Tone: statusTone(l.Status)}}
		if l.UnderReview {
			status = append(status, ui.Badge{Text: "Under review", Tone: ui.ToneWarning})
		}
		comm := "—"
		if l.ExpectedCommission.Amount > 0 {
			comm = l.ExpectedCommission.String()
		}
		cells := ui.Children{
			ui.Link{Text: l.Company, Href: base + strconv.FormatInt(l.ID, 10)},
			ui.Text{Text: l.ContactName},
			ui.Stack{Children: status},
			ui.Text{Text: comm},
			ui.Text{Text: l.CreatedAt.Format("2 Jan 2006"), Muted: true},
		}
		if staff {
			cells = append(ui.Children{ui.Text{Text: l.PartnerName}}, cells...)
		}
		t.Rows = append(t.Rows, ui.TableRow{Cells: cells})
	}
	return t
}
