package api_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/api"
	"github.com/atriumhq/atrium/core/auth"
	"github.com/atriumhq/atrium/core/blob"
	"github.com/atriumhq/atrium/core/content"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/live"
	"github.com/atriumhq/atrium/core/messages"
	"github.com/atriumhq/atrium/core/principal"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	sm "github.com/atriumhq/atrium/sdk/messages"
	"github.com/danielgtaylor/huma/v2"
	"github.com/uptrace/bun"
)

// msgWorld is a portal with the Messages API: Mike manages Carlos & Co,
// Priya manages Northwind; Lisa and Carlos work at Carlos & Co, Sarah at
// Northwind. Each person calls with an API token of their own.
type msgWorld struct {
	t       *testing.T
	srv     *httptest.Server
	svc     *messages.Service
	hub     *live.Hub
	viewers map[string]sdk.Viewer
	tokens  map[string]string
	// header is the last answer's header.
	header http.Header
}

func newMsgWorld(t *testing.T, db *bun.DB) *msgWorld {
	t.Helper()
	ctx := context.Background()
	dir := directory.New(db)
	authSvc := auth.New(db, dir, auth.Config{})
	w := &msgWorld{t: t, viewers: map[string]sdk.Viewer{}, tokens: map[string]string{}}
	user := func(name string, role sdk.Role, partner *directory.Partner) int64 {
		in := directory.UserInput{Email: strings.ToLower(name) + "@example.com", Name: name, Role: role, ContactRole: "sales"}
		if partner != nil {
			in.PartnerID = &partner.ID
		}
		u, err := dir.CreateUser(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		w.viewers[name] = u.Viewer(partner)
		if w.tokens[name], err = authSvc.CreateToken(ctx, u.ID, "test"); err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	partner := func(name, slug string, manager int64) *directory.Partner {
		p, err := dir.CreatePartner(ctx, directory.PartnerInput{Name: name, Slug: slug, Type: "reseller", Tier: "gold", Stage: "active", ManagerID: &manager})
		if err != nil {
			t.Fatal(err)
		}
		return &p
	}
	mike, priya := user("Mike", sdk.RoleManager, nil), user("Priya", sdk.RoleManager, nil)
	carlos, northwind := partner("Carlos & Co", "carlos-co", mike), partner("Northwind", "northwind", priya)
	user("Lisa", sdk.RolePartnerUser, carlos)
	user("Carlos", sdk.RolePartnerAdmin, carlos)
	user("Sarah", sdk.RolePartnerAdmin, northwind)

	blobs, err := blob.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { blobs.Close() })
	fs := files.New(db, blobs, files.Options{})
	res := reach.New(db)
	prog := func() program.Program { return program.Program{} }
	w.hub = live.New(db)
	hubCtx, stop := context.WithCancel(context.Background())
	go w.hub.Run(hubCtx)
	t.Cleanup(stop)
	w.svc = messages.New(db, dir, res, messages.Options{Files: fs, Program: prog, Live: w.hub})
	// As the portal wires them: attachments download for whoever may see
	// their conversation.
	converses := func(ctx context.Context, p *principal.Principal, fileID int64) (bool, error) {
		return w.svc.CanSeeAttachment(ctx, p.Viewer(), fileID)
	}
	a := api.New(api.Deps{DB: db, Auth: authSvc, Dir: dir, Messages: w.svc, Events: w.hub.Stream,
		Content: &content.Service{Files: fs, Dir: dir, Program: prog, Reach: res, Converses: converses}})
	w.srv = httptest.NewServer(a)
	t.Cleanup(w.srv.Close)
	return w
}

// call makes a request as who ("" for nobody) and decodes a JSON answer
// into out when given; it returns the status and the raw answer.
func (w *msgWorld) call(who, method, path string, in, out any) (int, string) {
	w.t.Helper()
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			w.t.Fatal(err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, w.srv.URL+path, body)
	if err != nil {
		w.t.Fatal(err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return w.do(who, req, out)
}

func (w *msgWorld) do(who string, req *http.Request, out any) (int, string) {
	w.t.Helper()
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+w.tokens[who])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	w.header = res.Header
	b, err := io.ReadAll(res.Body)
	if err != nil {
		w.t.Fatal(err)
	}
	if out != nil && res.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			w.t.Fatalf("%s %s: decode %s: %v", req.Method, req.URL.Path, b, err)
		}
	}
	return res.StatusCode, string(b)
}

