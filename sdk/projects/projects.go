// Package projects is the host API of the Projects room: customer projects a
// partner runs together with the vendor's team, with milestones on a
// timeline, tasks assigned to people on both sides, comments, and
// deliverables that the vendor approves or sends back.
//
// Every call runs as the viewer. A partner's active users see their own
// partner's projects (and nobody else's, a distributor's included: a
// project stays between its partner and the vendor); staff see the projects
// of the partners they reach. A project, milestone, task, comment or
// deliverable the viewer may not see answers [sdk.ErrNotFound], exactly like
// one that does not exist. Refused input answers an [sdk.Error] naming the
// field and saying what to change.
//
// Dates without a time of day (start, target, due) travel as "YYYY-MM-DD"
// strings: a milestone due on the 14th is due on the 14th wherever its
// reader lives. "Late" means the date has passed in the program's time zone
// and the item is not done.
//
// Deliverables are files: a form's file field is stored by the portal (with
// the file store's checks) and arrives in the action's values as an upload
// token, which [Deliver] takes; each deliverable has a plain download URL
// that the portal checks on every request.
package projects

import (
	"time"

	"github.com/atriumhq/atrium/sdk"
)

// Permissions a plugin's manifest asks for.
const (
	PermRead  = "projects:read"
	PermWrite = "projects:write"
)

// Project statuses.
const (
	Planned   = "planned"
	Active    = "active"
	OnHold    = "on_hold"
	Done      = "done"
	Cancelled = "cancelled"
)

// Health of a project, derived from its dates: Late when a milestone's due
// date has passed unfinished, AtRisk when a task is overdue or a milestone
// falls due within a week with less than half its tasks done, OnTrack
// otherwise. Finished and cancelled projects are always OnTrack.
const (
	OnTrack = "on_track"
	AtRisk  = "at_risk"
	Late    = "late"
)

// Task statuses, in board order.
const (
	ToDo       = "todo"
	InProgress = "in_progress"
	Blocked    = "blocked"
	TaskDone   = "done"
)

// Deliverable review states.
const (
	Submitted        = "submitted"
	Approved         = "approved"
	ChangesRequested = "changes_requested"
)

// Person is someone on a project.
type Person struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Staff bool   `json:"staff,omitempty"`
}

// PartnerRef names a partner.
type PartnerRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Project is one project, as lists show it.
type Project struct {
	ID          int64  `json:"id"`
	PartnerID   int64  `json:"partnerId"`
	PartnerName string `json:"partnerName"`
	Name        string `json:"name"`
	Customer    string `json:"customer"`
	// Description is Markdown; render it with ui.Markdown.
	Description string `json:"description,omitempty"`
	Start       string `json:"start"`  // YYYY-MM-DD
	Target      string `json:"target"` // YYYY-MM-DD
	Status      string `json:"status"`
	Health      string `json:"health"`
	// PartnerOwner and VendorOwner lead the project on each side.
	PartnerOwner *Person `json:"partnerOwner,omitempty"`
	VendorOwner  *Person `json:"vendorOwner,omitempty"`
	// Progress is the share of the project's tasks that are done, 0–100.
	Progress       int       `json:"progress"`
	Tasks          int       `json:"tasks"`
	TasksDone      int       `json:"tasksDone"`
	LateTasks      int       `json:"lateTasks"`
	LateMilestones int       `json:"lateMilestones"`
	Milestones     int       `json:"milestones"`
	UpdatedAt      time.Time `json:"updatedAt"`
	// Member is true when the viewer is on the project.
	Member bool `json:"member,omitempty"`
}

// ProjectQuery selects projects. Filters combine.
type ProjectQuery struct {
	Status    string `json:"status,omitempty"`
	Health    string `json:"health,omitempty"`
	PartnerID int64  `json:"partnerId,omitempty"`
	// Attention keeps the projects that are at risk or late.
	Attention bool `json:"attention,omitempty"`
	// Mine keeps the projects the viewer is a member of.
	Mine bool `json:"mine,omitempty"`
	// Q matches the project's name or customer.
	Q       string `json:"q,omitempty"`
	Page    int    `json:"page,omitempty"`
	PerPage int    `json:"perPage,omitempty"` // default 25, at most 100
}

