package projects

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/sdk"
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
	out := ui.Children{header(room, v, d)}
	out = append(out, timelineCard(room, d))
	out = append(out, milestoneCard(room, d))
	out = append(out, membersCard(d))
	if len(d.Pending) > 0 || d.CanReview {
		out = append(out, pendingCard(room, d))
	}
	if len(d.Handed) > 0 {
		out = append(out, handedCard(room, d))
	}
	if len(d.Milestones) > 0 {
		out = append(out, ui.Card{Title: txtDeliverMilestone, Body: ui.Children{milestoneDeliverForm(p.ID, d.Milestones, "")}})
	}
	if p.Description != "" {
		out = append(out, ui.Card{Title: txtDescription, Body: ui.Children{ui.Markdown{Source: p.Description}}})
	}
	out = append(out, ui.Link{Text: txtBackProjects, Href: room.Path})
	return ui.Stack{Children: out}
}

// header says who the project is for, when, how it stands, and who leads
// it, with the ways into its work.
func header(room sdk.RoomRef, v sdk.Viewer, d sp.ProjectDetail) ui.Component {
	p := d.Project
	status, health := statusBadge(p.Status), healthBadge(p.Health)
	details := []ui.ListItem{
		{Title: txtCustomer, Description: p.Customer},
		{Title: txtStatus, Badge: &status},
		{Title: txtHealth, Badge: &health},
		{Title: txtDates, Description: fmt.Sprintf(fmtDates, dayOr(p.Start), dayOr(p.Target))},
		{Title: txtPartnerOwner, Description: personName(p.PartnerOwner)},
		{Title: txtVendorOwner, Description: personName(p.VendorOwner)},
	}
	if v.Staff() {
		details = append([]ui.ListItem{{Title: txtPartner, Description: p.PartnerName}}, details...)
	}
	tone := ui.ToneSuccess
	switch p.Health {
	case sp.AtRisk:
		tone = ui.ToneWarning
	case sp.Late:
		tone = ui.ToneDanger
	}
	buttons := []ui.Button{{Label: txtTasks, Href: tasksHref(room, p.ID), Icon: "check"}}
	if d.CanManage {
		buttons = append(buttons, ui.Button{Label: txtEditProject, Href: projectHref(room, p.ID) + "/edit", Variant: "secondary"})
	}
	if v.Staff() && d.CanManage {
		buttons = append(buttons, ui.Button{Label: txtSaveTemplate, Href: projectHref(room, p.ID) + "/template", Variant: "secondary"})
	}
	// The page's heading already names the project.
	return ui.Card{Body: ui.Children{
		ui.Metric{Label: txtProgress, Value: glance(p), Tone: tone, Hint: fmt.Sprintf(fmtTasksOf, p.TasksDone, p.Tasks)},
		ui.Progress{Label: txtProgress, Value: float64(p.Progress), Max: 100, Text: fmt.Sprintf(fmtDone, p.Progress)},
		ui.List{Items: details},
		ui.ActionBar{Buttons: buttons},
	}}
}

// timeline is the milestones as a Gantt-style chart, from the project's
// start to its target (widened to take every milestone in). Each row of
// its table leads to the milestone's tasks, which every member may see.
func timeline(room sdk.RoomRef, d sp.ProjectDetail) ui.Timeline {
	p := d.Project
	late := 0
	t := ui.Timeline{Title: fmt.Sprintf(txtTimelineOf, p.Name), Start: p.Start, End: p.Target, Today: d.Today, ItemLabel: txtMilestone}
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
	n := count(len(d.Milestones), fmtMilestonesOne, fmtMilestonesMany)
	if late > 0 {
		t.Description = fmt.Sprintf(fmtTimelineLate, n, dayOr(t.Start), dayOr(t.End), count(late, fmtMilestonesOne, fmtMilestonesMany))
	} else {
		t.Description = fmt.Sprintf(fmtTimelineDesc, n, dayOr(t.Start), dayOr(t.End))
	}
	return t
}

