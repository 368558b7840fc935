package projects

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/projects"
	"github.com/uptrace/bun"
)

// summaryRow is a project with everything a list shows, as one query
// returns it.
type summaryRow struct {
	projectRow `bun:",extend"`

	PartnerName    string `bun:"partner_name"`
	PartnerOwner   string `bun:"partner_owner_name"`
	VendorOwner    string `bun:"vendor_owner_name"`
	LateTasks      int    `bun:"late_tasks"`
	LateMilestones int    `bun:"late_milestones"`
	Milestones     int    `bun:"milestones"`
	Health         string `bun:"health"`
	Member         bool   `bun:"member"`

	// The flags health is derived from, which summaries selects.
	AnyLateTask      bool `bun:"any_late_task"`
	AnyLateMilestone bool `bun:"any_late_milestone"`
	AnyRisky         bool `bun:"any_risky_milestone"`
}

// healthExpr derives a project's health from the flags of x (see
// summaries): finished and cancelled projects are on track.
const healthExpr = `CASE WHEN x.status IN ('done', 'cancelled') THEN 'on_track'
	WHEN x.any_late_milestone THEN 'late'
	WHEN x.any_late_task OR x.any_risky_milestone THEN 'at_risk'
	ELSE 'on_track' END`

// healthOrder puts the projects that need attention first, then the
// rest, each by target date.
const healthOrder = "CASE WHEN health = 'on_track' THEN 1 ELSE 0 END, target_on, id"

// summaries selects the projects a viewer sees, as a query over alias x
// with the health column; filters are added by the caller. Health comes
// from indexed EXISTS tests that stop at the first late task or
// milestone, so ordering 200 projects by health reads a row or two of
// each, not all their open tasks; withCounts adds the counts a list
// shows, for the rows of one page only.
func (s *Service) summaries(a access, q *bun.SelectQuery, filter func(*bun.SelectQuery) *bun.SelectQuery) *bun.SelectQuery {
	today := day(s.today())
	week := addDays(today, 7)
	inner := s.db.NewSelect().Model((*projectRow)(nil)).
		ColumnExpr("p.*").
		ColumnExpr("pa.name AS partner_name").
		ColumnExpr("COALESCE(po.name, '') AS partner_owner_name").
		ColumnExpr("COALESCE(vo.name, '') AS vendor_owner_name").
		ColumnExpr("EXISTS (SELECT 1 FROM project_tasks AS lt WHERE lt.project_id = p.id AND lt.status <> 'done' AND lt.due_on <> '' AND lt.due_on < ?) AS any_late_task", today).
		ColumnExpr("EXISTS (SELECT 1 FROM project_milestones AS lm WHERE lm.project_id = p.id AND "+lateMilestone+") AS any_late_milestone", today).
		ColumnExpr("EXISTS (SELECT 1 FROM project_milestones AS rm WHERE rm.project_id = p.id AND rm.due_on >= ? AND rm.due_on <= ? AND NOT rm.done AND rm.tasks_done * 2 < rm.tasks) AS any_risky_milestone", today, week).
		ColumnExpr("EXISTS (SELECT 1 FROM project_members AS me WHERE me.project_id = p.id AND me.user_id = ?) AS member", a.v.UserID).
		Join("JOIN partners AS pa ON pa.id = p.partner_id").
		Join("LEFT JOIN users AS po ON po.id = p.partner_owner_id").
		Join("LEFT JOIN users AS vo ON vo.id = p.vendor_owner_id")
	inner = a.narrow(inner, "p.partner_id")
	if filter != nil {
		inner = filter(inner)
	}
	return q.TableExpr("(?) AS x", inner).ColumnExpr("x.*").ColumnExpr(healthExpr + " AS health")
}

// lateMilestone is a milestone of alias lm past its date (the first
// argument, today) and neither marked done nor with all its tasks done.
const lateMilestone = "lm.due_on < ? AND NOT lm.done AND NOT (lm.tasks > 0 AND lm.tasks_done = lm.tasks)"

