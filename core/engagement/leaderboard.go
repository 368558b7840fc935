package engagement

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// LeaderboardColumn is a column the leaderboard sorts by.
type LeaderboardColumn string

// The sortable columns.
const (
	ByScore       LeaderboardColumn = "score" // the same order as rank
	ByPartner     LeaderboardColumn = "partner"
	ByType        LeaderboardColumn = "type"
	ByUsers       LeaderboardColumn = "users"
	BySessions    LeaderboardColumn = "sessions"
	ByPageViews   LeaderboardColumn = "page_views"
	ByActions     LeaderboardColumn = "actions"
	ByAvgDuration LeaderboardColumn = "avg_duration"
)

// LeaderboardQuery sorts and pages the leaderboard.
type LeaderboardQuery struct {
	// Sort is the column; empty means by score, best first.
	Sort LeaderboardColumn
	// Desc sorts from the largest value (or Z) down. Ignored when Sort is
	// empty.
	Desc bool
	// Page counts from 1. PerPage 0 or less returns every row (for CSV).
	Page, PerPage int
}

// LeaderboardRow is one partner.
type LeaderboardRow struct {
	// Rank orders by score, best first; partners with the same score share
	// a rank (1, 2, 2, 4).
	Rank int
	// Score is from 0 to 100; see the package documentation.
	Score     float64
	PartnerID int64
	Name      string
	Slug      string
	Type      string
	LogoURL   string
	Users     int64
	Sessions  int64
	PageViews int64
	Actions   int64
	// AvgDuration is the mean duration of the partner's sessions.
	AvgDuration time.Duration

	durationMS int64
	key        string // lowercase name, the tie-breaker
}

// LeaderboardTotals is the footer row: sums, and the mean duration of all
// the sessions counted.
type LeaderboardTotals struct {
	Partners    int
	Users       int64 // sum of the rows' users
	Sessions    int64
	PageViews   int64
	Actions     int64
	AvgDuration time.Duration
}

// Leaderboard is one page of the leaderboard.
type Leaderboard struct {
	Rows    []LeaderboardRow
	Total   int // rows over all pages
	Page    int
	PerPage int
	Totals  LeaderboardTotals
}

// Pages is the number of pages.
func (l Leaderboard) Pages() int {
	if l.PerPage <= 0 {
		return 1
	}
	return max(1, (l.Total+l.PerPage-1)/l.PerPage)
}

// Score weights.
const (
	weightSessions  = 0.4
	weightUsers     = 0.3
	weightPageViews = 0.2
	weightDuration  = 0.1
)

// Leaderboard ranks the partners with any activity in the range.
func (r *Reports) Leaderboard(ctx context.Context, f Filter, q LeaderboardQuery) (Leaderboard, error) {
	out := Leaderboard{Page: max(1, q.Page), PerPage: max(0, q.PerPage)}
	from, to, err := f.days()
	if err != nil {
		return out, err
	}
	rows, err := r.leaderboardRows(ctx, f, from, to)
	if err != nil {
		return out, err
	}
	var dur int64
	for _, row := range rows {
		out.Totals.Users += row.Users
		out.Totals.Sessions += row.Sessions
		out.Totals.PageViews += row.PageViews
		out.Totals.Actions += row.Actions
		dur += row.durationMS
	}
	out.Totals.Partners = len(rows)
	if out.Totals.Sessions > 0 {
		out.Totals.AvgDuration = time.Duration(dur/out.Totals.Sessions) * time.Millisecond
	}
	sortLeaderboard(rows, q)
	out.Total = len(rows)
	if out.PerPage > 0 {
		lo := min(len(rows), (out.Page-1)*out.PerPage)
		rows = rows[lo:min(len(rows), lo+out.PerPage)]
	}
	out.Rows = rows
	return out, nil
}

func (r *Reports) leaderboardRows(ctx context.Context, f Filter, from, to int32) ([]LeaderboardRow, error) {
	ix, err := r.sync(ctx)
	if err != nil {
		return nil, err
	}
	ps, err := resolvePartners(ctx, r.db, f)
	if err != nil || ps.empty() {
		return nil, err
	}
	ranges := cover(from, to)
	sums, err := r.partnerSums(ctx, ps, from, to)
	if err != nil {
		return nil, err
	}
	bitmaps, err := r.loadBitmaps(ctx, kindAll, []int64{0}, ranges)
	if err != nil {
		return nil, err
	}
	users := ix.usersByPartner(union(bitmaps[0], ranges), ps)
	rows := make([]LeaderboardRow, 0, len(sums))
	for id, s := range sums {
		rows = append(rows, LeaderboardRow{PartnerID: id, Users: users[id], Sessions: s.sessions,
			PageViews: s.pageViews, Actions: s.actions, AvgDuration: avg(s), durationMS: s.durationMS})
	}
	if err := r.describePartners(ctx, rows); err != nil {
		return nil, err
	}
	score(rows)
	return rows, nil
}

