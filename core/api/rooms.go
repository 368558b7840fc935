package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/core/room"
	"github.com/danielgtaylor/huma/v2"
)

func (a *API) registerRooms() {
	for _, r := range []route{
		bind(op("list-rooms", http.MethodGet, "/api/v1/rooms", "Every room, in navigation order", Staff, "Rooms"), a.listRooms),
		bind(op("get-room", http.MethodGet, "/api/v1/rooms/{name}", "One room", Staff, "Rooms"), a.getRoom),
		bind(created(publishing(op("create-room", http.MethodPost, "/api/v1/rooms", "Create a room", Staff, "Rooms"))), a.createRoom),
		bind(publishing(op("put-room", http.MethodPut, "/api/v1/rooms/{name}", "Create or replace a room", Staff, "Rooms")), a.putRoom),
		bind(noContent(publishing(op("delete-room", http.MethodDelete, "/api/v1/rooms/{name}", "Delete a room and its draft (its history stays)", Staff, "Rooms"))), a.deleteRoom),
		bind(publishing(op("apply-rooms", http.MethodPost, "/api/v1/rooms/apply", "Apply a set of rooms (idempotent; all or nothing)", Staff, "Rooms")), a.applyRooms),
		bind(op("list-block-types", http.MethodGet, "/api/v1/block-types", "Block types and their config schemas", Staff, "Rooms"), a.listBlockTypes),
	} {
		r(a.huma)
	}
}

type roomName struct {
	Name string `path:"name" doc:"The room's name (its slug unless the room file names it)."`
}

type roomBody struct {
	Body room.Room
}

type roomsBody struct {
	Body []room.Room
}

// ApplyRequest applies a set of rooms, and optionally the program, at once.
type ApplyRequest struct {
	Rooms   []room.Room      `json:"rooms"`
	Program *program.Program `json:"program,omitempty" doc:"Saved first, in the same transaction."`
	Prune   bool             `json:"prune,omitempty" doc:"Delete rooms that are not in this set."`
	DryRun  bool             `json:"dryRun,omitempty" doc:"Validate and report without changing anything."`
	// IfRevisions makes the apply safe against concurrent editors.
	IfRevisions map[string]int64 `json:"ifRevisions,omitempty" doc:"The published revision each room was read at, by room name. A room that would change although it moved on since, or has a draft in the builder, is refused with 409 (unless force)."`
	Force       bool             `json:"force,omitempty" doc:"Apply even where ifRevisions is stale."`
	Message     string           `json:"message,omitempty" maxLength:"500" doc:"Recorded with every revision the apply makes."`
}

type resultBody struct {
	Body room.Result
}

// BlockType describes a block type partner managers can place in rooms.
type BlockType struct {
	Name          string `json:"name"`
	Title         string `json:"title"`
	Description   string `json:"description,omitempty"`
	Icon          string `json:"icon,omitempty"`
	SchemaVersion int    `json:"schemaVersion"`
	ConfigSchema  any    `json:"configSchema,omitempty"`
	DefaultConfig any    `json:"defaultConfig,omitempty"`
	Plugin        string `json:"plugin"`
}

func asValidation(err error, ve **room.ValidationError) bool { return errors.As(err, ve) }

func (a *API) saveRoom(ctx context.Context, r room.Room, opts room.ApplyOptions) (*roomBody, error) {
	if _, err := a.Rooms.Apply(ctx, []room.Room{r}, opts); err != nil {
		return nil, a.roomsProblem(err, true)
	}
	a.Catalog.Refresh(ctx)
	stored, err := a.Rooms.Get(ctx, r.Key())
	if err != nil {
		return nil, a.problem(err)
	}
	return &roomBody{stored}, nil
}

