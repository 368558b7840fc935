package pipeline_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/pipeline"
	"github.com/atriumhq/atrium/core/reach/reachtest"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/uptrace/bun"
)

// leads plays the conformance test on leads: partners submit them, staff
// who manage the partner comment on them.
type leads struct{ svc *pipeline.Service }

func (a leads) Create(ctx context.Context, w *reachtest.World, p directory.Partner) (string, error) {
	l, err := a.svc.SubmitLead(ctx, w.Users[p.Slug+"-user"], sp.LeadInput{Company: p.Name + " customer", ContactName: "Ann",
		Email: "ann@" + p.Slug + ".example"})
	return strconv.FormatInt(l.ID, 10), err
}

func (a leads) List(ctx context.Context, v sdk.Viewer) ([]string, error) {
	page, err := a.svc.ListLeads(ctx, v, sp.LeadQuery{PerPage: 100})
	ids := make([]string, len(page.Items))
	for i, l := range page.Items {
		ids[i] = strconv.FormatInt(l.ID, 10)
	}
	return ids, err
}

func (a leads) Load(ctx context.Context, v sdk.Viewer, id string) error {
	n, _ := strconv.ParseInt(id, 10, 64)
	_, err := a.svc.GetLead(ctx, v, n)
	return err
}

func (a leads) Change(ctx context.Context, v sdk.Viewer, id string) error {
	n, _ := strconv.ParseInt(id, 10, 64)
	_, err := a.svc.CommentLead(ctx, v, sp.Comment{ID: n, Comment: "Called them."})
	return err
}

// deals plays it on deals: partners register them, and partners and staff
// add notes.
type deals struct{ svc *pipeline.Service }

func (a deals) Create(ctx context.Context, w *reachtest.World, p directory.Partner) (string, error) {
	d, err := a.svc.RegisterDeal(ctx, w.Users[p.Slug+"-admin"], sp.DealInput{Name: p.Name + " rollout", Company: p.Name + " customer",
		Value: sp.Money{Amount: 100000}, ExpectedClose: "2027-06-30"})
	return strconv.FormatInt(d.ID, 10), err
}

func (a deals) List(ctx context.Context, v sdk.Viewer) ([]string, error) {
	page, err := a.svc.ListDeals(ctx, v, sp.DealQuery{PerPage: 100})
	ids := make([]string, len(page.Items))
	for i, d := range page.Items {
		ids[i] = strconv.FormatInt(d.ID, 10)
	}
	return ids, err
}

func (a deals) Load(ctx context.Context, v sdk.Viewer, id string) error {
	n, _ := strconv.ParseInt(id, 10, 64)
	_, err := a.svc.GetDeal(ctx, v, n)
	return err
}

func (a deals) Change(ctx context.Context, v sdk.Viewer, id string) error {
	n, _ := strconv.ParseInt(id, 10, 64)
	_, err := a.svc.AddDealNote(ctx, v, sp.NoteInput{DealID: n, Body: "Spoke to procurement."})
	return err
}

func TestReachLeads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		reachtest.Run(t, db, leads{pipeline.New(db, directory.New(db))}, reachtest.Writers{StaffOnly: true})
	})
}

func TestReachDeals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		reachtest.Run(t, db, deals{pipeline.New(db, directory.New(db))}, reachtest.Writers{})
	})
}
