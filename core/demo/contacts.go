package demo

import (
	"context"
	"fmt"

	"github.com/atriumhq/atrium/core/contacts"
	"github.com/atriumhq/atrium/core/directory"
	sdkdir "github.com/atriumhq/atrium/sdk/directory"
	"github.com/uptrace/bun"
)

// seedContacts gives every demo partner a support engineer and a marketing
// contact besides its partner manager, and says what each is reached for.
// It runs once: a portal whose staff already assigned contacts keeps them.
func seedContacts(ctx context.Context, db *bun.DB, dir *directory.Directory, staff map[string]int64) error {
	svc := contacts.New(db, dir)
	existing, err := svc.Assignments(ctx)
	if err != nil || len(existing) > 0 {
		return err
	}
	profiles := []struct {
		email, resp, preferred string
	}{
		{"mike@acme.example", "Onboarding\nJoint business plans\nDeal registration\nCommissions", "Email first; calls Tuesday to Thursday"},
		{"priya@acme.example", "Onboarding\nCo-marketing plans\nDeal registration", "Email; replies within a day"},
	}
	for _, p := range profiles {
		if err := svc.SetProfile(ctx, contacts.Profile{UserID: staff[p.email], Responsibilities: p.resp, Preferred: p.preferred}); err != nil {
			return fmt.Errorf("demo contact %s: %w", p.email, err)
		}
	}
	for _, a := range []struct {
		email, role, resp, preferred string
	}{
		{"nina@acme.example", sdkdir.RoleSupport, "Technical questions\nIntegrations and the API\nDemo environments", "Support portal or email; urgent issues by phone"},
		{"jordan@acme.example", sdkdir.RoleMarketing, "Co-branded campaigns\nMarket development funds\nBrand approvals", "Email; campaign reviews on Mondays"},
	} {
		if _, err := svc.Assign(ctx, contacts.Assignment{UserID: staff[a.email], Role: a.role},
			contacts.Profile{Responsibilities: a.resp, Preferred: a.preferred}); err != nil {
			return fmt.Errorf("demo contact %s: %w", a.email, err)
		}
	}
	return nil
}