// withCounts reads page (a summaries query, ordered and limited) as
// alias y and adds the counts a list shows, so they are counted for the
// page's rows only; the rows keep healthOrder.
func (s *Service) withCounts(page *bun.SelectQuery) *bun.SelectQuery {
	today := day(s.today())
	return s.db.NewSelect().TableExpr("(?) AS y", page).ColumnExpr("y.*").
		ColumnExpr("(SELECT COUNT(*) FROM project_tasks AS lt WHERE lt.project_id = y.id AND lt.status <> 'done' AND lt.due_on <> '' AND lt.due_on < ?) AS late_tasks", today).
		ColumnExpr("(SELECT COUNT(*) FROM project_milestones AS lm WHERE lm.project_id = y.id AND "+lateMilestone+") AS late_milestones", today).
		ColumnExpr("(SELECT COUNT(*) FROM project_milestones AS cm WHERE cm.project_id = y.id) AS milestones").
		OrderExpr(healthOrder)
}

func (r summaryRow) sdk() sp.Project {
	p := sp.Project{ID: r.ID, PartnerID: r.PartnerID, PartnerName: r.PartnerName, Name: r.Name, Customer: r.Customer,
		Description: r.Description, Start: r.StartOn, Target: r.TargetOn, Status: r.Status, Health: r.Health,
		Progress: progress(r.TasksDone, r.Tasks), Tasks: r.Tasks, TasksDone: r.TasksDone, LateTasks: r.LateTasks,
		LateMilestones: r.LateMilestones, Milestones: r.Milestones, UpdatedAt: r.UpdatedAt, Member: r.Member}
	if r.PartnerOwnerID != nil && r.PartnerOwner != "" {
		p.PartnerOwner = &sp.Person{ID: *r.PartnerOwnerID, Name: r.PartnerOwner}
	}
	if r.VendorOwnerID != nil && r.VendorOwner != "" {
		p.VendorOwner = &sp.Person{ID: *r.VendorOwnerID, Name: r.VendorOwner, Staff: true}
	}
	return p
}

// likeEscape makes s a LIKE pattern matching it anywhere, with \ escaping.
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(s)) + "%"
}

// projectFilter applies a ProjectQuery's filters to the inner query and
// checks them.
func projectFilter(a access, q sp.ProjectQuery) (func(*bun.SelectQuery) *bun.SelectQuery, func(*bun.SelectQuery) *bun.SelectQuery, error) {
	if q.Status != "" && !validStatus(projectStatuses, q.Status) {
		return nil, nil, fail.Field("status", "invalid.project.status")
	}
	switch q.Health {
	case "", sp.OnTrack, sp.AtRisk, sp.Late:
	default:
		return nil, nil, fail.Field("health", "invalid.project.health")
	}
	inner := func(sel *bun.SelectQuery) *bun.SelectQuery {
		if q.Status != "" {
			sel = sel.Where("p.status = ?", q.Status)
		}
		if q.PartnerID != 0 {
			sel = sel.Where("p.partner_id = ?", q.PartnerID)
		}
		if q.Mine {
			sel = sel.Where("EXISTS (SELECT 1 FROM project_members AS mi WHERE mi.project_id = p.id AND mi.user_id = ?)", a.v.UserID)
		}
		if t := strings.TrimSpace(q.Q); t != "" {
			pat := likeEscape(t)
			sel = sel.WhereGroup(" AND ", func(sel *bun.SelectQuery) *bun.SelectQuery {
				return sel.Where(`lower(p.name) LIKE ? ESCAPE '\'`, pat).WhereOr(`lower(p.customer) LIKE ? ESCAPE '\'`, pat)
			})
		}
		return sel
	}
	outer := func(sel *bun.SelectQuery) *bun.SelectQuery {
		if q.Health != "" {
			sel = sel.Where(healthExpr+" = ?", q.Health)
		}
		if q.Attention {
			sel = sel.Where(healthExpr + " <> 'on_track'")
		}
		return sel
	}
	return inner, outer, nil
}

