package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/room"
	"github.com/danielgtaylor/huma/v2"
)

func (a *API) registerBuilder() {
	for _, r := range []route{
		bind(op("get-room-draft", http.MethodGet, "/api/v1/rooms/{name}/draft",
			"A room's draft, or the published room as the start of one (version 0)", Staff, "Room builder"), a.getRoomDraft),
		bind(op("save-room-draft", http.MethodPut, "/api/v1/rooms/{name}/draft",
			"Save a room's draft (partners see nothing until it is published)", Staff, "Room builder"), a.saveRoomDraft),
		bind(noContent(op("discard-room-draft", http.MethodDelete, "/api/v1/rooms/{name}/draft",
			"Discard a room's draft (the published room stays)", Staff, "Room builder")), a.discardRoomDraft),
		bind(publishing(op("publish-room", http.MethodPost, "/api/v1/rooms/{name}/publish",
			"Publish a room's draft as a new revision", Staff, "Room builder")), a.publishRoom),
		bind(op("list-room-revisions", http.MethodGet, "/api/v1/rooms/{name}/revisions",
			"A room's published revisions, newest first", Staff, "Room builder"), a.listRoomRevisions),
		bind(op("get-room-revision", http.MethodGet, "/api/v1/rooms/{name}/revisions/{number}",
			"One revision of a room, with its document", Staff, "Room builder"), a.getRoomRevision),
		bind(op("diff-room", http.MethodGet, "/api/v1/rooms/{name}/diff",
			"Compare two states of a room as a unified diff of its room file", Staff, "Room builder"), a.diffRoom),
		bind(op("restore-room-revision", http.MethodPost, "/api/v1/rooms/{name}/revisions/{number}/restore",
			"Restore a revision as the draft, or publish it at once (a rollback; needs rooms.publish)", Staff, "Room builder"), a.restoreRoomRevision),
		bind(accepted(op("request-room-review", http.MethodPost, "/api/v1/rooms/{name}/review",
			"Ask everyone who may publish to review the room's draft", Staff, "Room builder")), a.requestRoomReview),
	} {
		r(a.huma)
	}
}

// The room builder's operations: a room's draft, its publishing and its
// history. Every manager edits drafts and asks for reviews; publishing,
// rolling back and deleting change what partners see, and need the
// rooms.publish permission (admins hold it by their role).

type draftBody struct {
	Body room.Draft
}

// SaveDraftRequest is a room's whole new document and the state the
// editor started from.
type SaveDraftRequest struct {
	Room room.Room `json:"room"`
	Base room.Base `json:"base" doc:"The draftVersion and revision of the draft as loaded (GET .../draft); a save from an older state is refused with 409."`
}

// PublishRequest publishes a room's draft.
type PublishRequest struct {
	Message string    `json:"message,omitempty" maxLength:"500" doc:"Why, for the room's history."`
	Base    room.Base `json:"base" doc:"The draftVersion and revision of the draft being published."`
}

// RestoreRequest brings an old revision back.
type RestoreRequest struct {
	Publish bool      `json:"publish,omitempty" doc:"Publish it at once as a new revision (a rollback); otherwise it becomes the draft."`
	Message string    `json:"message,omitempty" maxLength:"500"`
	Base    room.Base `json:"base" doc:"The room's current draftVersion (0 without a draft) and published revision."`
}

// RestoreResult is the draft a restore saved, or the revision it published.
type RestoreResult struct {
	Draft    *room.Draft    `json:"draft,omitempty"`
	Revision *room.Revision `json:"revision,omitempty"`
}

// ReviewRequest asks the people who may publish to review a draft.
type ReviewRequest struct {
	Note string `json:"note,omitempty" maxLength:"500"`
}

// Diff is a unified diff of two states of a room's room-file text.
type Diff struct {
	From string `json:"from"`
	To   string `json:"to"`
	// Diff is "" when the two are the same.
	Diff string `json:"diff"`
}

type revisionPath struct {
	Name   string `path:"name" doc:"The room's name."`
	Number int64  `path:"number" minimum:"1" doc:"The revision number."`
}

// actor is the caller as a room's history records them.
func actor(ctx context.Context) room.Actor {
	p := caller(ctx)
	return room.Actor{UserID: p.User.ID, Name: p.User.Name}
}

// mayPublish refuses callers without the rooms.publish permission, for an
// operation that publishes only sometimes (a restore with publish). They
// may know the room exists (they edit its draft), so the answer is 403.
func (a *API) mayPublish(ctx context.Context) error {
	if a.can(ctx, directory.PermPublishRooms) {
		return nil
	}
	return huma.Error403Forbidden(permissionMessage(directory.PermPublishRooms))
}

// permissionMessage says what a missing permission stops, and what to do.
func permissionMessage(perm string) string {
	if perm == directory.PermPublishRooms {
		return "Publishing and deleting rooms needs the rooms.publish permission. Save a draft and request a review, or ask an admin for the permission."
	}
	return "This needs the " + perm + " permission; ask an admin."
}

// publishing marks an operation that changes what partners see.
func publishing(o huma.Operation) huma.Operation { return needs(o, directory.PermPublishRooms) }

