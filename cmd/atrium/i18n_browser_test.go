package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestPagesInGerman: Sarah, Carlos, Jennifer and Dana choose German on
// their account page (a plain form); Sarah's Overview and account page,
// Carlos's Deals, Resources, Brand, Shared Files, Contacts and Messages
// rooms, Jennifer's projects (the list, a project, its board and a task)
// and Dana's Compliance and Distributor Partners rooms (with the network's
// performance), in German, pass axe-core and fit a 360 px phone without
// sideways scrolling, German's long words included. With ATRIUM_SCREENSHOTS
// set, the pages are saved there as i18n-*.png. One portal serves the four
// readers, who walk at once.
func TestPagesInGerman(t *testing.T) {
	ctx := browser(t)
	p := startDemo(t)
	project, task := firstTask(t, p.services(t), "abc-corp")
	projectPath := "/rooms/projects/items/" + project
	for _, reader := range []struct {
		email string
		pages []string
	}{
		{"sarah@northwind.example", []string{"/rooms/overview", "/account"}},
		{"carlos@carlosco.example", []string{"/rooms/deals", "/rooms/resources", "/rooms/brand", "/rooms/files", "/rooms/contacts", "/rooms/messages"}},
		{"jennifer@abccorp.example", []string{"/rooms/projects", projectPath, projectPath + "/tasks", projectPath + "/tasks/" + task}},
		{"dana@xyzdist.example", []string{"/rooms/compliance", "/rooms/network", "/rooms/network/items/dashboard"}},
	} {
		t.Run(reader.email, func(t *testing.T) {
			// The readers walk at once, each in a context of its own:
			// one after the other they made this the suite's longest test.
			t.Parallel()
			germanPages(t, ctx, p.URL, reader.email, reader.pages)
		})
	}
}

// germanPages signs a reader in, has them choose German on their account
// page, and checks each page at 360 and 1280 px.
func germanPages(t *testing.T, ctx context.Context, base, email string, pages []string) {
	t.Helper()
	tab := newTab(t, ctx)
	browserSignIn(t, tab, base, email)
	steps(t, tab, email+" chooses German",
		chromedp.Navigate(base+"/account"),
		chromedp.WaitVisible(chromedp.CSS(`#language`)),
		chromedp.SetValue(chromedp.CSS(`#language`), "de"),
		chromedp.Submit(chromedp.CSS(`#language`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="de"] .flash`)),
	)
	for _, path := range pages {
		// "overview", "account", "projects-items-7-tasks".
		name := strings.ReplaceAll(strings.TrimPrefix(strings.TrimPrefix(path, "/rooms"), "/"), "/", "-")
		for _, width := range []int64{360, 1280} {
			steps(t, tab, path, chromedp.EmulateViewport(width, 800), chromedp.Navigate(base+path),
				chromedp.WaitVisible(chromedp.CSS(`html[lang="de"] main h1`)), chromedp.Sleep(200*time.Millisecond))
			axeCheck(t, tab, path+" in German")
			if over := eval[int](t, tab, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
				t.Errorf("%s in German at %d px scrolls sideways by %d px", path, width, over)
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
				if err := os.WriteFile(filepath.Join(dir, "i18n-"+name+"-de"+suffix+".png"), png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}
