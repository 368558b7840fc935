// Package manifest reads and checks a plugin's manifest, plugin.yaml: who
// the plugin is, what it runs on which platform, which block and room types
// it provides and which host API permissions it needs. The portal reads
// installed plugins with it, and the plugin checker (sdk/plugincheck) reads a
// plugin's source folder with it, so both judge a manifest the same way.
package manifest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// File is the name of a plugin's manifest inside its folder.
const File = "plugin.yaml"

// Manifest is a plugin's plugin.yaml: who it is, what it runs and provides,
// and what it may do.
type Manifest struct {
	// ID is "vendor/name", the namespace of its block and room types.
	ID      string `yaml:"id" json:"id"`
	Name    string `yaml:"name" json:"name"`
	Version string `yaml:"version" json:"version"` // semver, such as 1.2.0
	// Host is the range of portal versions the plugin supports, such as
	// ">=0.1.0 <2.0.0". Empty admits every version.
	Host string `yaml:"host,omitempty" json:"host,omitempty"`
	// Protocols lists the plugin protocol versions the executable serves.
	Protocols []int `yaml:"protocols" json:"protocols"`
	// Executables maps "goos/goarch" to the executable for that platform.
	Executables map[string]Executable `yaml:"executables" json:"executables"`
	Provides    Provides              `yaml:"provides" json:"provides"`
	// Permissions are the host API permissions the plugin asks for; each
	// host call needing one that is not listed is refused.
	Permissions []string `yaml:"permissions,omitempty" json:"permissions,omitempty"`
	// Settings is a JSON Schema for the plugin's portal-wide settings.
	Settings map[string]any `yaml:"settings,omitempty" json:"settings,omitempty"`
}

// Executable is a plugin program for one platform.
type Executable struct {
	Path   string `yaml:"path" json:"path"` // relative to the plugin's folder
	SHA256 string `yaml:"sha256" json:"sha256"`
}

// Provides lists the types a plugin serves; it must describe exactly these.
type Provides struct {
	Blocks []string `yaml:"blocks,omitempty" json:"blocks,omitempty"`
	Rooms  []string `yaml:"rooms,omitempty" json:"rooms,omitempty"`
}

var (
	idRE      = regexp.MustCompile(`^[a-z][a-z0-9-]{0,39}/[a-z][a-z0-9-]{0,39}$`)
	sha256RE  = regexp.MustCompile(`^[0-9a-f]{64}$`)
	platforms = regexp.MustCompile(`^[a-z0-9]+/[a-z0-9]+$`)
	permRE    = regexp.MustCompile(`^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$`)
)

// Read reads and validates the manifest in a plugin folder.
func Read(dir string) (Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, File))
	if err != nil {
		return Manifest{}, err
	}
	m, err := Parse(b)
	if err != nil {
		return m, fmt.Errorf("%s: %w", filepath.Join(dir, File), err)
	}
	return m, nil
}

// Parse decodes and validates a manifest. Unknown keys are refused, so a
// typo never silently drops a permission or a checksum.
func Parse(b []byte) (Manifest, error) {
	m, err := Decode(b)
	if err != nil {
		return m, err
	}
	return m, m.Validate()
}

// Decode decodes a manifest without validating it (a plugin's source folder
// has no checksums yet: installing pins them). Unknown keys are refused.
func Decode(b []byte) (Manifest, error) {
	var m Manifest
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		return m, fmt.Errorf("malformed manifest: %s", yamlMessage(err))
	}
	return m, nil
}

// yamlMessage rewrites the YAML decoder's error for a plugin author: it
// names the manifest's keys and lines, never the Go types behind them
// ("line 9: unknown key \"permisions\"" rather than "field permisions not
// found in type manifest.Manifest").
func yamlMessage(err error) string {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return strings.TrimPrefix(err.Error(), "yaml: ")
	}
	msgs := make([]string, len(te.Errors))
	for i, e := range te.Errors {
		e = unknownKeyRE.ReplaceAllString(e, `unknown key "$1"`)
		e = intoTypeRE.ReplaceAllString(e, "$1 where a different kind of value belongs")
		msgs[i] = e
	}
	return strings.Join(msgs, "; ")
}

var (
	unknownKeyRE = regexp.MustCompile(`field (\S+) not found in type \S+`)
	intoTypeRE   = regexp.MustCompile(`cannot unmarshal (.*?) into \S+`)
)

// Validate checks an installed plugin's manifest and names every problem;
// every executable must carry its pinned checksum.
func (m Manifest) Validate() error { return m.validate(true) }

// ValidateSource checks a manifest in a plugin's source folder, before
// installing pins the checksums: an executable may have none yet (one
// written must still be 64 hex digits).
func (m Manifest) ValidateSource() error { return m.validate(false) }

