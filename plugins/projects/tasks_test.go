package projects

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/i18n"
	sp "github.com/atriumhq/atrium/sdk/projects"
	"github.com/atriumhq/atrium/sdk/ui"
)

// TestBoardWordsEveryCardAsTheCatalogueDoes: a board's cards, worded once
// per board, say in every language exactly what a lookup per card says,
// whatever a task's title holds (the mark the move label is translated
// around, braces of a message template, markup, quotes).
func TestBoardWordsEveryCardAsTheCatalogueDoes(t *testing.T) {
	room := sdk.RoomRef{Slug: "projects", Path: "/rooms/projects"}
	names := map[int64]string{3: "Data migration", 4: "Go <live>"}
	titles := []string{"Import the data", frameMark, "a" + frameMark + "b" + frameMark, "{{.Task}}", `<b>&amp;</b> "x"`, "„Zitat“ «cita»", ""}
	jen := &sp.Person{ID: 11, Name: "Jennifer Lee"}
	mike := &sp.Person{ID: 12, Name: "Mike <Ross>", Staff: true}
	var tasks []sp.Task
	for i := range 40 {
		t := sp.Task{ID: int64(100 + i), ProjectID: 7, Title: titles[i%len(titles)], Status: taskColumns[i%len(taskColumns)].value,
			Late: i%5 == 0, Comments: i % 3, Deliverables: i % 2}
		switch i % 3 {
		case 1:
			t.Assignee = jen
		case 2:
			t.Assignee = mike
		}
		if i%4 != 0 {
			t.Due = fmt.Sprintf("2026-02-%02d", 1+i%6)
		}
		t.MilestoneID = int64(i % 5) // 0, 1 and 2 have no name
		for k := range i % 4 {
			t.Checklist = append(t.Checklist, sp.CheckItem{Text: "x", Done: k%2 == 0})
		}
		tasks = append(tasks, t)
	}
	for _, lang := range append(catalog.Languages(), i18n.Pseudo) {
		t.Run(lang, func(t *testing.T) {
			w := catalog.For(lang)
			b := taskBoard(w, tasks, room, names).(ui.Board)
			cards := map[string]ui.BoardCard{}
			for _, col := range b.Columns {
				for _, c := range col.Cards {
					cards[c.Move.State] = c
				}
			}
			if len(cards) != len(tasks) {
				t.Fatalf("%d cards for %d tasks", len(cards), len(tasks))
			}
			for _, task := range tasks {
				got := cards["7:"+strconv.FormatInt(task.ID, 10)]
				want := cardPerLookup(w, room, task, names)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("task %d (%q):\n got %+v\nwant %+v", task.ID, task.Title, got, want)
				}
			}
		})
	}
}

// cardPerLookup words a card with one catalogue lookup per phrase, as the
// board did before it remembered them.
func cardPerLookup(w *i18n.Locale, room sdk.RoomRef, t sp.Task, names map[int64]string) ui.BoardCard {
	parts := []string{personName(w, t.Assignee)}
	if t.Due != "" {
		parts = append(parts, w.T("due-on", "Date", w.Day(t.Due)))
	}
	if n := names[t.MilestoneID]; n != "" {
		parts = append(parts, w.T("task-in", "Milestone", n))
	}
	c := ui.BoardCard{Title: t.Title, Href: taskHref(room, t.ProjectID, t.ID), Subtitle: strings.Join(parts, " · "),
		Move: ui.Action{Name: "move", State: fmt.Sprintf("%d:%d", t.ProjectID, t.ID)}, MoveLabel: w.T("move-task", "Task", t.Title)}
	if t.Late {
		c.Badge = &ui.Badge{Text: w.T("late"), Tone: ui.ToneDanger}
	}
	if n := len(t.Checklist); n > 0 {
		done := 0
		for _, k := range t.Checklist {
			if k.Done {
				done++
			}
		}
		c.Lines = append(c.Lines, w.T("checked-of", "Done", w.Int(int64(done)), "Count", w.Int(int64(n))))
	}
	if t.Comments > 0 {
		c.Lines = append(c.Lines, w.N("count.comments", t.Comments))
	}
	if t.Deliverables > 0 {
		c.Lines = append(c.Lines, w.N("count.files", t.Deliverables))
	}
	return c
}

// TestFramed: a message filled in around its mark is the message
// translated for the value; one that does not hold its argument once is
// translated for each value.
func TestFramed(t *testing.T) {
	w := catalog.For("de")
	for _, tt := range []struct {
		name, id, arg string
		framed        bool
	}{
		{"the argument once", "move-task", "Task", true},
		{"no such argument", "move-task", "Other", false},
		{"no argument at all", "late", "Task", false},
		{"no such message", "no-such-message", "Task", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := frame(w, tt.id, tt.arg)
			if f.ok != tt.framed {
				t.Errorf("framed = %v, want %v", f.ok, tt.framed)
			}
			for _, v := range []string{"Go live", frameMark, "{{.Task}}", "<i>"} {
				if got, want := f.with(v), w.T(tt.id, tt.arg, v); got != want {
					t.Errorf("with(%q) = %q, want %q", v, got, want)
				}
			}
		})
	}
	var none *i18n.Locale // a nil locale words nothing: every message is its id
	if got := frame(none, "move-task", "Task").with("x"); got != "move-task" {
		t.Errorf("nil locale: %q", got)
	}
}
