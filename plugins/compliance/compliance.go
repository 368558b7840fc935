// Package compliance is the Compliance room (room type "compliance"): what
// the program asks of the viewer's company (a signed agreement, an
// insurance certificate, a certification one of its people holds), with
// each item's status, due date and expiry, and a form to hand in evidence.
// A distributor's people also see their sub-partners' items, review the
// evidence handed in (accept, or reject with a reason), and share
// resources with their sub-partners, seeing who downloaded each. It reaches
// compliance only through the host API (sdk/compliance), as the viewer.
//
//	kind: Room
//	slug: compliance
//	type: compliance
//	partnerTypes: [reseller, distributor]
//
// Everything is on the room's page, and every form works without
// JavaScript.
package compliance

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/sdk"
	sc "github.com/atriumhq/atrium/sdk/compliance"
	"github.com/atriumhq/atrium/sdk/content"
	"github.com/atriumhq/atrium/sdk/i18n"
	"github.com/atriumhq/atrium/sdk/ui"
)

// ID names the plugin.
const ID = "atrium/compliance"

// Plugin returns the room type and its block.
func Plugin() sdk.Plugin {
	return sdk.Plugin{ID: ID, Blocks: []sdk.BlockType{block{}}, Rooms: []sdk.RoomType{Room{}}}
}

// Room is the Compliance room type.
type Room struct{}

// Describe names the room type; every Compliance room starts with the
// items and shares block.
func (Room) Describe() sdk.RoomInfo {
	return sdk.RoomInfo{Name: "compliance", Title: "Compliance", Icon: "check", OncePerPartnerType: true, StaffView: true,
		Description:   "The program's compliance items with evidence and reviews; for distributors, their sub-partners' items and shared resources.",
		DefaultBlocks: []sdk.BlockSpec{{ID: "compliance", Type: "compliance-items"}}}
}

type block struct{}

func (block) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "compliance-items", Title: "Compliance", Icon: "check", SchemaVersion: 1,
		Description:  "The viewer's compliance items with a form to hand in evidence; for distributors, their network's items, reviews and shares.",
		ConfigSchema: json.RawMessage(`{"type":"object","additionalProperties":false}`)}
}

// Render draws the viewer's own items, then (for a distributor or staff)
// the network's items and reviews, then the shares.
func (block) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	w := words(req.Viewer)
	page, err := sc.ListItems.Call(ctx, req.Host, sc.ItemQuery{PerPage: 200})
	if err != nil {
		return nil, err
	}
	own := req.Viewer.PartnerID()
	var mine, others []sc.Item
	for _, it := range page.Items {
		if it.PartnerID == own && own != 0 {
			mine = append(mine, it)
		} else {
			others = append(others, it)
		}
	}
	out := ui.Stack{}
	// A distributor asked nothing itself sees its network straight away.
	if own != 0 && (len(mine) > 0 || len(others) == 0) {
		out.Children = append(out.Children, ui.Heading{Text: w.T("yours"), Level: 2})
		if len(mine) == 0 {
			out.Children = append(out.Children, ui.Empty{Title: w.T("nothing-asked"), Description: w.T("nothing-asked-help")})
		}
		for _, it := range mine {
			out.Children = append(out.Children, itemCard(w, it))
		}
	}
	if len(others) > 0 {
		title := w.T("network")
		if req.Viewer.Staff() {
			title = w.T("partners")
		}
		out.Children = append(out.Children, ui.Heading{Text: title, Level: 2}, networkTable(w, others))
		var toReview ui.Children
		for _, it := range others {
			if it.CanReview && it.Status == sc.Submitted {
				toReview = append(toReview, reviewCard(w, it))
			}
		}
		if len(toReview) > 0 {
			out.Children = append(out.Children, ui.Heading{Text: w.T("to-review"), Level: 3})
			out.Children = append(out.Children, toReview...)
		}
	}
	if req.Viewer.Staff() && !req.Viewer.Preview {
		reqs, err := requirementsSection(ctx, req)
		if err != nil {
			return nil, err
		}
		out.Children = append(out.Children, reqs...)
	}
	board, err := sc.GetShares.Call(ctx, req.Host, struct{}{})
	if err != nil {
		return nil, err
	}
	if board.CanShare || len(board.Shares) > 0 {
		out.Children = append(out.Children, ui.Heading{Text: w.T("shares"), Level: 2}, sharesTable(w, board))
		if board.CanShare {
			out.Children = append(out.Children, shareForm(ctx, w, req.Host, board))
		}
	}
	return out, nil
}

