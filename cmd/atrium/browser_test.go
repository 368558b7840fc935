package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// envBrowserPass, set to 0, leaves the browser tests out of a run.
const envBrowserPass = "ATRIUM_TEST_BROWSER"

// chromium finds Debian's Chromium. Without it the browser tests are skipped
// on a developer's machine and fail in CI, where .ci/run installs it.
func chromium(t *testing.T) string {
	t.Helper()
	if os.Getenv(envBrowserPass) == "0" {
		// Pages look and behave the same on either database: CI drives
		// the browser in its SQLite pass and leaves it out of the
		// PostgreSQL pass, whose engine the service and API tests cover.
		t.Skip("browser tests run in the SQLite pass (" + envBrowserPass + "=0)")
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is not installed; CI needs it for the browser tests (apt-get install chromium)")
	}
	t.Skip("Chromium not found: browser tests skipped (install Debian's chromium package to run them)")
	return ""
}

// browser gives the test a browser context of its own (its own cookies and
// storage, like a private window) in the package's one headless Chromium.
// Browser tests run in parallel with each other and with the package's
// other parallel tests (those that change no environment, folder or
// timing-bound process): each has its own portal, and much of a browser
// test is waiting (for a page, a script, a push), which another one fills.
// A subtest stays in its place: its test goes on after it.
func browser(t *testing.T) context.Context {
	t.Helper()
	if !strings.Contains(t.Name(), "/") {
		t.Parallel()
	}
	path := chromium(t)
	sharedBrowser.once.Do(func() { sharedBrowser.err = startSharedBrowser(path) })
	if sharedBrowser.err != nil {
		t.Fatalf("start Chromium: %v", sharedBrowser.err)
	}
	return newTab(t, sharedBrowser.ctx)
}

// browserDefaultTab is browser for a test that needs the browser's default
// context, the one a person installs a web app from (a private window may
// install nothing). No other test uses that context.
func browserDefaultTab(t *testing.T) context.Context {
	t.Helper()
	browser(t)
	tab, cancel := chromedp.NewContext(sharedBrowser.ctx)
	t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	return tab
}

// sharedBrowser is the headless Chromium the package's browser tests share,
// started by the first of them and stopped when the test binary ends:
// starting one costs more than a second of CPU, and a test needs no more of
// a browser than a context of its own.
var sharedBrowser struct {
	once sync.Once
	ctx  context.Context
	stop func()
	err  error
}

