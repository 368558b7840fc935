package projects

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/plugintest"
	sp "github.com/atriumhq/atrium/sdk/projects"
	"github.com/atriumhq/atrium/sdk/ui"
)

// text is everything a tree says, for "does it show X" checks.
func text(t *testing.T, c ui.Component) string {
	t.Helper()
	b, err := ui.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// inOrder checks that each of want appears in got after the one before.
func inOrder(t *testing.T, got string, want ...string) {
	t.Helper()
	at := 0
	for _, w := range want {
		i := strings.Index(got[at:], w)
		if i < 0 {
			t.Fatalf("want %q after position %d in\n%s", w, at, got)
		}
		at += i + len(w)
	}
}

// forms are the tree's forms by action name and state.
func forms(c ui.Component) map[string]ui.Form {
	out := map[string]ui.Form{}
	ui.Walk(c, func(c ui.Component, _ int) bool {
		if f, ok := c.(ui.Form); ok {
			out[f.Action.Name] = f
			out[f.Action.Name+"@"+f.Action.State] = f
		}
		return true
	})
	return out
}

func buttons(c ui.Component) []ui.Button {
	var out []ui.Button
	ui.Walk(c, func(c ui.Component, _ int) bool {
		switch b := c.(type) {
		case ui.Button:
			out = append(out, b)
		case ui.ActionBar:
			out = append(out, b.Buttons...)
		case ui.Empty:
			if b.Action != nil {
				out = append(out, *b.Action)
			}
		}
		return true
	})
	return out
}

func button(c ui.Component, label string) (ui.Button, bool) {
	bs := buttons(c)
	i := slices.IndexFunc(bs, func(b ui.Button) bool { return b.Label == label })
	if i < 0 {
		return ui.Button{}, false
	}
	return bs[i], true
}

func field(t *testing.T, f ui.Form, name string) ui.Field {
	t.Helper()
	i := slices.IndexFunc(f.Fields, func(x ui.Field) bool { return x.Name == name })
	if i < 0 {
		t.Fatalf("form %s has no field %q: %+v", f.Action.Name, name, f.Fields)
	}
	return f.Fields[i]
}

func hasField(f ui.Form, name string) bool {
	return slices.ContainsFunc(f.Fields, func(x ui.Field) bool { return x.Name == name })
}

func timelines(c ui.Component) []ui.Timeline {
	var out []ui.Timeline
	ui.Walk(c, func(c ui.Component, _ int) bool {
		if tl, ok := c.(ui.Timeline); ok {
			out = append(out, tl)
		}
		return true
	})
	return out
}

func render(t *testing.T, d *desk, v sdk.Viewer) ui.Component {
	t.Helper()
	return plugintest.Render(t, listBlock{}, v, "{}", d.host())
}

func item(t *testing.T, d *desk, v sdk.Viewer, path, query string) sdk.Page {
	t.Helper()
	q, _ := url.ParseQuery(query)
	pg, err := Room{}.RenderItem(context.Background(), sdk.ItemRequest{Viewer: v, Room: plugintest.Room, Path: path, Query: q, Host: d.host().As(v)})
	if err != nil {
		t.Fatalf("item %s: %v", path, err)
	}
	if err := plugintest.CheckTree(pg.Body); err != nil {
		t.Fatalf("item %s: %v", path, err)
	}
	return pg
}

func submit(t *testing.T, d *desk, v sdk.Viewer, name, state string, values url.Values) sdk.ActionResult {
	t.Helper()
	res, err := Room{}.HandleAction(context.Background(), sdk.ActionRequest{Viewer: v, Room: plugintest.Room, BlockID: "item",
		Name: name, State: state, Values: values, Host: d.host().As(v)})
	if err != nil {
		t.Fatalf("action %s: %v", name, err)
	}
	return res
}

func jsonOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

func assertEq[T any](t *testing.T, got, want T) {
	t.Helper()
	if g, w := jsonOf(got), jsonOf(want); g != w {
		t.Errorf("got  %s\nwant %s", g, w)
	}
}

// staff is a manager who acts for both partners.
func staff() sdk.Viewer {
	v := plugintest.Staff()
	v.ActsFor = []int64{11, 12}
	return v
}

func TestPartnerList(t *testing.T) {
	d := newDesk()
	tree := render(t, d, plugintest.Partner())
	got := text(t, tree)
	inOrder(t, got, en.T("projects"), en.T("new-project"), en.T("all-projects"), en.T("attention"), en.T("mine-projects"),
		`"kind":"card","title":"Riverside Health rollout","subtitle":"Riverside Health","href":"/rooms/test/items/7"`,
		"60 % done · 1 milestone late", "6 of 10 tasks done", "Active", "Late", "31 Mar 2026")
	if strings.Contains(got, `"kind":"table"`) {
		t.Error("a partner's projects are a table, which scrolls sideways on a phone")
	}
	if strings.Contains(got, "Harbor Bank") {
		t.Error("a partner sees another partner's project")
	}
	for _, staffOnly := range []string{en.T("export"), en.T("workload"), `"name":"partner"`} {
		if strings.Contains(got, staffOnly) {
			t.Errorf("a partner sees %s", staffOnly)
		}
	}
	assertEq(t, d.lastList, sp.ProjectQuery{Page: 1, PerPage: perPage})
	if d.lastWorkload != nil {
		t.Error("the workload is asked for a partner")
	}
	f := forms(tree)["filter"]
	for _, name := range []string{"q", "status", "health", "attention", "mine"} {
		field(t, f, name)
	}
	if s := field(t, f, "status"); len(s.Options) != 5 || s.Placeholder != en.T("any-status") {
		t.Errorf("status filter = %+v", s)
	}

	t.Run("empty", func(t *testing.T) {
		d := newDesk()
		d.projects = nil
		tree := render(t, d, plugintest.Partner())
		inOrder(t, text(t, tree), en.T("no-projects"), en.T("no-projects-partner"))
		if b, ok := button(tree, en.T("new-project")); !ok || b.Href != "/rooms/test/items/new" {
			t.Errorf("the empty list offers no next step: %+v", buttons(tree))
		}
	})
	t.Run("empty with filters", func(t *testing.T) {
		d := newDesk()
		d.projects = nil
		pg := item(t, d, plugintest.Partner(), "all", "attention=1")
		inOrder(t, text(t, pg.Body), en.T("no-match"), en.T("no-match-help"), en.T("clear-filters"))
	})
}

func TestStaffList(t *testing.T) {
	d := newDesk()
	d.total = 60
	pg := item(t, d, staff(), "all", "status=active&health=late&attention=1&mine=1&partner=11&q=river&page=2&bogus=1")
	assertEq(t, d.lastList, sp.ProjectQuery{Status: sp.Active, Health: sp.Late, PartnerID: 11, Attention: true, Mine: true, Q: "river", Page: 2, PerPage: perPage})
	assertEq(t, *d.lastWorkload, sp.WorkloadQuery{PartnerID: 11})
	if len(pg.LiveTopics) != 1 || pg.LiveTopics[0] != "projects" {
		t.Errorf("live topics = %v", pg.LiveTopics)
	}
	got := text(t, pg.Body)
	inOrder(t, got, en.T("export"), "Riverside Health rollout", "ABC Corp", "Harbor Bank pilot", "Carlos \\u0026 Co", "On track",
		"Page 2 of 3 · 60 projects", en.T("workload"), "Jennifer Lee", `"4"`, "Mike Chen (vendor)")
	exp, _ := button(pg.Body, en.T("export"))
	if exp.Href != "/projects/export.csv?attention=1&health=late&mine=1&partner=11&q=river&status=active" {
		t.Errorf("export = %q, want the list's filters", exp.Href)
	}
	f := forms(pg.Body)["filter"]
	if p := field(t, f, "partner"); p.Value != "11" || len(p.Options) != 2 || p.Placeholder != en.T("all-partners") {
		t.Errorf("partner filter = %+v", p)
	}
	if field(t, f, "q").Value != "river" || field(t, f, "status").Value != sp.Active || field(t, f, "attention").Value != "true" {
		t.Errorf("the filter form does not show the filters: %+v", f.Fields)
	}
	hrefs := map[string]string{}
	for _, b := range buttons(pg.Body) {
		hrefs[b.Label] = b.Href
	}
	base := "/rooms/test/items/all?attention=1&health=late&mine=1&partner=11&q=river&status=active"
	for label, want := range map[string]string{en.T("previous"): base, "3": "/rooms/test/items/all?attention=1&health=late&mine=1&page=3&partner=11&q=river&status=active",
		en.T("attention"): "/rooms/test/items/all?attention=1"} {
		if hrefs[label] != want {
			t.Errorf("%s links to %q, want %q", label, hrefs[label], want)
		}
	}

	t.Run("room page", func(t *testing.T) {
		d := newDesk()
		got := text(t, render(t, d, staff()))
		inOrder(t, got, en.T("new-project"), en.T("export"), "/projects/export.csv", en.T("partner"), "Riverside Health rollout", en.T("workload"))
		if strings.Contains(got, "Page 1") {
			t.Error("a pager on one page")
		}
	})
	t.Run("empty", func(t *testing.T) {
		d := newDesk()
		d.projects, d.load = nil, sp.Workload{}
		got := text(t, render(t, d, staff()))
		inOrder(t, got, en.T("no-projects"), en.T("no-projects-staff"), en.T("new-project"), en.T("workload-empty"))
	})
}

func TestNewProjectPage(t *testing.T) {
	pg := item(t, newDesk(), plugintest.Partner(), "new", "")
	f := forms(pg.Body)["create"]
	if hasField(f, "partner") {
		t.Error("a partner is asked for the partner")
	}
	if tm := field(t, f, "template"); tm.Placeholder != en.T("blank") || len(tm.Options) != 1 || tm.Options[0].Label != "Implementation: 4 milestones, 12 tasks" {
		t.Errorf("template = %+v", tm)
	}
	for _, name := range []string{"name", "customer", "start", "target"} {
		if !field(t, f, name).Required {
			t.Errorf("%s is not required", name)
		}
	}
	if field(t, f, "start").Type != "date" || field(t, f, "status").Value != sp.Planned {
		t.Errorf("fields = %+v", f.Fields)
	}
	pg = item(t, newDesk(), staff(), "new", "")
	if p := field(t, forms(pg.Body)["create"], "partner"); !p.Required || len(p.Options) != 2 {
		t.Errorf("staff partner field = %+v", p)
	}
}

func TestProjectPage(t *testing.T) {
	pg := item(t, newDesk(), plugintest.Partner(), "7", "")
	if pg.Title != "Riverside Health rollout" || len(pg.LiveTopics) != 1 || pg.LiveTopics[0] != "projects:7" {
		t.Errorf("page = %q %v", pg.Title, pg.LiveTopics)
	}
	got := text(t, pg.Body)
	inOrder(t, got, "60 % done · 1 milestone late", "6 of 10 tasks done", en.T("customer"), "Riverside Health",
		"Active", "Late", en.T("dates"), "5 Jan 2026 to 31 Mar 2026", "Jennifer Lee", "Mike Chen (vendor)", en.T("tasks"), en.T("edit-project"),
		en.T("timeline"), en.T("milestones"), "Kick-off", "3 of 3 tasks done", "Done", "Data migration", "Late: was due 6 Feb 2026", "40 % done",
		en.T("add-milestone"), en.T("members"), "Jennifer Lee", "Raj Patel", "Mike Chen", en.T("vendor-team"),
		en.T("pending"), "export-plan.pdf", "Awaiting review", en.T("field.description"), "Roll out to **three** clinics.")
	if _, ok := forms(pg.Body)["review"]; ok {
		t.Error("a partner may review")
	}
	if strings.Contains(got, en.T("save-template")) || strings.Contains(got, `"Partner"`) {
		t.Error("a partner sees staff tools")
	}
	tl := timelines(pg.Body)
	if len(tl) != 1 {
		t.Fatalf("%d timelines, want 1", len(tl))
	}
	want := ui.Timeline{Title: "Timeline of Riverside Health rollout", Description: "3 milestones from 5 Jan 2026 to 31 Mar 2026, 1 milestone late.",
		Start: "2026-01-05", End: "2026-03-31", Today: "2026-02-10", ItemLabel: en.T("milestone"), Bars: []ui.TimelineBar{
			{Label: "Kick-off", Start: "2026-01-05", End: "2026-01-16", Progress: 100, Done: true, Href: "/rooms/test/items/7/tasks?milestone=70"},
			{Label: "Data migration", Start: "2026-01-19", End: "2026-02-06", Progress: 40, Late: true, Href: "/rooms/test/items/7/tasks?milestone=71"},
			{Label: "Go-live", Start: "2026-02-09", End: "2026-03-31", Href: "/rooms/test/items/7/tasks?milestone=72"},
		}}
	assertEq(t, tl[0], want)
	if b, ok := button(pg.Body, en.T("mark-done")); !ok || b.Action.Name != "milestone-done" || b.Action.State != "7:71:1" {
		t.Errorf("mark done = %+v", b)
	}

	t.Run("staff", func(t *testing.T) {
		pg := item(t, newDesk(), staff(), "7", "")
		inOrder(t, text(t, pg.Body), en.T("partner"), "ABC Corp", en.T("save-template"), en.T("pending"), "export-plan.pdf")
		f := forms(pg.Body)["review"]
		if f.Action.State != "7:700:900" {
			t.Errorf("review state = %q", f.Action.State)
		}
		if dec := field(t, f, "decision"); len(dec.Options) != 2 || !dec.Required {
			t.Errorf("decision = %+v", dec)
		}
		field(t, f, "comment")
	})
	t.Run("a member who may not manage", func(t *testing.T) {
		d := newDesk()
		d.canManage = false
		pg := item(t, d, plugintest.Partner(), "7", "")
		got := text(t, pg.Body)
		for _, w := range []string{en.T("edit-project"), en.T("add-milestone"), en.T("mark-done"), "/milestones/7"} {
			if strings.Contains(got, w) {
				t.Errorf("shows %s", w)
			}
		}
		// Every member may still deliver a file on a milestone.
		f := forms(pg.Body)["deliver-milestone"]
		if ms := field(t, f, "milestone"); f.Action.State != "7" || len(ms.Options) != 3 || ms.Options[2] != (ui.Option{Value: "72", Label: "Go-live"}) || !ms.Required {
			t.Errorf("milestone deliver form = %+v", f)
		}
		if file := field(t, f, "file"); file.Type != "file" || !file.Required {
			t.Errorf("file field = %+v", file)
		}
	})
	t.Run("no milestones", func(t *testing.T) {
		d := newDesk()
		d.milestones[7] = nil
		pg := item(t, d, plugintest.Partner(), "7", "")
		inOrder(t, text(t, pg.Body), en.T("timeline"), en.T("no-milestones"), en.T("no-milestones-help"), en.T("add-milestone"))
		if len(timelines(pg.Body)) != 0 {
			t.Error("an empty timeline is drawn")
		}
		if _, ok := forms(pg.Body)["deliver-milestone"]; ok {
			t.Error("a project without milestones offers to deliver on one")
		}
	})
	t.Run("hostile titles stay data", func(t *testing.T) {
		d := newDesk()
		evil := `<script>alert(1)</script>`
		d.milestones[7][0].Title = evil
		d.projects[0].Name = `"><img src=x onerror=alert(1)>`
		pg := item(t, d, plugintest.Partner(), "7", "")
		tl := timelines(pg.Body)[0]
		if tl.Bars[0].Label != evil || tl.Title != `Timeline of "><img src=x onerror=alert(1)>` {
			t.Errorf("timeline = %+v", tl)
		}
		var md []string
		ui.Walk(pg.Body, func(c ui.Component, _ int) bool {
			if m, ok := c.(ui.Markdown); ok {
				md = append(md, m.Source)
			}
			return true
		})
		for _, m := range md {
			if strings.Contains(m, "<") {
				t.Errorf("user text went into Markdown unescaped: %q", m)
			}
		}
	})
}

func TestNotFound(t *testing.T) {
	for _, tt := range []struct {
		v    sdk.Viewer
		path string
	}{
		{plugintest.Partner(), "8"}, // another partner's project
		{plugintest.Partner(), "8/tasks"},
		{plugintest.Partner(), "8/tasks/800"},
		{plugintest.Partner(), "8/edit"},
		{staff(), "7/tasks/800"}, // a task of another project
		{staff(), "7/tasks/800/edit"},
		{staff(), "7/tasks/700/other"},
		{staff(), "7/tasks/700/edit/x"},
		{staff(), "7/milestones/99"},
		{staff(), "7/milestones/x"},
		{staff(), "7/nope"},
		{staff(), "x"},
		{staff(), "0"},
		{staff(), "-7"},
		{staff(), ""},
		{plugintest.Partner(), "7/template"}, // staff only
	} {
		t.Run(tt.path, func(t *testing.T) {
			_, err := Room{}.RenderItem(context.Background(), sdk.ItemRequest{Viewer: tt.v, Room: plugintest.Room, Path: tt.path, Host: newDesk().host().As(tt.v)})
			if !errors.Is(err, sdk.ErrNotFound) {
				t.Errorf("err = %v, want not found", err)
			}
		})
	}
	t.Run("pages a member who may not manage does not get", func(t *testing.T) {
		for _, path := range []string{"7/edit", "7/milestones/new", "7/milestones/70", "7/template"} {
			d := newDesk()
			d.canManage = false
			v := staff()
			if _, err := (Room{}).RenderItem(context.Background(), sdk.ItemRequest{Viewer: v, Room: plugintest.Room, Path: path, Host: d.host().As(v)}); !errors.Is(err, sdk.ErrNotFound) {
				t.Errorf("%s: err = %v, want not found", path, err)
			}
		}
	})
}

func TestTasks(t *testing.T) {
	d := newDesk()
	pg := item(t, d, plugintest.Partner(), "7/tasks", "")
	assertEq(t, d.lastTasks, sp.TaskQuery{ProjectID: 7, Page: 1, PerPage: tasksPerPage})
	if pg.LiveTopics[0] != "projects:7" {
		t.Errorf("live topics = %v", pg.LiveTopics)
	}
	var board ui.Board
	ui.Walk(pg.Body, func(c ui.Component, _ int) bool {
		if k, ok := c.(ui.Board); ok {
			board = k
		}
		return true
	})
	if len(board.Columns) != 4 || board.Field != "status" || board.Submit != en.T("move") {
		t.Fatalf("board = %+v, want 4 columns moving by status", board)
	}
	for i, want := range [][]string{
		{"To do (1)", "Map fields", "Mike Chen (vendor) · Due 20 Feb 2026 · In Data migration"},
		{"In progress (1)", "Export patient records", "Due 5 Feb 2026", en.T("late"), "1 of 2 checked", "2 comments", "1 file"},
		{"Blocked (1)", "Train staff", "Nobody · In Go-live"},
		{"Done (1)", "Sign the plan"},
	} {
		col := board.Columns[i]
		got, err := json.Marshal(col)
		if err != nil {
			t.Fatal(err)
		}
		inOrder(t, string(got), want...)
		if col.Value != taskColumns[i].value || col.Label != en.T(taskColumns[i].label) {
			t.Errorf("column %d = %s/%s, want %s/%s", i, col.Value, col.Label, taskColumns[i].value, taskColumns[i].label)
		}
	}
	if c := board.Columns[0].Cards[0]; c.Move != (ui.Action{Name: "move", State: "7:701"}) || c.MoveLabel != "Move “Map fields” to" || c.Href != "/rooms/test/items/7/tasks/701" {
		t.Errorf("card = %+v", c)
	}
	if tf := forms(pg.Body)["task-filter"]; tf.Action.State != "7:" || len(field(t, tf, "milestone").Options) != 3 {
		t.Errorf("task filter = %+v", tf)
	}

	t.Run("list view with filters", func(t *testing.T) {
		d := newDesk()
		pg := item(t, d, plugintest.Partner(), "7/tasks", "view=list&late=1&milestone=71&mine=1")
		assertEq(t, d.lastTasks, sp.TaskQuery{ProjectID: 7, MilestoneID: 71, Mine: true, Late: true, Page: 1, PerPage: tasksPerPage})
		got := text(t, pg.Body)
		inOrder(t, got, "Export patient records", "/rooms/test/items/7/tasks/700", "In progress", "Late", "Jennifer Lee", "5 Feb 2026", "Data migration")
		if tf := forms(pg.Body)["task-filter"]; tf.Action.State != "7:list" || field(t, tf, "late").Value != "true" || field(t, tf, "milestone").Value != "71" {
			t.Errorf("task filter = %+v", tf)
		}
		if b, _ := button(pg.Body, en.T("board")); b.Href != "/rooms/test/items/7/tasks?late=1&milestone=71&mine=1" || b.Variant != "secondary" {
			t.Errorf("board button = %+v", b)
		}
	})
	t.Run("no match", func(t *testing.T) {
		pg := item(t, newDesk(), plugintest.Partner(), "7/tasks", "milestone=70&late=1")
		inOrder(t, text(t, pg.Body), en.T("no-tasks-match"), en.T("all-tasks"))
	})
	t.Run("no tasks", func(t *testing.T) {
		d := newDesk()
		d.tasks = nil
		pg := item(t, d, plugintest.Partner(), "7/tasks", "")
		inOrder(t, text(t, pg.Body), en.T("no-tasks"), en.T("no-tasks-help"), en.T("add-task"))
	})
	t.Run("new task", func(t *testing.T) {
		pg := item(t, newDesk(), plugintest.Partner(), "7/tasks/new", "milestone=72")
		f := forms(pg.Body)["task"]
		if f.Action.State != "7:0" || field(t, f, "milestone").Value != "72" || len(field(t, f, "assignee").Options) != 3 {
			t.Errorf("task form = %+v", f)
		}
	})
}

func TestTaskPage(t *testing.T) {
	pg := item(t, newDesk(), plugintest.Partner(), "7/tasks/700", "")
	if pg.Title != "Export patient records" || pg.LiveTopics[0] != "projects:7" {
		t.Errorf("page = %q %v", pg.Title, pg.LiveTopics)
	}
	got := text(t, pg.Body)
	inOrder(t, got, "Export patient records", "Riverside Health rollout", "In progress", "Jennifer Lee", "5 Feb 2026", en.T("late"), "Data migration",
		"Use the **export** tool.", en.T("edit-task"),
		en.T("checklist"), "1 of 2 checked", "Clinic A", en.T("done"), "Untick “Clinic A”", "Clinic B", en.T("not-yet"), "Tick “Clinic B”",
		en.T("deliverables"), "export-plan.pdf", "Version 2, delivered by Jennifer Lee on", "Awaiting review", "/files/900/download", "3 MB",
		"mapping.xlsx", "Changes requested by Mike Chen: Add the allergy fields.", en.T("new-version"), en.T("deliver"),
		en.T("comments"), "Mike Chen (vendor)", "@Jennifer Lee please check the *dates*", en.T("post-comment"),
		en.T("activity"), "moved it to In progress")
	if b, ok := button(pg.Body, "Tick “Clinic B”"); !ok || b.Action.Name != "check" || b.Action.State != "7:700:1:1" {
		t.Errorf("tick = %+v", b)
	}
	if b, _ := button(pg.Body, "Untick “Clinic A”"); b.Action.State != "7:700:0:0" {
		t.Errorf("untick = %+v", b)
	}
	fs := forms(pg.Body)
	if f := fs["deliver@7:700:0"]; field(t, f, "file").Type != "file" || !field(t, f, "file").Required {
		t.Errorf("deliver form = %+v", f)
	}
	if _, ok := fs["deliver@7:700:901"]; !ok {
		t.Error("no new-version form for the deliverable sent back")
	}
	if _, ok := fs["deliver@7:700:900"]; ok {
		t.Error("a new-version form for a deliverable awaiting review")
	}
	if f := fs["comment"]; f.Action.State != "7:700" || field(t, f, "body").Type != "textarea" {
		t.Errorf("comment form = %+v", f)
	}
	if _, ok := fs["review"]; ok {
		t.Error("a partner may review")
	}
	if f := fs["move"]; f.Action.State != "7:700" {
		t.Errorf("move form = %+v", f)
	}

	t.Run("staff review", func(t *testing.T) {
		pg := item(t, newDesk(), staff(), "7/tasks/700", "")
		fs := forms(pg.Body)
		if _, ok := fs["review@7:700:900"]; !ok {
			t.Errorf("no review form for the submitted deliverable")
		}
		if _, ok := fs["review@7:700:901"]; ok {
			t.Errorf("a review form for a deliverable already reviewed")
		}
	})
	t.Run("edit", func(t *testing.T) {
		pg := item(t, newDesk(), plugintest.Partner(), "7/tasks/700/edit", "")
		f := forms(pg.Body)["task"]
		if f.Action.State != "7:700" || field(t, f, "title").Value != "Export patient records" || field(t, f, "checklist").Value != "Clinic A\nClinic B" ||
			field(t, f, "assignee").Value != "101" || field(t, f, "milestone").Value != "71" || field(t, f, "status").Value != sp.InProgress || field(t, f, "due").Value != "2026-02-05" {
			t.Errorf("task form = %+v", f.Fields)
		}
		if b, ok := button(pg.Body, en.T("delete")); !ok || b.Action.Name != "task-delete" || b.Action.Confirm == "" {
			t.Errorf("delete = %+v", b)
		}
	})
}

func TestEditPages(t *testing.T) {
	pg := item(t, newDesk(), plugintest.Partner(), "7/edit", "")
	f := forms(pg.Body)["update-project"]
	if f.Action.State != "7" || field(t, f, "name").Value != "Riverside Health rollout" || field(t, f, "target").Value != "2026-03-31" {
		t.Errorf("project form = %+v", f.Fields)
	}
	if po := field(t, f, "partnerOwner"); po.Value != "101" || len(po.Options) != 2 {
		t.Errorf("partner owner = %+v, want the partner's people", po)
	}
	if vo := field(t, f, "vendorOwner"); vo.Value != "1" || len(vo.Options) != 2 {
		t.Errorf("vendor owner = %+v, want the vendor's people", vo)
	}
	if field(t, f, "member-101").Value != "true" || field(t, f, "member-2").Value != "false" {
		t.Errorf("members = %+v", f.Fields)
	}

	pg = item(t, newDesk(), plugintest.Partner(), "7/milestones/71", "")
	f = forms(pg.Body)["milestone"]
	if f.Action.State != "7:71" || field(t, f, "title").Value != "Data migration" || field(t, f, "due").Value != "2026-02-06" || field(t, f, "done").Value != "false" {
		t.Errorf("milestone form = %+v", f)
	}
	if b, ok := button(pg.Body, en.T("delete")); !ok || b.Action.State != "7:71" || b.Action.Confirm != en.T("delete-milestone") {
		t.Errorf("delete = %+v", b)
	}
	pg = item(t, newDesk(), plugintest.Partner(), "7/milestones/new", "")
	if f := forms(pg.Body)["milestone"]; f.Action.State != "7:0" || hasField(f, "done") {
		t.Errorf("new milestone form = %+v", f)
	}
	pg = item(t, newDesk(), staff(), "7/template", "")
	if f := forms(pg.Body)["template"]; f.Action.State != "7" || field(t, f, "name").Value != "Riverside Health rollout" {
		t.Errorf("template form = %+v", f)
	}
}

func invalid(fields map[string]string) error {
	return &sdk.CallError{Code: sdk.CodeInvalid, Message: "Please correct the highlighted fields.", Fields: fields}
}

func ptr[T any](v T) *T { return &v }

func TestActions(t *testing.T) {
	p, s := plugintest.Partner(), staff()
	gone := &sdk.CallError{Code: sdk.CodeNotFound, Message: "There is no such task."}
	for _, tt := range []struct {
		name   string
		v      sdk.Viewer
		action string
		state  string
		values url.Values
		fail   map[string]error
		want   sdk.ActionResult
		check  func(t *testing.T, d *desk)
	}{
		{name: "filter", v: s, action: "filter", values: url.Values{"partner": {"12"}, "status": {"on_hold"}, "health": {"nope"}, "attention": {"true"}, "mine": {""}, "q": {" bank "}},
			want: sdk.ActionResult{Navigate: "/rooms/test/items/all?attention=1&partner=12&q=bank&status=on_hold"}},
		{name: "create", v: p, action: "create", values: url.Values{"name": {" Rollout "}, "customer": {"Riverside"}, "start": {"2026-01-05"}, "target": {"2026-03-31"},
			"status": {"active"}, "template": {"5"}, "description": {"Hi"}},
			want: sdk.ActionResult{Message: "Created Rollout.", Navigate: "/rooms/test/items/99"},
			check: func(t *testing.T, d *desk) {
				assertEq(t, *d.lastCreate, sp.NewProject{Name: "Rollout", Customer: "Riverside", Description: "Hi", Start: "2026-01-05", Target: "2026-03-31", Status: sp.Active, TemplateID: 5})
			}},
		{name: "create as staff", v: s, action: "create", values: url.Values{"partner": {"12"}, "name": {"Pilot"}, "customer": {"Harbor"}},
			want:  sdk.ActionResult{Message: "Created Pilot.", Navigate: "/rooms/test/items/99"},
			check: func(t *testing.T, d *desk) { assertEq(t, d.lastCreate.PartnerID, int64(12)) }},
		{name: "create as staff without a partner", v: s, action: "create", values: url.Values{"name": {"Pilot"}},
			want:  sdk.ActionResult{FieldErrors: map[string]string{"partner": "Choose the partner the project is for."}, Error: en.T("check-fields")},
			check: func(t *testing.T, d *desk) { assertEq(t, d.lastCreate, (*sp.NewProject)(nil)) }},
		{name: "create with dates out of order", v: p, action: "create", values: url.Values{"name": {"X"}, "start": {"2026-03-01"}, "target": {"2026-01-01"}},
			fail: map[string]error{sp.CreateProject.Name: invalid(map[string]string{"target": "The target date must be after the start date.", "templateId": "Choose a template you may use."})},
			want: sdk.ActionResult{FieldErrors: map[string]string{"target": "The target date must be after the start date.", "template": "Choose a template you may use."}, Error: en.T("check-fields")}},
		{name: "update project and members", v: p, action: "update-project", state: "7",
			values: url.Values{"name": {"Renamed"}, "customer": {"Riverside"}, "start": {"2026-01-05"}, "target": {"2026-04-30"}, "status": {"on_hold"},
				"partnerOwner": {"102"}, "vendorOwner": {""}, "description": {"D"}, "member-101": {"true"}, "member-102": {""}, "member-1": {"true"}, "member-2": {"true"}},
			want: sdk.ActionResult{Message: "Saved the project.", Navigate: "/rooms/test/items/7"},
			check: func(t *testing.T, d *desk) {
				assertEq(t, *d.lastUpdate, sp.ProjectChange{ID: 7, Name: ptr("Renamed"), Customer: ptr("Riverside"), Description: ptr("D"), Start: ptr("2026-01-05"),
					Target: ptr("2026-04-30"), Status: ptr(sp.OnHold), PartnerOwner: ptr(int64(102)), VendorOwner: ptr(int64(0)),
					AddMembers: []int64{2}, RemoveMembers: []int64{102}})
			}},
		{name: "update refused: an owner cannot leave", v: p, action: "update-project", state: "7", values: url.Values{"name": {"X"}},
			fail: map[string]error{sp.UpdateProject.Name: invalid(map[string]string{"removeMembers": "Jennifer Lee owns the project; choose another owner first."})},
			want: sdk.ActionResult{FieldErrors: map[string]string{"members": "Jennifer Lee owns the project; choose another owner first."}, Error: "Jennifer Lee owns the project; choose another owner first."}},
		{name: "update a foreign project", v: p, action: "update-project", state: "8", want: sdk.ActionResult{Error: en.T("gone")}},
		{name: "add milestone", v: p, action: "milestone", state: "7:0", values: url.Values{"title": {"UAT"}, "start": {"2026-03-01"}, "due": {"2026-03-10"}},
			want: sdk.ActionResult{Message: "Added the milestone.", Navigate: "/rooms/test/items/7"},
			check: func(t *testing.T, d *desk) {
				assertEq(t, *d.lastMilestone, sp.MilestoneChange{ProjectID: 7, Title: ptr("UAT"), Start: ptr("2026-03-01"), Due: ptr("2026-03-10")})
			}},
		{name: "edit milestone", v: p, action: "milestone", state: "7:71", values: url.Values{"title": {"Data"}, "due": {"2026-02-20"}, "done": {"true"}},
			want: sdk.ActionResult{Message: "Saved the milestone.", Navigate: "/rooms/test/items/7"},
			check: func(t *testing.T, d *desk) {
				assertEq(t, *d.lastMilestone, sp.MilestoneChange{ID: 71, Title: ptr("Data"), Start: ptr(""), Due: ptr("2026-02-20"), Done: ptr(true)})
			}},
		{name: "milestone due before it starts", v: p, action: "milestone", state: "7:0", values: url.Values{"title": {"UAT"}, "start": {"2026-03-10"}, "due": {"2026-03-01"}},
			fail: map[string]error{sp.ChangeMilestone.Name: invalid(map[string]string{"due": "The due date must be on or after the start date."})},
			want: sdk.ActionResult{FieldErrors: map[string]string{"due": "The due date must be on or after the start date."}, Error: en.T("check-fields")}},
		{name: "mark milestone done", v: p, action: "milestone-done", state: "7:71:1",
			want: sdk.ActionResult{Message: "Marked the milestone as done.", Navigate: "/rooms/test/items/7"},
			check: func(t *testing.T, d *desk) {
				assertEq(t, *d.lastMilestone, sp.MilestoneChange{ID: 71, Done: ptr(true)})
			}},
		{name: "delete milestone", v: p, action: "milestone-delete", state: "7:71",
			want:  sdk.ActionResult{Message: "Deleted the milestone.", Navigate: "/rooms/test/items/7"},
			check: func(t *testing.T, d *desk) { assertEq(t, *d.lastMilestone, sp.MilestoneChange{ID: 71, Delete: true}) }},
		{name: "add task", v: p, action: "task", state: "7:0", values: url.Values{"title": {"Test"}, "milestone": {"72"}, "assignee": {"1"}, "due": {"2026-03-01"},
			"status": {"todo"}, "description": {"D"}, "checklist": {"one\n\n  two  \n"}},
			want: sdk.ActionResult{Message: "Added the task.", Navigate: "/rooms/test/items/7/tasks/777"},
			check: func(t *testing.T, d *desk) {
				assertEq(t, *d.lastTask, sp.TaskChange{ProjectID: 7, MilestoneID: ptr(int64(72)), Title: ptr("Test"), Description: ptr("D"), Assignee: ptr(int64(1)),
					Due: ptr("2026-03-01"), Status: ptr(sp.ToDo), Checklist: &[]sp.CheckItem{{Text: "one"}, {Text: "two"}}})
			}},
		{name: "edit task keeps ticks of unchanged lines", v: p, action: "task", state: "7:700", values: url.Values{"title": {"Export"}, "checklist": {"Clinic A\nClinic C"}, "status": {"in_progress"}},
			want: sdk.ActionResult{Message: "Saved the task.", Navigate: "/rooms/test/items/7/tasks/700"},
			check: func(t *testing.T, d *desk) {
				assertEq(t, *d.lastTask.Checklist, []sp.CheckItem{{Text: "Clinic A", Done: true}, {Text: "Clinic C"}})
			}},
		{name: "task assigned outside the project", v: p, action: "task", state: "7:700", values: url.Values{"title": {"Export"}, "assignee": {"555"}},
			fail: map[string]error{sp.ChangeTask.Name: invalid(map[string]string{"assignee": "Choose someone on the project."})},
			want: sdk.ActionResult{FieldErrors: map[string]string{"assignee": "Choose someone on the project."}, Error: en.T("check-fields")}},
		{name: "edit a task under another project", v: s, action: "task", state: "7:800", values: url.Values{"title": {"X"}},
			want:  sdk.ActionResult{Error: en.T("gone")},
			check: func(t *testing.T, d *desk) { assertEq(t, d.lastTask, (*sp.TaskChange)(nil)) }},
		{name: "delete task", v: p, action: "task-delete", state: "7:701",
			want:  sdk.ActionResult{Message: "Deleted the task.", Navigate: "/rooms/test/items/7/tasks"},
			check: func(t *testing.T, d *desk) { assertEq(t, *d.lastTask, sp.TaskChange{ID: 701, Delete: true}) }},
		{name: "move with the select", v: p, action: "move", state: "7:701", values: url.Values{"status": {"blocked"}},
			want:  sdk.ActionResult{Message: "Moved “Map fields” to Blocked.", Navigate: "/rooms/test/items/7/tasks"},
			check: func(t *testing.T, d *desk) { assertEq(t, *d.lastTask, sp.TaskChange{ID: 701, Status: ptr(sp.Blocked)}) }},
		{name: "move to no column", v: p, action: "move", state: "7:701", values: url.Values{"status": {"nowhere"}},
			want:  sdk.ActionResult{FieldErrors: map[string]string{"status": "Choose a column to move the task to."}, Error: en.T("check-fields")},
			check: func(t *testing.T, d *desk) { assertEq(t, d.lastTask, (*sp.TaskChange)(nil)) }},
		{name: "move a task that is gone", v: p, action: "move", state: "7:701", values: url.Values{"status": {"done"}},
			fail: map[string]error{sp.ChangeTask.Name: gone}, want: sdk.ActionResult{Error: en.T("gone")}},
		{name: "tick a checklist line", v: p, action: "check", state: "7:700:1:1",
			want: sdk.ActionResult{Message: "Ticked.", Navigate: "/rooms/test/items/7/tasks/700"},
			check: func(t *testing.T, d *desk) {
				assertEq(t, *d.lastTask, sp.TaskChange{ID: 700, Check: &sp.CheckMark{Index: 1, Done: true}})
			}},
		{name: "untick a checklist line", v: p, action: "check", state: "7:700:0:0",
			want:  sdk.ActionResult{Message: "Unticked.", Navigate: "/rooms/test/items/7/tasks/700"},
			check: func(t *testing.T, d *desk) { assertEq(t, *d.lastTask.Check, sp.CheckMark{Index: 0, Done: false}) }},
		{name: "comment", v: p, action: "comment", state: "7:700", values: url.Values{"body": {"@Mike Chen done"}},
			want: sdk.ActionResult{Message: "Comment posted.", Navigate: "/rooms/test/items/7/tasks/700"},
			check: func(t *testing.T, d *desk) {
				assertEq(t, *d.lastComment, sp.NewComment{TaskID: 700, Body: "@Mike Chen done"})
			}},
		{name: "empty comment", v: p, action: "comment", state: "7:700", values: url.Values{"body": {""}},
			fail: map[string]error{sp.AddComment.Name: invalid(map[string]string{"body": "Write a comment."})},
			want: sdk.ActionResult{FieldErrors: map[string]string{"body": "Write a comment."}, Error: en.T("check-fields")}},
		{name: "deliver", v: p, action: "deliver", state: "7:700:0", values: url.Values{"file": {"tok-1"}},
			want:  sdk.ActionResult{Message: "Delivered plan.pdf as version 1.", Navigate: "/rooms/test/items/7/tasks/700"},
			check: func(t *testing.T, d *desk) { assertEq(t, *d.lastDeliver, sp.Deliver{TaskID: 700, Upload: "tok-1"}) }},
		{name: "deliver a new version", v: p, action: "deliver", state: "7:700:901", values: url.Values{"file": {"", "tok-2"}},
			want:  sdk.ActionResult{Message: "Delivered plan.pdf as version 2.", Navigate: "/rooms/test/items/7/tasks/700"},
			check: func(t *testing.T, d *desk) { assertEq(t, *d.lastDeliver, sp.Deliver{FileID: 901, Upload: "tok-2"}) }},
		{name: "deliver nothing", v: p, action: "deliver", state: "7:700:0",
			want:  sdk.ActionResult{FieldErrors: map[string]string{"file": en.T("choose-file")}, Error: en.T("check-fields")},
			check: func(t *testing.T, d *desk) { assertEq(t, d.lastDeliver, (*sp.Deliver)(nil)) }},
		{name: "deliver a refused file", v: p, action: "deliver", state: "7:700:0", values: url.Values{"file": {"tok-1"}},
			fail: map[string]error{sp.SubmitFile.Name: invalid(map[string]string{"upload": "This upload has expired; choose the file again."})},
			want: sdk.ActionResult{FieldErrors: map[string]string{"file": "This upload has expired; choose the file again."}, Error: en.T("check-fields")}},
		{name: "deliver on a milestone", v: p, action: "deliver-milestone", state: "7", values: url.Values{"milestone": {"72"}, "file": {"tok-1"}},
			want:  sdk.ActionResult{Message: "Delivered plan.pdf as version 1.", Navigate: "/rooms/test/items/7"},
			check: func(t *testing.T, d *desk) { assertEq(t, *d.lastDeliver, sp.Deliver{MilestoneID: 72, Upload: "tok-1"}) }},
		{name: "deliver on no milestone", v: p, action: "deliver-milestone", state: "7", values: url.Values{"milestone": {""}, "file": {"tok-1"}},
			want:  sdk.ActionResult{FieldErrors: map[string]string{"milestone": en.T("choose-milestone")}, Error: en.T("check-fields")},
			check: func(t *testing.T, d *desk) { assertEq(t, d.lastDeliver, (*sp.Deliver)(nil)) }},
		{name: "deliver on another project's milestone", v: p, action: "deliver-milestone", state: "7", values: url.Values{"milestone": {"81"}, "file": {"tok-1"}},
			want:  sdk.ActionResult{FieldErrors: map[string]string{"milestone": en.T("choose-milestone")}, Error: en.T("check-fields")},
			check: func(t *testing.T, d *desk) { assertEq(t, d.lastDeliver, (*sp.Deliver)(nil)) }},
		{name: "deliver on a milestone without a file", v: p, action: "deliver-milestone", state: "7", values: url.Values{"milestone": {"72"}},
			want:  sdk.ActionResult{FieldErrors: map[string]string{"file": en.T("choose-file")}, Error: en.T("check-fields")},
			check: func(t *testing.T, d *desk) { assertEq(t, d.lastDeliver, (*sp.Deliver)(nil)) }},
		{name: "deliver on a foreign project's milestone", v: p, action: "deliver-milestone", state: "8", values: url.Values{"milestone": {"81"}, "file": {"tok-1"}},
			want:  sdk.ActionResult{Error: en.T("gone")},
			check: func(t *testing.T, d *desk) { assertEq(t, d.lastDeliver, (*sp.Deliver)(nil)) }},
		{name: "deliver on a milestone refused", v: p, action: "deliver-milestone", state: "7", values: url.Values{"milestone": {"72"}, "file": {"tok-1"}},
			fail: map[string]error{sp.SubmitFile.Name: invalid(map[string]string{"upload": "This upload has expired; choose the file again."})},
			want: sdk.ActionResult{FieldErrors: map[string]string{"file": "This upload has expired; choose the file again."}, Error: en.T("check-fields")}},
		{name: "approve", v: s, action: "review", state: "7:700:900", values: url.Values{"decision": {"approved"}},
			want:  sdk.ActionResult{Message: "Approved export-plan.pdf.", Navigate: "/rooms/test/items/7/tasks/700"},
			check: func(t *testing.T, d *desk) { assertEq(t, *d.lastReview, sp.Review{FileID: 900, Status: sp.Approved}) }},
		{name: "approve from the project page", v: s, action: "review", state: "7:0:900", values: url.Values{"decision": {"approved"}},
			want: sdk.ActionResult{Message: "Approved export-plan.pdf.", Navigate: "/rooms/test/items/7"}},
		{name: "request changes", v: s, action: "review", state: "7:700:900", values: url.Values{"decision": {"changes_requested"}, "comment": {" Add page 3. "}},
			want: sdk.ActionResult{Message: "Sent export-plan.pdf back with your comment.", Navigate: "/rooms/test/items/7/tasks/700"},
			check: func(t *testing.T, d *desk) {
				assertEq(t, *d.lastReview, sp.Review{FileID: 900, Status: sp.ChangesRequested, Comment: "Add page 3."})
			}},
		{name: "request changes without a comment", v: s, action: "review", state: "7:700:900", values: url.Values{"decision": {"changes_requested"}, "comment": {"  "}},
			want:  sdk.ActionResult{FieldErrors: map[string]string{"comment": en.T("need-comment")}, Error: en.T("check-fields")},
			check: func(t *testing.T, d *desk) { assertEq(t, d.lastReview, (*sp.Review)(nil)) }},
		{name: "review without a decision", v: s, action: "review", state: "7:700:900",
			want: sdk.ActionResult{FieldErrors: map[string]string{"decision": en.T("choose-decision")}, Error: en.T("check-fields")}},
		{name: "review refused to a partner", v: p, action: "review", state: "7:700:900", values: url.Values{"decision": {"approved"}},
			fail: map[string]error{sp.ReviewFile.Name: &sdk.CallError{Code: sdk.CodePermission, Message: en.T("staff-only")}},
			want: sdk.ActionResult{Error: en.T("staff-only")}},
		{name: "save as template", v: s, action: "template", state: "7", values: url.Values{"name": {"Clinic rollout"}, "description": {"For clinics"}},
			want: sdk.ActionResult{Message: "Saved the template “Clinic rollout”.", Navigate: "/rooms/test/items/7"},
			check: func(t *testing.T, d *desk) {
				assertEq(t, *d.lastTemplate, sp.SaveTemplate{ProjectID: 7, Name: "Clinic rollout", Description: "For clinics"})
			}},
		{name: "task filter", v: p, action: "task-filter", state: "7:list", values: url.Values{"mine": {"true"}, "late": {""}, "milestone": {"71"}},
			want: sdk.ActionResult{Navigate: "/rooms/test/items/7/tasks?milestone=71&mine=1&view=list"}},
		{name: "bad state", v: p, action: "move", state: "7", want: sdk.ActionResult{Error: en.T("unknown-action")}},
		{name: "negative id", v: p, action: "comment", state: "7:-1", want: sdk.ActionResult{Error: en.T("unknown-action")}},
		{name: "task filter with a bad state", v: p, action: "task-filter", state: "x:list", want: sdk.ActionResult{Error: en.T("unknown-action")}},
		{name: "unknown", v: p, action: "nope", state: "7", want: sdk.ActionResult{Error: en.T("unknown-action")}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := newDesk()
			for k, err := range tt.fail {
				d.fail[k] = err
			}
			got := submit(t, d, tt.v, tt.action, tt.state, tt.values)
			assertEq(t, got, tt.want)
			if tt.check != nil {
				tt.check(t, d)
			}
		})
	}
}

