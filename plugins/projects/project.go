package projects

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/i18n"
	sp "github.com/atriumhq/atrium/sdk/projects"
	"github.com/atriumhq/atrium/sdk/ui"
)

func tasksHref(room sdk.RoomRef, pid int64) string {
	return projectHref(room, pid) + "/tasks"
}

func taskHref(room sdk.RoomRef, pid, tid int64) string {
	return fmt.Sprintf("%s/tasks/%d", projectHref(room, pid), tid)
}

func milestoneHref(room sdk.RoomRef, pid, mid int64) string {
	return fmt.Sprintf("%s/milestones/%d", projectHref(room, pid), mid)
}

// projectPage is a project: how it stands at a glance, its timeline, its
// milestones, its people and what waits for review.
func projectPage(room sdk.RoomRef, v sdk.Viewer, d sp.ProjectDetail) ui.Component {
	p := d.Project
	w := words(v)
	out := ui.Children{header(w, room, v, d)}
	out = append(out, timelineCard(w, room, d))
	out = append(out, milestoneCard(w, room, d))
	out = append(out, membersCard(w, d))
	if len(d.Pending) > 0 || d.CanReview {
		out = append(out, pendingCard(w, room, d))
	}
	if len(d.Handed) > 0 {
		out = append(out, handedCard(w, room, d))
	}
	if len(d.Milestones) > 0 {
		out = append(out, ui.Card{Title: w.T("deliver-milestone"), Body: ui.Children{milestoneDeliverForm(w, p.ID, d.Milestones, "")}})
	}
	if p.Description != "" {
		out = append(out, ui.Card{Title: w.T("field.description"), Body: ui.Children{ui.Markdown{Source: p.Description}}})
	}
	out = append(out, ui.Link{Text: w.T("back-projects"), Href: room.Path})
	return ui.Stack{Children: out}
}

// header says who the project is for, when, how it stands, and who leads
// it, with the ways into its work.
func header(w *i18n.Locale, room sdk.RoomRef, v sdk.Viewer, d sp.ProjectDetail) ui.Component {
	p := d.Project
	status, health := statusBadge(w, p.Status), healthBadge(w, p.Health)
	details := []ui.ListItem{
		{Title: w.T("customer"), Description: p.Customer},
		{Title: w.T("status"), Badge: &status},
		{Title: w.T("health"), Badge: &health},
		{Title: w.T("dates"), Description: w.T("date-range", "Start", dayOr(w, p.Start), "End", dayOr(w, p.Target))},
		{Title: w.T("partner-owner"), Description: personName(w, p.PartnerOwner)},
		{Title: w.T("vendor-owner"), Description: personName(w, p.VendorOwner)},
	}
	if v.Staff() {
		details = append([]ui.ListItem{{Title: w.T("partner"), Description: p.PartnerName}}, details...)
	}
	tone := ui.ToneSuccess
	switch p.Health {
	case sp.AtRisk:
		tone = ui.ToneWarning
	case sp.Late:
		tone = ui.ToneDanger
	}
	buttons := []ui.Button{{Label: w.T("tasks"), Href: tasksHref(room, p.ID), Icon: "check"}}
	if d.CanManage {
		buttons = append(buttons, ui.Button{Label: w.T("edit-project"), Href: projectHref(room, p.ID) + "/edit", Variant: "secondary"})
	}
	if v.Staff() && d.CanManage {
		buttons = append(buttons, ui.Button{Label: w.T("save-template"), Href: projectHref(room, p.ID) + "/template", Variant: "secondary"})
	}
	// The page's heading already names the project.
	return ui.Card{Body: ui.Children{
		ui.Metric{Label: w.T("progress"), Value: glance(w, p), Tone: tone, Hint: tasksOf(w, p.TasksDone, p.Tasks)},
		ui.Progress{Label: w.T("progress"), Value: float64(p.Progress), Max: 100, Text: percentDone(w, p.Progress)},
		ui.List{Items: details},
		ui.ActionBar{Buttons: buttons},
	}}
}

