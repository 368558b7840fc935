package render

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/ui"
)

// behaviour is a block type whose render does what its config says, so one
// type can exercise every path of the renderer.
type behaviour struct {
	name  string
	cache sdk.CachePolicy
	calls atomic.Int64
}

func (b *behaviour) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: b.name, Title: b.name, Cache: b.cache}
}

func (b *behaviour) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	b.calls.Add(1)
	var cfg struct {
		Do    string `json:"do"`
		Sleep int    `json:"sleep"`
	}
	json.Unmarshal(req.Config, &cfg)
	switch cfg.Do {
	case "panic":
		panic("boom")
	case "error":
		return nil, errors.New("database is down")
	case "nil":
		return nil, nil
	case "hang":
		time.Sleep(time.Duration(cfg.Sleep) * time.Millisecond) // ignores ctx on purpose
	case "sleep":
		select {
		case <-time.After(time.Duration(cfg.Sleep) * time.Millisecond):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	case "huge":
		var cs ui.Children
		for range MaxNodes + 1 {
			cs = append(cs, ui.Text{Text: "x"})
		}
		return ui.Stack{Children: cs}, nil
	case "deep":
		var c ui.Component = ui.Text{Text: "x"}
		for range MaxDepth + 1 {
			c = ui.Stack{Children: ui.Children{c}}
		}
		return c, nil
	case "hole":
		return ui.Stack{Children: ui.Children{ui.Text{Text: "a"}, nil}}, nil
	}
	return ui.Text{Text: req.BlockID + " for " + req.Viewer.Name}, nil
}

type roomType struct{}

func (roomType) Describe() sdk.RoomInfo {
	return sdk.RoomInfo{Name: "leads", Title: "Leads", DefaultBlocks: []sdk.BlockSpec{{ID: "list", Type: "b"}}}
}

func setup(t *testing.T, timeout time.Duration, blocks ...*behaviour) *Renderer {
	t.Helper()
	reg := registry.New()
	var bts []sdk.BlockType
	for _, b := range blocks {
		bts = append(bts, b)
	}
	if err := reg.Register(sdk.Plugin{ID: "t", Blocks: bts, Rooms: []sdk.RoomType{roomType{}}}); err != nil {
		t.Fatal(err)
	}
	// These blocks run in process: they get the same deadline here, so
	// that hanging ones are cut as fast as a plugin's.
	return New(reg, Options{Timeout: timeout, BuiltinTimeout: timeout})
}

// TestBuiltinBlocksOutlastThePluginDeadline: a block built into the portal
// that is slow because the machine is busy renders, where a plugin's block
// would have been cut at the plugin deadline.
func TestBuiltinBlocksOutlastThePluginDeadline(t *testing.T) {
	reg := registry.New()
	if err := reg.Register(sdk.Plugin{ID: "t", Blocks: []sdk.BlockType{&behaviour{name: "b"}}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		builtin time.Duration
		ok      bool
	}{
		{"within the built-in deadline", 5 * time.Second, true},
		{"past the built-in deadline", 100 * time.Millisecond, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := New(reg, Options{Timeout: 20 * time.Millisecond, BuiltinTimeout: tc.builtin})
			res := r.Block(context.Background(), "r", sdk.RoomRef{Slug: "r"}, blk("slow", "b", `{"do":"sleep","sleep":200}`), sarah)
			if (res.Err == nil) != tc.ok {
				t.Errorf("err = %v, want success %v", res.Err, tc.ok)
			}
			if !tc.ok && !errors.Is(res.Err, ErrTimeout) {
				t.Errorf("err = %v, want ErrTimeout", res.Err)
			}
		})
	}
}

func blk(id, typ, cfg string) room.Block {
	return room.Block{ID: id, Type: typ, Config: json.RawMessage(cfg)}
}

var sarah = sdk.Viewer{UserID: 7, Name: "Sarah", Role: sdk.RolePartnerUser, ContactRole: "sales",
	Partner: &sdk.Partner{ID: 3, Type: "referral", Tier: "silver", Stage: "active"}}

