package projects

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/i18n"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/projects"
	"github.com/uptrace/bun"
)

// taskListRow is a task with its names and counts, as the board reads it.
type taskListRow struct {
	taskRow `bun:",extend"`

	AssigneeName string `bun:"assignee_name"`
	AssigneeRole string `bun:"assignee_role"`
	Comments     int    `bun:"comments"`
	Deliverables int    `bun:"deliverables"`
}

func (r taskListRow) sdk(today string) sp.Task {
	t := sp.Task{ID: r.ID, ProjectID: r.ProjectID, Title: r.Title, Description: r.Description, Due: r.DueOn, Status: r.Status,
		Late: r.Status != sp.TaskDone && r.DueOn != "" && r.DueOn < today, Position: r.Position, Comments: r.Comments,
		Deliverables: r.Deliverables, UpdatedAt: r.UpdatedAt}
	if r.MilestoneID != nil {
		t.MilestoneID = *r.MilestoneID
	}
	if r.AssigneeID != nil && r.AssigneeName != "" {
		t.Assignee = &sp.Person{ID: *r.AssigneeID, Name: r.AssigneeName, Staff: sdk.Role(r.AssigneeRole).Staff()}
	}
	_ = json.Unmarshal([]byte(r.Checklist), &t.Checklist)
	return t
}

// taskSelect selects tasks with their names and counts.
func (s *Service) taskSelect(rows *[]taskListRow) *bun.SelectQuery {
	return s.db.NewSelect().Model(rows).ColumnExpr("t.*").
		ColumnExpr("COALESCE(u.name, '') AS assignee_name").ColumnExpr("COALESCE(u.role, '') AS assignee_role").
		ColumnExpr("(SELECT COUNT(*) FROM project_comments AS cc WHERE cc.task_id = t.id) AS comments").
		ColumnExpr("(SELECT COUNT(*) FROM project_deliverables AS cd WHERE cd.task_id = t.id) AS deliverables").
		Join("LEFT JOIN users AS u ON u.id = t.assignee_id")
}

