package projects

import (
	"embed"
	"time"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/i18n"
	sp "github.com/atriumhq/atrium/sdk/projects"
	"github.com/atriumhq/atrium/sdk/ui"
)

// What people read: the room's words, one file per language. Every
// message is a whole sentence or label; numbers go in as named values,
// and a message that counts has the language's plural forms.
//
//go:embed locales/*.json
var locales embed.FS

var catalog = i18n.MustLoad(locales, "locales")

// words is the catalogue in the viewer's language.
func words(v sdk.Viewer) *i18n.Locale { return catalog.For(v.Locale) }

// dayOr is the Locale's Day, or "—" for no date.
func dayOr(w *i18n.Locale, s string) string {
	if s == "" {
		return "—"
	}
	return w.Day(s)
}

// when formats a moment the way the rest of the portal does.
func when(w *i18n.Locale, t time.Time) string { return w.DateTime(t.UTC()) }

// size formats a file size for people.
func size(w *i18n.Locale, n int64) string {
	switch {
	case n >= 1<<30:
		return w.T("size.gb", "Size", w.Number(float64(n)/(1<<30), 1))
	case n >= 1<<20:
		return w.T("size.mb", "Size", w.Number(float64(n)/(1<<20), 1))
	case n >= 1<<10:
		return w.T("size.kb", "Size", w.Int(n>>10))
	}
	return w.N("size.bytes", int(n))
}

// percentDone is "60 % done".
func percentDone(w *i18n.Locale, progress int) string {
	return w.T("percent-done", "Percent", w.Int(int64(progress)))
}

// tasksOf is "6 of 10 tasks done".
func tasksOf(w *i18n.Locale, done, all int) string {
	return w.N("tasks-of", all, "Done", w.Int(int64(done)))
}

// statusNames are the project statuses in the order a select offers them;
// label is the message that names each.
var statusNames = []struct{ value, label string }{
	{sp.Planned, "status.planned"}, {sp.Active, "status.active"}, {sp.OnHold, "status.on-hold"},
	{sp.Done, "status.done"}, {sp.Cancelled, "status.cancelled"},
}

func statusLabel(w *i18n.Locale, s string) string {
	for _, n := range statusNames {
		if n.value == s {
			return w.T(n.label)
		}
	}
	return s
}

func statusBadge(w *i18n.Locale, s string) ui.Badge {
	tone := ui.ToneNeutral
	switch s {
	case sp.Active:
		tone = ui.ToneInfo
	case sp.Done:
		tone = ui.ToneSuccess
	}
	return ui.Badge{Text: statusLabel(w, s), Tone: tone}
}

// healthNames are the healths; the word says it, the colour only repeats
// it.
var healthNames = []struct{ value, label string }{
	{sp.OnTrack, "health.on-track"}, {sp.AtRisk, "health.at-risk"}, {sp.Late, "health.late"},
}

func healthLabel(w *i18n.Locale, h string) string {
	for _, n := range healthNames {
		if n.value == h {
			return w.T(n.label)
		}
	}
	return h
}

func healthBadge(w *i18n.Locale, h string) ui.Badge {
	tone := ui.ToneSuccess
	switch h {
	case sp.AtRisk:
		tone = ui.ToneWarning
	case sp.Late:
		tone = ui.ToneDanger
	}
	return ui.Badge{Text: healthLabel(w, h), Tone: tone}
}

// taskColumns are the task statuses in board order.
var taskColumns = []struct{ value, label string }{
	{sp.ToDo, "task.todo"}, {sp.InProgress, "task.in-progress"}, {sp.Blocked, "task.blocked"}, {sp.TaskDone, "task.done"},
}

// taskStatusKnown reports whether s is one of the board's columns.
func taskStatusKnown(s string) bool {
	for _, c := range taskColumns {
		if c.value == s {
			return true
		}
	}
	return false
}

func taskStatusLabel(w *i18n.Locale, s string) string {
	for _, c := range taskColumns {
		if c.value == s {
			return w.T(c.label)
		}
	}
	return s
}

func taskBadge(w *i18n.Locale, s string) ui.Badge {
	tone := ui.ToneNeutral
	switch s {
	case sp.InProgress:
		tone = ui.ToneInfo
	case sp.Blocked:
		tone = ui.ToneWarning
	case sp.TaskDone:
		tone = ui.ToneSuccess
	}
	return ui.Badge{Text: taskStatusLabel(w, s), Tone: tone}
}

// reviewNames are the messages naming the deliverable review states.
var reviewNames = map[string]string{sp.Submitted: "review.submitted", sp.Approved: "review.approved", sp.ChangesRequested: "review.changes-requested"}

// reviewLabel names a review state; an unknown one is shown as it is.
func reviewLabel(w *i18n.Locale, s string) string {
	if id, ok := reviewNames[s]; ok {
		return w.T(id)
	}
	return s
}

func reviewBadge(w *i18n.Locale, s string) ui.Badge {
	tone := ui.ToneInfo
	switch s {
	case sp.Approved:
		tone = ui.ToneSuccess
	case sp.ChangesRequested:
		tone = ui.ToneWarning
	}
	return ui.Badge{Text: reviewLabel(w, s), Tone: tone}
}

// glance is the one line that says how a project stands: "60 % done · 1
// milestone late".
func glance(w *i18n.Locale, p sp.Project) string {
	pct := w.Int(int64(p.Progress))
	switch {
	case p.LateMilestones > 0:
		return w.N("glance.milestones-late", p.LateMilestones, "Percent", pct)
	case p.LateTasks > 0:
		return w.N("glance.tasks-late", p.LateTasks, "Percent", pct)
	}
	return w.T("glance.nothing-late", "Percent", pct)
}

// personName names someone, saying which side they are on.
func personName(w *i18n.Locale, p *sp.Person) string {
	if p == nil {
		return w.T("nobody")
	}
	if p.Staff {
		return w.T("person.vendor", "Name", p.Name)
	}
	return p.Name
}
