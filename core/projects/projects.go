// Package projects keeps the customer projects a partner runs with the
// vendor's team: projects, their members and owners, milestones on a
// timeline, tasks with checklists, comments and history, deliverables (files
// of the file store with a review), templates, workload and the reminders
// of due and overdue work. It serves the host API of sdk/projects, the REST
// API and the staff export.
//
// Who sees a project is decided once, here, from core/reach: staff see the
// projects of the partners they reach; a partner's active users see their
// own partner's projects. Like conversations, a project is private to its
// partner: a distributor does not see its sub-partners' projects. Every
// list and load is narrowed in SQL; a project (or anything in it) the
// viewer may not see answers NotFound, like one that does not exist.
//
// Health is derived, never stored: a milestone past its due date and not
// done makes a project late; an overdue task, or a milestone due within a
// week with less than half its tasks done, puts it at risk. Lists compute
// it in the one query that lists the projects.
package projects

import (
	"context"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/projects"
	"github.com/uptrace/bun"
)

// Notification kinds; people choose per kind how they hear of them.
const (
	KindAssigned = "project.assigned"
	KindDue      = "project.due"
	KindOverdue  = "project.overdue"
	KindReviewed = "project.reviewed"
	KindMention  = "project.mention"
)

// Kinds are the notification kinds of Projects, as a person chooses how to
// hear of them.
var Kinds = []notify.Kind{
	{Name: KindAssigned, Label: "A project task is assigned to you", Group: "Projects"},
	{Name: KindDue, Label: "A task of yours is due tomorrow", Group: "Projects"},
	{Name: KindOverdue, Label: "A task of yours is overdue", Group: "Projects"},
	{Name: KindReviewed, Label: "A deliverable of yours is approved or sent back", Group: "Projects"},
	{Name: KindMention, Label: "Someone mentions you on a project task", Group: "Projects"},
}

// Limits of what one person may write.
const (
	MaxName        = 200
	MaxDescription = 20000
	MaxComment     = 10000
	MaxChecklist   = 100
	MaxCheckText   = 500
	MaxMilestones  = 100
	MaxTasks       = 5000
)

// dateLayout is how dates without a time of day travel and are stored.
const dateLayout = "2006-01-02"

// Notifier tells people about work on projects (core/notify).
type Notifier interface {
	Notify(ctx context.Context, recipients []int64, n notify.Notification) error
}

// Options configure a Service.
type Options struct {
	// Files stores deliverables; nil refuses them.
	Files *files.Service
	// Notify is told about assignments, reviews, mentions and reminders;
	// nil tells nobody.
	Notify Notifier
	// RoomPath is where the Projects room lives ("/rooms/projects"), for
	// links in notifications.
	RoomPath func(ctx context.Context) string
	// Location is the program's time zone: "today" and "late" are read on
	// its calendar. Default UTC.
	Location *time.Location
	Now      func() time.Time
	Log      *slog.Logger
}

// Service reads and writes projects.
type Service struct {
	db    *bun.DB
	dir   *directory.Directory
	reach *reach.Resolver
	opts  Options
	cache caches
}

