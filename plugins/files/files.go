// Package files is the Shared Files room (room type "files"): a two-way file
// space per partner. Partner users and their manager upload, download,
// organise in folders, comment and add versions; every view and download is
// logged and shown with the file. A partner only ever sees its own space:
// the content host calls answer for the viewer's partner, whatever is asked.
//
//	kind: Room
//	slug: files
//	type: files
//	partnerTypes: [reseller, distributor, implementation]
//
// Item pages: items/<file id> (a file, its versions, comments and access
// log), items/space/<partner id> (staff: one partner's space),
// items/folder?path=Contracts (a folder).
package files

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/content"
	"github.com/atriumhq/atrium/sdk/i18n"
	"github.com/atriumhq/atrium/sdk/ui"
)

// The room's words, one file per language. File names, folders and
// comments are the people's own and stay as written.
//
//go:embed locales/*.json
var locales embed.FS

var catalog = i18n.MustLoad(locales, "locales")

// words is the catalogue in the viewer's language.
func words(v sdk.Viewer) *i18n.Locale { return catalog.For(v.Locale) }

// Plugin returns the room type and its block.
func Plugin() sdk.Plugin {
	return sdk.Plugin{ID: "atrium/files", Blocks: []sdk.BlockType{spaceBlock{}}, Rooms: []sdk.RoomType{Room{}}}
}

// Room is the room type.
type Room struct{}

// Describe names the room type.
func (Room) Describe() sdk.RoomInfo {
	return sdk.RoomInfo{Name: "files", Title: "Shared Files", Icon: "inbox", OncePerPartnerType: true,
		Description:   "A private file space shared between a partner and its partner manager.",
		DefaultBlocks: []sdk.BlockSpec{{ID: "space", Type: "shared-files"}}}
}

type spaceBlock struct{}

func (spaceBlock) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "shared-files", Title: "Shared files", Icon: "inbox", SchemaVersion: 1,
		Description:  "The viewer's partner's shared files.",
		ConfigSchema: json.RawMessage(`{"type":"object","additionalProperties":false}`)}
}

func (spaceBlock) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	sp, err := content.ListSpace.Call(ctx, req.Host, content.SpaceQuery{})
	if err != nil {
		return nil, err
	}
	return space(words(req.Viewer), req.Room, sp, ""), nil
}

// RenderItem serves a file, a staff view of one partner's space, or a folder.
func (Room) RenderItem(ctx context.Context, req sdk.ItemRequest) (sdk.Page, error) {
	w := words(req.Viewer)
	switch {
	case req.Path == "folder":
		q := content.SpaceQuery{}
		if p := req.Query["path"]; len(p) > 0 {
			q.Folder = p[0]
		}
		if p := req.Query["partner"]; len(p) > 0 {
			q.PartnerID, _ = strconv.ParseInt(p[0], 10, 64)
		}
		sp, err := content.ListSpace.Call(ctx, req.Host, q)
		if err != nil {
			return sdk.Page{}, err
		}
		return sdk.Page{Title: q.Folder, Body: space(w, req.Room, sp, q.Folder)}, nil
	case strings.HasPrefix(req.Path, "space/"):
		id, err := strconv.ParseInt(strings.TrimPrefix(req.Path, "space/"), 10, 64)
		if err != nil {
			return sdk.Page{}, sdk.ErrNotFound
		}
		sp, err := content.ListSpace.Call(ctx, req.Host, content.SpaceQuery{PartnerID: id})
		if err != nil {
			return sdk.Page{}, err
		}
		return sdk.Page{Title: sp.PartnerName, Body: space(w, req.Room, sp, "")}, nil
	}
	id, err := strconv.ParseInt(req.Path, 10, 64)
	if err != nil {
		return sdk.Page{}, sdk.ErrNotFound
	}
	d, err := content.GetSharedFile.Call(ctx, req.Host, content.Ref{ID: id})
	if err != nil {
		return sdk.Page{}, err
	}
	return sdk.Page{Title: d.File.Name, Body: detail(w, d)}, nil
}

