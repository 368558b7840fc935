package network

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/sdk"
	sn "github.com/atriumhq/atrium/sdk/network"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/uptrace/bun"
)

// partnerRow is a sub-partner as the directory reads it.
type partnerRow struct {
	ID        int64     `bun:"id"`
	Name      string    `bun:"name"`
	Type      string    `bun:"type"`
	Tier      string    `bun:"tier"`
	Stage     string    `bun:"stage"`
	CreatedAt time.Time `bun:"created_at"`
}

// List returns a page of the viewer's (or, for staff, the named) network's
// sub-partners, filtered and sorted. Sorting by name, joined date or stage
// pages in SQL and computes the numbers of the page's rows only; sorting by
// a number computes it for every matching sub-partner first.
//
// Staff who name no distributor get the distributors they may pick from
// (Networks) and no sub-partners.
func (s *Service) List(ctx context.Context, v sdk.Viewer, q sn.DirectoryQuery) (sn.DirectoryPage, error) {
	if v.Staff() && q.DistributorID == 0 {
		rc, err := s.reach.For(ctx, v)
		if err != nil {
			return sn.DirectoryPage{}, err
		}
		prog, err := program.Load(ctx, s.db)
		if err != nil {
			return sn.DirectoryPage{}, err
		}
		nets, err := s.networks(ctx, view{v: v, rc: rc, prog: prog})
		return sn.DirectoryPage{SubPartners: []sn.SubPartner{}, ByStage: []sn.Count{}, Networks: nets, Page: 1, PerPage: 25}, err
	}
	w, err := s.network(ctx, v, q.DistributorID)
	if err != nil {
		return sn.DirectoryPage{}, err
	}
	q.Page = max(q.Page, 1)
	if q.PerPage <= 0 {
		q.PerPage = 25
	}
	q.PerPage = min(q.PerPage, 200)
	out := sn.DirectoryPage{Distributor: sn.PartnerRef{ID: w.dist.ID, Name: w.dist.Name}, Page: q.Page, PerPage: q.PerPage,
		SubPartners: []sn.SubPartner{}, CanRecruit: s.canRecruit(w)}
	if out.ByStage, err = s.byStage(ctx, w); err != nil {
		return out, err
	}
	if w.rc.IsStaff() {
		if out.Networks, err = s.networks(ctx, w); err != nil {
			return out, err
		}
	}
	base := w.subs(s.db.NewSelect().TableExpr("partners AS p"), "p.id")
	if q.Type != "" {
		base = base.Where("p.type = ?", q.Type)
	}
	if q.Tier != "" {
		base = base.Where("p.tier = ?", q.Tier)
	}
	if q.Stage != "" {
		base = base.Where("p.stage = ?", q.Stage)
	}
	if t := strings.ToLower(strings.TrimSpace(q.Q)); t != "" {
		like := "%" + escapeLike(t) + "%"
		base = base.WhereGroup(" AND ", func(g *bun.SelectQuery) *bun.SelectQuery {
			return g.Where("lower(p.name) LIKE ? ESCAPE '\\'", like).
				WhereOr("EXISTS (SELECT 1 FROM users AS u WHERE u.partner_id = p.id AND u.email LIKE ? ESCAPE '\\')", like)
		})
	}
	var rows []partnerRow
	switch q.Sort {
	case sn.SortOnboarding, sn.SortWon, sn.SortLeads:
		if err := base.Column("p.id", "p.name", "p.type", "p.tier", "p.stage", "p.created_at").Scan(ctx, &rows); err != nil {
			return out, fmt.Errorf("network directory: %w", err)
		}
		out.Total = len(rows)
		subs, err := s.describe(ctx, w, rows, q.Sort)
		if err != nil {
			return out, err
		}
		cur := currencyOf(subs)
		key := func(p sn.SubPartner) int64 {
			switch q.Sort {
			case sn.SortOnboarding:
				return int64(p.Onboarding.Percent)
			case sn.SortLeads:
				return p.Performance.OpenLeads
			}
			return amountIn(p.Performance.Won, cur)
		}
		slices.SortStableFunc(subs, func(a, b sn.SubPartner) int {
			c := cmp.Compare(key(a), key(b))
			if q.Desc {
				c = -c
			}
			return cmp.Or(c, cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
		})
		lo := min(len(subs), (q.Page-1)*q.PerPage)
		page := subs[lo:min(len(subs), lo+q.PerPage)]
		// The rest of the page's numbers.
		full, err := s.describe(ctx, w, rowsOf(page), "")
		if err != nil {
			return out, err
		}
		out.SubPartners = full
		return out, nil
	}
	order := "lower(p.name)"
	switch q.Sort {
	case sn.SortJoined:
		order = "p.created_at"
	case sn.SortStage:
		order = stageOrder(w.prog.Stages)
	}
	dir := " ASC"
	if q.Desc {
		dir = " DESC"
	}
	n, err := base.Column("p.id", "p.name", "p.type", "p.tier", "p.stage", "p.created_at").
		OrderExpr(order+dir).OrderExpr("p.id"+dir).Limit(int64(q.PerPage)).Offset(int64((q.Page-1)*q.PerPage)).ScanAndCount(ctx, &rows)
	if err != nil {
		return out, fmt.Errorf("network directory: %w", err)
	}
	out.Total = int(n)
	out.SubPartners, err = s.describe(ctx, w, rows, "")
	return out, err
}

// stageOrder orders partners by the program's stage order, unknown
// stages last.
func stageOrder(stages []string) string {
	var b strings.Builder
	b.WriteString("CASE p.stage")
	for i, st := range stages {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", strings.ReplaceAll(st, "'", "''"), i)
	}
	fmt.Fprintf(&b, " ELSE %d END", len(stages))
	return b.String()
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func rowsOf(subs []sn.SubPartner) []partnerRow {
	out := make([]partnerRow, len(subs))
	for i, p := range subs {
		out[i] = partnerRow{ID: p.ID, Name: p.Name, Type: p.Type, Tier: p.Tier, Stage: p.Stage, CreatedAt: p.Joined}
	}
	return out
}

func currencyOf(subs []sn.SubPartner) string {
	for _, p := range subs {
		if len(p.Performance.Won) > 0 {
			return p.Performance.Won[0].Currency
		}
	}
	return ""
}

func amountIn(ms []sn.Money, cur string) int64 {
	for _, m := range ms {
		if m.Currency == cur {
			return m.Amount
		}
	}
	return 0
}

// describe fills the directory's columns for rows. only, when set, is the
// one number needed (a sort key): the rest are left out.
func (s *Service) describe(ctx context.Context, w view, rows []partnerRow, only string) ([]sn.SubPartner, error) {
	out := make([]sn.SubPartner, len(rows))
	ids := make([]int64, len(rows))
	at := map[int64]int{}
	for i, r := range rows {
		out[i] = sn.SubPartner{ID: r.ID, Name: r.Name, Type: r.Type, Tier: r.Tier, Stage: r.Stage, Joined: r.CreatedAt.UTC()}
		ids[i] = r.ID
		at[r.ID] = i
	}
	if len(rows) == 0 {
		return out, nil
	}
	want := func(k string) bool { return only == "" || only == k }
	if want(sn.SortOnboarding) {
		tasks, key, err := s.checklist(ctx, w)
		if err != nil {
			return nil, err
		}
		if len(tasks) > 0 {
			done, err := s.completions(ctx, key, tasks, ids)
			if err != nil {
				return nil, err
			}
			for i := range out {
				n := len(done[out[i].ID])
				out[i].Onboarding = sn.Onboarding{Done: n, Total: len(tasks), Percent: percent(n, len(tasks))}
			}
		}
	}
	// The partners' all-time numbers come from the counts per partner that
	// the pipeline's triggers keep (migrations/20261212000010): a few rows
	// a partner, however many leads and deals it has.
	if want(sn.SortLeads) {
		var leads []struct {
			PartnerID int64 `bun:"partner_id"`
			N         int64 `bun:"n"`
		}
		if err := inIDs(s.db.NewSelect().TableExpr("revenue_partner_lead_months AS x"), "x.partner_id", ids).
			ColumnExpr("x.partner_id, sum(x.n - x.n_won - x.n_lost) AS n").GroupExpr("x.partner_id").Scan(ctx, &leads); err != nil {
			return nil, fmt.Errorf("network: open leads: %w", err)
		}
		for _, l := range leads {
			out[at[l.PartnerID]].Performance.OpenLeads = l.N
		}
	}
	if want(sn.SortWon) {
		var deals []struct {
			PartnerID int64  `bun:"partner_id"`
			Stage     string `bun:"stage"`
			Currency  string `bun:"currency"`
			N         int64  `bun:"n"`
			V         int64  `bun:"v"`
		}
		// The partner's deals in the pipeline (registrations awaiting
		// approval or refused are not), by whether they are open or won;
		// for the sort by revenue won, the won ones only.
		q := inIDs(s.db.NewSelect().TableExpr("revenue_partner_deals AS x"), "x.partner_id", ids).Where("x.stage <> ?", sp.StageLost)
		if only == sn.SortWon {
			q = q.Where("x.stage = ?", sp.StageWon)
		}
		if err := q.ColumnExpr("x.partner_id, CASE WHEN x.stage = ? THEN 'won' ELSE 'open' END AS stage", sp.StageWon).
			ColumnExpr("x.currency, sum(x.n) AS n, sum(x.v) AS v").
			GroupExpr("x.partner_id, 2, x.currency").Having("sum(x.n) <> 0").Scan(ctx, &deals); err != nil {
			return nil, fmt.Errorf("network: deals: %w", err)
		}
		for _, d := range deals {
			p := &out[at[d.PartnerID]].Performance
			if d.Stage == "won" {
				p.Won = addMoney(p.Won, d.Currency, d.V)
			} else {
				p.OpenDeals += d.N
				p.OpenPipeline = addMoney(p.OpenPipeline, d.Currency, d.V)
			}
		}
	}
	if only != "" {
		return out, nil
	}
	var admins []struct {
		PartnerID int64  `bun:"partner_id"`
		Name      string `bun:"name"`
		Email     string `bun:"email"`
	}
	if err := inIDs(s.db.NewSelect().Table("users"), "partner_id", ids).Where("role = ? AND active", sdk.RolePartnerAdmin).
		Column("partner_id", "name", "email").Order("partner_id", "id").Scan(ctx, &admins); err != nil {
		return nil, fmt.Errorf("network: admins: %w", err)
	}
	for _, a := range admins {
		if p := &out[at[a.PartnerID]]; p.Admin == nil {
			p.Admin = &sn.Contact{Name: a.Name, Email: a.Email}
		}
	}
	if s.opts.Compliance != nil {
		cs, err := s.opts.Compliance.Compliance(ctx, ids)
		if err != nil {
			return nil, fmt.Errorf("network: compliance: %w", err)
		}
		for id, c := range cs {
			if i, ok := at[id]; ok {
				c := c
				out[i].Compliance = &c
			}
		}
	}
	return out, nil
}

// inIDs narrows q to rows whose col is one of ids (already within the
// viewer's reach).
func inIDs(q *bun.SelectQuery, col string, ids []int64) *bun.SelectQuery {
	if len(ids) == 1 {
		return q.Where(col+" = ?", ids[0])
	}
	return q.Where(col+" IN (?)", bun.List(ids))
}

func addMoney(ms []sn.Money, cur string, v int64) []sn.Money {
	for i := range ms {
		if ms[i].Currency == cur {
			ms[i].Amount += v
			return ms
		}
	}
	return append(ms, sn.Money{Currency: cur, Amount: v})
}

// checklist is the program's onboarding checklist: its tasks and key.
func (s *Service) checklist(ctx context.Context, w view) ([]sn.Task, string, error) {
	key := w.prog.Networks().OnboardingChecklist()
	if s.opts.Checklist == nil {
		return nil, key, nil
	}
	tasks, err := s.opts.Checklist(ctx, key)
	if err != nil {
		return nil, key, fmt.Errorf("network: onboarding checklist %s: %w", key, err)
	}
	return tasks, key, nil
}

// completions reads which of the checklist's tasks each partner has done
// (the checklist kept per partner) and when.
func (s *Service) completions(ctx context.Context, key string, tasks []sn.Task, ids []int64) (map[int64]map[string]time.Time, error) {
	taskIDs := make([]string, len(tasks))
	for i, t := range tasks {
		taskIDs[i] = t.ID
	}
	var rows []struct {
		PartnerID   int64     `bun:"partner_id"`
		TaskID      string    `bun:"task_id"`
		CompletedAt time.Time `bun:"completed_at"`
	}
	if err := inIDs(s.db.NewSelect().Table("task_completions"), "partner_id", ids).
		Where("block_key = ? AND user_id = 0 AND task_id IN (?)", key, bun.List(taskIDs)).
		Column("partner_id", "task_id", "completed_at").Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("network: onboarding progress: %w", err)
	}
	out := map[int64]map[string]time.Time{}
	for _, r := range rows {
		if out[r.PartnerID] == nil {
			out[r.PartnerID] = map[string]time.Time{}
		}
		out[r.PartnerID][r.TaskID] = r.CompletedAt.UTC()
	}
	return out, nil
}

// byStage counts the network's sub-partners per stage, every stage of the
// program listed in its order.
func (s *Service) byStage(ctx context.Context, w view) ([]sn.Count, error) {
	var rows []struct {
		Stage string `bun:"stage"`
		N     int64  `bun:"n"`
	}
	if err := w.subs(s.db.NewSelect().TableExpr("partners AS p"), "p.id").ColumnExpr("p.stage, count(*) AS n").
		GroupExpr("p.stage").Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("network: stages: %w", err)
	}
	out := make([]sn.Count, 0, len(w.prog.Stages))
	for _, st := range w.prog.Stages {
		out = append(out, sn.Count{Key: st, Label: label(st)})
	}
	for _, r := range rows {
		i := slices.IndexFunc(out, func(c sn.Count) bool { return c.Key == r.Stage })
		if i < 0 {
			out = append(out, sn.Count{Key: r.Stage, Label: label(r.Stage)})
			i = len(out) - 1
		}
		out[i].N += r.N
	}
	return out, nil
}

