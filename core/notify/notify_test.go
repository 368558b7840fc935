package notify_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/core/notify/notifytest"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	"github.com/emersion/go-smtp"
	"github.com/uptrace/bun"
)

// world is a manager, a partner with two users, and another partner's user.
type world struct {
	dir                          *directory.Directory
	partner                      directory.Partner
	mike, sarah, lisa, gone, tom directory.User
}

func seed(t *testing.T, db *bun.DB) world {
	t.Helper()
	ctx := context.Background()
	d := directory.New(db)
	must := func(u directory.User, err error) directory.User {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	w := world{dir: d}
	w.mike = must(d.CreateUser(ctx, directory.UserInput{Email: "mike@acme.example", Name: "Mike Chen", Role: sdk.RoleManager}))
	p, err := d.CreatePartner(ctx, directory.PartnerInput{Name: "Carlos & Co", Type: "reseller", Tier: "gold", Stage: "active", ManagerID: &w.mike.ID})
	if err != nil {
		t.Fatal(err)
	}
	other, err := d.CreatePartner(ctx, directory.PartnerInput{Name: "Bluebird", Type: "referral", Tier: "bronze", Stage: "active"})
	if err != nil {
		t.Fatal(err)
	}
	w.partner = p
	w.sarah = must(d.CreateUser(ctx, directory.UserInput{Email: "carlos@carlosco.example", Name: "Carlos Rivera", Role: sdk.RolePartnerAdmin, PartnerID: &p.ID}))
	w.lisa = must(d.CreateUser(ctx, directory.UserInput{Email: "lisa@carlosco.example", Name: "Lisa Park", Role: sdk.RolePartnerUser, PartnerID: &p.ID}))
	w.gone = must(d.CreateUser(ctx, directory.UserInput{Email: "gone@carlosco.example", Name: "Gone", Role: sdk.RolePartnerUser, PartnerID: &p.ID}))
	if err := d.SetActive(ctx, w.gone.ID, false); err != nil {
		t.Fatal(err)
	}
	w.tom = must(d.CreateUser(ctx, directory.UserInput{Email: "tom@bluebird.example", Name: "Tom", Role: sdk.RolePartnerUser, PartnerID: &other.ID}))
	return w
}

func TestNotifyListReadAndCount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := seed(t, db)
		svc := notify.New(db)
		for i := range 25 {
			n := notify.Notification{Kind: "lead.status_changed", Title: "Lead moved " + string(rune('A'+i)), Link: "/rooms/leads/items/1"}
			// Duplicates and zeros in the recipient list are ignored.
			if err := svc.Notify(ctx, []int64{w.lisa.ID, 0, w.lisa.ID, w.sarah.ID}, n); err != nil {
				t.Fatal(err)
			}
		}
		if n, _ := svc.Unread(ctx, w.lisa.ID); n != 25 {
			t.Fatalf("unread = %d, want 25", n)
		}
		page, err := svc.List(ctx, w.lisa.ID, notify.ListOptions{PerPage: 10, Page: 3})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 25 || len(page.Items) != 5 || page.Pages() != 3 || page.Unread != 25 {
			t.Fatalf("page 3 = total %d, items %d, pages %d, unread %d", page.Total, len(page.Items), page.Pages(), page.Unread)
		}
		if got := page.Items[0].Title; got != "Lead moved E" {
			t.Errorf("page 3 starts with %q, want the fifth oldest (newest first)", got)
		}
		first := page.Items[0]
		// Another user cannot read or mark someone else's notification.
		if _, err := svc.MarkRead(ctx, w.tom.ID, first.ID); fail.CodeOf(err) != fail.NotFound {
			t.Errorf("tom marks lisa's notification: err = %v, want not found", err)
		}
		it, err := svc.MarkRead(ctx, w.lisa.ID, first.ID)
		if err != nil || !it.Read() {
			t.Fatalf("mark read: %+v, %v", it, err)
		}
		if _, err := svc.MarkRead(ctx, w.lisa.ID, first.ID); err != nil {
			t.Errorf("marking twice: %v", err)
		}
		if n, _ := svc.Unread(ctx, w.lisa.ID); n != 24 {
			t.Errorf("unread after one = %d, want 24", n)
		}
		unread, _ := svc.List(ctx, w.lisa.ID, notify.ListOptions{UnreadOnly: true, PerPage: 100})
		if unread.Total != 24 {
			t.Errorf("unread list total = %d", unread.Total)
		}
		if n, err := svc.MarkAllRead(ctx, w.lisa.ID); err != nil || n != 24 {
			t.Errorf("mark all = %d, %v", n, err)
		}
		if n, _ := svc.Unread(ctx, w.lisa.ID); n != 0 {
			t.Errorf("unread after all = %d", n)
		}
		if n, _ := svc.Unread(ctx, w.sarah.ID); n != 25 {
			t.Errorf("carlos's unread = %d, want 25 (lisa's reads are hers)", n)
		}
	})
}

