package plugincheck_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/sdk/plugincheck"
)

// buildFaulty builds testdata/faulty once for the test.
func buildFaulty(t *testing.T) []byte {
	t.Helper()
	exe := filepath.Join(t.TempDir(), "faulty")
	if out, err := exec.Command("go", "build", "-o", exe, "./testdata/faulty").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	b, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var platform = runtime.GOOS + "/" + runtime.GOARCH

// goodManifest is the faulty plugin's manifest when nothing is wrong.
var goodManifest = fmt.Sprintf(`id: acme/faulty
name: Faulty
version: 1.0.0
host: ">=0.1.0"
protocols: [1]
executables:
  %s: {path: faulty}
provides:
  blocks: [acme/poll]
  rooms: [acme/board]
permissions: [storage:read]
`, platform)

// goTypeName matches a qualified Go type name ("manifest.Manifest"), which a
// problem must never show an author.
var goTypeName = regexp.MustCompile(`\b[a-z][a-z0-9]*\.[A-Z][A-Za-z]*\b`)

func TestCheckFindsWhatThePortalRefuses(t *testing.T) {
	exe := buildFaulty(t)
	tests := []struct {
		name     string
		fault    string              // the plugin's mistake, see testdata/faulty
		manifest func(string) string // edits the manifest
		noExe    bool
		want     []string // each must appear in one problem; none: no problems
	}{
		{name: "a good plugin"},
		{name: "unknown manifest key", manifest: func(m string) string { return m + "permisions: [storage:write]\n" },
			want: []string{`plugin.yaml: malformed manifest: line 12: unknown key "permisions"`}},
		{name: "misspelt permission", manifest: func(m string) string { return strings.Replace(m, "storage:read", "storage:wirte", 1) },
			want: []string{`plugin.yaml: permissions: "storage:wirte" is not a permission the portal grants`}},
		{name: "bad version range", manifest: func(m string) string { return strings.Replace(m, ">=0.1.0", "~>0.1", 1) },
			want: []string{"plugin.yaml: host:"}},
		{name: "bad version", manifest: func(m string) string { return strings.Replace(m, "version: 1.0.0", "version: one", 1) },
			want: []string{`plugin.yaml: version: "one" is not a semantic version`}},
		{name: "unknown protocol", manifest: func(m string) string { return strings.Replace(m, "protocols: [1]", "protocols: [9]", 1) },
			want: []string{"plugin.yaml: protocols: [9] does not list 1"}},
		{name: "executable missing for a platform", manifest: func(m string) string {
			return strings.Replace(m, "executables:\n", "executables:\n  plan9/386: {path: faulty-plan9}\n", 1)
		}, want: []string{"plugin.yaml: executables plan9/386: faulty-plan9 is missing"}},
		{name: "no executable built", noExe: true, want: []string{"plugin.yaml: executables " + platform + ": faulty is missing"}},
		{name: "provides lists a type the executable lacks", manifest: func(m string) string {
			return strings.Replace(m, "blocks: [acme/poll]", "blocks: [acme/poll, acme/quiz]", 1)
		}, want: []string{"plugin.yaml: provides: plugin.yaml lists block type acme/quiz, which the executable does not describe"}},
		{name: "provides misses a type the executable has", manifest: func(m string) string { return strings.Replace(m, "  rooms: [acme/board]\n", "", 1) },
			want: []string{"plugin.yaml: provides: the executable describes room type acme/board"}},
		{name: "another plugin's id", manifest: func(m string) string {
			return strings.NewReplacer("id: acme/faulty", "id: acme/other").Replace(m)
		}, want: []string{`faulty: the executable says it is plugin "acme/faulty"; plugin.yaml says "acme/other"`}},
		{name: "schema does not compile", fault: "schema", want: []string{"block type acme/poll: config schema: does not compile"}},
		{name: "default config fails its schema", fault: "default", want: []string{"block type acme/poll: default config does not pass the config schema: question:"}},
		{name: "name without the vendor", fault: "vendor", want: []string{"block type poll: the name must start with the plugin's vendor (acme/...)"}},
		{name: "no title", fault: "title", want: []string{"block type acme/poll: it has no title"}},
		{name: "tree too deep", fault: "deep", want: []string{"block type acme/poll: render with the default config for a partner: tree is nested deeper than 32"}},
		{name: "javascript link", fault: "javascript", want: []string{`block type acme/poll: render with the default config for a partner: link: href "javascript:alert(1)"`}},
		{name: "action fails", fault: "action", want: []string{`block type acme/poll: action "vote" for a partner: votes are not counted yet`}},
		{name: "staff side fails", fault: "staff", want: []string{`room type acme/board: staff side, block "next": staff are not expected here`}},
		{name: "example config fails the schema", fault: "example", want: []string{`room type acme/board: config of block "next" does not pass the config schema: question:`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			m := goodManifest
			if tt.manifest != nil {
				m = tt.manifest(m)
			}
			write(t, filepath.Join(dir, "plugin.yaml"), []byte(m), 0o644)
			if !tt.noExe {
				write(t, filepath.Join(dir, "faulty"), exe, 0o755)
			}
			if tt.fault != "" {
				write(t, filepath.Join(dir, "fault"), []byte(tt.fault), 0o644)
			}
			problems := plugincheck.Check(context.Background(), dir, plugincheck.Options{})
			var got []string
			for _, p := range problems {
				got = append(got, p.String())
				if goTypeName.MatchString(p.String()) {
					t.Errorf("problem names a Go type: %s", p)
				}
			}
			all := strings.Join(got, "\n")
			if len(tt.want) == 0 && len(got) > 0 {
				t.Fatalf("problems in a good plugin:\n%s", all)
			}
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("problems:\n%s\nwant one containing %q", all, w)
				}
			}
		})
	}
}

func write(t *testing.T, path string, b []byte, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, b, mode); err != nil {
		t.Fatal(err)
	}
}
