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
// appeared or went away switches the plugin off or on. A plugin that failed
// is left alone until an admin enables it, as after a restart.
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
