package pluginhost

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/atriumhq/atrium/sdk/plugincheck"
	"go.yaml.in/yaml/v3"
)

// Install copies the plugin in src (a folder with plugin.yaml and its
// executables) into pluginsDir/<id>, pinning each shipped executable's
// SHA-256 into the installed manifest. A checksum already in the manifest
// must match. Platforms whose executable is not in src are dropped. It
// replaces an installed copy of the same plugin, keeping it disabled if it
// was.
//
// First it runs the plugin checker on src (sdk/plugincheck, the checks of
// `atrium plugins check`), starting the executable once: a plugin that
// fails them is refused with every problem named, and an installed copy
// stays as it was.
//
// A folder is the plugin author's own build on the portal's machine, so it
// is installed as unsigned; a signed package goes through core/pluginpack,
// which checks the signature and unpacks it, and then [InstallFrom].
func Install(src, pluginsDir string) (Manifest, error) {
	abs, err := filepath.Abs(src)
	if err != nil {
		abs = src
	}
	return InstallFrom(src, pluginsDir, Origin{Source: abs, Trust: TrustUnsigned})
}

// InstallFrom installs the plugin in src as [Install] does and records
// origin beside it (the admin page, the API and the command line show it).
func InstallFrom(src, pluginsDir string, origin Origin) (Manifest, error) {
	if problems := plugincheck.Check(context.Background(), src, plugincheck.Options{Installing: true}); len(problems) > 0 {
		return Manifest{}, &CheckError{Problems: problems}
	}
	b, err := os.ReadFile(filepath.Join(src, ManifestFile))
	if err != nil {
		return Manifest{}, err
	}
	var m Manifest
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		return m, fmt.Errorf("malformed manifest: %w", err)
	}
	for plat, e := range m.Executables {
		path := filepath.Join(src, e.Path)
		if filepath.IsAbs(e.Path) || strings.HasPrefix(filepath.Clean(e.Path), "..") {
			continue // Validate names the problem
		}
		sum, err := fileSHA256(path)
		if os.IsNotExist(err) {
			if e.SHA256 == "" {
				delete(m.Executables, plat)
			}
			continue
		}
		if err != nil {
			return m, err
		}
		if e.SHA256 != "" && e.SHA256 != sum {
			return m, fmt.Errorf("executables %s: %s has sha256 %s, the manifest says %s", plat, e.Path, sum, e.SHA256)
		}
		e.SHA256 = sum
		m.Executables[plat] = e
	}
	if err := m.Validate(); err != nil {
		return m, err
	}
	if _, err := m.Executable(); err != nil {
		return m, err
	}
	dst := filepath.Join(pluginsDir, filepath.FromSlash(m.ID))
	tmp := dst + ".installing"
	os.RemoveAll(tmp)
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return m, err
	}
	defer os.RemoveAll(tmp)
	copied := map[string]bool{}
	for _, e := range m.Executables {
		if copied[e.Path] {
			continue
		}
		copied[e.Path] = true
		if err := copyFile(filepath.Join(src, e.Path), filepath.Join(tmp, e.Path), 0o755); err != nil {
			return m, err
		}
	}
	y, err := yaml.Marshal(m)
	if err != nil {
		return m, err
	}
	header := "# Installed by atrium plugins install; the checksums are pinned.\n"
	if err := os.WriteFile(filepath.Join(tmp, ManifestFile), append([]byte(header), y...), 0o644); err != nil {
		return m, err
	}
	if origin.InstalledAt.IsZero() {
		origin.InstalledAt = time.Now().UTC()
	}
	ob, err := json.MarshalIndent(origin, "", "  ")
	if err != nil {
		return m, err
	}
	if err := os.WriteFile(filepath.Join(tmp, originFile), ob, 0o644); err != nil {
		return m, err
	}
	if _, err := os.Stat(filepath.Join(dst, disabledMarker)); err == nil {
		os.WriteFile(filepath.Join(tmp, disabledMarker), nil, 0o644)
	}
	// The admin's settings outlive an upgrade.
	if b, err := os.ReadFile(filepath.Join(dst, settingsFile)); err == nil {
		if err := os.WriteFile(filepath.Join(tmp, settingsFile), b, 0o644); err != nil {
			return m, err
		}
	}
	if err := os.RemoveAll(dst); err != nil {
		return m, err
	}
	if err := os.Rename(tmp, dst); err != nil {
		return m, err
	}
	return m, nil
}

