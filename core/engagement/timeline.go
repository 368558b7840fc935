package engagement

import (
	"context"
	"time"
)

// Point is one bucket of the timeline.
type Point struct {
	// Start and End are the bucket's days [Start, End), clipped to the
	// filter's range.
	Start, End time.Time
	Sessions   int64
	PageViews  int64
	Actions    int64
	// Users is exact: distinct users active in the bucket.
	Users int64
}

// Timeline is the chart's data: sessions and page views (left axis) and
// unique users (right axis) per bucket.
type Timeline struct {
	Bucket Bucket
	Points []Point
}

// bucketDays splits [from, to) into the buckets for its length.
func bucketDays(from, to int32) (Bucket, [][2]int32) {
	b := BucketForDays(int(to - from))
	var out [][2]int32
	for cur := from; cur < to; {
		var next int32
		switch b {
		case BucketDay:
			next = cur + 1
		case BucketWeek:
			// Day 0 (1970-01-01) was a Thursday: Monday is day 4 mod 7.
			next = cur + 7 - (((cur-4)%7)+7)%7
		default:
			y, m, _ := date(cur)
			_, next = periodDays(monthPeriod(y, m))
		}
		next = min(next, to)
		out = append(out, [2]int32{cur, next})
		cur = next
	}
	return b, out
}

// Timeline computes the chart for f; the bucket follows from the range's
// length (see [BucketForDays]).
func (r *Reports) Timeline(ctx context.Context, f Filter) (Timeline, error) {
	from, to, err := f.days()
	if err != nil {
		return Timeline{}, err
	}
	bucket, spans := bucketDays(from, to)
	out := Timeline{Bucket: bucket, Points: make([]Point, len(spans))}
	covers := make([][]periodRange, len(spans))
	for i, s := range spans {
		out.Points[i].Start, out.Points[i].End = midnight(s[0], r.loc), midnight(s[1], r.loc)
		covers[i] = cover(s[0], s[1])
	}
	ix, err := r.sync(ctx)
	if err != nil {
		return out, err
	}
	ps, err := resolvePartners(ctx, r.db, f)
	if err != nil || ps.empty() {
		return out, err
	}
	all := mergeRanges(covers...)
	sums, err := r.sumStats(ctx, ps, all, "period")
	if err != nil {
		return out, err
	}
	// A period belongs to exactly one bucket: buckets are covered by days
	// and by months that lie wholly inside them.
	for period, s := range sums {
		for i := range covers {
			if inRanges(int32(period), covers[i]) {
				out.Points[i].Sessions += s.sessions
				out.Points[i].PageViews += s.pageViews
				out.Points[i].Actions += s.actions
				break
			}
		}
	}
	bitmaps, err := r.loadBitmaps(ctx, kindAll, []int64{0}, all)
	if err != nil {
		return out, err
	}
	for i := range covers {
		out.Points[i].Users = ix.countUsers(union(bitmaps[0], covers[i]), ps)
	}
	return out, nil
}
