package projects_test

import (
	"context"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/projects"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/projects"
	"github.com/uptrace/bun"
)

// TestValidation refuses bad input with the field to change, and keeps
// what was there.
func TestValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		mine, err := w.svc.Create(ctx, w.jennifer, sp.NewProject{Name: "Rollout", Start: "2026-11-01", Target: "2027-01-31"})
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := w.svc.Create(ctx, w.mike, sp.NewProject{PartnerID: w.abc.ID, Name: "Other rollout", Start: "2026-11-01", Target: "2027-01-31"})
		if err != nil {
			t.Fatal(err)
		}
		foreignMilestone, err := w.svc.ChangeMilestone(ctx, w.mike, sp.MilestoneChange{ProjectID: theirs.Project.ID, Title: ptr("Kickoff"), Due: ptr("2026-11-10")})
		if err != nil {
			t.Fatal(err)
		}
		task, err := w.svc.ChangeTask(ctx, w.jennifer, sp.TaskChange{ProjectID: mine.Project.ID, Title: ptr("Plan")})
		if err != nil {
			t.Fatal(err)
		}
		long := strings.Repeat("x", projects.MaxName+1)
		cases := []struct {
			name  string
			do    func() error
			field string
		}{
			{"target before start", func() error {
				_, err := w.svc.Create(ctx, w.jennifer, sp.NewProject{Name: "A", Start: "2026-12-01", Target: "2026-11-01"})
				return err
			}, "target"},
			{"empty name", func() error {
				_, err := w.svc.Create(ctx, w.jennifer, sp.NewProject{Name: "  ", Start: "2026-12-01", Target: "2027-01-01"})
				return err
			}, "name"},
			{"name too long", func() error {
				_, err := w.svc.Create(ctx, w.jennifer, sp.NewProject{Name: long, Start: "2026-12-01", Target: "2027-01-01"})
				return err
			}, "name"},
			{"not a date", func() error {
				_, err := w.svc.Create(ctx, w.jennifer, sp.NewProject{Name: "A", Start: "01/12/2026", Target: "2027-01-01"})
				return err
			}, "start"},
			{"unknown project status", func() error {
				_, err := w.svc.Create(ctx, w.jennifer, sp.NewProject{Name: "A", Start: "2026-12-01", Target: "2027-01-01", Status: "paused"})
				return err
			}, "status"},
			{"staff without a partner", func() error {
				_, err := w.svc.Create(ctx, w.mike, sp.NewProject{Name: "A", Start: "2026-12-01", Target: "2027-01-01"})
				return err
			}, "partnerId"},
			{"owner from another partner", func() error {
				_, err := w.svc.Create(ctx, w.jennifer, sp.NewProject{Name: "A", Start: "2026-12-01", Target: "2027-01-01", PartnerOwner: w.olga.UserID})
				return err
			}, "partnerOwner"},
			{"target moved before start", func() error {
				_, err := w.svc.Update(ctx, w.jennifer, sp.ProjectChange{ID: mine.Project.ID, Target: ptr("2026-10-01")})
				return err
			}, "target"},
			{"milestone due before its start", func() error {
				_, err := w.svc.ChangeMilestone(ctx, w.jennifer, sp.MilestoneChange{ProjectID: mine.Project.ID, Title: ptr("Kickoff"), Start: ptr("2026-11-10"), Due: ptr("2026-11-05")})
				return err
			}, "due"},
			{"milestone before the project", func() error {
				_, err := w.svc.ChangeMilestone(ctx, w.jennifer, sp.MilestoneChange{ProjectID: mine.Project.ID, Title: ptr("Early"), Start: ptr("2026-10-01"), Due: ptr("2026-11-05")})
				return err
			}, "start"},
			{"milestone without a title", func() error {
				_, err := w.svc.ChangeMilestone(ctx, w.jennifer, sp.MilestoneChange{ProjectID: mine.Project.ID, Due: ptr("2026-11-05")})
				return err
			}, "title"},
			{"assignee not a member", func() error {
				_, err := w.svc.ChangeTask(ctx, w.jennifer, sp.TaskChange{ID: task.ID, Assignee: ptr(w.tom.UserID)})
				return err
			}, "assignee"},
			{"assignee of another partner", func() error {
				_, err := w.svc.ChangeTask(ctx, w.jennifer, sp.TaskChange{ID: task.ID, Assignee: ptr(w.olga.UserID)})
				return err
			}, "assignee"},
			{"task moved to another project's milestone", func() error {
				_, err := w.svc.ChangeTask(ctx, w.jennifer, sp.TaskChange{ID: task.ID, MilestoneID: ptr(foreignMilestone.ID)})
				return err
			}, "milestoneId"},
			{"task moved to another project", func() error {
				_, err := w.svc.ChangeTask(ctx, w.jennifer, sp.TaskChange{ID: task.ID, ProjectID: theirs.Project.ID})
				return err
			}, "projectId"},
			{"unknown task status", func() error {
				_, err := w.svc.ChangeTask(ctx, w.jennifer, sp.TaskChange{ID: task.ID, Status: ptr("waiting")})
				return err
			}, "status"},
			{"task without a title", func() error {
				_, err := w.svc.ChangeTask(ctx, w.jennifer, sp.TaskChange{ProjectID: mine.Project.ID, Title: ptr("")})
				return err
			}, "title"},
			{"bad due date", func() error {
				_, err := w.svc.ChangeTask(ctx, w.jennifer, sp.TaskChange{ID: task.ID, Due: ptr("tomorrow")})
				return err
			}, "due"},
			{"tick a missing line", func() error {
				_, err := w.svc.ChangeTask(ctx, w.jennifer, sp.TaskChange{ID: task.ID, Check: &sp.CheckMark{Index: 3, Done: true}})
				return err
			}, "check"},
			{"empty comment", func() error {
				_, err := w.svc.AddComment(ctx, w.jennifer, sp.NewComment{TaskID: task.ID, Body: " \n "})
				return err
			}, "body"},
			{"deliver on neither task nor milestone", func() error {
				_, err := w.svc.Submit(ctx, w.jennifer, sp.Deliver{Upload: "1"})
				return err
			}, "taskId"},
			{"deliver someone else's upload", func() error {
				tok, _, err := w.files.Stage(ctx, w.tom.UserID, pdf("Tom's.pdf"))
				if err != nil {
					return err
				}
				_, err = w.svc.Submit(ctx, w.jennifer, sp.Deliver{TaskID: task.ID, Upload: tok})
				return err
			}, "upload"},
			{"unknown health filter", func() error {
				_, err := w.svc.List(ctx, w.jennifer, sp.ProjectQuery{Health: "fine"})
				return err
			}, "health"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				err := c.do()
				if code(err) != fail.Invalid || field(err, c.field) == "" {
					t.Errorf("err = %v, want a message on %q", err, c.field)
				}
			})
		}
		// Nothing changed on the way.
		got, err := w.svc.GetTask(ctx, w.jennifer, task.ID)
		if err != nil || got.Task.Assignee != nil || got.Task.MilestoneID != 0 || got.Task.Status != sp.ToDo || got.Task.Due != "" {
			t.Errorf("task after refusals = %+v, %v", got.Task, err)
		}
	})
}

