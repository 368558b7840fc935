package messages_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/blob"
	"github.com/atriumhq/atrium/core/contacts"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/messages"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	sm "github.com/atriumhq/atrium/sdk/messages"
	"github.com/uptrace/bun"
)

// program is a vendor with two partners: Sarah and Tom work for Contoso
// Resellers (gold), managed by Mike; Olga works for Other Co (silver),
// managed by Nina.
type world struct {
	svc    *messages.Service
	files  *files.Service
	notify *notify.Service
	clock  *time.Time
	live   *pushes

	admin, mike, nina, sarah, tom, olga sdk.Viewer
	contoso, other                      directory.Partner
}

func newWorld(t *testing.T, db *bun.DB) *world {
	t.Helper()
	ctx := context.Background()
	dir := directory.New(db)
	user := func(email, name string, role sdk.Role, p *directory.Partner) directory.User {
		in := directory.UserInput{Email: email, Name: name, Role: role}
		if p != nil {
			in.PartnerID = &p.ID
			in.ContactRole = "sales"
		}
		u, err := dir.CreateUser(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	partner := func(name, tier string, manager int64) directory.Partner {
		p, err := dir.CreatePartner(ctx, directory.PartnerInput{Name: name, Type: "reseller", Tier: tier, Stage: "active", ManagerID: &manager})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	w := &world{}
	admin := user("admin@vendor.test", "Ada Admin", sdk.RoleAdmin, nil)
	mike := user("mike@vendor.test", "Mike Chen", sdk.RoleManager, nil)
	nina := user("nina@vendor.test", "Nina Park", sdk.RoleManager, nil)
	w.contoso, w.other = partner("Contoso Resellers", "gold", mike.ID), partner("Other Co", "silver", nina.ID)
	sarah := user("sarah@contoso.test", "Sarah Lee", sdk.RolePartnerAdmin, &w.contoso)
	tom := user("tom@contoso.test", "Tom Diaz", sdk.RolePartnerUser, &w.contoso)
	olga := user("olga@other.test", "Olga Berg", sdk.RolePartnerAdmin, &w.other)
	w.admin, w.mike, w.nina = admin.Viewer(nil), mike.Viewer(nil), nina.Viewer(nil)
	w.sarah, w.tom, w.olga = sarah.Viewer(&w.contoso), tom.Viewer(&w.contoso), olga.Viewer(&w.other)

	blobs, err := blob.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	w.clock = &now
	clock := func() time.Time { return *w.clock }
	w.files = files.New(db, blobs, files.Options{Now: clock})
	w.notify = notify.New(db, notify.WithClock(clock))
	w.live = &pushes{}
	w.svc = messages.New(db, dir, reach.New(db), messages.Options{Files: w.files, Notify: w.notify, Now: clock,
		Program: program.Default, Live: w.live})
	return w
}

func code(err error) fail.Code { return fail.CodeOf(err) }

// pushes keeps what the service pushed to open pages, by person.
type pushes struct {
	mu     sync.Mutex
	topics map[int64][]string
	badges map[int64]int
}

func (p *pushes) Push(_ context.Context, userID int64, _, topic string, badges map[string]int) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.topics == nil {
		p.topics, p.badges = map[int64][]string{}, map[int64]int{}
	}
	p.topics[userID] = append(p.topics[userID], topic)
	p.badges[userID] = badges["messages"]
	return nil
}

func (p *pushes) to(userID int64) ([]string, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.topics[userID]...), p.badges[userID]
}

func TestConversation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)

		// Sarah writes to her partner manager (the default recipient).
		d, err := w.svc.Start(ctx, w.sarah, sm.Start{Subject: "  Pricing for   Contoso ", Body: "Which discount applies to **Contoso**?"})
		if err != nil {
			t.Fatal(err)
		}
		id := d.Thread.ID
		if d.Thread.Subject != "Pricing for Contoso" || len(d.Messages) != 1 || d.Thread.Assignee == nil || d.Thread.Assignee.ID != w.mike.UserID {
			t.Fatalf("started thread = %+v", d)
		}
		if n, _ := w.svc.Unread(ctx, w.mike); n != 1 {
			t.Errorf("Mike's unread = %d, want 1", n)
		}
		if n, _ := w.svc.Unread(ctx, w.sarah); n != 0 {
			t.Errorf("Sarah's own message counts as unread for her: %d", n)
		}
		// Open pages hear of it: Mike's with his new count; nobody's
		// outside the thread.
		if topics, badge := w.live.to(w.mike.UserID); len(topics) == 0 || topics[0] != "messages:"+itoa(id) || badge != 1 {
			t.Errorf("pushed to Mike: %v, badge %d", topics, badge)
		}
		for _, v := range []sdk.Viewer{w.olga, w.nina, w.tom, w.admin} {
			if topics, _ := w.live.to(v.UserID); len(topics) > 0 {
				t.Errorf("pushed to %s, who is not in the thread: %v", v.Name, topics)
			}
		}
		// Mike's inbox shows it unanswered; Nina's does not show it at all.
		inbox, err := w.svc.List(ctx, w.mike, sm.ThreadQuery{Unanswered: true})
		if err != nil || len(inbox.Threads) != 1 || !inbox.Threads[0].Unanswered || inbox.Threads[0].Unread != 1 {
			t.Fatalf("Mike's inbox = %+v, %v", inbox, err)
		}
		if other, _ := w.svc.List(ctx, w.nina, sm.ThreadQuery{}); len(other.Threads) != 0 {
			t.Errorf("Nina sees another manager's partner's thread: %+v", other.Threads)
		}
		// Mike reads (the badge clears) and answers.
		got, err := w.svc.Get(ctx, w.mike, id)
		if err != nil || !got.Messages[0].New {
			t.Fatalf("Mike reads: %+v, %v", got.Messages, err)
		}
		if n, _ := w.svc.Unread(ctx, w.mike); n != 0 {
			t.Errorf("Mike's unread after reading = %d", n)
		}
		*w.clock = w.clock.Add(time.Minute)
		if _, err := w.svc.Post(ctx, w.mike, sm.Post{ThreadID: id, Body: "15% for gold. @Sarah see the price list."}); err != nil {
			t.Fatal(err)
		}
		if n, _ := w.svc.Unread(ctx, w.sarah); n != 1 {
			t.Errorf("Sarah's unread after the answer = %d", n)
		}
		inbox, _ = w.svc.List(ctx, w.mike, sm.ThreadQuery{Unanswered: true})
		if len(inbox.Threads) != 0 {
			t.Errorf("answered thread still unanswered: %+v", inbox.Threads)
		}
		// Sarah was mentioned: her notification is a mention, with the
		// text of the message and a reply scope for email.
		page, _ := w.notify.List(ctx, w.sarah.UserID, notify.ListOptions{})
		if len(page.Items) != 1 || page.Items[0].Kind != messages.KindMention || !strings.Contains(page.Items[0].Body, "15% for gold") ||
			page.Items[0].ReplyScope != messages.ThreadScope(id) || !strings.HasSuffix(page.Items[0].Link, "/items/"+itoa(id)) {
			t.Errorf("Sarah's notifications = %+v", page.Items)
		}
		page, _ = w.notify.List(ctx, w.mike.UserID, notify.ListOptions{})
		if len(page.Items) != 1 || page.Items[0].Kind != messages.KindNew {
			t.Errorf("Mike's notifications = %+v", page.Items)
		}

		// Tom, Sarah's colleague, is not in the thread until added.
		if _, err := w.svc.Get(ctx, w.tom, id); code(err) != fail.NotFound {
			t.Errorf("Tom reads a thread he is not in: %v", err)
		}
		if _, err := w.svc.AddPeople(ctx, w.sarah, sm.AddPeople{ThreadID: id, People: []int64{w.olga.UserID}}); code(err) != fail.Invalid {
			t.Errorf("Sarah adds someone of another partner: %v", err)
		}
		if _, err := w.svc.AddPeople(ctx, w.sarah, sm.AddPeople{ThreadID: id, People: []int64{w.tom.UserID}}); err != nil {
			t.Fatal(err)
		}
		if got, err := w.svc.Get(ctx, w.tom, id); err != nil || len(got.Messages) != 2 {
			t.Errorf("Tom after being added: %v", err)
		}
		// Olga (another partner) never sees it, by list, load or post.
		if _, err := w.svc.Get(ctx, w.olga, id); code(err) != fail.NotFound {
			t.Errorf("Olga loads a foreign thread: %v", err)
		}
		if _, err := w.svc.Post(ctx, w.olga, sm.Post{ThreadID: id, Body: "hi"}); code(err) != fail.NotFound {
			t.Errorf("Olga posts to a foreign thread: %v", err)
		}

		// Edits: only the author's, and they show as edited.
		msgs, _ := w.svc.Get(ctx, w.sarah, id)
		first := msgs.Messages[0]
		if _, err := w.svc.Edit(ctx, w.mike, sm.Edit{MessageID: first.ID, Body: "changed"}); code(err) != fail.Forbidden {
			t.Errorf("Mike edits Sarah's message: %v", err)
		}
		edited, err := w.svc.Edit(ctx, w.sarah, sm.Edit{MessageID: first.ID, Body: "Which discount applies to Contoso in 2027?"})
		if err != nil || edited.EditedAt == nil || !edited.Mine {
			t.Errorf("Sarah edits her message: %+v, %v", edited, err)
		}

		// Staff assign, close and reopen; partners may not.
		if _, err := w.svc.SetStatus(ctx, w.sarah, sm.SetStatus{ThreadID: id, Status: sm.Closed}); code(err) != fail.Forbidden {
			t.Errorf("Sarah closes a thread: %v", err)
		}
		if _, err := w.svc.Assign(ctx, w.mike, sm.Assign{ThreadID: id, UserID: w.nina.UserID}); code(err) != fail.Invalid {
			t.Errorf("Mike assigns to Nina, who does not manage Contoso: %v", err)
		}
		if th, err := w.svc.Assign(ctx, w.mike, sm.Assign{ThreadID: id, UserID: w.admin.UserID}); err != nil || th.Assignee == nil || th.Assignee.ID != w.admin.UserID {
			t.Errorf("Mike assigns to the admin: %+v, %v", th, err)
		}
		if th, err := w.svc.SetStatus(ctx, w.mike, sm.SetStatus{ThreadID: id, Status: sm.Closed}); err != nil || th.Status != sm.Closed {
			t.Fatalf("close: %+v, %v", th, err)
		}
		if closed, _ := w.svc.List(ctx, w.mike, sm.ThreadQuery{Status: sm.Closed}); len(closed.Threads) != 1 {
			t.Errorf("closed filter = %d threads", len(closed.Threads))
		}
		if mine, _ := w.svc.List(ctx, w.admin, sm.ThreadQuery{Mine: true}); len(mine.Threads) != 1 {
			t.Errorf("assigned-to-me filter for the admin = %d threads", len(mine.Threads))
		}
		if _, err := w.svc.Post(ctx, w.sarah, sm.Post{ThreadID: id, Body: "One more question."}); err != nil {
			t.Fatal(err)
		}
		if th, _ := w.svc.Get(ctx, w.mike, id); th.Thread.Status != sm.Open || !th.Thread.Unanswered {
			t.Errorf("a message did not reopen the closed thread: %+v", th.Thread)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func parseID(s string) (int64, error) { return strconv.ParseInt(s, 10, 64) }

func TestBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		cases := []struct {
			name  string
			in    sm.Start
			field string
		}{
			{"empty subject", sm.Start{Subject: "  ", Body: "hi"}, "subject"},
			{"empty body", sm.Start{Subject: "Hi", Body: " \n "}, "body"},
			{"long subject", sm.Start{Subject: strings.Repeat("s", messages.MaxSubject+1), Body: "hi"}, "subject"},
			{"long body", sm.Start{Subject: "Hi", Body: strings.Repeat("b", messages.MaxBody+1)}, "body"},
			{"NUL in body", sm.Start{Subject: "Hi", Body: "a\x00b"}, "body"},
			{"invalid UTF-8", sm.Start{Subject: "Hi", Body: "a\xffb"}, "body"},
			{"recipient not a contact", sm.Start{Subject: "Hi", Body: "hi", To: w.nina.UserID}, "to"},
			{"colleague of another partner", sm.Start{Subject: "Hi", Body: "hi", People: []int64{w.olga.UserID}}, "people"},
			{"too many attachments", sm.Start{Subject: "Hi", Body: "hi", Attachments: make([]string, messages.MaxAttachments+1)}, "attachments"},
			{"an attachment token that is not one", sm.Start{Subject: "Hi", Body: "hi", Attachments: []string{"x"}}, "attachments"},
		}
		for _, c := range cases {
			_, err := w.svc.Start(ctx, w.sarah, c.in)
			if fe := fail.As(err); err == nil || fe.Code != fail.Invalid || fe.Fields[c.field] == "" {
				t.Errorf("%s: %v, want a field error on %s", c.name, err, c.field)
			}
		}
		if page, _ := w.svc.List(ctx, w.mike, sm.ThreadQuery{}); page.Total != 0 {
			t.Errorf("refused starts left %d threads", page.Total)
		}
		// Staff must say which partner; one they do not manage is unknown.
		if _, err := w.svc.Start(ctx, w.mike, sm.Start{Subject: "Hi", Body: "hi", PartnerID: w.other.ID}); code(err) != fail.NotFound {
			t.Errorf("Mike writes to Nina's partner: %v", err)
		}
		// A flood is refused with a clear message, on every node alike.
		d, err := w.svc.Start(ctx, w.mike, sm.Start{Subject: "Hi", Body: "hi", PartnerID: w.contoso.ID})
		if err != nil || len(d.Thread.Participants) != 3 {
			t.Fatalf("Mike writes to Contoso: %+v, %v", d.Thread, err)
		}
		for i := 1; i < messages.FloodLimit; i++ {
			if _, err := w.svc.Post(ctx, w.mike, sm.Post{ThreadID: d.Thread.ID, Body: "again"}); err != nil {
				t.Fatalf("message %d: %v", i+1, err)
			}
		}
		_, err = w.svc.Post(ctx, w.mike, sm.Post{ThreadID: d.Thread.ID, Body: "one too many"})
		if code(err) != fail.TooMany || !strings.Contains(fail.Message(err), "a minute") {
			t.Errorf("message %d in a minute: %v", messages.FloodLimit+1, err)
		}
		*w.clock = w.clock.Add(messages.FloodWindow + time.Second)
		if _, err := w.svc.Post(ctx, w.mike, sm.Post{ThreadID: d.Thread.ID, Body: "later"}); err != nil {
			t.Errorf("after the window: %v", err)
		}
	})
}

