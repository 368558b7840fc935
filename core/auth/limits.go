package auth

import (
	"context"
	"errors"
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
//
// An attempt is counted before its password is checked, not after: counting
// afterwards would let a burst of concurrent attempts all pass the check
// while the count is still low, and would let a client escape the count by
// hanging up during the hash. A success gives its attempt back.

// failureKey is one counter: an account or a client address.
type failureKey struct {
	key     string
	limit   int
	account bool
}

// failureKeys returns the counters a sign-in attempt touches: the account
// always, the address when there is one (a sign-in from the command line has
// none).
func (s *Service) failureKeys(email, ip string) []failureKey {
	keys := []failureKey{{key: accountKey(email), limit: s.cfg.AccountLimit, account: true}}
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

// reserveAttempt counts an attempt against every key before the password is
// checked, and refuses it with fail.TooMany when that takes any counter past
// its limit in the current window. A refused attempt is rolled back: it costs
// no hash and does not count, so the lockout ends when the window does. The
// upsert is atomic on both engines, so concurrent attempts are each counted
// once and at most the limit of them get through.
func (s *Service) reserveAttempt(ctx context.Context, keys []failureKey) error {
	now := s.now()
	windowOpen := now.Add(-s.cfg.LimitWindow) // a window that started after this is still running
	var wait time.Duration
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, k := range keys {
			var row failureRow
			if err := tx.NewRaw(`INSERT INTO login_failures (key, count, window_start) VALUES (?, 1, ?)
ON CONFLICT (key) DO UPDATE SET
	count = CASE WHEN login_failures.window_start > ? THEN login_failures.count + 1 ELSE 1 END,
	window_start = CASE WHEN login_failures.window_start > ? THEN login_failures.window_start ELSE excluded.window_start END
RETURNING key, count, window_start`,
				k.key, now, windowOpen, windowOpen).Scan(ctx, &row); err != nil {
				return fmt.Errorf("count sign-in attempt: %w", err)
			}
			if row.Count > k.limit {
				wait = max(wait, row.WindowStart.Add(s.cfg.LimitWindow).Sub(now))
			}
		}
		if wait > 0 {
			return errLimited
		}
		return nil
	})
	if errors.Is(err, errLimited) {
		minutes := max(1, int((wait+time.Minute-1)/time.Minute))
		if minutes == 1 {
			return fail.Msg(fail.TooMany, "invalid.login.limited-minute")
		}
		return fail.Msg(fail.TooMany, "invalid.login.limited", "Minutes", minutes)
	}
	return err
}

// errLimited rolls back the counting of a refused attempt.
var errLimited = errors.New("over the sign-in limit")

// settleSuccess gives back a successful attempt: the account's counter is
// cleared, and the address's lowered by one. The address keeps its failures:
// one good account must not reset a spraying source, and many people
// signing in from one office address must not lock it out.
func (s *Service) settleSuccess(ctx context.Context, db bun.IDB, keys []failureKey) error {
	for _, k := range keys {
		var err error
		if k.account {
			_, err = db.NewDelete().Model((*failureRow)(nil)).Where("key = ?", k.key).Exec(ctx)
		} else {
			_, err = db.NewUpdate().Model((*failureRow)(nil)).Set("count = count - 1").Where("key = ? AND count > 0", k.key).Exec(ctx)
		}
		if err != nil {
			return fmt.Errorf("settle sign-in attempt: %w", err)
		}
	}
	return nil
}
