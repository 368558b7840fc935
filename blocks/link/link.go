// Package link is the block type for a list of links: further reading,
// resources, the tools partners use every day.
//
//	blocks:
//	  - id: reading
//	    type: link
//	    config:
//	      title: Further reading
//	      links:
//	        - { title: Certification handbook, url: "https://learn.acme.example/handbook", description: "Exam format and retakes." }
//	        - { title: Email the enablement team, url: "mailto:enablement@acme.example" }
//	        - { title: Your leads, url: /rooms/leads }
package link

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
	Title string  `json:"title,omitempty"`
	Links []entry `json:"links"`
}

type entry struct {
	Title       string `json:"title"`
	URL         string `json:"url"`
	Description string `json:"description,omitempty"`
}

// maxLinks keeps the block a list a partner can scan.
const maxLinks = 50

type block struct{}

// New returns the link block type.
func New() sdk.BlockType { return block{} }

// Describe names the type. The list depends on the config alone, so every
// viewer may share one rendered tree.
func (block) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{
		Name:          "link",
		Title:         "Links",
		Description:   "A list of links to pages, rooms and email addresses, each with an optional description.",
		Icon:          "link",
		ConfigSchema:  json.RawMessage(schema),
		SchemaVersion: 1,
		DefaultConfig: json.RawMessage(`{"title":"Useful links","links":[{"title":"Portal home","url":"/"}]}`),
		Cache:         sdk.CachePolicy{MaxAge: time.Hour, VaryBy: sdk.VaryByConfig},
	}
}

// ValidateConfig checks the link schemes, which the schema leaves to code.
func (block) ValidateConfig(_ context.Context, raw json.RawMessage) error {
	_, err := parse(raw)
	return err
}

// Render draws the optional title and the list. Links to other sites are
// marked external, so the theme opens them without handing over the
// portal's window.
func (block) Render(_ context.Context, req sdk.RenderRequest) (ui.Component, error) {
	c, err := parse(req.Config)
	if err != nil {
		return nil, err
	}
	list := ui.List{Items: make([]ui.ListItem, 0, len(c.Links))}
	for _, l := range c.Links {
		href := strings.TrimSpace(l.URL)
		list.Items = append(list.Items, ui.ListItem{
			Title:       strings.TrimSpace(l.Title),
			Description: strings.TrimSpace(l.Description),
			Href:        href,
			External:    strings.HasPrefix(strings.ToLower(href), "https:"),
		})
	}
	t := strings.TrimSpace(c.Title)
	if t == "" {
		return list, nil
	}
	return ui.Stack{Children: ui.Children{ui.Heading{Text: t, Level: 2}, list}}, nil
}

// parse decodes and checks a config. Render uses it too, so a config that
// never passed validation is refused rather than drawn.
func parse(raw json.RawMessage) (config, error) {
	c, err := sdk.DecodeConfig[config](raw)
	if err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	switch n := len(c.Links); {
	case n == 0:
		add("links: add at least one link")
	case n > maxLinks:
		add("links: at most %d links fit one block; split them over several", maxLinks)
	}
	for i, l := range c.Links {
		if strings.TrimSpace(l.Title) == "" {
			add("links[%d].title: is required", i)
		}
		switch u := strings.TrimSpace(l.URL); {
		case u == "":
			add("links[%d].url: is required", i)
		case !sdk.LinkableOrMail(u):
			add(`links[%d].url: must be an https URL, a mailto: address or a path starting with "/"`, i)
		}
	}
	if len(problems) > 0 {
		return c, errors.New(strings.Join(problems, "; "))
	}
	return c, nil
}
