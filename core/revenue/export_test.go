package revenue

import (
	"time"

	"github.com/uptrace/bun"
)

// NewDirectReports returns reports that read every sum from the pipeline's
// rows, never the daily counts: the reference the tests and the benchmark
// compare the dashboard with.
func NewDirectReports(db *bun.DB, o Options) *Reports {
	r := NewReports(db, o)
	r.direct = true
	return r
}

// Cover is a [cover] with its fields exported for the tests.
type Cover struct {
	First, Last int64
	Skip        []int64
	Raw         [][2]time.Time
}

// CoverOf is [coverOf] for the tests.
func CoverOf(from, to time.Time, cuts ...time.Time) Cover {
	c := coverOf(from, to, cuts...)
	return Cover{First: c.first, Last: c.last, Skip: c.skip, Raw: c.raw}
}

// MonthPieces is [monthPieces] for the tests.
func MonthPieces(first, last int64) []Piece { return monthPieces(first, last) }

// MonthStart is [monthStart] for the tests.
func MonthStart(m int64) int64 { return monthStart(m) }
