package mailin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/emersion/go-smtp"
	"github.com/uptrace/bun"
)

// Reply is a reply taken in by email, for the service that owns its scope.
type Reply struct {
	Token  Token
	UserID int64 // Token.UserID: the person the reply is by
	// From is the From header's address; it is the user's address, compared
	// without regard to case.
	From    string
	Subject string
	// Text is the new text of the reply: quoted history and signatures are
	// removed. It may be empty when the reply is only attachments.
	Text        string
	Attachments []Attachment
	MessageID   string // without angle brackets; "" when the mail had none
}

// Handler posts replies; the messages service implements it for scope "t".
//
// What its error means to the sender: a fail error of a user's kind
// (fail.Invalid, fail.NotFound, fail.Forbidden, fail.Conflict,
// fail.Unauthorized) refuses the mail for good (550, with the error's
// user-safe message, which the sender's MTA mails back); any other error is
// taken as temporary (451), and the MTA delivers again later.
type Handler interface {
	HandleReply(ctx context.Context, r Reply) error
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, r Reply) error

// HandleReply calls f.
func (f HandlerFunc) HandleReply(ctx context.Context, r Reply) error { return f(ctx, r) }

// Users tells the listener a user's address and whether the user may still
// post. A user that does not exist is a fail.NotFound error.
type Users interface {
	EmailOf(ctx context.Context, userID int64) (email string, active bool, err error)
}

// UsersFunc adapts a function to Users, so the directory wires in one line.
type UsersFunc func(ctx context.Context, userID int64) (string, bool, error)

// EmailOf calls f.
func (f UsersFunc) EmailOf(ctx context.Context, userID int64) (string, bool, error) {
	return f(ctx, userID)
}

// Config sets up the listener. Zero values take the defaults.
type Config struct {
	Addr string // where to listen; default "127.0.0.1:2525"
	// Domain is the host name the listener greets with; default the reply
	// domain.
	Domain          string
	MaxMessageBytes int64 // default 25 MiB, as common mail services allow
	MaxRecipients   int   // per mail; default 10
	// ReadTimeout bounds the wait for a command and for a whole DATA
	// transfer; default 5 minutes (RFC 5321 suggests 5 for commands, 10
	// for data). WriteTimeout bounds each answer; default 1 minute.
	ReadTimeout, WriteTimeout time.Duration
	// HandleTimeout bounds the handler's work on one reply; default 30 s.
	HandleTimeout time.Duration
	// DB, when set, holds the deliveries already taken in, so a retried
	// delivery is answered 250 and dropped; see FirstDelivery.
	DB  bun.IDB
	Log *slog.Logger
}

// Server is the inbound SMTP listener for replies. It never relays: it
// takes mail only for valid reply addresses and hands it to the handler.
//
// The sender checked is the From header, not the envelope sender (MAIL
// FROM): an MTA in front, a forwarder or a mailing list rewrites the
// envelope (SRS, VERP), while the From header is what the person's client
// wrote. The From header can be forged by anyone who knows the reply
// address, which is why the address is signed and secret; the MTA in front
// should also enforce SPF, DKIM and DMARC.
type Server struct {
	cfg    Config
	addrs  *Addresses
	users  Users
	h      Handler
	log    *slog.Logger
	smtp   *smtp.Server
	base   context.Context
	cancel context.CancelFunc
}

// New returns a listener for the reply addresses of addrs.
func New(cfg Config, addrs *Addresses, users Users, h Handler) *Server {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:2525"
	}
	if cfg.Domain == "" {
		cfg.Domain = addrs.Domain()
	}
	if cfg.MaxMessageBytes <= 0 {
		cfg.MaxMessageBytes = 25 << 20
	}
	if cfg.MaxRecipients <= 0 {
		cfg.MaxRecipients = 10
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = 5 * time.Minute
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = time.Minute
	}
	if cfg.HandleTimeout <= 0 {
		cfg.HandleTimeout = 30 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, addrs: addrs, users: users, h: h, log: cfg.Log.With("component", "mailin")}
	s.base, s.cancel = context.WithCancel(context.Background())
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s, remote: c.Conn().RemoteAddr().String()}, nil
	}))
	srv.Addr = cfg.Addr
	srv.Domain = cfg.Domain
	srv.MaxMessageBytes = cfg.MaxMessageBytes
	srv.MaxRecipients = cfg.MaxRecipients
	srv.ReadTimeout = cfg.ReadTimeout
	srv.WriteTimeout = cfg.WriteTimeout
	srv.ErrorLog = errorLog{s.log}
	s.smtp = srv
	return s
}

// ListenAndServe listens on Config.Addr and serves until Shutdown or Close.
func (s *Server) ListenAndServe() error {
	l, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen for replies on %s: %w", s.cfg.Addr, err)
	}
	return s.Serve(l)
}

