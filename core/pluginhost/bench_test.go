package pluginhost

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/core/render"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/ui"
)

// local is the test plugin's "ok" block, in-process: the baseline.
type local struct {
	name  string
	cache sdk.CachePolicy
}

func (l local) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: l.name, Title: "Local", SchemaVersion: 1, Cache: l.cache}
}
func (local) Render(_ context.Context, req sdk.RenderRequest) (ui.Component, error) {
	return ui.Text{Text: "hello " + req.Viewer.Name}, nil
}

func roomOf(n int, typ string) *room.Room {
	rm := &room.Room{Slug: "bench", Name: "bench"}
	for i := range n {
		rm.Blocks = append(rm.Blocks, room.Block{ID: "b" + strconv.Itoa(i), Type: typ, Config: json.RawMessage(`{}`)})
	}
	return rm
}

// benchRoom renders rm b.N times and reports the median as well as the mean.
func benchRoom(b *testing.B, r *render.Renderer, rm *room.Room) {
	ctx := context.Background()
	p := program.Default()
	times := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		for _, res := range r.Room(ctx, rm, lisa, p) {
			if res.Err != nil {
				b.Fatal(res.Err)
			}
		}
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds()), "median-µs")
}

func builtinRenderer(b *testing.B, cache sdk.CachePolicy) *render.Renderer {
	reg := registry.New()
	if err := reg.Register(sdk.Plugin{ID: "local", Blocks: []sdk.BlockType{local{name: "local", cache: cache}}}); err != nil {
		b.Fatal(err)
	}
	return render.New(reg, render.Options{Timeout: 2 * time.Second})
}

func pluginRenderer(b *testing.B) *portal {
	dir := b.TempDir()
	install(b, dir, nil)
	p := newPortal(b, dir, 2*time.Second, func(o *Options) { o.HealthInterval = time.Hour })
	if err := p.m.Load(); err != nil {
		b.Fatal(err)
	}
	return p
}

// One block: in-process against one batched gRPC call to a plugin.
func BenchmarkBlockInProcess(b *testing.B) {
	benchRoom(b, builtinRenderer(b, sdk.CachePolicy{}), roomOf(1, "local"))
}

func BenchmarkBlockOutOfProcess(b *testing.B) {
	benchRoom(b, pluginRenderer(b).r, roomOf(1, "test/fault"))
}

// A room of ten blocks, never cached: all built-in, against ten plugin
// blocks in one batched call.
func BenchmarkRoom10BuiltinCold(b *testing.B) {
	benchRoom(b, builtinRenderer(b, sdk.CachePolicy{}), roomOf(10, "local"))
}

func BenchmarkRoom10PluginCold(b *testing.B) {
	benchRoom(b, pluginRenderer(b).r, roomOf(10, "test/fault"))
}

// The same rooms in steady state, every tree a cache hit.
func BenchmarkRoom10BuiltinCached(b *testing.B) {
	benchRoom(b, builtinRenderer(b, sdk.CachePolicy{MaxAge: time.Minute, VaryBy: sdk.VaryByPartner}), roomOf(10, "local"))
}

func BenchmarkRoom10PluginCached(b *testing.B) {
	benchRoom(b, pluginRenderer(b).r, roomOf(10, "test/cached"))
}
