// Package tasks keeps which checklist tasks are done, per partner or per
// user, one row per completed task with when and by whom — the rows goals
// count ("tasks completed this quarter") and the staff report reads.
package tasks

import (
	"context"
	"fmt"
	"github.com/atriumhq/atrium/core/reach"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/sdk"
	sdktasks "github.com/atriumhq/atrium/sdk/tasks"
	"github.com/uptrace/bun"
)

// Completion is one completed task. UserID is 0 when completion is kept per
// partner.
type Completion struct {
	bun.BaseModel `bun:"table:task_completions"`

	PartnerID   int64     `bun:"partner_id,pk"`
	UserID      int64     `bun:"user_id,pk"`
	BlockKey    string    `bun:"block_key,pk"`
	TaskID      string    `bun:"task_id,pk"`
	CompletedBy int64     `bun:"completed_by"`
	CompletedAt time.Time `bun:"completed_at"`
}

// Service reads and writes completion.
type Service struct {
	db    bun.IDB
	dir   *directory.Directory
	reach *reach.Resolver
	now   func() time.Time
}

// New returns a Service.
func New(db bun.IDB, dir *directory.Directory) *Service {
	return &Service{db: db, dir: dir, reach: reach.New(db), now: func() time.Time { return time.Now().UTC() }}
}

// Scope is whose completion a list keeps.
type Scope struct {
	PartnerID int64
	UserID    int64 // 0: the partner's
}

func validKey(s string, max int) bool {
	return s != "" && len(s) <= max && !strings.ContainsAny(s, "\x00\r\n")
}

// Done returns the completed tasks of a checklist for a scope.
func (s *Service) Done(ctx context.Context, sc Scope, blockKey string) (map[string]time.Time, error) {
	var rows []Completion
	if err := s.db.NewSelect().Model(&rows).Where("block_key = ? AND partner_id = ? AND user_id = ?", blockKey, sc.PartnerID, sc.UserID).
		Scan(ctx); err != nil {
		return nil, fmt.Errorf("load task completion: %w", err)
	}
	out := make(map[string]time.Time, len(rows))
	for _, r := range rows {
		out[r.TaskID] = r.CompletedAt
	}
	return out, nil
}

// Set marks a task done (keeping the first completion time) or not done.
func (s *Service) Set(ctx context.Context, sc Scope, by int64, blockKey, taskID string, done bool) error {
	if !done {
		_, err := s.db.NewDelete().Model((*Completion)(nil)).
			Where("block_key = ? AND partner_id = ? AND user_id = ? AND task_id = ?", blockKey, sc.PartnerID, sc.UserID, taskID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("undo task %s: %w", taskID, err)
		}
		return nil
	}
	c := Completion{PartnerID: sc.PartnerID, UserID: sc.UserID, BlockKey: blockKey, TaskID: taskID, CompletedBy: by, CompletedAt: s.now()}
	if _, err := s.db.NewInsert().Model(&c).On("CONFLICT (block_key, partner_id, user_id, task_id) DO NOTHING").Exec(ctx); err != nil {
		return fmt.Errorf("complete task %s: %w", taskID, err)
	}
	return nil
}

// Report returns completion per checklist and partner, for the partners
// given (nil: all).
func (s *Service) Report(ctx context.Context, rc reach.Reach, blockKey string) ([]sdktasks.ReportRow, error) {
	rows := []sdktasks.ReportRow{}
	if rc.None() {
		return rows, nil
	}
	q := s.db.NewSelect().TableExpr("task_completions AS t").
		ColumnExpr("t.block_key, t.partner_id, p.name AS partner").
		ColumnExpr("COUNT(DISTINCT t.task_id) AS tasks, COUNT(DISTINCT t.completed_by) AS people, MAX(t.completed_at) AS last").
		Join("JOIN partners AS p ON p.id = t.partner_id").
		GroupExpr("t.block_key, t.partner_id, p.name").
		OrderExpr("t.block_key, p.name")
	if blockKey != "" {
		q = q.Where("t.block_key = ?", blockKey)
	}
	q = rc.Where(q, "t.partner_id")
	var raw []struct {
		BlockKey  string `bun:"block_key"`
		PartnerID int64  `bun:"partner_id"`
		Partner   string `bun:"partner"`
		Tasks     int    `bun:"tasks"`
		People    int    `bun:"people"`
		Last      any    `bun:"last"`
	}
	if err := q.Scan(ctx, &raw); err != nil {
		return nil, fmt.Errorf("task report: %w", err)
	}
	for _, r := range raw {
		rows = append(rows, sdktasks.ReportRow{BlockKey: r.BlockKey, PartnerID: r.PartnerID, Partner: r.Partner, Tasks: r.Tasks, People: r.People, Last: asTime(r.Last)})
	}
	return rows, nil
}

