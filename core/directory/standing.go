package directory

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"github.com/atriumhq/atrium/core/store"
	"github.com/atriumhq/atrium/sdk"
	"github.com/uptrace/bun"
)

// Standing is what access decisions read of a user, fresh from the
// database: a deactivated user, a changed role or a moved partner user
// counts at once.
type Standing struct {
	Role        sdk.Role
	Active      bool
	PartnerID   int64
	PartnerType string
	// Permissions are the named permissions granted beyond the role.
	Permissions Permissions
}

const standingSQL = `SELECT u.role, u.active, COALESCE(u.partner_id, 0), COALESCE(p.type, ''), u.permissions
FROM users AS u LEFT JOIN partners AS p ON p.id = u.partner_id WHERE u.id = `

// The queries that decide a viewer's reach run on every request that
// reaches partner data. They are prepared once per database: SQLite would
// otherwise compile the SQL every time, which costs more than the lookup.
const (
	managedSQL = `SELECT id FROM partners WHERE manager_id = `
	subsSQL    = `SELECT id FROM partners WHERE parent_id = `
)

// statements holds the prepared reach queries, by their SQL (each ends
// where its one argument goes).
type statements struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// query runs one of the reach queries with its argument: prepared on a
// database, formatted by bun in a transaction.
func (d *Directory) query(ctx context.Context, q string, arg any) (*sql.Rows, error) {
	db, ok := d.db.(*bun.DB)
	if !ok {
		return d.db.QueryContext(ctx, q+"?", arg)
	}
	d.stmts.mu.Lock()
	st := d.stmts.m[q]
	if st == nil {
		placeholder := "?"
		if store.IsPostgres(db) {
			placeholder = "$1"
		}
		var err error
		if st, err = db.DB.PrepareContext(context.Background(), q+placeholder); err != nil {
			d.stmts.mu.Unlock()
			return nil, fmt.Errorf("prepare %q: %w", q, err)
		}
		if d.stmts.m == nil {
			d.stmts.m = map[string]*sql.Stmt{}
		}
		d.stmts.m[q] = st
	}
	d.stmts.mu.Unlock()
	return st.QueryContext(ctx, arg)
}

// ids runs a reach query that lists partner ids.
func (d *Directory) ids(ctx context.Context, q string, arg int64) ([]int64, error) {
	rows, err := d.query(ctx, q, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// StandingOf returns a user's standing; a missing user is inactive.
func (d *Directory) StandingOf(ctx context.Context, userID int64) (Standing, error) {
	rows, err := d.query(ctx, standingSQL, userID)
	if err != nil {
		return Standing{}, fmt.Errorf("standing of user %d: %w", userID, err)
	}
	defer rows.Close()
	if !rows.Next() {
		return Standing{}, rows.Err() // no such user: no standing
	}
	var st Standing
	var role string
	// database/sql turns SQLite's 0 and 1 into a bool, as PostgreSQL's.
	if err := rows.Scan(&role, &st.Active, &st.PartnerID, &st.PartnerType, &st.Permissions); err != nil {
		return Standing{}, fmt.Errorf("standing of user %d: %w", userID, err)
	}
	st.Role = sdk.Role(role)
	return st, nil
}
