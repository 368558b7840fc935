package messages

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/sdk"
	sm "github.com/atriumhq/atrium/sdk/messages"
	"github.com/uptrace/bun"
)

// Ways a message arrives.
const (
	ViaPortal = "portal"
	ViaEmail  = "email"
	ViaAPI    = "api"
	// ViaBroadcast marks the first message of each thread a broadcast
	// opened: one send, however many partners, so it does not count
	// against the sender's flood limit.
	ViaBroadcast = "broadcast"
)

// Start opens a thread with its first message.
func (s *Service) Start(ctx context.Context, v sdk.Viewer, in sm.Start) (sm.ThreadDetail, error) {
	return s.start(ctx, v, in, ViaPortal)
}

// StartVia is Start for a message that arrived another way (the API).
func (s *Service) StartVia(ctx context.Context, v sdk.Viewer, in sm.Start, via string) (sm.ThreadDetail, error) {
	return s.start(ctx, v, in, via)
}

func (s *Service) start(ctx context.Context, v sdk.Viewer, in sm.Start, via string) (sm.ThreadDetail, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sm.ThreadDetail{}, err
	}
	subject, serr := cleanSubject(in.Subject)
	body, berr := cleanBody("body", in.Body)
	if serr != nil || berr != nil {
		return sm.ThreadDetail{}, joinFields(serr, berr)
	}
	partnerID, people, err := s.startPeople(ctx, a, in)
	if err != nil {
		return sm.ThreadDetail{}, err
	}
	if err := s.flood(ctx, v.UserID); err != nil {
		return sm.ThreadDetail{}, err
	}
	if len(in.Attachments) > MaxAttachments {
		return sm.ThreadDetail{}, tooManyFiles()
	}
	now := s.opts.Now()
	t := threadRow{PartnerID: partnerID, Subject: subject, Status: sm.Open, CreatedBy: &v.UserID, CreatedAt: now, LastMessageAt: now}
	if !v.Role.Staff() {
		// Whoever the partner writes to is who answers.
		if to := people[0]; to != v.UserID {
			t.AssigneeID = &to
		}
	}
	var msg messageRow
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(&t).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("create thread: %w", err)
		}
		for _, id := range append(people, v.UserID) {
			if err := s.markRead(ctx, tx, t.ID, id, 0, true); err != nil {
				return err
			}
		}
		msg, err = s.insert(ctx, tx, t, v, body, via, in.Attachments)
		return err
	})
	if err != nil {
		return sm.ThreadDetail{}, err
	}
	s.announce(ctx, v, t, msg)
	return s.Get(ctx, v, t.ID)
}

// startPeople decides whose thread a Start opens and who is in it besides
// the author: for a partner's user, the recipient first, then colleagues;
// for staff, the chosen (or all) users of the partner.
func (s *Service) startPeople(ctx context.Context, a access, in sm.Start) (int64, []int64, error) {
	if a.staff() {
		if in.PartnerID == 0 {
			return 0, nil, fail.Field("partnerId", "invalid.message.partner")
		}
		if !a.rc.CanWrite(in.PartnerID) {
			return 0, nil, fail.Msg(fail.NotFound, "invalid.partner.none")
		}
		team, err := s.partnerUsers(ctx, in.PartnerID)
		if err != nil {
			return 0, nil, err
		}
		var people []int64
		for _, p := range team {
			if len(in.People) == 0 || slices.Contains(in.People, p.ID) {
				people = append(people, p.ID)
			}
		}
		if len(in.People) > 0 && len(people) != len(compact(in.People)) {
			return 0, nil, fail.Field("people", "invalid.message.partner-people")
		}
		if len(people) == 0 {
			return 0, nil, fail.Field("people", "invalid.message.no-users")
		}
		return in.PartnerID, people, nil
	}
	if a.v.Partner == nil || !a.rc.CanWrite(a.v.Partner.ID) {
		return 0, nil, fail.Msg(fail.NotFound, "invalid.message.cannot-start")
	}
	pid := a.v.Partner.ID
	recips, err := s.recipients(ctx, pid)
	if err != nil {
		return 0, nil, err
	}
	if len(recips) == 0 {
		return 0, nil, fail.Field("to", "invalid.message.no-manager")
	}
	to := recips[0].ID
	if in.To != 0 {
		i := slices.IndexFunc(recips, func(p sm.Person) bool { return p.ID == in.To })
		if i < 0 {
			return 0, nil, fail.Field("to", "invalid.message.to")
		}
		to = recips[i].ID
	}
	people := []int64{to}
	if len(in.People) > 0 {
		team, err := s.partnerUsers(ctx, pid)
		if err != nil {
			return 0, nil, err
		}
		for _, id := range compact(in.People) {
			if id == a.v.UserID {
				continue
			}
			if !slices.ContainsFunc(team, func(p sm.Person) bool { return p.ID == id }) {
				return 0, nil, fail.Field("people", "invalid.message.colleagues")
			}
			people = append(people, id)
		}
	}
	return pid, people, nil
}