// startSharedBrowser starts Chromium with the flags a closed network needs.
func startSharedBrowser(path string) error {
	dir, err := os.MkdirTemp("", "atrium-chromium-")
	if err != nil {
		return err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(dir),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	sharedBrowser.ctx = ctx
	sharedBrowser.stop = func() {
		cancel()
		cancelAlloc()
		os.RemoveAll(dir) //nolint:errcheck // a temporary folder
	}
	// The first run starts the browser; it must not run under a timeout,
	// which would stop the whole browser when it expires.
	return chromedp.Do(ctx)
}

// stopSharedBrowser stops the shared Chromium, if a test started it.
func stopSharedBrowser() {
	if sharedBrowser.stop != nil {
		sharedBrowser.stop()
	}
}

// TestPartnersWalkTheirRooms signs in as two demo partners and walks their
// rooms at desktop and phone widths: the navigation lists exactly their
// rooms, every block renders (no placeholder), and nothing overflows
// sideways at 360 px.
func TestPartnersWalkTheirRooms(t *testing.T) {
	ctx := browser(t)
	p := startDemo(t)
	partners := []struct {
		email string
		rooms []string
	}{
		{"sarah@northwind.example", []string{"overview", "welcome", "leads", "messages", "projects", "resources", "training", "brand", "contacts", "support"}},
		{"tom@bluebird.example", []string{"overview", "welcome", "leads", "messages", "onboarding", "projects", "resources", "brand", "contacts", "support"}},
	}
	for _, pt := range partners {
		t.Run(pt.email, func(t *testing.T) {
			tab := newTab(t, ctx)
			browserSignIn(t, tab, p.URL, pt.email)
			for _, width := range []int64{1280, 360} {
				for _, slug := range pt.rooms {
					err := chromedp.Do(tab,
						chromedp.EmulateViewport(width, 800),
						chromedp.Navigate(p.URL+"/rooms/"+slug),
						chromedp.WaitVisible(chromedp.CSS(`main[data-room="`+slug+`"]`)),
					)
					if err != nil {
						t.Fatalf("%s at %dpx: %v", slug, width, err)
					}
					nav := eval[[]string](t, tab, `[...document.querySelectorAll('nav.sidebar a.nav-link, nav.menu-panel a.nav-link')].map(a => a.getAttribute('href')).filter((v, i, all) => all.indexOf(v) === i)`)
					blocks := eval[int](t, tab, `document.querySelectorAll('[data-block-id]').length`)
					placeholders := eval[int](t, tab, `document.querySelectorAll('.block-failed').length`)
					scrollW := eval[int](t, tab, `document.documentElement.scrollWidth`)
					clientW := eval[int](t, tab, `document.documentElement.clientWidth`)
					want := make([]string, len(pt.rooms))
					for i, r := range pt.rooms {
						want[i] = "/rooms/" + r
					}
					if !slices.Equal(nav, want) {
						t.Errorf("%s at %dpx: navigation %v, want %v", slug, width, nav, want)
					}
					// The bell is on every page, inside the screen even on a phone.
					if !eval[bool](t, tab, `(() => { const b = document.querySelector('header a.bell'); if (!b) return false; const r = b.getBoundingClientRect(); return r.width > 0 && r.right <= document.documentElement.clientWidth })()`) {
						t.Errorf("%s at %dpx: the notification bell is missing or off screen", slug, width)
					}
					if blocks == 0 || placeholders > 0 {
						t.Errorf("%s at %dpx: %d blocks, %d placeholders", slug, width, blocks, placeholders)
					}
					if scrollW > clientW {
						wide := eval[[]string](t, tab, `[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 5).map(e => e.tagName + '.' + e.className)`)
						t.Errorf("%s at %dpx: page is %dpx wide, overflowing the %dpx viewport (widest: %v)", slug, width, scrollW, clientW, wide)
					}
				}
			}
			// A room of another partner's audience answers 404, without a hint.
			if err := chromedp.Do(tab, chromedp.Navigate(p.URL+"/rooms/network")); err != nil {
				t.Fatal(err)
			}
			status, _ := chromedp.Run(tab, chromedp.Text(chromedp.CSS(`h1`)))
			if !strings.Contains(strings.ToLower(status), "not found") {
				t.Errorf("network room for %s: heading %q, want not found", pt.email, status)
			}
		})
	}
}

// browserSignIn signs a partner user in and waits for their first room.
func browserSignIn(t *testing.T, tab context.Context, base, email string) {
	t.Helper()
	tabSignIn(t, tab, base, email, `main[data-room]`)
}

// tabSignIn signs someone in with the demo password and waits for the page
// that follows to show ready (a CSS selector).
func tabSignIn(t *testing.T, tab context.Context, base, email, ready string) {
	t.Helper()
	steps(t, tab, "sign in as "+email,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#login-email`)),
		chromedp.SendKeys(chromedp.CSS(`#login-email`), email),
		chromedp.SendKeys(chromedp.CSS(`#login-password`), "demo"),
		chromedp.Submit(chromedp.CSS(`#login-email`)),
		chromedp.WaitVisible(chromedp.CSS(ready)),
	)
}

// TestScreenshot writes docs/screenshot.png when ATRIUM_SCREENSHOT is set:
// the README's picture of a room, taken the same way.
func TestScreenshot(t *testing.T) {
	out := os.Getenv("ATRIUM_SCREENSHOT")
	if out == "" {
		t.Skip("set ATRIUM_SCREENSHOT=path.png to write the README's screenshot")
	}
	ctx := browser(t)
	p := startDemo(t)
	browserSignIn(t, ctx, p.URL, "sarah@northwind.example")
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(p.URL+"/rooms/welcome"),
		chromedp.WaitVisible(chromedp.CSS(`main[data-room="welcome"]`)),
		chromedp.Sleep(500*time.Millisecond),
	); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(out)
	if err := os.WriteFile(abs, png, 0o644); err != nil {
		t.Fatal(err)
	}
	fmt.Println("wrote", abs)
}