// asTime reads MAX() of a timestamp, which SQLite returns as text.
func asTime(v any) time.Time {
	switch t := v.(type) {
	case time.Time:
		return t.UTC()
	case string:
		for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999"} {
			if p, err := time.Parse(layout, t); err == nil {
				return p.UTC()
			}
		}
	case []byte:
		return asTime(string(t))
	}
	return time.Time{}
}

// Register adds the host calls of tasks to f.
func (s *Service) Register(f *host.Factory) {
	host.Handle(f, sdktasks.ListCompletion, func(ctx context.Context, c host.Caller, q sdktasks.CompletionQuery) (sdktasks.Completion, error) {
		if !validKey(q.BlockKey, 200) {
			return sdktasks.Completion{}, sdk.InvalidInput("a block key is required", map[string]string{"blockKey": "is required"})
		}
		sc, ok, err := s.scope(ctx, c.Viewer, q.PerUser)
		if err != nil {
			return sdktasks.Completion{}, err
		}
		if !ok {
			// Staff and previews see an untouched checklist.
			return sdktasks.Completion{Done: map[string]time.Time{}}, nil
		}
		done, err := s.Done(ctx, sc, q.BlockKey)
		return sdktasks.Completion{Done: done}, err
	})
	host.Handle(f, sdktasks.SetCompletion, func(ctx context.Context, c host.Caller, q sdktasks.CompletionChange) (sdktasks.Completion, error) {
		fields := map[string]string{}
		if !validKey(q.BlockKey, 200) {
			fields["blockKey"] = "is required"
		}
		if !validKey(q.TaskID, 100) {
			fields["taskId"] = "is required"
		}
		if len(fields) > 0 {
			return sdktasks.Completion{}, sdk.InvalidInput("the change is not valid", fields)
		}
		sc, ok, err := s.scope(ctx, c.Viewer, q.PerUser)
		if err != nil {
			return sdktasks.Completion{}, err
		}
		if !ok {
			return sdktasks.Completion{}, sdk.ErrPermission
		}
		if err := s.Set(ctx, sc, c.Viewer.UserID, q.BlockKey, q.TaskID, q.Done); err != nil {
			return sdktasks.Completion{}, err
		}
		done, err := s.Done(ctx, sc, q.BlockKey)
		return sdktasks.Completion{Done: done}, err
	})
	host.Handle(f, sdktasks.CompletionReport, func(ctx context.Context, c host.Caller, q sdktasks.ReportQuery) (sdktasks.Report, error) {
		rc, err := s.reach.For(ctx, c.Viewer)
		if err != nil {
			return sdktasks.Report{}, err
		}
		rows, err := s.Report(ctx, rc, q.BlockKey)
		return sdktasks.Report{Rows: rows}, err
	})
}

// scope is whose checklist the viewer works on; only partner users whom
// the reach lets change their partner's records have one (not a preview,
// not a deactivated user).
func (s *Service) scope(ctx context.Context, v sdk.Viewer, perUser bool) (Scope, bool, error) {
	if v.Staff() || v.Preview || v.PartnerID() == 0 {
		return Scope{}, false, nil
	}
	rc, err := s.reach.For(ctx, v)
	if err != nil || !rc.CanWrite(v.PartnerID()) {
		return Scope{}, false, err
	}
	sc := Scope{PartnerID: v.PartnerID()}
	if perUser {
		sc.UserID = v.UserID
	}
	return sc, true, nil
}
