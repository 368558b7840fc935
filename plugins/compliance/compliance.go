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
	"fmt"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/sdk"
	sc "github.com/atriumhq/atrium/sdk/compliance"
	"github.com/atriumhq/atrium/sdk/content"
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
	return sdk.RoomInfo{Name: "compliance", Title: txtCompliance, Icon: "check", OncePerPartnerType: true, StaffView: true,
		Description:   "The program's compliance items with evidence and reviews; for distributors, their sub-partners' items and shared resources.",
		DefaultBlocks: []sdk.BlockSpec{{ID: "compliance", Type: "compliance-items"}}}
}

type block struct{}

func (block) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "compliance-items", Title: txtCompliance, Icon: "check", SchemaVersion: 1,
		Description:  "The viewer's compliance items with a form to hand in evidence; for distributors, their network's items, reviews and shares.",
		ConfigSchema: json.RawMessage(`{"type":"object","additionalProperties":false}`)}
}

// Render draws the viewer's own items, then (for a distributor or staff)
// the network's items and reviews, then the shares.
func (block) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
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
		out.Children = append(out.Children, ui.Heading{Text: txtYours, Level: 2})
		if len(mine) == 0 {
			out.Children = append(out.Children, ui.Empty{Title: txtNothingAsked, Description: txtNothingAskedHelp})
		}
		for _, it := range mine {
			out.Children = append(out.Children, itemCard(it))
		}
	}
	if len(others) > 0 {
		title := txtNetwork
		if req.Viewer.Staff() {
			title = txtPartners
		}
		out.Children = append(out.Children, ui.Heading{Text: title, Level: 2}, networkTable(others))
		var toReview ui.Children
		for _, it := range others {
			if it.CanReview && it.Status == sc.Submitted {
				toReview = append(toReview, reviewCard(it))
			}
		}
		if len(toReview) > 0 {
			out.Children = append(out.Children, ui.Heading{Text: txtToReview, Level: 3})
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
		out.Children = append(out.Children, ui.Heading{Text: txtShares, Level: 2}, sharesTable(board))
		if board.CanShare {
			out.Children = append(out.Children, shareForm(ctx, req.Host, board))
		}
	}
	return out, nil
}

// requirementsSection lists the program's requirements for staff, and
// gives administrators a form to add one and a button to archive or
// restore each.
func requirementsSection(ctx context.Context, req sdk.RenderRequest) (ui.Children, error) {
	reqs, err := sc.ListRequirements.Call(ctx, req.Host, struct{}{})
	if err != nil {
		return nil, err
	}
	admin := req.Viewer.Role == sdk.RoleAdmin
	cols := []ui.TableColumn{{Label: txtRequirement}, {Label: txtKind}, {Label: txtAppliesTo}, {Label: txtDates}}
	if admin {
		cols = append(cols, ui.TableColumn{Label: txtActions})
	}
	t := ui.Table{Caption: txtRequirementsCaption, Empty: txtNoRequirements, Columns: cols}
	for _, r := range reqs {
		kind := txtKindDocument
		if r.Kind == sc.Certification {
			kind = fmt.Sprintf(fmtKindCert, r.CertTaskID, r.CertBlockKey)
		}
		types := strings.Join(r.PartnerTypes, ", ")
		if types == "" {
			types = txtAllTypes
		}
		var when []string
		if r.Due != "" {
			when = append(when, fmt.Sprintf(fmtDue, r.Due))
		}
		if r.ValidityMonths > 0 {
			when = append(when, fmt.Sprintf(fmtValidity, r.ValidityMonths))
		}
		name := r.Name
		if r.Archived {
			name += " " + txtArchivedMark
		}
		cells := ui.Children{ui.Text{Text: name}, ui.Text{Text: kind}, ui.Text{Text: types}, ui.Text{Text: strings.Join(when, " · ")}}
		if admin {
			label, state := txtArchive, "archive:"
			if r.Archived {
				label, state = txtRestore, "restore:"
			}
			cells = append(cells, ui.Form{Action: ui.Action{Name: "archive", State: state + strconv.FormatInt(r.ID, 10)}, Submit: label + " " + r.Name})
		}
		t.Rows = append(t.Rows, ui.TableRow{Cells: cells})
	}
	out := ui.Children{ui.Heading{Text: txtRequirements, Level: 2}, t}
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
	out = append(out, ui.Card{Title: txtAddRequirement, Body: ui.Children{ui.Form{Action: ui.Action{Name: "requirement"}, Submit: txtAdd, Fields: []ui.Field{
		{Name: "name", Label: txtName, Required: true},
		{Name: "description", Label: txtWhatCounts, Type: "textarea"},
		{Name: "kind", Label: txtKind, Type: "radio", Required: true, Value: sc.Document,
			Options: []ui.Option{{Value: sc.Document, Label: txtKindDocument}, {Value: sc.Certification, Label: txtKindCertification}}},
		{Name: "types", Label: txtAppliesTo, Type: "checkboxes", Help: txtAppliesHelp, Options: types},
		{Name: "due", Label: txtDueOn, Type: "date"},
		{Name: "validity", Label: txtValidity, Type: "number", Help: txtValidityHelp},
		{Name: "certBlockKey", Label: txtCertBlock, Help: txtCertBlockHelp},
		{Name: "certTaskId", Label: txtCertTask},
	}}}})
	return out, nil
}

