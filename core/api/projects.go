package api

import (
	"context"
	"net/http"

	"github.com/atriumhq/atrium/core/projects"
	sp "github.com/atriumhq/atrium/sdk/projects"
)

// The Projects operations: customer projects a partner runs with the
// vendor's team. They call core/projects as the caller's viewer, so they
// apply the rules of the Projects room and nothing else: a partner's user
// reaches only their own partner's projects, staff the projects of the
// partners they reach; any other project, milestone, task or deliverable
// answers 404, like one that does not exist. A milestone, task or
// deliverable named under a project that is not its own answers 404 too.
func (a *API) registerProjects() {
	if a.Projects == nil {
		return
	}
	const tag = "Projects"
	for _, r := range []route{
		bind(described(op("list-projects", http.MethodGet, "/api/v1/projects", "Projects the caller may see", SignedIn, tag), listProjectsDoc), a.listProjects),
		bind(described(created(op("create-project", http.MethodPost, "/api/v1/projects", "Start a project, from a template or empty", SignedIn, tag)), createProjectDoc), a.createProject),
		bind(described(op("list-project-templates", http.MethodGet, "/api/v1/projects/templates", "Templates a project may start from", SignedIn, tag), templatesDoc), a.listProjectTemplates),
		bind(described(op("project-workload", http.MethodGet, "/api/v1/projects/workload", "Open work per assignee over the projects the caller sees", SignedIn, tag), workloadDoc), a.projectWorkload),
		when(a.Content != nil, bind(multipartBody(created(op("upload-project-file", http.MethodPost, "/api/v1/projects/uploads", "Upload a file to deliver on a project", SignedIn, tag)),
			projectUploadDoc), a.stageAttachment)),
		bind(described(op("get-project", http.MethodGet, "/api/v1/projects/{id}", "A project with its milestones, members and pending deliverables", SignedIn, tag), getProjectDoc), a.getProject),
		bind(described(op("update-project", http.MethodPatch, "/api/v1/projects/{id}", "Change a project: name, dates, status, owners, members", SignedIn, tag), updateProjectDoc), a.updateProject),
		bind(described(created(op("save-project-template", http.MethodPost, "/api/v1/projects/{id}/template", "Keep a project's milestones and tasks as a template (staff)", Staff, tag)), saveTemplateDoc), a.saveProjectTemplate),
		bind(described(created(op("add-milestone", http.MethodPost, "/api/v1/projects/{id}/milestones", "Add a milestone", SignedIn, tag)), milestoneDoc), a.addMilestone),
		bind(described(op("update-milestone", http.MethodPatch, "/api/v1/projects/{id}/milestones/{milestoneId}", "Change a milestone", SignedIn, tag), milestoneDoc), a.updateMilestone),
		bind(described(noContent(op("delete-milestone", http.MethodDelete, "/api/v1/projects/{id}/milestones/{milestoneId}", "Delete a milestone; its tasks stay, without a milestone", SignedIn, tag)), deleteMilestoneDoc), a.deleteMilestone),
		bind(described(op("list-project-tasks", http.MethodGet, "/api/v1/projects/{id}/tasks", "A project's tasks, by status then position", SignedIn, tag), listTasksDoc), a.listProjectTasks),
		bind(described(created(op("create-project-task", http.MethodPost, "/api/v1/projects/{id}/tasks", "Add a task", SignedIn, tag)), taskDoc), a.createProjectTask),
		bind(described(op("get-project-task", http.MethodGet, "/api/v1/projects/{id}/tasks/{taskId}", "A task with its comments, history and deliverables", SignedIn, tag), getTaskDoc), a.getProjectTask),
		bind(described(op("update-project-task", http.MethodPatch, "/api/v1/projects/{id}/tasks/{taskId}", "Change a task", SignedIn, tag), taskDoc), a.updateProjectTask),
		bind(described(op("move-project-task", http.MethodPut, "/api/v1/projects/{id}/tasks/{taskId}/position", "Move a task to a status column and a place in it", SignedIn, tag), moveTaskDoc), a.moveProjectTask),
		bind(described(noContent(op("delete-project-task", http.MethodDelete, "/api/v1/projects/{id}/tasks/{taskId}", "Delete a task with its comments", SignedIn, tag)), deleteTaskDoc), a.deleteProjectTask),
		bind(described(created(op("comment-project-task", http.MethodPost, "/api/v1/projects/{id}/tasks/{taskId}/comments", "Comment on a task", SignedIn, tag)), commentDoc), a.commentProjectTask),
		bind(described(created(op("submit-deliverable", http.MethodPost, "/api/v1/projects/{id}/deliverables", "Deliver a file on a task or milestone, or a new version", SignedIn, tag)), deliverDoc), a.submitDeliverable),
		bind(described(op("review-deliverable", http.MethodPut, "/api/v1/projects/{id}/deliverables/{fileId}/review", "Approve a deliverable or send it back (staff)", Staff, tag), reviewDoc), a.reviewDeliverable),
	} {
		r(a.huma)
	}
}

