package projects_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/blob"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/core/projects"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/projects"
	"github.com/uptrace/bun"
)

// world is a vendor with two partners: Jennifer (admin) and Tom work for
// ABC Corp, managed by Mike; Olga works for Other Co, managed by Nina.
type world struct {
	svc    *projects.Service
	files  *files.Service
	notify *notify.Service
	dir    *directory.Directory
	clock  *time.Time

	admin, mike, nina, jennifer, tom, olga sdk.Viewer
	abc, other                             directory.Partner
}

func newWorld(t *testing.T, db *bun.DB) *world {
	t.Helper()
	ctx := context.Background()
	dir := directory.New(db)
	user := func(email, name string, role sdk.Role, p *directory.Partner) directory.User {
		in := directory.UserInput{Email: email, Name: name, Role: role}
		if p != nil {
			in.PartnerID = &p.ID
			in.ContactRole = "technical"
		}
		u, err := dir.CreateUser(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	partner := func(name string, manager int64) directory.Partner {
		p, err := dir.CreatePartner(ctx, directory.PartnerInput{Name: name, Type: "implementation", Tier: "gold", Stage: "active", ManagerID: &manager})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	w := &world{dir: dir}
	admin := user("admin@vendor.test", "Ada Admin", sdk.RoleAdmin, nil)
	mike := user("mike@vendor.test", "Mike Chen", sdk.RoleManager, nil)
	nina := user("nina@vendor.test", "Nina Park", sdk.RoleManager, nil)
	w.abc, w.other = partner("ABC Corp", mike.ID), partner("Other Co", nina.ID)
	jennifer := user("jennifer@abc.test", "Jennifer Lee", sdk.RolePartnerAdmin, &w.abc)
	tom := user("tom@abc.test", "Tom Diaz", sdk.RolePartnerUser, &w.abc)
	olga := user("olga@other.test", "Olga Berg", sdk.RolePartnerAdmin, &w.other)
	w.admin, w.mike, w.nina = admin.Viewer(nil), mike.Viewer(nil), nina.Viewer(nil)
	w.jennifer, w.tom, w.olga = jennifer.Viewer(&w.abc), tom.Viewer(&w.abc), olga.Viewer(&w.other)
	blobs, err := blob.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	w.clock = &now
	clock := func() time.Time { return *w.clock }
	w.files = files.New(db, blobs, files.Options{Now: clock})
	w.notify = notify.New(db, notify.WithClock(clock))
	w.svc = projects.New(db, dir, reach.New(db), projects.Options{Files: w.files, Notify: w.notify, Now: clock})
	return w
}

func code(err error) fail.Code { return fail.CodeOf(err) }

func field(err error, name string) string {
	if fe := fail.As(err); fe != nil {
		return fe.Fields[name]
	}
	return ""
}

// notes lists the titles of a person's notifications, newest first.
func (w *world) notes(t *testing.T, v sdk.Viewer) []string {
	t.Helper()
	page, err := w.notify.List(context.Background(), v.UserID, notify.ListOptions{PerPage: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range page.Items {
		out = append(out, it.Kind+": "+it.Title)
	}
	return out
}

func (w *world) implementation(t *testing.T, v sdk.Viewer) int64 {
	t.Helper()
	refs, err := w.svc.Templates(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range refs {
		if r.Name == "Implementation" {
			return r.ID
		}
	}
	t.Fatalf("no Implementation template among %+v", refs)
	return 0
}

func pdf(name string) files.Upload {
	return files.Upload{Name: name, Body: bytes.NewReader([]byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"))}
}

// TestStory plays Jennifer and Mike running Riverside Health's rollout:
// from the Implementation template, through late milestones, assignments,
// comments with mentions and a deliverable sent back and approved.
func TestStory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		tpl := w.implementation(t, w.jennifer)
		d, err := w.svc.Create(ctx, w.jennifer, sp.NewProject{Name: "  Riverside Health   rollout ", Customer: "Riverside Health",
			Start: "2026-11-01", Target: "2027-02-28", Status: sp.Active, TemplateID: tpl, VendorOwner: w.mike.UserID,
			Members: []int64{w.tom.UserID}})
		if err != nil {
			t.Fatal(err)
		}
		p := d.Project
		if p.Name != "Riverside Health rollout" || p.PartnerID != w.abc.ID || len(d.Milestones) != 7 || p.Tasks != 16 {
			t.Fatalf("created %+v with %d milestones", p, len(d.Milestones))
		}
		if p.PartnerOwner == nil || p.PartnerOwner.ID != w.jennifer.UserID || p.VendorOwner == nil || p.VendorOwner.ID != w.mike.UserID {
			t.Errorf("owners = %+v, %+v", p.PartnerOwner, p.VendorOwner)
		}
		if d.Milestones[0].Title != "Kickoff" || d.Milestones[0].Due != "2026-11-08" || !d.Milestones[0].Late {
			t.Errorf("first milestone = %+v, want Kickoff due 2026-11-08, late", d.Milestones[0])
		}
		// Kickoff and Discovery are past due: the project is late.
		if p.Health != sp.Late || p.LateMilestones != 2 || !d.CanManage || d.CanReview {
			t.Errorf("health %s, late milestones %d, manage %v, review %v", p.Health, p.LateMilestones, d.CanManage, d.CanReview)
		}
		tasks, err := w.svc.ListTasks(ctx, w.jennifer, sp.TaskQuery{ProjectID: p.ID, MilestoneID: d.Milestones[0].ID})
		if err != nil || tasks.Total != 2 {
			t.Fatalf("kickoff tasks = %+v, %v", tasks, err)
		}
		// Finishing the Kickoff's tasks finishes the milestone.
		for _, tk := range tasks.Tasks {
			if _, err := w.svc.ChangeTask(ctx, w.tom, sp.TaskChange{ID: tk.ID, Status: ptr(sp.TaskDone)}); err != nil {
				t.Fatal(err)
			}
		}
		d, err = w.svc.Get(ctx, w.mike, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !d.Milestones[0].Done || d.Milestones[0].Progress != 100 || d.Project.LateMilestones != 1 || d.Project.Progress != 12 {
			t.Errorf("after the kickoff: %+v, project %+v", d.Milestones[0], d.Project)
		}
		if !d.CanReview || !d.CanManage {
			t.Errorf("Mike may review %v, manage %v", d.CanReview, d.CanManage)
		}
		// Jennifer gives Mike a task; he hears of it, and the history says so.
		design := tasksOf(t, w, w.jennifer, p.ID, "Write the solution design")
		if _, err := w.svc.ChangeTask(ctx, w.jennifer, sp.TaskChange{ID: design.ID, Assignee: ptr(w.mike.UserID), Status: ptr(sp.InProgress)}); err != nil {
			t.Fatal(err)
		}
		if got := w.notes(t, w.mike); len(got) != 1 || got[0] != "project.assigned: Assigned to you: Write the solution design" {
			t.Errorf("Mike's notifications = %v", got)
		}
		// Tom comments and mentions Mike; Olga hears nothing of it.
		if _, err := w.svc.AddComment(ctx, w.tom, sp.NewComment{TaskID: design.ID, Body: "@Mike the draft is in the shared folder."}); err != nil {
			t.Fatal(err)
		}
		if got := w.notes(t, w.mike); len(got) != 2 || !strings.HasPrefix(got[0], "project.mention: Tom Diaz mentioned you") {
			t.Errorf("Mike's notifications = %v", got)
		}
		td, err := w.svc.GetTask(ctx, w.mike, design.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(td.Comments) != 1 || td.Comments[0].Author.Name != "Tom Diaz" || len(td.Activity) < 3 ||
			td.Activity[0].What != "commented" || td.Activity[1].What != "moved it to In progress" || td.Activity[2].What != "assigned it to Mike Chen" {
			t.Errorf("task detail = %+v", td)
		}
		// Tom delivers the design; Mike sends it back, then approves v2.
		tok, _, err := w.files.Stage(ctx, w.tom.UserID, pdf("Solution design.pdf"))
		if err != nil {
			t.Fatal(err)
		}
		dl, err := w.svc.Submit(ctx, w.tom, sp.Deliver{TaskID: design.ID, Upload: tok})
		if err != nil {
			t.Fatal(err)
		}
		if dl.Status != sp.Submitted || dl.Version != 1 || dl.Name != "Solution design.pdf" || dl.SubmittedBy.ID != w.tom.UserID {
			t.Errorf("delivered %+v", dl)
		}
		if d, _ := w.svc.Get(ctx, w.mike, p.ID); len(d.Pending) != 1 {
			t.Errorf("pending = %+v", d.Pending)
		}
		// Its versions come only through Submit, which sends each back to
		// review: the file pages may not add one.
		if f, err := w.files.Get(ctx, dl.FileID); err != nil || f.Kind != files.KindDeliverable || f.Versioned() {
			t.Errorf("the deliverable's file = %+v, %v", f, err)
		}
		// A file on a milestone stays when the milestone goes.
		plan, _, err := w.files.Stage(ctx, w.jennifer.UserID, pdf("Go-live plan.pdf"))
		if err != nil {
			t.Fatal(err)
		}
		gl := d.Milestones[5]
		if _, err := w.svc.Submit(ctx, w.jennifer, sp.Deliver{MilestoneID: gl.ID, Upload: plan}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.ChangeMilestone(ctx, w.jennifer, sp.MilestoneChange{ID: gl.ID, Delete: true}); err != nil {
			t.Fatal(err)
		}
		if d, _ := w.svc.Get(ctx, w.mike, p.ID); len(d.Pending) != 2 || len(d.Milestones) != 6 || d.Project.Tasks != 16 {
			t.Errorf("after deleting %s: %d pending, %d milestones, %d tasks", gl.Title, len(d.Pending), len(d.Milestones), d.Project.Tasks)
		}
		// The project lists what was handed over off the tasks, the plan
		// of the deleted milestone among it; a task's file is not.
		if d, _ := w.svc.Get(ctx, w.jennifer, p.ID); len(d.Handed) != 1 || d.Handed[0].Name != "Go-live plan.pdf" || d.Handed[0].TaskID != 0 {
			t.Errorf("handed on milestones = %+v", d.Handed)
		}
		if _, err := w.svc.Review(ctx, w.jennifer, sp.Review{FileID: dl.FileID, Status: sp.Approved}); code(err) != fail.Forbidden {
			t.Errorf("Jennifer reviews: %v, want forbidden", err)
		}
		if _, err := w.svc.Review(ctx, w.mike, sp.Review{FileID: dl.FileID, Status: sp.ChangesRequested}); field(err, "comment") == "" {
			t.Errorf("sent back without a comment: %v", err)
		}
		back, err := w.svc.Review(ctx, w.mike, sp.Review{FileID: dl.FileID, Status: sp.ChangesRequested, Comment: "Add the data flows."})
		if err != nil || back.Status != sp.ChangesRequested || back.ReviewedBy == nil || back.Review != "Add the data flows." {
			t.Fatalf("sent back: %+v, %v", back, err)
		}
		tok2, _, err := w.files.Stage(ctx, w.tom.UserID, pdf("Solution design v2.pdf"))
		if err != nil {
			t.Fatal(err)
		}
		v2, err := w.svc.Submit(ctx, w.tom, sp.Deliver{FileID: dl.FileID, Upload: tok2})
		if err != nil || v2.Version != 2 || v2.Status != sp.Submitted || v2.ReviewedBy != nil || v2.Name != "Solution design v2.pdf" {
			t.Fatalf("version 2: %+v, %v", v2, err)
		}
		if ok, err := w.svc.Review(ctx, w.mike, sp.Review{FileID: dl.FileID, Status: sp.Approved}); err != nil || ok.Status != sp.Approved {
			t.Fatalf("approved: %+v, %v", ok, err)
		}
		if got := w.notes(t, w.tom); len(got) != 2 || got[0] != "project.reviewed: Approved: Solution design v2.pdf" ||
			got[1] != "project.reviewed: Sent back: Solution design.pdf" {
			t.Errorf("Tom's notifications = %v", got)
		}
		// The file is the project's: Jennifer and Mike may download it,
		// Olga and Nina may not.
		for _, c := range []struct {
			who  sdk.Viewer
			want bool
		}{{w.jennifer, true}, {w.tom, true}, {w.mike, true}, {w.admin, true}, {w.olga, false}, {w.nina, false}} {
			if ok, err := w.svc.CanSeeDeliverable(ctx, c.who, dl.FileID); ok != c.want || err != nil {
				t.Errorf("%s may download: %v, %v; want %v", c.who.Name, ok, err, c.want)
			}
		}
		// Mike sees every project of his partners that needs attention.
		page, err := w.svc.List(ctx, w.mike, sp.ProjectQuery{Attention: true})
		if err != nil || page.Total != 1 || page.Projects[0].ID != p.ID || len(page.Partners) != 1 || len(page.Templates) == 0 {
			t.Errorf("Mike's attention list = %+v, %v", page, err)
		}
		if page, _ := w.svc.List(ctx, w.nina, sp.ProjectQuery{}); page.Total != 0 {
			t.Errorf("Nina sees %+v", page.Projects)
		}
		if _, err := w.svc.Get(ctx, w.olga, p.ID); code(err) != fail.NotFound {
			t.Errorf("Olga loads the project: %v, want not found", err)
		}
		if _, err := w.svc.GetTask(ctx, w.olga, design.ID); code(err) != fail.NotFound {
			t.Errorf("Olga loads the task: %v, want not found", err)
		}
		// Mike saves it as a template; Jennifer may not.
		ref, err := w.svc.SaveTemplate(ctx, w.mike, sp.SaveTemplate{ProjectID: p.ID, Name: "Hospital rollout"})
		if err != nil || ref.Milestones != 6 || ref.Tasks != 16 {
			t.Fatalf("saved template %+v, %v", ref, err)
		}
		if _, err := w.svc.SaveTemplate(ctx, w.jennifer, sp.SaveTemplate{ProjectID: p.ID, Name: "Mine"}); code(err) != fail.Forbidden {
			t.Errorf("Jennifer saves a template: %v, want forbidden", err)
		}
		again, err := w.svc.Create(ctx, w.mike, sp.NewProject{PartnerID: w.abc.ID, Name: "St Mary's rollout", Customer: "St Mary's",
			Start: "2027-01-04", Target: "2027-04-30", TemplateID: ref.ID})
		if err != nil || len(again.Milestones) != 6 || again.Milestones[0].Due != "2027-01-11" || again.Project.Tasks != 16 {
			t.Fatalf("from the saved template: %+v, %v", again, err)
		}
		// Workload: Mike carries the design.
		wl, err := w.svc.Workload(ctx, w.mike, sp.WorkloadQuery{})
		if err != nil || len(wl.People) != 1 || wl.People[0].Person.ID != w.mike.UserID || wl.People[0].Open != 1 {
			t.Errorf("workload = %+v, %v", wl, err)
		}
		var csv bytes.Buffer
		if err := w.svc.ExportCSV(ctx, w.mike, sp.ProjectQuery{Q: "riverside"}, &csv); err != nil {
			t.Fatal(err)
		}
		if lines := strings.Split(strings.TrimSpace(csv.String()), "\n"); len(lines) != 2 || !strings.Contains(lines[1], "Riverside Health rollout") {
			t.Errorf("export = %q", csv.String())
		}
		if err := w.svc.ExportCSV(ctx, w.jennifer, sp.ProjectQuery{}, &csv); code(err) != fail.Forbidden {
			t.Errorf("Jennifer exports: %v, want forbidden", err)
		}
		// Deleting the task deletes its deliverable's file: nobody could
		// download it any more.
		if _, err := w.svc.ChangeTask(ctx, w.jennifer, sp.TaskChange{ID: design.ID, Delete: true}); err != nil {
			t.Fatal(err)
		}
		if f, err := w.files.Get(ctx, dl.FileID); err == nil {
			t.Errorf("the deleted task's file is still stored: %+v", f)
		}
	})
}

func tasksOf(t *testing.T, w *world, v sdk.Viewer, projectID int64, title string) sp.Task {
	t.Helper()
	page, err := w.svc.ListTasks(context.Background(), v, sp.TaskQuery{ProjectID: projectID, PerPage: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range page.Tasks {
		if tk.Title == title {
			return tk
		}
	}
	t.Fatalf("no task %q", title)
	return sp.Task{}
}

// TestTaskPages pages a project's 16 tasks: every page carries the
// total, counted apart when the page is full or past the end, and the
// pages together hold each task once.
func TestTaskPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		d, err := w.svc.Create(ctx, w.jennifer, sp.NewProject{Name: "Paged", Customer: "Riverside Health", Start: "2026-11-01",
			Target: "2027-02-28", Status: sp.Active, TemplateID: w.implementation(t, w.jennifer)})
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			perPage, page, want int
		}{
			{5, 1, 5}, {5, 2, 5}, {5, 4, 1}, {5, 5, 0}, {16, 1, 16}, {20, 1, 16}, {20, 2, 0},
		} {
			page, err := w.svc.ListTasks(ctx, w.jennifer, sp.TaskQuery{ProjectID: d.Project.ID, PerPage: tt.perPage, Page: tt.page})
			if err != nil || page.Total != 16 || len(page.Tasks) != tt.want {
				t.Errorf("%d a page, page %d: %d tasks of %d, %v; want %d of 16", tt.perPage, tt.page, len(page.Tasks), page.Total, err, tt.want)
			}
		}
		seen := map[int64]bool{}
		for n := 1; n <= 4; n++ {
			page, err := w.svc.ListTasks(ctx, w.jennifer, sp.TaskQuery{ProjectID: d.Project.ID, PerPage: 5, Page: n})
			if err != nil {
				t.Fatal(err)
			}
			for _, tk := range page.Tasks {
				if seen[tk.ID] {
					t.Errorf("task %d on two pages", tk.ID)
				}
				seen[tk.ID] = true
			}
		}
		if len(seen) != 16 {
			t.Errorf("the pages hold %d tasks, want 16", len(seen))
		}
	})
}
