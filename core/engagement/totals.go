package engagement

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
)

// Running totals (engagement_partner_totals) answer per-partner sums over
// any range from two rows per partner: for every partner and every day from
// its first activity to the last day folded, the partner's sessions,
// session time, page views and actions up to and including that day. The
// leaderboard and the at-risk panel rank every partner in scope, so with
// period rollups they read one row per partner for each day and month of
// the range's cover (over a hundred thousand rows for a year not aligned
// to months at 5,000 partners); with totals they read at most two per
// partner. Every partner's rows reach the same last day, so a day's rows
// for every partner are one contiguous range of the primary key.

// totalsState is what the job knows of the totals between chunks.
type totalsState struct {
	// last is the last day with rows (every partner with rows has one for
	// it); 0 when the table is empty.
	last int32
	// first is each partner's first day with a row, for the partners the
	// job has looked up; a partner missing here is looked up in the table.
	first map[int64]int32
}

func (j *Job) loadTotals(ctx context.Context) (totalsState, error) {
	var last sql.NullInt64
	if err := j.db.DB.QueryRowContext(ctx, `SELECT MAX(day) FROM engagement_partner_totals`).Scan(&last); err != nil {
		return totalsState{}, fmt.Errorf("engagement: load running totals: %w", err)
	}
	return totalsState{last: int32(last.Int64), first: map[int64]int32{}}, nil
}

type totalsDelta struct {
	partner int64
	day     int32
	stat
}

// writeTotals adds one chunk's day-level deltas to the running totals, in
// the chunk's transaction: it first carries every partner's rows forward to
// the chunk's last day, gives partners seen for the first time (or earlier
// than before) zero rows from their first day, then adds each delta to its
// day and every later one.
func (j *Job) writeTotals(ctx context.Context, tx *sql.Tx, deltas map[partnerDay]*stat) error {
	ts := &j.st.totals
	ds := make([]totalsDelta, 0, len(deltas))
	var maxDay int32
	for k, s := range deltas {
		if k.partner <= 0 {
			continue
		}
		ds = append(ds, totalsDelta{k.partner, k.day, *s})
		maxDay = max(maxDay, k.day)
	}
	if len(ds) == 0 {
		return nil
	}
	slices.SortFunc(ds, func(a, b totalsDelta) int {
		return cmp.Or(cmp.Compare(a.partner, b.partner), cmp.Compare(a.day, b.day))
	})
	if ts.last > 0 && maxDay > ts.last {
		carry, err := tx.PrepareContext(ctx, j.q(`INSERT INTO engagement_partner_totals (day, partner_id, sessions, duration_ms, page_views, actions)
			SELECT CAST(? AS INTEGER), partner_id, sessions, duration_ms, page_views, actions FROM engagement_partner_totals WHERE day = ?`))
		if err != nil {
			return err
		}
		defer carry.Close()
		for d := ts.last + 1; d <= maxDay; d++ {
			if _, err := carry.ExecContext(ctx, d, d-1); err != nil {
				return fmt.Errorf("carry totals to day %d: %w", d, err)
			}
		}
	}
	ts.last = max(ts.last, maxDay)

	// Partners whose first delta comes before their first row (or who have
	// none): zero rows from that day up to their first row.
	type span struct {
		partner  int64
		from, to int32 // [from, to]
	}
	var spans []span
	for i, d := range ds {
		if i > 0 && ds[i-1].partner == d.partner {
			continue
		}
		first, ok := ts.first[d.partner]
		if !ok {
			var f sql.NullInt64
			if err := tx.QueryRowContext(ctx, j.q(`SELECT MIN(day) FROM engagement_partner_totals WHERE partner_id = ?`), d.partner).Scan(&f); err != nil {
				return fmt.Errorf("first day of partner %d: %w", d.partner, err)
			}
			first = ts.last + 1
			if f.Valid {
				first = int32(f.Int64)
			}
		}
		if d.day < first {
			spans = append(spans, span{d.partner, d.day, first - 1})
			first = d.day
		}
		ts.first[d.partner] = first
	}
	n := 0
	for _, s := range spans {
		n += int(s.to-s.from) + 1
	}
	si, day := 0, int32(0)
	if len(spans) > 0 {
		day = spans[0].from
	}
	if err := upsert(ctx, tx, j.pg, `INSERT INTO engagement_partner_totals (day, partner_id, sessions, duration_ms, page_views, actions) VALUES `, 6, "",
		n, func(_ int, a []any) []any {
			for day > spans[si].to {
				si++
				day = spans[si].from
			}
			a = append(a, day, spans[si].partner, 0, 0, 0, 0)
			day++
			return a
		}); err != nil {
		return fmt.Errorf("start totals: %w", err)
	}

	add, err := tx.PrepareContext(ctx, j.q(`UPDATE engagement_partner_totals SET sessions = sessions + ?, duration_ms = duration_ms + ?,
		page_views = page_views + ?, actions = actions + ? WHERE partner_id = ? AND day >= ?`))
	if err != nil {
		return err
	}
	defer add.Close()
	for _, d := range ds {
		if _, err := add.ExecContext(ctx, d.sessions, d.durationMS, d.pageViews, d.actions, d.partner, d.day); err != nil {
			return fmt.Errorf("add to totals of partner %d: %w", d.partner, err)
		}
	}
	return nil
}

// partnerSums sums each partner's activity over the days [from, to) from
// the running totals: the row of the range's last day less the row of the
// day before it (a partner with no row then has zeros). Partners without
// activity in the range are left out.
func (r *Reports) partnerSums(ctx context.Context, ps partnerSet, from, to int32) (map[int64]stat, error) {
	out := map[int64]stat{}
	if ps.empty() || to <= from {
		return out, nil
	}
	var last sql.NullInt64
	if err := r.db.QueryRowContext(ctx, `SELECT MAX(day) FROM engagement_partner_totals`).Scan(&last); err != nil {
		return nil, fmt.Errorf("engagement: running totals: %w", err)
	}
	// Totals stay the same after the last day folded.
	hi, lo := min(to-1, int32(last.Int64)), min(from-1, int32(last.Int64))
	if !last.Valid || hi <= lo {
		return out, nil
	}
	cond := "a.partner_id > 0"
	if !ps.all {
		cond = "a.partner_id IN (" + inList(ps.list()) + ")"
	}
	rows, err := r.db.QueryContext(ctx, `SELECT a.partner_id, a.sessions - COALESCE(b.sessions, 0), a.duration_ms - COALESCE(b.duration_ms, 0),
			a.page_views - COALESCE(b.page_views, 0), a.actions - COALESCE(b.actions, 0)
		FROM engagement_partner_totals a
		LEFT JOIN engagement_partner_totals b ON b.day = `+strconv.Itoa(int(lo))+` AND b.partner_id = a.partner_id
		WHERE a.day = `+strconv.Itoa(int(hi))+` AND `+cond)
	if err != nil {
		return nil, fmt.Errorf("engagement: sum running totals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k int64
		var s stat
		if err := rows.Scan(&k, &s.sessions, &s.durationMS, &s.pageViews, &s.actions); err != nil {
			return nil, err
		}
		if s != (stat{}) {
			out[k] = s
		}
	}
	return out, rows.Err()
}