const (
	listProjectsDoc = "Projects needing attention (at risk or late) come first, then by target date. Health is derived: a milestone past its " +
		"due date and not done makes a project late; an overdue task, or a milestone due within a week with less than half its tasks done, " +
		"puts it at risk. Staff also get the partners they may create projects for; everyone the templates."
	createProjectDoc = "Staff name the partner (`partnerId`); a partner's user creates for their own company. With `templateId`, the " +
		"template's milestones and tasks are laid out from `start`. The creator joins the project and owns it on their side unless named otherwise."
	templatesDoc     = "The built-in Implementation template first, then those saved from projects."
	workloadDoc      = "Per assignee: open tasks, late ones, blocked ones and on how many projects, over the running projects the caller sees; most late first."
	projectUploadDoc = "one file part named \"file\". The file is kept for 24 hours for its uploader alone: put the answered `token` in the " +
		"`upload` of submit-deliverable. Files no one claims are deleted."
	getProjectDoc = "Milestones come in date order with their progress; `canManage` and `canReview` say what the caller may do. " +
		"Deliverables carry a `fileId`: download them with GET /api/v1/files/{fileId}/download, which applies the same rule as the project."
	updateProjectDoc = "The project's owners, its partner's administrators and the staff who reach the partner may; other members get 403. " +
		"Fields left out stay as they are. An owner, or someone with open tasks, stays on the project until replaced."
	saveTemplateDoc = "Titles, descriptions, checklists (unticked) and dates counted in days from the project's start."
	milestoneDoc    = "Dates are YYYY-MM-DD; the due date cannot be before the milestone's start, nor the start before the project's. " +
		"The project's owners, its partner's administrators and the staff who reach the partner may."
	deleteMilestoneDoc = "The project's owners, its partner's administrators and the staff who reach the partner may; the milestone's tasks " +
		"stay on the project without a milestone."
	deleteTaskDoc = "Everyone who sees the project may; the task's comments and history go with it, its deliverables too."
	listTasksDoc  = "Filter by milestone, status, the caller's own tasks (`mine`) or overdue ones (`late`)."
	getTaskDoc    = "Comments come oldest first, history newest first. `assignable` are the project's members."
	taskDoc       = "Everyone who sees the project may. The assignee must be a member of the project, and the milestone one of the project's own. " +
		"Use `check` to tick one checklist line without overwriting another person's ticks. The new assignee is notified."
	moveTaskDoc = "Places the task at `position` (0 first) in the `status` column, moving the others down; without `position`, last."
	commentDoc  = "Markdown, at most 10000 characters. Members mentioned with @Name are notified."
	deliverDoc  = "Name a task (`taskId`) or a milestone (`milestoneId`) of this project, or a deliverable (`fileId`) for its next version, " +
		"which goes back to review. `upload` is a token from upload-project-file."
	reviewDoc = "Staff who reach the partner approve the latest version or send it back; sending back needs a `comment`. The submitter is notified."
)

