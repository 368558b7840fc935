// Package nps is an example Atrium plugin: a Net Promoter Score survey block
// and an "MDF requests" room type where partners ask for marketing funds.
// Answers and requests live in plugin storage through the host API, so the
// plugin itself keeps no state and needs no database.
package nps

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/settings"
	"github.com/atriumhq/atrium/sdk/storage"
	"github.com/atriumhq/atrium/sdk/ui"
)

// Plugin is everything this plugin provides.
func Plugin() sdk.Plugin {
	return sdk.Plugin{ID: "acme/nps", Blocks: []sdk.BlockType{Survey{}, Requests{}}, Rooms: []sdk.RoomType{MDFRoom{}},
		Templates: []sdk.RoomTemplate{CampaignFunds}}
}

// Survey asks partners how likely they are to recommend the program and
// shows staff the score.
type Survey struct{}

type surveyConfig struct {
	Question string `json:"question"`
}

// options are the plugin's settings (see settings in plugin.yaml).
type options struct {
	Question string `json:"question"`
	MDFCap   int    `json:"mdfCap"`
}

const (
	defaultQuestion = "How likely are you to recommend our partner program to a peer?"
	defaultCap      = 1_000_000
)

type answer struct {
	Score   int    `json:"score"`
	Comment string `json:"comment,omitempty"`
}

func (Survey) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{
		Name: "acme/nps", Title: "NPS survey", Icon: "gauge", SchemaVersion: 1,
		Description:   "Asks partners how likely they are to recommend you, and shows staff the Net Promoter Score.",
		ConfigSchema:  json.RawMessage(`{"type":"object","properties":{"question":{"type":"string","maxLength":200}},"additionalProperties":false}`),
		DefaultConfig: json.RawMessage(`{}`), // the question setting, or defaultQuestion
	}
}

func (s Survey) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	cfg, err := sdk.DecodeConfig[surveyConfig](req.Config)
	if err != nil {
		return nil, err
	}
	if cfg.Question == "" {
		opt, err := settings.Decode[options](ctx, req.Host)
		if err != nil {
			return nil, err
		}
		cfg.Question = cmpOr(opt.Question, defaultQuestion)
	}
	// Staff see the score: in a room preview, which only staff can open.
	if req.Viewer.Staff() || req.Viewer.Preview {
		return score(ctx, req.Host)
	}
	seen, err := storage.Get.Call(ctx, req.Host, storage.GetRequest{Key: answeredKey(req.Viewer), Partner: true})
	if err != nil {
		return nil, err
	}
	if seen.Found {
		return ui.Card{Title: "Thank you", Body: ui.Children{ui.Text{Text: "You told us what you think. We read every answer."}}}, nil
	}
	opts := make([]ui.Option, 0, 11)
	for i := 10; i >= 0; i-- {
		opts = append(opts, ui.Option{Value: strconv.Itoa(i), Label: strconv.Itoa(i)})
	}
	return ui.Card{Title: "A quick question", Body: ui.Children{
		ui.Form{Action: ui.Action{Name: "answer"}, Submit: "Send", Fields: []ui.Field{
			{Name: "score", Label: cfg.Question, Type: "select", Required: true, Options: opts, Help: "0 is not at all likely, 10 is extremely likely."},
			{Name: "comment", Label: "Anything we should know?", Type: "textarea", MaxLength: 1000},
		}},
	}}, nil
}

func answeredKey(v sdk.Viewer) string { return "answered/" + strconv.FormatInt(v.UserID, 10) }

// score shows staff the NPS of every partner's answers: the share of
// promoters (9-10) minus the share of detractors (0-6).
func score(ctx context.Context, h sdk.Host) (ui.Component, error) {
	page, err := storage.List.Call(ctx, h, storage.ListRequest{Collection: "answers", AllPartners: true})
	if err != nil {
		return nil, err
	}
	var promoters, detractors int
	for _, r := range page.Records {
		var a answer
		if json.Unmarshal(r.Data, &a) != nil {
			continue
		}
		switch {
		case a.Score >= 9:
			promoters++
		case a.Score <= 6:
			detractors++
		}
	}
	n := len(page.Records)
	if n == 0 {
		return ui.Empty{Title: "No answers yet", Description: "Partners see the survey; their score shows here."}, nil
	}
	nps := (promoters - detractors) * 100 / n
	return ui.Card{Title: "Net Promoter Score", Body: ui.Children{
		ui.Metric{Label: "NPS", Value: strconv.Itoa(nps), Hint: fmt.Sprintf("%d answers: %d promoters, %d detractors", n, promoters, detractors)},
	}}, nil
}

