package engagement

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/uptrace/bun"
)

// ReportOptions configure [Reports].
type ReportOptions struct {
	// Location is the reporting zone; it must be the job's. Default UTC.
	Location *time.Location
	// AtRisk tunes the at-risk panel; zero fields take the defaults.
	AtRisk AtRiskRules
	// Resources names the resources in the top content panel (the content
	// library); without it their rows have no label.
	Resources ResourceTitles
}

// ResourceTitles looks up resource titles by id. Ids it does not know are
// left out of the map (the resource was deleted).
type ResourceTitles interface {
	Titles(ctx context.Context, ids []int64) (map[int64]string, error)
}

// Reports answers the engagement dashboard's panels from the rollups. It is
// safe for concurrent use; keep one per process (it caches the member
// table, which only grows).
type Reports struct {
	db   *bun.DB
	loc  *time.Location
	risk AtRiskRules
	res  ResourceTitles

	mu      sync.Mutex
	gen     int64
	members *memberIndex
}

// NewReports returns the dashboard queries over db.
func NewReports(db *bun.DB, opts ReportOptions) *Reports {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	return &Reports{db: db, loc: opts.Location, risk: opts.AtRisk.withDefaults(), res: opts.Resources, members: &memberIndex{}}
}

// Location is the reporting zone.
func (r *Reports) Location() *time.Location { return r.loc }

// memberIndex maps member ids to their partner and user. It only grows; a
// snapshot shares the arrays and reads up to its own length.
type memberIndex struct {
	partner, user []int64        // by member id; index 0 unused
	multi         map[int64]bool // users with more than one member (they moved partner)
}