// ProjectListInput filters the caller's projects.
type ProjectListInput struct {
	Status    string `query:"status" enum:"planned,active,on_hold,done,cancelled," doc:"Only projects with this status."`
	Health    string `query:"health" enum:"on_track,at_risk,late," doc:"Only projects with this health."`
	Partner   int64  `query:"partner" minimum:"0" doc:"Staff: only this partner's projects."`
	Attention bool   `query:"attention" doc:"Only projects at risk or late."`
	Mine      bool   `query:"mine" doc:"Only projects the caller is a member of."`
	Q         string `query:"q" maxLength:"200" doc:"Words in the project's name or customer."`
	Page      int    `query:"page" minimum:"1" default:"1" doc:"Page number, from 1."`
	PerPage   int    `query:"perPage" minimum:"1" maximum:"100" default:"25" doc:"Projects per page."`
}

// ProjectInput names a project.
type ProjectInput struct {
	ID int64 `path:"id" minimum:"1" doc:"The project's id."`
}

// CreateProjectInput starts a project.
type CreateProjectInput struct {
	Body sp.NewProject
}

// UpdateProjectInput changes a project.
type UpdateProjectInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The project's id."`
	Body ProjectChangeBody
}

// ProjectChangeBody is a project's fields; those left out stay.
type ProjectChangeBody struct {
	Name          *string `json:"name,omitempty" doc:"At most 200 characters."`
	Customer      *string `json:"customer,omitempty" doc:"The customer the project is for."`
	Description   *string `json:"description,omitempty" doc:"Markdown."`
	Start         *string `json:"start,omitempty" doc:"YYYY-MM-DD."`
	Target        *string `json:"target,omitempty" doc:"YYYY-MM-DD, not before the start."`
	Status        *string `json:"status,omitempty" enum:"planned,active,on_hold,done,cancelled" doc:"The project's status."`
	PartnerOwner  *int64  `json:"partnerOwner,omitempty" doc:"One of the partner's active users; 0 clears."`
	VendorOwner   *int64  `json:"vendorOwner,omitempty" doc:"Staff who reach the partner; 0 clears."`
	AddMembers    []int64 `json:"addMembers,omitempty" doc:"People to add: the partner's users or staff who reach it."`
	RemoveMembers []int64 `json:"removeMembers,omitempty" doc:"People to remove; owners and people with open tasks stay until replaced."`
}

// SaveTemplateInput saves a project as a template.
type SaveTemplateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The project's id."`
	Body struct {
		Name        string `json:"name" doc:"The template's name."`
		Description string `json:"description,omitempty" doc:"What the template is for."`
	}
}

// MilestoneInput adds or changes a milestone.
type MilestoneInput struct {
	ID          int64 `path:"id" minimum:"1" doc:"The project's id."`
	MilestoneID int64 `path:"milestoneId" minimum:"1" doc:"The milestone's id."`
	Body        MilestoneBody
}

// NewMilestoneInput adds a milestone.
type NewMilestoneInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The project's id."`
	Body MilestoneBody
}

// MilestoneBody is a milestone's fields; those left out stay.
type MilestoneBody struct {
	Title *string `json:"title,omitempty" doc:"What the step is, at most 200 characters."`
	Start *string `json:"start,omitempty" doc:"YYYY-MM-DD; the project's start when adding without one."`
	Due   *string `json:"due,omitempty" doc:"YYYY-MM-DD."`
	Done  *bool   `json:"done,omitempty" doc:"Marked done (a milestone whose tasks are all done counts as done too)."`
}

// MilestoneRef names a milestone of a project.
type MilestoneRef struct {
	ID          int64 `path:"id" minimum:"1" doc:"The project's id."`
	MilestoneID int64 `path:"milestoneId" minimum:"1" doc:"The milestone's id."`
}

// TaskListInput filters a project's tasks.
type TaskListInput struct {
	ID        int64  `path:"id" minimum:"1" doc:"The project's id."`
	Milestone int64  `query:"milestone" minimum:"0" doc:"Only this milestone's tasks."`
	Status    string `query:"status" enum:"todo,in_progress,blocked,done," doc:"Only tasks with this status."`
	Mine      bool   `query:"mine" doc:"Only tasks assigned to the caller."`
	Late      bool   `query:"late" doc:"Only overdue tasks."`
	Page      int    `query:"page" minimum:"1" default:"1" doc:"Page number, from 1."`
	PerPage   int    `query:"perPage" minimum:"1" maximum:"500" default:"100" doc:"Tasks per page."`
}