// requirementsSection lists the program's requirements for staff, and
// gives administrators a form to add one and a button to archive or
// restore each.
func requirementsSection(ctx context.Context, req sdk.RenderRequest) (ui.Children, error) {
	w := words(req.Viewer)
	reqs, err := sc.ListRequirements.Call(ctx, req.Host, struct{}{})
	if err != nil {
		return nil, err
	}
	admin := req.Viewer.Role == sdk.RoleAdmin
	cols := []ui.TableColumn{{Label: w.T("requirement")}, {Label: w.T("kind")}, {Label: w.T("applies-to")}, {Label: w.T("dates")}}
	if admin {
		cols = append(cols, ui.TableColumn{Label: w.T("actions")})
	}
	t := ui.Table{Caption: w.T("requirements-caption"), Empty: w.T("no-requirements"), Columns: cols}
	for _, r := range reqs {
		kind := w.T("kind-document")
		if r.Kind == sc.Certification {
			kind = w.T("kind.certification-of", "Task", r.CertTaskID, "Block", r.CertBlockKey)
		}
		types := strings.Join(r.PartnerTypes, ", ")
		if types == "" {
			types = w.T("all-types")
		}
		var when []string
		if r.Due != "" {
			when = append(when, w.T("due", "Date", w.Day(r.Due)))
		}
		if r.ValidityMonths > 0 {
			when = append(when, w.N("validity-months", r.ValidityMonths))
		}
		name := r.Name
		if r.Archived {
			name = w.T("archived-mark", "Name", r.Name)
		}
		cells := ui.Children{ui.Text{Text: name}, ui.Text{Text: kind}, ui.Text{Text: types}, ui.Text{Text: strings.Join(when, " · ")}}
		if admin {
			label, state := w.T("archive", "Name", r.Name), "archive:"
			if r.Archived {
				label, state = w.T("restore", "Name", r.Name), "restore:"
			}
			cells = append(cells, ui.Form{Action: ui.Action{Name: "archive", State: state + strconv.FormatInt(r.ID, 10)}, Submit: label})
		}
		t.Rows = append(t.Rows, ui.TableRow{Cells: cells})
	}
	out := ui.Children{ui.Heading{Text: w.T("requirements"), Level: 2}, t}
	if !admin {
		return out, nil
	}
	prog, err := req.Host.Program(ctx)
	if err != nil {
		return nil, err
	}
	types := make([]ui.Option, 0, len(prog.PartnerTypes))
	for _, pt := range prog.PartnerTypes {
		types = append(types, ui.Option{Value: pt, Label: pt})
	}
	out = append(out, ui.Card{Title: w.T("add-requirement"), Body: ui.Children{ui.Form{Action: ui.Action{Name: "requirement"}, Submit: w.T("add-requirement-submit"), Fields: []ui.Field{
		{Name: "name", Label: w.T("field.name"), Required: true},
		{Name: "description", Label: w.T("what-counts"), Type: "textarea"},
		{Name: "kind", Label: w.T("kind"), Type: "radio", Required: true, Value: sc.Document,
			Options: []ui.Option{{Value: sc.Document, Label: w.T("kind-document")}, {Value: sc.Certification, Label: w.T("kind-certification")}}},
		{Name: "types", Label: w.T("applies-to"), Type: "checkboxes", Help: w.T("applies-help"), Options: types},
		{Name: "due", Label: w.T("due-on"), Type: "date"},
		{Name: "validity", Label: w.T("validity"), Type: "number", Help: w.T("validity-help")},
		{Name: "certBlockKey", Label: w.T("cert-block"), Help: w.T("cert-block-help")},
		{Name: "certTaskId", Label: w.T("cert-task")},
	}}}})
	return out, nil
}

// status is an item's status for people, with its tone.
func status(w *i18n.Locale, s string) ui.Badge {
	switch s {
	case sc.Accepted:
		return ui.Badge{Text: w.T("accepted"), Tone: ui.ToneSuccess}
	case sc.Submitted:
		return ui.Badge{Text: w.T("submitted"), Tone: ui.ToneInfo}
	case sc.Rejected:
		return ui.Badge{Text: w.T("rejected"), Tone: ui.ToneDanger}
	case sc.Expiring:
		return ui.Badge{Text: w.T("expiring"), Tone: ui.ToneWarning}
	case sc.Expired:
		return ui.Badge{Text: w.T("expired"), Tone: ui.ToneDanger}
	case sc.Overdue:
		return ui.Badge{Text: w.T("overdue"), Tone: ui.ToneDanger}
	}
	return ui.Badge{Text: w.T("missing"), Tone: ui.ToneWarning}
}

