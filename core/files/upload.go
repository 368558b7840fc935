package files

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/sdk"
	"github.com/uptrace/bun"
)

// Type is an accepted kind of file: its extension decides the type a file
// claims, and the first bytes must agree.
type Type struct {
	ContentType string
	// Sniffed lists what net/http.DetectContentType may say of such a file.
	Sniffed []string
	// Inline marks types safe to show in the page (images, video, PDF);
	// everything else is always served as an attachment.
	Inline bool
}

var office = []string{"application/zip"}

// Types is the allow-list of uploads, by lowercase extension.
var Types = map[string]Type{
	".pdf":   {"application/pdf", []string{"application/pdf"}, true},
	".png":   {"image/png", []string{"image/png"}, true},
	".jpg":   {"image/jpeg", []string{"image/jpeg"}, true},
	".jpeg":  {"image/jpeg", []string{"image/jpeg"}, true},
	".gif":   {"image/gif", []string{"image/gif"}, true},
	".webp":  {"image/webp", []string{"image/webp"}, true},
	".svg":   {"image/svg+xml", []string{"text/xml; charset=utf-8", "text/plain; charset=utf-8"}, false},
	".mp4":   {"video/mp4", []string{"video/mp4"}, true},
	".webm":  {"video/webm", []string{"video/webm"}, true},
	".mp3":   {"audio/mpeg", []string{"audio/mpeg"}, true},
	".pptx":  {"application/vnd.openxmlformats-officedocument.presentationml.presentation", office, false},
	".docx":  {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", office, false},
	".xlsx":  {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", office, false},
	".zip":   {"application/zip", office, false},
	".txt":   {"text/plain; charset=utf-8", []string{"text/plain; charset=utf-8"}, false},
	".csv":   {"text/csv; charset=utf-8", []string{"text/plain; charset=utf-8"}, false},
	".md":    {"text/markdown; charset=utf-8", []string{"text/plain; charset=utf-8"}, false},
	".ttf":   {"font/ttf", []string{"font/ttf", "application/octet-stream"}, false},
	".otf":   {"font/otf", []string{"font/otf", "application/octet-stream"}, false},
	".woff2": {"font/woff2", []string{"font/woff2"}, false},
}

// MaxSVGSize bounds SVG uploads: an SVG is read whole to look for script, so
// it must stay small.
const MaxSVGSize = 4 << 20

// CleanName turns an uploaded file name into a safe display name: the last
// path element only, no control or invisible characters, no leading dots,
// at most 200 bytes. It returns "" when nothing usable is left.
func CleanName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(path.Clean("/" + name))
	if name == "/" {
		return ""
	}
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == utf8.RuneError, unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			continue
		case r == '/' || r == ':' || r == '"' || r == '<' || r == '>' || r == '|' || r == '*' || r == '?':
			b.WriteRune('_')
		default:
			b.WriteRune(r)
		}
	}
	name = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(b.String()), "."))
	for len(name) > 200 {
		ext := path.Ext(name)
		if len(ext) > 20 {
			ext = ""
		}
		cut := 200 - len(ext)
		for cut > 0 && !utf8.RuneStart(name[cut]) {
			cut--
		}
		name = name[:cut] + ext
	}
	return name
}

// Upload is one file arriving.
type Upload struct {
	Name string
	Body io.Reader
}

// NewFile says where a new file belongs.
type NewFile struct {
	Kind      Kind
	PartnerID *int64
	Folder    string
	Audience  sdk.Audience
	By        int64
}

var folderRE = regexp.MustCompile(`^[\p{L}\p{N} _.&()-]{1,80}(/[\p{L}\p{N} _.&()-]{1,80}){0,7}$`)

// CleanFolder checks a folder path ("Case studies/Healthcare").
func CleanFolder(folder string) (string, error) {
	folder = strings.Trim(strings.TrimSpace(folder), "/")
	if folder == "" {
		return "", nil
	}
	for _, part := range strings.Split(folder, "/") {
		if part == "." || part == ".." || strings.TrimSpace(part) != part {
			return "", fail.Field("folder", "invalid.file.folder-ends")
		}
	}
	if !folderRE.MatchString(folder) {
		return "", fail.Field("folder", "invalid.file.folder-chars")
	}
	return folder, nil
}

