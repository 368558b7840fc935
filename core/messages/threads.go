package messages

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/sdk"
	sm "github.com/atriumhq/atrium/sdk/messages"
	"github.com/uptrace/bun"
)

// access is what one viewer may do with threads, resolved once per call.
type access struct {
	v  sdk.Viewer
	rc reach.Reach
}

func (s *Service) access(ctx context.Context, v sdk.Viewer) (access, error) {
	rc, err := s.reach.For(ctx, v)
	if err != nil {
		return access{}, err
	}
	return access{v: v, rc: rc}, nil
}

// staff reports whether the viewer is staff who reach anyone at all.
func (a access) staff() bool { return a.rc.IsStaff() }

// participates is the condition that the viewer takes part in thread t.
const participates = "EXISTS (SELECT 1 FROM message_members AS pm WHERE pm.thread_id = t.id AND pm.user_id = ? AND pm.participant)"

// narrow limits a thread query (alias t) to the threads the viewer may see,
// or, with write, post to. Staff: the partners their reach reads (writes),
// and the threads they were brought into (a vendor contact a partner wrote
// to, who may not manage the partner). A partner's user: their own
// partner's threads that they take part in; the network's read of
// sub-partners does not extend to conversations. Nobody else: a
// deactivated account or a preview reaches no thread at all.
func (a access) narrow(q *bun.SelectQuery, write bool) *bun.SelectQuery {
	if a.rc.IsStaff() {
		if a.rc.Everyone() {
			return q
		}
		return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			if write {
				q = a.rc.WhereWritable(q, "t.partner_id")
			} else {
				q = a.rc.Where(q, "t.partner_id")
			}
			return q.WhereOr(participates, a.v.UserID)
		})
	}
	q = a.rc.WhereWritable(q, "t.partner_id")
	return q.Where(participates, a.v.UserID)
}

// sees reports whether a person (by id, with their reach read fresh) may
// see a thread of partner: the rule of narrow, for one thread, so that
// counts and notices never go to someone who lost access to it.
func (s *Service) sees(ctx context.Context, userID, partnerID int64, participant bool) (bool, error) {
	rc, err := s.reach.ForUser(ctx, userID)
	if err != nil {
		return false, err
	}
	if rc.IsStaff() {
		return rc.CanRead(partnerID) || participant, nil
	}
	return rc.CanWrite(partnerID) && participant, nil
}

// thread loads one thread for the viewer; a thread they may not see (or,
// with write, post to) is NotFound.
func (s *Service) thread(ctx context.Context, a access, id int64, write bool) (threadRow, error) {
	var t threadRow
	err := a.narrow(s.db.NewSelect().Model(&t).Where("t.id = ?", id), write).Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		if write {
			if _, rerr := s.thread(ctx, a, id, false); rerr == nil {
				return threadRow{}, fail.Msg(fail.Forbidden, "invalid.message.read-only")
			}
		}
		return threadRow{}, fail.Msg(fail.NotFound, "invalid.message.no-thread")
	}
	if err != nil {
		return threadRow{}, fmt.Errorf("load thread %d: %w", id, err)
	}
	return t, nil
}

// listRow is a thread with the viewer's read state and names, as one list
// query returns it.
type listRow struct {
	threadRow `bun:",extend"`

	PartnerName  string `bun:"partner_name"`
	AssigneeName string `bun:"assignee_name"`
	LastReadID   int64  `bun:"last_read_id"`
	Participant  bool   `bun:"participant"`
	Unread       int    `bun:"unread"`
	LastAuthor   string `bun:"last_author"`
	LastBody     string `bun:"last_body"`
}

