package theme

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// asset is one file under assets/, kept in memory.
type asset struct {
	name   string // "app.css", "icons/home.svg"
	hashed string // "app.3f9a1c2b.css"
	etag   string
	ctype  string
	data   []byte
}

type assetSet struct {
	byName   map[string]*asset
	byHashed map[string]*asset
}

// contentTypes pins the types browsers are strict about; others come from
// the mime package.
var contentTypes = map[string]string{
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".jpeg":  "image/jpeg",
	".gif":   "image/gif",
	".webp":  "image/webp",
	".avif":  "image/avif",
	".ico":   "image/x-icon",
	".woff2": "font/woff2",
	".woff":  "font/woff",
	".json":  "application/json",
	".map":   "application/json",
	".txt":   "text/plain; charset=utf-8",
}

// loadAssets reads every file under assets/ and names it by its content.
func loadAssets(fsys fs.FS) (*assetSet, error) {
	set := &assetSet{byName: map[string]*asset{}, byHashed: map[string]*asset{}}
	err := fs.WalkDir(fsys, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "assets/")
		sum := sha256.Sum256(data)
		h := hex.EncodeToString(sum[:4])
		ext := path.Ext(name)
		a := &asset{name: name, hashed: strings.TrimSuffix(name, ext) + "." + h + ext, etag: `"` + h + `"`, data: data}
		if a.ctype = contentTypes[strings.ToLower(ext)]; a.ctype == "" {
			if a.ctype = mime.TypeByExtension(ext); a.ctype == "" {
				a.ctype = "application/octet-stream"
			}
		}
		set.byName[a.name] = a
		set.byHashed[a.hashed] = a
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("theme: assets: %w", err)
	}
	return set, nil
}

// AssetURL returns the URL of a file under assets/ named by its content
// ("app.css" → "/assets/app.3f9a1c2b.css"), so browsers may keep it for good
// and fetch it again when it changes. An unknown name yields its plain URL,
// which answers 404.
func (t *Theme) AssetURL(name string) string {
	if a, ok := t.assets.byName[name]; ok {
		return "/assets/" + a.hashed
	}
	t.log.Warn("theme: unknown asset", "name", name)
	return "/assets/" + name
}

// Assets serves the theme's assets under /assets/ (with or without that
// prefix stripped). A name with its content hash is cached for a year as
// immutable; a plain name is served too, revalidated on every use.
func (t *Theme) Assets() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/assets"), "/")
		cache := "public, max-age=31536000, immutable"
		a, ok := t.assets.byHashed[name]
		if !ok {
			a, ok = t.assets.byName[name]
			cache = "no-cache"
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.ctype)
		h.Set("Cache-Control", cache)
		h.Set("ETag", a.etag)
		h.Set("X-Content-Type-Options", "nosniff")
		http.ServeContent(w, r, a.name, time.Time{}, bytes.NewReader(a.data))
	})
}