// Create stores a new file from its first upload.
func (s *Service) Create(ctx context.Context, nf NewFile, up Upload) (File, Version, error) {
	folder, err := CleanFolder(nf.Folder)
	if err != nil {
		return File{}, Version{}, err
	}
	v, err := s.put(ctx, up)
	if err != nil {
		return File{}, Version{}, err
	}
	now := s.opts.Now().UnixMilli()
	f := File{Kind: nf.Kind, PartnerID: nf.PartnerID, Folder: folder, Name: v.Name, Audience: nf.Audience,
		Latest: 1, CreatedMS: now, UpdatedMS: now}
	if nf.By != 0 {
		f.CreatedBy = &nf.By
		v.UploadedBy = &nf.By
	}
	v.Number, v.CreatedMS = 1, now
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(&f).Returning("id").Exec(ctx); err != nil {
			return err
		}
		v.FileID = f.ID
		if _, err := tx.NewInsert().Model(&v).Exec(ctx); err != nil {
			return err
		}
		return settle(ctx, tx, v.BlobKey)
	})
	if err != nil {
		s.discard(v.BlobKey)
		return File{}, Version{}, fmt.Errorf("record file %q: %w", v.Name, err)
	}
	return f, v, nil
}

// AddVersion stores a new version of f. Older versions are kept; everyone
// who downloaded one of them gets a notice.
func (s *Service) AddVersion(ctx context.Context, f File, by int64, up Upload) (Version, error) {
	v, err := s.put(ctx, up)
	if err != nil {
		return Version{}, err
	}
	now := s.opts.Now().UnixMilli()
	v.FileID, v.CreatedMS = f.ID, now
	if by != 0 {
		v.UploadedBy = &by
	}
	var notify []int64
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// Bump first: the row lock orders concurrent uploads of one file.
		if err := tx.NewUpdate().Table("files").Set("latest = latest + 1").Set("updated_ms = ?", now).Set("name = ?", v.Name).
			Where("id = ?", f.ID).Returning("latest").Scan(ctx, &v.Number); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(&v).Exec(ctx); err != nil {
			return err
		}
		if err := settle(ctx, tx, v.BlobKey); err != nil {
			return err
		}
		if err := tx.NewSelect().Table("file_accesses").ColumnExpr("DISTINCT user_id").
			Where("file_id = ? AND version < ? AND action = ?", f.ID, v.Number, "download").Scan(ctx, &notify); err != nil {
			return err
		}
		for _, uid := range notify {
			_, err := tx.NewInsert().Model(&Notice{UserID: uid, FileID: f.ID, Version: v.Number, CreatedMS: now}).
				On("CONFLICT (user_id, file_id) DO UPDATE").Set("version = EXCLUDED.version, created_ms = EXCLUDED.created_ms, seen_ms = NULL").Exec(ctx)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.discard(v.BlobKey)
		return Version{}, fmt.Errorf("record version of file %d: %w", f.ID, err)
	}
	f.Latest, f.Name = v.Number, v.Name
	if len(notify) > 0 {
		if err := s.opts.Notifier.NewerVersion(ctx, f, v.Number, notify); err != nil {
			return v, fmt.Errorf("notify of file %d version %d: %w", f.ID, v.Number, err)
		}
	}
	return v, nil
}

// errTooLarge is returned by limitReader past the limit.
var errTooLarge = errors.New("too large")

