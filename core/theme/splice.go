package theme

import (
	"crypto/rand"
	"errors"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
)

// spliceMin is the size from which drawn HTML is held aside rather than
// printed into the template that includes it.
const spliceMin = 4 << 10

// A splice keeps large drawn HTML out of the templates that include it.
//
// A template prints a value through fmt, which copies it into a buffer
// that grows by doubling and is not reused past 64 KB; the enclosing
// draw then copies its output again. A 500-card board (about 500 KB)
// went through that at every level of nesting, stack, block and page:
// some 5 MB of garbage a page. A held piece is printed as a short
// placeholder instead, and written into the output once, at the end.
//
// A placeholder is a NUL, the splice's random key, the piece's index and
// a NUL. Text drawn by the theme never holds a NUL (html/template and
// the theme's own escaping replace it), and the key is new for every
// splice, so nothing a user or plugin writes can stand for a piece.
//
// A part may have a splice of its own (holdSub): a block's wrapper keeps
// the block's pieces that way until the page writes it, and a page keeps
// its blocks' wrappers so, instead of putting them back into one string
// at every level.
type splice struct {
	open  string // "\x00" + key + ":", made when the first piece is held
	parts []part
}

// part is a held piece of HTML; its own placeholders, if any, belong to
// sub, or to the splice holding it when sub is nil.
type part struct {
	h    string
	sub  *splice
	used bool
}

func newSplice() *splice { return &splice{} }

// hold returns h, or a placeholder for it when it is large. A nil splice
// holds nothing.
func (s *splice) hold(h template.HTML) template.HTML {
	if s == nil || len(h) < spliceMin {
		return h
	}
	return s.put(part{h: string(h)})
}

// holdSub returns a placeholder for h, whose held pieces are in sub: they
// are put back when h is, and all of them must be. Without pieces in sub,
// it is hold.
func (s *splice) holdSub(h template.HTML, sub *splice) template.HTML {
	if sub.empty() {
		return s.hold(h)
	}
	return s.put(part{h: string(h), sub: sub})
}

func (s *splice) put(p part) template.HTML {
	if s.open == "" {
		s.open = "\x00" + rand.Text()[:16] + ":"
	}
	s.parts = append(s.parts, p)
	return template.HTML(s.open + strconv.Itoa(len(s.parts)-1) + "\x00")
}

// empty reports whether s holds nothing, so that text with its
// placeholders is already whole.
func (s *splice) empty() bool { return s == nil || len(s.parts) == 0 }

// size is an upper bound of the length of h with its pieces put back.
func (s *splice) size(h string) int {
	n := len(h)
	for _, p := range s.parts {
		if p.sub != nil {
			n += p.sub.size(p.h)
		} else {
			n += len(p.h)
		}
	}
	return n
}

// expand returns h with every held piece back in its place.
func (s *splice) expand(h template.HTML) (template.HTML, error) {
	if s.empty() {
		return h, nil
	}
	var b strings.Builder
	b.Grow(s.size(string(h)))
	if err := s.writeTo(&b, string(h)); err != nil {
		return "", err
	}
	if err := s.check(); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil // pieces drawn by the theme
}

// writeTo writes h to w with the held pieces put back, each exactly once:
// a piece printed where html/template escaped its placeholder (inside an
// attribute, say) or printed twice fails the draw instead of losing or
// repeating part of the page.
func (s *splice) writeTo(w io.StringWriter, h string) error {
	if s.open == "" { // nothing held, nothing to look for
		_, err := w.WriteString(h)
		return err
	}
	for {
		i := strings.Index(h, s.open)
		if i < 0 {
			_, err := w.WriteString(h)
			return err
		}
		if _, err := w.WriteString(h[:i]); err != nil {
			return err
		}
		rest := h[i+len(s.open):]
		end := strings.IndexByte(rest, 0)
		n, err := strconv.Atoi(rest[:max(end, 0)])
		if end < 0 || err != nil || n < 0 || n >= len(s.parts) || s.parts[n].used {
			return errors.New("theme: a drawn piece's placeholder is damaged or repeated")
		}
		p := &s.parts[n]
		p.used = true
		if p.sub == nil {
			err = s.writeTo(w, p.h)
		} else if err = p.sub.writeTo(w, p.h); err == nil {
			// The part is all its sub-splice's pieces have to go in.
			err = p.sub.check()
		}
		if err != nil {
			return err
		}
		h = rest[end+1:]
	}
}

// check reports a held piece that was never put back.
func (s *splice) check() error {
	if s == nil {
		return nil
	}
	for i, p := range s.parts {
		if !p.used {
			return fmt.Errorf("theme: drawn piece %d was printed where HTML cannot go (an attribute or script?)", i)
		}
	}
	return nil
}
