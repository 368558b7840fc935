package api

import (
	"context"
	"net/http"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/roomtemplate"
)

// The room templates: the built-in ones, the program's own (rooms admins
// saved as templates) and those plugins offer. Partner managers start rooms
// from them as drafts; admins keep rooms as templates and remove them.
func (a *API) registerTemplates() {
	if a.Templates == nil {
		return
	}
	for _, r := range []route{
		bind(op("list-room-templates", http.MethodGet, "/api/v1/room-templates", "Every room template: built-in, the program's own and plugins'", Staff, "Room builder"), a.listRoomTemplates),
		bind(created(op("start-room-from-template", http.MethodPost, "/api/v1/room-templates/start", "Start a new room's draft from a template", Staff, "Room builder")), a.startRoomFromTemplate),
		bind(created(op("save-room-template", http.MethodPost, "/api/v1/room-templates", "Keep a room as one of the program's templates (admins)", Admin, "Room builder")), a.saveRoomTemplate),
		bind(noContent(op("delete-room-template", http.MethodDelete, "/api/v1/room-templates/{name}", "Remove one of the program's templates (admins; rooms made from it stay)", Admin, "Room builder")), a.deleteRoomTemplate),
	} {
		r(a.huma)
	}
}

// RoomTemplate is a template as the API lists it: what it is, and the room
// a draft made from it starts with.
type RoomTemplate struct {
	Name        string    `json:"name"`
	Origin      string    `json:"origin" doc:"built-in, program, or the id of the plugin that offers it"`
	Title       string    `json:"title"`
	Description string    `json:"description,omitempty"`
	Icon        string    `json:"icon,omitempty"`
	Room        room.Room `json:"room"`
}

func roomTemplate(t roomtemplate.Template) RoomTemplate {
	return RoomTemplate{Name: t.Name, Origin: t.Origin, Title: t.Title, Description: t.Description, Icon: t.Icon, Room: t.Room}
}

func (a *API) listRoomTemplates(ctx context.Context, _ *struct{}) (*body[[]RoomTemplate], error) {
	ts, err := a.Templates.List(ctx)
	out := make([]RoomTemplate, len(ts))
	for i, t := range ts {
		out[i] = roomTemplate(t)
	}
	return wrapBody(out, err, a)
}

// StartRequest names the template and the new room.
type StartRequest struct {
	Template     string   `json:"template" doc:"The template's name, as listed."`
	Slug         string   `json:"slug" doc:"The new room's slug (and name)."`
	Title        string   `json:"title,omitempty" doc:"The new room's title; the template's when empty."`
	PartnerTypes []string `json:"partnerTypes" doc:"The partner types the room serves."`
}

type startInput struct{ Body StartRequest }

// startRoomFromTemplate saves a draft of a new room made from a template.
// It is checked like any draft: a template whose blocks no longer validate
// (a plugin removed, a schema changed) is refused with each problem at its
// path, and nothing is saved.
func (a *API) startRoomFromTemplate(ctx context.Context, in *startInput) (*draftBody, error) {
	t, err := a.Templates.Get(ctx, in.Body.Template)
	if err != nil {
		return nil, a.problem(err)
	}
	r := roomtemplate.Instantiate(t, in.Body.Slug, in.Body.Title, in.Body.PartnerTypes)
	if _, err := a.Rooms.Get(ctx, r.Key()); err == nil {
		return nil, a.problem(fail.New(fail.Conflict, "A room named %q exists; choose another slug.", r.Key()))
	}
	d, err := a.Rooms.SaveDraft(ctx, actor(ctx), r.Key(), r, room.Base{})
	if err != nil {
		return nil, a.roomProblem(err, "body")
	}
	return &draftBody{d}, nil
}

// SaveTemplateRequest names the room to keep and the template's name.
type SaveTemplateRequest struct {
	Room string `json:"room" doc:"The room whose published state (or draft, when it has only a draft) becomes the template."`
	roomtemplate.SaveInput
}

type saveTemplateInput struct{ Body SaveTemplateRequest }

func (a *API) saveRoomTemplate(ctx context.Context, in *saveTemplateInput) (*body[RoomTemplate], error) {
	d, err := a.Rooms.Draft(ctx, in.Body.Room)
	if err != nil {
		return nil, a.problem(err)
	}
	save := in.Body.SaveInput
	save.Room = d.Room
	t, err := a.Templates.Save(ctx, caller(ctx).User.Name, save)
	return wrapBody(roomTemplate(t), err, a)
}

type templateName struct {
	Name string `path:"name"`
}

func (a *API) deleteRoomTemplate(ctx context.Context, in *templateName) (*struct{}, error) {
	if err := a.Templates.Delete(ctx, in.Name); err != nil {
		return nil, a.problem(err)
	}
	return nil, nil
}
