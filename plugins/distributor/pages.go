package distributor

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/i18n"
	sn "github.com/atriumhq/atrium/sdk/network"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/atriumhq/atrium/sdk/ui"
)

const perPage = 25

// RenderItem serves the room's pages (see the package comment). Anything
// else, and anything the viewer may not see, is not found.
func (Room) RenderItem(ctx context.Context, req sdk.ItemRequest) (sdk.Page, error) {
	w := words(req.Viewer)
	switch req.Path {
	case "directory":
		q := parseDir(req.Query)
		page, err := sn.ListSubPartners.Call(ctx, req.Host, q.query())
		if err != nil {
			return sdk.Page{}, err
		}
		prog, err := req.Host.Program(ctx)
		if err != nil {
			return sdk.Page{}, err
		}
		return sdk.Page{Title: title(w, page.Distributor, req.Viewer), Body: directoryPage(w, req.Room, req.Viewer, prog, page, q)}, nil
	case "dashboard":
		d, _ := strconv.ParseInt(first(req.Query, "d"), 10, 64)
		from, to := first(req.Query, "from"), first(req.Query, "to")
		dash, err := sn.GetDashboard.Call(ctx, req.Host, sn.DashboardQuery{DistributorID: d, From: from, To: to})
		if err != nil {
			var ce *sdk.CallError
			if errors.As(err, &ce) && ce.Code == sdk.CodeInvalid {
				// A range that cannot be read: show the default one and say why.
				dash, err = sn.GetDashboard.Call(ctx, req.Host, sn.DashboardQuery{DistributorID: d})
				if err != nil {
					return sdk.Page{}, err
				}
				return sdk.Page{Title: w.T("performance"), Body: dashboardPage(w, req.Room, req.Viewer, dash, d, ce.Error())}, nil
			}
			return sdk.Page{}, err
		}
		return sdk.Page{Title: w.T("performance"), Body: dashboardPage(w, req.Room, req.Viewer, dash, d, "")}, nil
	case "invitations":
		if req.Viewer.Staff() {
			return sdk.Page{}, sdk.ErrNotFound // staff work the queue on the room's page
		}
		status := first(req.Query, "status")
		if !slices.Contains([]string{"", sn.Pending, sn.Declined, sn.Invited, sn.Joined}, status) {
			status = ""
		}
		pg, _ := strconv.Atoi(first(req.Query, "page"))
		page, err := sn.ListInvitations.Call(ctx, req.Host, sn.InvitationQuery{Status: status, Page: max(pg, 1), PerPage: perPage})
		if err != nil {
			return sdk.Page{}, err
		}
		dir, err := sn.ListSubPartners.Call(ctx, req.Host, sn.DirectoryQuery{PerPage: 1})
		if err != nil {
			return sdk.Page{}, err
		}
		return sdk.Page{Title: w.T("invitations"), Body: invitationsPage(w, req.Room, page, status, dir.CanRecruit)}, nil
	case "recruit":
		dir, err := sn.ListSubPartners.Call(ctx, req.Host, sn.DirectoryQuery{PerPage: 1})
		if err != nil {
			return sdk.Page{}, err
		}
		if !dir.CanRecruit {
			return sdk.Page{}, sdk.ErrNotFound
		}
		prog, err := req.Host.Program(ctx)
		if err != nil {
			return sdk.Page{}, err
		}
		inv, err := sn.ListInvitations.Call(ctx, req.Host, sn.InvitationQuery{PerPage: 1})
		if err != nil {
			return sdk.Page{}, err
		}
		return sdk.Page{Title: w.T("recruit"), Body: recruitPage(w, req.Room, req.Viewer, prog, inv.NeedsApproval)}, nil
	}
	if rest, ok := strings.CutPrefix(req.Path, "p/"); ok {
		id, err := strconv.ParseInt(rest, 10, 64)
		if err != nil || id <= 0 {
			return sdk.Page{}, sdk.ErrNotFound
		}
		d, err := sn.GetSubPartner.Call(ctx, req.Host, sn.ByID{ID: id})
		if err != nil {
			return sdk.Page{}, err
		}
		return sdk.Page{Title: d.SubPartner.Name, Body: subPartnerPage(w, req.Room, req.Viewer, d)}, nil
	}
	return sdk.Page{}, sdk.ErrNotFound
}

func isNotFound(err error) bool { return errors.Is(err, sdk.ErrNotFound) }