func timelineCard(room sdk.RoomRef, d sp.ProjectDetail) ui.Component {
	if len(d.Milestones) == 0 {
		e := ui.Empty{Title: txtNoMilestones, Description: txtNoMilestonesHelp}
		if d.CanManage {
			e.Action = &ui.Button{Label: txtAddMilestone, Href: projectHref(room, d.Project.ID) + "/milestones/new"}
		}
		return ui.Card{Title: txtTimeline, Body: ui.Children{e}}
	}
	return ui.Card{Title: txtTimeline, Body: ui.Children{timeline(room, d)}}
}

// milestoneCard lists the milestones with their progress; managers mark
// them done from here.
func milestoneCard(room sdk.RoomRef, d sp.ProjectDetail) ui.Component {
	pid := d.Project.ID
	body := ui.Children{}
	for _, m := range d.Milestones {
		meta := fmt.Sprintf(fmtDueOn, dayOr(m.Due))
		item := ui.ListItem{Title: m.Title, Description: fmt.Sprintf(fmtTasksOf, m.TasksDone, m.Tasks), Meta: meta}
		switch {
		case m.Done:
			item.Badge = &ui.Badge{Text: txtDone, Tone: ui.ToneSuccess}
		case m.Late:
			item.Badge = &ui.Badge{Text: txtLate, Tone: ui.ToneDanger}
			item.Meta = fmt.Sprintf(fmtLateSince, dayOr(m.Due))
		}
		if d.CanManage {
			item.Href = milestoneHref(room, pid, m.ID)
		}
		body = append(body, ui.List{Items: []ui.ListItem{item}},
			ui.Progress{Label: m.Title, Value: float64(m.Progress), Max: 100, Text: fmt.Sprintf(fmtDone, m.Progress)})
		if d.CanManage {
			state := fmt.Sprintf("%d:%d", pid, m.ID)
			b := ui.Button{Label: txtMarkDone, Variant: "secondary", Icon: "check", Action: &ui.Action{Name: "milestone-done", State: state + ":1"}}
			if m.Done {
				b = ui.Button{Label: txtMarkNotDone, Variant: "link", Action: &ui.Action{Name: "milestone-done", State: state + ":0"}}
			}
			body = append(body, ui.ActionBar{Buttons: []ui.Button{b,
				{Label: txtTasks, Variant: "link", Href: fmt.Sprintf("%s?milestone=%d", tasksHref(room, pid), m.ID)}}})
		}
	}
	if len(d.Milestones) == 0 {
		body = append(body, ui.Text{Text: txtNoMilestonesHelp, Muted: true})
	}
	if d.CanManage {
		body = append(body, ui.ActionBar{Buttons: []ui.Button{{Label: txtAddMilestone, Href: projectHref(room, pid) + "/milestones/new", Icon: "plus", Variant: "secondary"}}})
	}
	return ui.Card{Title: txtMilestones, Body: body}
}

// membersCard lists who is on the project, the partner's people first.
func membersCard(d sp.ProjectDetail) ui.Component {
	list := ui.List{}
	var vendor []ui.ListItem
	for _, m := range d.Members {
		it := ui.ListItem{Title: m.Name, Icon: "user"}
		switch {
		case d.Project.PartnerOwner != nil && m.ID == d.Project.PartnerOwner.ID:
			it.Meta = txtPartnerOwner
		case d.Project.VendorOwner != nil && m.ID == d.Project.VendorOwner.ID:
			it.Meta = txtVendorOwner
		}
		if m.Staff {
			it.Description = txtVendorTeam
			vendor = append(vendor, it)
			continue
		}
		it.Description = d.Project.PartnerName
		list.Items = append(list.Items, it)
	}
	list.Items = append(list.Items, vendor...)
	return ui.Card{Title: txtMembers, Body: ui.Children{list}}
}

