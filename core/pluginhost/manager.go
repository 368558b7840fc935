// Package pluginhost runs out-of-process plugins: it finds them in the
// plugins folder, checks their manifests and checksums, starts them with
// go-plugin over gRPC (mutual TLS, no host environment), registers their
// block and room types alongside the built-ins, serves their host API calls as
// the viewer of the request in progress, and supervises them: health checks,
// restarts with backoff, and a failed state after repeated crashes that only
// an admin lifts.
package pluginhost

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/sdk"
)

// Options configure a Manager. Zero durations take the defaults noted.
type Options struct {
	// Dir is the plugins folder, <data>/plugins; plugin acme/nps lives in
	// Dir/acme/nps.
	Dir         string
	Registry    *registry.Registry
	Host        *host.Factory
	HostVersion string // the portal's version, checked against manifests
	Log         *slog.Logger

	StartTimeout   time.Duration // handshake (default 10s)
	CallTimeout    time.Duration // describe, actions, items, configs (default 5s)
	HealthInterval time.Duration // default 10s
	HealthTimeout  time.Duration // default 2s
	BackoffBase    time.Duration // first restart delay, doubled each time (default 250ms)
	BackoffMax     time.Duration // default 30s
	MaxFailures    int           // failures in FailureWindow that mark a plugin failed (default 3)
	FailureWindow  time.Duration // default 1h
	// HangAfter is how many calls in a row may run out of time before the
	// process is taken for hung, killed and started again (default 3).
	HangAfter int
	// KillTimeout bounds a graceful stop before the process is killed
	// (default 2s).
	KillTimeout time.Duration

	// PublishStatus makes the manager keep StatusFile in Dir up to date
	// with every plugin's state, for `atrium plugins list` to show what the
	// running portal shows. Only the portal sets it; a command that starts
	// plugins for a moment must not overwrite the portal's word.
	PublishStatus bool

	// Traced sends the trace context along with every call to a plugin
	// process and records a span per call, while tracing is on.
	Traced bool
}

// Manager holds the installed plugins.
type Manager struct {
	opt Options

	mu      sync.RWMutex
	plugins map[string]*Plugin

	// handles maps the opaque viewer handles given to plugins with each
	// request back to the viewer; a plugin can only use handles of its own
	// requests in progress.
	handles sync.Map // uint64 -> handleEntry

	// ops serialises changes of plugin state (enable, disable, install and
	// Sync), which come from admins and from the folder watcher at once.
	ops       sync.Mutex
	pub       publisher
	watchOnce sync.Once
	closeOnce sync.Once
	closed    chan struct{}
}

type handleEntry struct {
	viewer sdk.Viewer
	plugin string
}

// NewManager returns a Manager; call Load to start the installed plugins.
func NewManager(opt Options) *Manager {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&opt.StartTimeout, 10*time.Second)
	def(&opt.CallTimeout, 5*time.Second)
	def(&opt.HealthInterval, 10*time.Second)
	def(&opt.HealthTimeout, 2*time.Second)
	def(&opt.BackoffBase, 250*time.Millisecond)
	def(&opt.BackoffMax, 30*time.Second)
	def(&opt.FailureWindow, time.Hour)
	def(&opt.KillTimeout, 2*time.Second)
	if opt.MaxFailures <= 0 {
		opt.MaxFailures = 3
	}
	if opt.HangAfter <= 0 {
		opt.HangAfter = 3
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	// A plugin runs in its own folder, so its executable's path must not
	// be relative to ours: see start.
	if abs, err := filepath.Abs(opt.Dir); err == nil {
		opt.Dir = abs
	}
	return &Manager{opt: opt, plugins: map[string]*Plugin{}, closed: make(chan struct{})}
}

func (m *Manager) hold(v sdk.Viewer, plugin string) (uint64, func()) {
	for {
		h := rand.Uint64()
		if h == 0 {
			continue
		}
		if _, taken := m.handles.LoadOrStore(h, handleEntry{viewer: v, plugin: plugin}); !taken {
			return h, func() { m.handles.Delete(h) }
		}
	}
}

func (m *Manager) viewer(h uint64, plugin string) (sdk.Viewer, bool) {
	e, ok := m.handles.Load(h)
	if !ok || e.(handleEntry).plugin != plugin {
		return sdk.Viewer{}, false
	}
	return e.(handleEntry).viewer, true
}

// Discover lists the plugin folders under Dir: every folder holding a
// plugin.yaml, two levels down (vendor/name).
func (m *Manager) Discover() ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(m.opt.Dir, "*", "*", ManifestFile))
	if err != nil {
		return nil, err
	}
	dirs := make([]string, 0, len(matches))
	for _, f := range matches {
		// Skip a copy being installed (acme/nps.installing): ids never
		// hold a dot.
		if strings.Contains(filepath.Base(filepath.Dir(f)), ".") {
			continue
		}
		dirs = append(dirs, filepath.Dir(f))
	}
	sort.Strings(dirs)
	return dirs, nil
}