func space(w *i18n.Locale, room sdk.RoomRef, sp content.Space, folder string) ui.Component {
	if sp.PartnerID == 0 {
		// Staff: choose a partner.
		list := ui.List{}
		for _, p := range sp.Partners {
			list.Items = append(list.Items, ui.ListItem{Title: p.Name, Href: fmt.Sprintf("%s/items/space/%d", room.Path, p.ID), Icon: "inbox"})
		}
		if len(list.Items) == 0 {
			return ui.Empty{Title: w.T("staff.empty-title"), Description: w.T("staff.empty")}
		}
		return ui.Card{Title: w.T("staff.spaces"), Body: ui.Children{list}}
	}
	out := ui.Stack{Children: ui.Children{ui.ActionBar{Buttons: []ui.Button{{Label: w.T("space.upload"), Href: sp.UploadURL, Icon: "arrow-up"}}}}}
	if len(sp.Folders) > 0 {
		fl := ui.List{}
		for _, f := range sp.Folders {
			v := url.Values{"path": {f}, "partner": {strconv.FormatInt(sp.PartnerID, 10)}}
			fl.Items = append(fl.Items, ui.ListItem{Title: f, Href: room.Path + "/items/folder?" + v.Encode(), Icon: "folder"})
		}
		out.Children = append(out.Children, ui.Card{Title: w.T("space.folders"), Body: ui.Children{fl}})
	}
	title := w.T("space.title", "Partner", sp.PartnerName)
	if folder != "" {
		title = folder
	}
	if len(sp.Files) == 0 {
		out.Children = append(out.Children, ui.Empty{Title: w.T("space.empty-title"), Description: w.T("space.empty")})
		return out
	}
	list := ui.List{}
	for _, f := range sp.Files {
		meta := w.T("space.version", "Version", w.Int(int64(f.Version)), "Date", w.Date(f.Updated))
		desc := f.Folder
		if f.Comments > 0 {
			desc = strings.TrimSpace(desc + " " + w.N("space.comments", f.Comments))
		}
		list.Items = append(list.Items, ui.ListItem{Title: f.Name, Description: desc, Meta: meta, Href: fmt.Sprintf("%s/items/%d", room.Path, f.ID), Icon: "file-text"})
	}
	out.Children = append(out.Children, ui.Card{Title: title, Body: ui.Children{list}})
	return out
}

func detail(w *i18n.Locale, d content.SharedFileDetail) ui.Component {
	f := d.File
	out := ui.Stack{Children: ui.Children{
		ui.Card{Title: f.Name, Subtitle: w.T("file.subtitle", "Version", w.Int(int64(f.Version)), "When", w.DateTime(f.Updated)), Body: ui.Children{
			ui.ActionBar{Buttons: []ui.Button{
				{Label: w.T("file.download"), Href: f.DownloadURL, Icon: "download"},
				{Label: w.T("file.new-version"), Href: d.VersionURL, Variant: "secondary", Icon: "arrow-up"},
				{Label: w.T("file.comment"), Href: fmt.Sprintf("/files/%d/comments", f.ID), Variant: "secondary", Icon: "message"},
			}},
		}},
	}}
	vs := ui.List{}
	for _, v := range d.Versions {
		vs.Items = append(vs.Items, ui.ListItem{Title: w.T("file.version", "Number", w.Int(int64(v.Number)), "Name", v.Name), Href: v.DownloadURL,
			Description: v.UploadedBy, Meta: w.DateTime(v.Uploaded), Icon: "download"})
	}
	out.Children = append(out.Children, ui.Card{Title: w.T("file.versions"), Body: ui.Children{vs}})
	if len(d.Comments) > 0 {
		cs := ui.List{}
		for _, c := range d.Comments {
			cs.Items = append(cs.Items, ui.ListItem{Title: c.Author, Description: c.Body, Meta: w.DateTime(c.At), Icon: "message"})
		}
		out.Children = append(out.Children, ui.Card{Title: w.T("file.comments"), Body: ui.Children{cs}})
	}
	t := ui.Table{Columns: []ui.TableColumn{{Label: w.T("access.who")}, {Label: w.T("access.partner")}, {Label: w.T("access.what")}, {Label: w.T("access.when")}},
		Empty: w.T("access.empty")}
	for _, a := range d.Accesses {
		what := w.T("access.viewed", "Version", w.Int(int64(a.Version)))
		if a.Action == "download" {
			what = w.T("access.downloaded", "Version", w.Int(int64(a.Version)))
		}
		t.Rows = append(t.Rows, ui.TableRow{Cells: ui.Children{ui.Text{Text: a.Who}, ui.Text{Text: a.Partner},
			ui.Text{Text: what}, ui.Text{Text: w.DateTime(a.At)}}})
	}
	out.Children = append(out.Children, ui.Card{Title: w.T("access.title"), Body: ui.Children{t}})
	return out
}
