package pluginhost

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/atriumhq/atrium/core/render"
	"github.com/atriumhq/atrium/sdk"
	pluginpb "github.com/atriumhq/atrium/sdk/proto"
	"github.com/atriumhq/atrium/sdk/ui"
)

// MaxTreeBytes bounds one block's encoded tree: a plugin cannot make a page,
// or the portal's memory, enormous.
const MaxTreeBytes = 512 << 10

// remoteBlock is a plugin's block type as the registry and renderer see it.
type remoteBlock struct {
	p    *Plugin
	info sdk.BlockInfo
	wire *pluginpb.BlockInfo
}

func (b *remoteBlock) Describe() sdk.BlockInfo { return b.info }

// Render renders one block; rooms go through the plugin's batch instead.
func (b *remoteBlock) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	trees, errs := b.p.RenderBatch(ctx, []render.BatchItem{{Type: b.info.Name, Request: req}})
	return trees[0], errs[0]
}

// Batcher groups this type's blocks with the plugin's other blocks in a room.
func (b *remoteBlock) Batcher() render.Batcher { return b.p }

func (b *remoteBlock) HandleAction(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	if !b.wire.HandlesActions {
		return sdk.ActionResult{}, fmt.Errorf("block type %s takes no actions", b.info.Name)
	}
	return b.p.action(ctx, b.info.Name, "", req)
}

func (b *remoteBlock) ValidateConfig(ctx context.Context, config json.RawMessage) error {
	if !b.wire.ValidatesConfig {
		return nil
	}
	rpc, err := b.p.conn()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, b.p.m.opt.CallTimeout)
	defer cancel()
	resp, err := rpc.ValidateConfig(ctx, &pluginpb.ValidateConfigRequest{Type: b.info.Name, Config: config})
	if err != nil {
		b.p.callFailed(err)
		return fmt.Errorf("plugin %s: validate config: %w", b.p.manifest.ID, err)
	}
	b.p.answered()
	if resp.Error != "" {
		return errors.New(resp.Error)
	}
	return nil
}

func (b *remoteBlock) MigrateConfig(ctx context.Context, from int, config json.RawMessage) (json.RawMessage, error) {
	if !b.wire.MigratesConfig {
		return config, nil
	}
	rpc, err := b.p.conn()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, b.p.m.opt.CallTimeout)
	defer cancel()
	resp, err := rpc.MigrateConfig(ctx, &pluginpb.MigrateConfigRequest{Type: b.info.Name, FromVersion: int32(from), Config: config})
	if err != nil {
		b.p.callFailed(err)
		return nil, fmt.Errorf("plugin %s: migrate config: %w", b.p.manifest.ID, err)
	}
	b.p.answered()
	if resp.Error != "" {
		return nil, errors.New(resp.Error)
	}
	return resp.Config, nil
}

// remoteRoom is a plugin's room type.
type remoteRoom struct {
	p    *Plugin
	info sdk.RoomInfo
	wire *pluginpb.RoomInfo
}

func (r *remoteRoom) Describe() sdk.RoomInfo { return r.info }

func (r *remoteRoom) HandleAction(ctx context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	if !r.wire.HandlesActions {
		return sdk.ActionResult{}, fmt.Errorf("room type %s takes no actions", r.info.Name)
	}
	return r.p.action(ctx, "", r.info.Name, req)
}

func (r *remoteRoom) RenderItem(ctx context.Context, req sdk.ItemRequest) (sdk.Page, error) {
	if !r.wire.RendersItems {
		return sdk.Page{}, sdk.ErrNotFound
	}
	rpc, err := r.p.conn()
	if err != nil {
		return sdk.Page{}, err
	}
	handle, release := r.p.m.hold(req.Viewer, r.p.manifest.ID)
	defer release()
	ctx, cancel := context.WithTimeout(ctx, r.p.m.opt.CallTimeout)
	defer cancel()
	resp, err := rpc.RenderItem(ctx, &pluginpb.ItemRequest{Viewer: sdk.ViewerToProto(req.Viewer), ViewerHandle: handle,
		Room: sdk.RoomToProto(req.Room), RoomType: r.info.Name, Path: req.Path, Query: sdk.ValuesToProto(req.Query)})
	if err != nil {
		r.p.callFailed(err)
		return sdk.Page{}, fmt.Errorf("plugin %s: item page: %w", r.p.manifest.ID, err)
	}
	r.p.answered()
	if e := resp.Error; e != nil {
		return sdk.Page{}, &sdk.CallError{Code: e.Code, Message: e.Message, Fields: e.Fields}
	}
	body, err := decodeTree(resp.Body)
	if err != nil {
		return sdk.Page{}, fmt.Errorf("plugin %s: item page: %w", r.p.manifest.ID, err)
	}
	return sdk.Page{Title: resp.Title, Body: body, LiveTopics: resp.LiveTopics}, nil
}

