package video

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	const yt = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
	const loom = "0281766fa2d04bb788eaf19e65135184"
	tests := []struct {
		in   string
		want Source
	}{
		// YouTube
		{"https://www.youtube.com/watch?v=dQw4w9WgXcQ", Source{YouTube, "dQw4w9WgXcQ", yt, ""}},
		{"  https://youtube.com/watch?v=dQw4w9WgXcQ&list=PL123&index=2  ", Source{YouTube, "dQw4w9WgXcQ", yt, ""}},
		{"https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ", Source{YouTube, "dQw4w9WgXcQ", yt, ""}},
		{"https://WWW.YouTube.COM/watch?v=dQw4w9WgXcQ", Source{YouTube, "dQw4w9WgXcQ", yt, ""}},
		{"https://youtu.be/dQw4w9WgXcQ", Source{YouTube, "dQw4w9WgXcQ", yt, ""}},
		{"https://youtu.be/dQw4w9WgXcQ?si=abc", Source{YouTube, "dQw4w9WgXcQ", yt, ""}},
		{"https://www.youtube.com/embed/dQw4w9WgXcQ", Source{YouTube, "dQw4w9WgXcQ", yt, ""}},
		{"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", Source{YouTube, "dQw4w9WgXcQ", yt, ""}},
		{"https://www.youtube.com/shorts/dQw4w9WgXcQ", Source{YouTube, "dQw4w9WgXcQ", yt, ""}},
		{"https://www.youtube.com/live/dQw4w9WgXcQ", Source{YouTube, "dQw4w9WgXcQ", yt, ""}},
		{"https://youtu.be/a-_Z9a-_Z9a", Source{YouTube, "a-_Z9a-_Z9a", "https://www.youtube-nocookie.com/embed/a-_Z9a-_Z9a", ""}},
		// YouTube start times
		{"https://youtu.be/dQw4w9WgXcQ?t=42", Source{YouTube, "dQw4w9WgXcQ", yt + "?start=42", ""}},
		{"https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=90s", Source{YouTube, "dQw4w9WgXcQ", yt + "?start=90", ""}},
		{"https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m30s", Source{YouTube, "dQw4w9WgXcQ", yt + "?start=90", ""}},
		{"https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1h2m3s", Source{YouTube, "dQw4w9WgXcQ", yt + "?start=3723", ""}},
		{"https://www.youtube.com/embed/dQw4w9WgXcQ?start=15", Source{YouTube, "dQw4w9WgXcQ", yt + "?start=15", ""}},
		{"https://youtu.be/dQw4w9WgXcQ?t=0", Source{YouTube, "dQw4w9WgXcQ", yt, ""}},
		// Vimeo
		{"https://vimeo.com/76979871", Source{Vimeo, "76979871", "https://player.vimeo.com/video/76979871?dnt=1", ""}},
		{"https://www.vimeo.com/76979871?share=copy", Source{Vimeo, "76979871", "https://player.vimeo.com/video/76979871?dnt=1", ""}},
		{"https://vimeo.com/76979871/a1b2c3d4e5", Source{Vimeo, "76979871", "https://player.vimeo.com/video/76979871?h=a1b2c3d4e5&dnt=1", ""}},
		{"https://player.vimeo.com/video/76979871", Source{Vimeo, "76979871", "https://player.vimeo.com/video/76979871?dnt=1", ""}},
		{"https://player.vimeo.com/video/76979871?h=a1b2c3d4e5&badge=0", Source{Vimeo, "76979871", "https://player.vimeo.com/video/76979871?h=a1b2c3d4e5&dnt=1", ""}},
		{"https://vimeo.com/channels/staffpicks/76979871", Source{Vimeo, "76979871", "https://player.vimeo.com/video/76979871?dnt=1", ""}},
		// Loom
		{"https://www.loom.com/share/" + loom, Source{Loom, loom, "https://www.loom.com/embed/" + loom, ""}},
		{"https://loom.com/embed/" + loom + "?sid=x", Source{Loom, loom, "https://www.loom.com/embed/" + loom, ""}},
		{"https://www.loom.com/share/Quarterly-review-" + loom, Source{Loom, loom, "https://www.loom.com/embed/" + loom, ""}},
		// Wistia
		{"https://acme.wistia.com/medias/e4a27b971d", Source{Wistia, "e4a27b971d", "https://fast.wistia.net/embed/iframe/e4a27b971d", ""}},
		{"https://fast.wistia.net/embed/iframe/e4a27b971d?videoFoam=true", Source{Wistia, "e4a27b971d", "https://fast.wistia.net/embed/iframe/e4a27b971d", ""}},
		{"https://wi.st/medias/e4a27b971d", Source{Wistia, "e4a27b971d", "https://fast.wistia.net/embed/iframe/e4a27b971d", ""}},
		// Files
		{"https://cdn.acme.example/videos/intro.mp4", Source{File, "", "", "https://cdn.acme.example/videos/intro.mp4"}},
		{"https://cdn.acme.example/v/Intro.WEBM?sig=abc", Source{File, "", "", "https://cdn.acme.example/v/Intro.WEBM?sig=abc"}},
		{"https://cdn.acme.example/a.ogg", Source{File, "", "", "https://cdn.acme.example/a.ogg"}},
		{"https://cdn.acme.example/a.mov", Source{File, "", "", "https://cdn.acme.example/a.mov"}},
		{"https://cdn.acme.example/a.m4v", Source{File, "", "", "https://cdn.acme.example/a.m4v"}},
		{"/files/onboarding", Source{File, "", "", "/files/onboarding"}},
		{"/demo/intro.mp4", Source{File, "", "", "/demo/intro.mp4"}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Parse(%q)\n got %+v\nwant %+v", tt.in, got, tt.want)
		}
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", "is required"},
		{"   ", "is required"},
		{"javascript:alert(1)", "https"},
		{"JavaScript://youtube.com/%0Aalert(1)", "https"},
		{"data:video/mp4;base64,AAAA", "https"},
		{"http://www.youtube.com/watch?v=dQw4w9WgXcQ", "https"},
		{"http://cdn.acme.example/intro.mp4", "https"},
		{"www.youtube.com/watch?v=dQw4w9WgXcQ", "https"},
		{"//www.youtube.com/watch?v=dQw4w9WgXcQ", "single"},
		{`/\evil.example/intro.mp4`, "single"},
		{"https://user:pw@www.youtube.com/watch?v=dQw4w9WgXcQ", "user name"},
		{"https://", "https"},
		{"https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ", "must be a YouTube"},
		{"https://evil.example/?u=https://www.youtube.com/watch?v=dQw4w9WgXcQ", "must be a YouTube"},
		{"https://evil-youtube.com/watch?v=dQw4w9WgXcQ", "must be a YouTube"},
		{"https://www.y\u043eutube.com/watch?v=dQw4w9WgXcQ", "must be a YouTube"}, // Cyrillic o
		{"https://evil.example#@www.youtube.com/watch?v=dQw4w9WgXcQ", "must be a YouTube"},
		{"https://www.youtube.com:443@evil.example/watch?v=dQw4w9WgXcQ", "user name"},
		{"https:www.youtube.com/watch?v=dQw4w9WgXcQ", "https"},
		{"https://youtube.com./watch?v=dQw4w9WgXcQ", "must be a YouTube"},
		{"https://acme.example/page.html", "must be a YouTube"},
		{"https://acme.example/intro.mp4.html", "must be a YouTube"},
		{"https://www.youtube.com/watch?v=dQw4w9WgXc", "YouTube video id"},
		{"https://www.youtube.com/watch?v=dQw4w9WgXcQQ", "YouTube video id"},
		{`https://www.youtube.com/watch?v=dQw4w9Wg"Q1`, "YouTube video id"},
		{"https://www.youtube.com/watch?v=dQw4%2F9WgXcQ", "YouTube video id"},
		{"https://www.youtube.com/watch?v=dQw4w9WgXc%22", "YouTube video id"},
		{"https://www.youtube.com/watch?v=dQw4w9WgXcQ%3Fautoplay%3D1", "YouTube video id"},
		{"https://www.youtube.com/watch", "YouTube video id"},
		{"https://www.youtube.com/embed/dQw4w9WgXcQ/../../evil", "not to one video"},
		{"https://www.youtube.com/embed/..%2F..%2Fevil", "not to one video"},
		{"https://www.youtube.com/embed/dQw4w9W'XcQ", "YouTube video id"},
		{"https://www.youtube.com/channel/UC123", "not to one video"},
		{"https://youtu.be/", "not to one video"},
		{"https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=abc", "start time"},
		{"https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=-5", "start time"},
		{"https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=99999999", "start time"},
		{"https://vimeo.com/76979871abc", "Vimeo video id"},
		{"https://vimeo.com/acme", "Vimeo video id"},
		{"https://vimeo.com/76979871/abc%22def", "hash"},
		{"https://player.vimeo.com/video/76979871?h=a%26autoplay%3D1", "hash"},
		{"https://vimeo.com/", "not to one video"},
		{"https://player.vimeo.com/76979871", "not to one video"},
		{"https://www.loom.com/share/xyz", "Loom video id"},
		{"https://www.loom.com/share/0281766FA2D04BB788EAF19E65135184", "Loom video id"},
		{"https://www.loom.com/share/" + "0281766fa2d04bb788eaf19e65135184" + "%22", "Loom video id"},
		{"https://www.loom.com/looms/videos", "not to one video"},
		{"https://acme.wistia.com/medias/e4a27b971d%22x", "Wistia media id"},
		{"https://acme.wistia.com/medias/E4A27B971D", "Wistia media id"},
		{"https://fast.wistia.net/embed/iframe/e4a27b971d/x", "not to one video"},
		{"https://acme.wistia.com/projects/abc", "not to one video"},
		{"https://wistia.com.evil.example/medias/e4a27b971d", "must be a YouTube"},
		{"/files/a\nb.mp4", "not a valid path"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%q) = %+v, want an error", tt.in, got)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) error %q, want it to mention %q", tt.in, err, tt.want)
		}
	}
}