// TestHealth derives health from milestones and tasks, as the sdk says.
func TestHealth(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db) // today is 2026-12-07
		type milestone struct {
			due  string
			done bool
			// tasks and how many of them are done
			tasks, doneTasks int
		}
		cases := []struct {
			name       string
			status     string
			milestones []milestone
			taskDue    string // one open task's due date, "" for none
			want       string
		}{
			{"nothing dated", sp.Active, nil, "", sp.OnTrack},
			{"milestone past due", sp.Active, []milestone{{due: "2026-12-01"}}, "", sp.Late},
			{"milestone past due but done", sp.Active, []milestone{{due: "2026-12-01", done: true}}, "", sp.OnTrack},
			{"milestone past due, all tasks done", sp.Active, []milestone{{due: "2026-12-01", tasks: 2, doneTasks: 2}}, "", sp.OnTrack},
			{"task overdue", sp.Active, nil, "2026-12-06", sp.AtRisk},
			{"task due today", sp.Active, nil, "2026-12-07", sp.OnTrack},
			{"milestone due in a week, a third done", sp.Active, []milestone{{due: "2026-12-12", tasks: 3, doneTasks: 1}}, "", sp.AtRisk},
			{"milestone due in a week, half done", sp.Active, []milestone{{due: "2026-12-12", tasks: 2, doneTasks: 1}}, "", sp.OnTrack},
			{"milestone due in a month, nothing done", sp.Active, []milestone{{due: "2027-01-12", tasks: 3}}, "", sp.OnTrack},
			{"late but finished", sp.Done, []milestone{{due: "2026-12-01"}}, "2026-11-01", sp.OnTrack},
			{"late but cancelled", sp.Cancelled, []milestone{{due: "2026-12-01"}}, "", sp.OnTrack},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				d, err := w.svc.Create(ctx, w.mike, sp.NewProject{PartnerID: w.abc.ID, Name: c.name, Start: "2026-11-01", Target: "2027-03-01", Status: c.status})
				if err != nil {
					t.Fatal(err)
				}
				pid := d.Project.ID
				for _, m := range c.milestones {
					ms, err := w.svc.ChangeMilestone(ctx, w.mike, sp.MilestoneChange{ProjectID: pid, Title: ptr("Step"), Due: ptr(m.due), Done: ptr(m.done)})
					if err != nil {
						t.Fatal(err)
					}
					for i := 0; i < m.tasks; i++ {
						st := sp.ToDo
						if i < m.doneTasks {
							st = sp.TaskDone
						}
						if _, err := w.svc.ChangeTask(ctx, w.mike, sp.TaskChange{ProjectID: pid, Title: ptr("Work"), MilestoneID: ptr(ms.ID), Status: ptr(st)}); err != nil {
							t.Fatal(err)
						}
					}
				}
				if c.taskDue != "" {
					if _, err := w.svc.ChangeTask(ctx, w.mike, sp.TaskChange{ProjectID: pid, Title: ptr("Dated"), Due: ptr(c.taskDue)}); err != nil {
						t.Fatal(err)
					}
				}
				page, err := w.svc.List(ctx, w.mike, sp.ProjectQuery{Q: c.name, PerPage: 100})
				if err != nil || len(page.Projects) != 1 {
					t.Fatalf("list = %+v, %v", page, err)
				}
				if got := page.Projects[0].Health; got != c.want {
					t.Errorf("health = %s, want %s (%+v)", got, c.want, page.Projects[0])
				}
				filtered, err := w.svc.List(ctx, w.mike, sp.ProjectQuery{Q: c.name, Health: c.want})
				if err != nil || filtered.Total != 1 {
					t.Errorf("filtered by %s: %d, %v", c.want, filtered.Total, err)
				}
			})
		}
		// Attention first, then by target date.
		page, err := w.svc.List(ctx, w.mike, sp.ProjectQuery{PerPage: 100})
		if err != nil {
			t.Fatal(err)
		}
		seenCalm := false
		for _, p := range page.Projects {
			if p.Health == sp.OnTrack {
				seenCalm = true
			} else if seenCalm {
				t.Errorf("%q (%s) listed after a project on track", p.Name, p.Health)
			}
		}
	})
}