func TestFailuresBecomeResultsAndTheRoomRenders(t *testing.T) {
	b := &behaviour{name: "b"}
	r := setup(t, 100*time.Millisecond, b)
	rm := &room.Room{Slug: "r", Name: "r", Blocks: []room.Block{
		blk("ok", "b", `{}`),
		blk("panics", "b", `{"do":"panic"}`),
		blk("errors", "b", `{"do":"error"}`),
		blk("nil", "b", `{"do":"nil"}`),
		blk("hangs", "b", `{"do":"hang","sleep":2000}`),
		blk("huge", "b", `{"do":"huge"}`),
		blk("deep", "b", `{"do":"deep"}`),
		blk("hole", "b", `{"do":"hole"}`),
		blk("missing", "nope", `{}`),
		blk("ok2", "b", `{}`),
	}}
	start := time.Now()
	res := r.Room(context.Background(), rm, sarah, program.Default())
	if took := time.Since(start); took > time.Second {
		t.Errorf("room took %s; a hanging block must not hold the page past its deadline", took)
	}
	want := map[string]string{
		"ok": "", "ok2": "", "panics": "panicked: boom", "errors": "database is down", "nil": "returned no tree",
		"hangs": "did not answer in time", "huge": "more than 5000", "deep": "nested deeper", "hole": "empty component",
		"missing": `block type "nope" is not available`,
	}
	if len(res) != len(want) {
		t.Fatalf("got %d results, want %d", len(res), len(want))
	}
	for i, got := range res {
		if got.ID != rm.Blocks[i].ID {
			t.Errorf("result %d is %q, want room order", i, got.ID)
		}
		w := want[got.ID]
		switch {
		case w == "" && got.Err != nil:
			t.Errorf("%s: unexpected error %v", got.ID, got.Err)
		case w == "" && got.Tree == nil:
			t.Errorf("%s: no tree", got.ID)
		case w != "" && (got.Err == nil || !strings.Contains(got.Err.Error(), w)):
			t.Errorf("%s: err = %v, want %q", got.ID, got.Err, w)
		}
	}
}

func TestBlocksRenderConcurrently(t *testing.T) {
	b := &behaviour{name: "b"}
	r := setup(t, time.Second, b)
	rm := &room.Room{Slug: "r"}
	for _, id := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		rm.Blocks = append(rm.Blocks, blk(id, "b", `{"do":"sleep","sleep":150}`))
	}
	start := time.Now()
	res := r.Room(context.Background(), rm, sarah, program.Default())
	if took := time.Since(start); took > 600*time.Millisecond {
		t.Errorf("8 blocks of 150ms took %s; they should render in parallel", took)
	}
	for _, x := range res {
		if x.Err != nil {
			t.Error(x.Err)
		}
	}
}

func TestAudiencesAndDefaultBlocks(t *testing.T) {
	b := &behaviour{name: "b"}
	r := setup(t, time.Second, b)
	rm := &room.Room{Slug: "leads", Type: "leads", Blocks: []room.Block{
		{ID: "sales-only", Type: "b", Audience: sdk.Audience{Roles: []string{"sales"}}},
		{ID: "gold-up", Type: "b", Audience: sdk.Audience{MinTier: "gold"}},
		{ID: "all", Type: "b"},
	}}
	var ids []string
	for _, x := range r.Room(context.Background(), rm, sarah, program.Default()) {
		ids = append(ids, x.ID)
	}
	if strings.Join(ids, ",") != "list,sales-only,all" {
		t.Errorf("blocks = %v, want the room type's first, then those Sarah's audience admits", ids)
	}
}

func TestCachePolicy(t *testing.T) {
	byConfig := &behaviour{name: "static", cache: sdk.CachePolicy{MaxAge: time.Minute}}
	byPartner := &behaviour{name: "partner", cache: sdk.CachePolicy{MaxAge: time.Minute, VaryBy: sdk.VaryByPartner}}
	never := &behaviour{name: "never"}
	short := &behaviour{name: "short", cache: sdk.CachePolicy{MaxAge: time.Millisecond}}
	r := setup(t, time.Second, byConfig, byPartner, never, short)
	rm := &room.Room{Slug: "r", Name: "r", Blocks: []room.Block{
		blk("a", "static", `{}`), blk("b", "partner", `{}`), blk("c", "never", `{}`), blk("d", "short", `{}`)}}
	other := sarah
	other.Partner = &sdk.Partner{ID: 4, Type: "referral", Tier: "silver", Stage: "active"}
	ctx := context.Background()
	for range 3 {
		r.Room(ctx, rm, sarah, program.Default())
		time.Sleep(2 * time.Millisecond)
	}
	r.Room(ctx, rm, other, program.Default())
	for _, tt := range []struct {
		b    *behaviour
		want int64
	}{{byConfig, 1}, {byPartner, 2}, {never, 4}, {short, 4}} {
		if got := tt.b.calls.Load(); got != tt.want {
			t.Errorf("%s rendered %d times, want %d", tt.b.name, got, tt.want)
		}
	}
	// Previews do not share cached trees with real views.
	preview := sarah
	preview.Preview = true
	r.Room(ctx, rm, preview, program.Default())
	if got := byConfig.calls.Load(); got != 2 {
		t.Errorf("preview reused a real view's tree (%d renders)", got)
	}
	// Staff do not share partners' trees either.
	staff := sdk.Viewer{UserID: 1, Role: sdk.RoleAdmin}
	r.Room(ctx, rm, staff, program.Default())
	if got := byConfig.calls.Load(); got != 3 {
		t.Errorf("staff reused a partner's tree (%d renders)", got)
	}
	r.Purge()
	r.Room(ctx, rm, sarah, program.Default())
	if got := byConfig.calls.Load(); got != 4 {
		t.Errorf("purge kept the cache (%d renders)", got)
	}
}