// List returns one page of the projects the viewer sees: those needing
// attention first, then by target date.
func (s *Service) List(ctx context.Context, v sdk.Viewer, q sp.ProjectQuery) (sp.ProjectPage, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sp.ProjectPage{}, err
	}
	if q.PerPage <= 0 || q.PerPage > 100 {
		q.PerPage = 25
	}
	q.Page = max(q.Page, 1)
	inner, outer, err := projectFilter(a, q)
	if err != nil {
		return sp.ProjectPage{}, err
	}
	rows, total, err := s.cachedPage(ctx, a, q, inner, outer)
	if err != nil {
		return sp.ProjectPage{}, err
	}
	out := sp.ProjectPage{Projects: make([]sp.Project, 0, len(rows)), Total: total, Page: q.Page, PerPage: q.PerPage}
	for _, r := range rows {
		out.Projects = append(out.Projects, r.sdk())
	}
	if a.staff() {
		q := s.db.NewSelect().Table("partners").Column("id", "name").OrderExpr("lower(name), id").Limit(1000)
		if err := a.rc.WhereWritable(q, "id").Scan(ctx, &out.Partners); err != nil {
			return sp.ProjectPage{}, fmt.Errorf("list partners: %w", err)
		}
	}
	if !a.rc.None() {
		if out.Templates, err = s.templates(ctx); err != nil {
			return sp.ProjectPage{}, err
		}
	}
	return out, nil
}

// cachedPage is page for List. A partner user's pages are kept under the
// print of the projects they see (see listKey): working out the health of
// each of a partner's 200 projects on every request was most of the
// list's time on PostgreSQL, and its tail. Staff lists span many
// partners and are read each time.
func (s *Service) cachedPage(ctx context.Context, a access, q sp.ProjectQuery, inner, outer func(*bun.SelectQuery) *bun.SelectQuery) ([]summaryRow, int, error) {
	read := func() ([]summaryRow, int, error) {
		return s.page(ctx, a, inner, outer, q.PerPage, (q.Page-1)*q.PerPage)
	}
	if a.staff() || a.rc.None() {
		return read()
	}
	print, err := s.listPrint(ctx, a)
	if err != nil {
		return nil, 0, err
	}
	key := listKey{user: a.v.UserID, today: day(s.today()), query: q, print: print}
	if p, ok := s.cache.lists.Get(key); ok {
		return slices.Clone(p.rows), p.total, nil
	}
	rows, total, err := read()
	if err != nil {
		return nil, 0, err
	}
	s.cache.lists.Add(key, listPage{rows: slices.Clone(rows), total: total})
	return rows, total, nil
}

// listPrint digests the ids and revisions of every project the viewer
// sees, in id order: one indexed read of two columns, where the list
// itself reads each project's tasks and milestones.
func (s *Service) listPrint(ctx context.Context, a access) ([sha256.Size]byte, error) {
	var rows []struct {
		ID       int64 `bun:"id"`
		Revision int64 `bun:"revision"`
	}
	q := s.db.NewSelect().Model((*projectRow)(nil)).ColumnExpr("p.id, p.revision").OrderExpr("p.id")
	if err := a.narrow(q, "p.partner_id").Scan(ctx, &rows); err != nil {
		return [sha256.Size]byte{}, fmt.Errorf("list projects' revisions: %w", err)
	}
	h := sha256.New()
	var b [16]byte
	for _, r := range rows {
		binary.LittleEndian.PutUint64(b[:8], uint64(r.ID))
		binary.LittleEndian.PutUint64(b[8:], uint64(r.Revision))
		h.Write(b[:])
	}
	var out [sha256.Size]byte
	h.Sum(out[:0])
	return out, nil
}

// page reads one page of summaries (limit 0: all) and the total, counted
// by a window over the same query so that a page is one statement.
func (s *Service) page(ctx context.Context, a access, inner, outer func(*bun.SelectQuery) *bun.SelectQuery, limit, offset int) ([]summaryRow, int, error) {
	if a.rc.None() {
		return nil, 0, nil
	}
	var rows []struct {
		summaryRow `bun:",extend"`
		TotalRows  int `bun:"total_rows"`
	}
	sel := outer(s.summaries(a, s.db.NewSelect(), inner)).ColumnExpr("COUNT(*) OVER () AS total_rows").
		OrderExpr("CASE WHEN " + healthExpr + " = 'on_track' THEN 1 ELSE 0 END").
		OrderExpr("x.target_on, x.id")
	if limit > 0 {
		sel = sel.Limit(int64(limit)).Offset(int64(offset))
	}
	if err := s.withCounts(sel).Scan(ctx, &rows); err != nil {
		return nil, 0, fmt.Errorf("list projects: %w", err)
	}
	out := make([]summaryRow, len(rows))
	total := 0
	for i, r := range rows {
		out[i] = r.summaryRow
		total = r.TotalRows
	}
	if len(rows) == 0 && offset > 0 {
		// Past the last page: count without a page to carry the total.
		n, err := outer(s.summaries(a, s.db.NewSelect(), inner)).Count(ctx)
		if err != nil {
			return nil, 0, fmt.Errorf("count projects: %w", err)
		}
		total = int(n)
	}
	return out, total, nil
}

