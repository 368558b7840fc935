package notify_test

import (
	"context"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/core/notify/notifytest"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

// clock is a settable clock shared by the services of a test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// monday is Monday 7 December 2026 at the given time, UTC.
func monday(hour, minute int) time.Time { return time.Date(2026, 12, 7, hour, minute, 0, 0, time.UTC) }

// digestMail is a received digest as a mail client reads it.
type digestMail struct {
	to, subject, text, html string
}

func readDigest(t *testing.T, m notifytest.Mail) digestMail {
	t.Helper()
	msg, err := netmail.ReadMessage(strings.NewReader(m.Data))
	if err != nil {
		t.Fatalf("unreadable mail: %v\n%s", err, m.Data)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	out := digestMail{to: strings.Join(m.To, ","), subject: subject}
	typ, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || typ != "multipart/alternative" {
		t.Fatalf("digest is %q (%v), want multipart/alternative", typ, err)
	}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := r.NextPart() // decodes quoted-printable
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		switch ct := p.Header.Get("Content-Type"); {
		case strings.HasPrefix(ct, "text/plain"):
			out.text = string(b)
		case strings.HasPrefix(ct, "text/html"):
			out.html = string(b)
		}
	}
	if out.text == "" || out.html == "" {
		t.Fatalf("digest lacks a text or an html part:\n%s", m.Data)
	}
	return out
}

// digestSetup is a portal process with a digest-capable mail channel on a
// settable clock.
func digestService(db *bun.DB, addr string, c *clock, opts ...notify.Option) *notify.Service {
	email := notify.NewEmail(notify.SMTPConfig{Addr: addr, From: "partners@acme.example", FromName: "Acme Cloud Partners", BaseURL: "https://partners.acme.example/"})
	return notify.New(db, append([]notify.Option{notify.WithChannel(email), notify.WithClock(c.now)}, opts...)...)
}

func setPrefs(t *testing.T, svc *notify.Service, prefs ...any) {
	t.Helper()
	for i := 0; i < len(prefs); i += 3 {
		if err := svc.SetPref(context.Background(), prefs[i].(int64), prefs[i+1].(string), prefs[i+2].(string)); err != nil {
			t.Fatal(err)
		}
	}
}

func send(t *testing.T, svc *notify.Service, at time.Time) int {
	t.Helper()
	n, err := svc.SendDigests(context.Background(), at)
	if err != nil {
		t.Fatalf("SendDigests at %v: %v", at, err)
	}
	return n
}

func TestDigestGroupsByRoomWithLinks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := seed(t, db)
		box, addr := notifytest.StartSMTP(t)
		c := &clock{t: monday(6, 0)}
		titles := map[string]string{"leads": "Leads"}
		svc := digestService(db, addr, c, notify.WithRoomTitles(func(slug string) string { return titles[slug] }))
		// Lisa wants everything in a digest; Carlos deal wins only (the rest
		// right away); the manager chose nothing.
		setPrefs(t, svc, w.lisa.ID, "*", notify.EmailDigest, w.sarah.ID, "*", notify.EmailNow, w.sarah.ID, notify.EventDealWon, notify.EmailDigest)
		everyone := []int64{w.lisa.ID, w.sarah.ID, w.mike.ID}
		for _, n := range []notify.Notification{
			{Kind: notify.EventLeadStatusChanged, Title: "Lead Acme Retail moved to Demo", Body: "From <b>Qualified</b> to Demo.", Link: "/rooms/leads/items/7"},
			{Kind: notify.EventDealWon, Title: "Deal Globex won", Body: "Value: $48,000.", Link: "/rooms/deals/items/3"},
			{Kind: notify.EventLeadStatusChanged, Title: "Lead Initech moved to Won", Link: "/rooms/leads/items/8"},
			{Kind: "room.review_requested", Title: "Review the Q1 room", Link: "/admin/rooms"},
			{Kind: "k", Title: "A note without a link", Body: strings.Repeat("long ", 200)},
		} {
			if err := svc.Notify(ctx, everyone, n); err != nil {
				t.Fatal(err)
			}
		}
		// Right-away mail leaves the digest kinds alone.
		if err := svc.DeliverPending(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(box.Sent()); n != 4 {
			t.Fatalf("%d right-away mails, want Carlos's 4 non-deal ones", n)
		}
		// Before the digest hour nothing is due.
		if n := send(t, svc, monday(6, 59)); n != 0 {
			t.Fatalf("%d digests before 07:00", n)
		}
		c.set(monday(7, 5))
		if n := send(t, svc, monday(7, 5)); n != 2 {
			t.Fatalf("sent %d digests, want lisa's and carlos's", n)
		}
		msgs := box.Sent()[4:]
		if len(msgs) != 2 {
			t.Fatalf("%d digest mails", len(msgs))
		}
		var lisa, carlos digestMail
		for _, m := range msgs {
			d := readDigest(t, m)
			switch d.to {
			case w.lisa.Email:
				lisa = d
			case w.sarah.Email:
				carlos = d
			default:
				t.Errorf("a digest to %s", d.to)
			}
		}
		if lisa.subject != "Your daily digest: 5 updates" || carlos.subject != "Your daily digest: 1 update" {
			t.Errorf("subjects %q and %q", lisa.subject, carlos.subject)
		}
		// Rooms in title order (the untitled one under its slug), links
		// absolute, the roomless last under Other.
		order := []string{"deals\n-----\n* Deal Globex won\n  Value: $48,000.\n  https://partners.acme.example/rooms/deals/items/3",
			"Leads\n-----\n* Lead Acme Retail moved to Demo\n  From <b>Qualified</b> to Demo.\n  https://partners.acme.example/rooms/leads/items/7\n* Lead Initech moved to Won\n  https://partners.acme.example/rooms/leads/items/8",
			"Other\n-----\n* Review the Q1 room\n  https://partners.acme.example/admin/rooms\n* A note without a link\n  long long",
			"All your notifications: https://partners.acme.example/notifications"}
		text := strings.ReplaceAll(lisa.text, "\r\n", "\n")
		at := 0
		for _, part := range order {
			i := strings.Index(text[at:], part)
			if i < 0 {
				t.Fatalf("lisa's digest lacks, in order, %q:\n%s", part, text)
			}
			at += i + len(part)
		}
		if strings.Contains(text, strings.Repeat("long ", 100)) {
			t.Error("a long body is quoted whole")
		}
		for _, s := range []string{"From &lt;b&gt;Qualified&lt;/b&gt; to Demo.", `<a href="https://partners.acme.example/rooms/leads/items/7">Lead Acme Retail moved to Demo</a>`, "<h2 style=\"font-size:1.1em\">Leads</h2>"} {
			if !strings.Contains(lisa.html, s) {
				t.Errorf("lisa's html lacks %q:\n%s", s, lisa.html)
			}
		}
		if strings.Contains(lisa.html, "<b>Qualified") {
			t.Error("a notification's text became markup")
		}
		if !strings.Contains(carlos.text, "Deal Globex won") || strings.Contains(carlos.text, "Lead ") {
			t.Errorf("carlos's digest has other than his digest kinds:\n%s", carlos.text)
		}

		// The same period again sends nothing, even with news: it waits for
		// the next day's digest, which lists only what is new.
		c.set(monday(10, 0))
		if err := svc.Notify(ctx, []int64{w.lisa.ID}, notify.Notification{Kind: "k", Title: "Later that day", Link: "/rooms/leads/items/9"}); err != nil {
			t.Fatal(err)
		}
		if n := send(t, svc, monday(11, 0)); n != 0 || len(box.Sent()) != 6 {
			t.Fatalf("a second run in the period sent %d", n)
		}
		tuesday := monday(7, 0).AddDate(0, 0, 1)
		if n := send(t, svc, tuesday); n != 1 {
			t.Fatalf("tuesday: %d digests, want lisa's", n)
		}
		d := readDigest(t, box.Sent()[6])
		if d.subject != "Your daily digest: 1 update" || !strings.Contains(d.text, "Later that day") || strings.Contains(d.text, "Globex") {
			t.Errorf("tuesday's digest: %q\n%s", d.subject, d.text)
		}
	})
}

