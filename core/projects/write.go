package projects

import (
	"context"
	"fmt"
	"slices"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/projects"
	"github.com/uptrace/bun"
)

// Create makes a project, with a template's milestones and tasks laid out
// from its start when one is named. The creator joins it and, unless named
// otherwise, owns it on their side.
func (s *Service) Create(ctx context.Context, v sdk.Viewer, in sp.NewProject) (sp.ProjectDetail, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sp.ProjectDetail{}, err
	}
	pid := in.PartnerID
	switch {
	case a.staff():
		if pid == 0 {
			return sp.ProjectDetail{}, fail.Field("partnerId", "invalid.project.partner")
		}
		if !a.rc.Manages(pid) {
			return sp.ProjectDetail{}, fail.Msg(fail.NotFound, "invalid.partner.none")
		}
	case v.Partner != nil && a.rc.CanWrite(v.Partner.ID) && (pid == 0 || pid == v.Partner.ID):
		pid = v.Partner.ID
	case v.Partner != nil && a.rc.CanWrite(v.Partner.ID):
		return sp.ProjectDetail{}, fail.Msg(fail.NotFound, "invalid.partner.none")
	default:
		return sp.ProjectDetail{}, fail.Msg(fail.NotFound, "invalid.project.cannot-start")
	}
	bad := fail.Problems{}
	p := projectRow{PartnerID: pid, Status: in.Status, CreatedBy: &v.UserID, CreatedAt: s.opts.Now(), UpdatedAt: s.opts.Now()}
	if p.Status == "" {
		p.Status = sp.Planned
	}
	if !validStatus(projectStatuses, p.Status) {
		bad.Add("status", "invalid.project.status")
	}
	p.Name, err = cleanLine("name", in.Name, MaxName, "invalid.project.name")
	bad.Merge(err)
	p.Customer, err = cleanLine("customer", in.Customer, MaxName, "")
	bad.Merge(err)
	p.Description, err = cleanText("description", in.Description, MaxDescription)
	bad.Merge(err)
	p.StartOn, err = cleanDate("start", in.Start, true)
	bad.Merge(err)
	p.TargetOn, err = cleanDate("target", in.Target, true)
	bad.Merge(err)
	if p.StartOn != "" && p.TargetOn != "" && p.TargetOn < p.StartOn {
		bad.Add("target", "invalid.project.target-before-start")
	}
	var tpl *template
	if in.TemplateID != 0 {
		t, err := s.template(ctx, in.TemplateID)
		if err != nil {
			bad.Add("templateId", "invalid.project.template")
		} else {
			tpl = &t
		}
	}
	cands, err := s.candidates(ctx, pid)
	if err != nil {
		return sp.ProjectDetail{}, err
	}
	people := map[int64]sp.Person{}
	for _, c := range cands {
		people[c.ID] = c
	}
	members := []int64{v.UserID}
	for _, id := range in.Members {
		if _, ok := people[id]; !ok {
			bad.Add("members", "invalid.project.members")
			continue
		}
		members = append(members, id)
	}
	owner := func(field string, id int64, staff bool) *int64 {
		if id == 0 {
			return nil
		}
		c, ok := people[id]
		if !ok || c.Staff != staff {
			if staff {
				bad.Add(field, "invalid.project.vendor-owner")
			} else {
				bad.Add(field, "invalid.project.partner-owner")
			}
			return nil
		}
		members = append(members, id)
		return &id
	}
	p.PartnerOwnerID = owner("partnerOwner", in.PartnerOwner, false)
	p.VendorOwnerID = owner("vendorOwner", in.VendorOwner, true)
	if p.VendorOwnerID == nil && in.VendorOwner == 0 && a.staff() {
		p.VendorOwnerID = &v.UserID
	}
	if p.PartnerOwnerID == nil && in.PartnerOwner == 0 && !a.staff() {
		p.PartnerOwnerID = &v.UserID
	}
	if err := bad.Err(); err != nil {
		return sp.ProjectDetail{}, err
	}
	slices.Sort(members)
	members = slices.Compact(members)
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(&p).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("store project: %w", err)
		}
		for _, id := range members {
			if _, err := tx.NewInsert().Model(&memberRow{ProjectID: p.ID, UserID: id, AddedAt: s.opts.Now()}).Exec(ctx); err != nil {
				return fmt.Errorf("add member %d: %w", id, err)
			}
		}
		if tpl != nil {
			if err := s.layOut(ctx, tx, v, p, *tpl); err != nil {
				return err
			}
		}
		if err := s.log(ctx, tx, v, p.ID, nil, act("created-project")); err != nil {
			return err
		}
		return s.recount(ctx, tx, p.ID)
	})
	if err != nil {
		return sp.ProjectDetail{}, err
	}
	return s.written(ctx, a, p.ID)
}