// dates says when an item is due and when it expires.
func dates(w *i18n.Locale, it sc.Item) string {
	var parts []string
	if it.Expires != "" {
		parts = append(parts, w.T("expires", "Date", w.Day(it.Expires)))
	}
	if it.Due != "" && it.Due != it.Expires && it.Status != sc.Accepted && it.Status != sc.Expiring {
		parts = append(parts, w.T("due", "Date", w.Day(it.Due)))
	}
	return strings.Join(parts, " · ")
}

func itemCard(w *i18n.Locale, it sc.Item) ui.Component {
	body := ui.Children{status(w, it.Status)}
	if d := dates(w, it); d != "" {
		body = append(body, ui.Text{Text: d})
	}
	if it.Description != "" {
		body = append(body, ui.Text{Text: it.Description})
	}
	if it.Kind == sc.Certification && it.Status == sc.Missing || it.Kind == sc.Certification && it.Status == sc.Overdue {
		body = append(body, ui.Text{Text: w.T("cert-help")})
	}
	if it.URL != "" {
		body = append(body, ui.Link{Text: evidence(w, it), Href: it.URL})
	}
	if it.Reason != "" {
		who := ""
		if it.ReviewedBy != nil {
			who = it.ReviewedBy.Name
		}
		body = append(body, ui.Callout{Tone: ui.ToneDanger, Title: w.T("rejected-by", "Name", who), Body: it.Reason})
	}
	// Accepted evidence in force needs nothing more; from 30 days before
	// its expiry a new version may be handed in.
	if it.CanSubmit && it.Status != sc.Accepted {
		submit := w.T("hand-in")
		if it.URL != "" {
			submit = w.T("hand-in-new")
		}
		body = append(body, ui.Form{Action: ui.Action{Name: "submit", State: strconv.FormatInt(it.RequirementID, 10)}, Submit: submit,
			Fields: []ui.Field{
				{Name: "file", Label: w.T("file"), Type: "file", Required: true, Help: w.T("file-help")},
				{Name: "expires", Label: w.T("expires-on"), Type: "date", Help: w.T("expires-help")},
			}})
	}
	return ui.Card{Title: it.Name, Body: body}
}

// evidence names the file handed in, with its version.
func evidence(w *i18n.Locale, it sc.Item) string {
	return w.T("evidence-file", "File", it.FileName, "Version", w.Int(int64(it.Version)))
}

func networkTable(w *i18n.Locale, items []sc.Item) ui.Component {
	t := ui.Table{Caption: w.T("network-caption"), Columns: []ui.TableColumn{{Label: w.T("partner")}, {Label: w.T("requirement")}, {Label: w.T("status")}, {Label: w.T("dates")}, {Label: w.T("evidence")}}}
	for _, it := range items {
		var ev ui.Component = ui.Text{Text: "—"}
		if it.URL != "" {
			ev = ui.Link{Text: it.FileName, Href: it.URL}
		}
		t.Rows = append(t.Rows, ui.TableRow{Cells: ui.Children{ui.Text{Text: it.PartnerName}, ui.Text{Text: it.Name}, status(w, it.Status),
			ui.Text{Text: dates(w, it)}, ev}})
	}
	return t
}

func reviewCard(w *i18n.Locale, it sc.Item) ui.Component {
	body := ui.Children{ui.Link{Text: evidence(w, it), Href: it.URL}}
	if it.SubmittedBy != nil {
		body = append(body, ui.Text{Text: w.T("handed-in-by", "Name", it.SubmittedBy.Name)})
	}
	if it.Expires != "" {
		body = append(body, ui.Text{Text: w.T("stated-expiry", "Date", w.Day(it.Expires))})
	}
	body = append(body, ui.Form{Action: ui.Action{Name: "review", State: strconv.FormatInt(it.ID, 10)}, Submit: w.T("save-review"),
		Fields: []ui.Field{
			{Name: "decision", Label: w.T("decision"), Type: "radio", Required: true, Options: []ui.Option{{Value: sc.Accept, Label: w.T("accept")}, {Value: sc.Reject, Label: w.T("reject")}}},
			{Name: "reason", Label: w.T("reason"), Type: "textarea", Help: w.T("reason-help")},
		}})
	return ui.Card{Title: w.T("review-title", "Requirement", it.Name, "Partner", it.PartnerName), Body: body}
}

