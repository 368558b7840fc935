// Package backup copies a portal's data into one archive and back.
//
// An archive is a gzip-compressed tar file. It holds the SQLite database
// (an online, consistent copy taken with VACUUM INTO while the portal may be
// serving), the files of a folder object store under "files/", the installed
// plugins under "plugins/", and, last, "manifest.json": the portal's
// version, the schema's migrations, when it was made and every other entry
// with its size and SHA-256. The manifest comes last because the checksums
// are known only once the entries are written; [Restore] therefore reads the
// archive twice, checking everything before it writes anything.
//
// PostgreSQL is not copied here: pg_dump does it better (consistent,
// parallel, restorable into a newer server), and [PgDumpCommand] says how.
// An S3 store is not copied either: buckets have their own versioning and
// replication.
package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/blob"
	"github.com/atriumhq/atrium/core/store"
)

// Format is the archive layout's version; Restore refuses another.
const Format = 1

// ManifestName is the manifest's entry in an archive.
const ManifestName = "manifest.json"

// Entry prefixes and names inside an archive.
const (
	databaseEntry = store.SQLiteFile
	filesPrefix   = "files/"
	pluginsPrefix = "plugins/"
)

// Manifest describes an archive.
type Manifest struct {
	Format int `json:"format"`
	// Version is the version of the portal that made the archive.
	Version string `json:"version"`
	// Engine is "sqlite" (the archive holds the database) or "postgres"
	// (it holds the files only; the database is in a pg_dump).
	Engine string `json:"engine"`
	// Schema is the newest migration applied to the copied database;
	// Migrations lists every applied one, oldest first.
	Schema     string    `json:"schema,omitempty"`
	Migrations []string  `json:"migrations,omitempty"`
	CreatedAt  time.Time `json:"createdAt"`
	Files      []File    `json:"files"`
}

// File is one entry of the archive.
type File struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Progress reports how far a backup or restore has come, in bytes of
// entries (before compression).
type Progress struct {
	Done, Total int64
	Files       int
}

// Options say what to back up.
type Options struct {
	// Store is the portal's database configuration. On PostgreSQL the
	// archive holds the files only.
	Store store.Config
	// Blobs is the portal's object store. A folder store is copied; any
	// other is only checked to answer.
	Blobs *blob.Store
	// PluginsDir is the installed plugins' folder; copied when it exists.
	PluginsDir string
	// Version is the running portal's version, for the manifest.
	Version string
	// Progress, if set, is called after each entry and at least once.
	Progress func(Progress)
	// Now stamps the manifest (time.Now when nil).
	Now func() time.Time
}

// Result says what a backup holds.
type Result struct {
	Manifest Manifest
	// Skipped lists objects that vanished between the listing and their
	// copy (deleted while the backup ran): the database copy, taken
	// before, may name them.
	Skipped []string
	// FilesCopied is false when the object store is not a folder (S3):
	// its objects are not in the archive.
	FilesCopied bool
}