func TestNotificationValidation(t *testing.T) {
	db := storetest.Open(t)
	w := seed(t, db)
	svc := notify.New(db)
	for _, tc := range []struct {
		name  string
		n     notify.Notification
		field string
	}{
		{"no kind", notify.Notification{Title: "x"}, "kind"},
		{"no title", notify.Notification{Kind: "k"}, "title"},
		{"long title", notify.Notification{Kind: "k", Title: strings.Repeat("x", 201)}, "title"},
		{"outside link", notify.Notification{Kind: "k", Title: "x", Link: "https://evil.example/"}, "link"},
		{"protocol-relative link", notify.Notification{Kind: "k", Title: "x", Link: "//evil.example/"}, "link"},
		{"script link", notify.Notification{Kind: "k", Title: "x", Link: "javascript:alert(1)"}, "link"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := svc.Notify(context.Background(), []int64{w.lisa.ID}, tc.n)
			if e := fail.As(err); e.Code != fail.Invalid || e.Fields[tc.field] == "" {
				t.Errorf("err = %v, want a problem with %s", err, tc.field)
			}
		})
	}
}

func TestRecipients(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := seed(t, db)
		r := notify.NewRecipients(w.dir)
		users, err := r.PartnerUsers(ctx, w.partner.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(users) != 2 || !contains(users, w.sarah.ID) || !contains(users, w.lisa.ID) {
			t.Errorf("partner users = %v, want carlos and lisa (not the deactivated one)", users)
		}
		mgr, err := r.PartnerManager(ctx, w.partner.ID)
		if err != nil || len(mgr) != 1 || mgr[0] != w.mike.ID {
			t.Errorf("manager = %v, %v", mgr, err)
		}
	})
}

