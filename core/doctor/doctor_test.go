package doctor

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/notify/notifytest"
	"github.com/atriumhq/atrium/core/store"
	"github.com/atriumhq/atrium/core/store/storetest"
)

// find returns the result of the named check.
func find(t *testing.T, rs []Result, check string) Result {
	t.Helper()
	for _, r := range rs {
		if r.Check == check {
			return r
		}
	}
	t.Fatalf("no %s check in %v", check, rs)
	return Result{}
}

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// Each case breaks one thing for real and expects its check to say so,
// and a portal set up right to pass every check.
func TestDoctor(t *testing.T) {
	ctx := context.Background()
	_, smtpAddr := notifytest.StartSMTP(t)
	shared := storetest.Config(t)
	// healthy is a portal set up right.
	healthy := func(t *testing.T) Config {
		cfg := shared
		return Config{Store: cfg, PluginsDir: filepath.Join(t.TempDir(), "plugins"), HostVersion: "dev",
			SMTPAddr: smtpAddr, SMTPFrom: "partners@acme.example", PublicURL: "https://partners.acme.example", HTTPS: true}
	}
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, c *Config)
		check  string
		level  Level
		says   string
	}{
		{"healthy", func(*testing.T, *Config) {}, "", OK, ""},
		{"a missing data folder", func(t *testing.T, c *Config) {
			c.Store = store.Config{DataDir: filepath.Join(t.TempDir(), "nowhere")}
		}, "database", Fail, "does not exist"},
		{"an unreachable database", func(t *testing.T, c *Config) {
			c.Store = store.Config{DataDir: c.Store.DataDir, DatabaseURL: "postgres://atrium@" + closedPort(t) + "/atrium?sslmode=disable"}
		}, "database", Fail, "does not answer"},
		{"a pending migration", func(t *testing.T, c *Config) {
			// The shared database is put back afterwards: a fresh one
			// costs seconds on PostgreSQL.
			db, err := store.Open(ctx, c.Store)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var last string
			if err := db.NewSelect().Table("bun_migrations").Column("name").OrderExpr("id DESC").Limit(1).Scan(ctx, &last); err != nil {
				t.Fatal(err)
			}
			execSQL(t, c.Store, "DELETE FROM bun_migrations WHERE name = '"+last+"'")
			t.Cleanup(func() { execSQL(t, c.Store, "INSERT INTO bun_migrations (name, group_id) VALUES ('"+last+"', 1)") })
		}, "migrations", Fail, "pending"},
		{"a migration from a newer portal", func(t *testing.T, c *Config) {
			execSQL(t, c.Store, "INSERT INTO bun_migrations (name, group_id) VALUES ('29991231000000', 99)")
			t.Cleanup(func() { execSQL(t, c.Store, "DELETE FROM bun_migrations WHERE name = '29991231000000'") })
		}, "migrations", Fail, "29991231000000"},
		{"a new portal without a database yet", func(t *testing.T, c *Config) {
			c.Store = store.Config{DataDir: t.TempDir()}
		}, "migrations", Warn, "no database yet"},
		{"a missing files folder", func(t *testing.T, c *Config) {
			c.BlobURL = "file://" + filepath.Join(t.TempDir(), "gone", "files")
		}, "files", Fail, "cannot be reached"},
		{"an unreachable mail server", func(t *testing.T, c *Config) { c.SMTPAddr = closedPort(t) }, "mail", Fail, "cannot be reached"},
		{"a mail server without a sender", func(t *testing.T, c *Config) { c.SMTPFrom = "" }, "mail", Fail, "--smtp-from"},
		{"a public URL without a scheme", func(t *testing.T, c *Config) { c.PublicURL = "partners.acme.example" }, "public URL", Fail, "not a web address"},
		{"an http public URL behind --https", func(t *testing.T, c *Config) { c.PublicURL = "http://partners.acme.example" }, "public URL", Fail, "is http"},
		{"no public URL", func(t *testing.T, c *Config) { c.PublicURL = "" }, "public URL", Warn, "no public URL"},
		{"a plugin whose executable changed", func(t *testing.T, c *Config) {
			dir := filepath.Join(c.PluginsDir, "acme", "nps")
			if err := os.MkdirAll(dir, 0o750); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, "plugin.yaml"), []byte(manifest), 0o644)
			os.WriteFile(filepath.Join(dir, "nps"), []byte("#!/bin/sh\necho changed\n"), 0o755)
		}, "plugins", Fail, "checksum mismatch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := healthy(t)
			tc.change(t, &cfg)
			rs := Run(ctx, cfg)
			var out strings.Builder
			Print(&out, rs)
			if tc.check == "" {
				if Failed(rs) || strings.Contains(out.String(), "warn") {
					t.Fatalf("a healthy portal does not pass:\n%s", out.String())
				}
				return
			}
			r := find(t, rs, tc.check)
			if r.Level != tc.level || !strings.Contains(r.Detail, tc.says) || (r.Level != OK && r.Fix == "") {
				t.Fatalf("%s: got %s %q (fix %q), want %s saying %q\n%s", tc.check, r.Level, r.Detail, r.Fix, tc.level, tc.says, out.String())
			}
			if Failed(rs) != (tc.level == Fail) {
				t.Fatalf("Failed = %v\n%s", Failed(rs), out.String())
			}
		})
	}
}

// manifest pins a checksum no executable written by the test has.
const manifest = `id: acme/nps
name: NPS
version: 1.0.0
protocols: [1]
host: ">=0.0.0"
provides: {blocks: [acme/nps]}
executables:
  linux/amd64: {path: nps, sha256: "0000000000000000000000000000000000000000000000000000000000000000"}
  linux/arm64: {path: nps, sha256: "0000000000000000000000000000000000000000000000000000000000000000"}
`

func execSQL(t *testing.T, cfg store.Config, q string) {
	t.Helper()
	db, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(context.Background(), q); err != nil {
		t.Fatal(err)
	}
}