// Create writes an archive of the portal's data to out. The database copy
// is taken first and the files after, so every file the copied database
// names was written before the copy began; a file uploaded meanwhile is
// copied too and is harmless (no row names it).
func Create(ctx context.Context, out io.Writer, opt Options) (Result, error) {
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	res := Result{Manifest: Manifest{Format: Format, Version: opt.Version, CreatedAt: now().UTC(), Files: []File{}}}
	tmp, err := os.MkdirTemp("", "atrium-backup-")
	if err != nil {
		return res, fmt.Errorf("backup: temporary folder: %w", err)
	}
	defer os.RemoveAll(tmp)

	type source struct {
		name string
		size int64
		mode int64
		open func() (io.ReadCloser, error)
	}
	var sources []source
	if opt.Store.DatabaseURL != "" {
		res.Manifest.Engine = "postgres"
	} else {
		res.Manifest.Engine = "sqlite"
		snap, err := snapshot(ctx, opt.Store.DataDir, tmp)
		if err != nil {
			return res, err
		}
		res.Manifest.Migrations = snap.migrations
		if n := len(snap.migrations); n > 0 {
			res.Manifest.Schema = snap.migrations[n-1]
		}
		sources = append(sources, source{name: databaseEntry, size: snap.size, mode: 0o600,
			open: func() (io.ReadCloser, error) { return os.Open(snap.path) }})
	}

	if opt.Blobs != nil {
		if opt.Blobs.Dir() == "" {
			if err := opt.Blobs.Accessible(ctx); err != nil {
				return res, fmt.Errorf("backup: the object store %s does not answer: %w", opt.Blobs, err)
			}
		} else {
			res.FilesCopied = true
			keys, err := opt.Blobs.List(ctx, "")
			if err != nil {
				return res, fmt.Errorf("backup: list files: %w", err)
			}
			for _, key := range keys {
				size, err := opt.Blobs.Size(ctx, key)
				if errors.Is(err, blob.ErrNotFound) {
					res.Skipped = append(res.Skipped, key)
					continue
				}
				if err != nil {
					return res, fmt.Errorf("backup: %w", err)
				}
				sources = append(sources, source{name: filesPrefix + key, size: size, mode: 0o640,
					open: func() (io.ReadCloser, error) { return opt.Blobs.Open(ctx, key) }})
			}
		}
	}

	if opt.PluginsDir != "" {
		err := filepath.WalkDir(opt.PluginsDir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				return err
			}
			if !d.Type().IsRegular() {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(opt.PluginsDir, p)
			if err != nil {
				return err
			}
			sources = append(sources, source{name: pluginsPrefix + filepath.ToSlash(rel), size: info.Size(),
				mode: int64(info.Mode().Perm()), open: func() (io.ReadCloser, error) { return os.Open(p) }})
			return nil
		})
		if err != nil {
			return res, fmt.Errorf("backup: plugins folder %s: %w", opt.PluginsDir, err)
		}
	}

	var pr Progress
	for _, s := range sources {
		pr.Total += s.size
	}
	report := func() {
		if opt.Progress != nil {
			opt.Progress(pr)
		}
	}
	report()

	gz := gzip.NewWriter(out)
	tw := tar.NewWriter(gz)
	for _, s := range sources {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		r, err := s.open()
		if errors.Is(err, blob.ErrNotFound) || errors.Is(err, fs.ErrNotExist) {
			res.Skipped = append(res.Skipped, s.name)
			pr.Total -= s.size
			continue
		}
		if err != nil {
			return res, fmt.Errorf("backup: %s: %w", s.name, err)
		}
		h := sha256.New()
		err = tw.WriteHeader(&tar.Header{Name: s.name, Size: s.size, Mode: s.mode, ModTime: res.Manifest.CreatedAt, Typeflag: tar.TypeReg})
		if err == nil {
			// Exactly the size in the header: objects never change once
			// written, and a short read is an error, not a truncated copy.
			_, err = io.CopyN(io.MultiWriter(tw, h), r, s.size)
		}
		r.Close()
		if err != nil {
			return res, fmt.Errorf("backup: %s: %w", s.name, err)
		}
		res.Manifest.Files = append(res.Manifest.Files, File{Path: s.name, Size: s.size, SHA256: hex.EncodeToString(h.Sum(nil))})
		pr.Done += s.size
		pr.Files++
		report()
	}
	man, err := json.MarshalIndent(res.Manifest, "", "  ")
	if err != nil {
		return res, err
	}
	if err := tw.WriteHeader(&tar.Header{Name: ManifestName, Size: int64(len(man)), Mode: 0o644, ModTime: res.Manifest.CreatedAt, Typeflag: tar.TypeReg}); err != nil {
		return res, fmt.Errorf("backup: manifest: %w", err)
	}
	if _, err := tw.Write(man); err != nil {
		return res, fmt.Errorf("backup: manifest: %w", err)
	}
	if err := tw.Close(); err != nil {
		return res, fmt.Errorf("backup: finish archive: %w", err)
	}
	if err := gz.Close(); err != nil {
		return res, fmt.Errorf("backup: finish archive: %w", err)
	}
	return res, nil
}

