package messages

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/sdk"
	sm "github.com/atriumhq/atrium/sdk/messages"
	"github.com/atriumhq/atrium/sdk/plugintest"
	"github.com/atriumhq/atrium/sdk/ui"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

var (
	manager   = sm.Person{ID: 1, Name: "Sam Staff", Staff: true, Role: "Partner manager"}
	support   = sm.Person{ID: 2, Name: "Sue Support", Staff: true, Role: "Support"}
	colleague = sm.Person{ID: 102, Name: "Cleo Colleague"}
	pat       = sm.Person{ID: 101, Name: "Pat Partner"}
)

// text is everything a tree says, for "does it show X" checks.
func text(t *testing.T, c ui.Component) string {
	t.Helper()
	b, err := ui.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// inOrder checks that each of want appears in got after the one before.
func inOrder(t *testing.T, got string, want ...string) {
	t.Helper()
	at := 0
	for _, w := range want {
		i := strings.Index(got[at:], w)
		if i < 0 {
			t.Fatalf("want %q after position %d in\n%s", w, at, got)
		}
		at += i + len(w)
	}
}

func forms(c ui.Component) map[string]ui.Form {
	out := map[string]ui.Form{}
	ui.Walk(c, func(c ui.Component, _ int) bool {
		if f, ok := c.(ui.Form); ok {
			out[f.Action.Name] = f
		}
		return true
	})
	return out
}

func buttons(c ui.Component) []ui.Button {
	var out []ui.Button
	ui.Walk(c, func(c ui.Component, _ int) bool {
		switch b := c.(type) {
		case ui.Button:
			out = append(out, b)
		case ui.ActionBar:
			out = append(out, b.Buttons...)
		case ui.Empty:
			if b.Action != nil {
				out = append(out, *b.Action)
			}
		}
		return true
	})
	return out
}

func field(t *testing.T, f ui.Form, name string) ui.Field {
	t.Helper()
	i := slices.IndexFunc(f.Fields, func(x ui.Field) bool { return x.Name == name })
	if i < 0 {
		t.Fatalf("form %s has no field %q", f.Action.Name, name)
	}
	return f.Fields[i]
}

func render(t *testing.T, b *board, v sdk.Viewer) ui.Component {
	t.Helper()
	return plugintest.Render(t, inboxBlock{}, v, "{}", b.host())
}

func item(t *testing.T, b *board, v sdk.Viewer, path string, query string) sdk.Page {
	t.Helper()
	q, _ := url.ParseQuery(query)
	pg, err := Room{}.RenderItem(context.Background(), sdk.ItemRequest{Viewer: v, Room: plugintest.Room, Path: path, Query: q, Host: b.host().As(v)})
	if err != nil {
		t.Fatalf("item %s: %v", path, err)
	}
	if err := plugintest.CheckTree(pg.Body); err != nil {
		t.Fatalf("item %s: %v", path, err)
	}
	return pg
}

func submit(t *testing.T, b *board, v sdk.Viewer, name, state string, values url.Values) sdk.ActionResult {
	t.Helper()
	res, err := Room{}.HandleAction(context.Background(), sdk.ActionRequest{Viewer: v, Room: plugintest.Room, BlockID: "item",
		Name: name, State: state, Values: values, Host: b.host().As(v)})
	if err != nil {
		t.Fatalf("action %s: %v", name, err)
	}
	return res
}

func TestPartnerInbox(t *testing.T) {
	b := newBoard()
	b.page = sm.ThreadPage{Unread: 1, Recipients: []sm.Person{manager, support}, Colleagues: []sm.Person{colleague}}
	b.threads = []sm.Thread{
		{ID: 7, Subject: "Pricing for Acme", Status: sm.Open, LastAt: t0, LastAuthor: "Sam Staff", Preview: "Here is the sheet", Unread: 2},
		{ID: 5, Subject: "Logo files", Status: sm.Closed, LastAt: t0.Add(-48 * time.Hour), LastAuthor: "Pat Partner", Preview: "Thanks!"},
	}
	tree := render(t, b, plugintest.Partner())
	got := text(t, tree)
	inOrder(t, got, "Messages · 1 unread", "Pricing for Acme", "Sam Staff: Here is the sheet", "4 Mar 2025, 09:30", "2 new",
		"Logo files", "Pat Partner: Thanks!", "Closed", "New conversation")
	if strings.Contains(got, en.T("message-partners")) || strings.Contains(got, `"filter"`) {
		t.Errorf("a partner sees staff tools: %s", got)
	}
	if b.lastQuery.Status != "" || b.lastQuery.PerPage != perPage {
		t.Errorf("partner query = %+v, want every status, %d a page", b.lastQuery, perPage)
	}
	f, ok := forms(tree)["start"]
	if !ok {
		t.Fatal("no new conversation form on the room page")
	}
	to := field(t, f, "to")
	if to.Type != "select" || to.Value != "1" || len(to.Options) != 2 || to.Options[0].Value != "1" || !strings.Contains(to.Options[0].Label, "Partner manager") {
		t.Errorf("to = %+v, want the partner manager first and chosen", to)
	}
	if c := field(t, f, "person-102"); c.Type != "checkbox" || !strings.Contains(c.Label, "Cleo Colleague") {
		t.Errorf("colleague field = %+v", c)
	}
	if a := field(t, f, "attachments"); a.Type != "file" {
		t.Errorf("attachments field = %+v, want a file field", a)
	}
	field(t, f, "subject")
	if field(t, f, "body").Type != "textarea" {
		t.Error("the message is not a textarea")
	}

	t.Run("empty", func(t *testing.T) {
		b := newBoard()
		b.page = sm.ThreadPage{Recipients: []sm.Person{manager}}
		got := text(t, render(t, b, plugintest.Partner()))
		inOrder(t, got, en.T("no-threads"), "start a conversation below", en.T("new-conversation"))
	})
}

func TestStaffInbox(t *testing.T) {
	many := func() *board {
		b := newBoard()
		b.page = sm.ThreadPage{Partners: []sm.PartnerRef{{ID: 11, Name: "Partner Co"}, {ID: 12, Name: "Other Ltd"}}}
		b.threads = []sm.Thread{
			{ID: 9, PartnerName: "Partner Co", Subject: "Need a demo", Status: sm.Open, Unanswered: true, LastAt: t0, LastAuthor: "Pat Partner", Preview: "Can we"},
			{ID: 8, PartnerName: "Other Ltd", Subject: "Renewal", Status: sm.Open, Assignee: &support, LastAt: t0.Add(-time.Hour), Unread: 1},
		}
		return b
	}
	t.Run("room page", func(t *testing.T) {
		b := many()
		tree := render(t, b, plugintest.Staff())
		got := text(t, tree)
		inOrder(t, got, en.T("inbox"), en.T("new-conversation"), en.T("message-partners"), en.T("unanswered"), "Need a demo", "Partner Co", en.T("unanswered"),
			"Renewal", "Other Ltd", "1 new", "Sue Support")
		if b.lastQuery.Status != sm.Open {
			t.Errorf("staff inbox asks for status %q, want open by default", b.lastQuery.Status)
		}
		f := forms(tree)["filter"]
		if p := field(t, f, "partner"); len(p.Options) != 2 || p.Options[1].Label != "Other Ltd" {
			t.Errorf("partner filter = %+v", p)
		}
		if _, ok := forms(tree)["start"]; ok {
			t.Error("staff get the partners' start form on the room page")
		}
	})
	t.Run("filters and pages", func(t *testing.T) {
		b := many()
		b.total = 60
		pg := item(t, b, plugintest.Staff(), "inbox", "status=closed&partner=11&mine=1&unanswered=1&page=2")
		want := sm.ThreadQuery{Status: sm.Closed, PartnerID: 11, Mine: true, Unanswered: true, Page: 2, PerPage: perPage}
		if b.lastQuery != want {
			t.Errorf("query = %+v, want %+v", b.lastQuery, want)
		}
		f := forms(pg.Body)["filter"]
		if field(t, f, "partner").Value != "11" || field(t, f, "status").Value != sm.Closed || field(t, f, "mine").Value != "true" {
			t.Errorf("the filter form does not show the filters: %+v", f.Fields)
		}
		got := text(t, pg.Body)
		inOrder(t, got, "Page 2 of 3 · 60 conversations")
		hrefs := map[string]string{}
		for _, bt := range buttons(pg.Body) {
			hrefs[bt.Label] = bt.Href
		}
		base := "/rooms/test/items/inbox?mine=1&partner=11&status=closed&unanswered=1"
		third := "/rooms/test/items/inbox?mine=1&page=3&partner=11&status=closed&unanswered=1"
		for label, want := range map[string]string{en.T("previous"): base, "1": base, "3": third, en.T("next"): third} {
			if hrefs[label] != want {
				t.Errorf("%s links to %q, want %q", label, hrefs[label], want)
			}
		}
		if hrefs["Unanswered"] != "/rooms/test/items/inbox?unanswered=1" {
			t.Errorf("quick filter Unanswered = %q", hrefs["Unanswered"])
		}
	})
	t.Run("one page has no pager", func(t *testing.T) {
		pg := item(t, many(), plugintest.Staff(), "inbox", "")
		if got := text(t, pg.Body); strings.Contains(got, "Page 1") || strings.Contains(got, en.T("next")) {
			t.Errorf("pager on a single page: %s", got)
		}
	})
	t.Run("empty", func(t *testing.T) {
		got := text(t, render(t, newBoard(), plugintest.Staff()))
		inOrder(t, got, en.T("no-threads"), "When partners write to you", en.T("new-conversation"))
	})
	t.Run("empty with filters", func(t *testing.T) {
		pg := item(t, newBoard(), plugintest.Staff(), "inbox", "mine=1")
		inOrder(t, text(t, pg.Body), en.T("no-match"), en.T("show-open"))
	})
	t.Run("new conversation", func(t *testing.T) {
		pg := item(t, many(), plugintest.Staff(), "new", "")
		f := forms(pg.Body)["start"]
		if p := field(t, f, "partner"); !p.Required || len(p.Options) != 2 {
			t.Errorf("partner field = %+v", p)
		}
		if slices.ContainsFunc(f.Fields, func(x ui.Field) bool { return x.Name == "to" }) {
			t.Error("staff are asked whom to write to")
		}
	})
}

func threadBoard() *board {
	b := newBoard()
	edited := t0.Add(time.Minute)
	b.threads = []sm.Thread{{ID: 7, PartnerName: "Partner Co", Subject: "Pricing for Acme", Status: sm.Open, Assignee: &support,
		Participants: []sm.Person{pat, manager}}}
	b.msgs[7] = []sm.Message{
		{ID: 70, ThreadID: 7, Author: pat, Body: "Hello **team**", At: t0, Mine: true, EditedAt: &edited},
		{ID: 71, ThreadID: 7, Author: manager, Body: "See the sheet", At: t0.Add(time.Hour), Via: "email", New: true,
			Attachments: []sm.Attachment{{FileID: 3, Name: "prices.xlsx", Size: 2048, URL: "/files/3/download"}}},
	}
	b.canAdd = []sm.Person{colleague}
	b.assign = []sm.Person{manager, support}
	return b
}

func TestThreadPage(t *testing.T) {
	pg := item(t, threadBoard(), plugintest.Partner(), "7", "")
	if pg.Title != "Pricing for Acme" {
		t.Errorf("title = %q", pg.Title)
	}
	var cards []ui.Card
	ui.Walk(pg.Body, func(c ui.Component, _ int) bool {
		if k, ok := c.(ui.Card); ok && strings.HasPrefix(k.Subtitle, "4 Mar") {
			cards = append(cards, k)
		}
		return true
	})
	if len(cards) != 2 {
		t.Fatalf("got %d message cards, want 2", len(cards))
	}
	first, second := text(t, cards[0]), text(t, cards[1])
	inOrder(t, first, "Pat Partner", "4 Mar 2025, 09:30 · edited", `"markdown","source":"Hello **team**"`, "/rooms/test/items/7/edit/70")
	inOrder(t, second, "Sam Staff (Partner manager)", "10:30 · via email", `"badge","text":"New"`, "See the sheet", "prices.xlsx", "/files/3/download", "2 KB")
	if strings.Contains(first, `"text":"New"`) || strings.Contains(second, "/edit/") || strings.Contains(second, "edited") {
		t.Errorf("marks on the wrong message:\n%s\n%s", first, second)
	}
	inOrder(t, text(t, pg.Body), en.T("participants"), "Pat Partner, Sam Staff (Partner manager)")
	fs := forms(pg.Body)
	if f := fs["post"]; f.Action.State != "7" || field(t, f, "attachments").Type != "file" {
		t.Errorf("reply form = %+v", f)
	}
	if f := fs["add"]; field(t, f, "person-102").Type != "checkbox" {
		t.Errorf("add form = %+v", f)
	}
	if _, ok := fs["assign"]; ok {
		t.Error("a partner may assign")
	}

	t.Run("staff", func(t *testing.T) {
		pg := item(t, threadBoard(), plugintest.Staff(), "7", "")
		f := forms(pg.Body)["assign"]
		if a := field(t, f, "userId"); a.Value != "2" || a.Placeholder != en.T("nobody") || len(a.Options) != 2 {
			t.Errorf("assign field = %+v", a)
		}
		i := slices.IndexFunc(buttons(pg.Body), func(b ui.Button) bool { return b.Label == en.T("close") })
		if i < 0 || buttons(pg.Body)[i].Action.State != "7:closed" {
			t.Errorf("no close button: %+v", buttons(pg.Body))
		}
		inOrder(t, text(t, pg.Body), en.T("partner"), "Partner Co", en.T("assignee"), "Sue Support")
	})
	t.Run("closed", func(t *testing.T) {
		b := threadBoard()
		b.threads[0].Status = sm.Closed
		pg := item(t, b, plugintest.Staff(), "7", "")
		inOrder(t, text(t, pg.Body), en.T("closed-note"), en.T("reopen"))
	})
	t.Run("edit page", func(t *testing.T) {
		pg := item(t, threadBoard(), plugintest.Partner(), "7/edit/70", "")
		f := forms(pg.Body)["edit"]
		if f.Action.State != "7:70" || field(t, f, "body").Value != "Hello **team**" {
			t.Errorf("edit form = %+v", f)
		}
	})
	for _, path := range []string{"8", "7/edit/71", "7/edit/x", "x", "7/other/70", "broadcast"} {
		t.Run("not found "+path, func(t *testing.T) {
			v := plugintest.Partner()
			_, err := Room{}.RenderItem(context.Background(), sdk.ItemRequest{Viewer: v, Room: plugintest.Room, Path: path, Host: threadBoard().host().As(v)})
			if !errors.Is(err, sdk.ErrNotFound) {
				t.Errorf("err = %v, want not found", err)
			}
		})
	}
}

func invalid(fields map[string]string) error {
	return &sdk.CallError{Code: sdk.CodeInvalid, Message: "Please correct the highlighted fields.", Fields: fields}
}

func TestActions(t *testing.T) {
	p, s := plugintest.Partner(), plugintest.Staff()
	tooFast := &sdk.CallError{Code: sdk.CodeInvalid, Message: "You are sending messages faster than 20 a minute."}
	gone := &sdk.CallError{Code: sdk.CodeNotFound, Message: "There is no such conversation."}
	for _, tt := range []struct {
		name   string
		v      sdk.Viewer
		action string
		state  string
		values url.Values
		fail   map[string]error
		want   sdk.ActionResult
		check  func(t *testing.T, b *board)
	}{
		{name: "start", v: p, action: "start", values: url.Values{"subject": {"Hi"}, "body": {"Hello"}, "to": {"2"},
			"person-102": {"true"}, "person-103": {""}, "attachments": {"tok-a", "tok-b", ""}},
			want: sdk.ActionResult{Message: "Sent. Replies arrive here and by email.", Navigate: "/rooms/test/items/101"},
			check: func(t *testing.T, b *board) {
				want := sm.Start{Subject: "Hi", Body: "Hello", To: 2, People: []int64{102}, Attachments: []string{"tok-a", "tok-b"}}
				if !equalStart(b.lastStart, want) {
					t.Errorf("start = %+v, want %+v", b.lastStart, want)
				}
			}},
		{name: "start as staff", v: s, action: "start", values: url.Values{"subject": {"Hi"}, "body": {"Hello"}, "partner": {"12"}},
			want:  sdk.ActionResult{Message: "Sent. Replies arrive here and by email.", Navigate: "/rooms/test/items/101"},
			check: func(t *testing.T, b *board) { assertEq(t, b.lastStart.PartnerID, int64(12)) }},
		{name: "start refused", v: p, action: "start", values: url.Values{"body": {"Hello"}},
			fail: map[string]error{sm.StartThread.Name: invalid(map[string]string{"subject": "Give the conversation a subject."})},
			want: sdk.ActionResult{FieldErrors: map[string]string{"subject": "Give the conversation a subject."}, Error: en.T("check-fields")}},
		{name: "start refused on partner and people", v: s, action: "start",
			fail: map[string]error{sm.StartThread.Name: invalid(map[string]string{"partnerId": "Choose the partner to write to.", "people": "Choose people of this partner."})},
			want: sdk.ActionResult{FieldErrors: map[string]string{"partner": "Choose the partner to write to.", "people": "Choose people of this partner."},
				Error: en.T("check-fields") + " Choose people of this partner."}},
		{name: "post", v: p, action: "post", state: "7", values: url.Values{"body": {"Thanks"}, "attachments": {"tok-c"}},
			want: sdk.ActionResult{Message: "Sent.", Navigate: "/rooms/test/items/7"},
			check: func(t *testing.T, b *board) {
				if b.lastPost.ThreadID != 7 || b.lastPost.Body != "Thanks" || !slices.Equal(b.lastPost.Attachments, []string{"tok-c"}) {
					t.Errorf("post = %+v", b.lastPost)
				}
			}},
		{name: "post empty", v: p, action: "post", state: "7", fail: map[string]error{sm.PostMessage.Name: invalid(map[string]string{"body": "Write a message."})},
			want: sdk.ActionResult{FieldErrors: map[string]string{"body": "Write a message."}, Error: en.T("check-fields")}},
		{name: "post too fast", v: p, action: "post", state: "7", values: url.Values{"body": {"again"}}, fail: map[string]error{sm.PostMessage.Name: tooFast},
			want: sdk.ActionResult{FieldErrors: map[string]string{"body": tooFast.Message}, Error: tooFast.Message}},
		{name: "post to a gone thread", v: p, action: "post", state: "7", fail: map[string]error{sm.PostMessage.Name: gone},
			want: sdk.ActionResult{Error: en.T("gone")}},
		{name: "post with a bad state", v: p, action: "post", state: "x", want: sdk.ActionResult{Error: en.T("unknown-action")}},
		{name: "edit", v: p, action: "edit", state: "7:70", values: url.Values{"body": {"Hello again"}},
			want:  sdk.ActionResult{Message: "Saved.", Navigate: "/rooms/test/items/7"},
			check: func(t *testing.T, b *board) { assertEq(t, b.lastEdit, sm.Edit{MessageID: 70, Body: "Hello again"}) }},
		{name: "edit refused", v: p, action: "edit", state: "7:70", fail: map[string]error{sm.EditMessage.Name: invalid(map[string]string{"body": "Write a message."})},
			want: sdk.ActionResult{FieldErrors: map[string]string{"body": "Write a message."}, Error: en.T("check-fields")}},
		{name: "add", v: p, action: "add", state: "7", values: url.Values{"person-102": {"true"}, "person-104": {"true"}},
			want: sdk.ActionResult{Message: "Added 2 people.", Navigate: "/rooms/test/items/7"},
			check: func(t *testing.T, b *board) {
				assertEq(t, b.lastAdd.ThreadID, int64(7))
				assertEq(t, len(b.lastAdd.People), 2)
			}},
		{name: "add nobody", v: p, action: "add", state: "7",
			want: sdk.ActionResult{Error: "Tick the people to add.", FieldErrors: map[string]string{"people": "Tick the people to add."}}},
		{name: "assign", v: s, action: "assign", state: "7", values: url.Values{"userId": {"2"}},
			want:  sdk.ActionResult{Message: "Assigned to Sue Support.", Navigate: "/rooms/test/items/7"},
			check: func(t *testing.T, b *board) { assertEq(t, b.lastAssign, sm.Assign{ThreadID: 7, UserID: 2}) }},
		{name: "assign nobody", v: s, action: "assign", state: "7", values: url.Values{"userId": {""}},
			want: sdk.ActionResult{Message: "Nobody is assigned now.", Navigate: "/rooms/test/items/7"}},
		{name: "assign refused", v: s, action: "assign", state: "7", values: url.Values{"userId": {"9"}},
			fail: map[string]error{sm.AssignThread.Name: invalid(map[string]string{"userId": "Choose a colleague who works with this partner."})},
			want: sdk.ActionResult{FieldErrors: map[string]string{"userId": "Choose a colleague who works with this partner."}, Error: en.T("check-fields")}},
		{name: "close", v: s, action: "status", state: "7:closed",
			want:  sdk.ActionResult{Message: "Closed. A reply from anyone opens it again.", Navigate: "/rooms/test/items/7"},
			check: func(t *testing.T, b *board) { assertEq(t, b.lastStatus, sm.SetStatus{ThreadID: 7, Status: sm.Closed}) }},
		{name: "reopen", v: s, action: "status", state: "7:open", want: sdk.ActionResult{Message: "Reopened.", Navigate: "/rooms/test/items/7"}},
		{name: "status refused to a partner", v: p, action: "status", state: "7:closed",
			fail: map[string]error{sm.SetThreadStatus.Name: &sdk.CallError{Code: sdk.CodePermission, Message: "Only the vendor's team can do this."}},
			want: sdk.ActionResult{Error: "Only the vendor's team can do this."}},
		{name: "count", v: s, action: "count", values: url.Values{"type-reseller": {"true"}, "tier-gold": {"true"}, "tier-platinum": {"true"}},
			want: sdk.ActionResult{Navigate: "/rooms/test/items/broadcast?count=3&tier-gold=1&type-reseller=1"},
			check: func(t *testing.T, b *board) {
				if !b.lastCast.DryRun || !slices.Equal(b.lastCast.Audience.Tiers, []string{"gold"}) || !slices.Equal(b.lastCast.Audience.PartnerTypes, []string{"reseller"}) {
					t.Errorf("dry run = %+v", b.lastCast)
				}
			}},
		{name: "broadcast", v: s, action: "broadcast", state: "tier-gold=1", values: url.Values{"subject": {"News"}, "body": {"Hello all"}},
			want: sdk.ActionResult{Message: "Sent to 3 partners: 3 conversations opened, one per partner.", Navigate: "/rooms/test"},
			check: func(t *testing.T, b *board) {
				if b.lastCast.DryRun || b.lastCast.Subject != "News" || !slices.Equal(b.lastCast.Audience.Tiers, []string{"gold"}) {
					t.Errorf("broadcast = %+v", b.lastCast)
				}
			}},
		{name: "broadcast to nobody", v: s, action: "broadcast", state: "tier-gold=1", values: url.Values{"subject": {"News"}, "body": {"Hi"}},
			fail: map[string]error{sm.SendBroadcast.Name: invalid(map[string]string{"audience": "No partner you work with matches this audience."})},
			want: sdk.ActionResult{FieldErrors: map[string]string{"audience": "No partner you work with matches this audience."}, Error: "No partner you work with matches this audience."}},
		{name: "filter", v: s, action: "filter", values: url.Values{"partner": {"11"}, "status": {"all"}, "mine": {"true"}, "unanswered": {""}},
			want: sdk.ActionResult{Navigate: "/rooms/test/items/inbox?mine=1&partner=11&status=all"}},
		{name: "search", v: p, action: "search", values: url.Values{"q": {" pricing sheet "}},
			want: sdk.ActionResult{Navigate: "/rooms/test/items/search?q=pricing+sheet"}},
		{name: "unknown", v: p, action: "nope", want: sdk.ActionResult{Error: en.T("unknown-action")}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := threadBoard()
			for k, err := range tt.fail {
				b.fail[k] = err
			}
			got := submit(t, b, tt.v, tt.action, tt.state, tt.values)
			assertEq(t, got, tt.want)
			if tt.check != nil {
				tt.check(t, b)
			}
		})
	}
}