func (m Manifest) validate(pinned bool) error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !idRE.MatchString(m.ID) {
		bad("id %q must be vendor/name in lowercase (acme/nps)", m.ID)
	}
	if strings.TrimSpace(m.Name) == "" {
		bad("name is missing")
	}
	if _, err := ParseVersion(m.Version); err != nil {
		bad("version: %v", err)
	}
	if _, err := ParseRange(m.Host); err != nil {
		bad("host: %v", err)
	}
	if len(m.Protocols) == 0 {
		bad("protocols: list the plugin protocol versions the executable serves (1)")
	}
	if len(m.Executables) == 0 {
		bad("executables: none listed")
	}
	for plat, e := range m.Executables {
		if !platforms.MatchString(plat) {
			bad("executables: %q is not goos/goarch (linux/amd64)", plat)
		}
		if e.Path == "" || filepath.IsAbs(e.Path) || strings.HasPrefix(filepath.Clean(e.Path), "..") {
			bad("executables %s: path %q must be a file inside the plugin folder", plat, e.Path)
		}
		if (pinned || e.SHA256 != "") && !sha256RE.MatchString(e.SHA256) {
			bad("executables %s: sha256 must be 64 lowercase hex digits", plat)
		}
	}
	if len(m.Provides.Blocks)+len(m.Provides.Rooms) == 0 {
		bad("provides: no block or room types")
	}
	for _, t := range slices.Concat(m.Provides.Blocks, m.Provides.Rooms) {
		if ns, _, ok := strings.Cut(t, "/"); !ok || ns+"/" != strings.SplitN(m.ID, "/", 2)[0]+"/" {
			bad("provides: type %q must be namespaced with the plugin's vendor (%s/...)", t, strings.SplitN(m.ID, "/", 2)[0])
		}
	}
	for _, p := range m.Permissions {
		if !WellFormedPermission(p) {
			bad("permissions: %q is not area:access (storage:write)", p)
		}
	}
	if m.Settings != nil {
		if _, err := json.Marshal(m.Settings); err != nil {
			bad("settings: %v", err)
		}
	}
	return errors.Join(errs...)
}

// Executable returns the executable for the running platform.
func (m Manifest) Executable() (Executable, error) {
	plat := runtime.GOOS + "/" + runtime.GOARCH
	e, ok := m.Executables[plat]
	if !ok {
		return e, fmt.Errorf("no executable for %s", plat)
	}
	return e, nil
}

// Version is a semantic version's numbers; pre-release and build suffixes
// are kept for display and ignored in comparisons.
type Version [3]int

// ParseVersion reads "1.2.3" (an optional leading v and -pre/+build suffix allowed).
func ParseVersion(s string) (Version, error) {
	var v Version
	core := strings.TrimPrefix(s, "v")
	if i := strings.IndexAny(core, "-+"); i >= 0 {
		core = core[:i]
	}
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return v, fmt.Errorf("%q is not a semantic version (1.2.3)", s)
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || (len(p) > 1 && p[0] == '0') {
			return v, fmt.Errorf("%q is not a semantic version (1.2.3)", s)
		}
		v[i] = n
	}
	return v, nil
}

// Compare returns -1, 0 or 1.
func (v Version) Compare(w Version) int {
	for i := range v {
		if v[i] != w[i] {
			if v[i] < w[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// Range is a conjunction of version constraints such as ">=0.1.0 <2.0.0".
type Range []constraint

type constraint struct {
	op string
	v  Version
}

// ParseRange reads space- or comma-separated constraints with the operators
// >=, >, <=, <, = (or none, meaning =).
func ParseRange(s string) (Range, error) {
	var r Range
	for _, f := range strings.FieldsFunc(s, func(c rune) bool { return c == ' ' || c == ',' }) {
		op := f[:len(f)-len(strings.TrimLeft(f, "<>="))]
		v, err := ParseVersion(f[len(op):])
		if err != nil {
			return nil, err
		}
		switch op {
		case ">=", ">", "<=", "<", "=", "":
		default:
			return nil, fmt.Errorf("unknown operator %q in %q", op, s)
		}
		r = append(r, constraint{op, v})
	}
	return r, nil
}

// Admits reports whether v satisfies every constraint.
func (r Range) Admits(v Version) bool {
	for _, c := range r {
		cmp := v.Compare(c.v)
		ok := map[string]bool{">=": cmp >= 0, ">": cmp > 0, "<=": cmp <= 0, "<": cmp < 0, "=": cmp == 0, "": cmp == 0}[c.op]
		if !ok {
			return false
		}
	}
	return true
}

// WellFormedPermission reports whether p has the shape of a permission,
// area:access ("storage:write"); [KnownPermission] says whether the portal
// grants it.
func WellFormedPermission(p string) bool { return permRE.MatchString(p) }

// FileSHA256 returns the hex SHA-256 of a file, the checksum a manifest pins.
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