// project loads one project the viewer sees; any other is NotFound.
func (s *Service) project(ctx context.Context, a access, id int64) (projectRow, error) {
	var p projectRow
	err := a.narrow(s.db.NewSelect().Model(&p).Where("p.id = ?", id), "p.partner_id").Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return projectRow{}, notFound()
	}
	if err != nil {
		return projectRow{}, fmt.Errorf("load project %d: %w", id, err)
	}
	return p, nil
}

// manageable loads a project the viewer may change itself.
func (s *Service) manageable(ctx context.Context, a access, id int64) (projectRow, error) {
	p, err := s.project(ctx, a, id)
	if err != nil {
		return projectRow{}, err
	}
	if !a.manages(p) {
		return projectRow{}, fail.Msg(fail.Forbidden, "invalid.project.change-owners")
	}
	return p, nil
}

// summary loads one project as lists show it.
func (s *Service) summary(ctx context.Context, a access, id int64) (sp.Project, error) {
	var rows []summaryRow
	if err := s.withCounts(s.summaries(a, s.db.NewSelect(), func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("p.id = ?", id)
	})).Scan(ctx, &rows); err != nil {
		return sp.Project{}, fmt.Errorf("load project %d: %w", id, err)
	}
	if len(rows) == 0 {
		return sp.Project{}, notFound()
	}
	return rows[0].sdk(), nil
}

// Get returns a project with its milestones, members and what the viewer
// may do.
func (s *Service) Get(ctx context.Context, v sdk.Viewer, id int64) (sp.ProjectDetail, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sp.ProjectDetail{}, err
	}
	p, err := s.project(ctx, a, id)
	if err != nil {
		return sp.ProjectDetail{}, err
	}
	return s.detail(ctx, a, p)
}

// detail is a project as its pages show it to the viewer: what everyone
// who sees it sees, from the cache when the project has not changed, and
// what depends on the viewer.
func (s *Service) detail(ctx context.Context, a access, p projectRow) (sp.ProjectDetail, error) {
	key := detailKey{project: p.ID, revision: p.Revision, today: day(s.today())}
	out, ok := s.cache.detail(key)
	if !ok {
		var err error
		if out, err = s.shared(ctx, a, p); err != nil {
			return sp.ProjectDetail{}, err
		}
		s.cache.details.Add(key, out)
		out = cloneDetail(out)
	}
	out.CanManage, out.CanReview = a.manages(p), a.reviews(p.PartnerID)
	out.Project.Member = slices.ContainsFunc(out.Members, func(m sp.Person) bool { return m.ID == a.v.UserID })
	if out.CanManage {
		cands, err := s.candidates(ctx, p.PartnerID)
		if err != nil {
			return sp.ProjectDetail{}, err
		}
		in := map[int64]bool{}
		for _, m := range out.Members {
			in[m.ID] = true
		}
		for _, c := range cands {
			if !in[c.ID] {
				out.Candidates = append(out.Candidates, c)
			}
		}
	}
	return out, nil
}

