package sdk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"runtime/debug"
	"sync"
	"time"

	pluginpb "github.com/atriumhq/atrium/sdk/proto"
	"github.com/atriumhq/atrium/sdk/ui"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/stats"
	"google.golang.org/grpc/status"
)

// ProtocolVersion is the version of the plugin protocol (sdk/proto) this SDK
// speaks. A plugin's manifest lists the protocol versions its executable
// serves; the portal refuses a plugin with none in common.
const ProtocolVersion = 1

// Handshake is the go-plugin handshake between the portal and a plugin. The
// cookie only stops a plugin executable from being run by hand by mistake; it
// is not a security measure.
var Handshake = goplugin.HandshakeConfig{
	ProtocolVersion:  ProtocolVersion,
	MagicCookieKey:   "ATRIUM_PLUGIN",
	MagicCookieValue: "8d3f0c1e-atrium-block-and-room-types",
}

// PluginName is the name under which the plugin serves its gRPC service.
const PluginName = "atrium"

// Serve runs p as an out-of-process plugin: call it from main and build the
// package into the executable named in plugin.yaml. It returns when the
// portal stops the plugin.
//
//	func main() { sdk.Serve(sdk.Plugin{ID: "acme/nps", Blocks: []sdk.BlockType{nps.Block{}}}) }
func Serve(p Plugin) {
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig: Handshake,
		Plugins:         goplugin.PluginSet{PluginName: &GRPCPlugin{Plugin: p}},
		GRPCServer:      NewGRPCServer,
	})
}

// NewGRPCServer makes the gRPC server a plugin serves on; [Serve] uses it,
// and a plugin that calls go-plugin's Serve itself should too. go-plugin
// passes the options for the connection's mutual TLS.
//
// Every call the portal makes would otherwise start a fresh goroutine whose
// stack then grows, copy by copy, through gRPC, protobuf and the block's
// render; a few long-lived workers with grown stacks take the calls instead.
// When all of them are busy a call still gets a goroutine of its own, so
// calls never wait for one another.
//
// A panic in any call (a block's config validator, a migration, an action,
// an item page, the description) becomes an error for that call alone: the
// process, and every other block it serves, carries on.
//
// The server stops, and [Serve] returns, when the portal's connection
// closes: a portal that died without stopping its plugins (kill -9, a
// crash) must not leave them running for ever. On Linux the portal also
// has the kernel kill its plugins when it dies; this covers the other
// systems, and a plugin started by another host.
func NewGRPCServer(opts []grpc.ServerOption) *grpc.Server {
	leave := &leaveWithHost{}
	s := grpc.NewServer(append(opts, grpc.NumStreamWorkers(streamWorkers),
		grpc.ChainUnaryInterceptor(recoverPanics(os.Stderr)), grpc.StatsHandler(leave))...)
	leave.stop = s.Stop
	return s
}

// leaveWithHost counts the connections to the plugin's server and stops
// the server when the last one closes. The portal holds one connection for
// the life of the process (go-plugin's broker runs inside it), so the count
// falls to zero only when the portal is gone.
type leaveWithHost struct {
	mu   sync.Mutex
	open int
	stop func()
}

func (l *leaveWithHost) TagRPC(ctx context.Context, _ *stats.RPCTagInfo) context.Context { return ctx }
func (l *leaveWithHost) HandleRPC(context.Context, stats.RPCStats)                       {}
func (l *leaveWithHost) TagConn(ctx context.Context, _ *stats.ConnTagInfo) context.Context {
	return ctx
}

func (l *leaveWithHost) HandleConn(_ context.Context, s stats.ConnStats) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch s.(type) {
	case *stats.ConnBegin:
		l.open++
	case *stats.ConnEnd:
		l.open--
		if l.open == 0 && l.stop != nil {
			go l.stop() // Stop waits for handlers, which may be in this call's path
		}
	}
}

