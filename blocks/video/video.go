// Package video is the block type for a video: a YouTube, Vimeo, Loom or
// Wistia page, or a video file. Provider links are turned into the
// provider's privacy-respecting player (no tracking cookies before the
// partner presses play), so managers can paste the link they see in their
// browser. [Parse] does the turning, for the portal to reuse.
//
//	blocks:
//	  - id: intro
//	    type: video
//	    config: { url: "https://www.youtube.com/watch?v=dQw4w9WgXcQ", title: "Getting started" }
package video

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
	"github.com/atriumhq/atrium/sdk/ui"
)

//go:embed schema.json
var schema []byte

// The words around the player and its fallbacks, one file per language;
// the title is the manager's, as written.
//
//go:embed locales/*.json
var locales embed.FS

var catalog = i18n.MustLoad(locales, "locales")

// labels words a video's fallbacks for the reader.
func labels(w *i18n.Locale, title string) *ui.VideoLabels {
	l := &ui.VideoLabels{Play: w.T("play-video"), OpenPage: w.T("open-page"), Watch: w.T("watch-video"),
		Download: w.T("download"), Unplayable: w.T("unplayable"), Unavailable: w.T("unavailable")}
	if title != "" {
		l.Play, l.Watch = w.T("play", "Title", title), w.T("watch", "Title", title)
	}
	return l
}

// config is the block's config; schema.json is its contract.
type config struct {
	URL    string `json:"url"`
	Title  string `json:"title"`
	Poster string `json:"poster,omitempty"`
	// File is an uploaded video's file id, used instead of URL. The portal
	// streams it with Range requests and records the play.
	File int64 `json:"file,omitempty"`
}

type block struct{}

// New returns the video block type.
func New() sdk.BlockType { return block{} }

// Describe names the type. The player depends on the config alone, so every
// viewer may share one rendered tree.
func (block) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{
		Name:          "video",
		Title:         "Video",
		Description:   "A YouTube, Vimeo, Loom or Wistia video, or a video file, played without tracking cookies.",
		Icon:          "video",
		ConfigSchema:  json.RawMessage(schema),
		SchemaVersion: 1,
		// Big Buck Bunny: an openly licensed film, a placeholder to replace.
		DefaultConfig: json.RawMessage(`{"url":"https://www.youtube.com/watch?v=aqz-KE-bpKQ","title":"Big Buck Bunny"}`),
		Cache:         sdk.CachePolicy{MaxAge: time.Hour, VaryBy: sdk.VaryByConfig},
	}
}

// ValidateConfig checks that the link is one the block can play, which the
// schema cannot say.
func (block) ValidateConfig(_ context.Context, raw json.RawMessage) error {
	_, _, err := parse(raw)
	return err
}

// Render shows the player. The manager's link is kept as the fallback a
// partner can open when the player cannot load.
func (block) Render(_ context.Context, req sdk.RenderRequest) (ui.Component, error) {
	c, src, err := parse(req.Config)
	if err != nil {
		return nil, err
	}
	title := strings.TrimSpace(c.Title)
	return ui.Video{
		Labels:    labels(catalog.For(req.Viewer.Locale), title),
		Title:     title,
		EmbedURL:  src.EmbedURL,
		FileURL:   src.FileURL,
		PosterURL: strings.TrimSpace(c.Poster),
		Provider:  src.Provider,
		SourceURL: strings.TrimSpace(c.URL),
	}, nil
}

// parse decodes and checks a config. Render uses it too, so a config that
// never passed validation is refused rather than drawn.
func parse(raw json.RawMessage) (config, Source, error) {
	c, err := sdk.DecodeConfig[config](raw)
	if err != nil {
		return c, Source{}, fmt.Errorf("config: %w", err)
	}
	var problems []string
	if c.File > 0 {
		if strings.TrimSpace(c.URL) != "" {
			problems = append(problems, "url: give either url or file, not both")
		}
		c.URL = fmt.Sprintf("/files/%d/download?inline=1", c.File)
	}
	src, err := Parse(c.URL)
	if err != nil {
		problems = append(problems, "url: "+err.Error())
	}
	if strings.TrimSpace(c.Title) == "" {
		problems = append(problems, "title: is required")
	}
	if p := strings.TrimSpace(c.Poster); p != "" && !sdk.Linkable(p) {
		problems = append(problems, `poster: must be an https link or a path starting with "/"`)
	}
	if len(problems) > 0 {
		return c, Source{}, errors.New(strings.Join(problems, "; "))
	}
	return c, src, nil
}
