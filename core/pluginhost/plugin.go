package pluginhost

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"

	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/sdk"
	pluginpb "github.com/atriumhq/atrium/sdk/proto"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// State is where a plugin is in its life.
type State string

// The states a plugin moves through. A failed plugin stays off until an admin
// enables it again; a disabled one was switched off by an admin.
const (
	StateStopped    State = "stopped"
	StateRunning    State = "running"
	StateRestarting State = "restarting"
	StateFailed     State = "failed"
	StateDisabled   State = "disabled"
)

// disabledMarker in a plugin's folder keeps it off across restarts.
const disabledMarker = ".disabled"

// Plugin is one installed plugin and, while it runs, its process.
type Plugin struct {
	m        *Manager
	dir      string
	manifest Manifest
	origin   Origin

	mu        sync.RWMutex
	state     State
	lastErr   string
	lastErrAt time.Time
	failures  []time.Time
	// restarts and lastRestart say how often and why the supervisor killed
	// and restarted the process, which later call errors must not hide.
	restarts      int
	lastRestart   string
	lastRestartAt time.Time
	client        *goplugin.Client
	rpc           pluginpb.PluginClient
	described     *pluginpb.DescribeResponse
	// proc is the running process, killed hard when it stops answering;
	// release lets go of the thread that started it (see launch).
	proc    *os.Process
	pid     int
	release chan struct{}
	// timeouts counts the calls in a row that ran out of time; any answer
	// resets it. hung is set when they reach Options.HangAfter, for the
	// supervisor to restart the process.
	timeouts int
	hung     error
	// exe is the executable as it was when last checked, so the folder
	// watcher notices it changing under a running plugin; exeRefused is
	// set while the plugin is failed because its checksum did not match.
	exe        os.FileInfo
	exePath    string
	exeRefused bool
	// registered is set once the plugin's types are in the registry; they
	// stay there while the plugin restarts so rooms render placeholders
	// rather than "unknown type".
	registered bool
	stop       chan struct{}
	kick       chan struct{}
	// stamp is the manifest's size and time when this copy was loaded, so
	// Sync notices a reinstall.
	stamp string
}

// State is the plugin's state now.
func (p *Plugin) State() State {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.state
}

// Status is what admins see of a plugin.
type Status struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Version     string    `json:"version"`
	State       State     `json:"state"`
	Blocks      []string  `json:"blocks"`
	Rooms       []string  `json:"rooms"`
	Permissions []string  `json:"permissions"`
	LastError   string    `json:"lastError,omitempty"`
	LastErrorAt time.Time `json:"lastErrorAt,omitzero"`
	Dir         string    `json:"dir"`
	// PID is the plugin's process while it runs.
	PID int `json:"pid,omitempty"`
	// Restarts counts the times the portal restarted the process since it
	// was last started by hand or at start-up; LastRestart says why.
	Restarts      int       `json:"restarts,omitempty"`
	LastRestart   string    `json:"lastRestart,omitempty"`
	LastRestartAt time.Time `json:"lastRestartAt,omitzero"`
	// HasSettings is true when the manifest declares a settings schema.
	HasSettings bool `json:"hasSettings"`
	// Trust says whether a trusted publisher signed the package the plugin
	// was installed from (signed), someone the portal does not trust did
	// (untrusted), or nobody (unsigned); see Origin.
	Trust Trust `json:"trust"`
	// Publisher is the trusted key's name, for a signed plugin; KeyID the
	// signing key's id, for a signed or untrusted one.
	Publisher string `json:"publisher,omitempty"`
	KeyID     string `json:"keyId,omitempty"`
	// Source is the folder, package or URL the plugin was installed from.
	Source string `json:"source,omitempty"`
}

// Status reports the plugin's state.
func (p *Plugin) Status() Status {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return Status{ID: p.manifest.ID, Name: p.manifest.Name, Version: p.manifest.Version, State: p.state,
		Blocks: p.manifest.Provides.Blocks, Rooms: p.manifest.Provides.Rooms, Permissions: p.manifest.Permissions,
		LastError: p.lastErr, LastErrorAt: p.lastErrAt, Dir: p.dir, PID: p.pid,
		Restarts: p.restarts, LastRestart: p.lastRestart, LastRestartAt: p.lastRestartAt, HasSettings: p.manifest.Settings != nil,
		Trust: p.origin.Trust, Publisher: p.origin.Publisher, KeyID: p.origin.KeyID, Source: p.origin.Source}
}

