package theme

import (
	"html/template"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/sdk/ui"
	"golang.org/x/net/html"
)

func page(t *testing.T, th *Theme, name string, l Layout) (string, []*html.Node) {
	t.Helper()
	var b strings.Builder
	if err := th.Page(&b, name, l); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	assertCSPSafe(t, out)
	return out, elements(t, out)
}

func signedIn() Layout {
	return Layout{
		Title: "Welcome", Nonce: "n0nce",
		Brand:    Brand{Name: "Acme Partners", PrimaryColor: "#ffcc00"},
		User:     &UserInfo{Name: "Pat Lee", Email: "pat@example.com", Role: "Partner user", Partner: "Globex"},
		Nav:      []NavItem{{Title: "Welcome", Href: "/rooms/welcome", Icon: "home", Active: true}, {Title: "Deals", Href: "/rooms/deals", Icon: "briefcase"}},
		Flash:    &Flash{Tone: "success", Text: "Saved <b>"},
		AdminNav: nil,
	}
}

func TestRoomPage(t *testing.T) {
	th := load(t, "")
	card, err := th.Component(ui.Card{Title: "Hello"}, blockContext())
	if err != nil {
		t.Fatal(err)
	}
	for _, staff := range []bool{false, true} {
		l := signedIn()
		l.Content = RoomPage{Slug: "welcome", Title: "Welcome", Icon: "home", Blocks: []RenderedBlock{
			{ID: "intro", Type: "text", HTML: card},
			{ID: "broken", Type: "acme/quiz", Failed: true, Reason: "plugin acme: deadline exceeded <x>", ShowReason: staff},
		}}
		out, els := page(t, th, "room", l)

		var main, intro, broken *html.Node
		for _, n := range els {
			switch {
			case n.Data == "main":
				main = n
			case attr(n, "data-block-id") == "intro":
				intro = n
			case attr(n, "data-block-id") == "broken":
				broken = n
			}
		}
		if main == nil || attr(main, "data-room") != "welcome" || attr(main, "id") != "main" {
			t.Fatalf("main: %v", main)
		}
		if intro == nil || attr(intro, "data-block-type") != "text" || attr(intro, "id") != "block-intro" || !strings.Contains(out, `<h2 class="card-title">Hello</h2>`) {
			t.Errorf("drawn block missing or incomplete")
		}
		if broken == nil || attr(broken, "data-block-type") != "acme/quiz" {
			t.Fatalf("failed block is not wrapped")
		}
		shown := strings.Contains(out, "plugin acme: deadline exceeded &lt;x&gt;")
		quiet := strings.Contains(out, "This section is unavailable right now.")
		if staff && (!shown || strings.Contains(out, "<x>")) {
			t.Errorf("staff should see the escaped reason")
		}
		if !staff && (shown || !quiet) {
			t.Errorf("partners should see the quiet notice only")
		}
		for _, want := range []string{
			`<a class="skip-link" href="#main">Skip to content</a>`,
			`<nav class="sidebar" aria-label="Main">`,
			`<a class="nav-link" href="/rooms/welcome" aria-current="page">`,
			`<form method="post" action="/logout" class="signout">`,
			`Saved &lt;b&gt;`,
			`<title>Welcome · Acme Partners</title>`,
			`<style nonce="n0nce">:root{--brand:#ffcc00;--brand-contrast:#000000;`,
		} {
			if !strings.Contains(out, want) {
				t.Errorf("room page lacks %s", want)
			}
		}
	}
}

func TestLayoutHasNoInlineScriptOrStyleAttribute(t *testing.T) {
	th := load(t, "")
	l := signedIn()
	l.AdminNav = []NavItem{{Title: "Partners", Href: "/admin/partners", Icon: "users"}}
	l.Preview = &PreviewInfo{Audience: "a reseller partner", ExitURL: "/admin/rooms", Hidden: true}
	l.Content = RoomPage{Slug: "x", Title: "X"}
	for name, content := range map[string]any{
		"room":         RoomPage{Slug: "x", Title: "X"},
		"login":        LoginPage{},
		"set-password": SetPasswordPage{},
		"error":        ErrorPage{Status: 404, Title: "Not found"},
		"empty-portal": nil,
	} {
		t.Run(name, func(t *testing.T) {
			l.Content = content
			_, els := page(t, th, name, l)
			var styles, scripts int
			for _, n := range els {
				switch n.Data {
				case "style":
					styles++
				case "script":
					scripts++
					if !strings.HasPrefix(attr(n, "src"), "/assets/app.") || !hasAttr(n, "defer") {
						t.Errorf("script: %v", n.Attr)
					}
				}
			}
			if styles != 1 || scripts != 1 {
				t.Errorf("want one nonce'd style and one external script, got %d and %d", styles, scripts)
			}
		})
	}
}

