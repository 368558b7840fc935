package projects

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/plugintest"
	sp "github.com/atriumhq/atrium/sdk/projects"
)

// desk is an in-memory stand-in for the portal's projects service,
// answering the sdk/projects calls through the plugintest host (so every
// request and answer crosses JSON as it does for a real plugin). Like the
// service, it answers not found for a project of another partner when the
// viewer is a partner. It keeps the last request of each write, and
// refuses a call with fail when set.
type desk struct {
	mu         sync.Mutex
	projects   []sp.Project
	milestones map[int64][]sp.Milestone
	tasks      []sp.Task
	details    map[int64]sp.TaskDetail // comments, activity, deliverables by task
	members    map[int64][]sp.Person
	candidates []sp.Person
	pending    map[int64][]sp.Deliverable
	partners   []sp.PartnerRef
	templates  []sp.TemplateRef
	load       sp.Workload
	total      int // 0: len(projects)
	canManage  bool
	today      string

	fail map[string]error // method name → refusal

	lastList      sp.ProjectQuery
	lastTasks     sp.TaskQuery
	lastWorkload  *sp.WorkloadQuery
	lastCreate    *sp.NewProject
	lastUpdate    *sp.ProjectChange
	lastMilestone *sp.MilestoneChange
	lastTask      *sp.TaskChange
	lastComment   *sp.NewComment
	lastDeliver   *sp.Deliver
	lastReview    *sp.Review
	lastTemplate  *sp.SaveTemplate
}

var t0 = time.Date(2026, 2, 10, 9, 30, 0, 0, time.UTC)

var (
	jennifer = sp.Person{ID: 101, Name: "Jennifer Lee"}
	raj      = sp.Person{ID: 102, Name: "Raj Patel"}
	mike     = sp.Person{ID: 1, Name: "Mike Chen", Staff: true}
	sue      = sp.Person{ID: 2, Name: "Sue Support", Staff: true}
)

// newDesk holds the Riverside Health rollout of ABC Corp (partner 11, the
// plugintest partner's) and a project of another partner.
func newDesk() *desk {
	d := &desk{fail: map[string]error{}, canManage: true, today: "2026-02-10",
		milestones: map[int64][]sp.Milestone{}, details: map[int64]sp.TaskDetail{}, members: map[int64][]sp.Person{}, pending: map[int64][]sp.Deliverable{},
		partners:  []sp.PartnerRef{{ID: 11, Name: "ABC Corp"}, {ID: 12, Name: "Carlos & Co"}},
		templates: []sp.TemplateRef{{ID: 5, Name: "Implementation", Milestones: 4, Tasks: 12}},
		load:      sp.Workload{People: []sp.Load{{Person: jennifer, Open: 4, Late: 1, Blocked: 1, Projects: 1}, {Person: mike, Open: 2, Projects: 2}}},
	}
	d.projects = []sp.Project{
		{ID: 7, PartnerID: 11, PartnerName: "ABC Corp", Name: "Riverside Health rollout", Customer: "Riverside Health", Description: "Roll out to **three** clinics.",
			Start: "2026-01-05", Target: "2026-03-31", Status: sp.Active, Health: sp.Late, PartnerOwner: &jennifer, VendorOwner: &mike,
			Progress: 60, Tasks: 10, TasksDone: 6, LateTasks: 1, LateMilestones: 1, Milestones: 3, Member: true},
		{ID: 8, PartnerID: 12, PartnerName: "Carlos & Co", Name: "Harbor Bank pilot", Customer: "Harbor Bank",
			Start: "2026-02-01", Target: "2026-04-30", Status: sp.Planned, Health: sp.OnTrack},
	}
	d.milestones[7] = []sp.Milestone{
		{ID: 70, ProjectID: 7, Title: "Kick-off", Start: "2026-01-05", Due: "2026-01-16", Done: true, Progress: 100, Tasks: 3, TasksDone: 3},
		{ID: 71, ProjectID: 7, Title: "Data migration", Start: "2026-01-19", Due: "2026-02-06", Late: true, Progress: 40, Tasks: 5, TasksDone: 2},
		{ID: 72, ProjectID: 7, Title: "Go-live", Start: "2026-02-09", Due: "2026-03-31", Progress: 0, Tasks: 2},
	}
	d.members[7] = []sp.Person{jennifer, raj, mike}
	d.candidates = []sp.Person{sue}
	d.tasks = []sp.Task{
		{ID: 700, ProjectID: 7, MilestoneID: 71, Title: "Export patient records", Assignee: &jennifer, Due: "2026-02-05", Status: sp.InProgress, Late: true,
			Checklist: []sp.CheckItem{{Text: "Clinic A", Done: true}, {Text: "Clinic B"}}, Comments: 2, Deliverables: 1,
			Description: "Use the **export** tool."},
		{ID: 701, ProjectID: 7, MilestoneID: 71, Title: "Map fields", Assignee: &mike, Due: "2026-02-20", Status: sp.ToDo},
		{ID: 702, ProjectID: 7, MilestoneID: 72, Title: "Train staff", Status: sp.Blocked},
		{ID: 703, ProjectID: 7, MilestoneID: 70, Title: "Sign the plan", Assignee: &raj, Status: sp.TaskDone},
		{ID: 800, ProjectID: 8, Title: "Foreign task", Status: sp.ToDo},
	}
	submitted := sp.Deliverable{FileID: 900, ProjectID: 7, TaskID: 700, Name: "export-plan.pdf", Version: 2, Size: 3 << 20,
		URL: "/files/900/download", Status: sp.Submitted, SubmittedBy: jennifer, SubmittedAt: t0}
	reviewedAt := t0.Add(-24 * time.Hour)
	sentBack := sp.Deliverable{FileID: 901, ProjectID: 7, TaskID: 700, Name: "mapping.xlsx", Version: 1, Size: 2048,
		URL: "/files/901/download", Status: sp.ChangesRequested, SubmittedBy: jennifer, SubmittedAt: t0.Add(-48 * time.Hour),
		ReviewedBy: &mike, ReviewedAt: &reviewedAt, Review: "Add the allergy fields."}
	d.pending[7] = []sp.Deliverable{submitted}
	d.details[700] = sp.TaskDetail{
		Comments:     []sp.Comment{{ID: 1, TaskID: 700, Author: mike, Body: "@Jennifer Lee please check the *dates*", At: t0}},
		Activity:     []sp.Activity{{At: t0, Who: "Jennifer Lee", What: "moved it to In progress"}},
		Deliverables: []sp.Deliverable{submitted, sentBack},
	}
	return d
}

