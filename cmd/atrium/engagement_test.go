package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/chart"
	"github.com/atriumhq/atrium/core/engagement"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/store"
	"github.com/uptrace/bun"
)

// portalDB opens the test portal's database beside it.
func portalDB(t testing.TB, p *testPortal) *bun.DB {
	t.Helper()
	db, err := store.Open(context.Background(), p.g.store())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// waitEvents waits until the recorder has written events matching where.
func waitEvents(t testing.TB, db *bun.DB, where string, args ...any) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := db.NewSelect().Table("engagement_events").Where(where, args...).Count(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 || time.Now().After(deadline) {
			return int(n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestTrackingRecordsPageViews(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	db := portalDB(t, p)
	lisa := p.client(t, "lisa@carlosco.example")
	if st, _ := fetch(t, lisa, p.URL+"/rooms/training"); st != http.StatusOK {
		t.Fatalf("training room: %d", st)
	}
	var lisaID int64
	if err := db.NewSelect().Table("users").Column("id").Where("email = ?", "lisa@carlosco.example").Scan(context.Background(), &lisaID); err != nil {
		t.Fatal(err)
	}
	if n := waitEvents(t, db, "user_id = ? AND kind = 'page_view' AND name = 'room' AND path = '/rooms/training'", lisaID); n != 1 {
		t.Fatalf("room views recorded for lisa: %d, want 1", n)
	}

	// A staff preview is not a partner's visit.
	admin := p.client(t, "admin@acme.example")
	if st, _ := fetch(t, admin, p.URL+"/admin/rooms/training/preview"); st != http.StatusOK {
		t.Fatalf("preview: %d", st)
	}
	time.Sleep(1500 * time.Millisecond) // past a flush
	if n, _ := db.NewSelect().Table("engagement_events").Where("partner_id IS NULL OR partner_id = 0").Count(context.Background()); n != 0 {
		t.Fatalf("staff preview recorded %d events", n)
	}
}

func TestDashboardPage(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	admin := p.client(t, "admin@acme.example")
	st, body := fetch(t, admin, p.URL+"/admin/dashboard")
	if st != http.StatusOK {
		t.Fatalf("dashboard: %d\n%s", st, body)
	}
	// The partner-type chips are links: the chosen one is current, and no
	// link claims to be a pressed button (axe-core: aria-allowed-attr).
	if strings.Contains(body, "aria-pressed") {
		t.Error("a link of the dashboard carries aria-pressed")
	}
	_, typed := fetch(t, admin, p.URL+"/admin/dashboard?type=reseller")
	if !regexp.MustCompile(`<a class="chip chip-active" href="[^"]*" aria-current="true">Reseller`).MatchString(typed) {
		t.Error("the chosen partner type is not marked current")
	}
	for _, want := range []string{"Unique users", "Partner leaderboard", "Partners at risk", "Reset all filters"} {
		if !strings.Contains(body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	// The top resources are named from the library and link to their page.
	db := portalDB(t, p)
	var id int64
	var title string
	if err := db.QueryRowContext(context.Background(), `SELECT id, title FROM resources ORDER BY id LIMIT 1`).Scan(&id, &title); err != nil {
		t.Fatal(err)
	}
	_, body = fetch(t, admin, p.URL+"/admin/dashboard?range=this-year&tab=resource")
	if strings.Contains(body, "Resource #") || !strings.Contains(body, `<a href="/admin/library/`) {
		t.Errorf("top resources are not named from the library:\n%s", body)
	}
	var top []struct {
		ID    int64
		Label string
	}
	if st := getJSON(t, admin, p.URL+"/api/v1/analytics/content?range=this-year&kind=resource&limit=500", &top); st != http.StatusOK || len(top) == 0 {
		t.Fatalf("top resources: %d, %v", st, top)
	}
	for _, r := range top {
		if r.Label == "" {
			t.Errorf("resource %d has no title", r.ID)
		}
		if r.ID == id && r.Label != title {
			t.Errorf("resource %d is named %q, want %q", id, r.Label, title)
		}
	}
}

// userID looks a user up by email.
func userID(t testing.TB, db *bun.DB, email string) int64 {
	t.Helper()
	var id int64
	if err := db.NewSelect().Table("users").Column("id").Where("email = ?", email).Scan(context.Background(), &id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestBeacon(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	db := portalDB(t, p)
	lisa := p.client(t, "lisa@carlosco.example")
	_, page := fetch(t, lisa, p.URL+"/rooms/training")
	m := regexp.MustCompile(`data-block-id="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("training room has no blocks")
	}
	block := m[1]
	post := func(body string, header map[string]string) int {
		req, _ := http.NewRequest(http.MethodPost, p.URL+"/track", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range header {
			req.Header.Set(k, v)
		}
		res, err := lisa.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	ok := `[{"room":"training","block":"` + block + `","name":"video_play","path":"/rooms/training","meta":{"provider":"youtube"}}]`
	many := "[" + strings.TrimSuffix(strings.Repeat(`{"room":"training","block":"`+block+`","name":"link_click"},`, 51), ",") + "]"
	for _, c := range []struct {
		name   string
		body   string
		header map[string]string
		want   int
	}{
		{"a block the viewer sees", ok, nil, http.StatusNoContent},
		{"a block that is not there", `[{"room":"training","block":"nope","name":"video_play"}]`, nil, http.StatusNotFound},
		{"a room the viewer does not see", `[{"room":"no-such-room","block":"` + block + `","name":"video_play"}]`, nil, http.StatusNotFound},
		{"another user", `[{"room":"training","block":"` + block + `","name":"video_play","user":1}]`, nil, http.StatusBadRequest},
		{"a page view", `[{"room":"training","block":"` + block + `","name":"room"}]`, nil, http.StatusBadRequest},
		{"too many", many, nil, http.StatusRequestEntityTooLarge},
		{"from another site", ok, map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"a form post", ok, map[string]string{"Content-Type": "text/plain"}, http.StatusUnsupportedMediaType},
	} {
		if got := post(c.body, c.header); got != c.want {
			t.Errorf("%s: status %d, want %d", c.name, got, c.want)
		}
	}
	lisaID := userID(t, db, "lisa@carlosco.example")
	if n := waitEvents(t, db, "user_id = ? AND name = 'video_play' AND block_id = ? AND path = '/rooms/training'", lisaID, block); n != 1 {
		t.Fatalf("beacon events recorded: %d, want 1", n)
	}

	anon := p.client(t, "")
	req, _ := http.NewRequest(http.MethodPost, p.URL+"/track", strings.NewReader(ok))
	req.Header.Set("Content-Type", "application/json")
	res, err := anon.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("anonymous beacon: %d", res.StatusCode)
	}
}

func getJSON(t testing.TB, c *http.Client, u string, v any) int {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode == http.StatusOK {
		if err := json.NewDecoder(res.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	return res.StatusCode
}

// TestAnalyticsAgreeAndScope checks the API and the dashboard show the
// engagement queries' numbers, that managers see only their partners, and
// that partners see none of it.
func TestAnalyticsAgreeAndScope(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	db := portalDB(t, p)
	ctx := context.Background()
	reports := engagement.NewReports(db, engagement.ReportOptions{})
	from, to := engagement.ThisYear.Range(time.Now().UTC())
	want, err := reports.KPIs(ctx, engagement.Filter{From: from, To: to, Scope: reach.Everyone()})
	if err != nil {
		t.Fatal(err)
	}
	if want.Sessions.Value == 0 {
		t.Fatal("the demo has no history this year")
	}
	admin := p.client(t, "admin@acme.example")
	var kpis struct {
		Sessions, PageViews, UniqueUsers struct{ Value float64 }
	}
	if st := getJSON(t, admin, p.URL+"/api/v1/analytics/kpis?range=this-year", &kpis); st != http.StatusOK {
		t.Fatalf("kpis: %d", st)
	}
	if int64(kpis.Sessions.Value) != want.Sessions.Value || int64(kpis.PageViews.Value) != want.PageViews.Value || int64(kpis.UniqueUsers.Value) != want.UniqueUsers.Value {
		t.Fatalf("API KPIs %+v, engagement %+v", kpis, want)
	}
	_, page := fetch(t, admin, p.URL+"/admin/dashboard?range=this-year")
	if !strings.Contains(page, chart.Number(float64(want.Sessions.Value))) || !strings.Contains(page, chart.Number(float64(want.PageViews.Value))) {
		t.Fatalf("dashboard does not show %d sessions and %d page views", want.Sessions.Value, want.PageViews.Value)
	}

	type board struct {
		Partners []struct {
			PartnerID int64
			Name      string
		}
		Total int
	}
	managed := func(email string) map[int64]bool {
		id := userID(t, db, email)
		var ids []int64
		if err := db.NewSelect().Table("partners").Column("id").Where("manager_id = ?", id).Scan(ctx, &ids); err != nil {
			t.Fatal(err)
		}
		out := map[int64]bool{}
		for _, x := range ids {
			out[x] = true
		}
		return out
	}
	for _, email := range []string{"mike@acme.example"} {
		mine := managed(email)
		c := p.client(t, email)
		var b board
		if st := getJSON(t, c, p.URL+"/api/v1/analytics/leaderboard?range=this-year&perPage=500", &b); st != http.StatusOK {
			t.Fatalf("%s leaderboard: %d", email, st)
		}
		for _, row := range b.Partners {
			if !mine[row.PartnerID] {
				t.Errorf("%s sees %s, a partner they do not manage", email, row.Name)
			}
		}
		// Naming a partner they do not manage does not widen the scope.
		var all board
		getJSON(t, admin, p.URL+"/api/v1/analytics/leaderboard?range=this-year&perPage=500", &all)
		for _, row := range all.Partners {
			if !mine[row.PartnerID] {
				var picked board
				getJSON(t, c, fmt.Sprintf("%s/api/v1/analytics/leaderboard?range=this-year&partner=%d", p.URL, row.PartnerID), &picked)
				if picked.Total != 0 {
					t.Errorf("%s picked %s and saw it", email, row.Name)
				}
				_, csv := fetch(t, c, fmt.Sprintf("%s/admin/dashboard/export/leaderboard?range=this-year&partner=%d", p.URL, row.PartnerID))
				if strings.Contains(csv, row.Name) {
					t.Errorf("%s exported %s", email, row.Name)
				}
				break
			}
		}
	}

	// CSV exports carry the filters and the same rows.
	res, err := admin.Get(p.URL + "/admin/dashboard/export/leaderboard?range=this-year&type=referral")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.HasPrefix(string(body), "rank,partner_id,partner,type") {
		t.Fatalf("leaderboard CSV: %s\n%s", ct, body)
	}
	// A download named for the dashboard, the table and the range's days.
	yearStart := time.Date(time.Now().Year(), 1, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly) // the demo reports in UTC
	if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="engagement-leaderboard-`+yearStart+`-to-`) || !strings.HasSuffix(cd, `.csv"`) {
		t.Errorf("leaderboard CSV is sent as %q", cd)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(body)), "\n")[1:] {
		if f := strings.Split(line, ","); len(f) > 3 && f[3] != "referral" && f[3] != "" {
			t.Errorf("type filter lost in CSV: %s", line)
		}
	}
	for _, table := range []string{"kpis", "timeline", "resources", "rooms", "at-risk",
		"revenue-kpis", "revenue-timeline", "revenue-stages", "revenue-funnel", "revenue-partners", "revenue-commissions"} {
		st, csv := fetch(t, admin, p.URL+"/admin/dashboard/export/"+table+"?range=last-year")
		if head, _, _ := strings.Cut(csv, "\n"); st != http.StatusOK || !strings.Contains(head, ",") {
			t.Errorf("export %s: %d %q", table, st, head)
		}
	}
	for _, table := range []string{"nope", "revenue-nope", "revenue-", "revenue-revenue-kpis"} {
		if st, _ := fetch(t, admin, p.URL+"/admin/dashboard/export/"+table); st != http.StatusNotFound {
			t.Errorf("export %s: %d, want 404", table, st)
		}
	}

	lisa := p.client(t, "lisa@carlosco.example")
	if st, _ := fetch(t, lisa, p.URL+"/api/v1/analytics/kpis"); st != http.StatusForbidden && st != http.StatusNotFound {
		t.Errorf("partner reads analytics: %d", st)
	}
	if st, _ := fetch(t, lisa, p.URL+"/admin/dashboard"); st != http.StatusForbidden && st != http.StatusNotFound {
		t.Errorf("partner opens the dashboard: %d", st)
	}
}

func TestDemoEventsCommand(t *testing.T) {
	t.Parallel()
	db := dbFlags(t)
	code, out, errOut := cli(t, db, "", "demo", "events", "--partners", "20", "--users", "60", "--events", "5000", "--months", "3")
	if code != 0 {
		t.Fatalf("demo events: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "wrote 5,000 events") || !strings.Contains(errOut, "100%") {
		t.Fatalf("demo events: stdout %q, stderr %q", out, errOut)
	}
	// Without --partners it needs the portal's own partners first.
	if code, _, errOut := cli(t, dbFlags(t), "", "demo", "events", "--events", "100"); code == 0 || !strings.Contains(errOut, "seed the demo first") {
		t.Fatalf("demo events on an empty portal: exit %d: %s", code, errOut)
	}
}
