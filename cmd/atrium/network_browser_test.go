package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestNetworkInBrowser plays the Distributor story in Chromium on the demo
// portal: Dana (XYZ Distribution) invites a reseller, first forgetting its
// admin's email; Mike, who manages XYZ, approves it on the staff side and
// gets the invitation link; the reseller's admin sets a password and ticks
// the first task of her onboarding checklist; Dana finds the new reseller
// among her sub-partners in onboarding, 1 of 4 tasks done, opens its page,
// and reads the network dashboard. Carlos, who is no distributor, finds no
// such room. The pages pass axe-core and fit a phone; with
// ATRIUM_DOCS_SCREENSHOTS=1 the test writes the guide's pictures into
// docs/.
func TestNetworkInBrowser(t *testing.T) {
	ctx := browser(t)
	p := startDemo(t)
	mainText := func(tab context.Context) string {
		return eval[string](t, tab, `document.querySelector('main').innerText`)
	}

	dana := newTab(t, ctx)
	browserSignIn(t, dana, p.URL, "dana@xyzdist.example")
	steps(t, dana, "Dana opens her network", chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(p.URL+"/rooms/network"), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	if txt := mainText(dana); !strings.Contains(txt, "Tidewater Solutions") && !strings.Contains(txt, "Newest sub-partners") {
		t.Errorf("Dana's network page: %s", txt)
	}
	steps(t, dana, "Dana starts an invitation",
		chromedp.Click(chromedp.Search(`//main//a[contains(., "Invite a sub-partner")]`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name="company"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="company"]`), "Contoso Resale"),
		chromedp.SendKeys(chromedp.CSS(`input[name="adminName"]`), "Carla Diaz"))
	// The browser would refuse the empty required field itself; the
	// portal's own check is what is tested.
	eval[bool](t, dana, `(() => { document.querySelectorAll('main form [required]').forEach(e => e.removeAttribute('required')); return true })()`)
	steps(t, dana, "Dana forgets the email",
		chromedp.Submit(chromedp.CSS(`input[name="company"]`)),
		chromedp.WaitVisible(chromedp.Search(`//*[contains(., "Please check the highlighted fields")]`)))
	if v := eval[string](t, dana, `document.querySelector('input[name="company"]').value`); v != "Contoso Resale" {
		t.Errorf("the refused form lost the company: %q", v)
	}
	if !eval[bool](t, dana, `!!document.querySelector('input[name="adminEmail"][aria-invalid="true"]')`) {
		t.Errorf("the missing email is not marked: %s", mainText(dana))
	}
	steps(t, dana, "Dana sends the invitation",
		chromedp.SendKeys(chromedp.CSS(`input[name="adminEmail"]`), "carla@contoso.example"),
		chromedp.Submit(chromedp.CSS(`input[name="company"]`)),
		chromedp.WaitVisible(chromedp.Search(`//*[contains(., "sent to your partner manager for approval")]`)))
	if txt := mainText(dana); !strings.Contains(txt, "Contoso Resale") || !strings.Contains(txt, "Waiting for approval") {
		t.Errorf("Dana's invitations: %s", txt)
	}

	mike := newTab(t, ctx)
	staffSignIn(t, mike, p.URL, "mike@acme.example")
	steps(t, mike, "Mike opens the recruit requests", chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(p.URL+"/admin/work/distributor"), chromedp.WaitVisible(chromedp.Search(`//main//*[contains(., "Contoso Resale")]`)))
	if txt := mainText(mike); !strings.Contains(txt, "Northgate Resellers") || !strings.Contains(txt, "XYZ Distribution") {
		t.Errorf("Mike's queue: %s", txt)
	}
	approve := `//main//div[contains(@class, "card")][.//*[normalize-space(.)="Contoso Resale"]]//button[normalize-space(.)="Approve"]`
	steps(t, mike, "Mike approves Contoso", chromedp.Click(chromedp.Search(approve)),
		chromedp.WaitVisible(chromedp.Search(`//*[contains(., "/invite/")]`)))
	link := regexp.MustCompile(`/invite/[A-Za-z0-9_-]+`).FindString(eval[string](t, mike, `document.body.innerText`))
	if link == "" {
		t.Fatalf("no invitation link after approving: %s", mainText(mike))
	}

	carla := newTab(t, ctx)
	steps(t, carla, "Carla accepts the invitation", chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(p.URL+link), chromedp.WaitVisible(chromedp.CSS(`input[name="password"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "contoso resale 2026 launch"),
		chromedp.SendKeys(chromedp.CSS(`input[name="confirm"]`), "contoso resale 2026 launch"),
		chromedp.Submit(chromedp.CSS(`input[name="password"]`)),
		chromedp.WaitVisible(chromedp.CSS(`main[data-room]`)),
		chromedp.Navigate(p.URL+"/rooms/onboarding"), chromedp.WaitVisible(chromedp.CSS(`main[data-room="onboarding"]`)),
		chromedp.Click(chromedp.Search(`(//main//button[contains(., "Mark as done")])[1]`)),
		chromedp.WaitVisible(chromedp.Search(`//main//button[contains(., "Mark as not done")]`)))

	steps(t, dana, "Dana lists her sub-partners in onboarding",
		chromedp.Navigate(p.URL+"/rooms/network/items/directory?stage=getting-started"),
		chromedp.WaitVisible(chromedp.Search(`//main//a[contains(., "Contoso Resale")]`)))
	rows := eval[[]string](t, dana, `[...document.querySelectorAll('main table tbody tr')].map(r => r.innerText.replace(/\s+/g, ' '))`)
	var contoso string
	for _, r := range rows {
		if strings.Contains(r, "Contoso Resale") {
			contoso = r
		}
	}
	if len(rows) != 4 || !strings.Contains(contoso, "1 of 4 tasks") || !strings.Contains(contoso, "carla@contoso.example") {
		t.Errorf("in onboarding: %q", rows)
	}
	steps(t, dana, "Dana opens Contoso", chromedp.Click(chromedp.Search(`//main//a[contains(., "Contoso Resale")]`)),
		chromedp.WaitVisible(chromedp.Search(`//main//h1[contains(., "Contoso Resale")]`)))
	sub := eval[string](t, dana, `location.pathname`)
	if txt := mainText(dana); !strings.Contains(txt, "Carla Diaz") || !strings.Contains(txt, "Sign the partner agreement") {
		t.Errorf("Contoso's page: %s", txt)
	}
	steps(t, dana, "Dana reads the dashboard", chromedp.Navigate(p.URL+"/rooms/network/items/dashboard"),
		chromedp.WaitVisible(chromedp.Search(`//main//caption[contains(., "By sub-partner")]`)))
	if txt := mainText(dana); !strings.Contains(txt, "Tidewater Solutions") || !strings.Contains(txt, "Leads by status") || !strings.Contains(txt, "Export as CSV") {
		t.Errorf("the dashboard: %s", txt)
	}
	csv := eval[string](t, dana, `(() => { const x = new XMLHttpRequest(); x.open('GET', document.querySelector('main a[href^="/network/export.csv"]').href, false); x.send(); return x.status + ' ' + x.responseText.split('\n')[0] })()`)
	if !strings.HasPrefix(csv, "200 sub_partner_id,sub_partner") {
		t.Errorf("the CSV export: %q", csv)
	}

	carlos := newTab(t, ctx)
	browserSignIn(t, carlos, p.URL, "carlos@carlosco.example")
	for _, path := range []string{"/rooms/network", "/rooms/network/items/directory", sub} {
		steps(t, carlos, "Carlos tries "+path, chromedp.Navigate(p.URL+path), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
		if txt := mainText(carlos); strings.Contains(txt, "Contoso") || !strings.Contains(strings.ToLower(txt), "not found") {
			t.Errorf("Carlos at %s sees: %s", path, txt)
		}
	}

	shots := os.Getenv("ATRIUM_DOCS_SCREENSHOTS") != ""
	for _, page := range []struct {
		tab        context.Context
		path, shot string
	}{
		{dana, "/rooms/network", "network.png"},
		{dana, "/rooms/network/items/directory", "network-directory.png"},
		{dana, sub, "network-sub-partner.png"},
		{dana, "/rooms/network/items/dashboard", "network-dashboard.png"},
		{dana, "/rooms/network/items/invitations", "network-invitations.png"},
		{dana, "/rooms/network/items/recruit", "network-recruit.png"},
		{mike, "/admin/work/distributor", "network-staff.png"},
	} {
		for _, width := range []int64{1280, 360} {
			steps(t, page.tab, page.path, chromedp.EmulateViewport(width, 900), chromedp.Navigate(p.URL+page.path),
				chromedp.WaitVisible(chromedp.CSS(`main h1`)))
			if sw, cw := eval[int](t, page.tab, `document.documentElement.scrollWidth`), eval[int](t, page.tab, `document.documentElement.clientWidth`); sw > cw {
				t.Errorf("%s at %dpx: %dpx wide", page.path, width, sw)
			}
			axeCheck(t, page.tab, page.path+" at "+strconv.FormatInt(width, 10)+"px")
			if shots && page.shot != "" {
				name := page.shot
				if width == 360 {
					name = strings.TrimSuffix(name, ".png") + "-phone.png"
				}
				png, err := chromedp.Run(page.tab, chromedp.FullScreenshot(100))
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