// ProjectPage is one page of projects: those needing attention first, then
// by target date.
type ProjectPage struct {
	Projects []Project `json:"projects"`
	Total    int       `json:"total"`
	Page     int       `json:"page"`
	PerPage  int       `json:"perPage"`
	// Partners are those the viewer may filter by or create a project for
	// (staff); empty for partners, who create for their own partner.
	Partners []PartnerRef `json:"partners,omitempty"`
	// Templates are the project templates the viewer may start from.
	Templates []TemplateRef `json:"templates,omitempty"`
}

// Milestone is a dated step of a project, with progress from its tasks.
type Milestone struct {
	ID        int64  `json:"id"`
	ProjectID int64  `json:"projectId"`
	Title     string `json:"title"`
	Start     string `json:"start"` // YYYY-MM-DD
	Due       string `json:"due"`   // YYYY-MM-DD
	// Done is true when it was marked done, or all its tasks are.
	Done      bool `json:"done"`
	Late      bool `json:"late,omitempty"`
	Progress  int  `json:"progress"` // 0–100
	Tasks     int  `json:"tasks"`
	TasksDone int  `json:"tasksDone"`
	Position  int  `json:"position"`
}

// CheckItem is one line of a task's checklist.
type CheckItem struct {
	Text string `json:"text"`
	Done bool   `json:"done,omitempty"`
}

// Task is a unit of work on a project.
type Task struct {
	ID          int64   `json:"id"`
	ProjectID   int64   `json:"projectId"`
	MilestoneID int64   `json:"milestoneId,omitempty"`
	Title       string  `json:"title"`
	Description string  `json:"description,omitempty"` // Markdown
	Assignee    *Person `json:"assignee,omitempty"`
	Due         string  `json:"due,omitempty"` // YYYY-MM-DD
	Status      string  `json:"status"`
	Late        bool    `json:"late,omitempty"`
	// Position orders tasks within a status column.
	Position     int         `json:"position"`
	Checklist    []CheckItem `json:"checklist,omitempty"`
	Comments     int         `json:"comments"`
	Deliverables int         `json:"deliverables"`
	UpdatedAt    time.Time   `json:"updatedAt"`
}

// ProjectDetail is a project with its milestones (in date order), its
// members and what the viewer may do.
type ProjectDetail struct {
	Project    Project     `json:"project"`
	Milestones []Milestone `json:"milestones"`
	Members    []Person    `json:"members"`
	// Candidates are people who may be added as members: the partner's
	// active users and the staff who reach the partner.
	Candidates []Person `json:"candidates,omitempty"`
	// ByStatus counts the tasks in each status.
	ByStatus map[string]int `json:"byStatus"`
	// Deliverables awaiting the vendor's review.
	Pending []Deliverable `json:"pending,omitempty"`
	// Handed are the deliverables on the project's milestones (not on a
	// task, whose page lists its own), in every state, newest first: a
	// file sent back gets its new version from here.
	Handed []Deliverable `json:"handed,omitempty"`
	// CanManage is true when the viewer may change the project itself
	// (name, dates, status, owners, members, milestones): its owners, its
	// partner's admins and the staff who reach the partner.
	CanManage bool `json:"canManage,omitempty"`
	// CanReview is true when the viewer may approve deliverables: staff
	// who reach the partner.
	CanReview bool `json:"canReview,omitempty"`
	// Today is the program's date, for drawing the timeline.
	Today string `json:"today"`
}

// TaskQuery selects a project's tasks. Filters combine.
type TaskQuery struct {
	ProjectID   int64  `json:"projectId"`
	MilestoneID int64  `json:"milestoneId,omitempty"`
	Status      string `json:"status,omitempty"`
	// Mine keeps the tasks assigned to the viewer.
	Mine bool `json:"mine,omitempty"`
	// Late keeps the overdue tasks.
	Late    bool `json:"late,omitempty"`
	Page    int  `json:"page,omitempty"`
	PerPage int  `json:"perPage,omitempty"` // default 100, at most 500
}

// TaskPage is one page of tasks, by status then position.
type TaskPage struct {
	Tasks   []Task `json:"tasks"`
	Total   int    `json:"total"`
	Page    int    `json:"page"`
	PerPage int    `json:"perPage"`
}

// Comment is one comment on a task. Body is Markdown.
type Comment struct {
	ID       int64      `json:"id"`
	TaskID   int64      `json:"taskId"`
	Author   Person     `json:"author"`
	Body     string     `json:"body"`
	At       time.Time  `json:"at"`
	EditedAt *time.Time `json:"editedAt,omitempty"`
	Mine     bool       `json:"mine,omitempty"`
}

