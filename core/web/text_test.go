package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

// TestBadTextIsRefused: NUL characters, invalid UTF-8 and over-long query
// parameters are refused with 422 naming the field, as a page for people and
// as problem details for the API, before any handler runs.
func TestBadTextIsRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		p := newTestPortal(t, db, portalOptions{})
		c := p.session(t)
		long := strings.Repeat("contoso ", 8<<10) // 64 KB
		cases := []struct {
			name, method, path, ctype, body string
			status                          int
			shows                           string
		}{
			{"a long search", "GET", "/rooms/plain?q=" + url.QueryEscape(long), "", "", 422, "q is longer than 2000 characters"},
			{"NUL in a query", "GET", "/rooms/plain?q=a%00b", "", "", 422, "q contains a NUL character"},
			{"invalid UTF-8 in a query", "GET", "/rooms/plain?q=%ff%fe", "", "", 422, "q is not valid UTF-8 text"},
			{"NUL in a form", "POST", "/rooms/inbox/blocks/up/actions/send", "application/x-www-form-urlencoded",
				"note=a%00b", 422, "note contains a NUL character"},
			{"NUL in JSON", "POST", "/api/v1/leads", "application/json", `{"company":"Acme\u0000","contact":{"name":"x"}}`, 422,
				`"location":"body.company"`},
			{"invalid UTF-8 in JSON", "POST", "/api/v1/leads", "application/json", "{\"company\":\"\xff\"}", 422, `"location":"body"`},
			{"a long API search", "GET", "/api/v1/leads?q=" + url.QueryEscape(long), "", "", 422, `"location":"query.q"`},
			{"plain text passes", "GET", "/rooms/plain?q=" + url.QueryEscape("Zürich & co"), "", "", 200, ""},
		}
		for _, tt := range cases {
			t.Run(tt.name, func(t *testing.T) {
				req, _ := http.NewRequest(tt.method, p.URL+tt.path, strings.NewReader(tt.body))
				if tt.ctype != "" {
					req.Header.Set("Content-Type", tt.ctype)
				}
				res, page := p.do(t, c, req)
				if res.StatusCode != tt.status || !strings.Contains(page, tt.shows) {
					t.Errorf("status %d, want %d with %q:\n%.600s", res.StatusCode, tt.status, tt.shows, page)
				}
			})
		}
	})
}
