package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/pluginhost"
	"github.com/chromedp/chromedp"
)

// TestRoomBuilderInBrowser is the room builder's story in a real Chromium:
// Mike, a partner manager who may publish, starts "Q1 Launch" from the
// Campaign Center template for gold resellers, adds the MDF plugin's block
// and a video from the palette, fixes the order with the keyboard, previews
// the draft as Carlos on a phone and publishes. Carlos, signed in in a
// browser context of his own, sees it at once. Mike revises the brief,
// reads the difference, publishes, regrets it and rolls back in one click;
// Carlos sees each version. The builder's pages pass axe-core, and with
// ATRIUM_DOCS_SCREENSHOTS=1 the test writes the guide's pictures into docs/.
func TestRoomBuilderInBrowser(t *testing.T) {
	ctx := browser(t)
	src := buildNPS(t)
	p := startDemoPrepared(t, func(g *globals) {
		if _, err := pluginhost.Install(src, pluginsDir(g)); err != nil {
			t.Fatal(err)
		}
	}, nil)
	grantPublish(t, p, "mike@acme.example")

	mike := newTab(t, ctx)
	staffSignIn(t, mike, p.URL, "mike@acme.example")
	carlos := newTab(t, ctx)
	browserSignIn(t, carlos, p.URL, "carlos@carlosco.example")

	shots := os.Getenv("ATRIUM_DOCS_SCREENSHOTS") != ""
	shot := func(name string, width int64) {
		t.Helper()
		if !shots {
			return
		}
		steps(t, mike, "viewport", chromedp.EmulateViewport(width, 900))
		take := chromedp.FullScreenshot(100)
		if name == "room-builder.png" || width < 400 { // the first screen only
			take = chromedp.CaptureScreenshot()
			eval[bool](t, mike, `window.scrollTo({top: 0, behavior: 'instant'}), true`)
		}
		png, err := chromedp.Run(mike, take)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("..", "..", "docs", name), png, 0o644); err != nil {
			t.Fatal(err)
		}
		steps(t, mike, "viewport", chromedp.EmulateViewport(1280, 900))
	}
	axe := func(what string) {
		t.Helper()
		axeCheck(t, mike, what)
	}
	editor := `main h1`
	steps(t, mike, "the rooms page", chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(p.URL+"/admin/rooms"), chromedp.WaitVisible(chromedp.CSS(`a[href="/admin/rooms/new"]`)))
	axe("rooms list")
	shot("room-builder-rooms.png", 1280)

	// A new room from the Campaign Center template.
	steps(t, mike, "new room",
		jsClick(`a[href="/admin/rooms/new"]`),
		chromedp.WaitVisible(chromedp.CSS(`input[name=template][value=campaign-center]`)),
	)
	axe("new room")
	steps(t, mike, "from a template",
		jsClick(`input[name=template][value=campaign-center]`),
		chromedp.SendKeys(chromedp.CSS(`#nr-title`), "Q1 Launch"),
		jsClick(`input[name=partnerTypes][value=reseller]`),
	)
	shot("room-builder-new.png", 1280)
	navigating(t, mike, "create",
		jsClick(`form[action="/admin/rooms"] button[type=submit]`),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/admin/rooms/q1-launch/settings"]`)),
	)
	// Gold resellers only.
	steps(t, mike, "gold",
		jsClick(`form[action="/admin/rooms/q1-launch/settings"] input[name="audience.tiers"][value=gold]`))
	navigating(t, mike, "settings",
		jsClick(`form[action="/admin/rooms/q1-launch/settings"] button[type=submit]`),
	)
	// The palette filters as Mike types; the plugin's block is added like
	// any other.
	steps(t, mike, "find the MDF block",
		chromedp.SendKeys(chromedp.CSS(`#palette-q`), "mdf"),
	)
	if n := eval[int](t, mike, `document.querySelectorAll('.palette-type:not([hidden])').length`); n != 1 {
		t.Errorf("palette filtered to %q shows %d types, want 1", "mdf", n)
	}
	navigating(t, mike, "add the MDF block",
		jsClick(`.palette-type:not([hidden]) button`),
		chromedp.WaitVisible(chromedp.CSS(`#block-editor`)),
	)
	if title := eval[string](t, mike, `document.querySelector('#block-editor-title').textContent`); !strings.Contains(title, "MDF requests") {
		t.Errorf("selected block after adding: %q", title)
	}
	steps(t, mike, "find the video", chromedp.SendKeys(chromedp.CSS(`#palette-q`), "video"))
	navigating(t, mike, "add a video",
		jsClick(`.palette-type:not([hidden]) button`),
		chromedp.WaitVisible(chromedp.CSS(`#block-editor input[name="config.title"]`)),
	)
	steps(t, mike, "title the video",
		chromedp.Clear(chromedp.CSS(`#block-editor input[name="config.title"]`)),
		chromedp.SendKeys(chromedp.CSS(`#block-editor input[name="config.title"]`), "Q1 kickoff"))
	// The preview beside the form follows the typing, before any save.
	deadline := time.Now().Add(10 * time.Second)
	for !eval[bool](t, mike, `document.querySelector('[data-preview-body]').textContent.includes('Q1 kickoff')`) {
		if time.Now().After(deadline) {
			t.Fatalf("the block's preview did not follow the form")
		}
		time.Sleep(100 * time.Millisecond)
	}
	navigating(t, mike, "save the video",
		jsClick(`#block-editor .form-actions button.btn-primary`),
	)
	order := func() []string {
		return eval[[]string](t, mike, `[...document.querySelectorAll('.builder-blocks li[data-block]')].map(li => li.dataset.block)`)
	}
	before := order()
	if len(before) != 8 || before[6] != "mdf-requests" || before[7] != "video" {
		t.Fatalf("blocks after adding: %v", before)
	}
	axe("editor with a block selected")
	// The video's pickers: the library's media and an upload form.
	eval[bool](t, mike, `document.querySelector('details.picker-list').open = true`)
	axe("the pickers")
	eval[bool](t, mike, `(document.querySelector('details.picker-list').open = false, true)`)
	shot("room-builder-editor.png", 1280)
	shot("room-builder.png", 1280)
	shot("room-builder-editor-phone.png", 360)

	// The keyboard: the video goes up with Enter, then up again with Space,
	// from the focused move button.
	keyMove := func(block, key string) {
		t.Helper()
		sel := `li[data-block="` + block + `"] button[data-move-up]`
		navigating(t, mike, "move "+block+" up with "+key,
			chromedp.Focus(chromedp.CSS(sel)),
			chromedp.KeyEvent(key),
		)
	}
	keyMove("video", "\r")
	keyMove("video", " ")
	after := order()
	want := slices.Clone(before[:5])
	want = append(want, "video", before[5], "mdf-requests")
	if !slices.Equal(after, want) {
		t.Errorf("after moving the video up twice with the keyboard: %v, want %v", after, want)
	}

	// Dragging (the pointer's way) posts the same move form: the MDF
	// block dropped on the first block goes to the top. The drag events
	// are dispatched by script, as headless Chromium has no real pointer.
	eval[bool](t, mike, `document.documentElement.dataset.old = '1', true`)
	eval[bool](t, mike, `(() => {
		const dt = new DataTransfer();
		const from = document.querySelector('li[data-block="mdf-requests"]'), to = document.querySelector('.builder-blocks li[data-block]');
		from.dispatchEvent(new DragEvent('dragstart', {dataTransfer: dt, bubbles: true}));
		to.dispatchEvent(new DragEvent('dragover', {dataTransfer: dt, bubbles: true, cancelable: true}));
		to.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
		return true })()`)
	steps(t, mike, "drop", chromedp.WaitNotPresent(chromedp.CSS(`html[data-old]`)), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	if got := order(); got[0] != "mdf-requests" || len(got) != 8 {
		t.Errorf("after dragging the MDF block to the top: %v", got)
	}

	// The draft as Carlos on a phone.
	steps(t, mike, "preview",
		chromedp.Navigate(p.URL+"/admin/rooms/q1-launch/preview?draft=1&partner=carlos-co&width=phone"),
		chromedp.WaitVisible(chromedp.CSS(`.phone-frame`)),
	)
	if w := eval[int](t, mike, `Math.round(document.querySelector('.phone-frame').getBoundingClientRect().width)`); w != 360 {
		t.Errorf("phone frame is %dpx wide", w)
	}
	if eval[int](t, mike, `document.querySelectorAll('.phone-frame .block').length`) != 8 {
		t.Errorf("the preview does not show every block")
	}
	axe("draft preview")
	shot("room-builder-preview.png", 1280)

	// Publish; Carlos sees it at once.
	steps(t, mike, "publish",
		chromedp.Navigate(p.URL+"/admin/rooms/q1-launch/edit"),
		chromedp.WaitVisible(chromedp.CSS(`#pub-message`)),
		chromedp.SendKeys(chromedp.CSS(`#pub-message`), "Q1 campaign for gold resellers"))
	navigating(t, mike, "publish",
		jsClick(`form[action="/admin/rooms/q1-launch/publish"] button[type=submit]`),
	)
	carlosSees := func(want, notWant string) {
		t.Helper()
		steps(t, carlos, "Carlos opens the room",
			chromedp.Navigate(p.URL+"/rooms/q1-launch"),
			chromedp.WaitVisible(chromedp.CSS(`main h1`)),
		)
		text := eval[string](t, carlos, `document.querySelector('main').innerText`)
		if !strings.Contains(text, want) || (notWant != "" && strings.Contains(text, notWant)) {
			t.Errorf("Carlos sees (want %q, not %q):\n%s", want, notWant, text)
		}
		if n := eval[int](t, carlos, `document.querySelectorAll('[data-block-type="acme/mdf-requests"]').length`); n != 1 {
			t.Errorf("Carlos sees %d MDF blocks", n)
		}
	}
	carlosSees("Q1 kickoff", "")
	if nav := eval[[]string](t, carlos, `[...document.querySelectorAll('nav.sidebar a.nav-link')].map(a => a.getAttribute('href'))`); !slices.Contains(nav, "/rooms/q1-launch") {
		t.Errorf("Carlos's navigation lacks the room: %v", nav)
	}

	// Mike changes the brief and reads the difference.
	steps(t, mike, "change the brief",
		chromedp.Navigate(p.URL+"/admin/rooms/q1-launch/edit?block=intro"),
		chromedp.WaitVisible(chromedp.CSS(`#block-editor input[name="config.title"]`)),
		// The brief's Markdown is shown rendered below its field.
		chromedp.WaitVisible(chromedp.CSS(`#block-editor .md-preview-body strong`)),
		chromedp.Clear(chromedp.CSS(`#block-editor input[name="config.title"]`)),
		chromedp.SendKeys(chromedp.CSS(`#block-editor input[name="config.title"]`), "The Q1 brief, revised"))
	navigating(t, mike, "save the brief",
		jsClick(`#block-editor .form-actions button.btn-primary`))
	navigating(t, mike, "see the changes",
		chromedp.Focus(chromedp.CSS(`a[href="/admin/rooms/q1-launch/diff?from=published&to=draft"]`)),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.CSS(`.diff`)),
	)
	added := eval[[]string](t, mike, `[...document.querySelectorAll('.diff-add')].map(e => e.textContent)`)
	removed := eval[[]string](t, mike, `[...document.querySelectorAll('.diff-del')].map(e => e.textContent)`)
	if !slices.ContainsFunc(added, func(s string) bool { return strings.Contains(s, "The Q1 brief, revised") }) ||
		!slices.ContainsFunc(removed, func(s string) bool { return strings.Contains(s, "Campaigns you can run this quarter") }) {
		t.Errorf("diff: added %v, removed %v", added, removed)
	}
	axe("diff")
	shot("room-builder-diff.png", 1280)
	steps(t, mike, "open the editor",
		chromedp.Navigate(p.URL+"/admin/rooms/q1-launch/edit"),
		chromedp.WaitVisible(chromedp.CSS(`#pub-message`)))
	navigating(t, mike, "publish the change",
		jsClick(`form[action="/admin/rooms/q1-launch/publish"] button[type=submit]`),
	)
	carlosSees("The Q1 brief, revised", "")

	// Regret: one click brings revision 1 back.
	steps(t, mike, "history",
		chromedp.Navigate(p.URL+"/admin/rooms/q1-launch/history"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/admin/rooms/q1-launch/revisions/1/rollback"]`)),
	)
	axe("history")
	shot("room-builder-history.png", 1280)
	navigating(t, mike, "roll back",
		jsClick(`form[action="/admin/rooms/q1-launch/revisions/1/rollback"] button`),
	)
	if flash := eval[string](t, mike, `document.querySelector('.flash').textContent`); !strings.Contains(flash, "revision 3") {
		t.Errorf("after the rollback: %q", flash)
	}
	carlosSees("Campaigns you can run this quarter", "The Q1 brief, revised")

	// The rest of the builder's pages pass axe too.
	for _, path := range []string{"/admin/rooms/q1-launch/edit", "/admin/rooms/navigation?type=reseller", "/admin/rooms/q1-launch/delete"} {
		steps(t, mike, path, chromedp.Navigate(p.URL+path), chromedp.WaitVisible(chromedp.CSS(editor)))
		axe(path)
	}

	// An admin keeps the room as one of the program's templates; the page
	// passes axe, and the new-room page then offers the template.
	admin := newTab(t, ctx)
	staffSignIn(t, admin, p.URL, "admin@acme.example")
	steps(t, admin, "keep as a template", chromedp.Navigate(p.URL+"/admin/rooms/q1-launch/template"), chromedp.WaitVisible(chromedp.CSS(`#tpl-name`)))
	for _, width := range []int64{360, 1280} {
		steps(t, admin, "viewport", chromedp.EmulateViewport(width, 900))
		axeCheck(t, admin, "keep as a template at "+strconv.FormatInt(width, 10)+" px")
		if over := eval[bool](t, admin, `document.documentElement.scrollWidth > window.innerWidth + 1`); over {
			t.Errorf("the template page overflows at %d px", width)
		}
	}
	steps(t, admin, "name the template", chromedp.SetValue(chromedp.CSS(`#tpl-name`), "launch-kit"),
		chromedp.SetValue(chromedp.CSS(`#tpl-description`), "Our quarterly launch room"))
	navigating(t, admin, "save the template", jsClick(`form[action="/admin/rooms/q1-launch/template"] button[type=submit]`))
	if body := eval[string](t, admin, `document.body.innerText`); !strings.Contains(body, "Our quarterly launch room") {
		t.Errorf("the new-room page does not offer the kept template:\n%s", body)
	}

	// What the builder published exports as a file that applies unchanged.
	db := []string{"--data", p.g.data, "--log-level", "error"}
	if p.g.databaseURL != "" {
		db = append(db, "--database-url", p.g.databaseURL)
	}
	out := t.TempDir()
	if code, _, errs := cli(t, db, "", "rooms", "export", "-o", out); code != 0 {
		t.Fatalf("export: %s", errs)
	}
	b, err := os.ReadFile(filepath.Join(out, "q1-launch.yaml"))
	if err != nil || !strings.Contains(string(b), "acme/mdf-requests") || !strings.Contains(string(b), "gold") {
		t.Fatalf("exported room: %v\n%s", err, b)
	}
	if code, stdout, errs := cli(t, db, "", "rooms", "apply", "-f", out); code != 0 || !strings.Contains(stdout, " 0 changed") || !strings.Contains(stdout, "0 created") {
		t.Errorf("apply the export: %d %s %s", code, stdout, errs)
	}
}