// roomProblem is problem for one room's document at loc ("body.room"), so
// validation problems point into the request.
func (a *API) roomProblem(err error, loc string) error {
	var ve *room.ValidationError
	if !asValidation(err, &ve) {
		return a.problem(err)
	}
	details := make([]error, 0, len(ve.Problems))
	for _, p := range ve.Problems {
		l := loc
		if p.Path != "" {
			l += "." + p.Path
		}
		details = append(details, &huma.ErrorDetail{Location: l, Message: p.Message})
	}
	return huma.Error422UnprocessableEntity("The room is not valid; nothing was saved.", details...)
}

// ifRevision reads an optional revision number from a query parameter.
func ifRevision(s string) (int64, bool, error) {
	if s == "" {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, false, huma.Error422UnprocessableEntity("ifRevision must be a revision number.",
			&huma.ErrorDetail{Location: "query.ifRevision", Message: "must be a number, 0 or more", Value: s})
	}
	return n, true, nil
}

func (a *API) getRoomDraft(ctx context.Context, in *roomName) (*draftBody, error) {
	d, err := a.Rooms.Draft(ctx, in.Name)
	if err != nil {
		return nil, a.problem(err)
	}
	return &draftBody{d}, nil
}

type saveRoomDraftInput struct {
	Name string `path:"name" doc:"The room's name; a new name starts a room that exists only as a draft."`
	Body SaveDraftRequest
}

func (a *API) saveRoomDraft(ctx context.Context, in *saveRoomDraftInput) (*draftBody, error) {
	d, err := a.Rooms.SaveDraft(ctx, actor(ctx), in.Name, in.Body.Room, in.Body.Base)
	if err != nil {
		return nil, a.roomProblem(err, "body.room")
	}
	return &draftBody{d}, nil
}

type discardRoomDraftInput struct {
	Name    string `path:"name"`
	Version int64  `query:"version" required:"true" doc:"The draft version being discarded."`
}

func (a *API) discardRoomDraft(ctx context.Context, in *discardRoomDraftInput) (*struct{}, error) {
	if err := a.Rooms.Discard(ctx, actor(ctx), in.Name, in.Version); err != nil {
		return nil, a.problem(err)
	}
	return nil, nil
}

type publishRoomInput struct {
	Name string `path:"name"`
	Body PublishRequest
}

func (a *API) publishRoom(ctx context.Context, in *publishRoomInput) (*body[room.Revision], error) {
	rev, err := a.Rooms.Publish(ctx, actor(ctx), in.Name, in.Body.Message, in.Body.Base)
	if err != nil {
		return nil, a.roomProblem(err, "body")
	}
	a.Catalog.Refresh(ctx)
	return &body[room.Revision]{rev}, nil
}

func (a *API) listRoomRevisions(ctx context.Context, in *roomName) (*body[[]room.Revision], error) {
	revs, err := a.Rooms.History(ctx, in.Name)
	if err != nil {
		return nil, a.problem(err)
	}
	if revs == nil {
		revs = []room.Revision{}
	}
	return &body[[]room.Revision]{revs}, nil
}

func (a *API) getRoomRevision(ctx context.Context, in *revisionPath) (*body[room.Revision], error) {
	rev, err := a.Rooms.Revision(ctx, in.Name, in.Number)
	if err != nil {
		return nil, a.problem(err)
	}
	return &body[room.Revision]{rev}, nil
}

type diffRoomInput struct {
	Name string `path:"name"`
	From string `query:"from" default:"published" doc:"A revision number, published or draft."`
	To   string `query:"to" default:"draft" doc:"A revision number, published or draft."`
}

func (a *API) diffRoom(ctx context.Context, in *diffRoomInput) (*body[Diff], error) {
	d, err := a.Rooms.Diff(ctx, in.Name, in.From, in.To)
	if err != nil {
		return nil, a.roomProblem(err, "query")
	}
	return &body[Diff]{Diff{From: in.From, To: in.To, Diff: d}}, nil
}

type restoreRoomRevisionInput struct {
	Name   string `path:"name" doc:"The room's name."`
	Number int64  `path:"number" minimum:"1" doc:"The revision to bring back."`
	Body   RestoreRequest
}

func (a *API) restoreRoomRevision(ctx context.Context, in *restoreRoomRevisionInput) (*body[RestoreResult], error) {
	if in.Body.Publish {
		if err := a.mayPublish(ctx); err != nil {
			return nil, err
		}
		rev, err := a.Rooms.Rollback(ctx, actor(ctx), in.Name, in.Number, in.Body.Message, in.Body.Base)
		if err != nil {
			return nil, a.roomProblem(err, "body")
		}
		a.Catalog.Refresh(ctx)
		return &body[RestoreResult]{RestoreResult{Revision: &rev}}, nil
	}
	d, err := a.Rooms.Restore(ctx, actor(ctx), in.Name, in.Number, in.Body.Base)
	if err != nil {
		return nil, a.roomProblem(err, "body")
	}
	return &body[RestoreResult]{RestoreResult{Draft: &d}}, nil
}

type requestRoomReviewInput struct {
	Name string `path:"name"`
	Body ReviewRequest
}

func (a *API) requestRoomReview(ctx context.Context, in *requestRoomReviewInput) (*struct{}, error) {
	if err := a.Rooms.RequestReview(ctx, actor(ctx), in.Name, in.Body.Note); err != nil {
		return nil, a.problem(err)
	}
	return nil, nil
}
