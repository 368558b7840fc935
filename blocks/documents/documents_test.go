package documents

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/content"
	"github.com/atriumhq/atrium/sdk/ui"
)

// host answers content.resources.list as the portal would, and keeps the query.
type host struct{ got content.ResourceQuery }

func (h *host) Program(context.Context) (sdk.Program, error) { return sdk.Program{}, nil }
func (h *host) Call(_ context.Context, method string, req, resp any) error {
	if method != content.ListResources.Name {
		return &sdk.CallError{Code: sdk.CodeUnknownMethod}
	}
	h.got = req.(content.ResourceQuery)
	*resp.(*content.ResourcePage) = content.ResourcePage{Items: []content.Resource{
		{ID: 1, Title: "Riverside Health", FileName: "riverside.pdf", Size: 2048, DownloadURL: "/files/9/download"},
	}, Total: 1}
	return nil
}

func TestRender(t *testing.T) {
	for _, layout := range []string{"list", "grid"} {
		h := &host{}
		c, err := block{}.Render(context.Background(), sdk.RenderRequest{Host: h,
			Config: json.RawMessage(`{"title":"Case studies","layout":"` + layout + `","tags":["industry:healthcare"]}`)})
		if err != nil {
			t.Fatal(err)
		}
		if len(h.got.Tags) != 1 || h.got.Limit != 6 {
			t.Fatalf("query %+v", h.got)
		}
		b, _ := ui.Marshal(c)
		if !json.Valid(b) || !contains(string(b), "/files/9/download") || !contains(string(b), "PDF 2 KB") {
			t.Fatalf("%s: %s", layout, b)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

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

// TestInTheReadersLanguage: sizes in the reader's numbers, and the empty
// list in their words.
func TestInTheReadersLanguage(t *testing.T) {
	big := content.Resource{FileName: "deck.pptx", Size: 1536 * 1024}
	if got := meta(catalog.For("de"), big); got != "PPTX 1.536 KB" {
		t.Errorf("German size: %q", got)
	}
	c, err := block{}.Render(context.Background(), sdk.RenderRequest{Host: emptyHost{}, Viewer: sdk.Viewer{Locale: "es"}, Config: json.RawMessage(`{}`)})
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := c.(ui.Empty); !ok || e.Title != "Aún no hay documentos" {
		t.Errorf("Spanish empty list: %#v", c)
	}
}

type emptyHost struct{}

func (emptyHost) Program(context.Context) (sdk.Program, error) { return sdk.Program{}, nil }
func (emptyHost) Call(_ context.Context, _ string, _, resp any) error {
	*resp.(*content.ResourcePage) = content.ResourcePage{}
	return nil
}
