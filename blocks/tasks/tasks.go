// Package tasks is the checklist block: tasks with a description, a due
// date and a link, ticked off by the partner (shared by the whole partner)
// or by each person, with progress shown. Completion is kept by the portal
// through the host calls tasks.completion.*, so staff can see it across
// partners and goals can count it.
//
//	blocks:
//	  - id: first-steps
//	    type: tasks
//	    config:
//	      title: Your first 30 days
//	      completion: partner        # or user
//	      tasks:
//	        - id: agreement
//	          title: Sign the partner agreement
//	          due: "2026-12-15"
//	          link: https://acme.example/partners/agreement
package tasks

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/i18n"
	sdktasks "github.com/atriumhq/atrium/sdk/tasks"
	"github.com/atriumhq/atrium/sdk/ui"
)

// The block's words, one file per language. The tasks themselves are the
// manager's, as written.
//
//go:embed locales/*.json
var locales embed.FS

var catalog = i18n.MustLoad(locales, "locales")

type config struct {
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	// Completion is "partner" (default: one tick for the whole partner) or
	// "user" (everyone ticks their own).
	Completion string `json:"completion,omitempty"`
	Tasks      []task `json:"tasks"`
}

type task struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"` // Markdown
	Due         string `json:"due,omitempty"`         // YYYY-MM-DD
	Link        string `json:"link,omitempty"`
	LinkLabel   string `json:"linkLabel,omitempty"`
}

