package web

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/atriumhq/atrium/core/auth"
	"github.com/atriumhq/atrium/core/blob"
	"github.com/atriumhq/atrium/core/catalog"
	"github.com/atriumhq/atrium/core/content"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/core/render"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/theme"
	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/ui"
	"github.com/uptrace/bun"
)

// A small portal for the tests of this package: one partner user of a
// reseller, rooms made of the test plugin's types, the real services
// behind them (database, sessions, file store, host API, theme).

const testPassword = "correct horse battery staple 42"

// uploader is a block whose form has a text field and a file field; it
// keeps the values of every action it gets.
type uploader struct {
	mu   sync.Mutex
	got  []url.Values
	fail map[string]string // field errors to answer with, when set
	// claim, when set, is what the block does with the attachments'
	// tokens, as a host call that keeps them would.
	claim func(tokens []string) error
}

func (*uploader) Describe() sdk.BlockInfo { return sdk.BlockInfo{Name: "uploader", Title: "Uploader"} }

func (*uploader) Render(context.Context, sdk.RenderRequest) (ui.Component, error) {
	return ui.Form{Action: ui.Action{Name: "send", State: "s1"}, Fields: []ui.Field{
		{Name: "note", Label: "Note"},
		{Name: "attachments", Label: "Attachments", Type: "file", Multiple: true},
	}}, nil
}

func (u *uploader) HandleAction(_ context.Context, req sdk.ActionRequest) (sdk.ActionResult, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.got = append(u.got, req.Values)
	if u.claim != nil {
		if err := u.claim(req.Values["attachments"]); err != nil {
			return sdk.ActionResult{}, err
		}
	}
	if u.fail != nil {
		return sdk.ActionResult{FieldErrors: u.fail}, nil
	}
	return sdk.ActionResult{Message: "Sent."}, nil
}

func (u *uploader) reset() {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.got, u.fail, u.claim = nil, nil, nil
}

// refuse makes the next actions answer with field errors.
func (u *uploader) refuse(fields map[string]string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.fail = fields
}

func (u *uploader) calls() []url.Values {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]url.Values(nil), u.got...)
}

// roomType is a room type with an optional badge and item pages that
// follow topics.
type roomType struct {
	info   sdk.RoomInfo
	topics []string
}

func (r roomType) Describe() sdk.RoomInfo { return r.info }

func (r roomType) RenderItem(_ context.Context, req sdk.ItemRequest) (sdk.Page, error) {
	return sdk.Page{Title: "Thread " + req.Path, Body: ui.Text{Text: "hello"}, LiveTopics: r.topics}, nil
}

type testPortal struct {
	URL    string
	web    *Server
	files  *files.Service
	dir    *directory.Directory
	auth   *auth.Service
	block  *uploader
	unread atomic.Int64
	calls  atomic.Int64 // calls of the unread badge
	user   directory.User
}

type portalOptions struct {
	// plugins, when set, says the test types come from an installed
	// plugin with these permissions.
	plugins   Plugins
	events    func(w http.ResponseWriter, r *http.Request, userID int64)
	topics    []string
	maxSize   int64
	admission Admission
}

func newTestPortal(t *testing.T, db *bun.DB, o portalOptions) *testPortal {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	p := &testPortal{block: &uploader{}}
	reg := registry.New()
	if err := reg.Register(sdk.Plugin{ID: "test/portal", Blocks: []sdk.BlockType{p.block}, Rooms: []sdk.RoomType{
		roomType{info: sdk.RoomInfo{Name: "inbox", Title: "Inbox", Badge: "test.unread", LiveTopics: []string{"inbox"}}, topics: o.topics},
		roomType{info: sdk.RoomInfo{Name: "broken", Title: "Broken", Badge: "test.broken"}},
		roomType{info: sdk.RoomInfo{Name: "plain", Title: "Plain"}},
	}}); err != nil {
		t.Fatal(err)
	}
	rooms := room.NewService(db, reg)
	reseller := []string{"reseller"}
	if _, err := rooms.Apply(ctx, []room.Room{
		{Slug: "inbox", Title: "Inbox", Type: "inbox", PartnerTypes: reseller, Position: 1, Blocks: []room.Block{{ID: "up", Type: "uploader"}}},
		{Slug: "news", Title: "News", Type: "broken", PartnerTypes: reseller, Position: 2},
		{Slug: "plain", Title: "Plain", Type: "plain", PartnerTypes: reseller, Position: 3},
	}, room.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.New(ctx, db, log)
	if err != nil {
		t.Fatal(err)
	}
	hosts := host.New(cat)
	host.Handle(hosts, sdk.Method[struct{}, badgeCount]{Name: "test.unread", Permission: "test:count"}, func(context.Context, host.Caller, struct{}) (badgeCount, error) {
		p.calls.Add(1)
		return badgeCount{Count: int(p.unread.Load())}, nil
	})
	host.Handle(hosts, sdk.Method[struct{}, badgeCount]{Name: "test.broken"}, func(context.Context, host.Caller, struct{}) (badgeCount, error) {
		return badgeCount{}, errors.New("the count is down")
	})
	th, err := theme.Load(theme.Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := blob.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	maxSize := o.maxSize
	if maxSize == 0 {
		maxSize = 1 << 20
	}
	p.files = files.New(db, blobs, files.Options{MaxSize: func(context.Context) int64 { return maxSize }})
	p.dir = directory.New(db)
	p.auth = auth.New(db, p.dir, auth.Config{Argon2: auth.Argon2Params{Memory: 64, Time: 1, Threads: 1}})
	pt, err := p.dir.CreatePartner(ctx, directory.PartnerInput{Name: "Acme", Type: "reseller", Tier: "gold", Stage: "active"})
	if err != nil {
		t.Fatal(err)
	}
	if p.user, err = p.dir.CreateUser(ctx, directory.UserInput{Email: "pat@acme.example", Name: "Pat", Role: sdk.RolePartnerUser, PartnerID: &pt.ID}); err != nil {
		t.Fatal(err)
	}
	if err := p.auth.SetPassword(ctx, p.user.ID, testPassword); err != nil {
		t.Fatal(err)
	}
	p.web, err = New(Deps{DB: db, Log: log, Auth: p.auth, Dir: p.dir, Catalog: cat, Registry: reg, Rooms: rooms,
		Renderer: render.New(reg, render.Options{Host: hosts.For, Log: log}), Hosts: hosts, Theme: th, Plugins: o.plugins,
		Content: &content.Service{Files: p.files, Dir: p.dir}},
		Options{ActionKey: []byte(strings.Repeat("k", 32)), Events: o.events, Admission: o.admission})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p.web)
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// session signs Pat in and returns the session cookie.
func (p *testPortal) session(t *testing.T) *http.Cookie {
	t.Helper()
	token, _, err := p.auth.Login(context.Background(), p.user.Email, testPassword, "192.0.2.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	return &http.Cookie{Name: sessionCookie, Value: token}
}

// do sends a request with the cookie (if any), without following
// redirects, and returns the answer and its body.
func (p *testPortal) do(t *testing.T, c *http.Cookie, req *http.Request) (*http.Response, string) {
	t.Helper()
	if c != nil {
		req.AddCookie(c)
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func (p *testPortal) get(t *testing.T, c *http.Cookie, path string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, p.URL+path, nil)
	return p.do(t, c, req)
}

var stateRE = regexp.MustCompile(`name="_state" value="([^"]+)"`)

// formState is the signed state of the first form on a page.
func formState(t *testing.T, page string) string {
	t.Helper()
	m := stateRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no form on the page:\n%s", page)
	}
	return m[1]
}