// Two portal processes on one database send each digest once.
func TestDigestOnceAcrossProcesses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := seed(t, db)
		box, addr := notifytest.StartSMTP(t)
		c := &clock{t: monday(6, 0)}
		a, b := digestService(db, addr, c), digestService(db, addr, c)
		people := []int64{w.lisa.ID, w.sarah.ID, w.mike.ID, w.tom.ID}
		for _, id := range people {
			setPrefs(t, a, id, "*", notify.EmailDigest)
		}
		for range 3 {
			if err := a.Notify(ctx, people, notify.Notification{Kind: "k", Title: "News", Link: "/rooms/leads/items/1"}); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		var sent [2]int
		for i, s := range []*notify.Service{a, b} {
			wg.Go(func() {
				n, err := s.SendDigests(ctx, monday(7, 1))
				if err != nil {
					t.Error(err)
				}
				sent[i] = n
			})
		}
		wg.Wait()
		if sent[0]+sent[1] != 4 || len(box.Sent()) != 4 {
			t.Fatalf("processes sent %v digests, %d mails; want 4 in all", sent, len(box.Sent()))
		}
		seen := map[string]bool{}
		for _, m := range box.Sent() {
			d := readDigest(t, m)
			if seen[d.to] || d.subject != "Your daily digest: 3 updates" {
				t.Errorf("digest to %s: %q (seen before: %v)", d.to, d.subject, seen[d.to])
			}
			seen[d.to] = true
		}
	})
}

