// Package revision keeps the counters that tell every portal process when
// cached data changed. A writer bumps a counter in the same transaction as
// its change; readers poll the counters (one tiny query) and reload what
// moved. This works the same for a CLI writing to the SQLite file of a
// running portal and for several portal processes sharing one PostgreSQL.
package revision

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// The counters.
const (
	Rooms     = "rooms"
	Program   = "program"
	Directory = "directory"
)

// Bump increments a counter.
func Bump(ctx context.Context, db bun.IDB, name string) error {
	if _, err := db.NewRaw("UPDATE revisions SET value = value + 1 WHERE name = ?", name).Exec(ctx); err != nil {
		return fmt.Errorf("bump %s revision: %w", name, err)
	}
	return nil
}

// All reads every counter.
func All(ctx context.Context, db bun.IDB) (map[string]int64, error) {
	var rows []struct {
		Name  string `bun:"name"`
		Value int64  `bun:"value"`
	}
	if err := db.NewRaw("SELECT name, value FROM revisions").Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("read revisions: %w", err)
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.Name] = r.Value
	}
	return out, nil
}
