// Package resources is the Resources room (room type "resources"): the
// program's library of documents and links, searched and filtered by folder,
// category and tags, each download a plain link the portal checks and counts.
//
//	kind: Room
//	slug: resources
//	type: resources
//	partnerTypes: [referral, reseller, distributor, implementation]
//
// The room lists the newest resources the viewer may see; its item pages are
// the filtered library (items/search?category=sales&tag=industry:healthcare)
// and each resource (items/42), which staff see with versions and downloads.
// It reaches the library only through the content host calls.
package resources

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/compliance"
	"github.com/atriumhq/atrium/sdk/content"
	"github.com/atriumhq/atrium/sdk/i18n"
	"github.com/atriumhq/atrium/sdk/ui"
)

// The room's words, one file per language. The library's own text
// (titles, descriptions, folders, tags) is the vendor's and stays as
// written.
//
//go:embed locales/*.json
var locales embed.FS

var catalog = i18n.MustLoad(locales, "locales")

// Words is the room's catalogue in a viewer's language.
func Words(v sdk.Viewer) *i18n.Locale { return catalog.For(v.Locale) }

// Plugin returns the room type and its library block.
func Plugin() sdk.Plugin {
	return sdk.Plugin{ID: "atrium/resources", Blocks: []sdk.BlockType{libraryBlock{}}, Rooms: []sdk.RoomType{Room{}}}
}

// Room is the room type.
type Room struct{}

// Describe names the room type; every Resources room starts with the library.
func (Room) Describe() sdk.RoomInfo {
	return sdk.RoomInfo{Name: "resources", Title: "Resources", Icon: "folder", OncePerPartnerType: true,
		Description:   "The library of sales, marketing, technical and training material, with search and filters.",
		DefaultBlocks: []sdk.BlockSpec{{ID: "library", Type: "resources-library"}}}
}

type libraryBlock struct{}

func (libraryBlock) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "resources-library", Title: "Resource library", Icon: "folder", SchemaVersion: 1,
		Description:  "Search and browse the Resources library.",
		ConfigSchema: json.RawMessage(`{"type":"object","additionalProperties":false,"properties":{"limit":{"type":"integer","minimum":1,"maximum":100}}}`)}
}

// Render shows the search form, the categories and the newest resources.
func (libraryBlock) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	page, err := content.ListResources.Call(ctx, req.Host, content.ResourceQuery{Limit: 20})
	if err != nil {
		return nil, err
	}
	w := Words(req.Viewer)
	out := Browse(w, req.Room, page, content.ResourceQuery{}, req.Viewer.Staff())
	// What the viewer's distributor handed on, first. A portal without
	// shares (an older host) answers an error: the library still shows.
	shared, err := compliance.ListShared.Call(ctx, req.Host, struct{}{})
	if err != nil || len(shared) == 0 {
		return out, nil
	}
	return ui.Stack{Children: ui.Children{Shared(w, shared), out}}, nil
}

// Shared lists what a distributor shares with the viewer's company, each
// marked with whom it is from.
func Shared(w *i18n.Locale, items []compliance.Shared) ui.Component {
	list := ui.List{}
	for _, s := range items {
		desc := s.Note
		list.Items = append(list.Items, ui.ListItem{Title: s.Title, Description: desc, Href: s.URL, Icon: "download",
			Meta: w.Date(s.SharedAt), Badge: &ui.Badge{Text: w.T("shared.from", "From", s.From), Tone: ui.ToneInfo}})
	}
	return ui.Card{Title: w.T("shared.title"), Icon: "users", Body: ui.Children{list}}
}

// HandleAction turns the search form into the filtered library page, a plain
// URL that can be bookmarked and shared.
func (libraryBlock) HandleAction(_ context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	q := url.Values{}
	for _, k := range []string{"q", "category", "sort"} {
		if v := strings.TrimSpace(req.Value(k)); v != "" {
			q.Set(k, v)
		}
	}
	for _, t := range req.Values["tag"] {
		if t != "" {
			q.Add("tag", t)
		}
	}
	return sdk.Navigate(req.Room.Path + "/items/search?" + q.Encode()), nil
}

// RenderItem serves items/search and items/<id>.
func (Room) RenderItem(ctx context.Context, req sdk.ItemRequest) (sdk.Page, error) {
	if req.Path == "search" {
		q := queryOf(req.Query)
		q.Limit = 100
		page, err := content.ListResources.Call(ctx, req.Host, q)
		if err != nil {
			return sdk.Page{}, err
		}
		w := Words(req.Viewer)
		return sdk.Page{Title: w.T("search.page-title"), Body: Browse(w, req.Room, page, q, req.Viewer.Staff())}, nil
	}
	id, err := strconv.ParseInt(req.Path, 10, 64)
	if err != nil {
		return sdk.Page{}, sdk.ErrNotFound
	}
	d, err := content.GetResource.Call(ctx, req.Host, content.Ref{ID: id})
	if err != nil {
		return sdk.Page{}, err
	}
	return sdk.Page{Title: d.Resource.Title, Body: Detail(Words(req.Viewer), req.Room, d)}, nil
}

