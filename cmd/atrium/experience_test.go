package main

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// demoPartners are the demo's partner people, one of each kind of partner.
var demoPartners = []string{"sarah@northwind.example", "carlos@carlosco.example", "lisa@carlosco.example",
	"jennifer@abccorp.example", "dana@xyzdist.example", "tom@bluebird.example"}

var (
	navLinkRe = regexp.MustCompile(`class="nav-link" href="(/rooms/[^"]+)"`)
	blockRe   = regexp.MustCompile(`(?s)<section class="block[^"]*" id="block-([^"]+)"[^>]*>(.*?)</section>`)
	tagRe     = regexp.MustCompile(`(?s)<[^>]*>`)
	mediaRe   = regexp.MustCompile(`<(img|video|iframe|form|input|progress|svg|a) `)
)

// TestNoEmptyBlocks walks every room of every demo partner and fails on a
// block that draws a box with nothing in it (no text, no media, no form):
// an empty white card reads as something broken.
func TestNoEmptyBlocks(t *testing.T) {
	p := startDemo(t)
	for _, email := range demoPartners {
		t.Run(email, func(t *testing.T) {
			c := p.client(t, email)
			code, body := fetch(t, c, p.URL+"/rooms/overview")
			if code != http.StatusOK {
				t.Fatalf("overview: %d", code)
			}
			var rooms []string
			for _, m := range navLinkRe.FindAllStringSubmatch(body, -1) {
				if !slices.Contains(rooms, m[1]) {
					rooms = append(rooms, m[1])
				}
			}
			if len(rooms) == 0 {
				t.Fatal("no rooms in the navigation")
			}
			for _, path := range rooms {
				code, body := fetch(t, c, p.URL+path)
				if code != http.StatusOK {
					t.Errorf("%s: %d", path, code)
					continue
				}
				for _, b := range blockRe.FindAllStringSubmatch(body, -1) {
					text := strings.TrimSpace(tagRe.ReplaceAllString(b[2], ""))
					if text == "" && !mediaRe.MatchString(b[2]) {
						t.Errorf("%s: block %q draws an empty box: %s", path, b[1], b[0])
					}
				}
			}
		})
	}
}

// TestCloseDealReasonWithoutReferer: the form of a deal's page comes back
// with the reason's error beside its field even when the browser sends no
// Referer (a privacy setting or extension strips it): the room type says
// which page the form is on, and that page is drawn again.
func TestCloseDealReasonWithoutReferer(t *testing.T) {
	p := startDemo(t)
	admin := p.client(t, "admin@acme.example")
	_, page := fetch(t, admin, p.URL+"/admin/work/deals/items/1")
	m := regexp.MustCompile(`action="(/admin/work/deals/blocks/item/actions/stage)" class="form">\s*<input type="hidden" name="_state" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no stage form on the deal's page")
	}
	for _, stage := range []string{"closed_won", "closed_lost"} {
		req, _ := http.NewRequest(http.MethodPost, p.URL+m[1], strings.NewReader(url.Values{"_state": {m[2]}, "stage": {stage}, "reason": {""}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", p.URL)
		res, err := admin.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		body := string(b)
		field := regexp.MustCompile(`(?s)<div class="field has-error">\s*<label for="[^"]*-reason">.*?<p class="field-error" id="[^"]+">.*?won or lost.*?</p>`)
		if res.StatusCode != http.StatusUnprocessableEntity || !field.MatchString(body) {
			t.Errorf("close as %s without a reason and without a Referer: status %d, the reason's error beside its field: %v", stage, res.StatusCode, field.MatchString(body))
		}
	}
}
