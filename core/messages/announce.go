package messages

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/sdk"
)

// link is the path of a thread in the Messages room.
func (s *Service) link(ctx context.Context, threadID int64) string {
	return strings.TrimRight(s.opts.RoomPath(ctx), "/") + "/items/" + strconv.FormatInt(threadID, 10)
}

// ThreadScope is the reply scope of a thread's notifications: an email
// about a message carries a reply address for it (see core/mailin).
func ThreadScope(threadID int64) string { return "t" + strconv.FormatInt(threadID, 10) }

// announce tells the thread's participants about a new message (a
// notification each, by their preferences; a mention for those named with
// @) and pushes the change to open pages. Failures are logged: the message
// is stored, and pages show it on the next load.
func (s *Service) announce(ctx context.Context, author sdk.Viewer, t threadRow, m messageRow) {
	ctx = context.WithoutCancel(ctx)
	var members []struct {
		UserID      int64  `bun:"user_id"`
		Name        string `bun:"name"`
		Participant bool   `bun:"participant"`
	}
	if err := s.db.NewSelect().Table("message_members").ColumnExpr("message_members.user_id, u.name, message_members.participant").
		Join("JOIN users AS u ON u.id = message_members.user_id").
		Where("message_members.thread_id = ? AND u.active", t.ID).Scan(ctx, &members); err != nil {
		s.opts.Log.Warn("load thread members", "thread", t.ID, "err", err)
		return
	}
	// Only those who may still see the thread hear of it: a member who
	// moved to another partner, or a manager who no longer manages it,
	// gets neither the text nor a count.
	kept := members[:0]
	for _, mb := range members {
		ok, err := s.sees(ctx, mb.UserID, t.PartnerID, mb.Participant)
		if err != nil {
			s.opts.Log.Warn("check a member's access", "thread", t.ID, "user", mb.UserID, "err", err)
			continue
		}
		if ok {
			kept = append(kept, mb)
		}
	}
	members = kept
	var plain, mentioned []int64
	for _, mb := range members {
		if mb.UserID == author.UserID || !mb.Participant {
			continue
		}
		if Mentions(m.Body, mb.Name) {
			mentioned = append(mentioned, mb.UserID)
		} else {
			plain = append(plain, mb.UserID)
		}
	}
	if s.opts.Notify != nil {
		body := m.Body
		if utf8.RuneCountInString(body) > 1900 {
			body = string([]rune(body)[:1900]) + "…"
		}
		// The message is as its author wrote it; only the words around
		// it are the reader's.
		n := notify.Notification{Kind: KindNew, TitleText: notify.Say("notify.message-new.title", "Name", author.Name, "Subject", t.Subject),
			Body: body, Link: s.link(ctx, t.ID), ReplyScope: ThreadScope(t.ID)}
		if m.Names != "" {
			n.BodyText = notify.Say("notify.message-new.body-attached", "Text", body, "Files", strings.ReplaceAll(m.Names, "\n", ", "))
			n.Body = ""
		}
		if err := s.opts.Notify.Notify(ctx, plain, n); err != nil {
			s.opts.Log.Warn("notify new message", "thread", t.ID, "err", err)
		}
		n.Kind, n.Title, n.TitleText = KindMention, "", notify.Say("notify.message-mention.title", "Name", author.Name, "Subject", t.Subject)
		if err := s.opts.Notify.Notify(ctx, mentioned, n); err != nil {
			s.opts.Log.Warn("notify mention", "thread", t.ID, "err", err)
		}
	}
	for _, mb := range members {
		s.publish(ctx, mb.UserID, "message.new", topic(t.ID))
	}
}

// mentionRE finds "@Name" and "@First Last" at a word start.
var mentionRE = regexp.MustCompile(`(?:^|[\s(])@([\p{L}][\p{L}\p{N}'.-]*(?: [\p{L}][\p{L}\p{N}'.-]*)?)`)

// Mentions reports whether body names person with @ (projects use it too): by full name or by
// first name, in any case.
func Mentions(body, name string) bool {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" {
		return false
	}
	first, _, _ := strings.Cut(name, " ")
	for _, m := range mentionRE.FindAllStringSubmatch(body, -1) {
		said := strings.ToLower(strings.TrimRight(m[1], ".-'"))
		one, _, _ := strings.Cut(said, " ")
		if said == name || one == first || strings.HasPrefix(said, name) {
			return true
		}
	}
	return false
}

// publish pushes one change to one person's open pages with their fresh
// unread count.
func (s *Service) publish(ctx context.Context, userID int64, kind, topic string) {
	if s.opts.Live == nil {
		return
	}
	n, err := s.unread(ctx, userID)
	if err != nil {
		s.opts.Log.Warn("count unread for live update", "user", userID, "err", err)
		return
	}
	if err := s.opts.Live.Push(ctx, userID, kind, topic, map[string]int{"messages": n}); err != nil {
		s.opts.Log.Warn("publish live update", "user", userID, "err", err)
	}
}

// publishBadge tells a person's other open pages that they read a thread.
func (s *Service) publishBadge(ctx context.Context, userID, threadID int64) {
	s.publish(context.WithoutCancel(ctx), userID, "thread.read", "read:"+strconv.FormatInt(threadID, 10))
}

// publishThread pushes a change of a thread to everyone who has it in
// view except one person (0: nobody).
func (s *Service) publishThread(ctx context.Context, threadID, except int64, kind string) {
	if s.opts.Live == nil {
		return
	}
	ctx = context.WithoutCancel(ctx)
	var rows []struct {
		UserID      int64 `bun:"user_id"`
		Participant bool  `bun:"participant"`
		PartnerID   int64 `bun:"partner_id"`
	}
	if err := s.db.NewSelect().Table("message_members").ColumnExpr("message_members.user_id, message_members.participant, t.partner_id").
		Join("JOIN message_threads AS t ON t.id = message_members.thread_id").
		Where("message_members.thread_id = ?", threadID).Scan(ctx, &rows); err != nil {
		s.opts.Log.Warn("load thread members", "thread", threadID, "err", err)
		return
	}
	for _, r := range rows {
		if r.UserID == except {
			continue
		}
		if ok, err := s.sees(ctx, r.UserID, r.PartnerID, r.Participant); err == nil && ok {
			s.publish(ctx, r.UserID, kind, topic(threadID))
		}
	}
}

// topic is the live topic of a thread ("messages:42"): pages showing the
// thread or a list of threads ("messages") refresh on it.
func topic(threadID int64) string { return "messages:" + strconv.FormatInt(threadID, 10) }