// CheckError refuses a plugin that fails the plugin checker, with each
// problem.
type CheckError struct {
	Problems []plugincheck.Problem
}

func (e *CheckError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = "\n  " + p.String()
	}
	return fmt.Sprintf("the plugin fails %d of the portal's checks (run atrium plugins check):%s", len(e.Problems), strings.Join(lines, ""))
}

func copyFile(from, to string, mode os.FileMode) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Install installs the plugin in src and starts it (or restarts the
// installed copy it replaces).
func (m *Manager) Install(src string) (Manifest, error) {
	abs, err := filepath.Abs(src)
	if err != nil {
		abs = src
	}
	return m.InstallFrom(src, Origin{Source: abs, Trust: TrustUnsigned})
}

// InstallFrom installs the plugin in src with its origin (see the function
// InstallFrom) and starts it.
func (m *Manager) InstallFrom(src string, origin Origin) (Manifest, error) {
	m.ops.Lock()
	defer m.ops.Unlock()
	man, err := InstallFrom(src, m.opt.Dir, origin)
	if err != nil {
		return man, err
	}
	if old, ok := m.Plugin(man.ID); ok {
		old.shutdown()
		m.opt.Registry.Unregister(man.ID)
	}
	return man, m.load(filepath.Join(m.opt.Dir, filepath.FromSlash(man.ID)))
}

// Installed reports the plugins in pluginsDir for the command line. While a
// portal runs on the folder, a plugin it knows is reported as the portal
// has it (running, restarting, failed with the reason: what its admin page
// and API say); otherwise, without running anything, each is disabled,
// installed (ready to start) or failed with the reason it would be refused
// (a bad manifest, a changed executable).
func Installed(pluginsDir string) ([]Status, error) {
	if abs, err := filepath.Abs(pluginsDir); err == nil {
		pluginsDir = abs
	}
	portal := runningStatuses(pluginsDir)
	m := NewManager(Options{Dir: pluginsDir, HostVersion: "dev"})
	dirs, err := m.Discover()
	if err != nil {
		return nil, err
	}
	out := make([]Status, 0, len(dirs))
	for _, dir := range dirs {
		rel, _ := filepath.Rel(pluginsDir, dir)
		if st, ok := portal[filepath.ToSlash(rel)]; ok && st.Dir == dir {
			out = append(out, st)
			continue
		}
		p := &Plugin{m: m, dir: dir, state: "installed", origin: readOrigin(dir)}
		man, err := ReadManifest(dir)
		p.manifest = man
		if err == nil {
			_, _, err = p.verify()
		}
		if err == nil && filepath.ToSlash(rel) != man.ID {
			err = fmt.Errorf("plugin %s must be installed in %s", man.ID, filepath.Join(pluginsDir, filepath.FromSlash(man.ID)))
		}
		if err != nil {
			p.manifest.ID = filepath.ToSlash(rel)
			p.state = StateFailed
			p.noteError(err)
		} else if _, statErr := os.Stat(filepath.Join(dir, disabledMarker)); statErr == nil {
			p.state = StateDisabled
		}
		out = append(out, p.Status())
	}
	return out, nil
}

// SetDisabled switches an installed plugin off or on: a running portal
// watching the folder (Manager.Watch) follows within seconds, and the next
// start of the portal honours it.
func SetDisabled(pluginsDir, id string, disabled bool) error {
	dir := filepath.Join(pluginsDir, filepath.FromSlash(id))
	if _, err := ReadManifest(dir); err != nil {
		if os.IsNotExist(err) {
			return fmt.Errorf("%w: %s", ErrNoPlugin, id)
		}
		return err
	}
	marker := filepath.Join(dir, disabledMarker)
	if disabled {
		return os.WriteFile(marker, nil, 0o644)
	}
	if err := os.Remove(marker); err != nil && !os.IsNotExist(err) {
		return err
	}
	return nil
}
