package room_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/core/revision"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/ui"
	"github.com/uptrace/bun"
)

type textBlock struct{}

func (textBlock) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "text", Title: "Text", ConfigSchema: json.RawMessage(`{"type":"object","required":["markdown"],
		"additionalProperties":false,"properties":{"markdown":{"type":"string","minLength":1}}}`)}
}
func (textBlock) Render(context.Context, sdk.RenderRequest) (ui.Component, error) {
	return ui.Text{}, nil
}

type leadsRoom struct{}

func (leadsRoom) Describe() sdk.RoomInfo {
	return sdk.RoomInfo{Name: "leads", Title: "Leads", OncePerPartnerType: true,
		DefaultBlocks: []sdk.BlockSpec{{ID: "lead-list", Type: "text"}}}
}

func newService(t *testing.T, db *bun.DB) *room.Service {
	t.Helper()
	reg := registry.New()
	if err := reg.Register(sdk.Plugin{ID: "test", Blocks: []sdk.BlockType{textBlock{}}, Rooms: []sdk.RoomType{leadsRoom{}}}); err != nil {
		t.Fatal(err)
	}
	return room.NewService(db, reg)
}

func text(id, md string) room.Block {
	return room.Block{ID: id, Type: "text", Config: json.RawMessage(`{"markdown":` + mustQuote(md) + `}`)}
}

func mustQuote(s string) string { b, _ := json.Marshal(s); return string(b) }

func training() room.Room {
	return room.Room{Slug: "training", Title: "Training Portal", Icon: "graduation-cap",
		PartnerTypes: []string{"referral", "reseller"}, Position: 40,
		Audience: sdk.Audience{MinTier: "silver", Stages: []string{"training", "active"}},
		Blocks:   []room.Block{text("welcome", "## Welcome"), text("more", "More")}}
}

func TestApplyIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		s := newService(t, db)
		res, err := s.Apply(ctx, []room.Room{training()}, room.ApplyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(res.Created, ",") != "training" {
			t.Fatalf("first apply: %+v", res)
		}
		rev1, _ := revision.All(ctx, db)
		first, _ := s.Get(ctx, "training")

		// The same room with its partner types in another order is the same.
		again := training()
		again.PartnerTypes = []string{"reseller", "referral"}
		res, err = s.Apply(ctx, []room.Room{again}, room.ApplyOptions{})
		if err != nil || res.Changes() != 0 || strings.Join(res.Unchanged, ",") != "training" {
			t.Fatalf("second apply: %+v, %v", res, err)
		}
		rev2, _ := revision.All(ctx, db)
		if rev2[revision.Rooms] != rev1[revision.Rooms] {
			t.Error("an apply that changed nothing bumped the rooms revision")
		}

		changed := training()
		changed.Blocks[0] = text("welcome", "## Welcome, partners")
		res, err = s.Apply(ctx, []room.Room{changed}, room.ApplyOptions{})
		if err != nil || strings.Join(res.Changed, ",") != "training" {
			t.Fatalf("changed apply: %+v, %v", res, err)
		}
		got, _ := s.Get(ctx, "training")
		if got.ID != first.ID {
			t.Errorf("room id changed from %d to %d on update", first.ID, got.ID)
		}
		if string(got.Blocks[0].Config) != `{"markdown":"## Welcome, partners"}` || got.Blocks[0].SchemaVersion != 1 {
			t.Errorf("block stored as %s v%d", got.Blocks[0].Config, got.Blocks[0].SchemaVersion)
		}
		if got.Audience.MinTier != "silver" || len(got.PartnerTypes) != 2 || got.Position != 40 {
			t.Errorf("room stored as %+v", got)
		}
		rev3, _ := revision.All(ctx, db)
		if rev3[revision.Rooms] <= rev2[revision.Rooms] {
			t.Error("a change did not bump the rooms revision")
		}
	})
}

