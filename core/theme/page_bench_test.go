package theme

import (
	"html/template"
	"io"
	"strings"
	"testing"
)

// BenchmarkRoomPage draws the room page shell around 11 drawn blocks, as a
// partner's training room is served.
func BenchmarkRoomPage(b *testing.B) {
	th, err := Load(Options{})
	if err != nil {
		b.Fatal(err)
	}
	content := RoomPage{Slug: "training", Title: "Training Portal", Icon: "graduation-cap"}
	for i := range 11 {
		content.Blocks = append(content.Blocks, RenderedBlock{ID: "block-" + string(rune('a'+i)), Type: "text",
			HTML: template.HTML("<div class=\"text\">" + strings.Repeat("<p>Some text of the block.</p>", 30) + "</div>")})
	}
	l := Layout{Title: "Training Portal", Nonce: "abc", Brand: Brand{Name: "Acme Cloud Partner Portal", PrimaryColor: "#4f46e5"},
		User: &UserInfo{Name: "Sarah Johnson", Role: "Partner admin", Partner: "Northwind Referrals"},
		Nav: []NavItem{{Title: "Welcome", Href: "/rooms/welcome", Icon: "home"}, {Title: "Training Portal", Href: "/rooms/training", Icon: "graduation-cap", Active: true},
			{Title: "Support", Href: "/rooms/support", Icon: "life-buoy"}},
		Content: content}
	// The web layer wraps blocks once and reuses them; measure the shell.
	for i := range content.Blocks {
		content.Blocks[i].Wrapped, _ = th.Block(content.Blocks[i])
	}
	l.Content = content
	// and draws the navigation once per viewer's set of rooms.
	if l.NavHTML, err = th.Navigation(l); err != nil {
		b.Fatal(err)
	}
	// and the header once per viewer.
	if l.TopbarHTML, err = th.Topbar(l); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := th.Page(io.Discard, "room", l); err != nil {
			b.Fatal(err)
		}
	}
}
