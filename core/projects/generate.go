package projects

import (
	"context"
	"fmt"
	"time"

	sp "github.com/atriumhq/atrium/sdk/projects"
	"github.com/uptrace/bun"
)

// GenerateOptions describe one partner's projects made in bulk, to measure
// the room at the size of its goal: Projects projects of Tasks tasks and
// seven milestones each, the first of them with BoardTasks tasks.
type GenerateOptions struct {
	PartnerID int64
	// UserID and StaffID are the owners on each side, the members and the
	// assignees (every other task each).
	UserID, StaffID             int64
	Projects, Tasks, BoardTasks int
	Now                         time.Time
}

// generatedTables are the tables Generate fills.
var generatedTables = []string{"projects", "project_members", "project_milestones", "project_tasks"}

// Generate writes the projects with bulk inserts (a service call per task
// would take minutes at 20,000 tasks), counts their progress as the service
// does, and returns the first project's id: the big board.
func Generate(ctx context.Context, db *bun.DB, o GenerateOptions) (int64, error) {
	day := func(d int) string { return o.Now.AddDate(0, 0, d).Format(dateLayout) }
	var ps []projectRow
	for i := 0; i < o.Projects; i++ {
		startDay := -200 + (i*7)%180
		status := []string{sp.Active, sp.Active, sp.Active, sp.Planned, sp.OnHold, sp.Done}[i%6]
		ps = append(ps, projectRow{PartnerID: o.PartnerID, Name: fmt.Sprintf("Rollout %d", i), Customer: fmt.Sprintf("Customer %d", i),
			StartOn: day(startDay), TargetOn: day(startDay + 150), Status: status, PartnerOwnerID: &o.UserID, VendorOwnerID: &o.StaffID,
			CreatedBy: &o.UserID, CreatedAt: o.Now, UpdatedAt: o.Now})
	}
	if len(ps) == 0 {
		return 0, nil
	}
	if _, err := db.NewInsert().Model(&ps).Returning("id").Exec(ctx); err != nil {
		return 0, fmt.Errorf("generate projects: %w", err)
	}
	var members []memberRow
	var ms []milestoneRow
	for _, pr := range ps {
		members = append(members, memberRow{ProjectID: pr.ID, UserID: o.UserID, AddedAt: o.Now}, memberRow{ProjectID: pr.ID, UserID: o.StaffID, AddedAt: o.Now})
		for k := 0; k < 7; k++ {
			ms = append(ms, milestoneRow{ProjectID: pr.ID, Title: fmt.Sprintf("Step %d", k+1), StartOn: addDays(pr.StartOn, k*20),
				DueOn: addDays(pr.StartOn, k*20+20), Position: k + 1})
		}
	}
	if _, err := db.NewInsert().Model(&members).Exec(ctx); err != nil {
		return 0, fmt.Errorf("generate members: %w", err)
	}
	for i := 0; i < len(ms); i += 500 {
		chunk := ms[i:min(i+500, len(ms))]
		if _, err := db.NewInsert().Model(&chunk).Returning("id").Exec(ctx); err != nil {
			return 0, fmt.Errorf("generate milestones: %w", err)
		}
	}
	var ts []taskRow
	for pi, pr := range ps {
		count := o.Tasks
		if pi == 0 {
			count = o.BoardTasks
		}
		for k := 0; k < count; k++ {
			m := ms[pi*7+k%7]
			st := []string{sp.TaskDone, sp.TaskDone, sp.InProgress, sp.ToDo, sp.Blocked}[k%5]
			who := o.UserID
			if k%2 == 0 {
				who = o.StaffID
			}
			ts = append(ts, taskRow{ProjectID: pr.ID, PartnerID: o.PartnerID, MilestoneID: &m.ID, Title: fmt.Sprintf("Task %d", k),
				AssigneeID: &who, DueOn: addDays(m.StartOn, k%20), Status: st, Position: k, Checklist: `[{"text":"Check"}]`,
				CreatedAt: o.Now, UpdatedAt: o.Now})
		}
	}
	for i := 0; i < len(ts); i += 1000 {
		chunk := ts[i:min(i+1000, len(ts))]
		if _, err := db.NewInsert().Model(&chunk).Exec(ctx); err != nil {
			return 0, fmt.Errorf("generate tasks: %w", err)
		}
	}
	svc := &Service{db: db, opts: Options{Now: func() time.Time { return o.Now }}}
	for _, pr := range ps {
		if err := svc.recount(ctx, db, pr.ID); err != nil {
			return 0, fmt.Errorf("generate: count progress: %w", err)
		}
	}
	// Fresh statistics, and on PostgreSQL a vacuum, as the pipeline's
	// generator does: right after a bulk load the planner knows nothing of
	// the new rows, and autovacuum's analyze came round in the middle of a
	// measurement.
	if db.Dialect().Name().String() == "pg" {
		for _, t := range generatedTables {
			if _, err := db.ExecContext(ctx, "VACUUM ANALYZE "+t); err != nil {
				return 0, fmt.Errorf("generate: vacuum %s: %w", t, err)
			}
		}
	} else if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
		return 0, fmt.Errorf("generate: analyze: %w", err)
	}
	return ps[0].ID, nil
}
