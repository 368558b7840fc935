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
	outputs := map[string]*strings.Builder{} // package/test -> output
	skips := map[string]string{}             // package/test -> reason
	failed := false
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 16<<20)
	for in.Scan() {
		line := in.Bytes()
		var e event
		if err := json.Unmarshal(line, &e); err != nil {
			fmt.Println(string(line)) // build errors and the like
			continue
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "build-output":
			fmt.Print(e.Output)
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
				fmt.Print(b.String())
			}
		case "pass":
			if e.Test == "" {
				fmt.Printf("ok  \t%s\t%.3fs\n", e.Package, e.Elapsed)
			}
		}
	}
	if len(skips) > 0 {
		keys := make([]string, 0, len(skips))
		for k := range skips {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Printf("\nSkipped %d tests:\n", len(keys))
		for _, k := range keys {
			fmt.Printf("  %s: %s\n", k, skips[k])
		}
	}
	if failed {
		fmt.Println("\nFAIL")
		os.Exit(1)
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
