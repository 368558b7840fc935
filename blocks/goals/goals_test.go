package goals

import (
	"testing"
	"time"
)

func TestPeriod(t *testing.T) {
	at := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		period, from, to, label string
	}{
		{"month", "2026-11-01", "2026-12-01", "November 2026"},
		{"quarter", "2026-10-01", "2027-01-01", "Q4 2026"},
		{"", "2026-10-01", "2027-01-01", "Q4 2026"},
		{"year", "2026-01-01", "2027-01-01", "2026"},
	} {
		from, to, label := Period(at, c.period)
		if from.Format(time.DateOnly) != c.from || to.Format(time.DateOnly) != c.to || label != c.label {
			t.Errorf("%q: %s..%s %q", c.period, from, to, label)
		}
	}
}