func equalStart(a, b sm.Start) bool {
	return a.Subject == b.Subject && a.Body == b.Body && a.To == b.To && a.PartnerID == b.PartnerID &&
		slices.Equal(a.People, b.People) && slices.Equal(a.Attachments, b.Attachments)
}

func assertEq[T any](t *testing.T, got, want T) {
	t.Helper()
	g, w := text2(got), text2(want)
	if g != w {
		t.Errorf("got  %s\nwant %s", g, w)
	}
}

func TestBroadcastPage(t *testing.T) {
	s := plugintest.Staff()
	pg := item(t, newBoard(), s, "broadcast", "")
	f := forms(pg.Body)["count"]
	for _, name := range []string{"type-referral", "type-reseller", "tier-silver", "tier-gold", "stage-onboarding", "stage-active"} {
		field(t, f, name)
	}
	if _, ok := forms(pg.Body)["broadcast"]; ok {
		t.Error("the message form shows before counting")
	}
	pg = item(t, newBoard(), s, "broadcast", "count=12&tier-gold=1")
	if field(t, forms(pg.Body)["count"], "tier-gold").Value != "true" {
		t.Error("the counted audience is not ticked")
	}
	send := forms(pg.Body)["broadcast"]
	if send.Action.State != "tier-gold=1" || send.Submit != "Send to 12 partners" {
		t.Errorf("send form = %+v", send)
	}
	inOrder(t, text(t, pg.Body), "This reaches 12 partners")
	pg = item(t, newBoard(), s, "broadcast", "count=0&tier-gold=1")
	inOrder(t, text(t, pg.Body), en.T("no-audience"))
	if _, ok := forms(pg.Body)["broadcast"]; ok {
		t.Error("a message form for nobody")
	}
}