// TestGlance: the line that says how a project stands counts late work
// with the plural of the reader's language.
func TestGlance(t *testing.T) {
	for _, tt := range []struct {
		lang string
		p    sp.Project
		want string
	}{
		{"en", sp.Project{Progress: 60, LateMilestones: 1, LateTasks: 3}, "60 % done · 1 milestone late"},
		{"en", sp.Project{Progress: 10, LateMilestones: 2}, "10 % done · 2 milestones late"},
		{"en", sp.Project{Progress: 30, LateTasks: 1}, "30 % done · 1 task late"},
		{"en", sp.Project{Progress: 30, LateTasks: 4}, "30 % done · 4 tasks late"},
		{"en", sp.Project{Progress: 100}, "100 % done · nothing late"},
		{"de", sp.Project{Progress: 60, LateMilestones: 1}, "60 % erledigt · 1 Meilenstein verspätet"},
		{"de", sp.Project{Progress: 10, LateMilestones: 2}, "10 % erledigt · 2 Meilensteine verspätet"},
		{"de-AT", sp.Project{Progress: 30, LateTasks: 4}, "30 % erledigt · 4 Aufgaben verspätet"},
		{"de", sp.Project{Progress: 100}, "100 % erledigt · nichts verspätet"},
		{"es", sp.Project{Progress: 60, LateMilestones: 1}, "60 % completado · 1 hito con retraso"},
		{"es", sp.Project{Progress: 30, LateTasks: 4}, "30 % completado · 4 tareas con retraso"},
		{"es", sp.Project{Progress: 100}, "100 % completado · nada con retraso"},
	} {
		if got := glance(catalog.For(tt.lang), tt.p); got != tt.want {
			t.Errorf("%s: glance(%+v) = %q, want %q", tt.lang, tt.p, got, tt.want)
		}
	}
}

