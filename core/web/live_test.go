package web

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/pluginhost"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

var badgeRE = regexp.MustCompile(`<span class="nav-badge" data-badge="([^"]+)"[^>]*>[^<]*</span>`)

// TestNavigationBadges: a room whose type has a Badge shows the viewer's
// count beside its title, asked once per page; 0 keeps the badge in the
// page but hidden; a failing count shows nothing and the page still draws;
// rooms without a Badge have none.
func TestNavigationBadges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		p := newTestPortal(t, db, portalOptions{})
		c := p.session(t)
		for _, tt := range []struct {
			unread int64
			want   map[string]string
		}{
			{3, map[string]string{
				"inbox":  `<span class="nav-badge" data-badge="inbox" role="img" aria-label="3 unread" data-badge-label="{n} unread">3</span>`,
				"broken": `<span class="nav-badge" data-badge="broken" role="img" aria-label="0 unread" data-badge-label="{n} unread" hidden>0</span>`,
			}},
			{0, map[string]string{
				"inbox":  `<span class="nav-badge" data-badge="inbox" role="img" aria-label="0 unread" data-badge-label="{n} unread" hidden>0</span>`,
				"broken": `<span class="nav-badge" data-badge="broken" role="img" aria-label="0 unread" data-badge-label="{n} unread" hidden>0</span>`,
			}},
			{12, map[string]string{
				"inbox":  `<span class="nav-badge" data-badge="inbox" role="img" aria-label="12 unread" data-badge-label="{n} unread">12</span>`,
				"broken": `<span class="nav-badge" data-badge="broken" role="img" aria-label="0 unread" data-badge-label="{n} unread" hidden>0</span>`,
			}},
		} {
			p.unread.Store(tt.unread)
			before := p.calls.Load()
			res, page := p.get(t, c, "/rooms/plain")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d:\n%s", res.StatusCode, page)
			}
			if n := p.calls.Load() - before; n != 1 {
				t.Errorf("the count was asked %d times for one page, want once", n)
			}
			got := map[string]string{}
			for _, m := range badgeRE.FindAllStringSubmatch(page, -1) {
				got[m[1]] = m[0]
			}
			if len(got) != len(tt.want) {
				t.Errorf("%d unread: badges %v, want %d (none for a room type without one)", tt.unread, got, len(tt.want))
			}
			for k, want := range tt.want {
				if got[k] != want {
					t.Errorf("%d unread: badge %s is %q, want %q", tt.unread, k, got[k], want)
				}
			}
			if !strings.Contains(page, `<span>Inbox</span><span class="nav-badge"`) {
				t.Errorf("the badge is not beside the room's title")
			}
		}
	})
}

// TestLiveStream: /events is for signed-in, active users only, and tells
// anonymous callers 401 rather than sending them to sign in; pages name the
// stream when the portal has one, never in a preview or signed out.
func TestLiveStream(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		streamed := make(chan int64, 4)
		p := newTestPortal(t, db, portalOptions{events: func(w http.ResponseWriter, r *http.Request, userID int64) {
			streamed <- userID
			w.Header().Set("Content-Type", "text/event-stream")
			w.Write([]byte(": hello\n\n"))
		}})
		c := p.session(t)

		res, _ := p.get(t, nil, "/events")
		if res.StatusCode != http.StatusUnauthorized || res.Header.Get("Location") != "" {
			t.Errorf("anonymous: %d to %q, want 401 without a redirect", res.StatusCode, res.Header.Get("Location"))
		}
		res, body := p.get(t, c, "/events")
		if res.StatusCode != http.StatusOK || body != ": hello\n\n" || len(streamed) != 1 || <-streamed != p.user.ID {
			t.Fatalf("signed in: %d %q, want the stream for Pat", res.StatusCode, body)
		}

		_, page := p.get(t, c, "/rooms/inbox")
		if !strings.Contains(page, `<body class="signed-in" data-live="/events">`) {
			t.Errorf("a room page does not name the stream")
		}
		_, page = p.get(t, nil, "/login")
		if strings.Contains(page, "data-live") {
			t.Errorf("a signed-out page names the stream")
		}

		if err := p.dir.SetActive(context.Background(), p.user.ID, false); err != nil {
			t.Fatal(err)
		}
		p.auth.Forget(p.user.ID)
		res, _ = p.get(t, c, "/events")
		if res.StatusCode != http.StatusUnauthorized || len(streamed) != 0 {
			t.Errorf("deactivated: %d, want 401 and no stream", res.StatusCode)
		}
	})
}