// recoverPanics turns a panic in a call into an Internal error that names
// the method and the panic's value, and writes the stack to the plugin's
// log (stderr, which the portal logs under the plugin's id). The stack stays
// out of the error: the error reaches an admin's screen, and a stack shows
// the paths of the machine the plugin was built on.
func recoverPanics(log io.Writer) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (resp any, err error) {
		defer func() {
			if r := recover(); r != nil {
				method := path.Base(info.FullMethod)
				logPanic(log, method, r, debug.Stack())
				resp, err = nil, status.Errorf(codes.Internal, "%s panicked: %v", method, r)
			}
		}()
		return handler(ctx, req)
	}
}

// logPanic writes one log line in go-plugin's JSON form, which the portal
// reads with its level and fields; the stack is one field, not fifty lines.
func logPanic(w io.Writer, where string, value any, stack []byte) {
	line, err := json.Marshal(map[string]string{"@level": "error", "@message": where + " panicked: " + fmt.Sprint(value),
		"@timestamp": time.Now().Format(time.RFC3339Nano), "stack": string(stack)})
	if err != nil {
		return
	}
	w.Write(append(line, '\n'))
}

// streamWorkers is the number of long-lived goroutines serving calls: a
// portal renders a room's blocks of one plugin in one call, so a few cover
// the usual number of calls in flight.
const streamWorkers = 4

// GRPCPlugin is the plugin side of the go-plugin binding. The portal has its
// own client side; plugin authors only need [Serve].
type GRPCPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
	Plugin Plugin
}

// GRPCServer registers the plugin's service.
func (g *GRPCPlugin) GRPCServer(broker *goplugin.GRPCBroker, s *grpc.Server) error {
	pluginpb.RegisterPluginServer(s, NewPluginServer(g.Plugin, broker))
	return nil
}

// GRPCClient is not used on the plugin side.
func (g *GRPCPlugin) GRPCClient(context.Context, *goplugin.GRPCBroker, *grpc.ClientConn) (any, error) {
	return nil, errors.New("sdk: the plugin side has no client")
}

// NewPluginServer serves p over the plugin protocol. The broker reaches the
// portal's host service; it may be nil in tests, where host calls fail.
func NewPluginServer(p Plugin, broker *goplugin.GRPCBroker) pluginpb.PluginServer {
	s := &pluginServer{p: p, broker: broker, blocks: map[string]BlockType{}, rooms: map[string]RoomType{}}
	for _, b := range p.Blocks {
		s.blocks[b.Describe().Name] = b
	}
	for _, r := range p.Rooms {
		s.rooms[r.Describe().Name] = r
	}
	return s
}

type pluginServer struct {
	pluginpb.UnimplementedPluginServer
	p      Plugin
	broker *goplugin.GRPCBroker
	blocks map[string]BlockType
	rooms  map[string]RoomType

	mu   sync.Mutex
	host pluginpb.HostClient
}

