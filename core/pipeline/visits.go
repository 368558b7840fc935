package pipeline

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
)

// VisitGap is how long without looking at the Overview ends a visit. Looks
// closer together are one visit, so reloading the page keeps showing what
// changed since the visit before.
const VisitGap = 30 * time.Minute

// visitWriteEvery spares the database a write for every reload: a look
// within a minute of the last recorded one changes nothing that matters.
const visitWriteEvery = time.Minute

// VisitOverview records that the viewer looks at the Overview now and
// returns when their previous visit ended (nil on the first). Staff
// previews record nothing.
func (s *Service) VisitOverview(ctx context.Context, v sdk.Viewer) (sp.Visit, error) {
	if v.Preview || v.UserID == 0 {
		return sp.Visit{}, nil
	}
	now := s.now()
	var rows []struct {
		Seen time.Time  `bun:"seen_at"`
		Prev *time.Time `bun:"previous_at"`
	}
	if err := s.db.NewSelect().TableExpr("overview_visits").Column("seen_at", "previous_at").Where("user_id = ?", v.UserID).Scan(ctx, &rows); err != nil {
		return sp.Visit{}, fmt.Errorf("overview visit: %w", err)
	}
	if len(rows) == 0 {
		if _, err := s.db.NewRaw("INSERT INTO overview_visits (user_id, seen_at) VALUES (?, ?) ON CONFLICT (user_id) DO NOTHING", v.UserID, now).Exec(ctx); err != nil {
			return sp.Visit{}, fmt.Errorf("overview visit: %w", err)
		}
		return sp.Visit{}, nil
	}
	prev := rows[0].Prev
	if prev != nil {
		p := prev.UTC()
		prev = &p
	}
	seen := rows[0].Seen.UTC()
	if d := now.Sub(seen); d >= 0 && d < visitWriteEvery {
		return sp.Visit{Previous: prev}, nil // looked a moment ago: nothing to write
	}
	if now.Sub(seen) > VisitGap {
		prev = &seen // a new visit: the last one ended when they last looked
	}
	if _, err := s.db.NewRaw("UPDATE overview_visits SET seen_at = ?, previous_at = ? WHERE user_id = ?", now, prev, v.UserID).Exec(ctx); err != nil {
		return sp.Visit{}, fmt.Errorf("overview visit: %w", err)
	}
	return sp.Visit{Previous: prev}, nil
}

// ReachGoal claims a goal the viewer's partner reached in a period. The
// first claim per goal, period and partner answers First; every later one,
// from any of the partner's people, does not. Staff and previews never
// claim: their view of a goal is not the partner's achievement.
func (s *Service) ReachGoal(ctx context.Context, v sdk.Viewer, m sp.GoalMark) (sp.GoalClaim, error) {
	if v.Preview || v.Staff() || v.PartnerID() == 0 {
		return sp.GoalClaim{}, nil
	}
	errs := fail.Problems{}
	for k, val := range map[string]string{"room": m.Room, "block": m.Block, "goal": m.Goal} {
		if strings.TrimSpace(val) == "" || utf8.RuneCountInString(val) > 200 {
			errs.Add(k, "invalid.chars-1-200")
		}
	}
	if m.PeriodStart.IsZero() {
		errs.Add("periodStart", "invalid.goal-period")
	}
	if err := errs.Err(); err != nil {
		return sp.GoalClaim{}, err
	}
	res, err := s.db.NewRaw(`INSERT INTO goals_reached (partner_id, room, block, goal, period_start, user_id, reached_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (partner_id, room, block, goal, period_start) DO NOTHING`,
		v.PartnerID(), m.Room, m.Block, m.Goal, m.PeriodStart.UTC(), v.UserID, s.now()).Exec(ctx)
	if err != nil {
		return sp.GoalClaim{}, fmt.Errorf("reach goal: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return sp.GoalClaim{}, fmt.Errorf("reach goal: %w", err)
	}
	return sp.GoalClaim{First: n == 1}, nil
}
