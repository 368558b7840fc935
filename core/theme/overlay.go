package theme

import (
	"errors"
	"io/fs"
	"slices"
	"strings"
)

// overlay is a file system whose files come from top when top has them and
// from base otherwise. Directories list the files of both.
type overlay struct {
	top, base fs.FS
}

func (o overlay) Open(name string) (fs.File, error) {
	f, err := o.top.Open(name)
	if err == nil {
		return f, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return o.base.Open(name)
}

func (o overlay) ReadFile(name string) ([]byte, error) {
	b, err := fs.ReadFile(o.top, name)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return b, err
	}
	return fs.ReadFile(o.base, name)
}

func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	top, terr := fs.ReadDir(o.top, name)
	base, berr := fs.ReadDir(o.base, name)
	if terr != nil && berr != nil {
		if errors.Is(terr, fs.ErrNotExist) {
			return nil, berr
		}
		return nil, terr
	}
	seen := make(map[string]bool, len(top))
	out := make([]fs.DirEntry, 0, len(top)+len(base))
	for _, e := range top {
		seen[e.Name()] = true
		out = append(out, e)
	}
	for _, e := range base {
		if !seen[e.Name()] {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

// overridden lists the files of a theme folder, for the log.
func overridden(top fs.FS) []string {
	var files []string
	fs.WalkDir(top, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	return files
}