// md renders Markdown as the portal does, but with raw HTML allowed, so
// that anything the escaping misses shows.
func md(t *testing.T, src string) string {
	t.Helper()
	var buf bytes.Buffer
	m := goldmark.New(goldmark.WithExtensions(extension.Linkify, extension.Table, extension.Strikethrough, extension.TaskList),
		goldmark.WithRendererOptions(html.WithUnsafe()))
	if err := m.Convert([]byte(src), &buf); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(buf.String())
}

func TestHighlight(t *testing.T) {
	for _, tt := range []struct {
		name  string
		spans []sm.Span
		want  string // the rendered HTML
	}{
		{"plain match", []sm.Span{{Text: "the "}, {Text: "pricing", Match: true}, {Text: " sheet"}},
			"<p>the <strong>pricing</strong> sheet</p>"},
		{"bold typed by the user", []sm.Span{{Text: "**not bold** and "}, {Text: "price", Match: true}},
			"<p>**not bold** and <strong>price</strong></p>"},
		{"script", []sm.Span{{Text: "<script>alert(1)</script> "}, {Text: "quote", Match: true}},
			"<p>&lt;script&gt;alert(1)&lt;/script&gt; <strong>quote</strong></p>"},
		{"link", []sm.Span{{Text: "[x](javascript:alert(1)) "}, {Text: "deal", Match: true}, {Text: " https://evil.example www.evil.example"}},
			"<p>[x](javascript:alert(1)) <strong>deal</strong> https://evil.example www.evil.example</p>"},
		{"match with punctuation inside and around", []sm.Span{{Text: "see "}, {Text: "(acme_corp)", Match: true}, {Text: "."}},
			"<p>see (<strong>acme_corp</strong>).</p>"},
		{"match inside a word", []sm.Span{{Text: "pre"}, {Text: "fix", Match: true}, {Text: "ed"}},
			"<p>pre<strong>fix</strong>ed</p>"},
		{"adjacent matches", []sm.Span{{Text: "big", Match: true}, {Text: "deal", Match: true}},
			"<p><strong>bigdeal</strong></p>"},
		{"lines, headings, code and lists stay text", []sm.Span{{Text: "    # title\n\n1. one\n- two\n`code` &amp; "}, {Text: "x", Match: true}},
			"<p># title 1. one - two `code` &amp;amp; <strong>x</strong></p>"},
		{"a match of only punctuation", []sm.Span{{Text: "a "}, {Text: "**", Match: true}},
			"<p>a **</p>"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := highlight(tt.spans)
			if got := md(t, src); got != tt.want {
				t.Errorf("highlight = %q\nrenders  %s\nwant     %s", src, got, tt.want)
			}
		})
	}
}

