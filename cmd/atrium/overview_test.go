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