// TaskRef names a task of a project.
type TaskRef struct {
	ID     int64 `path:"id" minimum:"1" doc:"The project's id."`
	TaskID int64 `path:"taskId" minimum:"1" doc:"The task's id."`
}

// TaskBody is a task's fields; those left out stay.
type TaskBody struct {
	MilestoneID *int64          `json:"milestoneId,omitempty" doc:"A milestone of the project; 0 takes the task out of its milestone."`
	Title       *string         `json:"title,omitempty" doc:"What to do, at most 200 characters."`
	Description *string         `json:"description,omitempty" doc:"Markdown."`
	Assignee    *int64          `json:"assignee,omitempty" doc:"A member of the project; 0 leaves the task unassigned."`
	Due         *string         `json:"due,omitempty" doc:"YYYY-MM-DD; empty removes the due date."`
	Status      *string         `json:"status,omitempty" enum:"todo,in_progress,blocked,done" doc:"The board's column."`
	Checklist   *[]sp.CheckItem `json:"checklist,omitempty" doc:"The whole checklist, replacing it."`
	Check       *sp.CheckMark   `json:"check,omitempty" doc:"Tick or untick one line by index."`
}

func (b TaskBody) change() sp.TaskChange {
	return sp.TaskChange{MilestoneID: b.MilestoneID, Title: b.Title, Description: b.Description, Assignee: b.Assignee, Due: b.Due,
		Status: b.Status, Checklist: b.Checklist, Check: b.Check}
}

// NewTaskInput adds a task.
type NewTaskInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The project's id."`
	Body TaskBody
}

// TaskChangeInput changes a task.
type TaskChangeInput struct {
	ID     int64 `path:"id" minimum:"1" doc:"The project's id."`
	TaskID int64 `path:"taskId" minimum:"1" doc:"The task's id."`
	Body   TaskBody
}

// MoveTaskInput moves a task on the board.
type MoveTaskInput struct {
	ID     int64 `path:"id" minimum:"1" doc:"The project's id."`
	TaskID int64 `path:"taskId" minimum:"1" doc:"The task's id."`
	Body   struct {
		Status   string `json:"status" enum:"todo,in_progress,blocked,done" doc:"The column."`
		Position *int   `json:"position,omitempty" minimum:"0" doc:"The place in the column, 0 first; last when left out."`
	}
}

// CommentTaskInput comments on a task.
type CommentTaskInput struct {
	ID     int64 `path:"id" minimum:"1" doc:"The project's id."`
	TaskID int64 `path:"taskId" minimum:"1" doc:"The task's id."`
	Body   struct {
		Body string `json:"body" doc:"Markdown, at most 10000 characters."`
	}
}

// DeliverInput delivers a file.
type DeliverInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The project's id."`
	Body sp.Deliver
}

// ReviewInput reviews a deliverable.
type ReviewInput struct {
	ID     int64 `path:"id" minimum:"1" doc:"The project's id."`
	FileID int64 `path:"fileId" minimum:"1" doc:"The deliverable's file id."`
	Body   struct {
		Status  string `json:"status" enum:"approved,changes_requested" doc:"approved or changes_requested."`
		Comment string `json:"comment,omitempty" doc:"What should change; required when sending back."`
	}
}

// WorkloadInput narrows the workload.
type WorkloadInput struct {
	Partner int64 `query:"partner" minimum:"0" doc:"Only this partner's projects."`
}

func (a *API) listProjects(ctx context.Context, in *ProjectListInput) (*body[sp.ProjectPage], error) {
	page, err := a.Projects.List(ctx, caller(ctx).Viewer(), sp.ProjectQuery{Status: in.Status, Health: in.Health, PartnerID: in.Partner,
		Attention: in.Attention, Mine: in.Mine, Q: in.Q, Page: in.Page, PerPage: in.PerPage})
	if err != nil {
		return nil, a.messagesProblem(err, "query")
	}
	return &body[sp.ProjectPage]{page}, nil
}

