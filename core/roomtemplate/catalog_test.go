package roomtemplate_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/roomtemplate"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	"github.com/uptrace/bun"
)

// TestCatalog: the builder's templates are the built-in ones, the
// program's own and those plugins offer, each named so they cannot clash.
func TestCatalog(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		reg := registry.New()
		c := roomtemplate.NewCatalog(db, reg)
		names := func() []string {
			ts, err := c.List(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, t := range ts {
				out = append(out, t.Origin+":"+t.Name)
			}
			return out
		}
		if got := names(); len(got) != len(roomtemplate.List()) {
			t.Fatalf("a new portal lists %v, want the built-in templates only", got)
		}

		// A room kept as a template keeps its title, icon and blocks only.
		src := room.Room{Slug: "launch", Title: "Q1 Launch", Icon: "rocket", PartnerTypes: []string{"reseller"}, Position: 7,
			Audience: sdk.Audience{MinTier: "gold"}, Blocks: []room.Block{{ID: "brief", Type: "text", Config: json.RawMessage(`{"markdown":"Hi"}`)}}}
		saved, err := c.Save(ctx, "Mike", roomtemplate.SaveInput{Name: "launch-kit", Description: "Our launch room", Room: src})
		if err != nil {
			t.Fatal(err)
		}
		if saved.Origin != roomtemplate.OriginProgram || saved.Title != "Q1 Launch" || saved.Room.Position != 0 ||
			saved.Room.Audience.MinTier != "" || len(saved.Room.Blocks) != 1 || !strings.Contains(string(saved.Source), "id: brief") {
			t.Errorf("saved template: %+v", saved)
		}
		for name, want := range map[string]string{"onboarding": "built-in template", "launch-kit": "exists", "Bad Name": "lowercase"} {
			_, err := c.Save(ctx, "Mike", roomtemplate.SaveInput{Name: name, Room: src})
			if fail.CodeOf(err) != fail.Invalid || !strings.Contains(fail.As(err).Fields["name"], want) {
				t.Errorf("save %q: %v, want a refusal mentioning %q", name, err, want)
			}
		}

		// A plugin's templates come and go with the plugin.
		if err := reg.Register(sdk.Plugin{ID: "acme/nps", Templates: []sdk.RoomTemplate{{Name: "campaign-funds", Title: "Campaign funds",
			Blocks: []sdk.BlockSpec{{ID: "t", Type: "text", Config: json.RawMessage(`{"markdown":"Funds"}`)}}}}}); err != nil {
			t.Fatal(err)
		}
		got := names()
		if !slices.Contains(got, "program:launch-kit") || !slices.Contains(got, "acme/nps:acme/nps/campaign-funds") {
			t.Errorf("catalog lists %v", got)
		}
		pt, err := c.Get(ctx, "acme/nps/campaign-funds")
		if err != nil || pt.Room.Blocks[0].Type != "text" || pt.Title != "Campaign funds" {
			t.Errorf("plugin template: %+v, %v", pt, err)
		}
		if r := roomtemplate.Instantiate(pt, "funds", "", []string{"reseller"}); r.Slug != "funds" || r.Title != "Campaign funds" || len(r.Blocks) != 1 {
			t.Errorf("room from a plugin template: %+v", r)
		}
		reg.Unregister("acme/nps")
		if _, err := c.Get(ctx, "acme/nps/campaign-funds"); fail.CodeOf(err) != fail.NotFound {
			t.Errorf("an unregistered plugin's template: %v", err)
		}

		if err := c.Delete(ctx, "launch-kit"); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"launch-kit", "onboarding"} { // built-ins cannot be deleted
			if err := c.Delete(ctx, name); fail.CodeOf(err) != fail.NotFound {
				t.Errorf("delete %s: %v, want not found", name, err)
			}
		}
		if _, ok := roomtemplate.Get("onboarding"); !ok {
			t.Error("deleting a program template touched a built-in one")
		}
	})
}

// TestPluginTemplateNames: the registry refuses templates it could not
// list under a stable name.
func TestPluginTemplateNames(t *testing.T) {
	for _, tc := range []struct {
		ts   []sdk.RoomTemplate
		want string
	}{
		{[]sdk.RoomTemplate{{Name: "Bad Name", Title: "x"}}, "lowercase"},
		{[]sdk.RoomTemplate{{Name: "a", Title: "x"}, {Name: "a", Title: "y"}}, "twice"},
		{[]sdk.RoomTemplate{{Name: "a"}}, "no title"},
	} {
		err := registry.New().Register(sdk.Plugin{ID: "acme/x", Templates: tc.ts})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.ts, err, tc.want)
		}
	}
}