// Activity is one line of a task's history: "Jennifer moved it to Done".
type Activity struct {
	At   time.Time `json:"at"`
	Who  string    `json:"who"`
	What string    `json:"what"`
}

// Deliverable is a file handed over on a task or milestone, with its review.
type Deliverable struct {
	FileID      int64  `json:"fileId"`
	ProjectID   int64  `json:"projectId"`
	TaskID      int64  `json:"taskId,omitempty"`
	MilestoneID int64  `json:"milestoneId,omitempty"`
	Name        string `json:"name"`
	Version     int    `json:"version"`
	Size        int64  `json:"size"`
	URL         string `json:"url"`
	// Status is Submitted, Approved or ChangesRequested, for the latest
	// version.
	Status      string     `json:"status"`
	SubmittedBy Person     `json:"submittedBy"`
	SubmittedAt time.Time  `json:"submittedAt"`
	ReviewedBy  *Person    `json:"reviewedBy,omitempty"`
	ReviewedAt  *time.Time `json:"reviewedAt,omitempty"`
	// Review is the reviewer's comment (required when sending back).
	Review string `json:"review,omitempty"`
}

// TaskDetail is a task with its comments (oldest first), history (newest
// first), deliverables, and the choices its form offers.
type TaskDetail struct {
	Task         Task          `json:"task"`
	ProjectName  string        `json:"projectName"`
	Comments     []Comment     `json:"comments"`
	Activity     []Activity    `json:"activity"`
	Deliverables []Deliverable `json:"deliverables"`
	// Assignable are the project's members.
	Assignable []Person    `json:"assignable"`
	Milestones []Milestone `json:"milestones"`
	CanReview  bool        `json:"canReview,omitempty"`
}

// TemplateRef names a project template.
type TemplateRef struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Milestones  int    `json:"milestones"`
	Tasks       int    `json:"tasks"`
}

// NewProject creates a project. Staff name the partner; a partner's user
// creates for their own partner (PartnerID 0). With TemplateID, the
// template's milestones and tasks are laid out from Start. The creator
// becomes a member and, unless named otherwise, the owner on their side.
type NewProject struct {
	PartnerID    int64   `json:"partnerId,omitempty"`
	Name         string  `json:"name"`
	Customer     string  `json:"customer"`
	Description  string  `json:"description,omitempty"`
	Start        string  `json:"start"`
	Target       string  `json:"target"`
	Status       string  `json:"status,omitempty"` // default Planned
	TemplateID   int64   `json:"templateId,omitempty"`
	PartnerOwner int64   `json:"partnerOwner,omitempty"`
	VendorOwner  int64   `json:"vendorOwner,omitempty"`
	Members      []int64 `json:"members,omitempty"`
}

// ProjectChange changes a project; nil fields stay as they are.
type ProjectChange struct {
	ID           int64   `json:"id"`
	Name         *string `json:"name,omitempty"`
	Customer     *string `json:"customer,omitempty"`
	Description  *string `json:"description,omitempty"`
	Start        *string `json:"start,omitempty"`
	Target       *string `json:"target,omitempty"`
	Status       *string `json:"status,omitempty"`
	PartnerOwner *int64  `json:"partnerOwner,omitempty"` // 0 clears
	VendorOwner  *int64  `json:"vendorOwner,omitempty"`  // 0 clears
	// AddMembers and RemoveMembers change who is on the project; an owner
	// or an assignee cannot be removed until replaced.
	AddMembers    []int64 `json:"addMembers,omitempty"`
	RemoveMembers []int64 `json:"removeMembers,omitempty"`
}

// MilestoneChange adds a milestone (ID 0) or changes one; nil fields stay.
type MilestoneChange struct {
	ID        int64   `json:"id,omitempty"`
	ProjectID int64   `json:"projectId,omitempty"` // when adding
	Title     *string `json:"title,omitempty"`
	Start     *string `json:"start,omitempty"`
	Due       *string `json:"due,omitempty"`
	Done      *bool   `json:"done,omitempty"`
	// Delete removes the milestone; its tasks stay, without a milestone.
	Delete bool `json:"delete,omitempty"`
}

