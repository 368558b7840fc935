package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/demo"
	"github.com/chromedp/chromedp"
)

// TestMessagesInBrowser plays the Messages story in Chromium: Sarah starts
// "Pricing for Contoso" with a PDF; Mike, whose inbox is open, sees his
// unread count rise and the thread appear without reloading; he answers,
// and Sarah, whose thread page is open, sees the answer arrive. She then
// finds the thread by searching. The room's pages pass axe-core and fit a
// phone; with ATRIUM_DOCS_SCREENSHOTS=1 the test writes the guide's
// pictures into docs/.
func TestMessagesInBrowser(t *testing.T) {
	ctx := browser(t)
	p := startDemo(t)
	mike := newTab(t, ctx)
	staffSignIn(t, mike, p.URL, "mike@acme.example")
	sarah := newTab(t, ctx)
	browserSignIn(t, sarah, p.URL, "sarah@northwind.example")

	badge := `+(document.querySelector('[data-badge="messages"]') || {textContent: '0'}).textContent`
	steps(t, mike, "Mike's inbox", chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(p.URL+"/admin/work/messages"), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	before := eval[int](t, mike, badge)
	if cur := eval[[]string](t, mike, `[...new Set([...document.querySelectorAll('a.nav-link[aria-current="page"]')].map(a => a.getAttribute('href')))]`); len(cur) != 1 || cur[0] != "/admin/work/messages" {
		t.Errorf("current navigation entries on the inbox: %v, want only Messages", cur)
	}
	live := eval[bool](t, mike, `!!document.body.getAttribute('data-live')`)
	if !live {
		t.Fatal("the inbox page does not listen for live updates")
	}

	pdf := filepath.Join(t.TempDir(), "Contoso quote.pdf")
	if err := os.WriteFile(pdf, demo.PDF("Contoso quote", "120 seats, three years"), 0o644); err != nil {
		t.Fatal(err)
	}
	steps(t, sarah, "Sarah starts a conversation", chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(p.URL+"/rooms/messages/items/new"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="subject"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="subject"]`), "Pricing for Contoso"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="body"]`), "Which discount applies to **Contoso**'s renewal?"),
		chromedp.SetUploadFiles(chromedp.CSS(`input[type="file"][name="attachments"]`), []string{pdf}),
		chromedp.Submit(chromedp.CSS(`input[name="subject"]`)),
		chromedp.WaitVisible(chromedp.Search(`//main//h1[contains(., "Pricing for Contoso")]`)),
	)
	if !eval[bool](t, sarah, `[...document.querySelectorAll('main a')].some(a => a.textContent.includes('Contoso quote.pdf'))`) {
		t.Error("the thread does not link the attached PDF")
	}
	if !eval[bool](t, sarah, `!!document.querySelector('main strong') && document.querySelector('main strong').textContent === 'Contoso'`) {
		t.Error("the message's Markdown is not rendered")
	}
	threadURL := eval[string](t, sarah, `location.pathname`)

	// Mike's page changes by itself: the badge, and the list.
	waitInTab(t, mike, "Mike's unread count to rise", badge+` > `+strconv.Itoa(before))
	waitInTab(t, mike, "the new thread in Mike's open inbox", `document.querySelector('main').textContent.includes('Pricing for Contoso')`)

	// Sarah keeps the thread open; Mike answers from the portal.
	steps(t, mike, "Mike opens the thread",
		chromedp.Click(chromedp.Search(`//main//a[contains(., "Pricing for Contoso")]`)),
		chromedp.WaitVisible(chromedp.CSS(`textarea[name="body"]`)),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="body"]`), "15% for gold partners, plus 5% on a three-year term."),
		chromedp.Submit(chromedp.CSS(`textarea[name="body"]`)),
		chromedp.WaitVisible(chromedp.Search(`//main//*[contains(., "plus 5% on a three-year term")]`)),
	)
	waitInTab(t, sarah, "Mike's answer on Sarah's open page", `document.querySelector('main').textContent.includes('plus 5% on a three-year term')`)

	// A week later she searches.
	steps(t, sarah, "Sarah searches",
		chromedp.Navigate(p.URL+"/rooms/messages/items/search?q=Contoso"),
		chromedp.WaitVisible(chromedp.CSS(`main h1`)),
	)
	if !eval[bool](t, sarah, `[...document.querySelectorAll('main a')].some(a => a.getAttribute('href') === '`+threadURL+`')`) {
		t.Errorf("searching Contoso does not find %s", threadURL)
	}
	if !eval[bool](t, sarah, `[...document.querySelectorAll('main strong')].some(s => s.textContent.includes('Contoso'))`) {
		t.Error("the search does not highlight the match")
	}

	// Every page of the room is accessible and fits a phone.
	shots := os.Getenv("ATRIUM_DOCS_SCREENSHOTS") != ""
	for _, page := range []struct {
		who  string
		path string
		shot string
	}{
		{"sarah", "/rooms/messages", "messages.png"},
		{"sarah", threadURL, "messages-thread.png"},
		{"sarah", "/rooms/messages/items/search?q=Contoso", ""},
		{"mike", "/admin/work/messages", "messages-inbox.png"},
	} {
		tab := sarah
		if page.who == "mike" {
			tab = mike
		}
		for _, width := range []int64{1280, 360} {
			steps(t, tab, page.path, chromedp.EmulateViewport(width, 900), chromedp.Navigate(p.URL+page.path),
				chromedp.WaitVisible(chromedp.CSS(`main h1`)))
			if sw, cw := eval[int](t, tab, `document.documentElement.scrollWidth`), eval[int](t, tab, `document.documentElement.clientWidth`); sw > cw {
				t.Errorf("%s at %dpx: %dpx wide", page.path, width, sw)
			}
			if width == 1280 {
				axeCheck(t, tab, page.path)
			}
			if shots && page.shot != "" {
				name := page.shot
				if width == 360 {
					name = strings.TrimSuffix(name, ".png") + "-phone.png"
				}
				png, err := chromedp.Run(tab, chromedp.CaptureScreenshot())
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

// waitInTab waits up to ten seconds for a JavaScript condition to hold on the
// tab, without reloading it.
func waitInTab(t *testing.T, tab context.Context, what, cond string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if eval[bool](t, tab, cond) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("waited 10 s for %s", what)
}
