package engagement

import (
	"fmt"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/i18n"
)

func TestBucketChoice(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		days int
		want Bucket
	}{
		{1, BucketDay}, {13, BucketDay}, {14, BucketWeek}, {60, BucketWeek}, {61, BucketMonth}, {730, BucketMonth},
	} {
		if got := BucketForDays(tc.days); got != tc.want {
			t.Errorf("BucketForDays(%d) = %s, want %s", tc.days, got, tc.want)
		}
		if got := BucketFor(from, from.AddDate(0, 0, tc.days)); got != tc.want {
			t.Errorf("BucketFor(%d days) = %s, want %s", tc.days, got, tc.want)
		}
	}
}

func TestBucketSpans(t *testing.T) {
	span := func(from, to int32) string {
		b, spans := bucketDays(from, to)
		s := string(b)
		for _, sp := range spans {
			y1, m1, d1 := date(sp[0])
			y2, m2, d2 := date(sp[1])
			s += fmt.Sprintf(" %d-%02d-%02d..%d-%02d-%02d", y1, m1, d1, y2, m2, d2)
		}
		return s
	}
	for _, tc := range []struct {
		from, to int32
		want     string
	}{
		// 14 days from Saturday 3 January 2026: weeks run Monday to Sunday.
		{day(2026, 1, 3), day(2026, 1, 17), "week 2026-01-03..2026-01-05 2026-01-05..2026-01-12 2026-01-12..2026-01-17"},
		{day(2026, 1, 30), day(2026, 2, 2), "day 2026-01-30..2026-01-31 2026-01-31..2026-02-01 2026-02-01..2026-02-02"},
		{day(2025, 12, 15), day(2026, 3, 10), "month 2025-12-15..2026-01-01 2026-01-01..2026-02-01 2026-02-01..2026-03-01 2026-03-01..2026-03-10"},
	} {
		if got := span(tc.from, tc.to); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
}

func TestCover(t *testing.T) {
	describe := func(rs []periodRange) string {
		s := ""
		for _, r := range rs {
			s += fmt.Sprintf("[%d %d-%d]", level(r.lo), r.lo, r.hi)
		}
		return s
	}
	for _, tc := range []struct {
		from, to int32
		want     []periodRange
	}{
		{day(2026, 3, 5), day(2026, 3, 9), []periodRange{{day(2026, 3, 5), day(2026, 3, 8)}}},
		{day(2026, 3, 1), day(2026, 4, 1), []periodRange{{monthPeriod(2026, 3), monthPeriod(2026, 3)}}},
		{day(2025, 1, 1), day(2027, 1, 1), []periodRange{{yearPeriod(2025), yearPeriod(2026)}}},
		{day(2024, 11, 20), day(2026, 2, 3), []periodRange{
			{day(2024, 11, 20), day(2024, 11, 30)},
			{monthPeriod(2024, 12), monthPeriod(2024, 12)},
			{yearPeriod(2025), yearPeriod(2025)},
			{monthPeriod(2026, 1), monthPeriod(2026, 1)},
			{day(2026, 2, 1), day(2026, 2, 2)},
		}},
	} {
		if got, want := describe(cover(tc.from, tc.to)), describe(tc.want); got != want {
			t.Errorf("cover = %s, want %s", got, want)
		}
	}
	// Every day of a long range is covered exactly once.
	for from := day(2023, 12, 25); from < day(2024, 3, 5); from += 3 {
		for _, to := range []int32{from + 1, from + 40, from + 400, from + 800} {
			seen := map[int32]int{}
			for _, r := range cover(from, to) {
				for p := r.lo; p <= r.hi; p++ {
					a, b := periodDays(p)
					for d := a; d < b; d++ {
						seen[d]++
					}
				}
			}
			if len(seen) != int(to-from) {
				t.Fatalf("cover(%d, %d) covers %d days, want %d", from, to, len(seen), to-from)
			}
			for d, n := range seen {
				if d < from || d >= to || n != 1 {
					t.Fatalf("cover(%d, %d): day %d covered %d times", from, to, d, n)
				}
			}
		}
	}
}

func TestCivilDays(t *testing.T) {
	for d := civil(1999, 12, 1); d < civil(2031, 3, 1); d++ {
		y, m, dd := date(d)
		if civil(y, m, dd) != d {
			t.Fatalf("civil(date(%d)) = %d", d, civil(y, m, dd))
		}
		if got := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Unix() / 86400; got != int64(d) {
			t.Fatalf("day %d is %d-%d-%d, which is unix day %d", d, y, m, dd, got)
		}
	}
}

func TestQuickRanges(t *testing.T) {
	berlin := mustLoc(t, "Europe/Berlin")
	now := time.Date(2026, 11, 26, 15, 4, 0, 0, berlin)
	d := func(y int, m time.Month, dd int) string {
		return time.Date(y, m, dd, 0, 0, 0, 0, berlin).Format(time.RFC3339)
	}
	for q, want := range map[QuickRange][2]string{
		Last30Days:  {d(2026, 10, 28), d(2026, 11, 27)},
		ThisMonth:   {d(2026, 11, 1), d(2026, 11, 27)},
		LastMonth:   {d(2026, 10, 1), d(2026, 11, 1)},
		ThisQuarter: {d(2026, 10, 1), d(2026, 11, 27)},
		LastQuarter: {d(2026, 7, 1), d(2026, 10, 1)},
		ThisYear:    {d(2026, 1, 1), d(2026, 11, 27)},
		LastYear:    {d(2025, 1, 1), d(2026, 1, 1)},
	} {
		from, to := q.Range(now)
		if got := [2]string{from.Format(time.RFC3339), to.Format(time.RFC3339)}; got != want {
			t.Errorf("%s = %v, want %v", q, got, want)
		}
	}
	jan := time.Date(2026, 1, 5, 8, 0, 0, 0, berlin)
	if from, to := LastQuarter.Range(jan); from.Format(time.DateOnly) != "2025-10-01" || to.Format(time.DateOnly) != "2026-01-01" {
		t.Errorf("last quarter in January = %s..%s", from, to)
	}
	if from, to := LastMonth.Range(jan); from.Format(time.DateOnly) != "2025-12-01" || to.Format(time.DateOnly) != "2026-01-01" {
		t.Errorf("last month in January = %s..%s", from, to)
	}
	if !ThisQuarter.Valid() || QuickRange("yesterday").Valid() {
		t.Error("Valid is wrong")
	}
}

func TestPeriods(t *testing.T) {
	now := time.Date(2026, 2, 10, 12, 0, 0, 0, time.UTC)
	got := fmt.Sprint(RecentPeriods(PeriodQuarter, now, 3), RecentPeriods(PeriodMonth, now, 3), RecentPeriods(PeriodYear, now, 2))
	if want := "[2026-Q1 2025-Q4 2025-Q3] [2026-02 2026-01 2025-12] [2026 2025]"; got != want {
		t.Errorf("recent periods = %s, want %s", got, want)
	}
	for _, s := range []string{"2025-Q4", "2026-02", "2024"} {
		p, err := ParsePeriod(s)
		if err != nil || p.String() != s {
			t.Errorf("ParsePeriod(%q) = %v, %v", s, p, err)
		}
	}
	for _, s := range []string{"2025-Q5", "2026-13", "26", "2026-1", "x"} {
		if _, err := ParsePeriod(s); err == nil {
			t.Errorf("ParsePeriod(%q) accepted", s)
		}
	}
	_, err := ParsePeriod("2026-13")
	if e := fail.As(err); e.Message != `period "2026-13": use 2026, 2026-Q1 or 2026-03` ||
		e.In(i18n.Locale("de")).Message != `Zeitraum "2026-13": verwenden Sie 2026, 2026-Q1 oder 2026-03` {
		t.Errorf("a bad period: %q, in German %q", e.Message, e.In(i18n.Locale("de")).Message)
	}
	p, _ := ParsePeriod("2025-Q4")
	from, to := p.Range(time.UTC)
	if from.Format(time.DateOnly) != "2025-10-01" || to.Format(time.DateOnly) != "2026-01-01" || p.Label() != "Q4 2025" {
		t.Errorf("2025-Q4 = %s..%s %q", from, to, p.Label())
	}
}