func compact(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

func tooManyFiles() error {
	return fail.Field("attachments", "invalid.message.attachments", "Max", MaxAttachments)
}

// joinFields merges the field errors of several checks into one.
func joinFields(errs ...error) error {
	p := fail.Problems{}
	for _, err := range errs {
		p.Merge(err)
	}
	return p.Err()
}

// Post adds a message to a thread the viewer may write to.
func (s *Service) Post(ctx context.Context, v sdk.Viewer, in sm.Post) (sm.Message, error) {
	return s.post(ctx, v, in, ViaPortal)
}

// PostVia is Post for a message that arrived another way (email, the API).
func (s *Service) PostVia(ctx context.Context, v sdk.Viewer, in sm.Post, via string) (sm.Message, error) {
	return s.post(ctx, v, in, via)
}

func (s *Service) post(ctx context.Context, v sdk.Viewer, in sm.Post, via string) (sm.Message, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sm.Message{}, err
	}
	t, err := s.thread(ctx, a, in.ThreadID, true)
	if err != nil {
		return sm.Message{}, err
	}
	body, err := cleanBody("body", in.Body)
	if err != nil {
		return sm.Message{}, err
	}
	if err := s.flood(ctx, v.UserID); err != nil {
		return sm.Message{}, err
	}
	if len(in.Attachments) > MaxAttachments {
		return sm.Message{}, tooManyFiles()
	}
	var msg messageRow
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		msg, err = s.insert(ctx, tx, t, v, body, via, in.Attachments)
		if err != nil {
			return err
		}
		// Whoever writes takes part from now on, and has read up to here.
		return s.markRead(ctx, tx, t.ID, v.UserID, msg.ID, true)
	})
	if err != nil {
		return sm.Message{}, err
	}
	s.announce(ctx, v, t, msg)
	out, err := s.messages(ctx, v, t.ID, msg.ID)
	if err != nil || len(out) == 0 {
		return sm.Message{}, err
	}
	return out[0], nil
}

// insert stores a message in tx, attaches the staged files and moves the
// thread's summary on (reopening a closed thread).
func (s *Service) insert(ctx context.Context, tx bun.Tx, t threadRow, v sdk.Viewer, body, via string, uploads []string) (messageRow, error) {
	fs, err := files.Claim(ctx, tx, v.UserID, uploads, files.KindMessage, &t.PartnerID, "attachments")
	if err != nil {
		return messageRow{}, err
	}
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.Name
	}
	m := messageRow{ThreadID: t.ID, PartnerID: t.PartnerID, AuthorID: &v.UserID, Body: body, Names: strings.Join(names, "\n"),
		Via: via, CreatedAt: s.opts.Now()}
	if t.MessageCount == 0 {
		m.Subject = t.Subject // searched with the thread's first message
	}
	if _, err := tx.NewInsert().Model(&m).Returning("id").Exec(ctx); err != nil {
		return messageRow{}, fmt.Errorf("store message: %w", err)
	}
	for _, f := range fs {
		if _, err := tx.NewInsert().Model(&attachmentRow{MessageID: m.ID, FileID: f.ID, ThreadID: t.ID}).Exec(ctx); err != nil {
			return messageRow{}, fmt.Errorf("attach file %d: %w", f.ID, err)
		}
	}
	if _, err := tx.NewUpdate().Model((*threadRow)(nil)).
		Set("last_message_id = ?", m.ID).Set("last_message_at = ?", m.CreatedAt).
		Set("last_from_partner = ?", !v.Role.Staff()).Set("message_count = message_count + 1").
		Set("status = ?", sm.Open).Where("id = ?", t.ID).Exec(ctx); err != nil {
		return messageRow{}, fmt.Errorf("update thread %d: %w", t.ID, err)
	}
	return m, nil
}

