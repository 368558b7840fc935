// Package actionbar is the block type for a row of buttons: the next steps a
// room offers, such as starting a course, booking office hours or opening
// another room.
//
//	blocks:
//	  - id: actions
//	    type: action-bar
//	    config:
//	      buttons:
//	        - { label: Start Fundamentals, url: "https://learn.acme.example/fundamentals", variant: primary, icon: graduation-cap }
//	        - { label: Email support, url: "mailto:support@acme.example", variant: secondary }
//	        - { label: Ask support, room: support, variant: link }
//
// Each button has exactly one of room (a room's slug), url (an https URL, a
// mailto: address or a portal path) and action (an action name).
//
// The block type does not handle actions. A button with an action names what
// its press means, but pressing it changes nothing here: a handler that only
// answered "Done." would tell partners that something happened when nothing
// did. Until something acts on such presses (the portal recording them as
// engagement, or a block type that handles them), prefer room and url.
package actionbar

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/ui"
)

//go:embed schema.json
var schema []byte

// config is the block's config; schema.json is its contract.
type config struct {
	Buttons []button `json:"buttons"`
}

type button struct {
	Label   string `json:"label"`
	Room    string `json:"room,omitempty"`
	URL     string `json:"url,omitempty"`
	Action  string `json:"action,omitempty"`
	Variant string `json:"variant,omitempty"`
	Icon    string `json:"icon,omitempty"`
}

// The same patterns as the schema, checked again at render so that a config
// that skipped validation cannot shape a link.
var (
	slugRE   = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$`)
	actionRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,39}$`)
	iconRE   = regexp.MustCompile(`^[a-z0-9-]{1,40}$`)
)

type block struct{}

// New returns the action-bar block type.
func New() sdk.BlockType { return block{} }

// Describe names the type. The buttons depend on the config alone, so every
// viewer may share one rendered tree.
func (block) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{
		Name:          "action-bar",
		Title:         "Action bar",
		Description:   "A row of buttons that open rooms or links.",
		Icon:          "mouse-pointer",
		ConfigSchema:  json.RawMessage(schema),
		SchemaVersion: 1,
		DefaultConfig: json.RawMessage(`{"buttons":[{"label":"Open the portal home","url":"/","variant":"primary"}]}`),
		Cache:         sdk.CachePolicy{MaxAge: time.Hour, VaryBy: sdk.VaryByConfig},
	}
}

// ValidateConfig checks what the schema leaves to code: that each button has
// exactly one target, and the schemes of its link.
func (block) ValidateConfig(_ context.Context, raw json.RawMessage) error {
	_, err := parse(raw)
	return err
}

// Render draws the buttons. Links that leave the portal are marked external,
// so the theme opens them without handing over the portal's window.
func (block) Render(_ context.Context, req sdk.RenderRequest) (ui.Component, error) {
	c, err := parse(req.Config)
	if err != nil {
		return nil, err
	}
	bar := ui.ActionBar{Buttons: make([]ui.Button, 0, len(c.Buttons))}
	for _, b := range c.Buttons {
		out := ui.Button{Label: strings.TrimSpace(b.Label), Variant: b.Variant, Icon: b.Icon}
		switch {
		case b.Room != "":
			out.Href = "/rooms/" + b.Room
		case b.URL != "":
			out.Href = strings.TrimSpace(b.URL)
			out.External = strings.HasPrefix(strings.ToLower(out.Href), "https:")
		default:
			out.Action = &ui.Action{Name: b.Action}
		}
		bar.Buttons = append(bar.Buttons, out)
	}
	return bar, nil
}

// parse decodes and checks a config. Render uses it too, so a config that
// never passed validation is refused rather than drawn.
func parse(raw json.RawMessage) (config, error) {
	c, err := sdk.DecodeConfig[config](raw)
	if err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	var problems []string
	add := func(i int, field, msg string) {
		problems = append(problems, fmt.Sprintf("buttons[%d]%s: %s", i, field, msg))
	}
	if len(c.Buttons) == 0 {
		problems = append(problems, "buttons: add at least one button")
	}
	for i, b := range c.Buttons {
		if strings.TrimSpace(b.Label) == "" {
			add(i, ".label", "is required")
		}
		var targets []string
		for _, t := range [...]struct{ name, value string }{{"room", b.Room}, {"url", b.URL}, {"action", b.Action}} {
			if t.value != "" {
				targets = append(targets, t.name)
			}
		}
		switch {
		case len(targets) == 0:
			add(i, "", "needs one of room, url or action")
		case len(targets) > 1:
			last := len(targets) - 1
			add(i, "", "has "+strings.Join(targets[:last], ", ")+" and "+targets[last]+"; keep exactly one of room, url or action")
		case b.Room != "" && !slugRE.MatchString(b.Room):
			add(i, ".room", "must be a room slug: lowercase letters, digits and hyphens")
		case b.URL != "" && !sdk.LinkableOrMail(strings.TrimSpace(b.URL)):
			add(i, ".url", `must be an https URL, a mailto: address or a path starting with "/"`)
		case b.Action != "" && !actionRE.MatchString(b.Action):
			add(i, ".action", "must be an action name: lowercase letters, digits and hyphens")
		}
		switch b.Variant {
		case "", "primary", "secondary", "link":
		default:
			add(i, ".variant", "must be primary, secondary or link")
		}
		if b.Icon != "" && !iconRE.MatchString(b.Icon) {
			add(i, ".icon", "must be an icon name: lowercase letters, digits and hyphens")
		}
	}
	if len(problems) > 0 {
		return c, errors.New(strings.Join(problems, "; "))
	}
	return c, nil
}
