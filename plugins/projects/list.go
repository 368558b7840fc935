package projects

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/i18n"
	sp "github.com/atriumhq/atrium/sdk/projects"
	"github.com/atriumhq/atrium/sdk/ui"
)

// perPage is how many projects a page of the list shows.
const perPage = 25

// listQuery is the list's filters as they travel in the page's URL.
type listQuery struct {
	Status    string
	Health    string
	PartnerID int64
	Attention bool
	Mine      bool
	Q         string
	Page      int
}

func first(q map[string][]string, k string) string {
	if v := q[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func known[T any](v string, list []T, value func(T) string) string {
	for _, x := range list {
		if value(x) == v {
			return v
		}
	}
	return ""
}

func statusValue(s struct{ value, label string }) string { return s.value }

// parseList reads the filters from a page's query (or a submitted filter
// form: the names are the same); anything unknown is dropped rather than
// refused.
func parseList(q map[string][]string) listQuery {
	out := listQuery{
		Status:    known(first(q, "status"), statusNames, statusValue),
		Health:    known(first(q, "health"), healthNames, statusValue),
		Attention: on(first(q, "attention")),
		Mine:      on(first(q, "mine")),
		Q:         strings.TrimSpace(first(q, "q")),
	}
	out.PartnerID, _ = strconv.ParseInt(first(q, "partner"), 10, 64)
	out.Page, _ = strconv.Atoi(first(q, "page"))
	out.Page = max(out.Page, 1)
	if len(out.Q) > 200 {
		out.Q = out.Q[:200]
	}
	return out
}

// on reads a ticked checkbox or a "1" in a URL.
func on(v string) bool { return v != "" && v != "false" && v != "0" }

func (q listQuery) projects() sp.ProjectQuery {
	return sp.ProjectQuery{Status: q.Status, Health: q.Health, PartnerID: q.PartnerID, Attention: q.Attention, Mine: q.Mine,
		Q: q.Q, Page: max(q.Page, 1), PerPage: perPage}
}

func (q listQuery) filtered() bool {
	return q.Status != "" || q.Health != "" || q.PartnerID != 0 || q.Attention || q.Mine || q.Q != ""
}

// values are the filters as URL parameters, without the page.
func (q listQuery) values() url.Values {
	v := url.Values{}
	if q.Status != "" {
		v.Set("status", q.Status)
	}
	if q.Health != "" {
		v.Set("health", q.Health)
	}
	if q.PartnerID != 0 {
		v.Set("partner", strconv.FormatInt(q.PartnerID, 10))
	}
	if q.Attention {
		v.Set("attention", "1")
	}
	if q.Mine {
		v.Set("mine", "1")
	}
	if q.Q != "" {
		v.Set("q", q.Q)
	}
	return v
}

// href is the list page with these filters, at page.
func (q listQuery) href(room sdk.RoomRef, page int) string {
	v := q.values()
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return room.Path + "/items/all"
	}
	return room.Path + "/items/all?" + v.Encode()
}

// exportHref is the portal's CSV export of the list with the same filters.
func (q listQuery) exportHref() string {
	v := q.values()
	if len(v) == 0 {
		return "/projects/export.csv"
	}
	return "/projects/export.csv?" + v.Encode()
}

func projectHref(room sdk.RoomRef, id int64) string {
	return room.Path + "/items/" + strconv.FormatInt(id, 10)
}

// projectList draws the list: the filters, the projects (a table for
// staff, cards for partners, who see few), the pages, and for staff the
// workload per person and the export.
func projectList(room sdk.RoomRef, v sdk.Viewer, page sp.ProjectPage, q listQuery, load *sp.Workload) ui.Component {
	staff := v.Staff()
	w := words(v)
	out := ui.Children{ui.Heading{Text: w.T("projects"), Level: 2}}
	bar := ui.ActionBar{Buttons: []ui.Button{{Label: w.T("new-project"), Href: room.Path + "/items/new", Icon: "plus"}}}
	if staff {
		bar.Buttons = append(bar.Buttons, ui.Button{Label: w.T("export"), Href: q.exportHref(), Variant: "secondary", Icon: "download"})
	}
	out = append(out, bar, quickFilters(w, room, q), filterForm(w, page, q, staff))
	switch {
	case len(page.Projects) == 0 && q.filtered():
		out = append(out, ui.Empty{Title: w.T("no-match"), Description: w.T("no-match-help"),
			Action: &ui.Button{Label: w.T("clear-filters"), Href: room.Path + "/items/all", Variant: "secondary"}})
	case len(page.Projects) == 0:
		desc := w.T("no-projects-partner")
		if staff {
			desc = w.T("no-projects-staff")
		}
		out = append(out, ui.Empty{Title: w.T("no-projects"), Description: desc,
			Action: &ui.Button{Label: w.T("new-project"), Href: room.Path + "/items/new"}})
	case staff:
		out = append(out, projectTable(w, room, page.Projects, staff))
	default:
		out = append(out, projectCards(w, room, page.Projects))
	}
	out = append(out, pager(w, "pager.projects", page.Page, page.PerPage, page.Total, func(p int) string { return q.href(room, p) })...)
	if load != nil {
		out = append(out, workload(w, *load))
	}
	return ui.Stack{Children: out}
}

// projectTable lists projects with how each stands. The health is a word
// in a badge, so it does not rest on colour.
func projectTable(w *i18n.Locale, room sdk.RoomRef, ps []sp.Project, staff bool) ui.Component {
	cols := []ui.TableColumn{{Label: w.T("project")}}
	if staff {
		cols = append(cols, ui.TableColumn{Label: w.T("partner")})
	}
	cols = append(cols, ui.TableColumn{Label: w.T("status")}, ui.TableColumn{Label: w.T("health")}, ui.TableColumn{Label: w.T("progress")},
		ui.TableColumn{Label: w.T("late-items"), Align: "right"}, ui.TableColumn{Label: w.T("target")})
	t := ui.Table{Caption: w.T("projects"), Columns: cols}
	for _, p := range ps {
		cells := ui.Children{ui.Stack{Children: ui.Children{
			ui.Link{Text: p.Name, Href: projectHref(room, p.ID)}, ui.Text{Text: p.Customer, Muted: true}}}}
		if staff {
			cells = append(cells, ui.Text{Text: p.PartnerName})
		}
		late := p.LateMilestones + p.LateTasks
		cells = append(cells, statusBadge(w, p.Status), healthBadge(w, p.Health),
			ui.Progress{Label: percentDone(w, p.Progress), Value: float64(p.Progress), Max: 100,
				Text: tasksOf(w, p.TasksDone, p.Tasks)},
			ui.Text{Text: w.Int(int64(late))}, ui.Text{Text: dayOr(w, p.Target)})
		t.Rows = append(t.Rows, ui.TableRow{Cells: cells})
	}
	return t
}

// projectCards lists a partner's projects, who see few, as cards: each
// says at a glance how far along it is and what is late, and reads on a
// phone without scrolling sideways.
func projectCards(w *i18n.Locale, room sdk.RoomRef, ps []sp.Project) ui.Component {
	cols := ui.Columns{Count: 2}
	for _, p := range ps {
		status, health := statusBadge(w, p.Status), healthBadge(w, p.Health)
		cols.Children = append(cols.Children, ui.Card{Title: p.Name, Href: projectHref(room, p.ID), Subtitle: p.Customer, Body: ui.Children{
			ui.Progress{Label: glance(w, p), Value: float64(p.Progress), Max: 100, Text: tasksOf(w, p.TasksDone, p.Tasks)},
			ui.List{Items: []ui.ListItem{{Title: w.T("status"), Badge: &status}, {Title: w.T("health"), Badge: &health},
				{Title: w.T("target"), Description: dayOr(w, p.Target)}}},
		}})
	}
	return cols
}

// quickFilters are one-click views of the list; the current one is
// primary.
func quickFilters(w *i18n.Locale, room sdk.RoomRef, q listQuery) ui.Component {
	views := []struct {
		label string
		q     listQuery
	}{
		{w.T("all-projects"), listQuery{}},
		{w.T("attention"), listQuery{Attention: true}},
		{w.T("mine-projects"), listQuery{Mine: true}},
	}
	bar := ui.ActionBar{}
	cur := q
	cur.Page = 0
	for _, v := range views {
		variant := "secondary"
		if v.q == cur {
			variant = "primary"
		}
		bar.Buttons = append(bar.Buttons, ui.Button{Label: v.label, Href: v.q.href(room, 1), Variant: variant})
	}
	return bar
}

// filterForm narrows the list; it posts "filter", which leads to the list
// page with the filters in its URL.
func filterForm(w *i18n.Locale, page sp.ProjectPage, q listQuery, staff bool) ui.Component {
	fields := []ui.Field{{Name: "q", Label: w.T("search"), Value: q.Q, MaxLength: 200, Type: "text"}}
	if staff && len(page.Partners) > 0 {
		partner := ui.Field{Name: "partner", Label: w.T("partner"), Type: "select", Placeholder: w.T("all-partners")}
		if q.PartnerID != 0 {
			partner.Value = strconv.FormatInt(q.PartnerID, 10)
		}
		for _, p := range page.Partners {
			partner.Options = append(partner.Options, ui.Option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name})
		}
		fields = append(fields, partner)
	}
	status := ui.Field{Name: "status", Label: w.T("status"), Type: "select", Placeholder: w.T("any-status"), Value: q.Status}
	for _, s := range statusNames {
		status.Options = append(status.Options, ui.Option{Value: s.value, Label: w.T(s.label)})
	}
	health := ui.Field{Name: "health", Label: w.T("health"), Type: "select", Placeholder: w.T("any-health"), Value: q.Health}
	for _, h := range healthNames {
		health.Options = append(health.Options, ui.Option{Value: h.value, Label: w.T(h.label)})
	}
	fields = append(fields, status, health,
		ui.Field{Name: "attention", Label: w.T("attention"), Type: "checkbox", Help: w.T("attention-help"), Value: strconv.FormatBool(q.Attention)},
		ui.Field{Name: "mine", Label: w.T("mine-projects"), Type: "checkbox", Value: strconv.FormatBool(q.Mine)})
	return ui.Form{Action: ui.Action{Name: "filter"}, Submit: w.T("filter"), Fields: fields}
}

