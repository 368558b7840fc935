package pipeline

import (
	"context"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/sdk"
)

// reachFor is which partners' pipeline the viewer reads and works, from
// the one rule in core/reach: read fresh every request, so a changed
// manager or parent takes effect at once.
func (s *Service) reachFor(ctx context.Context, v sdk.Viewer) (reach.Reach, error) {
	return s.reach.For(ctx, v)
}

// errNotFound is the one answer for a record that is missing or not the
// viewer's; id is the catalogue's message for the kind of record.
func errNotFound(id string) error { return fail.Msg(fail.NotFound, id) }

// staffOnly refuses partners an action reserved to staff, without saying
// more than "not found" would about other partners' records.
// id is the catalogue's message naming the action.
func errStaffOnly(id string) error { return fail.Msg(fail.Forbidden, id) }

func paging(page, per int) (int, int) {
	if per <= 0 || per > 100 {
		per = 25
	}
	if page < 1 {
		page = 1
	}
	return page, per
}
