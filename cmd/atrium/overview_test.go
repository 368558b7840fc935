package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/room"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
)

// TestOverviewSinceLastVisit: the first visit shows the plain recent list;
// after a break, what changed since the last visit comes first, marked new,
// under its own heading, and a reload within the visit keeps it there.
func TestOverviewSinceLastVisit(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	ctx := context.Background()
	s := p.services(t)
	sarah := p.client(t, "sarah@northwind.example")
	code, body := fetch(t, sarah, p.URL+"/rooms/overview")
	if code != http.StatusOK || !strings.Contains(body, "Recent activity") || strings.Contains(body, "Since your last visit") {
		t.Fatalf("first visit: %d, want the plain feed", code)
	}
	id := userID(t, s.db, "sarah@northwind.example")
	// Sarah left two hours ago; since then a lead of hers was submitted.
	if _, err := s.db.NewRaw("UPDATE overview_visits SET seen_at = ? WHERE user_id = ?", time.Now().UTC().Add(-2*time.Hour), id).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	u, err := s.dir.User(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	pt, err := s.dir.Partner(ctx, *u.PartnerID)
	if err != nil {
		t.Fatal(err)
	}
	v := u.Viewer(&pt)
	if _, err := s.pipe.SubmitLead(ctx, v, sp.LeadInput{Company: "Fresh Prospect Ltd", ContactName: "Ada", Email: "ada@freshprospect.example"}); err != nil {
		t.Fatal(err)
	}
	for _, visit := range []string{"after the break", "a reload"} {
		_, body = fetch(t, sarah, p.URL+"/rooms/overview")
		since, earlier := strings.Index(body, "Since your last visit"), strings.Index(body, "Earlier")
		fresh := strings.Index(body, "Fresh Prospect Ltd")
		if since < 0 || fresh < since || earlier >= 0 && fresh > earlier || !strings.Contains(body[since:], ">New<") {
			t.Fatalf("%s: the new lead is not first under \"Since your last visit\", marked new", visit)
		}
	}
	// Mike's own visits are his: his first Overview has no previous visit.
	mike := p.client(t, "mike@acme.example")
	if _, body := fetch(t, mike, p.URL+"/admin/work/overview"); strings.Contains(body, "Since your last visit") {
		t.Fatal("Mike's first visit shows Sarah's last visit")
	}
}

// TestGoalReachedOnce: a reached goal is recorded as the partner's
// goal_complete action exactly once per goal and period, however many of
// the partner's people look how often; a goal not reached is not; tasks
// completed count towards a goal.
func TestGoalReachedOnce(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	ctx := context.Background()
	s := p.services(t)
	cfg, _ := json.Marshal(map[string]any{"title": "Our goals", "goals": []map[string]any{
		{"id": "tasks", "title": "Checklist tasks done", "metric": "tasks_completed", "target": 1, "period": "month"},
		{"title": "Webinars hosted", "metric": "manual", "target": 3, "value": 3, "period": "year"},
		{"title": "A mountain of leads", "metric": "leads_submitted", "target": 100000, "period": "year"},
	}})
	r := room.Room{Slug: "targets", Title: "Targets", PartnerTypes: []string{"reseller"}, Position: 60,
		Blocks: []room.Block{{ID: "goals", Type: "goals", Config: cfg}}}
	if _, err := s.rooms.Apply(ctx, []room.Room{r}, room.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	lisa := userID(t, s.db, "lisa@carlosco.example")
	var partner int64
	if err := s.db.NewRaw("SELECT partner_id FROM users WHERE id = ?", lisa).Scan(ctx, &partner); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.NewRaw(`INSERT INTO task_completions (partner_id, user_id, block_key, task_id, completed_by, completed_at) VALUES (?, ?, 'onboarding', 'profile', ?, ?)`,
		partner, lisa, lisa, time.Now().UTC()).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	var body string
	for _, who := range []string{"lisa@carlosco.example", "carlos@carlosco.example"} {
		c := p.client(t, who)
		deadline := time.Now().Add(10 * time.Second)
		for code := 0; code != http.StatusOK && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			code, body = fetch(t, c, p.URL+"/rooms/targets") // the catalog picks the room up within a poll
		}
		fetch(t, c, p.URL+"/rooms/targets")
	}
	if !strings.Contains(body, "1 of 1 · reached") || !strings.Contains(body, "3 of 3 · reached") {
		t.Fatalf("goals not shown reached:\n%s", body)
	}
	// Staff looking at the partner's room (a preview) claim nothing.
	admin := p.client(t, "admin@acme.example")
	fetch(t, admin, p.URL+"/admin/rooms/targets/preview?partner=carlos-co")

	db := portalDB(t, p)
	if n := waitEvents(t, db, "name = 'goal_complete' AND block_id = 'goals' AND room_slug = 'targets'"); n == 0 {
		t.Fatal("no goal_complete recorded")
	}
	// Events are written in order: once a later page view is in, every
	// goal_complete before it is too.
	fetch(t, p.client(t, "lisa@carlosco.example"), p.URL+"/rooms/overview")
	waitEvents(t, db, "user_id = ? AND kind = ? AND room_slug = 'overview'", lisa, "page_view")
	var metas []string
	if err := db.NewRaw("SELECT meta FROM engagement_events WHERE name = 'goal_complete' AND room_slug = 'targets' ORDER BY id").Scan(ctx, &metas); err != nil {
		t.Fatal(err)
	}
	if len(metas) != 2 || !strings.Contains(strings.Join(metas, " "), `"goal":"tasks"`) || !strings.Contains(strings.Join(metas, " "), `"goal":"Webinars hosted"`) {
		t.Fatalf("goal_complete events %v, want one for each reached goal", metas)
	}
}

// TestOverviewNextStepsForThePersonas: each demo partner's Overview shows,
// right after its figures, the next steps of its own records; a
// distributor does not see its sub-partners' and staff see none.
func TestOverviewNextStepsForThePersonas(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	section := func(body, block string) string {
		i := strings.Index(body, `data-block-type="`+block+`"`)
		if i < 0 {
			return ""
		}
		j := strings.Index(body[i:], "</section>")
		return body[i : i+j]
	}
	for _, tc := range []struct {
		email   string
		want    []string // in this order
		notWant []string
	}{
		{"carlos@carlosco.example", []string{"Next steps", "Soylent analytics was expected to close", "Wonka supply chain is expected to close"},
			[]string{"Gringotts", "Insurance certificate", "Nothing needs you"}},
		{"jennifer@abccorp.example", []string{"late task in Riverside Health rollout", "Gringotts security review is expected to close"}, []string{"Soylent", "Wonka"}},
		{"hank@harborit.example", []string{"Insurance certificate expires on"}, []string{"Soylent"}},
		{"dana@xyzdist.example", []string{"Nothing needs you right now", "Register a deal"}, []string{"Insurance certificate", "Pied Piper"}},
		{"sarah@northwind.example", []string{"Next steps"}, []string{"Soylent", "Wonka", "Gringotts", "Insurance"}},
	} {
		t.Run(tc.email, func(t *testing.T) {
			code, body := fetch(t, p.client(t, tc.email), p.URL+"/rooms/overview")
			if code != http.StatusOK {
				t.Fatalf("overview: %d", code)
			}
			// The figures come first, the next steps right after them.
			if m, n := strings.Index(body, `data-block-type="pipeline-metrics"`), strings.Index(body, `data-block-type="next-steps"`); m < 0 || n < m ||
				strings.Count(body[m:n], "data-block-type=") != 1 {
				t.Fatalf("next steps are not right after the figures")
			}
			got, at := section(body, "next-steps"), 0
			for _, w := range tc.want {
				i := strings.Index(got[at:], w)
				if i < 0 {
					t.Fatalf("want %q after position %d in %s", w, at, got)
				}
				at += i
			}
			for _, w := range tc.notWant {
				if strings.Contains(got, w) {
					t.Errorf("did not want %q in %s", w, got)
				}
			}
		})
	}
	_, body := fetch(t, p.client(t, "mike@acme.example"), p.URL+"/admin/work/overview")
	if strings.Contains(body, "Next steps") || !strings.Contains(body, "Waiting for you") {
		t.Error("staff see next steps, or miss their queue")
	}
}