// pendingCard lists deliverables awaiting review; staff review them here.
func pendingCard(room sdk.RoomRef, d sp.ProjectDetail) ui.Component {
	if len(d.Pending) == 0 {
		return ui.Card{Title: txtPending, Body: ui.Children{ui.Text{Text: txtNoPending, Muted: true}}}
	}
	body := ui.Children{}
	for _, f := range d.Pending {
		body = append(body, deliverable(room, f, d.CanReview, d.Project.ID))
	}
	return ui.Card{Title: txtPending, Body: body}
}

// handedCard lists the files handed over on milestones, in every state,
// with a form for a new version of one sent back.
func handedCard(room sdk.RoomRef, d sp.ProjectDetail) ui.Component {
	body := ui.Children{}
	state := strconv.FormatInt(d.Project.ID, 10) + ":0"
	for _, f := range d.Handed {
		body = append(body, deliverable(room, f, false, d.Project.ID))
		if f.Status == sp.ChangesRequested {
			body = append(body, deliverForm(state, f.FileID, txtNewVersion))
		}
	}
	return ui.Card{Title: txtHanded, Body: body}
}

// deliverable is one file handed over: its latest version, its review and,
// for reviewers while it waits, the review form.
func deliverable(room sdk.RoomRef, f sp.Deliverable, canReview bool, pid int64) ui.Component {
	badge := reviewBadge(f.Status)
	out := ui.Children{ui.List{Items: []ui.ListItem{{Title: f.Name, Href: f.URL, Icon: "download", Meta: size(f.Size), Badge: &badge,
		Description: fmt.Sprintf(fmtVersion, f.Version, reviewNames[f.Status], f.SubmittedBy.Name, when(f.SubmittedAt))}}}}
	if f.ReviewedBy != nil && f.ReviewedAt != nil {
		line := fmt.Sprintf(fmtReviewedBare, reviewNames[f.Status], f.ReviewedBy.Name)
		if f.Review != "" {
			line = fmt.Sprintf(fmtReviewed, reviewNames[f.Status], f.ReviewedBy.Name, f.Review)
		}
		out = append(out, ui.Text{Text: line, Muted: true})
	}
	if canReview && f.Status == sp.Submitted {
		out = append(out, reviewForm(f, pid, "", ""))
	}
	return ui.Stack{Children: out}
}

// milestoneDeliverForm hands a file over on a milestone rather than a
// task (a plan, a sign-off): everyone who sees the project may.
func milestoneDeliverForm(pid int64, ms []sp.Milestone, milestone string) ui.Form {
	mf := ui.Field{Name: "milestone", Label: txtMilestone, Type: "select", Required: true, Value: milestone, Placeholder: txtChooseMilestonePlaceholder}
	for _, m := range ms {
		mf.Options = append(mf.Options, ui.Option{Value: strconv.FormatInt(m.ID, 10), Label: m.Title})
	}
	return ui.Form{Action: ui.Action{Name: "deliver-milestone", State: strconv.FormatInt(pid, 10)}, Submit: txtUpload, Fields: []ui.Field{
		mf, {Name: "file", Label: txtDeliverFile, Type: "file", Required: true, Help: txtDeliverHelp}}}
}

// reviewForm approves a deliverable or sends it back with a comment.
func reviewForm(f sp.Deliverable, pid int64, decision, comment string) ui.Form {
	return ui.Form{Action: ui.Action{Name: "review", State: fmt.Sprintf("%d:%d:%d", pid, f.TaskID, f.FileID)}, Submit: txtSaveReview, Fields: []ui.Field{
		{Name: "decision", Label: txtDecision, Type: "select", Required: true, Value: decision, Placeholder: txtDecisionPlaceholder,
			Options: []ui.Option{{Value: sp.Approved, Label: txtApprove}, {Value: sp.ChangesRequested, Label: txtRequestChanges}}},
		{Name: "comment", Label: txtReviewComment, Type: "textarea", Help: txtReviewHelp, MaxLength: 5000, Value: comment},
	}}
}