func contains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func TestPipelineEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := seed(t, db)
		svc := notify.New(db)
		pn := notify.NewPipelineNotifier(svc, notify.NewRecipients(w.dir))
		for _, tc := range []struct {
			ev        notify.PipelineEvent
			title     string
			to, notTo []int64
			link      string
		}{
			{notify.PipelineEvent{Kind: notify.EventLeadStatusChanged, Object: "Acme Retail", From: "qualified", To: "demo", PartnerLink: "/rooms/leads/items/7", StaffLink: "/admin/leads/7", ActorID: w.mike.ID},
				"Lead Acme Retail moved to Demo", []int64{w.sarah.ID, w.lisa.ID}, []int64{w.mike.ID, w.tom.ID}, "/rooms/leads/items/7"},
			{notify.PipelineEvent{Kind: notify.EventDealWon, Object: "Globex", Amount: "$48,000", PartnerLink: "/rooms/deals/items/3"},
				"Deal Globex won", []int64{w.sarah.ID, w.lisa.ID}, []int64{w.mike.ID}, "/rooms/deals/items/3"},
			{notify.PipelineEvent{Kind: notify.EventCommissionPaid, Object: "Globex", Amount: "$4,800", PartnerLink: "/rooms/deals/items/3"},
				"Commission paid: $4,800", []int64{w.sarah.ID}, nil, "/rooms/deals/items/3"},
			{notify.PipelineEvent{Kind: notify.EventRegistrationRejected, Object: "Initech", Reason: "already registered", PartnerLink: "/rooms/deals/items/4"},
				"Registration of Initech rejected", []int64{w.lisa.ID}, nil, "/rooms/deals/items/4"},
			// The submitter is not told of their own lead; the manager is.
			{notify.PipelineEvent{Kind: notify.EventLeadCreated, Object: "Umbrella", ActorID: w.lisa.ID, PartnerLink: "/rooms/leads/items/9", StaffLink: "/admin/leads/9"},
				"New lead: Umbrella", []int64{w.mike.ID}, []int64{w.lisa.ID, w.sarah.ID}, "/admin/leads/9"},
			{notify.PipelineEvent{Kind: notify.EventDealNoteAdded, Object: "Globex", Note: "Legal signed off", StaffLink: "/admin/deals/3"},
				"New note on Globex", []int64{w.mike.ID}, []int64{w.lisa.ID}, "/admin/deals/3"},
		} {
			t.Run(tc.ev.Kind, func(t *testing.T) {
				tc.ev.PartnerID = w.partner.ID
				before := map[int64]int{}
				for _, id := range append(append([]int64{}, tc.to...), tc.notTo...) {
					before[id], _ = svc.Unread(ctx, id)
				}
				if err := pn.Handle(ctx, tc.ev); err != nil {
					t.Fatal(err)
				}
				for _, id := range tc.to {
					page, _ := svc.List(ctx, id, notify.ListOptions{PerPage: 1})
					if page.Unread != before[id]+1 || page.Items[0].Title != tc.title || page.Items[0].Link != tc.link {
						t.Errorf("user %d: unread %d (was %d), newest %+v; want %q linking %s", id, page.Unread, before[id], page.Items[0], tc.title, tc.link)
					}
				}
				for _, id := range tc.notTo {
					if n, _ := svc.Unread(ctx, id); n != before[id] {
						t.Errorf("user %d was told of %s", id, tc.ev.Kind)
					}
				}
			})
		}
		if err := pn.Handle(ctx, notify.PipelineEvent{Kind: "lead.viewed", PartnerID: w.partner.ID}); err != nil {
			t.Errorf("unknown kinds are ignored, got %v", err)
		}
	})
}

func TestEmailChannelFollowsPreferences(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := seed(t, db)
		box, addr := notifytest.StartSMTP(t)
		email := notify.NewEmail(notify.SMTPConfig{Addr: addr, From: "partners@acme.example", FromName: "Acme Cloud Partners", BaseURL: "https://partners.acme.example/"})
		svc := notify.New(db, notify.WithChannel(email))
		// Lisa wants every kind by email, Carlos only deal wins, the
		// manager chose nothing (no email by default).
		for _, p := range []struct {
			user        int64
			kind, email string
		}{
			{w.lisa.ID, "*", notify.EmailNow},
			{w.sarah.ID, "*", notify.EmailNever},
			{w.sarah.ID, notify.EventDealWon, notify.EmailNow},
		} {
			if err := svc.SetPref(ctx, p.user, p.kind, p.email); err != nil {
				t.Fatal(err)
			}
		}
		if err := svc.SetPref(ctx, w.lisa.ID, "*", "hourly"); err == nil {
			t.Error("an unknown preference was stored")
		}
		recipients := []int64{w.lisa.ID, w.sarah.ID, w.mike.ID}
		if err := svc.Notify(ctx, recipients, notify.Notification{Kind: notify.EventLeadStatusChanged, Title: "Lead Acme Retail moved to demo", Body: "From qualified to demo.", Link: "/rooms/leads/items/7"}); err != nil {
			t.Fatal(err)
		}
		if err := svc.Notify(ctx, recipients, notify.Notification{Kind: notify.EventDealWon, Title: "Deal Globex won — 🎉", Link: "/rooms/deals/items/3"}); err != nil {
			t.Fatal(err)
		}
		if n := len(box.Sent()); n != 0 {
			t.Fatalf("Notify mailed %d messages itself; delivery belongs off the request path", n)
		}
		if err := svc.DeliverPending(ctx); err != nil {
			t.Fatal(err)
		}
		msgs := box.Sent()
		var to []string
		for _, m := range msgs {
			to = append(to, m.To...)
		}
		want := []string{"lisa@carlosco.example", "lisa@carlosco.example", "carlos@carlosco.example"}
		if strings.Join(to, ",") != strings.Join(want, ",") {
			t.Fatalf("mailed %v, want %v", to, want)
		}
		first := msgs[0].Data
		for _, s := range []string{"From: Acme Cloud Partners <partners@acme.example>", "To: Lisa Park <lisa@carlosco.example>",
			"Subject: Lead Acme Retail moved to demo", "From qualified to demo.", "https://partners.acme.example/rooms/leads/items/7"} {
			if !strings.Contains(first, s) {
				t.Errorf("first mail lacks %q:\n%s", s, first)
			}
		}
		if !strings.Contains(msgs[2].Data, "Subject: =?utf-8?q?") {
			t.Errorf("non-ASCII subject not encoded:\n%s", msgs[2].Data)
		}
		// A second pass sends nothing twice.
		if err := svc.DeliverPending(ctx); err != nil || len(box.Sent()) != 3 {
			t.Fatalf("second pass: %v, %d mails", err, len(box.Sent()))
		}
		// The in-app notification stands when mail fails, and the mail is
		// sent by a later pass once the server takes it.
		box.Fail.Store(true)
		if err := svc.Notify(ctx, []int64{w.lisa.ID}, notify.Notification{Kind: "k", Title: "still here"}); err != nil {
			t.Fatalf("a mail failure failed the notification: %v", err)
		}
		if err := svc.DeliverPending(ctx); err == nil || !strings.Contains(err.Error(), "451") {
			t.Errorf("delivery to a refusing server: %v (%d mails)", err, len(box.Sent()))
		}
		page, _ := svc.List(ctx, w.lisa.ID, notify.ListOptions{PerPage: 1})
		if page.Items[0].Title != "still here" {
			t.Errorf("newest = %q", page.Items[0].Title)
		}
		box.Fail.Store(false)
		if err := svc.DeliverPending(ctx); err != nil {
			t.Fatal(err)
		}
		if msgs := box.Sent(); len(msgs) != 4 || !strings.Contains(msgs[3].Data, "Subject: still here") {
			t.Errorf("the failed mail was not sent again: %d mails", len(msgs))
		}
	})
}

