package projects

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/projects"
	"github.com/atriumhq/atrium/sdk/ui"
)

// tasksPerPage is how many tasks the board or list shows at once: a
// project's whole board, as far as the service lists in one page.
const tasksPerPage = 500

// taskQuery is the board's filters as they travel in the page's URL.
type taskQuery struct {
	List        bool // the list view instead of the board
	Mine        bool
	Late        bool
	MilestoneID int64
	Page        int
}

func parseTasks(q map[string][]string) taskQuery {
	out := taskQuery{List: first(q, "view") == "list", Mine: on(first(q, "mine")), Late: on(first(q, "late"))}
	out.MilestoneID, _ = strconv.ParseInt(first(q, "milestone"), 10, 64)
	out.Page, _ = strconv.Atoi(first(q, "page"))
	out.Page = max(out.Page, 1)
	return out
}

func (q taskQuery) tasks(pid int64) sp.TaskQuery {
	return sp.TaskQuery{ProjectID: pid, MilestoneID: max(q.MilestoneID, 0), Mine: q.Mine, Late: q.Late, Page: max(q.Page, 1), PerPage: tasksPerPage}
}

func (q taskQuery) filtered() bool { return q.Mine || q.Late || q.MilestoneID != 0 }

func (q taskQuery) href(room sdk.RoomRef, pid int64, page int) string {
	v := url.Values{}
	if q.List {
		v.Set("view", "list")
	}
	if q.Mine {
		v.Set("mine", "1")
	}
	if q.Late {
		v.Set("late", "1")
	}
	if q.MilestoneID != 0 {
		v.Set("milestone", strconv.FormatInt(q.MilestoneID, 10))
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return tasksHref(room, pid)
	}
	return tasksHref(room, pid) + "?" + v.Encode()
}

// tasksPage is a project's tasks as a board by status or as a list, with
// the filters.
func tasksPage(room sdk.RoomRef, d sp.ProjectDetail, page sp.TaskPage, q taskQuery) ui.Component {
	p := d.Project
	board, list := q, q
	board.List, list.List = false, true
	bv, lv := "primary", "secondary"
	if q.List {
		bv, lv = lv, bv
	}
	out := ui.Children{
		ui.Text{Text: glance(p), Muted: true},
		ui.ActionBar{Buttons: []ui.Button{
			{Label: txtAddTask, Href: tasksHref(room, p.ID) + "/new", Icon: "plus"},
			{Label: txtBoard, Href: board.href(room, p.ID, 1), Variant: bv},
			{Label: txtListView, Href: list.href(room, p.ID, 1), Variant: lv},
		}},
		taskFilter(p.ID, d.Milestones, q),
	}
	names := milestoneNames(d.Milestones)
	switch {
	case len(page.Tasks) == 0 && q.filtered():
		all := taskQuery{List: q.List}
		out = append(out, ui.Empty{Title: txtNoTasksMatch, Description: txtNoTasksMatchHelp,
			Action: &ui.Button{Label: txtAllTasks, Href: all.href(room, p.ID, 1), Variant: "secondary"}})
	case len(page.Tasks) == 0:
		out = append(out, ui.Empty{Title: txtNoTasks, Description: txtNoTasksHelp,
			Action: &ui.Button{Label: txtAddTask, Href: tasksHref(room, p.ID) + "/new"}})
	case q.List:
		out = append(out, taskTable(room, page.Tasks, names))
	default:
		out = append(out, taskBoard(page.Tasks, room, names))
	}
	if page.PerPage > 0 && page.Total > page.PerPage {
		out = append(out, pagerOf(page.Page, page.PerPage, page.Total, fmtTasksOne, fmtTasksMany, func(n int) string { return q.href(room, p.ID, n) })...)
	}
	out = append(out, ui.Link{Text: txtBackProject, Href: projectHref(room, p.ID)})
	return ui.Stack{Children: out}
}

func milestoneNames(ms []sp.Milestone) map[int64]string {
	out := make(map[int64]string, len(ms))
	for _, m := range ms {
		out[m.ID] = m.Title
	}
	return out
}

