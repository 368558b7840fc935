// Package documents is the block type for a list or grid of resources from
// the library, picked by folder, category or tags, or named by id:
//
//	blocks:
//	  - id: case-studies
//	    type: documents
//	    config:
//	      title: Healthcare case studies
//	      layout: grid
//	      tags: [industry:healthcare, type:case-study]
//
// Each viewer sees only the resources their audience admits; every link is
// the portal's download URL, which checks access and counts the download.
package documents

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/content"
	"github.com/atriumhq/atrium/sdk/i18n"
	"github.com/atriumhq/atrium/sdk/ui"
)

// The block's words, one file per language; the documents and the title
// are the vendor's, as written.
//
//go:embed locales/*.json
var locales embed.FS

var catalog = i18n.MustLoad(locales, "locales")

//go:embed schema.json
var schema []byte

type config struct {
	Title    string   `json:"title,omitempty"`
	Layout   string   `json:"layout,omitempty"`
	Folder   string   `json:"folder,omitempty"`
	Category string   `json:"category,omitempty"`
	Tags     []string `json:"tags,omitempty"`
	IDs      []int64  `json:"ids,omitempty"`
	Sort     string   `json:"sort,omitempty"`
	Limit    int      `json:"limit,omitempty"`
}

type block struct{}

// New returns the documents block type.
func New() sdk.BlockType { return block{} }

// Describe names the type. What a viewer sees depends on their audience, so
// trees are never shared between viewers.
func (block) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{
		Name:          "documents",
		Title:         "Documents",
		Description:   "A list or grid of resources from the library, by folder, category, tags or name.",
		Icon:          "file-text",
		ConfigSchema:  json.RawMessage(schema),
		SchemaVersion: 1,
		DefaultConfig: json.RawMessage(`{"title":"Latest resources","limit":6}`),
	}
}

// Render lists the picked resources the viewer may see.
func (block) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	c, err := sdk.DecodeConfig[config](req.Config)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if c.Limit <= 0 {
		c.Limit = 6
	}
	page, err := content.ListResources.Call(ctx, req.Host, content.ResourceQuery{Folder: c.Folder, Category: c.Category, Tags: c.Tags,
		IDs: c.IDs, Sort: c.Sort, Limit: c.Limit})
	if err != nil {
		return nil, err
	}
	w := catalog.For(req.Viewer.Locale)
	var body ui.Component
	switch {
	case len(page.Items) == 0:
		body = ui.Empty{Title: w.T("empty")}
	case c.Layout == "grid":
		cols := ui.Columns{Count: 3}
		for _, r := range page.Items {
			card := ui.Card{Title: r.Title, Href: href(r), Icon: "file-text", Subtitle: meta(w, r)}
			if r.PreviewURL != "" {
				card.Body = ui.Children{ui.Image{URL: r.PreviewURL, Alt: ""}}
			}
			if r.Description != "" {
				card.Body = append(card.Body, ui.Text{Text: r.Description, Muted: true})
			}
			cols.Children = append(cols.Children, card)
		}
		body = cols
	default:
		list := ui.List{}
		for _, r := range page.Items {
			list.Items = append(list.Items, ui.ListItem{Title: r.Title, Description: r.Description, Href: href(r),
				External: r.DownloadURL == "" && r.LinkURL != "", Meta: meta(w, r), Icon: "download"})
		}
		body = list
	}
	if c.Title == "" {
		return body, nil
	}
	return ui.Card{Title: c.Title, Icon: "file-text", Body: ui.Children{body}}, nil
}

func href(r content.Resource) string {
	if r.DownloadURL != "" {
		return r.DownloadURL
	}
	return r.LinkURL
}

func meta(w *i18n.Locale, r content.Resource) string {
	ext := ""
	if i := strings.LastIndexByte(r.FileName, '.'); i >= 0 {
		ext = strings.ToUpper(r.FileName[i+1:])
	}
	if r.Size > 0 {
		return strings.TrimSpace(ext + " " + w.T("size.kb", "Size", w.Int((r.Size+1023)/1024)))
	}
	return ext
}
