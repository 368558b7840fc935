// Package blob keeps the portal's files: uploaded resources, brand assets,
// shared files. It is a thin layer over gocloud.dev/blob so the same code runs
// on a folder under the data directory (the default, one machine) and on any
// S3-compatible object store (several portal nodes sharing one bucket).
//
// Objects are addressed by opaque keys chosen by the caller (core/files uses
// content-independent random keys), never by user-supplied names.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"gocloud.dev/blob"
	"gocloud.dev/blob/fileblob"
	_ "gocloud.dev/blob/s3blob" // registers s3:// URLs
	"gocloud.dev/gcerrors"
)

// ErrNotFound is returned for a key that holds no object.
var ErrNotFound = errors.New("blob: object not found")

// DefaultDir is the folder under the data directory that holds files when no
// blob URL is configured.
const DefaultDir = "files"

// Store is an object store. It is safe for concurrent use.
type Store struct {
	bucket *blob.Bucket
	desc   string
	// dir is the root of a folder store ("" on S3): its writes are made
	// durable by syncing the file and its folders before they count.
	dir string
	// sync flushes a file or folder to the disk; tests watch it.
	sync func(f *os.File) error
}

// Open opens the store named by rawURL: "file:///abs/dir" or
// "s3://bucket?endpoint=...&region=...&use_path_style=true" (credentials come
// from the usual AWS environment variables). An empty URL means a folder
// named [DefaultDir] under dataDir, created if missing.
func Open(ctx context.Context, rawURL, dataDir string) (*Store, error) {
	if rawURL == "" {
		dir := filepath.Join(dataDir, DefaultDir)
		return OpenDir(dir)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("blob URL: %w", err)
	}
	switch u.Scheme {
	case "file":
		return OpenDir(u.Path)
	case "s3":
		b, err := blob.OpenBucket(ctx, rawURL)
		if err != nil {
			return nil, fmt.Errorf("open blob store %s: %w", redact(u), err)
		}
		return &Store{bucket: b, desc: redact(u)}, nil
	default:
		return nil, fmt.Errorf("blob URL must start with file:// or s3:// (got %q)", u.Scheme+"://")
	}
}

// OpenDir opens a store kept in a local folder, creating it if needed.
func OpenDir(dir string) (*Store, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("blob folder %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return nil, fmt.Errorf("create blob folder: %w", err)
	}
	// No .attrs sidecar files: the database keeps every attribute we need,
	// temporary files sit next to their target so the final rename never
	// crosses a mount,
	// and the folder stays a plain tree of bytes an operator can back up.
	b, err := fileblob.OpenBucket(abs, &fileblob.Options{NoTempDir: true, DirFileMode: 0o750, Metadata: fileblob.MetadataDontWrite})
	if err != nil {
		return nil, fmt.Errorf("open blob folder %s: %w", abs, err)
	}
	if err := sweepTemp(abs, time.Now().Add(-StaleTemp)); err != nil {
		b.Close()
		return nil, err
	}
	return &Store{bucket: b, desc: "file://" + abs, dir: abs, sync: (*os.File).Sync}, nil
}

// SweepTemp removes the temporary files of interrupted uploads that have
// gone unwritten for StaleTemp, while the portal runs (a restart sweeps them
// too). Stores other than a folder have none: it does nothing for them.
func (s *Store) SweepTemp() error {
	if s.dir == "" {
		return nil
	}
	return sweepTemp(s.dir, time.Now().Add(-StaleTemp))
}

// StaleTemp is how long a temporary file of a folder store may go unwritten
// before it counts as left by a crash. An upload in progress touches its
// file with every write, so only abandoned ones are this old.
const StaleTemp = 15 * time.Minute

// tempRE matches the temporary names fileblob gives an object being written
// (key + "." + hex nanoseconds + ".tmp").
var tempRE = regexp.MustCompile(`\.[0-9a-f]+\.tmp$`)

// sweepTemp removes temporary files older than before: what a crash in the
// middle of an upload left. They were never renamed to a key, so no reader
// ever saw them; this only reclaims the space.
func sweepTemp(root string, before time.Time) error {
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		if d.IsDir() || !tempRE.MatchString(d.Name()) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil // removed meanwhile
		}
		if info.ModTime().Before(before) {
			if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("blob folder %s: remove abandoned uploads: %w", root, err)
	}
	return nil
}

