// Package brand is the Brand Guidelines room (room type "brand"): logos with
// previews, colours with their codes, typography, templates, usage
// guidelines and co-branded materials, all from the brand collection of the
// library and all downloadable; staff see download counts.
//
//	kind: Room
//	slug: brand
//	type: brand
//	partnerTypes: [referral, reseller, distributor]
package brand

import (
	"context"
	"embed"
	"encoding/json"
	"strings"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/content"
	"github.com/atriumhq/atrium/sdk/i18n"
	"github.com/atriumhq/atrium/sdk/ui"
)

// The room's words, one file per language. The assets' titles,
// descriptions and guidelines are the vendor's and stay as written.
//
//go:embed locales/*.json
var locales embed.FS

var catalog = i18n.MustLoad(locales, "locales")

// Plugin returns the room type and its block.
func Plugin() sdk.Plugin {
	return sdk.Plugin{ID: "atrium/brand", Blocks: []sdk.BlockType{kitBlock{}}, Rooms: []sdk.RoomType{Room{}}}
}

// Room is the room type.
type Room struct{}

// Describe names the room type.
func (Room) Describe() sdk.RoomInfo {
	return sdk.RoomInfo{Name: "brand", Title: "Brand Guidelines", Icon: "image", OncePerPartnerType: true,
		Description:   "Logos, colours, typography, templates and co-branded materials.",
		DefaultBlocks: []sdk.BlockSpec{{ID: "kit", Type: "brand-kit"}}}
}

type kitBlock struct{}

func (kitBlock) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "brand-kit", Title: "Brand kit", Icon: "image", SchemaVersion: 1,
		Description:  "The brand collection of the library, section by section.",
		ConfigSchema: json.RawMessage(`{"type":"object","additionalProperties":false}`)}
}

func (kitBlock) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	page, err := content.ListResources.Call(ctx, req.Host, content.ResourceQuery{Collection: content.Brand, Sort: "title", Limit: 500})
	if err != nil {
		return nil, err
	}
	w := catalog.For(req.Viewer.Locale)
	staff := req.Viewer.Staff()
	out := ui.Stack{}
	for _, section := range content.BrandSections {
		var items []content.Resource
		for _, r := range page.Items {
			if r.Category == section {
				items = append(items, r)
			}
		}
		if len(items) == 0 {
			continue
		}
		out.Children = append(out.Children, ui.Card{Title: w.T("section." + section), Body: sectionBody(w, section, items, staff)})
	}
	if len(out.Children) == 0 {
		return ui.Empty{Title: w.T("empty")}, nil
	}
	if staff && page.ManageURL != "" {
		out.Children = append(out.Children, ui.ActionBar{Buttons: []ui.Button{{Label: w.T("manage"), Href: page.ManageURL + "?collection=brand", Variant: "secondary", Icon: "settings"}}})
	}
	return out, nil
}

func sectionBody(w *i18n.Locale, section string, items []content.Resource, staff bool) ui.Children {
	var body ui.Children
	switch section {
	case "guidelines", "typography":
		for _, r := range items {
			if r.Body != "" {
				body = append(body, ui.Heading{Text: r.Title, Level: 3}, ui.Markdown{Source: r.Body})
			}
		}
	case "logos":
		var cols ui.Children
		for _, r := range items {
			if r.PreviewURL != "" {
				cols = append(cols, ui.Image{URL: r.PreviewURL, Alt: r.Title, Caption: r.Title, FullURL: r.PreviewURL})
			}
		}
		if len(cols) > 0 {
			body = append(body, ui.Columns{Children: cols})
		}
	case "colors":
		t := ui.Table{Columns: []ui.TableColumn{{Label: w.T("colors.colour")}, {Label: w.T("colors.code")}, {Label: w.T("colors.use")}}}
		for _, r := range items {
			cells := ui.Children{ui.Text{Text: r.Title}, ui.Badge{Text: r.Swatch}, ui.Text{Text: r.Description}}
			if r.PreviewURL != "" {
				cells[0] = ui.Image{URL: r.PreviewURL, Alt: w.T("colors.swatch", "Colour", r.Title), Caption: r.Title, Width: 48, Height: 48}
			}
			t.Rows = append(t.Rows, ui.TableRow{Cells: cells})
		}
		body = append(body, t)
	}
	downloads := ui.List{}
	for _, r := range items {
		if r.DownloadURL == "" {
			continue
		}
		meta := strings.ToUpper(ext(r.FileName))
		if staff {
			meta = strings.TrimPrefix(meta+" · "+w.N("downloads", int(r.Downloads)), " · ")
		}
		downloads.Items = append(downloads.Items, ui.ListItem{Title: r.Title, Description: r.Description, Href: r.DownloadURL, Meta: meta, Icon: "download"})
	}
	if len(downloads.Items) > 0 {
		body = append(body, downloads)
	}
	return body
}

func ext(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i+1:]
	}
	return ""
}