// shared is the part of a project's detail that is the same for every
// viewer who sees the project.
func (s *Service) shared(ctx context.Context, a access, p projectRow) (sp.ProjectDetail, error) {
	sum, err := s.summary(ctx, a, p.ID)
	if err != nil {
		return sp.ProjectDetail{}, err
	}
	sum.Member = false
	out := sp.ProjectDetail{Project: sum, Today: day(s.today()), ByStatus: map[string]int{}}
	if out.Milestones, err = s.milestones(ctx, p.ID); err != nil {
		return sp.ProjectDetail{}, err
	}
	if out.Members, err = s.members(ctx, p.ID); err != nil {
		return sp.ProjectDetail{}, err
	}
	var counts []struct {
		Status string `bun:"status"`
		N      int    `bun:"n"`
	}
	if err := s.db.NewSelect().Table("project_tasks").ColumnExpr("status, COUNT(*) AS n").Where("project_id = ?", p.ID).
		Group("status").Scan(ctx, &counts); err != nil {
		return sp.ProjectDetail{}, fmt.Errorf("count tasks of project %d: %w", p.ID, err)
	}
	for _, st := range taskStatuses {
		out.ByStatus[st] = 0
	}
	for _, c := range counts {
		out.ByStatus[c.Status] = c.N
	}
	if out.Pending, err = s.deliverables(ctx, func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("d.project_id = ? AND d.status = ?", p.ID, sp.Submitted)
	}); err != nil {
		return sp.ProjectDetail{}, err
	}
	if out.Handed, err = s.deliverables(ctx, func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Where("d.project_id = ? AND d.task_id IS NULL", p.ID)
	}); err != nil {
		return sp.ProjectDetail{}, err
	}
	return out, nil
}

// milestones lists a project's milestones in date order.
func (s *Service) milestones(ctx context.Context, projectID int64) ([]sp.Milestone, error) {
	var rows []milestoneRow
	if err := s.db.NewSelect().Model(&rows).Where("project_id = ?", projectID).OrderExpr("due_on, position, id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("load milestones of project %d: %w", projectID, err)
	}
	today := day(s.today())
	out := make([]sp.Milestone, 0, len(rows))
	for _, m := range rows {
		out = append(out, m.sdk(today))
	}
	return out, nil
}

func (m milestoneRow) sdk(today string) sp.Milestone {
	done := m.Done || (m.Tasks > 0 && m.TasksDone == m.Tasks)
	return sp.Milestone{ID: m.ID, ProjectID: m.ProjectID, Title: m.Title, Start: m.StartOn, Due: m.DueOn, Done: done,
		Late: !done && m.DueOn < today, Progress: progress(m.TasksDone, m.Tasks), Tasks: m.Tasks, TasksDone: m.TasksDone,
		Position: m.Position}
}

// members lists a project's people, staff first, by name.
func (s *Service) members(ctx context.Context, projectID int64) ([]sp.Person, error) {
	var rows []struct {
		ID   int64  `bun:"id"`
		Name string `bun:"name"`
		Role string `bun:"role"`
	}
	if err := s.db.NewSelect().Table("project_members").ColumnExpr("u.id, u.name, u.role").
		Join("JOIN users AS u ON u.id = project_members.user_id").Where("project_members.project_id = ?", projectID).
		OrderExpr("CASE WHEN u.role IN ('admin', 'manager') THEN 0 ELSE 1 END, lower(u.name), u.id").Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("load members of project %d: %w", projectID, err)
	}
	out := make([]sp.Person, 0, len(rows))
	for _, r := range rows {
		out = append(out, sp.Person{ID: r.ID, Name: r.Name, Staff: sdk.Role(r.Role).Staff()})
	}
	return out, nil
}

// candidates are who may be on a partner's project: its active users and
// the active staff who reach it.
func (s *Service) candidates(ctx context.Context, partnerID int64) ([]sp.Person, error) {
	var out []sp.Person
	staff, err := s.reach.StaffOf(ctx, partnerID)
	if err != nil {
		return nil, fmt.Errorf("list staff of partner %d: %w", partnerID, err)
	}
	if len(staff) > 0 {
		if err := s.db.NewSelect().Table("users").Column("id", "name").Where("id IN (?) AND active", bun.List(staff)).
			OrderExpr("lower(name), id").Scan(ctx, &out); err != nil {
			return nil, fmt.Errorf("list staff: %w", err)
		}
		for i := range out {
			out[i].Staff = true
		}
	}
	var team []sp.Person
	if err := s.db.NewSelect().Table("users").Column("id", "name").Where("partner_id = ? AND active", partnerID).
		OrderExpr("lower(name), id").Limit(1000).Scan(ctx, &team); err != nil {
		return nil, fmt.Errorf("list the partner's users: %w", err)
	}
	return append(out, team...), nil
}

