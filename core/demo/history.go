package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/atriumhq/atrium/core/engagement"
	"github.com/uptrace/bun"
)

// HistoryOptions size the engagement history written for the portal's
// partners.
type HistoryOptions struct {
	Events   int
	Months   int
	Seed     uint64
	Progress func(done, total int)
	// Now ends the history (default now).
	Now time.Time
}

// History writes engagement history for every partner user in the
// database, in its rooms and with its library's resources: months of weekday sessions, seasons, and some
// partners going quiet, so the dashboard tells a story. It writes raw
// events only; rebuild the rollups after ([engagement.Job.Rebuild]).
func History(ctx context.Context, db *bun.DB, o HistoryOptions) (engagement.GenerateResult, error) {
	var users []struct {
		ID        int64 `bun:"id"`
		PartnerID int64 `bun:"partner_id"`
	}
	if err := db.NewSelect().Table("users").Column("id", "partner_id").Where("partner_id IS NOT NULL").Order("partner_id", "id").Scan(ctx, &users); err != nil {
		return engagement.GenerateResult{}, fmt.Errorf("demo history: partner users: %w", err)
	}
	var pop []engagement.PartnerUsers
	for _, u := range users {
		if n := len(pop); n > 0 && pop[n-1].PartnerID == u.PartnerID {
			pop[n-1].UserIDs = append(pop[n-1].UserIDs, u.ID)
			continue
		}
		pop = append(pop, engagement.PartnerUsers{PartnerID: u.PartnerID, UserIDs: []int64{u.ID}})
	}
	if len(pop) == 0 {
		return engagement.GenerateResult{}, fmt.Errorf("demo history: no partner users yet; seed the demo first (atrium serve --demo)")
	}
	var rooms []engagement.RoomRef
	if err := db.NewSelect().Table("rooms").Column("id", "slug").Order("id").Scan(ctx, &rooms); err != nil {
		return engagement.GenerateResult{}, fmt.Errorf("demo history: rooms: %w", err)
	}
	// The library's resources, so the top content panel names real ones;
	// none yet leaves the generator's synthetic ids.
	var resources []int64
	if err := db.NewSelect().Table("resources").Column("id").Where("archived_ms IS NULL").Order("id").Scan(ctx, &resources); err != nil {
		return engagement.GenerateResult{}, fmt.Errorf("demo history: resources: %w", err)
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	to := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	return engagement.Generate(ctx, db, engagement.GenerateOptions{Population: pop, Rooms: rooms, Resources: resources, Events: o.Events,
		From: to.AddDate(0, -max(1, o.Months), 0), To: to, Seed: o.Seed, Progress: o.Progress})
}

// HasHistory reports whether any engagement event was recorded, so the
// demo writes its history once.
func HasHistory(ctx context.Context, db *bun.DB) (bool, error) {
	return db.NewSelect().Table("engagement_events").Limit(1).Exists(ctx)
}
