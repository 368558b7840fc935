package engagement

import "time"

// Rollups are kept per period: a day, a month or a year of the reporting
// zone, each encoded in one int32 so a range of periods of one level is a
// range of integers:
//
//	day    days since 1970-01-01 (a civil date, whatever the zone)
//	month  monthBase + year*12 + month-1
//	year   yearBase + year
//
// A range of days is answered from the fewest periods that cover it exactly
// (see cover): two years of rollups read a handful of year and month rows
// per partner instead of 730 day rows.
const (
	monthBase = 1_000_000
	yearBase  = 2_000_000
)

// civil returns the day number of a calendar date (days since 1970-01-01,
// proleptic Gregorian).
func civil(y int, m time.Month, d int) int32 {
	// Howard Hinnant's days_from_civil.
	yy := int64(y)
	if m <= 2 {
		yy--
	}
	era := yy / 400
	if yy < 0 && yy%400 != 0 {
		era = (yy - 399) / 400
	}
	yoe := yy - era*400
	mm := int64(m)
	var doy int64
	if mm > 2 {
		doy = (153*(mm-3)+2)/5 + int64(d) - 1
	} else {
		doy = (153*(mm+9)+2)/5 + int64(d) - 1
	}
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int32(era*146097 + doe - 719468)
}

// date returns the calendar date of a day number.
func date(day int32) (int, time.Month, int) {
	t := time.Unix(int64(day)*86400, 0).UTC()
	return t.Date()
}

// dayOf returns the day number of t's calendar date in t's own location.
func dayOf(t time.Time) int32 { return civil(t.Date()) }

// midnight returns the start of a day in loc.
func midnight(day int32, loc *time.Location) time.Time {
	y, m, d := date(day)
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

func monthPeriod(y int, m time.Month) int32 { return int32(monthBase + y*12 + int(m) - 1) }
func yearPeriod(y int) int32                { return int32(yearBase + y) }

// periodsOfDay returns the day, month and year periods a day belongs to.
func periodsOfDay(day int32) [3]int32 {
	y, m, _ := date(day)
	return [3]int32{day, monthPeriod(y, m), yearPeriod(y)}
}

// dayClock maps event times to day numbers in a zone, remembering the last
// day's bounds: events arrive in time order, so nearly every lookup is a
// comparison.
type dayClock struct {
	loc        *time.Location
	cur        int32
	start, end int64 // ms, [start, end)
}

func newDayClock(loc *time.Location) *dayClock { return &dayClock{loc: loc, start: 1, end: 0} }

func (c *dayClock) day(ms int64) int32 {
	if ms >= c.start && ms < c.end {
		return c.cur
	}
	c.cur = dayOf(time.UnixMilli(ms).In(c.loc))
	c.start = midnight(c.cur, c.loc).UnixMilli()
	c.end = midnight(c.cur+1, c.loc).UnixMilli()
	return c.cur
}

// periodRange is an inclusive range of periods of one level.
type periodRange struct{ lo, hi int32 }

// cover returns the fewest period ranges that together cover the days
// [from, to) exactly: leading days up to a month start, months up to a year
// start, whole years, then months and days again. It returns at most five
// ranges.
func cover(from, to int32) []periodRange {
	var out []periodRange
	add := func(p int32) {
		if n := len(out); n > 0 && out[n-1].hi+1 == p && level(p) == level(out[n-1].hi) {
			out[n-1].hi = p
			return
		}
		out = append(out, periodRange{p, p})
	}
	cur := from
	for cur < to {
		y, m, d := date(cur)
		_, nextMonth := periodDays(monthPeriod(y, m))
		nextYear := civil(y+1, 1, 1)
		switch {
		case m == 1 && d == 1 && nextYear <= to:
			add(yearPeriod(y))
			cur = nextYear
		case d == 1 && nextMonth <= to:
			add(monthPeriod(y, m))
			cur = nextMonth
		default:
			add(cur)
			cur++
		}
	}
	return out
}

// level is 0 for a day, 1 for a month, 2 for a year.
func level(p int32) int {
	switch {
	case p >= yearBase:
		return 2
	case p >= monthBase:
		return 1
	}
	return 0
}

// periodDays returns the first day and the day after the last of a period.
func periodDays(p int32) (int32, int32) {
	switch level(p) {
	case 2:
		y := int(p - yearBase)
		return civil(y, 1, 1), civil(y+1, 1, 1)
	case 1:
		n := int(p - monthBase)
		y, m := n/12, time.Month(n%12+1)
		if m == 12 {
			return civil(y, m, 1), civil(y+1, 1, 1)
		}
		return civil(y, m, 1), civil(y, m+1, 1)
	}
	return p, p + 1
}