// networks lists the distributors a member of staff reaches, to pick one.
func (s *Service) networks(ctx context.Context, w view) ([]sn.PartnerRef, error) {
	var refs []sn.PartnerRef
	q := w.rc.Where(s.db.NewSelect().Table("partners").Column("id", "name").
		Where("type IN (?)", bun.List(append([]string{""}, w.prog.Networks().ParentTypes...))).Where("parent_id IS NULL"), "id").
		OrderExpr("lower(name), id").Limit(500)
	if err := q.Scan(ctx, &refs); err != nil {
		return nil, fmt.Errorf("network: distributors: %w", err)
	}
	return refs, nil
}

// label turns a vocabulary word into words for people ("getting-started"
// is "Getting started").
func label(key string) string {
	s := strings.NewReplacer("-", " ", "_", " ").Replace(key)
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Get returns one sub-partner's read-only page: its directory entry,
// users, onboarding checklist, all-time pipeline and last 30 days of
// engagement. A distributor's users get their own sub-partners only; staff
// the sub-partners they reach.
func (s *Service) Get(ctx context.Context, v sdk.Viewer, id int64) (sn.SubPartnerDetail, error) {
	p, err := s.dir.Partner(ctx, id)
	if fail.CodeOf(err) == fail.NotFound || (err == nil && p.ParentID == nil) {
		return sn.SubPartnerDetail{}, noSubPartner()
	}
	if err != nil {
		return sn.SubPartnerDetail{}, err
	}
	parent := *p.ParentID
	if !v.Staff() {
		parent = 0 // the viewer's own; another network's sub-partner is not found
	}
	w, err := s.network(ctx, v, parent)
	if fail.CodeOf(err) == fail.NotFound || fail.CodeOf(err) == fail.Invalid || (err == nil && (w.dist.ID != *p.ParentID || !w.rc.CanRead(p.ID))) {
		return sn.SubPartnerDetail{}, noSubPartner()
	}
	if err != nil {
		return sn.SubPartnerDetail{}, err
	}
	subs, err := s.describe(ctx, w, []partnerRow{{ID: p.ID, Name: p.Name, Type: p.Type, Tier: p.Tier, Stage: p.Stage, CreatedAt: p.CreatedAt}}, "")
	if err != nil {
		return sn.SubPartnerDetail{}, err
	}
	out := sn.SubPartnerDetail{SubPartner: subs[0], Distributor: sn.PartnerRef{ID: w.dist.ID, Name: w.dist.Name}, Users: []sn.Person{}, Checklist: []sn.Task{}}
	var users []struct {
		Name        string     `bun:"name"`
		Email       string     `bun:"email"`
		Role        string     `bun:"role"`
		ContactRole string     `bun:"contact_role"`
		Active      bool       `bun:"active"`
		Hash        string     `bun:"password_hash"`
		LastLogin   *time.Time `bun:"last_login_at"`
	}
	if err := s.db.NewSelect().Table("users").Column("name", "email", "role", "contact_role", "active", "password_hash", "last_login_at").
		Where("partner_id = ?", p.ID).OrderExpr("role, lower(name), id").Limit(500).Scan(ctx, &users); err != nil {
		return out, fmt.Errorf("network: users of %d: %w", p.ID, err)
	}
	for _, u := range users {
		out.Users = append(out.Users, sn.Person{Name: u.Name, Email: u.Email, Role: u.Role, ContactRole: u.ContactRole,
			Active: u.Active, Joined: u.Hash != "", LastLogin: u.LastLogin})
	}
	tasks, key, err := s.checklist(ctx, w)
	if err != nil {
		return out, err
	}
	if len(tasks) > 0 {
		done, err := s.completions(ctx, key, tasks, []int64{p.ID})
		if err != nil {
			return out, err
		}
		for _, t := range tasks {
			if at, ok := done[p.ID][t.ID]; ok {
				t.DoneAt = &at
			}
			out.Checklist = append(out.Checklist, t)
		}
	}
	var leads []struct {
		Status string `bun:"status"`
		N      int64  `bun:"n"`
	}
	if err := s.db.NewSelect().TableExpr("pipeline_leads AS l").Where("l.partner_id = ?", p.ID).
		ColumnExpr("l.status, count(*) AS n").GroupExpr("l.status").Scan(ctx, &leads); err != nil {
		return out, fmt.Errorf("network: leads of %d: %w", p.ID, err)
	}
	out.LeadsByStatus = leadCounts(func(st string) int64 {
		for _, l := range leads {
			if l.Status == st {
				return l.N
			}
		}
		return 0
	})
	now := s.opts.Now()
	only := []int64{p.ID}
	if s.opts.Revenue != nil {
		stages, err := s.opts.Revenue.Stages(ctx, revenueFilter(w, only, now.AddDate(-10, 0, 1), now.AddDate(0, 0, 1)))
		if err != nil {
			return out, err
		}
		out.DealsByStage = stageValues(stages)
	}
	eng, err := s.engagement(ctx, w, only, now)
	if err != nil {
		return out, err
	}
	out.Engagement = eng[p.ID]
	return out, nil
}

// leadCounts lists every lead status with its count.
func leadCounts(n func(status string) int64) []sn.Count {
	out := make([]sn.Count, 0, len(sp.LeadStatuses))
	for _, st := range sp.LeadStatuses {
		out = append(out, sn.Count{Key: st, Label: leadLabel(st), N: n(st)})
	}
	return out
}

func leadLabel(st string) string {
	switch st {
	case sp.LeadNew:
		return "New"
	case sp.LeadWon:
		return "Won"
	case sp.LeadLost:
		return "Lost"
	}
	return sp.Label(st)
}