type limitReader struct {
	r    io.Reader
	left int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// One more byte tells "exactly at the limit" from "over it".
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			return 0, errTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// put checks and streams one upload into the object store, hashing as it
// goes. On any error nothing is left in the store.
func (s *Service) put(ctx context.Context, up Upload) (Version, error) {
	name := CleanName(up.Name)
	if name == "" {
		return Version{}, fail.Field("file", "invalid.file.name")
	}
	ext := strings.ToLower(path.Ext(name))
	t, ok := Types[ext]
	if !ok {
		return Version{}, fail.Field("file", "invalid.file.type", "Ext", ext)
	}
	max := s.maxSize(ctx)
	if ext == ".svg" {
		max = min(max, MaxSVGSize)
	}
	body := &limitReader{r: up.Body, left: max}
	head := make([]byte, 512)
	n, err := io.ReadFull(body, head)
	switch {
	case errors.Is(err, errTooLarge):
		return Version{}, tooLarge(max)
	case err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF):
		return Version{}, fail.Field("file", "invalid.file.interrupted")
	}
	head = head[:n]
	if n == 0 {
		return Version{}, fail.Field("file", "invalid.file.empty")
	}
	if !sniffOK(t, head) {
		return Version{}, fail.Field("file", "invalid.file.mismatch", "Ext", ext)
	}
	rest := io.Reader(body)
	if ext == ".svg" {
		whole, err := io.ReadAll(body)
		if errors.Is(err, errTooLarge) {
			return Version{}, tooLarge(max)
		}
		if err != nil {
			return Version{}, fail.Field("file", "invalid.file.interrupted")
		}
		whole = append(head, whole...)
		if err := checkSVG(whole); err != nil {
			return Version{}, err
		}
		head, rest = whole, bytes.NewReader(nil)
	}
	key := newKey()
	// Listed before a byte is stored: a crash from here until the version
	// is recorded leaves bytes the sweep can find (see pending.go).
	if err := s.listPending(ctx, s.db, key); err != nil {
		return Version{}, err
	}
	w, err := s.blobs.NewWriter(ctx, key, t.ContentType)
	if err != nil {
		s.discard(key)
		return Version{}, err
	}
	stored := false
	defer func() {
		if !stored {
			w.Abort() // nothing once Close has run
			s.discard(key)
		}
	}()
	h := sha256.New()
	h.Write(head)
	if _, err := w.Write(head); err != nil {
		return Version{}, fmt.Errorf("store upload: %w", err)
	}
	restN, rerr, werr := copyHashed(w, h, rest)
	size := int64(len(head)) + restN
	switch {
	case werr != nil:
		return Version{}, fmt.Errorf("store upload: %w", werr)
	case errors.Is(rerr, errTooLarge):
		return Version{}, tooLarge(max)
	case rerr != nil:
		return Version{}, fail.Field("file", "invalid.file.interrupted")
	}
	if err := w.Close(); err != nil {
		return Version{}, err
	}
	stored = true
	return Version{BlobKey: key, Name: name, ContentType: t.ContentType, Size: size, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

func tooLarge(max int64) error {
	return fail.Field("file", "invalid.file.too-large", "Limit", humanSize(max))
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GB", n>>30)
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

func sniffOK(t Type, head []byte) bool {
	got := http.DetectContentType(head)
	for _, s := range t.Sniffed {
		if got == s {
			return true
		}
	}
	return false
}

// newKey names an object by randomness alone, so no user input reaches the
// store's namespace.
func newKey() string {
	var b [16]byte
	rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return "files/" + h[:2] + "/" + h
}

var svgActive = regexp.MustCompile(`(?i)<\s*script|<\s*foreignobject|<\s*iframe|<\s*embed|<\s*object|\bon[a-z]+\s*=|javascript:|data:text/html|<!entity|xlink:href\s*=\s*["']?\s*(https?:|//)`)

// checkSVG refuses SVG that could run script or load from elsewhere if a
// browser ever rendered it. Served files are attachments anyway; this keeps
// them clean for the previews the brand room shows through <img>.
func checkSVG(b []byte) error {
	if !bytes.Contains(bytes.ToLower(b[:min(len(b), 4096)]), []byte("<svg")) {
		return fail.Field("file", "invalid.file.svg-mismatch")
	}
	if svgActive.Match(b) {
		return fail.Field("file", "invalid.file.svg-unsafe")
	}
	return nil
}
