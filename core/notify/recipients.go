package notify

import (
	"context"
	"fmt"

	"github.com/atriumhq/atrium/core/directory"
)

// Recipients finds whom to tell, from the directory.
type Recipients struct{ dir *directory.Directory }

// NewRecipients returns the recipient helpers over dir.
func NewRecipients(dir *directory.Directory) Recipients { return Recipients{dir: dir} }

// PartnerUsers are the active users of a partner.
func (r Recipients) PartnerUsers(ctx context.Context, partnerID int64) ([]int64, error) {
	active := true
	var out []int64
	for page := 1; ; page++ {
		p, err := r.dir.ListUsers(ctx, directory.UserFilter{PartnerID: partnerID, Active: &active, Page: page, PerPage: 200})
		if err != nil {
			return nil, fmt.Errorf("users of partner %d: %w", partnerID, err)
		}
		for _, u := range p.Items {
			out = append(out, u.ID)
		}
		if page >= p.Pages() {
			return out, nil
		}
	}
}

// PartnerManager is the partner's manager, or none (nil) when it has none or
// the manager is no longer active.
func (r Recipients) PartnerManager(ctx context.Context, partnerID int64) ([]int64, error) {
	p, err := r.dir.Partner(ctx, partnerID)
	if err != nil {
		return nil, fmt.Errorf("manager of partner %d: %w", partnerID, err)
	}
	if p.ManagerID == nil {
		return nil, nil
	}
	u, err := r.dir.User(ctx, *p.ManagerID)
	if err != nil {
		return nil, fmt.Errorf("manager of partner %d: %w", partnerID, err)
	}
	if !u.Active {
		return nil, nil
	}
	return []int64{u.ID}, nil
}
