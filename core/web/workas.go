package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/atriumhq/atrium/core/audience"
	"github.com/atriumhq/atrium/core/catalog"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/render"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/theme"
	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/ui"
)

// Staff open a content room (resources, brand, shared files) as one of
// their partners sees it, at /admin/work/{type}/as/{partner}: the partner's
// own room of that type, its blocks and item pages drawn for a preview
// viewer of that partner, so audiences, the partner's shared space and
// everything else apply exactly as for the partner. Like a room preview it
// is read-only: staff act from their own side, never as the partner.

// asPartner resolves the {partner} of a "view as" request to a preview
// viewer, or answers 404 when the staff member does not manage the partner.
func (s *Server) asPartner(w http.ResponseWriter, r *http.Request, t StaffRoomType) (sdk.Viewer, sdk.RoomRef, *theme.PreviewInfo, bool) {
	if !t.ViewAs {
		s.notFound(w, r)
		return sdk.Viewer{}, sdk.RoomRef{}, nil, false
	}
	p := principal(r)
	// {partner} is a slug, or an id (the staff pages of a space know the id).
	var pt directory.Partner
	var err error
	if id, perr := strconv.ParseInt(r.PathValue("partner"), 10, 64); perr == nil {
		pt, err = s.Dir.Partner(r.Context(), id)
	} else {
		pt, err = s.Dir.PartnerBySlug(r.Context(), r.PathValue("partner"))
	}
	if err != nil || !s.manages(r, pt.ID) {
		s.notFound(w, r)
		return sdk.Viewer{}, sdk.RoomRef{}, nil, false
	}
	v := sdk.Viewer{UserID: p.User.ID, Name: "Preview", Role: sdk.RolePartnerUser, Preview: true, Partner: pt.SDK()}
	base := "/admin/work/" + url.PathEscape(t.Name)
	ref := sdk.RoomRef{Slug: t.Name, Title: t.Title, Type: t.Name, Path: base + "/as/" + url.PathEscape(pt.Slug)}
	info := &theme.PreviewInfo{Audience: fmt.Sprintf("%s (%s, %s, %s)", pt.Name, pt.Type, pt.Tier, pt.Stage), ExitURL: base}
	return v, ref, info, true
}

// partnerRoom finds the room of type typ that v's partner sees, if any.
func partnerRoom(snap *catalog.Snapshot, typ string, v sdk.Viewer) (*room.Room, bool) {
	for _, rm := range snap.Rooms {
		if rm.Type == typ && rm.Serves(v.Partner.Type) && audience.Admits(rm.Audience, v, snap.Program) {
			return rm, true
		}
	}
	return nil, false
}

// workRoomAs shows a content room as a partner sees it.
func (s *Server) workRoomAs(w http.ResponseWriter, r *http.Request) {
	t, _, ok := s.workType(w, r)
	if !ok {
		return
	}
	v, ref, info, ok := s.asPartner(w, r, t)
	if !ok {
		return
	}
	snap := s.catalog.Current()
	rm, seen := partnerRoom(snap, t.Name, v)
	if !seen {
		// The partner has no such room: show what it would hold, and say so.
		info.Hidden = true
		rm = &room.Room{Slug: t.Name, Name: "work-" + t.Name, Title: t.Title, Type: t.Name, Icon: t.Icon}
	}
	ref.Title = rm.Title
	content := theme.RoomPage{Slug: t.Name, Title: rm.Title, Icon: t.Icon}
	for _, res := range s.Renderer.RoomAt(r.Context(), rm, v, snap.Program, ref.Path) {
		content.Blocks = append(content.Blocks, s.drawWork(r, ref, v, res, nil))
	}
	s.render(w, r, http.StatusOK, "room", rm.Title+" (as "+v.Partner.Name+")", content, nil, info)
}

// workItemAs shows a content room's item page as a partner sees it.
func (s *Server) workItemAs(w http.ResponseWriter, r *http.Request) {
	t, _, ok := s.workType(w, r)
	if !ok {
		return
	}
	v, ref, info, ok := s.asPartner(w, r, t)
	if !ok {
		return
	}
	if _, seen := partnerRoom(s.catalog.Current(), t.Name, v); !seen {
		info.Hidden = true
	}
	s.drawWorkItem(w, r, http.StatusOK, t, ref, v, r.PathValue("path"), r.URL.Query(), nil, info)
}

// viewAsBlock lists the partners a staff member may look through, on the
// staff side of a content room.
func (s *Server) viewAsBlock(r *http.Request, t StaffRoomType) (theme.RenderedBlock, bool) {
	p := principal(r)
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	f := directory.PartnerFilter{Page: max(page, 1), PerPage: viewAsPerPage}
	f.Within = s.managedPartnerIDs(r) // nil for an admin: every partner
	partners, err := s.Dir.ListPartners(r.Context(), f)
	if err != nil || len(partners.Items) == 0 {
		return theme.RenderedBlock{}, false
	}
	base := "/admin/work/" + url.PathEscape(t.Name)
	list := ui.List{}
	for _, pt := range partners.Items {
		list.Items = append(list.Items, ui.ListItem{Title: pt.Name, Description: fmt.Sprintf("%s · %s · %s", pt.Type, pt.Tier, pt.Stage),
			Href: "/admin/work/" + url.PathEscape(t.Name) + "/as/" + url.PathEscape(pt.Slug), Icon: "eye"})
	}
	if partners.Page > 1 {
		list.Items = append(list.Items, ui.ListItem{Title: tr(r, "admin.work.previous-partners"), Href: fmt.Sprintf("%s?page=%d", base, partners.Page-1), Icon: "arrow-left"})
	}
	if partners.Page*partners.PerPage < partners.Total {
		list.Items = append(list.Items, ui.ListItem{Title: tr(r, "admin.work.more-partners"), Href: fmt.Sprintf("%s?page=%d", base, partners.Page+1), Icon: "arrow-right"})
	}
	lead := tr(r, "admin.work.as-your-partner")
	if p.IsAdmin() {
		lead = tr(r, "admin.work.as-a-partner")
	}
	tree := ui.Card{Title: tr(r, "admin.work.see-as-partner"), Body: ui.Children{ui.Text{Text: lead}, list}}
	return s.drawWork(r, sdk.RoomRef{Path: base}, p.Viewer(), render.Result{ID: "view-as", Type: t.Name, Tree: tree}, nil), true
}

// viewAsPerPage is how many partners the "see it as a partner" list shows
// at once.
const viewAsPerPage = 25
