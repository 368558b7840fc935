package pluginstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/atriumhq/atrium/core/directory"
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
		// Reach is read from the directory: everyone is a real user.
		dir := directory.New(db)
		member := func(email string, role sdk.Role, partner string) sdk.Viewer {
			p, err := dir.CreatePartner(ctx, directory.PartnerInput{Name: partner, Type: "referral", Tier: "silver", Stage: "active"})
			if err != nil {
				t.Fatal(err)
			}
			u, err := dir.CreateUser(ctx, directory.UserInput{Email: email, Name: email, Role: role, PartnerID: &p.ID})
			if err != nil {
				t.Fatal(err)
			}
			return u.Viewer(&p)
		}
		lisa := member("lisa@c.example", sdk.RolePartnerUser, "Carlos")
		sarah := member("sarah@n.example", sdk.RolePartnerAdmin, "Northwind")
		au, err := dir.CreateUser(ctx, directory.UserInput{Email: "ann@v.example", Name: "Ann", Role: sdk.RoleAdmin})
		if err != nil {
			t.Fatal(err)
		}
		admin := sdk.Viewer{UserID: au.ID, Role: sdk.RoleAdmin}
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
		_, err = storage.Get.Call(ctx, f.ForPlugin(lisa, "acme/nps", nil), storage.GetRequest{Key: "k"})
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
		if n := count(lisa, storage.ListRequest{Collection: "answers", AllPartners: true}); n != 1 {
			t.Errorf("a partner listing every partner's answers they reach sees %d, want their own 1", n)
		}
		if n := count(admin, storage.ListRequest{Collection: "answers", AllPartners: true}); n != 2 {
			t.Errorf("admin sees %d answers, want 2", n)
		}
		// Pages: newest first, each record once, Next 0 on the last.
		for i := range 4 {
			if _, err := storage.Add.Call(ctx, as(lisa, "acme/nps"), storage.AddRequest{Collection: "answers", Data: json.RawMessage(fmt.Sprintf(`{"score":%d}`, i)), Partner: true}); err != nil {
				t.Fatal(err)
			}
		}
		var ids []int64
		req := storage.ListRequest{Collection: "answers", Partner: true, Limit: 2}
		for pages := 0; ; pages++ {
			pg, err := storage.List.Call(ctx, as(lisa, "acme/nps"), req)
			if err != nil || pages > 5 {
				t.Fatalf("page %d: %v", pages, err)
			}
			for _, r := range pg.Records {
				ids = append(ids, r.ID)
			}
			if pg.Next == 0 {
				break
			}
			req.Before = pg.Next
		}
		strictlyNewestFirst := true
		for i := 1; i < len(ids); i++ {
			strictlyNewestFirst = strictlyNewestFirst && ids[i] < ids[i-1]
		}
		if len(ids) != 5 || !strictlyNewestFirst {
			t.Errorf("paged ids %v, want lisa's partner's 5 answers newest first, once each", ids)
		}
		if _, err := storage.Update.Call(ctx, as(sarah, "acme/nps"), storage.UpdateRequest{Collection: "answers", ID: r1.ID, Data: json.RawMessage(`{}`)}); !errors.Is(err, sdk.ErrNotFound) {
			t.Errorf("sarah updated lisa's partner's record: %v", err)
		}
		if got, err := storage.Update.Call(ctx, as(admin, "acme/nps"), storage.UpdateRequest{Collection: "answers", ID: r1.ID, Data: json.RawMessage(`{"score":10}`)}); err != nil || string(got.Data) != `{"score":10}` {
			t.Errorf("admin update = %+v, %v", got, err)
		}
	})
}

// TestManagersReachTheirPartners: a partner manager reaches through a
// plugin only the records of the partners they manage — in lists, in
// updates and in room previews — while admins reach every partner's.
func TestManagersReachTheirPartners(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		dir := directory.New(db)
		user := func(email string, role sdk.Role) sdk.Viewer {
			u, err := dir.CreateUser(ctx, directory.UserInput{Email: email, Name: email, Role: role})
			if err != nil {
				t.Fatal(err)
			}
			return sdk.Viewer{UserID: u.ID, Role: role}
		}
		mike, priya, admin := user("mike@v.example", sdk.RoleManager), user("priya@v.example", sdk.RoleManager), user("ann@v.example", sdk.RoleAdmin)
		users := map[int64]sdk.Viewer{}
		partner := func(name string, manager int64) *sdk.Partner {
			p, err := dir.CreatePartner(ctx, directory.PartnerInput{Name: name, Type: "referral", Tier: "silver", Stage: "active", ManagerID: &manager})
			if err != nil {
				t.Fatal(err)
			}
			u, err := dir.CreateUser(ctx, directory.UserInput{Email: "team@" + p.Slug + ".example", Name: name, Role: sdk.RolePartnerUser, PartnerID: &p.ID})
			if err != nil {
				t.Fatal(err)
			}
			users[p.ID] = u.Viewer(&p)
			return &sdk.Partner{ID: p.ID}
		}
		carlos, blue := partner("Carlos", mike.UserID), partner("Blue", priya.UserID)
		f := host.New(nil)
		Register(f, db)
		as := func(v sdk.Viewer) sdk.Host {
			return f.ForPlugin(v, "acme/nps", []string{storage.PermRead, storage.PermWrite})
		}
		add := func(p *sdk.Partner) storage.Record {
			r, err := storage.Add.Call(ctx, as(users[p.ID]), storage.AddRequest{Collection: "mdf", Data: json.RawMessage(`{}`), Partner: true})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		rc, rb := add(carlos), add(blue)
		preview := func(v sdk.Viewer) sdk.Viewer {
			return sdk.Viewer{UserID: v.UserID, Role: sdk.RolePartnerUser, Preview: true, Partner: carlos}
		}
		for _, tt := range []struct {
			name string
			v    sdk.Viewer
			want []int64
		}{
			{"mike", mike, []int64{rc.ID}},
			{"priya", priya, []int64{rb.ID}},
			{"admin", admin, []int64{rb.ID, rc.ID}},
			{"mike previewing", preview(mike), []int64{rc.ID}},
			{"admin previewing", preview(admin), []int64{rb.ID, rc.ID}},
		} {
			page, err := storage.List.Call(ctx, as(tt.v), storage.ListRequest{Collection: "mdf", AllPartners: true})
			var got []int64
			for _, r := range page.Records {
				got = append(got, r.ID)
			}
			if err != nil || fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("%s lists %v, %v; want %v", tt.name, got, err, tt.want)
			}
		}
		upd := func(v sdk.Viewer, id int64) error {
			_, err := storage.Update.Call(ctx, as(v), storage.UpdateRequest{Collection: "mdf", ID: id, Data: json.RawMessage(`{"status":"approved"}`)})
			return err
		}
		if err := upd(priya, rc.ID); !errors.Is(err, sdk.ErrNotFound) {
			t.Errorf("priya updated a record of a partner she does not manage: %v", err)
		}
		if err := upd(mike, rc.ID); err != nil {
			t.Errorf("mike updating his partner's record: %v", err)
		}
		if err := upd(admin, rb.ID); err != nil {
			t.Errorf("admin updating a record: %v", err)
		}
	})
}
