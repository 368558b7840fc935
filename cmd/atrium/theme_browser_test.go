package main

import (
	"context"
	"strconv"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestDarkScheme: with the system in dark mode the portal turns dark, and
// axe-core finds every text readable (WCAG AA contrast) on the partner's
// rooms and the staff dashboard, at 360 px and 1280 px.
func TestDarkScheme(t *testing.T) {
	ctx := browser(t)
	p := startDemo(t)
	dark := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
		return err
	})
	for _, who := range []struct {
		email, ready string
		paths        []string
	}{
		{"sarah@northwind.example", `main[data-room]`, []string{"/rooms/overview", "/rooms/leads", "/rooms/resources", "/rooms/training"}},
		{"carlos@carlosco.example", `main[data-room]`, []string{"/rooms/deals"}},
		{"admin@acme.example", `body.signed-in main h1`, []string{"/admin/dashboard", "/admin/work/deals/items/1"}},
	} {
		tab := newTab(t, ctx)
		steps(t, tab, "dark", dark)
		tabSignIn(t, tab, p.URL, who.email, who.ready)
		for _, width := range []int64{360, 1280} {
			for _, path := range who.paths {
				steps(t, tab, path, chromedp.EmulateViewport(width, 800), chromedp.Navigate(p.URL+path), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
				if bg := eval[string](t, tab, `getComputedStyle(document.body).backgroundColor`); bg != "rgb(14, 17, 22)" {
					t.Fatalf("%s: the page's background is %s in the dark scheme", path, bg)
				}
				axeCheck(t, tab, path+" in the dark at "+strconv.FormatInt(width, 10)+"px")
			}
		}
	}
}

// TestInstallable: Chromium finds nothing that keeps the portal from being
// installed on a home screen (manifest, icons, name, start page), and no
// service worker is registered, so nothing private is cached offline.
func TestInstallable(t *testing.T) {
	tab := browserDefaultTab(t) // not a private window, where nothing may be installed
	p := startDemo(t)
	browserSignIn(t, tab, p.URL, "sarah@northwind.example")
	steps(t, tab, "overview", chromedp.Navigate(p.URL+"/rooms/overview"), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	var problems []string
	steps(t, tab, "installability", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		res, err := cdp.Call(ctx, tg, page.GetInstallabilityErrors, cdp.Empty{})
		for _, e := range res.InstallabilityErrors {
			problems = append(problems, e.ErrorID)
		}
		return err
	}))
	if len(problems) > 0 {
		t.Errorf("the portal cannot be installed: %v", problems)
	}
	n, err := chromedp.Run(tab, chromedp.Evaluate[int](`navigator.serviceWorker ? navigator.serviceWorker.getRegistrations().then(r => r.length) : 0`, chromedp.EvalAwaitPromise))
	if err != nil || n != 0 {
		t.Errorf("%d service workers registered (%v)", n, err)
	}
}
