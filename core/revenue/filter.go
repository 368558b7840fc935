package revenue

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/uptrace/bun"
)

// Filter selects what a panel counts.
type Filter struct {
	// From and To are the days [From, To). Only their calendar dates count;
	// the instants a day holds are those of the reporting zone, so a deal
	// won at 23:59 on the 31st belongs to that month wherever the server
	// runs.
	From, To time.Time
	// Scope is who is asking; nothing outside it is ever counted.
	Scope reach.Reach
	// PartnerIDs narrows to the partners picked in the filter; nil means
	// every partner in Scope. Ids outside Scope are ignored.
	PartnerIDs []int64
	// PartnerTypes narrows to partners of these types; empty means all.
	PartnerTypes []string
	// Network, when set, narrows to the sub-partners of this partner (a
	// distributor's network). When the scope reaches every one of them
	// and nothing else narrows the filter, the panels read the network's
	// own counts instead of its pipeline's rows.
	Network int64
}

// MaxRangeDays bounds a filter's range, as on the engagement side.
const MaxRangeDays = 3700

// span is a filter's instants [from, to) in the reporting zone, in UTC for
// the database.
func (r *Reports) span(f Filter) (time.Time, time.Time, error) {
	switch {
	case f.From.IsZero() || f.To.IsZero():
		return time.Time{}, time.Time{}, fail.Msg(fail.Invalid, "invalid.staff.range-choose")
	}
	from, to := r.midnight(f.From), r.midnight(f.To)
	switch {
	case !to.After(from):
		return time.Time{}, time.Time{}, fail.Msg(fail.Invalid, "invalid.range-end")
	case to.Sub(from) > MaxRangeDays*24*time.Hour:
		return time.Time{}, time.Time{}, fail.Msg(fail.Invalid, "invalid.staff.range-ten-years")
	}
	return from, to, nil
}

// midnight is the start of t's calendar date in the reporting zone.
func (r *Reports) midnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, r.loc)
}

// days is the number of calendar days in [from, to), daylight saving or not.
func days(from, to time.Time) int {
	a := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	b := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours() / 24)
}

// partners is a filter resolved to the partners it counts: every partner,
// every partner of some types, or an explicit list (possibly empty).
type partners struct {
	all   bool
	types []string // with all: only these types
	ids   []int64
	// network, when set, is the parent partner whose every sub-partner ids
	// lists: the network's counts answer for them.
	network int64
	// period reads the rows of a list of partners along the index of the
	// period's column, testing each row's partner, rather than walking an
	// index by partner once per partner: for a network, whose thousand
	// partners hold every won deal or commission of all time between them.
	period bool
}

// alongPeriod returns p reading a network's rows along the period's index.
func (p partners) alongPeriod() partners {
	p.period = p.network != 0
	return p
}

func (p partners) none() bool { return !p.all && len(p.ids) == 0 }

// resolve intersects the scope, the picked partners and the partner types.
func resolve(ctx context.Context, db bun.IDB, f Filter) (partners, error) {
	if f.Network != 0 {
		var subs []int64
		if err := db.NewSelect().Table("partners").Column("id").Where("parent_id = ?", f.Network).Order("id").Scan(ctx, &subs); err != nil {
			return partners{}, fmt.Errorf("revenue: network of %d: %w", f.Network, err)
		}
		whole := f.PartnerIDs == nil && len(f.PartnerTypes) == 0 &&
			!slices.ContainsFunc(subs, func(id int64) bool { return !f.Scope.CanRead(id) })
		if whole {
			return partners{ids: subs, network: f.Network}, nil
		}
		// Part of the network: its partners' rows, as for picked partners.
		if f.PartnerIDs != nil {
			subs = slices.DeleteFunc(subs, func(id int64) bool { return !slices.Contains(f.PartnerIDs, id) })
		}
		f.PartnerIDs, f.Network = append([]int64{}, subs...), 0
		return resolve(ctx, db, f)
	}
	var ids []int64
	restricted := false
	if !f.Scope.Everyone() {
		restricted = true
		ids = slices.DeleteFunc(f.Scope.IDs(), func(id int64) bool { return id <= 0 })
	}
	if f.PartnerIDs != nil {
		var picked []int64
		for _, id := range f.PartnerIDs {
			if id > 0 && (!restricted || slices.Contains(ids, id)) {
				picked = append(picked, id)
			}
		}
		ids, restricted = picked, true
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	types := slices.Compact(slices.Sorted(slices.Values(f.PartnerTypes)))
	if !restricted {
		return partners{all: true, types: types}, nil
	}
	if len(types) == 0 || len(ids) == 0 {
		return partners{ids: ids}, nil
	}
	var typed []int64
	if err := db.NewSelect().Table("partners").Column("id").Where("type IN (?)", bun.List(types)).
		Where("id IN (?)", bun.List(ids)).Order("id").Scan(ctx, &typed); err != nil {
		return partners{}, fmt.Errorf("revenue: partners of types %v: %w", types, err)
	}
	return partners{ids: typed}, nil
}

// where narrows q, whose partner column is col, to the partners.
func (p partners) where(q *bun.SelectQuery, col string) *bun.SelectQuery {
	switch {
	case p.all && len(p.types) == 0:
		return q
	case p.all:
		// The unary plus keeps SQLite from walking a partner_id index once
		// per partner of the type (a quarter of the program) and fetching
		// every row to test its date; the panel's own index, which begins
		// with the period's column, is the cheaper path. PostgreSQL reads
		// it as the same number.
		return q.Where("+"+col+" IN (SELECT id FROM partners WHERE type IN (?))", bun.List(p.types))
	case len(p.ids) == 0:
		return q.Where("1 = 0")
	case len(p.ids) == 1:
		return q.Where(col+" = ?", p.ids[0])
	case p.period:
		return q.Where("+"+col+" IN (?)", bun.List(p.ids))
	}
	return q.Where(col+" IN (?)", bun.List(p.ids))
}
