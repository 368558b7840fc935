package theme

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func TestAssets(t *testing.T) {
	th := load(t, "")
	css := th.AssetURL("app.css")
	if !regexp.MustCompile(`^/assets/app\.[0-9a-f]{8}\.css$`).MatchString(css) {
		t.Fatalf("AssetURL(app.css) = %s", css)
	}
	js := th.AssetURL("app.js")
	icon := th.AssetURL("icons/home.svg")
	tests := []struct {
		path, ctype, cache string
		status             int
	}{
		{css, "text/css; charset=utf-8", "public, max-age=31536000, immutable", 200},
		{js, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", 200},
		{icon, "image/svg+xml", "public, max-age=31536000, immutable", 200},
		{"/assets/app.css", "text/css; charset=utf-8", "no-cache", 200},
		{"/assets/app.00000000.css", "", "", 404},
		{"/assets/nope.js", "", "", 404},
		{"/assets/../go.mod", "", "", 404},
	}
	h := th.Assets()
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", tt.path, nil))
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			if tt.status != 200 {
				return
			}
			if got := rec.Header().Get("Content-Type"); got != tt.ctype {
				t.Errorf("Content-Type %q, want %q", got, tt.ctype)
			}
			if got := rec.Header().Get("Cache-Control"); got != tt.cache {
				t.Errorf("Cache-Control %q, want %q", got, tt.cache)
			}
			if rec.Body.Len() == 0 {
				t.Error("empty body")
			}
		})
	}

	// Revalidation by ETag.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", css, nil))
	req := httptest.NewRequest("GET", css, nil)
	req.Header.Set("If-None-Match", rec.Header().Get("ETag"))
	rec2 := httptest.NewRecorder()
	h.ServeHTTP(rec2, req)
	if rec2.Code != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", rec2.Code)
	}

	// Only reads.
	rec3 := httptest.NewRecorder()
	h.ServeHTTP(rec3, httptest.NewRequest("POST", css, strings.NewReader("")))
	if rec3.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d", rec3.Code)
	}

	if got := th.AssetURL("missing.css"); got != "/assets/missing.css" {
		t.Errorf("unknown asset URL %s", got)
	}
}

func TestAssetHashFollowsContent(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "assets/app.css", "body{}")
	a := load(t, dir).AssetURL("app.css")
	write(t, dir, "assets/app.css", "body{color:red}")
	b := load(t, dir).AssetURL("app.css")
	if a == b {
		t.Errorf("changed content kept its URL %s", a)
	}
}
