package engagement

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/uptrace/bun"
)

// Filter selects what a dashboard panel counts.
type Filter struct {
	// From and To are the days [From, To). Only their calendar dates count
	// (in their own location); which instants a day holds is decided by the
	// reporting zone the rollups were built in.
	From, To time.Time
	// Scope is who is asking; nothing outside it is ever counted.
	Scope reach.Reach
	// PartnerIDs narrows to the partners picked in the filter; nil means
	// every partner in Scope. Ids outside Scope are ignored.
	PartnerIDs []int64
	// PartnerTypes narrows to partners of these types; empty means all.
	PartnerTypes []string
}

// MaxRangeDays bounds a filter's range.
const MaxRangeDays = 3700

// days returns the filter's days as day numbers, checked.
func (f Filter) days() (int32, int32, error) {
	from, to := dayOf(f.From), dayOf(f.To)
	switch {
	case f.From.IsZero() || f.To.IsZero():
		return 0, 0, fail.Msg(fail.Invalid, "invalid.staff.range-choose")
	case to <= from:
		return 0, 0, fail.Msg(fail.Invalid, "invalid.range-end")
	case to-from > MaxRangeDays:
		return 0, 0, fail.Msg(fail.Invalid, "invalid.staff.range-ten-years")
	}
	return from, to, nil
}

// partnerSet is a filter resolved to the partners it counts: every partner
// (staff excluded), or an explicit set. groups is set when the partners are
// exactly the members of rollup groups (every partner, or every partner of
// some types), so totals can be read from group rows.
type partnerSet struct {
	all    bool
	ids    map[int64]struct{}
	groups []string
}

func (s partnerSet) has(p int64) bool {
	if s.all {
		return p > 0
	}
	_, ok := s.ids[p]
	return ok
}

func (s partnerSet) empty() bool { return !s.all && len(s.ids) == 0 }

func (s partnerSet) list() []int64 {
	out := make([]int64, 0, len(s.ids))
	for id := range s.ids {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// resolve intersects the scope, the picked partners and the partner types.
func resolvePartners(ctx context.Context, db bun.IDB, f Filter) (partnerSet, error) {
	var ids map[int64]struct{}
	if !f.Scope.Everyone() {
		ids = map[int64]struct{}{}
		for _, id := range f.Scope.IDs() {
			if id > 0 {
				ids[id] = struct{}{}
			}
		}
	}
	if f.PartnerIDs != nil {
		picked := map[int64]struct{}{}
		for _, id := range f.PartnerIDs {
			if _, ok := ids[id]; id > 0 && (ids == nil || ok) {
				picked[id] = struct{}{}
			}
		}
		ids = picked
	}
	typesOnly := ids == nil && len(f.PartnerTypes) > 0
	if len(f.PartnerTypes) > 0 && (ids == nil || len(ids) > 0) {
		q := db.NewSelect().Table("partners").Column("id").Where("type IN (?)", bun.List(f.PartnerTypes))
		if ids != nil {
			q = q.Where("id IN (?)", bun.List(partnerSet{ids: ids}.list()))
		}
		var typed []int64
		if err := q.Scan(ctx, &typed); err != nil {
			return partnerSet{}, fmt.Errorf("engagement: partners of types %v: %w", f.PartnerTypes, err)
		}
		ids = make(map[int64]struct{}, len(typed))
		for _, id := range typed {
			ids[id] = struct{}{}
		}
	}
	switch {
	case ids == nil:
		return partnerSet{all: true, groups: []string{allGroup}}, nil
	case typesOnly:
		return partnerSet{ids: ids, groups: slices.Compact(slices.Sorted(slices.Values(f.PartnerTypes)))}, nil
	}
	return partnerSet{ids: ids}, nil
}
