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

// TestSlowestTests: the report names the slowest top-level tests over five
// seconds, slowest first, and leaves subtests and quick tests out.
func TestSlowestTests(t *testing.T) {
	in := strings.NewReader(`{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"pass","Package":"p","Test":"TestA","Elapsed":7.5}
{"Action":"pass","Package":"p","Test":"TestB/sub","Elapsed":30}
{"Action":"pass","Package":"p","Test":"TestB","Elapsed":31}
{"Action":"pass","Package":"p","Test":"TestQuick","Elapsed":0.2}
{"Action":"pass","Package":"p","Elapsed":40}
`)
	var out strings.Builder
	if !report(in, &out) {
		t.Fatal("a passing run failed")
	}
	got := out.String()
	i, j := strings.Index(got, "31.0s  p TestB"), strings.Index(got, "7.5s  p TestA")
	if !strings.Contains(got, "Slowest tests:") || i < 0 || j < 0 || i > j {
		t.Errorf("slowest tests missing or out of order:\n%s", got)
	}
	if strings.Contains(got, "TestB/sub") || strings.Contains(got, "TestQuick") {
		t.Errorf("named a subtest or a quick test:\n%s", got)
	}
}
