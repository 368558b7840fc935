package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/notify"
	"github.com/chromedp/chromedp"
)

// notifyFixture gives lisa (Carlos & Co) notifications to read.
func notifyFixture(t testing.TB, p *testPortal, n int) []int64 {
	t.Helper()
	ctx := context.Background()
	s := p.services(t)
	lisa, err := s.dir.UserByEmail(ctx, "lisa@carlosco.example")
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if err := s.notify.Notify(ctx, []int64{lisa.ID}, notify.Notification{Kind: notify.EventLeadStatusChanged,
			Title: "Lead Acme Retail moved to demo " + strconv.Itoa(i), Body: "From <b>qualified</b> to demo.", Link: "/rooms/onboarding"}); err != nil {
			t.Fatal(err)
		}
	}
	page, err := s.notify.List(ctx, lisa.ID, notify.ListOptions{PerPage: n})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, it := range page.Items {
		ids = append(ids, it.ID)
	}
	return ids
}

func init() {
	authzResolvers = append(authzResolvers, func(t testing.TB, p *testPortal, vars map[string]string) {
		ids := notifyFixture(t, p, 1)
		vars["notification"] = strconv.FormatInt(ids[0], 10)
	})
}

var bellCount = regexp.MustCompile(`<span class="bell-count"[^>]*>(\d+\+?)</span>`)

