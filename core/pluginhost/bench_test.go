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
	pluginpb "github.com/atriumhq/atrium/sdk/proto"
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

// pairTimes renders two rooms alternately b.N times each and returns both
// sorted timings, so load on the machine hits both sides alike.
func pairTimes(b *testing.B, ra *render.Renderer, rma *room.Room, rb *render.Renderer, rmb *room.Room) (a, bb []time.Duration) {
	ctx := context.Background()
	p := program.Default()
	once := func(r *render.Renderer, rm *room.Room) time.Duration {
		start := time.Now()
		for _, res := range r.Room(ctx, rm, lisa, p) {
			if res.Err != nil {
				b.Fatal(res.Err)
			}
		}
		return time.Since(start)
	}
	once(ra, rma) // warm caches and connections
	once(rb, rmb)
	b.ResetTimer()
	for range b.N {
		a = append(a, once(ra, rma))
		bb = append(bb, once(rb, rmb))
	}
	b.StopTimer()
	slices.Sort(a)
	slices.Sort(bb)
	return a, bb
}

func mean(ts []time.Duration) float64 {
	var sum time.Duration
	for _, t := range ts {
		sum += t
	}
	return float64(sum) / float64(len(ts))
}

// BenchmarkBatchedCallOverhead is the goal's figure: the median cost a
// batched out-of-process call adds to the same room rendered in-process
// (goal: under 200 µs).
func BenchmarkBatchedCallOverhead(b *testing.B) {
	for _, n := range []int{1, 10} {
		b.Run(strconv.Itoa(n)+"blocks", func(b *testing.B) {
			in, out := pairTimes(b, builtinRenderer(b, sdk.CachePolicy{}), roomOf(n, "local"), pluginRenderer(b).r, roomOf(n, "test/fault"))
			b.ReportMetric(float64((out[len(out)/2] - in[len(in)/2]).Microseconds()), "overhead-median-µs")
			b.ReportMetric(float64(out[len(out)*9/10].Microseconds()), "plugin-p90-µs")
		})
	}
}

// BenchmarkCachedRoomRatio compares a cached room of ten plugin blocks with
// the same room of built-ins (goal: within 20%, a ratio under 1.2).
func BenchmarkCachedRoomRatio(b *testing.B) {
	cache := sdk.CachePolicy{MaxAge: time.Minute, VaryBy: sdk.VaryByPartner}
	in, out := pairTimes(b, builtinRenderer(b, cache), roomOf(10, "local"), pluginRenderer(b).r, roomOf(10, "test/cached"))
	b.ReportMetric(mean(out)/mean(in), "mean-ratio")
	b.ReportMetric(float64(out[len(out)/2])/float64(in[len(in)/2]), "median-ratio")
}

// BenchmarkRoundTripFloor alternates a one-block room rendered by the plugin
// with the cheapest call the same connection can carry (Health: an empty
// message each way, the same mutual TLS and per-call deadline). The batch's
// median less the floor's is what the plugin host, the SDK and the renderer
// add to gRPC's own round trip.
func BenchmarkRoundTripFloor(b *testing.B) {
	p := pluginRenderer(b)
	pl, _ := p.m.Plugin("test/fault")
	rpc, err := pl.conn()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	prog := program.Default()
	rm := roomOf(1, "test/fault")
	batch := func() time.Duration {
		start := time.Now()
		if res := p.r.Room(ctx, rm, lisa, prog); res[0].Err != nil {
			b.Fatal(res[0].Err)
		}
		return time.Since(start)
	}
	health := func() time.Duration {
		start := time.Now()
		c, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		if _, err := rpc.Health(c, &pluginpb.HealthRequest{}); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	batch() // warm the connection
	health()
	bs, hs := make([]time.Duration, 0, b.N), make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		bs = append(bs, batch())
		hs = append(hs, health())
	}
	b.StopTimer()
	slices.Sort(bs)
	slices.Sort(hs)
	b.ReportMetric(float64(bs[len(bs)/2].Microseconds()), "batch-median-µs")
	b.ReportMetric(float64(hs[len(hs)/2].Microseconds()), "floor-median-µs")
}