func queryOf(v map[string][]string) content.ResourceQuery {
	first := func(k string) string {
		if len(v[k]) > 0 {
			return v[k][0]
		}
		return ""
	}
	return content.ResourceQuery{Search: first("q"), Category: first("category"), Folder: first("folder"), Sort: first("sort"), Tags: v["tag"]}
}

// link builds a filtered-library URL from q with one change.
func link(room sdk.RoomRef, q content.ResourceQuery, change func(*content.ResourceQuery)) string {
	c := q
	c.Tags = slices.Clone(q.Tags)
	change(&c)
	v := url.Values{}
	if c.Search != "" {
		v.Set("q", c.Search)
	}
	if c.Category != "" {
		v.Set("category", c.Category)
	}
	if c.Folder != "" {
		v.Set("folder", c.Folder)
	}
	if c.Sort != "" {
		v.Set("sort", c.Sort)
	}
	for _, t := range c.Tags {
		v.Add("tag", t)
	}
	return room.Path + "/items/search?" + v.Encode()
}

func humanize(s string) string {
	s = strings.ReplaceAll(s, "-", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Size writes a byte count for people, in their language's numbers.
func Size(w *i18n.Locale, n int64) string {
	switch {
	case n >= 1<<20:
		return w.T("size.mb", "Size", w.Number(float64(n)/(1<<20), 1))
	case n >= 1<<10:
		return w.T("size.kb", "Size", w.Int(n>>10))
	case n > 0:
		return w.N("size.bytes", int(n))
	}
	return ""
}

// category names a library category in the reader's language; one the
// catalogue does not know is shown from its key.
func category(w *i18n.Locale, c string) string {
	if id := "category." + c; w.Has(id) {
		return w.T(id)
	}
	return humanize(c)
}

// Browse draws a page of the library with its filters.
func Browse(w *i18n.Locale, room sdk.RoomRef, page content.ResourcePage, q content.ResourceQuery, staff bool) ui.Component {
	fields := []ui.Field{
		{Name: "q", Label: w.T("search.label"), Type: "text", Value: q.Search, Placeholder: w.T("search.placeholder")},
		{Name: "category", Label: w.T("search.category"), Type: "select", Value: q.Category, Placeholder: w.T("search.all-categories"), Options: options(w, content.Categories)},
		// No sort is the newest first.
		{Name: "sort", Label: w.T("search.sort"), Type: "select", Value: q.Sort, Placeholder: w.T("sort.newest"),
			Options: []ui.Option{{Value: "downloads", Label: w.T("sort.downloads")}, {Value: "title", Label: w.T("sort.title")}}},
	}
	for _, t := range q.Tags {
		fields = append(fields, ui.Field{Name: "tag", Type: "hidden", Value: t})
	}
	out := ui.Stack{Children: ui.Children{
		ui.Form{Action: ui.Action{Name: "search"}, Fields: fields, Submit: w.T("search.submit")},
	}}
	// Active filters, each removable; available tags, each adding itself.
	var active []ui.ListItem
	if q.Category != "" {
		active = append(active, ui.ListItem{Title: w.T("filter.category", "Category", category(w, q.Category)), Href: link(room, q, func(c *content.ResourceQuery) { c.Category = "" }), Icon: "x"})
	}
	if q.Folder != "" {
		active = append(active, ui.ListItem{Title: w.T("filter.folder", "Folder", q.Folder), Href: link(room, q, func(c *content.ResourceQuery) { c.Folder = "" }), Icon: "x"})
	}
	for _, t := range q.Tags {
		active = append(active, ui.ListItem{Title: tagLabel(t), Href: link(room, q, func(c *content.ResourceQuery) {
			c.Tags = slices.DeleteFunc(c.Tags, func(x string) bool { return x == t })
		}), Icon: "x"})
	}
	if len(active) > 0 {
		out.Children = append(out.Children, ui.Card{Title: w.T("filter.active"), Body: ui.Children{ui.List{Items: active}}})
	}
	var more []ui.ListItem
	for _, t := range page.Tags {
		if !slices.Contains(q.Tags, t) {
			more = append(more, ui.ListItem{Title: tagLabel(t), Href: link(room, q, func(c *content.ResourceQuery) { c.Tags = append(c.Tags, t) })})
		}
	}
	for _, f := range page.Folders {
		if f != q.Folder {
			more = append(more, ui.ListItem{Title: w.T("filter.folder", "Folder", f), Href: link(room, q, func(c *content.ResourceQuery) { c.Folder = f }), Icon: "folder"})
		}
	}
	if len(more) > 0 {
		out.Children = append(out.Children, ui.Card{Title: w.T("filter.more"), Body: ui.Children{ui.List{Items: more}}})
	}
	out.Children = append(out.Children, List(w, room, page.Items, staff))
	if staff && page.ManageURL != "" {
		out.Children = append(out.Children, ui.ActionBar{Buttons: []ui.Button{{Label: w.T("manage"), Href: page.ManageURL, Variant: "secondary", Icon: "settings"}}})
	}
	return out
}

func tagLabel(t string) string {
	facet, value, ok := strings.Cut(t, ":")
	if !ok {
		return t
	}
	return humanize(facet) + ": " + humanize(value)
}

func options(w *i18n.Locale, vs []string) []ui.Option {
	out := make([]ui.Option, len(vs))
	for i, v := range vs {
		out[i] = ui.Option{Value: v, Label: category(w, v)}
	}
	return out
}

// List draws resources as a list: a file links to its download, a link to
// its page elsewhere. Staff see download counts and review flags.
func List(w *i18n.Locale, room sdk.RoomRef, items []content.Resource, staff bool) ui.Component {
	if len(items) == 0 {
		return ui.Empty{Title: w.T("list.empty-title"), Description: w.T("list.empty")}
	}
	list := ui.List{Items: make([]ui.ListItem, 0, len(items))}
	for _, r := range items {
		it := ui.ListItem{Title: r.Title, Description: r.Description, Icon: "file-text"}
		switch {
		case r.DownloadURL != "":
			it.Href, it.Icon = r.DownloadURL, "download"
			it.Meta = strings.TrimSpace(strings.ToUpper(ext(r.FileName)) + " " + Size(w, r.Size))
		case r.LinkURL != "":
			it.Href, it.External, it.Icon = r.LinkURL, true, "external-link"
		}
		if staff {
			it.Href = fmt.Sprintf("%s/items/%d", room.Path, r.ID)
			it.Meta = w.N("list.downloads", int(r.Downloads))
			if r.ReviewDue {
				it.Badge = &ui.Badge{Text: w.T("list.review-due"), Tone: ui.ToneWarning}
			}
		}
		list.Items = append(list.Items, it)
	}
	return list
}

func ext(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i+1:]
	}
	return ""
}

