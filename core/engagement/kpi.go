package engagement

import (
	"context"
	"time"
)

// Metric is a count in the chosen period and in the previous period of the
// same length.
type Metric struct {
	Value, Previous int64
}

// Change is the relative change against the previous period (0.25 for
// +25%); ok is false when the previous period had none to compare with.
func (m Metric) Change() (change float64, ok bool) {
	if m.Previous == 0 {
		return 0, false
	}
	return float64(m.Value-m.Previous) / float64(m.Previous), true
}

// DurationMetric is a duration in the chosen and the previous period.
type DurationMetric struct {
	Value, Previous time.Duration
}

// Change is the relative change against the previous period.
func (m DurationMetric) Change() (change float64, ok bool) {
	if m.Previous == 0 {
		return 0, false
	}
	return float64(m.Value-m.Previous) / float64(m.Previous), true
}

// KPIs are the five cards at the top of the dashboard.
type KPIs struct {
	// From, To is the range; PreviousFrom, From the previous period of the
	// same number of days.
	From, To, PreviousFrom time.Time
	// UniqueUsers is exact: distinct users with any event in the range.
	UniqueUsers Metric
	// Sessions counts sessions that started in the range.
	Sessions  Metric
	PageViews Metric
	Actions   Metric
	// AvgSessionDuration is the total duration of the sessions that started
	// in the range over their number.
	AvgSessionDuration DurationMetric
}

// KPIs computes the KPI cards for f.
func (r *Reports) KPIs(ctx context.Context, f Filter) (KPIs, error) {
	from, to, err := f.days()
	if err != nil {
		return KPIs{}, err
	}
	n := to - from
	out := KPIs{From: midnight(from, r.loc), To: midnight(to, r.loc), PreviousFrom: midnight(from-n, r.loc)}
	ix, err := r.sync(ctx)
	if err != nil {
		return out, err
	}
	ps, err := resolvePartners(ctx, r.db, f)
	if err != nil || ps.empty() {
		return out, err
	}
	cur, prev := cover(from, to), cover(from-n, from)
	sums, err := r.sumStats(ctx, ps, mergeRanges(cur, prev), "period")
	if err != nil {
		return out, err
	}
	var c, p stat
	for period, s := range sums {
		if inRanges(int32(period), cur) {
			c.add(s)
		} else {
			p.add(s)
		}
	}
	bitmaps, err := r.loadBitmaps(ctx, kindAll, []int64{0}, mergeRanges(cur, prev))
	if err != nil {
		return out, err
	}
	out.UniqueUsers = Metric{ix.countUsers(union(bitmaps[0], cur), ps), ix.countUsers(union(bitmaps[0], prev), ps)}
	out.Sessions = Metric{c.sessions, p.sessions}
	out.PageViews = Metric{c.pageViews, p.pageViews}
	out.Actions = Metric{c.actions, p.actions}
	out.AvgSessionDuration = DurationMetric{avg(c), avg(p)}
	return out, nil
}

func inRanges(p int32, ranges []periodRange) bool {
	for _, pr := range ranges {
		if p >= pr.lo && p <= pr.hi {
			return true
		}
	}
	return false
}