func TestApplyRefusesBadInputAndChangesNothing(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	s := newService(t, db)
	if _, err := directory.New(db).CreatePartner(ctx, directory.PartnerInput{Name: "Northwind", Type: "referral", Tier: "silver", Stage: "active"}); err != nil {
		t.Fatal(err)
	}
	leads := func(name string, types ...string) room.Room {
		return room.Room{Name: name, Slug: name, Title: "Leads", Type: "leads", PartnerTypes: types}
	}
	tests := []struct {
		name  string
		rooms []room.Room
		want  []string // "index:path: message fragment"
	}{
		{"unknown block type", []room.Room{{Slug: "a", Title: "A", PartnerTypes: []string{"referral"},
			Blocks: []room.Block{{ID: "x", Type: "quiz"}}}}, []string{`0:blocks[0].type: unknown block type "quiz"`}},
		{"config breaks schema", []room.Room{{Slug: "a", Title: "A", PartnerTypes: []string{"referral"},
			Blocks: []room.Block{{ID: "x", Type: "text", Config: json.RawMessage(`{"markdown":""}`)}}}}, []string{"0:blocks[0].config.markdown: "}},
		{"unknown config field", []room.Room{{Slug: "a", Title: "A", PartnerTypes: []string{"referral"},
			Blocks: []room.Block{{ID: "x", Type: "text", Config: json.RawMessage(`{"markdown":"x","colour":"red"}`)}}}}, []string{"0:blocks[0].config.colour: unknown field"}},
		{"duplicate block id", []room.Room{{Slug: "a", Title: "A", PartnerTypes: []string{"referral"},
			Blocks: []room.Block{text("x", "1"), text("x", "2")}}}, []string{`0:blocks[1].id: duplicate block id "x" (also blocks[0])`}},
		{"block id of the room type", []room.Room{{Slug: "leads", Title: "Leads", Type: "leads", PartnerTypes: []string{"referral"},
			Blocks: []room.Block{text("lead-list", "1")}}}, []string{`0:blocks[0].id: "lead-list" is the id of a block the room type "leads" provides`}},
		{"predefined twice", []room.Room{leads("leads", "referral"), leads("leads-2", "reseller", "referral")},
			[]string{`1:type: the predefined room "leads" exists once per partner type`}},
		{"unknown tier", []room.Room{{Slug: "a", Title: "A", PartnerTypes: []string{"referral"}, Audience: sdk.Audience{MinTier: "gould"}}},
			[]string{`0:audience.minTier: unknown tier "gould"`}},
		{"unknown stage in a block audience", []room.Room{{Slug: "a", Title: "A", PartnerTypes: []string{"referral"},
			Blocks: []room.Block{{ID: "x", Type: "text", Config: json.RawMessage(`{"markdown":"x"}`), Audience: sdk.Audience{Stages: []string{"asleep"}}}}}},
			[]string{`0:blocks[0].audience.stages[0]: unknown stage "asleep"`}},
		{"unknown partner type", []room.Room{{Slug: "a", Title: "A", PartnerTypes: []string{"vendor"}}}, []string{`0:partnerTypes[0]: unknown partner type "vendor"`}},
		{"unknown named partner", []room.Room{{Slug: "a", Title: "A", PartnerTypes: []string{"referral"}, Audience: sdk.Audience{Partners: []string{"northwind", "ghost"}}}},
			[]string{`0:audience.partners[1]: unknown partner "ghost"`}},
		{"slug twice for a partner type", []room.Room{{Name: "one", Slug: "same", Title: "A", PartnerTypes: []string{"referral"}},
			{Name: "two", Slug: "same", Title: "B", PartnerTypes: []string{"reseller", "referral"}}}, []string{`1:slug: room "one" already uses slug "same" for partner type "referral"`}},
		{"missing title and slug", []room.Room{{PartnerTypes: []string{"referral"}}}, []string{"0:slug: is required", "0:title: is required"}},
		{"unknown room type", []room.Room{{Slug: "a", Title: "A", Type: "crm", PartnerTypes: []string{"referral"}}}, []string{`0:type: unknown room type "crm"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A valid room rides along: it must not be created either.
			rooms := append([]room.Room{}, tt.rooms...)
			ok := room.Room{Slug: "bystander", Title: "Fine", PartnerTypes: []string{"referral"}}
			rooms = append(rooms, ok)
			_, err := s.Apply(ctx, rooms, room.ApplyOptions{})
			var ve *room.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want a ValidationError", err)
			}
			var got []string
			for _, p := range ve.Problems {
				got = append(got, strings.Join([]string{itoa(p.Index), p.Path}, ":")+": "+p.Message)
			}
			for _, w := range tt.want {
				if !containsPrefix(got, w) {
					t.Errorf("problems %q do not include %q", got, w)
				}
			}
			if list, _ := s.List(ctx); len(list) != 0 {
				t.Errorf("a failed apply stored %d rooms", len(list))
			}
		})
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func containsPrefix(list []string, want string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, want) || strings.Contains(s, want) {
			return true
		}
	}
	return false
}

func TestApplyPruneDryRunAndSwap(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		s := newService(t, db)
		a := room.Room{Name: "a", Slug: "first", Title: "A", PartnerTypes: []string{"referral"}}
		b := room.Room{Name: "b", Slug: "second", Title: "B", PartnerTypes: []string{"referral"}}
		if _, err := s.Apply(ctx, []room.Room{a, b}, room.ApplyOptions{}); err != nil {
			t.Fatal(err)
		}
		// Swap slugs in one apply.
		a.Slug, b.Slug = b.Slug, a.Slug
		if res, err := s.Apply(ctx, []room.Room{a, b}, room.ApplyOptions{}); err != nil || len(res.Changed) != 2 {
			t.Fatalf("swap: %+v, %v", res, err)
		}
		// Dry run reports but keeps everything.
		res, err := s.Apply(ctx, []room.Room{a}, room.ApplyOptions{Prune: true, DryRun: true})
		if err != nil || strings.Join(res.Deleted, ",") != "b" {
			t.Fatalf("dry run: %+v, %v", res, err)
		}
		if list, _ := s.List(ctx); len(list) != 2 {
			t.Fatalf("dry run changed the rooms: %d left", len(list))
		}
		res, err = s.Apply(ctx, []room.Room{a}, room.ApplyOptions{Prune: true})
		if err != nil || strings.Join(res.Deleted, ",") != "b" {
			t.Fatalf("prune: %+v, %v", res, err)
		}
		if list, _ := s.List(ctx); len(list) != 1 || list[0].Slug != "second" {
			t.Fatalf("after prune: %+v", list)
		}
	})
}

func TestApplyWithProgram(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	s := newService(t, db)
	p := program.Default()
	p.Tiers = []string{"registered", "gold", "elite"}
	r := room.Room{Slug: "vip", Title: "VIP", PartnerTypes: []string{"referral"}, Audience: sdk.Audience{MinTier: "elite"}}
	if _, err := s.Apply(ctx, []room.Room{r}, room.ApplyOptions{}); err == nil {
		t.Fatal("a room with a tier the program lacks was accepted")
	}
	res, err := s.Apply(ctx, []room.Room{r}, room.ApplyOptions{Program: &p})
	if err != nil || !res.ProgramChanged || len(res.Created) != 1 {
		t.Fatalf("apply with program: %+v, %v", res, err)
	}
	if res, _ := s.Apply(ctx, []room.Room{r}, room.ApplyOptions{Program: &p}); res.Changes() != 0 {
		t.Errorf("re-applying the same program and room changed %+v", res)
	}
}

func TestProgramChangeRechecksExistingRooms(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	s := newService(t, db)
	if _, err := s.Apply(ctx, []room.Room{training()}, room.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	p := program.Default()
	p.Tiers = []string{"bronze", "gold"} // training needs silver
	_, err := s.Apply(ctx, nil, room.ApplyOptions{Program: &p})
	if err == nil || !strings.Contains(err.Error(), `existing room "training": audience.minTier: unknown tier "silver"`) {
		t.Fatalf("err = %v, want the existing room's use of silver reported", err)
	}
	got, _ := program.Load(ctx, db)
	if len(got.Tiers) != 4 {
		t.Errorf("the refused program was saved: %v", got.Tiers)
	}
}
