package web

import (
	"net/http"
	"strings"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/roomtemplate"
)

// SaveTemplatePage keeps a room as one of the program's templates (admins):
// its title, icon and blocks become a starting point on the new-room page.
type SaveTemplatePage struct {
	Room        string
	RoomTitle   string
	Blocks      int
	Name        string
	Title       string
	Description string
	// Errors are by field: the catalog's messages.
	Errors map[string]string
}

func (s *Server) saveTemplatePage(w http.ResponseWriter, r *http.Request) {
	d, err := s.Rooms.Draft(r.Context(), r.PathValue("name"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.page(w, r, http.StatusOK, "admin-room-template", tr(r, "builder.template.title", "Title", d.Room.Title), SaveTemplatePage{
		Room: r.PathValue("name"), RoomTitle: d.Room.Title, Blocks: len(d.Room.Blocks), Name: slugOf(d.Room.Title), Title: d.Room.Title})
}

// saveTemplate keeps the room's draft (or its published state) as a
// template, then shows the new-room page with it chosen.
func (s *Server) saveTemplate(w http.ResponseWriter, r *http.Request) {
	if !s.readBuilderForm(w, r) {
		return
	}
	d, err := s.Rooms.Draft(r.Context(), r.PathValue("name"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := r.PostForm
	in := roomtemplate.SaveInput{Name: strings.TrimSpace(f.Get("name")), Title: f.Get("title"), Description: f.Get("description"), Room: d.Room}
	t, err := s.Templates.Save(r.Context(), principal(r).User.Name, in)
	if e := failure(r, err); err != nil && e.Code == fail.Invalid {
		s.page(w, r, http.StatusUnprocessableEntity, "admin-room-template", tr(r, "builder.template.title", "Title", d.Room.Title), SaveTemplatePage{
			Room: r.PathValue("name"), RoomTitle: d.Room.Title, Blocks: len(d.Room.Blocks), Name: in.Name, Title: in.Title,
			Description: in.Description, Errors: e.Fields})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setNotice(w, r, "success", "room-template-saved", t.Title)
	http.Redirect(w, r, "/admin/rooms/new?mode=template&template="+t.Name, http.StatusSeeOther)
}