func first(q map[string][]string, k string) string {
	if v := q[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func title(w *i18n.Locale, d sn.PartnerRef, v sdk.Viewer) string {
	if v.Staff() {
		return w.T("network-of", "Name", d.Name)
	}
	return w.T("sub-partners")
}

// dirQuery is the directory's filters as they travel in the URL.
type dirQuery struct {
	Q, Type, Tier, Stage, Sort string
	Desc                       bool
	Page                       int
	D                          int64
}

var sorts = []string{sn.SortName, sn.SortJoined, sn.SortStage, sn.SortOnboarding, sn.SortLeads, sn.SortWon}

func parseDir(q map[string][]string) dirQuery {
	out := dirQuery{Q: strings.TrimSpace(first(q, "q")), Type: first(q, "type"), Tier: first(q, "tier"), Stage: first(q, "stage"),
		Sort: first(q, "sort"), Desc: first(q, "desc") == "1"}
	if !slices.Contains(sorts, out.Sort) {
		out.Sort = ""
	}
	if len(out.Q) > 200 {
		out.Q = out.Q[:200]
	}
	out.Page, _ = strconv.Atoi(first(q, "page"))
	out.Page = max(out.Page, 1)
	out.D, _ = strconv.ParseInt(first(q, "d"), 10, 64)
	return out
}

func (q dirQuery) query() sn.DirectoryQuery {
	return sn.DirectoryQuery{DistributorID: q.D, Q: q.Q, Type: q.Type, Tier: q.Tier, Stage: q.Stage, Sort: q.Sort, Desc: q.Desc, Page: q.Page, PerPage: perPage}
}

func (q dirQuery) filtered() bool { return q.Q != "" || q.Type != "" || q.Tier != "" || q.Stage != "" }

func (q dirQuery) values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"q": q.Q, "type": q.Type, "tier": q.Tier, "stage": q.Stage, "sort": q.Sort} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if q.Desc {
		v.Set("desc", "1")
	}
	if q.D != 0 {
		v.Set("d", strconv.FormatInt(q.D, 10))
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	return v
}

func dirHref(room sdk.RoomRef, q dirQuery) string {
	v := q.values()
	if len(v) == 0 {
		return room.Path + "/items/directory"
	}
	return room.Path + "/items/directory?" + v.Encode()
}

func dashHref(room sdk.RoomRef, d int64, from, to string) string {
	v := url.Values{}
	if d != 0 {
		v.Set("d", strconv.FormatInt(d, 10))
	}
	if from != "" {
		v.Set("from", from)
	}
	if to != "" {
		v.Set("to", to)
	}
	if len(v) == 0 {
		return room.Path + "/items/dashboard"
	}
	return room.Path + "/items/dashboard?" + v.Encode()
}

// exportHref is the portal's CSV export of the dashboard's rows.
func exportHref(d int64, from, to string) string {
	v := url.Values{"from": {from}, "to": {to}}
	if d != 0 {
		v.Set("d", strconv.FormatInt(d, 10))
	}
	return "/network/export.csv?" + v.Encode()
}

func subHref(room sdk.RoomRef, id int64) string {
	return room.Path + "/items/p/" + strconv.FormatInt(id, 10)
}

// sortHeader makes a column header sort by key, toggling the direction when
// already sorted by it.
func sortHeader(room sdk.RoomRef, q dirQuery, label, key, align string) ui.TableColumn {
	next := q
	next.Page = 1
	next.Sort = key
	next.Desc = q.Sort == key && !q.Desc
	col := ui.TableColumn{Label: label, Align: align, SortHref: dirHref(room, next)}
	if q.Sort == key || (q.Sort == "" && key == sn.SortName) {
		col.Sorted = "asc"
		if q.Desc {
			col.Sorted = "desc"
		}
	}
	return col
}

// options are the program's words as a select's choices; the select's
// placeholder is the empty choice ("Any type").
func options(values []string) []ui.Option {
	out := []ui.Option{}
	for _, v := range values {
		out = append(out, ui.Option{Value: v, Label: humanize(v)})
	}
	return out
}

// humanize turns a vocabulary key into words ("getting-started" is "Getting
// started").
func humanize(key string) string {
	s := strings.NewReplacer("-", " ", "_", " ").Replace(key)
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// directoryPage is the whole directory: filters, the sub-partners, pages.
func directoryPage(w *i18n.Locale, room sdk.RoomRef, v sdk.Viewer, prog sdk.Program, page sn.DirectoryPage, q dirQuery) ui.Component {
	out := ui.Children{}
	if v.Staff() {
		out = append(out, ui.Text{Text: w.T("network-of", "Name", page.Distributor.Name), Muted: true})
	}
	out = append(out, actions(w, room, page.CanRecruit, q.D), stageLinks(w, room, page.ByStage, q),
		ui.Form{Action: ui.Action{Name: "filter", State: strconv.FormatInt(q.D, 10)}, Submit: w.T("filter"), Fields: []ui.Field{
			{Name: "q", Label: w.T("search"), Type: "search", Value: q.Q, MaxLength: 200},
			{Name: "type", Label: w.T("type"), Type: "select", Value: q.Type, Placeholder: w.T("any-type"), Options: options(prog.PartnerTypes)},
			{Name: "tier", Label: w.T("tier"), Type: "select", Value: q.Tier, Placeholder: w.T("any-tier"), Options: options(prog.Tiers)},
			{Name: "stage", Label: w.T("stage"), Type: "select", Value: q.Stage, Placeholder: w.T("any-stage"), Options: options(prog.Stages)},
			{Name: "sort", Label: w.T("sort-by"), Type: "select", Value: q.Sort, Placeholder: w.T("col.name"), Options: []ui.Option{
				{Value: sn.SortJoined, Label: w.T("joined")}, {Value: sn.SortStage, Label: w.T("stage")}, {Value: sn.SortOnboarding, Label: w.T("onboarding")},
				{Value: sn.SortLeads, Label: w.T("open-leads")}, {Value: sn.SortWon, Label: w.T("won")}}},
		}})
	switch {
	case len(page.SubPartners) == 0 && q.filtered():
		out = append(out, ui.Empty{Title: w.T("no-match"), Description: w.T("no-match-help"),
			Action: &ui.Button{Label: w.T("clear"), Href: dirHref(room, dirQuery{D: q.D}), Variant: "secondary"}})
	case len(page.SubPartners) == 0:
		e := ui.Empty{Title: w.T("no-subs"), Description: w.T("no-subs-help")}
		if v.Staff() {
			e.Description = w.T("no-subs-staff")
		}
		if page.CanRecruit {
			e.Action = &ui.Button{Label: w.T("recruit"), Href: room.Path + "/items/recruit", Icon: "plus"}
		}
		out = append(out, e)
	default:
		out = append(out, directoryTable(w, room, page.SubPartners, q, true))
	}
	out = append(out, pager(w, page.Page, page.PerPage, page.Total, func(p int) string { n := q; n.Page = p; return dirHref(room, n) })...)
	return ui.Stack{Children: out}
}

// stageLinks are quick filters by stage, with their counts.
func stageLinks(w *i18n.Locale, room sdk.RoomRef, cs []sn.Count, q dirQuery) ui.Component {
	bar := ui.ActionBar{}
	for _, c := range cs {
		n := dirQuery{D: q.D, Stage: c.Key}
		variant := "secondary"
		if q.Stage == c.Key {
			variant = "primary"
		}
		bar.Buttons = append(bar.Buttons, ui.Button{Label: w.T("stage-count", "Stage", c.Label, "Count", w.Int(c.N)), Href: dirHref(room, n), Variant: variant})
	}
	return bar
}

// directoryTable lists sub-partners: a table on a wide screen, a card per
// sub-partner on a phone. The compliance column shows only when the
// portal reports compliance.
func directoryTable(w *i18n.Locale, room sdk.RoomRef, subs []sn.SubPartner, q dirQuery, sortable bool) ui.Component {
	compliance := slices.ContainsFunc(subs, func(p sn.SubPartner) bool { return p.Compliance != nil })
	col := func(label, key, align string) ui.TableColumn {
		if !sortable || key == "" {
			return ui.TableColumn{Label: label, Align: align}
		}
		return sortHeader(room, q, label, key, align)
	}
	cols := []ui.TableColumn{col(w.T("col.name"), sn.SortName, ""), col(w.T("stage"), sn.SortStage, ""), col(w.T("admin"), "", ""),
		col(w.T("joined"), sn.SortJoined, ""), col(w.T("onboarding"), sn.SortOnboarding, ""), col(w.T("open-leads"), sn.SortLeads, "right"),
		col(w.T("won"), sn.SortWon, "right")}
	if compliance {
		cols = append(cols, col(w.T("compliance"), "", ""))
	}
	t := ui.Table{Caption: w.T("sub-partners"), Columns: cols, Cards: true}
	for _, p := range subs {
		admin := ui.Component(ui.Text{Text: w.T("no-admin"), Muted: true})
		if p.Admin != nil {
			admin = ui.Stack{Children: ui.Children{ui.Text{Text: p.Admin.Name}, ui.Text{Text: p.Admin.Email, Muted: true}}}
		}
		cells := ui.Children{
			ui.Stack{Children: ui.Children{ui.Link{Text: p.Name, Href: subHref(room, p.ID)},
				ui.Text{Text: w.T("type-tier", "Type", humanize(p.Type), "Tier", humanize(p.Tier)), Muted: true}}},
			ui.Badge{Text: humanize(p.Stage), Tone: stageTone(p.Stage)},
			admin,
			ui.Text{Text: w.MonthYear(p.Joined)},
			onboardingBar(w, p.Onboarding),
			ui.Text{Text: w.Int(p.Performance.OpenLeads)},
			ui.Text{Text: moneyText(w, p.Performance.Won)},
		}
		if compliance {
			c := ui.Component(ui.Text{Text: "—", Muted: true})
			if p.Compliance != nil {
				c = complianceBadge(w, *p.Compliance)
			}
			cells = append(cells, c)
		}
		t.Rows = append(t.Rows, ui.TableRow{Cells: cells})
	}
	return t
}

func stageTone(stage string) ui.Tone {
	switch stage {
	case "getting-started", "training":
		return ui.ToneInfo
	case "active":
		return ui.ToneSuccess
	case "strategic":
		return ui.ToneSuccess
	}
	return ui.ToneNeutral
}

func onboardingBar(w *i18n.Locale, o sn.Onboarding) ui.Component {
	if o.Total == 0 {
		return ui.Text{Text: "—", Muted: true}
	}
	return ui.Progress{Label: w.T("percent-done", "Percent", w.Int(int64(o.Percent))), Value: float64(o.Done), Max: float64(o.Total),
		Text: w.N("tasks-of", int(o.Total), "Done", w.Int(int64(o.Done)))}
}

// moneyText formats amounts per currency, the program's first: "$12,000 ·
// €3,000"; "—" for none.
func moneyText(w *i18n.Locale, ms []sn.Money) string {
	var parts []string
	for _, m := range ms {
		if m.Amount == 0 && len(ms) > 1 {
			continue
		}
		parts = append(parts, w.Money(m.Amount, m.Currency))
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, " · ")
}

func pager(w *i18n.Locale, page, per, total int, href func(int) string) ui.Children {
	if per <= 0 || total <= per {
		return nil
	}
	pages := (total + per - 1) / per
	bar := ui.ActionBar{}
	if page > 1 {
		bar.Buttons = append(bar.Buttons, ui.Button{Label: w.T("previous"), Href: href(page - 1), Variant: "secondary"})
	}
	if page < pages {
		bar.Buttons = append(bar.Buttons, ui.Button{Label: w.T("next"), Href: href(page + 1), Variant: "secondary"})
	}
	return ui.Children{ui.Text{Text: w.T("page-of", "Page", w.Int(int64(page)), "Pages", w.Int(int64(pages))), Muted: true}, bar}
}

// subPartnerPage is one sub-partner, read-only.
func subPartnerPage(w *i18n.Locale, room sdk.RoomRef, v sdk.Viewer, d sn.SubPartnerDetail) ui.Component {
	p := d.SubPartner
	back := ui.Link{Text: w.T("back-directory"), Href: dirHref(room, dirQuery{D: staffD(v, d.Distributor.ID)})}
	facts := []ui.ListItem{
		{Title: w.T("type"), Description: humanize(p.Type)}, {Title: w.T("tier"), Description: humanize(p.Tier)},
		{Title: w.T("stage"), Badge: &ui.Badge{Text: humanize(p.Stage), Tone: stageTone(p.Stage)}},
		{Title: w.T("joined"), Description: w.Date(p.Joined)},
		{Title: w.T("open-pipeline"), Description: moneyText(w, p.Performance.OpenPipeline)},
		{Title: w.T("won"), Description: moneyText(w, p.Performance.Won)},
	}
	if p.Compliance != nil {
		facts = append(facts, ui.ListItem{Title: w.T("compliance"), Badge: new(complianceBadge(w, *p.Compliance))})
	}
	out := ui.Children{ui.Text{Text: w.T("read-only"), Muted: true},
		ui.Columns{Count: 2, Children: ui.Children{
			ui.Card{Title: p.Name, Subtitle: d.Distributor.Name, Body: ui.Children{ui.List{Items: facts}}},
			checklistCard(w, d),
		}},
		engagementCard(w, d.Engagement),
		ui.Columns{Count: 2, Children: ui.Children{countsChart(w, w.T("leads-by-status"), d.LeadsByStatus), stagesChart(w, d.DealsByStage)}},
		usersTable(w, d.Users), back}
	return ui.Stack{Children: out}
}

func staffD(v sdk.Viewer, id int64) int64 {
	if v.Staff() {
		return id
	}
	return 0
}

func checklistCard(w *i18n.Locale, d sn.SubPartnerDetail) ui.Component {
	body := ui.Children{onboardingBar(w, d.SubPartner.Onboarding)}
	if len(d.Checklist) == 0 {
		body = append(body, ui.Text{Text: w.T("no-checklist"), Muted: true})
		return ui.Card{Title: w.T("checklist"), Body: body}
	}
	items := make([]ui.ListItem, 0, len(d.Checklist))
	for _, t := range d.Checklist {
		it := ui.ListItem{Title: t.Title, Badge: &ui.Badge{Text: w.T("task-todo")}}
		if t.DoneAt != nil {
			it.Icon, it.Badge, it.Meta = "check", &ui.Badge{Text: w.T("task-done"), Tone: ui.ToneSuccess}, w.Date(*t.DoneAt)
		}
		items = append(items, it)
	}
	return ui.Card{Title: w.T("checklist"), Body: append(body, ui.List{Items: items})}
}

func engagementCard(w *i18n.Locale, e sn.Engagement) ui.Component {
	risk := ui.Metric{Label: w.T("status"), Value: w.T("not-at-risk"), Tone: ui.ToneSuccess}
	if e.AtRisk {
		risk = ui.Metric{Label: w.T("status"), Value: w.T("at-risk"), Tone: ui.ToneWarning, Hint: strings.Join(e.Reasons, " ")}
	}
	return ui.Card{Title: w.T("engagement"), Body: ui.Children{ui.Columns{Count: 4, Children: ui.Children{
		ui.Metric{Label: w.T("sessions"), Value: w.Int(e.Sessions)},
		ui.Metric{Label: w.T("active-users"), Value: w.Int(e.Users)},
		ui.Metric{Label: w.T("score"), Value: w.Number(e.Score, 0)},
		risk,
	}}}}
}

// countsChart draws leads by status as bars with the numbers in words
// beside them.
func countsChart(w *i18n.Locale, heading string, cs []sn.Count) ui.Component {
	var most int64 = 1
	for _, c := range cs {
		most = max(most, c.N)
	}
	body := ui.Children{}
	for _, c := range cs {
		body = append(body, ui.Progress{Label: hostLabel(w, "lead.", c.Key, c.Label), Value: float64(c.N), Max: float64(most), Text: w.N("count.leads", int(c.N))})
	}
	return ui.Card{Title: heading, Body: body}
}

func stagesChart(w *i18n.Locale, st []sn.StageValue) ui.Component {
	var most int64 = 1
	for _, s := range st {
		most = max(most, s.Deals)
	}
	body := ui.Children{}
	for _, s := range st {
		body = append(body, ui.Progress{Label: hostLabel(w, "stage.", s.Key, s.Label), Value: float64(s.Deals), Max: float64(most),
			Text: w.N("count.deals", int(s.Deals), "Value", moneyText(w, s.Value))})
	}
	if len(st) == 0 {
		body = append(body, ui.Text{Text: "—", Muted: true})
	}
	return ui.Card{Title: w.T("deals-by-stage"), Body: body}
}

func usersTable(w *i18n.Locale, us []sn.Person) ui.Component {
	t := ui.Table{Caption: w.T("users"), Empty: w.T("no-users"), Cards: true,
		Columns: []ui.TableColumn{{Label: w.T("col.name")}, {Label: w.T("email")}, {Label: w.T("role")}, {Label: w.T("status")}}}
	for _, u := range us {
		st := ui.Badge{Text: w.T("active"), Tone: ui.ToneSuccess}
		switch {
		case !u.Active:
			st = ui.Badge{Text: w.T("deactivated")}
		case !u.Joined:
			st = ui.Badge{Text: w.T("invited-not-yet"), Tone: ui.ToneInfo}
		}
		t.Rows = append(t.Rows, ui.TableRow{Cells: ui.Children{ui.Text{Text: u.Name}, ui.Link{Text: u.Email, Href: "mailto:" + u.Email},
			ui.Text{Text: roleLabel(w, u.Role)}, st}})
	}
	return t
}

// dashboardPage is the network's performance in a range.
func dashboardPage(w *i18n.Locale, room sdk.RoomRef, v sdk.Viewer, d sn.Dashboard, dist int64, problem string) ui.Component {
	to, _ := time.Parse("2006-01-02", d.To)
	shownTo := to.AddDate(0, 0, -1).Format("2006-01-02") // the last day in the range
	out := ui.Children{}
	if v.Staff() {
		out = append(out, ui.Text{Text: w.T("network-of", "Name", d.Distributor.Name), Muted: true})
	}
	var pending, paid []sn.Money
	for _, c := range d.Commissions {
		if c.Status == sp.CommissionPaid {
			paid = append(paid, c.Amount...)
		} else {
			pending = append(pending, c.Amount...)
		}
	}
	var leads int64
	for _, c := range d.LeadsByStatus {
		leads += c.N
	}
	rangeForm := ui.Form{Action: ui.Action{Name: "range", State: strconv.FormatInt(dist, 10)}, Submit: w.T("show"), Error: problem, Fields: []ui.Field{
		{Name: "from", Label: w.T("range-from"), Type: "date", Value: d.From, Required: true},
		{Name: "to", Label: w.T("range-to"), Type: "date", Value: shownTo, Required: true},
	}}
	out = append(out, actions(w, room, false, dist), rangeForm,
		ui.Text{Text: w.T("range-text", "From", w.Day(d.From), "To", w.Day(shownTo)), Muted: true},
		ui.Columns{Count: 4, Children: ui.Children{
			ui.Metric{Label: w.T("sub-partners"), Value: w.Int(int64(d.SubPartners))},
			ui.Metric{Label: w.T("leads"), Value: w.Int(leads)},
			ui.Metric{Label: w.T("deals-won"), Value: w.Int(d.DealsWon)},
			ui.Metric{Label: w.T("won"), Value: moneyText(w, d.Won)},
		}},
		ui.Columns{Count: 2, Children: ui.Children{countsChart(w, w.T("leads-by-status"), d.LeadsByStatus), stagesChart(w, d.DealsByStage)}},
		commissionsTable(w, d.Commissions),
		ui.ActionBar{Buttons: []ui.Button{{Label: w.T("export"), Href: exportHref(dist, d.From, d.To), Variant: "secondary", Icon: "download"}}},
		bySubTable(w, room, d))
	return ui.Stack{Children: out}
}

func commissionsTable(w *i18n.Locale, cs []sn.CommissionValue) ui.Component {
	t := ui.Table{Caption: w.T("commissions"), Columns: []ui.TableColumn{{Label: w.T("status")}, {Label: w.T("entries"), Align: "right"}, {Label: w.T("amount"), Align: "right"}}}
	for _, c := range cs {
		t.Rows = append(t.Rows, ui.TableRow{Cells: ui.Children{ui.Text{Text: hostLabel(w, "commission.", c.Status, "")}, ui.Text{Text: w.Int(c.Entries)},
			ui.Text{Text: moneyText(w, c.Amount)}}})
	}
	return t
}

func bySubTable(w *i18n.Locale, room sdk.RoomRef, d sn.Dashboard) ui.Component {
	t := ui.Table{Caption: w.T("by-sub"), Cards: true, Empty: w.T("no-subs"), Columns: []ui.TableColumn{{Label: w.T("col.name")}, {Label: w.T("stage")},
		{Label: w.T("leads"), Align: "right"}, {Label: w.T("deals-won"), Align: "right"}, {Label: w.T("won"), Align: "right"},
		{Label: w.T("commission"), Align: "right"}, {Label: w.T("sessions"), Align: "right"}, {Label: w.T("active-users"), Align: "right"},
		{Label: w.T("score"), Align: "right"}, {Label: w.T("engagement")}}}
	for _, r := range d.BySubPartner {
		risk := ui.Badge{Text: w.T("not-at-risk"), Tone: ui.ToneSuccess}
		if r.Engagement.AtRisk {
			risk = ui.Badge{Text: w.T("at-risk"), Tone: ui.ToneWarning}
		}
		t.Rows = append(t.Rows, ui.TableRow{Cells: ui.Children{
			ui.Link{Text: r.Name, Href: subHref(room, r.ID)}, ui.Text{Text: humanize(r.Stage)},
			ui.Text{Text: w.Int(r.Leads)}, ui.Text{Text: w.Int(r.DealsWon)},
			ui.Text{Text: moneyText(w, r.Won)}, ui.Text{Text: moneyText(w, r.Commission)},
			ui.Text{Text: w.Int(r.Engagement.Sessions)}, ui.Text{Text: w.Int(r.Engagement.Users)},
			ui.Text{Text: w.Number(r.Engagement.Score, 0)}, risk}})
	}
	return t
}

// invitationsPage lists the network's invitations with their status.
func invitationsPage(w *i18n.Locale, room sdk.RoomRef, page sn.InvitationPage, status string, canRecruit bool) ui.Component {
	out := ui.Children{actions(w, room, canRecruit, 0)}
	filters := ui.ActionBar{}
	for _, s := range []string{"", sn.Pending, sn.Invited, sn.Joined, sn.Declined} {
		label, href := w.T("any-status"), room.Path+"/items/invitations"
		if s != "" {
			label, href = statusLabel(w, s), href+"?status="+s
		}
		variant := "secondary"
		if s == status {
			variant = "primary"
		}
		filters.Buttons = append(filters.Buttons, ui.Button{Label: label, Href: href, Variant: variant})
	}
	out = append(out, filters)
	if len(page.Invitations) == 0 {
		e := ui.Empty{Title: w.T("no-invites"), Description: w.T("no-invites-help")}
		if canRecruit {
			e.Action = &ui.Button{Label: w.T("recruit"), Href: room.Path + "/items/recruit", Icon: "plus"}
		}
		return ui.Stack{Children: append(out, e)}
	}
	t := ui.Table{Caption: w.T("invitations"), Cards: true, Columns: []ui.TableColumn{{Label: w.T("company-col")}, {Label: w.T("admin")}, {Label: w.T("status")},
		{Label: w.T("sent")}, {Label: w.T("decided")}}}
	for _, inv := range page.Invitations {
		name := ui.Component(ui.Stack{Children: ui.Children{ui.Text{Text: inv.Company}, ui.Text{Text: humanize(inv.Type), Muted: true}}})
		if inv.PartnerID != 0 {
			name = ui.Stack{Children: ui.Children{ui.Link{Text: inv.Company, Href: subHref(room, inv.PartnerID)}, ui.Text{Text: humanize(inv.Type), Muted: true}}}
		}
		status := ui.Children{ui.Badge{Text: statusLabel(w, inv.Status), Tone: inviteTone(inv.Status)}}
		if inv.Status == sn.Declined && inv.Reason != "" {
			status = append(status, ui.Text{Text: inv.Reason, Muted: true})
		}
		if inv.Status == sn.Invited && canRecruit {
			status = append(status, ui.Button{Label: w.T("new-link"), Variant: "link",
				Action: &ui.Action{Name: "link", State: strconv.FormatInt(inv.ID, 10)}})
		}
		decided := ui.Component(ui.Text{Text: "—", Muted: true})
		if inv.DecidedAt != nil {
			decided = ui.Text{Text: w.T("decided-by", "Date", w.Date(*inv.DecidedAt), "Name", inv.DecidedBy)}
		}
		t.Rows = append(t.Rows, ui.TableRow{Cells: ui.Children{name,
			ui.Stack{Children: ui.Children{ui.Text{Text: inv.AdminName}, ui.Text{Text: inv.AdminEmail, Muted: true}}},
			ui.Stack{Children: status},
			ui.Stack{Children: ui.Children{ui.Text{Text: w.Date(inv.CreatedAt)}, ui.Text{Text: w.T("invited-by", "Name", inv.InvitedBy), Muted: true}}},
			decided}})
	}
	out = append(out, t)
	out = append(out, pager(w, page.Page, page.PerPage, page.Total, func(p int) string {
		v := url.Values{"page": {strconv.Itoa(p)}}
		if status != "" {
			v.Set("status", status)
		}
		return room.Path + "/items/invitations?" + v.Encode()
	})...)
	return ui.Stack{Children: out}
}

func inviteTone(s string) ui.Tone {
	switch s {
	case sn.Pending:
		return ui.ToneInfo
	case sn.Declined:
		return ui.ToneDanger
	case sn.Joined:
		return ui.ToneSuccess
	}
	return ui.ToneNeutral
}

// recruitPage is the form that invites a new sub-partner.
func recruitPage(w *i18n.Locale, room sdk.RoomRef, v sdk.Viewer, prog sdk.Program, approval bool) ui.Component {
	var types []ui.Option
	for _, t := range prog.PartnerTypes {
		if v.Partner != nil && t == v.Partner.Type {
			continue // a sub-partner has no network of its own
		}
		types = append(types, ui.Option{Value: t, Label: humanize(t)})
	}
	next := w.T("recruit-approval")
	if !approval {
		next = w.T("recruit-direct")
	}
	return ui.Stack{Children: ui.Children{
		ui.Form{Action: ui.Action{Name: "recruit"}, Submit: w.T("send"), Fields: []ui.Field{
			{Name: "company", Label: w.T("company"), Required: true, MaxLength: 200, Help: w.T("company-help"), Autocomplete: "organization"},
			{Name: "type", Label: w.T("partner-type"), Type: "select", Required: true, Placeholder: w.T("choose-type"), Options: types, Value: "reseller"},
			{Name: "adminName", Label: w.T("admin-name"), Required: true, MaxLength: 200, Help: w.T("admin-name-help"), Autocomplete: "off"},
			{Name: "adminEmail", Label: w.T("admin-email"), Type: "email", Required: true, MaxLength: 254, Autocomplete: "off"},
		}},
		ui.Callout{Tone: ui.ToneInfo, Title: w.T("whats-next"), Body: next},
		ui.Link{Text: w.T("back"), Href: room.Path},
	}}
}

// staffHome is the staff side's page: the recruit requests waiting for
// the viewer, and the networks they may open.
func staffHome(ctx context.Context, w *i18n.Locale, h sdk.Host, room sdk.RoomRef) (ui.Component, error) {
	pending, err := sn.ListInvitations.Call(ctx, h, sn.InvitationQuery{Status: sn.Pending, PerPage: 100})
	if err != nil {
		return nil, err
	}
	nets, err := sn.ListSubPartners.Call(ctx, h, sn.DirectoryQuery{})
	if err != nil {
		return nil, err
	}
	out := ui.Children{ui.Heading{Text: w.T("requests"), Level: 2}}
	if len(pending.Invitations) == 0 {
		out = append(out, ui.Empty{Title: w.T("no-requests")})
	}
	cards := ui.Columns{Count: 2}
	for _, inv := range pending.Invitations {
		state := strconv.FormatInt(inv.ID, 10)
		cards.Children = append(cards.Children, ui.Card{Title: inv.Company, Subtitle: inv.Distributor, Body: ui.Children{
			ui.List{Items: []ui.ListItem{{Title: w.T("partner-type"), Description: humanize(inv.Type)},
				{Title: w.T("admin"), Description: inv.AdminName + " · " + inv.AdminEmail},
				{Title: w.T("sent"), Description: w.T("sent-by", "Date", w.Date(inv.CreatedAt), "Name", inv.InvitedBy)}}},
			ui.Form{Action: ui.Action{Name: "approve", State: state}, Submit: w.T("approve")},
			ui.Form{Action: ui.Action{Name: "decline", State: state}, Submit: w.T("decline"), Fields: []ui.Field{
				{Name: "reason", Label: w.T("reason"), Type: "textarea", Required: true, MaxLength: 2000, Help: w.T("reason-help")}}},
		}})
	}
	if len(cards.Children) > 0 {
		out = append(out, cards)
	}
	out = append(out, ui.Heading{Text: w.T("networks"), Level: 2})
	if len(nets.Networks) == 0 {
		out = append(out, ui.Empty{Title: w.T("no-networks")})
	} else {
		t := ui.Table{Caption: w.T("networks"), Cards: true, Columns: []ui.TableColumn{{Label: w.T("col.name")}, {Label: w.T("open-directory")}, {Label: w.T("open-dashboard")}}}
		for _, n := range nets.Networks {
			t.Rows = append(t.Rows, ui.TableRow{Cells: ui.Children{ui.Text{Text: n.Name},
				ui.Link{Text: w.T("open-directory"), Href: dirHref(room, dirQuery{D: n.ID})},
				ui.Link{Text: w.T("open-dashboard"), Href: dashHref(room, n.ID, "", "")}}})
		}
		out = append(out, t)
	}
	return ui.Stack{Children: out}, nil
}

// complianceBadge colours a sub-partner's compliance by how pressing it is.
func complianceBadge(w *i18n.Locale, c sn.Compliance) ui.Badge {
	tone := map[string]ui.Tone{sn.ComplianceOverdue: ui.ToneDanger, sn.ComplianceExpiring: ui.ToneWarning,
		sn.ComplianceReview: ui.ToneInfo, sn.ComplianceInOrder: ui.ToneSuccess}[c.Status]
	return ui.Badge{Text: complianceLabel(w, c), Tone: tone}
}