// memberFields are the checkboxes that choose a project's members.
func memberFields(d sp.ProjectDetail) []ui.Field {
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
		fields = append(fields, ui.Field{Name: personField(p.ID), Label: personName(&p), Type: "checkbox", Value: strconv.FormatBool(on[p.ID])})
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
func personSelect(name, label string, people []sp.Person, cur *sp.Person, staff *bool) ui.Field {
	f := ui.Field{Name: name, Label: label, Type: "select", Placeholder: txtNobody}
	if cur != nil {
		f.Value = strconv.FormatInt(cur.ID, 10)
	}
	for _, p := range people {
		if staff != nil && p.Staff != *staff {
			continue
		}
		f.Options = append(f.Options, ui.Option{Value: strconv.FormatInt(p.ID, 10), Label: personName(&p)})
	}
	return f
}

// projectForm changes a project and who is on it.
func projectForm(d sp.ProjectDetail) ui.Form {
	p := d.Project
	people := append(append([]sp.Person{}, d.Members...), d.Candidates...)
	people = uniquePeople(people)
	no, yes := false, true
	status := ui.Field{Name: "status", Label: txtStatus, Type: "select", Value: p.Status}
	for _, s := range statusNames {
		status.Options = append(status.Options, ui.Option{Value: s.value, Label: s.label})
	}
	fields := []ui.Field{
		{Name: "name", Label: txtName, Required: true, MaxLength: 200, Value: p.Name},
		{Name: "customer", Label: txtCustomer, Required: true, MaxLength: 200, Value: p.Customer},
		{Name: "start", Label: txtStart, Type: "date", Required: true, Value: p.Start},
		{Name: "target", Label: txtTarget, Type: "date", Required: true, Value: p.Target},
		status,
		personSelect("partnerOwner", txtPartnerOwner, people, p.PartnerOwner, &no),
		personSelect("vendorOwner", txtVendorOwner, people, p.VendorOwner, &yes),
		{Name: "description", Label: txtDescription, Type: "textarea", Help: txtMarkdownHelp, MaxLength: 20000, Value: p.Description},
	}
	fields = append(fields, memberFields(d)...)
	return ui.Form{Action: ui.Action{Name: "update-project", State: strconv.FormatInt(p.ID, 10)}, Submit: txtSave, Fields: fields}
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
func milestoneForm(pid int64, m *sp.Milestone) ui.Form {
	f := ui.Form{Action: ui.Action{Name: "milestone", State: fmt.Sprintf("%d:0", pid)}, Submit: txtAddMilestone, Fields: []ui.Field{
		{Name: "title", Label: txtTitle, Required: true, MaxLength: 200},
		{Name: "start", Label: txtStart, Type: "date"},
		{Name: "due", Label: txtDue, Type: "date", Required: true},
	}}
	if m != nil {
		f.Action.State = fmt.Sprintf("%d:%d", pid, m.ID)
		f.Submit = txtSave
		f.Fields[0].Value, f.Fields[1].Value, f.Fields[2].Value = m.Title, m.Start, m.Due
		f.Fields = append(f.Fields, ui.Field{Name: "done", Label: txtDone, Type: "checkbox", Value: strconv.FormatBool(m.Done)})
	}
	return f
}

// templateForm keeps a project as a template.
func templateForm(p sp.Project) ui.Form {
	return ui.Form{Action: ui.Action{Name: "template", State: strconv.FormatInt(p.ID, 10)}, Submit: txtSaveTemplate, Fields: []ui.Field{
		{Name: "name", Label: txtTemplateName, Required: true, MaxLength: 200, Value: p.Name},
		{Name: "description", Label: txtDescription, Type: "textarea", MaxLength: 2000},
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
