package pluginhost

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// StatusFile, in the plugins folder, holds the running portal's word on
// every plugin: its state and why. The admin page and the API read the
// same statuses from the portal's memory, so `atrium plugins list` says
// what they say rather than guessing from the folder.
const StatusFile = ".status.json"

// published is the content of StatusFile.
type published struct {
	PID      int       `json:"pid"`
	Host     string    `json:"host"`
	Updated  time.Time `json:"updated"`
	Statuses []Status  `json:"plugins"`
}

// publisher serialises writes of StatusFile: each write takes the statuses
// after the change that asked for it, so the last one written is never
// older than the last change.
type publisher struct {
	mu     sync.Mutex
	closed bool

	soon sync.Mutex
	due  bool
}

// publishSoon publishes within half a second, once for all the changes made
// meanwhile: a plugin's last error changes with every failed call, and a
// storm of them must not become a storm of writes.
func (m *Manager) publishSoon() {
	if !m.opt.PublishStatus {
		return
	}
	m.pub.soon.Lock()
	defer m.pub.soon.Unlock()
	if m.pub.due {
		return
	}
	m.pub.due = true
	time.AfterFunc(500*time.Millisecond, func() {
		m.pub.soon.Lock()
		m.pub.due = false
		m.pub.soon.Unlock()
		m.publish()
	})
}

// publish writes every plugin's status to StatusFile, when the manager
// publishes (Options.PublishStatus). A failed write is logged: the portal
// runs on, and the command line falls back to reading the folder.
func (m *Manager) publish() {
	if !m.opt.PublishStatus {
		return
	}
	m.pub.mu.Lock()
	defer m.pub.mu.Unlock()
	if m.pub.closed {
		return
	}
	host, _ := os.Hostname()
	b, err := json.MarshalIndent(published{PID: os.Getpid(), Host: host, Updated: time.Now(), Statuses: m.List()}, "", "  ")
	if err == nil {
		err = writeAtomic(filepath.Join(m.opt.Dir, StatusFile), b)
	}
	if err != nil {
		m.opt.Log.Error("plugin status not published for the command line", "err", err)
	}
}

// unpublish removes StatusFile when the portal stops.
func (m *Manager) unpublish() {
	if !m.opt.PublishStatus {
		return
	}
	m.pub.mu.Lock()
	defer m.pub.mu.Unlock()
	m.pub.closed = true
	if err := os.Remove(filepath.Join(m.opt.Dir, StatusFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		m.opt.Log.Error("plugin status not withdrawn", "err", err)
	}
}

func writeAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".status-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// runningStatuses reads the statuses a running portal published in
// pluginsDir, by plugin id; none when no portal that is still alive wrote
// them (a portal killed without a chance to withdraw them leaves them
// behind). A portal on another machine sharing the folder is taken at its
// word.
func runningStatuses(pluginsDir string) map[string]Status {
	b, err := os.ReadFile(filepath.Join(pluginsDir, StatusFile))
	if err != nil {
		return nil
	}
	var pub published
	if json.Unmarshal(b, &pub) != nil {
		return nil
	}
	if host, _ := os.Hostname(); pub.Host == host && !processAlive(pub.PID) {
		return nil
	}
	out := make(map[string]Status, len(pub.Statuses))
	for _, s := range pub.Statuses {
		out[s.ID] = s
	}
	return out
}
