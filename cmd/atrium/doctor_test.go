package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// The doctor reads serve's flags and ATRIUM_* variables, prints every
// check, and exits non-zero when one fails.
func TestDoctorCommand(t *testing.T) {
	t.Setenv("ATRIUM_PUBLIC_URL", "partners.example.com") // no scheme: read from the environment like serve
	missing := filepath.Join(t.TempDir(), "nowhere")
	code, out, _ := cli(t, []string{"--data", missing}, "", "doctor", "--https", "--timeout", "2s")
	for _, want := range []string{"fail  database", "does not exist", "fail  public URL", `"partners.example.com" is not a web address`, "ok    mail"} {
		if !strings.Contains(out, want) {
			t.Errorf("doctor output lacks %q:\n%s", want, out)
		}
	}
	if code == 0 {
		t.Errorf("doctor exits 0 with failed checks")
	}
	t.Setenv("ATRIUM_PUBLIC_URL", "https://partners.example.com")
	code, out, errOut := cli(t, dbFlags(t), "", "doctor", "--https")
	if code != 0 || strings.Contains(out, "fail") {
		t.Errorf("doctor on a ready portal: exit %d\n%s\n%s", code, out, errOut)
	}
}