func (s *pluginServer) Describe(_ context.Context, req *pluginpb.DescribeRequest) (*pluginpb.DescribeResponse, error) {
	if req.HostBrokerId != 0 && s.broker != nil {
		conn, err := s.broker.Dial(req.HostBrokerId)
		if err != nil {
			return nil, fmt.Errorf("reach the portal's host service: %w", err)
		}
		s.mu.Lock()
		s.host = pluginpb.NewHostClient(conn)
		s.mu.Unlock()
	}
	out := &pluginpb.DescribeResponse{PluginId: s.p.ID}
	if len(s.p.Templates) > 0 {
		t, err := json.Marshal(s.p.Templates)
		if err != nil {
			return nil, fmt.Errorf("room templates: %w", err)
		}
		out.Templates = t
	}
	for _, b := range s.p.Blocks {
		info := b.Describe()
		_, validates := b.(ConfigValidator)
		_, migrates := b.(ConfigMigrator)
		_, acts := b.(ActionHandler)
		out.Blocks = append(out.Blocks, &pluginpb.BlockInfo{
			Name: info.Name, Title: info.Title, Description: info.Description, Icon: info.Icon,
			ConfigSchema: info.ConfigSchema, SchemaVersion: int32(info.SchemaVersion),
			DefaultConfig: info.DefaultConfig, CacheMaxAgeMs: info.Cache.MaxAge.Milliseconds(),
			CacheVaryBy: info.Cache.VaryBy, ValidatesConfig: validates, MigratesConfig: migrates, HandlesActions: acts,
		})
	}
	for _, r := range s.p.Rooms {
		info := r.Describe()
		defaults, err := json.Marshal(info.DefaultBlocks)
		if err != nil {
			return nil, fmt.Errorf("room type %s: default blocks: %w", info.Name, err)
		}
		_, items := r.(ItemRenderer)
		_, acts := r.(ActionHandler)
		out.Rooms = append(out.Rooms, &pluginpb.RoomInfo{
			Name: info.Name, Title: info.Title, Description: info.Description, Icon: info.Icon,
			OncePerPartnerType: info.OncePerPartnerType, DefaultBlocks: defaults,
			RendersItems: items, HandlesActions: acts, StaffView: info.StaffView,
			Badge: info.Badge, LiveTopics: info.LiveTopics,
		})
	}
	return out, nil
}

func (s *pluginServer) hostFor(handle uint64) Host {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &remoteHost{client: s.host, handle: handle}
}

func (s *pluginServer) RenderBatch(ctx context.Context, req *pluginpb.RenderBatchRequest) (*pluginpb.RenderBatchResponse, error) {
	v := ViewerFromProto(req.Viewer)
	room := roomFromProto(req.Room)
	h := s.hostFor(req.ViewerHandle)
	out := &pluginpb.RenderBatchResponse{Results: make([]*pluginpb.BlockResult, len(req.Blocks))}
	var wg sync.WaitGroup
	for i, b := range req.Blocks {
		one := func() {
			res := &pluginpb.BlockResult{BlockId: b.BlockId}
			out.Results[i] = res
			bt, ok := s.blocks[b.Type]
			if !ok {
				res.Error = fmt.Sprintf("plugin %s has no block type %q", s.p.ID, b.Type)
				return
			}
			tree, err := safeRender(ctx, bt, RenderRequest{Viewer: v, Room: room, BlockID: b.BlockId, Config: b.Config, Host: h})
			if err == nil && tree == nil {
				err = errors.New("no tree")
			}
			if err == nil {
				res.Tree, err = ui.Marshal(tree)
			}
			if err != nil {
				res.Error = err.Error()
			}
		}
		// A lone block renders on the call's own goroutine; several
		// render concurrently, as they would in-process.
		if len(req.Blocks) == 1 {
			one()
		} else {
			wg.Go(one)
		}
	}
	wg.Wait()
	return out, nil
}

// safeRender contains a panicking block so that one bad block does not take
// its siblings down. Blocks of a batch render on goroutines of their own,
// where the server's recovery (see [NewGRPCServer]) cannot reach.
func safeRender(ctx context.Context, bt BlockType, req RenderRequest) (tree ui.Component, err error) {
	defer func() {
		if p := recover(); p != nil {
			where := "block " + req.BlockID
			logPanic(os.Stderr, where, p, debug.Stack())
			err = fmt.Errorf("%s panicked: %v", where, p)
		}
	}()
	return bt.Render(ctx, req)
}

func (s *pluginServer) handler(blockType, roomType string) (ActionHandler, error) {
	if blockType != "" {
		if h, ok := s.blocks[blockType].(ActionHandler); ok {
			return h, nil
		}
		return nil, fmt.Errorf("block type %q takes no actions", blockType)
	}
	if h, ok := s.rooms[roomType].(ActionHandler); ok {
		return h, nil
	}
	return nil, fmt.Errorf("room type %q takes no actions", roomType)
}