// pager is "Page 2 of 5 · 60 projects" with links to the pages around
// the current one; status is the message that counts the noun.
func pager(w *i18n.Locale, status string, page, per, total int, href func(int) string) ui.Children {
	if per <= 0 || total <= per {
		return nil
	}
	pages := (total + per - 1) / per
	page = min(max(page, 1), pages)
	bar := ui.ActionBar{}
	if page > 1 {
		bar.Buttons = append(bar.Buttons, ui.Button{Label: w.T("previous"), Href: href(page - 1), Variant: "secondary"})
	}
	for p := max(1, page-2); p <= min(pages, page+2); p++ {
		variant := "secondary"
		if p == page {
			variant = "primary"
		}
		bar.Buttons = append(bar.Buttons, ui.Button{Label: w.Int(int64(p)), Href: href(p), Variant: variant})
	}
	if page < pages {
		bar.Buttons = append(bar.Buttons, ui.Button{Label: w.T("next"), Href: href(page + 1), Variant: "secondary"})
	}
	return ui.Children{ui.Text{Text: w.N(status, total, "Page", w.Int(int64(page)), "Pages", w.Int(int64(pages))), Muted: true}, bar}
}

// workload is the staff's view of open work per person, most late first
// (the host's order).
func workload(w *i18n.Locale, load sp.Workload) ui.Component {
	t := ui.Table{Caption: w.T("workload"), Empty: w.T("workload-empty"), Columns: []ui.TableColumn{{Label: w.T("person")},
		{Label: w.T("open-tasks"), Align: "right"}, {Label: w.T("late-tasks"), Align: "right"}, {Label: w.T("blocked-tasks"), Align: "right"}, {Label: w.T("on-projects"), Align: "right"}}}
	for _, l := range load.People {
		p := l.Person
		t.Rows = append(t.Rows, ui.TableRow{Cells: ui.Children{ui.Text{Text: personName(w, &p)},
			ui.Text{Text: w.Int(int64(l.Open))}, ui.Text{Text: w.Int(int64(l.Late))}, ui.Text{Text: w.Int(int64(l.Blocked))}, ui.Text{Text: w.Int(int64(l.Projects))}}})
	}
	return ui.Card{Body: ui.Children{t}} // the table's caption is its title
}

