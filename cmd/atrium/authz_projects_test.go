package main

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/projects"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/projects"
)

// projectsFor is the projects service over the test portal's database.
func projectsFor(t testing.TB, p *testPortal) *projects.Service {
	s := p.services(t)
	return projects.New(s.db, s.dir, reach.New(s.db), projects.Options{Files: s.content.Files})
}

// demoViewer is a demo user as a viewer.
func demoViewer(t testing.TB, p *testPortal, email string) sdk.Viewer {
	t.Helper()
	ctx := context.Background()
	s := p.services(t)
	u, err := s.dir.UserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	if u.PartnerID == nil {
		return u.Viewer(nil)
	}
	var pt directory.Partner
	if pt, err = s.dir.Partner(ctx, *u.PartnerID); err != nil {
		t.Fatal(err)
	}
	return u.Viewer(&pt)
}

// resolveProjects makes the project the matrix in testdata/authz/projects.yaml
// names: Mike starts one for Carlos & Co ({project}), owned by Carlos with
// Lisa a plain member, with a task
// ({projectTask}) on which she delivers a file ({deliverable}); Carlos, her
// company's admin, adds a milestone ({projectMilestone}). {otherProject}
// and {otherTask} are ABC Corp's Riverside Health rollout, a second
// partner's, which no Carlos & Co path may reach.
func resolveProjects(t testing.TB, p *testPortal, vars map[string]string) {
	ctx := context.Background()
	svc := projectsFor(t, p)
	lisa, carlos, jennifer := demoViewer(t, p, "lisa@carlosco.example"), demoViewer(t, p, "carlos@carlosco.example"), demoViewer(t, p, "jennifer@abccorp.example")
	mike := demoViewer(t, p, "mike@acme.example")
	d, err := svc.Create(ctx, mike, sp.NewProject{PartnerID: carlos.Partner.ID, Name: "Matrix rollout", Customer: "Matrix Inc",
		Start: "2026-01-05", Target: "2026-06-30", Status: sp.Active, PartnerOwner: carlos.UserID, Members: []int64{lisa.UserID}})
	if err != nil {
		t.Fatal(err)
	}
	title := "Plan the rollout"
	task, err := svc.ChangeTask(ctx, lisa, sp.TaskChange{ProjectID: d.Project.ID, Title: &title})
	if err != nil {
		t.Fatal(err)
	}
	step, due := "Kickoff", "2026-01-12"
	m, err := svc.ChangeMilestone(ctx, carlos, sp.MilestoneChange{ProjectID: d.Project.ID, Title: &step, Due: &due})
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := p.services(t).content.Files.Stage(ctx, lisa.UserID, files.Upload{Name: "plan.txt", Body: strings.NewReader("Phase one.\n")})
	if err != nil {
		t.Fatal(err)
	}
	dl, err := svc.Submit(ctx, lisa, sp.Deliver{TaskID: task.ID, Upload: token})
	if err != nil {
		t.Fatal(err)
	}
	vars["project"] = strconv.FormatInt(d.Project.ID, 10)
	vars["projectTask"] = strconv.FormatInt(task.ID, 10)
	vars["projectMilestone"] = strconv.FormatInt(m.ID, 10)
	vars["deliverable"] = strconv.FormatInt(dl.FileID, 10)
	page, err := svc.List(ctx, jennifer, sp.ProjectQuery{Q: "Riverside"})
	if err != nil || len(page.Projects) == 0 {
		t.Fatalf("the demo's Riverside Health rollout: %+v, %v", page, err)
	}
	other := page.Projects[0].ID
	tasks, err := svc.ListTasks(ctx, jennifer, sp.TaskQuery{ProjectID: other, PerPage: 1})
	if err != nil || len(tasks.Tasks) == 0 {
		t.Fatalf("the demo's Riverside tasks: %+v, %v", tasks, err)
	}
	vars["otherProject"] = strconv.FormatInt(other, 10)
	vars["otherTask"] = strconv.FormatInt(tasks.Tasks[0].ID, 10)
	var otherFile int64
	if dd, err := svc.Get(ctx, jennifer, other); err == nil && len(dd.Pending) > 0 {
		otherFile = dd.Pending[0].FileID
	}
	vars["otherDeliverable"] = strconv.FormatInt(otherFile, 10)
	scratchProjectWork(t, p, vars)
}

