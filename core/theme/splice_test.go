package theme

import (
	"fmt"
	"html/template"
	"io"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/sdk/ui"
)

// TestSpliceRestoresPieces draws a tree whose large parts are held aside
// at several levels (a board in a card in a stack, beside a large list),
// wraps it as a block and prints it on a page: every card comes out once,
// in order, and no placeholder is left.
func TestSpliceRestoresPieces(t *testing.T) {
	th := load(t, "")
	b := board(200)
	var items []ui.ListItem
	for i := range 100 {
		items = append(items, ui.ListItem{Title: fmt.Sprintf("Item %03d <i>", i), Description: strings.Repeat("x", 40)})
	}
	tree := ui.Stack{Children: ui.Children{
		ui.Text{Text: "Before"},
		ui.Card{Title: "Board", Body: ui.Children{b}},
		ui.List{Items: items},
		ui.Text{Text: "After"},
	}}
	body, err := th.Component(tree, blockContext())
	if err != nil {
		t.Fatal(err)
	}
	l := signedIn()
	l.Content = RoomPage{Slug: "projects", Title: "Projects", Blocks: []RenderedBlock{{ID: "b1", Type: "ui", HTML: body}}}
	out, _ := page(t, th, "room", l)
	if strings.Contains(out, "\x00") {
		t.Fatal("a placeholder is left on the page")
	}
	last := -1
	for _, want := range []string{"Before", `>Task 0: import`, `>Task 199: import`, "Item 000 &lt;i&gt;", "Item 099 &lt;i&gt;", "After"} {
		i := strings.Index(out, want)
		if i < 0 || strings.Count(out, want) != 1 {
			t.Fatalf("%q appears %d times", want, strings.Count(out, want))
		}
		if i < last {
			t.Errorf("%q is out of order", want)
		}
		last = i
	}
	for i := range 200 {
		title := fmt.Sprintf(">Task %d: import and check a test load</a>", i)
		if n := strings.Count(out, title); n != 1 {
			t.Errorf("card %d appears %d times", i, n)
		}
	}
}

// TestSpliceRefuses: a placeholder that is damaged, repeated, unknown or
// never printed fails the draw, and a piece too small is not held.
func TestSpliceRefuses(t *testing.T) {
	big := template.HTML(strings.Repeat("<p>x</p>", spliceMin))
	for _, tt := range []struct {
		name string
		page func(sp *splice, ph template.HTML) string
		ok   bool
	}{
		{"printed once", func(sp *splice, ph template.HTML) string { return "<main>" + string(ph) + "</main>" }, true},
		{"printed twice", func(sp *splice, ph template.HTML) string { return string(ph + ph) }, false},
		{"never printed", func(sp *splice, ph template.HTML) string { return "<main></main>" }, false},
		{"escaped in an attribute", func(sp *splice, ph template.HTML) string {
			return `<a title="` + template.HTMLEscapeString(string(ph)) + `">`
		}, false},
		{"cut short", func(sp *splice, ph template.HTML) string { return string(ph[:len(ph)-1]) }, false},
		{"another index", func(sp *splice, ph template.HTML) string { return sp.open + "7\x00" }, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sp := newSplice()
			ph := sp.hold(big)
			if ph == big || len(ph) > 40 {
				t.Fatalf("held %d bytes as %q", len(big), ph)
			}
			out, err := sp.expand(template.HTML(tt.page(sp, ph)))
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok %v", err, tt.ok)
			}
			if tt.ok && string(out) != "<main>"+string(big)+"</main>" {
				t.Errorf("expanded to %d bytes", len(out))
			}
		})
	}
	if small := template.HTML("<p>small</p>"); newSplice().hold(small) != small {
		t.Error("a small piece was held")
	}
	var none *splice
	if none.hold(big) != big {
		t.Error("a nil splice held a piece")
	}
	if a, b := newSplice(), newSplice(); a.hold(big) == b.hold(big) {
		t.Error("two splices share a key")
	}
}

// TestBlockPutsBackAComponentsPieces: a block drawn with ComponentPieces
// and wrapped by Block is the same HTML as one drawn whole by Component,
// with no placeholder left in it, and pieces are put back once: wrapping
// the same pieces again fails instead of repeating them.
func TestBlockPutsBackAComponentsPieces(t *testing.T) {
	th := load(t, "")
	tree := ui.Stack{Children: ui.Children{ui.Text{Text: "Before"}, board(300), ui.Text{Text: "After"}}}
	whole, err := th.Component(tree, blockContext())
	if err != nil {
		t.Fatal(err)
	}
	want, err := th.Block(RenderedBlock{ID: "b1", Type: "ui", HTML: whole})
	if err != nil {
		t.Fatal(err)
	}
	h, pieces, err := th.ComponentPieces(tree, blockContext())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(h), "\x00") || len(h) >= len(whole) {
		t.Fatalf("ComponentPieces held nothing back (%d bytes of %d)", len(h), len(whole))
	}
	b := RenderedBlock{ID: "b1", Type: "ui", HTML: h, Pieces: pieces}
	got, err := th.Block(b)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("wrapped with its pieces, the block differs from one drawn whole (%d and %d bytes)", len(got), len(want))
	}
	if strings.Contains(string(got), "\x00") {
		t.Error("a placeholder is left in the block")
	}
	if _, err := th.Block(b); err == nil {
		t.Error("the same pieces were put back twice")
	}
}

