package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/demo"
	"github.com/chromedp/chromedp"
)

// TestComplianceInBrowser plays compliance and shares in Chromium on the
// demo portal: Leo (Lakeside Tech, a sub-partner of XYZ Distribution)
// hands in his overdue reseller agreement; Dana (XYZ) rejects it with a
// reason; Leo reads it, hands in a new version, and Dana accepts it. Dana
// shares a price list with Lakeside Tech and Pine Ridge Networks; Leo finds
// it in Resources marked "from XYZ Distribution" and downloads it; Hank
// (Harbor IT, not chosen) does not see it; Dana sees Lakeside's download.
// The pages pass axe-core and fit a phone; with ATRIUM_DOCS_SCREENSHOTS=1
// the test writes the guide's pictures into docs/.
func TestComplianceInBrowser(t *testing.T) {
	ctx := browser(t)
	p := startDemo(t)
	leo, dana, hank := newTab(t, ctx), newTab(t, ctx), newTab(t, ctx)
	browserSignIn(t, leo, p.URL, "leo@lakesidetech.example")
	browserSignIn(t, dana, p.URL, "dana@xyzdist.example")
	browserSignIn(t, hank, p.URL, "hank@harborit.example")
	mainText := `document.querySelector('main').innerText`
	// download fetches a path as the tab's person does (a synchronous
	// request, so the answer is the status) and answers its status.
	download := func(path string) string {
		return `(() => { const x = new XMLHttpRequest(); x.open('GET', ` + strconv.Quote(path) + `, false); x.send(); return x.status })()`
	}
	// agreementCard is the card of Leo's agreement.
	agreementCard := `//main//*[contains(@class, "card")][.//*[normalize-space(.)="Signed reseller agreement"]]`

	steps(t, leo, "Leo opens Compliance", chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(p.URL+"/rooms/compliance"), chromedp.WaitVisible(chromedp.Search(agreementCard)))
	if card := eval[string](t, leo, `document.evaluate('`+agreementCard+`', document, null, 9, null).singleNodeValue.innerText`); !strings.Contains(card, "Overdue") {
		t.Errorf("Leo's agreement is not overdue: %q", card)
	}
	dir := t.TempDir()
	upload := func(name string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, demo.PDF(name), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	steps(t, leo, "Leo hands in the agreement",
		chromedp.SetUploadFiles(chromedp.Search(agreementCard+`//input[@type="file"]`), []string{upload("Lakeside agreement.pdf")}),
		chromedp.Submit(chromedp.Search(agreementCard+`//input[@type="file"]`)),
		chromedp.WaitVisible(chromedp.Search(`//*[contains(., "Handed in Signed reseller agreement. It waits for review.")]`)))

	// Dana reviews: a rejection needs a reason.
	reviewForm := `(() => [...document.querySelectorAll('main form')].find(f => f.querySelector('input[name="decision"]') && f.closest('.card') && f.closest('.card').innerText.includes('Signed reseller agreement of Lakeside Tech')))()`
	review := func(decision, reason, done string) {
		t.Helper()
		steps(t, dana, "Dana opens Compliance", chromedp.EmulateViewport(1280, 900),
			chromedp.Navigate(p.URL+"/rooms/compliance"), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
		if !eval[bool](t, dana, `!!`+reviewForm) {
			t.Fatalf("Dana has no review form for Lakeside's agreement: %s", eval[string](t, dana, mainText))
		}
		eval[bool](t, dana, `(() => { const f = `+reviewForm+`; f.querySelector('input[name="decision"][value="`+decision+`"]').checked = true;
			f.querySelector('textarea[name="reason"]').value = `+strconv.Quote(reason)+`; f.requestSubmit(); return true })()`)
		steps(t, dana, "Dana saves the review", chromedp.WaitVisible(chromedp.Search(`//*[contains(., "`+done+`")]`)))
	}
	review("reject", "", "Please check the highlighted fields.")
	if !eval[bool](t, dana, `document.querySelector('main').innerText.includes('Say why, so the partner knows what to hand in instead.')`) {
		t.Errorf("a rejection without a reason is not refused beside its field: %s", eval[string](t, dana, mainText))
	}
	review("reject", "The signature page is missing.", "Rejected Signed reseller agreement of Lakeside Tech; they are told why.")

	steps(t, leo, "Leo reads the rejection", chromedp.Navigate(p.URL+"/rooms/compliance"), chromedp.WaitVisible(chromedp.Search(agreementCard)))
	if card := eval[string](t, leo, `document.evaluate('`+agreementCard+`', document, null, 9, null).singleNodeValue.innerText`); !strings.Contains(card, "The signature page is missing.") || !strings.Contains(card, "Rejected by Dana Okafor") {
		t.Errorf("Leo's agreement after the rejection: %q", card)
	}
	steps(t, leo, "Leo hands in a new version",
		chromedp.SetUploadFiles(chromedp.Search(agreementCard+`//input[@type="file"]`), []string{upload("Lakeside agreement signed.pdf")}),
		chromedp.Submit(chromedp.Search(agreementCard+`//input[@type="file"]`)),
		chromedp.WaitVisible(chromedp.Search(`//*[contains(., "Handed in Signed reseller agreement. It waits for review.")]`)))
	review("accept", "", "Accepted Signed reseller agreement of Lakeside Tech.")
	if row := eval[string](t, dana, `[...document.querySelectorAll('main tr')].map(r => r.innerText).find(r => r.includes('Lakeside Tech') && r.includes('Signed reseller agreement')) || ''`); !strings.Contains(row, "Accepted") || !strings.Contains(row, "Lakeside agreement signed.pdf") {
		t.Errorf("Dana's row for Lakeside's agreement: %q", row)
	}

	// Dana shares a price list with two chosen sub-partners.
	steps(t, dana, "Dana shares a price list",
		chromedp.SetUploadFiles(chromedp.Search(`//main//form[.//input[@name="partners"]]//input[@type="file"]`), []string{upload("Partner price list 2027.pdf")}),
		chromedp.SendKeys(chromedp.Search(`//main//form[.//input[@name="partners"]]//input[@name="title"]`), "Partner price list 2027"))
	eval[bool](t, dana, `(() => { const f = document.querySelector('main input[name="partners"]').form;
		for (const c of f.querySelectorAll('input[name="partners"]')) { const l = c.labels[0].textContent; c.checked = l.includes('Lakeside Tech') || l.includes('Pine Ridge Networks') }
		f.requestSubmit(); return true })()`)
	steps(t, dana, "Dana's share is saved", chromedp.WaitVisible(chromedp.Search(`//*[contains(., "Shared Partner price list 2027 with 2 sub-partners.")]`)))

	steps(t, leo, "Leo opens Resources", chromedp.Navigate(p.URL+"/rooms/resources"), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	item := `[...document.querySelectorAll('main li')].find(l => l.innerText.includes('Partner price list 2027'))`
	if got := eval[string](t, leo, `(`+item+` || {innerText: ''}).innerText`); !strings.Contains(got, "from XYZ Distribution") {
		t.Fatalf("Leo's Resources do not show the price list from XYZ Distribution: %s", eval[string](t, leo, mainText))
	}
	href := eval[string](t, leo, ``+item+`.querySelector('a').getAttribute('href')`)
	if status := eval[int](t, leo, download(href)); status != 200 {
		t.Errorf("Leo downloads the price list: %d", status)
	}
	steps(t, hank, "Hank opens Resources", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(p.URL+"/rooms/resources"), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	if text := eval[string](t, hank, mainText); strings.Contains(text, "Partner price list 2027") || !strings.Contains(text, "New training deck") {
		t.Errorf("Hank's Resources: %s", text)
	}
	if status := eval[int](t, hank, download(href)); status != 404 {
		t.Errorf("Hank downloads the price list not shared with Harbor IT: %d", status)
	}

	steps(t, dana, "Dana sees the download", chromedp.Navigate(p.URL+"/rooms/compliance"), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	row := eval[string](t, dana, `[...document.querySelectorAll('main tr')].map(r => r.innerText).find(r => r.includes('Partner price list 2027')) || ''`)
	if !strings.Contains(row, "Lakeside Tech") || !strings.Contains(row, "downloaded 1×") || !strings.Contains(row, "Pine Ridge Networks") || strings.Contains(row, "Harbor IT") {
		t.Errorf("Dana's row for the price list: %q", row)
	}
	deck := eval[string](t, dana, `[...document.querySelectorAll('main tr')].map(r => r.innerText).find(r => r.includes('New training deck')) || ''`)
	if strings.Count(deck, "downloaded 1×") != 2 || strings.Count(deck, "not yet") != 2 {
		t.Errorf("Dana's row for the training deck: %q", deck)
	}

	// The vendor's side: the admin adds a requirement on the staff page,
	// where every partner's items and reviews are.
	admin := newTab(t, ctx)
	staffSignIn(t, admin, p.URL, "admin@acme.example")
	steps(t, admin, "the admin opens Compliance", chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(p.URL+"/admin/work/compliance"), chromedp.WaitVisible(chromedp.CSS(`main input[name="name"]`)),
		chromedp.SendKeys(chromedp.CSS(`main input[name="name"]`), "Code of conduct"))
	eval[bool](t, admin, `(() => { const f = document.querySelector('main input[name="name"]').form;
		f.querySelector('input[name="types"][value="reseller"]').checked = true; f.requestSubmit(); return true })()`)
	steps(t, admin, "the requirement is added", chromedp.WaitVisible(chromedp.Search(`//*[contains(., "Added Code of conduct.")]`)))
	if types := eval[string](t, admin, `(() => { const t = [...document.querySelectorAll('main table')].find(t => t.caption && t.caption.textContent.includes('What the program asks'));
		const r = [...t.querySelectorAll('tbody tr')].find(r => r.cells[0].textContent.trim() === 'Code of conduct'); return r ? r.cells[2].textContent.trim() : '' })()`); types != "reseller" {
		t.Errorf("the admin's new requirement applies to %q, want reseller", types)
	}
	steps(t, leo, "Leo sees the new requirement", chromedp.Navigate(p.URL+"/rooms/compliance"),
		chromedp.WaitVisible(chromedp.Search(`//main//*[normalize-space(.)="Code of conduct"]`)))

	shots := os.Getenv("ATRIUM_DOCS_SCREENSHOTS") != ""
	for _, page := range []struct {
		tab  string
		path string
		shot string
	}{
		{"leo", "/rooms/compliance", "compliance.png"},
		{"dana", "/rooms/compliance", "compliance-distributor.png"},
		{"leo", "/rooms/resources", "compliance-shared.png"},
		{"admin", "/admin/work/compliance", "compliance-staff.png"},
	} {
		tab := map[string]context.Context{"leo": leo, "dana": dana, "admin": admin}[page.tab]
		for _, width := range []int64{1280, 360} {
			steps(t, tab, page.path, chromedp.EmulateViewport(width, 900), chromedp.Navigate(p.URL+page.path),
				chromedp.WaitVisible(chromedp.CSS(`main h1`)))
			if sw, cw := eval[int](t, tab, `document.documentElement.scrollWidth`), eval[int](t, tab, `document.documentElement.clientWidth`); sw > cw {
				t.Errorf("%s at %dpx: %dpx wide", page.path, width, sw)
			}
			axeCheck(t, tab, page.tab+" "+page.path+" at "+strconv.FormatInt(width, 10)+"px")
			if shots {
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
