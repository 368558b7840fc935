// Package render turns a room into component trees for one viewer. It
// evaluates each block's audience, renders the visible blocks concurrently,
// each under a deadline, and turns a block that fails, panics, times out or
// returns a tree the theme cannot draw into a failed result — the room still
// renders. Trees a block type declares cacheable are reused.
package render

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/atriumhq/atrium/core/telemetry"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/atriumhq/atrium/core/audience"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/ui"
	lru "github.com/hashicorp/golang-lru/v2"
)

// Types finds block types and room types.
type Types interface {
	Block(name string) (*registry.Block, bool)
	RoomInfo(name string) (sdk.RoomInfo, bool)
}

// Options configure a Renderer.
type Options struct {
	// Timeout bounds each render of a plugin's block, out of process
	// (default 2s): a plugin that hangs must not hold the page.
	Timeout time.Duration
	// BuiltinTimeout bounds each render of a block built into the portal
	// (default 15s). Those only wait for the portal's own database; when
	// the machine is busy they are slow, not broken, and cutting them at
	// the plugin deadline showed partners pages with holes in them. The
	// web server's admission bound keeps how busy it gets in check.
	BuiltinTimeout time.Duration
	// CacheSize is the number of cached trees kept (default 10,000).
	CacheSize int
	// Host returns the host API for a viewer.
	Host func(sdk.Viewer) sdk.Host
	// Observe, if set, is told how long each block type took and whether it
	// failed (for metrics).
	Observe func(blockType string, d time.Duration, failed bool)
	Log     *slog.Logger
}

// Renderer renders rooms. It is safe for concurrent use.
type Renderer struct {
	types Types
	opt   Options
	cache *lru.Cache[string, cached]
	seed  maphash.Seed // for config hashes in cache keys
	// tracer names a span per block rendered, built-in or plugin: the
	// call that makes a page slow is the one to find in a trace.
	tracer trace.Tracer
}

type cached struct {
	tree    ui.Component
	expires time.Time
}

