package distributor

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/atriumhq/atrium/sdk"
	sn "github.com/atriumhq/atrium/sdk/network"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/atriumhq/atrium/sdk/ui"
)

const perPage = 25

// RenderItem serves the room's pages (see the package comment). Anything
// else, and anything the viewer may not see, is not found.
func (Room) RenderItem(ctx context.Context, req sdk.ItemRequest) (sdk.Page, error) {
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
		return sdk.Page{Title: title(page.Distributor, req.Viewer), Body: directoryPage(req.Room, req.Viewer, prog, page, q)}, nil
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
				return sdk.Page{Title: txtPerformance, Body: dashboardPage(req.Room, req.Viewer, dash, d, ce.Error())}, nil
			}
			return sdk.Page{}, err
		}
		return sdk.Page{Title: txtPerformance, Body: dashboardPage(req.Room, req.Viewer, dash, d, "")}, nil
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
		return sdk.Page{Title: txtInvitations, Body: invitationsPage(req.Room, page, status, dir.CanRecruit)}, nil
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
		return sdk.Page{Title: txtRecruit, Body: recruitPage(req.Room, req.Viewer, prog, inv.NeedsApproval)}, nil
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
		return sdk.Page{Title: d.SubPartner.Name, Body: subPartnerPage(req.Room, req.Viewer, d)}, nil
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