// Edit changes the text of the viewer's own message.
func (s *Service) Edit(ctx context.Context, v sdk.Viewer, in sm.Edit) (sm.Message, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sm.Message{}, err
	}
	var m messageRow
	if err := s.db.NewSelect().Model(&m).Where("id = ?", in.MessageID).Limit(1).Scan(ctx); err != nil {
		return sm.Message{}, fail.Msg(fail.NotFound, "invalid.message.none")
	}
	if _, err := s.thread(ctx, a, m.ThreadID, true); err != nil {
		return sm.Message{}, err
	}
	if m.AuthorID == nil || *m.AuthorID != v.UserID {
		return sm.Message{}, fail.Msg(fail.Forbidden, "invalid.message.author-only")
	}
	body, err := cleanBody("body", in.Body)
	if err != nil {
		return sm.Message{}, err
	}
	if body != m.Body {
		if _, err := s.db.NewUpdate().Model((*messageRow)(nil)).Set("body = ?", body).Set("edited_at = ?", s.opts.Now()).
			Where("id = ?", m.ID).Exec(ctx); err != nil {
			return sm.Message{}, fmt.Errorf("edit message %d: %w", m.ID, err)
		}
		s.publishThread(ctx, m.ThreadID, v.UserID, "message.edited")
	}
	out, err := s.messages(ctx, v, m.ThreadID, m.ID)
	if err != nil || len(out) == 0 {
		return sm.Message{}, err
	}
	return out[0], nil
}

// AddPeople adds participants: the partner's users (anyone in the thread
// may add them) and staff reaching the partner (staff only).
func (s *Service) AddPeople(ctx context.Context, v sdk.Viewer, in sm.AddPeople) (sm.ThreadDetail, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sm.ThreadDetail{}, err
	}
	t, err := s.thread(ctx, a, in.ThreadID, true)
	if err != nil {
		return sm.ThreadDetail{}, err
	}
	if len(in.People) == 0 {
		return sm.ThreadDetail{}, fail.Field("people", "invalid.message.add-someone")
	}
	allowed, err := s.partnerUsers(ctx, t.PartnerID)
	if err != nil {
		return sm.ThreadDetail{}, err
	}
	if a.staff() {
		staff, err := s.staffReaching(ctx, t.PartnerID)
		if err != nil {
			return sm.ThreadDetail{}, err
		}
		allowed = append(allowed, staff...)
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, id := range compact(in.People) {
			if !slices.ContainsFunc(allowed, func(p sm.Person) bool { return p.ID == id }) {
				return fail.Field("people", "invalid.message.may-see")
			}
			if err := s.markRead(ctx, tx, t.ID, id, 0, true); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return sm.ThreadDetail{}, err
	}
	for _, id := range in.People {
		s.publish(ctx, id, "thread.added", topic(t.ID))
	}
	return s.Get(ctx, v, t.ID)
}

// Assign gives a thread to a staff member who reaches its partner.
func (s *Service) Assign(ctx context.Context, v sdk.Viewer, in sm.Assign) (sm.Thread, error) {
	a, t, err := s.staffThread(ctx, v, in.ThreadID)
	if err != nil {
		return sm.Thread{}, err
	}
	var to *int64
	if in.UserID != 0 {
		staff, err := s.staffReaching(ctx, t.PartnerID)
		if err != nil {
			return sm.Thread{}, err
		}
		if !slices.ContainsFunc(staff, func(p sm.Person) bool { return p.ID == in.UserID }) {
			return sm.Thread{}, fail.Field("userId", "invalid.message.colleague-partner")
		}
		to = &in.UserID
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model((*threadRow)(nil)).Set("assignee_id = ?", to).Where("id = ?", t.ID).Exec(ctx); err != nil {
			return fmt.Errorf("assign thread %d: %w", t.ID, err)
		}
		if to != nil {
			return s.markRead(ctx, tx, t.ID, *to, 0, true)
		}
		return nil
	})
	if err != nil {
		return sm.Thread{}, err
	}
	if to != nil && *to != v.UserID && s.opts.Notify != nil {
		n := notify.Notification{Kind: KindAssigned, TitleText: notify.Say("notify.message-assigned.title", "Subject", t.Subject),
			BodyText: notify.Say("notify.message-assigned.body", "Name", v.Name), Link: s.link(ctx, t.ID)}
		if err := s.opts.Notify.Notify(ctx, []int64{*to}, n); err != nil {
			s.opts.Log.Warn("notify assignment", "thread", t.ID, "err", err)
		}
	}
	return s.summary(ctx, a, t.ID)
}

// SetStatus closes or reopens a thread.
func (s *Service) SetStatus(ctx context.Context, v sdk.Viewer, in sm.SetStatus) (sm.Thread, error) {
	if in.Status != sm.Open && in.Status != sm.Closed {
		return sm.Thread{}, fail.Field("status", "invalid.message.status")
	}
	a, t, err := s.staffThread(ctx, v, in.ThreadID)
	if err != nil {
		return sm.Thread{}, err
	}
	if _, err := s.db.NewUpdate().Model((*threadRow)(nil)).Set("status = ?", in.Status).Where("id = ?", t.ID).Exec(ctx); err != nil {
		return sm.Thread{}, fmt.Errorf("set thread %d %s: %w", t.ID, in.Status, err)
	}
	s.publishThread(ctx, t.ID, 0, "thread."+in.Status)
	return s.summary(ctx, a, t.ID)
}