func TestNotificationsBellListAndRead(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	ids := notifyFixture(t, p, 3)
	lisa := p.client(t, "lisa@carlosco.example")

	// The bell shows the unread count on every page.
	for _, page := range []string{"/rooms/welcome", "/notifications"} {
		code, body := fetch(t, lisa, p.URL+page)
		m := bellCount.FindStringSubmatch(body)
		if code != http.StatusOK || m == nil || m[1] != "3" {
			t.Fatalf("GET %s: %d, bell %v", page, code, m)
		}
	}
	_, body := fetch(t, lisa, p.URL+"/notifications")
	for _, want := range []string{"Lead Acme Retail moved to demo 2", "From &lt;b&gt;qualified&lt;/b&gt; to demo.", `href="/notifications/` + strconv.FormatInt(ids[0], 10) + `"`, "Mark all read"} {
		if !strings.Contains(body, want) {
			t.Errorf("list lacks %q", want)
		}
	}
	// Others see no bell count of lisa's and cannot open her notification.
	carlos := p.client(t, "carlos@carlosco.example")
	if code, _ := fetch(t, carlos, p.URL+"/notifications/"+strconv.FormatInt(ids[0], 10)); code != http.StatusNotFound {
		t.Errorf("carlos opens lisa's notification: %d", code)
	}
	_, body = fetch(t, carlos, p.URL+"/notifications")
	if bellCount.MatchString(body) {
		t.Error("carlos's bell shows a count")
	}
	// Opening one marks it read and goes to its object.
	res, err := lisa.Get(p.URL + "/notifications/" + strconv.FormatInt(ids[0], 10))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/rooms/onboarding" {
		t.Errorf("open: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = fetch(t, lisa, p.URL+"/notifications")
	if m := bellCount.FindStringSubmatch(body); m == nil || m[1] != "2" {
		t.Errorf("bell after opening one: %v", m)
	}

	// The API lists and marks read with the same rules.
	get := func(c *http.Client, path string, out any) int {
		t.Helper()
		res, err := c.Get(p.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if out != nil {
			json.NewDecoder(res.Body).Decode(out)
		}
		return res.StatusCode
	}
	post := func(c *http.Client, path string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, p.URL+path, nil)
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	var page notify.Page
	if code := get(lisa, "/api/v1/notifications?perPage=2", &page); code != http.StatusOK || page.Total != 3 || page.Unread != 2 || len(page.Items) != 2 {
		t.Fatalf("api list: %d %+v", code, page)
	}
	if code := post(carlos, "/api/v1/notifications/"+strconv.FormatInt(ids[1], 10)+"/read"); code != http.StatusNotFound {
		t.Errorf("carlos marks lisa's read over the API: %d", code)
	}
	if code := post(lisa, "/api/v1/notifications/"+strconv.FormatInt(ids[1], 10)+"/read"); code != http.StatusOK {
		t.Errorf("api read: %d", code)
	}
	if code := post(lisa, "/api/v1/notifications/read-all"); code != http.StatusOK {
		t.Errorf("api read all: %d", code)
	}
	get(lisa, "/api/v1/notifications?unread=true", &page)
	if page.Unread != 0 || page.Total != 0 {
		t.Errorf("after read-all: %+v", page)
	}
	_, body = fetch(t, lisa, p.URL+"/notifications")
	if bellCount.MatchString(body) {
		t.Error("bell still counts after all read")
	}
	// Email preferences: the page's form and the API agree.
	res, err = lisa.PostForm(p.URL+"/notifications/preferences", url.Values{"email": {"now"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("save preference: %d", res.StatusCode)
	}
	if _, body := fetch(t, lisa, p.URL+"/notifications"); !strings.Contains(body, `value="now" checked`) {
		t.Error("the saved preference is not checked")
	}
	var prefs []notify.Pref
	if get(lisa, "/api/v1/notifications/preferences", &prefs); len(prefs) != 1 || prefs[0].Kind != "*" || prefs[0].Email != "now" {
		t.Errorf("api preferences: %+v", prefs)
	}
	res, err = lisa.PostForm(p.URL+"/notifications/preferences", url.Values{"email": {"hourly"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an unknown preference: %d", res.StatusCode)
	}
	// The digest: chosen with the email preference on the page (a plain
	// form, no script), read and set through the API.
	if _, body := fetch(t, lisa, p.URL+"/notifications"); !strings.Contains(body, `name="digest" value="daily" checked`) || !strings.Contains(body, "Every Monday at 07:00 (UTC)") {
		t.Error("the page does not offer the digest, daily by default, with its time")
	}
	res, err = lisa.PostForm(p.URL+"/notifications/preferences", url.Values{"email": {"digest"}, "digest": {"weekly"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("save a weekly digest: %d", res.StatusCode)
	}
	_, body = fetch(t, lisa, p.URL+"/notifications")
	for _, want := range []string{`value="digest" checked`, `name="digest" value="weekly" checked`, "your digest goes out every Monday at 07:00 (UTC)."} {
		if !strings.Contains(body, want) {
			t.Errorf("after saving a weekly digest the page lacks %q", want)
		}
	}
	var sched notify.Schedule
	if code, _ := apiCall(t, lisa, http.MethodGet, p.URL+"/api/v1/notifications/digest", nil, &sched); code != http.StatusOK || sched.Frequency != "weekly" || sched.Hour != 7 || sched.TimeZone != "UTC" || sched.Next.Weekday() != 1 {
		t.Errorf("api digest: %d %+v", code, sched)
	}
	if code, _ := apiCall(t, lisa, http.MethodPut, p.URL+"/api/v1/notifications/digest", map[string]string{"frequency": "daily"}, &sched); code != http.StatusOK || sched.Frequency != "daily" {
		t.Errorf("api set daily: %d %+v", code, sched)
	}
	if code, body := apiCall(t, lisa, http.MethodPut, p.URL+"/api/v1/notifications/digest", map[string]string{"frequency": "hourly"}, nil); code != http.StatusUnprocessableEntity || !strings.Contains(body, "frequency") {
		t.Errorf("api set hourly: %d %s", code, body)
	}
	res, err = lisa.PostForm(p.URL+"/notifications/preferences", url.Values{"email": {"digest"}, "digest": {"hourly"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an unknown digest frequency: %d", res.StatusCode)
	}
	if _, body := fetch(t, lisa, p.URL+"/notifications"); !strings.Contains(body, `name="digest" value="daily" checked`) || !strings.Contains(body, `value="digest" checked`) {
		t.Error("a refused form changed the stored choices")
	}
	// Kind by kind: new messages right away, the rest as the default; a
	// kind set back to "As above" follows the default again.
	res, err = lisa.PostForm(p.URL+"/notifications/preferences", url.Values{"email": {"never"}, "kind-message.new": {"now"},
		"kind-deal.won": {"digest"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if _, body := fetch(t, lisa, p.URL+"/notifications"); !strings.Contains(body, `<option value="now" selected>Right away</option>`) ||
		!strings.Contains(body, `A new message in one of your conversations`) {
		t.Error("the page does not show the per-kind choice")
	}
	if get(lisa, "/api/v1/notifications/preferences", &prefs); len(prefs) != 3 {
		t.Errorf("stored preferences = %+v", prefs)
	}
	res, err = lisa.PostForm(p.URL+"/notifications/preferences", url.Values{"email": {"never"}, "kind-message.new": {""}, "kind-deal.won": {"sometimes"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an unknown per-kind choice: %d", res.StatusCode)
	}
	if get(lisa, "/api/v1/notifications/preferences", &prefs); len(prefs) != 3 {
		t.Errorf("a refused form changed the preferences: %+v", prefs)
	}
	res, err = lisa.PostForm(p.URL+"/notifications/preferences", url.Values{"email": {"never"}, "kind-message.new": {""}, "kind-deal.won": {""}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if get(lisa, "/api/v1/notifications/preferences", &prefs); len(prefs) != 1 || prefs[0].Kind != "*" {
		t.Errorf("kinds set back to the default: %+v", prefs)
	}
	if code, _ := fetch(t, p.client(t, ""), p.URL+"/api/v1/notifications"); code != http.StatusUnauthorized {
		t.Errorf("anonymous api: %d", code)
	}

	// A notification the portal made (in English, by a manager) reads in
	// German for a reader of German, the page's words too; the rows
	// stored as plain text show as they were written.
	ctx := context.Background()
	s := p.services(t)
	lisaUser, err := s.dir.UserByEmail(ctx, "lisa@carlosco.example")
	if err != nil {
		t.Fatal(err)
	}
	n, _, _ := notify.Describe(notify.PipelineEvent{Kind: notify.EventLeadStatusChanged, Object: "Acme Retail", From: "qualified", To: "demo",
		PartnerLink: "/rooms/leads/items/7"})
	if err := s.notify.Notify(ctx, []int64{lisaUser.ID}, n); err != nil {
		t.Fatal(err)
	}
	_, body = fetch(t, speaking(lisa, "de-DE,de;q=0.9"), p.URL+"/notifications")
	for _, want := range []string{"Lead Acme Retail ist jetzt im Status Vorführung", "Von Qualifiziert nach Vorführung.", "Lead Acme Retail moved to demo 2",
		"Ungelesen (", "Jeden Tag um 07:00 Uhr (UTC)", "Für jede Art einzeln wählen", "Eine neue Nachricht in einer Ihrer Unterhaltungen"} {
		if !strings.Contains(body, want) {
			t.Errorf("the German page lacks %q", want)
		}
	}
	if strings.Contains(body, "moved to Demo") || strings.Contains(body, "Unread (") {
		t.Error("the German page shows English words of the portal")
	}
}

// TestNotificationsOnAPhone opens the list from the bell at 360px: the
// count shows, the list fits the screen, and opening an entry reads it.
func TestNotificationsOnAPhone(t *testing.T) {
	ctx := browser(t)
	p := startDemo(t)
	notifyFixture(t, p, 2)
	tab := newTab(t, ctx)
	browserSignIn(t, tab, p.URL, "lisa@carlosco.example")
	steps(t, tab, "open the list from the bell",
		chromedp.EmulateViewport(360, 740),
		chromedp.Navigate(p.URL+"/rooms/welcome"),
		chromedp.WaitVisible(chromedp.CSS(`header a.bell .bell-count`)),
		chromedp.Click(chromedp.CSS(`header a.bell`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.notice-list`)),
	)
	if n := eval[string](t, tab, `document.querySelector('.bell-count').textContent`); n != "2" {
		t.Errorf("bell count %q, want 2", n)
	}
	if w, c := eval[int](t, tab, `document.documentElement.scrollWidth`), eval[int](t, tab, `document.documentElement.clientWidth`); w > c {
		t.Errorf("the list is %dpx wide on a %dpx screen", w, c)
	}
	steps(t, tab, "open the newest",
		chromedp.Click(chromedp.CSS(`ul.notice-list li:first-child a`)),
		chromedp.WaitVisible(chromedp.CSS(`main[data-room="onboarding"], main`)),
		chromedp.Navigate(p.URL+"/notifications"),
		chromedp.WaitVisible(chromedp.CSS(`ul.notice-list`)),
	)
	if n := eval[string](t, tab, `document.querySelector('.bell-count').textContent`); n != "1" {
		t.Errorf("bell count after opening one %q, want 1", n)
	}
	if unread := eval[int](t, tab, `document.querySelectorAll('li.notice-unread').length`); unread != 1 {
		t.Errorf("%d unread entries, want 1", unread)
	}
}
