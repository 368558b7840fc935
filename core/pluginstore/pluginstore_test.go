package pluginstore

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/storage"
	"github.com/uptrace/bun"
)

func TestStorageScopes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		f := host.New(nil)
		Register(f, db)
		ctx := context.Background()
		lisa := sdk.Viewer{UserID: 1, Role: sdk.RolePartnerUser, Partner: &sdk.Partner{ID: 10}}
		sarah := sdk.Viewer{UserID: 2, Role: sdk.RolePartnerAdmin, Partner: &sdk.Partner{ID: 20}}
		admin := sdk.Viewer{UserID: 3, Role: sdk.RoleAdmin}
		perms := []string{storage.PermRead, storage.PermWrite}
		as := func(v sdk.Viewer, plugin string) sdk.Host { return f.ForPlugin(v, plugin, perms) }

		// Key/value: per plugin and per partner.
		if _, err := storage.Put.Call(ctx, as(lisa, "acme/nps"), storage.PutRequest{Key: "k", Value: json.RawMessage(`1`), Partner: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := storage.Put.Call(ctx, as(lisa, "acme/nps"), storage.PutRequest{Key: "k", Value: json.RawMessage(`2`), Partner: true}); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			v      sdk.Viewer
			plugin string
			found  bool
		}{{lisa, "acme/nps", true}, {sarah, "acme/nps", false}, {lisa, "other/x", false}} {
			e, err := storage.Get.Call(ctx, as(tt.v, tt.plugin), storage.GetRequest{Key: "k", Partner: true})
			if err != nil || e.Found != tt.found || (e.Found && string(e.Value) != "2") {
				t.Errorf("get as %d via %s = %+v, %v; want found=%v", tt.v.UserID, tt.plugin, e, err, tt.found)
			}
		}
		if _, err := storage.Get.Call(ctx, as(admin, "acme/nps"), storage.GetRequest{Key: "k", Partner: true}); err == nil {
			t.Error("staff without a partner used partner scope")
		}
		if _, err := storage.Put.Call(ctx, as(lisa, "acme/nps"), storage.PutRequest{Key: "k", Value: json.RawMessage(`{nope`)}); err == nil {
			t.Error("stored invalid JSON")
		}
		// Without the permission, nothing.
		_, err := storage.Get.Call(ctx, f.ForPlugin(lisa, "acme/nps", nil), storage.GetRequest{Key: "k"})
		if !errors.Is(err, sdk.ErrPermission) {
			t.Errorf("get without permission: %v", err)
		}

		// Records.
		r1, err := storage.Add.Call(ctx, as(lisa, "acme/nps"), storage.AddRequest{Collection: "answers", Data: json.RawMessage(`{"score":9}`), Partner: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := storage.Add.Call(ctx, as(sarah, "acme/nps"), storage.AddRequest{Collection: "answers", Data: json.RawMessage(`{"score":3}`), Partner: true}); err != nil {
			t.Fatal(err)
		}
		count := func(v sdk.Viewer, req storage.ListRequest) int {
			p, err := storage.List.Call(ctx, as(v, "acme/nps"), req)
			if err != nil {
				return -1
			}
			return len(p.Records)
		}
		if n := count(lisa, storage.ListRequest{Collection: "answers", Partner: true}); n != 1 {
			t.Errorf("lisa sees %d of her partner's answers, want 1", n)
		}
		if n := count(lisa, storage.ListRequest{Collection: "answers", AllPartners: true}); n != -1 {
			t.Errorf("a partner listed every partner's answers")
		}
		if n := count(admin, storage.ListRequest{Collection: "answers", AllPartners: true}); n != 2 {
			t.Errorf("admin sees %d answers, want 2", n)
		}
		if _, err := storage.Update.Call(ctx, as(sarah, "acme/nps"), storage.UpdateRequest{Collection: "answers", ID: r1.ID, Data: json.RawMessage(`{}`)}); !errors.Is(err, sdk.ErrNotFound) {
			t.Errorf("sarah updated lisa's partner's record: %v", err)
		}
		if got, err := storage.Update.Call(ctx, as(admin, "acme/nps"), storage.UpdateRequest{Collection: "answers", ID: r1.ID, Data: json.RawMessage(`{"score":10}`)}); err != nil || string(got.Data) != `{"score":10}` {
			t.Errorf("admin update = %+v, %v", got, err)
		}
	})
}
