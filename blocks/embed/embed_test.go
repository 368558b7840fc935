package embed

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/ui"
)

// program is a Host that answers with a fixed program.
type program struct {
	prog sdk.Program
	err  error
}

func (p program) Program(context.Context) (sdk.Program, error) { return p.prog, p.err }

var (
	staff   = sdk.Viewer{UserID: 1, Role: sdk.RoleManager}
	partner = sdk.Viewer{UserID: 2, Role: sdk.RolePartnerUser, Partner: &sdk.Partner{ID: 7}}
	preview = sdk.Viewer{UserID: 1, Role: sdk.RolePartnerUser, Preview: true, Partner: &sdk.Partner{Name: "Preview partner"}}
	allow   = program{prog: sdk.Program{EmbedHosts: []string{"www.figma.com", "*.typeform.com"}}}
)

func TestRender(t *testing.T) {
	tests := []struct {
		name   string
		config string
		viewer sdk.Viewer
		want   ui.Component
	}{
		{"allowed host", `{"url":"https://www.figma.com/embed?x=1","title":"Plan","height":420}`, partner,
			ui.Embed{URL: "https://www.figma.com/embed?x=1", Title: "Plan", Height: 420}},
		{"default height", `{"url":"https://www.figma.com/embed","title":"Plan"}`, partner,
			ui.Embed{URL: "https://www.figma.com/embed", Title: "Plan", Height: 400}},
		{"wildcard subdomain", `{"url":"https://acme.typeform.com/to/abc","title":"Survey"}`, staff,
			ui.Embed{URL: "https://acme.typeform.com/to/abc", Title: "Survey", Height: 400}},
		{"host case", `{"url":"https://WWW.Figma.com/embed","title":"Plan"}`, partner,
			ui.Embed{URL: "https://WWW.Figma.com/embed", Title: "Plan", Height: 400}},
		{"wildcard does not admit the bare domain, for staff", `{"url":"https://typeform.com/to/abc","title":"Survey"}`, staff,
			ui.Callout{Tone: ui.ToneWarning, Title: "This page cannot be shown",
				Body: "`typeform.com` is not on the program's embed allowlist, so partners do not see this frame. An admin can add it to the program's embed hosts."}},
		{"lookalike host, for partners", `{"url":"https://www.figma.com.evil.example/","title":"Plan"}`, partner,
			ui.Callout{Body: "This content is not available."}},
		{"staff previewing see what partners see", `{"url":"https://calendly.com/acme","title":"Book"}`, preview,
			ui.Callout{Body: "This content is not available."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := New().Render(context.Background(), sdk.RenderRequest{Viewer: tt.viewer, Config: json.RawMessage(tt.config), Host: allow})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestRenderWithoutProgram(t *testing.T) {
	cfg := json.RawMessage(`{"url":"https://www.figma.com/embed","title":"Plan"}`)
	if _, err := New().Render(context.Background(), sdk.RenderRequest{Viewer: partner, Config: cfg}); err == nil {
		t.Error("rendered without a host")
	}
	broken := program{err: errors.New("catalog unavailable")}
	_, err := New().Render(context.Background(), sdk.RenderRequest{Viewer: partner, Config: cfg, Host: broken})
	if err == nil || !strings.Contains(err.Error(), "catalog unavailable") {
		t.Errorf("Render = %v, want the host's error", err)
	}
}

func TestInvalidConfig(t *testing.T) {
	tests := []struct {
		name, config string
		want         []string
	}{
		{"empty", ``, []string{"url: is required", "title: is required"}},
		{"http", `{"url":"http://www.figma.com/","title":"x"}`, []string{"url: must be an https URL"}},
		{"path", `{"url":"/rooms/x","title":"x"}`, []string{"url: must be an https URL"}},
		{"script", `{"url":"javascript:alert(1)","title":"x"}`, []string{"url: must be an https URL"}},
		{"credentials", `{"url":"https://www.figma.com@evil.example/","title":"x"}`, []string{"url: must not contain a user name"}},
		{"odd host", "{\"url\":\"https://a_b*c.example/\",\"title\":\"x\"}", []string{"url: must name its host as a domain name"}},
		{"no title", `{"url":"https://www.figma.com/"}`, []string{"title: is required"}},
		{"too short", `{"url":"https://www.figma.com/","title":"x","height":10}`, []string{"height: must be between 100 and 2000"}},
		{"too tall", `{"url":"https://www.figma.com/","title":"x","height":5000}`, []string{"height: must be between 100 and 2000"}},
		{"wrong type", `{"url":"https://www.figma.com/","title":"x","height":"big"}`, []string{"config:"}},
	}
	bt := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := bt.(sdk.ConfigValidator).ValidateConfig(context.Background(), json.RawMessage(tt.config))
			if err == nil {
				t.Fatal("ValidateConfig accepted the config")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("ValidateConfig = %q, want it to mention %q", err, w)
				}
			}
			if _, err := bt.Render(context.Background(), sdk.RenderRequest{Viewer: staff, Config: json.RawMessage(tt.config), Host: allow}); err == nil {
				t.Error("Render accepted the config")
			}
		})
	}
}

func (program) Call(context.Context, string, any, any) error { return sdk.ErrUnknownMethod }

// TestCatalogue: every language has every message English has and can draw
// it, and every message is still used.
func TestCatalogue(t *testing.T) {
	if err := catalog.Check(); err != nil {
		t.Fatal(err)
	}
	unused, err := catalog.Unused(os.DirFS("."))
	if err != nil || len(unused) > 0 {
		t.Fatalf("messages no code uses: %v %v", unused, err)
	}
}

// TestNoticeInTheReadersLanguage: a frame that cannot be shown says so in
// the reader's language.
func TestNoticeInTheReadersLanguage(t *testing.T) {
	cfg := json.RawMessage(`{"url":"https://www.figma.com.evil.example/","title":"Plan"}`)
	p, s := partner, staff
	p.Locale, s.Locale = "es", "de"
	got, _ := New().Render(context.Background(), sdk.RenderRequest{Viewer: p, Config: cfg, Host: allow})
	if c, ok := got.(ui.Callout); !ok || c.Body != "Este contenido no está disponible." {
		t.Errorf("Spanish partner: %#v", got)
	}
	got, _ = New().Render(context.Background(), sdk.RenderRequest{Viewer: s, Config: cfg, Host: allow})
	if c, ok := got.(ui.Callout); !ok || c.Title != "Diese Seite kann nicht angezeigt werden" || !strings.HasPrefix(c.Body, "`www.figma.com.evil.example` steht nicht") {
		t.Errorf("German staff: %#v", got)
	}
}
