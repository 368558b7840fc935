package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/atriumhq/atrium/core/audience"
	"github.com/atriumhq/atrium/core/catalog"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/engagement"
	"github.com/atriumhq/atrium/core/render"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/theme"
	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/ui"
)

// home sends each visitor where they belong: partners to their first room,
// staff to the admin pages, everyone else to sign in.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	switch {
	case p == nil:
		http.Redirect(w, r, "/login", http.StatusSeeOther)
	case p.Staff():
		http.Redirect(w, r, "/admin", http.StatusSeeOther)
	default:
		nav := s.catalog.Current().Nav(p.Viewer())
		if len(nav) == 0 {
			s.page(w, r, http.StatusOK, "empty-portal", "Welcome", nil)
			return
		}
		http.Redirect(w, r, "/rooms/"+nav[0].Slug, http.StatusSeeOther)
	}
}

// room shows a room to a partner. A room that does not exist, does not serve
// the partner's type or whose audience does not admit them answers 404, the
// same in every case.
func (s *Server) room(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if p.Staff() {
		http.Redirect(w, r, "/admin/rooms", http.StatusSeeOther)
		return
	}
	snap := s.catalog.Current()
	v := p.Viewer()
	rm, ok := snap.Visible(v, r.PathValue("slug"))
	if !ok {
		s.notFound(w, r)
		return
	}
	s.showRoom(w, r, http.StatusOK, snap, rm, v, nil)
	s.track(v, engagement.Event{Kind: engagement.PageView, Name: engagement.PageRoom, RoomID: rm.ID, RoomSlug: rm.Slug, Path: r.URL.Path})
}

// formReplay carries a submitted form back into its block after field
// errors, so the viewer keeps what they typed.
type formReplay struct {
	block  string
	action string // the form's action and its state: a block may hold several forms
	state  string
	values url.Values
	errors map[string]string
	err    string
}

// showRoom renders a room for a viewer, as the viewer or as staff previewing.
func (s *Server) showRoom(w http.ResponseWriter, r *http.Request, status int, snap *catalog.Snapshot, rm *room.Room, v sdk.Viewer, replay *formReplay) {
	results := s.Renderer.Room(r.Context(), rm, v, snap.Program)
	content := theme.RoomPage{Slug: rm.Slug, Title: rm.TitleIn(loc(r).Lang()), Icon: rm.Icon, LiveTopics: liveTopics(s.roomTopics(rm.Type))}
	for _, res := range results {
		// A block with nothing for this viewer draws no box at all: an
		// empty card reads as something broken. A preview keeps it, so
		// the builder can still point at every block of the room.
		if res.Err == nil && blank(res.Tree) && !v.Preview {
			continue
		}
		content.Blocks = append(content.Blocks, s.drawBlock(r, rm, v, res, snap, replay))
	}
	s.pageFor(w, r, status, "room", rm.TitleIn(loc(r).Lang()), content, v, rm.Slug)
}

// blank reports whether a component tree shows nothing: a stack or
// columns with no children, or only blank ones. This is how a block type
// says "nothing for this viewer" (see ui.Stack).
func blank(c ui.Component) bool {
	var children ui.Children
	switch v := c.(type) {
	case ui.Stack:
		children = v.Children
	case *ui.Stack:
		children = v.Children
	case ui.Columns:
		children = v.Children
	case *ui.Columns:
		children = v.Children
	default:
		return false
	}
	for _, ch := range children {
		if !blank(ch) {
			return false
		}
	}
	return true
}