// sync checks the rollups are in this zone and brings the member index up
// to date. It returns a snapshot safe to read without the lock.
func (r *Reports) sync(ctx context.Context) (*memberIndex, error) {
	var gen int64
	var zone string
	if err := r.db.QueryRowContext(ctx, `SELECT generation, zone FROM engagement_jobs WHERE name = ?`, jobName).Scan(&gen, &zone); err != nil {
		return nil, fmt.Errorf("engagement: read job state: %w", err)
	}
	if zone != "" && zone != r.loc.String() {
		return nil, fmt.Errorf("%w: rollups are in %s, reports asked for %s", ErrZoneChanged, zone, r.loc.String())
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if gen != r.gen {
		r.gen, r.members = gen, &memberIndex{}
	}
	ix := r.members
	rows, err := r.db.QueryContext(ctx, `SELECT id, partner_id, user_id FROM engagement_members WHERE id >= ? ORDER BY id`, max(1, len(ix.partner)))
	if err != nil {
		return nil, fmt.Errorf("engagement: read members: %w", err)
	}
	defer rows.Close()
	next := &memberIndex{partner: ix.partner, user: ix.user, multi: ix.multi}
	if len(next.partner) == 0 {
		next.partner, next.user = []int64{0}, []int64{0}
	}
	var seen map[int64]bool
	grew := false
	for rows.Next() {
		var id, p, u int64
		if err := rows.Scan(&id, &p, &u); err != nil {
			return nil, err
		}
		for int64(len(next.partner)) < id { // ids are dense; tolerate gaps
			next.partner, next.user = append(next.partner, 0), append(next.user, 0)
		}
		next.partner, next.user = append(next.partner, p), append(next.user, u)
		grew = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if grew {
		seen = make(map[int64]bool, len(next.user))
		next.multi = map[int64]bool{}
		for m, u := range next.user {
			if m == 0 || u == 0 {
				continue
			}
			if seen[u] {
				next.multi[u] = true
			}
			seen[u] = true
		}
		r.members = next
	}
	return r.members, nil
}

// countUsers counts the distinct users among the members of b whose partner
// is in ps.
func (ix *memberIndex) countUsers(b *roaring.Bitmap, ps partnerSet) int64 {
	var n int64
	var seen map[int64]bool
	it := b.Iterator()
	for it.HasNext() {
		m := int(it.Next())
		if m >= len(ix.partner) || !ps.has(ix.partner[m]) {
			continue
		}
		if u := ix.user[m]; ix.multi[u] {
			if seen == nil {
				seen = map[int64]bool{}
			}
			if seen[u] {
				continue
			}
			seen[u] = true
		}
		n++
	}
	return n
}

// usersByPartner counts the users of each partner in ps among b's members.
func (ix *memberIndex) usersByPartner(b *roaring.Bitmap, ps partnerSet) map[int64]int64 {
	out := map[int64]int64{}
	it := b.Iterator()
	for it.HasNext() {
		m := int(it.Next())
		if m < len(ix.partner) && ps.has(ix.partner[m]) {
			out[ix.partner[m]]++
		}
	}
	return out
}

// periodsSQL is "(period BETWEEN a AND b OR ...)" for the ranges; the
// values are integers this package computed.
func periodsSQL(col string, ranges []periodRange) string {
	if len(ranges) == 0 {
		return "1 = 0"
	}
	parts := make([]string, len(ranges))
	for i, pr := range ranges {
		parts[i] = col + " BETWEEN " + strconv.Itoa(int(pr.lo)) + " AND " + strconv.Itoa(int(pr.hi))
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// unionRanges builds one SELECT per period range joined by UNION ALL: each
// is a range scan of the primary key, where the planners would scan the
// whole table for the ranges OR'ed together. sel is the SELECT with a
// "%s" for the range condition; args repeat per range.
func unionRanges(sel string, ranges []periodRange, args []any) (string, []any) {
	parts := make([]string, len(ranges))
	var all []any
	for i, pr := range ranges {
		parts[i] = strings.Replace(sel, "%s", "period BETWEEN "+strconv.Itoa(int(pr.lo))+" AND "+strconv.Itoa(int(pr.hi)), 1)
		all = append(all, args...)
	}
	return strings.Join(parts, " UNION ALL "), all
}

// partnerCond restricts per-partner rows to ps (never staff).
func partnerCond(ps partnerSet) string {
	if ps.all {
		return "partner_id > 0"
	}
	return "partner_id IN (" + inList(ps.list()) + ")"
}

// sumStats sums rollups over the ranges, grouped by "period" or by
// "partner_id". Sums by period come from the group rows when ps is exactly
// some groups.
func (r *Reports) sumStats(ctx context.Context, ps partnerSet, ranges []periodRange, by string) (map[int64]stat, error) {
	out := map[int64]stat{}
	if ps.empty() || len(ranges) == 0 {
		return out, nil
	}
	var sel string
	var args []any
	switch {
	case by == "period" && ps.groups != nil:
		sel, args = `SELECT period AS k, sessions, duration_ms, page_views, actions FROM engagement_group_stats WHERE grp IN (?) AND %s`,
			[]any{bun.List(ps.groups)}
	default:
		sel = `SELECT ` + by + ` AS k, sessions, duration_ms, page_views, actions FROM engagement_partner_stats WHERE %s AND ` + partnerCond(ps)
	}
	sub, args := unionRanges(sel, ranges, args)
	rows, err := r.db.QueryContext(ctx, `SELECT k, SUM(sessions), SUM(duration_ms), SUM(page_views), SUM(actions) FROM (`+sub+`) u GROUP BY k`, args...)
	if err != nil {
		return nil, fmt.Errorf("engagement: sum rollups: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k int64
		var s stat
		if err := rows.Scan(&k, &s.sessions, &s.durationMS, &s.pageViews, &s.actions); err != nil {
			return nil, err
		}
		out[k] = s
	}
	return out, rows.Err()
}

// loadBitmaps reads the active-member sets of the given keys over the
// ranges, by key and period.
func (r *Reports) loadBitmaps(ctx context.Context, kind contentKind, keys []int64, ranges []periodRange) (map[int64]map[int32]*roaring.Bitmap, error) {
	out := map[int64]map[int32]*roaring.Bitmap{}
	if len(keys) == 0 || len(ranges) == 0 {
		return out, nil
	}
	rows, err := r.db.QueryContext(ctx, `SELECT key, period, members FROM engagement_bitmaps WHERE kind = ? AND key IN (?) AND `+periodsSQL("period", ranges),
		kind.String(), bun.List(keys))
	if err != nil {
		return nil, fmt.Errorf("engagement: read active users: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key int64
		var period int32
		var data []byte
		if err := rows.Scan(&key, &period, &data); err != nil {
			return nil, err
		}
		b := roaring.New()
		if err := b.UnmarshalBinary(data); err != nil {
			return nil, fmt.Errorf("engagement: active users %s/%d/%d: %w", kind, key, period, err)
		}
		if out[key] == nil {
			out[key] = map[int32]*roaring.Bitmap{}
		}
		out[key][period] = b
	}
	return out, rows.Err()
}

// union ORs the bitmaps of the periods in ranges.
func union(byPeriod map[int32]*roaring.Bitmap, ranges []periodRange) *roaring.Bitmap {
	var parts []*roaring.Bitmap
	for p, b := range byPeriod {
		for _, pr := range ranges {
			if p >= pr.lo && p <= pr.hi {
				parts = append(parts, b)
				break
			}
		}
	}
	if len(parts) == 0 {
		return roaring.New()
	}
	return roaring.FastOr(parts...)
}

// mergeRanges joins range lists (they may overlap) into one sorted list.
func mergeRanges(lists ...[]periodRange) []periodRange {
	var all []periodRange
	for _, l := range lists {
		all = append(all, l...)
	}
	if len(all) == 0 {
		return nil
	}
	slices.SortFunc(all, func(a, b periodRange) int { return cmp.Compare(a.lo, b.lo) })
	out := []periodRange{all[0]}
	for _, pr := range all[1:] {
		last := &out[len(out)-1]
		if pr.lo <= last.hi+1 && level(pr.lo) == level(last.hi) {
			last.hi = max(last.hi, pr.hi)
			continue
		}
		out = append(out, pr)
	}
	return out
}

// avg is the mean session duration.
func avg(s stat) time.Duration {
	if s.sessions == 0 {
		return 0
	}
	return time.Duration(s.durationMS/s.sessions) * time.Millisecond
}
