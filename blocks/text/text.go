// Package text is the block type for rich text: announcements, explanations,
// checklists, tables. Managers write Markdown; the portal renders and
// sanitises it, so the block only hands the source on.
//
//	blocks:
//	  - id: welcome
//	    type: text
//	    config:
//	      title: Welcome to training
//	      markdown: |
//	        Three tracks, about **four hours** in total.
//
// The title and the Markdown may be given by language ({en: ..., de: ...});
// the schema marks them translatable, and the portal hands Render the
// reader's text, so the block itself only ever sees one string.
package text

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/ui"
)

//go:embed schema.json
var schema []byte

// config is the block's config; schema.json is its contract.
type config struct {
	Title    string `json:"title,omitempty"`
	Markdown string `json:"markdown"`
}

type block struct{}

// New returns the text block type.
func New() sdk.BlockType { return block{} }

// Describe names the type. Its output depends on the config alone, so every
// viewer may share one rendered tree; the key includes the config, so an edit
// shows at once.
func (block) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{
		Name:          "text",
		Title:         "Text",
		Description:   "Rich text in Markdown: headings, lists, links and tables.",
		Icon:          "file-text",
		ConfigSchema:  json.RawMessage(schema),
		SchemaVersion: 1,
		DefaultConfig: json.RawMessage(`{"markdown":"Write here. **Markdown** works: lists, links and tables."}`),
		Cache:         sdk.CachePolicy{MaxAge: time.Hour, VaryBy: sdk.VaryByConfig},
	}
}

// ValidateConfig checks what the schema cannot: that the text is more than
// white space.
func (block) ValidateConfig(_ context.Context, raw json.RawMessage) error {
	_, err := parse(raw)
	return err
}

// Render shows the optional title as a heading above the Markdown.
func (block) Render(_ context.Context, req sdk.RenderRequest) (ui.Component, error) {
	c, err := parse(req.Config)
	if err != nil {
		return nil, err
	}
	md := ui.Markdown{Source: c.Markdown}
	if strings.TrimSpace(c.Title) == "" {
		return md, nil
	}
	return ui.Stack{Children: ui.Children{ui.Heading{Text: strings.TrimSpace(c.Title), Level: 2}, md}}, nil
}

// parse decodes a config and checks it, so Render refuses a config that
// never passed validation instead of drawing an empty block.
func parse(raw json.RawMessage) (config, error) {
	c, err := sdk.DecodeConfig[config](raw)
	if err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	if strings.TrimSpace(c.Markdown) == "" {
		return c, errors.New("markdown: is required")
	}
	return c, nil
}
