package main

import (
	"os"
	"strings"
	"testing"
)

// TestTimeoutNamesTheTest: a package that times out fails the report, and
// the report names the test that was running and says it timed out.
func TestTimeoutNamesTheTest(t *testing.T) {
	in, err := os.Open("testdata/timeout.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var out strings.Builder
	if report(in, &out) {
		t.Error("a timed-out package passed")
	}
	for _, want := range []string{"--- TestSlow: still running when the package failed", "panic: test timed out after 1s", "TestSlow (1s)", "FAIL"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, out.String())
		}
	}
}
