package mailin

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/mailin/mailintest"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

// portal is a listener on 127.0.0.1:0 with three users and a handler that
// keeps what it is given.
type portal struct {
	addrs *Addresses
	addr  string

	mu      sync.Mutex
	replies []Reply
	fail    error // what the handler answers next
}

var people = map[int64]struct {
	email  string
	active bool
}{
	7: {"Ana.Ruiz@Northwind.example", true},
	8: {"bo@contoso.example", false},
}

func start(t *testing.T, db bun.IDB, cfg Config) *portal {
	t.Helper()
	p := &portal{addrs: NewAddresses([]byte("0123456789abcdef0123456789abcdef"), "reply.partners.example")}
	users := UsersFunc(func(_ context.Context, id int64) (string, bool, error) {
		u, ok := people[id]
		if !ok {
			return "", false, fail.NotFoundf("User not found.")
		}
		return u.email, u.active, nil
	})
	h := HandlerFunc(func(_ context.Context, r Reply) error {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.fail != nil {
			return p.fail
		}
		p.replies = append(p.replies, r)
		return nil
	})
	cfg.DB = db
	srv := New(cfg, p.addrs, users, h)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = l.Addr().String()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Error(err)
		}
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return p
}

func (p *portal) got() []Reply {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Reply(nil), p.replies...)
}

// send delivers msg as an MTA would and returns the code of the answer
// that refused it (0 when accepted).
func send(t *testing.T, addr, envFrom string, to []string, msg string) int {
	t.Helper()
	return mailintest.Deliver(t, addr, envFrom, to, msg)
}

// replyMail is a reply as a client writes it: text with quoted history and a
// signature, and a PDF attached.
func replyMail(from, to, id string, extraHeaders string) string {
	pdf := base64.StdEncoding.EncodeToString([]byte("%PDF-1.4 the signed quote"))
	return fmt.Sprintf(`From: Ana Ruiz <%s>
To: <%s>
Subject: Re: New message in "Q1 plan"
Message-ID: <%s>
%sMIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

Thursday works. Quote attached.

-- 
Ana Ruiz, Northwind

On Mon, Dec 7, 2026 at 4:02 PM Bo Berg <%s> wrote:
> Could we meet on Thursday?

--b1
Content-Type: application/pdf
Content-Disposition: attachment; filename="quote.pdf"
Content-Transfer-Encoding: base64

%s
--b1--
`, from, to, id, extraHeaders, to, pdf)
}