// score fills Score and Rank: each measure is divided by its largest value
// among the rows (0 when that is 0), weighted, summed and scaled to 100,
// then rounded to two decimals so equal inputs tie exactly.
func score(rows []LeaderboardRow) {
	var ms, mu, mp float64
	var md time.Duration
	for _, r := range rows {
		ms, mu, mp = max(ms, float64(r.Sessions)), max(mu, float64(r.Users)), max(mp, float64(r.PageViews))
		md = max(md, r.AvgDuration)
	}
	norm := func(v, m float64) float64 {
		if m == 0 {
			return 0
		}
		return v / m
	}
	for i := range rows {
		r := &rows[i]
		s := weightSessions*norm(float64(r.Sessions), ms) + weightUsers*norm(float64(r.Users), mu) +
			weightPageViews*norm(float64(r.PageViews), mp) + weightDuration*norm(float64(r.AvgDuration), float64(md))
		r.Score = math.Round(s*100*100) / 100
	}
	slices.SortFunc(rows, func(a, b LeaderboardRow) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), byName(a, b))
	})
	for i := range rows {
		if i > 0 && rows[i].Score == rows[i-1].Score {
			rows[i].Rank = rows[i-1].Rank
		} else {
			rows[i].Rank = i + 1
		}
	}
}

// byName orders by name, case-insensitively, then id. Rows carry their
// lowercase name (set by describePartners) so sorting thousands of rows
// does not lower-case names on every comparison.
func byName(a, b LeaderboardRow) int {
	ka, kb := a.key, b.key
	if ka == "" {
		ka = strings.ToLower(a.Name)
	}
	if kb == "" {
		kb = strings.ToLower(b.Name)
	}
	return cmp.Or(cmp.Compare(ka, kb), cmp.Compare(a.PartnerID, b.PartnerID))
}

// sortLeaderboard orders rows (already in rank order) by the query's column;
// ties keep rank order.
func sortLeaderboard(rows []LeaderboardRow, q LeaderboardQuery) {
	if q.Sort == "" || (q.Sort == ByScore && q.Desc) {
		return
	}
	var c func(a, b LeaderboardRow) int
	switch q.Sort {
	case ByScore:
		c = func(a, b LeaderboardRow) int { return cmp.Compare(a.Score, b.Score) }
	case ByPartner:
		c = byName
	case ByType:
		c = func(a, b LeaderboardRow) int { return cmp.Compare(a.Type, b.Type) }
	case ByUsers:
		c = func(a, b LeaderboardRow) int { return cmp.Compare(a.Users, b.Users) }
	case BySessions:
		c = func(a, b LeaderboardRow) int { return cmp.Compare(a.Sessions, b.Sessions) }
	case ByPageViews:
		c = func(a, b LeaderboardRow) int { return cmp.Compare(a.PageViews, b.PageViews) }
	case ByActions:
		c = func(a, b LeaderboardRow) int { return cmp.Compare(a.Actions, b.Actions) }
	case ByAvgDuration:
		c = func(a, b LeaderboardRow) int { return cmp.Compare(a.AvgDuration, b.AvgDuration) }
	default:
		return
	}
	slices.SortStableFunc(rows, func(a, b LeaderboardRow) int {
		if q.Desc {
			return c(b, a)
		}
		return c(a, b)
	})
}

// describePartners fills names, types and logos from the directory.
func (r *Reports) describePartners(ctx context.Context, rows []LeaderboardRow) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]int64, len(rows))
	for i, row := range rows {
		ids[i] = row.PartnerID
	}
	info, err := partnerInfo(ctx, r.db, ids)
	if err != nil {
		return err
	}
	for i := range rows {
		p := info[rows[i].PartnerID]
		rows[i].Name, rows[i].Slug, rows[i].Type, rows[i].LogoURL = p.Name, p.Slug, p.Type, p.LogoURL
		rows[i].key = strings.ToLower(p.Name)
	}
	return nil
}

type partnerDesc struct {
	ID                        int64
	Name, Slug, Type, LogoURL string
}

// partnerInfo describes the partners with these ids. For many ids it reads
// the whole directory in one pass, which beats looking each one up.
func partnerInfo(ctx context.Context, db *bun.DB, ids []int64) (map[int64]partnerDesc, error) {
	out := make(map[int64]partnerDesc, len(ids))
	var want map[int64]bool
	q, args := `SELECT id, name, slug, type, logo_url FROM partners WHERE id IN (?)`, []any{bun.List(ids)}
	if len(ids) > 200 {
		want = make(map[int64]bool, len(ids))
		for _, id := range ids {
			want[id] = true
		}
		q, args = `SELECT id, name, slug, type, logo_url FROM partners`, nil
	}
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("engagement: read partners: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p partnerDesc
		if err := rows.Scan(&p.ID, &p.Name, &p.Slug, &p.Type, &p.LogoURL); err != nil {
			return nil, err
		}
		if want == nil || want[p.ID] {
			out[p.ID] = p
		}
	}
	return out, rows.Err()
}