// status is an item's status for people, with its tone.
func status(s string) ui.Badge {
	switch s {
	case sc.Accepted:
		return ui.Badge{Text: txtAccepted, Tone: ui.ToneSuccess}
	case sc.Submitted:
		return ui.Badge{Text: txtSubmitted, Tone: ui.ToneInfo}
	case sc.Rejected:
		return ui.Badge{Text: txtRejected, Tone: ui.ToneDanger}
	case sc.Expiring:
		return ui.Badge{Text: txtExpiring, Tone: ui.ToneWarning}
	case sc.Expired:
		return ui.Badge{Text: txtExpired, Tone: ui.ToneDanger}
	case sc.Overdue:
		return ui.Badge{Text: txtOverdue, Tone: ui.ToneDanger}
	}
	return ui.Badge{Text: txtMissing, Tone: ui.ToneWarning}
}

// dates says when an item is due and when it expires.
func dates(it sc.Item) string {
	var parts []string
	if it.Expires != "" {
		parts = append(parts, fmt.Sprintf(fmtExpires, it.Expires))
	}
	if it.Due != "" && it.Due != it.Expires && it.Status != sc.Accepted && it.Status != sc.Expiring {
		parts = append(parts, fmt.Sprintf(fmtDue, it.Due))
	}
	return strings.Join(parts, " · ")
}

func itemCard(it sc.Item) ui.Component {
	body := ui.Children{status(it.Status)}
	if d := dates(it); d != "" {
		body = append(body, ui.Text{Text: d})
	}
	if it.Description != "" {
		body = append(body, ui.Text{Text: it.Description})
	}
	if it.Kind == sc.Certification && it.Status == sc.Missing || it.Kind == sc.Certification && it.Status == sc.Overdue {
		body = append(body, ui.Text{Text: txtCertHelp})
	}
	if it.URL != "" {
		body = append(body, ui.Link{Text: fmt.Sprintf(fmtEvidence, it.FileName, it.Version), Href: it.URL})
	}
	if it.Reason != "" {
		who := ""
		if it.ReviewedBy != nil {
			who = it.ReviewedBy.Name
		}
		body = append(body, ui.Callout{Tone: ui.ToneDanger, Title: fmt.Sprintf(fmtRejectedBy, who), Body: it.Reason})
	}
	// Accepted evidence in force needs nothing more; from 30 days before
	// its expiry a new version may be handed in.
	if it.CanSubmit && it.Status != sc.Accepted {
		submit := txtHandIn
		if it.URL != "" {
			submit = txtHandInNew
		}
		body = append(body, ui.Form{Action: ui.Action{Name: "submit", State: strconv.FormatInt(it.RequirementID, 10)}, Submit: submit,
			Fields: []ui.Field{
				{Name: "file", Label: txtFile, Type: "file", Required: true, Help: txtFileHelp},
				{Name: "expires", Label: txtExpiresOn, Type: "date", Help: txtExpiresHelp},
			}})
	}
	return ui.Card{Title: it.Name, Body: body}
}

