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
	"github.com/atriumhq/atrium/sdk/storage"
	"github.com/atriumhq/atrium/sdk/ui"
)

// Plugin is everything this plugin provides.
func Plugin() sdk.Plugin {
	return sdk.Plugin{ID: "acme/nps", Blocks: []sdk.BlockType{Survey{}, Requests{}}, Rooms: []sdk.RoomType{MDFRoom{}}}
}

// Survey asks partners how likely they are to recommend the program and
// shows staff the score.
type Survey struct{}

type surveyConfig struct {
	Question string `json:"question"`
}

type answer struct {
	Score   int    `json:"score"`
	Comment string `json:"comment,omitempty"`
}

func (Survey) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{
		Name: "acme/nps", Title: "NPS survey", Icon: "gauge", SchemaVersion: 1,
		Description:   "Asks partners how likely they are to recommend you, and shows staff the Net Promoter Score.",
		ConfigSchema:  json.RawMessage(`{"type":"object","properties":{"question":{"type":"string","maxLength":200}},"additionalProperties":false}`),
		DefaultConfig: json.RawMessage(`{"question":"How likely are you to recommend our partner program to a peer?"}`),
	}
}

func (s Survey) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	cfg, err := sdk.DecodeConfig[surveyConfig](req.Config)
	if err != nil {
		return nil, err
	}
	if cfg.Question == "" {
		cfg.Question = "How likely are you to recommend our partner program to a peer?"
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
		Description:   "Partners request market development funds; staff see every request.",
		DefaultBlocks: []sdk.BlockSpec{{ID: "mdf-requests", Type: "acme/mdf-requests"}}}
}

// Requests lists a partner's fund requests with a form for a new one; staff
// see every partner's.
type Requests struct{}

type request struct {
	Amount    int    `json:"amount"`
	Purpose   string `json:"purpose"`
	Status    string `json:"status"`
	Requester string `json:"requester,omitempty"`
}

func (Requests) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "acme/mdf-requests", Title: "MDF requests", Icon: "banknote", SchemaVersion: 1,
		ConfigSchema: json.RawMessage(`{"type":"object","additionalProperties":false}`)}
}

func (Requests) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	staff := req.Viewer.Staff() || req.Viewer.Preview
	list := storage.ListRequest{Collection: "mdf", Partner: !staff, AllPartners: staff}
	page, err := storage.List.Call(ctx, req.Host, list)
	if err != nil {
		return nil, err
	}
	table := ui.Table{Columns: []ui.TableColumn{{Label: "Purpose"}, {Label: "Amount", Align: "right"}, {Label: "Status"}}}
	for _, r := range page.Records {
		var q request
		if json.Unmarshal(r.Data, &q) != nil {
			continue
		}
		table.Rows = append(table.Rows, ui.TableRow{Cells: ui.Children{ui.Text{Text: q.Purpose}, ui.Text{Text: "$" + strconv.Itoa(q.Amount)}, ui.Badge{Text: q.Status}}})
	}
	children := ui.Children{}
	if len(table.Rows) > 0 {
		children = append(children, table)
	} else {
		children = append(children, ui.Empty{Title: "No requests yet"})
	}
	if !staff {
		children = append(children, ui.Form{Action: ui.Action{Name: "request"}, Submit: "Request funds", Fields: []ui.Field{
			{Name: "amount", Label: "Amount (USD)", Type: "number", Required: true},
			{Name: "purpose", Label: "What is it for?", Type: "textarea", Required: true, MaxLength: 500},
		}})
	}
	return ui.Card{Title: "Market development funds", Body: children}, nil
}

func (Requests) HandleAction(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	amount, err := strconv.Atoi(req.Value("amount"))
	errs := map[string]string{}
	if err != nil || amount <= 0 || amount > 1_000_000 {
		errs["amount"] = "Enter an amount between 1 and 1,000,000."
	}
	purpose := strings.TrimSpace(req.Value("purpose"))
	if purpose == "" || len(purpose) > 500 {
		errs["purpose"] = "Say what the funds are for, in under 500 characters."
	}
	if len(errs) > 0 {
		return sdk.Invalid(errs), nil
	}
	data, _ := json.Marshal(request{Amount: amount, Purpose: purpose, Status: "submitted", Requester: req.Viewer.Name})
	if _, err := storage.Add.Call(ctx, req.Host, storage.AddRequest{Collection: "mdf", Data: data, Partner: true}); err != nil {
		return sdk.ActionResult{}, err
	}
	return sdk.OK("Your request is in; your partner manager will review it."), nil
}
