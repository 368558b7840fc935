package plugincheck

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"sync"
	"time"

	"github.com/atriumhq/atrium/sdk"
	pluginpb "github.com/atriumhq/atrium/sdk/proto"
	"github.com/atriumhq/atrium/sdk/ui"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Client is a launched plugin, spoken to over the real protocol.
type Client struct {
	RPC         pluginpb.PluginClient
	Description *pluginpb.DescribeResponse
	client      *goplugin.Client
	host        *Host
	handles     sync.Map // uint64 -> sdk.Viewer
}

// Launch starts a plugin executable with h serving its host calls.
func Launch(exe string, h *Host) (*Client, error) {
	// A relative path would be looked up on the PATH, or resolved against
	// the working folder set below.
	exe, err := filepath.Abs(exe)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe)
	cmd.Dir = filepath.Dir(exe)
	cmd.Env = []string{}
	bind := &binding{}
	gc := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  sdk.Handshake,
		Plugins:          goplugin.PluginSet{sdk.PluginName: bind},
		Cmd:              cmd,
		SkipHostEnv:      true,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		StartTimeout:     10 * time.Second,
		Stderr:           io.Discard, // its log; the checks report what goes wrong
		Logger:           hclog.New(&hclog.LoggerOptions{Level: hclog.Error, Output: io.Discard}),
	})
	rc, err := gc.Client()
	if err != nil {
		gc.Kill()
		return nil, err
	}
	raw, err := rc.Dispense(sdk.PluginName)
	if err != nil {
		gc.Kill()
		return nil, err
	}
	c := &Client{RPC: raw.(pluginpb.PluginClient), client: gc, host: h}
	id := bind.broker.NextId()
	go bind.broker.AcceptAndServe(id, func(opts []grpc.ServerOption) *grpc.Server {
		s := grpc.NewServer(opts...)
		pluginpb.RegisterHostServer(s, &hostServer{c: c})
		return s
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if c.Description, err = c.RPC.Describe(ctx, &pluginpb.DescribeRequest{HostBrokerId: id, HostVersion: "plugintest"}); err != nil {
		gc.Kill()
		return nil, err
	}
	return c, nil
}

// Close stops the plugin.
func (c *Client) Close() { c.client.Kill() }

// Render renders blocks in one batch as v, in [Room].
func (c *Client) Render(ctx context.Context, v sdk.Viewer, blocks []*pluginpb.BlockRender) ([]ui.Component, []error) {
	return c.RenderIn(ctx, v, Room, blocks)
}

// RenderIn renders blocks in one batch as v, in room. Each tree is refused
// as the portal refuses it: over [ui.MaxBytes] encoded, or not decoding.
func (c *Client) RenderIn(ctx context.Context, v sdk.Viewer, room sdk.RoomRef, blocks []*pluginpb.BlockRender) ([]ui.Component, []error) {
	handle, done := c.as(v)
	defer done()
	trees := make([]ui.Component, len(blocks))
	errs := make([]error, len(blocks))
	resp, err := c.RPC.RenderBatch(ctx, &pluginpb.RenderBatchRequest{Viewer: sdk.ViewerToProto(v), ViewerHandle: handle,
		Room: sdk.RoomToProto(room), Blocks: blocks})
	for i := range blocks {
		switch {
		case err != nil:
			errs[i] = callError(err)
		case i >= len(resp.Results):
			errs[i] = errors.New("no result")
		case resp.Results[i].Error != "":
			errs[i] = errors.New(resp.Results[i].Error)
		case len(resp.Results[i].Tree) > ui.MaxBytes:
			errs[i] = fmt.Errorf("tree is %d KiB encoded; the portal takes at most %d", len(resp.Results[i].Tree)>>10, ui.MaxBytes>>10)
		default:
			trees[i], errs[i] = ui.Unmarshal(resp.Results[i].Tree)
		}
	}
	return trees, errs
}

// Act submits an action as v over the protocol, in [Room] unless req names
// a room. An answer the plugin gives as an error (not field errors) is
// returned as one.
func (c *Client) Act(ctx context.Context, v sdk.Viewer, req *pluginpb.ActionRequest) (*pluginpb.ActionResponse, error) {
	handle, done := c.as(v)
	defer done()
	req.Viewer, req.ViewerHandle = sdk.ViewerToProto(v), handle
	if req.Room == nil {
		req.Room = sdk.RoomToProto(Room)
	}
	resp, err := c.RPC.Action(ctx, req)
	if err != nil {
		return nil, callError(err)
	}
	if resp.Error != "" {
		return resp, errors.New(resp.Error)
	}
	return resp, nil
}

// as gives v a viewer handle for the length of one call.
func (c *Client) as(v sdk.Viewer) (uint64, func()) {
	handle := rand.Uint64() | 1
	c.handles.Store(handle, v)
	return handle, func() { c.handles.Delete(handle) }
}

type binding struct {
	goplugin.NetRPCUnsupportedPlugin
	broker *goplugin.GRPCBroker
}

func (b *binding) GRPCServer(*goplugin.GRPCBroker, *grpc.Server) error {
	return errors.New("plugintest serves no plugin")
}

func (b *binding) GRPCClient(_ context.Context, broker *goplugin.GRPCBroker, conn *grpc.ClientConn) (any, error) {
	b.broker = broker
	return pluginpb.NewPluginClient(conn), nil
}

type hostServer struct {
	pluginpb.UnimplementedHostServer
	c *Client
}

func (s *hostServer) viewer(h uint64) (sdk.Viewer, bool) {
	v, ok := s.c.handles.Load(h)
	if !ok {
		return sdk.Viewer{}, false
	}
	return v.(sdk.Viewer), true
}

func (s *hostServer) Program(_ context.Context, req *pluginpb.ProgramRequest) (*pluginpb.ProgramResponse, error) {
	if _, ok := s.viewer(req.ViewerHandle); !ok {
		return nil, errors.New("unknown viewer handle")
	}
	b, err := json.Marshal(s.c.host.Program)
	return &pluginpb.ProgramResponse{Program: b}, err
}

func (s *hostServer) Call(ctx context.Context, req *pluginpb.CallRequest) (*pluginpb.CallResponse, error) {
	v, ok := s.viewer(req.ViewerHandle)
	if !ok {
		return &pluginpb.CallResponse{Error: &pluginpb.CallError{Code: sdk.CodePermission, Message: "unknown viewer handle"}}, nil
	}
	out, err := s.c.host.Dispatch(ctx, v, req.Method, req.Request)
	if err != nil {
		ce := sdk.AsCallError(err)
		return &pluginpb.CallResponse{Error: &pluginpb.CallError{Code: ce.Code, Message: ce.Message, Fields: ce.Fields}}, nil
	}
	return &pluginpb.CallResponse{Response: out}, nil
}

// callError is a failed call's message as the plugin gave it, without gRPC's
// wrapping ("rpc error: code = Unknown desc = ...").
func callError(err error) error {
	if st, ok := status.FromError(err); ok && st.Code() != codes.DeadlineExceeded && st.Code() != codes.Unavailable {
		return errors.New(st.Message())
	}
	return err
}
