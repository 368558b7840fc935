package projects_test

import (
	"context"
	"errors"
	"testing"

	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/projects"
	"github.com/uptrace/bun"
)

// TestHostAPI calls every published method through the host, as the room
// does, and checks that the service's refusals arrive as the SDK's codes.
func TestHostAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		f := host.New(nil)
		w.svc.RegisterHost(f)
		jen, mike, olga := f.For(w.jennifer), f.For(w.mike), f.For(w.olga)
		refs, err := sp.ListTemplates.Call(ctx, jen, struct{}{})
		if err != nil || len(refs) != 1 {
			t.Fatalf("templates: %+v, %v", refs, err)
		}
		d, err := sp.CreateProject.Call(ctx, jen, sp.NewProject{Name: "Rollout", Start: "2026-11-01", Target: "2027-01-31", TemplateID: refs[0].ID,
			VendorOwner: w.mike.UserID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sp.GetProject.Call(ctx, olga, sp.ByID{ID: d.Project.ID}); !errors.Is(err, sdk.ErrNotFound) {
			t.Errorf("Olga gets the project: %v, want sdk.ErrNotFound", err)
		}
		var ce *sdk.CallError
		if _, err := sp.CreateProject.Call(ctx, jen, sp.NewProject{Name: "Backwards", Start: "2026-12-01", Target: "2026-11-01"}); !errors.As(err, &ce) || ce.Fields["target"] == "" {
			t.Errorf("backwards dates: %v, want a field error on target", err)
		}
		if _, err := sp.UpdateProject.Call(ctx, jen, sp.ProjectChange{ID: d.Project.ID, Status: ptr(sp.Active)}); err != nil {
			t.Fatal(err)
		}
		if _, err := sp.ChangeMilestone.Call(ctx, mike, sp.MilestoneChange{ID: d.Milestones[0].ID, Done: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		page, err := sp.ListTasks.Call(ctx, jen, sp.TaskQuery{ProjectID: d.Project.ID, PerPage: 500})
		if err != nil || page.Total != 16 {
			t.Fatalf("tasks: %d, %v", page.Total, err)
		}
		task := page.Tasks[0]
		if _, err := sp.ChangeTask.Call(ctx, jen, sp.TaskChange{ID: task.ID, Assignee: ptr(w.mike.UserID), Check: &sp.CheckMark{Index: 0, Done: true}}); err != nil {
			t.Fatal(err)
		}
		if _, err := sp.AddComment.Call(ctx, mike, sp.NewComment{TaskID: task.ID, Body: "On it, @Jennifer."}); err != nil {
			t.Fatal(err)
		}
		tok, _, err := w.files.Stage(ctx, w.jennifer.UserID, pdf("Agenda.pdf"))
		if err != nil {
			t.Fatal(err)
		}
		dl, err := sp.SubmitFile.Call(ctx, jen, sp.Deliver{TaskID: task.ID, Upload: tok})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sp.ReviewFile.Call(ctx, jen, sp.Review{FileID: dl.FileID, Status: sp.Approved}); !errors.Is(err, sdk.ErrPermission) {
			t.Errorf("Jennifer reviews: %v, want sdk.ErrPermission", err)
		}
		if _, err := sp.ReviewFile.Call(ctx, mike, sp.Review{FileID: dl.FileID, Status: sp.Approved}); err != nil {
			t.Fatal(err)
		}
		td, err := sp.GetTask.Call(ctx, jen, sp.ByID{ID: task.ID})
		if err != nil || !td.Task.Checklist[0].Done || len(td.Comments) != 1 || td.Deliverables[0].Status != sp.Approved {
			t.Errorf("task: %+v, %v", td, err)
		}
		if _, err := sp.SaveAsTemplate.Call(ctx, mike, sp.SaveTemplate{ProjectID: d.Project.ID, Name: "Ours"}); err != nil {
			t.Fatal(err)
		}
		if wl, err := sp.GetWorkload.Call(ctx, mike, sp.WorkloadQuery{}); err != nil || len(wl.People) != 1 {
			t.Errorf("workload: %+v, %v", wl, err)
		}
		if list, err := sp.ListProjects.Call(ctx, mike, sp.ProjectQuery{}); err != nil || list.Total != 1 || len(list.Partners) != 1 {
			t.Errorf("Mike's list: %+v, %v", list, err)
		}
	})
}
