package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

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
	p := startDemo(t)
	admin := p.client(t, "admin@acme.example")
	st, body := fetch(t, admin, p.URL+"/admin/dashboard")
	if st != http.StatusOK {
		t.Fatalf("dashboard: %d\n%s", st, body)
	}
	t.Log(len(body))
	for _, want := range []string{"Unique users", "Partner leaderboard", "Partners at risk", "Reset all filters"} {
		if !strings.Contains(body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
}
