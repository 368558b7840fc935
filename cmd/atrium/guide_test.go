package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/store/storetest"
)

// guideSection is one runnable part of docs/plugins.md: the shell blocks and
// files that follow a "<!-- ci: NAME" marker, up to the next section.
type guideSection struct {
	script string // the shell blocks, with the files written by heredocs in between
}

var guideMarker = regexp.MustCompile(`(?m)^<!-- ci: ([^;>]*?)(;[^>]*)? -->\n` + "```" + `(\w+)\n([\s\S]*?)\n` + "```")

// guide reads the runnable sections of docs/plugins.md: "NAME" opens a
// section, "NAME, continued" and "file PATH" add to the last one.
func guide(t *testing.T) map[string]*guideSection {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "plugins.md"))
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string]*guideSection{}
	var last *guideSection
	for _, m := range guideMarker.FindAllStringSubmatch(string(b), -1) {
		name, lang, body := m[1], m[3], m[4]
		switch {
		case strings.HasPrefix(name, "file "):
			if last == nil {
				t.Fatalf("docs/plugins.md: %q comes before any steps", name)
			}
			last.script += fmt.Sprintf("cat > %s <<'GUIDE_FILE'\n%s\nGUIDE_FILE\n", strings.TrimPrefix(name, "file "), body)
		case strings.HasSuffix(name, ", continued"):
			last = sections[strings.TrimSuffix(name, ", continued")]
			if last == nil || lang != "sh" {
				t.Fatalf("docs/plugins.md: %q continues nothing", name)
			}
			last.script += body + "\n"
		default:
			if lang != "sh" {
				t.Fatalf("docs/plugins.md: steps %q are %s, not sh", name, lang)
			}
			last = &guideSection{script: body + "\n"}
			sections[name] = last
		}
	}
	return sections
}

// guideWorkspace is the layout the guide assumes: a checkout of Atrium in
// ../atrium next to the folder the steps run in, and the atrium command,
// built from this checkout, on the PATH.
func guideWorkspace(t *testing.T) (work string, env []string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs plugins from the guide; not in -short")
	}
	if storetest.Default() != storetest.SQLite {
		// The guide's portal keeps its data in its own folder, on the
		// embedded default, whatever the test database is.
		t.Skip("the guide's steps use the embedded database: they run in the SQLite pass")
	}
	root := t.TempDir()
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(repo, filepath.Join(root, "atrium")); err != nil {
		t.Fatal(err)
	}
	// The atrium command is this test binary run as the command (see
	// TestMain), which saves building the portal once more.
	bin := filepath.Join(root, "bin")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	launcher := fmt.Sprintf("#!/bin/sh\n%s=1 exec %q \"$@\"\n", asPortal, self)
	if err := os.WriteFile(filepath.Join(bin, "atrium"), []byte(launcher), 0o755); err != nil {
		t.Fatal(err)
	}
	work = filepath.Join(root, "work")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	return work, append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
}

func runScript(t *testing.T, dir string, env []string, script string) {
	t.Helper()
	cmd := exec.Command("bash", "-euo", "pipefail", "-c", "set -x\n"+script)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the guide's steps failed: %v\n%s", err, out)
	}
}