// eval runs a JavaScript expression in the tab and returns its value.
func eval[T any](t *testing.T, tab context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(tab, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// steps runs browser steps one by one, each under a deadline, so a page that
// never shows what a step waits for fails the test instead of hanging it.
func steps(t *testing.T, tab context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	for i, a := range actions {
		ctx, cancel := context.WithTimeout(tab, 20*time.Second)
		_, err := chromedp.Run(ctx, a)
		cancel()
		if err != nil {
			loc, _ := chromedp.Run(tab, chromedp.Location())
			html, _ := chromedp.Run(tab, chromedp.Evaluate[string](`document.documentElement.outerHTML.slice(0, 600)`))
			t.Fatalf("%s: step %d: %v (at %s: %s)", what, i+1, err, loc, html)
		}
	}
}

// newTab opens a tab in a browser context of its own (its own cookies, like
// a private window). Its first run happens here, without a deadline: the tab
// lives as long as the context of that first run.
func newTab(t *testing.T, browser context.Context) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	return tab
}

// TestStaffPagesOnAPhone walks the staff pages at 360 px: they render and
// nothing overflows sideways (wide tables scroll inside their own box).
func TestStaffPagesOnAPhone(t *testing.T) {
	ctx := browser(t)
	p := startDemo(t)
	tab := newTab(t, ctx)
	steps(t, tab, "sign in as admin",
		chromedp.Navigate(p.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#login-email`)),
		chromedp.SendKeys(chromedp.CSS(`#login-email`), "admin@acme.example"),
		chromedp.SendKeys(chromedp.CSS(`#login-password`), "demo"),
		chromedp.Submit(chromedp.CSS(`#login-email`)),
		// The sign-in page has a heading too: wait for the signed-in page,
		// or the next navigation races the redirect and is aborted.
		chromedp.WaitVisible(chromedp.CSS(`body.signed-in main h1`)),
		chromedp.EmulateViewport(360, 800),
	)
	for _, path := range []string{"/admin", "/admin/partners", "/admin/partners/new", "/admin/partners/1", "/admin/users",
		"/admin/users/invite", "/admin/rooms", "/admin/plugins", "/admin/rooms/training/preview?type=referral&tier=silver&stage=active&role=sales", "/api/docs",
		"/admin/library", "/admin/library/1", "/admin/spaces", "/admin/spaces/2", "/admin/tasks", "/admin/contacts", "/admin/program", "/notifications",
		"/admin/dashboard", "/admin/dashboard?view=revenue", "/admin/dashboard?range=last-year&sort=partner",
		"/admin/work/overview", "/admin/work/leads", "/admin/work/leads/items/1", "/admin/work/deals", "/admin/work/deals?view=board", "/admin/work/deals/items/1",
		"/admin/work/resources", "/admin/work/brand", "/admin/work/files", "/admin/work/messages", "/admin/work/messages/items/1", "/admin/work/messages/items/broadcast", "/admin/work/resources/as/carlos-co", "/admin/work/files/as/carlos-co",
		"/admin/dashboard?view=revenue&range=this-year",
		"/admin/rooms/new", "/admin/rooms/support/edit?block=how", "/admin/rooms/support/history", "/admin/rooms/support/diff?from=1&to=published",
		"/admin/rooms/navigation?type=reseller", "/admin/rooms/support/delete", "/admin/rooms/support/preview?draft=1&width=phone"} {
		steps(t, tab, path, chromedp.Navigate(p.URL+path), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
		if title := eval[string](t, tab, `document.title`); strings.Contains(title, "not found") || strings.Contains(title, "went wrong") {
			t.Errorf("%s: %q", path, title)
		}
		scrollW, clientW := eval[int](t, tab, `document.documentElement.scrollWidth`), eval[int](t, tab, `document.documentElement.clientWidth`)
		if scrollW > clientW {
			wide := eval[[]string](t, tab, `[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 5).map(e => e.tagName + '.' + e.className)`)
			t.Errorf("%s at 360px: page is %dpx wide (widest: %v)", path, scrollW, wide)
		}
	}
}