// List returns one page of threads. Staff get the inbox over the partners
// they reach, unanswered first; partners their own threads, newest first.
func (s *Service) List(ctx context.Context, v sdk.Viewer, q sm.ThreadQuery) (sm.ThreadPage, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sm.ThreadPage{}, err
	}
	if q.PerPage <= 0 || q.PerPage > 100 {
		q.PerPage = 25
	}
	q.Page = max(q.Page, 1)
	var rows []listRow
	sel := s.db.NewSelect().Model(&rows).
		ColumnExpr("t.*").
		ColumnExpr("p.name AS partner_name").
		ColumnExpr("COALESCE(au.name, '') AS assignee_name").
		ColumnExpr("COALESCE(mm.last_read_id, 0) AS last_read_id").
		ColumnExpr("COALESCE(mm.participant, ?) AS participant", false).
		ColumnExpr("(SELECT COUNT(*) FROM messages AS um WHERE um.thread_id = t.id AND um.id > COALESCE(mm.last_read_id, 0) AND (um.author_id IS NULL OR um.author_id <> ?)) AS unread", v.UserID).
		ColumnExpr("COALESCE(lu.name, '') AS last_author").
		ColumnExpr("COALESCE(lm.body, '') AS last_body").
		Join("JOIN partners AS p ON p.id = t.partner_id").
		Join("LEFT JOIN users AS au ON au.id = t.assignee_id").
		Join("LEFT JOIN message_members AS mm ON mm.thread_id = t.id AND mm.user_id = ?", v.UserID).
		Join("LEFT JOIN messages AS lm ON lm.id = t.last_message_id").
		Join("LEFT JOIN users AS lu ON lu.id = lm.author_id")
	sel = a.narrow(sel, false)
	switch q.Status {
	case sm.Open, sm.Closed:
		sel = sel.Where("t.status = ?", q.Status)
	case "":
	default:
		return sm.ThreadPage{}, fail.Field("status", "invalid.message.status-filter")
	}
	if q.PartnerID != 0 {
		sel = sel.Where("t.partner_id = ?", q.PartnerID)
	}
	if q.Mine {
		sel = sel.Where("t.assignee_id = ?", v.UserID)
	}
	if q.Unanswered {
		sel = sel.Where("t.last_from_partner AND t.status = ?", sm.Open)
	}
	if q.Unread {
		sel = sel.Where("t.last_message_id > COALESCE(mm.last_read_id, 0)")
	}
	if a.staff() {
		// The inbox: what waits for an answer first, then the newest.
		sel = sel.OrderExpr("CASE WHEN t.last_from_partner AND t.status = ? THEN 0 ELSE 1 END", sm.Open)
	}
	total, err := sel.OrderExpr("t.last_message_at DESC, t.id DESC").
		Limit(int64(q.PerPage)).Offset(int64((q.Page - 1) * q.PerPage)).ScanAndCount(ctx)
	if err != nil {
		return sm.ThreadPage{}, fmt.Errorf("list threads: %w", err)
	}
	out := sm.ThreadPage{Threads: make([]sm.Thread, 0, len(rows)), Total: int(total), Page: q.Page, PerPage: q.PerPage}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	people, err := s.participants(ctx, ids...)
	if err != nil {
		return sm.ThreadPage{}, err
	}
	for _, r := range rows {
		t := r.sdk(people[r.ID])
		t.Unread, t.Participant, t.PartnerName = r.Unread, r.Participant, r.PartnerName
		if r.AssigneeName != "" {
			t.Assignee = &sm.Person{ID: *r.AssigneeID, Name: r.AssigneeName, Staff: true}
		}
		t.LastAuthor, t.Preview = r.LastAuthor, preview(r.LastBody)
		out.Threads = append(out.Threads, t)
	}
	if out.Unread, err = s.Unread(ctx, v); err != nil {
		return sm.ThreadPage{}, err
	}
	if err := s.fillChoices(ctx, a, &out); err != nil {
		return sm.ThreadPage{}, err
	}
	return out, nil
}

// fillChoices adds what a page offers beside the list: partners to filter
// by (staff), whom to write to and colleagues to add (partners).
func (s *Service) fillChoices(ctx context.Context, a access, out *sm.ThreadPage) error {
	if a.staff() {
		var ps []sm.PartnerRef
		q := s.db.NewSelect().Table("partners").Column("id", "name").OrderExpr("lower(name), id").Limit(1000)
		if err := a.rc.Where(q, "id").Scan(ctx, &ps); err != nil {
			return fmt.Errorf("list partners: %w", err)
		}
		out.Partners = ps
		return nil
	}
	if a.v.Partner == nil || !a.rc.CanWrite(a.v.Partner.ID) {
		return nil
	}
	var err error
	if out.Recipients, err = s.recipients(ctx, a.v.Partner.ID); err != nil {
		return err
	}
	cs, err := s.partnerUsers(ctx, a.v.Partner.ID)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.ID != a.v.UserID {
			out.Colleagues = append(out.Colleagues, c)
		}
	}
	return nil
}

func (r threadRow) sdk(people []sm.Person) sm.Thread {
	if people == nil {
		people = []sm.Person{}
	}
	return sm.Thread{ID: r.ID, PartnerID: r.PartnerID, Subject: r.Subject, Status: r.Status, Participants: people,
		CreatedAt: r.CreatedAt, LastAt: r.LastMessageAt, Messages: r.MessageCount,
		Unanswered: r.LastFromPartner && r.Status == sm.Open}
}

