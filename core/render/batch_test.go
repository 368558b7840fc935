package render

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/ui"
)

// fakePlugin batches the renders of its block types, as an out-of-process
// plugin does, and counts its calls.
type fakePlugin struct {
	mu    sync.Mutex
	calls [][]string // block ids per call
	hang  bool
}

func (p *fakePlugin) RenderBatch(ctx context.Context, items []BatchItem) ([]ui.Component, []error) {
	p.mu.Lock()
	var ids []string
	for _, it := range items {
		ids = append(ids, it.Request.BlockID)
	}
	p.calls = append(p.calls, ids)
	p.mu.Unlock()
	if p.hang {
		time.Sleep(time.Second) // ignores ctx on purpose
	}
	trees := make([]ui.Component, len(items))
	errs := make([]error, len(items))
	for i, it := range items {
		switch it.Request.BlockID {
		case "bad":
			errs[i] = errors.New("plugin said no")
		case "nil":
		default:
			trees[i] = ui.Text{Text: it.Type + ":" + it.Request.BlockID}
		}
	}
	return trees, errs
}

type batchedType struct {
	name  string
	p     *fakePlugin
	cache sdk.CachePolicy
}

func (b batchedType) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: b.name, Title: b.name, Cache: b.cache}
}
func (b batchedType) Render(context.Context, sdk.RenderRequest) (ui.Component, error) {
	return nil, errors.New("rooms must batch")
}
func (b batchedType) Batcher() Batcher { return b.p }

func TestOneBatchPerPluginPerRoom(t *testing.T) {
	p1, p2 := &fakePlugin{}, &fakePlugin{}
	reg := registry.New()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(reg.Register(sdk.Plugin{ID: "one/x", Blocks: []sdk.BlockType{
		batchedType{name: "one/a", p: p1}, batchedType{name: "one/b", p: p1, cache: sdk.CachePolicy{MaxAge: time.Minute}}}}))
	must(reg.Register(sdk.Plugin{ID: "two/x", Blocks: []sdk.BlockType{batchedType{name: "two/a", p: p2}}}))
	must(reg.Register(sdk.Plugin{ID: "t", Blocks: []sdk.BlockType{&behaviour{name: "b"}}}))
	r := New(reg, Options{Timeout: time.Second})
	rm := &room.Room{Slug: "r", Blocks: []room.Block{
		blk("1", "one/a", `{}`), blk("2", "b", `{}`), blk("3", "two/a", `{}`), blk("4", "one/b", `{}`),
		blk("bad", "one/a", `{}`), blk("nil", "one/a", `{}`)}}
	res := r.Room(context.Background(), rm, sarah, program.Default())
	want := map[string]string{"1": "one/a:1", "2": "2 for Sarah", "3": "two/a:3", "4": "one/b:4", "bad": "!plugin said no", "nil": "!no tree"}
	for i, x := range res {
		if x.ID != rm.Blocks[i].ID {
			t.Fatalf("result %d is %s, want room order", i, x.ID)
		}
		w := want[x.ID]
		if e, ok := strings.CutPrefix(w, "!"); ok {
			if x.Err == nil || !strings.Contains(x.Err.Error(), e) {
				t.Errorf("%s: err = %v, want %q", x.ID, x.Err, e)
			}
			continue
		}
		if x.Err != nil || x.Tree.(ui.Text).Text != w {
			t.Errorf("%s: %v %v, want %q", x.ID, x.Tree, x.Err, w)
		}
	}
	if len(p1.calls) != 1 || strings.Join(p1.calls[0], ",") != "1,4,bad,nil" || len(p2.calls) != 1 {
		t.Errorf("calls: one %v, two %v; want one batch per plugin", p1.calls, p2.calls)
	}
	// The cacheable block is not asked for again.
	r.Room(context.Background(), rm, sarah, program.Default())
	if got := strings.Join(p1.calls[1], ","); got != "1,bad,nil" {
		t.Errorf("second batch = %s, want the cached block left out", got)
	}
}

// renderTwoUnderDeadline renders a room of two blocks of bt under a 50 ms
// deadline and fails the test if the room takes much longer than that.
func renderTwoUnderDeadline(t *testing.T, bt sdk.BlockType) []Result {
	t.Helper()
	reg := registry.New()
	if err := reg.Register(sdk.Plugin{ID: "one/x", Blocks: []sdk.BlockType{bt}}); err != nil {
		t.Fatal(err)
	}
	r := New(reg, Options{Timeout: 50 * time.Millisecond})
	rm := &room.Room{Slug: "r", Blocks: []room.Block{blk("1", "one/a", `{}`), blk("2", "one/a", `{}`)}}
	start := time.Now()
	res := r.Room(context.Background(), rm, sarah, program.Default())
	if took := time.Since(start); took > 300*time.Millisecond {
		t.Errorf("took %s", took)
	}
	return res
}

func TestBatchDeadline(t *testing.T) {
	res := renderTwoUnderDeadline(t, batchedType{name: "one/a", p: &fakePlugin{hang: true}})
	for _, x := range res {
		if !errors.Is(x.Err, ErrTimeout) {
			t.Errorf("%s: err = %v, want timeout", x.ID, x.Err)
		}
	}
}

// boundPlugin says it returns by the deadline, as a gRPC client does, so the
// renderer calls it on the room's goroutine.
type boundPlugin struct {
	fakePlugin
	late  bool // answers only once the deadline has passed
	panic bool
}

func (p *boundPlugin) ReturnsByDeadline() bool { return true }

func (p *boundPlugin) RenderBatch(ctx context.Context, items []BatchItem) ([]ui.Component, []error) {
	if p.panic {
		panic("batch bug")
	}
	if p.late {
		<-ctx.Done()
	}
	return p.fakePlugin.RenderBatch(ctx, items)
}

func TestBoundBatcher(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    *boundPlugin
		want string // "" for rendered trees
	}{
		{"answers", &boundPlugin{}, ""},
		{"answers late", &boundPlugin{late: true}, "did not answer in time"},
		{"panics", &boundPlugin{panic: true}, "batch render panicked"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := renderTwoUnderDeadline(t, boundType{name: "one/a", p: tc.p})
			for _, x := range res {
				switch {
				case tc.want == "" && (x.Err != nil || x.Tree.(ui.Text).Text != "one/a:"+x.ID):
					t.Errorf("%s: %v %v", x.ID, x.Tree, x.Err)
				case tc.want != "" && (x.Err == nil || !strings.Contains(x.Err.Error(), tc.want)):
					t.Errorf("%s: err = %v, want %q", x.ID, x.Err, tc.want)
				}
			}
			if tc.p.late {
				for _, x := range res {
					if !errors.Is(x.Err, ErrTimeout) {
						t.Errorf("%s: err = %v, want ErrTimeout", x.ID, x.Err)
					}
				}
			}
		})
	}
}

type boundType struct {
	name string
	p    *boundPlugin
}

func (b boundType) Describe() sdk.BlockInfo { return sdk.BlockInfo{Name: b.name, Title: b.name} }
func (b boundType) Render(context.Context, sdk.RenderRequest) (ui.Component, error) {
	return nil, errors.New("rooms must batch")
}
func (b boundType) Batcher() Batcher { return b.p }
