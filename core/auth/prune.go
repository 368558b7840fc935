package auth

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// Prune deletes what can no longer be used: sessions past their absolute
// expiry or idle timeout, failed sign-in counters whose window has closed,
// and expired invitations (used or not). It returns the number of rows
// deleted. Nothing depends on it for correctness, since every check also
// tests the times; it keeps the tables small. Run it periodically.
func (s *Service) Prune(ctx context.Context) (int, error) {
	now := s.now()
	total := 0
	for _, q := range []struct {
		what string
		del  *bun.DeleteQuery
	}{
		{"sessions", s.db.NewDelete().Model((*sessionRow)(nil)).
			Where("expires_at <= ? OR last_seen_at <= ?", now, now.Add(-s.cfg.IdleTimeout))},
		{"failed sign-ins", s.db.NewDelete().Model((*failureRow)(nil)).
			Where("window_start <= ?", now.Add(-s.cfg.LimitWindow))},
		{"invitations", s.db.NewDelete().Model((*invitationRow)(nil)).Where("expires_at <= ?", now)},
	} {
		res, err := q.del.Exec(ctx)
		if err != nil {
			return total, fmt.Errorf("prune %s: %w", q.what, err)
		}
		n, _ := res.RowsAffected()
		total += int(n)
	}
	return total, nil
}
