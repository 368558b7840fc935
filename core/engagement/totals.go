package engagement

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
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

// noRows is the first day of a partner without rows.
const noRows = math.MaxInt32

type totalsDelta struct {
	partner int64
	day     int32
	stat
}

// writeTotals adds one chunk's day-level deltas to the running totals, in
// the chunk's transaction. Partners seen for the first time (or on an
// earlier day than before) get zero rows from that day up to the last day
// written; deltas on days already written are added to their day and every
// later one; then the days after the last one are computed here from every
// partner's last row plus the chunk's deltas, and inserted in batches. The
// job folds in time order, so nearly all of a chunk's deltas take the last
// path: a rebuild writes each row once.
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
	last := ts.last

	// Partners whose first delta on a day already written comes before
	// their first row (or who have none): zero rows from that day to last.
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
			first = noRows
			if last > 0 {
				var f sql.NullInt64
				if err := tx.QueryRowContext(ctx, j.q(`SELECT MIN(day) FROM engagement_partner_totals WHERE partner_id = ?`), d.partner).Scan(&f); err != nil {
					return fmt.Errorf("first day of partner %d: %w", d.partner, err)
				}
				if f.Valid {
					first = int32(f.Int64)
				}
			}
		}
		if d.day < first && d.day <= last {
			spans = append(spans, span{d.partner, d.day, min(first-1, last)})
		}
		// A partner's rows start at its first delta: zero rows above, or its
		// run of new days below.
		ts.first[d.partner] = min(first, d.day)
	}
	n := 0
	for _, s := range spans {
		n += int(s.to-s.from) + 1
	}
	si, day := 0, int32(0)
	if len(spans) > 0 {
		day = spans[0].from
	}
	insert := `INSERT INTO engagement_partner_totals (day, partner_id, sessions, duration_ms, page_views, actions) VALUES `
	if err := upsert(ctx, tx, j.pg, insert, 6, "", n, func(_ int, a []any) []any {
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

	// Deltas on days already written.
	var add *sql.Stmt
	for _, d := range ds {
		if d.day > last {
			continue
		}
		if add == nil {
			var err error
			if add, err = tx.PrepareContext(ctx, j.q(`UPDATE engagement_partner_totals SET sessions = sessions + ?, duration_ms = duration_ms + ?,
				page_views = page_views + ?, actions = actions + ? WHERE partner_id = ? AND day >= ?`)); err != nil {
				return err
			}
			defer add.Close()
		}
		if _, err := add.ExecContext(ctx, d.sessions, d.durationMS, d.pageViews, d.actions, d.partner, d.day); err != nil {
			return fmt.Errorf("add to totals of partner %d: %w", d.partner, err)
		}
	}
	if maxDay <= last {
		return nil
	}

	// The new days: every partner's last row (as updated above) carried
	// forward, plus the chunk's deltas.
	type run struct {
		partner int64
		from    int32 // first new day with a row
		stat
	}
	var runs []run
	if last > 0 {
		rows, err := tx.QueryContext(ctx, j.q(`SELECT partner_id, sessions, duration_ms, page_views, actions FROM engagement_partner_totals
			WHERE day = ? ORDER BY partner_id`), last)
		if err != nil {
			return fmt.Errorf("read totals of day %d: %w", last, err)
		}
		for rows.Next() {
			r := run{from: last + 1}
			if err := rows.Scan(&r.partner, &r.sessions, &r.durationMS, &r.pageViews, &r.actions); err != nil {
				rows.Close()
				return err
			}
			runs = append(runs, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	// New partners whose first delta is after last.
	known := make(map[int64]bool, len(runs))
	for _, r := range runs {
		known[r.partner] = true
	}
	for i, d := range ds {
		if d.day > last && !known[d.partner] && (i == 0 || ds[i-1].partner != d.partner) {
			runs = append(runs, run{partner: d.partner, from: d.day})
			known[d.partner] = true
		}
	}
	slices.SortFunc(runs, func(a, b run) int { return cmp.Compare(a.partner, b.partner) })
	n = 0
	for _, r := range runs {
		n += int(maxDay-r.from) + 1
	}
	ri, di := 0, 0 // current run, and next delta of its partner
	day = 0
	if len(runs) > 0 {
		day = runs[0].from
	}
	seek := func() { // first delta of runs[ri].partner after last
		for di < len(ds) && (ds[di].partner < runs[ri].partner || (ds[di].partner == runs[ri].partner && ds[di].day <= last)) {
			di++
		}
	}
	if len(runs) > 0 {
		seek()
	}
	if err := upsert(ctx, tx, j.pg, insert, 6, "", n, func(_ int, a []any) []any {
		if day > maxDay {
			ri++
			day = runs[ri].from
			seek()
		}
		r := &runs[ri]
		if di < len(ds) && ds[di].partner == r.partner && ds[di].day == day {
			r.stat.add(ds[di].stat)
			di++
		}
		a = append(a, day, r.partner, r.sessions, r.durationMS, r.pageViews, r.actions)
		day++
		return a
	}); err != nil {
		return fmt.Errorf("carry totals to day %d: %w", maxDay, err)
	}
	ts.last = maxDay
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
