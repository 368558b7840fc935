package main

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// formState finds the signed state of the form that posts to action.
func formState(t *testing.T, page, action string) string {
	t.Helper()
	re := regexp.MustCompile(`action="` + regexp.QuoteMeta(action) + `"[^>]*>[\s\S]*?name="_state" value="([^"]+)"`)
	m := re.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no form posting to %s", action)
	}
	return html.UnescapeString(m[1])
}

func post(t *testing.T, c *http.Client, u string, form url.Values) (int, string, string) {
	t.Helper()
	res, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(b)
}

// TestPipelineLoop walks the daily loop over HTTP: Sarah sees her figures on
// Overview, submits a lead (a bad one first: field errors, typed values
// kept), follows it; Mike moves it from the staff side (a backwards move is
// refused with a reason); Sarah sees the new status and the history; another
// partner finds nothing of it.
func TestPipelineLoop(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	sarah := p.client(t, "sarah@northwind.example")

	code, body := fetch(t, sarah, p.URL+"/rooms/overview")
	if code != http.StatusOK || !strings.Contains(body, "Leads submitted") || !strings.Contains(body, "Globex Corporation") {
		t.Fatalf("overview: %d", code)
	}
	_, leads := fetch(t, sarah, p.URL+"/rooms/leads")
	action := "/rooms/leads/blocks/submit/actions/submit"
	state := formState(t, leads, action)
	code, _, body = post(t, sarah, p.URL+action, url.Values{"_state": {state}, "company": {"Conference Co"}, "email": {"not-an-email"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `value="Conference Co"`) || !strings.Contains(body, "enter an email address") {
		t.Fatalf("bad lead: %d", code)
	}
	code, loc, _ := post(t, sarah, p.URL+action, url.Values{"_state": {state}, "company": {"Conference Co"}, "contactName": {"Dee Lee"},
		"email": {"dee@conference.example"}, "website": {"conference.example"}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/rooms/leads/items/") {
		t.Fatalf("submit: %d %s", code, loc)
	}
	id := strings.TrimPrefix(loc, "/rooms/leads/items/")
	_, body = fetch(t, sarah, p.URL+loc)
	if !strings.Contains(body, "Conference Co") || !strings.Contains(body, "is submitted") || !strings.Contains(body, "$500") {
		t.Fatalf("tracking page lacks the lead, the confirmation or the expected commission")
	}

	mike := p.client(t, "mike@acme.example")
	staffPage := "/admin/work/leads/items/" + id
	code, body = fetch(t, mike, p.URL+staffPage)
	if code != http.StatusOK || !strings.Contains(body, "Northwind Referrals") {
		t.Fatalf("staff lead page: %d", code)
	}
	statusAction := "/admin/work/leads/blocks/item/actions/status"
	state = formState(t, body, statusAction)
	req := func(status, comment string) string {
		form := url.Values{"_state": {state}, "status": {status}, "comment": {comment}}
		r, _ := http.NewRequest(http.MethodPost, p.URL+statusAction, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Referer", p.URL+staffPage)
		res, err := mike.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if res.StatusCode == http.StatusUnprocessableEntity { // the page again, with the form's errors
			b, _ := io.ReadAll(res.Body)
			return string(b)
		}
		_, page := fetch(t, mike, p.URL+res.Header.Get("Location"))
		return page
	}
	if page := req("demo", "Demo booked for Tuesday"); !strings.Contains(page, "Moved to Demo") {
		t.Fatal("status change not confirmed")
	}
	// A refused move comes back on the lead's page with the reason beside
	// the status field and the comment as typed.
	refused := req("new", "Back to square one")
	if !strings.Contains(refused, "cannot move back from Demo to New") || !strings.Contains(refused, "Back to square one</textarea>") ||
		!regexp.MustCompile(`<p class="field-error" id="b-item-\d+-status-error">`).MatchString(refused) {
		t.Fatal("backwards move not refused with a reason beside the field")
	}
	_, body = fetch(t, sarah, p.URL+loc)
	if !strings.Contains(body, "Demo booked for Tuesday") || !strings.Contains(body, "New → Demo") {
		t.Fatal("Sarah does not see the move in the history")
	}

	// Sarah is told in the portal that her lead moved; Mike was told of the
	// new lead; nobody at Carlos & Co hears of either.
	lisa := p.client(t, "lisa@carlosco.example")
	notes := func(c *http.Client) string {
		_, body := fetch(t, c, p.URL+"/api/v1/notifications")
		return body
	}
	if n := notes(sarah); !strings.Contains(n, "Lead Conference Co moved to Demo") || !strings.Contains(n, "/rooms/leads/items/"+id) {
		t.Errorf("Sarah's notifications lack the move: %s", n)
	}
	if n := notes(mike); !strings.Contains(n, "Conference Co") || !strings.Contains(n, "/admin/work/leads/items/"+id) {
		t.Errorf("Mike's notifications lack the new lead: %s", n)
	}
	if n := notes(lisa); strings.Contains(n, "Conference Co") {
		t.Errorf("another partner was notified: %s", n)
	}

	// Carlos's people find nothing of it: not by id, not by search, not in
	// the API.
	if code, _ := fetch(t, lisa, p.URL+"/rooms/leads/items/"+id); code != http.StatusNotFound {
		t.Errorf("other partner by id: %d", code)
	}
	if _, body := fetch(t, lisa, p.URL+"/rooms/leads/items/all?q=Conference"); strings.Contains(body, "Conference Co") {
		t.Error("other partner finds the lead by search")
	}
	res, err := lisa.Get(p.URL + "/api/v1/leads?q=Conference")
	if err != nil {
		t.Fatal(err)
	}
	var page struct{ Total int }
	json.NewDecoder(res.Body).Decode(&page)
	res.Body.Close()
	if page.Total != 0 {
		t.Errorf("API search shows %d of another partner's leads", page.Total)
	}
	res, _ = lisa.Get(p.URL + "/api/v1/leads/" + id)
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("API by id: %d", res.StatusCode)
	}

	// Overview counts it.
	_, body = fetch(t, sarah, p.URL+"/rooms/overview")
	if !strings.Contains(body, "Conference Co") {
		t.Error("Overview's activity lacks the new lead")
	}
}

// TestDealsLoop: Carlos sees his five active deals worth $250,000 on the
// board; Mike approves a sub-partner's pending registration and pays a
// commission from the staff side; Carlos's people never see another
// partner's deal.
func TestDealsLoop(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	carlos := p.client(t, "carlos@carlosco.example")
	code, body := fetch(t, carlos, p.URL+"/rooms/deals")
	if code != http.StatusOK || !strings.Contains(body, "Hooli cloud migration") || !strings.Contains(body, "$80,000") {
		t.Fatalf("deals room: %d", code)
	}
	res, err := carlos.Get(p.URL + "/api/v1/deals?open=true")
	if err != nil {
		t.Fatal(err)
	}
	var open struct {
		Total int
		Items []struct {
			Value struct{ Amount int64 }
			Stage string
		}
	}
	json.NewDecoder(res.Body).Decode(&open)
	res.Body.Close()
	var sum int64
	negotiation := 0
	for _, d := range open.Items {
		sum += d.Value.Amount
		if d.Stage == "negotiation" {
			negotiation++
		}
	}
	if open.Total != 5 || sum != 250_000_00 || negotiation != 1 {
		t.Errorf("Carlos's open deals: %d worth %d minor units, %d in negotiation", open.Total, sum, negotiation)
	}

	mike := p.client(t, "mike@acme.example")
	_, body = fetch(t, mike, p.URL+"/admin/work/overview")
	m := regexp.MustCompile(`href="(/admin/work/deals/items/\d+)"`).FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, "To approve") {
		t.Fatal("Mike's queue lacks the pending registration")
	}
	dealPage := m[1]
	_, body = fetch(t, mike, p.URL+dealPage)
	approve := "/admin/work/deals/blocks/item/actions/approve"
	code, loc, _ := post(t, mike, p.URL+approve, url.Values{"_state": {formState(t, body, approve)}})
	if code != http.StatusSeeOther || loc != dealPage {
		t.Fatalf("approve: %d %s", code, loc)
	}
	if _, body = fetch(t, mike, p.URL+dealPage); !strings.Contains(body, "Registration approved") || !strings.Contains(body, "Protected until") {
		t.Error("approval not shown")
	}
	// The registration belongs to a sub-partner of XYZ: Carlos's people do
	// not see it.
	id := dealPage[strings.LastIndex(dealPage, "/")+1:]
	if code, _ := fetch(t, carlos, p.URL+"/rooms/deals/items/"+id); code != http.StatusNotFound {
		t.Errorf("Carlos opens another partner's deal: %d", code)
	}
}
