package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"

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

// workType finds the staff room type of a request, or answers 404.
func (s *Server) workType(w http.ResponseWriter, r *http.Request) (StaffRoomType, sdk.RoomRef, bool) {
	name := r.PathValue("type")
	i := slices.IndexFunc(s.StaffRoomTypes, func(t StaffRoomType) bool { return t.Name == name })
	if i < 0 {
		s.notFound(w, r)
		return StaffRoomType{}, sdk.RoomRef{}, false
	}
	t := s.StaffRoomTypes[i]
	return t, sdk.RoomRef{Slug: t.Name, Title: t.Title, Type: t.Name, Path: "/admin/work/" + url.PathEscape(t.Name)}, true
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
	v := principal(r).Viewer()
	snap := s.catalog.Current()
	rm := &room.Room{Slug: t.Name, Name: "work-" + t.Name, Title: t.Title, Type: t.Name, Icon: t.Icon}
	content := theme.RoomPage{Slug: t.Name, Title: t.Title, Icon: t.Icon}
	for _, res := range s.Renderer.RoomAt(r.Context(), rm, v, snap.Program, ref.Path) {
		content.Blocks = append(content.Blocks, s.drawWork(r, ref, v, res))
	}
	if t.ViewAs {
		if b, ok := s.viewAsBlock(r, t); ok {
			content.Blocks = append(content.Blocks, b)
		}
	}
	s.render(w, r, http.StatusOK, "room", t.Title, content, nil, nil)
}

// workItem shows a room type's item page to staff.
func (s *Server) workItem(w http.ResponseWriter, r *http.Request) {
	t, ref, ok := s.workType(w, r)
	if !ok {
		return
	}
	s.drawWorkItem(w, r, t, ref, principal(r).Viewer(), nil)
}

// drawWorkItem draws a room type's item page for v, staff or (with preview
// set) a partner previewed.
func (s *Server) drawWorkItem(w http.ResponseWriter, r *http.Request, t StaffRoomType, ref sdk.RoomRef, v sdk.Viewer, preview *theme.PreviewInfo) {
	rt, ok := s.Registry.RoomType(t.Name)
	ir, isItems := rt.Type.(sdk.ItemRenderer)
	if !ok || !isItems {
		s.notFound(w, r)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.opt.ActionTimeout)
	defer cancel()
	pg, err := ir.RenderItem(ctx, sdk.ItemRequest{Viewer: v, Room: ref, Path: r.PathValue("path"), Query: r.URL.Query(), Host: s.host(v)})
	if errors.Is(err, sdk.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	res := render.Result{ID: itemBlock, Type: t.Name, Tree: pg.Body, Err: err}
	if err == nil {
		res.Err = render.Check(pg.Body)
	}
	content := theme.RoomPage{Slug: t.Name, Title: pg.Title, Icon: t.Icon, Blocks: []theme.RenderedBlock{s.drawWork(r, ref, v, res)}}
	s.render(w, r, http.StatusOK, "room", pg.Title, content, nil, preview)
}

// drawWork draws a block or item page for staff; its forms post to the
// staff side.
func (s *Server) drawWork(r *http.Request, ref sdk.RoomRef, v sdk.Viewer, res render.Result) theme.RenderedBlock {
	out := theme.RenderedBlock{ID: res.ID, Type: res.Type, ShowReason: true}
	if res.Err != nil {
		out.Failed, out.Reason = true, res.Err.Error()
	} else {
		bc := &theme.BlockContext{
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
		html, err := s.Theme.Component(res.Tree, bc)
		if err != nil {
			out.Failed, out.Reason = true, "cannot draw the block: "+err.Error()
		}
		out.HTML = html
	}
	if wrapped, err := s.Theme.Block(out); err == nil {
		out.Wrapped = wrapped
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
	v := principal(r).Viewer()
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
	s.runItemAction(w, r, handler, ref, workClaims(v, t.Name, blockID, name), v)
}
