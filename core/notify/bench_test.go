package notify_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/i18n"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/core/notify/notifytest"
	"github.com/atriumhq/atrium/core/store/storetest"
)

// BenchmarkUnread measures the bell's count, drawn on every page, against
// the cheapest query the database answers (the baseline): lisa has 200
// unread among 20,000 notifications of 100 people.
func BenchmarkUnread(b *testing.B) {
	db := storetest.Open(b)
	ctx := context.Background()
	var users []int64
	for i := range 100 {
		var id int64
		err := db.NewRaw("INSERT INTO users (email, name, role, contact_role, title, phone, photo_url, password_hash, active, created_at, updated_at) "+
			"VALUES (?, 'U', 'partner_user', '', '', '', '', '', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id",
			"u"+string(rune('a'+i%26))+string(rune('a'+i/26))+"@example.com").Scan(ctx, &id)
		if err != nil {
			b.Fatal(err)
		}
		users = append(users, id)
	}
	svc := notify.New(db)
	for range 200 {
		if err := svc.Notify(ctx, users, notify.Notification{Kind: "k", Title: "t"}); err != nil {
			b.Fatal(err)
		}
	}
	for _, u := range users[1:] {
		if _, err := svc.MarkAllRead(ctx, u); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("baseline-select-1", func(b *testing.B) {
		for b.Loop() {
			var n int
			if err := db.NewRaw("SELECT 1").Scan(ctx, &n); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("unread", func(b *testing.B) {
		for b.Loop() {
			if n, err := svc.Unread(ctx, users[0]); err != nil || n != 200 {
				b.Fatal(n, err)
			}
		}
	})
}

// BenchmarkDigests measures the digest job with 200 people who want a daily
// digest: a round that mails each of them ten notifications over a real
// SMTP conversation (per round, so ns/op is 200 digests), and the tick that
// finds them all served, which every portal process pays every few minutes.
func BenchmarkDigests(b *testing.B) {
	db := storetest.Open(b)
	ctx := context.Background()
	_, addr := notifytest.StartSMTP(b)
	var users []int64
	for i := range 200 {
		var id int64
		err := db.NewRaw("INSERT INTO users (email, name, role, contact_role, title, phone, photo_url, password_hash, active, created_at, updated_at) "+
			"VALUES (?, 'U', 'partner_user', '', '', '', '', '', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id",
			fmt.Sprintf("u%d@example.com", i)).Scan(ctx, &id)
		if err != nil {
			b.Fatal(err)
		}
		users = append(users, id)
	}
	c := &clock{}
	svc := digestService(db, addr, c)
	for _, u := range users {
		if err := svc.SetPref(ctx, u, "*", notify.EmailDigest); err != nil {
			b.Fatal(err)
		}
	}
	day := 0
	round := func(b *testing.B) time.Time {
		b.Helper()
		b.StopTimer()
		at := monday(6, 0).AddDate(0, 0, day)
		day++
		c.set(at)
		for i := range 10 {
			if err := svc.Notify(ctx, users, notify.Notification{Kind: "k", Title: fmt.Sprintf("News %d", i), Link: "/rooms/leads/items/1"}); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		now := at.Add(65 * time.Minute)
		if n, err := svc.SendDigests(ctx, now); err != nil || n != len(users) {
			b.Fatalf("sent %d of %d: %v", n, len(users), err)
		}
		return now
	}
	b.Run("round-200-people", func(b *testing.B) {
		for range b.N {
			round(b)
		}
	})
	b.Run("tick-all-served", func(b *testing.B) {
		now := round(b)
		b.ResetTimer()
		for range b.N {
			if n, err := svc.SendDigests(ctx, now); err != nil || n != 0 {
				b.Fatal(n, err)
			}
		}
	})
}

// BenchmarkListWorded measures a page of the notifications list (20 of
// 200) with notifications stored as plain text against the same page of
// notifications made from the catalogue, read (keyed-unworded) and worded
// in German: the price of keeping and wording messages per reader.
func BenchmarkListWorded(b *testing.B) {
	db := storetest.Open(b)
	ctx := context.Background()
	var plain, worded int64
	for i, email := range []string{"plain@example.com", "worded@example.com"} {
		var id int64
		if err := db.NewRaw("INSERT INTO users (email, name, role, contact_role, title, phone, photo_url, password_hash, active, created_at, updated_at) "+
			"VALUES (?, 'U', 'partner_user', '', '', '', '', '', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id", email).Scan(ctx, &id); err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			plain = id
		} else {
			worded = id
		}
	}
	svc := notify.New(db)
	for i := range 200 {
		ev := notify.PipelineEvent{Kind: notify.EventLeadStatusChanged, Object: fmt.Sprintf("Acme %d", i), From: "qualified", To: "demo"}
		n, _, _ := notify.Describe(ev)
		if err := svc.Notify(ctx, []int64{worded}, n); err != nil {
			b.Fatal(err)
		}
		if err := svc.Notify(ctx, []int64{plain}, notify.Notification{Kind: n.Kind, Title: fmt.Sprintf("Lead Acme %d moved to Demo", i),
			Body: "From Qualified to Demo."}); err != nil {
			b.Fatal(err)
		}
	}
	de := i18n.Locale("de")
	for _, tc := range []struct {
		name string
		user int64
		word bool
	}{{"plain", plain, true}, {"keyed-unworded", worded, false}, {"worded", worded, true}} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				page, err := svc.List(ctx, tc.user, notify.ListOptions{})
				if err != nil || len(page.Items) != 20 {
					b.Fatal(len(page.Items), err)
				}
				if !tc.word {
					continue
				}
				for i, it := range page.Items {
					page.Items[i] = it.In(de)
				}
			}
		})
	}
}
