// Package image is the block type for a picture: a diagram, a product shot,
// a team photo. Every picture needs a text alternative unless the manager
// says, explicitly, that it is decorative.
//
//	blocks:
//	  - id: diagram
//	    type: image
//	    config:
//	      url: /demo/architecture.svg
//	      alt: "Partners' apps connect through the Acme gateway to regional clusters"
//	      caption: The reference architecture used in the labs.
//	      link: /demo/architecture.svg
package image

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
	URL        string `json:"url"`
	Alt        string `json:"alt,omitempty"`
	Decorative bool   `json:"decorative,omitempty"`
	Caption    string `json:"caption,omitempty"`
	Link       string `json:"link,omitempty"`
	// File is an uploaded file (its id in the library or a block's media),
	// used instead of URL; its full size is the link unless one is given.
	File int64 `json:"file,omitempty"`
}

// fileURL is the portal's inline URL of an uploaded file: the portal checks
// the viewer's access on every request and records a full-size view.
func fileURL(id int64) string { return fmt.Sprintf("/files/%d/download?inline=1", id) }

type block struct{}

// New returns the image block type.
func New() sdk.BlockType { return block{} }

// Describe names the type. The picture depends on the config alone, so every
// viewer may share one rendered tree.
func (block) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{
		Name:          "image",
		Title:         "Image",
		Description:   "A picture with a text alternative and an optional caption and full-size link.",
		Icon:          "image",
		ConfigSchema:  json.RawMessage(schema),
		SchemaVersion: 1,
		DefaultConfig: json.RawMessage(`{"url":"https://www.example.com/picture.png","alt":"Describe what the picture shows"}`),
		Cache:         sdk.CachePolicy{MaxAge: time.Hour, VaryBy: sdk.VaryByConfig},
	}
}

// ValidateConfig checks the rules the schema leaves to code: link schemes,
// and alt text that is present exactly when the picture is not decorative.
// The rule lives here rather than in the schema so that a manager who forgot
// the alt text is told why it matters.
func (block) ValidateConfig(_ context.Context, raw json.RawMessage) error {
	_, err := parse(raw)
	return err
}

// Render shows the picture. A decorative picture gets an empty alt, which
// tells screen readers to skip it.
func (block) Render(_ context.Context, req sdk.RenderRequest) (ui.Component, error) {
	c, err := parse(req.Config)
	if err != nil {
		return nil, err
	}
	return ui.Image{
		URL:     strings.TrimSpace(c.URL),
		Alt:     strings.TrimSpace(c.Alt),
		Caption: strings.TrimSpace(c.Caption),
		FullURL: strings.TrimSpace(c.Link),
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
	if c.File > 0 {
		if strings.TrimSpace(c.URL) != "" {
			problems = append(problems, "url: give either url or file, not both")
		}
		c.URL = fileURL(c.File)
		if strings.TrimSpace(c.Link) == "" {
			c.Link = c.URL
		}
	}
	switch u := strings.TrimSpace(c.URL); {
	case u == "":
		problems = append(problems, "url: is required (or file, an uploaded picture)")
	case !sdk.Linkable(u):
		problems = append(problems, `url: must be an https URL or a path starting with "/"`)
	}
	alt := strings.TrimSpace(c.Alt)
	switch {
	case alt == "" && !c.Decorative:
		problems = append(problems, "alt: is required: describe the picture for people who cannot see it, or set decorative: true if it adds nothing to the text")
	case alt != "" && c.Decorative:
		problems = append(problems, "alt: must be empty when decorative is true, since screen readers skip decorative pictures")
	}
	if l := strings.TrimSpace(c.Link); l != "" && !sdk.Linkable(l) {
		problems = append(problems, `link: must be an https URL or a path starting with "/"`)
	}
	if len(problems) > 0 {
		return c, errors.New(strings.Join(problems, "; "))
	}
	return c, nil
}
