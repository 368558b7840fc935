package theme

import (
	"errors"
	"fmt"
	"html/template"
	"reflect"
	"strings"

	"github.com/atriumhq/atrium/sdk/ui"
)

// maxDepth bounds the nesting of components drawn, so a cyclic or absurd tree
// fails instead of exhausting the stack.
const maxDepth = 48

// View is what a component template receives.
type View struct {
	// C is the component, always a value (ui.Card, never *ui.Card).
	C any
	// X is the block's context; never nil.
	X *BlockContext
	// Key is unique within the block; ID builds element ids from it.
	Key string
}

// ID returns an element id unique within the page: the view's Key and part.
func (v View) ID(part string) string {
	return v.Key + "-" + idPart(part)
}

// Component draws a component tree. Components may be values or pointers. An
// unknown kind, an empty slot or a template error fails the whole tree, so
// the caller can show a placeholder instead of half a block.
func (t *Theme) Component(c ui.Component, x *BlockContext) (template.HTML, error) {
	h, p, err := t.ComponentPieces(c, x)
	if err != nil {
		return "", err
	}
	return p.Expand(h)
}

// Pieces are the large drawn parts of a component's HTML, held apart from
// it (see splice) until they are written where they belong, in one copy:
// put back by Component, again by Block and held aside by the page, a
// 500-card board was copied whole at every level. The zero value holds
// nothing.
type Pieces struct{ s *splice }

// Expand returns h, which came with p, with its pieces put back: for a
// caller that keeps the whole HTML (a cache shared by many pages, a
// preview sent alone). The pieces are then spent: each goes into the page
// once, and expanding them again fails.
func (p Pieces) Expand(h template.HTML) (template.HTML, error) {
	return p.s.expand(h)
}

// ComponentPieces is Component for a block about to be wrapped: its HTML
// holds placeholders for the pieces, which only Theme.Block, given both in
// a RenderedBlock, may put back. The HTML is not to be shown otherwise.
func (t *Theme) ComponentPieces(c ui.Component, x *BlockContext) (template.HTML, Pieces, error) {
	if x == nil {
		x = &BlockContext{}
	}
	sp := newSplice()
	x.splice = sp
	defer func() { x.splice = nil }()
	h, err := t.draw(x, c)
	if err != nil {
		return "", Pieces{}, err
	}
	return h, Pieces{sp}, nil
}

func (t *Theme) draw(x *BlockContext, c ui.Component) (template.HTML, error) {
	v, kind, err := unwrap(c)
	if err != nil {
		return "", err
	}
	tmpl := t.set(x.Locale).components.Lookup(kind)
	if tmpl == nil || strings.HasPrefix(kind, "_") {
		return "", fmt.Errorf("no template for component kind %q", kind)
	}
	if x.depth >= maxDepth {
		return "", fmt.Errorf("components nested deeper than %d", maxDepth)
	}
	x.depth++
	defer func() { x.depth-- }()
	buf := getBuf()
	defer putBuf(buf)
	if err := tmpl.Execute(buf, View{C: v, X: x, Key: x.next()}); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil // html/template's own output
}

// drawAny is the "render" template func: it draws a component, a list of
// them or the buttons of an action bar.
func (t *Theme) drawAny(x *BlockContext, v any) (template.HTML, error) {
	if x == nil {
		return "", errors.New("render: no block context (call it as render .X ...)")
	}
	switch v := v.(type) {
	case nil:
		return "", nil
	case ui.Children:
		return t.drawList(x, v)
	case []ui.Component:
		return t.drawList(x, v)
	case []ui.Button:
		var b strings.Builder
		for i := range v {
			h, err := t.draw(x, v[i])
			if err != nil {
				return "", fmt.Errorf("button %d: %w", i, err)
			}
			b.WriteString(string(h))
		}
		return template.HTML(b.String()), nil
	case ui.Component:
		h, err := t.draw(x, v)
		return x.splice.hold(h), err
	}
	return "", fmt.Errorf("render: cannot draw a %T", v)
}

func (t *Theme) drawList(x *BlockContext, cs []ui.Component) (template.HTML, error) {
	var b strings.Builder
	for i, c := range cs {
		h, err := t.draw(x, c)
		if err != nil {
			return "", fmt.Errorf("child %d: %w", i, err)
		}
		b.WriteString(string(x.splice.hold(h)))
	}
	return template.HTML(b.String()), nil
}

// unwrap returns the component as a value, and its kind.
func unwrap(c ui.Component) (any, string, error) {
	if c == nil {
		return nil, "", errors.New("empty component")
	}
	rv := reflect.ValueOf(c)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil, "", fmt.Errorf("empty component (nil %T)", c)
		}
		return rv.Elem().Interface(), c.Kind(), nil
	}
	return c, c.Kind(), nil
}
