// Package embed is the block type for a page from another site shown in a
// frame: a Figma board, a Typeform survey, a booking calendar. Only hosts on
// the program's embed allowlist are framed (the portal's
// Content-Security-Policy allows no others), so a room file cannot put an
// arbitrary site in front of partners.
//
//	blocks:
//	  - id: planner
//	    type: embed
//	    config:
//	      url: "https://www.figma.com/embed?embed_host=acme&url=https://www.figma.com/file/plan"
//	      title: Training plan board
//	      height: 420
//
// The allowlist check is [sdk.Program.EmbedAllowed], the one the portal's
// theme applies too, so the block and the page agree on what may be framed.
package embed

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/i18n"
	"github.com/atriumhq/atrium/sdk/ui"
)

// The block's words when it cannot show the page, one file per language.
//
//go:embed locales/*.json
var locales embed.FS

var catalog = i18n.MustLoad(locales, "locales")

//go:embed schema.json
var schema []byte

// DefaultHeight is the frame's height when the config gives none.
const DefaultHeight = 400

// config is the block's config; schema.json is its contract.
type config struct {
	URL    string `json:"url"`
	Title  string `json:"title"`
	Height int    `json:"height,omitempty"`
}

// hostname accepts DNS names (internationalised ones in their xn-- form), so
// the host can be named safely in the notice shown to staff.
var hostname = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$`)

type block struct{}

// New returns the embed block type.
func New() sdk.BlockType { return block{} }

// Describe names the type. What it draws depends on the config, the
// program's allowlist and whether the viewer is staff; the portal keeps staff
// and partner trees apart and drops cached trees when the program changes, so
// it may cache by config.
func (block) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{
		Name:          "embed",
		Title:         "Embed",
		Description:   "A page from another site in a frame, for hosts on the program's embed allowlist.",
		Icon:          "frame",
		ConfigSchema:  json.RawMessage(schema),
		SchemaVersion: 1,
		DefaultConfig: json.RawMessage(`{"url":"https://www.example.com/","title":"Embedded page","height":400}`),
		Cache:         sdk.CachePolicy{MaxAge: time.Hour, VaryBy: sdk.VaryByConfig},
	}
}

// ValidateConfig checks the address. The allowlist is not checked here: it
// belongs to the program and may change after the block is saved, so it is
// checked at every render.
func (block) ValidateConfig(_ context.Context, raw json.RawMessage) error {
	_, _, err := parse(raw)
	return err
}

// Render frames the page when its host is on the program's allowlist. When
// it is not, staff are told which host to add and where, and partners see a
// quiet notice: they cannot act on it, and need not learn which sites the
// vendor embeds.
func (block) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	c, host, err := parse(req.Config)
	if err != nil {
		return nil, err
	}
	if req.Host == nil {
		return nil, errors.New("embed: no host to read the program's embed allowlist from")
	}
	prog, err := req.Host.Program(ctx)
	if err != nil {
		return nil, fmt.Errorf("embed: read the program's embed allowlist: %w", err)
	}
	if prog.EmbedAllowed(c.URL) {
		height := c.Height
		if height == 0 {
			height = DefaultHeight
		}
		return ui.Embed{URL: c.URL, Title: c.Title, Height: height}, nil
	}
	w := catalog.For(req.Viewer.Locale)
	if req.Viewer.Staff() {
		return ui.Callout{
			Tone:  ui.ToneWarning,
			Title: w.T("blocked.title"),
			Body:  w.T("blocked.body", "Host", "`"+host+"`"),
		}, nil
	}
	return ui.Callout{Tone: ui.ToneNeutral, Body: w.T("unavailable")}, nil
}

// parse decodes and checks a config, and returns the host to frame. Render
// uses it too, so a config that never passed validation is refused rather
// than drawn.
func parse(raw json.RawMessage) (config, string, error) {
	c, err := sdk.DecodeConfig[config](raw)
	if err != nil {
		return c, "", fmt.Errorf("config: %w", err)
	}
	c.URL, c.Title = strings.TrimSpace(c.URL), strings.TrimSpace(c.Title)
	var problems []string
	var host string
	switch u, err := url.Parse(c.URL); {
	case c.URL == "":
		problems = append(problems, "url: is required")
	case err != nil || u.Scheme != "https" || u.Host == "":
		problems = append(problems, "url: must be an https URL")
	case u.User != nil:
		problems = append(problems, "url: must not contain a user name or password")
	case !hostname.MatchString(strings.ToLower(u.Hostname())):
		problems = append(problems, "url: must name its host as a domain name (an internationalised one in its xn-- form)")
	default:
		host = strings.ToLower(u.Hostname())
	}
	if c.Title == "" {
		problems = append(problems, "title: is required, so that screen readers can say what the frame shows")
	}
	if c.Height != 0 && (c.Height < 100 || c.Height > 2000) {
		problems = append(problems, "height: must be between 100 and 2000 pixels")
	}
	if len(problems) > 0 {
		return c, "", errors.New(strings.Join(problems, "; "))
	}
	return c, host, nil
}