// A digest the mail server refused is sent, whole, by a later run.
func TestDigestRetriedAfterFailure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := seed(t, db)
		box, addr := notifytest.StartSMTP(t)
		c := &clock{t: monday(6, 0)}
		svc := digestService(db, addr, c)
		setPrefs(t, svc, w.lisa.ID, "*", notify.EmailDigest)
		for _, title := range []string{"One", "Two"} {
			if err := svc.Notify(ctx, []int64{w.lisa.ID}, notify.Notification{Kind: "k", Title: title}); err != nil {
				t.Fatal(err)
			}
		}
		box.Fail.Store(true)
		if n, err := svc.SendDigests(ctx, monday(7, 0)); n != 0 || err == nil || !strings.Contains(err.Error(), "451") {
			t.Fatalf("to a refusing server: %d sent, err %v", n, err)
		}
		box.Fail.Store(false)
		if n := send(t, svc, monday(7, 5)); n != 1 {
			t.Fatalf("the retry sent %d", n)
		}
		if d := readDigest(t, box.Sent()[0]); d.subject != "Your daily digest: 2 updates" || !strings.Contains(d.text, "One") || !strings.Contains(d.text, "Two") {
			t.Errorf("retried digest %q:\n%s", d.subject, d.text)
		}
		if n := send(t, svc, monday(7, 10)); n != 0 {
			t.Errorf("sent again after the retry: %d", n)
		}
	})
}