// drawBlock turns one render result into the block as the room page shows
// it, or into a placeholder whose reason only staff see.
func (s *Server) drawBlock(r *http.Request, rm *room.Room, v sdk.Viewer, res render.Result, snap *catalog.Snapshot, replay *formReplay) theme.RenderedBlock {
	out := theme.RenderedBlock{ID: res.ID, Type: res.Type, ShowReason: principal(r).Staff(), Locale: loc(r)}
	// A shared tree drawn without per-viewer parts (no signed action, no
	// replayed form, not a preview) looks the same for everyone who shares
	// it: reuse it, wrapper and all.
	shareable := res.Err == nil && res.CacheKey != "" && !v.Preview && (replay == nil || replay.block != res.ID)
	if shareable {
		if html, ok := s.drawn.Get(res.CacheKey); ok {
			out.Wrapped = html
			return out
		}
	}
	personal := false
	if res.Err != nil {
		out.Failed, out.Reason = true, res.Err.Error()
	} else {
		bc := &theme.BlockContext{
			BlockID: res.ID,
			Locale:  loc(r),
			ActionURL: func(name string) string {
				return "/rooms/" + url.PathEscape(rm.Slug) + "/blocks/" + url.PathEscape(res.ID) + "/actions/" + url.PathEscape(name)
			},
			Token: func(a ui.Action) string {
				personal = true
				return s.signAction(actionClaims{User: v.UserID, Room: rm.Slug, Block: res.ID, Action: a.Name, State: a.State})
			},
			EmbedAllowed: snap.Program.SDK().EmbedAllowed,
			ReadOnly:     v.Preview, // nothing may be submitted from a preview
		}
		if replay != nil && replay.block == res.ID {
			bc.Values, bc.Errors, bc.FormError, bc.FormAction, bc.FormState = replay.values, replay.errors, replay.err, replay.action, replay.state
		}
		html, pieces, err := s.Theme.ComponentPieces(res.Tree, bc)
		if err != nil {
			out.Failed, out.Reason = true, "cannot draw the block: "+err.Error()
			s.Log.Warn("block could not be drawn", "room", rm.Name, "block", res.ID, "err", err)
			shareable = false
		}
		out.HTML, out.Pieces = html, pieces
	}
	if shareable && !personal {
		// The cache keeps the block whole; a page of this viewer's own
		// writes it from its pieces (see theme.Pieces).
		wrapped, err := s.Theme.Block(out)
		if err != nil {
			s.Log.Error("block wrapper failed", "block", res.ID, "err", err)
			return out // the page wraps it again and reports the error
		}
		out.Wrapped = wrapped
		s.drawn.Add(res.CacheKey, wrapped)
		return out
	}
	wrapped, pieces, err := s.Theme.BlockPieces(out)
	if err != nil {
		s.Log.Error("block wrapper failed", "block", res.ID, "err", err)
		return out // the page wraps it again and reports the error
	}
	out.Wrapped, out.WrappedPieces = wrapped, pieces
	return out
}

// action handles a form or button of a block: the viewer must see the room
// and the block, the signed state must match, and the block type must handle
// actions. The answer is a redirect (with a message) or the room again with
// the form's errors.
func (s *Server) action(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if p.Staff() {
		s.notFound(w, r)
		return
	}
	snap := s.catalog.Current()
	v := p.Viewer()
	rm, ok := snap.Visible(v, r.PathValue("slug"))
	if !ok {
		s.notFound(w, r)
		return
	}
	blockID, name := r.PathValue("block"), r.PathValue("action")
	if blockID == itemBlock {
		s.itemAction(w, r, rm, v, name)
		return
	}
	var blk *room.Block
	for _, b := range s.Renderer.Blocks(rm, v, snap.Program) {
		if b.ID == blockID {
			blk = b
			break
		}
	}
	if blk == nil {
		s.notFound(w, r)
		return
	}
	// A block that takes no actions has no action URLs: 404 before looking
	// at the form, so probing tells nothing and stores nothing.
	bt, ok := s.Registry.Block(blk.Type)
	handler, handles := bt.Type.(sdk.ActionHandler)
	if !ok || !handles {
		s.notFound(w, r)
		return
	}
	back := "/rooms/" + rm.Slug + "#block-" + blockID
	sub, err := s.readSubmission(w, r, actionClaims{User: v.UserID, Room: rm.Slug, Block: blockID, Action: name})
	if !s.submitted(w, r, err, back) {
		return
	}
	state, values := sub.state, sub.values
	var res sdk.ActionResult
	if len(sub.errors) > 0 {
		// Refused files: the form comes back without asking the block.
		res = sdk.ActionResult{FieldErrors: sub.errors, Error: tr(r, "invalid.check-fields")}
	} else {
		ctx, cancel := context.WithTimeout(r.Context(), s.opt.ActionTimeout)
		defer cancel()
		res, err = handleAction(ctx, handler, sdk.ActionRequest{
			Viewer: v, Room: sdk.RoomRef{Slug: rm.Slug, Title: rm.TitleIn(loc(r).Lang()), Type: rm.Type, Path: "/rooms/" + rm.Slug},
			BlockID: blockID, Config: bt.ConfigIn(blk.Config, v.Locale), Name: name, State: state, Values: values, Host: s.host(v),
		})
		s.refusedWithFiles(r, sub, &res)
	}
	if err == nil && len(res.FieldErrors) == 0 && res.Error == "" {
		s.track(v, engagement.Event{Kind: engagement.Action, Name: actionEventName(name), RoomID: rm.ID, RoomSlug: rm.Slug, BlockID: blockID, Path: back})
	}
	switch {
	case err != nil:
		s.Log.Warn("action failed", "room", rm.Name, "block", blockID, "action", name, "err", err)
		s.setFlash(w, r, "danger", tr(r, "invalid.try-again"))
		http.Redirect(w, r, back, http.StatusSeeOther)
	case len(res.FieldErrors) > 0:
		s.showRoom(w, r, http.StatusUnprocessableEntity, snap, rm, v, &formReplay{block: blockID, action: name, state: state, values: values, errors: res.FieldErrors, err: res.Error})
	case res.Error != "":
		s.setFlash(w, r, "danger", res.Error)
		http.Redirect(w, r, back, http.StatusSeeOther)
	case res.Navigate != "":
		if res.Message != "" {
			s.setFlash(w, r, "success", res.Message)
		}
		http.Redirect(w, r, localPath(res.Navigate), http.StatusSeeOther)
	default:
		if res.Message != "" {
			s.setFlash(w, r, "success", res.Message)
		}
		http.Redirect(w, r, back, http.StatusSeeOther)
	}
}