func (Survey) HandleAction(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	if req.Name != "answer" {
		return sdk.ActionResult{Error: "Unknown action."}, nil
	}
	n, err := strconv.Atoi(req.Value("score"))
	if err != nil || n < 0 || n > 10 {
		return sdk.Invalid(map[string]string{"score": "Choose a number from 0 to 10."}), nil
	}
	comment := strings.TrimSpace(req.Value("comment"))
	if len(comment) > 1000 {
		return sdk.Invalid(map[string]string{"comment": "Keep it under 1000 characters."}), nil
	}
	data, _ := json.Marshal(answer{Score: n, Comment: comment})
	if _, err := storage.Add.Call(ctx, req.Host, storage.AddRequest{Collection: "answers", Data: data, Partner: true}); err != nil {
		return sdk.ActionResult{}, err
	}
	if _, err := storage.Put.Call(ctx, req.Host, storage.PutRequest{Key: answeredKey(req.Viewer), Value: json.RawMessage(`true`), Partner: true}); err != nil {
		return sdk.ActionResult{}, err
	}
	return sdk.OK("Thanks for your answer."), nil
}

// MDFRoom is a room where partners request market development funds.
type MDFRoom struct{}

func (MDFRoom) Describe() sdk.RoomInfo {
	return sdk.RoomInfo{Name: "acme/mdf", Title: "MDF requests", Icon: "banknote", OncePerPartnerType: true,
		StaffView:     true,
		Description:   "Partners request market development funds; their partner managers approve or reject them.",
		DefaultBlocks: []sdk.BlockSpec{{ID: "mdf-requests", Type: "acme/mdf-requests"}}}
}

// Requests lists a partner's fund requests with a form for a new one. On the
// staff side (/admin/work/acme.mdf) it lists the requests of the partners the
// viewer acts for, each open one with a form to approve or reject it.
type Requests struct{}

type request struct {
	Amount    int    `json:"amount"`
	Purpose   string `json:"purpose"`
	Status    string `json:"status"` // submitted, approved, rejected
	Requester string `json:"requester,omitempty"`
	Partner   string `json:"partner,omitempty"`
	Reason    string `json:"reason,omitempty"`
	DecidedBy string `json:"decidedBy,omitempty"`
}

func (Requests) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "acme/mdf-requests", Title: "MDF requests", Icon: "banknote", SchemaVersion: 1,
		ConfigSchema: json.RawMessage(`{"type":"object","additionalProperties":false}`)}
}

var tones = map[string]ui.Tone{"submitted": ui.ToneInfo, "approved": ui.ToneSuccess, "rejected": ui.ToneDanger}

func (Requests) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	return requestsCard(ctx, req.Viewer, req.Host, req.Room, 0)
}

// RenderItem serves the pages of older requests, /items/older?before=ID,
// which the list links to when there are more than one page holds.
func (MDFRoom) RenderItem(ctx context.Context, req sdk.ItemRequest) (sdk.Page, error) {
	before, err := strconv.ParseInt(firstOf(req.Query["before"]), 10, 64)
	if req.Path != "older" || err != nil || before <= 0 {
		return sdk.Page{}, sdk.ErrNotFound
	}
	card, err := requestsCard(ctx, req.Viewer, req.Host, req.Room, before)
	if err != nil {
		return sdk.Page{}, err
	}
	return sdk.Page{Title: "Older MDF requests", Body: card}, nil
}

// HandleAction takes the decisions made on the pages of older requests.
func (MDFRoom) HandleAction(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	if req.Name != "decide" {
		return sdk.ActionResult{Error: "Unknown action."}, nil
	}
	return Requests{}.decide(ctx, req)
}