// taskFilter narrows the tasks; it posts "task-filter", which leads to the
// same page with the filters in its URL.
func taskFilter(pid int64, ms []sp.Milestone, q taskQuery) ui.Form {
	mf := ui.Field{Name: "milestone", Label: txtMilestone, Type: "select", Placeholder: txtAllMilestones}
	if q.MilestoneID != 0 {
		mf.Value = strconv.FormatInt(q.MilestoneID, 10)
	}
	for _, m := range ms {
		mf.Options = append(mf.Options, ui.Option{Value: strconv.FormatInt(m.ID, 10), Label: m.Title})
	}
	view := ""
	if q.List {
		view = "list"
	}
	return ui.Form{Action: ui.Action{Name: "task-filter", State: fmt.Sprintf("%d:%s", pid, view)}, Submit: txtFilter, Fields: []ui.Field{
		{Name: "mine", Label: txtMineTasks, Type: "checkbox", Value: strconv.FormatBool(q.Mine)},
		{Name: "late", Label: txtLateOnly, Type: "checkbox", Value: strconv.FormatBool(q.Late)},
		mf,
	}}
}

// taskBoard is one column per status. Each card moves with its own select
// and button, which needs no script; the theme lets a card be dragged onto
// another column as well. The board is one component however many cards
// it holds, so a whole 500-task page fits the portal's limits on a tree.
func taskBoard(tasks []sp.Task, room sdk.RoomRef, names map[int64]string) ui.Component {
	b := ui.Board{Label: txtBoardLabel, Field: "status", Submit: txtMove, Empty: txtNoTasksColumn}
	at := map[string]int{}
	for _, c := range taskColumns {
		at[c.value] = len(b.Columns)
		b.Columns = append(b.Columns, ui.BoardColumn{Value: c.value, Label: c.label})
	}
	for _, t := range tasks {
		if i, ok := at[t.Status]; ok {
			b.Columns[i].Cards = append(b.Columns[i].Cards, taskCard(room, t, names))
		}
	}
	for i := range b.Columns {
		b.Columns[i].Title = fmt.Sprintf(fmtColumnCount, b.Columns[i].Label, len(b.Columns[i].Cards))
	}
	return b
}

// taskCard is a task on the board: what, who, when, and how far along.
func taskCard(room sdk.RoomRef, t sp.Task, names map[int64]string) ui.BoardCard {
	c := ui.BoardCard{Title: t.Title, Href: taskHref(room, t.ProjectID, t.ID), Subtitle: taskSub(t, names),
		Move: ui.Action{Name: "move", State: fmt.Sprintf("%d:%d", t.ProjectID, t.ID)}, MoveLabel: fmt.Sprintf(fmtMoveTask, t.Title)}
	if t.Late {
		// The due date is in the subtitle; the badge stays short enough
		// for a narrow column.
		c.Badge = &ui.Badge{Text: txtLate, Tone: ui.ToneDanger}
	}
	if n := len(t.Checklist); n > 0 {
		done := 0
		for _, k := range t.Checklist {
			if k.Done {
				done++
			}
		}
		c.Lines = append(c.Lines, fmt.Sprintf(fmtCheckOf, done, n))
	}
	if t.Comments > 0 {
		c.Lines = append(c.Lines, count(t.Comments, fmtCommentsOne, fmtCommentsMany))
	}
	if t.Deliverables > 0 {
		c.Lines = append(c.Lines, count(t.Deliverables, fmtFilesOne, fmtFilesMany))
	}
	return c
}

// taskSub is who has a task, when it is due and where it belongs.
func taskSub(t sp.Task, names map[int64]string) string {
	parts := []string{personName(t.Assignee)}
	if t.Due != "" {
		parts = append(parts, fmt.Sprintf(fmtDueOn, day(t.Due)))
	}
	if n := names[t.MilestoneID]; n != "" {
		parts = append(parts, fmt.Sprintf(fmtTaskIn, n))
	}
	return strings.Join(parts, " · ")
}

// moveForm moves a task to another column.
func moveForm(t sp.Task) ui.Form {
	f := ui.Field{Name: "status", Label: fmt.Sprintf(fmtMoveTask, t.Title), Type: "select", Value: t.Status}
	for _, c := range taskColumns {
		f.Options = append(f.Options, ui.Option{Value: c.value, Label: c.label})
	}
	return ui.Form{Action: ui.Action{Name: "move", State: fmt.Sprintf("%d:%d", t.ProjectID, t.ID)}, Submit: txtMove, Fields: []ui.Field{f}}
}

