// Command faulty is a plugin that gets one thing wrong on request, for the
// checker's tests: the file "fault" in its folder names the mistake (none
// when it is absent).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/ui"
)

var fault = func() string {
	b, _ := os.ReadFile("fault")
	return strings.TrimSpace(string(b))
}()

type poll struct{}

func (poll) Describe() sdk.BlockInfo {
	info := sdk.BlockInfo{Name: "acme/poll", Title: "Poll", SchemaVersion: 1,
		ConfigSchema:  json.RawMessage(`{"type":"object","properties":{"question":{"type":"string","minLength":1}},"required":["question"]}`),
		DefaultConfig: json.RawMessage(`{"question":"How did the launch go?"}`)}
	switch fault {
	case "schema":
		info.ConfigSchema = json.RawMessage(`{"type":"sometimes"}`)
	case "default":
		info.DefaultConfig = json.RawMessage(`{"question":""}`)
	case "vendor":
		info.Name = "poll"
	case "title":
		info.Title = ""
	}
	return info
}

func (poll) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	form := ui.Form{Action: ui.Action{Name: "vote"}, Fields: []ui.Field{{Name: "answer", Label: "Your answer"}}}
	switch fault {
	case "deep":
		var c ui.Component = ui.Text{Text: "deep"}
		for range 40 {
			c = ui.Stack{Children: ui.Children{c}}
		}
		return c, nil
	case "javascript":
		return ui.Link{Text: "Open", Href: "javascript:alert(1)"}, nil
	case "staff":
		if req.Viewer.Staff() {
			return nil, errors.New("staff are not expected here")
		}
	}
	return ui.Card{Title: "Poll", Body: ui.Children{form}}, nil
}

func (poll) HandleAction(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	if fault == "action" {
		return sdk.ActionResult{}, errors.New("votes are not counted yet")
	}
	if req.Value("answer") == "" {
		return sdk.Invalid(map[string]string{"answer": "Write an answer."}), nil
	}
	return sdk.OK("Thanks!"), nil
}

type board struct{}

func (board) Describe() sdk.RoomInfo {
	config := json.RawMessage(`{"question":"Which campaign next?"}`)
	if fault == "example" {
		config = json.RawMessage(`{"question":7}`)
	}
	return sdk.RoomInfo{Name: "acme/board", Title: "Board", StaffView: true,
		DefaultBlocks: []sdk.BlockSpec{{ID: "next", Type: "acme/poll", Config: config}}}
}

func main() {
	sdk.Serve(sdk.Plugin{ID: "acme/faulty", Blocks: []sdk.BlockType{poll{}}, Rooms: []sdk.RoomType{board{}}})
}