// want fails the test unless a call answered status.
func (w *msgWorld) want(status int) func(int, string) {
	return func(got int, body string) {
		w.t.Helper()
		if got != status {
			w.t.Fatalf("status %d, want %d: %s", got, status, body)
		}
	}
}

// upload stages a file as who.
func (w *msgWorld) upload(who, name, text string) api.StagedAttachment {
	w.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	part, err := mw.CreateFormFile("file", name)
	if err != nil {
		w.t.Fatal(err)
	}
	_, _ = part.Write([]byte(text))
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, w.srv.URL+"/api/v1/messages/uploads", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	var out api.StagedAttachment
	w.want(http.StatusCreated)(w.do(who, req, &out))
	return out
}

// problem is huma's error document.
type problem struct {
	Detail string `json:"detail"`
	Errors []struct {
		Location string `json:"location"`
		Message  string `json:"message"`
	} `json:"errors"`
}

func TestMessagesAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newMsgWorld(t, db)
		ok, created := w.want(http.StatusOK), w.want(http.StatusCreated)
		notFound := w.want(http.StatusNotFound)

		// Lisa writes to her partner manager with a file; Mike then starts
		// a newer conversation of his own with her company.
		att := w.upload("Lisa", "Renewal terms.txt", "Two years, 12% off.\n")
		if att.Token == "" || att.Name != "Renewal terms.txt" || att.Size != 20 {
			t.Fatalf("staged upload = %+v", att)
		}
		var asked sm.ThreadDetail
		created(w.call("Lisa", "POST", "/api/v1/messages/threads", map[string]any{"subject": "Renewal discount",
			"body": "Can we discuss the renewal discount for next year?", "attachments": []string{att.Token}}, &asked))
		if asked.Thread.Assignee == nil || asked.Thread.Assignee.Name != "Mike" || len(asked.Messages) != 1 {
			t.Fatalf("started thread = %+v", asked)
		}
		first := asked.Messages[0]
		if first.Via != messages.ViaAPI || len(first.Attachments) != 1 || first.Attachments[0].Name != att.Name {
			t.Fatalf("first message = %+v", first)
		}
		file := first.Attachments[0].FileID
		var later sm.ThreadDetail
		created(w.call("Mike", "POST", "/api/v1/messages/threads", map[string]any{"subject": "Quarterly review",
			"body": "Shall we meet in May?", "partnerId": asked.Thread.PartnerID}, &later))

		// Mike's inbox puts the unanswered conversation first, though it is older.
		var inbox sm.ThreadPage
		ok(w.call("Mike", "GET", "/api/v1/messages/threads", nil, &inbox))
		if len(inbox.Threads) != 2 || inbox.Threads[0].ID != asked.Thread.ID || !inbox.Threads[0].Unanswered || inbox.Threads[0].Unread != 1 ||
			inbox.Threads[0].PartnerName != "Carlos & Co" {
			t.Fatalf("inbox = %+v", inbox.Threads)
		}
		var unanswered sm.ThreadPage
		ok(w.call("Mike", "GET", "/api/v1/messages/threads?unanswered=true", nil, &unanswered))
		if len(unanswered.Threads) != 1 || unanswered.Threads[0].ID != asked.Thread.ID {
			t.Fatalf("unanswered = %+v", unanswered.Threads)
		}

		// He reads it, downloads the file and answers.
		var read sm.ThreadDetail
		ok(w.call("Mike", "GET", fmt.Sprintf("/api/v1/messages/threads/%d", asked.Thread.ID), nil, &read))
		if len(read.Messages) != 1 || !read.Messages[0].New {
			t.Fatalf("read = %+v", read.Messages)
		}
		if status, got := w.call("Mike", "GET", fmt.Sprintf("/api/v1/files/%d/download", file), nil, nil); status != http.StatusOK || got != "Two years, 12% off.\n" {
			t.Fatalf("download = %d %q", status, got)
		}
		var answer sm.Message
		created(w.call("Mike", "POST", fmt.Sprintf("/api/v1/messages/threads/%d/messages", asked.Thread.ID),
			map[string]any{"body": "Yes: two years at 12% works for us."}, &answer))
		if answer.Via != messages.ViaAPI || !answer.Author.Staff {
			t.Fatalf("answer = %+v", answer)
		}

		// Lisa has both conversations unread; reading one leaves the other.
		var unread sm.Count
		ok(w.call("Lisa", "GET", "/api/v1/messages/unread", nil, &unread))
		if unread.Count != 2 {
			t.Fatalf("Lisa's unread = %d, want 2", unread.Count)
		}
		var lisaUnread sm.ThreadPage
		ok(w.call("Lisa", "GET", "/api/v1/messages/threads?unread=true", nil, &lisaUnread))
		if len(lisaUnread.Threads) != 2 || lisaUnread.Unread != 2 {
			t.Fatalf("Lisa's unread threads = %+v", lisaUnread)
		}
		var lisaReads sm.ThreadDetail
		ok(w.call("Lisa", "GET", fmt.Sprintf("/api/v1/messages/threads/%d", asked.Thread.ID), nil, &lisaReads))
		if len(lisaReads.Messages) != 2 || lisaReads.Messages[0].New || !lisaReads.Messages[1].New {
			t.Fatalf("Lisa reads %+v", lisaReads.Messages)
		}
		ok(w.call("Lisa", "GET", "/api/v1/messages/unread", nil, &unread))
		if unread.Count != 1 {
			t.Fatalf("Lisa's unread after reading = %d, want 1", unread.Count)
		}

		// Everyone edits only their own words.
		var edited sm.Message
		path := fmt.Sprintf("/api/v1/messages/messages/%d", first.ID)
		ok(w.call("Lisa", "PATCH", path, map[string]any{"body": "Can we discuss the renewal discount for 2027?"}, &edited))
		if edited.EditedAt == nil || !strings.Contains(edited.Body, "2027") {
			t.Fatalf("edited = %+v", edited)
		}
		w.want(http.StatusForbidden)(w.call("Mike", "PATCH", path, map[string]any{"body": "Changed by Mike"}, nil))

		// Another company's partner and a manager of another partner learn
		// nothing: not the thread, its messages, the file, nor search hits.
		for _, who := range []string{"Sarah", "Priya"} {
			notFound(w.call(who, "GET", fmt.Sprintf("/api/v1/messages/threads/%d", asked.Thread.ID), nil, nil))
			notFound(w.call(who, "POST", fmt.Sprintf("/api/v1/messages/threads/%d/messages", asked.Thread.ID), map[string]any{"body": "Hello"}, nil))
			notFound(w.call(who, "PATCH", path, map[string]any{"body": "Hello"}, nil))
			notFound(w.call(who, "GET", fmt.Sprintf("/api/v1/files/%d/download", file), nil, nil))
			var found sm.SearchResult
			ok(w.call(who, "GET", "/api/v1/messages/search?q=renewal", nil, &found))
			if len(found.Hits) != 0 {
				t.Fatalf("%s finds %+v", who, found.Hits)
			}
		}
		// A staged file is nobody's to download, not even its uploader's.
		staged := w.upload("Lisa", "draft.txt", "draft\n")
		notFound(w.call("Lisa", "GET", "/api/v1/files/"+staged.Token+"/download", nil, nil))

		// Search finds by word and by attachment name, with marked spans.
		var found, byName sm.SearchResult
		ok(w.call("Lisa", "GET", "/api/v1/messages/search?q=Renew*", nil, &found))
		if len(found.Hits) != 1 || found.Hits[0].MessageID != first.ID || !matched(found.Hits[0].Snippet, "renewal") {
			t.Fatalf("search renew = %+v", found.Hits)
		}
		ok(w.call("Mike", "GET", "/api/v1/messages/search?q=terms", nil, &byName))
		if len(byName.Hits) != 1 || len(byName.Hits[0].Attachments) != 1 || byName.Hits[0].Attachments[0].Name != att.Name {
			t.Fatalf("search by attachment name = %+v", byName.Hits)
		}
		// What was sent stays as sent: an attachment is not a shared file,
		// so nobody in the thread adds a version, comments it or reads its
		// access log through the shared-space operations.
		attached := fmt.Sprintf("/api/v1/files/%d", first.Attachments[0].FileID)
		for _, who := range []string{"Mike", "Lisa"} {
			notFound(w.call(who, "GET", attached, nil, nil))
			notFound(w.call(who, "POST", attached+"/comments", map[string]any{"body": "Changed"}, nil))
			req, _ := http.NewRequest(http.MethodPost, w.srv.URL+attached+"/versions", strings.NewReader("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"evil.txt\"\r\n\r\nEVIL\r\n--b--\r\n"))
			req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
			notFound(w.do(who, req, nil))
		}

		// Broadcasts are for staff: the operation does not exist for a
		// partner, and the service refuses one on its own.
		notFound(w.call("Lisa", "POST", "/api/v1/messages/broadcasts", map[string]any{"subject": "Hi", "body": "All"}, nil))
		if _, err := w.svc.Broadcast(context.Background(), w.viewers["Lisa"], sm.Broadcast{Subject: "Hi", Body: "All"}); fail.CodeOf(err) != fail.Forbidden {
			t.Fatalf("broadcast by a partner through the service: %v", err)
		}
		var sent sm.BroadcastResult
		created(w.call("Mike", "POST", "/api/v1/messages/broadcasts", map[string]any{"subject": "Price list 2027",
			"body": "The new price list is out.", "audience": map[string]any{"partners": []string{"carlos-co", "northwind"}}}, &sent))
		if sent.Partners != 1 || len(sent.Threads) != 1 {
			t.Fatalf("Mike's broadcast reaches %+v, want Carlos & Co only", sent)
		}

		// Bodies are checked by the service and refused field by field.
		for _, c := range []struct{ body, says string }{
			{"   ", "Write a message."},
			{strings.Repeat("word ", 64<<10/5), "under 20000 characters"},
		} {
			status, got := w.call("Lisa", "POST", fmt.Sprintf("/api/v1/messages/threads/%d/messages", asked.Thread.ID), map[string]any{"body": c.body}, nil)
			var p problem
			_ = json.Unmarshal([]byte(got), &p)
			if status != http.StatusUnprocessableEntity || len(p.Errors) != 1 || p.Errors[0].Location != "body.body" || !strings.Contains(p.Errors[0].Message, c.says) {
				t.Fatalf("body of %d bytes: %d %s", len(c.body), status, got)
			}
		}
		status, got := w.call("Lisa", "GET", "/api/v1/messages/search?q=%21%21", nil, nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(got, `"query.q"`) {
			t.Fatalf("search for no word: %d %s", status, got)
		}

		// Staff-only changes through the API.
		var th sm.Thread
		ok(w.call("Mike", "PUT", fmt.Sprintf("/api/v1/messages/threads/%d/status", asked.Thread.ID), map[string]any{"status": "closed"}, &th))
		if th.Status != sm.Closed {
			t.Fatalf("closed = %+v", th)
		}
		notFound(w.call("Lisa", "PUT", fmt.Sprintf("/api/v1/messages/threads/%d/status", asked.Thread.ID), map[string]any{"status": "open"}, nil))
		notFound(w.call("Priya", "PUT", fmt.Sprintf("/api/v1/messages/threads/%d/assignee", asked.Thread.ID), map[string]any{"userId": w.viewers["Priya"].UserID}, nil))
		var added sm.ThreadDetail
		ok(w.call("Lisa", "POST", fmt.Sprintf("/api/v1/messages/threads/%d/people", asked.Thread.ID), map[string]any{"people": []int64{w.viewers["Carlos"].UserID}}, &added))
		if len(added.Thread.Participants) != 3 {
			t.Fatalf("participants = %+v", added.Thread.Participants)
		}

		// The thirty-first message within a minute waits.
		var own sm.ThreadDetail
		created(w.call("Carlos", "POST", "/api/v1/messages/threads", map[string]any{"subject": "Flood", "body": "1"}, &own))
		for i := 2; i <= messages.FloodLimit; i++ {
			created(w.call("Carlos", "POST", fmt.Sprintf("/api/v1/messages/threads/%d/messages", own.Thread.ID), map[string]any{"body": fmt.Sprint(i)}, nil))
		}
		status, got = w.call("Carlos", "POST", fmt.Sprintf("/api/v1/messages/threads/%d/messages", own.Thread.ID), map[string]any{"body": "31"}, nil)
		if status != http.StatusTooManyRequests || !strings.Contains(got, "Wait a moment") || w.header.Get("Retry-After") != "60" {
			t.Fatalf("31st message: %d %s", status, got)
		}
	})
}

