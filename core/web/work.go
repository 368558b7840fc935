package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/atriumhq/atrium/core/render"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/theme"
	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/ui"
)

// StaffRoomType is a room type that staff work from the staff side: the
// same blocks and item pages partners see in their room, drawn for a staff
// viewer (who reaches every partner they manage through the host API), at
// /admin/work/{type}.
type StaffRoomType struct {
	Name, Title, Icon string
	// ViewAs lets staff also open the room as one of their partners sees
	// it (see workRoomAs).
	ViewAs bool
}

// staffRoomTypes are the built-in staff room types followed by every
// registered room type (a plugin's, usually) that declares a staff view. It
// is read per request, so a plugin installed or removed while the portal
// runs appears or disappears at once.
func (s *Server) staffRoomTypes() []StaffRoomType {
	out := slices.Clone(s.StaffRoomTypes)
	if s.Registry == nil {
		return out
	}
	for _, rt := range s.Registry.RoomTypes() {
		if !rt.Info.StaffView || slices.ContainsFunc(out, func(t StaffRoomType) bool { return t.Name == rt.Info.Name }) {
			continue
		}
		icon := rt.Info.Icon
		if icon == "" {
			icon = "folder"
		}
		out = append(out, StaffRoomType{Name: rt.Info.Name, Title: rt.Info.Title, Icon: icon})
	}
	return out
}

// workPath is a staff room type's page; a namespaced name's slash becomes a
// dot so the name is one path segment.
func workPath(name string) string { return "/admin/work/" + url.PathEscape(sdk.StaffSlug(name)) }

// withStaffRoomTypes adds the staff room types beyond the built-in ones to
// the staff navigation, after the built-in work pages.
func (s *Server) withStaffRoomTypes(ctx context.Context, v sdk.Viewer, items []theme.NavItem, path string) []theme.NavItem {
	extra := s.staffRoomTypes()[len(s.StaffRoomTypes):]
	if len(extra) == 0 {
		return items
	}
	types := make([]string, len(extra))
	for i, t := range extra {
		types[i] = t.Name
	}
	counts := s.typeBadges(ctx, v, types)
	at := slices.IndexFunc(items, func(n theme.NavItem) bool { return n.Href == "/admin/partners" })
	if at < 0 {
		at = len(items)
	}
	add := make([]theme.NavItem, 0, len(extra))
	for _, t := range extra {
		href := workPath(t.Name)
		item := theme.NavItem{Title: t.Title, Href: href, Icon: t.Icon, Active: path == href || strings.HasPrefix(path, href+"/")}
		if s.hasBadge(t.Name) {
			item.Badge, item.Count = t.Name, counts[t.Name]
		}
		add = append(add, item)
	}
	return slices.Insert(items, at, add...)
}

// workType finds the staff room type of a request, or answers 404.
func (s *Server) workType(w http.ResponseWriter, r *http.Request) (StaffRoomType, sdk.RoomRef, bool) {
	name := sdk.StaffName(r.PathValue("type"))
	all := s.staffRoomTypes()
	i := slices.IndexFunc(all, func(t StaffRoomType) bool { return t.Name == name })
	if i < 0 {
		s.notFound(w, r)
		return StaffRoomType{}, sdk.RoomRef{}, false
	}
	t := all[i]
	// A built-in staff room type is named in the reader's language; a
	// plugin's keeps the title it gives.
	if id := "admin.work.title." + t.Name; loc(r).Has(id) {
		t.Title = tr(r, id)
	}
	return t, sdk.RoomRef{Slug: t.Name, Title: t.Title, Type: t.Name, Path: workPath(t.Name)}, true
}

// workViewer is the staff viewer of a staff room page, with the partners
// they may act for: admins all, managers the partners they manage (read now,
// so a reassignment takes effect at once).
func (s *Server) workViewer(r *http.Request) (sdk.Viewer, error) {
	v := principal(r).Viewer()
	rc, err := s.reach.For(r.Context(), v)
	if err != nil {
		return v, err
	}
	if rc.IsStaff() {
		v.ActsForAll, v.ActsFor = rc.Everyone(), rc.WriteIDs()
	}
	return v, nil
}

// workClaims binds a staff form to the staff side, so a token made for a
// partner's room cannot be replayed here, nor the other way round.
func workClaims(v sdk.Viewer, typ, block, action string) actionClaims {
	return actionClaims{User: v.UserID, Room: "admin:work:" + typ, Block: block, Action: action}
}

// workRoom shows a room type's blocks to staff.
func (s *Server) workRoom(w http.ResponseWriter, r *http.Request) {
	t, ref, ok := s.workType(w, r)
	if !ok {
		return
	}
	s.showWorkRoom(w, r, http.StatusOK, t, ref, nil)
}

