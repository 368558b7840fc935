package projects

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/projects"
	"github.com/uptrace/bun"
)

type templateRow struct {
	bun.BaseModel `bun:"table:project_templates,alias:pt"`

	ID          int64     `bun:"id,pk,autoincrement"`
	Slug        *string   `bun:"slug"`
	Name        string    `bun:"name"`
	Description string    `bun:"description"`
	CreatedBy   *int64    `bun:"created_by"`
	CreatedAt   time.Time `bun:"created_at"`
}

type templateMilestoneRow struct {
	bun.BaseModel `bun:"table:project_template_milestones"`

	ID         int64  `bun:"id,pk,autoincrement"`
	TemplateID int64  `bun:"template_id"`
	Title      string `bun:"title"`
	StartDay   int    `bun:"start_day"`
	DueDay     int    `bun:"due_day"`
	Position   int    `bun:"position"`
}

type templateTaskRow struct {
	bun.BaseModel `bun:"table:project_template_tasks"`

	ID                int64  `bun:"id,pk,autoincrement"`
	TemplateID        int64  `bun:"template_id"`
	MilestonePosition *int   `bun:"milestone_position"`
	Title             string `bun:"title"`
	Description       string `bun:"description"`
	Checklist         string `bun:"checklist"`
	DueDay            *int   `bun:"due_day"`
	Position          int    `bun:"position"`
}

// template is a template with its steps.
type template struct {
	templateRow
	milestones []templateMilestoneRow
	tasks      []templateTaskRow
}

// templates lists the program's templates, built-in first.
func (s *Service) templates(ctx context.Context) ([]sp.TemplateRef, error) {
	var out []sp.TemplateRef
	if err := s.db.NewSelect().Model((*templateRow)(nil)).ColumnExpr("pt.id, pt.name, pt.description").
		ColumnExpr("(SELECT COUNT(*) FROM project_template_milestones AS tm WHERE tm.template_id = pt.id) AS milestones").
		ColumnExpr("(SELECT COUNT(*) FROM project_template_tasks AS tt WHERE tt.template_id = pt.id) AS tasks").
		OrderExpr("CASE WHEN pt.slug IS NULL THEN 1 ELSE 0 END, lower(pt.name), pt.id").Limit(500).Scan(ctx, &out); err != nil {
		return nil, fmt.Errorf("list project templates: %w", err)
	}
	return out, nil
}

// Templates lists the templates the viewer may start from: everyone who
// may see any project.
func (s *Service) Templates(ctx context.Context, v sdk.Viewer) ([]sp.TemplateRef, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return nil, err
	}
	if a.rc.None() {
		return []sp.TemplateRef{}, nil
	}
	return s.templates(ctx)
}

func (s *Service) template(ctx context.Context, id int64) (template, error) {
	var t template
	if err := s.db.NewSelect().Model(&t.templateRow).Where("id = ?", id).Limit(1).Scan(ctx); err != nil {
		return template{}, fail.Msg(fail.NotFound, "invalid.project.no-template")
	}
	if err := s.db.NewSelect().Model(&t.milestones).Where("template_id = ?", id).OrderExpr("position, id").Scan(ctx); err != nil {
		return template{}, fmt.Errorf("load milestones of template %d: %w", id, err)
	}
	if err := s.db.NewSelect().Model(&t.tasks).Where("template_id = ?", id).OrderExpr("position, id").Scan(ctx); err != nil {
		return template{}, fmt.Errorf("load tasks of template %d: %w", id, err)
	}
	return t, nil
}

