package video

import (
	"context"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/ui"
)

func TestRender(t *testing.T) {
	tests := []struct {
		name   string
		config string
		want   ui.Video
	}{
		{"youtube", `{"url":"https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m","title":"Getting started"}`, ui.Video{
			Labels: labels(catalog.For("en"), "Getting started"), Title: "Getting started", EmbedURL: "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=60",
			Provider: "youtube", SourceURL: "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m",
		}},
		{"vimeo", `{"url":"https://vimeo.com/76979871","title":"Demo"}`, ui.Video{
			Labels: labels(catalog.For("en"), "Demo"), Title: "Demo", EmbedURL: "https://player.vimeo.com/video/76979871?dnt=1",
			Provider: "vimeo", SourceURL: "https://vimeo.com/76979871",
		}},
		{"file with poster", `{"url":"/files/intro.mp4","title":"Intro","poster":"https://cdn.acme.example/intro.jpg"}`, ui.Video{
			Labels: labels(catalog.For("en"), "Intro"), Title: "Intro", FileURL: "/files/intro.mp4", PosterURL: "https://cdn.acme.example/intro.jpg",
			Provider: "file", SourceURL: "/files/intro.mp4",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := New().Render(context.Background(), sdk.RenderRequest{Config: json.RawMessage(tt.config)})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestInvalidConfig(t *testing.T) {
	tests := []struct {
		name, config string
		want         []string
	}{
		{"empty", ``, []string{"url: is required", "title: is required"}},
		{"no title", `{"url":"https://youtu.be/dQw4w9WgXcQ"}`, []string{"title: is required"}},
		{"not a video", `{"url":"https://acme.example/","title":"x"}`, []string{"url: must be a YouTube, Vimeo, Loom or Wistia link"}},
		{"script", `{"url":"javascript:alert(1)","title":"x"}`, []string{`url: must be an https link or a path starting with "/"`}},
		{"poster", `{"url":"https://youtu.be/dQw4w9WgXcQ","title":"x","poster":"http://acme.example/p.jpg"}`, []string{"poster: must be an https link"}},
		{"protocol-relative poster", `{"url":"https://youtu.be/dQw4w9WgXcQ","title":"x","poster":"//evil.example/p.jpg"}`, []string{"poster: must be"}},
		{"wrong type", `{"url":["x"]}`, []string{"config:"}},
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
			if _, err := bt.Render(context.Background(), sdk.RenderRequest{Config: json.RawMessage(tt.config)}); err == nil {
				t.Error("Render accepted the config")
			}
		})
	}
}

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

// TestFallbackWordsInTheReadersLanguage: the words around the player are
// the reader's, in English exactly the theme's own.
func TestFallbackWordsInTheReadersLanguage(t *testing.T) {
	en := labels(catalog.For(""), "Demo")
	if *en != (ui.VideoLabels{Play: "Play “Demo”", OpenPage: "Open the video on its own page", Watch: "Watch “Demo”", Download: "Download the video",
		Unplayable: "Your browser cannot play this video.", Unavailable: "This video is not available."}) {
		t.Errorf("English: %+v", *en)
	}
	got, err := New().Render(context.Background(), sdk.RenderRequest{Viewer: sdk.Viewer{Locale: "de"},
		Config: json.RawMessage(`{"url":"https://vimeo.com/76979871","title":"Demo"}`)})
	if err != nil {
		t.Fatal(err)
	}
	if l := got.(ui.Video).Labels; l == nil || l.Play != "„Demo“ abspielen" || l.OpenPage != "Video auf seiner eigenen Seite öffnen" {
		t.Errorf("German: %+v", l)
	}
	if l := labels(catalog.For("es"), ""); l.Watch != "Ver el vídeo" {
		t.Errorf("Spanish without a title: %+v", l)
	}
}