// ListTasks returns one page of a project's tasks, by status then position.
func (s *Service) ListTasks(ctx context.Context, v sdk.Viewer, q sp.TaskQuery) (sp.TaskPage, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sp.TaskPage{}, err
	}
	if q.PerPage <= 0 || q.PerPage > 500 {
		q.PerPage = 100
	}
	q.Page = max(q.Page, 1)
	if q.Status != "" && !validStatus(taskStatuses, q.Status) {
		return sp.TaskPage{}, fail.Field("status", "invalid.task.status")
	}
	p, err := s.project(ctx, a, q.ProjectID)
	if err != nil {
		return sp.TaskPage{}, err
	}
	today := day(s.today())
	key := boardKey{project: p.ID, revision: p.Revision, today: today, milestone: q.MilestoneID, status: q.Status,
		late: q.Late, page: q.Page, perPage: q.PerPage}
	if q.Mine {
		key.assignee = v.UserID
	}
	if page, ok := s.cache.taskPage(key); ok {
		return page, nil
	}
	var rows []taskListRow
	// The board reads its tasks in one query and their comment and
	// deliverable counts in one grouped query each, not one per task.
	// Only the columns a task in a list shows: a 500-task board spends
	// its time scanning rows, and the creation columns cost a timestamp
	// parse each.
	sel := s.db.NewSelect().Model(&rows).Column("t.id", "t.project_id", "t.milestone_id", "t.title", "t.description",
		"t.assignee_id", "t.due_on", "t.status", "t.position", "t.checklist", "t.updated_at").
		ColumnExpr("COALESCE(u.name, '') AS assignee_name").ColumnExpr("COALESCE(u.role, '') AS assignee_role").
		Join("LEFT JOIN users AS u ON u.id = t.assignee_id").Where("t.project_id = ?", p.ID)
	if q.MilestoneID != 0 {
		sel = sel.Where("t.milestone_id = ?", q.MilestoneID)
	}
	if q.Status != "" {
		sel = sel.Where("t.status = ?", q.Status)
	}
	if q.Mine {
		sel = sel.Where("t.assignee_id = ?", v.UserID)
	}
	if q.Late {
		sel = sel.Where("t.status <> 'done' AND t.due_on <> '' AND t.due_on < ?", today)
	}
	if err := sel.OrderExpr("CASE t.status WHEN 'todo' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'blocked' THEN 2 ELSE 3 END, t.position, t.id").
		Limit(int64(q.PerPage)).Offset(int64((q.Page - 1) * q.PerPage)).Scan(ctx); err != nil {
		return sp.TaskPage{}, fmt.Errorf("list tasks of project %d: %w", p.ID, err)
	}
	// The total is counted apart only when the page does not tell it: a
	// window count over the page's query made SQLite read every row of a
	// 500-task board twice (about 1 ms of its 3).
	total := (q.Page-1)*q.PerPage + len(rows)
	if len(rows) == q.PerPage || (len(rows) == 0 && q.Page > 1) {
		n, err := sel.Count(ctx)
		if err != nil {
			return sp.TaskPage{}, fmt.Errorf("count tasks of project %d: %w", p.ID, err)
		}
		total = int(n)
	}
	comments, err := s.countBy(ctx, "project_comments", p.ID)
	if err != nil {
		return sp.TaskPage{}, err
	}
	delivered, err := s.countBy(ctx, "project_deliverables", p.ID)
	if err != nil {
		return sp.TaskPage{}, err
	}
	out := sp.TaskPage{Tasks: make([]sp.Task, 0, len(rows)), Total: total, Page: q.Page, PerPage: q.PerPage}
	for _, r := range rows {
		r.Comments, r.Deliverables = comments[r.ID], delivered[r.ID]
		out.Tasks = append(out.Tasks, r.sdk(today))
	}
	s.cache.boards.Add(key, out)
	out.Tasks = slices.Clone(out.Tasks)
	return out, nil
}

// countBy counts a project's rows of table (comments, deliverables) per
// task.
func (s *Service) countBy(ctx context.Context, table string, projectID int64) (map[int64]int, error) {
	var rows []struct {
		TaskID int64 `bun:"task_id"`
		N      int   `bun:"n"`
	}
	if err := s.db.NewSelect().Table(table).ColumnExpr("task_id, COUNT(*) AS n").
		Where("project_id = ? AND task_id IS NOT NULL", projectID).Group("task_id").Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("count %s of project %d: %w", table, projectID, err)
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.TaskID] = r.N
	}
	return out, nil
}

// task loads a task of a project the viewer sees; any other is NotFound.
func (s *Service) task(ctx context.Context, a access, id int64) (taskRow, projectRow, error) {
	var t taskRow
	err := a.narrow(s.db.NewSelect().Model(&t).Where("t.id = ?", id), "t.partner_id").Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return taskRow{}, projectRow{}, fail.Msg(fail.NotFound, "invalid.task.none")
	}
	if err != nil {
		return taskRow{}, projectRow{}, fmt.Errorf("load task %d: %w", id, err)
	}
	p, err := s.project(ctx, a, t.ProjectID)
	if err != nil {
		return taskRow{}, projectRow{}, fail.Msg(fail.NotFound, "invalid.task.none")
	}
	return t, p, nil
}

// GetTask returns a task with its comments, history and deliverables.
func (s *Service) GetTask(ctx context.Context, v sdk.Viewer, id int64) (sp.TaskDetail, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sp.TaskDetail{}, err
	}
	t, p, err := s.task(ctx, a, id)
	if err != nil {
		return sp.TaskDetail{}, err
	}
	return s.taskDetail(ctx, a, t, p)
}