func TestAttachments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		pdf := func() files.Upload {
			return files.Upload{Name: "Contoso price list.pdf", Body: bytes.NewReader([]byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"))}
		}
		tok, _, err := w.files.Stage(ctx, w.sarah.UserID, pdf())
		if err != nil {
			t.Fatal(err)
		}
		// Tom cannot use Sarah's upload.
		if _, err := w.svc.Start(ctx, w.tom, sm.Start{Subject: "Mine", Body: "x", Attachments: []string{tok}}); code(err) != fail.Invalid {
			t.Errorf("Tom attaches Sarah's upload: %v", err)
		}
		d, err := w.svc.Start(ctx, w.sarah, sm.Start{Subject: "Pricing", Body: "See attached.", Attachments: []string{tok}})
		if err != nil {
			t.Fatal(err)
		}
		atts := d.Messages[0].Attachments
		if len(atts) != 1 || atts[0].Name != "Contoso price list.pdf" || atts[0].Size == 0 || atts[0].URL == "" {
			t.Fatalf("attachments = %+v", atts)
		}
		// A token is used once.
		if _, err := w.svc.Post(ctx, w.sarah, sm.Post{ThreadID: d.Thread.ID, Body: "again", Attachments: []string{tok}}); code(err) != fail.Invalid {
			t.Errorf("a token used twice: %v", err)
		}
		for _, c := range []struct {
			who  string
			v    sdk.Viewer
			want bool
		}{{"Sarah", w.sarah, true}, {"Mike", w.mike, true}, {"the admin", w.admin, true},
			{"Tom (not in the thread)", w.tom, false}, {"Olga", w.olga, false}, {"Nina", w.nina, false}} {
			ok, err := w.svc.CanSeeAttachment(ctx, c.v, atts[0].FileID)
			if err != nil || ok != c.want {
				t.Errorf("%s sees the attachment: %v, %v; want %v", c.who, ok, err, c.want)
			}
		}
		// An upload never attached is nobody's to see.
		stray, _, err := w.files.Stage(ctx, w.sarah.UserID, pdf())
		if err != nil {
			t.Fatal(err)
		}
		id, _ := parseID(stray)
		if ok, _ := w.svc.CanSeeAttachment(ctx, w.sarah, id); ok {
			t.Error("a staged file is visible as an attachment")
		}
		// Search finds the attachment by name.
		res, err := w.svc.Search(ctx, w.mike, sm.SearchQuery{Q: "price"})
		if err != nil || len(res.Hits) != 1 || len(res.Hits[0].Attachments) != 1 {
			t.Errorf("search by attachment name: %+v, %v", res, err)
		}
	})
}

func TestSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		mustStart := func(v sdk.Viewer, subject, body string) int64 {
			d, err := w.svc.Start(ctx, v, sm.Start{Subject: subject, Body: body})
			if err != nil {
				t.Fatal(err)
			}
			return d.Thread.ID
		}
		contoso := mustStart(w.sarah, "Pricing", "The Contoso renewal needs a quote by Friday.")
		mustStart(w.sarah, "Training", "When is the next certification exam?")
		mustStart(w.olga, "Contoso lead", "We also met Contoso; is the lead taken?")

		res, err := w.svc.Search(ctx, w.sarah, sm.SearchQuery{Q: "renewal contoso quote"})
		if err != nil || len(res.Hits) != 1 || res.Hits[0].ThreadID != contoso {
			t.Fatalf("Sarah's search = %+v, %v", res, err)
		}
		var matched []string
		for _, sp := range res.Hits[0].Snippet {
			if sp.Match {
				matched = append(matched, sp.Text)
			}
		}
		if len(matched) != 3 || !strings.EqualFold(matched[0], "Contoso") {
			t.Errorf("highlighted = %q in %+v", matched, res.Hits[0].Snippet)
		}
		// More mentions rank first, whatever the age.
		often := mustStart(w.sarah, "Renewal", "Contoso, Contoso and again Contoso: the Contoso renewal.")
		if res, _ := w.svc.Search(ctx, w.sarah, sm.SearchQuery{Q: "contoso"}); len(res.Hits) != 2 || res.Hits[0].ThreadID != often {
			t.Errorf("ranking: %+v", res.Hits)
		}
		// Whole words, prefixes with "*", several words; every word must match.
		if res, _ := w.svc.Search(ctx, w.sarah, sm.SearchQuery{Q: "certif exam"}); len(res.Hits) != 0 {
			t.Errorf("a partial word matched without *: %+v", res.Hits)
		}
		if res, _ := w.svc.Search(ctx, w.sarah, sm.SearchQuery{Q: "certif* exam"}); len(res.Hits) != 1 {
			t.Errorf("prefix search = %+v", res.Hits)
		}
		if res, _ := w.svc.Search(ctx, w.sarah, sm.SearchQuery{Q: "certification contoso"}); len(res.Hits) != 0 {
			t.Errorf("two words in different messages matched: %+v", res.Hits)
		}
		// The admin sees both partners' Contoso messages; Nina only hers.
		if res, _ := w.svc.Search(ctx, w.admin, sm.SearchQuery{Q: "Contoso"}); len(res.Hits) != 3 {
			t.Errorf("admin's search = %d hits", len(res.Hits))
		}
		if res, _ := w.svc.Search(ctx, w.nina, sm.SearchQuery{Q: "Contoso"}); len(res.Hits) != 1 || res.Hits[0].PartnerName != "Other Co" {
			t.Errorf("Nina's search = %+v", res.Hits)
		}
		// A thread's subject is searched, and accents do not matter, on
		// both engines alike.
		kickoff := mustStart(w.sarah, "Northwind kickoff", "When do we start?")
		if res, _ := w.svc.Search(ctx, w.sarah, sm.SearchQuery{Q: "kickoff"}); len(res.Hits) != 1 || res.Hits[0].ThreadID != kickoff {
			t.Errorf("search by subject: %+v", res.Hits)
		}
		mustStart(w.sarah, "Réunion", "Le café est prêt à Zürich, Ångström.")
		for _, q := range []string{"cafe", "café", "CAFÉ", "zurich", "angstrom", "reunion"} {
			if res, _ := w.svc.Search(ctx, w.sarah, sm.SearchQuery{Q: q}); len(res.Hits) != 1 {
				t.Errorf("search %q across accents: %d hits", q, len(res.Hits))
			}
		}
		// Words inside addresses, links and file names are found on both
		// engines alike.
		mustStart(w.sarah, "Contacts", "Write to buyer@fabrikam.example or see www.fabrikam.example/terms_2027.pdf")
		for _, q := range []string{"fabrikam", "buyer", "terms", "2027"} {
			if res, _ := w.svc.Search(ctx, w.sarah, sm.SearchQuery{Q: q}); len(res.Hits) != 1 {
				t.Errorf("search %q in an address or link: %d hits", q, len(res.Hits))
			}
		}
		// However common a word, the newest matches come first (on
		// PostgreSQL a common word takes another path; lower its bar).
		messages.SetRareLimit(w.svc, 1)
		if res, _ := w.svc.Search(ctx, w.admin, sm.SearchQuery{Q: "Contoso"}); len(res.Hits) != 3 {
			t.Errorf("admin's search of a common word = %d hits", len(res.Hits))
		}
		if res, _ := w.svc.Search(ctx, w.nina, sm.SearchQuery{Q: "Contoso"}); len(res.Hits) != 1 {
			t.Errorf("Nina's search of a common word = %d hits", len(res.Hits))
		}
		messages.SetRareLimit(w.svc, 5000)
		// Query syntax of either engine is just text.
		for _, q := range []string{`"contoso`, `contoso OR NOT x`, `c*`, `a & b | !c`, `(contoso`, strings.Repeat("contoso ", 5000)} {
			if _, err := w.svc.Search(ctx, w.sarah, sm.SearchQuery{Q: q}); err != nil {
				t.Errorf("search %.30q: %v", q, err)
			}
		}
		if _, err := w.svc.Search(ctx, w.sarah, sm.SearchQuery{Q: " ?! "}); code(err) != fail.Invalid {
			t.Errorf("an empty search: %v", err)
		}
	})
}