func firstOf(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// requestsCard draws one page of requests: the newest when before is 0,
// else those with an id below before.
func requestsCard(ctx context.Context, viewer sdk.Viewer, host sdk.Host, room sdk.RoomRef, before int64) (ui.Component, error) {
	staff := viewer.Staff() || viewer.Preview
	list := storage.ListRequest{Collection: "mdf", Partner: !staff, AllPartners: staff, Before: before}
	page, err := storage.List.Call(ctx, host, list)
	if err != nil {
		return nil, err
	}
	cols := []ui.TableColumn{{Label: "Purpose"}, {Label: "Amount", Align: "right"}, {Label: "Status"}, {Label: "Reason"}}
	if staff {
		cols = append([]ui.TableColumn{{Label: "Partner"}}, cols...)
	}
	table := ui.Table{Columns: cols}
	var open ui.Children
	for _, r := range page.Records {
		var q request
		if json.Unmarshal(r.Data, &q) != nil {
			continue
		}
		row := ui.Children{ui.Text{Text: q.Purpose}, ui.Text{Text: "$" + strconv.Itoa(q.Amount)}, ui.Badge{Text: q.Status, Tone: tones[q.Status]}, ui.Text{Text: q.Reason}}
		if staff {
			row = append(ui.Children{ui.Text{Text: q.Partner}}, row...)
		}
		table.Rows = append(table.Rows, ui.TableRow{Cells: row})
		// Only the staff side decides, and only for partners the viewer
		// acts for; the host checks the same again on the update.
		if q.Status == "submitted" && viewer.Staff() && !viewer.Preview && viewer.MayActFor(r.PartnerID) {
			open = append(open, ui.Form{
				Action: ui.Action{Name: "decide", State: strconv.FormatInt(r.ID, 10)},
				Submit: "Decide",
				Fields: []ui.Field{
					{Name: "decision", Label: fmt.Sprintf("%s: $%d for %s", q.Partner, q.Amount, q.Purpose), Type: "select", Required: true,
						Options: []ui.Option{{Value: "approved", Label: "Approve"}, {Value: "rejected", Label: "Reject"}}},
					{Name: "reason", Label: "Reason (the partner sees it)", Type: "textarea", Required: true, MaxLength: 500},
				},
			})
		}
	}
	children := ui.Children{}
	switch {
	case len(table.Rows) > 0:
		children = append(children, table)
	case before > 0:
		children = append(children, ui.Empty{Title: "No older requests"})
	default:
		children = append(children, ui.Empty{Title: "No requests yet"})
	}
	var nav ui.Children
	if before > 0 {
		nav = append(nav, ui.Link{Text: "Newest requests", Href: room.Path})
	}
	if page.Next != 0 {
		nav = append(nav, ui.Link{Text: "Older requests", Href: room.Path + "/items/older?before=" + strconv.FormatInt(page.Next, 10)})
	}
	if len(nav) > 0 {
		children = append(children, ui.Stack{Children: nav})
	}
	children = append(children, open...)
	if !staff && before == 0 {
		children = append(children, ui.Form{Action: ui.Action{Name: "request"}, Submit: "Request funds", Fields: []ui.Field{
			{Name: "amount", Label: "Amount (USD)", Type: "number", Required: true},
			{Name: "purpose", Label: "What is it for?", Type: "textarea", Required: true, MaxLength: 500},
		}})
	}
	return ui.Card{Title: "Market development funds", Body: children}, nil
}

func (r Requests) HandleAction(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	switch req.Name {
	case "request":
		return r.request(ctx, req)
	case "decide":
		return r.decide(ctx, req)
	}
	return sdk.ActionResult{Error: "Unknown action."}, nil
}

func (Requests) request(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	if req.Viewer.Partner == nil {
		return sdk.ActionResult{Error: "Only partners request funds."}, nil
	}
	opt, err := settings.Decode[options](ctx, req.Host)
	if err != nil {
		return sdk.ActionResult{}, err
	}
	limit := defaultCap
	if opt.MDFCap > 0 {
		limit = opt.MDFCap
	}
	amount, err := strconv.Atoi(req.Value("amount"))
	errs := map[string]string{}
	if err != nil || amount <= 0 || amount > limit {
		errs["amount"] = fmt.Sprintf("Enter an amount between 1 and %d.", limit)
	}
	purpose := strings.TrimSpace(req.Value("purpose"))
	if purpose == "" || len(purpose) > 500 {
		errs["purpose"] = "Say what the funds are for, in under 500 characters."
	}
	if len(errs) > 0 {
		return sdk.Invalid(errs), nil
	}
	data, _ := json.Marshal(request{Amount: amount, Purpose: purpose, Status: "submitted", Requester: req.Viewer.Name, Partner: req.Viewer.Partner.Name})
	if _, err := storage.Add.Call(ctx, req.Host, storage.AddRequest{Collection: "mdf", Data: data, Partner: true}); err != nil {
		return sdk.ActionResult{}, err
	}
	return sdk.OK("Your request is in; your partner manager will review it."), nil
}

// decide approves or rejects a request; the record id comes from the
// host-signed state, and the host refuses records of partners the viewer
// does not act for.
func (Requests) decide(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	if !req.Viewer.Staff() || req.Viewer.Preview {
		return sdk.ActionResult{Error: "Only partner managers decide on requests."}, nil
	}
	id, err := strconv.ParseInt(req.State, 10, 64)
	if err != nil {
		return sdk.ActionResult{Error: "Unknown request."}, nil
	}
	decision, reason := req.Value("decision"), strings.TrimSpace(req.Value("reason"))
	errs := map[string]string{}
	if decision != "approved" && decision != "rejected" {
		errs["decision"] = "Approve or reject the request."
	}
	if reason == "" || len(reason) > 500 {
		errs["reason"] = "Give the partner a reason, in under 500 characters."
	}
	if len(errs) > 0 {
		return sdk.Invalid(errs), nil
	}
	r, found, err := findRequest(ctx, req.Host, id)
	if err != nil {
		return sdk.ActionResult{}, err
	}
	if found {
		var q request
		if json.Unmarshal(r.Data, &q) != nil || !req.Viewer.MayActFor(r.PartnerID) {
			return sdk.ActionResult{Error: "Unknown request."}, nil
		}
		if q.Status != "submitted" {
			return sdk.ActionResult{Error: "This request was already " + q.Status + "."}, nil
		}
		q.Status, q.Reason, q.DecidedBy = decision, reason, req.Viewer.Name
		data, _ := json.Marshal(q)
		if _, err := storage.Update.Call(ctx, req.Host, storage.UpdateRequest{Collection: "mdf", ID: id, Data: data}); err != nil {
			return sdk.ActionResult{}, err
		}
		return sdk.OK(fmt.Sprintf("Request %s; %s sees your reason.", decision, q.Partner)), nil
	}
	return sdk.ActionResult{Error: "Unknown request."}, nil
}

// findRequest looks a request up by id: the one-record page that starts at
// it, so a request older than any list the staff page shows can still be
// decided. The host returns only records the viewer may reach.
func findRequest(ctx context.Context, h sdk.Host, id int64) (storage.Record, bool, error) {
	list := storage.ListRequest{Collection: "mdf", AllPartners: true, Before: id + 1, Limit: 1}
	page, err := storage.List.Call(ctx, h, list)
	if err != nil {
		return storage.Record{}, false, err
	}
	for _, r := range page.Records {
		if r.ID == id {
			return r, true, nil
		}
	}
	return storage.Record{}, false, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// CampaignFunds is a room the plugin offers the room builder to start from:
// how co-marketing funds work, the request form and a satisfaction survey.
var CampaignFunds = sdk.RoomTemplate{
	Name:        "campaign-funds",
	Title:       "Campaign funds",
	Description: "Explain your co-marketing funds, take MDF requests and ask partners how it went.",
	Icon:        "banknote",
	Blocks: []sdk.BlockSpec{
		{ID: "how-it-works", Type: "text", Config: json.RawMessage(`{"markdown":"## Co-marketing funds\n\nRequest up to your tier's cap per quarter. Your partner manager answers within five working days."}`)},
		{ID: "requests", Type: "acme/mdf-requests", Config: json.RawMessage(`{}`)},
		{ID: "survey", Type: "acme/nps", Config: json.RawMessage(`{"question":"How likely are you to recommend our co-marketing funds to a peer?"}`)},
	},
}