// TestGermanProject: a German reader's project page speaks German, with
// German dates, counts and health words, and no English label is left.
func TestGermanProject(t *testing.T) {
	v := plugintest.Partner()
	v.Locale = "de"
	got := text(t, item(t, newDesk(), v, "7", "").Body)
	inOrder(t, got, "60 % erledigt · 1 Meilenstein verspätet", "6 von 10 Aufgaben erledigt", "Kunde", "Riverside Health",
		"Aktiv", "Verspätet", "Termine", "5. Jan. 2026 bis 31. März 2026", "Mike Chen (Anbieter)", "Zeitplan", "Meilensteine",
		"Fällig am", "Verspätet: war fällig am 6. Feb. 2026", "Mitglieder", "Team des Anbieters", "Wartet auf Prüfung")
	for _, english := range []string{en.T("timeline"), en.T("members"), en.T("customer"), "On track", "Late:", "(vendor)", "no value"} {
		if strings.Contains(got, english) {
			t.Errorf("German page shows %q", english)
		}
	}
}

func TestDescribe(t *testing.T) {
	info := Room{}.Describe()
	if info.Name != "projects" || !info.StaffView || !info.OncePerPartnerType || len(info.DefaultBlocks) != 1 || info.DefaultBlocks[0].Type != "project-list" {
		t.Errorf("room = %+v", info)
	}
	if slices.Index(info.LiveTopics, "projects") < 0 {
		t.Errorf("live topics = %v", info.LiveTopics)
	}
	if Topic(42) != "projects:42" {
		t.Errorf("topic = %q", Topic(42))
	}
	pl := Plugin()
	if pl.ID != ID || len(pl.Blocks) != 1 || pl.Blocks[0].Describe().Name != "project-list" {
		t.Errorf("plugin = %+v", pl)
	}
}

