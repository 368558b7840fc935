// Package projects is the Projects room (room type "projects"): customer
// projects a partner runs together with the vendor's team. Partners see
// their partner's projects with how each stands, open one to follow its
// timeline, work its tasks on a board, comment, and deliver files; staff
// see every project of the partners they reach, those needing attention
// first, with the workload per person, start projects for a partner,
// review deliverables and keep good projects as templates. It reaches the
// projects only through the host API (sdk/projects), as the viewer.
//
//	kind: Room
//	slug: projects
//	type: projects
//	partnerTypes: [implementation, reseller, referral]
//
// Pages inside the room:
//
//	items/all?status=&health=&attention=1&mine=1&partner=&q=&page=   the list
//	items/new                          start a project
//	items/<id>                         a project: header, timeline, milestones, members, review
//	items/<id>/edit                    change the project and its members
//	items/<id>/template                staff: save the project as a template
//	items/<id>/milestones/new          add a milestone
//	items/<id>/milestones/<mid>        change or delete a milestone
//	items/<id>/tasks?view=list&mine=1&late=1&milestone=<mid>   the board or list
//	items/<id>/tasks/new               add a task
//	items/<id>/tasks/<tid>             a task: checklist, comments, deliverables, history
//	items/<id>/tasks/<tid>/edit        change or delete a task
//
// Every page works without JavaScript: a task moves with a select and a
// button on its card.
package projects

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/projects"
	"github.com/atriumhq/atrium/sdk/ui"
)

// ID names the plugin.
const ID = "atrium/projects"

// Plugin returns the room type and its project list block.
func Plugin() sdk.Plugin {
	return sdk.Plugin{ID: ID, Blocks: []sdk.BlockType{listBlock{}}, Rooms: []sdk.RoomType{Room{}}}
}

// Room is the Projects room type. Its staff side is the same list over
// every partner the viewer reaches.
type Room struct{}

// Describe names the room type; every Projects room starts with the list.
func (Room) Describe() sdk.RoomInfo {
	return sdk.RoomInfo{Name: "projects", Title: "Projects", Icon: "rocket", OncePerPartnerType: true, StaffView: true,
		Description:   "Customer projects run with the vendor's team: timelines, tasks, deliverables and comments.",
		DefaultBlocks: []sdk.BlockSpec{{ID: "projects", Type: "project-list"}},
		// The list refreshes when any project the viewer sees changes; a
		// project's own pages follow its topic (see Topic).
		LiveTopics: []string{"projects"}}
}

// HandleAction serves the forms of the room's pages.
func (Room) HandleAction(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	return act(ctx, req)
}

// listBlock is the project list on the room's page.
type listBlock struct{}

func (listBlock) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "project-list", Title: "Project list", Icon: "rocket", SchemaVersion: 1,
		Description:  "The viewer's projects with status, health and progress; for staff, every project of the partners they reach.",
		ConfigSchema: json.RawMessage(`{"type":"object","additionalProperties":false}`)}
}

func (listBlock) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	q := listQuery{Page: 1}
	page, err := sp.ListProjects.Call(ctx, req.Host, q.projects())
	if err != nil {
		return nil, err
	}
	var load *sp.Workload
	if req.Viewer.Staff() {
		wl, err := sp.GetWorkload.Call(ctx, req.Host, sp.WorkloadQuery{})
		if err != nil {
			return nil, err
		}
		load = &wl
	}
	return projectList(req.Room, req.Viewer, page, q, load), nil
}

// HandleAction serves the list's filter form.
func (listBlock) HandleAction(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	return act(ctx, req)
}

// Topic is the live topic of one project's changes: "projects:42". The
// portal announces it whenever the project, a milestone, a task, a comment
// or a deliverable of it changes, so an open board refreshes.
func Topic(projectID int64) string { return "projects:" + strconv.FormatInt(projectID, 10) }
