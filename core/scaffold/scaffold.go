// Package scaffold writes a new plugin's folder for `atrium plugins new`: a
// Go module against the SDK, a block type (and a room type, with a staff
// side) with its schema, a manifest whose provides and permissions match the
// code, tests that run the SDK's harness and the plugin checker, a Makefile
// that builds every platform in the manifest, and a README. The folder
// builds, passes its tests and `atrium plugins check` as written.
package scaffold

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/template"

	"github.com/atriumhq/atrium/sdk"
)

//go:embed template/*.tmpl
var templates embed.FS

// Options say what to write.
type Options struct {
	// ID is the plugin's "vendor/name", also its block type's name.
	ID string
	// Room adds a room type, "vendor/name-room", that starts with the block.
	Room bool
	// Staff gives the room type a staff side (and implies Room).
	Staff bool
	// Module is the Go module path; "example.com/vendor/name" when empty.
	Module string
	// SDK, when set, is a local checkout's sdk folder to build against until
	// the SDK is published: go.mod gets a replace to it, relative to the
	// plugin's folder.
	SDK string
	// Platforms are the goos/goarch the manifest lists and the Makefile
	// builds; linux/amd64, linux/arm64 and darwin/arm64 when empty.
	Platforms []string
}

// DefaultPlatforms are the platforms a new plugin ships for.
var DefaultPlatforms = []string{"linux/amd64", "linux/arm64", "darwin/arm64"}

var (
	idRE       = regexp.MustCompile(`^[a-z][a-z0-9-]{0,39}/[a-z][a-z0-9-]{0,34}$`)
	platformRE = regexp.MustCompile(`^[a-z0-9]+/[a-z0-9]+$`)
)

// ErrExists refuses to write into a folder that already holds files.
var ErrExists = errors.New("the folder is not empty")

// Write writes the plugin's folder dir, which must not exist or be empty,
// and returns the files written, relative to dir.
func Write(dir string, opt Options) ([]string, error) {
	if !idRE.MatchString(opt.ID) {
		return nil, fmt.Errorf("plugin id %q must be vendor/name in lowercase letters, digits and dashes (acme/quiz)", opt.ID)
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("%s: %w", dir, ErrExists)
	}
	vendor, name, _ := strings.Cut(opt.ID, "/")
	d := data{ID: opt.ID, Vendor: vendor, Name: name, Title: title(name), Room: opt.Room || opt.Staff, Staff: opt.Staff,
		Module: opt.Module, SDKVersion: sdk.Version, GoVersion: "1.26", Platforms: opt.Platforms}
	if d.Module == "" {
		d.Module = "example.com/" + opt.ID
	}
	if len(d.Platforms) == 0 {
		d.Platforms = DefaultPlatforms
	}
	for _, p := range d.Platforms {
		if !platformRE.MatchString(p) {
			return nil, fmt.Errorf("platform %q is not goos/goarch (linux/amd64)", p)
		}
	}
	d.RoomID = opt.ID + "-room"
	d.StaffSlug = sdk.StaffSlug(d.RoomID)
	if opt.SDK != "" {
		rel, err := replacePath(dir, opt.SDK)
		if err != nil {
			return nil, err
		}
		d.Replace = rel
	}
	files := []struct{ tmpl, out string }{
		{"main.go", "main.go"}, {"block.go", "block.go"}, {"plugin_test.go", "plugin_test.go"},
		{"plugin.yaml", "plugin.yaml"}, {"Makefile", "Makefile"}, {"README.md", "README.md"},
		{"go.mod", "go.mod"}, {"gitignore", ".gitignore"},
	}
	if d.Room {
		files = append(files, struct{ tmpl, out string }{"room.go", "room.go"})
	}
	t, err := template.New("").Funcs(template.FuncMap{"dash": func(p string) string { return strings.ReplaceAll(p, "/", "-") }}).
		ParseFS(templates, "template/*.tmpl")
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var written []string
	for _, f := range files {
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, f.tmpl+".tmpl", d); err != nil {
			return written, fmt.Errorf("%s: %w", f.out, err)
		}
		b := buf.Bytes()
		if strings.HasSuffix(f.out, ".go") {
			if b, err = format.Source(b); err != nil {
				return written, fmt.Errorf("%s: %w", f.out, err)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, f.out), b, 0o644); err != nil {
			return written, err
		}
		written = append(written, f.out)
	}
	return written, nil
}

type data struct {
	ID, Vendor, Name, Title, Module string
	RoomID, StaffSlug               string
	Room, Staff                     bool
	SDKVersion, GoVersion, Replace  string
	Platforms                       []string
}

// replacePath is the SDK checkout's path as go.mod's replace writes it:
// relative to the plugin's folder, starting with ./ or ../ as Go requires.
func replacePath(dir, sdkDir string) (string, error) {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	absSDK, err := filepath.Abs(sdkDir)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(absSDK, "go.mod")); err != nil {
		return "", fmt.Errorf("--sdk %s: not the SDK's folder (no go.mod in it)", sdkDir)
	}
	rel, err := filepath.Rel(absDir, absSDK)
	if err != nil {
		return absSDK, nil
	}
	rel = filepath.ToSlash(rel)
	if !strings.HasPrefix(rel, "../") && rel != ".." {
		rel = "./" + rel
	}
	return rel, nil
}

// title turns "deal-desk" into "Deal desk".
func title(name string) string {
	s := strings.ReplaceAll(name, "-", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}
