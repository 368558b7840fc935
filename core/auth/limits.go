package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/uptrace/bun"
)

// Failed sign-ins are counted in the login_failures table, one row per key,
// in fixed windows: a window starts at the first failure and lasts
// LimitWindow; a failure after it starts a new one. Counting in the database
// makes the limits hold across every portal process sharing it.
//
// OWASP's Authentication Cheat Sheet recommends counting failures per
// account (to stop guessing one password) and watching sources too (one
// address trying a few passwords on many accounts); a lockout that expires
// on its own keeps an attacker from locking a user out for good.

// failureKey is one counter: an account or a client address.
type failureKey struct {
	key   string
	limit int
}

// failureKeys returns the counters a sign-in attempt touches: the account
// always, the address when there is one (a sign-in from the command line has
// none).
func (s *Service) failureKeys(email, ip string) []failureKey {
	keys := []failureKey{{key: accountKey(email), limit: s.cfg.AccountLimit}}
	if ip != "" {
		keys = append(keys, failureKey{key: "address:" + HashToken(ip), limit: s.cfg.AddressLimit})
	}
	return keys
}

// accountKey names an account's counter. The email is stored hashed: what
// someone types as an email can be anything (often a password in the wrong
// field), and it may not belong to any user. Addresses are hashed too, so
// every key has one short length.
func accountKey(email string) string { return "account:" + HashToken(email) }

type failureRow struct {
	bun.BaseModel `bun:"table:login_failures"`

	Key         string    `bun:"key,pk"`
	Count       int       `bun:"count"`
	WindowStart time.Time `bun:"window_start"`
}

// checkLimits refuses an attempt when any counter is at its limit in the
// current window. It runs before the password is checked, so a locked
// account cannot be probed, and costs no hash.
func (s *Service) checkLimits(ctx context.Context, keys []failureKey) error {
	names := make([]string, len(keys))
	limits := map[string]int{}
	for i, k := range keys {
		names[i] = k.key
		limits[k.key] = k.limit
	}
	var rows []failureRow
	if err := s.db.NewSelect().Model(&rows).Where("key IN (?)", bun.In(names)).Scan(ctx); err != nil {
		return fmt.Errorf("read failed sign-ins: %w", err)
	}
	now := s.now()
	var wait time.Duration
	for _, r := range rows {
		end := r.WindowStart.Add(s.cfg.LimitWindow)
		if r.Count >= limits[r.Key] && now.Before(end) {
			wait = max(wait, end.Sub(now))
		}
	}
	if wait == 0 {
		return nil
	}
	minutes := int((wait + time.Minute - 1) / time.Minute)
	unit := "minutes"
	if minutes == 1 {
		unit = "minute"
	}
	return fail.New(fail.TooMany, "Too many failed sign-ins. Try again in %d %s.", minutes, unit)
}

// recordFailure counts a failed attempt on every key. The upsert is atomic on
// both engines, so concurrent failures are all counted.
func (s *Service) recordFailure(ctx context.Context, keys []failureKey) error {
	now := s.now()
	windowOpen := now.Add(-s.cfg.LimitWindow) // a window that started after this is still running
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, k := range keys {
			if _, err := tx.NewRaw(`INSERT INTO login_failures (key, count, window_start) VALUES (?, 1, ?)
ON CONFLICT (key) DO UPDATE SET
	count = CASE WHEN login_failures.window_start > ? THEN login_failures.count + 1 ELSE 1 END,
	window_start = CASE WHEN login_failures.window_start > ? THEN login_failures.window_start ELSE excluded.window_start END`,
				k.key, now, windowOpen, windowOpen).Exec(ctx); err != nil {
				return fmt.Errorf("count failed sign-in: %w", err)
			}
		}
		return nil
	})
}

// clearAccount forgets an account's failures after a successful sign-in. The
// address counter stays: one good account must not reset a spraying source.
func (s *Service) clearAccount(ctx context.Context, db bun.IDB, email string) error {
	if _, err := db.NewDelete().Model((*failureRow)(nil)).Where("key = ?", accountKey(email)).Exec(ctx); err != nil {
		return fmt.Errorf("clear failed sign-ins: %w", err)
	}
	return nil
}