// taskTable is the list view.
func taskTable(room sdk.RoomRef, tasks []sp.Task, names map[int64]string) ui.Component {
	t := ui.Table{Caption: txtTasks, Columns: []ui.TableColumn{{Label: txtTask}, {Label: txtStatus}, {Label: txtAssignee}, {Label: txtDue}, {Label: txtMilestone}}}
	for _, k := range tasks {
		status := ui.Children{taskBadge(k.Status)}
		if k.Late {
			status = append(status, ui.Badge{Text: txtLate, Tone: ui.ToneDanger})
		}
		ms := names[k.MilestoneID]
		if ms == "" {
			ms = "—"
		}
		t.Rows = append(t.Rows, ui.TableRow{Cells: ui.Children{
			ui.Link{Text: k.Title, Href: taskHref(room, k.ProjectID, k.ID)},
			ui.Stack{Children: status},
			ui.Text{Text: personName(k.Assignee)},
			ui.Text{Text: dayOr(k.Due)},
			ui.Text{Text: ms},
		}})
	}
	return t
}

// pagerOf is pager for any noun.
func pagerOf(page, per, total int, one, many string, href func(int) string) ui.Children {
	c := pager(page, per, total, href)
	if len(c) == 0 {
		return nil
	}
	pages := (total + per - 1) / per
	c[0] = ui.Text{Text: fmt.Sprintf(fmtPage, min(max(page, 1), pages), pages, count(total, one, many)), Muted: true}
	return c
}

// taskPage is a task: what it is, its checklist, its deliverables, its
// comments and its history.
func taskPage(room sdk.RoomRef, d sp.TaskDetail) ui.Component {
	t := d.Task
	names := milestoneNames(d.Milestones)
	state := fmt.Sprintf("%d:%d", t.ProjectID, t.ID)
	status := taskBadge(t.Status)
	details := []ui.ListItem{
		{Title: txtStatus, Badge: &status},
		{Title: txtAssignee, Description: personName(t.Assignee)},
		{Title: txtDue, Description: dayOr(t.Due)},
	}
	if t.Late {
		details[2].Badge = &ui.Badge{Text: txtLate, Tone: ui.ToneDanger}
	}
	if n := names[t.MilestoneID]; n != "" {
		details = append(details, ui.ListItem{Title: txtMilestone, Description: n})
	}
	head := ui.Children{ui.List{Items: details}}
	if t.Description != "" {
		head = append(head, ui.Markdown{Source: t.Description})
	}
	head = append(head, moveForm(t), ui.ActionBar{Buttons: []ui.Button{{Label: txtEditTask, Href: taskHref(room, t.ProjectID, t.ID) + "/edit", Variant: "secondary"}}})
	out := ui.Children{ui.Card{Title: t.Title, Subtitle: d.ProjectName, Body: head}}

	if len(t.Checklist) > 0 {
		out = append(out, checklistCard(t, state))
	}

	files := ui.Children{}
	if len(d.Deliverables) == 0 {
		files = append(files, ui.Text{Text: txtNoDeliverables, Muted: true})
	}
	for _, f := range d.Deliverables {
		files = append(files, deliverable(room, f, d.CanReview, t.ProjectID))
		if f.Status == sp.ChangesRequested {
			files = append(files, deliverForm(state, f.FileID, txtNewVersion))
		}
	}
	files = append(files, ui.Heading{Text: txtDeliver, Level: 4}, deliverForm(state, 0, txtUpload))
	out = append(out, ui.Card{Title: txtDeliverables, Body: files})

	comments := ui.Children{}
	if len(d.Comments) == 0 {
		comments = append(comments, ui.Text{Text: txtNoComments, Muted: true})
	}
	for _, c := range d.Comments {
		comments = append(comments, ui.Card{Title: personName(&c.Author), Subtitle: when(c.At), Body: ui.Children{ui.Markdown{Source: c.Body}}})
	}
	comments = append(comments, commentForm(state))
	out = append(out, ui.Card{Title: txtComments, Body: comments})

	act := ui.List{}
	for _, a := range d.Activity {
		act.Items = append(act.Items, ui.ListItem{Title: a.Who, Description: a.What, Meta: when(a.At)})
	}
	history := ui.Children{act}
	if len(d.Activity) == 0 {
		history = ui.Children{ui.Text{Text: txtNoActivity, Muted: true}}
	}
	out = append(out, ui.Card{Title: txtActivity, Body: history},
		ui.Link{Text: txtBackTasks, Href: tasksHref(room, t.ProjectID)})
	return ui.Stack{Children: out}
}