// TaskChange adds a task (ID 0) or changes one; nil fields stay. Moving a
// task is a change of Status (and Position, for drag and drop).
type TaskChange struct {
	ID          int64   `json:"id,omitempty"`
	ProjectID   int64   `json:"projectId,omitempty"` // when adding
	MilestoneID *int64  `json:"milestoneId,omitempty"`
	Title       *string `json:"title,omitempty"`
	Description *string `json:"description,omitempty"`
	// Assignee must be a member of the project; 0 clears.
	Assignee *int64  `json:"assignee,omitempty"`
	Due      *string `json:"due,omitempty"` // "" clears
	Status   *string `json:"status,omitempty"`
	// Position places the task within its status column (0 first); nil
	// puts a moved task last.
	Position  *int         `json:"position,omitempty"`
	Checklist *[]CheckItem `json:"checklist,omitempty"`
	// Check ticks or unticks one checklist line by index, so two people
	// ticking different lines do not overwrite each other.
	Check *CheckMark `json:"check,omitempty"`
	// Delete removes the task with its comments.
	Delete bool `json:"delete,omitempty"`
}

// CheckMark ticks one line of a task's checklist.
type CheckMark struct {
	Index int  `json:"index"`
	Done  bool `json:"done"`
}

// NewComment comments on a task. @mentions of members notify them.
type NewComment struct {
	TaskID int64  `json:"taskId"`
	Body   string `json:"body"`
}

// Deliver hands over a file on a task or milestone (one of the two), or a
// new version of a deliverable (FileID), which goes back to Submitted.
type Deliver struct {
	TaskID      int64  `json:"taskId,omitempty"`
	MilestoneID int64  `json:"milestoneId,omitempty"`
	FileID      int64  `json:"fileId,omitempty"`
	Upload      string `json:"upload"` // an upload token
}

// Review approves a deliverable's latest version or sends it back; sending
// back needs a comment. Staff who reach the partner only.
type Review struct {
	FileID  int64  `json:"fileId"`
	Status  string `json:"status"` // Approved or ChangesRequested
	Comment string `json:"comment,omitempty"`
}

// SaveTemplate keeps a project's milestones and tasks (titles,
// descriptions, checklists, and dates relative to the project's start) as
// a program template. Staff only.
type SaveTemplate struct {
	ProjectID   int64  `json:"projectId"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// WorkloadQuery selects the staff view of work per assignee.
type WorkloadQuery struct {
	PartnerID int64 `json:"partnerId,omitempty"`
}

// Load is one assignee's open work over the projects the viewer sees.
type Load struct {
	Person   Person `json:"person"`
	Open     int    `json:"open"`
	Late     int    `json:"late"`
	Blocked  int    `json:"blocked"`
	Projects int    `json:"projects"`
}

// Workload is open work per assignee, most late first.
type Workload struct {
	People []Load `json:"people"`
}

// ByID names a project, milestone, task or deliverable's file.
type ByID struct {
	ID int64 `json:"id"`
}

// The host methods.
var (
	ListProjects    = sdk.Method[ProjectQuery, ProjectPage]{Name: "projects.list", Permission: PermRead}
	GetProject      = sdk.Method[ByID, ProjectDetail]{Name: "projects.get", Permission: PermRead}
	CreateProject   = sdk.Method[NewProject, ProjectDetail]{Name: "projects.create", Permission: PermWrite}
	UpdateProject   = sdk.Method[ProjectChange, ProjectDetail]{Name: "projects.update", Permission: PermWrite}
	ChangeMilestone = sdk.Method[MilestoneChange, Milestone]{Name: "projects.milestones.change", Permission: PermWrite}
	ListTasks       = sdk.Method[TaskQuery, TaskPage]{Name: "projects.tasks.list", Permission: PermRead}
	GetTask         = sdk.Method[ByID, TaskDetail]{Name: "projects.tasks.get", Permission: PermRead}
	ChangeTask      = sdk.Method[TaskChange, Task]{Name: "projects.tasks.change", Permission: PermWrite}
	AddComment      = sdk.Method[NewComment, Comment]{Name: "projects.comments.add", Permission: PermWrite}
	SubmitFile      = sdk.Method[Deliver, Deliverable]{Name: "projects.deliverables.submit", Permission: PermWrite}
	ReviewFile      = sdk.Method[Review, Deliverable]{Name: "projects.deliverables.review", Permission: PermWrite}
	ListTemplates   = sdk.Method[struct{}, []TemplateRef]{Name: "projects.templates.list", Permission: PermRead}
	SaveAsTemplate  = sdk.Method[SaveTemplate, TemplateRef]{Name: "projects.templates.save", Permission: PermWrite}
	GetWorkload     = sdk.Method[WorkloadQuery, Workload]{Name: "projects.workload", Permission: PermRead}
)