func (s *Service) taskDetail(ctx context.Context, a access, t taskRow, p projectRow) (sp.TaskDetail, error) {
	one, err := s.oneTask(ctx, t.ID)
	if err != nil {
		return sp.TaskDetail{}, err
	}
	out := sp.TaskDetail{Task: one, ProjectName: p.Name, CanReview: a.reviews(p.PartnerID)}
	if out.Comments, err = s.comments(ctx, a.v, t.ID); err != nil {
		return sp.TaskDetail{}, err
	}
	var acts []activityRow
	if err := s.db.NewSelect().Model(&acts).Where("task_id = ?", t.ID).OrderExpr("id DESC").Limit(200).Scan(ctx); err != nil {
		return sp.TaskDetail{}, fmt.Errorf("load history of task %d: %w", t.ID, err)
	}
	out.Activity = make([]sp.Activity, 0, len(acts))
	l := i18n.Locale(a.v.Locale)
	for _, r := range acts {
		out.Activity = append(out.Activity, activity(r, l))
	}
	if out.Deliverables, err = s.deliverables(ctx, func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("d.task_id = ?", t.ID)
	}); err != nil {
		return sp.TaskDetail{}, err
	}
	if out.Assignable, err = s.members(ctx, p.ID); err != nil {
		return sp.TaskDetail{}, err
	}
	if out.Milestones, err = s.milestones(ctx, p.ID); err != nil {
		return sp.TaskDetail{}, err
	}
	return out, nil
}

func (s *Service) oneTask(ctx context.Context, id int64) (sp.Task, error) {
	var rows []taskListRow
	if err := s.taskSelect(&rows).Where("t.id = ?", id).Scan(ctx); err != nil {
		return sp.Task{}, fmt.Errorf("load task %d: %w", id, err)
	}
	if len(rows) == 0 {
		return sp.Task{}, fail.Msg(fail.NotFound, "invalid.task.none")
	}
	return rows[0].sdk(day(s.today())), nil
}

// comments loads a task's comments, oldest first.
func (s *Service) comments(ctx context.Context, v sdk.Viewer, taskID int64, only ...int64) ([]sp.Comment, error) {
	var rows []struct {
		commentRow `bun:",extend"`
		Name       string `bun:"author_name"`
		Role       string `bun:"author_role"`
	}
	q := s.db.NewSelect().Model(&rows).ColumnExpr("c.*").
		ColumnExpr("COALESCE(u.name, '') AS author_name").ColumnExpr("COALESCE(u.role, '') AS author_role").
		Join("LEFT JOIN users AS u ON u.id = c.author_id").Where("c.task_id = ?", taskID).OrderExpr("c.id")
	if len(only) > 0 {
		q = q.Where("c.id IN (?)", bun.List(only))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("load comments of task %d: %w", taskID, err)
	}
	out := make([]sp.Comment, 0, len(rows))
	for _, r := range rows {
		c := sp.Comment{ID: r.ID, TaskID: r.TaskID, Body: r.Body, At: r.CreatedAt, EditedAt: r.EditedAt}
		if r.AuthorID != nil {
			c.Author = sp.Person{ID: *r.AuthorID, Name: r.Name, Staff: sdk.Role(r.Role).Staff()}
			c.Mine = *r.AuthorID == v.UserID
		}
		if c.Author.Name == "" {
			c.Author.Name = "A former user"
		}
		out = append(out, c)
	}
	return out, nil
}

// cleanChecklist trims a checklist's lines and drops empty ones.
func cleanChecklist(items []sp.CheckItem) ([]sp.CheckItem, error) {
	out := make([]sp.CheckItem, 0, len(items))
	for _, it := range items {
		text, err := cleanLine("checklist", it.Text, MaxCheckText, "")
		if err != nil {
			return nil, err
		}
		if text != "" {
			out = append(out, sp.CheckItem{Text: text, Done: it.Done})
		}
	}
	if len(out) > MaxChecklist {
		return nil, fail.Field("checklist", "invalid.task.checklist-long", "Max", MaxChecklist)
	}
	return out, nil
}