// A weekly digest goes out on Monday from 07:00 and on no other day; daily
// ones go every day.
func TestDigestWeekly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := seed(t, db)
		box, addr := notifytest.StartSMTP(t)
		tuesday := monday(8, 0).AddDate(0, 0, 1)
		c := &clock{t: tuesday}
		svc := digestService(db, addr, c)
		setPrefs(t, svc, w.lisa.ID, "*", notify.EmailDigest, w.sarah.ID, "*", notify.EmailDigest)
		if err := svc.SetDigestFrequency(ctx, w.lisa.ID, notify.DigestWeekly); err != nil {
			t.Fatal(err)
		}
		// Lisa's first weekly digest is the one of 7 December; it was not
		// sent that Monday, so it waits for the next.
		for day := range 6 { // Tuesday to Sunday
			at := tuesday.AddDate(0, 0, day)
			c.set(at)
			if err := svc.Notify(ctx, []int64{w.lisa.ID, w.sarah.ID}, notify.Notification{Kind: "k", Title: at.Weekday().String() + " news"}); err != nil {
				t.Fatal(err)
			}
			if day > 0 {
				if n := send(t, svc, at); n != 1 {
					t.Fatalf("%s: %d digests, want carlos's daily one", at.Weekday(), n)
				}
			}
		}
		for _, m := range box.Sent() {
			if m.To[0] == w.lisa.Email {
				t.Fatalf("lisa got a digest mid-week: %s", m.Data)
			}
		}
		before := len(box.Sent())
		next := monday(7, 30).AddDate(0, 0, 7)
		if n := send(t, svc, next.Add(-31*time.Minute)); n != 0 {
			t.Fatalf("before 07:00 on Monday: %d digests", n)
		}
		if n := send(t, svc, next); n != 1 {
			t.Fatalf("next Monday: %d digests, want lisa's weekly (carlos had all his by Sunday)", n)
		}
		var weekly digestMail
		for _, m := range box.Sent()[before:] {
			if d := readDigest(t, m); d.to == w.lisa.Email {
				weekly = d
			}
		}
		if weekly.subject != "Your weekly digest: 6 updates" || !strings.Contains(weekly.text, "Tuesday news") || !strings.Contains(weekly.text, "Sunday news") {
			t.Errorf("lisa's weekly digest: %q\n%s", weekly.subject, weekly.text)
		}
	})
}

// Nothing new means no mail, and no mail later in the period; a deactivated
// person gets none; a person without a digest kind is not considered.
func TestDigestSkipsPeopleWithNothingToSay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := seed(t, db)
		box, addr := notifytest.StartSMTP(t)
		c := &clock{t: monday(6, 0)}
		svc := digestService(db, addr, c)
		setPrefs(t, svc, w.lisa.ID, "*", notify.EmailDigest, w.gone.ID, "*", notify.EmailDigest, w.sarah.ID, "*", notify.EmailNever)
		if err := svc.Notify(ctx, []int64{w.gone.ID, w.sarah.ID}, notify.Notification{Kind: "k", Title: "For the gone and the unmailed"}); err != nil {
			t.Fatal(err)
		}
		if n := send(t, svc, monday(7, 0)); n != 0 || len(box.Sent()) != 0 {
			t.Fatalf("%d digests with nothing to say", len(box.Sent()))
		}
		c.set(monday(9, 0))
		if err := svc.Notify(ctx, []int64{w.lisa.ID}, notify.Notification{Kind: "k", Title: "Late news"}); err != nil {
			t.Fatal(err)
		}
		if n := send(t, svc, monday(9, 5)); n != 0 {
			t.Fatalf("a second look in the period sent %d", n)
		}
		if n := send(t, svc, monday(7, 0).AddDate(0, 0, 1)); n != 1 || len(box.Sent()) != 1 || box.Sent()[0].To[0] != w.lisa.Email {
			t.Fatalf("the next day: %d digests", n)
		}
	})
}

func TestDigestSchedule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := seed(t, db)
		east := time.FixedZone("UTC-5", -5*3600)
		c := &clock{t: monday(11, 0)} // 06:00 on Monday in the program's zone
		svc := notify.New(db, notify.WithClock(c.now), notify.WithDigestLocation(east))
		sc, err := svc.DigestSchedule(ctx, w.lisa.ID)
		if err != nil {
			t.Fatal(err)
		}
		if sc.Frequency != notify.DigestDaily || !sc.Next.Equal(monday(12, 0)) || sc.Describe() != "every day at 07:00 (UTC-5)" {
			t.Errorf("default schedule %+v (%s)", sc, sc.Describe())
		}
		if err := svc.SetDigestFrequency(ctx, w.lisa.ID, notify.DigestWeekly); err != nil {
			t.Fatal(err)
		}
		c.set(monday(13, 0)) // after this Monday's hour: the next is a week on
		sc, _ = svc.DigestSchedule(ctx, w.lisa.ID)
		if sc.Frequency != notify.DigestWeekly || !sc.Next.Equal(monday(12, 0).AddDate(0, 0, 7)) || sc.Describe() != "every Monday at 07:00 (UTC-5)" {
			t.Errorf("weekly schedule %+v (%s)", sc, sc.Describe())
		}
		for _, bad := range []string{"", "hourly", "Weekly"} {
			if err := svc.SetDigestFrequency(ctx, w.lisa.ID, bad); fail.As(err).Fields["frequency"] == "" {
				t.Errorf("frequency %q: %v", bad, err)
			}
		}
	})
}

