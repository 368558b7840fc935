package messages_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/messages"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/reach/reachtest"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	sm "github.com/atriumhq/atrium/sdk/messages"
	"github.com/uptrace/bun"
)

// threads plays the conformance test on conversations: a partner's user
// writes to their manager with a colleague in the thread; whoever reaches
// the thread may answer. Threads are private to their partner.
type threads struct{ svc *messages.Service }

func (a threads) Create(ctx context.Context, w *reachtest.World, p directory.Partner) (string, error) {
	colleague := w.Users[p.Slug+"-admin"]
	d, err := a.svc.Start(ctx, w.Users[p.Slug+"-user"], sm.Start{Subject: "Pricing for " + p.Name, Body: "Which discount applies?",
		People: []int64{colleague.UserID}})
	return strconv.FormatInt(d.Thread.ID, 10), err
}

func (a threads) List(ctx context.Context, v sdk.Viewer) ([]string, error) {
	page, err := a.svc.List(ctx, v, sm.ThreadQuery{PerPage: 100})
	ids := make([]string, len(page.Threads))
	for i, t := range page.Threads {
		ids[i] = strconv.FormatInt(t.ID, 10)
	}
	return ids, err
}

func (a threads) Load(ctx context.Context, v sdk.Viewer, id string) error {
	n, _ := strconv.ParseInt(id, 10, 64)
	_, err := a.svc.Get(ctx, v, n)
	return err
}

func (a threads) Change(ctx context.Context, v sdk.Viewer, id string) error {
	n, _ := strconv.ParseInt(id, 10, 64)
	_, err := a.svc.Post(ctx, v, sm.Post{ThreadID: n, Body: "Here is the answer."})
	return err
}

func TestReach(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		dir := directory.New(db)
		svc := messages.New(db, dir, reach.New(db), messages.Options{})
		reachtest.Run(t, db, threads{svc}, reachtest.Writers{Private: true})
	})
}