// New returns a Renderer.
func New(types Types, opt Options) *Renderer {
	if opt.Timeout <= 0 {
		opt.Timeout = 2 * time.Second
	}
	if opt.BuiltinTimeout <= 0 {
		opt.BuiltinTimeout = 15 * time.Second
	}
	if opt.CacheSize <= 0 {
		opt.CacheSize = 10_000
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	c, _ := lru.New[string, cached](opt.CacheSize)
	return &Renderer{types: types, opt: opt, cache: c, seed: maphash.MakeSeed(), tracer: telemetry.Tracer("render")}
}

// Result is one rendered block.
type Result struct {
	ID   string
	Type string
	Tree ui.Component // nil when Err is set
	Err  error
	// CacheKey is set when the block's cache policy lets this tree be
	// shared: anything derived from the tree alone (its HTML, when it
	// carries nothing per viewer) may be cached under the same key.
	CacheKey string
}

// Limits on a tree, so that a buggy or hostile block cannot make a page
// enormous.
const (
	MaxNodes = ui.MaxNodes
	MaxDepth = ui.MaxDepth
)

// ErrTimeout marks a block that did not answer within its deadline.
var ErrTimeout = errors.New("block did not answer in time")

// Blocks returns the room's blocks visible to the viewer: the room type's
// default blocks, then the room's own, each filtered by its audience. The
// pointers are shared and must not be changed.
func (r *Renderer) Blocks(rm *room.Room, v sdk.Viewer, p program.Program) []*room.Block {
	var defaults []sdk.BlockSpec
	if rm.Type != "" {
		if info, ok := r.types.RoomInfo(rm.Type); ok {
			defaults = info.DefaultBlocks
		}
	}
	out := make([]*room.Block, 0, len(defaults)+len(rm.Blocks))
	for _, d := range defaults {
		if audience.Admits(d.Audience, v, p) {
			out = append(out, &room.Block{ID: d.ID, Type: d.Type, Config: d.Config, Audience: d.Audience})
		}
	}
	for i := range rm.Blocks {
		if audience.Admits(rm.Blocks[i].Audience, v, p) {
			out = append(out, &rm.Blocks[i])
		}
	}
	return out
}

// Room renders every block of the room the viewer may see, concurrently, and
// returns the results in room order.
func (r *Renderer) Room(ctx context.Context, rm *room.Room, v sdk.Viewer, p program.Program) []Result {
	return r.RoomAt(ctx, rm, v, p, "/rooms/"+rm.Slug)
}

// RoomAt is Room for a room served at another path (the staff side shows
// rooms under /admin/work/...): blocks link to their items under path, and
// their trees are cached apart from the room's own.
func (r *Renderer) RoomAt(ctx context.Context, rm *room.Room, v sdk.Viewer, p program.Program, path string) []Result {
	blocks := r.Blocks(rm, v, p)
	ref := sdk.RoomRef{Slug: rm.Slug, Title: rm.Title, Type: rm.Type, Path: path}
	key := rm.Key()
	if path != "/rooms/"+rm.Slug {
		key += "@" + path
	}
	out := make([]Result, len(blocks))
	var wg sync.WaitGroup
	var batches map[Batcher][]int
	for i, b := range blocks {
		// A cached tree is served at once; only misses need a goroutine
		// (and the deadline that comes with it).
		if res, ok := r.cached(key, *b, v); ok {
			out[i] = res
			continue
		}
		if bt, ok := r.types.Block(b.Type); ok {
			if bb, ok := bt.Type.(Batched); ok {
				if batches == nil {
					batches = map[Batcher][]int{}
				}
				k := bb.Batcher()
				batches[k] = append(batches[k], i)
				continue
			}
		}
		wg.Go(func() { out[i] = r.Block(ctx, key, ref, *b, v) })
	}
	// The last batch runs on this goroutine, which would only wait anyway:
	// one goroutine fewer per room, and its stack is already grown.
	var last func()
	for bat, idx := range batches {
		if last != nil {
			wg.Go(last)
		}
		last = func() { r.batch(ctx, key, ref, bat, blocks, idx, v, out) }
	}
	if last != nil {
		last()
	}
	wg.Wait()
	return out
}

// BatchItem is one block of a batched render.
type BatchItem struct {
	Type    string
	Request sdk.RenderRequest
}

// Batcher renders many blocks of one room for one viewer in one call, and
// answers a tree or an error per block, in order. An out-of-process plugin
// is one: a room then costs one round trip per plugin, not one per block.
type Batcher interface {
	RenderBatch(ctx context.Context, items []BatchItem) ([]ui.Component, []error)
}

// BoundBatcher is a Batcher that returns by its context's deadline on its
// own, as a gRPC call does. The renderer calls it directly rather than on a
// goroutine it could abandon at the deadline; a batch that returns after the
// deadline still fails as timed out.
type BoundBatcher interface {
	Batcher
	ReturnsByDeadline() bool
}

// Batched is implemented by block types whose renders are grouped by their
// Batcher.
type Batched interface {
	Batcher() Batcher
}

// batch renders the blocks at idx through bat in one call under the deadline
// and stores each result in out.
func (r *Renderer) batch(ctx context.Context, roomKey string, ref sdk.RoomRef, bat Batcher, blocks []*room.Block, idx []int, v sdk.Viewer, out []Result) {
	items := make([]BatchItem, len(idx))
	h := r.host(v)
	for j, i := range idx {
		b := blocks[i]
		cfg := b.Config
		if bt, ok := r.types.Block(b.Type); ok {
			cfg = bt.ConfigIn(cfg, v.Locale)
		}
		items[j] = BatchItem{Type: b.Type, Request: sdk.RenderRequest{Viewer: v, Room: ref, BlockID: b.ID, Config: cfg, Host: h}}
	}
	ctx, cancel := context.WithTimeout(ctx, r.opt.Timeout)
	defer cancel()
	type answer struct {
		trees []ui.Component
		errs  []error
	}
	done := make(chan answer, 1)
	start := time.Now()
	run := func() {
		defer func() {
			if p := recover(); p != nil {
				r.opt.Log.Error("batch render panicked", "panic", p, "stack", string(debug.Stack()))
				done <- answer{errs: repeatErr(fmt.Errorf("batch render panicked: %v", p), len(items))}
			}
		}()
		trees, errs := bat.RenderBatch(ctx, items)
		done <- answer{trees, errs}
	}
	var a answer
	if bb, ok := bat.(BoundBatcher); ok && bb.ReturnsByDeadline() {
		run()
		if a = <-done; ctx.Err() != nil {
			// Late, like an abandoned batch: its answers are not used.
			a = answer{errs: repeatErr(r.ctxErr(ctx), len(items))}
		}
	} else {
		go run()
		select {
		case a = <-done:
		case <-ctx.Done():
			a.errs = repeatErr(r.ctxErr(ctx), len(items))
		}
	}
	took := time.Since(start)
	for j, i := range idx {
		b := blocks[i]
		res := Result{ID: b.ID, Type: b.Type}
		var tree ui.Component
		err := errors.New("batch render answered too few blocks")
		if j < len(a.errs) && j < len(a.trees) {
			tree, err = a.trees[j], a.errs[j]
		} else if j < len(a.errs) && a.errs[j] != nil {
			err = a.errs[j]
		}
		if err == nil && tree == nil {
			err = fmt.Errorf("block type %q returned no tree", b.Type)
		}
		if err == nil {
			err = Check(tree)
		}
		if r.opt.Observe != nil {
			r.opt.Observe(b.Type, took, err != nil)
		}
		if err != nil {
			res.Err = err
			r.opt.Log.Warn("block failed", "room", roomKey, "block", b.ID, "type", b.Type, "err", err)
			out[i] = res
			continue
		}
		res.Tree = tree
		if bt, ok := r.types.Block(b.Type); ok {
			if key, ttl := r.cacheKey(bt.Info.Cache, roomKey, *b, v); key != "" {
				r.cache.Add(key, cached{tree: tree, expires: time.Now().Add(ttl)})
				res.CacheKey = key
			}
		}
		out[i] = res
	}
}

// ctxErr is why a render's context ended: the deadline, as ErrTimeout, or
// the caller's cancellation.
func (r *Renderer) ctxErr(ctx context.Context) error {
	err := ctx.Err()
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("%w (%s)", ErrTimeout, r.opt.Timeout)
	}
	return err
}

