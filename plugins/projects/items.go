package projects

import (
	"context"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/projects"
	"github.com/atriumhq/atrium/sdk/ui"
)

// RenderItem serves the room's pages (see the package comment for the
// paths). Anything else, and any id the viewer may not see, is not found.
func (Room) RenderItem(ctx context.Context, req sdk.ItemRequest) (sdk.Page, error) {
	w := words(req.Viewer)
	switch req.Path {
	case "all":
		q := parseList(req.Query)
		page, err := sp.ListProjects.Call(ctx, req.Host, q.projects())
		if err != nil {
			return sdk.Page{}, err
		}
		var load *sp.Workload
		if req.Viewer.Staff() {
			wl, err := sp.GetWorkload.Call(ctx, req.Host, sp.WorkloadQuery{PartnerID: q.PartnerID})
			if err != nil {
				return sdk.Page{}, err
			}
			load = &wl
		}
		return sdk.Page{Title: w.T("all-projects"), Body: projectList(req.Room, req.Viewer, page, q, load), LiveTopics: []string{"projects"}}, nil
	case "new":
		page, err := sp.ListProjects.Call(ctx, req.Host, sp.ProjectQuery{PerPage: 1})
		if err != nil {
			return sdk.Page{}, err
		}
		return sdk.Page{Title: w.T("new-project"), Body: ui.Stack{Children: ui.Children{
			newProjectForm(w, page, req.Viewer.Staff()), ui.Link{Text: w.T("back-projects"), Href: req.Room.Path}}}}, nil
	}
	parts := strings.Split(req.Path, "/")
	pid, ok := id(parts[0])
	if !ok {
		return sdk.Page{}, sdk.ErrNotFound
	}
	rest := parts[1:]
	if len(rest) >= 2 && rest[0] == "tasks" && rest[1] != "new" {
		return taskItem(ctx, req, pid, rest[1:])
	}
	d, err := sp.GetProject.Call(ctx, req.Host, sp.ByID{ID: pid})
	if err != nil {
		return sdk.Page{}, err
	}
	p := d.Project
	live := []string{Topic(p.ID)}
	back := ui.Link{Text: w.T("back-project"), Href: projectHref(req.Room, p.ID)}
	switch strings.Join(rest, "/") {
	case "":
		return sdk.Page{Title: p.Name, Body: projectPage(req.Room, req.Viewer, d), LiveTopics: live}, nil
	case "tasks":
		q := parseTasks(req.Query)
		page, err := sp.ListTasks.Call(ctx, req.Host, q.tasks(p.ID))
		if err != nil {
			return sdk.Page{}, err
		}
		return sdk.Page{Title: w.T("tasks-title", "Project", p.Name), Body: tasksPage(w, req.Room, d, page, q), LiveTopics: live}, nil
	case "tasks/new":
		ms, _ := strconv.ParseInt(first(req.Query, "milestone"), 10, 64)
		return sdk.Page{Title: w.T("add-task"), Body: ui.Stack{Children: ui.Children{
			ui.Text{Text: p.Name, Muted: true}, taskForm(w, p.ID, nil, d.Members, d.Milestones, ms), back}}}, nil
	case "edit":
		if !d.CanManage {
			return sdk.Page{}, sdk.ErrNotFound
		}
		return sdk.Page{Title: w.T("edit-project"), Body: ui.Stack{Children: ui.Children{
			ui.Text{Text: p.Name, Muted: true}, projectForm(w, d), back}}}, nil
	case "template":
		if !req.Viewer.Staff() || !d.CanManage {
			return sdk.Page{}, sdk.ErrNotFound
		}
		return sdk.Page{Title: w.T("save-template"), Body: ui.Stack{Children: ui.Children{
			ui.Text{Text: w.T("template-intro"), Muted: true}, templateForm(w, p), back}}}, nil
	case "milestones/new":
		if !d.CanManage {
			return sdk.Page{}, sdk.ErrNotFound
		}
		return sdk.Page{Title: w.T("add-milestone"), Body: ui.Stack{Children: ui.Children{
			ui.Text{Text: p.Name, Muted: true}, milestoneForm(w, p.ID, nil), back}}}, nil
	}
	if len(rest) == 2 && rest[0] == "milestones" && d.CanManage {
		mid, ok := id(rest[1])
		if !ok {
			return sdk.Page{}, sdk.ErrNotFound
		}
		for _, m := range d.Milestones {
			if m.ID == mid {
				state := strconv.FormatInt(p.ID, 10) + ":" + strconv.FormatInt(m.ID, 10)
				return sdk.Page{Title: w.T("edit-milestone"), Body: ui.Stack{Children: ui.Children{
					ui.Text{Text: p.Name, Muted: true}, milestoneForm(w, p.ID, &m),
					ui.ActionBar{Buttons: []ui.Button{{Label: w.T("delete"), Variant: "danger",
						Action: &ui.Action{Name: "milestone-delete", State: state, Confirm: w.T("delete-milestone")}}}},
					back}}}, nil
			}
		}
	}
	return sdk.Page{}, sdk.ErrNotFound
}

// taskItem serves a task's page and its edit form. A task of another
// project is not found under this one.
func taskItem(ctx context.Context, req sdk.ItemRequest, pid int64, rest []string) (sdk.Page, error) {
	w := words(req.Viewer)
	tid, ok := id(rest[0])
	if !ok || len(rest) > 2 || (len(rest) == 2 && rest[1] != "edit") {
		return sdk.Page{}, sdk.ErrNotFound
	}
	d, err := sp.GetTask.Call(ctx, req.Host, sp.ByID{ID: tid})
	if err != nil {
		return sdk.Page{}, err
	}
	if d.Task.ProjectID != pid {
		return sdk.Page{}, sdk.ErrNotFound
	}
	live := []string{Topic(pid)}
	if len(rest) == 2 {
		t := d.Task
		state := strconv.FormatInt(pid, 10) + ":" + strconv.FormatInt(t.ID, 10)
		return sdk.Page{Title: w.T("edit-task"), Body: ui.Stack{Children: ui.Children{
			ui.Text{Text: d.ProjectName, Muted: true},
			taskForm(w, pid, &t, d.Assignable, d.Milestones, 0),
			ui.ActionBar{Buttons: []ui.Button{{Label: w.T("delete"), Variant: "danger", Action: &ui.Action{Name: "task-delete", State: state, Confirm: w.T("delete-task")}}}},
			ui.Link{Text: w.T("back-task"), Href: taskHref(req.Room, pid, t.ID)},
		}}}, nil
	}
	return sdk.Page{Title: d.Task.Title, Body: taskPage(w, req.Room, d), LiveTopics: live}, nil
}

// id reads a positive id from a path segment.
func id(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}
