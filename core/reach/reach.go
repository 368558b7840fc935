// Package reach answers, in one place, which partners' records a viewer may
// read and which they may change. Every capability that holds partner data
// (the pipeline, files and shared spaces, tasks, plugin storage, the
// dashboards, the staff pages and the REST API) asks a [Resolver] for the
// viewer's [Reach] and filters with it, in Go ([Reach.CanRead],
// [Reach.CanWrite]) and in SQL ([Reach.Where], [Reach.WhereWritable]), so
// no capability works the rule out again.
//
// The rule:
//   - an admin reaches every partner, to read and to change;
//   - a partner manager the partners they manage, and, when the program's
//     network rule says so, those partners' sub-partners;
//   - a partner's users their own partner, and, when their partner's type
//     may have sub-partners, read its sub-partners' records too;
//   - a preview, a deactivated or unknown user, and the zero value nobody.
//
// A service loads an object "for the viewer" in one call that filters by
// the reach in SQL, so a record outside it is missing, exactly like one
// that does not exist (a 404 at the edge).
package reach

import (
	"slices"

	"github.com/uptrace/bun"
)

// Reach is the set of partners a viewer may read and the set they may
// change. The zero value reaches nobody: a forgotten reach shows nothing
// rather than everything.
type Reach struct {
	all   bool
	staff bool
	read  []int64 // sorted, unique, positive
	write []int64 // sorted, unique, positive, within read
}

// Everyone is an admin's reach: every partner, to read and to change.
func Everyone() Reach { return Reach{all: true, staff: true} }

// Staff is a partner manager's reach: the partners they may read and
// change.
func Staff(ids []int64) Reach {
	set := clean(ids)
	return Reach{staff: true, read: set, write: set}
}

// Partner is a partner user's reach: their own partner to read and change,
// and others (a distributor's sub-partners) to read only.
func Partner(own int64, readAlso []int64) Reach {
	if own <= 0 {
		return Reach{}
	}
	return Reach{read: clean(append([]int64{own}, readAlso...)), write: []int64{own}}
}

// ReadOnly reaches ids to read and nothing to change, for reports that a
// caller narrowed on purpose.
func ReadOnly(ids []int64) Reach { return Reach{read: clean(ids)} }

func clean(ids []int64) []int64 {
	out := slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return id <= 0 })
	slices.Sort(out)
	return slices.Compact(out)
}

// CanRead reports whether the viewer may read a partner's records.
func (r Reach) CanRead(partnerID int64) bool {
	if partnerID <= 0 {
		return false
	}
	if r.all {
		return true
	}
	_, ok := slices.BinarySearch(r.read, partnerID)
	return ok
}

// CanWrite reports whether the viewer may change a partner's records.
func (r Reach) CanWrite(partnerID int64) bool {
	if partnerID <= 0 {
		return false
	}
	if r.all {
		return true
	}
	_, ok := slices.BinarySearch(r.write, partnerID)
	return ok
}

// Manages reports whether the viewer works a partner from the vendor's
// side: staff who may change its records. Staff-only operations (moving a
// lead, approving a deal, paying a commission) ask this.
func (r Reach) Manages(partnerID int64) bool { return r.staff && r.CanWrite(partnerID) }

// IsStaff reports whether the reach is a staff member's (an admin's or a
// manager's), whatever partners it holds.
func (r Reach) IsStaff() bool { return r.staff }

// Everyone reports whether the reach is every partner.
func (r Reach) Everyone() bool { return r.all }

// None reports whether the viewer reads no partner at all.
func (r Reach) None() bool { return !r.all && len(r.read) == 0 }

// IDs lists the partners the viewer reads: nil when that is everyone, and
// a non-nil (maybe empty) list otherwise, so a filter built from it never
// mistakes "nobody" for "no filter".
func (r Reach) IDs() []int64 {
	if r.all {
		return nil
	}
	return append([]int64{}, r.read...)
}

// WriteIDs lists the partners the viewer changes, like [Reach.IDs].
func (r Reach) WriteIDs() []int64 {
	if r.all {
		return nil
	}
	return append([]int64{}, r.write...)
}

// Several reports whether the viewer reads more than one partner, so lists
// should say whose each record is.
func (r Reach) Several() bool { return r.all || len(r.read) > 1 }

// Where narrows a query to rows whose partner column (such as
// "l.partner_id") names a partner the viewer reads.
func (r Reach) Where(q *bun.SelectQuery, col string) *bun.SelectQuery {
	return narrow(q, col, r.all, r.read)
}

// WhereWritable narrows a query to rows of partners the viewer may change.
func (r Reach) WhereWritable(q *bun.SelectQuery, col string) *bun.SelectQuery {
	return narrow(q, col, r.all, r.write)
}

// WhereOnly narrows a query to one partner's rows when only is set (and
// to none when the viewer does not read that partner), and otherwise to
// every partner the viewer reads.
func (r Reach) WhereOnly(q *bun.SelectQuery, col string, only int64) *bun.SelectQuery {
	if only == 0 {
		return r.Where(q, col)
	}
	if !r.CanRead(only) {
		return q.Where("1 = 0")
	}
	return q.Where(col+" = ?", only)
}

func narrow(q *bun.SelectQuery, col string, all bool, ids []int64) *bun.SelectQuery {
	switch {
	case all:
		return q
	case len(ids) == 0:
		return q.Where("1 = 0")
	case len(ids) == 1:
		return q.Where(col+" = ?", ids[0])
	}
	return q.Where(col+" IN (?)", bun.List(ids))
}