func decodeTree(b []byte) (ui.Component, error) {
	if len(b) > MaxTreeBytes {
		return nil, fmt.Errorf("tree is %d KiB, more than the %d KiB allowed", len(b)>>10, MaxTreeBytes>>10)
	}
	tree, err := ui.Unmarshal(b)
	if err != nil {
		return nil, fmt.Errorf("malformed tree: %w", err)
	}
	if tree == nil {
		return nil, errors.New("empty tree")
	}
	return tree, nil
}

// ReturnsByDeadline tells the renderer that RenderBatch needs no goroutine
// of its own to be cut at the deadline: the gRPC call ends at the context's
// deadline, and no tree is decoded after it.
func (p *Plugin) ReturnsByDeadline() bool { return true }

// RenderBatch renders blocks of one room for one viewer in a single call to
// the plugin. Each block gets its own tree or error; a failed call fails them
// all, and the renderer draws placeholders.
func (p *Plugin) RenderBatch(ctx context.Context, items []render.BatchItem) ([]ui.Component, []error) {
	trees := make([]ui.Component, len(items))
	errs := make([]error, len(items))
	failAll := func(err error) ([]ui.Component, []error) {
		for i := range errs {
			errs[i] = err
		}
		return trees, errs
	}
	if len(items) == 0 {
		return trees, errs
	}
	rpc, err := p.conn()
	if err != nil {
		return failAll(err)
	}
	first := items[0].Request
	handle, release := p.m.hold(first.Viewer, p.manifest.ID)
	defer release()
	in := &pluginpb.RenderBatchRequest{Viewer: sdk.ViewerToProto(first.Viewer), ViewerHandle: handle, Room: sdk.RoomToProto(first.Room),
		Blocks: make([]*pluginpb.BlockRender, len(items))}
	for i, it := range items {
		in.Blocks[i] = &pluginpb.BlockRender{BlockId: it.Request.BlockID, Type: it.Type, Config: it.Request.Config}
	}
	resp, err := rpc.RenderBatch(ctx, in)
	if err != nil {
		p.callFailed(err)
		return failAll(fmt.Errorf("plugin %s: render: %w", p.manifest.ID, err))
	}
	p.answered()
	if len(resp.Results) != len(items) {
		err := fmt.Errorf("plugin %s answered %d blocks for %d", p.manifest.ID, len(resp.Results), len(items))
		p.noteError(err)
		return failAll(err)
	}
	for i, r := range resp.Results {
		if err := ctx.Err(); err != nil {
			return failAll(err)
		}
		switch {
		case r.Error != "":
			errs[i] = fmt.Errorf("plugin %s: block %s: %s", p.manifest.ID, items[i].Request.BlockID, clip(r.Error, 2000))
		default:
			trees[i], errs[i] = decodeTree(r.Tree)
			if errs[i] != nil {
				errs[i] = fmt.Errorf("plugin %s: block %s: %w", p.manifest.ID, items[i].Request.BlockID, errs[i])
			}
		}
		if errs[i] != nil {
			p.noteError(errs[i])
		}
	}
	return trees, errs
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func (p *Plugin) action(ctx context.Context, blockType, roomType string, req sdk.ActionRequest) (sdk.ActionResult, error) {
	rpc, err := p.conn()
	if err != nil {
		return sdk.ActionResult{}, err
	}
	handle, release := p.m.hold(req.Viewer, p.manifest.ID)
	defer release()
	ctx, cancel := context.WithTimeout(ctx, p.m.opt.CallTimeout)
	defer cancel()
	resp, err := rpc.Action(ctx, &pluginpb.ActionRequest{Viewer: sdk.ViewerToProto(req.Viewer), ViewerHandle: handle,
		Room: sdk.RoomToProto(req.Room), BlockId: req.BlockID, BlockType: blockType, RoomType: roomType,
		Config: req.Config, Name: req.Name, State: req.State, Values: sdk.ValuesToProto(req.Values)})
	if err != nil {
		p.callFailed(err)
		return sdk.ActionResult{}, fmt.Errorf("plugin %s: action %s: %w", p.manifest.ID, req.Name, err)
	}
	p.answered()
	return sdk.ActionResult{Message: resp.Message, FieldErrors: resp.FieldErrors, Error: resp.Error,
		Navigate: resp.Navigate, Rerender: resp.Rerender}, nil
}