func checklistJSON(items []sp.CheckItem) string {
	if len(items) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(items)
	return string(b)
}

// ChangeTask adds, changes, moves or deletes a task. Everyone who sees the
// project may; the assignee must be on the project, and a milestone must
// be the project's own.
func (s *Service) ChangeTask(ctx context.Context, v sdk.Viewer, in sp.TaskChange) (sp.Task, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sp.Task{}, err
	}
	var t taskRow
	var p projectRow
	if in.ID != 0 {
		if t, p, err = s.task(ctx, a, in.ID); err != nil {
			return sp.Task{}, err
		}
		if in.ProjectID != 0 && in.ProjectID != t.ProjectID {
			return sp.Task{}, fail.Field("projectId", "invalid.task.other-project")
		}
	} else {
		if in.ProjectID == 0 {
			return sp.Task{}, fail.Field("projectId", "invalid.task.project")
		}
		if p, err = s.project(ctx, a, in.ProjectID); err != nil {
			return sp.Task{}, err
		}
		t = taskRow{ProjectID: p.ID, PartnerID: p.PartnerID, Status: sp.ToDo, Checklist: "[]", CreatedBy: &v.UserID, CreatedAt: s.opts.Now()}
	}
	if in.Delete {
		if in.ID == 0 {
			return sp.Task{}, fail.Msg(fail.NotFound, "invalid.task.none")
		}
		// The task's deliverables go with it (their rows by cascade); their
		// files would be nobody's to download, so they go too.
		var handed []int64
		err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if err := tx.NewSelect().Table("project_deliverables").Column("file_id").Where("task_id = ?", t.ID).Scan(ctx, &handed); err != nil {
				return fmt.Errorf("list the deliverables of task %d: %w", t.ID, err)
			}
			if _, err := tx.NewDelete().Model((*taskRow)(nil)).Where("id = ?", t.ID).Exec(ctx); err != nil {
				return fmt.Errorf("delete task %d: %w", t.ID, err)
			}
			if err := s.log(ctx, tx, v, p.ID, nil, act("task-deleted", "Task", t.Title)); err != nil {
				return err
			}
			return s.recount(ctx, tx, p.ID)
		})
		if err == nil && s.opts.Files != nil {
			for _, id := range handed {
				if derr := s.opts.Files.Delete(ctx, id); derr != nil {
					s.opts.Log.Warn("delete a deleted task's deliverable", "task", t.ID, "file", id, "err", derr)
				}
			}
		}
		return sp.Task{}, err
	}
	bad := fail.Problems{}
	var lines []*notify.Text
	newAssignee := false
	if in.Title != nil || in.ID == 0 {
		title := ""
		if in.Title != nil {
			title = *in.Title
		}
		c, err := cleanLine("title", title, MaxName, "invalid.task.title")
		bad.Merge(err)
		if err == nil && c != t.Title && in.ID != 0 {
			lines = append(lines, act("task-renamed", "Title", c))
		}
		t.Title = c
	}
	if in.Description != nil {
		c, err := cleanText("description", *in.Description, MaxDescription)
		bad.Merge(err)
		if err == nil && c != t.Description && in.ID != 0 {
			lines = append(lines, act("task-description"))
		}
		t.Description = c
	}
	if in.MilestoneID != nil {
		if *in.MilestoneID == 0 {
			if t.MilestoneID != nil {
				lines = append(lines, act("task-no-milestone"))
			}
			t.MilestoneID = nil
		} else {
			var m milestoneRow
			err := s.db.NewSelect().Model(&m).Where("id = ? AND project_id = ?", *in.MilestoneID, p.ID).Limit(1).Scan(ctx)
			if err != nil {
				bad.Add("milestoneId", "invalid.task.milestone")
			} else if t.MilestoneID == nil || *t.MilestoneID != m.ID {
				id := m.ID
				t.MilestoneID = &id
				if in.ID != 0 {
					lines = append(lines, act("task-milestone", "Milestone", m.Title))
				}
			}
		}
	}
	if in.Assignee != nil {
		if *in.Assignee == 0 {
			if t.AssigneeID != nil {
				lines = append(lines, act("task-unassigned"))
			}
			t.AssigneeID = nil
		} else {
			ok, err := isMember(ctx, s.db, p.ID, *in.Assignee)
			if err != nil {
				return sp.Task{}, fmt.Errorf("check assignee: %w", err)
			}
			stillSees := false
			if ok {
				if stillSees, err = s.seesUser(ctx, *in.Assignee, p.PartnerID); err != nil {
					return sp.Task{}, err
				}
			}
			if !ok || !stillSees {
				bad.Add("assignee", "invalid.task.assignee")
			} else if t.AssigneeID == nil || *t.AssigneeID != *in.Assignee {
				id := *in.Assignee
				t.AssigneeID = &id
				newAssignee = true
				if u, err := s.dir.User(ctx, id); err == nil {
					lines = append(lines, act("task-assigned", "Person", u.Name))
				}
			}
		}
	}
	if in.Due != nil {
		c, err := cleanDate("due", *in.Due, false)
		bad.Merge(err)
		if err == nil && c != t.DueOn {
			if c == "" {
				lines = append(lines, act("task-no-due"))
			} else {
				lines = append(lines, act("task-due").Day("Date", c))
			}
			t.DueOn = c
		}
	}
	oldStatus := t.Status
	if in.Status != nil {
		if !validStatus(taskStatuses, *in.Status) {
			bad.Add("status", "invalid.task.status")
		} else if *in.Status != t.Status {
			t.Status = *in.Status
			if in.ID != 0 {
				lines = append(lines, act("task-moved").Word("Status", "task", t.Status))
			}
		}
	}
	var list []sp.CheckItem
	_ = json.Unmarshal([]byte(t.Checklist), &list)
	if in.Checklist != nil {
		c, err := cleanChecklist(*in.Checklist)
		bad.Merge(err)
		if err == nil {
			list = c
			if in.ID != 0 {
				lines = append(lines, act("task-checklist"))
			}
		}
	}
	if in.Position != nil && *in.Position < 0 {
		bad.Add("position", "invalid.task.position")
	}
	if in.Check != nil && (in.Check.Index < 0 || in.Check.Index >= len(list)) && in.Checklist == nil {
		bad.Add("check", "invalid.task.check")
	}
	if err := bad.Err(); err != nil {
		return sp.Task{}, err
	}
	t.UpdatedAt = s.opts.Now()
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if in.Check != nil && in.Checklist == nil {
			// Read the list again under the row's lock, so two people
			// ticking different lines both count.
			var cur string
			q := tx.NewSelect().Model((*taskRow)(nil)).Column("checklist").Where("id = ?", t.ID)
			if s.db.Dialect().Name().String() == "pg" {
				q = q.For("UPDATE")
			}
			if err := q.Scan(ctx, &cur); err != nil {
				return fmt.Errorf("load checklist of task %d: %w", t.ID, err)
			}
			list = nil
			_ = json.Unmarshal([]byte(cur), &list)
			if in.Check.Index >= len(list) {
				return fail.Field("check", "invalid.task.check")
			}
			if list[in.Check.Index].Done != in.Check.Done {
				list[in.Check.Index].Done = in.Check.Done
				if in.Check.Done {
					lines = append(lines, act("task-ticked", "Line", list[in.Check.Index].Text))
				} else {
					lines = append(lines, act("task-unticked", "Line", list[in.Check.Index].Text))
				}
			}
		}
		t.Checklist = checklistJSON(list)
		if in.ID == 0 || t.Status != oldStatus || in.Position != nil {
			if err := s.place(ctx, tx, &t, in.Position, in.ID == 0 || t.Status != oldStatus); err != nil {
				return err
			}
		}
		if in.ID == 0 {
			n, err := tx.NewSelect().Model((*taskRow)(nil)).Where("project_id = ?", p.ID).Count(ctx)
			if err != nil {
				return fmt.Errorf("count tasks: %w", err)
			}
			if n >= MaxTasks {
				return fail.Field("title", "invalid.project.max-tasks", "Max", MaxTasks)
			}
			if _, err := tx.NewInsert().Model(&t).Returning("id").Exec(ctx); err != nil {
				return fmt.Errorf("store task: %w", err)
			}
			lines = append([]*notify.Text{act("created-task")}, lines...)
		} else if _, err := tx.NewUpdate().Model(&t).Column("milestone_id", "title", "description", "assignee_id", "due_on",
			"status", "position", "checklist", "updated_at").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("update task %d: %w", t.ID, err)
		}
		for _, l := range lines {
			if err := s.log(ctx, tx, v, p.ID, &t.ID, l); err != nil {
				return err
			}
		}
		return s.recount(ctx, tx, p.ID)
	})
	if err != nil {
		return sp.Task{}, err
	}
	if newAssignee && *t.AssigneeID != v.UserID {
		s.tell(ctx, p, []int64{*t.AssigneeID}, notify.Notification{Kind: KindAssigned, TitleText: notify.Say("notify.task-assigned.title", "Task", t.Title),
			BodyText: notify.Say("notify.task-assigned.body", "Name", v.Name, "Project", p.Name), Link: s.taskLink(ctx, t)})
	}
	return s.oneTask(ctx, t.ID)
}

