package roomfile_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/roomfile"
)

func TestRevisionComments(t *testing.T) {
	const file = `# revision: 4 (rooms apply checks the room is still at this revision)
apiVersion: atrium/v1
kind: Room
slug: one
title: One
partnerTypes: [referral]
---
# A room written by hand, without a revision.
apiVersion: atrium/v1
kind: Room
slug: two
title: Two
partnerTypes: [referral]
---
# revision: 0

# Kept in git.
apiVersion: atrium/v1
kind: Room
slug: three
title: Three
partnerTypes: [referral]
`
	path := filepath.Join(t.TempDir(), "rooms.yaml")
	if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	docs, err := roomfile.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	bases := roomfile.Bases(docs)
	want := map[string]int64{"one": 4, "three": 0}
	if len(bases) != len(want) || bases["one"] != 4 || bases["three"] != 0 {
		t.Fatalf("bases = %v, want %v", bases, want)
	}
	if _, ok := bases["two"]; ok {
		t.Error("a room without the comment has a base")
	}

	if err := roomfile.MoveBases(docs, map[string]int64{"one": 5, "two": 9, "three": 0}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	got := string(b)
	if !strings.HasPrefix(got, "# revision: 5 ") || strings.Contains(got, "# revision: 9") || !strings.Contains(got, "---\n# revision: 0\n") {
		t.Errorf("after moving on:\n%s", got)
	}
	if strings.Replace(got, "# revision: 5 ", "# revision: 4 ", 1) != file {
		t.Errorf("moving the comment changed more than its number:\n%s", got)
	}
}
