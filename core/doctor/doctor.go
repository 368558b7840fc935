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
	"github.com/atriumhq/atrium/core/pluginhost"
	"github.com/atriumhq/atrium/core/store"
	"github.com/atriumhq/atrium/migrations"
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
		out = append(out, Migrations(ctx, db))
		db.Close()
	} else if res.Level == Warn {
		out = append(out, Result{Check: "migrations", Level: Warn, Detail: "not checked: there is no database yet.", Fix: "Nothing to do for a new portal: its first start applies them."})
	} else {
		out = append(out, Result{Check: "migrations", Level: Fail, Detail: "not checked: the database does not answer.", Fix: "Fix the database first."})
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
	desc := store.Describe(cfg.Store)
	if cfg.Store.DatabaseURL == "" {
		info, err := os.Stat(cfg.Store.DataDir)
		switch {
		case errors.Is(err, os.ErrNotExist):
			r.Level, r.Detail = Fail, fmt.Sprintf("the data folder %s does not exist.", cfg.Store.DataDir)
			r.Fix = "Point --data (ATRIUM_DATA) at the portal's data folder, or create it: the first start makes the database."
			return nil, r
		case err != nil:
			r.Level, r.Detail, r.Fix = Fail, fmt.Sprintf("the data folder cannot be read: %v.", err), "Give the portal's user access to it."
			return nil, r
		case !info.IsDir():
			r.Level, r.Detail, r.Fix = Fail, fmt.Sprintf("%s is not a folder.", cfg.Store.DataDir), "Point --data at a folder."
			return nil, r
		}
		if _, err := os.Stat(filepath.Join(cfg.Store.DataDir, store.SQLiteFile)); errors.Is(err, os.ErrNotExist) {
			r.Level, r.Detail = Warn, fmt.Sprintf("%s does not exist yet.", desc)
			r.Fix = "Nothing to do for a new portal: \"atrium serve\" creates it. Otherwise --data points at the wrong folder."
			return nil, r
		}
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	db, err := store.Open(ctx, cfg.Store)
	if err != nil {
		r.Level, r.Detail = Fail, fmt.Sprintf("%s does not answer: %v.", desc, err)
		r.Fix = "Check --database-url (ATRIUM_DATABASE_URL), that the server runs and that this machine may reach it."
		return nil, r
	}
	r.Detail = desc + " answers."
	return db, r
}

// Migrations compares the migrations applied to the database with those
// this portal knows, reading only.
func Migrations(ctx context.Context, db *bun.DB) Result {
	r := Result{Check: "migrations"}
	ms, err := migrations.New()
	if err != nil {
		r.Level, r.Detail = Fail, err.Error()
		return r
	}
	var applied []string
	err = db.NewSelect().Table("bun_migrations").Column("name").Scan(ctx, &applied)
	if err != nil {
		r.Level, r.Detail = Warn, "no migration has been applied: the database is empty."
		r.Fix = "Nothing to do for a new portal: \"atrium serve\" or \"atrium migrate up\" applies them."
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
		r.Detail = fmt.Sprintf("the database has %d migrations this portal does not know (%s): a newer Atrium has run on it.", len(unknown), strings.Join(unknown, ", "))
		r.Fix = "Run the newer version of Atrium; this one would work on a schema it does not understand."
	case len(pending) > 0:
		r.Level = Fail
		r.Detail = fmt.Sprintf("%d of %d migrations are pending: %s.", len(pending), len(known), strings.Join(pending, ", "))
		r.Fix = "Run \"atrium migrate up\", or start the portal, which applies them."
	default:
		r.Detail = fmt.Sprintf("all %d migrations are applied.", len(known))
	}
	return r
}

// FileStore writes, reads back and deletes a probe object.
func FileStore(ctx context.Context, cfg Config) Result {
	r := Result{Check: "files"}
	if dir, ok := strings.CutPrefix(cfg.BlobURL, "file://"); ok || cfg.BlobURL == "" {
		if !ok {
			dir = filepath.Join(cfg.Store.DataDir, blob.DefaultDir)
		}
		if _, err := os.Stat(filepath.Dir(filepath.Clean(dir))); err != nil {
			r.Level, r.Detail = Fail, fmt.Sprintf("the folder that should hold the files, %s, cannot be reached: %v.", filepath.Dir(filepath.Clean(dir)), err)
			r.Fix = "Create it, or fix --blob-url (ATRIUM_BLOB_URL) or --data."
			return r
		}
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	s, err := blob.Open(ctx, cfg.BlobURL, cfg.Store.DataDir)
	if err != nil {
		r.Level, r.Detail, r.Fix = Fail, fmt.Sprintf("the file store cannot be opened: %v.", err), "Fix --blob-url (ATRIUM_BLOB_URL)."
		return r
	}
	defer s.Close()
	var b [8]byte
	_, _ = rand.Read(b[:])
	key := "doctor/probe-" + hex.EncodeToString(b[:])
	want := "atrium doctor probe " + key
	fail := func(what string, err error) Result {
		r.Level, r.Detail = Fail, fmt.Sprintf("%s: cannot %s a probe file: %v.", s, what, err)
		r.Fix = "Give the portal write access to the store (folder permissions, or the bucket's policy and the AWS_* credentials)."
		return r
	}
	if _, err := s.Put(ctx, key, "text/plain", strings.NewReader(want)); err != nil {
		return fail("write", err)
	}
	rd, err := s.Open(ctx, key)
	if err != nil {
		_ = s.Delete(ctx, key)
		return fail("read", err)
	}
	got, err := io.ReadAll(rd)
	rd.Close()
	if err == nil && string(got) != want {
		err = errors.New("it came back different")
	}
	if err != nil {
		_ = s.Delete(ctx, key)
		return fail("read back", err)
	}
	if err := s.Delete(ctx, key); err != nil {
		return fail("delete", err)
	}
	r.Detail = fmt.Sprintf("%s takes, returns and deletes a file.", s)
	return r
}

// SMTP greets the mail server (EHLO only: nothing is sent).
func SMTP(cfg Config) Result {
	r := Result{Check: "mail"}
	if cfg.SMTPAddr == "" {
		r.Detail = "no mail server is configured: notifications stay in the portal, and no email is sent."
		return r
	}
	if cfg.SMTPFrom == "" {
		r.Level, r.Detail, r.Fix = Fail, "--smtp-addr is set without --smtp-from: the portal refuses to start.", "Set --smtp-from (ATRIUM_SMTP_FROM) to the sender address."
		return r
	}
	conn, err := net.DialTimeout("tcp", cfg.SMTPAddr, cfg.Timeout)
	if err != nil {
		r.Level, r.Detail = Fail, fmt.Sprintf("the mail server %s cannot be reached: %v.", cfg.SMTPAddr, err)
		r.Fix = "Check --smtp-addr (ATRIUM_SMTP_ADDR) and that this machine may connect to it."
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
		r.Level, r.Detail = Fail, fmt.Sprintf("the mail server %s does not greet as SMTP: %v.", cfg.SMTPAddr, err)
		r.Fix = "Check that --smtp-addr names an SMTP server's submission port."
		return r
	}
	r.Detail = fmt.Sprintf("the mail server %s answers.", cfg.SMTPAddr)
	return r
}

// Plugins checks the installed plugins without running them: manifests,
// pinned checksums and supported versions.
func Plugins(cfg Config) Result {
	r := Result{Check: "plugins"}
	st, err := pluginhost.Installed(cfg.PluginsDir)
	if err != nil {
		r.Level, r.Detail, r.Fix = Fail, fmt.Sprintf("the plugins folder cannot be read: %v.", err), "Give the portal's user access to it."
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
		r.Detail = fmt.Sprintf("%d of %d plugins would not start: %s.", len(failed), len(st), strings.Join(failed, "; "))
		r.Fix = "Install them again with \"atrium plugins install\"; a changed executable is refused on purpose."
	case len(st) == 0:
		r.Detail = "no plugins are installed."
	case len(disabled) > 0:
		r.Detail = fmt.Sprintf("%d plugins are installed and check out; %d are disabled (%s).", len(st), len(disabled), strings.Join(disabled, ", "))
	default:
		r.Detail = fmt.Sprintf("%d plugins are installed and check out.", len(st))
	}
	return r
}

// PublicURL checks the portal's address as people reach it.
func PublicURL(cfg Config) Result {
	r := Result{Check: "public URL"}
	if cfg.PublicURL == "" {
		r.Level, r.Detail = Warn, "no public URL is set: emails carry no links to the portal."
		r.Fix = "Set --public-url (ATRIUM_PUBLIC_URL) to the address people use, such as https://partners.example.com."
		return r
	}
	u, err := url.Parse(cfg.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		r.Level, r.Detail = Fail, fmt.Sprintf("%q is not a web address a person can open.", cfg.PublicURL)
		r.Fix = "Set --public-url to scheme and host, with no query, such as https://partners.example.com."
		return r
	}
	if cfg.HTTPS && u.Scheme != "https" {
		r.Level, r.Detail = Fail, fmt.Sprintf("%s is http, but --https says people reach the portal over HTTPS: links in emails would leave it.", cfg.PublicURL)
		r.Fix = "Make --public-url start with https://."
		return r
	}
	if !cfg.HTTPS && u.Scheme == "https" {
		r.Level, r.Detail = Warn, fmt.Sprintf("%s is https, but --https is not set: cookies are not marked Secure and no HSTS is sent.", cfg.PublicURL)
		r.Fix = "Pass --https (ATRIUM_HTTPS=true) when a proxy terminates TLS in front of the portal."
		return r
	}
	r.Detail = cfg.PublicURL + " is well-formed."
	return r
}