// Serve serves connections on l until Shutdown or Close.
func (s *Server) Serve(l net.Listener) error {
	s.log.Info("listening for email replies", "addr", l.Addr().String(), "domain", s.addrs.Domain())
	err := s.smtp.Serve(l)
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops listening and waits for conversations under way to end,
// or for ctx.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.smtp.Shutdown(ctx)
	s.cancel()
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// Close stops at once; a reply being handled sees its context cancelled
// and the MTA delivers it again later.
func (s *Server) Close() error {
	s.cancel()
	err := s.smtp.Close()
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// The answers. Permanent ones (5xx) make the sender's MTA mail the text back
// to the person, so they say what happened in words a person reads.
var (
	errUnknownAddress = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
		Message: "No such reply address; reply to the notification email without changing its address"}
	errNoFromHeader = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 6, 0},
		Message: "The message needs exactly one From address"}
	errUnreadable = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 6, 0},
		Message: "The message could not be read"}
	errWrongSender = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
		Message: "This reply address takes replies only from the address the notification was sent to"}
	errInactive = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
		Message: "The account this reply address belongs to is deactivated"}
	errEmpty = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 6, 0},
		Message: "The reply has no text of its own above the quoted message"}
	errTryLater = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
		Message: "Temporary failure, please try again later"}
)

type session struct {
	s      *Server
	remote string
	from   string
	tokens []Token
}

func (x *session) Reset() { x.from, x.tokens = "", nil }

func (x *session) Logout() error { return nil }

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}

// Rcpt refuses an address that was not signed with the portal's key before
// any data is sent.
func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	tok, err := x.s.addrs.Parse(to)
	if err != nil {
		x.s.log.Info("reply refused: bad address", "to", to, "remote", x.remote)
		return errUnknownAddress
	}
	for _, t := range x.tokens {
		if t == tok {
			return nil
		}
	}
	x.tokens = append(x.tokens, tok)
	return nil
}

func (x *session) Data(r io.Reader) error {
	s := x.s
	raw, err := io.ReadAll(r)
	if err != nil {
		var se *smtp.SMTPError
		if errors.As(err, &se) {
			s.log.Info("reply refused", "reason", se.Message, "remote", x.remote)
			return se // too large: go-smtp's 552
		}
		return errTryLater
	}
	m, err := readMessage(bytes.NewReader(raw))
	if errors.Is(err, errNoFrom) {
		return errNoFromHeader
	}
	if err != nil {
		s.log.Info("reply refused: unreadable", "err", err, "remote", x.remote)
		return errUnreadable
	}
	log := s.log.With("message_id", m.MessageID, "from", m.From, "remote", x.remote)
	// Automatic mail is accepted and dropped: refusing it would make a
	// bounce, and posting it would notify the thread and so trigger the
	// next automatic reply.
	if m.Auto != "" || x.from == "" {
		reason := m.Auto
		if reason == "" {
			reason = "null envelope sender (a bounce)"
		}
		log.Info("reply dropped: automatic mail", "reason", reason)
		return nil
	}

	ctx, cancel := context.WithTimeout(s.base, s.cfg.HandleTimeout)
	defer cancel()
	// Every recipient must be the sender's own address before anything is
	// posted.
	for _, tok := range x.tokens {
		email, active, err := s.users.EmailOf(ctx, tok.UserID)
		switch {
		case fail.CodeOf(err) == fail.NotFound:
			log.Info("reply refused: no such user", "token", tok.String())
			return errUnknownAddress
		case err != nil:
			log.Error("reply deferred: look up user", "token", tok.String(), "err", err)
			return errTryLater
		case !strings.EqualFold(strings.TrimSpace(email), m.From):
			log.Info("reply refused: From is not the recipient's address", "token", tok.String())
			return errWrongSender
		case !active:
			log.Info("reply refused: user deactivated", "token", tok.String())
			return errInactive
		}
	}
	text := StripReply(m.Text)
	if text == "" && len(m.Attachments) == 0 {
		log.Info("reply refused: empty")
		return errEmpty
	}

	var temporary bool
	var permanent error
	for _, tok := range x.tokens {
		rp := Reply{Token: tok, UserID: tok.UserID, From: m.From, Subject: m.Subject, Text: text,
			Attachments: m.Attachments, MessageID: m.MessageID}
		if s.cfg.DB != nil {
			seen, err := delivered(ctx, s.cfg.DB, rp)
			if err != nil {
				log.Error("reply deferred", "token", tok.String(), "err", err)
				temporary = true
				continue
			}
			if seen {
				log.Info("reply dropped: delivered before", "token", tok.String())
				continue
			}
		}
		err := s.h.HandleReply(ctx, rp)
		switch fail.CodeOf(err) {
		case fail.Invalid, fail.NotFound, fail.Forbidden, fail.Conflict, fail.Unauthorized:
			log.Info("reply refused by handler", "token", tok.String(), "err", err)
			permanent = err
			continue
		}
		if err != nil {
			log.Error("reply deferred: handler failed", "token", tok.String(), "err", err)
			temporary = true
			continue
		}
		log.Info("reply posted", "token", tok.String(), "attachments", len(m.Attachments))
		if s.cfg.DB != nil {
			if _, err := FirstDelivery(ctx, s.cfg.DB, rp); err != nil {
				log.Error("record delivery", "token", tok.String(), "err", err)
			}
		}
	}
	if temporary {
		// Replies already posted are recorded, so the retry posts only
		// the rest.
		return errTryLater
	}
	if permanent != nil {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 0},
			Message: "The reply could not be posted: " + oneLine(fail.Message(permanent))}
	}
	return nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// errorLog sends go-smtp's reports of unexpected errors to the portal's log.
type errorLog struct{ log *slog.Logger }

func (l errorLog) Printf(format string, v ...any) { l.log.Warn(fmt.Sprintf(format, v...)) }
func (l errorLog) Println(v ...any)               { l.log.Warn(strings.TrimSpace(fmt.Sprintln(v...))) }
