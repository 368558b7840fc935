package theme

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/sdk/ui"
)

// board is a board of n cards spread over four columns.
func board(n int) ui.Board {
	b := ui.Board{Label: "Tasks by status", Field: "status", Submit: "Move", Empty: "No tasks here.", Columns: []ui.BoardColumn{
		{Value: "todo", Label: "To do"}, {Value: "in_progress", Label: "In progress"}, {Value: "blocked", Label: "Blocked"}, {Value: "done", Label: "Done"}}}
	for i := range n {
		title := fmt.Sprintf("Task %d: import and check a test load", i)
		c := ui.BoardCard{Title: title, Href: fmt.Sprintf("/rooms/projects/items/7/tasks/%d", 1000+i), Subtitle: "Jennifer Lee · Due 5 Feb 2026 · In Data migration",
			Lines: []string{"1 of 3 checked", "2 comments"}, Move: ui.Action{Name: "move", State: fmt.Sprintf("7:%d", 1000+i)}, MoveLabel: "Move “" + title + "” to"}
		if i%3 == 0 {
			c.Badge = &ui.Badge{Text: "Late", Tone: ui.ToneDanger}
		}
		col := &b.Columns[i%4]
		col.Cards = append(col.Cards, c)
	}
	return b
}

func TestBoard(t *testing.T) {
	th := load(t, "")
	b := board(5)
	b.Columns[3].Cards = nil
	b.Columns[2].Label = `Blocked <b>"now"</b>`
	// What a card says is text, never markup, wherever it is written; a
	// link the kit would refuse is not drawn as one.
	b.Columns[2].Cards = append(b.Columns[2].Cards, ui.BoardCard{Title: `<script>alert(1)</script>`, Href: "javascript:alert(1)",
		Subtitle: `"><img src=x onerror=alert(2)>`, Lines: []string{"<i>3</i>"}, Badge: &ui.Badge{Text: "<u>late</u>", Tone: `x" onclick="y`},
		Move: ui.Action{Name: "move", State: `7:"9`}, MoveLabel: `Move "<b>" to`})
	for _, tt := range []struct {
		name     string
		readOnly bool
		want     []string
		not      []string
	}{
		{name: "a card moves with its own form, its column chosen",
			want: []string{`<div class="board" data-board role="group" aria-label="Tasks by status">`,
				`<form method="post" action="/rooms/welcome/blocks/intro/actions/move" class="board-move"><input type="hidden" name="_state" value="signed.move.7:1001">`,
				`<label class="visually-hidden" for="b-intro-1-col-1-0">Move “Task 1: import and check a test load” to</label>`,
				`<select id="b-intro-1-col-1-0" name="status"><option value="todo">To do</option><option value="in_progress" selected>In progress</option>`,
				`<span class="badge tone-danger">Late</span>`, `<span>1 of 3 checked</span><span>2 comments</span>`,
				`<option value="blocked">Blocked &lt;b&gt;&#34;now&#34;&lt;/b&gt;</option>`,
				`<h2 class="board-column-title" id="b-intro-1-col-3">Done</h2>`, `<p class="board-empty">No tasks here.</p>`,
				`<h3 class="board-card-title">&lt;script&gt;alert(1)&lt;/script&gt;</h3><p class="board-card-sub">&#34;&gt;&lt;img src=x onerror=alert(2)&gt;</p>`,
				`<span class="badge tone-neutral">&lt;u&gt;late&lt;/u&gt;</span><span>&lt;i&gt;3&lt;/i&gt;</span>`,
				`value="signed.move.7:&#34;9">`, `<label class="visually-hidden" for="b-intro-1-col-2-1">Move &#34;&lt;b&gt;&#34; to</label>`},
			not: []string{"draggable", "<b>", "<script", "javascript:", "<img", "<u>", "<i>"}},
		{name: "a preview neither posts nor drags", readOnly: true,
			want: []string{`<div class="board" role="group"`, `<form method="post" class="board-move">`, `disabled>Move</button>`},
			not:  []string{"data-board ", "_state", "action="}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			x := blockContext()
			x.ReadOnly = tt.readOnly
			got, err := th.Component(b, x)
			if err != nil {
				t.Fatal(err)
			}
			html := strings.ReplaceAll(string(got), "\n", "")
			for _, w := range tt.want {
				if !strings.Contains(html, w) {
					t.Errorf("missing %s in\n%s", w, got)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(html, w) {
					t.Errorf("holds %s:\n%s", w, got)
				}
			}
		})
	}
}

// TestBoardHeadingLevels: a board's column titles sit one level below the
// last heading before them and its cards' titles one below those, so a
// board right under the page's h1 starts at h2 and one in a titled card
// one level lower; what follows the board counts from before it.
func TestBoardHeadingLevels(t *testing.T) {
	th := load(t, "")
	b := board(2)
	for _, tt := range []struct {
		name string
		tree ui.Component
		want []string
	}{
		{"under the page's title", ui.Stack{Children: ui.Children{b, ui.Card{Title: "After"}}},
			[]string{`<h2 class="board-column-title"`, `<h3 class="board-card-title">`, `<h2 class="card-title">After</h2>`}},
		{"in a titled card", ui.Card{Title: "Tasks", Body: ui.Children{b}},
			[]string{`<h2 class="card-title">Tasks</h2>`, `<h3 class="board-column-title"`, `<h4 class="board-card-title">`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := th.Component(tt.tree, blockContext())
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(got), w) {
					t.Errorf("missing %s in\n%s", w, got)
				}
			}
		})
	}
}

// BenchmarkBoard500 draws a 500-card board, a whole page of the Projects
// room's board, with each card's move form signed as the web layer signs
// actions (HMAC-SHA256). The room's goal is 20 ms for the page at p99; this
// is the theme's share of it.
func BenchmarkBoard500(b *testing.B) {
	th := load(b, "")
	x := blockContext()
	key := []byte("0123456789abcdef0123456789abcdef")
	x.Token = func(a ui.Action) string {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(a.Name + "\x00" + a.State))
		return a.State + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
	}
	bd := board(500)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := th.Component(bd, x); err != nil {
			b.Fatal(err)
		}
	}
}
