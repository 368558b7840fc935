package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/room"
)

// Publishing, history and deletion in the room builder. Publishing,
// rolling back and deleting change what partners see and need the
// rooms.publish permission; everyone else asks for a review.

// RoomHistory is a room's revisions, with the form that compares two.
type RoomHistory struct {
	Name, Title string
	Revisions   []room.Revision
	HasDraft    bool
	Published   bool
	Base        room.Base
	CanPublish  bool
	// Current is the revision published now (0 when none); From is the
	// revision the compare form starts from: the one before it, when
	// there is no draft to compare with what is published.
	Current, From int64
}

// RoomDiff is two states of a room compared as their room files.
type RoomDiff struct {
	Name, Title string
	From, To    string
	Refs        []string // what may be compared: draft, published, revision numbers
	Lines       []DiffLine
	Same        bool
}

// DiffLine is one line of a unified diff: Kind is add, del, hunk, file or
// context.
type DiffLine struct {
	Kind, Text string
}

// DeleteRoomPage confirms deleting a room.
type DeleteRoomPage struct {
	Name, Title string
	Blocks      int
	Published   bool
	HasDraft    bool
	Revisions   int
}

// mayPublish refuses, with 403, someone who may not publish rooms.
func (s *Server) mayPublish(w http.ResponseWriter, r *http.Request) bool {
	if s.can(r, directory.PermPublishRooms) {
		return true
	}
	s.errorPage(w, r, http.StatusForbidden, tr(r, "builder.forbidden.title"), tr(r, "builder.forbidden.text"))
	return false
}

// refused shows why a builder change was refused: the editor with the
// stale notice, or the error page.
func (s *Server) refused(w http.ResponseWriter, r *http.Request, name string, base room.Base, err error) {
	var stale *room.StaleError
	if errors.As(err, &stale) {
		s.editor(w, r, http.StatusConflict, name, editorState{stale: stale, base: &base})
		return
	}
	var ve *room.ValidationError
	if errors.As(err, &ve) {
		s.editor(w, r, http.StatusUnprocessableEntity, name, editorState{problems: ve.Problems, base: &base})
		return
	}
	s.fail(w, r, err)
}

// publishRoom publishes the draft as a new revision.
func (s *Server) publishRoom(w http.ResponseWriter, r *http.Request) {
	if !s.mayPublish(w, r) || !s.readBuilderForm(w, r) {
		return
	}
	name, base := r.PathValue("name"), formBase(r.PostForm)
	rev, err := s.Rooms.Publish(r.Context(), s.actor(r), name, strings.TrimSpace(r.PostForm.Get("message")), base)
	if err != nil {
		s.refused(w, r, name, base, err)
		return
	}
	s.catalog.Refresh(r.Context())
	s.setNotice(w, r, "success", "room-published", strconv.FormatInt(rev.Number, 10))
	http.Redirect(w, r, roomURL(name, "edit"), http.StatusSeeOther)
}

// requestReview asks the people who may publish to review the draft.
func (s *Server) requestReview(w http.ResponseWriter, r *http.Request) {
	if !s.readBuilderForm(w, r) {
		return
	}
	name := r.PathValue("name")
	if err := s.Rooms.RequestReview(r.Context(), s.actor(r), name, strings.TrimSpace(r.PostForm.Get("note"))); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setNotice(w, r, "success", "room-review-requested")
	http.Redirect(w, r, roomURL(name, "edit"), http.StatusSeeOther)
}

