package engagement

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/fail"
)

// Bucket is the width of a timeline point.
type Bucket string

// The buckets.
const (
	BucketDay   Bucket = "day"
	BucketWeek  Bucket = "week"  // Monday to Sunday, clipped to the range
	BucketMonth Bucket = "month" // calendar months, clipped to the range
)

// BucketForDays chooses the timeline's bucket for a range of n days: days
// under 14 days, weeks from 14 to 60 days, months from 61 days.
func BucketForDays(n int) Bucket {
	switch {
	case n < 14:
		return BucketDay
	case n <= 60:
		return BucketWeek
	}
	return BucketMonth
}

// BucketFor chooses the timeline's bucket for the days [from, to).
func BucketFor(from, to time.Time) Bucket { return BucketForDays(int(dayOf(to) - dayOf(from))) }

// QuickRange names a range relative to today, for the dashboard's shortcuts
// and for URLs.
type QuickRange string

// The quick ranges. "This" ranges run to the end of today, so a period that
// has only begun is compared with a previous period of the same length;
// "last" ranges are whole periods.
const (
	Last30Days  QuickRange = "last-30-days"
	ThisMonth   QuickRange = "this-month"
	LastMonth   QuickRange = "last-month"
	ThisQuarter QuickRange = "this-quarter"
	LastQuarter QuickRange = "last-quarter"
	ThisYear    QuickRange = "this-year"
	LastYear    QuickRange = "last-year"
)

// QuickRanges lists the quick ranges in the order the dashboard offers them.
func QuickRanges() []QuickRange {
	return []QuickRange{Last30Days, ThisMonth, LastMonth, ThisQuarter, LastQuarter, ThisYear, LastYear}
}

// Valid reports whether q is one of the quick ranges.
func (q QuickRange) Valid() bool {
	for _, r := range QuickRanges() {
		if q == r {
			return true
		}
	}
	return false
}

// Range returns the days [from, to) of q, as midnights in now's location.
func (q QuickRange) Range(now time.Time) (from, to time.Time) {
	loc := now.Location()
	y, m, d := now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, loc)
	tomorrow := today.AddDate(0, 0, 1)
	qm := time.Month((int(m)-1)/3*3 + 1) // first month of the quarter
	switch q {
	case Last30Days:
		return today.AddDate(0, 0, -29), tomorrow
	case ThisMonth:
		return time.Date(y, m, 1, 0, 0, 0, 0, loc), tomorrow
	case LastMonth:
		end := time.Date(y, m, 1, 0, 0, 0, 0, loc)
		return end.AddDate(0, -1, 0), end
	case ThisQuarter:
		return time.Date(y, qm, 1, 0, 0, 0, 0, loc), tomorrow
	case LastQuarter:
		end := time.Date(y, qm, 1, 0, 0, 0, 0, loc)
		return end.AddDate(0, -3, 0), end
	case ThisYear:
		return time.Date(y, 1, 1, 0, 0, 0, 0, loc), tomorrow
	case LastYear:
		return time.Date(y-1, 1, 1, 0, 0, 0, 0, loc), time.Date(y, 1, 1, 0, 0, 0, 0, loc)
	}
	return today.AddDate(0, 0, -29), tomorrow
}

// PeriodKind is the length of a calendar period in the period picker.
type PeriodKind string

// The period kinds.
const (
	PeriodMonth   PeriodKind = "monthly"
	PeriodQuarter PeriodKind = "quarterly"
	PeriodYear    PeriodKind = "annual"
)

// Period is one calendar month, quarter or year.
type Period struct {
	Kind PeriodKind
	Year int
	// N is the month (1–12) or the quarter (1–4); 0 for a year.
	N int
}

// PeriodOf returns the period of the given kind that contains t.
func PeriodOf(kind PeriodKind, t time.Time) Period {
	switch kind {
	case PeriodMonth:
		return Period{kind, t.Year(), int(t.Month())}
	case PeriodQuarter:
		return Period{kind, t.Year(), (int(t.Month())-1)/3 + 1}
	}
	return Period{PeriodYear, t.Year(), 0}
}

// Range returns the period's days [from, to) as midnights in loc.
func (p Period) Range(loc *time.Location) (from, to time.Time) {
	switch p.Kind {
	case PeriodMonth:
		from = time.Date(p.Year, time.Month(p.N), 1, 0, 0, 0, 0, loc)
		return from, from.AddDate(0, 1, 0)
	case PeriodQuarter:
		from = time.Date(p.Year, time.Month((p.N-1)*3+1), 1, 0, 0, 0, 0, loc)
		return from, from.AddDate(0, 3, 0)
	}
	from = time.Date(p.Year, 1, 1, 0, 0, 0, 0, loc)
	return from, from.AddDate(1, 0, 0)
}

// Prev returns the period before p.
func (p Period) Prev() Period {
	switch p.Kind {
	case PeriodMonth:
		if p.N == 1 {
			return Period{p.Kind, p.Year - 1, 12}
		}
		return Period{p.Kind, p.Year, p.N - 1}
	case PeriodQuarter:
		if p.N == 1 {
			return Period{p.Kind, p.Year - 1, 4}
		}
		return Period{p.Kind, p.Year, p.N - 1}
	}
	return Period{p.Kind, p.Year - 1, 0}
}

// String is the period's URL form: "2026-03", "2026-Q1" or "2026".
func (p Period) String() string {
	switch p.Kind {
	case PeriodMonth:
		return fmt.Sprintf("%04d-%02d", p.Year, p.N)
	case PeriodQuarter:
		return fmt.Sprintf("%04d-Q%d", p.Year, p.N)
	}
	return fmt.Sprintf("%04d", p.Year)
}

// Label is the period for people: "March 2026", "Q1 2026", "2026".
func (p Period) Label() string {
	switch p.Kind {
	case PeriodMonth:
		return fmt.Sprintf("%s %d", time.Month(p.N), p.Year)
	case PeriodQuarter:
		return fmt.Sprintf("Q%d %d", p.N, p.Year)
	}
	return strconv.Itoa(p.Year)
}

// ParsePeriod reads a period's URL form.
func ParsePeriod(s string) (Period, error) {
	bad := fail.Msg(fail.Invalid, "invalid.staff.period", "Period", strconv.Quote(s))
	y, rest, _ := strings.Cut(s, "-")
	year, err := strconv.Atoi(y)
	if err != nil || len(y) != 4 {
		return Period{}, bad
	}
	switch {
	case rest == "":
		return Period{PeriodYear, year, 0}, nil
	case len(rest) == 2 && rest[0] == 'Q':
		n, err := strconv.Atoi(rest[1:])
		if err != nil || n < 1 || n > 4 {
			return Period{}, bad
		}
		return Period{PeriodQuarter, year, n}, nil
	default:
		n, err := strconv.Atoi(rest)
		if err != nil || len(rest) != 2 || n < 1 || n > 12 {
			return Period{}, bad
		}
		return Period{PeriodMonth, year, n}, nil
	}
}

// RecentPeriods lists the n periods of a kind up to the one containing now,
// newest first, for the period picker.
func RecentPeriods(kind PeriodKind, now time.Time, n int) []Period {
	out := make([]Period, 0, n)
	p := PeriodOf(kind, now)
	for range n {
		out = append(out, p)
		p = p.Prev()
	}
	return out
}