func blockType(b *registry.Block) BlockType {
	return BlockType{Name: b.Info.Name, Title: b.Info.Title, Description: b.Info.Description, Icon: b.Info.Icon,
		SchemaVersion: b.Info.SchemaVersion, ConfigSchema: rawJSON(b.Info.ConfigSchema), DefaultConfig: rawJSON(b.Info.DefaultConfig), Plugin: b.Plugin}
}

func (a *API) listRooms(ctx context.Context, _ *struct{}) (*roomsBody, error) {
	rooms, err := a.Rooms.List(ctx)
	if err != nil {
		return nil, a.problem(err)
	}
	if rooms == nil {
		rooms = []room.Room{}
	}
	return &roomsBody{rooms}, nil
}

func (a *API) getRoom(ctx context.Context, in *roomName) (*roomBody, error) {
	r, err := a.Rooms.Get(ctx, in.Name)
	if err != nil {
		return nil, a.problem(err)
	}
	return &roomBody{r}, nil
}

func (a *API) createRoom(ctx context.Context, in *roomBody) (*roomBody, error) {
	if _, err := a.Rooms.Get(ctx, in.Body.Key()); err == nil {
		return nil, huma.Error409Conflict("A room named " + in.Body.Key() + " exists; use PUT to change it.")
	} else if fail.CodeOf(err) != fail.NotFound {
		return nil, a.problem(err)
	}
	return a.saveRoom(ctx, in.Body, room.ApplyOptions{Actor: actor(ctx)})
}

type putRoomInput struct {
	Name       string `path:"name" doc:"The room's name (its slug unless the room file names it)."`
	IfRevision string `query:"ifRevision" doc:"The published revision the room was read at (0: not published); a room that moved on since, or has a draft in the builder, is refused with 409."`
	Force      bool   `query:"force" doc:"Replace the room even where ifRevision is stale."`
	Body       room.Room
}

func (a *API) putRoom(ctx context.Context, in *putRoomInput) (*roomBody, error) {
	base, ok, err := ifRevision(in.IfRevision)
	if err != nil {
		return nil, err
	}
	opts := room.ApplyOptions{Actor: actor(ctx), Force: in.Force}
	if ok {
		opts.Bases = map[string]int64{in.Name: base}
	}
	if in.Body.Name == "" {
		in.Body.Name = in.Name
	}
	if in.Body.Key() != in.Name {
		return nil, huma.Error422UnprocessableEntity("The room's name in the body differs from the URL.",
			&huma.ErrorDetail{Location: "body.name", Message: "must be " + in.Name, Value: in.Body.Name})
	}
	return a.saveRoom(ctx, in.Body, opts)
}

func (a *API) deleteRoom(ctx context.Context, in *roomName) (*struct{}, error) {
	if _, err := a.Rooms.Delete(ctx, in.Name); err != nil {
		return nil, a.problem(err)
	}
	a.Catalog.Refresh(ctx)
	return nil, nil
}

type applyRoomsInput struct{ Body ApplyRequest }

func (a *API) applyRooms(ctx context.Context, in *applyRoomsInput) (*resultBody, error) {
	if in.Body.Program != nil && !caller(ctx).IsAdmin() {
		return nil, huma.Error403Forbidden("Only admins may change the program.")
	}
	res, err := a.Rooms.Apply(ctx, in.Body.Rooms, room.ApplyOptions{Program: in.Body.Program, Prune: in.Body.Prune, DryRun: in.Body.DryRun,
		Actor: actor(ctx), Message: in.Body.Message, Bases: in.Body.IfRevisions, Force: in.Body.Force})
	if err != nil {
		return nil, a.roomsProblem(err, false)
	}
	a.Catalog.Refresh(ctx)
	return &resultBody{res}, nil
}

func (a *API) listBlockTypes(ctx context.Context, _ *struct{}) (*body[[]BlockType], error) {
	out := []BlockType{}
	for _, b := range a.Registry.Blocks() {
		out = append(out, blockType(b))
	}
	return &body[[]BlockType]{out}, nil
}
