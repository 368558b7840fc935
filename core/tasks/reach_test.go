package tasks_test

import (
	"context"
	"slices"
	"testing"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/core/reach/reachtest"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/core/tasks"
	"github.com/atriumhq/atrium/sdk"
	sdktasks "github.com/atriumhq/atrium/sdk/tasks"
	"github.com/uptrace/bun"
)

// checklists plays the conformance test on task completion: a record is
// one task a partner's user ticked on the partner's checklist. Only a
// partner's own users tick; staff read the report.
type checklists struct {
	svc *tasks.Service
	f   *host.Factory
	// owner is whose checklist each task is on.
	owner map[string]int64
}

const checklist = "onboarding/steps"

func (a checklists) set(ctx context.Context, v sdk.Viewer, id string, done bool) error {
	_, err := sdktasks.SetCompletion.Call(ctx, a.f.For(v), sdktasks.CompletionChange{BlockKey: checklist, TaskID: id, Done: done})
	return err
}

func (a checklists) Create(ctx context.Context, w *reachtest.World, p directory.Partner) (string, error) {
	id := "sign-" + p.Slug
	a.owner[id] = p.ID
	return id, a.set(ctx, w.Users[p.Slug+"-user"], id, true)
}

// List is what the viewer is shown: the report's rows (a partner's row
// stands for its tasks) and their own checklist.
func (a checklists) List(ctx context.Context, v sdk.Viewer) ([]string, error) {
	var ids []string
	rep, err := sdktasks.CompletionReport.Call(ctx, a.f.For(v), sdktasks.ReportQuery{BlockKey: checklist})
	if err != nil {
		return nil, err
	}
	for _, r := range rep.Rows {
		for id, p := range a.owner {
			if p == r.PartnerID {
				ids = append(ids, id)
			}
		}
	}
	own, err := sdktasks.ListCompletion.Call(ctx, a.f.For(v), sdktasks.CompletionQuery{BlockKey: checklist})
	if err != nil {
		return nil, err
	}
	for id := range own.Done {
		ids = append(ids, id)
	}
	return ids, nil
}

func (a checklists) Load(ctx context.Context, v sdk.Viewer, id string) error {
	ids, err := a.List(ctx, v)
	if err == nil && !slices.Contains(ids, id) {
		err = sdk.ErrNotFound
	}
	return err
}

// Change unticks the task and ticks it again. The host call works on the
// viewer's own checklist, so the change counts only if it reached the
// record's partner.
func (a checklists) Change(ctx context.Context, v sdk.Viewer, id string) error {
	if err := a.Load(ctx, v, id); err != nil {
		return err
	}
	if err := a.set(ctx, v, id, false); err != nil {
		return err
	}
	done, err := a.svc.Done(ctx, tasks.Scope{PartnerID: a.owner[id]}, checklist)
	if err != nil {
		return err
	}
	if _, still := done[id]; still {
		return sdk.ErrPermission // it ticked another checklist, not the record's
	}
	return a.set(ctx, v, id, true)
}

func TestReach(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		svc := tasks.New(db, directory.New(db))
		f := host.New(nil)
		svc.Register(f)
		reachtest.Run(t, db, checklists{svc: svc, f: f, owner: map[string]int64{}}, reachtest.Writers{PartnerOnly: true})
	})
}
