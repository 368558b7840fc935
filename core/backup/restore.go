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
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/atriumhq/atrium/core/store"
	"github.com/atriumhq/atrium/migrations"
)

// RestoreOptions say where an archive goes.
type RestoreOptions struct {
	// DataDir receives the database and the plugins. It must be empty or
	// not exist: a restore never mixes with data already there.
	DataDir string
	// FilesDir receives the files (the folder store); empty means the
	// default folder under DataDir. It too must be empty or not exist.
	FilesDir string
	// Progress, if set, is called after each entry written.
	Progress func(Progress)
}

// ErrNotEmpty is returned when a target folder already holds something.
var ErrNotEmpty = errors.New("not empty")

// Verify reads the archive at path and checks it whole: every entry named
// by the manifest with its size and checksum, nothing else, and a schema
// this portal knows. It writes nothing.
func Verify(path string) (Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return Manifest{}, fmt.Errorf("restore: %w", err)
	}
	defer f.Close()
	seen := map[string]File{}
	var man *Manifest
	err = walk(f, func(h *tar.Header, r io.Reader) error {
		if h.Name == ManifestName {
			var m Manifest
			if err := json.NewDecoder(io.LimitReader(r, 64<<20)).Decode(&m); err != nil {
				return fmt.Errorf("manifest: %w", err)
			}
			man = &m
			return nil
		}
		if err := cleanEntry(h.Name); err != nil {
			return err
		}
		hash := sha256.New()
		n, err := io.Copy(hash, r)
		if err != nil {
			return fmt.Errorf("%s: %w", h.Name, err)
		}
		if _, dup := seen[h.Name]; dup {
			return fmt.Errorf("%s: appears twice", h.Name)
		}
		seen[h.Name] = File{Path: h.Name, Size: n, SHA256: hex.EncodeToString(hash.Sum(nil))}
		return nil
	})
	if err != nil {
		return Manifest{}, fmt.Errorf("restore: %s: %w", path, err)
	}
	if man == nil {
		return Manifest{}, fmt.Errorf("restore: %s has no %s: not an Atrium backup, or cut short", path, ManifestName)
	}
	if man.Format != Format {
		return *man, fmt.Errorf("restore: %s is in archive format %d; this portal reads format %d", path, man.Format, Format)
	}
	for _, want := range man.Files {
		got, ok := seen[want.Path]
		switch {
		case !ok:
			return *man, fmt.Errorf("restore: %s: %s is missing from the archive", path, want.Path)
		case got.Size != want.Size || got.SHA256 != want.SHA256:
			return *man, fmt.Errorf("restore: %s: %s is damaged: sha256 %s and %d bytes, the manifest says %s and %d bytes",
				path, want.Path, got.SHA256, got.Size, want.SHA256, want.Size)
		}
		delete(seen, want.Path)
	}
	for name := range seen {
		return *man, fmt.Errorf("restore: %s: %s is not in the manifest", path, name)
	}
	if err := knownSchema(*man); err != nil {
		return *man, fmt.Errorf("restore: %s: %w", path, err)
	}
	return *man, nil
}

// knownSchema refuses an archive whose database has a migration this
// portal does not have: it was made by a newer version, and this one would
// run on a schema it does not understand.
func knownSchema(m Manifest) error {
	ms, err := migrations.New()
	if err != nil {
		return err
	}
	var known []string
	for _, mig := range ms.Sorted() {
		known = append(known, mig.String())
	}
	for _, name := range m.Migrations {
		if !slices.Contains(known, name) {
			return fmt.Errorf("the database is at schema %s (migration %s is unknown here): it was made by a newer Atrium (%s); restore it with that version or a later one",
				m.Schema, name, m.Version)
		}
	}
	return nil
}

// Restore verifies the archive at path whole, then writes it into empty
// folders. Nothing is written unless every checksum matches.
func Restore(ctx context.Context, path string, opt RestoreOptions) (Manifest, error) {
	filesDir := opt.FilesDir
	if filesDir == "" {
		filesDir = filepath.Join(opt.DataDir, "files")
	}
	for _, dir := range []string{opt.DataDir, filesDir} {
		if err := mustBeEmpty(dir); err != nil {
			return Manifest{}, err
		}
	}
	man, err := Verify(path)
	if err != nil {
		return man, err
	}
	want := map[string]File{}
	var pr Progress
	for _, f := range man.Files {
		want[f.Path] = f
		pr.Total += f.Size
	}
	f, err := os.Open(path)
	if err != nil {
		return man, fmt.Errorf("restore: %w", err)
	}
	defer f.Close()
	err = walk(f, func(h *tar.Header, r io.Reader) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if h.Name == ManifestName {
			return nil
		}
		var dst string
		switch {
		case h.Name == databaseEntry:
			dst = filepath.Join(opt.DataDir, store.SQLiteFile)
		case strings.HasPrefix(h.Name, filesPrefix):
			dst = filepath.Join(filesDir, filepath.FromSlash(strings.TrimPrefix(h.Name, filesPrefix)))
		case strings.HasPrefix(h.Name, pluginsPrefix):
			dst = filepath.Join(opt.DataDir, "plugins", filepath.FromSlash(strings.TrimPrefix(h.Name, pluginsPrefix)))
		default:
			return fmt.Errorf("%s: an entry this portal does not know where to put", h.Name)
		}
		if err := writeFile(dst, r, os.FileMode(h.Mode).Perm(), want[h.Name]); err != nil {
			return fmt.Errorf("%s: %w", h.Name, err)
		}
		pr.Done += want[h.Name].Size
		pr.Files++
		if opt.Progress != nil {
			opt.Progress(pr)
		}
		return nil
	})
	if err != nil {
		return man, fmt.Errorf("restore: %s: %w", path, err)
	}
	return man, nil
}

// writeFile writes one entry durably and checks its checksum once more:
// the archive could have changed since it was verified.
func writeFile(dst string, r io.Reader, mode os.FileMode, want File) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return err
	}
	if mode == 0 {
		mode = 0o600
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(out, h), r)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil && hex.EncodeToString(h.Sum(nil)) != want.SHA256 {
		err = errors.New("changed since it was verified")
	}
	return err
}

// mustBeEmpty accepts a folder that does not exist or holds nothing.
func mustBeEmpty(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("restore: %s is %w (it holds %s): restore only into an empty or new folder", dir, ErrNotEmpty, entries[0].Name())
	}
	return nil
}

// walk calls fn for each regular entry of the gzip-compressed tar r.
func walk(r io.Reader, fn func(h *tar.Header, r io.Reader) error) error {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return fmt.Errorf("not a gzip-compressed archive: %w", err)
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read archive: %w", err)
		}
		if h.Typeflag != tar.TypeReg {
			return fmt.Errorf("%s: only regular files belong in a backup", h.Name)
		}
		if err := fn(h, tr); err != nil {
			return err
		}
	}
}
