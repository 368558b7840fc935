package notify

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Delivery runs off the request path. Notify stores the in-app rows and wakes
// [Service.Run], which hands them to the channels: a mail server that is slow
// or down must never slow the page that caused a notification. Rows are
// claimed before they are sent (see deliver), so several portal processes may
// each run the loop; a row whose sending failed is tried again with growing
// pauses for as long as it is younger than retryWindow.
const (
	// recentWindow is how far back a wake-up or a tick looks for rows not yet
	// delivered, which also finds rows another portal process stored.
	recentWindow = 10 * time.Minute
	// retryWindow is how long a failed delivery is retried; older rows are
	// given up (the in-app notification stands).
	retryWindow = 24 * time.Hour
	// batch is how many rows a pass reads at a time.
	batch = 500
)

// retry is when a failed row may be tried again.
type retry struct {
	attempts int
	next     time.Time
	created  time.Time
}

// Run delivers stored notifications to the channels until ctx ends: at
// once when Notify stores some, every tick for rows stored by other
// processes, and failed ones again after a pause that doubles up to an hour.
// At start it catches up on a day of rows a stopped process left. It also
// sends the digests that are due, at start and then every digest tick (see
// [WithDigestEvery]). Without channels it returns at once.
func (s *Service) Run(ctx context.Context, tick time.Duration) {
	if len(s.channels) == 0 {
		return
	}
	if tick <= 0 {
		tick = time.Minute
	}
	retries := map[int64]retry{}
	s.pass(ctx, s.now().Add(-retryWindow), retries)
	t := time.NewTicker(tick)
	defer t.Stop()
	var digests <-chan time.Time // nil, never ready, without a digest channel
	if len(s.digestChannels()) > 0 {
		dt := time.NewTicker(s.digestEvery)
		defer dt.Stop()
		digests = dt.C
		s.digests(ctx)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-digests:
			s.digests(ctx)
			continue
		case <-s.wake:
		case <-t.C:
			s.retryDue(ctx, retries)
		}
		s.pass(ctx, s.now().Add(-recentWindow), retries)
	}
}

// digests sends the digests due now; failures are logged, and their
// digests are tried again at the next tick.
func (s *Service) digests(ctx context.Context) {
	n, err := s.SendDigests(ctx, s.now())
	if err != nil {
		s.log.Warn("notification digests failed", "sent", n, "err", err)
	} else if n > 0 {
		s.log.Info("notification digests sent", "sent", n)
	}
}

// DeliverPending runs one delivery pass over the rows of the last day not
// yet delivered and reports the first failure; for the CLI and tests.
func (s *Service) DeliverPending(ctx context.Context) error {
	var first error
	err := s.eachPending(ctx, s.now().Add(-retryWindow), func(rows []Item) {
		if _, err := s.deliver(ctx, rows); err != nil && first == nil {
			first = err
		}
	})
	return cmp.Or(err, first)
}

// pass delivers the undelivered rows stored since since, skipping those
// waiting for a retry.
func (s *Service) pass(ctx context.Context, since time.Time, retries map[int64]retry) {
	err := s.eachPending(ctx, since, func(rows []Item) {
		now := s.now()
		ready := rows[:0]
		for _, r := range rows {
			if rt, ok := retries[r.ID]; ok && now.Before(rt.next) {
				continue
			}
			ready = append(ready, r)
		}
		s.settle(ctx, ready, retries)
	})
	if err != nil {
		s.log.Warn("notification delivery: load pending", "err", err)
	}
}

// retryDue delivers the failed rows whose pause is over, wherever they fall.
func (s *Service) retryDue(ctx context.Context, retries map[int64]retry) {
	now := s.now()
	var ids []int64
	for id, rt := range retries {
		switch {
		case now.Sub(rt.created) > retryWindow:
			delete(retries, id)
		case !now.Before(rt.next):
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return
	}
	var rows []Item
	if err := s.db.NewSelect().Model(&rows).Where("id IN (?)", bun.List(ids)).Where("emailed_at IS NULL").Scan(ctx); err != nil {
		s.log.Warn("notification delivery: load retries", "err", err)
		return
	}
	for _, id := range ids {
		delete(retries, id) // delivered elsewhere unless it fails again below
	}
	s.settle(ctx, rows, retries)
}

// settle delivers rows and schedules the failed ones again.
func (s *Service) settle(ctx context.Context, rows []Item, retries map[int64]retry) {
	failed, err := s.deliver(ctx, rows)
	if err != nil {
		s.log.Warn("notification delivery failed", "failed", len(failed), "err", err)
	}
	now := s.now()
	for _, r := range failed {
		rt := retries[r.ID]
		rt.attempts++
		rt.created = r.CreatedAt
		rt.next = now.Add(min(time.Minute<<(rt.attempts-1), time.Hour))
		retries[r.ID] = rt
	}
	for _, r := range rows {
		if _, bad := retries[r.ID]; bad && !contains(failed, r.ID) {
			delete(retries, r.ID)
		}
	}
}

func contains(rows []Item, id int64) bool {
	for _, r := range rows {
		if r.ID == id {
			return true
		}
	}
	return false
}

// eachPending hands fn the rows stored since since and not delivered, a
// batch at a time in id order: all of them, so rows nobody wants mailed
// (left for a digest) never hide newer rows that someone does.
func (s *Service) eachPending(ctx context.Context, since time.Time, fn func([]Item)) error {
	var after int64
	for {
		var rows []Item
		if err := s.db.NewSelect().Model(&rows).Where("emailed_at IS NULL").Where("created_at >= ?", since).
			Where("id > ?", after).OrderExpr("id").Limit(batch).Scan(ctx); err != nil {
			return fmt.Errorf("load undelivered notifications: %w", err)
		}
		if len(rows) == 0 {
			return nil
		}
		after = rows[len(rows)-1].ID
		fn(rows)
		if len(rows) < batch {
			return nil
		}
	}
}
