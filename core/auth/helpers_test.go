package auth_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/auth"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/sdk"
	"github.com/uptrace/bun"
)

// clock is a clock tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixture struct {
	db    *bun.DB
	dir   *directory.Directory
	svc   *auth.Service
	clock *clock
	ctx   context.Context
}

// The tests on a database run in parallel, each on a database of its own
// and with a clock of its own: one after the other, on a busy PostgreSQL,
// they took two minutes of CI waiting on round trips.

// setup returns a Service over db with a movable clock and cheap hashing
// unless cfg says otherwise.
func setup(t *testing.T, db *bun.DB, cfg auth.Config) *fixture {
	t.Helper()
	f := &fixture{db: db, dir: directory.New(db), clock: newClock(), ctx: context.Background()}
	if cfg.Now == nil {
		cfg.Now = f.clock.Now
	}
	if cfg.Argon2 == (auth.Argon2Params{}) {
		cfg.Argon2 = cheap
	}
	f.svc = auth.New(db, f.dir, cfg)
	return f
}

// staff creates an active admin without a password.
func (f *fixture) staff(t *testing.T, email string) directory.User {
	t.Helper()
	u, err := f.dir.CreateUser(f.ctx, directory.UserInput{Email: email, Name: "Staff " + email, Role: sdk.RoleAdmin})
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u
}

// partnerUser creates an active partner user of a new partner.
func (f *fixture) partnerUser(t *testing.T, email string) (directory.User, directory.Partner) {
	t.Helper()
	p, err := f.dir.CreatePartner(f.ctx, directory.PartnerInput{Name: "Partner of " + email, Type: "reseller", Tier: "gold", Stage: "active"})
	if err != nil {
		t.Fatalf("create partner: %v", err)
	}
	u, err := f.dir.CreateUser(f.ctx, directory.UserInput{Email: email, Name: "Partner " + email, Role: sdk.RolePartnerUser, PartnerID: &p.ID})
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u, p
}

// withPassword creates an admin whose password is goodPassword.
func (f *fixture) withPassword(t *testing.T, email string) directory.User {
	t.Helper()
	u := f.staff(t, email)
	if err := f.svc.SetPassword(f.ctx, u.ID, goodPassword); err != nil {
		t.Fatalf("set password of %s: %v", email, err)
	}
	return u
}

// login signs in and fails the test on error.
func (f *fixture) login(t *testing.T, email string) string {
	t.Helper()
	token, _, err := f.svc.Login(f.ctx, email, goodPassword, "192.0.2.1", "test")
	if err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	return token
}

// count returns the number of rows in a table matching where.
func (f *fixture) count(t *testing.T, table, where string, args ...any) int {
	t.Helper()
	n, err := f.db.NewSelect().Table(table).Where(where, args...).Count(f.ctx)
	if err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return int(n)
}