// timeline is the milestones as a Gantt-style chart, from the project's
// start to its target (widened to take every milestone in). Each row of
// its table leads to the milestone's tasks, which every member may see.
func timeline(w *i18n.Locale, room sdk.RoomRef, d sp.ProjectDetail) ui.Timeline {
	p := d.Project
	late := 0
	t := ui.Timeline{Title: w.T("timeline-of", "Project", p.Name), Start: p.Start, End: p.Target, Today: d.Today, ItemLabel: w.T("milestone")}
	for _, m := range d.Milestones {
		if m.Late {
			late++
		}
		start := m.Start
		if start == "" {
			start = m.Due
		}
		t.Bars = append(t.Bars, ui.TimelineBar{Label: m.Title, Start: start, End: m.Due, Progress: m.Progress, Done: m.Done, Late: m.Late,
			Href: fmt.Sprintf("%s?milestone=%d", tasksHref(room, p.ID), m.ID)})
		if start != "" && (t.Start == "" || start < t.Start) {
			t.Start = start
		}
		if m.Due > t.End {
			t.End = m.Due
		}
	}
	n := w.N("count.milestones", len(d.Milestones))
	if late > 0 {
		t.Description = w.N("timeline.late", late, "Milestones", n, "Start", dayOr(w, t.Start), "End", dayOr(w, t.End))
	} else {
		t.Description = w.T("timeline.description", "Milestones", n, "Start", dayOr(w, t.Start), "End", dayOr(w, t.End))
	}
	return t
}

func timelineCard(w *i18n.Locale, room sdk.RoomRef, d sp.ProjectDetail) ui.Component {
	if len(d.Milestones) == 0 {
		e := ui.Empty{Title: w.T("no-milestones"), Description: w.T("no-milestones-help")}
		if d.CanManage {
			e.Action = &ui.Button{Label: w.T("add-milestone"), Href: projectHref(room, d.Project.ID) + "/milestones/new"}
		}
		return ui.Card{Title: w.T("timeline"), Body: ui.Children{e}}
	}
	return ui.Card{Title: w.T("timeline"), Body: ui.Children{timeline(w, room, d)}}
}

// milestoneCard lists the milestones with their progress; managers mark
// them done from here.
func milestoneCard(w *i18n.Locale, room sdk.RoomRef, d sp.ProjectDetail) ui.Component {
	pid := d.Project.ID
	body := ui.Children{}
	for _, m := range d.Milestones {
		meta := w.T("due-on", "Date", dayOr(w, m.Due))
		item := ui.ListItem{Title: m.Title, Description: tasksOf(w, m.TasksDone, m.Tasks), Meta: meta}
		switch {
		case m.Done:
			item.Badge = &ui.Badge{Text: w.T("done"), Tone: ui.ToneSuccess}
		case m.Late:
			item.Badge = &ui.Badge{Text: w.T("late"), Tone: ui.ToneDanger}
			item.Meta = w.T("late-since", "Date", dayOr(w, m.Due))
		}
		if d.CanManage {
			item.Href = milestoneHref(room, pid, m.ID)
		}
		body = append(body, ui.List{Items: []ui.ListItem{item}},
			ui.Progress{Label: m.Title, Value: float64(m.Progress), Max: 100, Text: percentDone(w, m.Progress)})
		if d.CanManage {
			state := fmt.Sprintf("%d:%d", pid, m.ID)
			b := ui.Button{Label: w.T("mark-done"), Variant: "secondary", Icon: "check", Action: &ui.Action{Name: "milestone-done", State: state + ":1"}}
			if m.Done {
				b = ui.Button{Label: w.T("mark-not-done"), Variant: "link", Action: &ui.Action{Name: "milestone-done", State: state + ":0"}}
			}
			body = append(body, ui.ActionBar{Buttons: []ui.Button{b,
				{Label: w.T("tasks"), Variant: "link", Href: fmt.Sprintf("%s?milestone=%d", tasksHref(room, pid), m.ID)}}})
		}
	}
	if len(d.Milestones) == 0 {
		body = append(body, ui.Text{Text: w.T("no-milestones-help"), Muted: true})
	}
	if d.CanManage {
		body = append(body, ui.ActionBar{Buttons: []ui.Button{{Label: w.T("add-milestone"), Href: projectHref(room, pid) + "/milestones/new", Icon: "plus", Variant: "secondary"}}})
	}
	return ui.Card{Title: w.T("milestones"), Body: body}
}

// membersCard lists who is on the project, the partner's people first.
func membersCard(w *i18n.Locale, d sp.ProjectDetail) ui.Component {
	list := ui.List{}
	var vendor []ui.ListItem
	for _, m := range d.Members {
		it := ui.ListItem{Title: m.Name, Icon: "user"}
		switch {
		case d.Project.PartnerOwner != nil && m.ID == d.Project.PartnerOwner.ID:
			it.Meta = w.T("partner-owner")
		case d.Project.VendorOwner != nil && m.ID == d.Project.VendorOwner.ID:
			it.Meta = w.T("vendor-owner")
		}
		if m.Staff {
			it.Description = w.T("vendor-team")
			vendor = append(vendor, it)
			continue
		}
		it.Description = d.Project.PartnerName
		list.Items = append(list.Items, it)
	}
	list.Items = append(list.Items, vendor...)
	return ui.Card{Title: w.T("members"), Body: ui.Children{list}}
}

