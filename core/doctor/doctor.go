// Package doctor checks what a portal needs before it serves: its
// configuration, the database and its migrations, the file store, the mail
// server, the installed plugins and the public address. Each check says in
// words what it found and, when something is wrong, what to do.
//
// Every check but the file store's probe only reads: the doctor can run
// beside a serving portal, and on a folder that is not set up yet it says
// so instead of creating it.
package doctor

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/smtp"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/blob"
	coreI18n "github.com/atriumhq/atrium/core/i18n"
	"github.com/atriumhq/atrium/core/pluginhost"
	"github.com/atriumhq/atrium/core/store"
	"github.com/atriumhq/atrium/migrations"
	"github.com/atriumhq/atrium/sdk/i18n"
	"github.com/uptrace/bun"
)

// Level is how a check came out.
type Level int

// The levels, from fine to broken.
const (
	OK Level = iota
	Warn
	Fail
)

func (l Level) String() string {
	switch l {
	case OK:
		return "ok"
	case Warn:
		return "warn"
	default:
		return "fail"
	}
}

// Result is one check's outcome.
type Result struct {
	Check  string
	Level  Level
	Detail string
	// Fix says what to do; empty when there is nothing to do.
	Fix string
}

// Config is what the portal would run with: the same values serve reads
// from its flags and ATRIUM_* variables.
type Config struct {
	Store      store.Config
	BlobURL    string
	PluginsDir string
	// HostVersion is the portal's version, against which plugins are
	// checked.
	HostVersion string
	SMTPAddr    string
	SMTPFrom    string
	PublicURL   string
	HTTPS       bool
	// Timeout bounds each network check (default 5 s).
	Timeout time.Duration
	// Locale is the language the results are written in, the CLI's;
	// nil is English.
	Locale *i18n.Locale
}

// loc is the language of the results.
func (cfg Config) loc() *i18n.Locale {
	if cfg.Locale == nil {
		return coreI18n.Locale("en")
	}
	return cfg.Locale
}

// Run runs every check in order. Without a database that answers the
// migrations are not checked (it says so): a failure when the database
// should be there, a warning when a new portal has yet to make it.
func Run(ctx context.Context, cfg Config) []Result {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	var out []Result
	db, res := Database(ctx, cfg)
	out = append(out, res)
	if db != nil {
		out = append(out, Migrations(ctx, db, cfg.loc()))
		db.Close()
	} else if res.Level == Warn {
		out = append(out, Result{Check: "migrations", Level: Warn, Detail: cfg.loc().T("cli.doctor.migrations-no-database"), Fix: cfg.loc().T("cli.doctor.migrations-no-database-fix")})
	} else {
		out = append(out, Result{Check: "migrations", Level: Fail, Detail: cfg.loc().T("cli.doctor.migrations-database-silent"), Fix: cfg.loc().T("cli.doctor.migrations-database-silent-fix")})
	}
	out = append(out, FileStore(ctx, cfg), SMTP(cfg), Plugins(cfg), PublicURL(cfg))
	return out
}

// Failed reports whether any result is a failure.
func Failed(rs []Result) bool {
	return slices.ContainsFunc(rs, func(r Result) bool { return r.Level == Fail })
}

// Print writes the results, one check a line with its fix below.
func Print(w io.Writer, rs []Result) {
	for _, r := range rs {
		fmt.Fprintf(w, "%-4s  %-10s  %s\n", r.Level, r.Check, r.Detail)
		if r.Fix != "" {
			fmt.Fprintf(w, "%-4s  %-10s  %s\n", "", "", r.Fix)
		}
	}
}