// preview is the start of a message as one line of plain-ish text.
func preview(body string) string {
	body = strings.Join(strings.Fields(body), " ")
	if utf8.RuneCountInString(body) <= 140 {
		return body
	}
	return string([]rune(body)[:139]) + "…"
}

// participants loads the people in each thread, staff first, by name.
func (s *Service) participants(ctx context.Context, threadIDs ...int64) (map[int64][]sm.Person, error) {
	out := map[int64][]sm.Person{}
	if len(threadIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		ThreadID int64  `bun:"thread_id"`
		ID       int64  `bun:"id"`
		Name     string `bun:"name"`
		Role     string `bun:"role"`
	}
	if err := s.db.NewSelect().Table("message_members").
		ColumnExpr("message_members.thread_id, u.id, u.name, u.role").
		Join("JOIN users AS u ON u.id = message_members.user_id").
		Where("message_members.thread_id IN (?)", bun.List(threadIDs)).Where("message_members.participant").
		OrderExpr("message_members.thread_id, CASE WHEN u.role IN ('admin', 'manager') THEN 0 ELSE 1 END, lower(u.name)").
		Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("load participants: %w", err)
	}
	for _, r := range rows {
		out[r.ThreadID] = append(out[r.ThreadID], sm.Person{ID: r.ID, Name: r.Name, Staff: sdk.Role(r.Role).Staff()})
	}
	return out, nil
}

// Get returns a thread with its messages and marks it read for the viewer.
func (s *Service) Get(ctx context.Context, v sdk.Viewer, id int64) (sm.ThreadDetail, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sm.ThreadDetail{}, err
	}
	t, err := s.thread(ctx, a, id, false)
	if err != nil {
		return sm.ThreadDetail{}, err
	}
	var mine memberRow
	err = s.db.NewSelect().Model(&mine).Where("thread_id = ? AND user_id = ?", id, v.UserID).Limit(1).Scan(ctx)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return sm.ThreadDetail{}, fmt.Errorf("load read state: %w", err)
	}
	msgs, err := s.messages(ctx, v, t.ID)
	if err != nil {
		return sm.ThreadDetail{}, err
	}
	for i := range msgs {
		msgs[i].New = msgs[i].ID > mine.LastReadID && !msgs[i].Mine
	}
	people, err := s.participants(ctx, t.ID)
	if err != nil {
		return sm.ThreadDetail{}, err
	}
	out := sm.ThreadDetail{Thread: t.sdk(people[t.ID]), Messages: msgs, Staff: a.staff()}
	out.Thread.Participant = mine.Participant
	if out.Thread.PartnerName, err = s.partnerName(ctx, t.PartnerID); err != nil {
		return sm.ThreadDetail{}, err
	}
	if t.AssigneeID != nil {
		if u, err := s.dir.User(ctx, *t.AssigneeID); err == nil {
			out.Thread.Assignee = &sm.Person{ID: u.ID, Name: u.Name, Staff: true}
		}
	}
	if err := s.fillPeople(ctx, a, t, &out); err != nil {
		return sm.ThreadDetail{}, err
	}
	if !v.Preview && t.LastMessageID > mine.LastReadID {
		if err := s.markRead(ctx, s.db, t.ID, v.UserID, t.LastMessageID, false); err != nil {
			return sm.ThreadDetail{}, err
		}
		s.publishBadge(ctx, v.UserID, t.ID)
	}
	return out, nil
}

// fillPeople lists whom the viewer may add to the thread and, for staff,
// assign it to.
func (s *Service) fillPeople(ctx context.Context, a access, t threadRow, out *sm.ThreadDetail) error {
	in := map[int64]bool{}
	for _, p := range out.Thread.Participants {
		in[p.ID] = true
	}
	team, err := s.partnerUsers(ctx, t.PartnerID)
	if err != nil {
		return err
	}
	for _, p := range team {
		if !in[p.ID] {
			out.CanAdd = append(out.CanAdd, p)
		}
	}
	if !a.staff() {
		return nil
	}
	staff, err := s.staffReaching(ctx, t.PartnerID)
	if err != nil {
		return err
	}
	out.Assignable = staff
	for _, p := range staff {
		if !in[p.ID] {
			out.CanAdd = append(out.CanAdd, p)
		}
	}
	return nil
}

