package messages_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/mailin"
	"github.com/atriumhq/atrium/core/messages"
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
		if code := deliver(t, l.Addr().String(), sarahAddr, mail("Sarah Lee <sarah@contoso.test>", sarahAddr, body)); code != 250 {
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
		deliver(t, l.Addr().String(), sarahAddr, mail("sarah@contoso.test", sarahAddr, body))
		if got, _ := w.svc.Get(ctx, w.mike, id); len(got.Messages) != 2 {
			t.Errorf("a redelivery was posted again: %d messages", len(got.Messages))
		}
		// Olga's correctly signed address for a thread she cannot see is
		// refused for good, and posts nothing.
		olgaAddr := addrs.Address(messages.ReplyScope, id, w.olga.UserID)
		if code := deliver(t, l.Addr().String(), olgaAddr, mail("olga@other.test", olgaAddr, "Let me in")); code != 550 {
			t.Errorf("a reply to a foreign thread answered %d, want 550", code)
		}
		// A forged address, and mail from another sender, are refused.
		forged := strings.Replace(sarahAddr, fmt.Sprintf(".%d.", w.sarah.UserID), fmt.Sprintf(".%d.", w.tom.UserID), 1)
		if code := deliver(t, l.Addr().String(), forged, mail("tom@contoso.test", forged, "hi")); code != 550 {
			t.Errorf("a forged address answered %d, want 550", code)
		}
		if code := deliver(t, l.Addr().String(), sarahAddr, mail("mallory@evil.test", sarahAddr, "hi")); code != 550 {
			t.Errorf("a reply from another sender answered %d, want 550", code)
		}
		if got, _ := w.svc.Get(ctx, w.mike, id); len(got.Messages) != 2 {
			t.Errorf("refused mail was posted: %d messages", len(got.Messages))
		}
	})
}

// deliver speaks SMTP to addr as an MTA would and returns the final code.
func deliver(t *testing.T, addr, rcpt, msg string) int {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	code := func(err error) int {
		var te *textproto.Error
		if errors.As(err, &te) {
			return te.Code
		}
		t.Fatalf("not an SMTP answer: %v", err)
		return 0
	}
	if err := c.Mail("bounce@mail.test"); err != nil {
		return code(err)
	}
	if err := c.Rcpt(rcpt); err != nil {
		return code(err)
	}
	wc, err := c.Data()
	if err != nil {
		return code(err)
	}
	if _, err := wc.Write([]byte(msg)); err != nil {
		t.Fatal(err)
	}
	if err := wc.Close(); err != nil {
		return code(err)
	}
	return 250
}