// TestNoLiveStream: without a stream, pages stay static and /events
// answers 204, which stops an EventSource from reconnecting.
func TestNoLiveStream(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		p := newTestPortal(t, db, portalOptions{})
		c := p.session(t)
		if res, _ := p.get(t, c, "/events"); res.StatusCode != http.StatusNoContent {
			t.Errorf("status %d, want 204", res.StatusCode)
		}
		if _, page := p.get(t, c, "/rooms/inbox"); strings.Contains(page, "data-live=") {
			t.Errorf("a page names a stream the portal does not have")
		}
	})
}

// TestLiveTopics: a room page's content follows its type's topics, an
// item page's the topics it names; they are escaped, and topics that
// would break the space-separated list are dropped.
func TestLiveTopics(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		p := newTestPortal(t, db, portalOptions{topics: []string{"thread:42", `x"><script>alert(1)</script>`, "two words", "", "thread:42"}})
		c := p.session(t)
		_, page := p.get(t, c, "/rooms/inbox")
		if !strings.Contains(page, `<div class="blocks" data-live-topic="inbox">`) {
			t.Errorf("the room's content does not follow its type's topic:\n%s", page)
		}
		res, page := p.get(t, c, "/rooms/inbox/items/42")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d", res.StatusCode)
		}
		want := `<div class="blocks" data-live-topic="thread:42 x&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">`
		if !strings.Contains(page, want) {
			t.Errorf("want %s in\n%s", want, page)
		}
		if strings.Contains(page, "<script>alert") {
			t.Errorf("a topic reached the page unescaped")
		}
		if _, page := p.get(t, c, "/rooms/plain"); strings.Contains(page, "data-live-topic") {
			t.Errorf("a room that follows nothing has topics")
		}
	})
}

// installed is the plugin manager of a portal where the test types come
// from an installed plugin granted perms.
type installed struct {
	Plugins
	perms []string
}

func (i installed) List() []pluginhost.Status {
	return []pluginhost.Status{{ID: "test/portal", Permissions: i.perms}}
}

// TestBadgeOfAnInstalledPlugin: an installed plugin's badge is counted
// with the permissions its manifest grants, and no more.
func TestBadgeOfAnInstalledPlugin(t *testing.T) {
	for _, tt := range []struct {
		perms []string
		shown bool
	}{{nil, false}, {[]string{"test:count"}, true}} {
		t.Run(strings.Join(append([]string{"granted"}, tt.perms...), " "), func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *bun.DB) {
				p := newTestPortal(t, db, portalOptions{plugins: installed{perms: tt.perms}})
				p.unread.Store(4)
				_, page := p.get(t, p.session(t), "/rooms/plain")
				if got := strings.Contains(page, `aria-label="4 unread"`); got != tt.shown {
					t.Errorf("permissions %v: count shown %v, want %v", tt.perms, got, tt.shown)
				}
			})
		})
	}
}

// TestSignOutCutsOff: signing out tells those holding connections open for
// the person (live streams) to close them.
func TestSignOutCutsOff(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		p := newTestPortal(t, db, portalOptions{})
		var cut []int64
		p.auth.OnCutOff(func(id int64) { cut = append(cut, id) })
		c := p.session(t)
		req, _ := http.NewRequest(http.MethodPost, p.URL+"/logout", nil)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if res, page := p.do(t, c, req); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign out: %d %.300s", res.StatusCode, page)
		}
		if len(cut) != 1 || cut[0] != p.user.ID {
			t.Errorf("cut off %v, want Pat (%d)", cut, p.user.ID)
		}
	})
}