// TestFullBoardFitsThePortalsLimits draws a full page of the board and of
// the list (500 tasks) with every card as long as it gets, and checks both
// stay inside what the portal takes from a plugin: 5,000 components and
// 512 KiB once encoded.
func TestFullBoardFitsThePortalsLimits(t *testing.T) {
	if tasksPerPage != 500 {
		t.Fatalf("a page holds %d tasks, want a whole 500-task board", tasksPerPage)
	}
	for _, view := range []string{"", "view=list"} {
		t.Run("view="+view, func(t *testing.T) {
			d := newDesk()
			d.tasks = nil
			for i := range tasksPerPage {
				d.tasks = append(d.tasks, sp.Task{ID: int64(1000 + i), ProjectID: 7, MilestoneID: 71, Title: strings.Repeat("Long task title ", 12),
					Assignee: &jennifer, Due: "2026-02-05", Late: true, Status: taskColumns[i%4].value,
					Checklist: []sp.CheckItem{{Text: "a", Done: true}, {Text: "b"}}, Comments: 3, Deliverables: 2})
			}
			pg := item(t, d, plugintest.Partner(), "7/tasks", view)
			n, cards := 0, 0
			ui.Walk(pg.Body, func(c ui.Component, _ int) bool {
				n++
				if b, ok := c.(ui.Board); ok {
					for _, col := range b.Columns {
						cards += len(col.Cards)
					}
				}
				return true
			})
			if n > 5000 {
				t.Errorf("a page of %d tasks is %d components, more than the portal's 5,000", tasksPerPage, n)
			}
			if view == "" && cards != tasksPerPage {
				t.Errorf("the board shows %d cards, want %d", cards, tasksPerPage)
			}
			b, err := ui.Marshal(pg.Body)
			if err != nil {
				t.Fatal(err)
			}
			if len(b) > 512<<10 {
				t.Errorf("a page of %d tasks is %d bytes, more than the portal's 512 KiB", tasksPerPage, len(b))
			}
		})
	}
}

