package projects_test

import (
	"context"
	"strconv"

	"testing"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/projects"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/reach/reachtest"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/projects"
	"github.com/uptrace/bun"
)

// projectsAdapter plays the conformance test on projects: a partner's
// user starts a project; whoever sees it may comment on its tasks.
// Projects are private to their partner.
type projectsAdapter struct{ svc *projects.Service }

func (a projectsAdapter) Create(ctx context.Context, w *reachtest.World, p directory.Partner) (string, error) {
	d, err := a.svc.Create(ctx, w.Users[p.Slug+"-user"], sp.NewProject{Name: "Rollout at " + p.Name, Customer: "Riverside Health",
		Start: "2026-11-01", Target: "2027-02-01", Status: sp.Active})
	if err != nil {
		return "", err
	}
	if _, err := a.svc.ChangeTask(ctx, w.Users[p.Slug+"-user"], sp.TaskChange{ProjectID: d.Project.ID, Title: ptr("Kick off")}); err != nil {
		return "", err
	}
	return strconv.FormatInt(d.Project.ID, 10), nil
}

func (a projectsAdapter) List(ctx context.Context, v sdk.Viewer) ([]string, error) {
	page, err := a.svc.List(ctx, v, sp.ProjectQuery{PerPage: 100})
	ids := make([]string, len(page.Projects))
	for i, p := range page.Projects {
		ids[i] = strconv.FormatInt(p.ID, 10)
	}
	return ids, err
}

func (a projectsAdapter) Load(ctx context.Context, v sdk.Viewer, id string) error {
	n, _ := strconv.ParseInt(id, 10, 64)
	_, err := a.svc.Get(ctx, v, n)
	return err
}

// Change comments on the project's first task, found as the admin (who
// sees everything), so the viewer's own refusal is what is tested.
func (a projectsAdapter) Change(ctx context.Context, v sdk.Viewer, id string) error {
	n, _ := strconv.ParseInt(id, 10, 64)
	taskID, err := a.firstTask(ctx, n)
	if err != nil {
		return err
	}
	_, err = a.svc.AddComment(ctx, v, sp.NewComment{TaskID: taskID, Body: "Done on our side."})
	return err
}

func (a projectsAdapter) firstTask(ctx context.Context, projectID int64) (int64, error) {
	return projects.FirstTask(ctx, a.svc, projectID)
}

func TestReach(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		svc := projects.New(db, directory.New(db), reach.New(db), projects.Options{})
		reachtest.Run(t, db, projectsAdapter{svc}, reachtest.Writers{Private: true})
	})
}

func ptr[T any](v T) *T { return &v }
