package messages_test

import (
	"context"
	"fmt"
	"io"
	"net"
	netmail "net/mail"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/mailin"
	"github.com/atriumhq/atrium/core/mailin/mailintest"
	"github.com/atriumhq/atrium/core/messages"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/core/notify/notifytest"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/store/storetest"
	sm "github.com/atriumhq/atrium/sdk/messages"
	"github.com/uptrace/bun"
)

// TestReplyByEmail delivers replies over a real SMTP conversation to the
// listener, which posts them through the service.
func TestReplyByEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		dir := directory.New(db)
		addrs := mailin.NewAddresses([]byte("0123456789abcdef0123456789abcdef"), "reply.partners.test")
		users := mailin.UsersFunc(func(ctx context.Context, id int64) (string, bool, error) {
			u, err := dir.User(ctx, id)
			return u.Email, u.Active, err
		})
		srv := mailin.New(mailin.Config{DB: db}, addrs, users, w.svc)
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go srv.Serve(l)
		defer srv.Close()

		d, err := w.svc.Start(ctx, w.sarah, sm.Start{Subject: "Pricing for Contoso", Body: "Which discount?"})
		if err != nil {
			t.Fatal(err)
		}
		id := d.Thread.ID
		mail := func(from, to, text string) string {
			return fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: Re: Pricing for Contoso\r\nMessage-ID: <%s@mail.test>\r\n"+
				"Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", from, to, strings.ReplaceAll(to, "@", "."), text)
		}
		sarahAddr := addrs.Address(messages.ReplyScope, id, w.sarah.UserID)
		body := "Thanks, that works for us.\r\n\r\nOn Mon, 7 Dec 2026 at 09:00, Mike Chen <mike@vendor.test> wrote:\r\n> 15% for gold.\r\n"
		if code := mailintest.Deliver(t, l.Addr().String(), "bounce@mail.test", []string{sarahAddr}, mail("Sarah Lee <sarah@contoso.test>", sarahAddr, body)); code != 0 {
			t.Fatalf("Sarah's reply answered %d", code)
		}
		got, err := w.svc.Get(ctx, w.mike, id)
		if err != nil {
			t.Fatal(err)
		}
		last := got.Messages[len(got.Messages)-1]
		if len(got.Messages) != 2 || last.Body != "Thanks, that works for us." || last.Via != messages.ViaEmail || last.Author.ID != w.sarah.UserID {
			t.Fatalf("thread after the reply: %+v", got.Messages)
		}
		// The same mail delivered again (an MTA retrying) is not posted twice.
		mailintest.Deliver(t, l.Addr().String(), "bounce@mail.test", []string{sarahAddr}, mail("sarah@contoso.test", sarahAddr, body))
		if got, _ := w.svc.Get(ctx, w.mike, id); len(got.Messages) != 2 {
			t.Errorf("a redelivery was posted again: %d messages", len(got.Messages))
		}
		// Olga's correctly signed address for a thread she cannot see is
		// refused for good, and posts nothing.
		olgaAddr := addrs.Address(messages.ReplyScope, id, w.olga.UserID)
		if code := mailintest.Deliver(t, l.Addr().String(), "bounce@mail.test", []string{olgaAddr}, mail("olga@other.test", olgaAddr, "Let me in")); code != 550 {
			t.Errorf("a reply to a foreign thread answered %d, want 550", code)
		}
		// A forged address, and mail from another sender, are refused.
		forged := strings.Replace(sarahAddr, fmt.Sprintf(".%d.", w.sarah.UserID), fmt.Sprintf(".%d.", w.tom.UserID), 1)
		if code := mailintest.Deliver(t, l.Addr().String(), "bounce@mail.test", []string{forged}, mail("tom@contoso.test", forged, "hi")); code != 550 {
			t.Errorf("a forged address answered %d, want 550", code)
		}
		if code := mailintest.Deliver(t, l.Addr().String(), "bounce@mail.test", []string{sarahAddr}, mail("mallory@evil.test", sarahAddr, "hi")); code != 550 {
			t.Errorf("a reply from another sender answered %d, want 550", code)
		}
		if got, _ := w.svc.Get(ctx, w.mike, id); len(got.Messages) != 2 {
			t.Errorf("refused mail was posted: %d messages", len(got.Messages))
		}
	})
}