func redact(u *url.URL) string {
	c := *u
	c.User = nil
	c.RawQuery = ""
	return c.String()
}

// String names the store for logs, without credentials.
func (s *Store) String() string { return s.desc }

// Close releases the store.
func (s *Store) Close() error { return s.bucket.Close() }

var keyRE = regexp.MustCompile(`^[a-z0-9][a-z0-9/_.-]{0,255}$`)

func checkKey(key string) error {
	if !keyRE.MatchString(key) || strings.Contains(key, "..") || strings.Contains(key, "//") || strings.HasSuffix(key, "/") {
		return fmt.Errorf("blob: invalid key %q", key)
	}
	return nil
}

// Writer streams one object into the store. Nothing is visible under the key
// until Close succeeds; Abort (or a cancelled context) leaves nothing behind.
//
// On a folder store the bytes go to a temporary file beside the target, and
// Close flushes that file to the disk, renames it to the key and flushes the
// folders that hold it: once Close returns the object survives a power cut,
// and a crash before then leaves only a temporary file no key names (swept
// when the store is next opened).
type Writer struct {
	w      *blob.Writer
	cancel context.CancelFunc
	key    string
	done   bool
	s      *Store
	// f is the temporary file of a folder store, nil on S3.
	f *os.File
	// written and flushed count the bytes written to f and those whose
	// writeback has been started.
	written, flushed int64
}

// writebackStep is how many bytes a folder-store upload writes before it
// starts their writeback.
const writebackStep = 8 << 20

// NewWriter starts writing the object key.
func (s *Store) NewWriter(ctx context.Context, key, contentType string) (*Writer, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	bw := &Writer{cancel: cancel, key: key, s: s}
	w, err := s.bucket.NewWriter(ctx, key, &blob.WriterOptions{
		ContentType: contentType,
		// Parts of 8 MiB keep memory per upload bounded on S3.
		BufferSize: 8 << 20,
		BeforeWrite: func(as func(any) bool) error {
			as(&bw.f)
			return nil
		},
	})
	if err != nil {
		cancel()
		return nil, fmt.Errorf("blob: write %s: %w", key, err)
	}
	bw.w = w
	return bw, nil
}

// Write implements io.Writer.
func (w *Writer) Write(p []byte) (int, error) {
	n, err := w.w.Write(p)
	if w.f != nil {
		w.written += int64(n)
		if w.written-w.flushed >= writebackStep {
			startWriteback(w.f, w.flushed, w.written-w.flushed)
			w.flushed = w.written
		}
	}
	return n, err
}

// ReadFrom implements io.ReaderFrom, through Write so a folder store's
// writeback keeps pace.
func (w *Writer) ReadFrom(r io.Reader) (int64, error) {
	return io.CopyBuffer(struct{ io.Writer }{w}, r, make([]byte, 256<<10))
}

// Close commits the object.
func (w *Writer) Close() error {
	if w.done {
		return nil
	}
	w.done = true
	if w.f != nil && w.s.dir != "" {
		// The content type is known, so every Write went straight to the
		// file: flushing it now covers all the bytes.
		if err := w.s.sync(w.f); err != nil {
			w.cancel()
			_ = w.w.Close() // cancelled: removes the temporary file
			return fmt.Errorf("blob: flush %s: %w", w.key, err)
		}
	}
	err := w.w.Close()
	w.cancel()
	if err != nil {
		return fmt.Errorf("blob: commit %s: %w", w.key, err)
	}
	if w.f != nil && w.s.dir != "" {
		if err := w.s.syncDirs(w.key); err != nil {
			return fmt.Errorf("blob: commit %s: %w", w.key, err)
		}
	}
	return nil
}

// syncDirs flushes the folders from key's own up to the root, so the
// rename and any folder made for it are on the disk too.
func (s *Store) syncDirs(key string) error {
	dir := filepath.Dir(filepath.Join(s.dir, filepath.FromSlash(key)))
	for {
		if err := s.syncDir(dir); err != nil {
			return err
		}
		if dir == s.dir || len(dir) <= len(s.dir) {
			return nil
		}
		dir = filepath.Dir(dir)
	}
}

