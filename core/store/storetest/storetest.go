// Package storetest gives tests a fresh, migrated database. SQLite always
// works; PostgreSQL is used when ATRIUM_TEST_DATABASE_URL names a server, and
// each test then gets a schema of its own so packages can run in parallel.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/atriumhq/atrium/core/store"
	"github.com/uptrace/bun"
)

// EnvPostgres names the variable that points tests at a PostgreSQL server.
const EnvPostgres = "ATRIUM_TEST_DATABASE_URL"

// Engine is a database engine tests can run on.
type Engine string

// The engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// EnvOnlyPostgres, set to 1 beside EnvPostgres, leaves SQLite out of Each
// and Engines: a run that follows a SQLite run of the same tests (CI's
// PostgreSQL pass) would only repeat it.
const EnvOnlyPostgres = "ATRIUM_TEST_ONLY_POSTGRES"

// Engines lists the engines available to this test run: SQLite, and
// PostgreSQL when EnvPostgres is set (only PostgreSQL with
// EnvOnlyPostgres).
func Engines() []Engine {
	switch {
	case os.Getenv(EnvPostgres) == "":
		return []Engine{SQLite}
	case os.Getenv(EnvOnlyPostgres) == "1":
		return []Engine{Postgres}
	}
	return []Engine{SQLite, Postgres}
}

// Default is the engine tests that run once use: PostgreSQL when configured,
// so a CI run with EnvPostgres set exercises the whole suite on it.
func Default() Engine {
	if os.Getenv(EnvPostgres) != "" {
		return Postgres
	}
	return SQLite
}

// Each runs fn as a subtest on every available engine with a fresh database.
func Each(t *testing.T, fn func(t *testing.T, db *bun.DB)) {
	t.Helper()
	for _, e := range Engines() {
		t.Run(string(e), func(t *testing.T) {
			fn(t, OpenEngine(t, e))
		})
	}
}

// Open returns a fresh, migrated database on the default engine.
func Open(t testing.TB) *bun.DB {
	t.Helper()
	return OpenEngine(t, Default())
}

// Config returns a store.Config for a fresh, migrated database on the default
// engine, for tests that open the store themselves (a CLI run, a server).
func Config(t testing.TB) store.Config {
	t.Helper()
	cfg, _ := newConfig(t, Default())
	db, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	defer db.Close()
	if _, err := store.Migrate(context.Background(), db); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return cfg
}

// OpenEngine returns a fresh, migrated database on engine e. It fails the test
// when PostgreSQL is asked for but cannot be reached.
func OpenEngine(t testing.TB, e Engine) *bun.DB {
	t.Helper()
	cfg, _ := newConfig(t, e)
	ctx := context.Background()
	db, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatalf("open %s test database: %v", e, err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := store.Migrate(ctx, db); err != nil {
		t.Fatalf("migrate %s test database: %v", e, err)
	}
	return db
}

// newConfig prepares an empty database: a temporary data folder for SQLite,
// a new schema for PostgreSQL (dropped when the test ends).
func newConfig(t testing.TB, e Engine) (store.Config, string) {
	t.Helper()
	if e == SQLite {
		return store.Config{DataDir: t.TempDir()}, ""
	}
	base := os.Getenv(EnvPostgres)
	if base == "" {
		t.Fatalf("%s is not set", EnvPostgres)
	}
	ctx := context.Background()
	admin, err := store.Open(ctx, store.Config{DatabaseURL: base})
	if err != nil {
		t.Fatalf("PostgreSQL at %s is not reachable: %v", EnvPostgres, err)
	}
	defer admin.Close()
	schema := "t_" + randomHex(8)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		a, err := store.Open(context.Background(), store.Config{DatabaseURL: base})
		if err != nil {
			return
		}
		defer a.Close()
		a.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE") //nolint:errcheck // best-effort cleanup
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return store.Config{DatabaseURL: u.String(), DataDir: t.TempDir()}, schema
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
