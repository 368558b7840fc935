package projects_test

import (
	"context"
	"testing"

	"github.com/atriumhq/atrium/core/store/storetest"
	sp "github.com/atriumhq/atrium/sdk/projects"
	"github.com/uptrace/bun"
)

// TestHistoryInTheReadersLanguage: a task's history is kept as messages
// and worded for each reader (statuses and dates in their words, names
// and titles as written), while a line stored before, as English text
// only, reads as stored.
func TestHistoryInTheReadersLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		d, err := w.svc.Create(ctx, w.jennifer, sp.NewProject{Name: "Rollout", Start: "2026-11-01", Target: "2027-01-31",
			Members: []int64{w.tom.UserID}})
		if err != nil {
			t.Fatal(err)
		}
		task, err := w.svc.ChangeTask(ctx, w.jennifer, sp.TaskChange{ProjectID: d.Project.ID, Title: ptr("Plan <b>it</b>")})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []sp.TaskChange{
			{ID: task.ID, Assignee: ptr(w.tom.UserID)},
			{ID: task.ID, Status: ptr(sp.InProgress)},
			{ID: task.ID, Due: ptr("2026-12-24")},
		} {
			if _, err := w.svc.ChangeTask(ctx, w.jennifer, c); err != nil {
				t.Fatal(err)
			}
		}
		// A line from before lines were kept as messages.
		if _, err := db.NewRaw("INSERT INTO project_activity (project_id, task_id, who, what, at) VALUES (?, ?, 'Old Timer', 'did something long ago', ?)",
			d.Project.ID, task.ID, *w.clock).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			lang string
			want []string // newest first
		}{
			{"", []string{"did something long ago", "set the due date to 24 Dec 2026", "moved it to In progress", "assigned it to Tom Diaz", "created the task"}},
			{"de", []string{"did something long ago", "hat das Fälligkeitsdatum auf 24. Dez. 2026 gesetzt", "hat sie nach „In Arbeit“ verschoben", "hat sie Tom Diaz zugewiesen", "hat die Aufgabe angelegt"}},
			{"es", []string{"did something long ago", "fijó la fecha de vencimiento el 24 dic 2026", "la movió a En curso", "se la asignó a Tom Diaz", "creó la tarea"}},
		} {
			v := w.jennifer
			v.Locale = tt.lang
			td, err := w.svc.GetTask(ctx, v, task.ID)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range td.Activity {
				got = append(got, a.What)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("%q: history %q, want %q", tt.lang, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("%q: line %d is %q, want %q", tt.lang, i, got[i], tt.want[i])
				}
			}
		}
	})
}