func TestEmailChannelReportsServerRefusal(t *testing.T) {
	box, addr := notifytest.StartSMTP(t)
	box.Fail.Store(true)
	err := notify.NewEmail(notify.SMTPConfig{Addr: addr, From: "p@acme.example"}).Send(context.Background(),
		notify.Recipient{UserID: 1, Email: "lisa@carlosco.example"}, notify.Item{Title: "x", CreatedAt: time.Now()})
	var se *smtp.SMTPError
	if err == nil || (!strings.Contains(err.Error(), "451") && !errors.As(err, &se)) {
		t.Errorf("err = %v, want the server's 451", err)
	}
}

func TestUnreadCache(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := seed(t, db)
		cached := notify.New(db, notify.WithUnreadCache(150*time.Millisecond))
		other := notify.New(db) // another portal process on the same database
		n := notify.Notification{Kind: "lead.status_changed", Title: "Lead moved", Link: "/rooms/leads/items/1"}
		count := func() int {
			c, err := cached.Unread(ctx, w.lisa.ID)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		if got := count(); got != 0 {
			t.Fatalf("unread = %d", got)
		}
		// Changes through the same service show at once.
		if err := cached.Notify(ctx, []int64{w.lisa.ID}, n); err != nil {
			t.Fatal(err)
		}
		if got := count(); got != 1 {
			t.Fatalf("after notify: %d, want 1", got)
		}
		if _, err := cached.MarkAllRead(ctx, w.lisa.ID); err != nil {
			t.Fatal(err)
		}
		if got := count(); got != 0 {
			t.Fatalf("after mark all read: %d, want 0", got)
		}
		// Another process's change shows within the cache's lifetime.
		if err := other.Notify(ctx, []int64{w.lisa.ID}, n); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(2 * time.Second)
		for count() != 1 {
			if time.Now().After(deadline) {
				t.Fatal("another process's notification never showed in the cached count")
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

// A mail server that never answers must not slow the request that caused a
// notification: Notify returns at once and Run delivers in the background,
// here to a second, working server once the first times out.
func TestDeliveryIsOffTheRequestPath(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		w := seed(t, db)
		// A server that accepts connections and says nothing.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				defer c.Close()
			}
		}()
		box, addr := notifytest.StartSMTP(t)
		hung := notify.NewEmail(notify.SMTPConfig{Addr: ln.Addr().String(), From: "p@acme.example", Timeout: 300 * time.Millisecond})
		svc := notify.New(db, notify.WithChannel(hung))
		if err := svc.SetPref(ctx, w.lisa.ID, "*", notify.EmailNow); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { defer close(done); svc.Run(ctx, 20*time.Millisecond) }()
		start := time.Now()
		for i := range 5 {
			if err := svc.Notify(ctx, []int64{w.lisa.ID}, notify.Notification{Kind: "k", Title: fmt.Sprintf("note %d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		if d := time.Since(start); d > time.Second { // sending inline would take 5 × 300 ms
			t.Errorf("five notifications took %v with the mail server hanging", d)
		}
		cancel()
		<-done
		// Another process with a working server picks the rows up: none was
		// left claimed by the failed attempts.
		ok := notify.New(db, notify.WithChannel(notify.NewEmail(notify.SMTPConfig{Addr: addr, From: "p@acme.example"})))
		ctx2, cancel2 := context.WithCancel(context.Background())
		defer cancel2()
		go ok.Run(ctx2, 20*time.Millisecond)
		deadline := time.Now().Add(5 * time.Second)
		for len(box.Sent()) < 5 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if n := len(box.Sent()); n != 5 {
			t.Fatalf("%d of 5 mails delivered after the server came back", n)
		}
	})
}

// Two portal processes delivering at once send each mail once.
func TestDeliveryClaimsEachNotificationOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := seed(t, db)
		box, addr := notifytest.StartSMTP(t)
		mk := func() *notify.Service {
			return notify.New(db, notify.WithChannel(notify.NewEmail(notify.SMTPConfig{Addr: addr, From: "p@acme.example"})))
		}
		a, b := mk(), mk()
		if err := a.SetPref(ctx, w.lisa.ID, "*", notify.EmailNow); err != nil {
			t.Fatal(err)
		}
		for i := range 20 {
			if err := a.Notify(ctx, []int64{w.lisa.ID, w.mike.ID}, notify.Notification{Kind: "k", Title: fmt.Sprintf("note %d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		for _, s := range []*notify.Service{a, b} {
			wg.Go(func() {
				if err := s.DeliverPending(ctx); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		seen := map[string]int{}
		for _, m := range box.Sent() {
			subj, _, _ := strings.Cut(m.Data[strings.Index(m.Data, "Subject:"):], "\r\n")
			seen[subj]++
		}
		if n := len(box.Sent()); n != 20 {
			t.Errorf("%d mails for 20 notifications to the one person who wants them", n)
		}
		for subj, n := range seen {
			if n > 1 {
				t.Errorf("%q mailed %d times", subj, n)
			}
		}
	})
}

// Rows nobody wants mailed (kept for a digest) never hide a newer one that
// someone does, however many there are.
func TestDeliveryReadsPastUnmailedRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := seed(t, db)
		box, addr := notifytest.StartSMTP(t)
		svc := notify.New(db, notify.WithChannel(notify.NewEmail(notify.SMTPConfig{Addr: addr, From: "p@acme.example"})))
		if err := svc.SetPref(ctx, w.lisa.ID, "*", notify.EmailNow); err != nil {
			t.Fatal(err)
		}
		for i := range 600 { // the manager chose no email
			if err := svc.Notify(ctx, []int64{w.mike.ID}, notify.Notification{Kind: "k", Title: fmt.Sprintf("quiet %d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		if err := svc.Notify(ctx, []int64{w.lisa.ID}, notify.Notification{Kind: "k", Title: "for lisa"}); err != nil {
			t.Fatal(err)
		}
		if err := svc.DeliverPending(ctx); err != nil {
			t.Fatal(err)
		}
		if msgs := box.Sent(); len(msgs) != 1 || !strings.Contains(msgs[0].Data, "Subject: for lisa") {
			t.Fatalf("%d mails; want lisa's one behind 600 unmailed rows", len(msgs))
		}
	})
}
