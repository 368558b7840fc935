package roomfile

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strconv"
)

// A room file written by `rooms export` starts with a comment naming the
// published revision it was exported at:
//
//	# revision: 4 (rooms apply checks the room is still at this revision)
//	apiVersion: atrium/v1
//	kind: Room
//
// `rooms apply` sends it as the room's base: a room that would change
// although someone published it again since (in the room builder, say), or
// that has a draft in the builder, is refused unless --force. After an
// apply the comment is moved on to the room's revision, so the next edit of
// the same file starts from there. A file without the comment is applied
// as before, unchecked. It is a comment so that it is not part of the room:
// the REST API takes the same bases as ifRevision / ifRevisions.

var baseRE = regexp.MustCompile(`^#\s*revision:\s*(\d+)\b`)

// RevisionComment is the first line of an exported room file.
func RevisionComment(n int64) string {
	return fmt.Sprintf("# revision: %d (rooms apply checks the room is still at this revision)\n", n)
}

// findBase looks for the revision comment in the comment lines right above
// line (1-based) of data, the document's first line.
func findBase(data []byte, line int) (rev int64, at int, ok bool) {
	lines := bytes.Split(data, []byte("\n"))
	for i := line - 2; i >= 0 && i < len(lines); i-- {
		l := bytes.TrimSpace(lines[i])
		if len(l) == 0 || l[0] != '#' {
			if string(l) == "---" || len(l) > 0 {
				break
			}
			continue
		}
		if m := baseRE.FindSubmatch(l); m != nil {
			n, err := strconv.ParseInt(string(m[1]), 10, 64)
			if err == nil {
				return n, i + 1, true
			}
		}
	}
	return 0, 0, false
}

// Bases returns the revision comments of the room documents, by room name.
func Bases(docs []Document) map[string]int64 {
	out := map[string]int64{}
	for _, d := range docs {
		if d.Kind == KindRoom && d.baseLine > 0 {
			out[d.Room.Key()] = d.base
		}
	}
	return out
}

// MoveBases rewrites the revision comment of every room document that has
// one to the room's revision now (by room name), so the files name what
// they were last applied at. Files are rewritten only where a number
// changes.
func MoveBases(docs []Document, revisions map[string]int64) error {
	byFile := map[string][]Document{}
	for _, d := range docs {
		if d.Kind != KindRoom || d.baseLine == 0 {
			continue
		}
		if n, ok := revisions[d.Room.Key()]; ok && n != d.base {
			byFile[d.File] = append(byFile[d.File], d)
		}
	}
	for file, ds := range byFile {
		data, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("update the revision comment of %s: %w", file, err)
		}
		lines := bytes.Split(data, []byte("\n"))
		for _, d := range ds {
			i := d.baseLine - 1
			if i >= len(lines) {
				continue
			}
			lines[i] = bytes.TrimSuffix([]byte(RevisionComment(revisions[d.Room.Key()])), []byte("\n"))
		}
		info, err := os.Stat(file)
		if err != nil {
			return err
		}
		if err := os.WriteFile(file, bytes.Join(lines, []byte("\n")), info.Mode().Perm()); err != nil {
			return fmt.Errorf("update the revision comment of %s: %w", file, err)
		}
	}
	return nil
}
