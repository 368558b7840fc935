// Package store opens the portal's database: SQLite in the data folder by
// default (pure Go, no cgo), or PostgreSQL when a database URL is given.
// Everything above this package talks to *bun.DB and stays engine-agnostic;
// the few places that must differ ask [IsPostgres].
package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"modernc.org/sqlite"
)

// Config says where the data lives.
type Config struct {
	// DataDir is the data folder. The SQLite database lives in it unless
	// DatabaseURL is set.
	DataDir string
	// DatabaseURL selects PostgreSQL ("postgres://..."). Empty means SQLite.
	DatabaseURL string
}

// SQLiteFile is the database file's name inside the data folder.
const SQLiteFile = "atrium.db"

// Open connects to the configured database and checks that it answers. It does
// not migrate; call [Migrate].
func Open(ctx context.Context, cfg Config) (*bun.DB, error) {
	var (
		db  *bun.DB
		err error
	)
	switch {
	case cfg.DatabaseURL != "":
		db, err = openPostgres(cfg.DatabaseURL)
	default:
		db, err = openSQLite(cfg.DataDir)
	}
	if err != nil {
		return nil, err
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return db, nil
}

func openPostgres(rawURL string) (*bun.DB, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, fmt.Errorf("database URL must start with postgres:// (got %q)", redact(rawURL))
	}
	sqldb, err := sql.Open("pgx", rawURL)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	n := max(8, 4*runtime.GOMAXPROCS(0))
	sqldb.SetMaxOpenConns(n)
	sqldb.SetMaxIdleConns(n)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	return bun.NewDB(sqldb, pgdialect.New()), nil
}

// openSQLite opens the database file in WAL mode with foreign keys enforced,
// a busy timeout so concurrent writers wait instead of failing, synchronous
// FULL so a committed write survives a power cut, and BEGIN IMMEDIATE so a
// transaction that will write takes the write lock up front (a deferred
// transaction that upgrades later can fail with SQLITE_BUSY). The database
// carries a write queue of its own, which [RunInTx] uses to commit concurrent
// writes together.
func openSQLite(dataDir string) (*bun.DB, error) {
	if dataDir == "" {
		return nil, fmt.Errorf("no data folder given")
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	path, err := filepath.Abs(filepath.Join(dataDir, SQLiteFile))
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(FULL)")
	// SQLite's default page cache is 2 MiB a connection: past about
	// 50,000 leads every insert then reads the pages of a dozen indexes
	// back from the operating system. 32 MiB keeps a million-lead
	// program's hot index pages in memory (measured by the pipeline's
	// BenchmarkWritePath); it is an upper bound, filled only as needed.
	q.Add("_pragma", "cache_size(-32768)")
	q.Add("_txlock", "immediate")
	conn, err := sqlite.NewConnector("file:" + path + "?" + q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	sqldb := sql.OpenDB(&sqliteConnector{Connector: conn, writes: &writeQueue{}})
	// WAL lets readers run beside the one writer; a handful of connections
	// is enough and keeps memory per connection bounded.
	n := max(4, 2*runtime.GOMAXPROCS(0))
	sqldb.SetMaxOpenConns(n)
	sqldb.SetMaxIdleConns(n)
	return bun.NewDB(sqldb, sqlitedialect.New()), nil
}

// IsPostgres reports whether db talks to PostgreSQL.
func IsPostgres(db bun.IDB) bool {
	return db.Dialect().Name() == dialect.PG
}

// Describe names the database for logs and messages, without credentials.
func Describe(cfg Config) string {
	if cfg.DatabaseURL != "" {
		return "postgres " + redact(cfg.DatabaseURL)
	}
	return "sqlite " + filepath.Join(cfg.DataDir, SQLiteFile)
}

// redact removes the password from a database URL.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	return strings.Replace(u.String(), "xxxxx", "***", 1)
}