// Database checks that the database answers. On SQLite it does not create
// a missing data folder or database file.
func Database(ctx context.Context, cfg Config) (*bun.DB, Result) {
	r := Result{Check: "database"}
	l := cfg.loc()
	desc := store.Describe(cfg.Store)
	if cfg.Store.DatabaseURL == "" {
		info, err := os.Stat(cfg.Store.DataDir)
		switch {
		case errors.Is(err, os.ErrNotExist):
			r.Level, r.Detail = Fail, l.T("cli.doctor.data-missing", "Folder", cfg.Store.DataDir)
			r.Fix = l.T("cli.doctor.data-missing-fix")
			return nil, r
		case err != nil:
			r.Level, r.Detail, r.Fix = Fail, l.T("cli.doctor.data-unreadable", "Error", err), l.T("cli.doctor.give-access")
			return nil, r
		case !info.IsDir():
			r.Level, r.Detail, r.Fix = Fail, l.T("cli.doctor.data-not-folder", "Folder", cfg.Store.DataDir), l.T("cli.doctor.data-not-folder-fix")
			return nil, r
		}
		if _, err := os.Stat(filepath.Join(cfg.Store.DataDir, store.SQLiteFile)); errors.Is(err, os.ErrNotExist) {
			r.Level, r.Detail = Warn, l.T("cli.doctor.database-new", "Database", desc)
			r.Fix = l.T("cli.doctor.database-new-fix")
			return nil, r
		}
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	db, err := store.Open(ctx, cfg.Store)
	if err != nil {
		r.Level, r.Detail = Fail, l.T("cli.doctor.database-silent", "Database", desc, "Error", err)
		r.Fix = l.T("cli.doctor.database-silent-fix")
		return nil, r
	}
	r.Detail = l.T("cli.doctor.database-ok", "Database", desc)
	return db, r
}

// Migrations compares the migrations applied to the database with those
// this portal knows, reading only.
func Migrations(ctx context.Context, db *bun.DB, l *i18n.Locale) Result {
	r := Result{Check: "migrations"}
	ms, err := migrations.New()
	if err != nil {
		r.Level, r.Detail = Fail, err.Error()
		return r
	}
	var applied []string
	err = db.NewSelect().Table("bun_migrations").Column("name").Scan(ctx, &applied)
	if err != nil {
		r.Level, r.Detail = Warn, l.T("cli.doctor.migrations-empty")
		r.Fix = l.T("cli.doctor.migrations-empty-fix")
		return r
	}
	var known, pending, unknown []string
	for _, m := range ms.Sorted() {
		known = append(known, m.Name)
		if !slices.Contains(applied, m.Name) {
			pending = append(pending, m.String())
		}
	}
	for _, name := range applied {
		if !slices.Contains(known, name) {
			unknown = append(unknown, name)
		}
	}
	switch {
	case len(unknown) > 0:
		r.Level = Fail
		r.Detail = l.N("cli.doctor.migrations-unknown", len(unknown), "Names", strings.Join(unknown, ", "))
		r.Fix = l.T("cli.doctor.migrations-unknown-fix")
	case len(pending) > 0:
		r.Level = Fail
		r.Detail = l.N("cli.doctor.migrations-pending", len(known), "Pending", l.Int(int64(len(pending))), "Names", strings.Join(pending, ", "))
		r.Fix = l.T("cli.doctor.migrations-pending-fix")
	default:
		r.Detail = l.N("cli.doctor.migrations-ok", len(known))
	}
	return r
}

// FileStore writes, reads back and deletes a probe object.
func FileStore(ctx context.Context, cfg Config) Result {
	r := Result{Check: "files"}
	l := cfg.loc()
	if dir, ok := strings.CutPrefix(cfg.BlobURL, "file://"); ok || cfg.BlobURL == "" {
		if !ok {
			dir = filepath.Join(cfg.Store.DataDir, blob.DefaultDir)
		}
		if _, err := os.Stat(filepath.Dir(filepath.Clean(dir))); err != nil {
			r.Level, r.Detail = Fail, l.T("cli.doctor.files-folder", "Folder", filepath.Dir(filepath.Clean(dir)), "Error", err)
			r.Fix = l.T("cli.doctor.files-folder-fix")
			return r
		}
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	s, err := blob.Open(ctx, cfg.BlobURL, cfg.Store.DataDir)
	if err != nil {
		r.Level, r.Detail, r.Fix = Fail, l.T("cli.doctor.files-open", "Error", err), l.T("cli.doctor.files-open-fix")
		return r
	}
	defer s.Close()
	var b [8]byte
	_, _ = rand.Read(b[:])
	key := "doctor/probe-" + hex.EncodeToString(b[:])
	want := "atrium doctor probe " + key
	// what names the step as a whole message, since languages word
	// "cannot write" and "cannot read back" differently.
	fail := func(what string, err error) Result {
		r.Level, r.Detail = Fail, l.T(what, "Store", fmt.Sprint(s), "Error", err)
		r.Fix = l.T("cli.doctor.files-probe-fix")
		return r
	}
	if _, err := s.Put(ctx, key, "text/plain", strings.NewReader(want)); err != nil {
		return fail("cli.doctor.files-write", err)
	}
	rd, err := s.Open(ctx, key)
	if err != nil {
		_ = s.Delete(ctx, key)
		return fail("cli.doctor.files-read", err)
	}
	got, err := io.ReadAll(rd)
	rd.Close()
	if err == nil && string(got) != want {
		err = errors.New("it came back different")
	}
	if err != nil {
		_ = s.Delete(ctx, key)
		return fail("cli.doctor.files-read-back", err)
	}
	if err := s.Delete(ctx, key); err != nil {
		return fail("cli.doctor.files-delete", err)
	}
	r.Detail = l.T("cli.doctor.files-ok", "Store", fmt.Sprint(s))
	return r
}

// SMTP greets the mail server (EHLO only: nothing is sent).
func SMTP(cfg Config) Result {
	r := Result{Check: "mail"}
	l := cfg.loc()
	if cfg.SMTPAddr == "" {
		r.Detail = l.T("cli.doctor.mail-none")
		return r
	}
	if cfg.SMTPFrom == "" {
		r.Level, r.Detail, r.Fix = Fail, l.T("cli.doctor.mail-no-from"), l.T("cli.doctor.mail-no-from-fix")
		return r
	}
	conn, err := net.DialTimeout("tcp", cfg.SMTPAddr, cfg.Timeout)
	if err != nil {
		r.Level, r.Detail = Fail, l.T("cli.doctor.mail-unreachable", "Server", cfg.SMTPAddr, "Error", err)
		r.Fix = l.T("cli.doctor.mail-unreachable-fix")
		return r
	}
	_ = conn.SetDeadline(time.Now().Add(cfg.Timeout))
	host, _, _ := net.SplitHostPort(cfg.SMTPAddr)
	c, err := smtp.NewClient(conn, host)
	if err == nil {
		err = c.Hello("localhost")
		if err == nil {
			_ = c.Quit()
		}
		c.Close()
	} else {
		conn.Close()
	}
	if err != nil {
		r.Level, r.Detail = Fail, l.T("cli.doctor.mail-not-smtp", "Server", cfg.SMTPAddr, "Error", err)
		r.Fix = l.T("cli.doctor.mail-not-smtp-fix")
		return r
	}
	r.Detail = l.T("cli.doctor.mail-ok", "Server", cfg.SMTPAddr)
	return r
}

// Plugins checks the installed plugins without running them: manifests,
// pinned checksums and supported versions.
func Plugins(cfg Config) Result {
	r := Result{Check: "plugins"}
	l := cfg.loc()
	st, err := pluginhost.Installed(cfg.PluginsDir)
	if err != nil {
		r.Level, r.Detail, r.Fix = Fail, l.T("cli.doctor.plugins-unreadable", "Error", err), l.T("cli.doctor.give-access")
		return r
	}
	var failed, disabled []string
	for _, s := range st {
		switch s.State {
		case pluginhost.StateFailed:
			failed = append(failed, fmt.Sprintf("%s (%s)", s.ID, s.LastError))
		case pluginhost.StateDisabled:
			disabled = append(disabled, s.ID)
		}
	}
	switch {
	case len(failed) > 0:
		r.Level = Fail
		r.Detail = l.N("cli.doctor.plugins-failed", len(st), "Failed", l.Int(int64(len(failed))), "Plugins", strings.Join(failed, "; "))
		r.Fix = l.T("cli.doctor.plugins-failed-fix")
	case len(st) == 0:
		r.Detail = l.T("cli.doctor.plugins-none")
	case len(disabled) > 0:
		r.Detail = l.N("cli.doctor.plugins-disabled", len(st), "Disabled", l.Int(int64(len(disabled))), "Plugins", strings.Join(disabled, ", "))
	default:
		r.Detail = l.N("cli.doctor.plugins-ok", len(st))
	}
	return r
}

// PublicURL checks the portal's address as people reach it.
func PublicURL(cfg Config) Result {
	r := Result{Check: "public URL"}
	l := cfg.loc()
	if cfg.PublicURL == "" {
		r.Level, r.Detail = Warn, l.T("cli.doctor.url-none")
		r.Fix = l.T("cli.doctor.url-none-fix")
		return r
	}
	u, err := url.Parse(cfg.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		r.Level, r.Detail = Fail, l.T("cli.doctor.url-bad", "URL", fmt.Sprintf("%q", cfg.PublicURL))
		r.Fix = l.T("cli.doctor.url-bad-fix")
		return r
	}
	if cfg.HTTPS && u.Scheme != "https" {
		r.Level, r.Detail = Fail, l.T("cli.doctor.url-http", "URL", cfg.PublicURL)
		r.Fix = l.T("cli.doctor.url-http-fix")
		return r
	}
	if !cfg.HTTPS && u.Scheme == "https" {
		r.Level, r.Detail = Warn, l.T("cli.doctor.url-https", "URL", cfg.PublicURL)
		r.Fix = l.T("cli.doctor.url-https-fix")
		return r
	}
	r.Detail = l.T("cli.doctor.url-ok", "URL", cfg.PublicURL)
	return r
}