// newProjectForm starts a project: staff choose the partner; everyone may
// start from a template.
func newProjectForm(w *i18n.Locale, page sp.ProjectPage, staff bool) ui.Form {
	var fields []ui.Field
	if staff {
		partner := ui.Field{Name: "partner", Label: w.T("partner"), Type: "select", Required: true, Placeholder: w.T("choose-partner")}
		for _, p := range page.Partners {
			partner.Options = append(partner.Options, ui.Option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name})
		}
		fields = append(fields, partner)
	}
	if len(page.Templates) > 0 {
		tmpl := ui.Field{Name: "template", Label: w.T("template"), Type: "select", Placeholder: w.T("blank"), Help: w.T("template-help")}
		for _, t := range page.Templates {
			tmpl.Options = append(tmpl.Options, ui.Option{Value: strconv.FormatInt(t.ID, 10),
				Label: w.T("template-option", "Name", t.Name, "Milestones", w.N("count.milestones", t.Milestones), "Tasks", w.N("count.tasks", t.Tasks))})
		}
		fields = append(fields, tmpl)
	}
	status := ui.Field{Name: "status", Label: w.T("status"), Type: "select", Placeholder: w.T("choose"), Value: sp.Planned}
	for _, s := range statusNames {
		status.Options = append(status.Options, ui.Option{Value: s.value, Label: w.T(s.label)})
	}
	fields = append(fields,
		ui.Field{Name: "name", Label: w.T("name"), Required: true, MaxLength: 200},
		ui.Field{Name: "customer", Label: w.T("customer"), Required: true, MaxLength: 200},
		ui.Field{Name: "start", Label: w.T("start"), Type: "date", Required: true},
		ui.Field{Name: "target", Label: w.T("target"), Type: "date", Required: true},
		status,
		ui.Field{Name: "description", Label: w.T("field.description"), Type: "textarea", Help: w.T("markdown-help"), MaxLength: 20000})
	return ui.Form{Action: ui.Action{Name: "create"}, Submit: w.T("create"), Fields: fields}
}