// setState moves the plugin to state s, keeping reason as its last error
// when there is one, and logs the change with the reason: an admin reading
// the log sees every refusal, crash, restart and switch. The caller holds
// p.mu and calls p.m.publish once it has let go.
func (p *Plugin) setStateLocked(s State, reason string) {
	from := p.state
	p.state = s
	if reason != "" {
		p.lastErr, p.lastErrAt = reason, time.Now()
	}
	if from == s && reason == "" {
		return
	}
	lvl := slog.LevelInfo
	switch s {
	case StateFailed:
		lvl = slog.LevelError
	case StateRestarting:
		lvl = slog.LevelWarn
	}
	attrs := []any{"plugin", p.manifest.ID, "from", string(from)}
	if reason != "" {
		attrs = append(attrs, "reason", reason)
	}
	p.m.opt.Log.Log(context.Background(), lvl, "plugin "+string(s), attrs...)
}

// setState is setStateLocked for a caller that does not hold p.mu.
func (p *Plugin) setState(s State, reason string) {
	p.mu.Lock()
	p.setStateLocked(s, reason)
	p.mu.Unlock()
	p.m.publish()
}

// Manifest returns the plugin's manifest.
func (p *Plugin) Manifest() Manifest { return p.manifest }

func (p *Plugin) noteError(err error) {
	p.mu.Lock()
	// A failed plugin keeps the reason it failed: a call that was still in
	// flight when it died must not hide it from the admin.
	changed := false
	if p.state != StateFailed || p.lastErr == "" {
		changed = p.lastErr != err.Error()
		p.lastErr, p.lastErrAt = err.Error(), time.Now()
	}
	p.mu.Unlock()
	if changed {
		p.m.publishSoon()
	}
}

// conn returns the running plugin's client, or why there is none.
func (p *Plugin) conn() (pluginpb.PluginClient, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.state != StateRunning || p.rpc == nil {
		return nil, fmt.Errorf("plugin %s is %s", p.manifest.ID, p.state)
	}
	return p.rpc, nil
}

// verify checks what can be checked before running anything: the platform's
// executable exists and still has the checksum pinned at install, and the
// plugin speaks a protocol and supports a portal version this host offers.
func (p *Plugin) verify() (string, string, error) {
	m := p.manifest
	if !slices.Contains(m.Protocols, sdk.ProtocolVersion) {
		return "", "", fmt.Errorf("plugin %s speaks protocol %v; this portal speaks %d", m.ID, m.Protocols, sdk.ProtocolVersion)
	}
	if hv, err := ParseVersion(p.m.opt.HostVersion); err == nil {
		r, _ := ParseRange(m.Host)
		if !r.Admits(hv) {
			return "", "", fmt.Errorf("plugin %s supports portal versions %q, this is %s", m.ID, m.Host, p.m.opt.HostVersion)
		}
	}
	exe, err := m.Executable()
	if err != nil {
		return "", "", fmt.Errorf("plugin %s: %w", m.ID, err)
	}
	path := filepath.Join(p.dir, exe.Path)
	sum, err := fileSHA256(path)
	if err != nil {
		return "", "", fmt.Errorf("plugin %s: %w", m.ID, err)
	}
	if sum != exe.SHA256 {
		return "", "", &checksumError{fmt.Errorf("plugin %s: checksum mismatch: %s changed after it was installed (sha256 %s, manifest pins %s)", m.ID, exe.Path, sum, exe.SHA256)}
	}
	return path, sum, nil
}

// checksumError is a refusal because the executable is not the one
// installed; putting the installed one back lifts it (see Sync).
type checksumError struct{ error }

func (e *checksumError) Unwrap() error { return e.error }