func TestSearchPage(t *testing.T) {
	b := newBoard()
	b.hits = sm.SearchResult{More: true, Hits: []sm.Hit{{ThreadID: 7, MessageID: 71, Subject: "Pricing for Acme", PartnerName: "Partner Co", Author: "Sam Staff", At: t0,
		Snippet:     []sm.Span{{Text: "<b>the</b> "}, {Text: "sheet", Match: true}},
		Attachments: []sm.Attachment{{Name: "sheet.xlsx", Size: 3 << 20, URL: "/files/3/download"}}}}}
	pg := item(t, b, plugintest.Staff(), "search", "q=sheet&page=2")
	assertEq(t, b.lastSearch, sm.SearchQuery{Q: "sheet", Page: 2})
	got := text(t, pg.Body)
	inOrder(t, got, `"value":"sheet"`, "Pricing for Acme", "Partner Co · Sam Staff · 4 Mar 2025, 09:30", "/rooms/test/items/7",
		"sheet.xlsx", "3 MB", en.T("previous"), "search?q=sheet", en.T("next"), "page=3")
	var src []string
	ui.Walk(pg.Body, func(c ui.Component, _ int) bool {
		if m, ok := c.(ui.Markdown); ok {
			src = append(src, m.Source)
		}
		return true
	})
	if want := []string{`\<b\>the\<\/b\> **sheet**`}; !slices.Equal(src, want) {
		t.Errorf("snippet = %q, want %q", src, want)
	}

	t.Run("no hits", func(t *testing.T) {
		pg := item(t, newBoard(), plugintest.Partner(), "search", "q=zebra")
		inOrder(t, text(t, pg.Body), "No messages match “zebra”", en.T("no-hits-help"))
	})
	t.Run("no words", func(t *testing.T) {
		b := newBoard()
		b.fail[sm.Search.Name] = invalid(map[string]string{"q": "Type a word to search for."})
		pg := item(t, b, plugintest.Partner(), "search", "q=%2A")
		if f := field(t, forms(pg.Body)["search"], "q"); f.Error != "Type a word to search for." || f.Value != "*" {
			t.Errorf("search field = %+v", f)
		}
	})
	t.Run("blank", func(t *testing.T) {
		pg := item(t, newBoard(), plugintest.Partner(), "search", "")
		inOrder(t, text(t, pg.Body), en.T("search-hint"))
	})
}

