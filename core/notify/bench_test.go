package notify_test

import (
	"context"
	"testing"

	"github.com/atriumhq/atrium/core/notify"
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
