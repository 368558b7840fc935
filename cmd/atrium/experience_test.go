package main

import (
	"net/http"
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