func (s *Store) syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("flush folder: %w", err)
	}
	defer d.Close()
	if err := s.sync(d); err != nil {
		return fmt.Errorf("flush folder %s: %w", dir, err)
	}
	return nil
}

// Abort discards the object being written.
func (w *Writer) Abort() {
	if w.done {
		return
	}
	w.done = true
	w.cancel()
	_ = w.w.Close() // returns the cancellation; nothing is committed
}

// Put writes r to key in one call.
func (s *Store) Put(ctx context.Context, key, contentType string, r io.Reader) (int64, error) {
	w, err := s.NewWriter(ctx, key, contentType)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(w, r)
	if err != nil {
		w.Abort()
		return n, fmt.Errorf("blob: write %s: %w", key, err)
	}
	return n, w.Close()
}

// Reader reads one object. It seeks (each seek starts a ranged read on S3),
// so http.ServeContent can answer Range requests from it directly.
type Reader interface {
	io.ReadSeekCloser
	Size() int64
}

// Open opens the object key for reading.
func (s *Store) Open(ctx context.Context, key string) (Reader, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	// On a folder, reach the open file itself: served as *os.File, a
	// download goes from the page cache to the socket with sendfile.
	var f *os.File
	r, err := s.bucket.NewReader(ctx, key, &blob.ReaderOptions{BeforeRead: func(as func(any) bool) error {
		as(&f)
		return nil
	}})
	if err != nil {
		if gcerrors.Code(err) == gcerrors.NotFound {
			return nil, fmt.Errorf("%w: %s", ErrNotFound, key)
		}
		return nil, fmt.Errorf("blob: read %s: %w", key, err)
	}
	if f != nil {
		adviseSequential(f)
		return &fileReader{File: f, r: r}, nil
	}
	return r, nil
}

// fileReader is an object of a folder store, read through its file.
type fileReader struct {
	*os.File
	r *blob.Reader
}

func (f *fileReader) Size() int64  { return f.r.Size() }
func (f *fileReader) Close() error { return f.r.Close() }

// OSFile returns the open file, for callers that can hand it to the kernel.
func (f *fileReader) OSFile() *os.File { return f.File }

// Size reports the size of the object key.
func (s *Store) Size(ctx context.Context, key string) (int64, error) {
	if err := checkKey(key); err != nil {
		return 0, err
	}
	a, err := s.bucket.Attributes(ctx, key)
	if err != nil {
		if gcerrors.Code(err) == gcerrors.NotFound {
			return 0, fmt.Errorf("%w: %s", ErrNotFound, key)
		}
		return 0, fmt.Errorf("blob: stat %s: %w", key, err)
	}
	return a.Size, nil
}

// Delete removes key; deleting a missing key is not an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := s.bucket.Delete(ctx, key); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
		return fmt.Errorf("blob: delete %s: %w", key, err)
	}
	return nil
}

// List returns the keys under prefix, for tests and maintenance.
func (s *Store) List(ctx context.Context, prefix string) ([]string, error) {
	var keys []string
	it := s.bucket.List(&blob.ListOptions{Prefix: prefix})
	for {
		obj, err := it.Next(ctx)
		if err == io.EOF {
			return keys, nil
		}
		if err != nil {
			return nil, fmt.Errorf("blob: list %s: %w", prefix, err)
		}
		if s.dir != "" && tempRE.MatchString(obj.Key) {
			continue // an upload in progress, or one a crash cut short
		}
		keys = append(keys, obj.Key)
	}
}

// Dir is the folder of a folder store, or "" for any other store: backups
// copy a folder and leave a bucket to its own replication.
func (s *Store) Dir() string { return s.dir }

// Accessible reports whether the store answers and its bucket or folder
// exists, without writing anything.
func (s *Store) Accessible(ctx context.Context) error {
	ok, err := s.bucket.IsAccessible(ctx)
	if err != nil {
		return fmt.Errorf("blob: %s: %w", s.desc, err)
	}
	if !ok {
		return fmt.Errorf("blob: %s: the bucket or folder does not exist", s.desc)
	}
	return nil
}
