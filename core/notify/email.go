package notify

import (
	"context"
	"crypto/tls"
	"fmt"
	"mime"
	"net"
	"net/smtp"
	"strings"
	"time"
)

// SMTPConfig is how the portal reaches its mail server.
type SMTPConfig struct {
	Addr     string // host:port
	From     string // the sender address
	FromName string // the sender name ("Acme Cloud Partners")
	Username string // optional; PLAIN auth, over TLS only
	Password string
	// BaseURL is the portal's address, to turn a notification's path into
	// a link in the mail ("https://partners.acme.example").
	BaseURL string
	Timeout time.Duration // per message; default 10s
	// ReplyTo makes the reply address of a notification that can be
	// answered by email (its ReplyScope) for one recipient; nil or ""
	// sends no Reply-To, and the mail says nothing about replying.
	ReplyTo func(scope string, userID int64) string
}

// Email is the channel that sends each notification as a plain-text mail
// through SMTP. Go's net/smtp is enough for submitting to a relay; it speaks
// STARTTLS when the server offers it.
type Email struct{ cfg SMTPConfig }

// NewEmail returns the email channel.
func NewEmail(cfg SMTPConfig) *Email {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	return &Email{cfg: cfg}
}

// Name is "email".
func (e *Email) Name() string { return "email" }

// Send mails one notification.
func (e *Email) Send(ctx context.Context, to Recipient, it Item) error {
	if to.Email == "" || strings.ContainsAny(to.Email, "\r\n") {
		return fmt.Errorf("no usable address for user %d", to.UserID)
	}
	return e.send(ctx, to, e.message(to, it))
}

// send submits one message to one recipient.
func (e *Email) send(ctx context.Context, to Recipient, msg []byte) error {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.Timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", e.cfg.Addr)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", e.cfg.Addr, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	host, _, _ := net.SplitHostPort(e.cfg.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp greeting: %w", err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host}); err != nil {
			return fmt.Errorf("smtp starttls: %w", err)
		}
	}
	if e.cfg.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", e.cfg.Username, e.cfg.Password, host)); err != nil {
			return fmt.Errorf("smtp auth: %w", err)
		}
	}
	if err := c.Mail(e.cfg.From); err != nil {
		return fmt.Errorf("smtp MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to.Email); err != nil {
		return fmt.Errorf("smtp RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("smtp write: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp end of data: %w", err)
	}
	return c.Quit()
}

// headers are the mail's From, To, Subject and Date, encoded per RFC 2047.
func (e *Email) headers(b *strings.Builder, to Recipient, subject string, date time.Time) {
	from := e.cfg.From
	if e.cfg.FromName != "" {
		from = mime.QEncoding.Encode("utf-8", oneLine(e.cfg.FromName)) + " <" + e.cfg.From + ">"
	}
	rcpt := to.Email
	if to.Name != "" {
		rcpt = mime.QEncoding.Encode("utf-8", oneLine(to.Name)) + " <" + to.Email + ">"
	}
	b.WriteString("From: " + from + "\r\n")
	b.WriteString("To: " + rcpt + "\r\n")
	b.WriteString("Subject: " + mime.QEncoding.Encode("utf-8", oneLine(subject)) + "\r\n")
	b.WriteString("Date: " + date.Format(time.RFC1123Z) + "\r\n")
	b.WriteString("MIME-Version: 1.0\r\n")
}

func oneLine(s string) string { return strings.NewReplacer("\r", " ", "\n", " ").Replace(s) }

// link is the absolute address of a path inside the portal.
func (e *Email) link(path string) string {
	return strings.TrimRight(e.cfg.BaseURL, "/") + path
}

// message builds the mail: headers encoded per RFC 2047, body plain text
// with CRLF line ends (net/smtp's data writer does the dot-stuffing). The
// body is the notification's title, its body (a message's text, a reason)
// and its link.
func (e *Email) message(to Recipient, it Item) []byte {
	var b strings.Builder
	e.headers(&b, to, it.Title, it.CreatedAt)
	replyTo := ""
	if it.ReplyScope != "" && e.cfg.ReplyTo != nil {
		replyTo = e.cfg.ReplyTo(it.ReplyScope, to.UserID)
	}
	if replyTo != "" && !strings.ContainsAny(replyTo, "\r\n") {
		b.WriteString("Reply-To: " + replyTo + "\r\n")
	}
	b.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n")
	b.WriteString("Auto-Submitted: auto-generated\r\n\r\n")
	body := it.Title + "\n"
	if it.Body != "" {
		body += "\n" + it.Body + "\n"
	}
	if it.Link != "" {
		body += "\n" + e.link(it.Link) + "\n"
	}
	if replyTo != "" {
		body += "\n" + to.words().T("mail.reply") + "\n"
	}
	for _, line := range strings.Split(strings.TrimRight(body, "\n"), "\n") {
		b.WriteString(strings.TrimRight(line, "\r") + "\r\n")
	}
	return []byte(b.String())
}