// layOut adds a template's milestones and tasks to a new project, dated
// from its start.
func (s *Service) layOut(ctx context.Context, tx bun.Tx, v sdk.Viewer, p projectRow, t template) error {
	ms := map[int]int64{}
	for _, tm := range t.milestones {
		m := milestoneRow{ProjectID: p.ID, Title: tm.Title, StartOn: addDays(p.StartOn, tm.StartDay), DueOn: addDays(p.StartOn, tm.DueDay),
			Position: tm.Position}
		if _, err := tx.NewInsert().Model(&m).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("lay out milestone %q: %w", tm.Title, err)
		}
		ms[tm.Position] = m.ID
	}
	for i, tt := range t.tasks {
		task := taskRow{ProjectID: p.ID, PartnerID: p.PartnerID, Title: tt.Title, Description: tt.Description, Status: sp.ToDo,
			Position: i, Checklist: tt.Checklist, CreatedBy: &v.UserID, CreatedAt: s.opts.Now(), UpdatedAt: s.opts.Now()}
		if task.Checklist == "" {
			task.Checklist = "[]"
		}
		if tt.MilestonePosition != nil {
			if id, ok := ms[*tt.MilestonePosition]; ok {
				task.MilestoneID = &id
			}
		}
		if tt.DueDay != nil {
			task.DueOn = addDays(p.StartOn, *tt.DueDay)
		}
		if _, err := tx.NewInsert().Model(&task).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("lay out task %q: %w", tt.Title, err)
		}
		if err := s.log(ctx, tx, v, p.ID, &task.ID, act("task-from-template", "Template", t.Name)); err != nil {
			return err
		}
	}
	return nil
}

// SaveTemplate keeps a project's milestones and tasks as a template, with
// dates counted from the project's start: staff who see the project only.
func (s *Service) SaveTemplate(ctx context.Context, v sdk.Viewer, in sp.SaveTemplate) (sp.TemplateRef, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sp.TemplateRef{}, err
	}
	p, err := s.project(ctx, a, in.ProjectID)
	if err != nil {
		return sp.TemplateRef{}, err
	}
	if !a.staff() {
		return sp.TemplateRef{}, fail.Msg(fail.Forbidden, "invalid.project.templates-staff")
	}
	bad := fail.Problems{}
	name, err := cleanLine("name", in.Name, MaxName, "invalid.project.template-name")
	bad.Merge(err)
	desc, err := cleanText("description", in.Description, MaxDescription)
	bad.Merge(err)
	if err := bad.Err(); err != nil {
		return sp.TemplateRef{}, err
	}
	var ms []milestoneRow
	if err := s.db.NewSelect().Model(&ms).Where("project_id = ?", p.ID).OrderExpr("due_on, position, id").Scan(ctx); err != nil {
		return sp.TemplateRef{}, fmt.Errorf("load milestones of project %d: %w", p.ID, err)
	}
	var ts []taskRow
	if err := s.db.NewSelect().Model(&ts).Where("project_id = ?", p.ID).OrderExpr("due_on, position, id").Scan(ctx); err != nil {
		return sp.TemplateRef{}, fmt.Errorf("load tasks of project %d: %w", p.ID, err)
	}
	t := templateRow{Name: name, Description: desc, CreatedBy: &v.UserID, CreatedAt: s.opts.Now()}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(&t).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("store template: %w", err)
		}
		pos := map[int64]int{}
		for i, m := range ms {
			pos[m.ID] = i + 1
			tm := templateMilestoneRow{TemplateID: t.ID, Title: m.Title, StartDay: daysBetween(p.StartOn, m.StartOn),
				DueDay: daysBetween(p.StartOn, m.DueOn), Position: i + 1}
			if _, err := tx.NewInsert().Model(&tm).Exec(ctx); err != nil {
				return fmt.Errorf("store template milestone: %w", err)
			}
		}
		for i, task := range ts {
			var list []sp.CheckItem
			_ = json.Unmarshal([]byte(task.Checklist), &list)
			for j := range list {
				list[j].Done = false
			}
			tt := templateTaskRow{TemplateID: t.ID, Title: task.Title, Description: task.Description, Checklist: checklistJSON(list),
				Position: i + 1}
			if task.MilestoneID != nil {
				if n, ok := pos[*task.MilestoneID]; ok {
					tt.MilestonePosition = &n
				}
			}
			if task.DueOn != "" {
				d := daysBetween(p.StartOn, task.DueOn)
				tt.DueDay = &d
			}
			if _, err := tx.NewInsert().Model(&tt).Exec(ctx); err != nil {
				return fmt.Errorf("store template task: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return sp.TemplateRef{}, err
	}
	return sp.TemplateRef{ID: t.ID, Name: t.Name, Description: t.Description, Milestones: len(ms), Tasks: len(ts)}, nil
}