// place sets a task's position in its status column: at pos (0 first),
// moving the others down, or last when pos is nil and the task is new to
// the column (moved).
func (s *Service) place(ctx context.Context, tx bun.Tx, t *taskRow, pos *int, moved bool) error {
	if pos == nil {
		if !moved {
			return nil
		}
		var last sql.NullInt64
		if err := tx.NewSelect().Model((*taskRow)(nil)).ColumnExpr("MAX(position)").
			Where("project_id = ? AND status = ? AND id <> ?", t.ProjectID, t.Status, t.ID).Scan(ctx, &last); err != nil {
			return fmt.Errorf("find the end of the column: %w", err)
		}
		t.Position = 0
		if last.Valid {
			t.Position = int(last.Int64) + 1
		}
		return nil
	}
	if _, err := tx.NewUpdate().Model((*taskRow)(nil)).Set("position = position + 1").
		Where("project_id = ? AND status = ? AND position >= ? AND id <> ?", t.ProjectID, t.Status, *pos, t.ID).Exec(ctx); err != nil {
		return fmt.Errorf("make room in the column: %w", err)
	}
	t.Position = *pos
	return nil
}

// AddComment comments on a task; members mentioned with @ hear of it.
func (s *Service) AddComment(ctx context.Context, v sdk.Viewer, in sp.NewComment) (sp.Comment, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sp.Comment{}, err
	}
	t, p, err := s.task(ctx, a, in.TaskID)
	if err != nil {
		return sp.Comment{}, err
	}
	body, err := cleanText("body", in.Body, MaxComment)
	if err != nil {
		return sp.Comment{}, err
	}
	if body == "" {
		return sp.Comment{}, fail.Field("body", "invalid.comment-empty")
	}
	c := commentRow{TaskID: t.ID, ProjectID: p.ID, AuthorID: &v.UserID, Body: body, CreatedAt: s.opts.Now()}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(&c).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("store comment: %w", err)
		}
		if err := s.log(ctx, tx, v, p.ID, &t.ID, act("commented")); err != nil {
			return err
		}
		return s.touch(ctx, tx, p.ID)
	})
	if err != nil {
		return sp.Comment{}, err
	}
	s.mentioned(ctx, v, p, t, body)
	out, err := s.comments(ctx, v, t.ID, c.ID)
	if err != nil || len(out) == 0 {
		return sp.Comment{}, err
	}
	return out[0], nil
}