func sharesTable(w *i18n.Locale, b sc.ShareBoard) ui.Component {
	t := ui.Table{Caption: w.T("shares-caption"), Empty: w.T("no-shares"),
		Columns: []ui.TableColumn{{Label: w.T("resource")}, {Label: w.T("shared-on")}, {Label: w.T("downloads-by")}, {Label: w.T("downloads"), Align: "right"}}}
	for _, sh := range b.Shares {
		var who []ui.ListItem
		for _, r := range sh.Recipients {
			meta := w.T("not-yet")
			if r.Downloads > 0 {
				meta = w.N("downloaded-times", r.Downloads)
			}
			who = append(who, ui.ListItem{Title: r.Name, Meta: meta})
		}
		var recipients ui.Component = ui.List{Items: who}
		if len(who) == 0 {
			recipients = ui.Text{Text: w.T("no-sub-partners")}
		}
		t.Rows = append(t.Rows, ui.TableRow{Cells: ui.Children{ui.Link{Text: sh.Title, Href: sh.URL},
			ui.Text{Text: w.Date(sh.CreatedAt)}, recipients, ui.Text{Text: w.Int(int64(sh.Downloads))}}})
	}
	return t
}

func shareForm(ctx context.Context, w *i18n.Locale, h sdk.Host, b sc.ShareBoard) ui.Component {
	opts := make([]ui.Option, 0, len(b.SubPartners))
	for _, p := range b.SubPartners {
		opts = append(opts, ui.Option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name})
	}
	var lib []ui.Option
	// The library as the distributor sees it: only resources with a file
	// can be handed on.
	if page, err := content.ListResources.Call(ctx, h, content.ResourceQuery{Limit: 100, Sort: "title"}); err == nil {
		for _, r := range page.Items {
			if r.FileID != 0 {
				lib = append(lib, ui.Option{Value: strconv.FormatInt(r.ID, 10), Label: r.Title})
			}
		}
	}
	return ui.Card{Title: w.T("share-title"), Body: ui.Children{ui.Form{Action: ui.Action{Name: "share"}, Submit: w.T("share"), Fields: []ui.Field{
		{Name: "resource", Label: w.T("from-library"), Type: "select", Placeholder: w.T("no-library"), Options: lib},
		{Name: "file", Label: w.T("or-upload"), Type: "file", Help: w.T("file-help")},
		{Name: "title", Label: w.T("title"), Help: w.T("title-help")},
		{Name: "note", Label: w.T("note"), Type: "textarea"},
		{Name: "everyone", Label: w.T("everyone"), Type: "checkbox"},
		{Name: "partners", Label: w.T("choose"), Type: "checkboxes", Options: opts},
	}}}}
}

// HandleAction serves the block's forms.
func (block) HandleAction(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	return act(ctx, req)
}

// HandleAction serves the room's forms (the same as the block's).
func (Room) HandleAction(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	return act(ctx, req)
}

