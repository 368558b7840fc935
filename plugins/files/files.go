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
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/content"
	"github.com/atriumhq/atrium/sdk/ui"
)

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
	return space(req.Room, sp, ""), nil
}

// RenderItem serves a file, a staff view of one partner's space, or a folder.
func (Room) RenderItem(ctx context.Context, req sdk.ItemRequest) (sdk.Page, error) {
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
		return sdk.Page{Title: q.Folder, Body: space(req.Room, sp, q.Folder)}, nil
	case strings.HasPrefix(req.Path, "space/"):
		id, err := strconv.ParseInt(strings.TrimPrefix(req.Path, "space/"), 10, 64)
		if err != nil {
			return sdk.Page{}, sdk.ErrNotFound
		}
		sp, err := content.ListSpace.Call(ctx, req.Host, content.SpaceQuery{PartnerID: id})
		if err != nil {
			return sdk.Page{}, err
		}
		return sdk.Page{Title: sp.PartnerName, Body: space(req.Room, sp, "")}, nil
	}
	id, err := strconv.ParseInt(req.Path, 10, 64)
	if err != nil {
		return sdk.Page{}, sdk.ErrNotFound
	}
	d, err := content.GetSharedFile.Call(ctx, req.Host, content.Ref{ID: id})
	if err != nil {
		return sdk.Page{}, err
	}
	return sdk.Page{Title: d.File.Name, Body: detail(d)}, nil
}

func space(room sdk.RoomRef, sp content.Space, folder string) ui.Component {
	if sp.PartnerID == 0 {
		// Staff: choose a partner.
		list := ui.List{}
		for _, p := range sp.Partners {
			list.Items = append(list.Items, ui.ListItem{Title: p.Name, Href: fmt.Sprintf("%s/items/space/%d", room.Path, p.ID), Icon: "inbox"})
		}
		if len(list.Items) == 0 {
			return ui.Empty{Title: "No partners", Description: "Shared spaces appear for the partners you manage."}
		}
		return ui.Card{Title: "Partner spaces", Body: ui.Children{list}}
	}
	out := ui.Stack{Children: ui.Children{ui.ActionBar{Buttons: []ui.Button{{Label: "Upload a file", Href: sp.UploadURL, Icon: "arrow-up"}}}}}
	if len(sp.Folders) > 0 {
		fl := ui.List{}
		for _, f := range sp.Folders {
			v := url.Values{"path": {f}, "partner": {strconv.FormatInt(sp.PartnerID, 10)}}
			fl.Items = append(fl.Items, ui.ListItem{Title: f, Href: room.Path + "/items/folder?" + v.Encode(), Icon: "folder"})
		}
		out.Children = append(out.Children, ui.Card{Title: "Folders", Body: ui.Children{fl}})
	}
	title := "Files shared with " + sp.PartnerName
	if folder != "" {
		title = folder
	}
	if len(sp.Files) == 0 {
		out.Children = append(out.Children, ui.Empty{Title: "No files yet", Description: "Upload agreements, proposals and anything else you work on together."})
		return out
	}
	list := ui.List{}
	for _, f := range sp.Files {
		meta := fmt.Sprintf("v%d · %s", f.Version, f.Updated.Format("2 Jan 2006"))
		desc := f.Folder
		if f.Comments > 0 {
			desc = strings.TrimSpace(fmt.Sprintf("%s %d comments", desc, f.Comments))
		}
		list.Items = append(list.Items, ui.ListItem{Title: f.Name, Description: desc, Meta: meta, Href: fmt.Sprintf("%s/items/%d", room.Path, f.ID), Icon: "file-text"})
	}
	out.Children = append(out.Children, ui.Card{Title: title, Body: ui.Children{list}})
	return out
}

func detail(d content.SharedFileDetail) ui.Component {
	f := d.File
	out := ui.Stack{Children: ui.Children{
		ui.Card{Title: f.Name, Subtitle: fmt.Sprintf("Version %d · %s", f.Version, f.Updated.Format("2 Jan 2006 15:04")), Body: ui.Children{
			ui.ActionBar{Buttons: []ui.Button{
				{Label: "Download", Href: f.DownloadURL, Icon: "download"},
				{Label: "Upload a new version", Href: d.VersionURL, Variant: "secondary", Icon: "arrow-up"},
				{Label: "Comment", Href: fmt.Sprintf("/files/%d/comments", f.ID), Variant: "secondary", Icon: "message"},
			}},
		}},
	}}
	vs := ui.List{}
	for _, v := range d.Versions {
		vs.Items = append(vs.Items, ui.ListItem{Title: fmt.Sprintf("Version %d: %s", v.Number, v.Name), Href: v.DownloadURL,
			Description: v.UploadedBy, Meta: v.Uploaded.Format("2 Jan 2006 15:04"), Icon: "download"})
	}
	out.Children = append(out.Children, ui.Card{Title: "Versions", Body: ui.Children{vs}})
	if len(d.Comments) > 0 {
		cs := ui.List{}
		for _, c := range d.Comments {
			cs.Items = append(cs.Items, ui.ListItem{Title: c.Author, Description: c.Body, Meta: c.At.Format("2 Jan 2006 15:04"), Icon: "message"})
		}
		out.Children = append(out.Children, ui.Card{Title: "Comments", Body: ui.Children{cs}})
	}
	t := ui.Table{Columns: []ui.TableColumn{{Label: "Who"}, {Label: "Partner"}, {Label: "What"}, {Label: "When"}}, Empty: "Nobody yet."}
	for _, a := range d.Accesses {
		what := "Downloaded"
		if a.Action != "download" {
			what = "Viewed"
		}
		t.Rows = append(t.Rows, ui.TableRow{Cells: ui.Children{ui.Text{Text: a.Who}, ui.Text{Text: a.Partner},
			ui.Text{Text: fmt.Sprintf("%s v%d", what, a.Version)}, ui.Text{Text: a.At.Format("2 Jan 2006 15:04")}}})
	}
	out.Children = append(out.Children, ui.Card{Title: "Access log", Body: ui.Children{t}})
	return out
}
