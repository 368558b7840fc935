package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/demo"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestProjectsInBrowser plays the Projects story in Chromium on the demo
// portal: Jennifer (ABC Corp) finds "Riverside Health rollout" 60 % done
// with a milestone late, follows its timeline, moves one of her tasks on
// the board, ticks a checklist line, asks Mike something in a comment and
// hands over a deliverable; Mike finds the projects of his partners that
// need attention, sends one deliverable back with a comment and approves
// another; Jennifer reads his review. Carlos sees only Carlos & Co's
// project, and ABC's answers not found. The pages pass axe-core and fit a
// phone; with ATRIUM_DOCS_SCREENSHOTS=1 the test writes the guide's
// pictures into docs/.
func TestProjectsInBrowser(t *testing.T) {
	ctx := browser(t)
	p := startDemo(t)
	jen := newTab(t, ctx)
	browserSignIn(t, jen, p.URL, "jennifer@abccorp.example")

	steps(t, jen, "Jennifer opens the Projects room", chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(p.URL+"/rooms/projects"), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	if card := eval[string](t, jen, `([...document.querySelectorAll('main .card')].find(c => c.textContent.includes('Riverside Health rollout')) || {innerText: ''}).innerText`); !strings.Contains(card, "60 % done · 1 milestone late") || !strings.Contains(card, "Late") {
		t.Errorf("Jennifer's list does not show Riverside 60 %% done with one milestone late: %q", card)
	}
	steps(t, jen, "Jennifer opens Riverside",
		chromedp.Click(chromedp.Search(`//main//a[contains(., "Riverside Health rollout")]`)),
		chromedp.WaitVisible(chromedp.Search(`//main//h1[contains(., "Riverside Health rollout")]`)))
	project := eval[string](t, jen, `location.pathname`)
	if !eval[bool](t, jen, `document.querySelector('main').textContent.includes('60 % done · 1 milestone late')`) {
		t.Errorf("the project page does not say 60 %% done with one milestone late: %s", eval[string](t, jen, `document.querySelector('main').innerText`))
	}
	if !strings.HasPrefix(project, "/rooms/projects/items/") {
		t.Fatalf("Riverside opened at %s", project)
	}
	if !eval[bool](t, jen, `!!document.querySelector('main svg[role="img"]') || !!document.querySelector('main svg title')`) {
		t.Error("the project page has no timeline chart")
	}
	// The chart's table alternative names the late milestone.
	if !eval[bool](t, jen, `[...document.querySelectorAll('main tr')].some(r => r.textContent.includes('Data migration') && r.textContent.includes('Late'))`) {
		t.Errorf("the timeline does not show Data migration as late: %s", eval[string](t, jen, `[...document.querySelectorAll('main tr')].map(r => r.innerText).join(' | ')`))
	}

	// The board: her "Run the final migration" goes to In progress with
	// the card's select.
	board := project + "/tasks"
	steps(t, jen, "Jennifer opens the board", chromedp.Navigate(p.URL+board), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	moveSel := `[...document.querySelectorAll('main select[name="status"]')].find(s => s.labels[0] && s.labels[0].textContent.includes('Run the final migration'))`
	if !eval[bool](t, jen, `!!(`+moveSel+`)`) {
		t.Fatal("the board has no move select for Run the final migration")
	}
	eval[bool](t, jen, `(() => { const s = `+moveSel+`; s.value = 'in_progress'; s.form.requestSubmit(); return true })()`)
	steps(t, jen, "Jennifer moves a task with the select",
		chromedp.WaitVisible(chromedp.Search(`//*[contains(., "to In progress")]`)))
	if col := eval[string](t, jen, columnOf("Run the final migration")); !strings.HasPrefix(col, "In progress") {
		t.Errorf("after the move the task is in column %q, want In progress", col)
	}

	// Where scripts run, a card also moves by dragging it onto a column:
	// "Go live" goes from To do to Blocked, then back by the select.
	if eval[bool](t, jen, `!!document.querySelector('main [data-board] [draggable]')`) {
		t.Error("board cards are draggable before a pointer reaches them")
	}
	eval[bool](t, jen, drag("Go live", "blocked"))
	steps(t, jen, "Jennifer drags a card onto Blocked", chromedp.WaitVisible(chromedp.Search(`//*[contains(., "Moved “Go live” to Blocked")]`)))
	if col := eval[string](t, jen, columnOf("Go live")); !strings.HasPrefix(col, "Blocked") {
		t.Errorf("after the drop the card is in column %q, want Blocked", col)
	}
	// Without script the card's select and button still move it: back to
	// To do, from a tab where the page runs no script at all.
	plain := newTab(t, ctx)
	browserSignIn(t, plain, p.URL, "jennifer@abccorp.example")
	noScript := chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return chromedp.Void{}, err
	})
	card := `//main//li[@data-board-card][.//*[contains(@class,"board-card-title")][normalize-space(.)="Go live"]]`
	steps(t, plain, "Jennifer moves it back without script", chromedp.EmulateViewport(1280, 900), noScript,
		chromedp.Navigate(p.URL+board), chromedp.WaitVisible(chromedp.Search(card+`//select`)),
		chromedp.SetValue(chromedp.Search(card+`//select`), "todo"),
		chromedp.Click(chromedp.Search(card+`//button[@type="submit"]`)),
		chromedp.WaitVisible(chromedp.Search(`//*[contains(., "Moved “Go live” to To do")]`)))
	if eval[bool](t, plain, `!!document.querySelector('main [draggable]')`) {
		t.Error("a card is draggable on a page that runs no script")
	}
	if col := eval[string](t, plain, columnOf("Go live")); !strings.HasPrefix(col, "To do") {
		t.Errorf("after the move without script the card is in column %q, want To do", col)
	}

	// A checklist line on her training task.
	steps(t, jen, "Jennifer opens her training task",
		chromedp.Click(chromedp.Search(`//main//a[contains(., "Train the front-desk staff")]`)),
		chromedp.WaitVisible(chromedp.Search(`//main//button[contains(., "Book the rooms")]`)),
		chromedp.Click(chromedp.Search(`//main//button[contains(., "Tick") and contains(., "Book the rooms")]`)),
		chromedp.WaitVisible(chromedp.Search(`//main//*[contains(., "Ticked.")]`)))
	if !eval[bool](t, jen, `[...document.querySelectorAll('main button')].some(b => b.textContent.includes('Untick') && b.textContent.includes('Book the rooms'))`) {
		t.Error("the ticked line does not offer to untick")
	}
	task := eval[string](t, jen, `location.pathname`)

	// A comment naming Mike, and a deliverable.
	steps(t, jen, "Jennifer comments",
		chromedp.SendKeys(chromedp.CSS(`textarea[name="body"]`), "@Mike the rooms are booked for the **first two clinics**."),
		chromedp.Submit(chromedp.CSS(`textarea[name="body"]`)),
		chromedp.WaitVisible(chromedp.Search(`//main//strong[contains(., "first two clinics")]`)))
	pdf := filepath.Join(t.TempDir(), "Front-desk handout.pdf")
	if err := os.WriteFile(pdf, demo.PDF("Front-desk handout", "Booking an appointment in five steps"), 0o644); err != nil {
		t.Fatal(err)
	}
	steps(t, jen, "Jennifer delivers a file",
		chromedp.SetUploadFiles(chromedp.CSS(`input[type="file"][name="file"]`), []string{pdf}),
		chromedp.Submit(chromedp.CSS(`input[type="file"][name="file"]`)),
		chromedp.WaitVisible(chromedp.Search(`//main//*[contains(., "Delivered Front-desk handout.pdf as version 1.")]`)))
	if !eval[bool](t, jen, `[...document.querySelectorAll('main a')].some(a => a.textContent.includes('Front-desk handout.pdf') && a.getAttribute('href').includes('/files/'))`) {
		t.Error("the task does not link the delivered file")
	}

	// A plan handed over on a milestone rather than a task.
	plan := filepath.Join(t.TempDir(), "Go-live runbook.pdf")
	if err := os.WriteFile(plan, demo.PDF("Go-live runbook", "Cut-over steps for the four clinics"), 0o644); err != nil {
		t.Fatal(err)
	}
	steps(t, jen, "Jennifer delivers a file on a milestone", chromedp.Navigate(p.URL+project),
		chromedp.WaitVisible(chromedp.CSS(`form select[name="milestone"]`)))
	eval[bool](t, jen, `(() => { const s = document.querySelector('form select[name="milestone"]'); s.value = [...s.options].find(o => o.text === 'Go-live').value; return true })()`)
	steps(t, jen, "Jennifer delivers a file on a milestone",
		chromedp.SetUploadFiles(chromedp.Search(`//form[.//select[@name="milestone"]]//input[@type="file"]`), []string{plan}),
		chromedp.Submit(chromedp.Search(`//form[.//select[@name="milestone"]]//input[@type="file"]`)),
		chromedp.WaitVisible(chromedp.Search(`//main//*[contains(., "Delivered Go-live runbook.pdf as version 1.")]`)))
	if !eval[bool](t, jen, `[...document.querySelectorAll('main a')].some(a => a.textContent.includes('Go-live runbook.pdf'))`) {
		t.Error("the milestone's deliverable is not among those awaiting review")
	}

	// Mike: the projects that need attention, then the review.
	mike := newTab(t, ctx)
	staffSignIn(t, mike, p.URL, "mike@acme.example")
	steps(t, mike, "Mike lists what needs attention", chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(p.URL+"/admin/work/projects/items/all?attention=1"), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	rows := eval[[]string](t, mike, `[...document.querySelectorAll('main table')].filter(t => t.caption && t.caption.textContent.trim() === 'Projects').flatMap(t => [...t.querySelectorAll('tbody tr')]).map(r => r.innerText)`)
	if len(rows) == 0 || !strings.Contains(strings.Join(rows, "\n"), "Riverside Health rollout") {
		t.Errorf("Mike's attention list: %q, want Riverside Health rollout in it", rows)
	}
	for _, r := range rows {
		if !strings.Contains(r, "Late") && !strings.Contains(r, "At risk") {
			t.Errorf("Mike's attention list holds a project on track: %q", r)
		}
		if strings.Contains(r, "Stark Industries") {
			t.Errorf("Mike's attention list holds a finished project: %q", r)
		}
	}
	steps(t, mike, "Mike opens Riverside",
		chromedp.Click(chromedp.Search(`//main//a[contains(., "Riverside Health rollout")]`)),
		chromedp.WaitVisible(chromedp.Search(`//main//h1[contains(., "Riverside Health rollout")]`)))
	staffProject := eval[string](t, mike, `location.pathname`)
	for _, name := range []string{"Test load report.pdf", "Training plan.pdf", "Front-desk handout.pdf", "Go-live runbook.pdf"} {
		if !eval[bool](t, mike, `[...document.querySelectorAll('main a')].some(a => a.textContent.includes('`+name+`'))`) {
			t.Errorf("%s is not among the deliverables awaiting Mike's review", name)
		}
	}
	// A review form sits beside its file: find the form whose own block
	// names the file and no other.
	review := func(name, decision, comment, done string) {
		t.Helper()
		sel := `(() => { const fs = [...document.querySelectorAll('main form')].filter(f => f.querySelector('select[name="decision"]'));
			return fs.find(f => { let n = f.parentElement; while (n && ![...n.querySelectorAll('a')].some(a => a.textContent.includes('` + name + `'))) n = n.parentElement;
				return n && n.querySelectorAll('select[name="decision"]').length === 1 }) })()`
		if !eval[bool](t, mike, `!!`+sel) {
			t.Fatalf("no review form for %s on %s", name, staffProject)
		}
		eval[bool](t, mike, `(() => { const f = `+sel+`; f.querySelector('select[name="decision"]').value = '`+decision+`';
				f.querySelector('textarea[name="comment"]').value = `+strconv.Quote(comment)+`; f.requestSubmit(); return true })()`)
		steps(t, mike, "Mike reviews "+name,
			chromedp.WaitVisible(chromedp.Search(`//main//*[contains(., "`+done+`")]`)))
	}
	review("Test load report.pdf", "changes_requested", "Please add the three records with encoding issues to the report.", "Sent Test load report.pdf back with your comment.")
	steps(t, mike, "Mike goes back to the project", chromedp.Navigate(p.URL+staffProject), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	review("Front-desk handout.pdf", "approved", "", "Approved Front-desk handout.pdf.")

	// Jennifer reads the reviews.
	steps(t, jen, "Jennifer reads the approval", chromedp.Navigate(p.URL+task), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	if !eval[bool](t, jen, `document.querySelector('main').textContent.includes('Approved by Mike')`) {
		t.Errorf("Jennifer's task does not show Mike's approval: %s", eval[string](t, jen, `document.querySelector('main').innerText`))
	}
	steps(t, jen, "Jennifer reads the sent-back report", chromedp.Navigate(p.URL+board), chromedp.WaitVisible(chromedp.CSS(`main h1`)),
		chromedp.Click(chromedp.Search(`//main//a[contains(., "Import and check a test load")]`)),
		chromedp.WaitVisible(chromedp.Search(`//main//*[contains(., "three records with encoding issues")]`)))
	if !eval[bool](t, jen, `[...document.querySelectorAll('main input[type="file"]')].length >= 2`) {
		t.Error("the sent-back report offers no form for a new version")
	}

	// Carlos sees his own project only.
	carlos := newTab(t, ctx)
	browserSignIn(t, carlos, p.URL, "carlos@carlosco.example")
	steps(t, carlos, "Carlos opens Projects", chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(p.URL+"/rooms/projects"), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	text := eval[string](t, carlos, `document.querySelector('main').innerText`)
	if !strings.Contains(text, "Contoso Retail onboarding") || strings.Contains(text, "Riverside") || strings.Contains(text, "Stark") {
		t.Errorf("Carlos's project list: %s", text)
	}
	steps(t, carlos, "Carlos tries ABC's project", chromedp.Navigate(p.URL+project), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	if text := eval[string](t, carlos, `document.querySelector('main').innerText`); strings.Contains(text, "Riverside") || !strings.Contains(strings.ToLower(text), "not found") {
		t.Errorf("Carlos at %s sees: %s", project, text)
	}
	for _, path := range []string{board, task} {
		steps(t, carlos, "Carlos tries "+path, chromedp.Navigate(p.URL+path), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
		if text := eval[string](t, carlos, `document.querySelector('main').innerText`); strings.Contains(text, "Riverside") || strings.Contains(text, "Train the front-desk") {
			t.Errorf("Carlos at %s sees: %s", path, text)
		}
	}

	// The pages of the story are accessible and fit a phone.
	shots := os.Getenv("ATRIUM_DOCS_SCREENSHOTS") != ""
	for _, page := range []struct {
		who, path, shot string
	}{
		{"jen", "/rooms/projects", "projects.png"},
		{"jen", project, "projects-project.png"},
		{"jen", board, "projects-board.png"},
		{"jen", task, "projects-task.png"},
		{"mike", "/admin/work/projects", "projects-staff.png"},
		{"mike", staffProject, ""},
	} {
		tab := jen
		if page.who == "mike" {
			tab = mike
		}
		for _, width := range []int64{1280, 360} {
			steps(t, tab, page.path, chromedp.EmulateViewport(width, 900), chromedp.Navigate(p.URL+page.path),
				chromedp.WaitVisible(chromedp.CSS(`main h1`)))
			if sw, cw := eval[int](t, tab, `document.documentElement.scrollWidth`), eval[int](t, tab, `document.documentElement.clientWidth`); sw > cw {
				t.Errorf("%s at %dpx: %dpx wide", page.path, width, sw)
			}
			axeCheck(t, tab, page.path+" at "+strconv.FormatInt(width, 10)+"px")
			if shots && page.shot != "" {
				name := page.shot
				if width == 360 {
					name = strings.TrimSuffix(name, ".png") + "-phone.png"
				}
				png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join("..", "..", "docs", name), png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// columnOf is a script answering the heading of the board column that
// holds the card titled title.
func columnOf(title string) string {
	return `(() => { const c = [...document.querySelectorAll('main [data-board-card]')].find(c => c.querySelector('.board-card-title').textContent.trim() === ` + strconv.Quote(title) + `);
		return c ? c.closest('[data-board-column]').querySelector('.board-column-title').textContent.trim() : '' })()`
}

// drag is a script that drags the card titled title onto the column whose
// value is column, as a person with a mouse does: a pointer reaches the
// card, the drag starts on it, passes over the column and drops there.
func drag(title, column string) string {
	return `(() => { const c = [...document.querySelectorAll('main [data-board-card]')].find(c => c.querySelector('.board-card-title').textContent.trim() === ` + strconv.Quote(title) + `);
		const col = document.querySelector('main [data-board-column="` + column + `"]');
		const dt = new DataTransfer();
		c.dispatchEvent(new PointerEvent('pointerdown', {bubbles: true}));
		if (c.getAttribute('draggable') !== 'true') throw new Error('the card did not become draggable');
		c.dispatchEvent(new DragEvent('dragstart', {bubbles: true, dataTransfer: dt}));
		const over = new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: dt});
		col.querySelector('.board-column-title').dispatchEvent(over);
		if (!over.defaultPrevented) throw new Error('the column does not take the card');
		if (!col.classList.contains('is-drop-target')) throw new Error('the column is not marked as the drop target');
		col.querySelector('.board-column-title').dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: dt}));
		return true })()`
}
