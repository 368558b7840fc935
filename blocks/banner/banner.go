// Package banner is the block type for an announcement strip: a launch, a
// deadline, an outage. It is short (one tweet's worth) so that it is read.
//
//	blocks:
//	  - id: announcement
//	    type: banner
//	    config:
//	      text: "Acme Cloud 5.0 launches on 1 December: new partner pricing applies from day one."
//	      tone: info
//	      linkLabel: See the training
//	      linkUrl: /rooms/training
package banner

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/ui"
)

//go:embed schema.json
var schema []byte

// config is the block's config; schema.json is its contract.
type config struct {
	Text      string `json:"text"`
	Tone      string `json:"tone,omitempty"`
	LinkLabel string `json:"linkLabel,omitempty"`
	LinkURL   string `json:"linkUrl,omitempty"`
}

// maxText is the longest announcement, in characters.
const maxText = 280

type block struct{}

// New returns the banner block type.
func New() sdk.BlockType { return block{} }

// Describe names the type. The banner depends on the config alone, so every
// viewer may share one rendered tree.
func (block) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{
		Name:          "banner",
		Title:         "Banner",
		Description:   "A short announcement across the room, with an optional link.",
		Icon:          "megaphone",
		ConfigSchema:  json.RawMessage(schema),
		SchemaVersion: 1,
		DefaultConfig: json.RawMessage(`{"text":"Write a short announcement here.","tone":"info"}`),
		Cache:         sdk.CachePolicy{MaxAge: time.Hour, VaryBy: sdk.VaryByConfig},
	}
}

// ValidateConfig checks what the schema leaves to code: the link's scheme,
// and that a link has both a label and an address.
func (block) ValidateConfig(_ context.Context, raw json.RawMessage) error {
	_, err := parse(raw)
	return err
}

// Render draws the banner; a config without a tone is informational.
func (block) Render(_ context.Context, req sdk.RenderRequest) (ui.Component, error) {
	c, err := parse(req.Config)
	if err != nil {
		return nil, err
	}
	tone := ui.Tone(c.Tone)
	if tone == ui.ToneNeutral {
		tone = ui.ToneInfo
	}
	return ui.Banner{
		Tone:      tone,
		Text:      strings.TrimSpace(c.Text),
		LinkLabel: strings.TrimSpace(c.LinkLabel),
		LinkURL:   strings.TrimSpace(c.LinkURL),
	}, nil
}

// parse decodes and checks a config. Render uses it too, so a config that
// never passed validation is refused rather than drawn.
func parse(raw json.RawMessage) (config, error) {
	c, err := sdk.DecodeConfig[config](raw)
	if err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	var problems []string
	switch text := strings.TrimSpace(c.Text); {
	case text == "":
		problems = append(problems, "text: is required")
	case utf8.RuneCountInString(text) > maxText:
		problems = append(problems, fmt.Sprintf("text: must be at most %d characters; put the details behind the link", maxText))
	}
	switch ui.Tone(c.Tone) {
	case ui.ToneNeutral, ui.ToneInfo, ui.ToneSuccess, ui.ToneWarning, ui.ToneDanger:
	default:
		problems = append(problems, "tone: must be info, success, warning or danger")
	}
	label, link := strings.TrimSpace(c.LinkLabel), strings.TrimSpace(c.LinkURL)
	switch {
	case label != "" && link == "":
		problems = append(problems, "linkUrl: is required when linkLabel is given")
	case label == "" && link != "":
		problems = append(problems, "linkLabel: is required when linkUrl is given")
	case link != "" && !linkable(link):
		problems = append(problems, `linkUrl: must be an https URL or a path starting with "/"`)
	}
	if len(problems) > 0 {
		return c, errors.New(strings.Join(problems, "; "))
	}
	return c, nil
}

// linkable reports whether s is an https URL or a path on the portal; a
// path starting with "//" or "/\" would lead browsers to another host.
func linkable(s string) bool {
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	if strings.HasPrefix(s, "/") {
		return !strings.HasPrefix(s, "//") && !strings.HasPrefix(s, `/\`)
	}
	return u.Scheme == "https" && u.Host != "" && u.User == nil
}
