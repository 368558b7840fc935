package store

import (
	"context"
	"fmt"

	"github.com/atriumhq/atrium/migrations"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// Migrate applies every pending migration and reports which it applied. It
// takes the migration lock, so several portal processes starting together
// against one PostgreSQL do not race.
func Migrate(ctx context.Context, db *bun.DB) ([]string, error) {
	m, err := migrations.NewMigrator(db, migrate.WithMarkAppliedOnSuccess(true))
	if err != nil {
		return nil, err
	}
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("migrate: init: %w", err)
	}
	if err := m.Lock(ctx); err != nil {
		return nil, fmt.Errorf("migrate: lock: %w", err)
	}
	defer m.Unlock(context.WithoutCancel(ctx)) //nolint:errcheck // best effort; the lock row is removed either way on success
	group, err := m.Migrate(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	var applied []string
	for _, mig := range group.Migrations {
		applied = append(applied, mig.String())
	}
	return applied, nil
}

// MigrationStatus is one migration and whether it has been applied.
type MigrationStatus struct {
	Name    string
	Applied bool
}

// Status lists every known migration in order with whether it is applied.
func Status(ctx context.Context, db *bun.DB) ([]MigrationStatus, error) {
	m, err := migrations.NewMigrator(db)
	if err != nil {
		return nil, err
	}
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("migrate: init: %w", err)
	}
	ms, err := m.MigrationsWithStatus(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	out := make([]MigrationStatus, 0, len(ms))
	for _, mig := range ms {
		out = append(out, MigrationStatus{Name: mig.String(), Applied: mig.IsApplied()})
	}
	return out, nil
}

// RollbackAll undoes every applied migration, newest first. It exists for
// tests that prove each migration can be undone; the CLI does not offer it.
func RollbackAll(ctx context.Context, db *bun.DB) error {
	m, err := migrations.NewMigrator(db)
	if err != nil {
		return err
	}
	for {
		group, err := m.Rollback(ctx)
		if err != nil {
			return fmt.Errorf("roll back: %w", err)
		}
		if group.IsZero() {
			return nil
		}
	}
}
