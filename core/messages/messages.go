// Package messages keeps the conversations between a partner's people and
// the vendor's staff: threads, their participants, messages with Markdown
// and attachments, read state per person, search, and the staff inbox.
//
// Who sees a thread is decided once, here, from core/reach: staff see the
// threads of the partners they reach; a partner's user sees only threads of
// their own partner that they take part in. Unlike leads, a thread is
// private to its partner: a distributor does not read its sub-partners'
// conversations. Every list, load and search is narrowed in SQL; a thread
// the viewer may not see answers NotFound, like one that does not exist.
package messages

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/uptrace/bun"
)

// Notification kinds; people choose per kind how they hear of them.
const (
	KindNew      = "message.new"
	KindMention  = "message.mention"
	KindAssigned = "message.assigned"
)

// Kinds are the notification kinds of Messages, as a person chooses how
// to hear of them.
var Kinds = []notify.Kind{
	{Name: KindNew, Label: "A new message in one of your conversations", Group: "Messages"},
	{Name: KindMention, Label: "Someone mentions you", Group: "Messages"},
	{Name: KindAssigned, Label: "A conversation is assigned to you", Group: "Messages"},
}

// Limits of what one person may write, so that one message cannot flood a
// page and one person cannot flood a thread.
const (
	MaxSubject     = 200
	MaxBody        = 20000
	MaxAttachments = 10
	// FloodLimit messages per FloodWindow per person, on every node: the
	// count is read from the database.
	FloodLimit  = 30
	FloodWindow = time.Minute
)

// Notifier tells people about new messages (core/notify).
type Notifier interface {
	Notify(ctx context.Context, recipients []int64, n notify.Notification) error
}

// Publisher pushes an event to the open pages of a user (core/live's
// Hub): the topic names what changed ("messages:42"), badges the new
// unread counts.
type Publisher interface {
	Push(ctx context.Context, userID int64, kind, topic string, badges map[string]int) error
}

// Options configure a Service.
type Options struct {
	// Files stores attachments; nil refuses them.
	Files *files.Service
	// Notify and Live are told about new messages; nil tells nobody.
	Notify Notifier
	Live   Publisher
	// RoomPath is where the Messages room lives ("/rooms/messages"), for
	// links in notifications.
	RoomPath func(ctx context.Context) string
	// Program is the program's vocabulary, for broadcast audiences
	// (tier and stage order).
	Program func() program.Program
	Now     func() time.Time
	Log     *slog.Logger
}

// Service reads and writes conversations.
type Service struct {
	db    *bun.DB
	dir   *directory.Directory
	reach *reach.Resolver
	opts  Options
	// rare is how many matches make a word rare to PostgreSQL's search
	// (rareLimit; tests lower it to reach the other path).
	rare  int
	stats wordStats
}

// New returns a Service over db.
func New(db *bun.DB, dir *directory.Directory, res *reach.Resolver, opts Options) *Service {
	if opts.Now == nil {
		opts.Now = func() time.Time { return time.Now().UTC() }
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.Program == nil {
		opts.Program = func() program.Program { return program.Program{} }
	}
	if opts.RoomPath == nil {
		opts.RoomPath = func(context.Context) string { return "/rooms/messages" }
	}
	return &Service{db: db, dir: dir, reach: res, opts: opts, rare: rareLimit}
}

// threadRow is a stored thread.
type threadRow struct {
	bun.BaseModel `bun:"table:message_threads,alias:t"`

	ID              int64     `bun:"id,pk,autoincrement"`
	PartnerID       int64     `bun:"partner_id"`
	Subject         string    `bun:"subject"`
	Status          string    `bun:"status"`
	AssigneeID      *int64    `bun:"assignee_id"`
	CreatedBy       *int64    `bun:"created_by"`
	CreatedAt       time.Time `bun:"created_at"`
	LastMessageID   int64     `bun:"last_message_id"`
	LastMessageAt   time.Time `bun:"last_message_at"`
	LastFromPartner bool      `bun:"last_from_partner"`
	MessageCount    int       `bun:"message_count"`
}

// memberRow is a person with a thread in view.
type memberRow struct {
	bun.BaseModel `bun:"table:message_members,alias:mm"`

	ThreadID    int64     `bun:"thread_id,pk"`
	UserID      int64     `bun:"user_id,pk"`
	Participant bool      `bun:"participant"`
	LastReadID  int64     `bun:"last_read_id"`
	AddedAt     time.Time `bun:"added_at"`
}

// messageRow is a stored message.
type messageRow struct {
	bun.BaseModel `bun:"table:messages,alias:m"`

	ID        int64      `bun:"id,pk,autoincrement"`
	ThreadID  int64      `bun:"thread_id"`
	PartnerID int64      `bun:"partner_id"`
	AuthorID  *int64     `bun:"author_id"`
	Body      string     `bun:"body"`
	Names     string     `bun:"names"`
	Subject   string     `bun:"subject"` // the thread's, on its first message only
	Via       string     `bun:"via"`
	CreatedAt time.Time  `bun:"created_at"`
	EditedAt  *time.Time `bun:"edited_at"`
}

// attachmentRow links a message to a file of the file store.
type attachmentRow struct {
	bun.BaseModel `bun:"table:message_attachments"`

	MessageID int64 `bun:"message_id,pk"`
	FileID    int64 `bun:"file_id,pk"`
	ThreadID  int64 `bun:"thread_id"`
}

// cleanBody trims a message and checks its length; problems are reported
// on field.
func cleanBody(field, body string) (string, error) {
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	switch {
	case body == "":
		return "", fail.Field(field, "invalid.message.empty")
	case !utf8.ValidString(body) || strings.ContainsRune(body, 0):
		return "", fail.Field(field, "invalid.message.unstorable")
	case utf8.RuneCountInString(body) > MaxBody:
		return "", fail.Field(field, "invalid.message.long", "Max", MaxBody)
	}
	return body, nil
}

// cleanSubject trims a subject and checks it.
func cleanSubject(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	switch {
	case s == "":
		return "", fail.Field("subject", "invalid.message.subject")
	case !utf8.ValidString(s):
		return "", fail.Field("subject", "invalid.message.subject-unstorable")
	case utf8.RuneCountInString(s) > MaxSubject:
		return "", fail.Field("subject", "invalid.message.subject-long", "Max", MaxSubject)
	}
	return s, nil
}

// flood refuses a person who wrote FloodLimit messages within FloodWindow.
func (s *Service) flood(ctx context.Context, userID int64) error {
	n, err := s.db.NewSelect().Model((*messageRow)(nil)).Where("author_id = ?", userID).
		Where("created_at > ?", s.opts.Now().Add(-FloodWindow)).Where("via <> ?", ViaBroadcast).Count(ctx)
	if err != nil {
		return fmt.Errorf("count recent messages: %w", err)
	}
	if n >= FloodLimit {
		return fail.Msg(fail.TooMany, "invalid.message.flood", "Max", FloodLimit)
	}
	return nil
}