// written is a project's detail right after the viewer changed it. The
// project is read again: the detail is cached under the revision read
// with it, and the revision read before the change would find the
// detail from before it.
func (s *Service) written(ctx context.Context, a access, id int64) (sp.ProjectDetail, error) {
	p, err := s.project(ctx, a, id)
	if err != nil {
		return sp.ProjectDetail{}, err
	}
	return s.detail(ctx, a, p)
}

// Update changes a project: its owners, its partner's admins and the staff
// who reach the partner may.
func (s *Service) Update(ctx context.Context, v sdk.Viewer, in sp.ProjectChange) (sp.ProjectDetail, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sp.ProjectDetail{}, err
	}
	p, err := s.manageable(ctx, a, in.ID)
	if err != nil {
		return sp.ProjectDetail{}, err
	}
	bad := fail.Problems{}
	var lines []*notify.Text
	str := func(field string, in *string, to *string, clean func(string) (string, error), what *notify.Text) {
		if in == nil {
			return
		}
		c, err := clean(*in)
		if err != nil {
			bad.Merge(err)
			return
		}
		if c != *to {
			*to = c
			lines = append(lines, what)
		}
	}
	str("name", in.Name, &p.Name, func(s string) (string, error) { return cleanLine("name", s, MaxName, "invalid.project.name") }, act("renamed-project"))
	str("customer", in.Customer, &p.Customer, func(s string) (string, error) { return cleanLine("customer", s, MaxName, "") }, act("changed-customer"))
	str("description", in.Description, &p.Description, func(s string) (string, error) { return cleanText("description", s, MaxDescription) }, act("changed-project-description"))
	str("start", in.Start, &p.StartOn, func(s string) (string, error) { return cleanDate("start", s, true) }, act("changed-start"))
	str("target", in.Target, &p.TargetOn, func(s string) (string, error) { return cleanDate("target", s, true) }, act("changed-target"))
	if p.TargetOn < p.StartOn {
		bad.Add("target", "invalid.project.target-before-start")
	}
	if in.Status != nil && *in.Status != p.Status {
		if !validStatus(projectStatuses, *in.Status) {
			bad.Add("status", "invalid.project.status")
		} else {
			p.Status = *in.Status
			lines = append(lines, act("set-status").Word("Status", "project", p.Status))
		}
	}
	cands, err := s.candidates(ctx, p.PartnerID)
	if err != nil {
		return sp.ProjectDetail{}, err
	}
	people := map[int64]sp.Person{}
	for _, c := range cands {
		people[c.ID] = c
	}
	var add []int64
	setOwner := func(field string, in *int64, to **int64, staff bool, what *notify.Text) {
		if in == nil {
			return
		}
		if *in == 0 {
			if *to != nil {
				*to = nil
				lines = append(lines, what)
			}
			return
		}
		c, ok := people[*in]
		if !ok || c.Staff != staff {
			if staff {
				bad.Add(field, "invalid.project.vendor-owner")
			} else {
				bad.Add(field, "invalid.project.partner-owner")
			}
			return
		}
		if *to == nil || **to != *in {
			id := *in
			*to = &id
			add = append(add, id)
			lines = append(lines, what)
		}
	}
	setOwner("partnerOwner", in.PartnerOwner, &p.PartnerOwnerID, false, act("changed-partner-owner"))
	setOwner("vendorOwner", in.VendorOwner, &p.VendorOwnerID, true, act("changed-vendor-owner"))
	for _, id := range in.AddMembers {
		if _, ok := people[id]; !ok {
			bad.Add("addMembers", "invalid.project.members")
			continue
		}
		add = append(add, id)
	}
	var remove []int64
	for _, id := range in.RemoveMembers {
		if (p.PartnerOwnerID != nil && *p.PartnerOwnerID == id) || (p.VendorOwnerID != nil && *p.VendorOwnerID == id) {
			bad.Add("removeMembers", "invalid.project.owner-stays")
			continue
		}
		n, err := s.db.NewSelect().Model((*taskRow)(nil)).Where("project_id = ? AND assignee_id = ? AND status <> ?", p.ID, id, sp.TaskDone).Count(ctx)
		if err != nil {
			return sp.ProjectDetail{}, fmt.Errorf("count tasks of member %d: %w", id, err)
		}
		if n > 0 {
			bad.Add("removeMembers", "invalid.project.open-tasks-stay")
			continue
		}
		remove = append(remove, id)
	}
	if err := bad.Err(); err != nil {
		return sp.ProjectDetail{}, err
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p.UpdatedAt = s.opts.Now()
		if _, err := tx.NewUpdate().Model(&p).Column("name", "customer", "description", "start_on", "target_on", "status",
			"partner_owner_id", "vendor_owner_id", "updated_at").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("update project %d: %w", p.ID, err)
		}
		for _, id := range add {
			if _, err := tx.NewInsert().Model(&memberRow{ProjectID: p.ID, UserID: id, AddedAt: s.opts.Now()}).
				On("CONFLICT (project_id, user_id) DO NOTHING").Exec(ctx); err != nil {
				return fmt.Errorf("add member %d: %w", id, err)
			}
		}
		if len(in.AddMembers) > 0 {
			lines = append(lines, act("added-people"))
		}
		if len(remove) > 0 {
			if _, err := tx.NewDelete().Model((*memberRow)(nil)).Where("project_id = ? AND user_id IN (?)", p.ID, bun.List(remove)).Exec(ctx); err != nil {
				return fmt.Errorf("remove members: %w", err)
			}
			lines = append(lines, act("removed-people"))
		}
		for _, l := range lines {
			if err := s.log(ctx, tx, v, p.ID, nil, l); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return sp.ProjectDetail{}, err
	}
	return s.written(ctx, a, p.ID)
}