// scratchProjectWork makes a milestone and a task on {project} for a
// request that deletes one ({scratchMilestone}, {scratchTask}), and before
// each actor's turn puts back under the same ids those a previous actor
// deleted.
func scratchProjectWork(t testing.TB, p *testPortal, vars map[string]string) {
	ctx := context.Background()
	if id := vars["scratchMilestone"]; id != "" {
		db := p.services(t).db
		if _, err := db.ExecContext(ctx, "INSERT INTO project_milestones (id, project_id, title, start_on, due_on) VALUES (?, ?, 'Scratch step', '2026-01-05', '2026-02-01') ON CONFLICT DO NOTHING",
			id, vars["project"]); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, "INSERT INTO project_tasks (id, project_id, partner_id, title, created_at, updated_at) VALUES (?, ?, ?, 'Scratch task', ?, ?) ON CONFLICT DO NOTHING",
			vars["scratchTask"], vars["project"], vars["partner"], time.Now(), time.Now()); err != nil {
			t.Fatal(err)
		}
		return
	}
	svc := projectsFor(t, p)
	admin := demoViewer(t, p, "admin@acme.example")
	pid, _ := strconv.ParseInt(vars["project"], 10, 64)
	step, due, title := "Scratch step", "2026-02-01", "Scratch task"
	m, err := svc.ChangeMilestone(ctx, admin, sp.MilestoneChange{ProjectID: pid, Title: &step, Due: &due})
	if err != nil {
		t.Fatal(err)
	}
	task, err := svc.ChangeTask(ctx, admin, sp.TaskChange{ProjectID: pid, Title: &title})
	if err != nil {
		t.Fatal(err)
	}
	vars["scratchMilestone"] = strconv.FormatInt(m.ID, 10)
	vars["scratchTask"] = strconv.FormatInt(task.ID, 10)
}

func init() {
	authzResolvers = append(authzResolvers, resolveProjects)
	authzSetups["scratch-project-work"] = scratchProjectWork
}

// TestDemoProjects: the demo tells the Projects story on any day —
// Jennifer sees Riverside Health's rollout 60 % done with one milestone
// late and two deliverables waiting for Mike, next to a finished project;
// Mike sees the rollout among those needing attention; Carlos & Co has a
// project of its own, on track, which Jennifer does not see.
func TestDemoProjects(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	ctx := context.Background()
	svc := projectsFor(t, p)
	jennifer, mike, carlos := demoViewer(t, p, "jennifer@abccorp.example"), demoViewer(t, p, "mike@acme.example"), demoViewer(t, p, "carlos@carlosco.example")
	page, err := svc.List(ctx, jennifer, sp.ProjectQuery{})
	if err != nil || page.Total != 2 {
		t.Fatalf("Jennifer's projects: %+v, %v", page, err)
	}
	byName := map[string]sp.Project{}
	for _, pr := range page.Projects {
		byName[pr.Name] = pr
	}
	rs := byName["Riverside Health rollout"]
	if rs.Progress != 60 || rs.LateMilestones != 1 || rs.Health != sp.Late || rs.Status != sp.Active {
		t.Errorf("Riverside Health rollout = %+v", rs)
	}
	if done := byName["Stark Industries, phase 1"]; done.Status != sp.Done || done.Progress != 100 || done.Health != sp.OnTrack {
		t.Errorf("the finished project = %+v", done)
	}
	d, err := svc.Get(ctx, jennifer, rs.ID)
	if err != nil || len(d.Pending) != 2 || len(d.Milestones) != 7 {
		t.Errorf("Riverside detail: %d pending, %d milestones, %v", len(d.Pending), len(d.Milestones), err)
	}
	att, err := svc.List(ctx, mike, sp.ProjectQuery{Attention: true})
	if err != nil || att.Total == 0 || att.Projects[0].Name != "Riverside Health rollout" {
		t.Errorf("Mike's projects needing attention: %+v, %v", att.Projects, err)
	}
	own, err := svc.List(ctx, carlos, sp.ProjectQuery{})
	if err != nil || own.Total != 1 || own.Projects[0].Health != sp.OnTrack {
		t.Errorf("Carlos & Co's projects: %+v, %v", own.Projects, err)
	}
}