// isMember reports whether a user is on a project.
func isMember(ctx context.Context, db bun.IDB, projectID, userID int64) (bool, error) {
	return db.NewSelect().Table("project_members").Where("project_id = ? AND user_id = ?", projectID, userID).Exists(ctx)
}

// touch marks a project changed now.
func (s *Service) touch(ctx context.Context, db bun.IDB, projectID int64) error {
	if _, err := db.NewUpdate().Model((*projectRow)(nil)).Set("updated_at = ?", s.opts.Now()).Where("id = ?", projectID).Exec(ctx); err != nil {
		return fmt.Errorf("touch project %d: %w", projectID, err)
	}
	return nil
}

// recount stores a project's and its milestones' task totals again after
// tasks changed.
func (s *Service) recount(ctx context.Context, db bun.IDB, projectID int64) error {
	if _, err := db.NewUpdate().Model((*milestoneRow)(nil)).
		Set("tasks = (SELECT COUNT(*) FROM project_tasks AS ct WHERE ct.milestone_id = m.id)").
		Set("tasks_done = (SELECT COUNT(*) FROM project_tasks AS ct WHERE ct.milestone_id = m.id AND ct.status = 'done')").
		Where("m.project_id = ?", projectID).Exec(ctx); err != nil {
		return fmt.Errorf("count tasks of milestones of project %d: %w", projectID, err)
	}
	if _, err := db.NewUpdate().Model((*projectRow)(nil)).
		Set("tasks = (SELECT COUNT(*) FROM project_tasks AS ct WHERE ct.project_id = p.id)").
		Set("tasks_done = (SELECT COUNT(*) FROM project_tasks AS ct WHERE ct.project_id = p.id AND ct.status = 'done')").
		Set("updated_at = ?", s.opts.Now()).
		Where("p.id = ?", projectID).Exec(ctx); err != nil {
		return fmt.Errorf("count tasks of project %d: %w", projectID, err)
	}
	return nil
}

// log writes one line of history.
func (s *Service) log(ctx context.Context, db bun.IDB, v sdk.Viewer, projectID int64, taskID *int64, what *notify.Text) error {
	r := activityRow{ProjectID: projectID, TaskID: taskID, Who: v.Name, At: s.opts.Now()}
	r.What, r.WhatText = stored(what)
	if v.UserID != 0 {
		r.UserID = &v.UserID
	}
	if r.Who == "" {
		r.Who = "Someone"
	}
	if _, err := db.NewInsert().Model(&r).Exec(ctx); err != nil {
		return fmt.Errorf("record history of project %d: %w", projectID, err)
	}
	return nil
}

// What Within checks.
const (
	InMilestone   = "milestone"
	InTask        = "task"
	InDeliverable = "deliverable"
)

// Within reports NotFound unless the milestone, task or deliverable (a
// file id) id belongs to project projectID and the viewer sees it: the
// REST API names both in its paths, and a mismatch is a thing that does
// not exist.
func (s *Service) Within(ctx context.Context, v sdk.Viewer, projectID int64, what string, id int64) error {
	a, err := s.access(ctx, v)
	if err != nil {
		return err
	}
	if _, err := s.project(ctx, a, projectID); err != nil {
		return err
	}
	var q *bun.SelectQuery
	switch what {
	case InMilestone:
		q = s.db.NewSelect().Model((*milestoneRow)(nil)).Where("id = ? AND project_id = ?", id, projectID)
	case InTask:
		q = s.db.NewSelect().Model((*taskRow)(nil)).Where("id = ? AND project_id = ?", id, projectID)
	case InDeliverable:
		q = s.db.NewSelect().Model((*deliverableRow)(nil)).Where("file_id = ? AND project_id = ?", id, projectID)
	default:
		return fmt.Errorf("within: unknown kind %q", what)
	}
	ok, err := q.Exists(ctx)
	if err != nil {
		return fmt.Errorf("check %s %d of project %d: %w", what, id, projectID, err)
	}
	if !ok {
		return fail.Msg(fail.NotFound, map[string]string{InMilestone: "invalid.project.no-milestone-here",
			InTask: "invalid.project.no-task-here", InDeliverable: "invalid.project.no-deliverable-here"}[what])
	}
	return nil
}