func TestBroadcast(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		gold := sdk.Audience{Tiers: []string{"gold"}}
		if _, err := w.svc.Broadcast(ctx, w.sarah, sm.Broadcast{Audience: gold, Subject: "x", Body: "y"}); code(err) != fail.Forbidden {
			t.Errorf("a partner broadcasts: %v", err)
		}
		dry, err := w.svc.Broadcast(ctx, w.admin, sm.Broadcast{Audience: sdk.Audience{}, DryRun: true})
		if err != nil || dry.Partners != 2 || len(dry.Threads) != 0 {
			t.Errorf("dry run for everyone = %+v, %v", dry, err)
		}
		res, err := w.svc.Broadcast(ctx, w.admin, sm.Broadcast{Audience: gold, Subject: "New gold terms", Body: "Read the new terms."})
		if err != nil || res.Partners != 1 || len(res.Threads) != 1 {
			t.Fatalf("broadcast to gold = %+v, %v", res, err)
		}
		if page, _ := w.svc.List(ctx, w.tom, sm.ThreadQuery{}); len(page.Threads) != 1 || page.Threads[0].Unread != 1 {
			t.Errorf("Tom's threads after the broadcast = %+v", page.Threads)
		}
		if page, _ := w.svc.List(ctx, w.olga, sm.ThreadQuery{}); len(page.Threads) != 0 {
			t.Errorf("a silver partner got the gold broadcast: %+v", page.Threads)
		}
		// A broadcast is one send: the sender may still write their
		// minute's worth of messages after it.
		everyone, err := w.svc.Broadcast(ctx, w.admin, sm.Broadcast{Audience: sdk.Audience{}, Subject: "Holiday hours", Body: "We close on the 24th."})
		if err != nil || len(everyone.Threads) != 2 {
			t.Fatalf("broadcast to everyone = %+v, %v", everyone, err)
		}
		for i := range messages.FloodLimit {
			if _, err := w.svc.Post(ctx, w.admin, sm.Post{ThreadID: everyone.Threads[0], Body: "Follow-up"}); err != nil {
				t.Fatalf("message %d after the broadcasts: %v", i+1, err)
			}
		}
		// A manager reaches only the partners they manage.
		res, err = w.svc.Broadcast(ctx, w.nina, sm.Broadcast{Audience: sdk.Audience{}, Subject: "Hello", Body: "Hello all."})
		if err != nil || res.Partners != 1 {
			t.Errorf("Nina's broadcast to everyone = %+v, %v", res, err)
		}
		if _, err := w.svc.Broadcast(ctx, w.nina, sm.Broadcast{Audience: gold, Subject: "x", Body: "y"}); code(err) != fail.Invalid {
			t.Errorf("Nina's broadcast to gold (none of hers): %v", err)
		}
	})
}