func repeatErr(err error, n int) []error {
	out := make([]error, n)
	for i := range out {
		out[i] = err
	}
	return out
}

// cached returns the block's tree from the cache, if it is there and fresh.
func (r *Renderer) cached(roomKey string, b room.Block, v sdk.Viewer) (Result, bool) {
	bt, ok := r.types.Block(b.Type)
	if !ok {
		return Result{}, false
	}
	key, _ := r.cacheKey(bt.Info.Cache, roomKey, b, v)
	if key == "" {
		return Result{}, false
	}
	c, ok := r.cache.Get(key)
	if !ok || !time.Now().Before(c.expires) {
		return Result{}, false
	}
	return Result{ID: b.ID, Type: b.Type, Tree: c.tree, CacheKey: key}, true
}

// Block renders one block under the deadline, from the cache when allowed.
func (r *Renderer) Block(ctx context.Context, roomKey string, ref sdk.RoomRef, b room.Block, v sdk.Viewer) Result {
	res := Result{ID: b.ID, Type: b.Type}
	bt, ok := r.types.Block(b.Type)
	if !ok {
		res.Err = fmt.Errorf("block type %q is not available", b.Type)
		return res
	}
	if c, ok := r.cached(roomKey, b, v); ok {
		return c
	}
	key, ttl := r.cacheKey(bt.Info.Cache, roomKey, b, v)
	start := time.Now()
	ctx, span := r.tracer.Start(ctx, "render "+b.Type, trace.WithAttributes(
		attribute.String("atrium.room", roomKey), attribute.String("atrium.block", b.ID)))
	// The block gets its text in the viewer's language (the cache key
	// already tells languages apart).
	tree, err := r.call(ctx, bt, sdk.RenderRequest{Viewer: v, Room: ref, BlockID: b.ID, Config: bt.ConfigIn(b.Config, v.Locale), Host: r.host(v)})
	if err == nil {
		err = Check(tree)
	}
	if err != nil {
		span.SetStatus(codes.Error, err.Error())
	}
	span.End()
	if r.opt.Observe != nil {
		r.opt.Observe(b.Type, time.Since(start), err != nil)
	}
	if err != nil {
		res.Err = err
		r.opt.Log.Warn("block failed", "room", roomKey, "block", b.ID, "type", b.Type, "err", err)
		return res
	}
	res.Tree = tree
	if key != "" {
		r.cache.Add(key, cached{tree: tree, expires: time.Now().Add(ttl)})
		res.CacheKey = key
	}
	return res
}