// TestPermissions: who may do what on a project of ABC Corp.
func TestPermissions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		d, err := w.svc.Create(ctx, w.mike, sp.NewProject{PartnerID: w.abc.ID, Name: "Rollout", Start: "2026-11-01", Target: "2027-01-31",
			PartnerOwner: w.jennifer.UserID})
		if err != nil {
			t.Fatal(err)
		}
		pid := d.Project.ID
		task, err := w.svc.ChangeTask(ctx, w.mike, sp.TaskChange{ProjectID: pid, Title: ptr("Plan")})
		if err != nil {
			t.Fatal(err)
		}
		preview := w.jennifer
		preview.Preview = true
		cases := []struct {
			name                          string
			v                             sdk.Viewer
			see, manage, task, createHere fail.Code
		}{
			{"vendor admin", w.admin, "", "", "", ""},
			{"the partner's manager", w.mike, "", "", "", ""},
			{"another manager", w.nina, fail.NotFound, fail.NotFound, fail.NotFound, fail.NotFound},
			{"partner admin", w.jennifer, "", "", "", ""},
			{"partner user", w.tom, "", fail.Forbidden, "", ""},
			{"another partner's admin", w.olga, fail.NotFound, fail.NotFound, fail.NotFound, fail.NotFound},
			{"a preview", preview, fail.NotFound, fail.NotFound, fail.NotFound, fail.NotFound},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := w.svc.Get(ctx, c.v, pid)
				if code(err) != c.see && !(c.see == "" && err == nil) {
					t.Errorf("get: %v, want %q", err, c.see)
				}
				_, err = w.svc.Update(ctx, c.v, sp.ProjectChange{ID: pid, Customer: ptr("Riverside")})
				if code(err) != c.manage && !(c.manage == "" && err == nil) {
					t.Errorf("update: %v, want %q", err, c.manage)
				}
				_, err = w.svc.ChangeMilestone(ctx, c.v, sp.MilestoneChange{ProjectID: pid, Title: ptr("Kickoff"), Due: ptr("2026-11-10")})
				if code(err) != c.manage && !(c.manage == "" && err == nil) {
					t.Errorf("add milestone: %v, want %q", err, c.manage)
				}
				_, err = w.svc.ChangeTask(ctx, c.v, sp.TaskChange{ID: task.ID, Status: ptr(sp.InProgress)})
				if code(err) != c.task && !(c.task == "" && err == nil) {
					t.Errorf("move task: %v, want %q", err, c.task)
				}
				_, err = w.svc.Create(ctx, c.v, sp.NewProject{PartnerID: w.abc.ID, Name: "Another", Start: "2026-11-01", Target: "2027-01-31"})
				if code(err) != c.createHere && !(c.createHere == "" && err == nil) {
					t.Errorf("create for ABC: %v, want %q", err, c.createHere)
				}
			})
		}
		// A deactivated user sees nothing at all.
		if err := w.dir.SetActive(ctx, w.tom.UserID, false); err != nil {
			t.Fatal(err)
		}
		if page, err := w.svc.List(ctx, w.tom, sp.ProjectQuery{}); err != nil || page.Total != 0 {
			t.Errorf("deactivated Tom lists %d, %v", page.Total, err)
		}
		if _, err := w.svc.GetTask(ctx, w.tom, task.ID); code(err) != fail.NotFound {
			t.Errorf("deactivated Tom loads a task: %v", err)
		}
	})
}

