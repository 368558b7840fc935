package projects_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/projects"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/projects"
	"github.com/uptrace/bun"
)

// TestCacheFollowsEveryChange changes, one by one, everything a project's
// board and detail show — through the service, through other services
// (a person's or a partner's name, a file's version) and by SQL behind
// the service's back, as another node would — and after each change
// reads the board and the detail through a service that has them cached
// and through one that has never seen them: both must tell the same.
func TestCacheFollowsEveryChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		d, err := w.svc.Create(ctx, w.jennifer, sp.NewProject{Name: "Rollout", Start: "2026-11-01", Target: "2027-01-31",
			Members: []int64{w.tom.UserID, w.mike.UserID}})
		if err != nil {
			t.Fatal(err)
		}
		pid := d.Project.ID
		ms, err := w.svc.ChangeMilestone(ctx, w.jennifer, sp.MilestoneChange{ProjectID: pid, Title: ptr("Kickoff"), Due: ptr("2026-12-20")})
		if err != nil {
			t.Fatal(err)
		}
		task, err := w.svc.ChangeTask(ctx, w.jennifer, sp.TaskChange{ProjectID: pid, Title: ptr("Plan"), Assignee: ptr(w.tom.UserID),
			Due: ptr("2026-12-10"), MilestoneID: ptr(ms.ID)})
		if err != nil {
			t.Fatal(err)
		}
		tok, _, err := w.files.Stage(ctx, w.tom.UserID, pdf("Plan.pdf"))
		if err != nil {
			t.Fatal(err)
		}
		dl, err := w.svc.Submit(ctx, w.tom, sp.Deliver{TaskID: task.ID, Upload: tok})
		if err != nil {
			t.Fatal(err)
		}
		queries := []sp.TaskQuery{
			{ProjectID: pid, PerPage: 500},
			{ProjectID: pid, Mine: true, PerPage: 500},
			{ProjectID: pid, Late: true, PerPage: 500},
			{ProjectID: pid, MilestoneID: ms.ID, PerPage: 500},
		}
		viewers := []sdk.Viewer{w.jennifer, w.tom, w.mike}
		// same reads everything through the warm service (filling its
		// cache first) and through a new one, and compares.
		same := func(t *testing.T, after string) {
			t.Helper()
			cold := projects.New(db, w.dir, reach.New(db), projects.Options{Files: w.files, Now: func() time.Time { return *w.clock }})
			for _, v := range viewers {
				for _, q := range queries {
					warm, err := w.svc.ListTasks(ctx, v, q)
					if err != nil {
						t.Fatal(err)
					}
					fresh, err := cold.ListTasks(ctx, v, q)
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(warm, fresh) {
						t.Errorf("after %s, %s's tasks %+v:\ncached %+v\nfresh  %+v", after, v.Name, q, warm, fresh)
					}
				}
				warm, err := w.svc.Get(ctx, v, pid)
				if err != nil {
					t.Fatal(err)
				}
				fresh, err := cold.Get(ctx, v, pid)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(warm, fresh) {
					t.Errorf("after %s, %s's project:\ncached %+v\nfresh  %+v", after, v.Name, warm, fresh)
				}
				for _, q := range []sp.ProjectQuery{{}, {Mine: true}, {Attention: true}, {Q: "rollout"}} {
					warm, err := w.svc.List(ctx, v, q)
					if err != nil {
						t.Fatal(err)
					}
					fresh, err := cold.List(ctx, v, q)
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(warm, fresh) {
						t.Errorf("after %s, %s's projects %+v:\ncached %+v\nfresh  %+v", after, v.Name, q, warm, fresh)
					}
				}
			}
		}
		same(t, "the start")
		sql := func(q string, args ...any) func() error {
			return func() error { _, err := db.ExecContext(ctx, q, args...); return err }
		}
		changes := []struct {
			name string
			do   func() error
		}{
			{"a task added", func() error {
				_, err := w.svc.ChangeTask(ctx, w.mike, sp.TaskChange{ProjectID: pid, Title: ptr("Train"), Assignee: ptr(w.mike.UserID)})
				return err
			}},
			{"a task moved", func() error {
				_, err := w.svc.ChangeTask(ctx, w.tom, sp.TaskChange{ID: task.ID, Status: ptr(sp.InProgress)})
				return err
			}},
			{"a comment", func() error {
				_, err := w.svc.AddComment(ctx, w.tom, sp.NewComment{TaskID: task.ID, Body: "Started."})
				return err
			}},
			{"a deliverable sent back", func() error {
				_, err := w.svc.Review(ctx, w.mike, sp.Review{FileID: dl.FileID, Status: sp.ChangesRequested, Comment: "More detail."})
				return err
			}},
			{"a milestone moved", func() error {
				_, err := w.svc.ChangeMilestone(ctx, w.jennifer, sp.MilestoneChange{ID: ms.ID, ProjectID: pid, Due: ptr("2026-12-01")})
				return err
			}},
			{"the project renamed", func() error {
				// What a write answers is what it wrote, though the
				// detail from before it is cached.
				d, err := w.svc.Update(ctx, w.jennifer, sp.ProjectChange{ID: pid, Name: ptr("Riverside rollout")})
				if err == nil && d.Project.Name != "Riverside rollout" {
					t.Errorf("the update answered %q", d.Project.Name)
				}
				return err
			}},
			{"Tom renamed", func() error {
				_, err := w.dir.UpdateUser(ctx, w.tom.UserID, directory.UserInput{Email: "tom@abc.test", Name: "Thomas Diaz",
					Role: sdk.RolePartnerUser, PartnerID: &w.abc.ID, ContactRole: "technical"})
				return err
			}},
			{"the partner renamed", sql("UPDATE partners SET name = 'ABC Corporation' WHERE id = ?", w.abc.ID)},
			{"a file renamed", sql("UPDATE files SET name = 'Plan v2.pdf' WHERE id = ?", dl.FileID)},
			{"a task retitled by another node", sql("UPDATE project_tasks SET title = 'Plan the rollout' WHERE id = ?", task.ID)},
			{"a comment deleted by another node", sql("DELETE FROM project_comments WHERE task_id = ?", task.ID)},
			{"a member removed by another node", sql("DELETE FROM project_members WHERE project_id = ? AND user_id = ?", pid, w.mike.UserID)},
			{"a milestone done by another node", sql("UPDATE project_milestones SET done = ? WHERE id = ?", true, ms.ID)},
			{"a day passed", func() error { *w.clock = w.clock.AddDate(0, 0, 5); return nil }},
			{"a second project made", func() error {
				_, err := w.svc.Create(ctx, w.jennifer, sp.NewProject{Name: "Second rollout", Start: "2026-11-01", Target: "2027-02-28"})
				return err
			}},
			{"a project deleted by another node", sql("DELETE FROM projects WHERE name = 'Second rollout'")},
		}
		for _, c := range changes {
			if err := c.do(); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			same(t, c.name)
		}
	})
}