// TestSpliceSubPieces: a part held with a splice of its own puts that
// splice's pieces back where it is written, each exactly once, and a part
// that leaves one out or repeats one fails the draw as a piece of the
// outer splice would.
func TestSpliceSubPieces(t *testing.T) {
	big := template.HTML(strings.Repeat("<p>x</p>", spliceMin))
	for _, tt := range []struct {
		name string
		part func(inner template.HTML) template.HTML // the held part, around the sub-splice's placeholder
		page func(ph template.HTML) string           // the outer text, around the part's placeholder
		ok   bool
	}{
		{"both printed once", func(in template.HTML) template.HTML { return "<section>" + in + "</section>" },
			func(ph template.HTML) string { return "<main>" + string(ph) + "</main>" }, true},
		{"inner printed twice", func(in template.HTML) template.HTML { return in + in },
			func(ph template.HTML) string { return string(ph) }, false},
		{"inner left out", func(in template.HTML) template.HTML { return "<section></section>" },
			func(ph template.HTML) string { return string(ph) }, false},
		{"inner escaped", func(in template.HTML) template.HTML { return template.HTML(template.HTMLEscapeString(string(in))) },
			func(ph template.HTML) string { return string(ph) }, false},
		{"part printed twice", func(in template.HTML) template.HTML { return in },
			func(ph template.HTML) string { return string(ph + ph) }, false},
		{"part never printed", func(in template.HTML) template.HTML { return in },
			func(ph template.HTML) string { return "<main></main>" }, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sub := newSplice()
			inner := sub.hold(big)
			outer := newSplice()
			// A part holding pieces is held however short it is.
			ph := outer.holdSub(tt.part(inner), sub)
			if !strings.HasPrefix(string(ph), outer.open) {
				t.Fatalf("the part was not held: %q", ph)
			}
			out, err := outer.expand(template.HTML(tt.page(ph)))
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok %v", err, tt.ok)
			}
			if tt.ok && string(out) != "<main><section>"+string(big)+"</section></main>" {
				t.Errorf("expanded to %d bytes", len(out))
			}
		})
	}
	// A sub-splice that holds nothing adds nothing: the part is held only
	// when large, as by hold.
	if small := template.HTML("<p>small</p>"); newSplice().holdSub(small, newSplice()) != small {
		t.Error("a small part without pieces was held")
	}
	if small := template.HTML("<p>small</p>"); newSplice().holdSub(small, nil) != small {
		t.Error("a small part with a nil splice was held")
	}
}

// TestBlockPiecesOnAPage: a block wrapped by BlockPieces and placed on a
// page with its pieces is the same page as one whose block was drawn and
// wrapped whole; wrapping it again first (a preview greying it out) is
// no error, but its pieces go on one page only.
func TestBlockPiecesOnAPage(t *testing.T) {
	th := load(t, "")
	tree := ui.Stack{Children: ui.Children{ui.Text{Text: "Before"}, board(300), ui.Text{Text: "After"}}}
	small := ui.Text{Text: "A small block"}
	roomPage := func(blocks ...RenderedBlock) Layout {
		l := signedIn()
		l.Content = RoomPage{Slug: "projects", Title: "Projects", Blocks: blocks}
		return l
	}
	whole := func(id string, c ui.Component) RenderedBlock {
		h, err := th.Component(c, blockContext())
		if err != nil {
			t.Fatal(err)
		}
		w, err := th.Block(RenderedBlock{ID: id, Type: "ui", HTML: h})
		if err != nil {
			t.Fatal(err)
		}
		return RenderedBlock{ID: id, Type: "ui", Wrapped: w}
	}
	held := func(id string, c ui.Component) RenderedBlock {
		h, p, err := th.ComponentPieces(c, blockContext())
		if err != nil {
			t.Fatal(err)
		}
		b := RenderedBlock{ID: id, Type: "ui", HTML: h, Pieces: p}
		if b.Wrapped, b.WrappedPieces, err = th.BlockPieces(b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	want, _ := page(t, th, "room", roomPage(whole("b1", tree), whole("b2", small)))

	b1, b2 := held("b1", tree), held("b2", small)
	if len(b1.Wrapped) >= spliceMin || !strings.Contains(string(b1.Wrapped), "\x00") {
		t.Fatalf("BlockPieces put the board back (%d bytes)", len(b1.Wrapped))
	}
	got, _ := page(t, th, "room", roomPage(b1, b2))
	if got != want {
		t.Errorf("placed from its pieces, the page differs from one drawn whole (%d and %d bytes)", len(got), len(want))
	}
	if err := th.Page(io.Discard, "room", roomPage(b1, b2)); err == nil {
		t.Error("the same pieces went on a second page")
	}

	again := held("b1", tree)
	again.Wrapped, again.WrappedPieces, _ = th.BlockPieces(again) // the first wrapper is dropped
	got, _ = page(t, th, "room", roomPage(again, held("b2", small)))
	if got != want {
		t.Errorf("wrapped twice, the page differs (%d and %d bytes)", len(got), len(want))
	}

	// Left unwrapped, the page wraps the block itself, pieces and all.
	h, p, err := th.ComponentPieces(tree, blockContext())
	if err != nil {
		t.Fatal(err)
	}
	got, _ = page(t, th, "room", roomPage(RenderedBlock{ID: "b1", Type: "ui", HTML: h, Pieces: p}, whole("b2", small)))
	if got != want {
		t.Errorf("wrapped by the page, the page differs (%d and %d bytes)", len(got), len(want))
	}

	// Expand gives the whole block once, as Block does.
	b1 = held("b1", tree)
	w, err := b1.WrappedPieces.Expand(b1.Wrapped)
	if err != nil || w != whole("b1", tree).Wrapped {
		t.Errorf("Expand: %d bytes, err %v", len(w), err)
	}
	if _, err := b1.WrappedPieces.Expand(b1.Wrapped); err == nil {
		t.Error("Expand put the same pieces back twice")
	}
}
