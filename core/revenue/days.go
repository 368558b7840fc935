package revenue

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"
)

// The daily counts (migrations/20261204000001) hold the pipeline per UTC
// day and partner type, kept by triggers. A panel for every partner or a
// partner type reads the whole UTC days of its range from them and only
// the hours at the range's edges from the pipeline's rows: a year of a
// large program is then a few thousand rows instead of a million index
// entries. A distributor's whole network has its own daily counts of deals
// and commissions per parent partner (migrations/20261212000010), read the
// same way. Panels for picked or managed partners read the pipeline's
// rows, which an index by partner already narrows to a few.

// cover splits a range of instants into what the daily counts answer and
// what the pipeline's rows must.
type cover struct {
	// first and last are the UTC days [first, last) (days since
	// 1970-01-01) read from the daily counts; first == last when none.
	first, last int64
	// skip are days in [first, last) that a bucket boundary cuts: they are
	// read from the rows with the rest of raw.
	skip []int64
	// raw are the spans of instants read from the pipeline's rows, in
	// order.
	raw [][2]time.Time
}

// utcDay is the UTC day holding t, as days since 1970-01-01, and whether t
// is that day's midnight.
func utcDay(t time.Time) (int64, bool) {
	s := t.Unix()
	d := s / 86400
	if s < 0 && s%86400 != 0 {
		d--
	}
	return d, s == d*86400 && t.Nanosecond() == 0
}

// dayStart is the midnight starting UTC day d.
func dayStart(d int64) time.Time { return time.Unix(d*86400, 0).UTC() }

// coverOf covers [from, to). cuts are instants inside the range where the
// caller splits it further (the timeline's buckets): a UTC day that a cut
// falls inside is read from the rows, so every daily row lies wholly in
// one bucket.
func coverOf(from, to time.Time, cuts ...time.Time) cover {
	first, fromMidnight := utcDay(from)
	if !fromMidnight {
		first++
	}
	last, _ := utcDay(to)
	if first >= last { // no whole UTC day inside: all from the rows
		return cover{raw: [][2]time.Time{{from, to}}}
	}
	c := cover{first: first, last: last}
	if !fromMidnight {
		c.raw = append(c.raw, [2]time.Time{from, dayStart(first)})
	}
	for _, t := range cuts {
		if d, midnight := utcDay(t); !midnight && d >= first && d < last && !slices.Contains(c.skip, d) {
			c.skip = append(c.skip, d)
			c.raw = append(c.raw, [2]time.Time{dayStart(d), dayStart(d + 1)})
		}
	}
	if end := dayStart(last); end.Before(to) {
		c.raw = append(c.raw, [2]time.Time{end, to})
	}
	slices.SortFunc(c.raw, func(a, b [2]time.Time) int { return a[0].Compare(b[0]) })
	return c
}

// networkDays names the daily tables per network beside those per partner
// type: a network has its own deals and commissions by day (its leads are
// counted per partner, see [Reports.ByPartner]).
var networkDays = map[string]string{
	"revenue_deal_days":       "revenue_network_deal_days",
	"revenue_commission_days": "revenue_network_commission_days",
}

// dailyTable is the table of daily counts that answers table's panel for
// the partners, if any: every partner's or a partner type's from the
// table itself, a whole network's from its network twin.
func (p partners) dailyTable(table string) (string, bool) {
	switch {
	case p.all:
		return table, true
	case p.network != 0:
		t, ok := networkDays[table]
		return t, ok
	}
	return "", false
}

// days narrows a query over one of the daily tables to the cover's days
// and the partners' types or network.
func (c cover) days(q *bun.SelectQuery, ps partners) *bun.SelectQuery {
	q = q.Where("x.day >= ? AND x.day < ?", c.first, c.last)
	if len(c.skip) > 0 {
		q = q.Where("x.day NOT IN (?)", bun.List(c.skip))
	}
	if ps.network != 0 {
		q = q.Where("x.parent_id = ?", ps.network)
	}
	if len(ps.types) > 0 {
		q = q.Where("x.partner_type IN (?)", bun.List(ps.types))
	}
	return q
}

// gather runs one of a panel's sums over [from, to): where daily counts
// answer table's panel for the partners (see [partners.dailyTable]), daily
// over the cover's whole days of that table (aliased x) plus rows(span)
// over the rest; otherwise rows over the whole range. What it returns are
// partial sums the caller adds up by their key.
func gather[T any](ctx context.Context, r *Reports, ps partners, from, to time.Time, cuts []time.Time, table string,
	daily func(*bun.SelectQuery) *bun.SelectQuery, rows func(from, to time.Time) *bun.SelectQuery) ([]T, error) {
	var out []T
	table, ok := ps.dailyTable(table)
	if !ok || r.direct {
		err := rows(from, to).Scan(ctx, &out)
		return out, err
	}
	c := coverOf(from, to, cuts...)
	if c.first < c.last {
		// A count that fell to zero keeps its row; it is left out, as the
		// rows leave out a currency or stage with nothing in it.
		if err := daily(c.days(r.db.NewSelect().TableExpr(table+" AS x"), ps)).Having("sum(x.n) <> 0").Scan(ctx, &out); err != nil {
			return nil, fmt.Errorf("daily counts: %w", err)
		}
	}
	for _, s := range c.raw {
		var part []T
		if err := rows(s[0], s[1]).Scan(ctx, &part); err != nil {
			return nil, err
		}
		out = append(out, part...)
	}
	return out, nil
}
