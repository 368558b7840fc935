package catalog_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/atriumhq/atrium/core/catalog"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/store"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
)

func TestSnapshotNavigationAndVisibility(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	svc := room.NewService(db, registry.New())
	rooms := []room.Room{
		{Slug: "overview", Name: "overview", Title: "Overview", PartnerTypes: []string{"referral", "reseller"}, Position: 10},
		{Slug: "training", Title: "Training", PartnerTypes: []string{"referral"}, Position: 40, Audience: sdk.Audience{MinTier: "silver"}},
		{Slug: "support", Name: "support-ref", Title: "Support (referral)", PartnerTypes: []string{"referral"}, Position: 90},
		{Slug: "support", Name: "support-res", Title: "Support (reseller)", PartnerTypes: []string{"reseller"}, Position: 90},
		{Slug: "alpha", Title: "Alpha", PartnerTypes: []string{"referral"}, Position: 40},
	}
	if _, err := svc.Apply(ctx, rooms, room.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	c, err := catalog.New(ctx, db, slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	snap := c.Current()
	viewer := func(typ, tier string) sdk.Viewer {
		return sdk.Viewer{Role: sdk.RolePartnerUser, Partner: &sdk.Partner{Type: typ, Tier: tier, Stage: "active"}}
	}
	tests := []struct {
		name string
		v    sdk.Viewer
		want []string
	}{
		{"silver referral", viewer("referral", "silver"), []string{"overview", "alpha", "training", "support-ref"}},
		{"bronze referral", viewer("referral", "bronze"), []string{"overview", "alpha", "support-ref"}},
		{"reseller", viewer("reseller", "platinum"), []string{"overview", "support-res"}},
		{"distributor", viewer("distributor", "gold"), nil},
		{"staff without a partner", sdk.Viewer{Role: sdk.RoleAdmin}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, r := range snap.Nav(tt.v) {
				got = append(got, r.Name)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("nav = %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("nav = %v, want %v", got, tt.want)
				}
			}
		})
	}
	if r, ok := snap.Visible(viewer("reseller", "gold"), "support"); !ok || r.Name != "support-res" {
		t.Errorf("reseller's support room = %v, %v", r, ok)
	}
	if _, ok := snap.Visible(viewer("referral", "bronze"), "training"); ok {
		t.Error("a bronze partner may see the silver training room")
	}
	if _, ok := snap.Visible(viewer("distributor", "gold"), "overview"); ok {
		t.Error("a distributor sees a room that does not serve distributors")
	}
}

// A second writer (the CLI, another portal process) changes rooms through its
// own connection; Refresh notices through the revision counter.
func TestRefreshSeesOtherWriters(t *testing.T) {
	cfg := storetest.Config(t)
	ctx := context.Background()
	portal, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer portal.Close()
	cli, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()

	c, err := catalog.New(ctx, portal, slog.Default())
	if err != nil {
		t.Fatal(err)
	}
	var notified int
	c.OnChange(func(*catalog.Snapshot) { notified++ })
	if changed, _ := c.Refresh(ctx); changed {
		t.Error("refresh without a change reloaded")
	}
	if _, err := room.NewService(cli, registry.New()).Apply(ctx, []room.Room{{Slug: "news", Title: "News", PartnerTypes: []string{"referral"}}}, room.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	changed, err := c.Refresh(ctx)
	if err != nil || !changed || notified != 1 {
		t.Fatalf("refresh after another writer: changed=%v notified=%d err=%v", changed, notified, err)
	}
	if _, ok := c.Current().Room("referral", "news"); !ok {
		t.Error("the new room is not in the snapshot")
	}
}
