package network

import (
	"slices"
	"time"
)

// The counts per partner (migrations/20261212000010 and
// 20261213000010) are kept per UTC month and per UTC day. A range of the
// dashboard, days in the reporting zone, is read as the whole UTC days it
// holds from those counts, split into month and day pieces, and the hours
// a zone off UTC puts at its edges from the pipeline's rows. The split is
// core/revenue's (its cover and monthPieces), which counts the network's
// leads the same way.

// piece is a span [lo, hi) of UTC months or days, added with its sign.
type piece struct {
	months bool
	lo, hi int64
	sign   int64
}

// cover is a range of instants: the UTC days [first, last) the counts
// answer (first == last when none) and the spans of instants at its
// edges that the rows answer.
type cover struct {
	first, last int64
	raw         [][2]time.Time
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

// coverOf covers the instants [from, to).
func coverOf(from, to time.Time) cover {
	first, fromMidnight := utcDay(from)
	if !fromMidnight {
		first++
	}
	last, _ := utcDay(to)
	if first >= last {
		return cover{raw: [][2]time.Time{{from, to}}}
	}
	c := cover{first: first, last: last}
	if !fromMidnight {
		c.raw = append(c.raw, [2]time.Time{from, dayStart(first)})
	}
	if end := dayStart(last); end.Before(to) {
		c.raw = append(c.raw, [2]time.Time{end, to})
	}
	return c
}

// monthPieces covers the whole UTC days [first, last) with the whole
// months inside from the month rows and the days at either end from the
// day rows; a stretch of more than half a month at an end is read as its
// month less the month's other days, so a partner's range reads at most
// about a fortnight of day rows at either end.
func monthPieces(first, last int64) []piece {
	day := func(lo, hi, sign int64) piece { return piece{lo: lo, hi: hi, sign: sign} }
	month := func(lo, hi, sign int64) piece { return piece{months: true, lo: lo, hi: hi, sign: sign} }
	m1, m2 := monthOf(first), monthOf(last)
	if m1 == m2 {
		return []piece{day(first, last, 1)}
	}
	var out []piece
	if s, e := monthStart(m1), monthStart(m1+1); first == s {
		out = append(out, month(m1, m1+1, 1))
	} else if first-s < e-first {
		out = append(out, month(m1, m1+1, 1), day(s, first, -1))
	} else {
		out = append(out, day(first, e, 1))
	}
	if m1+1 < m2 {
		out = append(out, month(m1+1, m2, 1))
	}
	if s, e := monthStart(m2), monthStart(m2+1); last == s {
		// nothing of it
	} else if last-s > e-last {
		out = append(out, month(m2, m2+1, 1), day(last, e, -1))
	} else {
		out = append(out, day(s, last, 1))
	}
	// Adjacent months read as one span.
	var months []piece
	out = slices.DeleteFunc(out, func(p piece) bool {
		if !p.months {
			return false
		}
		if n := len(months); n > 0 && months[n-1].hi == p.lo {
			months[n-1].hi = p.hi
		} else {
			months = append(months, p)
		}
		return true
	})
	return append(months, out...)
}

// monthOf is the UTC month (months since January 1970) holding UTC day d.
func monthOf(d int64) int64 {
	t := dayStart(d)
	return int64(t.Year()-1970)*12 + int64(t.Month()) - 1
}

// monthStart is the UTC day on which month m starts.
func monthStart(m int64) int64 {
	d, _ := utcDay(time.Date(1970+int(m/12), time.Month(m%12+1), 1, 0, 0, 0, 0, time.UTC))
	return d
}
