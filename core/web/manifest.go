package web

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/atriumhq/atrium/core/theme"
)

// webManifest is the web app manifest: it makes the portal installable on
// a phone's home screen, named after the program and in its colour. There
// is deliberately no service worker: nothing private is kept offline.
type webManifest struct {
	Name            string         `json:"name"`
	ShortName       string         `json:"short_name"`
	StartURL        string         `json:"start_url"`
	Scope           string         `json:"scope"`
	Display         string         `json:"display"`
	BackgroundColor string         `json:"background_color"`
	ThemeColor      string         `json:"theme_color"`
	Icons           []manifestIcon `json:"icons"`
}

type manifestIcon struct {
	Src   string `json:"src"`
	Sizes string `json:"sizes"`
	Type  string `json:"type"`
}

// manifest serves /manifest.webmanifest to anyone: it names the program
// and its colour, which the sign-in page shows too.
func (s *Server) manifest(w http.ResponseWriter, r *http.Request) {
	p := s.catalog.Current().Program
	name := strings.TrimSpace(p.Name)
	if name == "" {
		name = "Partner portal"
	}
	short := name
	if r := []rune(short); len(r) > 12 {
		short = strings.TrimSpace(string(r[:12]))
	}
	m := webManifest{Name: name, ShortName: short, StartURL: "/", Scope: "/", Display: "standalone",
		BackgroundColor: "#f6f7f9", ThemeColor: theme.BrandColor(p.PrimaryColor),
		Icons: []manifestIcon{
			{Src: s.Theme.AssetURL("icon-192.png"), Sizes: "192x192", Type: "image/png"},
			{Src: s.Theme.AssetURL("icon-512.png"), Sizes: "512x512", Type: "image/png"},
			{Src: s.Theme.AssetURL("favicon.svg"), Sizes: "any", Type: "image/svg+xml"},
		}}
	w.Header().Set("Content-Type", "application/manifest+json")
	w.Header().Set("Cache-Control", "no-cache")
	if err := json.NewEncoder(w).Encode(m); err != nil {
		s.Log.Warn("write the web manifest", "err", err)
	}
}