func (a *API) createProject(ctx context.Context, in *CreateProjectInput) (*body[sp.ProjectDetail], error) {
	d, err := a.Projects.Create(ctx, caller(ctx).Viewer(), in.Body)
	return wrapBody(d, err, a)
}

func (a *API) listProjectTemplates(ctx context.Context, _ *struct{}) (*body[[]sp.TemplateRef], error) {
	refs, err := a.Projects.Templates(ctx, caller(ctx).Viewer())
	if refs == nil {
		refs = []sp.TemplateRef{}
	}
	return wrapBody(refs, err, a)
}

func (a *API) projectWorkload(ctx context.Context, in *WorkloadInput) (*body[sp.Workload], error) {
	w, err := a.Projects.Workload(ctx, caller(ctx).Viewer(), sp.WorkloadQuery{PartnerID: in.Partner})
	return wrapBody(w, err, a)
}

func (a *API) getProject(ctx context.Context, in *ProjectInput) (*body[sp.ProjectDetail], error) {
	d, err := a.Projects.Get(ctx, caller(ctx).Viewer(), in.ID)
	return wrapBody(d, err, a)
}

func (a *API) updateProject(ctx context.Context, in *UpdateProjectInput) (*body[sp.ProjectDetail], error) {
	b := in.Body
	d, err := a.Projects.Update(ctx, caller(ctx).Viewer(), sp.ProjectChange{ID: in.ID, Name: b.Name, Customer: b.Customer,
		Description: b.Description, Start: b.Start, Target: b.Target, Status: b.Status, PartnerOwner: b.PartnerOwner,
		VendorOwner: b.VendorOwner, AddMembers: b.AddMembers, RemoveMembers: b.RemoveMembers})
	return wrapBody(d, err, a)
}

func (a *API) saveProjectTemplate(ctx context.Context, in *SaveTemplateInput) (*body[sp.TemplateRef], error) {
	ref, err := a.Projects.SaveTemplate(ctx, caller(ctx).Viewer(), sp.SaveTemplate{ProjectID: in.ID, Name: in.Body.Name, Description: in.Body.Description})
	return wrapBody(ref, err, a)
}

func (a *API) addMilestone(ctx context.Context, in *NewMilestoneInput) (*body[sp.Milestone], error) {
	b := in.Body
	m, err := a.Projects.ChangeMilestone(ctx, caller(ctx).Viewer(), sp.MilestoneChange{ProjectID: in.ID, Title: b.Title, Start: b.Start, Due: b.Due, Done: b.Done})
	return wrapBody(m, err, a)
}

func (a *API) updateMilestone(ctx context.Context, in *MilestoneInput) (*body[sp.Milestone], error) {
	v := caller(ctx).Viewer()
	if err := a.Projects.Within(ctx, v, in.ID, projects.InMilestone, in.MilestoneID); err != nil {
		return nil, a.problem(err)
	}
	b := in.Body
	m, err := a.Projects.ChangeMilestone(ctx, v, sp.MilestoneChange{ID: in.MilestoneID, Title: b.Title, Start: b.Start, Due: b.Due, Done: b.Done})
	return wrapBody(m, err, a)
}

func (a *API) deleteMilestone(ctx context.Context, in *MilestoneRef) (*struct{}, error) {
	v := caller(ctx).Viewer()
	if err := a.Projects.Within(ctx, v, in.ID, projects.InMilestone, in.MilestoneID); err != nil {
		return nil, a.problem(err)
	}
	if _, err := a.Projects.ChangeMilestone(ctx, v, sp.MilestoneChange{ID: in.MilestoneID, Delete: true}); err != nil {
		return nil, a.problem(err)
	}
	return nil, nil
}

func (a *API) listProjectTasks(ctx context.Context, in *TaskListInput) (*body[sp.TaskPage], error) {
	page, err := a.Projects.ListTasks(ctx, caller(ctx).Viewer(), sp.TaskQuery{ProjectID: in.ID, MilestoneID: in.Milestone, Status: in.Status,
		Mine: in.Mine, Late: in.Late, Page: in.Page, PerPage: in.PerPage})
	if err != nil {
		return nil, a.messagesProblem(err, "query")
	}
	return &body[sp.TaskPage]{page}, nil
}