// exePath is where the plugin's executable for this platform lives, or ""
// when the manifest names none.
func (p *Plugin) executablePath() string {
	exe, err := p.manifest.Executable()
	if err != nil {
		return ""
	}
	return filepath.Join(p.dir, exe.Path)
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// start launches the process, connects, learns its types and registers them
// the first time.
func (p *Plugin) start() error {
	path, sum, err := p.verify()
	if err != nil {
		return err
	}
	want, _ := hex.DecodeString(sum)
	exeInfo, _ := os.Stat(path)
	cmd := exec.Command(path)
	cmd.Dir = p.dir
	// The plugin gets no host environment: no database URL, no secrets.
	cmd.Env = []string{}
	tieToParent(cmd)
	log := p.m.opt.Log.With("plugin", p.manifest.ID)
	bind := &hostBinding{p: p}
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  sdk.Handshake,
		Plugins:          goplugin.PluginSet{sdk.PluginName: bind},
		Cmd:              cmd,
		SkipHostEnv:      true,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		SecureConfig:     &goplugin.SecureConfig{Checksum: want, Hash: sha256.New()},
		StartTimeout:     p.m.opt.StartTimeout,
		GRPCDialOptions:  p.m.dialOptions(),
		Stderr:           &logWriter{log: log},
		SyncStderr:       &logWriter{log: log},
		Logger: hclog.New(&hclog.LoggerOptions{Name: "plugin", Level: hclog.Error,
			Output: &logWriter{log: log, prefix: "go-plugin: "}}),
	})
	rpcClient, release, err := launch(client)
	fail := func(err error) error {
		if cmd.Process != nil {
			cmd.Process.Kill() // it answered wrongly or not at all: no graceful goodbye
		}
		client.Kill()
		close(release)
		return fmt.Errorf("plugin %s: %w", p.manifest.ID, err)
	}
	if err != nil {
		return fail(fmt.Errorf("start: %w", err))
	}
	raw, err := rpcClient.Dispense(sdk.PluginName)
	if err != nil {
		return fail(fmt.Errorf("connect: %w", err))
	}
	rpc := raw.(pluginpb.PluginClient)
	brokerID := bind.broker.NextId()
	go bind.broker.AcceptAndServe(brokerID, func(opts []grpc.ServerOption) *grpc.Server {
		s := grpc.NewServer(opts...)
		pluginpb.RegisterHostServer(s, &hostServer{p: p})
		return s
	})
	ctx, cancel := context.WithTimeout(context.Background(), p.m.opt.CallTimeout)
	defer cancel()
	desc, err := rpc.Describe(ctx, &pluginpb.DescribeRequest{HostBrokerId: brokerID, HostVersion: p.m.opt.HostVersion})
	if err != nil {
		return fail(fmt.Errorf("describe: %w", err))
	}
	if err := p.checkDescription(desc); err != nil {
		return fail(err)
	}
	p.mu.Lock()
	first := !p.registered
	p.registered = true
	p.mu.Unlock()
	if first {
		if err := p.m.opt.Registry.Register(p.sdkPlugin(desc)); err != nil {
			p.mu.Lock()
			p.registered = false
			p.mu.Unlock()
			return fail(err)
		}
	}
	pid, _ := strconv.Atoi(client.ID())
	p.mu.Lock()
	p.client, p.rpc, p.described, p.proc, p.pid, p.release = client, rpc, desc, cmd.Process, pid, release
	p.exe, p.exePath, p.exeRefused, p.timeouts, p.hung = exeInfo, path, false, 0, nil
	p.setStateLocked(StateRunning, "")
	p.mu.Unlock()
	p.m.publish()
	log.Debug("plugin process", "version", p.manifest.Version, "pid", pid)
	return nil
}

// checkDescription holds a plugin to what its manifest promised.
func (p *Plugin) checkDescription(d *pluginpb.DescribeResponse) error {
	if d.PluginId != p.manifest.ID {
		return fmt.Errorf("the executable says it is plugin %q, the manifest says %q", d.PluginId, p.manifest.ID)
	}
	var blocks, rooms []string
	for _, b := range d.Blocks {
		blocks = append(blocks, b.Name)
	}
	for _, r := range d.Rooms {
		rooms = append(rooms, r.Name)
	}
	same := func(a, b []string) bool {
		a, b = slices.Clone(a), slices.Clone(b)
		slices.Sort(a)
		slices.Sort(b)
		return slices.Equal(a, b)
	}
	if !same(blocks, p.manifest.Provides.Blocks) || !same(rooms, p.manifest.Provides.Rooms) {
		return fmt.Errorf("the executable provides blocks %v and rooms %v, the manifest lists blocks %v and rooms %v",
			blocks, rooms, p.manifest.Provides.Blocks, p.manifest.Provides.Rooms)
	}
	return nil
}

