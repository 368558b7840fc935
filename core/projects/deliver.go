package projects

import (
	"context"
	"fmt"
	"strconv"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/projects"
	"github.com/uptrace/bun"
)

// deliverables loads deliverables chosen by filter (alias d), newest
// first, with names, sizes and people.
func (s *Service) deliverables(ctx context.Context, filter func(*bun.SelectQuery) *bun.SelectQuery) ([]sp.Deliverable, error) {
	var rows []struct {
		deliverableRow `bun:",extend"`
		Name           string `bun:"name"`
		Size           int64  `bun:"size"`
		ByName         string `bun:"by_name"`
		ByRole         string `bun:"by_role"`
		ReviewerName   string `bun:"reviewer_name"`
	}
	q := s.db.NewSelect().Model(&rows).ColumnExpr("d.*").ColumnExpr("f.name, v.size").
		ColumnExpr("COALESCE(su.name, '') AS by_name").ColumnExpr("COALESCE(su.role, '') AS by_role").
		ColumnExpr("COALESCE(ru.name, '') AS reviewer_name").
		Join("JOIN files AS f ON f.id = d.file_id").
		Join("JOIN file_versions AS v ON v.file_id = f.id AND v.number = f.latest").
		Join("LEFT JOIN users AS su ON su.id = d.submitted_by").
		Join("LEFT JOIN users AS ru ON ru.id = d.reviewed_by")
	if err := filter(q).OrderExpr("d.submitted_at DESC, d.file_id DESC").Limit(500).Scan(ctx); err != nil {
		return nil, fmt.Errorf("load deliverables: %w", err)
	}
	out := make([]sp.Deliverable, 0, len(rows))
	for _, r := range rows {
		d := sp.Deliverable{FileID: r.FileID, ProjectID: r.ProjectID, Name: r.Name, Version: r.Version, Size: r.Size,
			URL: fmt.Sprintf("/files/%d/download", r.FileID), Status: r.Status, SubmittedAt: r.SubmittedAt,
			ReviewedAt: r.ReviewedAt, Review: r.Review}
		if r.TaskID != nil {
			d.TaskID = *r.TaskID
		}
		if r.MilestoneID != nil {
			d.MilestoneID = *r.MilestoneID
		}
		if r.SubmittedBy != nil {
			d.SubmittedBy = sp.Person{ID: *r.SubmittedBy, Name: r.ByName, Staff: sdk.Role(r.ByRole).Staff()}
		}
		if d.SubmittedBy.Name == "" {
			d.SubmittedBy.Name = "A former user"
		}
		if r.ReviewedBy != nil && r.ReviewerName != "" {
			d.ReviewedBy = &sp.Person{ID: *r.ReviewedBy, Name: r.ReviewerName, Staff: true}
		}
		out = append(out, d)
	}
	return out, nil
}

func (s *Service) deliverable(ctx context.Context, fileID int64) (sp.Deliverable, error) {
	out, err := s.deliverables(ctx, func(q *bun.SelectQuery) *bun.SelectQuery { return q.Where("d.file_id = ?", fileID) })
	if err != nil {
		return sp.Deliverable{}, err
	}
	if len(out) == 0 {
		return sp.Deliverable{}, fail.Msg(fail.NotFound, "invalid.project.no-deliverable")
	}
	return out[0], nil
}

// visibleDeliverable loads a deliverable of a project the viewer sees.
func (s *Service) visibleDeliverable(ctx context.Context, a access, fileID int64) (deliverableRow, projectRow, error) {
	var d deliverableRow
	if err := s.db.NewSelect().Model(&d).Where("file_id = ?", fileID).Limit(1).Scan(ctx); err != nil {
		return deliverableRow{}, projectRow{}, fail.Msg(fail.NotFound, "invalid.project.no-deliverable")
	}
	p, err := s.project(ctx, a, d.ProjectID)
	if err != nil {
		return deliverableRow{}, projectRow{}, fail.Msg(fail.NotFound, "invalid.project.no-deliverable")
	}
	return d, p, nil
}