func (a *API) createProjectTask(ctx context.Context, in *NewTaskInput) (*body[sp.Task], error) {
	ch := in.Body.change()
	ch.ProjectID = in.ID
	t, err := a.Projects.ChangeTask(ctx, caller(ctx).Viewer(), ch)
	return wrapBody(t, err, a)
}

func (a *API) getProjectTask(ctx context.Context, in *TaskRef) (*body[sp.TaskDetail], error) {
	v := caller(ctx).Viewer()
	if err := a.Projects.Within(ctx, v, in.ID, projects.InTask, in.TaskID); err != nil {
		return nil, a.problem(err)
	}
	d, err := a.Projects.GetTask(ctx, v, in.TaskID)
	return wrapBody(d, err, a)
}

func (a *API) updateProjectTask(ctx context.Context, in *TaskChangeInput) (*body[sp.Task], error) {
	v := caller(ctx).Viewer()
	if err := a.Projects.Within(ctx, v, in.ID, projects.InTask, in.TaskID); err != nil {
		return nil, a.problem(err)
	}
	ch := in.Body.change()
	ch.ID = in.TaskID
	t, err := a.Projects.ChangeTask(ctx, v, ch)
	return wrapBody(t, err, a)
}

func (a *API) moveProjectTask(ctx context.Context, in *MoveTaskInput) (*body[sp.Task], error) {
	v := caller(ctx).Viewer()
	if err := a.Projects.Within(ctx, v, in.ID, projects.InTask, in.TaskID); err != nil {
		return nil, a.problem(err)
	}
	t, err := a.Projects.ChangeTask(ctx, v, sp.TaskChange{ID: in.TaskID, Status: &in.Body.Status, Position: in.Body.Position})
	return wrapBody(t, err, a)
}

func (a *API) deleteProjectTask(ctx context.Context, in *TaskRef) (*struct{}, error) {
	v := caller(ctx).Viewer()
	if err := a.Projects.Within(ctx, v, in.ID, projects.InTask, in.TaskID); err != nil {
		return nil, a.problem(err)
	}
	if _, err := a.Projects.ChangeTask(ctx, v, sp.TaskChange{ID: in.TaskID, Delete: true}); err != nil {
		return nil, a.problem(err)
	}
	return nil, nil
}

func (a *API) commentProjectTask(ctx context.Context, in *CommentTaskInput) (*body[sp.Comment], error) {
	v := caller(ctx).Viewer()
	if err := a.Projects.Within(ctx, v, in.ID, projects.InTask, in.TaskID); err != nil {
		return nil, a.problem(err)
	}
	c, err := a.Projects.AddComment(ctx, v, sp.NewComment{TaskID: in.TaskID, Body: in.Body.Body})
	return wrapBody(c, err, a)
}

func (a *API) submitDeliverable(ctx context.Context, in *DeliverInput) (*body[sp.Deliverable], error) {
	v, b := caller(ctx).Viewer(), in.Body
	for _, c := range []struct {
		what string
		id   int64
	}{{projects.InTask, b.TaskID}, {projects.InMilestone, b.MilestoneID}, {projects.InDeliverable, b.FileID}} {
		if c.id == 0 {
			continue
		}
		if err := a.Projects.Within(ctx, v, in.ID, c.what, c.id); err != nil {
			return nil, a.problem(err)
		}
	}
	d, err := a.Projects.Submit(ctx, v, b)
	return wrapBody(d, err, a)
}

func (a *API) reviewDeliverable(ctx context.Context, in *ReviewInput) (*body[sp.Deliverable], error) {
	v := caller(ctx).Viewer()
	if err := a.Projects.Within(ctx, v, in.ID, projects.InDeliverable, in.FileID); err != nil {
		return nil, a.problem(err)
	}
	d, err := a.Projects.Review(ctx, v, sp.Review{FileID: in.FileID, Status: in.Body.Status, Comment: in.Body.Comment})
	return wrapBody(d, err, a)
}