// TestReminders: due tomorrow and overdue go out once each, to assignees
// who still see the project.
func TestReminders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db) // today is 2026-12-07
		d, err := w.svc.Create(ctx, w.mike, sp.NewProject{PartnerID: w.abc.ID, Name: "Rollout", Start: "2026-11-01", Target: "2027-01-31",
			Members: []int64{w.tom.UserID, w.jennifer.UserID}, Status: sp.Active})
		if err != nil {
			t.Fatal(err)
		}
		add := func(title, due string, who sdk.Viewer) {
			if _, err := w.svc.ChangeTask(ctx, w.mike, sp.TaskChange{ProjectID: d.Project.ID, Title: ptr(title), Due: ptr(due), Assignee: ptr(who.UserID)}); err != nil {
				t.Fatal(err)
			}
		}
		add("Import the data", "2026-12-08", w.tom)
		add("Send the plan", "2026-12-03", w.tom)
		add("Today's work", "2026-12-07", w.tom)
		add("Jennifer's late work", "2026-12-01", w.jennifer)
		if err := w.dir.SetActive(ctx, w.jennifer.UserID, false); err != nil {
			t.Fatal(err)
		}
		n, err := w.svc.Remind(ctx)
		if err != nil || n != 2 {
			t.Fatalf("first sweep sent %d, %v; want 2", n, err)
		}
		if n, err := w.svc.Remind(ctx); err != nil || n != 0 {
			t.Errorf("second sweep sent %d, %v; want 0", n, err)
		}
		got := w.notes(t, w.tom)
		want := map[string]bool{"project.due: Due tomorrow: Import the data": true, "project.overdue: Overdue: Send the plan": true}
		for _, g := range got {
			if strings.HasPrefix(g, "project.assigned") {
				continue
			}
			if !want[g] {
				t.Errorf("unexpected notification %q", g)
			}
			delete(want, g)
		}
		if len(want) > 0 {
			t.Errorf("missing %v among %v", want, got)
		}
		if got := w.notes(t, w.jennifer); len(got) != 1 { // the assignment only
			t.Errorf("deactivated Jennifer heard %v", got)
		}
	})
}
