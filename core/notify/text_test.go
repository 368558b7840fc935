package notify_test

import (
	"context"
	"mime"
	netmail "net/mail"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/i18n"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/core/notify/notifytest"
	"github.com/atriumhq/atrium/core/store/storetest"
	sdki18n "github.com/atriumhq/atrium/sdk/i18n"
	"github.com/uptrace/bun"
)

// TestTextIn words the stored messages per reader: arguments as written,
// the portal's words and dates in the reader's language.
func TestTextIn(t *testing.T) {
	t.Parallel()
	de, es, en := i18n.Locale("de"), i18n.Locale("es"), i18n.Locale("en")
	for _, tc := range []struct {
		name string
		text *notify.Text
		l    *sdki18n.Locale
		want string
	}{
		{"a lead's status in German", notify.Say("notify.lead-moved.title", "Object", "Acme Retail").Word("To", "lead", "demo"), de,
			"Lead Acme Retail ist jetzt im Status Vorführung"},
		{"the same in English", notify.Say("notify.lead-moved.title", "Object", "Acme Retail").Word("To", "lead", "demo"), en,
			"Lead Acme Retail moved to Demo"},
		{"a stage the program named itself", notify.Say("notify.deal-moved.title", "Object", "Globex").Word("To", "deal", "legal_sign_off"), de,
			"Deal Globex ist jetzt in der Phase Legal sign off"},
		{"a person's text stays as written", notify.Say("notify.message-new.title", "Name", "Carlos Rivera", "Subject", "Q3 {{.Plan}}"), es,
			"Carlos Rivera escribe: Q3 {{.Plan}}"},
		{"a date in the reader's format", notify.Say("notify.task-overdue.body", "Project", "Rollout").Day("Due", "2026-12-20"), de,
			"Diese Aufgabe in Rollout war am " + de.Day("2026-12-20") + " fällig."},
	} {
		got, ok := tc.text.In(tc.l)
		if !ok || got != tc.want {
			t.Errorf("%s: %q (%v), want %q", tc.name, got, ok, tc.want)
		}
	}
	if de.Day("2026-12-20") == "2026-12-20" {
		t.Error("German dates are not formatted")
	}
	if _, ok := notify.Say("notify.no-such-message").In(de); ok {
		t.Error("a key the catalogue lacks was worded")
	}
	var none *notify.Text
	if _, ok := none.In(de); ok {
		t.Error("no text was worded")
	}
}