// pendingCard lists deliverables awaiting review; staff review them here.
func pendingCard(w *i18n.Locale, room sdk.RoomRef, d sp.ProjectDetail) ui.Component {
	if len(d.Pending) == 0 {
		return ui.Card{Title: w.T("pending"), Body: ui.Children{ui.Text{Text: w.T("no-pending"), Muted: true}}}
	}
	body := ui.Children{}
	for _, f := range d.Pending {
		body = append(body, deliverable(w, room, f, d.CanReview, d.Project.ID))
	}
	return ui.Card{Title: w.T("pending"), Body: body}
}

// handedCard lists the files handed over on milestones, in every state,
// with a form for a new version of one sent back.
func handedCard(w *i18n.Locale, room sdk.RoomRef, d sp.ProjectDetail) ui.Component {
	body := ui.Children{}
	state := strconv.FormatInt(d.Project.ID, 10) + ":0"
	for _, f := range d.Handed {
		body = append(body, deliverable(w, room, f, false, d.Project.ID))
		if f.Status == sp.ChangesRequested {
			body = append(body, deliverForm(w, state, f.FileID, w.T("new-version")))
		}
	}
	return ui.Card{Title: w.T("handed"), Body: body}
}

// deliverable is one file handed over: its latest version, its review and,
// for reviewers while it waits, the review form.
func deliverable(w *i18n.Locale, room sdk.RoomRef, f sp.Deliverable, canReview bool, pid int64) ui.Component {
	badge := reviewBadge(w, f.Status)
	out := ui.Children{ui.List{Items: []ui.ListItem{{Title: f.Name, Href: f.URL, Icon: "download", Meta: size(w, f.Size), Badge: &badge,
		Description: w.T("version", "Version", w.Int(int64(f.Version)), "Name", f.SubmittedBy.Name, "When", when(w, f.SubmittedAt), "Status", reviewLabel(w, f.Status))}}}}
	if f.ReviewedBy != nil && f.ReviewedAt != nil {
		line := w.T("reviewed", "Status", reviewLabel(w, f.Status), "Name", f.ReviewedBy.Name)
		if f.Review != "" {
			line = w.T("reviewed-comment", "Status", reviewLabel(w, f.Status), "Name", f.ReviewedBy.Name, "Comment", f.Review)
		}
		out = append(out, ui.Text{Text: line, Muted: true})
	}
	if canReview && f.Status == sp.Submitted {
		out = append(out, reviewForm(w, f, pid, "", ""))
	}
	return ui.Stack{Children: out}
}

// milestoneDeliverForm hands a file over on a milestone rather than a
// task (a plan, a sign-off): everyone who sees the project may.
func milestoneDeliverForm(w *i18n.Locale, pid int64, ms []sp.Milestone, milestone string) ui.Form {
	mf := ui.Field{Name: "milestone", Label: w.T("milestone"), Type: "select", Required: true, Value: milestone, Placeholder: w.T("choose-milestone-placeholder")}
	for _, m := range ms {
		mf.Options = append(mf.Options, ui.Option{Value: strconv.FormatInt(m.ID, 10), Label: m.Title})
	}
	return ui.Form{Action: ui.Action{Name: "deliver-milestone", State: strconv.FormatInt(pid, 10)}, Submit: w.T("upload"), Fields: []ui.Field{
		mf, {Name: "file", Label: w.T("deliver-file"), Type: "file", Required: true, Help: w.T("deliver-help")}}}
}

// reviewForm approves a deliverable or sends it back with a comment.
func reviewForm(w *i18n.Locale, f sp.Deliverable, pid int64, decision, comment string) ui.Form {
	return ui.Form{Action: ui.Action{Name: "review", State: fmt.Sprintf("%d:%d:%d", pid, f.TaskID, f.FileID)}, Submit: w.T("save-review"), Fields: []ui.Field{
		{Name: "decision", Label: w.T("decision"), Type: "select", Required: true, Value: decision, Placeholder: w.T("decision-placeholder"),
			Options: []ui.Option{{Value: sp.Approved, Label: w.T("approve")}, {Value: sp.ChangesRequested, Label: w.T("request-changes")}}},
		{Name: "comment", Label: w.T("review-comment"), Type: "textarea", Help: w.T("review-help"), MaxLength: 5000, Value: comment},
	}}
}