// staffThread loads a thread for a staff change: partners are refused
// (Forbidden when they may read it, NotFound otherwise).
func (s *Service) staffThread(ctx context.Context, v sdk.Viewer, id int64) (access, threadRow, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return access{}, threadRow{}, err
	}
	if !a.staff() {
		if _, err := s.thread(ctx, a, id, false); err != nil {
			return access{}, threadRow{}, err
		}
		return access{}, threadRow{}, fail.Msg(fail.Forbidden, "invalid.staff-only")
	}
	t, err := s.thread(ctx, a, id, true)
	return a, t, err
}

// summary is one thread as a list shows it.
func (s *Service) summary(ctx context.Context, a access, id int64) (sm.Thread, error) {
	d, err := s.Get(ctx, a.v, id)
	return d.Thread, err
}

// messages loads a thread's messages (only the ones named in only, when
// given), oldest first, with authors and attachments.
func (s *Service) messages(ctx context.Context, v sdk.Viewer, threadID int64, only ...int64) ([]sm.Message, error) {
	var rows []struct {
		messageRow `bun:",extend"`
		Name       string `bun:"author_name"`
		Role       string `bun:"author_role"`
	}
	q := s.db.NewSelect().Model(&rows).ColumnExpr("m.id, m.thread_id, m.partner_id, m.author_id, m.body, m.names, m.subject, m.via, m.created_at, m.edited_at").
		ColumnExpr("COALESCE(u.name, '') AS author_name").ColumnExpr("COALESCE(u.role, '') AS author_role").
		Join("LEFT JOIN users AS u ON u.id = m.author_id").Where("m.thread_id = ?", threadID).OrderExpr("m.id")
	if len(only) > 0 {
		q = q.Where("m.id IN (?)", bun.List(only))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("load messages of thread %d: %w", threadID, err)
	}
	atts, err := s.attachments(ctx, threadID)
	if err != nil {
		return nil, err
	}
	out := make([]sm.Message, 0, len(rows))
	for _, r := range rows {
		m := sm.Message{ID: r.ID, ThreadID: r.ThreadID, Body: r.Body, At: r.CreatedAt, EditedAt: r.EditedAt, Via: r.Via,
			Attachments: atts[r.ID]}
		if r.AuthorID != nil {
			m.Author = sm.Person{ID: *r.AuthorID, Name: r.Name, Staff: sdk.Role(r.Role).Staff()}
			m.Mine = *r.AuthorID == v.UserID
		}
		if m.Author.Name == "" {
			m.Author.Name = "A former user"
		}
		out = append(out, m)
	}
	return out, nil
}

// attachments loads a thread's attachments by message.
func (s *Service) attachments(ctx context.Context, threadID int64) (map[int64][]sm.Attachment, error) {
	var rows []struct {
		MessageID int64  `bun:"message_id"`
		FileID    int64  `bun:"file_id"`
		Name      string `bun:"name"`
		Size      int64  `bun:"size"`
		Type      string `bun:"content_type"`
	}
	if err := s.db.NewSelect().Table("message_attachments").
		ColumnExpr("message_attachments.message_id, message_attachments.file_id, f.name, v.size, v.content_type").
		Join("JOIN files AS f ON f.id = message_attachments.file_id").
		Join("JOIN file_versions AS v ON v.file_id = f.id AND v.number = f.latest").
		Where("message_attachments.thread_id = ?", threadID).OrderExpr("message_attachments.file_id").
		Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("load attachments of thread %d: %w", threadID, err)
	}
	out := map[int64][]sm.Attachment{}
	for _, r := range rows {
		out[r.MessageID] = append(out[r.MessageID], sm.Attachment{FileID: r.FileID, Name: r.Name, Size: r.Size,
			ContentType: r.Type, URL: fmt.Sprintf("/files/%d/download", r.FileID)})
	}
	return out, nil
}

// CanSeeAttachment reports whether the viewer may download a file attached
// to a message: whoever may see its thread. A staged file (not attached
// yet) is nobody's to download.
func (s *Service) CanSeeAttachment(ctx context.Context, v sdk.Viewer, fileID int64) (bool, error) {
	var threadID int64
	err := s.db.NewSelect().Table("message_attachments").Column("thread_id").Where("file_id = ?", fileID).Limit(1).Scan(ctx, &threadID)
	if err != nil {
		return false, nil
	}
	a, err := s.access(ctx, v)
	if err != nil {
		return false, err
	}
	_, err = s.thread(ctx, a, threadID, false)
	if fail.CodeOf(err) == fail.NotFound {
		return false, nil
	}
	return err == nil, err
}