// TestEmailLoop is the whole loop: Mike answers in the portal, Sarah gets
// the answer by email (the portal's sender against an SMTP server), and
// her reply to that email (a client delivering to the portal's listener)
// appears in the thread.
func TestEmailLoop(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		dir := directory.New(db)
		addrs := mailin.NewAddresses([]byte("0123456789abcdef0123456789abcdef"), "reply.partners.test")
		box, smtpAddr := notifytest.StartSMTP(t)
		notes := notify.New(db, notify.WithChannel(notify.NewEmail(notify.SMTPConfig{Addr: smtpAddr, From: "partners@vendor.test",
			BaseURL: "https://partners.vendor.test", ReplyTo: addrs.ForScope})))
		svc := messages.New(db, dir, reach.New(db), messages.Options{Notify: notes})
		if err := notes.SetPref(ctx, w.sarah.UserID, messages.KindNew, notify.EmailNow); err != nil {
			t.Fatal(err)
		}
		users := mailin.UsersFunc(func(ctx context.Context, id int64) (string, bool, error) {
			u, err := dir.User(ctx, id)
			return u.Email, u.Active, err
		})
		srv := mailin.New(mailin.Config{DB: db}, addrs, users, svc)
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go srv.Serve(l)
		defer srv.Close()

		d, err := svc.Start(ctx, w.sarah, sm.Start{Subject: "Pricing for Contoso", Body: "Which discount?"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Post(ctx, w.mike, sm.Post{ThreadID: d.Thread.ID, Body: "15% for gold partners."}); err != nil {
			t.Fatal(err)
		}
		if err := notes.DeliverPending(ctx); err != nil {
			t.Fatal(err)
		}
		sent := box.Sent()
		if len(sent) != 1 || sent[0].To[0] != "sarah@contoso.test" {
			t.Fatalf("mails = %+v", sent)
		}
		msg, err := netmail.ReadMessage(strings.NewReader(sent[0].Data))
		if err != nil {
			t.Fatal(err)
		}
		replyTo := msg.Header.Get("Reply-To")
		text, _ := io.ReadAll(msg.Body)
		if tok, err := addrs.Parse(replyTo); err != nil || tok.ID != d.Thread.ID || tok.UserID != w.sarah.UserID {
			t.Fatalf("Reply-To %q: %+v, %v", replyTo, tok, err)
		}
		if !strings.Contains(string(text), "15% for gold partners.") {
			t.Errorf("the email lacks the message's text:\n%s", text)
		}
		reply := "From: sarah@contoso.test\r\nTo: " + replyTo + "\r\nSubject: Re: " + msg.Header.Get("Subject") +
			"\r\nMessage-ID: <r1@contoso.test>\r\n\r\nGreat, thanks!\r\n\r\nOn Monday Mike Chen wrote:\r\n> " +
			strings.ReplaceAll(strings.TrimSpace(string(text)), "\n", "\n> ") + "\r\n"
		if code := mailintest.Deliver(t, l.Addr().String(), "bounce@mail.test", []string{replyTo}, reply); code != 0 {
			t.Fatalf("the reply answered %d", code)
		}
		got, err := svc.Get(ctx, w.mike, d.Thread.ID)
		if err != nil {
			t.Fatal(err)
		}
		if last := got.Messages[len(got.Messages)-1]; last.Body != "Great, thanks!" || last.Via != messages.ViaEmail {
			t.Errorf("the reply in the thread: %+v", last)
		}
	})
}
