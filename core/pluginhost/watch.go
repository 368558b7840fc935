package pluginhost

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// manifestStamp identifies the installed copy in dir: `atrium plugins
// install` writes a fresh manifest, so its size and time change with every
// install.
func manifestStamp(dir string) string {
	st, err := os.Stat(filepath.Join(dir, ManifestFile))
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%d:%d", st.Size(), st.ModTime().UnixNano())
}

// Watch makes the running portal follow changes made to the plugins folder
// behind its back — `atrium plugins install`, `enable` and `disable` run
// against the data folder from another process — by looking every interval
// (default 2s) until Close: a new or reinstalled plugin is (re)started, a
// removed one stopped and its types withdrawn, and a disabled marker that
// appeared or went away switches the plugin off or on. An executable that
// changed under a plugin is checked against the checksum pinned at install:
// a mismatch stops the plugin and marks it failed with the checksum
// message, and putting the installed executable back starts it again. Any
// other failed plugin is left alone until an admin enables it, as after a
// restart.
func (m *Manager) Watch(interval time.Duration) {
	if interval <= 0 {
		interval = 2 * time.Second
	}
	m.watchOnce.Do(func() {
		go func() {
			t := time.NewTicker(interval)
			defer t.Stop()
			for {
				select {
				case <-m.closed:
					return
				case <-t.C:
					m.Sync()
				}
			}
		}()
	})
}

// Sync brings the running plugins in line with the plugins folder once; see
// Watch.
func (m *Manager) Sync() {
	m.ops.Lock()
	defer m.ops.Unlock()
	dirs, err := m.Discover()
	if err != nil {
		m.opt.Log.Error("plugins folder unreadable", "dir", m.opt.Dir, "err", err)
		return
	}
	present := map[string]bool{}
	for _, dir := range dirs {
		present[dir] = true
		rel, _ := filepath.Rel(m.opt.Dir, dir)
		id := filepath.ToSlash(rel)
		p, known := m.Plugin(id)
		_, markerErr := os.Stat(filepath.Join(dir, disabledMarker))
		disabled := markerErr == nil
		switch {
		case !known || p.stamp != manifestStamp(dir):
			if known {
				p.shutdown()
				m.opt.Registry.Unregister(id)
			}
			m.opt.Log.Info("plugin installed while running; starting it", "plugin", id)
			_ = m.load(dir) // logged and shown with the plugin
		case disabled && p.State() != StateDisabled:
			m.opt.Log.Info("plugin disabled from the command line", "plugin", id)
			_ = m.disable(p)
		case !disabled && p.State() == StateDisabled:
			m.opt.Log.Info("plugin enabled from the command line", "plugin", id)
			_ = m.enable(p)
		default:
			m.checkExecutable(p)
		}
	}
	m.mu.Lock()
	var gone []*Plugin
	for id, p := range m.plugins {
		if !present[p.dir] {
			gone = append(gone, p)
			delete(m.plugins, id)
		}
	}
	m.mu.Unlock()
	for _, p := range gone {
		m.opt.Log.Info("plugin removed from the plugins folder; stopped", "plugin", p.manifest.ID)
		p.shutdown()
		m.opt.Registry.Unregister(p.manifest.ID)
	}
}

// checkExecutable looks whether p's executable changed since it was last
// checked (its size, time or file), and if so whether it still has the
// pinned checksum. The checksum is computed only on a change: a plugin's
// executable is tens of megabytes, and the watcher looks every few seconds.
func (m *Manager) checkExecutable(p *Plugin) {
	p.mu.RLock()
	state, path, was, refused := p.state, p.exePath, p.exe, p.exeRefused
	p.mu.RUnlock()
	watched := state == StateRunning || state == StateRestarting || (state == StateFailed && refused)
	if !watched || path == "" {
		return
	}
	now, err := os.Stat(path)
	if err == nil && was != nil && os.SameFile(now, was) && now.Size() == was.Size() && now.ModTime().Equal(was.ModTime()) {
		return
	}
	_, _, verr := p.verify()
	switch {
	case verr != nil && state != StateFailed:
		m.opt.Log.Warn("plugin executable changed while running; stopping it", "plugin", p.manifest.ID, "path", path)
		p.shutdown()
		p.refused(verr)
	case verr != nil:
		p.mu.Lock()
		p.exe = now
		p.mu.Unlock()
	case state == StateFailed:
		m.opt.Log.Info("plugin executable is the installed one again; starting it", "plugin", p.manifest.ID)
		p.shutdown()
		m.opt.Registry.Unregister(p.manifest.ID)
		_ = m.load(p.dir) // logged and shown with the plugin
	default: // touched, or copied over with the same content
		p.mu.Lock()
		p.exe = now
		p.mu.Unlock()
	}
}