func (d *desk) refused(m string) error {
	return d.fail[m]
}

// visible is the project if v may see it.
func (d *desk) visible(v sdk.Viewer, id int64) (sp.Project, bool) {
	i := slices.IndexFunc(d.projects, func(p sp.Project) bool { return p.ID == id })
	if i < 0 || (!v.Staff() && d.projects[i].PartnerID != v.PartnerID()) {
		return sp.Project{}, false
	}
	return d.projects[i], true
}

var notFound = &sdk.CallError{Code: sdk.CodeNotFound, Message: "There is no such project."}

func (d *desk) detail(v sdk.Viewer, p sp.Project) sp.ProjectDetail {
	out := sp.ProjectDetail{Project: p, Milestones: d.milestones[p.ID], Members: d.members[p.ID], Pending: d.pending[p.ID],
		CanManage: d.canManage, CanReview: v.Staff(), Today: d.today, ByStatus: map[string]int{}}
	if d.canManage {
		out.Candidates = d.candidates
	}
	return out
}

// host answers the projects calls from d.
func (d *desk) host() *plugintest.Host {
	h := plugintest.NewHost()
	plugintest.Handle(h, sp.ListProjects, func(_ context.Context, v sdk.Viewer, q sp.ProjectQuery) (sp.ProjectPage, error) {
		d.mu.Lock()
		defer d.mu.Unlock()
		d.lastList = q
		if err := d.refused(sp.ListProjects.Name); err != nil {
			return sp.ProjectPage{}, err
		}
		out := sp.ProjectPage{Page: max(q.Page, 1), PerPage: q.PerPage, Templates: d.templates}
		for _, p := range d.projects {
			if v.Staff() || p.PartnerID == v.PartnerID() {
				out.Projects = append(out.Projects, p)
			}
		}
		if v.Staff() {
			out.Partners = d.partners
		}
		out.Total = len(out.Projects)
		if d.total != 0 {
			out.Total = d.total
		}
		return out, nil
	})
	plugintest.Handle(h, sp.GetWorkload, func(_ context.Context, v sdk.Viewer, q sp.WorkloadQuery) (sp.Workload, error) {
		d.mu.Lock()
		defer d.mu.Unlock()
		d.lastWorkload = &q
		if !v.Staff() {
			return sp.Workload{}, &sdk.CallError{Code: sdk.CodePermission, Message: "Only the vendor's team can do this."}
		}
		return d.load, nil
	})
	plugintest.Handle(h, sp.GetProject, func(_ context.Context, v sdk.Viewer, q sp.ByID) (sp.ProjectDetail, error) {
		d.mu.Lock()
		defer d.mu.Unlock()
		p, ok := d.visible(v, q.ID)
		if !ok {
			return sp.ProjectDetail{}, notFound
		}
		return d.detail(v, p), nil
	})
	plugintest.Handle(h, sp.CreateProject, func(_ context.Context, v sdk.Viewer, in sp.NewProject) (sp.ProjectDetail, error) {
		d.mu.Lock()
		defer d.mu.Unlock()
		d.lastCreate = &in
		if err := d.refused(sp.CreateProject.Name); err != nil {
			return sp.ProjectDetail{}, err
		}
		p := sp.Project{ID: 99, Name: in.Name, Customer: in.Customer, Status: sp.Planned, Health: sp.OnTrack}
		return sp.ProjectDetail{Project: p}, nil
	})
	plugintest.Handle(h, sp.UpdateProject, func(_ context.Context, v sdk.Viewer, in sp.ProjectChange) (sp.ProjectDetail, error) {
		d.mu.Lock()
		defer d.mu.Unlock()
		d.lastUpdate = &in
		if err := d.refused(sp.UpdateProject.Name); err != nil {
			return sp.ProjectDetail{}, err
		}
		p, ok := d.visible(v, in.ID)
		if !ok {
			return sp.ProjectDetail{}, notFound
		}
		return d.detail(v, p), nil
	})
	plugintest.Handle(h, sp.ChangeMilestone, func(_ context.Context, v sdk.Viewer, in sp.MilestoneChange) (sp.Milestone, error) {
		d.mu.Lock()
		defer d.mu.Unlock()
		d.lastMilestone = &in
		if err := d.refused(sp.ChangeMilestone.Name); err != nil {
			return sp.Milestone{}, err
		}
		return sp.Milestone{ID: max(in.ID, 77)}, nil
	})
	plugintest.Handle(h, sp.ListTasks, func(_ context.Context, v sdk.Viewer, q sp.TaskQuery) (sp.TaskPage, error) {
		d.mu.Lock()
		defer d.mu.Unlock()
		d.lastTasks = q
		if _, ok := d.visible(v, q.ProjectID); !ok {
			return sp.TaskPage{}, notFound
		}
		out := sp.TaskPage{Page: max(q.Page, 1), PerPage: q.PerPage}
		for _, t := range d.tasks {
			if t.ProjectID != q.ProjectID || (q.Late && !t.Late) || (q.MilestoneID != 0 && t.MilestoneID != q.MilestoneID) ||
				(q.Mine && (t.Assignee == nil || t.Assignee.ID != v.UserID)) {
				continue
			}
			out.Tasks = append(out.Tasks, t)
		}
		out.Total = len(out.Tasks)
		return out, nil
	})
	plugintest.Handle(h, sp.GetTask, func(_ context.Context, v sdk.Viewer, q sp.ByID) (sp.TaskDetail, error) {
		d.mu.Lock()
		defer d.mu.Unlock()
		i := slices.IndexFunc(d.tasks, func(t sp.Task) bool { return t.ID == q.ID })
		if i < 0 {
			return sp.TaskDetail{}, notFound
		}
		p, ok := d.visible(v, d.tasks[i].ProjectID)
		if !ok {
			return sp.TaskDetail{}, notFound
		}
		out := d.details[q.ID]
		out.Task, out.ProjectName, out.Assignable, out.Milestones, out.CanReview = d.tasks[i], p.Name, d.members[p.ID], d.milestones[p.ID], v.Staff()
		return out, nil
	})
	plugintest.Handle(h, sp.ChangeTask, func(_ context.Context, v sdk.Viewer, in sp.TaskChange) (sp.Task, error) {
		d.mu.Lock()
		defer d.mu.Unlock()
		d.lastTask = &in
		if err := d.refused(sp.ChangeTask.Name); err != nil {
			return sp.Task{}, err
		}
		i := slices.IndexFunc(d.tasks, func(t sp.Task) bool { return t.ID == in.ID })
		if i < 0 {
			return sp.Task{ID: 777, ProjectID: in.ProjectID}, nil
		}
		return d.tasks[i], nil
	})
	plugintest.Handle(h, sp.AddComment, func(_ context.Context, v sdk.Viewer, in sp.NewComment) (sp.Comment, error) {
		d.mu.Lock()
		defer d.mu.Unlock()
		d.lastComment = &in
		if err := d.refused(sp.AddComment.Name); err != nil {
			return sp.Comment{}, err
		}
		return sp.Comment{ID: 5, TaskID: in.TaskID, Body: in.Body}, nil
	})
	plugintest.Handle(h, sp.SubmitFile, func(_ context.Context, v sdk.Viewer, in sp.Deliver) (sp.Deliverable, error) {
		d.mu.Lock()
		defer d.mu.Unlock()
		d.lastDeliver = &in
		if err := d.refused(sp.SubmitFile.Name); err != nil {
			return sp.Deliverable{}, err
		}
		version := 1
		if in.FileID != 0 {
			version = 2
		}
		return sp.Deliverable{FileID: 950, Name: "plan.pdf", Version: version, Status: sp.Submitted}, nil
	})
	plugintest.Handle(h, sp.ReviewFile, func(_ context.Context, v sdk.Viewer, in sp.Review) (sp.Deliverable, error) {
		d.mu.Lock()
		defer d.mu.Unlock()
		d.lastReview = &in
		if err := d.refused(sp.ReviewFile.Name); err != nil {
			return sp.Deliverable{}, err
		}
		return sp.Deliverable{FileID: in.FileID, Name: "export-plan.pdf", Status: in.Status}, nil
	})
	plugintest.Handle(h, sp.SaveAsTemplate, func(_ context.Context, v sdk.Viewer, in sp.SaveTemplate) (sp.TemplateRef, error) {
		d.mu.Lock()
		defer d.mu.Unlock()
		d.lastTemplate = &in
		if err := d.refused(sp.SaveAsTemplate.Name); err != nil {
			return sp.TemplateRef{}, err
		}
		return sp.TemplateRef{ID: 6, Name: in.Name}, nil
	})
	return h
}