// memberFields are the checkboxes that choose a project's members.
func memberFields(w *i18n.Locale, d sp.ProjectDetail) []ui.Field {
	on := map[int64]bool{}
	for _, m := range d.Members {
		on[m.ID] = true
	}
	seen := map[int64]bool{}
	var fields []ui.Field
	add := func(p sp.Person) {
		if seen[p.ID] {
			return
		}
		seen[p.ID] = true
		fields = append(fields, ui.Field{Name: personField(p.ID), Label: personName(w, &p), Type: "checkbox", Value: strconv.FormatBool(on[p.ID])})
	}
	for _, m := range d.Members {
		add(m)
	}
	for _, c := range d.Candidates {
		add(c)
	}
	return fields
}

func personField(id int64) string { return "member-" + strconv.FormatInt(id, 10) }

// personSelect is a select of people, "Nobody" first.
func personSelect(w *i18n.Locale, name, label string, people []sp.Person, cur *sp.Person, staff *bool) ui.Field {
	f := ui.Field{Name: name, Label: label, Type: "select", Placeholder: w.T("nobody")}
	if cur != nil {
		f.Value = strconv.FormatInt(cur.ID, 10)
	}
	for _, p := range people {
		if staff != nil && p.Staff != *staff {
			continue
		}
		f.Options = append(f.Options, ui.Option{Value: strconv.FormatInt(p.ID, 10), Label: personName(w, &p)})
	}
	return f
}

// projectForm changes a project and who is on it.
func projectForm(w *i18n.Locale, d sp.ProjectDetail) ui.Form {
	p := d.Project
	people := append(append([]sp.Person{}, d.Members...), d.Candidates...)
	people = uniquePeople(people)
	no, yes := false, true
	status := ui.Field{Name: "status", Label: w.T("status"), Type: "select", Placeholder: w.T("choose"), Value: p.Status}
	for _, s := range statusNames {
		status.Options = append(status.Options, ui.Option{Value: s.value, Label: w.T(s.label)})
	}
	fields := []ui.Field{
		{Name: "name", Label: w.T("name"), Required: true, MaxLength: 200, Value: p.Name},
		{Name: "customer", Label: w.T("customer"), Required: true, MaxLength: 200, Value: p.Customer},
		{Name: "start", Label: w.T("start"), Type: "date", Required: true, Value: p.Start},
		{Name: "target", Label: w.T("target"), Type: "date", Required: true, Value: p.Target},
		status,
		personSelect(w, "partnerOwner", w.T("partner-owner"), people, p.PartnerOwner, &no),
		personSelect(w, "vendorOwner", w.T("vendor-owner"), people, p.VendorOwner, &yes),
		{Name: "description", Label: w.T("field.description"), Type: "textarea", Help: w.T("markdown-help"), MaxLength: 20000, Value: p.Description},
	}
	fields = append(fields, memberFields(w, d)...)
	return ui.Form{Action: ui.Action{Name: "update-project", State: strconv.FormatInt(p.ID, 10)}, Submit: w.T("save"), Fields: fields}
}

func uniquePeople(ps []sp.Person) []sp.Person {
	seen := map[int64]bool{}
	out := ps[:0]
	for _, p := range ps {
		if !seen[p.ID] {
			seen[p.ID] = true
			out = append(out, p)
		}
	}
	return out
}

// milestoneForm adds a milestone (m nil) or changes one.
func milestoneForm(w *i18n.Locale, pid int64, m *sp.Milestone) ui.Form {
	f := ui.Form{Action: ui.Action{Name: "milestone", State: fmt.Sprintf("%d:0", pid)}, Submit: w.T("add-milestone"), Fields: []ui.Field{
		{Name: "title", Label: w.T("title"), Required: true, MaxLength: 200},
		{Name: "start", Label: w.T("start"), Type: "date"},
		{Name: "due", Label: w.T("due"), Type: "date", Required: true},
	}}
	if m != nil {
		f.Action.State = fmt.Sprintf("%d:%d", pid, m.ID)
		f.Submit = w.T("save")
		f.Fields[0].Value, f.Fields[1].Value, f.Fields[2].Value = m.Title, m.Start, m.Due
		f.Fields = append(f.Fields, ui.Field{Name: "done", Label: w.T("done"), Type: "checkbox", Value: strconv.FormatBool(m.Done)})
	}
	return f
}

// templateForm keeps a project as a template.
func templateForm(w *i18n.Locale, p sp.Project) ui.Form {
	return ui.Form{Action: ui.Action{Name: "template", State: strconv.FormatInt(p.ID, 10)}, Submit: w.T("save-template"), Fields: []ui.Field{
		{Name: "name", Label: w.T("template-name"), Required: true, MaxLength: 200, Value: p.Name},
		{Name: "description", Label: w.T("field.description"), Type: "textarea", MaxLength: 2000},
	}}
}

// trimLines splits a checklist textarea into its non-empty lines.
func trimLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