func text2(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// en is the room's English, in which these tests read its pages.
var en = catalog.For("en")

// TestCatalogue: every language has every message English has and can draw
// it, with the plural forms it needs, and every message is still used.
func TestCatalogue(t *testing.T) {
	if err := catalog.Check(); err != nil {
		t.Fatal(err)
	}
	unused, err := catalog.Unused(os.DirFS("."))
	if err != nil || len(unused) > 0 {
		t.Fatalf("messages no code uses: %v %v", unused, err)
	}
}

// TestPartnerInboxInGerman: a German reader's inbox and thread speak
// German, with German dates and plurals, and the vendor roles the host
// names in English are translated; a role the room does not know is shown
// as the host wrote it.
func TestPartnerInboxInGerman(t *testing.T) {
	b := newBoard()
	b.page = sm.ThreadPage{Unread: 2, Recipients: []sm.Person{manager, support, {ID: 9, Name: "Vic Vendor", Staff: true, Role: "Channel chief"}}}
	b.threads = []sm.Thread{
		{ID: 7, Subject: "Pricing for Acme", Status: sm.Open, LastAt: t0, LastAuthor: "Sam Staff", Preview: "Here is the sheet", Unread: 2},
		{ID: 5, Subject: "Logo files", Status: sm.Closed, LastAt: t0.Add(-48 * time.Hour), LastAuthor: "Pat Partner", Preview: "Thanks!"},
	}
	v := plugintest.Partner()
	v.Locale = "de"
	got := text(t, render(t, b, v))
	inOrder(t, got, "Nachrichten · 2 ungelesen", "Pricing for Acme", "4. März 2025, 09:30", "2 neu",
		"Logo files", "Geschlossen", "Neue Unterhaltung", "An", "Sam Staff (Partnermanager)", "Sue Support (Support)",
		"Vic Vendor (Channel chief)", "Betreff", "Nachricht", "Senden")
	for _, english := range []string{"Messages", "unread", "New conversation", "Partner manager", "Subject"} {
		if strings.Contains(got, english) {
			t.Errorf("German inbox shows %q: %s", english, got)
		}
	}
	v.Locale = "es"
	inOrder(t, text(t, render(t, b, v)), "Mensajes · 2 sin leer", "4 mar 2025, 09:30", "2 nuevos", "Cerrada", "Sam Staff (Gestor de socios)")
}