func (p *Plugin) sdkPlugin(d *pluginpb.DescribeResponse) sdk.Plugin {
	sp := sdk.Plugin{ID: p.manifest.ID}
	for _, b := range d.Blocks {
		sp.Blocks = append(sp.Blocks, &remoteBlock{p: p, info: sdk.BlockInfoFromProto(b), wire: b})
	}
	for _, r := range d.Rooms {
		info := sdk.RoomInfo{Name: r.Name, Title: r.Title, Description: r.Description, Icon: r.Icon,
			OncePerPartnerType: r.OncePerPartnerType, StaffView: r.StaffView, Badge: r.Badge, LiveTopics: r.LiveTopics}
		if len(r.DefaultBlocks) > 0 {
			if err := json.Unmarshal(r.DefaultBlocks, &info.DefaultBlocks); err != nil {
				p.noteError(fmt.Errorf("room type %s: default blocks: %w", r.Name, err))
			}
		}
		sp.Rooms = append(sp.Rooms, &remoteRoom{p: p, info: info, wire: r})
	}
	if len(d.Templates) > 0 {
		if err := json.Unmarshal(d.Templates, &sp.Templates); err != nil {
			p.noteError(fmt.Errorf("room templates: %w", err))
			sp.Templates = nil
		}
	}
	return sp
}

// kill stops the process, if any. A graceful stop asks the plugin to exit
// and waits up to KillTimeout for it; a hard one (or a graceful one that ran
// out of time, as it does on a frozen process, whose go-plugin Shutdown call
// never returns) kills the process outright.
func (p *Plugin) kill(hard bool) {
	p.mu.Lock()
	c, proc, release := p.client, p.proc, p.release
	p.client, p.rpc, p.proc, p.pid, p.release = nil, nil, nil, 0, nil
	p.mu.Unlock()
	if c == nil {
		return
	}
	if hard && proc != nil {
		proc.Kill()
	}
	done := make(chan struct{})
	go func() {
		c.Kill()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(p.m.opt.KillTimeout):
		if proc != nil {
			proc.Kill()
		}
		<-done
	}
	if release != nil {
		close(release)
	}
}

