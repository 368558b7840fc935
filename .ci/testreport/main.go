// Command testreport reads `go test -json` from standard input and prints
// what `go test` prints (a line per package, the output of failed tests),
// followed by the tests that were skipped and why: a plain `go test ./...`
// hides skips, and a contributor needs to see that, say, the browser tests
// did not run because Chromium is missing.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

func main() {
	if !report(os.Stdin, os.Stdout) {
		os.Exit(1)
	}
}

// report prints the report of a `go test -json` stream and says whether
// everything passed.
func report(r io.Reader, w io.Writer) bool {
	outputs := map[string]*strings.Builder{} // package/test -> output
	skips := map[string]string{}             // package/test -> reason
	running := map[string]bool{}             // package/test started and not ended
	var slow []timing                        // top-level tests that passed
	failed := false
	in := bufio.NewScanner(r)
	in.Buffer(make([]byte, 1<<20), 16<<20)
	for in.Scan() {
		line := in.Bytes()
		var e event
		if err := json.Unmarshal(line, &e); err != nil {
			fmt.Fprintln(w, string(line)) // build errors and the like
			continue
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "run":
			running[key] = true
		case "pass", "fail", "skip":
			delete(running, key)
		}
		switch e.Action {
		case "build-output":
			fmt.Fprint(w, e.Output)
		case "build-fail":
			failed = true
		case "output":
			b := outputs[key]
			if b == nil {
				b = &strings.Builder{}
				outputs[key] = b
			}
			b.WriteString(e.Output)
		case "skip":
			if e.Test != "" {
				skips[key] = reason(outputs[key])
			}
		case "fail":
			failed = true
			if b := outputs[key]; b != nil {
				fmt.Fprint(w, b.String())
			}
			if e.Test == "" {
				// A package that fails with tests still running timed out
				// or crashed: name those tests and show how they ended.
				for _, k := range sortedRunning(running, e.Package) {
					fmt.Fprintf(w, "--- %s: still running when the package failed (a timeout or a crash); its output:\n", strings.TrimPrefix(k, e.Package+" "))
					fmt.Fprint(w, head(outputs[k], 40))
					delete(running, k)
				}
			}
		case "pass":
			if e.Test == "" {
				fmt.Fprintf(w, "ok  \t%s\t%.3fs\n", e.Package, e.Elapsed)
			} else if !strings.Contains(e.Test, "/") {
				slow = append(slow, timing{key, e.Elapsed})
			}
		}
	}
	if len(skips) > 0 {
		keys := make([]string, 0, len(skips))
		for k := range skips {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Fprintf(w, "\nSkipped %d tests:\n", len(keys))
		for _, k := range keys {
			fmt.Fprintf(w, "  %s: %s\n", k, skips[k])
		}
	}
	printSlowest(w, slow)
	if failed {
		fmt.Fprintln(w, "\nFAIL")
	}
	return !failed
}

// timing is how long a test took.
type timing struct {
	test    string
	seconds float64
}

// slowest is how many of the slowest tests the report names.
const slowest = 12

// printSlowest names the slowest tests that took over five seconds: where
// the suite's time goes, for whoever wants it shorter.
func printSlowest(w io.Writer, all []timing) {
	sort.Slice(all, func(i, j int) bool { return all[i].seconds > all[j].seconds })
	var top []timing
	for _, t := range all {
		if t.seconds < 5 || len(top) == slowest {
			break
		}
		top = append(top, t)
	}
	if len(top) == 0 {
		return
	}
	fmt.Fprintf(w, "\nSlowest tests:\n")
	for _, t := range top {
		fmt.Fprintf(w, "  %6.1fs  %s\n", t.seconds, t.test)
	}
}

// reason picks the skip message out of a test's output.
func reason(b *strings.Builder) string {
	if b == nil {
		return "skipped"
	}
	for _, l := range strings.Split(b.String(), "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "---") || strings.HasPrefix(l, "===") || l == "" {
			continue
		}
		if i := strings.Index(l, ".go:"); i >= 0 {
			if j := strings.Index(l[i:], ": "); j >= 0 {
				return l[i+j+2:]
			}
		}
		return l
	}
	return "skipped"
}

// sortedRunning lists the tests of pkg that started and did not end.
func sortedRunning(running map[string]bool, pkg string) []string {
	var out []string
	for k := range running {
		if strings.HasPrefix(k, pkg+" ") && k != pkg+" " {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// head is the first n lines of a test's output: enough for a timeout's
// "running tests" list without the whole goroutine dump.
func head(b *strings.Builder, n int) string {
	if b == nil {
		return ""
	}
	lines := strings.SplitAfter(b.String(), "\n")
	if len(lines) > n {
		lines = append(lines[:n], fmt.Sprintf("\t... (%d more lines)\n", len(lines)-n))
	}
	return strings.Join(lines, "")
}