func title(d sn.PartnerRef, v sdk.Viewer) string {
	if v.Staff() {
		return fmt.Sprintf(txtNetworkOf, d.Name)
	}
	return txtSubPartners
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

func options(values []string, anyLabel string) []ui.Option {
	out := []ui.Option{{Value: "", Label: anyLabel}}
	for _, v := range values {
		out = append(out, ui.Option{Value: v, Label: words(v)})
	}
	return out
}

// words turns a vocabulary key into words ("getting-started" is "Getting
// started").
func words(key string) string {
	s := strings.NewReplacer("-", " ", "_", " ").Replace(key)
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// directoryPage is the whole directory: filters, the sub-partners, pages.
func directoryPage(room sdk.RoomRef, v sdk.Viewer, prog sdk.Program, page sn.DirectoryPage, q dirQuery) ui.Component {
	out := ui.Children{}
	if v.Staff() {
		out = append(out, ui.Text{Text: fmt.Sprintf(txtNetworkOf, page.Distributor.Name), Muted: true})
	}
	out = append(out, actions(room, page.CanRecruit, q.D), stageLinks(room, page.ByStage, q),
		ui.Form{Action: ui.Action{Name: "filter", State: strconv.FormatInt(q.D, 10)}, Submit: txtFilter, Fields: []ui.Field{
			{Name: "q", Label: txtSearch, Type: "search", Value: q.Q, MaxLength: 200},
			{Name: "type", Label: txtType, Type: "select", Value: q.Type, Options: options(prog.PartnerTypes, txtAnyType)},
			{Name: "tier", Label: txtTier, Type: "select", Value: q.Tier, Options: options(prog.Tiers, txtAnyTier)},
			{Name: "stage", Label: txtStage, Type: "select", Value: q.Stage, Options: options(prog.Stages, txtAnyStage)},
			{Name: "sort", Label: txtSortBy, Type: "select", Value: q.Sort, Options: []ui.Option{{Value: "", Label: txtName},
				{Value: sn.SortJoined, Label: txtJoined}, {Value: sn.SortStage, Label: txtStage}, {Value: sn.SortOnboarding, Label: txtOnboarding},
				{Value: sn.SortLeads, Label: txtOpenLeads}, {Value: sn.SortWon, Label: txtWon}}},
		}})
	switch {
	case len(page.SubPartners) == 0 && q.filtered():
		out = append(out, ui.Empty{Title: txtNoMatch, Description: txtNoMatchHelp,
			Action: &ui.Button{Label: txtClear, Href: dirHref(room, dirQuery{D: q.D}), Variant: "secondary"}})
	case len(page.SubPartners) == 0:
		e := ui.Empty{Title: txtNoSubs, Description: txtNoSubsHelp}
		if v.Staff() {
			e.Description = txtNoSubsStaff
		}
		if page.CanRecruit {
			e.Action = &ui.Button{Label: txtRecruit, Href: room.Path + "/items/recruit", Icon: "plus"}
		}
		out = append(out, e)
	default:
		out = append(out, directoryTable(room, page.SubPartners, q, true))
	}
	out = append(out, pager(page.Page, page.PerPage, page.Total, func(p int) string { n := q; n.Page = p; return dirHref(room, n) })...)
	return ui.Stack{Children: out}
}

// stageLinks are quick filters by stage, with their counts.
func stageLinks(room sdk.RoomRef, cs []sn.Count, q dirQuery) ui.Component {
	bar := ui.ActionBar{}
	for _, c := range cs {
		n := dirQuery{D: q.D, Stage: c.Key}
		variant := "secondary"
		if q.Stage == c.Key {
			variant = "primary"
		}
		bar.Buttons = append(bar.Buttons, ui.Button{Label: fmt.Sprintf("%s (%d)", c.Label, c.N), Href: dirHref(room, n), Variant: variant})
	}
	return bar
}

// directoryTable lists sub-partners: a table on a wide screen, a card per
// sub-partner on a phone. The compliance column shows only when the
// portal reports compliance.
func directoryTable(room sdk.RoomRef, subs []sn.SubPartner, q dirQuery, sortable bool) ui.Component {
	compliance := slices.ContainsFunc(subs, func(p sn.SubPartner) bool { return p.Compliance != nil })
	col := func(label, key, align string) ui.TableColumn {
		if !sortable || key == "" {
			return ui.TableColumn{Label: label, Align: align}
		}
		return sortHeader(room, q, label, key, align)
	}
	cols := []ui.TableColumn{col(txtName, sn.SortName, ""), col(txtStage, sn.SortStage, ""), col(txtAdmin, "", ""),
		col(txtJoined, sn.SortJoined, ""), col(txtOnboarding, sn.SortOnboarding, ""), col(txtOpenLeads, sn.SortLeads, "right"),
		col(txtWon, sn.SortWon, "right")}
	if compliance {
		cols = append(cols, col(txtCompliance, "", ""))
	}
	t := ui.Table{Caption: txtSubPartners, Columns: cols, Cards: true}
	for _, p := range subs {
		admin := ui.Component(ui.Text{Text: txtNoAdmin, Muted: true})
		if p.Admin != nil {
			admin = ui.Stack{Children: ui.Children{ui.Text{Text: p.Admin.Name}, ui.Text{Text: p.Admin.Email, Muted: true}}}
		}
		cells := ui.Children{
			ui.Stack{Children: ui.Children{ui.Link{Text: p.Name, Href: subHref(room, p.ID)},
				ui.Text{Text: fmt.Sprintf(fmtTypeTier, words(p.Type), words(p.Tier)), Muted: true}}},
			ui.Badge{Text: words(p.Stage), Tone: stageTone(p.Stage)},
			admin,
			ui.Text{Text: p.Joined.Format("Jan 2006")},
			onboardingBar(p.Onboarding),
			ui.Text{Text: strconv.FormatInt(p.Performance.OpenLeads, 10)},
			ui.Text{Text: moneyText(p.Performance.Won)},
		}
		if compliance {
			c := ui.Component(ui.Text{Text: "—", Muted: true})
			if p.Compliance != nil {
				c = complianceBadge(*p.Compliance)
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

func onboardingBar(o sn.Onboarding) ui.Component {
	if o.Total == 0 {
		return ui.Text{Text: "—", Muted: true}
	}
	return ui.Progress{Label: fmt.Sprintf(fmtPercentDone, o.Percent), Value: float64(o.Done), Max: float64(o.Total), Text: fmt.Sprintf(fmtDoneOf, o.Done, o.Total)}
}

// moneyText formats amounts per currency, the program's first: "$12,000 ·
// €3,000"; "—" for none.
func moneyText(ms []sn.Money) string {
	var parts []string
	for _, m := range ms {
		if m.Amount == 0 && len(ms) > 1 {
			continue
		}
		parts = append(parts, sp.Money{Amount: m.Amount, Currency: m.Currency}.String())
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, " · ")
}

func pager(page, per, total int, href func(int) string) ui.Children {
	if per <= 0 || total <= per {
		return nil
	}
	pages := (total + per - 1) / per
	bar := ui.ActionBar{}
	if page > 1 {
		bar.Buttons = append(bar.Buttons, ui.Button{Label: txtPrevious, Href: href(page - 1), Variant: "secondary"})
	}
	if page < pages {
		bar.Buttons = append(bar.Buttons, ui.Button{Label: txtNext, Href: href(page + 1), Variant: "secondary"})
	}
	return ui.Children{ui.Text{Text: fmt.Sprintf(fmtPage, page, pages), Muted: true}, bar}
}

// subPartnerPage is one sub-partner, read-only.
func subPartnerPage(room sdk.RoomRef, v sdk.Viewer, d sn.SubPartnerDetail) ui.Component {
	p := d.SubPartner
	back := ui.Link{Text: txtBackDirectory, Href: dirHref(room, dirQuery{D: staffD(v, d.Distributor.ID)})}
	facts := []ui.ListItem{
		{Title: txtType, Description: words(p.Type)}, {Title: txtTier, Description: words(p.Tier)},
		{Title: txtStage, Badge: &ui.Badge{Text: words(p.Stage), Tone: stageTone(p.Stage)}},
		{Title: txtJoined, Description: p.Joined.Format("2 January 2006")},
		{Title: txtOpenPipeline, Description: moneyText(p.Performance.OpenPipeline)},
		{Title: txtWon, Description: moneyText(p.Performance.Won)},
	}
	if p.Compliance != nil {
		facts = append(facts, ui.ListItem{Title: txtCompliance, Badge: new(complianceBadge(*p.Compliance))})
	}
	out := ui.Children{ui.Text{Text: txtReadOnly, Muted: true},
		ui.Columns{Count: 2, Children: ui.Children{
			ui.Card{Title: p.Name, Subtitle: d.Distributor.Name, Body: ui.Children{ui.List{Items: facts}}},
			checklistCard(d),
		}},
		engagementCard(d.Engagement),
		ui.Columns{Count: 2, Children: ui.Children{countsChart(txtLeadsByStatus, d.LeadsByStatus, fmtLeadsN), stagesChart(d.DealsByStage)}},
		usersTable(d.Users), back}
	return ui.Stack{Children: out}
}

func staffD(v sdk.Viewer, id int64) int64 {
	if v.Staff() {
		return id
	}
	return 0
}

func checklistCard(d sn.SubPartnerDetail) ui.Component {
	body := ui.Children{onboardingBar(d.SubPartner.Onboarding)}
	if len(d.Checklist) == 0 {
		body = append(body, ui.Text{Text: txtNoChecklist, Muted: true})
		return ui.Card{Title: txtChecklist, Body: body}
	}
	items := make([]ui.ListItem, 0, len(d.Checklist))
	for _, t := range d.Checklist {
		it := ui.ListItem{Title: t.Title, Badge: &ui.Badge{Text: txtToDo}}
		if t.DoneAt != nil {
			it.Icon, it.Badge, it.Meta = "check", &ui.Badge{Text: txtDone, Tone: ui.ToneSuccess}, t.DoneAt.Format("2 Jan 2006")
		}
		items = append(items, it)
	}
	return ui.Card{Title: txtChecklist, Body: append(body, ui.List{Items: items})}
}

func engagementCard(e sn.Engagement) ui.Component {
	risk := ui.Metric{Label: txtStatus, Value: txtNotAtRisk, Tone: ui.ToneSuccess}
	if e.AtRisk {
		risk = ui.Metric{Label: txtStatus, Value: txtAtRisk, Tone: ui.ToneWarning, Hint: strings.Join(e.Reasons, " ")}
	}
	return ui.Card{Title: txtEngagement, Body: ui.Children{ui.Columns{Count: 4, Children: ui.Children{
		ui.Metric{Label: txtSessions, Value: strconv.FormatInt(e.Sessions, 10)},
		ui.Metric{Label: txtActiveUsers, Value: strconv.FormatInt(e.Users, 10)},
		ui.Metric{Label: txtScore, Value: strconv.FormatFloat(e.Score, 'f', 0, 64)},
		risk,
	}}}}
}

// countsChart draws counts as bars with the numbers in words beside them.
func countsChart(heading string, cs []sn.Count, format string) ui.Component {
	var most int64 = 1
	for _, c := range cs {
		most = max(most, c.N)
	}
	body := ui.Children{}
	for _, c := range cs {
		body = append(body, ui.Progress{Label: c.Label, Value: float64(c.N), Max: float64(most), Text: fmt.Sprintf(format, c.N)})
	}
	return ui.Card{Title: heading, Body: body}
}

func stagesChart(st []sn.StageValue) ui.Component {
	var most int64 = 1
	for _, s := range st {
		most = max(most, s.Deals)
	}
	body := ui.Children{}
	for _, s := range st {
		body = append(body, ui.Progress{Label: s.Label, Value: float64(s.Deals), Max: float64(most),
			Text: fmt.Sprintf(fmtDealsN, s.Deals) + " · " + moneyText(s.Value)})
	}
	if len(st) == 0 {
		body = append(body, ui.Text{Text: "—", Muted: true})
	}
	return ui.Card{Title: txtDealsByStage, Body: body}
}

func usersTable(us []sn.Person) ui.Component {
	t := ui.Table{Caption: txtUsers, Empty: txtNoUsers, Cards: true,
		Columns: []ui.TableColumn{{Label: txtName}, {Label: txtEmail}, {Label: txtRole}, {Label: txtStatus}}}
	for _, u := range us {
		st := ui.Badge{Text: txtActive, Tone: ui.ToneSuccess}
		switch {
		case !u.Active:
			st = ui.Badge{Text: txtDeactivated}
		case !u.Joined:
			st = ui.Badge{Text: txtInvitedNotYet, Tone: ui.ToneInfo}
		}
		t.Rows = append(t.Rows, ui.TableRow{Cells: ui.Children{ui.Text{Text: u.Name}, ui.Link{Text: u.Email, Href: "mailto:" + u.Email},
			ui.Text{Text: roleLabel(u.Role)}, st}})
	}
	return t
}

// dashboardPage is the network's performance in a range.
func dashboardPage(room sdk.RoomRef, v sdk.Viewer, d sn.Dashboard, dist int64, problem string) ui.Component {
	to, _ := time.Parse("2006-01-02", d.To)
	shownTo := to.AddDate(0, 0, -1).Format("2006-01-02") // the last day in the range
	out := ui.Children{}
	if v.Staff() {
		out = append(out, ui.Text{Text: fmt.Sprintf(txtNetworkOf, d.Distributor.Name), Muted: true})
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
	rangeForm := ui.Form{Action: ui.Action{Name: "range", State: strconv.FormatInt(dist, 10)}, Submit: txtShow, Error: problem, Fields: []ui.Field{
		{Name: "from", Label: txtFrom, Type: "date", Value: d.From, Required: true},
		{Name: "to", Label: txtTo, Type: "date", Value: shownTo, Required: true},
	}}
	out = append(out, actions(room, false, dist), rangeForm,
		ui.Text{Text: fmt.Sprintf(fmtRangeText, d.From, shownTo), Muted: true},
		ui.Columns{Count: 4, Children: ui.Children{
			ui.Metric{Label: txtSubPartners, Value: strconv.Itoa(d.SubPartners)},
			ui.Metric{Label: txtLeads, Value: strconv.FormatInt(leads, 10)},
			ui.Metric{Label: txtDealsWon, Value: strconv.FormatInt(d.DealsWon, 10)},
			ui.Metric{Label: txtWon, Value: moneyText(d.Won)},
		}},
		ui.Columns{Count: 2, Children: ui.Children{countsChart(txtLeadsByStatus, d.LeadsByStatus, fmtLeadsN), stagesChart(d.DealsByStage)}},
		commissionsTable(d.Commissions),
		ui.ActionBar{Buttons: []ui.Button{{Label: txtExport, Href: exportHref(dist, d.From, d.To), Variant: "secondary", Icon: "download"}}},
		bySubTable(room, d))
	return ui.Stack{Children: out}
}

func commissionsTable(cs []sn.CommissionValue) ui.Component {
	t := ui.Table{Caption: txtCommissions, Columns: []ui.TableColumn{{Label: txtStatus}, {Label: txtEntries, Align: "right"}, {Label: txtAmount, Align: "right"}}}
	for _, c := range cs {
		t.Rows = append(t.Rows, ui.TableRow{Cells: ui.Children{ui.Text{Text: words(c.Status)}, ui.Text{Text: strconv.FormatInt(c.Entries, 10)},
			ui.Text{Text: moneyText(c.Amount)}}})
	}
	return t
}

func bySubTable(room sdk.RoomRef, d sn.Dashboard) ui.Component {
	t := ui.Table{Caption: txtBySub, Cards: true, Empty: txtNoSubs, Columns: []ui.TableColumn{{Label: txtName}, {Label: txtStage},
		{Label: txtLeads, Align: "right"}, {Label: txtDealsWon, Align: "right"}, {Label: txtWon, Align: "right"},
		{Label: txtCommission, Align: "right"}, {Label: txtSessions, Align: "right"}, {Label: txtActiveUsers, Align: "right"},
		{Label: txtScore, Align: "right"}, {Label: txtEngagement}}}
	for _, r := range d.BySubPartner {
		risk := ui.Badge{Text: txtNotAtRisk, Tone: ui.ToneSuccess}
		if r.Engagement.AtRisk {
			risk = ui.Badge{Text: txtAtRisk, Tone: ui.ToneWarning}
		}
		t.Rows = append(t.Rows, ui.TableRow{Cells: ui.Children{
			ui.Link{Text: r.Name, Href: subHref(room, r.ID)}, ui.Text{Text: words(r.Stage)},
			ui.Text{Text: strconv.FormatInt(r.Leads, 10)}, ui.Text{Text: strconv.FormatInt(r.DealsWon, 10)},
			ui.Text{Text: moneyText(r.Won)}, ui.Text{Text: moneyText(r.Commission)},
			ui.Text{Text: strconv.FormatInt(r.Engagement.Sessions, 10)}, ui.Text{Text: strconv.FormatInt(r.Engagement.Users, 10)},
			ui.Text{Text: strconv.FormatFloat(r.Engagement.Score, 'f', 0, 64)}, risk}})
	}
	return t
}

// invitationsPage lists the network's invitations with their status.
func invitationsPage(room sdk.RoomRef, page sn.InvitationPage, status string, canRecruit bool) ui.Component {
	out := ui.Children{actions(room, canRecruit, 0)}
	filters := ui.ActionBar{}
	for _, s := range []string{"", sn.Pending, sn.Invited, sn.Joined, sn.Declined} {
		label, href := txtAnyStatus, room.Path+"/items/invitations"
		if s != "" {
			label, href = statusLabel(s), href+"?status="+s
		}
		variant := "secondary"
		if s == status {
			variant = "primary"
		}
		filters.Buttons = append(filters.Buttons, ui.Button{Label: label, Href: href, Variant: variant})
	}
	out = append(out, filters)
	if len(page.Invitations) == 0 {
		e := ui.Empty{Title: txtNoInvites, Description: txtNoInvitesHelp}
		if canRecruit {
			e.Action = &ui.Button{Label: txtRecruit, Href: room.Path + "/items/recruit", Icon: "plus"}
		}
		return ui.Stack{Children: append(out, e)}
	}
	t := ui.Table{Caption: txtInvitations, Cards: true, Columns: []ui.TableColumn{{Label: txtCompanyCol}, {Label: txtAdmin}, {Label: txtStatus},
		{Label: txtSent}, {Label: txtDecided}}}
	for _, inv := range page.Invitations {
		name := ui.Component(ui.Stack{Children: ui.Children{ui.Text{Text: inv.Company}, ui.Text{Text: words(inv.Type), Muted: true}}})
		if inv.PartnerID != 0 {
			name = ui.Stack{Children: ui.Children{ui.Link{Text: inv.Company, Href: subHref(room, inv.PartnerID)}, ui.Text{Text: words(inv.Type), Muted: true}}}
		}
		status := ui.Children{ui.Badge{Text: statusLabel(inv.Status), Tone: inviteTone(inv.Status)}}
		if inv.Status == sn.Declined && inv.Reason != "" {
			status = append(status, ui.Text{Text: inv.Reason, Muted: true})
		}
		if inv.Status == sn.Invited && canRecruit {
			status = append(status, ui.Button{Label: txtNewLink, Variant: "link",
				Action: &ui.Action{Name: "link", State: strconv.FormatInt(inv.ID, 10)}})
		}
		decided := ui.Component(ui.Text{Text: "—", Muted: true})
		if inv.DecidedAt != nil {
			decided = ui.Text{Text: inv.DecidedAt.Format("2 Jan 2006") + " · " + inv.DecidedBy}
		}
		t.Rows = append(t.Rows, ui.TableRow{Cells: ui.Children{name,
			ui.Stack{Children: ui.Children{ui.Text{Text: inv.AdminName}, ui.Text{Text: inv.AdminEmail, Muted: true}}},
			ui.Stack{Children: status},
			ui.Stack{Children: ui.Children{ui.Text{Text: inv.CreatedAt.Format("2 Jan 2006")}, ui.Text{Text: fmt.Sprintf(fmtInvitedBy, inv.InvitedBy), Muted: true}}},
			decided}})
	}
	out = append(out, t)
	out = append(out, pager(page.Page, page.PerPage, page.Total, func(p int) string {
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
func recruitPage(room sdk.RoomRef, v sdk.Viewer, prog sdk.Program, approval bool) ui.Component {
	var types []ui.Option
	for _, t := range prog.PartnerTypes {
		if v.Partner != nil && t == v.Partner.Type {
			continue // a sub-partner has no network of its own
		}
		types = append(types, ui.Option{Value: t, Label: words(t)})
	}
	next := txtRecruitApproval
	if !approval {
		next = txtRecruitDirect
	}
	return ui.Stack{Children: ui.Children{
		ui.Form{Action: ui.Action{Name: "recruit"}, Submit: txtSend, Fields: []ui.Field{
			{Name: "company", Label: txtCompany, Required: true, MaxLength: 200, Help: txtCompanyHelp, Autocomplete: "organization"},
			{Name: "type", Label: txtPartnerType, Type: "select", Required: true, Options: types, Value: "reseller"},
			{Name: "adminName", Label: txtAdminName, Required: true, MaxLength: 200, Help: txtAdminNameHelp, Autocomplete: "off"},
			{Name: "adminEmail", Label: txtAdminEmail, Type: "email", Required: true, MaxLength: 254, Autocomplete: "off"},
		}},
		ui.Callout{Tone: ui.ToneInfo, Title: txtWhatsNext, Body: next},
		ui.Link{Text: txtBack, Href: room.Path},
	}}
}

// staffHome is the staff side's page: the recruit requests waiting for
// the viewer, and the networks they may open.
func staffHome(ctx context.Context, h sdk.Host, room sdk.RoomRef) (ui.Component, error) {
	pending, err := sn.ListInvitations.Call(ctx, h, sn.InvitationQuery{Status: sn.Pending, PerPage: 100})
	if err != nil {
		return nil, err
	}
	nets, err := sn.ListSubPartners.Call(ctx, h, sn.DirectoryQuery{})
	if err != nil {
		return nil, err
	}
	out := ui.Children{ui.Heading{Text: txtRequests, Level: 2}}
	if len(pending.Invitations) == 0 {
		out = append(out, ui.Empty{Title: txtNoRequests})
	}
	cards := ui.Columns{Count: 2}
	for _, inv := range pending.Invitations {
		state := strconv.FormatInt(inv.ID, 10)
		cards.Children = append(cards.Children, ui.Card{Title: inv.Company, Subtitle: inv.Distributor, Body: ui.Children{
			ui.List{Items: []ui.ListItem{{Title: txtPartnerType, Description: words(inv.Type)},
				{Title: txtAdmin, Description: inv.AdminName + " · " + inv.AdminEmail},
				{Title: txtSent, Description: inv.CreatedAt.Format("2 Jan 2006") + " · " + fmt.Sprintf(fmtInvitedBy, inv.InvitedBy)}}},
			ui.Form{Action: ui.Action{Name: "approve", State: state}, Submit: txtApprove},
			ui.Form{Action: ui.Action{Name: "decline", State: state}, Submit: txtDecline, Fields: []ui.Field{
				{Name: "reason", Label: txtReason, Type: "textarea", Required: true, MaxLength: 2000, Help: txtReasonHelp}}},
		}})
	}
	if len(cards.Children) > 0 {
		out = append(out, cards)
	}
	out = append(out, ui.Heading{Text: txtNetworks, Level: 2})
	if len(nets.Networks) == 0 {
		out = append(out, ui.Empty{Title: txtNoNetworks})
	} else {
		t := ui.Table{Caption: txtNetworks, Cards: true, Columns: []ui.TableColumn{{Label: txtName}, {Label: txtOpenDirectory}, {Label: txtOpenDashboard}}}
		for _, n := range nets.Networks {
			t.Rows = append(t.Rows, ui.TableRow{Cells: ui.Children{ui.Text{Text: n.Name},
				ui.Link{Text: txtOpenDirectory, Href: dirHref(room, dirQuery{D: n.ID})},
				ui.Link{Text: txtOpenDashboard, Href: dashHref(room, n.ID, "", "")}}})
		}
		out = append(out, t)
	}
	return ui.Stack{Children: out}, nil
}

// complianceBadge colours a sub-partner's compliance by how pressing it is.
func complianceBadge(c sn.Compliance) ui.Badge {
	tone := map[string]ui.Tone{sn.ComplianceOverdue: ui.ToneDanger, sn.ComplianceExpiring: ui.ToneWarning,
		sn.ComplianceReview: ui.ToneInfo, sn.ComplianceInOrder: ui.ToneSuccess}[c.Status]
	return ui.Badge{Text: c.Label, Tone: tone}
}
