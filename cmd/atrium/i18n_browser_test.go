package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestOverviewInGerman: Sarah chooses German on her account page (a plain
// form), and her Overview and account page, in German, pass axe-core and
// fit a 360 px phone without sideways scrolling, German's long words
// included. With ATRIUM_SCREENSHOTS set, the pages are saved there as
// i18n-*.png.
func TestOverviewInGerman(t *testing.T) {
	ctx := browser(t)
	p := startDemo(t)
	tab := newTab(t, ctx)
	browserSignIn(t, tab, p.URL, "sarah@northwind.example")
	steps(t, tab, "choose German",
		chromedp.Navigate(p.URL+"/account"),
		chromedp.WaitVisible(chromedp.CSS(`#language`)),
		chromedp.SetValue(chromedp.CSS(`#language`), "de"),
		chromedp.Submit(chromedp.CSS(`#language`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="de"] .flash`)),
	)
	for _, page := range []struct{ name, path string }{{"overview", "/rooms/overview"}, {"account", "/account"}} {
		for _, width := range []int64{360, 1280} {
			steps(t, tab, page.path, chromedp.EmulateViewport(width, 800), chromedp.Navigate(p.URL+page.path),
				chromedp.WaitVisible(chromedp.CSS(`html[lang="de"] main h1`)), chromedp.Sleep(200*time.Millisecond))
			axeCheck(t, tab, page.name+" in German")
			if over := eval[int](t, tab, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
				t.Errorf("%s in German at %d px scrolls sideways by %d px", page.name, width, over)
			}
			if dir := os.Getenv("ATRIUM_SCREENSHOTS"); dir != "" {
				png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatal(err)
				}
				suffix := ""
				if width == 360 {
					suffix = "-phone"
				}
				if err := os.WriteFile(filepath.Join(dir, "i18n-"+page.name+"-de"+suffix+".png"), png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// TestRoomsInGermanInABrowser: Carlos reads German; the converted rooms,
// German's long words included, pass axe-core and fit a 360 px phone
// without sideways scrolling.
func TestRoomsInGermanInABrowser(t *testing.T) {
	ctx := browser(t)
	p := startDemo(t)
	tab := newTab(t, ctx)
	browserSignIn(t, tab, p.URL, "carlos@carlosco.example")
	steps(t, tab, "choose German",
		chromedp.Navigate(p.URL+"/account"),
		chromedp.WaitVisible(chromedp.CSS(`#language`)),
		chromedp.SetValue(chromedp.CSS(`#language`), "de"),
		chromedp.Submit(chromedp.CSS(`#language`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="de"] .flash`)),
	)
	for _, path := range []string{"/rooms/deals", "/rooms/resources", "/rooms/brand", "/rooms/files", "/rooms/contacts"} {
		for _, width := range []int64{360, 1280} {
			steps(t, tab, path, chromedp.EmulateViewport(width, 800), chromedp.Navigate(p.URL+path),
				chromedp.WaitVisible(chromedp.CSS(`html[lang="de"] main h1`)), chromedp.Sleep(200*time.Millisecond))
			axeCheck(t, tab, path+" in German")
			if over := eval[int](t, tab, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
				t.Errorf("%s in German at %d px scrolls sideways by %d px", path, width, over)
			}
		}
	}
}