// Detail draws one resource, with versions and downloads for staff.
func Detail(w *i18n.Locale, room sdk.RoomRef, d content.ResourceDetail) ui.Component {
	r := d.Resource
	body := ui.Children{}
	if r.Description != "" {
		body = append(body, ui.Text{Text: r.Description})
	}
	if r.PreviewURL != "" {
		body = append(body, ui.Image{URL: r.PreviewURL, Alt: r.Title, FullURL: r.PreviewURL})
	}
	var buttons []ui.Button
	if r.DownloadURL != "" {
		buttons = append(buttons, ui.Button{Label: w.T("detail.download", "File", r.FileName), Href: r.DownloadURL, Icon: "download"})
	}
	if r.LinkURL != "" {
		buttons = append(buttons, ui.Button{Label: w.T("detail.open"), Href: r.LinkURL, External: true, Icon: "external-link"})
	}
	if r.NewVersionURL != "" {
		buttons = append(buttons, ui.Button{Label: w.T("detail.new-version"), Href: r.NewVersionURL, Variant: "secondary"})
	}
	if len(buttons) > 0 {
		body = append(body, ui.ActionBar{Buttons: buttons})
	}
	out := ui.Stack{Children: ui.Children{ui.Card{Title: r.Title, Subtitle: category(w, r.Category), Body: body}}}
	if len(d.Versions) > 0 {
		vs := ui.List{}
		for _, v := range d.Versions {
			vs.Items = append(vs.Items, ui.ListItem{Title: w.T("detail.version", "Number", w.Int(int64(v.Number)), "Name", v.Name), Href: v.DownloadURL,
				Meta: w.Date(v.Uploaded), Description: v.UploadedBy})
		}
		out.Children = append(out.Children, ui.Card{Title: w.T("detail.versions"), Body: ui.Children{vs}})
	}
	if len(d.Accesses) > 0 {
		out.Children = append(out.Children, ui.Card{Title: w.T("detail.downloads", "Count", w.Int(int64(r.Downloads))), Body: ui.Children{AccessTable(w, d.Accesses)}})
	}
	return out
}

// AccessTable lists who fetched a file and when.
func AccessTable(w *i18n.Locale, as []content.Access) ui.Component {
	t := ui.Table{Columns: []ui.TableColumn{{Label: w.T("access.who")}, {Label: w.T("access.partner")}, {Label: w.T("access.what")}, {Label: w.T("access.when")}},
		Empty: w.T("access.empty")}
	for _, a := range as {
		what := humanize(strings.ReplaceAll(a.Action, "_", " "))
		if id := "access." + a.Action; w.Has(id) {
			what = w.T(id)
		}
		t.Rows = append(t.Rows, ui.TableRow{Cells: ui.Children{ui.Text{Text: a.Who}, ui.Text{Text: a.Partner},
			ui.Text{Text: w.T("access.version", "What", what, "Version", w.Int(int64(a.Version)))}, ui.Text{Text: w.DateTime(a.At)}}})
	}
	return t
}
