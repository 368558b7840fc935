package projects

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/messages"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/projects"
	"github.com/uptrace/bun"
)

// projectLink is the path of a project in the Projects room.
func (s *Service) projectLink(ctx context.Context, projectID int64) string {
	return strings.TrimRight(s.opts.RoomPath(ctx), "/") + "/items/" + strconv.FormatInt(projectID, 10)
}

// taskLink is the path of a task in the Projects room.
func (s *Service) taskLink(ctx context.Context, t taskRow) string {
	return s.projectLink(ctx, t.ProjectID) + "?task=" + strconv.FormatInt(t.ID, 10)
}

// tell notifies the people of to who still see project p of n. Failures
// are logged: the change is stored, and pages show it.
func (s *Service) tell(ctx context.Context, p projectRow, to []int64, n notify.Notification) {
	if s.opts.Notify == nil || len(to) == 0 {
		return
	}
	ctx = context.WithoutCancel(ctx)
	kept := make([]int64, 0, len(to))
	for _, id := range to {
		ok, err := s.seesUser(ctx, id, p.PartnerID)
		if err != nil {
			s.opts.Log.Warn("check a person's access to a project", "project", p.ID, "user", id, "err", err)
			continue
		}
		if ok {
			kept = append(kept, id)
		}
	}
	if len(kept) == 0 {
		return
	}
	if err := s.opts.Notify.Notify(ctx, kept, n); err != nil {
		s.opts.Log.Warn("notify about a project", "project", p.ID, "kind", n.Kind, "err", err)
	}
}

// mentioned tells the project's members named with @ in a comment.
func (s *Service) mentioned(ctx context.Context, author sdk.Viewer, p projectRow, t taskRow, body string) {
	if s.opts.Notify == nil || !strings.Contains(body, "@") {
		return
	}
	var people []struct {
		ID   int64  `bun:"id"`
		Name string `bun:"name"`
	}
	if err := s.db.NewSelect().Table("project_members").ColumnExpr("u.id, u.name").
		Join("JOIN users AS u ON u.id = project_members.user_id").
		Where("project_members.project_id = ? AND u.active", p.ID).Scan(ctx, &people); err != nil {
		s.opts.Log.Warn("load project members", "project", p.ID, "err", err)
		return
	}
	var to []int64
	for _, m := range people {
		if m.ID != author.UserID && messages.Mentions(body, m.Name) {
			to = append(to, m.ID)
		}
	}
	text := body
	if len([]rune(text)) > 1900 {
		text = string([]rune(text)[:1900]) + "…"
	}
	s.tell(ctx, p, to, notify.Notification{Kind: KindMention, TitleText: notify.Say("notify.task-mention.title", "Name", author.Name, "Task", t.Title),
		Body: text, Link: s.taskLink(ctx, t)})
}

// reminderRow is a reminder sent (claimed), once per task, kind and due
// date.
type reminderRow struct {
	bun.BaseModel `bun:"table:project_reminders"`

	TaskID int64     `bun:"task_id,pk"`
	Kind   string    `bun:"kind,pk"`
	DueOn  string    `bun:"due_on,pk"`
	SentAt time.Time `bun:"sent_at"`
}

// Remind tells assignees of open tasks on running projects that a task is
// due tomorrow or overdue, once per task, kind and due date: the reminder
// is claimed with a row first, so several portal processes may sweep at
// once. A reminder whose notification failed is released for the next
// sweep. Tasks more than 30 days late are left alone: a portal that
// starts sweeping does not send a backlog. It reports how many reminders
// went out.
func (s *Service) Remind(ctx context.Context) (int, error) {
	if s.opts.Notify == nil {
		return 0, nil
	}
	today := s.today()
	tomorrow := day(today.AddDate(0, 0, 1))
	var rows []struct {
		taskRow     `bun:",extend"`
		ProjectName string `bun:"project_name"`
	}
	if err := s.db.NewSelect().Model(&rows).ColumnExpr("t.*").ColumnExpr("p.name AS project_name").
		Join("JOIN projects AS p ON p.id = t.project_id").
		Where("t.status <> 'done' AND t.due_on <> '' AND t.due_on <= ? AND t.assignee_id IS NOT NULL", tomorrow).
		Where("t.due_on >= ?", day(today.AddDate(0, 0, -30))).
		Where("p.status IN (?, ?, ?)", sp.Planned, sp.Active, sp.OnHold).
		Where("NOT EXISTS (SELECT 1 FROM project_reminders AS r WHERE r.task_id = t.id AND r.due_on = t.due_on AND r.kind = CASE WHEN t.due_on = ? THEN ? ELSE ? END)", tomorrow, KindDue, KindOverdue).
		OrderExpr("t.id").Limit(5000).Scan(ctx); err != nil {
		return 0, fmt.Errorf("reminders: load due tasks: %w", err)
	}
	todayS := day(today)
	sent := 0
	for _, r := range rows {
		kind := KindOverdue
		title := notify.Say("notify.task-overdue.title", "Task", r.Title)
		body := notify.Say("notify.task-overdue.body", "Project", r.ProjectName).Day("Due", r.DueOn)
		switch {
		case r.DueOn == tomorrow:
			kind = KindDue
			title = notify.Say("notify.task-due.title", "Task", r.Title)
			body = notify.Say("notify.task-due.body", "Project", r.ProjectName)
		case r.DueOn >= todayS:
			continue // due today: neither tomorrow nor late yet
		}
		res, err := s.db.NewInsert().Model(&reminderRow{TaskID: r.ID, Kind: kind, DueOn: r.DueOn, SentAt: s.opts.Now()}).
			On("CONFLICT DO NOTHING").Exec(ctx)
		if err != nil {
			return sent, fmt.Errorf("reminders: claim task %d: %w", r.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue // another process has it
		}
		ok, err := s.seesUser(ctx, *r.AssigneeID, r.PartnerID)
		if err != nil || !ok {
			continue // claimed: someone who lost access hears nothing
		}
		n := notify.Notification{Kind: kind, TitleText: title, BodyText: body, Link: s.taskLink(ctx, r.taskRow)}
		if err := s.opts.Notify.Notify(ctx, []int64{*r.AssigneeID}, n); err != nil {
			_, _ = s.db.NewDelete().Model((*reminderRow)(nil)).Where("task_id = ? AND kind = ? AND due_on = ?", r.ID, kind, r.DueOn).Exec(ctx)
			return sent, fmt.Errorf("reminders: notify about task %d: %w", r.ID, err)
		}
		sent++
	}
	return sent, nil
}

// Run sweeps for reminders every interval until ctx ends, like the
// digests of core/notify: the claim rows make each reminder go out once
// however many processes run it.
func (s *Service) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = 5 * time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := s.Remind(ctx); err != nil && ctx.Err() == nil {
			s.opts.Log.Warn("project reminders failed", "sent", n, "err", err)
		} else if n > 0 {
			s.opts.Log.Info("project reminders sent", "sent", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