func (r *Renderer) host(v sdk.Viewer) sdk.Host {
	if r.opt.Host == nil {
		return nil
	}
	return r.opt.Host(v)
}

// call runs the block type's Render in its own goroutine so that a block
// that ignores its context still cannot hold the page past the deadline, and
// so that a panic is contained.
func (r *Renderer) call(ctx context.Context, bt *registry.Block, req sdk.RenderRequest) (ui.Component, error) {
	limit := r.opt.BuiltinTimeout
	if _, plugin := bt.Type.(Batched); plugin {
		limit = r.opt.Timeout
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	type answer struct {
		tree ui.Component
		err  error
	}
	done := make(chan answer, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				r.opt.Log.Error("block panicked", "type", bt.Info.Name, "panic", p, "stack", string(debug.Stack()))
				done <- answer{err: fmt.Errorf("block type %q panicked: %v", bt.Info.Name, p)}
			}
		}()
		tree, err := bt.Type.Render(ctx, req)
		done <- answer{tree, err}
	}()
	select {
	case a := <-done:
		if a.err == nil && a.tree == nil {
			a.err = fmt.Errorf("block type %q returned no tree", bt.Info.Name)
		}
		return a.tree, a.err
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("%w (%s)", ErrTimeout, limit)
		}
		return nil, ctx.Err()
	}
}

// Check verifies a tree is within the size limits, holds only kinds the
// theme knows (a nil child is also refused) and only addresses the theme
// draws (no "javascript:" link). It is the SDK's own check (ui.Check), which
// the plugin checker runs too, so a plugin that passes it is never refused
// here.
func Check(tree ui.Component) error { return ui.Check(tree) }

// cacheKey says under which key, and for how long, a block's tree may be
// reused for this viewer; "" means do not cache. Previews and staff views are
// never cached together with partners' views.
func (r *Renderer) cacheKey(p sdk.CachePolicy, roomKey string, b room.Block, v sdk.Viewer) (string, time.Duration) {
	if p.MaxAge <= 0 {
		return "", 0
	}
	// The key also names the type, room and block, so a 64-bit hash of the
	// config is ample, and far cheaper than a cryptographic one on every
	// request.
	sum := maphash.Bytes(r.seed, b.Config)
	scope := "all"
	switch p.VaryBy {
	case sdk.VaryByPartner:
		scope = "p" + strconv.FormatInt(v.PartnerID(), 10)
	case sdk.VaryByUser:
		scope = "u" + strconv.FormatInt(v.UserID, 10)
	case "", sdk.VaryByConfig:
	default:
		return "", 0
	}
	if v.Preview {
		scope += "/preview"
	}
	if v.Staff() {
		scope += "/staff"
	}
	// A block worded for a German reader is not an English reader's.
	if v.Locale != "" {
		scope += "/" + v.Locale
	}
	return b.Type + "|" + roomKey + "|" + b.ID + "|" + strconv.FormatUint(sum, 36) + "|" + scope, p.MaxAge
}

// Purge drops every cached tree (after rooms change).
func (r *Renderer) Purge() { r.cache.Purge() }