// markRead moves a person's read mark forward (never back); participant
// makes them a participant if they were only reading.
func (s *Service) markRead(ctx context.Context, db bun.IDB, threadID, userID, upTo int64, participant bool) error {
	m := memberRow{ThreadID: threadID, UserID: userID, Participant: participant, LastReadID: upTo, AddedAt: s.opts.Now()}
	q := db.NewInsert().Model(&m).On("CONFLICT (thread_id, user_id) DO UPDATE").
		Set("last_read_id = CASE WHEN EXCLUDED.last_read_id > mm.last_read_id THEN EXCLUDED.last_read_id ELSE mm.last_read_id END")
	if participant {
		q = q.Set("participant = EXCLUDED.participant")
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("mark thread %d read: %w", threadID, err)
	}
	return nil
}

// Unread counts the threads with messages the viewer has not seen among
// those they take part in: the badge of the Messages room.
func (s *Service) Unread(ctx context.Context, v sdk.Viewer) (int, error) {
	if v.Preview || v.UserID == 0 {
		return 0, nil
	}
	return s.unread(ctx, v.UserID)
}

func (s *Service) unread(ctx context.Context, userID int64) (int, error) {
	rc, err := s.reach.ForUser(ctx, userID)
	if err != nil {
		return 0, err
	}
	q := s.db.NewSelect().Model((*memberRow)(nil)).
		Join("JOIN message_threads AS t ON t.id = mm.thread_id").
		Where("mm.user_id = ? AND mm.participant", userID).
		Where("t.last_message_id > mm.last_read_id")
	if !rc.IsStaff() {
		// A partner's user who moved to another partner, or left, no
		// longer counts the old partner's threads; staff count every
		// thread they take part in, which they may all see.
		q = rc.WhereWritable(q, "t.partner_id")
	}
	n, err := q.Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count unread threads: %w", err)
	}
	return int(n), nil
}

func (s *Service) partnerName(ctx context.Context, id int64) (string, error) {
	p, err := s.dir.Partner(ctx, id)
	if err != nil {
		return "", err
	}
	return p.Name, nil
}

// partnerUsers lists a partner's active users by name.
func (s *Service) partnerUsers(ctx context.Context, partnerID int64) ([]sm.Person, error) {
	var out []sm.Person
	if err := s.db.NewSelect().Table("users").Column("id", "name").
		Where("partner_id = ? AND active", partnerID).OrderExpr("lower(name), id").Limit(500).Scan(ctx, &out); err != nil {
		return nil, fmt.Errorf("list the partner's users: %w", err)
	}
	return out, nil
}

// staffReaching lists the active staff who may write to a partner's
// threads (core/reach's StaffOf), by name.
func (s *Service) staffReaching(ctx context.Context, partnerID int64) ([]sm.Person, error) {
	ids, err := s.reach.StaffOf(ctx, partnerID)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	var out []sm.Person
	if err := s.db.NewSelect().Table("users").Column("id", "name").Where("id IN (?)", bun.List(ids)).
		OrderExpr("lower(name), id").Scan(ctx, &out); err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}
	for i := range out {
		out[i].Staff = true
	}
	return out, nil
}

// recipients are whom a partner's user may write to: the partner manager
// first, then the vendor contacts assigned to the partner or to everyone.
func (s *Service) recipients(ctx context.Context, partnerID int64) ([]sm.Person, error) {
	p, err := s.dir.Partner(ctx, partnerID)
	if err != nil {
		return nil, err
	}
	var out []sm.Person
	seen := map[int64]bool{}
	if p.ManagerID != nil {
		if u, err := s.dir.User(ctx, *p.ManagerID); err == nil && u.Active {
			out = append(out, sm.Person{ID: u.ID, Name: u.Name, Staff: true, Role: "Partner manager"})
			seen[u.ID] = true
		}
	}
	var rows []struct {
		ID   int64  `bun:"id"`
		Name string `bun:"name"`
		Role string `bun:"role"`
	}
	if err := s.db.NewSelect().Table("vendor_contacts").ColumnExpr("u.id, u.name, vendor_contacts.role").
		Join("JOIN users AS u ON u.id = vendor_contacts.user_id").
		Where("u.active").Where("vendor_contacts.partner_id IS NULL OR vendor_contacts.partner_id = ?", partnerID).
		OrderExpr("vendor_contacts.position, vendor_contacts.id").Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("list vendor contacts: %w", err)
	}
	for _, r := range rows {
		if !seen[r.ID] {
			seen[r.ID] = true
			out = append(out, sm.Person{ID: r.ID, Name: r.Name, Staff: true, Role: roleTitle(r.Role)})
		}
	}
	return out, nil
}

func roleTitle(role string) string {
	switch role {
	case "support":
		return "Support"
	case "marketing":
		return "Marketing"
	}
	return "Vendor contact"
}
