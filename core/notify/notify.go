// Package notify tells people in the portal that something they care about
// happened: a lead moved, a deal was won, a commission was paid. Every
// notification is stored per recipient (so reading one is one row and the
// bell's unread count one indexed count) and then handed to the delivery
// channels each recipient chose, such as email. Other capabilities call
// [Service.Notify]; they never write the table themselves.
package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/store"
	"github.com/uptrace/bun"
)

// Notification is what happened, as the recipient reads it.
type Notification struct {
	// Kind names the event ("lead.status_changed"); preferences are kept per
	// kind.
	Kind string
	// Title and Body are the text as written: by a plugin in its own
	// words, or filled in from TitleText and BodyText in English.
	Title string
	Body  string
	// TitleText and BodyText, given by the portal's own services, are
	// the title and body as messages of the catalogue, worded for each
	// reader when shown (see [Text]); Title and Body, when empty, are
	// filled in from them in English.
	TitleText *Text
	BodyText  *Text
	// Link is the path of the object inside the portal ("/rooms/leads/items/42").
	Link string
	// ReplyScope, when set, lets the recipient answer the email: the
	// email carries a reply address for this scope and recipient ("t42",
	// a message thread), which the inbound listener turns back into a
	// reply (core/mailin).
	ReplyScope string
}

// Item is one stored notification of one recipient.
type Item struct {
	bun.BaseModel `bun:"table:notifications"`

	ID     int64  `bun:"id,pk,autoincrement" json:"id"`
	UserID int64  `bun:"user_id" json:"-"`
	Kind   string `bun:"kind" json:"kind"`
	Title  string `bun:"title" json:"title"`
	Body   string `bun:"body" json:"body,omitempty"`
	Link   string `bun:"link" json:"link,omitempty"`
	// TitleText and BodyText are the title and body as messages of the
	// catalogue, nil for text stored as written; [Item.In] words them.
	TitleText *Text `bun:"title_text,type:text" json:"-"`
	BodyText  *Text `bun:"body_text,type:text" json:"-"`
	// ReplyScope is the notification's reply scope (see Notification).
	ReplyScope string     `bun:"reply_scope" json:"-"`
	CreatedAt  time.Time  `bun:"created_at" json:"createdAt"`
	ReadAt     *time.Time `bun:"read_at" json:"readAt,omitempty"`
	EmailedAt  *time.Time `bun:"emailed_at" json:"-"`
}

// Read reports whether the recipient has read it.
func (i Item) Read() bool { return i.ReadAt != nil }

// Service stores notifications and delivers them.
type Service struct {
	db       bun.IDB
	log      *slog.Logger
	channels []Channel
	now      func() time.Time
	// unread caches counts for the bell briefly; nil counts every time.
	unread *expirable.LRU[int64, int]
	// wake tells Run that Notify stored rows.
	wake chan struct{}
	// Digests: the zone of the digest hour, the room titles and how often
	// Run looks for digests due.
	digestLoc   *time.Location
	roomTitle   func(slug string) string
	digestEvery time.Duration
}

// Option configures a Service.
type Option func(*Service)

// WithChannel adds a delivery channel beyond the portal itself.
func WithChannel(c Channel) Option { return func(s *Service) { s.channels = append(s.channels, c) } }

// WithUnreadCache keeps each person's unread count for up to ttl, so the
// bell on every page costs no query while they click around. Changes made
// through this Service show at once; another portal process's within ttl.
func WithUnreadCache(ttl time.Duration) Option {
	return func(s *Service) {
		if ttl > 0 {
			s.unread = expirable.NewLRU[int64, int](100_000, nil, ttl)
		}
	}
}

// forget drops cached counts of users whose notifications changed.
func (s *Service) forget(userIDs ...int64) {
	if s.unread == nil {
		return
	}
	for _, id := range userIDs {
		s.unread.Remove(id)
	}
}

// WithLogger sets where delivery failures are logged.
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// WithClock sets the clock (tests).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// New returns a Service over db.
func New(db bun.IDB, opts ...Option) *Service {
	s := &Service{db: db, log: slog.Default(), now: func() time.Time { return time.Now().UTC() }, wake: make(chan struct{}, 1),
		digestLoc: time.UTC, digestEvery: defaultDigestEvery}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Limits of a notification's text, so one event cannot flood a page.
const (
	maxTitle = 200
	maxBody  = 2000
	maxLink  = 1000
)

func (n Notification) validate() error {
	fields := map[string]string{}
	if err := n.TitleText.check(); err != nil {
		fields["titleText"] = err.Error()
	}
	if err := n.BodyText.check(); err != nil {
		fields["bodyText"] = err.Error()
	}
	if strings.TrimSpace(n.Kind) == "" {
		fields["kind"] = "is required"
	}
	if strings.TrimSpace(n.Title) == "" {
		fields["title"] = "is required"
	}
	if len(n.Title) > maxTitle {
		fields["title"] = fmt.Sprintf("is longer than %d characters", maxTitle)
	}
	if len(n.Body) > maxBody {
		fields["body"] = fmt.Sprintf("is longer than %d characters", maxBody)
	}
	// A link stays inside the portal: a notification must never send a
	// person to another site.
	if n.Link != "" && (!strings.HasPrefix(n.Link, "/") || strings.HasPrefix(n.Link, "//") || strings.Contains(n.Link, "\\") || len(n.Link) > maxLink) {
		fields["link"] = "must be a path inside the portal"
	}
	if len(fields) > 0 {
		return fail.Fields(fields)
	}
	return nil
}

// Notify stores n for every recipient (user ids; duplicates and zeros are
// ignored) and wakes [Service.Run] to hand it to the channels each recipient
// wants. Delivery happens after Notify returns and its failures are logged
// and retried, never returned: the in-app notification is the record.
func (s *Service) Notify(ctx context.Context, recipients []int64, n Notification) error {
	if t, ok := n.TitleText.In(english); ok && n.Title == "" {
		n.Title = clip(t, maxTitle)
	}
	if b, ok := n.BodyText.In(english); ok && n.Body == "" {
		n.Body = clip(b, maxBody)
	}
	if err := n.validate(); err != nil {
		return err
	}
	seen := map[int64]bool{}
	var rows []Item
	at := s.now()
	for _, id := range recipients {
		if id == 0 || seen[id] {
			continue
		}
		seen[id] = true
		rows = append(rows, Item{UserID: id, Kind: n.Kind, Title: n.Title, Body: n.Body, TitleText: n.TitleText, BodyText: n.BodyText, Link: n.Link, ReplyScope: n.ReplyScope, CreatedAt: at})
	}
	if len(rows) == 0 {
		return nil
	}
	// Through store.RunInTx: inside the write of the change it tells of,
	// the notification commits with that change (or not at all); alone,
	// it shares a commit with concurrent writes.
	if err := store.RunInTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewInsert().Model(&rows).Returning("id").Exec(ctx)
		return err
	}); err != nil {
		return fmt.Errorf("store notification %s: %w", n.Kind, err)
	}
	// When the notification is part of a larger write (the change it
	// tells of), the counts and the delivery worker must see it committed.
	store.AfterCommit(ctx, func() {
		for _, r := range rows {
			s.forget(r.UserID)
		}
		if len(s.channels) > 0 {
			select { // Run delivers them; a wake-up already pending covers these too
			case s.wake <- struct{}{}:
			default:
			}
		}
	})
	return nil
}