func (s *pluginServer) Action(ctx context.Context, req *pluginpb.ActionRequest) (*pluginpb.ActionResponse, error) {
	h, err := s.handler(req.BlockType, req.RoomType)
	if err != nil {
		return nil, err
	}
	res, err := h.HandleAction(ctx, ActionRequest{
		Viewer: ViewerFromProto(req.Viewer), Room: roomFromProto(req.Room), BlockID: req.BlockId,
		Config: req.Config, Name: req.Name, State: req.State, Values: valuesFromProto(req.Values),
		Host: s.hostFor(req.ViewerHandle),
	})
	if err != nil {
		return nil, err
	}
	return &pluginpb.ActionResponse{Message: res.Message, FieldErrors: res.FieldErrors, Error: res.Error,
		Navigate: res.Navigate, Rerender: res.Rerender}, nil
}

func (s *pluginServer) RenderItem(ctx context.Context, req *pluginpb.ItemRequest) (*pluginpb.ItemResponse, error) {
	ir, ok := s.rooms[req.RoomType].(ItemRenderer)
	if !ok {
		return nil, fmt.Errorf("room type %q serves no item pages", req.RoomType)
	}
	page, err := ir.RenderItem(ctx, ItemRequest{Viewer: ViewerFromProto(req.Viewer), Room: roomFromProto(req.Room),
		Path: req.Path, Query: valuesFromProto(req.Query), Host: s.hostFor(req.ViewerHandle)})
	if err != nil {
		ce := AsCallError(err)
		return &pluginpb.ItemResponse{Error: &pluginpb.CallError{Code: ce.Code, Message: ce.Message, Fields: ce.Fields}}, nil
	}
	body, err := ui.Marshal(page.Body)
	if err != nil {
		return nil, err
	}
	return &pluginpb.ItemResponse{Title: page.Title, Body: body, LiveTopics: page.LiveTopics}, nil
}

func (s *pluginServer) ValidateConfig(ctx context.Context, req *pluginpb.ValidateConfigRequest) (*pluginpb.ValidateConfigResponse, error) {
	if v, ok := s.blocks[req.Type].(ConfigValidator); ok {
		if err := v.ValidateConfig(ctx, req.Config); err != nil {
			return &pluginpb.ValidateConfigResponse{Error: err.Error()}, nil
		}
	}
	return &pluginpb.ValidateConfigResponse{}, nil
}

func (s *pluginServer) MigrateConfig(ctx context.Context, req *pluginpb.MigrateConfigRequest) (*pluginpb.MigrateConfigResponse, error) {
	m, ok := s.blocks[req.Type].(ConfigMigrator)
	if !ok {
		return &pluginpb.MigrateConfigResponse{Config: req.Config}, nil
	}
	cfg, err := m.MigrateConfig(ctx, int(req.FromVersion), req.Config)
	if err != nil {
		return &pluginpb.MigrateConfigResponse{Error: err.Error()}, nil
	}
	return &pluginpb.MigrateConfigResponse{Config: cfg}, nil
}

func (s *pluginServer) Health(context.Context, *pluginpb.HealthRequest) (*pluginpb.HealthResponse, error) {
	return &pluginpb.HealthResponse{Status: "ok"}, nil
}

// remoteHost is the portal's host API as a plugin process sees it: every call
// names the request's viewer handle and goes back over the broker.
type remoteHost struct {
	client pluginpb.HostClient
	handle uint64
}

func (h *remoteHost) Program(ctx context.Context) (Program, error) {
	var p Program
	if h.client == nil {
		return p, errors.New("no connection to the portal")
	}
	resp, err := h.client.Program(ctx, &pluginpb.ProgramRequest{ViewerHandle: h.handle})
	if err != nil {
		return p, err
	}
	err = json.Unmarshal(resp.Program, &p)
	return p, err
}