// callFailed looks at a failed call and asks the supervisor to check the
// plugin now when the process seems gone. Calls that run out of time in a
// row, HangAfter of them with no answer between, mark the process hung: the
// supervisor kills it and starts it again.
func (p *Plugin) callFailed(err error) {
	p.noteError(err)
	s, ok := status.FromError(err)
	if !ok || (s.Code() != codes.Unavailable && s.Code() != codes.DeadlineExceeded) {
		return
	}
	if s.Code() == codes.DeadlineExceeded {
		p.mu.Lock()
		p.timeouts++
		var proc *os.Process
		if p.timeouts >= p.m.opt.HangAfter && p.hung == nil && p.state == StateRunning {
			p.hung = fmt.Errorf("%d calls in a row got no answer in time: the process is hung; killed it to restart it", p.timeouts)
			proc = p.proc
		}
		p.mu.Unlock()
		// Killed at once, so that a health check the supervisor may be
		// waiting on fails now rather than at its own deadline.
		if proc != nil {
			proc.Kill()
		}
	}
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

// answered notes that the plugin answered a call in time.
func (p *Plugin) answered() {
	p.mu.Lock()
	p.timeouts = 0
	p.mu.Unlock()
}

// hostBinding is the portal's side of the go-plugin binding: it hands out
// the plugin's gRPC client and keeps the broker for the host service.
type hostBinding struct {
	goplugin.NetRPCUnsupportedPlugin
	p      *Plugin
	broker *goplugin.GRPCBroker
}

func (b *hostBinding) GRPCServer(*goplugin.GRPCBroker, *grpc.Server) error {
	return errors.New("the portal does not serve plugins")
}

func (b *hostBinding) GRPCClient(_ context.Context, broker *goplugin.GRPCBroker, conn *grpc.ClientConn) (any, error) {
	b.broker = broker
	return pluginpb.NewPluginClient(conn), nil
}

// hostServer answers a plugin's host calls as the viewer of the request the
// call belongs to, with the plugin's granted permissions.
type hostServer struct {
	pluginpb.UnimplementedHostServer
	p *Plugin
}

func (s *hostServer) caller(handle uint64) (host.Caller, bool) {
	v, ok := s.p.m.viewer(handle, s.p.manifest.ID)
	if !ok {
		return host.Caller{}, false
	}
	return host.CallerFor(v, s.p.manifest.ID, s.p.manifest.Permissions), true
}

var errHandle = &pluginpb.CallError{Code: sdk.CodePermission, Message: "no request in progress for this viewer handle"}

func (s *hostServer) Program(ctx context.Context, req *pluginpb.ProgramRequest) (*pluginpb.ProgramResponse, error) {
	c, ok := s.caller(req.ViewerHandle)
	if !ok {
		return nil, status.Error(codes.PermissionDenied, errHandle.Message)
	}
	prog, err := s.p.m.opt.Host.ForPlugin(c.Viewer, c.Plugin, c.Permissions).Program(ctx)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(prog)
	return &pluginpb.ProgramResponse{Program: b}, err
}

func (s *hostServer) Call(ctx context.Context, req *pluginpb.CallRequest) (*pluginpb.CallResponse, error) {
	c, ok := s.caller(req.ViewerHandle)
	if !ok {
		return &pluginpb.CallResponse{Error: errHandle}, nil
	}
	out, err := s.p.m.opt.Host.Dispatch(ctx, c, req.Method, req.Request)
	if err != nil {
		ce := sdk.AsCallError(err)
		if ce.Code == sdk.CodePermission {
			s.p.noteError(ce)
		}
		return &pluginpb.CallResponse{Error: &pluginpb.CallError{Code: ce.Code, Message: ce.Message, Fields: ce.Fields}}, nil
	}
	return &pluginpb.CallResponse{Response: out}, nil
}

// line logs one line. go-plugin's own logger in the plugin writes JSON with
// a level; those keep their level (its debug chatter stays out of the log)
// and their fields, such as the stack of a panic the SDK recovered.
func (w *logWriter) line(line string) {
	if strings.HasPrefix(line, `{"@`) {
		var e map[string]any
		if json.Unmarshal([]byte(line), &e) == nil {
			level, _ := e["@level"].(string)
			msg, _ := e["@message"].(string)
			lvl, ok := map[string]slog.Level{"trace": slog.LevelDebug - 4, "debug": slog.LevelDebug, "info": slog.LevelInfo,
				"warn": slog.LevelWarn, "error": slog.LevelError}[level]
			if ok {
				attrs := []any{"line", w.prefix + msg}
				keys := make([]string, 0, len(e))
				for k := range e {
					if !strings.HasPrefix(k, "@") {
						keys = append(keys, k)
					}
				}
				slices.Sort(keys)
				for _, k := range keys {
					attrs = append(attrs, k, e[k])
				}
				w.log.Log(context.Background(), lvl, "plugin log", attrs...)
				return
			}
		}
	}
	w.log.Info("plugin stderr", "line", w.prefix+line)
}

// logWriter turns a plugin's stderr into log lines tagged with its id.
type logWriter struct {
	log    *slog.Logger
	prefix string
	mu     sync.Mutex
	buf    []byte
}

func (w *logWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, b...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		line := string(bytes.TrimRight(w.buf[:i], "\r"))
		w.buf = w.buf[i+1:]
		if line != "" {
			w.line(line)
		}
	}
	if len(w.buf) > 64<<10 { // a line without end: flush it anyway
		w.line(string(w.buf))
		w.buf = w.buf[:0]
	}
	return len(b), nil
}

// dialOptions are the gRPC options of a connection to a plugin process.
func (m *Manager) dialOptions() []grpc.DialOption {
	// A batch may carry many trees of up to MaxTreeBytes each; gRPC's 4 MiB
	// default would fail a whole room for one large block.
	opts := []grpc.DialOption{grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(64 << 20))}
	if m.opt.Traced {
		opts = append(opts, grpc.WithStatsHandler(otelgrpc.NewClientHandler()))
	}
	return opts
}