// Page is one page of a recipient's notifications, newest first.
type Page struct {
	Items   []Item `json:"items"`
	Total   int    `json:"total"`
	Unread  int    `json:"unread"`
	Page    int    `json:"page"`
	PerPage int    `json:"perPage"`
}

// Pages is the number of pages.
func (p Page) Pages() int {
	if p.PerPage <= 0 {
		return 1
	}
	return max(1, (p.Total+p.PerPage-1)/p.PerPage)
}

// ListOptions narrows a list.
type ListOptions struct {
	UnreadOnly bool
	Page       int
	PerPage    int // default 20, at most 100
}

// List returns one page of the user's notifications, newest first.
func (s *Service) List(ctx context.Context, userID int64, o ListOptions) (Page, error) {
	if o.PerPage <= 0 || o.PerPage > 100 {
		o.PerPage = 20
	}
	if o.Page < 1 {
		o.Page = 1
	}
	items := []Item{}
	q := s.db.NewSelect().Model(&items).Where("user_id = ?", userID)
	if o.UnreadOnly {
		q = q.Where("read_at IS NULL")
	}
	total, err := q.OrderExpr("id DESC").Limit(int64(o.PerPage)).Offset(int64((o.Page - 1) * o.PerPage)).ScanAndCount(ctx)
	if err != nil {
		return Page{}, fmt.Errorf("list notifications: %w", err)
	}
	unread, err := s.Unread(ctx, userID)
	if err != nil {
		return Page{}, err
	}
	return Page{Items: items, Total: int(total), Unread: unread, Page: o.Page, PerPage: o.PerPage}, nil
}

// Unread counts the user's unread notifications: one count over a partial
// index, cheap enough for every page's bell.
func (s *Service) Unread(ctx context.Context, userID int64) (int, error) {
	if s.unread != nil {
		if n, ok := s.unread.Get(userID); ok {
			return n, nil
		}
	}
	n, err := s.db.NewSelect().Model((*Item)(nil)).Where("user_id = ?", userID).Where("read_at IS NULL").Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count unread notifications: %w", err)
	}
	if s.unread != nil {
		s.unread.Add(userID, int(n))
	}
	return int(n), nil
}

// Get returns one of the user's notifications; another user's answers
// NotFound, exactly like one that does not exist.
func (s *Service) Get(ctx context.Context, userID, id int64) (Item, error) {
	var it Item
	err := s.db.NewSelect().Model(&it).Where("id = ?", id).Where("user_id = ?", userID).Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return Item{}, fail.Msg(fail.NotFound, "invalid.notify.none")
	}
	if err != nil {
		return Item{}, fmt.Errorf("load notification %d: %w", id, err)
	}
	return it, nil
}

// MarkRead marks one of the user's notifications read and returns it.
func (s *Service) MarkRead(ctx context.Context, userID, id int64) (Item, error) {
	it, err := s.Get(ctx, userID, id)
	if err != nil {
		return Item{}, err
	}
	if it.ReadAt != nil {
		return it, nil
	}
	at := s.now()
	if _, err := s.db.NewUpdate().Model((*Item)(nil)).Set("read_at = ?", at).
		Where("id = ?", id).Where("user_id = ?", userID).Where("read_at IS NULL").Exec(ctx); err != nil {
		return Item{}, fmt.Errorf("mark notification read: %w", err)
	}
	s.forget(userID)
	it.ReadAt = &at
	return it, nil
}

// MarkAllRead marks every unread notification of the user read and says how
// many there were.
func (s *Service) MarkAllRead(ctx context.Context, userID int64) (int, error) {
	res, err := s.db.NewUpdate().Model((*Item)(nil)).Set("read_at = ?", s.now()).
		Where("user_id = ?", userID).Where("read_at IS NULL").Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("mark notifications read: %w", err)
	}
	s.forget(userID)
	n, _ := res.RowsAffected()
	return int(n), nil
}
