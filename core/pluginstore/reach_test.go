package pluginstore

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"testing"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/core/reach/reachtest"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/storage"
	"github.com/uptrace/bun"
)

// records plays the conformance test on plugin storage: a record is one a
// plugin added for a partner as one of its users. Storage has no call that
// reads one record, so loading one is finding it in the viewer's lists.
type records struct{ f *host.Factory }

func (a records) as(v sdk.Viewer) sdk.Host {
	return a.f.ForPlugin(v, "acme/mdf", []string{storage.PermRead, storage.PermWrite})
}

func (a records) Create(ctx context.Context, w *reachtest.World, p directory.Partner) (string, error) {
	r, err := storage.Add.Call(ctx, a.as(w.Users[p.Slug+"-user"]), storage.AddRequest{Collection: "requests",
		Data: json.RawMessage(`{"amount":500}`), Partner: true})
	return strconv.FormatInt(r.ID, 10), err
}

// List reads both lists a plugin may ask for: the viewer's partner's
// records, and every partner's records the viewer reaches.
func (a records) List(ctx context.Context, v sdk.Viewer) ([]string, error) {
	var ids []string
	for _, q := range []storage.ListRequest{{Collection: "requests", Partner: true}, {Collection: "requests", AllPartners: true}} {
		if q.Partner && v.PartnerID() == 0 {
			continue // staff have no partner of their own
		}
		page, err := storage.List.Call(ctx, a.as(v), q)
		if err != nil {
			return nil, err
		}
		for _, r := range page.Records {
			ids = append(ids, strconv.FormatInt(r.ID, 10))
		}
	}
	return ids, nil
}

func (a records) Load(ctx context.Context, v sdk.Viewer, id string) error {
	ids, err := a.List(ctx, v)
	if err == nil && !slices.Contains(ids, id) {
		err = sdk.ErrNotFound
	}
	return err
}

func (a records) Change(ctx context.Context, v sdk.Viewer, id string) error {
	n, _ := strconv.ParseInt(id, 10, 64)
	_, err := storage.Update.Call(ctx, a.as(v), storage.UpdateRequest{Collection: "requests", ID: n, Data: json.RawMessage(`{"status":"approved"}`)})
	return err
}

func TestReach(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		f := host.New(nil)
		Register(f, db)
		reachtest.Run(t, db, records{f: f}, reachtest.Writers{})
	})
}