func TestListener(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		p := start(t, db, Config{MaxMessageBytes: 64 << 10})
		ana := p.addrs.Address("t", 42, 7)

		// A good reply reaches the handler, history and signature gone,
		// the attachment kept.
		if code := send(t, p.addr, "bounces+srs=x@northwind.example", []string{ana}, replyMail("ana.ruiz@northwind.example", ana, "r1@northwind.example", "")); code != 0 {
			t.Fatalf("good reply refused with %d", code)
		}
		got := p.got()
		if len(got) != 1 {
			t.Fatalf("handler got %d replies", len(got))
		}
		r := got[0]
		if r.Token != (Token{Scope: "t", ID: 42, UserID: 7}) || r.UserID != 7 || r.Text != "Thursday works. Quote attached." ||
			r.MessageID != "r1@northwind.example" || r.Subject != `Re: New message in "Q1 plan"` {
			t.Errorf("reply %+v", r)
		}
		if len(r.Attachments) != 1 || r.Attachments[0].Name != "quote.pdf" || r.Attachments[0].ContentType != "application/pdf" ||
			!bytes.Equal(r.Attachments[0].Data, []byte("%PDF-1.4 the signed quote")) {
			t.Errorf("attachments %+v", r.Attachments)
		}

		// The same mail delivered again (an MTA retrying) is accepted and
		// not posted twice.
		if code := send(t, p.addr, "a@northwind.example", []string{ana}, replyMail("ana.ruiz@northwind.example", ana, "r1@northwind.example", "")); code != 0 {
			t.Fatalf("duplicate refused with %d", code)
		}
		if n := len(p.got()); n != 1 {
			t.Errorf("duplicate delivery posted: %d replies", n)
		}

		refused := []struct {
			name string
			to   string
			from string
			code int
			msg  string
		}{
			{"altered address", strings.Replace(ana, "t42.", "t43.", 1), "ana.ruiz@northwind.example", 550, ""},
			{"forged signature", "reply+t42.7.aaaaaaaaaaaaaaaa@reply.partners.example", "ana.ruiz@northwind.example", 550, ""},
			{"someone else's From", ana, "mallory@evil.example", 550, ""},
			{"deactivated user", p.addrs.Address("t", 42, 8), "bo@contoso.example", 550, ""},
			{"unknown user", p.addrs.Address("t", 42, 9), "ana.ruiz@northwind.example", 550, ""},
			{"oversized", ana, "ana.ruiz@northwind.example", 552, strings.Repeat(strings.Repeat("x", 76)+"\n", 1000)},
		}
		for i, c := range refused {
			msg := replyMail(c.from, c.to, fmt.Sprintf("refused%d@example", i), "") + c.msg
			if code := send(t, p.addr, c.from, []string{c.to}, msg); code != c.code {
				t.Errorf("%s: answer %d, want %d", c.name, code, c.code)
			}
		}
		if n := len(p.got()); n != 1 {
			t.Errorf("refused mail reached the handler: %d replies", n)
		}

		// An out-of-office is accepted and dropped, so it does not loop.
		if code := send(t, p.addr, "ana.ruiz@northwind.example", []string{ana},
			replyMail("ana.ruiz@northwind.example", ana, "ooo@northwind.example", "Auto-Submitted: auto-replied\n")); code != 0 {
			t.Errorf("auto-reply answered %d, want accepted", code)
		}
		if n := len(p.got()); n != 1 {
			t.Errorf("auto-reply posted: %d replies", n)
		}

		// A handler failing for an internal reason gets a 4xx, so the MTA
		// retries; the retry, once the handler works, is posted.
		p.setFail(errors.New("database is restarting"))
		if code := send(t, p.addr, "a@northwind.example", []string{ana}, replyMail("ana.ruiz@northwind.example", ana, "r2@northwind.example", "")); code != 451 {
			t.Errorf("temporary failure answered %d, want 451", code)
		}
		// A thread no longer reachable refuses for good.
		p.setFail(fail.NotFoundf("This conversation is closed."))
		if code := send(t, p.addr, "a@northwind.example", []string{ana}, replyMail("ana.ruiz@northwind.example", ana, "r2@northwind.example", "")); code != 550 {
			t.Errorf("not-found answered %d, want 550", code)
		}
		p.setFail(nil)
		if code := send(t, p.addr, "a@northwind.example", []string{ana}, replyMail("ana.ruiz@northwind.example", ana, "r2@northwind.example", "")); code != 0 {
			t.Errorf("retry answered %d", code)
		}
		if got := p.got(); len(got) != 2 || got[1].MessageID != "r2@northwind.example" {
			t.Errorf("after retry: %+v", got)
		}
	})
}

func TestFirstDelivery(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		r := Reply{Token: Token{Scope: "t", ID: 1, UserID: 2}, MessageID: "m@x"}
		other := r
		other.Token.UserID = 3
		for i, c := range []struct {
			r     Reply
			first bool
		}{{r, true}, {r, false}, {other, true}, {Reply{Token: r.Token}, true}, {Reply{Token: r.Token}, true}} {
			first, err := FirstDelivery(ctx, db, c.r)
			if err != nil || first != c.first {
				t.Errorf("%d: FirstDelivery = %v, %v; want %v", i, first, err, c.first)
			}
		}
	})
}

func (p *portal) setFail(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fail = err
}
