package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/store"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

func TestMigrateUpStatusAndIdempotence(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		// storetest already migrated: a second run applies nothing.
		applied, err := store.Migrate(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Errorf("second migrate applied %v, want nothing", applied)
		}
		st, err := store.Status(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if len(st) == 0 {
			t.Fatal("no migrations known")
		}
		for _, m := range st {
			if !m.Applied {
				t.Errorf("migration %s not applied", m.Name)
			}
		}
		var n int
		if err := db.NewSelect().Table("revisions").ColumnExpr("count(*)").Scan(ctx, &n); err != nil {
			t.Fatal(err)
		}
		if n < 2 {
			t.Errorf("revisions has %d rows, want the seeded counters", n)
		}
	})
}

func TestMigrationsRollBackCleanly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		if err := store.RollbackAll(ctx, db); err != nil {
			t.Fatalf("roll back: %v", err)
		}
		st, err := store.Status(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range st {
			if m.Applied {
				t.Errorf("migration %s still applied after rollback", m.Name)
			}
		}
		if _, err := store.Migrate(ctx, db); err != nil {
			t.Fatalf("migrate again after rollback: %v", err)
		}
	})
}

func TestForeignKeysAreEnforced(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		_, err := db.ExecContext(context.Background(),
			`INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES ('x', 4242, ?, ?, ?)`,
			"2026-01-01 00:00:00+00:00", "2026-01-01 00:00:00+00:00", "2026-01-01 00:00:00+00:00")
		if err == nil {
			t.Fatal("inserted a session for a user that does not exist")
		}
	})
}

func TestSQLiteSettings(t *testing.T) {
	db := storetest.OpenEngine(t, storetest.SQLite)
	ctx := context.Background()
	for pragma, want := range map[string]string{
		"journal_mode": "wal",
		"foreign_keys": "1",
		"synchronous":  "2", // FULL
		"busy_timeout": "10000",
		"cache_size":   "-32768", // 32 MiB: a big program's indexes stay in memory
	} {
		var got string
		if err := db.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if !strings.EqualFold(got, want) {
			t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
		}
	}
}

func TestOpenRejectsBadURL(t *testing.T) {
	_, err := store.Open(context.Background(), store.Config{DatabaseURL: "mysql://root:secret@x/db"})
	if err == nil || !strings.Contains(err.Error(), "postgres://") {
		t.Fatalf("err = %v, want a message asking for postgres://", err)
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("error leaks the password: %v", err)
	}
}