// TestMilestoneFilesOnTheProjectPage: files handed over on milestones show
// on the project page in every state, and one sent back offers a new
// version that comes back to the project page.
func TestMilestoneFilesOnTheProjectPage(t *testing.T) {
	room := sdk.RoomRef{Slug: "projects", Path: "/rooms/projects"}
	d := sp.ProjectDetail{Project: sp.Project{ID: 7, Name: "Rollout"}, Handed: []sp.Deliverable{
		{FileID: 31, ProjectID: 7, MilestoneID: 2, Name: "Sign-off.pdf", Version: 1, Status: sp.ChangesRequested, Review: "Needs a signature."},
		{FileID: 32, ProjectID: 7, MilestoneID: 3, Name: "Plan.pdf", Version: 2, Status: sp.Approved},
	}}
	page := projectPage(room, sdk.Viewer{UserID: 1}, d)
	inOrder(t, text(t, page), en.T("handed"), "Sign-off.pdf", "Plan.pdf")
	fs := forms(page)
	if _, ok := fs["deliver@7:0:31"]; !ok {
		t.Errorf("no new-version form for the file sent back: %v", fs)
	}
	if _, ok := fs["deliver@7:0:32"]; ok {
		t.Error("a new-version form for an approved file")
	}
	if len(projectPage(room, sdk.Viewer{UserID: 1}, sp.ProjectDetail{Project: d.Project}).(ui.Stack).Children) == 0 {
		t.Fatal("an empty page")
	}
	if strings.Contains(text(t, projectPage(room, sdk.Viewer{UserID: 1}, sp.ProjectDetail{Project: d.Project})), en.T("handed")) {
		t.Error("the card shows with nothing handed over")
	}
}

// en is the room's English, in which these tests read its pages.
var en = catalog.For("en")

// TestCatalogue: every language has every message English has and can draw
// it, with the plural forms it needs, and every message is still used.
func TestCatalogue(t *testing.T) {
	if err := catalog.Check(); err != nil {
		t.Fatal(err)
	}
	unused, err := catalog.Unused(os.DirFS("."))
	if err != nil || len(unused) > 0 {
		t.Fatalf("messages no code uses: %v %v", unused, err)
	}
}
