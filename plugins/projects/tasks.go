package projects

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/i18n"
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
func tasksPage(w *i18n.Locale, room sdk.RoomRef, d sp.ProjectDetail, page sp.TaskPage, q taskQuery) ui.Component {
	p := d.Project
	board, list := q, q
	board.List, list.List = false, true
	bv, lv := "primary", "secondary"
	if q.List {
		bv, lv = lv, bv
	}
	out := ui.Children{
		ui.Text{Text: glance(w, p), Muted: true},
		ui.ActionBar{Buttons: []ui.Button{
			{Label: w.T("add-task"), Href: tasksHref(room, p.ID) + "/new", Icon: "plus"},
			{Label: w.T("board"), Href: board.href(room, p.ID, 1), Variant: bv},
			{Label: w.T("list-view"), Href: list.href(room, p.ID, 1), Variant: lv},
		}},
		taskFilter(w, p.ID, d.Milestones, q),
	}
	names := milestoneNames(d.Milestones)
	switch {
	case len(page.Tasks) == 0 && q.filtered():
		all := taskQuery{List: q.List}
		out = append(out, ui.Empty{Title: w.T("no-tasks-match"), Description: w.T("no-tasks-match-help"),
			Action: &ui.Button{Label: w.T("all-tasks"), Href: all.href(room, p.ID, 1), Variant: "secondary"}})
	case len(page.Tasks) == 0:
		out = append(out, ui.Empty{Title: w.T("no-tasks"), Description: w.T("no-tasks-help"),
			Action: &ui.Button{Label: w.T("add-task"), Href: tasksHref(room, p.ID) + "/new"}})
	case q.List:
		out = append(out, taskTable(w, room, page.Tasks, names))
	default:
		out = append(out, taskBoard(w, page.Tasks, room, names))
	}
	if page.PerPage > 0 && page.Total > page.PerPage {
		out = append(out, pager(w, "pager.tasks", page.Page, page.PerPage, page.Total, func(n int) string { return q.href(room, p.ID, n) })...)
	}
	out = append(out, ui.Link{Text: w.T("back-project"), Href: projectHref(room, p.ID)})
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
func taskFilter(w *i18n.Locale, pid int64, ms []sp.Milestone, q taskQuery) ui.Form {
	mf := ui.Field{Name: "milestone", Label: w.T("milestone"), Type: "select", Placeholder: w.T("all-milestones")}
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
	return ui.Form{Action: ui.Action{Name: "task-filter", State: fmt.Sprintf("%d:%s", pid, view)}, Submit: w.T("filter"), Fields: []ui.Field{
		{Name: "mine", Label: w.T("mine-tasks"), Type: "checkbox", Value: strconv.FormatBool(q.Mine)},
		{Name: "late", Label: w.T("late-only"), Type: "checkbox", Value: strconv.FormatBool(q.Late)},
		mf,
	}}
}

// taskBoard is one column per status. Each card moves with its own select
// and button, which needs no script; the theme lets a card be dragged onto
// another column as well. The board is one component however many cards
// it holds, so a whole 500-task page fits the portal's limits on a tree.
func taskBoard(w *i18n.Locale, tasks []sp.Task, room sdk.RoomRef, names map[int64]string) ui.Component {
	b := ui.Board{Label: w.T("board-label"), Field: "status", Submit: w.T("move"), Empty: w.T("no-tasks-column")}
	at := make(map[string]int, len(taskColumns))
	for _, c := range taskColumns {
		at[c.value] = len(b.Columns)
		b.Columns = append(b.Columns, ui.BoardColumn{Value: c.value, Label: w.T(c.label)})
	}
	// Each column's cards at their final size: appended one by one, a
	// column of 125 cards was copied seven times over.
	count := make([]int, len(b.Columns))
	for _, t := range tasks {
		if i, ok := at[t.Status]; ok {
			count[i]++
		}
	}
	for i := range b.Columns {
		b.Columns[i].Cards = make([]ui.BoardCard, 0, count[i])
	}
	say := newPhrases(w, room, names)
	for _, t := range tasks {
		if i, ok := at[t.Status]; ok {
			b.Columns[i].Cards = append(b.Columns[i].Cards, say.card(t))
		}
	}
	for i := range b.Columns {
		b.Columns[i].Title = w.T("column-count", "Column", b.Columns[i].Label, "Count", w.Int(int64(len(b.Columns[i].Cards))))
	}
	return b
}

// phrases words the cards of one board. The cards of a 500-task board
// repeat a few dozen phrases (the same due dates, milestones, people and
// counts), and a message lookup with arguments costs microseconds: each
// is looked up once per board, under a key that costs nothing to make.
// The move label names each card's task, so it differs on every card: it
// is translated once around a mark, and filled in per card (see framed).
type phrases struct {
	w      *i18n.Locale
	room   sdk.RoomRef
	names  map[int64]string // milestone names
	move   framed           // "Move “{{.Task}}” to"
	dueOn  framed           // "Due {{.Date}}"
	late   string
	people map[int64]string // by assignee, 0 for nobody
	due    map[string]string
	in     map[int64]string
	lines  map[lineKey][]string
	href   map[int64]string // a project's tasks' address, with a trailing slash
}

// lineKey is what a card's lines say: checklist, comments and files.
type lineKey struct{ done, checks, comments, files int }

func newPhrases(w *i18n.Locale, room sdk.RoomRef, names map[int64]string) *phrases {
	return &phrases{w: w, room: room, names: names,
		move: frame(w, "move-task", "Task"), dueOn: frame(w, "due-on", "Date"), late: w.T("late"),
		people: map[int64]string{}, due: map[string]string{}, in: map[int64]string{}, lines: map[lineKey][]string{}, href: map[int64]string{}}
}

// card is a task on the board: what, who, when, and how far along.
func (p *phrases) card(t sp.Task) ui.BoardCard {
	pid, id := strconv.FormatInt(t.ProjectID, 10), strconv.FormatInt(t.ID, 10)
	href, ok := p.href[t.ProjectID]
	if !ok {
		href = tasksHref(p.room, t.ProjectID) + "/"
		p.href[t.ProjectID] = href
	}
	c := ui.BoardCard{Title: t.Title, Href: href + id, Subtitle: p.sub(t),
		Move: ui.Action{Name: "move", State: pid + ":" + id}, MoveLabel: p.move.with(t.Title)}
	if t.Late {
		// The due date is in the subtitle; the badge stays short enough
		// for a narrow column.
		c.Badge = &ui.Badge{Text: p.late, Tone: ui.ToneDanger}
	}
	c.Lines = p.linesOf(t)
	return c
}

// sub is who has a task, when it is due and where it belongs.
func (p *phrases) sub(t sp.Task) string {
	var who int64
	if t.Assignee != nil {
		who = t.Assignee.ID
	}
	name, ok := p.people[who]
	if !ok {
		name = personName(p.w, t.Assignee)
		p.people[who] = name
	}
	const sep = " · "
	var due, in string
	if t.Due != "" {
		if due, ok = p.due[t.Due]; !ok {
			due = p.dueOn.with(p.w.Day(t.Due))
			p.due[t.Due] = due
		}
	}
	if n := p.names[t.MilestoneID]; n != "" {
		if in, ok = p.in[t.MilestoneID]; !ok {
			in = p.w.T("task-in", "Milestone", n)
			p.in[t.MilestoneID] = in
		}
	}
	switch {
	case due != "" && in != "":
		return name + sep + due + sep + in
	case due != "":
		return name + sep + due
	case in != "":
		return name + sep + in
	}
	return name
}

// linesOf is a card's short facts. Cards with the same counts share one
// slice, which nothing changes once the board is made.
func (p *phrases) linesOf(t sp.Task) []string {
	k := lineKey{checks: len(t.Checklist), comments: t.Comments, files: t.Deliverables}
	for _, c := range t.Checklist {
		if c.Done {
			k.done++
		}
	}
	if k == (lineKey{}) {
		return nil
	}
	if l, ok := p.lines[k]; ok {
		return l
	}
	var l []string
	if k.checks > 0 {
		l = append(l, p.w.T("checked-of", "Done", p.w.Int(int64(k.done)), "Count", p.w.Int(int64(k.checks))))
	}
	if k.comments > 0 {
		l = append(l, p.w.N("count.comments", k.comments))
	}
	if k.files > 0 {
		l = append(l, p.w.N("count.files", k.files))
	}
	p.lines[k] = l
	return l
}

// framed is a message of one argument, translated once with a mark in
// the argument's place and filled in by joining the words around it. It
// gives what Locale.T gives for any value: the value is put between the
// words, never read or translated, so a title holding the mark, braces or
// markup comes out as it is (and is escaped once, by the theme, where it
// is drawn).
type framed struct {
	w             *i18n.Locale
	id, arg       string
	before, after string
	ok            bool // the message holds its argument once, as is
}

// frameMark stands for the argument while a message is translated: a
// NUL, which no catalogue's message holds.
const frameMark = "\x00"

func frame(w *i18n.Locale, id, arg string) framed {
	f := framed{w: w, id: id, arg: arg}
	s := w.T(id, arg, frameMark)
	if before, after, found := strings.Cut(s, frameMark); found && !strings.Contains(after, frameMark) {
		f.before, f.after, f.ok = before, after, true
	}
	return f
}

// with is the message with v as its argument. A message that does not
// hold its argument once, as is, is translated for v.
func (f framed) with(v string) string {
	if !f.ok {
		return f.w.T(f.id, f.arg, v)
	}
	return f.before + v + f.after
}

// moveForm moves a task to another column.
func moveForm(w *i18n.Locale, t sp.Task) ui.Form {
	f := ui.Field{Name: "status", Label: w.T("move-task", "Task", t.Title), Type: "select", Placeholder: w.T("choose"), Value: t.Status}
	for _, c := range taskColumns {
		f.Options = append(f.Options, ui.Option{Value: c.value, Label: w.T(c.label)})
	}
	return ui.Form{Action: ui.Action{Name: "move", State: fmt.Sprintf("%d:%d", t.ProjectID, t.ID)}, Submit: w.T("move"), Fields: []ui.Field{f}}
}

// taskTable is the list view.
func taskTable(w *i18n.Locale, room sdk.RoomRef, tasks []sp.Task, names map[int64]string) ui.Component {
	t := ui.Table{Caption: w.T("tasks"), Columns: []ui.TableColumn{{Label: w.T("task")}, {Label: w.T("status")}, {Label: w.T("assignee")}, {Label: w.T("due")}, {Label: w.T("milestone")}}}
	for _, k := range tasks {
		status := ui.Children{taskBadge(w, k.Status)}
		if k.Late {
			status = append(status, ui.Badge{Text: w.T("late"), Tone: ui.ToneDanger})
		}
		ms := names[k.MilestoneID]
		if ms == "" {
			ms = "—"
		}
		t.Rows = append(t.Rows, ui.TableRow{Cells: ui.Children{
			ui.Link{Text: k.Title, Href: taskHref(room, k.ProjectID, k.ID)},
			ui.Stack{Children: status},
			ui.Text{Text: personName(w, k.Assignee)},
			ui.Text{Text: dayOr(w, k.Due)},
			ui.Text{Text: ms},
		}})
	}
	return t
}

// taskPage is a task: what it is, its checklist, its deliverables, its
// comments and its history.
func taskPage(w *i18n.Locale, room sdk.RoomRef, d sp.TaskDetail) ui.Component {
	t := d.Task
	names := milestoneNames(d.Milestones)
	state := fmt.Sprintf("%d:%d", t.ProjectID, t.ID)
	status := taskBadge(w, t.Status)
	details := []ui.ListItem{
		{Title: w.T("status"), Badge: &status},
		{Title: w.T("assignee"), Description: personName(w, t.Assignee)},
		{Title: w.T("due"), Description: dayOr(w, t.Due)},
	}
	if t.Late {
		details[2].Badge = &ui.Badge{Text: w.T("late"), Tone: ui.ToneDanger}
	}
	if n := names[t.MilestoneID]; n != "" {
		details = append(details, ui.ListItem{Title: w.T("milestone"), Description: n})
	}
	head := ui.Children{ui.List{Items: details}}
	if t.Description != "" {
		head = append(head, ui.Markdown{Source: t.Description})
	}
	head = append(head, moveForm(w, t), ui.ActionBar{Buttons: []ui.Button{{Label: w.T("edit-task"), Href: taskHref(room, t.ProjectID, t.ID) + "/edit", Variant: "secondary"}}})
	out := ui.Children{ui.Card{Title: t.Title, Subtitle: d.ProjectName, Body: head}}

	if len(t.Checklist) > 0 {
		out = append(out, checklistCard(w, t, state))
	}

	files := ui.Children{}
	if len(d.Deliverables) == 0 {
		files = append(files, ui.Text{Text: w.T("no-deliverables"), Muted: true})
	}
	for _, f := range d.Deliverables {
		files = append(files, deliverable(w, room, f, d.CanReview, t.ProjectID))
		if f.Status == sp.ChangesRequested {
			files = append(files, deliverForm(w, state, f.FileID, w.T("new-version")))
		}
	}
	files = append(files, ui.Heading{Text: w.T("deliver"), Level: 4}, deliverForm(w, state, 0, w.T("upload")))
	out = append(out, ui.Card{Title: w.T("deliverables"), Body: files})

	comments := ui.Children{}
	if len(d.Comments) == 0 {
		comments = append(comments, ui.Text{Text: w.T("no-comments"), Muted: true})
	}
	for _, c := range d.Comments {
		comments = append(comments, ui.Card{Title: personName(w, &c.Author), Subtitle: when(w, c.At), Body: ui.Children{ui.Markdown{Source: c.Body}}})
	}
	comments = append(comments, commentForm(w, state))
	out = append(out, ui.Card{Title: w.T("comments"), Body: comments})

	act := ui.List{}
	for _, a := range d.Activity {
		act.Items = append(act.Items, ui.ListItem{Title: a.Who, Description: a.What, Meta: when(w, a.At)})
	}
	history := ui.Children{act}
	if len(d.Activity) == 0 {
		history = ui.Children{ui.Text{Text: w.T("no-activity"), Muted: true}}
	}
	out = append(out, ui.Card{Title: w.T("activity"), Body: history},
		ui.Link{Text: w.T("back-tasks"), Href: tasksHref(room, t.ProjectID)})
	return ui.Stack{Children: out}
}

// checklistCard ticks and unticks lines one at a time, so two people
// working the list do not undo each other. Each line says its state in
// words and has its own button, which reads well on a phone.
func checklistCard(w *i18n.Locale, t sp.Task, state string) ui.Component {
	done := 0
	body := ui.Children{}
	for i, c := range t.Checklist {
		mark := ui.Badge{Text: w.T("not-yet")}
		b := ui.Button{Label: w.T("tick-line", "Item", c.Text), Variant: "secondary", Icon: "check", Action: &ui.Action{Name: "check", State: fmt.Sprintf("%s:%d:1", state, i)}}
		if c.Done {
			done++
			mark = ui.Badge{Text: w.T("done"), Tone: ui.ToneSuccess}
			b = ui.Button{Label: w.T("untick-line", "Item", c.Text), Variant: "link", Action: &ui.Action{Name: "check", State: fmt.Sprintf("%s:%d:0", state, i)}}
		}
		body = append(body, ui.List{Items: []ui.ListItem{{Title: c.Text, Badge: &mark}}}, ui.ActionBar{Buttons: []ui.Button{b}})
	}
	return ui.Card{Title: w.T("checklist"), Subtitle: w.T("checked-of", "Done", w.Int(int64(done)), "Count", w.Int(int64(len(t.Checklist)))), Body: body}
}

func deliverForm(w *i18n.Locale, state string, fileID int64, submit string) ui.Form {
	return ui.Form{Action: ui.Action{Name: "deliver", State: fmt.Sprintf("%s:%d", state, fileID)}, Submit: submit, Fields: []ui.Field{
		{Name: "file", Label: w.T("deliver-file"), Type: "file", Required: true, Help: w.T("deliver-help")}}}
}

func commentForm(w *i18n.Locale, state string) ui.Form {
	return ui.Form{Action: ui.Action{Name: "comment", State: state}, Submit: w.T("post-comment"), Fields: []ui.Field{
		{Name: "body", Label: w.T("comment"), Type: "textarea", Required: true, Help: w.T("comment-help"), MaxLength: 20000}}}
}

// taskForm adds a task (t nil) or changes one.
func taskForm(w *i18n.Locale, pid int64, t *sp.Task, people []sp.Person, ms []sp.Milestone, milestone int64) ui.Form {
	status := ui.Field{Name: "status", Label: w.T("status"), Type: "select", Placeholder: w.T("choose"), Value: sp.ToDo}
	for _, c := range taskColumns {
		status.Options = append(status.Options, ui.Option{Value: c.value, Label: w.T(c.label)})
	}
	mf := ui.Field{Name: "milestone", Label: w.T("milestone"), Type: "select", Placeholder: w.T("no-milestone")}
	for _, m := range ms {
		mf.Options = append(mf.Options, ui.Option{Value: strconv.FormatInt(m.ID, 10), Label: m.Title})
	}
	if milestone != 0 {
		mf.Value = strconv.FormatInt(milestone, 10)
	}
	var assignee *sp.Person
	f := ui.Form{Action: ui.Action{Name: "task", State: fmt.Sprintf("%d:0", pid)}, Submit: w.T("add-task")}
	title, due, desc, check := "", "", "", ""
	if t != nil {
		f.Action.State, f.Submit = fmt.Sprintf("%d:%d", pid, t.ID), w.T("save")
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
		{Name: "title", Label: w.T("title"), Required: true, MaxLength: 200, Value: title},
		mf,
		personSelect(w, "assignee", w.T("assignee"), people, assignee, nil),
		{Name: "due", Label: w.T("due"), Type: "date", Value: due},
		status,
		{Name: "description", Label: w.T("field.description"), Type: "textarea", Help: w.T("markdown-help"), MaxLength: 20000, Value: desc},
		{Name: "checklist", Label: w.T("checklist"), Type: "textarea", Help: w.T("checklist-help"), MaxLength: 20000, Value: check},
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