// matched reports whether a span marked as matching holds word.
func matched(spans []sm.Span, word string) bool {
	for _, s := range spans {
		if s.Match && strings.EqualFold(s.Text, word) {
			return true
		}
	}
	return false
}

// TestMessagesOpenAPI checks that the document lists every Messages
// operation with a summary and a description.
func TestMessagesOpenAPI(t *testing.T) {
	a := api.New(api.Deps{Messages: &messages.Service{}, Content: &content.Service{}})
	n := 0
	for path, item := range a.OpenAPI().Paths {
		if !strings.HasPrefix(path, "/api/v1/messages/") {
			continue
		}
		for _, o := range []*huma.Operation{item.Get, item.Post, item.Put, item.Patch, item.Delete} {
			if o == nil {
				continue
			}
			n++
			if o.Summary == "" || len(o.Description) < 40 {
				t.Errorf("%s %s: summary %q, description %q", o.Method, path, o.Summary, o.Description)
			}
		}
	}
	if n != 12 {
		t.Errorf("%d Messages operations in the document, want 12", n)
	}
}

// TestMessagesEventStream: an API client with a token follows its live
// events at /api/v1/events; another partner's client hears nothing of it.
func TestMessagesEventStream(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		w := newMsgWorld(t, db)
		open := func(who string) (*bufio.Reader, func()) {
			req, _ := http.NewRequest(http.MethodGet, w.srv.URL+"/api/v1/events", nil)
			req.Header.Set("Authorization", "Bearer "+w.tokens[who])
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
				t.Fatalf("%s's stream: %d %s", who, res.StatusCode, res.Header.Get("Content-Type"))
			}
			return bufio.NewReader(res.Body), func() { res.Body.Close() }
		}
		if status, _ := w.call("", "GET", "/api/v1/events", nil, nil); status != http.StatusUnauthorized {
			t.Errorf("an anonymous stream answered %d", status)
		}
		lisa, closeLisa := open("Lisa")
		defer closeLisa()
		sarah, closeSarah := open("Sarah")
		defer closeSarah()
		var d sm.ThreadDetail
		ok := w.want(http.StatusCreated)
		ok(w.call("Mike", "POST", "/api/v1/messages/threads", map[string]any{"subject": "Hello", "body": "Welcome aboard",
			"partnerId": w.viewers["Lisa"].Partner.ID}, &d))
		data := nextEvent(t, lisa)
		if !strings.Contains(data, `"topic":"messages:`+strconv.FormatInt(d.Thread.ID, 10)+`"`) || !strings.Contains(data, `"messages":1`) {
			t.Errorf("Lisa's event = %s", data)
		}
		// Sarah (another partner) gets nothing but the stream's comments.
		got := make(chan string, 1)
		go func() { got <- nextEventWithin(sarah, 500*time.Millisecond) }()
		if e := <-got; e != "" {
			t.Errorf("Sarah heard of another partner's thread: %s", e)
		}
	})
}

// nextEvent reads the stream up to the next event's data line.
func nextEvent(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	done := make(chan string, 1)
	go func() { done <- nextEventWithin(r, 5*time.Second) }()
	e := <-done
	if e == "" {
		t.Fatal("no event within 5 s")
	}
	return e
}

// nextEventWithin returns the next event's data, or "" when none comes in
// time (the caller drops the stream then).
func nextEventWithin(r *bufio.Reader, d time.Duration) string {
	lines := make(chan string)
	go func() {
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				close(lines)
				return
			}
			lines <- line
		}
	}()
	timeout := time.After(d)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				return ""
			}
			if data, found := strings.CutPrefix(line, "data: "); found {
				return strings.TrimSpace(data)
			}
		case <-timeout:
			return ""
		}
	}
}