// discardDraft throws the draft away; the published room stays.
func (s *Server) discardDraft(w http.ResponseWriter, r *http.Request) {
	if !s.readBuilderForm(w, r) {
		return
	}
	name, base := r.PathValue("name"), formBase(r.PostForm)
	d, err := s.Rooms.Draft(r.Context(), name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Rooms.Discard(r.Context(), s.actor(r), name, base.DraftVersion); err != nil {
		s.refused(w, r, name, base, err)
		return
	}
	if !d.Published {
		s.setNotice(w, r, "success", "room-draft-only-discarded", d.Room.Title)
		http.Redirect(w, r, "/admin/rooms", http.StatusSeeOther)
		return
	}
	s.setNotice(w, r, "success", "room-draft-discarded")
	http.Redirect(w, r, roomURL(name, "edit"), http.StatusSeeOther)
}

// roomHistory lists the room's revisions.
func (s *Server) roomHistory(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	d, err := s.Rooms.Draft(r.Context(), name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	revs, err := s.Rooms.History(r.Context(), name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := RoomHistory{Name: name, Title: d.Room.Title, Revisions: revs, HasDraft: d.Version > 0, Published: d.Published,
		Base: room.Base{DraftVersion: d.Version}, CanPublish: s.can(r, directory.PermPublishRooms)}
	if d.Published && len(revs) > 0 {
		h.Current = revs[0].Number
		h.Base.Revision = revs[0].Number
	}
	if !h.HasDraft && len(revs) > 1 {
		h.From = revs[1].Number
	}
	s.page(w, r, http.StatusOK, "admin-room-history", tr(r, "builder.history.title", "Title", d.Room.Title), h)
}

// roomDiff compares two states of the room (?from=&to=: revision numbers,
// published or draft) as a unified diff of their room files.
func (s *Server) roomDiff(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	q := r.URL.Query()
	from, to := pick(q.Get("from"), "published"), pick(q.Get("to"), "draft")
	d, err := s.Rooms.Draft(r.Context(), name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	text, err := s.Rooms.Diff(r.Context(), name, from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := RoomDiff{Name: name, Title: d.Room.Title, From: from, To: to, Refs: []string{"draft", "published"}, Same: text == ""}
	if revs, err := s.Rooms.History(r.Context(), name); err == nil {
		for _, rev := range revs {
			pg.Refs = append(pg.Refs, strconv.FormatInt(rev.Number, 10))
		}
	}
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if text == "" {
			break
		}
		kind := "context"
		switch {
		case strings.HasPrefix(line, "+++"), strings.HasPrefix(line, "---"):
			kind = "file"
		case strings.HasPrefix(line, "@@"):
			kind = "hunk"
		case strings.HasPrefix(line, "+"):
			kind, line = "add", line[1:]
		case strings.HasPrefix(line, "-"):
			kind, line = "del", line[1:]
		case strings.HasPrefix(line, " "):
			line = line[1:]
		}
		pg.Lines = append(pg.Lines, DiffLine{Kind: kind, Text: line})
	}
	s.page(w, r, http.StatusOK, "admin-room-diff", tr(r, "builder.diff.title", "Title", d.Room.Title), pg)
}

func (s *Server) revisionNumber(w http.ResponseWriter, r *http.Request) (int64, bool) {
	n, err := strconv.ParseInt(r.PathValue("number"), 10, 64)
	if err != nil || n < 1 {
		s.notFound(w, r)
		return 0, false
	}
	return n, true
}

// restoreRevision makes an old revision the draft.
func (s *Server) restoreRevision(w http.ResponseWriter, r *http.Request) {
	n, ok := s.revisionNumber(w, r)
	if !ok || !s.readBuilderForm(w, r) {
		return
	}
	name, base := r.PathValue("name"), formBase(r.PostForm)
	if _, err := s.Rooms.Restore(r.Context(), s.actor(r), name, n, base); err != nil {
		s.refused(w, r, name, base, err)
		return
	}
	s.setNotice(w, r, "success", "room-restored", strconv.FormatInt(n, 10))
	http.Redirect(w, r, roomURL(name, "edit"), http.StatusSeeOther)
}

// rollbackRevision publishes an old revision at once, as a new one.
func (s *Server) rollbackRevision(w http.ResponseWriter, r *http.Request) {
	n, ok := s.revisionNumber(w, r)
	if !ok || !s.mayPublish(w, r) || !s.readBuilderForm(w, r) {
		return
	}
	name, base := r.PathValue("name"), formBase(r.PostForm)
	rev, err := s.Rooms.Rollback(r.Context(), s.actor(r), name, n, strings.TrimSpace(r.PostForm.Get("message")), base)
	if err != nil {
		s.refused(w, r, name, base, err)
		return
	}
	s.catalog.Refresh(r.Context())
	s.setNotice(w, r, "success", "room-rolled-back", strconv.FormatInt(n, 10), strconv.FormatInt(rev.Number, 10))
	http.Redirect(w, r, roomURL(name, "history"), http.StatusSeeOther)
}

// deleteRoomPage says what deleting the room removes, and asks.
func (s *Server) deleteRoomPage(w http.ResponseWriter, r *http.Request) {
	if !s.mayPublish(w, r) {
		return
	}
	name := r.PathValue("name")
	d, err := s.Rooms.Draft(r.Context(), name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	revs, _ := s.Rooms.History(r.Context(), name)
	s.page(w, r, http.StatusOK, "admin-room-delete", tr(r, "builder.delete.title", "Title", d.Room.Title), DeleteRoomPage{Name: name, Title: d.Room.Title,
		Blocks: len(d.Room.Blocks), Published: d.Published, HasDraft: d.Version > 0, Revisions: len(revs)})
}

// deleteRoom removes the room and its draft.
func (s *Server) deleteRoom(w http.ResponseWriter, r *http.Request) {
	if !s.mayPublish(w, r) {
		return
	}
	name := r.PathValue("name")
	d, err := s.Rooms.Draft(r.Context(), name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.Rooms.Delete(r.Context(), name); err != nil {
		s.fail(w, r, err)
		return
	}
	s.catalog.Refresh(r.Context())
	s.setNotice(w, r, "success", "room-deleted", d.Room.Title)
	http.Redirect(w, r, "/admin/rooms", http.StatusSeeOther)
}

// NavigationPage orders the rooms one partner type sees.
type NavigationPage struct {
	Type  string
	Types []string
	Rooms []NavRoom
}

// NavRoom is one room in the navigation being ordered.
type NavRoom struct {
	Name, Title, Icon string
	Position          int
	Draft             bool // the room has draft changes: its new place goes into the draft
	First, Last       bool
}

// navigation shows the rooms of one partner type in navigation order.
func (s *Server) navigation(w http.ResponseWriter, r *http.Request) {
	snap := s.catalog.Current()
	typ := pick(r.URL.Query().Get("type"), first(snap.Program.PartnerTypes))
	if !slices.Contains(snap.Program.PartnerTypes, typ) {
		s.notFound(w, r)
		return
	}
	statuses, err := s.Rooms.Statuses(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := NavigationPage{Type: typ, Types: snap.Program.PartnerTypes}
	for _, st := range statuses {
		if !slices.Contains(st.PartnerTypes, typ) || st.State == room.StateDraftOnly {
			continue
		}
		rm, ok := snap.ByName(st.Name)
		if !ok {
			continue
		}
		pg.Rooms = append(pg.Rooms, NavRoom{Name: st.Name, Title: rm.Title, Icon: rm.Icon, Position: rm.Position, Draft: st.State == room.StateDraft})
	}
	slices.SortStableFunc(pg.Rooms, func(a, b NavRoom) int { return a.Position - b.Position })
	for i := range pg.Rooms {
		pg.Rooms[i].First, pg.Rooms[i].Last = i == 0, i == len(pg.Rooms)-1
	}
	s.page(w, r, http.StatusOK, "admin-room-navigation", tr(r, "builder.nav.title", "Type", typ), pg)
}

// moveInNavigation swaps a room with its neighbour in one partner type's
// navigation. The two rooms' positions are published as revisions of
// each (by someone who may publish); a room with a pending draft gets the
// new position in the draft too, so publishing it keeps the order.
func (s *Server) moveInNavigation(w http.ResponseWriter, r *http.Request) {
	if !s.mayPublish(w, r) || !s.readBuilderForm(w, r) {
		return
	}
	snap := s.catalog.Current()
	f := r.PostForm
	typ, name := f.Get("type"), f.Get("room")
	var rooms []NavRoom
	for _, rm := range snap.Rooms {
		if rm.Serves(typ) {
			rooms = append(rooms, NavRoom{Name: rm.Name, Position: rm.Position})
		}
	}
	slices.SortStableFunc(rooms, func(a, b NavRoom) int { return a.Position - b.Position })
	back := "/admin/rooms/navigation?type=" + url.QueryEscape(typ)
	i := slices.IndexFunc(rooms, func(n NavRoom) bool { return n.Name == name })
	j := i - 1
	if f.Get("direction") == "down" {
		j = i + 1
	}
	if i < 0 || j < 0 || j >= len(rooms) {
		// Nothing to move: the room left the navigation meanwhile, or is
		// at its end already.
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	a, b := rooms[i], rooms[j]
	pa, pb := b.Position, a.Position
	if pa == pb { // equal positions order by name: make them differ
		if j < i {
			pa--
		} else {
			pa++
		}
	}
	for _, mv := range []struct {
		name string
		pos  int
	}{{a.Name, pa}, {b.Name, pb}} {
		if err := s.placeRoom(r, mv.name, mv.pos); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.catalog.Refresh(r.Context())
	s.setNotice(w, r, "success", "room-navigation-saved")
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// placeRoom moves a room to a new position: a room without a draft is
// published there at once (from the revision seen now, so a change made
// meanwhile is not overwritten); a room with a draft gets the position in
// its draft, and takes it when the draft is published.
func (s *Server) placeRoom(r *http.Request, name string, pos int) error {
	ctx := r.Context()
	d, err := s.Rooms.Draft(ctx, name)
	if err != nil {
		return err
	}
	d.Room.Position = pos
	if d.Version > 0 {
		_, err := s.Rooms.SaveDraft(ctx, s.actor(r), name, d.Room, d.Base())
		return err
	}
	opts := room.ApplyOptions{Actor: s.actor(r), Message: "Navigation order"}
	if d.BaseRevision > 0 {
		opts.Bases = map[string]int64{name: d.BaseRevision}
	}
	_, err = s.Rooms.Apply(ctx, []room.Room{d.Room}, opts)
	return err
}
