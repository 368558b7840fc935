package plugintest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/atriumhq/atrium/sdk"
	pluginpb "github.com/atriumhq/atrium/sdk/proto"
	"github.com/atriumhq/atrium/sdk/ui"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// Build compiles the main package at pkg (a path relative to the test's
// folder, such as "./cmd/nps") and returns the executable's path.
func Build(t testing.TB, pkg string) string {
	t.Helper()
	exe := filepath.Join(t.TempDir(), "plugin")
	out, err := exec.Command("go", "build", "-o", exe, pkg).CombinedOutput()
	if err != nil {
		t.Fatalf("build %s: %v\n%s", pkg, err, out)
	}
	return exe
}

// Conformance launches the plugin executable as the portal does (go-plugin,
// gRPC only, mutual TLS, no environment) and checks that it completes the
// handshake, says it is plugin id, describes valid block and room types, is
// healthy, and renders every block type with its default config for a
// partner and for staff. h answers its host calls (nil: none; see
// MemoryStorage).
func Conformance(t *testing.T, exe, id string, h *Host) {
	t.Helper()
	if h == nil {
		h = NewHost()
	}
	c, err := Launch(exe, h)
	if err != nil {
		t.Fatalf("launch: %v", err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d := c.Description
	if d.PluginId != id {
		t.Errorf("the executable says it is plugin %q, want %q", d.PluginId, id)
	}
	if len(d.Blocks)+len(d.Rooms) == 0 {
		t.Error("the plugin provides no block or room types")
	}
	if _, err := c.RPC.Health(ctx, &pluginpb.HealthRequest{}); err != nil {
		t.Errorf("health: %v", err)
	}
	for _, b := range d.Blocks {
		info := sdk.BlockInfoFromProto(b)
		switch {
		case info.Title == "":
			t.Errorf("block type %s has no title", info.Name)
		case info.SchemaVersion < 1:
			t.Errorf("block type %s: SchemaVersion must be 1 or more", info.Name)
		case len(info.ConfigSchema) > 0 && !json.Valid(info.ConfigSchema):
			t.Errorf("block type %s: config schema is not JSON", info.Name)
		case len(info.DefaultConfig) > 0 && !json.Valid(info.DefaultConfig):
			t.Errorf("block type %s: default config is not JSON", info.Name)
		}
		for _, v := range []sdk.Viewer{Partner(), Staff()} {
			trees, errs := c.Render(ctx, v, []*pluginpb.BlockRender{{BlockId: "conformance", Type: info.Name, Config: info.DefaultConfig}})
			if errs[0] != nil {
				t.Errorf("block type %s as %s: %v", info.Name, v.Role, errs[0])
				continue
			}
			if err := CheckTree(trees[0]); err != nil {
				t.Errorf("block type %s as %s: %v", info.Name, v.Role, err)
			}
		}
	}
	for _, r := range d.Rooms {
		if r.Title == "" {
			t.Errorf("room type %s has no title", r.Name)
		}
		var defaults []sdk.BlockSpec
		if len(r.DefaultBlocks) > 0 && json.Unmarshal(r.DefaultBlocks, &defaults) != nil {
			t.Errorf("room type %s: default blocks do not decode", r.Name)
		}
	}
}

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
		Stderr:           os.Stderr,
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

// Render renders blocks in one batch as v.
func (c *Client) Render(ctx context.Context, v sdk.Viewer, blocks []*pluginpb.BlockRender) ([]ui.Component, []error) {
	handle := rand.Uint64() | 1
	c.handles.Store(handle, v)
	defer c.handles.Delete(handle)
	trees := make([]ui.Component, len(blocks))
	errs := make([]error, len(blocks))
	resp, err := c.RPC.RenderBatch(ctx, &pluginpb.RenderBatchRequest{Viewer: sdk.ViewerToProto(v), ViewerHandle: handle,
		Room: sdk.RoomToProto(Room), Blocks: blocks})
	for i := range blocks {
		switch {
		case err != nil:
			errs[i] = err
		case i >= len(resp.Results):
			errs[i] = errors.New("no result")
		case resp.Results[i].Error != "":
			errs[i] = errors.New(resp.Results[i].Error)
		default:
			trees[i], errs[i] = ui.Unmarshal(resp.Results[i].Tree)
		}
	}
	return trees, errs
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