// handleAction calls a block's action handler, containing a panic.
func handleAction(ctx context.Context, h sdk.ActionHandler, req sdk.ActionRequest) (res sdk.ActionResult, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("action handler panicked: %v", v)
		}
	}()
	return h.HandleAction(ctx, req)
}

// item shows a page a room type serves inside its room (/rooms/leads/items/42).
func (s *Server) item(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if p.Staff() {
		s.notFound(w, r)
		return
	}
	snap := s.catalog.Current()
	v := p.Viewer()
	rm, ok := snap.Visible(v, r.PathValue("slug"))
	if !ok || rm.Type == "" {
		s.notFound(w, r)
		return
	}
	rt, ok := s.Registry.RoomType(rm.Type)
	if !ok {
		s.notFound(w, r)
		return
	}
	ir, ok := rt.Type.(sdk.ItemRenderer)
	if !ok {
		s.notFound(w, r)
		return
	}
	s.showItem(w, r, http.StatusOK, snap, rm, v, ir, r.PathValue("path"), r.URL.Query(), nil)
}

// showItem renders an item page of a room; with a replay, the submitted
// form comes back with its errors beside its fields and what was typed.
func (s *Server) showItem(w http.ResponseWriter, r *http.Request, status int, snap *catalog.Snapshot, rm *room.Room, v sdk.Viewer,
	ir sdk.ItemRenderer, path string, query url.Values, replay *formReplay) {
	ctx, cancel := context.WithTimeout(r.Context(), s.opt.ActionTimeout)
	defer cancel()
	pg, err := ir.RenderItem(ctx, sdk.ItemRequest{Viewer: v, Room: sdk.RoomRef{Slug: rm.Slug, Title: rm.TitleIn(loc(r).Lang()), Type: rm.Type, Path: "/rooms/" + rm.Slug},
		Path: path, Query: query, Host: s.host(v)})
	if errors.Is(err, sdk.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	res := render.Result{ID: itemBlock, Type: rm.Type, Tree: pg.Body, Err: err}
	if err == nil {
		res.Err = render.Check(pg.Body)
	}
	content := theme.RoomPage{Slug: rm.Slug, Title: pg.Title, Icon: rm.Icon, Blocks: []theme.RenderedBlock{s.drawBlock(r, rm, v, res, snap, replay)},
		LiveTopics: liveTopics(pg.LiveTopics)}
	s.pageFor(w, r, status, "room", pg.Title, content, v, rm.Slug)
	if err == nil && replay == nil {
		s.track(v, engagement.Event{Kind: engagement.PageView, Name: engagement.PageItem, RoomID: rm.ID, RoomSlug: rm.Slug,
			ResourceID: itemResource(path), Path: r.URL.Path})
	}
}

// preview shows staff a room exactly as an audience, or a named partner,
// would see it.
//
// With draft=1 it shows the room's draft (the builder's preview): blocks
// the audience would not see are drawn greyed with who they are for, and
// width=phone draws the room in a phone-sized frame.
func (s *Server) preview(w http.ResponseWriter, r *http.Request) {
	snap := s.catalog.Current()
	q := r.URL.Query()
	draft := q.Get("draft") == "1"
	rm, ok := snap.ByName(r.PathValue("name"))
	if draft {
		d, err := s.Rooms.Draft(r.Context(), r.PathValue("name"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		rm, ok = &d.Room, true
	}
	if !ok {
		s.notFound(w, r)
		return
	}
	v := sdk.Viewer{UserID: principal(r).User.ID, Name: "Preview", Role: sdk.RolePartnerUser, Preview: true, ContactRole: q.Get("role")}
	desc := ""
	if slug := q.Get("partner"); slug != "" {
		pt, err := s.Dir.PartnerBySlug(r.Context(), slug)
		if err != nil || !s.manages(r, pt.ID) {
			s.notFound(w, r)
			return
		}
		v.Partner = pt.SDK()
		desc = fmt.Sprintf("%s (%s, %s, %s)", pt.Name, pt.Type, pt.Tier, pt.Stage)
	} else {
		typ := q.Get("type")
		if typ == "" && len(rm.PartnerTypes) > 0 {
			typ = rm.PartnerTypes[0]
		}
		v.Partner = &sdk.Partner{Name: "Preview partner", Type: typ, Tier: pick(q.Get("tier"), last(snap.Program.Tiers)), Stage: pick(q.Get("stage"), last(snap.Program.Stages))}
		desc = fmt.Sprintf("a %s partner, tier %s, stage %s", v.Partner.Type, v.Partner.Tier, v.Partner.Stage)
	}
	if v.ContactRole != "" {
		desc += ", contact role " + v.ContactRole
	}
	admitted := rm.Serves(v.Partner.Type) && audience.Admits(rm.Audience, v, snap.Program)
	shown := rm
	if draft {
		// Every block is drawn; those the audience would not see are
		// marked and greyed.
		all := *rm
		all.Blocks = slices.Clone(rm.Blocks)
		for i := range all.Blocks {
			all.Blocks[i].Audience = sdk.Audience{}
		}
		shown = &all
	}
	results := s.Renderer.Room(r.Context(), shown, v, snap.Program)
	content := theme.RoomPage{Slug: rm.Slug, Title: rm.Title, Icon: rm.Icon, Phone: draft && q.Get("width") == "phone"}
	audiences := map[string]*sdk.Audience{}
	for i := range rm.Blocks {
		audiences[rm.Blocks[i].ID] = &rm.Blocks[i].Audience
	}
	for _, res := range results {
		b := s.drawBlock(r, shown, v, res, snap, nil)
		if a := audiences[res.ID]; draft && a != nil && !audience.Admits(*a, v, snap.Program) {
			b.HiddenFor = a
			b.Wrapped, b.WrappedPieces = "", theme.Pieces{}
			if w, p, err := s.Theme.BlockPieces(b); err == nil {
				b.Wrapped, b.WrappedPieces = w, p
			}
		}
		content.Blocks = append(content.Blocks, b)
	}
	exit := "/admin/rooms"
	if draft {
		exit = roomURL(rm.Key(), "edit")
	}
	pi := &theme.PreviewInfo{Audience: desc, ExitURL: exit, Hidden: !admitted, Form: s.previewForm(r, rm, v, snap), Draft: draft}
	if draft {
		pi.Form.Draft, pi.Form.Width = true, q.Get("width")
	}
	nav := s.navFor(r.Context(), snap, v, rm.Slug, true, rm.Name)
	if draft {
		nav = nil // the other rooms' links would leave the draft
	}
	s.render(w, r, http.StatusOK, "room", rm.Title+" (preview)", content, nav, pi)
}

func pick(v, def string) string {
	if v != "" {
		return v
	}
	return def
}

func last(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[len(s)-1]
}

// host is the in-process host API for a viewer.
func (s *Server) host(v sdk.Viewer) sdk.Host { return s.Hosts.For(v) }

// previewForm offers staff every audience, and the partners they manage.
func (s *Server) previewForm(r *http.Request, rm *room.Room, v sdk.Viewer, snap *catalog.Snapshot) *theme.PreviewForm {
	f := &theme.PreviewForm{Action: "/admin/rooms/" + rm.Key() + "/preview", Types: snap.Program.PartnerTypes, Tiers: snap.Program.Tiers,
		Stages: snap.Program.Stages, Roles: snap.Program.ContactRoles, Type: v.Partner.Type, Tier: v.Partner.Tier,
		Stage: v.Partner.Stage, Role: v.ContactRole, Partner: v.Partner.Slug}
	pf := directory.PartnerFilter{PerPage: 200}
	pf.Within = s.managedPartnerIDs(r) // nil for an admin: every partner
	if partners, err := s.Dir.ListPartners(r.Context(), pf); err == nil {
		for _, pt := range partners.Items {
			f.Partners = append(f.Partners, theme.PreviewPartner{Slug: pt.Slug, Name: pt.Name})
		}
	}
	return f
}

// actionValues is what a form posted for the block or room type: every field
// but the portal's own, which start with "_" (the signed state).
func actionValues(form url.Values) url.Values {
	values := url.Values{}
	for k, vs := range form {
		if !strings.HasPrefix(k, "_") {
			values[k] = vs
		}
	}
	return values
}
