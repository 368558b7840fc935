// Package notifytest runs a real SMTP server in tests, for anything that
// sends mail: a conversation over TCP, so the sender is tested as a mail
// server sees it.
package notifytest

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/emersion/go-smtp"
)

// Mailbox is an SMTP backend that keeps what it receives.
type Mailbox struct {
	mu   sync.Mutex
	msgs []Mail
	// Fail makes the server answer 451 to every sender while set.
	Fail atomic.Bool
}

// Mail is one received mail.
type Mail struct {
	From string
	To   []string
	Data string
}

// Sent returns the mails received so far.
func (m *Mailbox) Sent() []Mail {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Mail(nil), m.msgs...)
}

// StartSMTP serves a Mailbox on 127.0.0.1 until the test ends and returns
// it with its address.
func StartSMTP(t testing.TB) (*Mailbox, string) {
	t.Helper()
	box := &Mailbox{}
	srv := smtp.NewServer(box)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return box, ln.Addr().String()
}

// NewSession starts a session (go-smtp's Backend).
func (m *Mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{box: m}, nil }

type session struct {
	box *Mailbox
	cur Mail
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.box.Fail.Load() {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}
	}
	s.cur.From = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.Data = string(b)
	s.box.mu.Lock()
	s.box.msgs = append(s.box.msgs, s.cur)
	s.box.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.cur = Mail{} }
func (s *session) Logout() error { return nil }