const schema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "Tasks",
  "description": "A checklist whose completion is kept per partner or per person.",
  "type": "object",
  "additionalProperties": false,
  "required": ["tasks"],
  "properties": {
    "title": {"type": "string", "maxLength": 200},
    "description": {"type": "string", "maxLength": 5000, "description": "Markdown above the list.", "x-atrium-widget": "markdown"},
    "completion": {"enum": ["partner", "user"], "description": "partner: one tick for the whole partner; user: everyone ticks their own."},
    "tasks": {
      "type": "array", "minItems": 1, "maxItems": 50,
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["id", "title"],
        "properties": {
          "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,62}$", "description": "Stable: completion is kept by it."},
          "title": {"type": "string", "minLength": 1, "maxLength": 200},
          "description": {"type": "string", "maxLength": 2000, "x-atrium-widget": "markdown"},
          "due": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "x-atrium-widget": "date"},
          "link": {"type": "string", "maxLength": 2000, "x-atrium-widget": "url"},
          "linkLabel": {"type": "string", "maxLength": 60}
        }
      }
    }
  }
}`

type block struct{}

// New returns the tasks block type.
func New() sdk.BlockType { return block{} }

// Describe names the type. Trees depend on the viewer's completion, so
// they are never cached.
func (block) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{
		Name: "tasks", Title: "Tasks", Icon: "check",
		Description:   "A checklist with due dates and links; completion per partner or per person, with progress.",
		ConfigSchema:  json.RawMessage(schema),
		SchemaVersion: 1,
		DefaultConfig: json.RawMessage(`{"title":"Your next steps","tasks":[{"id":"first","title":"Your first task"}]}`),
	}
}

// ValidateConfig checks what the schema cannot: unique ids, real dates and
// links the portal may show.
func (block) ValidateConfig(_ context.Context, raw json.RawMessage) error {
	_, err := parse(raw)
	return err
}

func parse(raw json.RawMessage) (config, error) {
	c, err := sdk.DecodeConfig[config](raw)
	if err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	var problems []string
	seen := map[string]bool{}
	for i, t := range c.Tasks {
		if seen[t.ID] {
			problems = append(problems, fmt.Sprintf("tasks[%d].id: %q is used twice", i, t.ID))
		}
		seen[t.ID] = true
		if t.Due != "" {
			if _, err := time.Parse(time.DateOnly, t.Due); err != nil {
				problems = append(problems, fmt.Sprintf("tasks[%d].due: not a date", i))
			}
		}
		if t.Link != "" && !sdk.Linkable(t.Link) {
			problems = append(problems, fmt.Sprintf("tasks[%d].link: must be an https URL or a path in the portal", i))
		}
	}
	if len(problems) > 0 {
		return c, errors.New(strings.Join(problems, "; "))
	}
	return c, nil
}

func (c config) perUser() bool { return c.Completion == "user" }

// key names the checklist across the portal: its room and block.
func key(room sdk.RoomRef, blockID string) string { return room.Slug + "/" + blockID }

// Render draws progress, then each task as a card with its tick button.
func (block) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	c, err := parse(req.Config)
	if err != nil {
		return nil, err
	}
	comp, err := sdktasks.ListCompletion.Call(ctx, req.Host, sdktasks.CompletionQuery{BlockKey: key(req.Room, req.BlockID), PerUser: c.perUser()})
	if err != nil {
		return nil, err
	}
	done := 0
	for _, t := range c.Tasks {
		if _, ok := comp.Done[t.ID]; ok {
			done++
		}
	}
	w := catalog.For(req.Viewer.Locale)
	var out ui.Children
	if s := strings.TrimSpace(c.Title); s != "" {
		out = append(out, ui.Heading{Text: s, Level: 2})
	}
	if strings.TrimSpace(c.Description) != "" {
		out = append(out, ui.Markdown{Source: c.Description})
	}
	progress := "progress.team"
	if c.perUser() {
		progress = "progress.you"
	}
	out = append(out, ui.Progress{Label: w.T("progress.label"), Value: float64(done), Max: float64(len(c.Tasks)),
		Text: w.N(progress, len(c.Tasks), "Done", w.Int(int64(done)))})
	canTick := !req.Viewer.Preview && !req.Viewer.Staff()
	for _, t := range c.Tasks {
		at, isDone := comp.Done[t.ID]
		var body ui.Children
		if isDone {
			body = append(body, ui.Badge{Text: w.T("task.done-on", "Date", w.Date(at)), Tone: ui.ToneSuccess})
		} else if t.Due != "" {
			due, _ := time.Parse(time.DateOnly, t.Due)
			tone := ui.ToneInfo
			if time.Now().UTC().After(due.Add(24 * time.Hour)) {
				tone = ui.ToneWarning
			}
			body = append(body, ui.Badge{Text: w.T("task.due", "Date", w.Date(due)), Tone: tone})
		}
		if t.Description != "" {
			body = append(body, ui.Markdown{Source: t.Description})
		}
		var buttons []ui.Button
		if t.Link != "" {
			label := t.LinkLabel
			if label == "" {
				label = w.T("task.open")
			}
			buttons = append(buttons, ui.Button{Label: label, Href: t.Link, Variant: "secondary", External: strings.HasPrefix(t.Link, "https://")})
		}
		if canTick {
			if isDone {
				buttons = append(buttons, ui.Button{Label: w.T("task.undo"), Variant: "link", Action: &ui.Action{Name: "complete", State: t.ID + ":0"}})
			} else {
				buttons = append(buttons, ui.Button{Label: w.T("task.do"), Icon: "check", Action: &ui.Action{Name: "complete", State: t.ID + ":1"}})
			}
		}
		card := ui.Card{Title: t.Title, Body: body}
		if isDone {
			card.Icon = "check"
		}
		if len(buttons) > 0 {
			card.Footer = ui.Children{ui.ActionBar{Buttons: buttons}}
		}
		out = append(out, card)
	}
	return ui.Stack{Children: out}, nil
}

// HandleAction ticks or unticks a task. The task and the direction travel
// in the signed state, so a browser can only replay this block's buttons.
func (block) HandleAction(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	w := catalog.For(req.Viewer.Locale)
	if req.Name != "complete" {
		return sdk.ActionResult{Error: w.T("error.unknown-action")}, nil
	}
	c, err := parse(req.Config)
	if err != nil {
		return sdk.ActionResult{}, err
	}
	id, dir, _ := strings.Cut(req.State, ":")
	var title string
	for _, t := range c.Tasks {
		if t.ID == id {
			title = t.Title
		}
	}
	if title == "" {
		return sdk.ActionResult{Error: w.T("error.gone")}, nil
	}
	_, err = sdktasks.SetCompletion.Call(ctx, req.Host, sdktasks.CompletionChange{
		BlockKey: key(req.Room, req.BlockID), PerUser: c.perUser(), TaskID: id, Done: dir == "1"})
	if errors.Is(err, sdk.ErrPermission) {
		return sdk.ActionResult{Error: w.T("error.partners-only")}, nil
	}
	if err != nil {
		return sdk.ActionResult{}, err
	}
	if dir == "1" {
		return sdk.OK(w.T("done.done", "Task", title)), nil
	}
	return sdk.OK(w.T("done.undone", "Task", title)), nil
}
