package api_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/api"
	"github.com/atriumhq/atrium/core/auth"
	"github.com/atriumhq/atrium/core/blob"
	"github.com/atriumhq/atrium/core/content"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/principal"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/projects"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/store/storetest"
	sp "github.com/atriumhq/atrium/sdk/projects"
	"github.com/danielgtaylor/huma/v2"
	"github.com/uptrace/bun"
)

// newProjWorld is the Messages world's people (Mike manages Carlos & Co,
// Priya Northwind; Lisa and Carlos at Carlos & Co, Sarah at Northwind)
// calling a portal with the Projects API, wired as the portal wires it.
func newProjWorld(t *testing.T, db *bun.DB) *msgWorld {
	t.Helper()
	w := newMsgWorld(t, db)
	dir := directory.New(db)
	blobs, err := blob.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { blobs.Close() })
	fs := files.New(db, blobs, files.Options{})
	res := reach.New(db)
	svc := projects.New(db, dir, res, projects.Options{Files: fs})
	delivers := func(ctx context.Context, p *principal.Principal, fileID int64) (bool, error) {
		return svc.CanSeeDeliverable(ctx, p.Viewer(), fileID)
	}
	a := api.New(api.Deps{DB: db, Auth: auth.New(db, dir, auth.Config{}), Dir: dir, Projects: svc,
		Content: &content.Service{Files: fs, Dir: dir, Program: func() program.Program { return program.Program{} }, Reach: res, Delivers: delivers}})
	w.srv.Close()
	w.srv = httptest.NewServer(a)
	t.Cleanup(w.srv.Close)
	return w
}

func (w *msgWorld) uploadTo(who, path, name, text string) api.StagedAttachment {
	w.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	part, err := mw.CreateFormFile("file", name)
	if err != nil {
		w.t.Fatal(err)
	}
	_, _ = part.Write([]byte(text))
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, w.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	var out api.StagedAttachment
	w.want(http.StatusCreated)(w.do(who, req, &out))
	return out
}

// fieldError fails unless a 422 names the field at loc.
func (w *msgWorld) fieldError(loc string) func(int, string) {
	return func(got int, body string) {
		w.t.Helper()
		if got != http.StatusUnprocessableEntity || !strings.Contains(body, `"location":"`+loc+`"`) {
			w.t.Errorf("status %d, want 422 naming %s: %s", got, loc, body)
		}
	}
}

func TestProjectsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newProjWorld(t, db)
		ok, created, noContent := w.want(http.StatusOK), w.want(http.StatusCreated), w.want(http.StatusNoContent)
		notFound, forbidden := w.want(http.StatusNotFound), w.want(http.StatusForbidden)
		carlosCo := w.viewers["Lisa"].Partner.ID

		var d sp.ProjectDetail
		created(w.call("Mike", "POST", "/api/v1/projects", sp.NewProject{PartnerID: carlosCo, Name: "Riverside rollout", Customer: "Riverside",
			Start: "2026-11-01", Target: "2027-01-31", PartnerOwner: w.viewers["Carlos"].UserID, Members: []int64{w.viewers["Lisa"].UserID}}, &d))
		pid := d.Project.ID
		base := fmt.Sprintf("/api/v1/projects/%d", pid)
		// Bad input names the field and changes nothing.
		w.fieldError("body.target")(w.call("Lisa", "POST", "/api/v1/projects", sp.NewProject{Name: "Backwards", Start: "2026-12-01", Target: "2026-11-01"}, nil))
		// Sarah, of another partner, does not see it; Lisa does.
		notFound(w.call("Sarah", "GET", base, nil, nil))
		var lisas sp.ProjectDetail
		ok(w.call("Lisa", "GET", base, nil, &lisas))
		if lisas.CanManage || lisas.CanReview || lisas.Project.PartnerName != "Carlos & Co" {
			t.Errorf("Lisa's view: %+v", lisas)
		}
		var page sp.ProjectPage
		ok(w.call("Sarah", "GET", "/api/v1/projects", nil, &page))
		if page.Total != 0 {
			t.Errorf("Sarah lists %+v", page.Projects)
		}
		w.fieldError("query.health")(w.call("Lisa", "GET", "/api/v1/projects?health=fine", nil, nil))
		// The project itself: Carlos (its owner) changes it, Lisa may not.
		forbidden(w.call("Lisa", "PATCH", base, map[string]any{"customer": "Riverside Health"}, nil))
		ok(w.call("Carlos", "PATCH", base, map[string]any{"customer": "Riverside Health", "status": "active"}, &d))
		if d.Project.Customer != "Riverside Health" || d.Project.Status != sp.Active {
			t.Errorf("changed: %+v", d.Project)
		}
		w.fieldError("body.due")(w.call("Carlos", "POST", base+"/milestones", map[string]any{"title": "Kickoff", "start": "2026-11-10", "due": "2026-11-05"}, nil))
		var m sp.Milestone
		created(w.call("Carlos", "POST", base+"/milestones", map[string]any{"title": "Kickoff", "due": "2026-11-10"}, &m))
		ok(w.call("Mike", "PATCH", fmt.Sprintf("%s/milestones/%d", base, m.ID), map[string]any{"done": true}, &m))
		if !m.Done {
			t.Errorf("milestone not done: %+v", m)
		}
		// Tasks: an assignee must be on the project.
		w.fieldError("body.assignee")(w.call("Lisa", "POST", base+"/tasks", map[string]any{"title": "Plan", "assignee": w.viewers["Sarah"].UserID}, nil))
		var task sp.Task
		created(w.call("Lisa", "POST", base+"/tasks", map[string]any{"title": "Plan", "assignee": w.viewers["Mike"].UserID, "milestoneId": m.ID, "due": "2026-11-09"}, &task))
		taskPath := fmt.Sprintf("%s/tasks/%d", base, task.ID)
		ok(w.call("Mike", "PUT", taskPath+"/position", map[string]any{"status": "in_progress", "position": 0}, &task))
		if task.Status != sp.InProgress || task.Assignee == nil || task.Assignee.Name != "Mike" {
			t.Errorf("moved task = %+v", task)
		}
		var tasks sp.TaskPage
		ok(w.call("Lisa", "GET", base+"/tasks?status=in_progress", nil, &tasks))
		if tasks.Total != 1 {
			t.Errorf("in progress: %+v", tasks)
		}
		created(w.call("Lisa", "POST", taskPath+"/comments", map[string]any{"body": "@Mike over to you."}, nil))
		// Sarah's own project: its path never reaches Carlos & Co's task.
		var other sp.ProjectDetail
		created(w.call("Sarah", "POST", "/api/v1/projects", sp.NewProject{Name: "Northwind pilot", Start: "2026-11-01", Target: "2026-12-31"}, &other))
		notFound(w.call("Sarah", "GET", fmt.Sprintf("/api/v1/projects/%d/tasks/%d", other.Project.ID, task.ID), nil, nil))
		notFound(w.call("Sarah", "POST", fmt.Sprintf("/api/v1/projects/%d/tasks/%d/comments", other.Project.ID, task.ID), map[string]any{"body": "Hi"}, nil))
		notFound(w.call("Lisa", "GET", fmt.Sprintf("/api/v1/projects/%d/tasks/%d", other.Project.ID, task.ID), nil, nil))
		// Deliverables: Lisa hands one over; Mike sends it back.
		up := w.uploadTo("Lisa", "/api/v1/projects/uploads", "plan.txt", "Phase one.\n")
		var dl sp.Deliverable
		created(w.call("Lisa", "POST", base+"/deliverables", map[string]any{"taskId": task.ID, "upload": up.Token}, &dl))
		if dl.Status != sp.Submitted || dl.Name != "plan.txt" {
			t.Errorf("delivered %+v", dl)
		}
		ok(w.call("Lisa", "GET", fmt.Sprintf("/api/v1/files/%d/download", dl.FileID), nil, nil))
		ok(w.call("Mike", "GET", fmt.Sprintf("/api/v1/files/%d/download", dl.FileID), nil, nil))
		notFound(w.call("Sarah", "GET", fmt.Sprintf("/api/v1/files/%d/download", dl.FileID), nil, nil))
		notFound(w.call("Priya", "GET", fmt.Sprintf("/api/v1/files/%d/download", dl.FileID), nil, nil))
		review := fmt.Sprintf("%s/deliverables/%d/review", base, dl.FileID)
		notFound(w.call("Carlos", "PUT", review, map[string]any{"status": "approved"}, nil))
		w.fieldError("body.comment")(w.call("Mike", "PUT", review, map[string]any{"status": "changes_requested"}, nil))
		ok(w.call("Mike", "PUT", review, map[string]any{"status": "changes_requested", "comment": "Add the dates."}, &dl))
		if dl.Status != sp.ChangesRequested || dl.Review != "Add the dates." {
			t.Errorf("reviewed %+v", dl)
		}
		var detail sp.TaskDetail
		ok(w.call("Lisa", "GET", taskPath, nil, &detail))
		if len(detail.Comments) != 1 || len(detail.Deliverables) != 1 || len(detail.Activity) < 4 {
			t.Errorf("task detail = %+v", detail)
		}
		// Templates, workload and saving a template (staff).
		var refs []sp.TemplateRef
		ok(w.call("Lisa", "GET", "/api/v1/projects/templates", nil, &refs))
		if len(refs) != 1 || refs[0].Name != "Implementation" || refs[0].Milestones != 7 {
			t.Errorf("templates = %+v", refs)
		}
		var load sp.Workload
		ok(w.call("Mike", "GET", "/api/v1/projects/workload", nil, &load))
		if len(load.People) != 1 || load.People[0].Open != 1 {
			t.Errorf("workload = %+v", load)
		}
		notFound(w.call("Carlos", "POST", base+"/template", map[string]any{"name": "Ours"}, nil))
		created(w.call("Mike", "POST", base+"/template", map[string]any{"name": "Hospital rollout"}, nil))
		// Deleting: the task, then the milestone.
		noContent(w.call("Lisa", "DELETE", taskPath, nil, nil))
		notFound(w.call("Lisa", "GET", taskPath, nil, nil))
		forbidden(w.call("Lisa", "DELETE", fmt.Sprintf("%s/milestones/%d", base, m.ID), nil, nil))
		noContent(w.call("Carlos", "DELETE", fmt.Sprintf("%s/milestones/%d", base, m.ID), nil, nil))
	})
}

// TestProjectsOpenAPI checks that the document lists every Projects
// operation with a summary and a description.
func TestProjectsOpenAPI(t *testing.T) {
	a := api.New(api.Deps{Projects: &projects.Service{}, Content: &content.Service{}})
	n := 0
	for path, item := range a.OpenAPI().Paths {
		if !strings.HasPrefix(path, "/api/v1/projects") {
			continue
		}
		for _, o := range []*huma.Operation{item.Get, item.Post, item.Put, item.Patch, item.Delete} {
			if o == nil {
				continue
			}
			n++
			if o.Summary == "" || len(o.Description) < 40 {
				t.Errorf("%s %s: summary %q, description %q", o.Method, path, o.Summary, o.Description)
			}
		}
	}
	if n != 20 {
		t.Errorf("%d Projects operations in the document, want 20", n)
	}
}