// Load starts every installed plugin that is not disabled. A plugin that
// cannot start is recorded with the reason and left off; the others and the
// portal carry on. The returned error joins every plugin's problem.
func (m *Manager) Load() error {
	dirs, err := m.Discover()
	if err != nil {
		return err
	}
	var errs []error
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, dir := range dirs {
		wg.Go(func() {
			if err := m.load(dir); err != nil {
				m.opt.Log.Error("plugin not started", "dir", dir, "err", err)
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (m *Manager) load(dir string) error {
	man, err := ReadManifest(dir)
	p := &Plugin{m: m, dir: dir, manifest: man, origin: readOrigin(dir), state: StateStopped, stop: make(chan struct{}), kick: make(chan struct{}, 1),
		stamp: manifestStamp(dir)}
	if err == nil {
		rel, _ := filepath.Rel(m.opt.Dir, dir)
		if filepath.ToSlash(rel) != man.ID {
			err = fmt.Errorf("%s: plugin %s must be installed in %s", dir, man.ID, filepath.Join(m.opt.Dir, filepath.FromSlash(man.ID)))
		}
	}
	if err != nil {
		rel, _ := filepath.Rel(m.opt.Dir, dir)
		p.manifest.ID = filepath.ToSlash(rel)
		m.add(p)
		p.setState(StateFailed, err.Error())
		return err
	}
	m.add(p)
	if _, err := os.Stat(filepath.Join(dir, disabledMarker)); err == nil {
		p.setState(StateDisabled, "")
		return nil
	}
	return m.run(p)
}

func (m *Manager) add(p *Plugin) {
	m.mu.Lock()
	old, ok := m.plugins[p.manifest.ID]
	m.plugins[p.manifest.ID] = p
	m.mu.Unlock()
	if ok && old != p {
		old.shutdown()
	}
}

// run starts p and its supervisor.
func (m *Manager) run(p *Plugin) error {
	if err := p.start(); err != nil {
		p.refused(err)
		return err
	}
	go p.supervise()
	return nil
}

// Plugin returns an installed plugin.
func (m *Manager) Plugin(id string) (*Plugin, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	p, ok := m.plugins[id]
	return p, ok
}

// Dir is the plugins folder the manager runs from; the trusted publisher
// keys (core/pluginpack) live in it too.
func (m *Manager) Dir() string { return m.opt.Dir }

// List returns every installed plugin's status, by id.
func (m *Manager) List() []Status {
	m.mu.RLock()
	out := make([]Status, 0, len(m.plugins))
	for _, p := range m.plugins {
		out = append(out, p.Status())
	}
	m.mu.RUnlock()
	slices.SortFunc(out, func(a, b Status) int {
		if a.ID < b.ID {
			return -1
		}
		if a.ID > b.ID {
			return 1
		}
		return 0
	})
	return out
}

// ErrNoPlugin is returned for an id that is not installed.
var ErrNoPlugin = errors.New("no such plugin")

// Disable stops a plugin and keeps it off, across restarts, until enabled.
func (m *Manager) Disable(id string) error {
	m.ops.Lock()
	defer m.ops.Unlock()
	p, ok := m.Plugin(id)
	if !ok {
		return fmt.Errorf("%w: %s", ErrNoPlugin, id)
	}
	return m.disable(p)
}

func (m *Manager) disable(p *Plugin) error {
	if err := os.WriteFile(filepath.Join(p.dir, disabledMarker), nil, 0o644); err != nil {
		return err
	}
	p.shutdown()
	p.setState(StateDisabled, "")
	return nil
}

// Enable starts a disabled or failed plugin again, with a clean failure
// count. Its manifest is read again, so a fixed plugin can be dropped in.
func (m *Manager) Enable(id string) error {
	m.ops.Lock()
	defer m.ops.Unlock()
	p, ok := m.Plugin(id)
	if !ok {
		return fmt.Errorf("%w: %s", ErrNoPlugin, id)
	}
	return m.enable(p)
}

func (m *Manager) enable(p *Plugin) error {
	id := p.manifest.ID
	if err := os.Remove(filepath.Join(p.dir, disabledMarker)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	// A fresh Plugin, as at start-up: the old one (and its supervisor) is
	// left behind whole, so nothing it still reads changes under it.
	p.shutdown()
	m.opt.Registry.Unregister(id)
	return m.load(p.dir)
}

// Close stops the folder watcher and every plugin process, and withdraws
// the published status: with no portal, nothing runs.
func (m *Manager) Close() {
	m.closeOnce.Do(func() { close(m.closed) })
	m.mu.RLock()
	all := make([]*Plugin, 0, len(m.plugins))
	for _, p := range m.plugins {
		all = append(all, p)
	}
	m.mu.RUnlock()
	var wg sync.WaitGroup
	for _, p := range all {
		wg.Go(p.shutdown)
	}
	wg.Wait()
	m.unpublish()
}

// shutdown stops the supervisor and the process.
func (p *Plugin) shutdown() {
	p.mu.Lock()
	select {
	case <-p.stop:
	default:
		close(p.stop)
	}
	if p.state == StateRunning || p.state == StateRestarting {
		p.setStateLocked(StateStopped, "")
	}
	p.mu.Unlock()
	p.kill(false)
	p.m.publish()
}

// refused marks p failed because it could not start, with the reason. A
// refusal for a changed executable is lifted by the folder watcher when
// the installed executable is back (see Sync).
func (p *Plugin) refused(err error) {
	var ce *checksumError
	p.mu.Lock()
	p.exeRefused = errors.As(err, &ce)
	p.exePath = p.executablePath()
	p.exe, _ = os.Stat(p.exePath)
	p.setStateLocked(StateFailed, err.Error())
	p.mu.Unlock()
	p.m.publish()
}