func act(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	w := words(req.Viewer)
	switch req.Name {
	case "submit":
		rid, err := strconv.ParseInt(req.State, 10, 64)
		if err != nil || rid <= 0 {
			return sdk.ActionResult{Error: w.T("unknown-action")}, nil
		}
		token := firstNonEmpty(req.Values["file"])
		if token == "" {
			return sdk.ActionResult{FieldErrors: map[string]string{"file": w.T("choose-file")}, Error: w.T("check-fields")}, nil
		}
		it, err := sc.SubmitItem.Call(ctx, req.Host, sc.Submission{RequirementID: rid, Upload: token, Expires: req.Value("expires")})
		return answer(w, err, "file", w.T("done.handed-in", "Name", it.Name))
	case "review":
		id, err := strconv.ParseInt(req.State, 10, 64)
		if err != nil || id <= 0 {
			return sdk.ActionResult{Error: w.T("unknown-action")}, nil
		}
		it, err := sc.ReviewItem.Call(ctx, req.Host, sc.Review{ItemID: id, Decision: req.Value("decision"), Reason: req.Value("reason")})
		msg := w.T("done.accepted", "Requirement", it.Name, "Partner", it.PartnerName)
		if req.Value("decision") == sc.Reject {
			msg = w.T("done.rejected", "Requirement", it.Name, "Partner", it.PartnerName)
		}
		return answer(w, err, "reason", msg)
	case "requirement":
		months := 0
		if v := strings.TrimSpace(req.Value("validity")); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return sdk.ActionResult{FieldErrors: map[string]string{"validity": w.T("whole-months")}, Error: w.T("check-fields")}, nil
			}
			months = n
		}
		r, err := sc.SaveRequirement.Call(ctx, req.Host, sc.RequirementChange{Name: req.Value("name"), Description: req.Value("description"),
			Kind: req.Value("kind"), PartnerTypes: req.Values["types"], ValidityMonths: months, Due: req.Value("due"),
			CertBlockKey: req.Value("certBlockKey"), CertTaskID: req.Value("certTaskId")})
		return answer(w, err, "name", w.T("done.requirement-added", "Name", r.Name))
	case "archive":
		what, idS, _ := strings.Cut(req.State, ":")
		id, err := strconv.ParseInt(idS, 10, 64)
		if err != nil || id <= 0 {
			return sdk.ActionResult{Error: w.T("unknown-action")}, nil
		}
		reqs, err := sc.ListRequirements.Call(ctx, req.Host, struct{}{})
		if err != nil {
			return sdk.ActionResult{}, err
		}
		for _, r := range reqs {
			if r.ID != id {
				continue
			}
			ch := sc.RequirementChange{ID: r.ID, Name: r.Name, Description: r.Description, Kind: r.Kind, PartnerTypes: r.PartnerTypes,
				ValidityMonths: r.ValidityMonths, Due: r.Due, CertBlockKey: r.CertBlockKey, CertTaskID: r.CertTaskID, Archived: what == "archive"}
			_, err := sc.SaveRequirement.Call(ctx, req.Host, ch)
			msg := w.T("done.archived", "Name", r.Name)
			if what != "archive" {
				msg = w.T("done.restored", "Name", r.Name)
			}
			return answer(w, err, "", msg)
		}
		return sdk.ActionResult{Error: w.T("gone")}, nil
	case "share":
		in := sc.NewShare{Upload: firstNonEmpty(req.Values["file"]), Title: req.Value("title"), Note: req.Value("note"), Everyone: req.Value("everyone") == "true"}
		if r := req.Value("resource"); r != "" {
			id, err := strconv.ParseInt(r, 10, 64)
			if err != nil {
				return sdk.ActionResult{FieldErrors: map[string]string{"resource": w.T("choose-resource")}, Error: w.T("check-fields")}, nil
			}
			in.ResourceID = id
		}
		for _, p := range req.Values["partners"] {
			id, err := strconv.ParseInt(p, 10, 64)
			if err != nil {
				return sdk.ActionResult{FieldErrors: map[string]string{"partners": w.T("choose-partners")}, Error: w.T("check-fields")}, nil
			}
			in.PartnerIDs = append(in.PartnerIDs, id)
		}
		sh, err := sc.CreateShare.Call(ctx, req.Host, in)
		return answer(w, err, "title", w.N("done.shared", len(sh.Recipients), "Title", sh.Title))
	}
	return sdk.ActionResult{Error: w.T("unknown-action")}, nil
}

func firstNonEmpty(vs []string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

var formNames = map[string]string{"partnerTypes": "types", "validityMonths": "validity", "upload": "file", "resourceId": "resource", "partnerIds": "partners", "requirementId": "file", "itemId": "decision"}

var onForm = map[string]bool{"name": true, "description": true, "kind": true, "types": true, "due": true, "validity": true,
	"certBlockKey": true, "certTaskId": true, "file": true, "expires": true, "decision": true, "reason": true, "resource": true, "title": true, "note": true,
	"everyone": true, "partners": true}

// answer turns a host call's outcome into what the viewer sees: a refusal
// beside its field with what was typed kept, or the message.
func answer(w *i18n.Locale, err error, main, msg string) (sdk.ActionResult, error) {
	if r, ok := (sdk.Refusals{Main: main, Rename: formNames, OnForm: onForm, CheckFields: w.T("check-fields"), Gone: w.T("gone")}).Result(err); ok {
		return r, nil
	}
	if err != nil {
		return sdk.ActionResult{}, err
	}
	return sdk.OK(msg), nil
}