// checklistCard ticks and unticks lines one at a time, so two people
// working the list do not undo each other. Each line says its state in
// words and has its own button, which reads well on a phone.
func checklistCard(t sp.Task, state string) ui.Component {
	done := 0
	body := ui.Children{}
	for i, c := range t.Checklist {
		mark := ui.Badge{Text: txtNotYet}
		b := ui.Button{Label: fmt.Sprintf(fmtTickLine, c.Text), Variant: "secondary", Icon: "check", Action: &ui.Action{Name: "check", State: fmt.Sprintf("%s:%d:1", state, i)}}
		if c.Done {
			done++
			mark = ui.Badge{Text: txtDone, Tone: ui.ToneSuccess}
			b = ui.Button{Label: fmt.Sprintf(fmtUntickLine, c.Text), Variant: "link", Action: &ui.Action{Name: "check", State: fmt.Sprintf("%s:%d:0", state, i)}}
		}
		body = append(body, ui.List{Items: []ui.ListItem{{Title: c.Text, Badge: &mark}}}, ui.ActionBar{Buttons: []ui.Button{b}})
	}
	return ui.Card{Title: txtChecklist, Subtitle: fmt.Sprintf(fmtCheckOf, done, len(t.Checklist)), Body: body}
}

func deliverForm(state string, fileID int64, submit string) ui.Form {
	return ui.Form{Action: ui.Action{Name: "deliver", State: fmt.Sprintf("%s:%d", state, fileID)}, Submit: submit, Fields: []ui.Field{
		{Name: "file", Label: txtDeliverFile, Type: "file", Required: true, Help: txtDeliverHelp}}}
}

func commentForm(state string) ui.Form {
	return ui.Form{Action: ui.Action{Name: "comment", State: state}, Submit: txtPostComment, Fields: []ui.Field{
		{Name: "body", Label: txtComment, Type: "textarea", Required: true, Help: txtCommentHelp, MaxLength: 20000}}}
}

// taskForm adds a task (t nil) or changes one.
func taskForm(pid int64, t *sp.Task, people []sp.Person, ms []sp.Milestone, milestone int64) ui.Form {
	status := ui.Field{Name: "status", Label: txtStatus, Type: "select", Value: sp.ToDo}
	for _, c := range taskColumns {
		status.Options = append(status.Options, ui.Option{Value: c.value, Label: c.label})
	}
	mf := ui.Field{Name: "milestone", Label: txtMilestone, Type: "select", Placeholder: txtNoMilestone}
	for _, m := range ms {
		mf.Options = append(mf.Options, ui.Option{Value: strconv.FormatInt(m.ID, 10), Label: m.Title})
	}
	if milestone != 0 {
		mf.Value = strconv.FormatInt(milestone, 10)
	}
	var assignee *sp.Person
	f := ui.Form{Action: ui.Action{Name: "task", State: fmt.Sprintf("%d:0", pid)}, Submit: txtAddTask}
	title, due, desc, check := "", "", "", ""
	if t != nil {
		f.Action.State, f.Submit = fmt.Sprintf("%d:%d", pid, t.ID), txtSave
		title, due, desc, status.Value, assignee = t.Title, t.Due, t.Description, t.Status, t.Assignee
		if t.MilestoneID != 0 {
			mf.Value = strconv.FormatInt(t.MilestoneID, 10)
		}
		lines := make([]string, 0, len(t.Checklist))
		for _, c := range t.Checklist {
			lines = append(lines, c.Text)
		}
		check = strings.Join(lines, "\n")
	}
	f.Fields = []ui.Field{
		{Name: "title", Label: txtTitle, Required: true, MaxLength: 200, Value: title},
		mf,
		personSelect("assignee", txtAssignee, people, assignee, nil),
		{Name: "due", Label: txtDue, Type: "date", Value: due},
		status,
		{Name: "description", Label: txtDescription, Type: "textarea", Help: txtMarkdownHelp, MaxLength: 20000, Value: desc},
		{Name: "checklist", Label: txtChecklist, Type: "textarea", Help: txtChecklistHelp, MaxLength: 20000, Value: check},
	}
	return f
}

// checklistFrom turns the checklist textarea into items, keeping the tick
// of a line whose text is unchanged.
func checklistFrom(text string, old []sp.CheckItem) []sp.CheckItem {
	was := map[string]bool{}
	for _, c := range old {
		if c.Done {
			was[c.Text] = true
		}
	}
	out := []sp.CheckItem{}
	for _, l := range trimLines(text) {
		out = append(out, sp.CheckItem{Text: l, Done: was[l]})
	}
	return out
}
