package pipeline

import (
	"context"
	"fmt"
	"slices"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/sdk"
	"github.com/uptrace/bun"
)

// scope is which partners' records a viewer reaches: all of them (admins),
// or a list to read and a list to write.
type scope struct {
	all   bool
	read  []int64
	write []int64
	staff bool
}

// scopeFor works out a viewer's reach from the directory, every call: a
// changed manager or parent takes effect at once.
func (s *Service) scopeFor(ctx context.Context, v sdk.Viewer) (scope, error) {
	switch v.Role {
	case sdk.RoleAdmin:
		return scope{all: true, staff: true}, nil
	case sdk.RoleManager:
		ids, err := s.dir.ManagedPartnerIDs(ctx, v.UserID)
		if err != nil {
			return scope{}, err
		}
		return scope{read: ids, write: ids, staff: true}, nil
	case sdk.RolePartnerAdmin, sdk.RolePartnerUser:
		if v.Preview || v.PartnerID() == 0 {
			return scope{}, nil // previews see an empty pipeline
		}
		own := v.PartnerID()
		read := []int64{own}
		if v.Partner.Type == "distributor" {
			var kids []int64
			if err := s.db.NewRaw("SELECT id FROM partners WHERE parent_id = ?", own).Scan(ctx, &kids); err != nil {
				return scope{}, fmt.Errorf("sub-partners of %d: %w", own, err)
			}
			read = append(read, kids...)
		}
		return scope{read: read, write: []int64{own}}, nil
	}
	return scope{}, nil
}

func (sc scope) canRead(partnerID int64) bool {
	return sc.all || slices.Contains(sc.read, partnerID)
}

func (sc scope) canWrite(partnerID int64) bool {
	return sc.all || slices.Contains(sc.write, partnerID)
}

// filter narrows a query on a table with a partner_id column to the
// partners the viewer reads, and to one partner when asked.
func (sc scope) filter(q *bun.SelectQuery, col string, only int64) *bun.SelectQuery {
	if only != 0 {
		if !sc.canRead(only) {
			return q.Where("1 = 0")
		}
		return q.Where(col+" = ?", only)
	}
	if sc.all {
		return q
	}
	switch len(sc.read) {
	case 0:
		return q.Where("1 = 0")
	case 1:
		return q.Where(col+" = ?", sc.read[0])
	}
	return q.Where(col+" IN (?)", bun.In(sc.read))
}

// errNotFound is the one answer for a record that is missing or not the
// viewer's.
func errNotFound(what string) error { return fail.New(fail.NotFound, "%s not found", what) }

// staffOnly refuses partners an action reserved to staff, without saying
// more than "not found" would about other partners' records.
func errStaffOnly(what string) error {
	return fail.New(fail.Forbidden, "only your partner manager can %s", what)
}

func paging(page, per int) (int, int) {
	if per <= 0 || per > 100 {
		per = 25
	}
	if page < 1 {
		page = 1
	}
	return page, per
}