// New returns a Service over db.
func New(db *bun.DB, dir *directory.Directory, res *reach.Resolver, opts Options) *Service {
	if opts.Now == nil {
		opts.Now = func() time.Time { return time.Now().UTC() }
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.RoomPath == nil {
		opts.RoomPath = func(context.Context) string { return "/rooms/projects" }
	}
	return &Service{db: db, dir: dir, reach: res, opts: opts, cache: newCaches()}
}

// today is the program's date.
func (s *Service) today() time.Time {
	n := s.opts.Now().In(s.opts.Location)
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

func day(t time.Time) string { return t.Format(dateLayout) }

// projectRow is a stored project.
type projectRow struct {
	bun.BaseModel `bun:"table:projects,alias:p"`

	ID             int64     `bun:"id,pk,autoincrement"`
	PartnerID      int64     `bun:"partner_id"`
	Name           string    `bun:"name"`
	Customer       string    `bun:"customer"`
	Description    string    `bun:"description"`
	StartOn        string    `bun:"start_on"`
	TargetOn       string    `bun:"target_on"`
	Status         string    `bun:"status"`
	PartnerOwnerID *int64    `bun:"partner_owner_id"`
	VendorOwnerID  *int64    `bun:"vendor_owner_id"`
	Tasks          int       `bun:"tasks"`
	TasksDone      int       `bun:"tasks_done"`
	CreatedBy      *int64    `bun:"created_by"`
	CreatedAt      time.Time `bun:"created_at"`
	UpdatedAt      time.Time `bun:"updated_at"`
	// Revision is raised by the database on every change to what the
	// project's pages show; see cache.go.
	Revision int64 `bun:"revision"`
}

type memberRow struct {
	bun.BaseModel `bun:"table:project_members"`

	ProjectID int64     `bun:"project_id,pk"`
	UserID    int64     `bun:"user_id,pk"`
	AddedAt   time.Time `bun:"added_at"`
}

type milestoneRow struct {
	bun.BaseModel `bun:"table:project_milestones,alias:m"`

	ID        int64  `bun:"id,pk,autoincrement"`
	ProjectID int64  `bun:"project_id"`
	Title     string `bun:"title"`
	StartOn   string `bun:"start_on"`
	DueOn     string `bun:"due_on"`
	Done      bool   `bun:"done"`
	Position  int    `bun:"position"`
	Tasks     int    `bun:"tasks"`
	TasksDone int    `bun:"tasks_done"`
}

type taskRow struct {
	bun.BaseModel `bun:"table:project_tasks,alias:t"`

	ID          int64     `bun:"id,pk,autoincrement"`
	ProjectID   int64     `bun:"project_id"`
	PartnerID   int64     `bun:"partner_id"`
	MilestoneID *int64    `bun:"milestone_id"`
	Title       string    `bun:"title"`
	Description string    `bun:"description"`
	AssigneeID  *int64    `bun:"assignee_id"`
	DueOn       string    `bun:"due_on"`
	Status      string    `bun:"status"`
	Position    int       `bun:"position"`
	Checklist   string    `bun:"checklist"`
	CreatedBy   *int64    `bun:"created_by"`
	CreatedAt   time.Time `bun:"created_at"`
	UpdatedAt   time.Time `bun:"updated_at"`
}

type commentRow struct {
	bun.BaseModel `bun:"table:project_comments,alias:c"`

	ID        int64      `bun:"id,pk,autoincrement"`
	TaskID    int64      `bun:"task_id"`
	ProjectID int64      `bun:"project_id"`
	AuthorID  *int64     `bun:"author_id"`
	Body      string     `bun:"body"`
	CreatedAt time.Time  `bun:"created_at"`
	EditedAt  *time.Time `bun:"edited_at"`
}

type activityRow struct {
	bun.BaseModel `bun:"table:project_activity,alias:a"`

	ID        int64  `bun:"id,pk,autoincrement"`
	ProjectID int64  `bun:"project_id"`
	TaskID    *int64 `bun:"task_id"`
	UserID    *int64 `bun:"user_id"`
	Who       string `bun:"who"`
	What      string `bun:"what"`
	// WhatText is the line as a message of the catalogue (see act), ""
	// for lines stored before history was worded per reader.
	WhatText string    `bun:"what_text"`
	At       time.Time `bun:"at"`
}

type deliverableRow struct {
	bun.BaseModel `bun:"table:project_deliverables,alias:d"`

	FileID      int64      `bun:"file_id,pk"`
	ProjectID   int64      `bun:"project_id"`
	TaskID      *int64     `bun:"task_id"`
	MilestoneID *int64     `bun:"milestone_id"`
	Status      string     `bun:"status"`
	Version     int        `bun:"version"`
	SubmittedBy *int64     `bun:"submitted_by"`
	SubmittedAt time.Time  `bun:"submitted_at"`
	ReviewedBy  *int64     `bun:"reviewed_by"`
	ReviewedAt  *time.Time `bun:"reviewed_at"`
	Review      string     `bun:"review"`
}

// access is what one viewer may do, resolved once per call.
type access struct {
	v  sdk.Viewer
	rc reach.Reach
}

func (s *Service) access(ctx context.Context, v sdk.Viewer) (access, error) {
	rc, err := s.reach.For(ctx, v)
	if err != nil {
		return access{}, err
	}
	return access{v: v, rc: rc}, nil
}

func (a access) staff() bool { return a.rc.IsStaff() }

// sees reports whether the viewer sees a partner's projects: staff the
// partners they reach, a partner's users their own partner only.
func (a access) sees(partnerID int64) bool {
	if a.rc.IsStaff() {
		return a.rc.CanRead(partnerID)
	}
	return a.rc.CanWrite(partnerID)
}

// narrow limits a query to the projects the viewer sees, by col (the
// project's partner column).
func (a access) narrow(q *bun.SelectQuery, col string) *bun.SelectQuery {
	if a.rc.IsStaff() {
		return a.rc.Where(q, col)
	}
	return a.rc.WhereWritable(q, col)
}

// manages reports whether the viewer may change project p itself: its
// owners, its partner's admins and the staff who reach the partner.
func (a access) manages(p projectRow) bool {
	if !a.sees(p.PartnerID) {
		return false
	}
	if a.rc.IsStaff() {
		return a.rc.Manages(p.PartnerID)
	}
	if a.v.Role == sdk.RolePartnerAdmin {
		return true
	}
	own := func(id *int64) bool { return id != nil && *id == a.v.UserID }
	return own(p.PartnerOwnerID) || own(p.VendorOwnerID)
}

// reviews reports whether the viewer may review deliverables of partner.
func (a access) reviews(partnerID int64) bool { return a.rc.Manages(partnerID) }

// seesUser reports whether a person (by id, reach read fresh) still sees a
// partner's projects, so that nobody who lost access hears of them.
func (s *Service) seesUser(ctx context.Context, userID, partnerID int64) (bool, error) {
	rc, err := s.reach.ForUser(ctx, userID)
	if err != nil {
		return false, err
	}
	return access{rc: rc}.sees(partnerID), nil
}

// cleanLine trims a one-line text and checks it: required, at most max
// characters. Problems are reported on field; required is the catalogue id
// of what to write when the text is missing ("" when it may be).
func cleanLine(field, s string, max int, required string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	switch {
	case s == "" && required != "":
		return "", fail.Field(field, required)
	case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
		return "", fail.Field(field, "invalid.text-unstorable")
	case utf8.RuneCountInString(s) > max:
		return "", fail.Field(field, "invalid.keep-under", "Max", max)
	}
	return s, nil
}

// cleanText trims a Markdown text and checks its length.
func cleanText(field, s string, max int) (string, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	switch {
	case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
		return "", fail.Field(field, "invalid.text-unstorable")
	case utf8.RuneCountInString(s) > max:
		return "", fail.Field(field, "invalid.keep-under", "Max", max)
	}
	return s, nil
}

// cleanDate checks a "YYYY-MM-DD" date; "" is refused when required.
func cleanDate(field, s string, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			return "", fail.Field(field, "invalid.date-required")
		}
		return "", nil
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil || t.Year() < 2000 || t.Year() > 2200 {
		return "", fail.Field(field, "invalid.date-format-project")
	}
	return day(t), nil
}

func addDays(d string, n int) string {
	t, err := time.Parse(dateLayout, d)
	if err != nil {
		return d
	}
	return day(t.AddDate(0, 0, n))
}

func daysBetween(from, to string) int {
	a, err1 := time.Parse(dateLayout, from)
	b, err2 := time.Parse(dateLayout, to)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(b.Sub(a).Hours() / 24)
}

var projectStatuses = []string{sp.Planned, sp.Active, sp.OnHold, sp.Done, sp.Cancelled}
var taskStatuses = []string{sp.ToDo, sp.InProgress, sp.Blocked, sp.TaskDone}

func validStatus(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func progress(done, total int) int {
	if total == 0 {
		return 0
	}
	return done * 100 / total
}

func notFound() error { return fail.Msg(fail.NotFound, "invalid.project.none") }