func networkTable(items []sc.Item) ui.Component {
	t := ui.Table{Caption: txtNetworkCaption, Columns: []ui.TableColumn{{Label: txtPartner}, {Label: txtRequirement}, {Label: txtStatus}, {Label: txtDates}, {Label: txtEvidence}}}
	for _, it := range items {
		var ev ui.Component = ui.Text{Text: "—"}
		if it.URL != "" {
			ev = ui.Link{Text: it.FileName, Href: it.URL}
		}
		t.Rows = append(t.Rows, ui.TableRow{Cells: ui.Children{ui.Text{Text: it.PartnerName}, ui.Text{Text: it.Name}, status(it.Status),
			ui.Text{Text: dates(it)}, ev}})
	}
	return t
}

func reviewCard(it sc.Item) ui.Component {
	body := ui.Children{ui.Link{Text: fmt.Sprintf(fmtEvidence, it.FileName, it.Version), Href: it.URL}}
	if it.SubmittedBy != nil {
		body = append(body, ui.Text{Text: fmt.Sprintf(fmtHandedInBy, it.SubmittedBy.Name)})
	}
	if it.Expires != "" {
		body = append(body, ui.Text{Text: fmt.Sprintf(fmtStatedExpiry, it.Expires)})
	}
	body = append(body, ui.Form{Action: ui.Action{Name: "review", State: strconv.FormatInt(it.ID, 10)}, Submit: txtSaveReview,
		Fields: []ui.Field{
			{Name: "decision", Label: txtDecision, Type: "radio", Required: true, Options: []ui.Option{{Value: sc.Accept, Label: txtAccept}, {Value: sc.Reject, Label: txtReject}}},
			{Name: "reason", Label: txtReason, Type: "textarea", Help: txtReasonHelp},
		}})
	return ui.Card{Title: fmt.Sprintf(fmtReviewTitle, it.Name, it.PartnerName), Body: body}
}

func sharesTable(b sc.ShareBoard) ui.Component {
	t := ui.Table{Caption: txtSharesCaption, Empty: txtNoShares,
		Columns: []ui.TableColumn{{Label: txtResource}, {Label: txtSharedOn}, {Label: txtDownloadsBy}, {Label: txtDownloads, Align: "right"}}}
	for _, sh := range b.Shares {
		var who []ui.ListItem
		for _, r := range sh.Recipients {
			meta := txtNotYet
			if r.Downloads > 0 {
				meta = fmt.Sprintf(fmtTimes, r.Downloads)
			}
			who = append(who, ui.ListItem{Title: r.Name, Meta: meta})
		}
		var recipients ui.Component = ui.List{Items: who}
		if len(who) == 0 {
			recipients = ui.Text{Text: txtNoSubPartners}
		}
		t.Rows = append(t.Rows, ui.TableRow{Cells: ui.Children{ui.Link{Text: sh.Title, Href: sh.URL},
			ui.Text{Text: sh.CreatedAt.Format("2006-01-02")}, recipients, ui.Text{Text: strconv.Itoa(sh.Downloads)}}})
	}
	return t
}