// Submit hands over a file on a task or milestone, or a new version of a
// deliverable, which goes back to review. Everyone who sees the project
// may.
func (s *Service) Submit(ctx context.Context, v sdk.Viewer, in sp.Deliver) (sp.Deliverable, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sp.Deliverable{}, err
	}
	if s.opts.Files == nil {
		return sp.Deliverable{}, fail.Msg(fail.Forbidden, "invalid.project.no-files")
	}
	if in.Upload == "" {
		return sp.Deliverable{}, fail.Field("upload", "invalid.project.deliver-file")
	}
	now := s.opts.Now()
	if in.FileID != 0 {
		d, p, err := s.visibleDeliverable(ctx, a, in.FileID)
		if err != nil {
			return sp.Deliverable{}, err
		}
		f, err := s.opts.Files.Get(ctx, d.FileID)
		if err != nil {
			return sp.Deliverable{}, err
		}
		err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			n, err := files.ClaimVersion(ctx, tx, v.UserID, in.Upload, f, "upload", now)
			if err != nil {
				return err
			}
			if _, err := tx.NewUpdate().Model((*deliverableRow)(nil)).Set("status = ?", sp.Submitted).Set("version = ?", n).
				Set("submitted_by = ?", v.UserID).Set("submitted_at = ?", now).Set("reviewed_by = NULL").Set("reviewed_at = NULL").
				Set("review = ''").Where("file_id = ?", d.FileID).Exec(ctx); err != nil {
				return fmt.Errorf("reset review of deliverable %d: %w", d.FileID, err)
			}
			if err := s.log(ctx, tx, v, p.ID, d.TaskID, act("delivered-version", "Version", strconv.Itoa(n), "File", f.Name)); err != nil {
				return err
			}
			return s.touch(ctx, tx, p.ID)
		})
		if err != nil {
			return sp.Deliverable{}, err
		}
		return s.deliverable(ctx, d.FileID)
	}
	if (in.TaskID == 0) == (in.MilestoneID == 0) {
		return sp.Deliverable{}, fail.Field("taskId", "invalid.project.deliver-on")
	}
	var p projectRow
	var taskID, milestoneID *int64
	if in.TaskID != 0 {
		t, tp, err := s.task(ctx, a, in.TaskID)
		if err != nil {
			return sp.Deliverable{}, err
		}
		p, taskID, milestoneID = tp, &t.ID, t.MilestoneID
	} else {
		var m milestoneRow
		if err := s.db.NewSelect().Model(&m).Where("id = ?", in.MilestoneID).Limit(1).Scan(ctx); err != nil {
			return sp.Deliverable{}, fail.Msg(fail.NotFound, "invalid.project.no-milestone")
		}
		if p, err = s.project(ctx, a, m.ProjectID); err != nil {
			return sp.Deliverable{}, fail.Msg(fail.NotFound, "invalid.project.no-milestone")
		}
		milestoneID = &m.ID
	}
	var fileID int64
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		fs, err := files.Claim(ctx, tx, v.UserID, []string{in.Upload}, files.KindDeliverable, &p.PartnerID, "upload")
		if err != nil {
			return err
		}
		fileID = fs[0].ID
		d := deliverableRow{FileID: fileID, ProjectID: p.ID, TaskID: taskID, MilestoneID: milestoneID, Status: sp.Submitted,
			Version: 1, SubmittedBy: &v.UserID, SubmittedAt: now}
		if _, err := tx.NewInsert().Model(&d).Exec(ctx); err != nil {
			return fmt.Errorf("store deliverable: %w", err)
		}
		if err := s.log(ctx, tx, v, p.ID, taskID, act("delivered", "File", fs[0].Name)); err != nil {
			return err
		}
		return s.touch(ctx, tx, p.ID)
	})
	if err != nil {
		return sp.Deliverable{}, err
	}
	return s.deliverable(ctx, fileID)
}

// Review approves a deliverable's latest version or sends it back with a
// comment: staff who reach the partner only.
func (s *Service) Review(ctx context.Context, v sdk.Viewer, in sp.Review) (sp.Deliverable, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sp.Deliverable{}, err
	}
	d, p, err := s.visibleDeliverable(ctx, a, in.FileID)
	if err != nil {
		return sp.Deliverable{}, err
	}
	if !a.reviews(p.PartnerID) {
		return sp.Deliverable{}, fail.Msg(fail.Forbidden, "invalid.project.review-staff")
	}
	comment, err := cleanText("comment", in.Comment, MaxComment)
	if err != nil {
		return sp.Deliverable{}, err
	}
	switch in.Status {
	case sp.Approved:
	case sp.ChangesRequested:
		if comment == "" {
			return sp.Deliverable{}, fail.Field("comment", "invalid.project.say-change")
		}
	default:
		return sp.Deliverable{}, fail.Field("status", "invalid.project.review-choice")
	}
	name := ""
	if s.opts.Files != nil {
		if f, err := s.opts.Files.Get(ctx, d.FileID); err == nil {
			name = f.Name
		}
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model((*deliverableRow)(nil)).Set("status = ?", in.Status).Set("reviewed_by = ?", v.UserID).
			Set("reviewed_at = ?", s.opts.Now()).Set("review = ?", comment).Where("file_id = ?", d.FileID).Exec(ctx); err != nil {
			return fmt.Errorf("review deliverable %d: %w", d.FileID, err)
		}
		what := act("approved-version", "Version", strconv.Itoa(d.Version), "File", name)
		if in.Status == sp.ChangesRequested {
			what = act("sent-back-version", "Version", strconv.Itoa(d.Version), "File", name)
		}
		if err := s.log(ctx, tx, v, p.ID, d.TaskID, what); err != nil {
			return err
		}
		return s.touch(ctx, tx, p.ID)
	})
	if err != nil {
		return sp.Deliverable{}, err
	}
	if d.SubmittedBy != nil && *d.SubmittedBy != v.UserID {
		title := notify.Say("notify.deliverable-approved.title", "File", name)
		body := notify.Say("notify.deliverable-approved.body", "Name", v.Name, "Project", p.Name)
		if in.Status == sp.ChangesRequested {
			title = notify.Say("notify.deliverable-returned.title", "File", name)
			body = notify.Say("notify.deliverable-returned.body", "Name", v.Name, "Project", p.Name, "Comment", comment)
		}
		link := s.projectLink(ctx, p.ID)
		if d.TaskID != nil {
			link = s.taskLink(ctx, taskRow{ID: *d.TaskID, ProjectID: p.ID})
		}
		s.tell(ctx, p, []int64{*d.SubmittedBy}, notify.Notification{Kind: KindReviewed, TitleText: title, BodyText: body, Link: link})
	}
	return s.deliverable(ctx, d.FileID)
}

// CanSeeDeliverable reports whether the viewer may download a deliverable:
// whoever sees its project. A file that is no deliverable is not theirs.
func (s *Service) CanSeeDeliverable(ctx context.Context, v sdk.Viewer, fileID int64) (bool, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return false, err
	}
	_, _, err = s.visibleDeliverable(ctx, a, fileID)
	if fail.CodeOf(err) == fail.NotFound {
		return false, nil
	}
	return err == nil, err
}
