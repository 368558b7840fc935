package projects

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/projects"
)

// Workload is open work per assignee over the projects the viewer sees,
// most late first: the staff view of who carries what.
func (s *Service) Workload(ctx context.Context, v sdk.Viewer, q sp.WorkloadQuery) (sp.Workload, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sp.Workload{}, err
	}
	out := sp.Workload{People: []sp.Load{}}
	if a.rc.None() {
		return out, nil
	}
	today := day(s.today())
	var rows []struct {
		ID       int64  `bun:"id"`
		Name     string `bun:"name"`
		Role     string `bun:"role"`
		Open     int    `bun:"open"`
		Late     int    `bun:"late"`
		Blocked  int    `bun:"blocked"`
		Projects int    `bun:"projects"`
	}
	sel := s.db.NewSelect().Model((*taskRow)(nil)).
		ColumnExpr("u.id, u.name, u.role").
		ColumnExpr("COUNT(*) AS open").
		ColumnExpr("SUM(CASE WHEN t.due_on <> '' AND t.due_on < ? THEN 1 ELSE 0 END) AS late", today).
		ColumnExpr("SUM(CASE WHEN t.status = 'blocked' THEN 1 ELSE 0 END) AS blocked").
		ColumnExpr("COUNT(DISTINCT t.project_id) AS projects").
		Join("JOIN users AS u ON u.id = t.assignee_id").
		Join("JOIN projects AS p ON p.id = t.project_id").
		Where("t.status <> 'done'").Where("p.status NOT IN ('done', 'cancelled')")
	sel = a.narrow(sel, "t.partner_id")
	if q.PartnerID != 0 {
		sel = sel.Where("t.partner_id = ?", q.PartnerID)
	}
	if err := sel.GroupExpr("u.id, u.name, u.role").OrderExpr("late DESC, open DESC, lower(u.name)").Limit(1000).Scan(ctx, &rows); err != nil {
		return sp.Workload{}, fmt.Errorf("workload: %w", err)
	}
	for _, r := range rows {
		out.People = append(out.People, sp.Load{Person: sp.Person{ID: r.ID, Name: r.Name, Staff: sdk.Role(r.Role).Staff()},
			Open: r.Open, Late: r.Late, Blocked: r.Blocked, Projects: r.Projects})
	}
	return out, nil
}

// ExportCSV writes the projects the viewer sees, filtered like a list, as
// CSV: staff only, since it is the vendor's report over its partners.
func (s *Service) ExportCSV(ctx context.Context, v sdk.Viewer, q sp.ProjectQuery, w io.Writer) error {
	a, err := s.access(ctx, v)
	if err != nil {
		return err
	}
	if !a.staff() {
		return fail.Msg(fail.Forbidden, "invalid.project.export-staff")
	}
	inner, outer, err := projectFilter(a, q)
	if err != nil {
		return err
	}
	rows, _, err := s.page(ctx, a, inner, outer, 0, 0)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"id", "partner", "name", "customer", "status", "health", "start", "target", "progress", "tasks", "tasks_done",
		"late_tasks", "late_milestones", "partner_owner", "vendor_owner"})
	for _, r := range rows {
		p := r.sdk()
		owner := func(o *sp.Person) string {
			if o == nil {
				return ""
			}
			return o.Name
		}
		if err := cw.Write([]string{strconv.FormatInt(p.ID, 10), csvSafe(p.PartnerName), csvSafe(p.Name), csvSafe(p.Customer), p.Status, p.Health,
			p.Start, p.Target, strconv.Itoa(p.Progress), strconv.Itoa(p.Tasks), strconv.Itoa(p.TasksDone),
			strconv.Itoa(p.LateTasks), strconv.Itoa(p.LateMilestones), csvSafe(owner(p.PartnerOwner)), csvSafe(owner(p.VendorOwner))}); err != nil {
			return fmt.Errorf("write export: %w", err)
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a spreadsheet from reading user text as a formula.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}