// TestVendorContactsAndLeavers: a vendor contact who manages no partner
// reads and answers the threads a partner starts with them, and nothing
// else; someone who moved to another partner stops hearing of the old
// partner's threads.
func TestVendorContactsAndLeavers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		dir := directory.New(db)
		sam, err := dir.CreateUser(ctx, directory.UserInput{Email: "sam@vendor.test", Name: "Sam Support", Role: sdk.RoleManager})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := contacts.New(db, dir).Assign(ctx, contacts.Assignment{UserID: sam.ID, Role: "support"}, contacts.Profile{UserID: sam.ID}); err != nil {
			t.Fatal(err)
		}
		samV := sam.Viewer(nil)
		page, err := w.svc.List(ctx, w.sarah, sm.ThreadQuery{})
		if err != nil || len(page.Recipients) != 2 || page.Recipients[1].ID != sam.ID {
			t.Fatalf("Sarah's recipients = %+v, %v", page.Recipients, err)
		}
		d, err := w.svc.Start(ctx, w.sarah, sm.Start{Subject: "Login trouble", Body: "The portal logs me out.", To: sam.ID,
			People: []int64{w.tom.UserID}})
		if err != nil {
			t.Fatal(err)
		}
		other, err := w.svc.Start(ctx, w.sarah, sm.Start{Subject: "Pricing", Body: "For Mike."})
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := w.svc.Unread(ctx, samV); n != 1 {
			t.Errorf("Sam's unread = %d", n)
		}
		inbox, _ := w.svc.List(ctx, samV, sm.ThreadQuery{})
		if len(inbox.Threads) != 1 || inbox.Threads[0].ID != d.Thread.ID {
			t.Errorf("Sam's inbox = %+v", inbox.Threads)
		}
		if _, err := w.svc.Post(ctx, samV, sm.Post{ThreadID: d.Thread.ID, Body: "Clear your cookies, please."}); err != nil {
			t.Errorf("Sam answers: %v", err)
		}
		if _, err := w.svc.Get(ctx, samV, other.Thread.ID); code(err) != fail.NotFound {
			t.Errorf("Sam reads a thread he is not in: %v", err)
		}
		if res, _ := w.svc.Search(ctx, samV, sm.SearchQuery{Q: "pricing"}); len(res.Hits) != 0 {
			t.Errorf("Sam finds a thread he is not in: %+v", res.Hits)
		}
		if res, _ := w.svc.Search(ctx, samV, sm.SearchQuery{Q: "cookies"}); len(res.Hits) != 1 {
			t.Errorf("Sam's search of his thread: %+v", res.Hits)
		}
		// Tom moves to Other Co: Contoso's threads stop counting for him,
		// and he hears nothing more of them.
		if n, _ := w.svc.Unread(ctx, w.tom); n != 1 {
			t.Fatalf("Tom's unread before moving = %d", n)
		}
		if _, err := dir.UpdateUser(ctx, w.tom.UserID, directory.UserInput{Email: "tom@contoso.test", Name: "Tom Diaz",
			Role: sdk.RolePartnerUser, PartnerID: &w.other.ID}); err != nil {
			t.Fatal(err)
		}
		if n, _ := w.svc.Unread(ctx, w.tom); n != 0 {
			t.Errorf("Tom's unread after moving = %d", n)
		}
		before, _ := w.live.to(w.tom.UserID)
		if _, err := w.svc.Post(ctx, w.sarah, sm.Post{ThreadID: d.Thread.ID, Body: "Thanks, Sam!"}); err != nil {
			t.Fatal(err)
		}
		if after, _ := w.live.to(w.tom.UserID); len(after) != len(before) {
			t.Errorf("Tom, who left, was pushed %v", after[len(before):])
		}
		notes, _ := w.notify.List(ctx, w.tom.UserID, notify.ListOptions{})
		for _, n := range notes.Items {
			if strings.Contains(n.Body, "Thanks, Sam") {
				t.Errorf("Tom, who left, was told: %+v", n)
			}
		}
	})
}
