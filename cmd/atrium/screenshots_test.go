package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestScreenshots writes a full-page screenshot (PNG) of every page of the demo
// people below, at 360 px and 1280 px, into the folder ATRIUM_SCREENSHOTS
// names (ATRIUM_SCREENSHOTS_ONLY keeps the pages whose name contains it),
// so a reviewer can look at the portal without running it.
// ATRIUM_SCREENSHOTS_DARK=1 takes them in the dark scheme.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("ATRIUM_SCREENSHOTS")
	if dir == "" {
		t.Skip("set ATRIUM_SCREENSHOTS=folder to write screenshots of the demo")
	}
	only := os.Getenv("ATRIUM_SCREENSHOTS_ONLY")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	p := startDemo(t)
	people := []struct {
		email, ready string
		paths        []string
	}{
		{"sarah@northwind.example", `main[data-room]`, []string{"/rooms/overview", "/rooms/leads", "/rooms/resources", "/rooms/training", "/rooms/welcome"}},
		{"carlos@carlosco.example", `main[data-room]`, []string{"/rooms/overview", "/rooms/deals", "/rooms/leads"}},
		{"jennifer@abccorp.example", `main[data-room]`, []string{"/rooms/projects", "/rooms/projects/items/1", "/rooms/projects/items/1/tasks"}},
		{"admin@acme.example", `body.signed-in main h1`, []string{"/admin/dashboard", "/admin/dashboard?partner=1", "/admin/dashboard?view=revenue", "/admin/work/deals", "/admin/work/deals/items/1"}},
	}
	for _, who := range people {
		tab := newTab(t, ctx)
		if os.Getenv("ATRIUM_SCREENSHOTS_DARK") != "" {
			steps(t, tab, "dark", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
					Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
				return err
			}))
		}
		tabSignIn(t, tab, p.URL, who.email, who.ready)
		for _, path := range who.paths {
			name := strings.SplitN(who.email, "@", 2)[0] + strings.NewReplacer("/", "-", "?", "-", "=", "-", "&", "-").Replace(path)
			if only != "" && !strings.Contains(name, only) {
				continue
			}
			for _, width := range []int64{360, 1280} {
				steps(t, tab, path, chromedp.EmulateViewport(width, 800), chromedp.Navigate(p.URL+path),
					chromedp.WaitVisible(chromedp.CSS(`main h1`)), chromedp.Sleep(300*time.Millisecond))
				png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, name+"-"+strconv.FormatInt(width, 10)+".png"), png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}