func TestSignedOutPages(t *testing.T) {
	th := load(t, "")
	tests := []struct {
		name    string
		content any
		want    []string
		notWant []string
	}{
		{"login", LoginPage{Email: `pat@example.com"><x`, Next: "/rooms/deals", Error: "Email or password is wrong."}, []string{
			`<form method="post" action="/login" class="form" aria-describedby="login-error">`,
			`<div class="form-error" role="alert" id="login-error">`,
			`<input type="hidden" name="next" value="/rooms/deals">`,
			`<label for="login-email">Email</label>`,
			`value="pat@example.com&#34;&gt;&lt;x" autocomplete="username"`,
			`<label for="login-password">Password</label>`,
			`autocomplete="current-password" required>`,
		}, []string{"<x"}},
		{"set-password", SetPasswordPage{Name: "Pat", Email: "pat@example.com", Rules: "Use 12 or more characters.",
			Errors: map[string]string{"password": "Too common.", "confirm": "Does not match.", "token": "Expired."}}, []string{
			`<p class="field-help" id="new-password-help">Use 12 or more characters.</p>`,
			`name="password" autocomplete="new-password" required aria-describedby="new-password-help new-password-error" aria-invalid="true">`,
			`name="confirm" autocomplete="new-password" required aria-describedby="confirm-password-error" aria-invalid="true">`,
			`<label for="new-password">`, `<label for="confirm-password">`,
			"Too common.", "Does not match.", "<p>Expired.</p>",
			`autocomplete="username" value="pat@example.com"`,
		}, nil},
		{"set-password", SetPasswordPage{Email: "pat@example.com"}, []string{`<input type="password" id="new-password" name="password" autocomplete="new-password" required>`}, []string{"role=\"alert\""}},
		{"error", ErrorPage{Status: 404, Title: "Page not found", Message: "No such page."}, []string{"Error 404", "Page not found", "No such page.", `href="/"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, els := page(t, th, tt.name, Layout{Title: "T", Nonce: "n", Content: tt.content})
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("lacks %s\n%s", w, out)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("contains %s", w)
				}
			}
			for _, n := range els {
				if n.Data == "input" && attr(n, "type") != "hidden" && attr(n, "aria-hidden") != "true" && attr(n, "id") == "" {
					t.Errorf("input without an id for its label: %v", n.Attr)
				}
				if n.Data == "nav" || (n.Data == "form" && attr(n, "action") == "/logout") {
					t.Errorf("signed-out page shows navigation or sign-out")
				}
			}
		})
	}
}

func TestEmptyPortalPage(t *testing.T) {
	th := load(t, "")
	l := signedIn()
	l.Nav = nil
	out, _ := page(t, th, "empty-portal", l)
	if !strings.Contains(out, "Welcome, Pat Lee") || !strings.Contains(out, "contact your partner manager") {
		t.Errorf("empty portal page:\n%s", out)
	}
	l.Content = EmptyPortalPage{ManagerName: "Dana", ManagerEmail: "dana@example.com"}
	if out, _ := page(t, th, "empty-portal", l); !strings.Contains(out, `<a href="mailto:dana@example.com">dana@example.com</a>`) {
		t.Errorf("manager not named:\n%s", out)
	}
}

func TestPageErrors(t *testing.T) {
	th := load(t, "")
	var b strings.Builder
	if err := th.Page(&b, "no-such-page", Layout{}); err == nil {
		t.Error("an unknown page should fail")
	}
	if err := th.Page(&b, "room", Layout{Content: 42}); err == nil {
		t.Error("wrong page data should fail")
	}
	if b.Len() != 0 {
		t.Errorf("a failed page wrote %q", b.String())
	}
	if got := th.Pages(); !containsAll(got, "room", "login", "set-password", "error", "empty-portal") {
		t.Errorf("Pages() = %v", got)
	}
}

func containsAll(have []string, want ...string) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			found = found || h == w
		}
		if !found {
			return false
		}
	}
	return true
}

func TestPageAcceptsLayoutPointerAndBareContent(t *testing.T) {
	th := load(t, "")
	var a, b strings.Builder
	if err := th.Page(&a, "error", &Layout{Content: ErrorPage{Title: "Oops"}}); err != nil || !strings.Contains(a.String(), "Oops") {
		t.Errorf("*Layout: %v", err)
	}
	if err := th.Page(&b, "error", ErrorPage{Title: "Oops"}); err != nil || !strings.Contains(b.String(), "Oops") {
		t.Errorf("bare content: %v", err)
	}
	_ = template.HTML("")
}

// The header drawn once by Topbar and reused is the header the page would
// draw itself, so reusing it changes nothing a viewer sees.
func TestTopbarReusedMatchesDrawn(t *testing.T) {
	th := load(t, "")
	l := signedIn()
	l.User.Unread = 7
	l.Content = RoomPage{Slug: "welcome", Title: "Welcome", Icon: "home"}
	var want strings.Builder
	if err := th.Page(&want, "room", l); err != nil {
		t.Fatal(err)
	}
	var err error
	if l.NavHTML, err = th.Navigation(l); err != nil {
		t.Fatal(err)
	}
	if l.TopbarHTML, err = th.Topbar(l); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(l.TopbarHTML), `<span class="bell-count" aria-hidden="true">7</span>`) {
		t.Errorf("topbar lacks the bell count: %s", l.TopbarHTML)
	}
	var got strings.Builder
	if err := th.Page(&got, "room", l); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("page with a reused header differs:\n got %s\nwant %s", got.String(), want.String())
	}
	l.User = nil
	if _, err := th.Topbar(l); err == nil {
		t.Error("a signed-out layout has no topbar to draw")
	}
}