func TestRoomOf(t *testing.T) {
	for link, want := range map[string]string{
		"/rooms/leads/items/7": "leads",
		"/rooms/deals":         "deals",
		"/rooms/q1?tab=2":      "q1",
		"/admin/rooms/leads":   "",
		"":                     "",
		"/roomsx/leads":        "",
	} {
		if got := notify.RoomOf(link); got != want {
			t.Errorf("RoomOf(%q) = %q, want %q", link, got, want)
		}
	}
}

// Run sends the digests that are due, on its own tick, beside the
// right-away mail.
func TestRunSendsDigests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		w := seed(t, db)
		box, addr := notifytest.StartSMTP(t)
		c := &clock{t: monday(6, 0)}
		svc := digestService(db, addr, c, notify.WithDigestEvery(20*time.Millisecond))
		setPrefs(t, svc, w.lisa.ID, "*", notify.EmailDigest)
		if err := svc.Notify(ctx, []int64{w.lisa.ID}, notify.Notification{Kind: "k", Title: "News"}); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { defer close(done); svc.Run(ctx, time.Hour) }()
		time.Sleep(50 * time.Millisecond) // ticks before 07:00 send nothing
		if n := len(box.Sent()); n != 0 {
			t.Fatalf("%d mails before the digest hour", n)
		}
		c.set(monday(7, 0))
		deadline := time.Now().Add(5 * time.Second)
		for len(box.Sent()) == 0 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(60 * time.Millisecond) // more ticks send no more
		cancel()
		<-done
		if msgs := box.Sent(); len(msgs) != 1 || readDigest(t, msgs[0]).subject != "Your daily digest: 1 update" {
			t.Fatalf("%d mails from Run", len(msgs))
		}
	})
}

// TestDigestInTheReadersLanguage: the words a digest adds (subject,
// introduction, footer, link) are in the recipient's language when it is
// sent, with the language's plural; the notifications themselves are as
// they were written.
func TestDigestInTheReadersLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := seed(t, db)
		box, addr := notifytest.StartSMTP(t)
		svc := digestService(db, addr, &clock{t: monday(6, 0)})
		// Lisa reads German, notifications arrive, then she switches to
		// Spanish before the digest goes out.
		for _, tc := range []struct {
			lang   string
			titles []string
		}{
			{"de", []string{"One", "Two"}},
			{"es", []string{"Uno"}},
		} {
			if _, err := db.NewUpdate().Table("users").Set("language = ?", tc.lang).Where("id = ?", w.lisa.ID).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			setPrefs(t, svc, w.lisa.ID, "*", notify.EmailDigest)
			for _, title := range tc.titles {
				if err := svc.Notify(ctx, []int64{w.lisa.ID}, notify.Notification{Kind: "k", Title: title}); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Both languages' notifications go out in one digest, in Spanish,
		// Lisa's language when it is sent.
		if n := send(t, svc, monday(7, 5)); n != 1 {
			t.Fatalf("sent %d digests", n)
		}
		d := readDigest(t, box.Sent()[0])
		if d.subject != "Tu resumen diario: 3 novedades" || !strings.Contains(d.text, "Todas tus notificaciones") ||
			!strings.Contains(d.text, "Recibes este resumen") || !strings.Contains(d.text, "Uno") || strings.Contains(d.text, "All your notifications") {
			t.Errorf("digest %q:\n%s", d.subject, d.text)
		}
	})
}