type dbSnapshot struct {
	path       string
	size       int64
	migrations []string
}

// snapshot copies the SQLite database of dataDir into tmp with VACUUM
// INTO: one read transaction, so the copy is consistent while the portal
// keeps writing (WAL lets it), and compact. It then reads the copy's
// migrations, so the manifest describes exactly what was copied.
func snapshot(ctx context.Context, dataDir, tmp string) (dbSnapshot, error) {
	live := filepath.Join(dataDir, store.SQLiteFile)
	if _, err := os.Stat(live); err != nil {
		return dbSnapshot{}, fmt.Errorf("backup: no database at %s: %w", live, err)
	}
	db, err := store.Open(ctx, store.Config{DataDir: dataDir})
	if err != nil {
		return dbSnapshot{}, fmt.Errorf("backup: open %s: %w", live, err)
	}
	snapDir := filepath.Join(tmp, "db")
	dst := filepath.Join(snapDir, store.SQLiteFile)
	if err := os.Mkdir(snapDir, 0o700); err != nil {
		db.Close()
		return dbSnapshot{}, err
	}
	_, err = db.ExecContext(ctx, "VACUUM INTO ?", dst)
	db.Close()
	if err != nil {
		return dbSnapshot{}, fmt.Errorf("backup: copy the database %s: %w", live, err)
	}
	migs, err := appliedMigrations(ctx, snapDir)
	if err != nil {
		return dbSnapshot{}, err
	}
	info, err := os.Stat(dst)
	if err != nil {
		return dbSnapshot{}, err
	}
	return dbSnapshot{path: dst, size: info.Size(), migrations: migs}, nil
}

// appliedMigrations lists the migrations applied to the SQLite database in
// dir, oldest first.
func appliedMigrations(ctx context.Context, dir string) ([]string, error) {
	db, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		return nil, fmt.Errorf("backup: open the copy: %w", err)
	}
	defer db.Close()
	st, err := store.Status(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("backup: the copy's migrations: %w", err)
	}
	var out []string
	for _, m := range st {
		if m.Applied {
			out = append(out, m.Name)
		}
	}
	return out, nil
}

// PgDumpCommand is the command that backs up the PostgreSQL database at
// databaseURL, with the password left out (pg_dump reads PGPASSWORD or
// ~/.pgpass).
func PgDumpCommand(databaseURL, file string) string {
	return fmt.Sprintf("pg_dump --format=custom --no-owner --file=%s '%s'", file, withoutPassword(databaseURL))
}

// PgRestoreCommand restores what [PgDumpCommand] wrote into an empty
// database.
func PgRestoreCommand(databaseURL, file string) string {
	return fmt.Sprintf("pg_restore --no-owner --exit-on-error --dbname='%s' %s", withoutPassword(databaseURL), file)
}

func withoutPassword(raw string) string {
	i := strings.Index(raw, "://")
	at := strings.LastIndex(raw, "@")
	if i < 0 || at < i {
		return raw
	}
	cred := raw[i+3 : at]
	if c := strings.IndexByte(cred, ':'); c >= 0 {
		cred = cred[:c]
	}
	return raw[:i+3] + cred + raw[at:]
}

// cleanEntry checks that an archive entry's name stays inside the folder it
// is written to.
func cleanEntry(name string) error {
	if name == "" || strings.HasPrefix(name, "/") || path.Clean(name) != name || strings.HasPrefix(name, "../") || name == ".." || strings.Contains(name, "\\") {
		return fmt.Errorf("entry %q: not a plain relative path", name)
	}
	return nil
}