// TestNotificationsInTheReadersLanguage: a notification caused by an
// English-speaking manager reaches a German-speaking partner user in
// German on her notifications list, in her mail and in her digest; her
// colleague without a setting reads English; a row stored as plain text
// (from before, or a plugin's) shows as stored.
func TestNotificationsInTheReadersLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := seed(t, db)
		if err := w.dir.SetLanguage(ctx, w.lisa.ID, "de"); err != nil {
			t.Fatal(err)
		}
		box, addr := notifytest.StartSMTP(t)
		c := &clock{t: monday(6, 0)}
		svc := digestService(db, addr, c)
		setPrefs(t, svc, w.lisa.ID, "*", notify.EmailNow, w.sarah.ID, "*", notify.EmailNow)

		// An old row: English text, no key.
		if err := svc.Notify(ctx, []int64{w.lisa.ID}, notify.Notification{Kind: notify.EventLeadStatusChanged,
			Title: "Lead Acme Retail moved to demo", Body: "From qualified to demo."}); err != nil {
			t.Fatal(err)
		}
		pn := notify.NewPipelineNotifier(svc, notify.NewRecipients(w.dir))
		if err := pn.Handle(ctx, notify.PipelineEvent{Kind: notify.EventLeadStatusChanged, PartnerID: w.partner.ID, ActorID: w.mike.ID,
			Object: "Acme Retail", From: "qualified", To: "demo", PartnerLink: "/rooms/leads/items/7"}); err != nil {
			t.Fatal(err)
		}

		page, err := svc.List(ctx, w.lisa.ID, notify.ListOptions{})
		if err != nil || len(page.Items) != 2 {
			t.Fatalf("lisa's list: %+v, %v", page, err)
		}
		newest, old := page.Items[0], page.Items[1]
		// Stored in English, for readers without a language (the API).
		if newest.Title != "Lead Acme Retail moved to Demo" || newest.Body != "From Qualified to Demo." {
			t.Errorf("stored: %q / %q", newest.Title, newest.Body)
		}
		de := i18n.Locale("de")
		if got := newest.In(de); got.Title != "Lead Acme Retail ist jetzt im Status Vorführung" || got.Body != "Von Qualifiziert nach Vorführung." {
			t.Errorf("in German: %q / %q", got.Title, got.Body)
		}
		if got := old.In(de); got.Title != "Lead Acme Retail moved to demo" || got.Body != "From qualified to demo." {
			t.Errorf("an old row in German: %q / %q", got.Title, got.Body)
		}

		// Mail: Lisa's in German, Carlos's (no setting) in English.
		if err := svc.DeliverPending(ctx); err != nil {
			t.Fatal(err)
		}
		mails := map[string][]string{}
		for _, m := range box.Sent() {
			msg, err := netmail.ReadMessage(strings.NewReader(m.Data))
			if err != nil {
				t.Fatal(err)
			}
			subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
			if err != nil {
				t.Fatal(err)
			}
			mails[m.To[0]] = append(mails[m.To[0]], subject+"\n"+m.Data)
		}
		lisa, carlos := mails["lisa@carlosco.example"], mails["carlos@carlosco.example"]
		if len(lisa) != 2 || len(carlos) != 1 {
			t.Fatalf("mailed lisa %d, carlos %d", len(lisa), len(carlos))
		}
		if !strings.HasPrefix(lisa[0], "Lead Acme Retail moved to demo\n") {
			t.Errorf("lisa's mail of the old row:\n%s", lisa[0])
		}
		if !strings.HasPrefix(lisa[1], "Lead Acme Retail ist jetzt im Status Vorführung\n") || !strings.Contains(lisa[1], "Von Qualifiziert nach Vorführung.") {
			t.Errorf("lisa's mail is not German:\n%s", lisa[1])
		}
		if !strings.HasPrefix(carlos[0], "Lead Acme Retail moved to Demo\n") || !strings.Contains(carlos[0], "From Qualified to Demo.") {
			t.Errorf("carlos's mail is not English:\n%s", carlos[0])
		}

		// The digest lists them in German too.
		setPrefs(t, svc, w.lisa.ID, "*", notify.EmailDigest)
		if err := pn.Handle(ctx, notify.PipelineEvent{Kind: notify.EventRegistrationRejected, PartnerID: w.partner.ID, ActorID: w.mike.ID,
			Object: "Initech", Reason: "already registered", PartnerLink: "/rooms/deals/items/4"}); err != nil {
			t.Fatal(err)
		}
		before := len(box.Sent())
		if n := send(t, svc, monday(7, 5)); n != 1 {
			t.Fatalf("sent %d digests", n)
		}
		d := readDigest(t, box.Sent()[before])
		for _, want := range []string{"Registrierung von Initech abgelehnt", "Grund: already registered"} {
			if !strings.Contains(d.text, want) || !strings.Contains(d.html, want) {
				t.Errorf("the digest lacks %q:\n%s", want, d.text)
			}
		}
		if strings.Contains(d.text, "rejected") {
			t.Errorf("the digest has English:\n%s", d.text)
		}
	})
}

// TestNotifyRefusesUnknownMessages: a misspelt key would show its id to
// every reader, so it is refused when the notification is made.
func TestNotifyRefusesUnknownMessages(t *testing.T) {
	db := storetest.Open(t)
	w := seed(t, db)
	svc := notify.New(db)
	for _, n := range []notify.Notification{
		{Kind: "k", TitleText: notify.Say("notify.no-such-title")},
		{Kind: "k", TitleText: notify.Say("notify.deal-won.title", "Object", "Globex"), BodyText: notify.Say("notify.no-such-body")},
	} {
		if err := svc.Notify(context.Background(), []int64{w.lisa.ID}, n); fail.CodeOf(err) != fail.Invalid {
			t.Errorf("%+v: err = %v, want invalid", n, err)
		}
	}
	if n, _ := svc.Unread(context.Background(), w.lisa.ID); n != 0 {
		t.Errorf("%d refused notifications were stored", n)
	}
}