// TestPluginGuide follows docs/plugins.md's first steps word for word in a
// temporary folder: scaffold a plugin, test, build, check and install it,
// apply a room file using its block, serve the demo, and find the block in
// the partner's room and the room type's staff side.
func TestPluginGuide(t *testing.T) {
	work, env := guideWorkspace(t)
	steps := guide(t)["the guide's steps"]
	if steps == nil {
		t.Fatal("docs/plugins.md has no \"the guide's steps\"")
	}
	// The steps before the portal runs, the portal (left running), and
	// the steps taken while it runs.
	lines := strings.Split(strings.TrimRight(steps.script, "\n"), "\n")
	at := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "atrium serve ") })
	if at < 0 {
		t.Fatal("the guide's steps never run atrium serve")
	}
	script, serve, after := strings.Join(lines[:at], "\n"), lines[at], "cd quiz\n"+strings.Join(lines[at+1:], "\n")
	if c, _, ok := strings.Cut(serve, "#"); ok {
		serve = strings.TrimSpace(c)
	}
	// CI builds this machine's platform only: cross-compiling the others
	// takes minutes and proves nothing more.
	plat := runtime.GOOS + "/" + runtime.GOARCH
	script = strings.Replace(script, "atrium plugins new acme/quiz", "atrium plugins new acme/quiz --platform "+plat, 1)
	// The guide's relative data folder (./atrium-data) is used word for
	// word: the portal resolves it once at start.
	runScript(t, work, env, script)

	// The last step, a portal that runs until stopped, on a free port.
	args := append(strings.Fields(serve)[1:], "--addr", "127.0.0.1:0", "--log-level", "error")
	cmd := exec.Command(filepath.Join(filepath.Dir(work), "bin", "atrium"), args...)
	cmd.Dir, cmd.Env = filepath.Join(work, "quiz"), env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // its plugins stop with it
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	})
	url := make(chan string, 1)
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if _, u, ok := strings.Cut(sc.Text(), "running at "); ok {
				url <- strings.TrimSpace(u)
			}
		}
	}()
	var base string
	select {
	case base = <-url:
	case <-ended:
		t.Fatalf("the portal stopped before it ran:\n%s", stderr.String())
	case <-time.After(3 * time.Minute):
		t.Fatalf("the portal did not say where it runs within three minutes:\n%s", stderr.String())
	}
	runScript(t, work, env, after)
	p := &testPortal{URL: base}
	sarah, mike := p.client(t, "sarah@northwind.example"), p.client(t, "mike@acme.example")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		code, body := fetch(t, sarah, base+"/rooms/quiz")
		if code == 200 && strings.Contains(body, "What should we build next?") && strings.Contains(body, "Your answer") {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("the partner's room: %d, without the block's question and form:\n%s", code, body)
		}
		time.Sleep(300 * time.Millisecond) // the portal starts its plugins as it starts
	}
	if code, body := fetch(t, mike, base+"/admin/work/acme.quiz-room"); code != 200 || !strings.Contains(body, "How can we help?") {
		t.Errorf("the staff side: %d, without the room type's block:\n%s", code, body)
	}
}

// TestPluginGuideByHand follows the guide's plugin written by hand: a fresh
// module made from the docs' own text, with the replace the docs give, built,
// checked and installed.
func TestPluginGuideByHand(t *testing.T) {
	work, env := guideWorkspace(t)
	steps := guide(t)["by hand"]
	if steps == nil {
		t.Fatal("docs/plugins.md has no \"by hand\" steps")
	}
	script := steps.script
	if plat := runtime.GOOS + "/" + runtime.GOARCH; plat != "linux/amd64" {
		script = strings.ReplaceAll(script, "linux/amd64", plat)
		script = strings.ReplaceAll(script, "GOOS=linux GOARCH=amd64", "GOOS="+runtime.GOOS+" GOARCH="+runtime.GOARCH)
	}
	runScript(t, work, env, script)
	if _, err := os.Stat(filepath.Join(work, "atrium-data", "plugins", "example", "hello", "plugin.yaml")); err != nil {
		t.Errorf("the hand-written plugin is not installed: %v", err)
	}
}

// syncBuffer keeps a process's output, written and read from different
// goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestPluginGuideSigning follows the guide's signing steps word for word: a
// publisher makes a key and signs the NPS example's package, an admin
// trusts the key and installs the package, and plugins list says who
// signed it. Every step is an atrium command, run in this process in a
// temporary folder (no binary to build).
func TestPluginGuideSigning(t *testing.T) {
	steps := guide(t)["signing"]
	if steps == nil {
		t.Fatal("docs/plugins.md has no \"signing\" steps")
	}
	src := buildNPS(t)
	work := t.TempDir()
	build := filepath.Join(work, "build", "nps")
	if err := os.MkdirAll(build, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"plugin.yaml", "nps"} {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(build, f), b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(work)
	var out string
	for _, line := range strings.Split(strings.TrimSpace(steps.script), "\n") {
		args := shellWords(t, line)
		if len(args) == 0 || args[0] != "atrium" {
			t.Fatalf("the signing steps may only run atrium: %q", line)
		}
		code, stdout, stderr := cli(t, nil, "", args[1:]...)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", line, code, stdout, stderr)
		}
		out = stdout
	}
	if !strings.Contains(out, "signed by Acme Corp") {
		t.Errorf("the last step (plugins list) does not say who signed the plugin:\n%s", out)
	}
}

// shellWords splits a command line of the guide into words: spaces
// separate, double quotes group, and nothing else is special.
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	var words []string
	var cur strings.Builder
	quoted, inWord := false, false
	for _, r := range line {
		switch {
		case r == '"':
			quoted, inWord = !quoted, true
		case r == ' ' && !quoted:
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case strings.ContainsRune("$`\\'|&;<>*", r) && !quoted:
			t.Fatalf("the guide's step %q needs a shell", line)
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quoted {
		t.Fatalf("unbalanced quotes in %q", line)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}