func (h *remoteHost) Call(ctx context.Context, method string, req, resp any) error {
	if h.client == nil {
		return errors.New("no connection to the portal")
	}
	in, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("%s: encode request: %w", method, err)
	}
	out, err := h.client.Call(ctx, &pluginpb.CallRequest{ViewerHandle: h.handle, Method: method, Request: in})
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	if e := out.Error; e != nil {
		return &CallError{Code: e.Code, Message: e.Message, Fields: e.Fields}
	}
	if resp == nil || len(out.Response) == 0 {
		return nil
	}
	if err := json.Unmarshal(out.Response, resp); err != nil {
		return fmt.Errorf("%s: decode answer: %w", method, err)
	}
	return nil
}

// ViewerToProto and ViewerFromProto carry a Viewer across the protocol.
func ViewerToProto(v Viewer) *pluginpb.Viewer {
	out := &pluginpb.Viewer{UserId: v.UserID, Email: v.Email, Name: v.Name, Role: string(v.Role),
		ContactRole: v.ContactRole, Preview: v.Preview, ActsFor: v.ActsFor, ActsForAll: v.ActsForAll, Locale: v.Locale}
	if p := v.Partner; p != nil {
		out.Partner = &pluginpb.Partner{Id: p.ID, Slug: p.Slug, Name: p.Name, Type: p.Type, Tier: p.Tier,
			Stage: p.Stage, ParentId: p.ParentID, LogoUrl: p.LogoURL}
	}
	return out
}

// ViewerFromProto is the inverse of [ViewerToProto].
func ViewerFromProto(v *pluginpb.Viewer) Viewer {
	if v == nil {
		return Viewer{}
	}
	out := Viewer{UserID: v.UserId, Email: v.Email, Name: v.Name, Role: Role(v.Role), ContactRole: v.ContactRole, Preview: v.Preview,
		ActsFor: v.ActsFor, ActsForAll: v.ActsForAll, Locale: v.Locale}
	if p := v.Partner; p != nil {
		out.Partner = &Partner{ID: p.Id, Slug: p.Slug, Name: p.Name, Type: p.Type, Tier: p.Tier,
			Stage: p.Stage, ParentID: p.ParentId, LogoURL: p.LogoUrl}
	}
	return out
}

func roomFromProto(r *pluginpb.RoomRef) RoomRef {
	if r == nil {
		return RoomRef{}
	}
	return RoomRef{Slug: r.Slug, Title: r.Title, Type: r.Type, Path: r.Path}
}

// RoomToProto carries a RoomRef across the protocol.
func RoomToProto(r RoomRef) *pluginpb.RoomRef {
	return &pluginpb.RoomRef{Slug: r.Slug, Title: r.Title, Type: r.Type, Path: r.Path}
}

func valuesFromProto(m map[string]*pluginpb.StringList) map[string][]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string][]string, len(m))
	for k, v := range m {
		out[k] = v.GetValues()
	}
	return out
}

// ValuesToProto carries form values or a query across the protocol.
func ValuesToProto(m map[string][]string) map[string]*pluginpb.StringList {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]*pluginpb.StringList, len(m))
	for k, v := range m {
		out[k] = &pluginpb.StringList{Values: v}
	}
	return out
}

// cacheMaxAge turns the wire's milliseconds back into a duration.
func cacheMaxAge(ms int64) time.Duration { return time.Duration(ms) * time.Millisecond }

// BlockInfoFromProto is the portal's reading of a described block type.
func BlockInfoFromProto(b *pluginpb.BlockInfo) BlockInfo {
	return BlockInfo{Name: b.Name, Title: b.Title, Description: b.Description, Icon: b.Icon,
		ConfigSchema: b.ConfigSchema, SchemaVersion: int(b.SchemaVersion), DefaultConfig: b.DefaultConfig,
		Cache: CachePolicy{MaxAge: cacheMaxAge(b.CacheMaxAgeMs), VaryBy: b.CacheVaryBy}}
}