// showWorkRoom draws a room type's blocks for staff; with a replay, the
// refused form comes back with its errors and what was typed.
func (s *Server) showWorkRoom(w http.ResponseWriter, r *http.Request, status int, t StaffRoomType, ref sdk.RoomRef, replay *formReplay) {
	v, err := s.workViewer(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	snap := s.catalog.Current()
	rm := &room.Room{Slug: t.Name, Name: "work-" + t.Name, Title: t.Title, Type: t.Name, Icon: t.Icon}
	content := theme.RoomPage{Slug: t.Name, Title: t.Title, Icon: t.Icon, LiveTopics: liveTopics(s.roomTopics(t.Name))}
	for _, res := range s.Renderer.RoomAt(r.Context(), rm, v, snap.Program, ref.Path) {
		content.Blocks = append(content.Blocks, s.drawWork(r, ref, v, res, replay))
	}
	if t.ViewAs {
		if b, ok := s.viewAsBlock(r, t); ok {
			content.Blocks = append(content.Blocks, b)
		}
	}
	s.render(w, r, status, "room", t.Title, content, nil, nil)
}

// workItem shows a room type's item page to staff.
func (s *Server) workItem(w http.ResponseWriter, r *http.Request) {
	t, ref, ok := s.workType(w, r)
	if !ok {
		return
	}
	v, err := s.workViewer(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.drawWorkItem(w, r, http.StatusOK, t, ref, v, r.PathValue("path"), r.URL.Query(), nil, nil)
}

// drawWorkItem draws a room type's item page for v, staff or (with preview
// set) a partner previewed; with a replay, a refused form comes back with
// its errors and what was typed.
func (s *Server) drawWorkItem(w http.ResponseWriter, r *http.Request, status int, t StaffRoomType, ref sdk.RoomRef, v sdk.Viewer,
	path string, query url.Values, replay *formReplay, preview *theme.PreviewInfo) {
	rt, ok := s.Registry.RoomType(t.Name)
	ir, isItems := rt.Type.(sdk.ItemRenderer)
	if !ok || !isItems {
		s.notFound(w, r)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.opt.ActionTimeout)
	defer cancel()
	pg, err := ir.RenderItem(ctx, sdk.ItemRequest{Viewer: v, Room: ref, Path: path, Query: query, Host: s.host(v)})
	if errors.Is(err, sdk.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	res := render.Result{ID: itemBlock, Type: t.Name, Tree: pg.Body, Err: err}
	if err == nil {
		res.Err = render.Check(pg.Body)
	}
	content := theme.RoomPage{Slug: t.Name, Title: pg.Title, Icon: t.Icon, Blocks: []theme.RenderedBlock{s.drawWork(r, ref, v, res, replay)},
		LiveTopics: liveTopics(pg.LiveTopics)}
	s.render(w, r, status, "room", pg.Title, content, nil, preview)
}

// drawWork draws a block or item page for staff; its forms post to the
// staff side.
func (s *Server) drawWork(r *http.Request, ref sdk.RoomRef, v sdk.Viewer, res render.Result, replay *formReplay) theme.RenderedBlock {
	out := theme.RenderedBlock{ID: res.ID, Type: res.Type, ShowReason: true, Locale: loc(r)}
	if res.Err != nil {
		out.Failed, out.Reason = true, res.Err.Error()
	} else {
		bc := &theme.BlockContext{
			Locale:  loc(r),
			BlockID: res.ID,
			ActionURL: func(name string) string {
				return ref.Path + "/blocks/" + url.PathEscape(res.ID) + "/actions/" + url.PathEscape(name)
			},
			Token: func(a ui.Action) string {
				c := workClaims(v, ref.Slug, res.ID, a.Name)
				c.State = a.State
				return s.signAction(c)
			},
			EmbedAllowed: s.catalog.Current().Program.SDK().EmbedAllowed,
			ReadOnly:     v.Preview, // a partner's view is looked at, not acted in
		}
		if replay != nil && replay.block == res.ID {
			bc.Values, bc.Errors, bc.FormError, bc.FormAction, bc.FormState = replay.values, replay.errors, replay.err, replay.action, replay.state
		}
		html, pieces, err := s.Theme.ComponentPieces(res.Tree, bc)
		if err != nil {
			out.Failed, out.Reason = true, "cannot draw the block: "+err.Error()
		}
		out.HTML, out.Pieces = html, pieces
	}
	if wrapped, pieces, err := s.Theme.BlockPieces(out); err == nil {
		out.Wrapped, out.WrappedPieces = wrapped, pieces
	}
	return out
}

// workAction runs a staff form: an item page's goes to the room type, a
// block's to its block type.
func (s *Server) workAction(w http.ResponseWriter, r *http.Request) {
	t, ref, ok := s.workType(w, r)
	if !ok {
		return
	}
	v, err := s.workViewer(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	blockID, name := r.PathValue("block"), r.PathValue("action")
	var handler sdk.ActionHandler
	if blockID == itemBlock {
		if rt, ok := s.Registry.RoomType(t.Name); ok {
			handler, _ = rt.Type.(sdk.ActionHandler)
		}
	} else if rt, ok := s.Registry.RoomType(t.Name); ok {
		for _, b := range rt.Info.DefaultBlocks {
			if b.ID == blockID {
				if bt, ok := s.Registry.Block(b.Type); ok {
					handler, _ = bt.Type.(sdk.ActionHandler)
				}
			}
		}
	}
	if handler == nil {
		s.notFound(w, r)
		return
	}
	again := func(page string, q url.Values, replay *formReplay) bool {
		if page == ref.Path {
			s.showWorkRoom(w, r, http.StatusUnprocessableEntity, t, ref, replay)
			return true
		}
		path, isItem := strings.CutPrefix(page, ref.Path+"/items/")
		rt, ok := s.Registry.RoomType(t.Name)
		_, isItems := rt.Type.(sdk.ItemRenderer)
		if !isItem || !ok || !isItems {
			return false
		}
		s.drawWorkItem(w, r, http.StatusUnprocessableEntity, t, ref, v, path, q, replay, nil)
		return true
	}
	s.runItemAction(w, r, handler, ref, workClaims(v, t.Name, blockID, name), v, again)
}