// navigating runs steps that leave the page (a click that submits, a key
// that presses a button) and waits for the next page: the old one is marked
// first, so a selector the old page also has cannot answer too early.
func navigating(t *testing.T, tab context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	eval[bool](t, tab, `document.documentElement.dataset.old = '1', true`)
	actions = append(actions, chromedp.WaitNotPresent(chromedp.CSS(`html[data-old]`)), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	steps(t, tab, what, actions...)
}

// jsClick clicks an element as the page's own script would: no pointer
// coordinates, so a sticky header or a scroll in progress cannot take the
// click.
func jsClick(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		b, _ := json.Marshal(sel)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const e = document.querySelector(`+string(b)+`); if (!e) return false; e.click(); return true })()`))
		if err == nil && !ok {
			return fmt.Errorf("nothing to click at %s", sel)
		}
		return err
	})
}

// staffSignIn signs a staff member in and waits for the staff home page.
func staffSignIn(t *testing.T, tab context.Context, base, email string) {
	t.Helper()
	tabSignIn(t, tab, base, email, `body.signed-in main h1`)
}

// axeCheck runs axe-core (testdata/axe, MPL-2.0) on the tab's page and
// fails the test for every violation of WCAG 2.x A and AA. The script is
// given through DevTools, which the page's Content-Security-Policy does
// not govern.
func axeCheck(t *testing.T, tab context.Context, what string) {
	t.Helper()
	axeCheckTags(t, tab, what, "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
}

// axeCheckTags is axeCheck with the rules of the axe-core tags given
// ("best-practice" adds unique landmark names and heading order).
func axeCheckTags(t *testing.T, tab context.Context, what string, tags ...string) {
	t.Helper()
	list, _ := json.Marshal(tags)
	// A page whose structure was checked already, with the same rules, at
	// the same width, in the same colour scheme and language, is not
	// checked again: many personas see the same rooms, and axe is most of
	// the suite's browser time.
	sig := eval[string](t, tab, axeSignatureJS)
	key := sha256.Sum256([]byte(string(list) + "\n" + sig))
	if _, seen := axeChecked.LoadOrStore(key, true); seen {
		return
	}
	for _, v := range axeViolations(t, tab, what, list) {
		t.Errorf("axe on %s: %s", what, v)
	}
}

// axeViolations runs axe-core's rules of the tags in list (a JSON array)
// on the tab's page and returns its violations, each as JSON.
func axeViolations(t *testing.T, tab context.Context, what string, list []byte) []json.RawMessage {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "axe", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(tab, chromedp.Evaluate[json.RawMessage](string(src)+";true")); err != nil {
		t.Fatalf("load axe-core: %v", err)
	}
	ctx, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()
	// Only violations are collected in full (resultTypes): gathering
	// every passing node took a quarter of axe's time, and nothing reads
	// them.
	res, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`axe.run(document, {runOnly: {type: 'tag', values: `+string(list)+`}, resultTypes: ['violations']}).then(r => JSON.stringify({passes: r.passes.length, violations: r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary)}))}))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe on %s: %v", what, err)
	}
	var out struct {
		Passes     int
		Violations []json.RawMessage
	}
	if err := json.Unmarshal([]byte(res), &out); err != nil || out.Passes == 0 {
		t.Fatalf("axe on %s did not run: %v %s", what, err, res)
	}
	return out.Violations
}

// axeChecked holds the signatures of the pages axe found clean or failed
// already in this test binary.
var axeChecked sync.Map

// axeSignatureJS describes what axe's rules look at on the page, without
// its data: the viewport width, colour scheme and language, and the tree of
// elements, each with its tag, classes, role, the names of its aria
// attributes and whether it is an empty leaf, where a run of siblings alike
// (the rows of a table, the links of a navigation) counts as one. Two pages
// with the same signature get the same findings.
const axeSignatureJS = `(() => {
  const d = document.documentElement;
  const sig = e => {
    const aria = [...e.attributes].filter(a => a.name.startsWith('aria-')).map(a => a.name).join(',');
    const kids = [];
    for (const c of e.children) {
      const k = sig(c);
      if (kids[kids.length - 1] !== k) kids.push(k);
    }
    return e.tagName + '.' + e.className + '|' + (e.getAttribute('role') || '') + '|' + aria +
      (e.childElementCount === 0 && e.textContent.trim() === '' ? '|empty' : '') + '(' + kids.join(',') + ')';
  };
  return [d.clientWidth, matchMedia('(prefers-color-scheme: dark)').matches, d.lang, sig(document.body)].join('\n');
})()`