// ChangeMilestone adds, changes or deletes a milestone of a project the
// viewer manages.
func (s *Service) ChangeMilestone(ctx context.Context, v sdk.Viewer, in sp.MilestoneChange) (sp.Milestone, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sp.Milestone{}, err
	}
	var m milestoneRow
	if in.ID != 0 {
		if err := s.db.NewSelect().Model(&m).Where("id = ?", in.ID).Limit(1).Scan(ctx); err != nil {
			return sp.Milestone{}, fail.Msg(fail.NotFound, "invalid.project.no-milestone")
		}
		if in.ProjectID != 0 && in.ProjectID != m.ProjectID {
			return sp.Milestone{}, fail.Msg(fail.NotFound, "invalid.project.no-milestone")
		}
	} else {
		if in.ProjectID == 0 {
			return sp.Milestone{}, fail.Field("projectId", "invalid.milestone.project")
		}
		m.ProjectID = in.ProjectID
	}
	p, err := s.project(ctx, a, m.ProjectID)
	if err != nil {
		if in.ID != 0 {
			return sp.Milestone{}, fail.Msg(fail.NotFound, "invalid.project.no-milestone")
		}
		return sp.Milestone{}, err
	}
	if !a.manages(p) {
		return sp.Milestone{}, fail.Msg(fail.Forbidden, "invalid.milestone.change-owners")
	}
	if in.Delete {
		if in.ID == 0 {
			return sp.Milestone{}, fail.Msg(fail.NotFound, "invalid.project.no-milestone")
		}
		err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.NewUpdate().Model((*taskRow)(nil)).Set("milestone_id = NULL").Where("milestone_id = ?", m.ID).Exec(ctx); err != nil {
				return fmt.Errorf("free tasks of milestone %d: %w", m.ID, err)
			}
			if _, err := tx.NewDelete().Model((*milestoneRow)(nil)).Where("id = ?", m.ID).Exec(ctx); err != nil {
				return fmt.Errorf("delete milestone %d: %w", m.ID, err)
			}
			if err := s.log(ctx, tx, v, p.ID, nil, act("milestone-deleted", "Milestone", m.Title)); err != nil {
				return err
			}
			return s.recount(ctx, tx, p.ID)
		})
		return m.sdk(day(s.today())), err
	}
	bad := fail.Problems{}
	var what *notify.Text
	if in.Title != nil || in.ID == 0 {
		t := ""
		if in.Title != nil {
			t = *in.Title
		}
		m.Title, err = cleanLine("title", t, MaxName, "invalid.milestone.title")
		bad.Merge(err)
	}
	if in.Start != nil || in.ID == 0 {
		d := p.StartOn
		if in.Start != nil && *in.Start != "" {
			d = *in.Start
		}
		m.StartOn, err = cleanDate("start", d, true)
		bad.Merge(err)
	}
	if in.Due != nil || in.ID == 0 {
		d := ""
		if in.Due != nil {
			d = *in.Due
		}
		m.DueOn, err = cleanDate("due", d, true)
		bad.Merge(err)
	}
	if m.StartOn != "" && m.DueOn != "" && m.DueOn < m.StartOn && !bad.Has("due") {
		bad.Add("due", "invalid.milestone.due-before-start")
	}
	if m.StartOn != "" && m.StartOn < p.StartOn && !bad.Has("start") {
		bad.Add("start", "invalid.milestone.before-project")
	}
	if in.Done != nil && *in.Done != m.Done {
		m.Done = *in.Done
		if m.Done {
			what = act("milestone-done", "Milestone", m.Title)
		} else {
			what = act("milestone-reopened", "Milestone", m.Title)
		}
	}
	if err := bad.Err(); err != nil {
		return sp.Milestone{}, err
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if m.ID == 0 {
			n, err := tx.NewSelect().Model((*milestoneRow)(nil)).Where("project_id = ?", p.ID).Count(ctx)
			if err != nil {
				return fmt.Errorf("count milestones: %w", err)
			}
			if n >= MaxMilestones {
				return fail.Field("title", "invalid.project.max-milestones", "Max", MaxMilestones)
			}
			m.Position = int(n) + 1
			if _, err := tx.NewInsert().Model(&m).Returning("id").Exec(ctx); err != nil {
				return fmt.Errorf("store milestone: %w", err)
			}
			what = act("milestone-added", "Milestone", m.Title)
		} else {
			if _, err := tx.NewUpdate().Model(&m).Column("title", "start_on", "due_on", "done").WherePK().Exec(ctx); err != nil {
				return fmt.Errorf("update milestone %d: %w", m.ID, err)
			}
			if what == nil {
				what = act("milestone-changed", "Milestone", m.Title)
			}
		}
		if err := s.log(ctx, tx, v, p.ID, nil, what); err != nil {
			return err
		}
		return s.touch(ctx, tx, p.ID)
	})
	if err != nil {
		return sp.Milestone{}, err
	}
	return m.sdk(day(s.today())), nil
}
