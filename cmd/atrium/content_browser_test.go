package main

import (
	"context"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/demo"
	"github.com/chromedp/chromedp"
)

// TestBulkUploadInBrowser uploads two files at once from the staff library
// page, through the script that shows progress, and finds both listed; then
// Lisa finds the new brochure in her Resources room at phone width.
func TestBulkUploadInBrowser(t *testing.T) {
	ctx := browser(t)
	p := startDemo(t)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "spring-brochure.pdf"), filepath.Join(dir, "spring-banner.png")
	os.WriteFile(a, demo.PDF("Spring brochure"), 0o644)
	os.WriteFile(b, demo.Logo(color.RGBA{37, 99, 235, 255}), 0o644)
	tab := newTab(t, ctx)
	steps(t, tab, "bulk upload",
		chromedp.Navigate(p.URL+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#login-email`)),
		chromedp.SendKeys(chromedp.CSS(`#login-email`), "mike@acme.example"),
		chromedp.SendKeys(chromedp.CSS(`#login-password`), "demo"),
		chromedp.Submit(chromedp.CSS(`#login-email`)),
		chromedp.WaitVisible(chromedp.CSS(`body.signed-in main h1`)),
	)
	// Navigating straight after sign-in is sometimes aborted by the
	// browser while it settles the redirect; try again.
	for i := range 5 {
		ctx, cancel := context.WithTimeout(tab, 10*time.Second)
		_, err := chromedp.Run(ctx, chromedp.Navigate(p.URL+"/admin/library"))
		cancel()
		if err == nil {
			break
		}
		if !strings.Contains(err.Error(), "ERR_ABORTED") || i == 4 {
			t.Fatal(err)
		}
		chromedp.Run(tab, chromedp.Sleep(200*time.Millisecond))
	}
	steps(t, tab, "bulk upload",
		chromedp.WaitVisible(chromedp.CSS(`#l-files`)),
		chromedp.SetValue(chromedp.CSS(`#l-tags`), "type:brochure, industry:healthcare"),
		chromedp.SetUploadFiles(chromedp.CSS(`#l-files`), []string{a, b}),
		chromedp.Click(chromedp.CSS(`form[data-upload] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`main h1`)),
	)
	for range 50 {
		if loc := eval[string](t, tab, `location.search + " " + document.readyState`); strings.Contains(loc, "uploaded=2") && strings.HasSuffix(loc, "complete") {
			break
		}
		chromedp.Run(tab, chromedp.Sleep(100e6))
	}
	html := eval[string](t, tab, `document.querySelector('main').innerText`)
	if !strings.Contains(html, "Spring brochure") || !strings.Contains(html, "Spring banner") {
		t.Fatalf("library after bulk upload (%s):\n%s", eval[string](t, tab, `location.href`), html)
	}
	lisa := newTab(t, ctx)
	browserSignIn(t, lisa, p.URL, "lisa@carlosco.example")
	steps(t, lisa, "find the brochure",
		chromedp.EmulateViewport(360, 800),
		chromedp.Navigate(p.URL+"/rooms/resources/items/search?tag=industry:healthcare&tag=type:brochure"),
		chromedp.WaitVisible(chromedp.CSS(`main`)),
	)
	if text := eval[string](t, lisa, `document.querySelector('main').innerText`); !strings.Contains(text, "Spring brochure") {
		t.Fatalf("partner does not find the upload:\n%s", text)
	}
	if w, c := eval[int](t, lisa, `document.documentElement.scrollWidth`), eval[int](t, lisa, `document.documentElement.clientWidth`); w > c {
		t.Errorf("filtered library at 360px is %dpx wide", w)
	}
}