func shareForm(ctx context.Context, h sdk.Host, b sc.ShareBoard) ui.Component {
	opts := make([]ui.Option, 0, len(b.SubPartners))
	for _, p := range b.SubPartners {
		opts = append(opts, ui.Option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name})
	}
	lib := []ui.Option{{Value: "", Label: txtNoLibrary}}
	// The library as the distributor sees it: only resources with a file
	// can be handed on.
	if page, err := content.ListResources.Call(ctx, h, content.ResourceQuery{Limit: 100, Sort: "title"}); err == nil {
		for _, r := range page.Items {
			if r.FileID != 0 {
				lib = append(lib, ui.Option{Value: strconv.FormatInt(r.ID, 10), Label: r.Title})
			}
		}
	}
	return ui.Card{Title: txtShareTitle, Body: ui.Children{ui.Form{Action: ui.Action{Name: "share"}, Submit: txtShare, Fields: []ui.Field{
		{Name: "resource", Label: txtFromLibrary, Type: "select", Options: lib},
		{Name: "file", Label: txtOrUpload, Type: "file", Help: txtFileHelp},
		{Name: "title", Label: txtTitle, Help: txtTitleHelp},
		{Name: "note", Label: txtNote, Type: "textarea"},
		{Name: "everyone", Label: txtEveryone, Type: "checkbox"},
		{Name: "partners", Label: txtChoose, Type: "checkboxes", Options: opts},
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
	switch req.Name {
	case "submit":
		rid, err := strconv.ParseInt(req.State, 10, 64)
		if err != nil || rid <= 0 {
			return sdk.ActionResult{Error: txtUnknownAction}, nil
		}
		token := firstNonEmpty(req.Values["file"])
		if token == "" {
			return sdk.ActionResult{FieldErrors: map[string]string{"file": txtChooseFile}, Error: txtCheckFields}, nil
		}
		it, err := sc.SubmitItem.Call(ctx, req.Host, sc.Submission{RequirementID: rid, Upload: token, Expires: req.Value("expires")})
		return answer(err, "file", fmt.Sprintf(fmtHandedIn, it.Name))
	case "review":
		id, err := strconv.ParseInt(req.State, 10, 64)
		if err != nil || id <= 0 {
			return sdk.ActionResult{Error: txtUnknownAction}, nil
		}
		it, err := sc.ReviewItem.Call(ctx, req.Host, sc.Review{ItemID: id, Decision: req.Value("decision"), Reason: req.Value("reason")})
		msg := fmt.Sprintf(fmtAccepted, it.Name, it.PartnerName)
		if req.Value("decision") == sc.Reject {
			msg = fmt.Sprintf(fmtRejected, it.Name, it.PartnerName)
		}
		return answer(err, "reason", msg)
	case "requirement":
		months := 0
		if v := strings.TrimSpace(req.Value("validity")); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return sdk.ActionResult{FieldErrors: map[string]string{"validity": txtWholeMonths}, Error: txtCheckFields}, nil
			}
			months = n
		}
		r, err := sc.SaveRequirement.Call(ctx, req.Host, sc.RequirementChange{Name: req.Value("name"), Description: req.Value("description"),
			Kind: req.Value("kind"), PartnerTypes: req.Values["types"], ValidityMonths: months, Due: req.Value("due"),
			CertBlockKey: req.Value("certBlockKey"), CertTaskID: req.Value("certTaskId")})
		return answer(err, "name", fmt.Sprintf(fmtRequirementAdded, r.Name))
	case "archive":
		what, idS, _ := strings.Cut(req.State, ":")
		id, err := strconv.ParseInt(idS, 10, 64)
		if err != nil || id <= 0 {
			return sdk.ActionResult{Error: txtUnknownAction}, nil
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
			msg := fmt.Sprintf(fmtArchived, r.Name)
			if what != "archive" {
				msg = fmt.Sprintf(fmtRestored, r.Name)
			}
			return answer(err, "", msg)
		}
		return sdk.ActionResult{Error: txtGone}, nil
	case "share":
		in := sc.NewShare{Upload: firstNonEmpty(req.Values["file"]), Title: req.Value("title"), Note: req.Value("note"), Everyone: req.Value("everyone") == "true"}
		if r := req.Value("resource"); r != "" {
			id, err := strconv.ParseInt(r, 10, 64)
			if err != nil {
				return sdk.ActionResult{FieldErrors: map[string]string{"resource": txtChooseResource}, Error: txtCheckFields}, nil
			}
			in.ResourceID = id
		}
		for _, p := range req.Values["partners"] {
			id, err := strconv.ParseInt(p, 10, 64)
			if err != nil {
				return sdk.ActionResult{FieldErrors: map[string]string{"partners": txtChoosePartners}, Error: txtCheckFields}, nil
			}
			in.PartnerIDs = append(in.PartnerIDs, id)
		}
		sh, err := sc.CreateShare.Call(ctx, req.Host, in)
		return answer(err, "title", fmt.Sprintf(fmtShared, sh.Title, len(sh.Recipients)))
	}
	return sdk.ActionResult{Error: txtUnknownAction}, nil
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
func answer(err error, main, msg string) (sdk.ActionResult, error) {
	if r, ok := (sdk.Refusals{Main: main, Rename: formNames, OnForm: onForm, CheckFields: txtCheckFields, Gone: txtGone}).Result(err); ok {
		return r, nil
	}
	if err != nil {
		return sdk.ActionResult{}, err
	}
	return sdk.OK(msg), nil
}
