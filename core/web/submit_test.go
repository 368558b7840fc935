package web

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

// part is one part of a multipart form: a text field, or a file when file
// is set (an empty file input has file set to "" and isFile true).
type part struct {
	name, value, file string
	isFile            bool
}

func text(name, value string) part { return part{name: name, value: value} }
func file(name, fn, content string) part {
	return part{name: name, file: fn, value: content, isFile: true}
}

func multipartBody(t *testing.T, parts []part) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		var err error
		if p.isFile {
			var w interface{ Write([]byte) (int, error) }
			w, err = mw.CreateFormFile(p.name, p.file)
			if err == nil {
				_, err = w.Write([]byte(p.value))
			}
		} else {
			err = mw.WriteField(p.name, p.value)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return &b, mw.FormDataContentType()
}

func staged(t *testing.T, db *bun.DB, by int64) int {
	t.Helper()
	n, err := db.NewSelect().Table("files").Where("kind = ? AND created_by = ?", files.KindStaged, by).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// TestFileFieldActions: a block's form with a file field is posted as
// multipart; each attached file is staged in the file store and the block
// gets its token; refused files come back as the field's error on the form
// with what was typed, without asking the block; and the signed state and
// the cross-origin check are as strict as for any form.
func TestFileFieldActions(t *testing.T) {
	const action = "/rooms/inbox/blocks/up/actions/send"
	many := []part{text("note", "lots")}
	for i := range maxFormFiles + 1 {
		many = append(many, file("attachments", fmt.Sprintf("f%d.txt", i), "some text"))
	}
	cases := []struct {
		name string
		// parts are posted after the page's signed state unless
		// noState; header is set on the request.
		parts   []part
		noState bool
		header  map[string]string
		status  int
		shows   []string // on the answer's page
		tokens  int      // attached files the block got; -1: the block is not called
	}{
		{name: "files become tokens", parts: []part{text("note", "hi"), file("attachments", "a.txt", "hello"),
			file("attachments", "b.csv", "x,y\n1,2\n"), file("attachments", "", "")}, status: http.StatusSeeOther, tokens: 2},
		{name: "NUL in a text part", parts: []part{text("note", "a\x00b"), file("attachments", "a.txt", "hello")},
			status: http.StatusUnprocessableEntity, shows: []string{"This contains a NUL character"}, tokens: -1},
		{name: "no file", parts: []part{text("note", "hi"), file("attachments", "", "")}, status: http.StatusSeeOther, tokens: 0},
		{name: "a refused type", parts: []part{text("note", "typed <here>"), file("attachments", "a.txt", "hello"), file("attachments", "run.exe", "MZ")},
			status: http.StatusUnprocessableEntity, shows: []string{"Files of type &#34;.exe&#34; are not accepted.", `value="typed &lt;here&gt;"`, `enctype="multipart/form-data"`}, tokens: -1},
		{name: "contents that lie", parts: []part{file("attachments", "a.txt", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")},
			status: http.StatusUnprocessableEntity, shows: []string{"do not match its .txt extension"}, tokens: -1},
		{name: "too many files", parts: many, status: http.StatusUnprocessableEntity,
			shows: []string{fmt.Sprintf("Attach at most %d files at once.", maxFormFiles), `value="lots"`}, tokens: -1},
		{name: "too large", parts: []part{file("attachments", "big.txt", strings.Repeat("a", 70<<10))}, status: http.StatusUnprocessableEntity,
			shows: []string{"larger than the"}, tokens: -1},
		{name: "no signed state", noState: true, parts: []part{text("note", "hi"), file("attachments", "a.txt", "hello")},
			status: http.StatusSeeOther, tokens: -1},
		{name: "a forged state", noState: true, parts: []part{text("_state", "x.y"), file("attachments", "a.txt", "hello")},
			status: http.StatusSeeOther, tokens: -1},
		{name: "the state after a file", noState: true, parts: []part{file("attachments", "a.txt", "hello"), text("_state", "STATE")},
			status: http.StatusSeeOther, tokens: -1},
		{name: "from another site", parts: []part{file("attachments", "a.txt", "hello")}, header: map[string]string{"Sec-Fetch-Site": "cross-site"},
			status: http.StatusForbidden, tokens: -1},
	}
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		p := newTestPortal(t, db, portalOptions{maxSize: 64 << 10})
		c := p.session(t)
		_, page := p.get(t, c, "/rooms/inbox")
		state := formState(t, page)
		// The block refuses the text: the form comes back saying to attach
		// the file again, and nothing stays staged.
		t.Run("the block refuses the form", func(t *testing.T) {
			p.block.reset()
			p.block.refuse(map[string]string{"note": "Write a longer note."})
			body, ctype := multipartBody(t, []part{text("_state", state), text("note", "x"), file("attachments", "a.txt", "hello")})
			req, _ := http.NewRequest(http.MethodPost, p.URL+action, body)
			req.Header.Set("Content-Type", ctype)
			res, page := p.do(t, c, req)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "Write a longer note.") ||
				!strings.Contains(page, "Attach the file again") {
				t.Errorf("status %d:\n%s", res.StatusCode, page)
			}
			if n := staged(t, db, p.user.ID); n != 0 {
				t.Errorf("%d files left staged by a form the block refused", n)
			}
			p.block.reset()
		})
		// A block that keeps the files (as a host call claiming the tokens
		// does) has them, with their names.
		t.Run("the block keeps the files", func(t *testing.T) {
			p.block.reset()
			var kept []files.File
			p.block.claim = func(tokens []string) error {
				return db.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
					var err error
					kept, err = files.Claim(ctx, tx, p.user.ID, tokens, files.KindShared, nil, "attachments")
					return err
				})
			}
			body, ctype := multipartBody(t, []part{text("_state", state), text("note", "hi"), file("attachments", "a.txt", "hello"),
				file("attachments", "b.csv", "x,y\n1,2\n")})
			req, _ := http.NewRequest(http.MethodPost, p.URL+action, body)
			req.Header.Set("Content-Type", ctype)
			if res, page := p.do(t, c, req); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("status %d:\n%s", res.StatusCode, page)
			}
			if len(kept) != 2 || kept[0].Name != "a.txt" {
				t.Fatalf("kept %+v", kept)
			}
			for _, f := range kept {
				if _, err := p.files.Get(context.Background(), f.ID); err != nil {
					t.Errorf("kept file %d is gone: %v", f.ID, err)
				}
			}
			p.block.reset()
		})
		for _, tt := range cases {
			t.Run(tt.name, func(t *testing.T) {
				p.block.reset()
				parts := tt.parts
				if !tt.noState {
					parts = append([]part{text("_state", state)}, parts...)
				}
				for i := range parts {
					parts[i].value = strings.ReplaceAll(parts[i].value, "STATE", state)
				}
				body, ctype := multipartBody(t, parts)
				req, _ := http.NewRequest(http.MethodPost, p.URL+action, body)
				req.Header.Set("Content-Type", ctype)
				for k, v := range tt.header {
					req.Header.Set(k, v)
				}
				res, page := p.do(t, c, req)
				if res.StatusCode != tt.status {
					t.Fatalf("status %d, want %d:\n%s", res.StatusCode, tt.status, page)
				}
				for _, s := range tt.shows {
					if !strings.Contains(page, s) {
						t.Errorf("the page does not show %q:\n%s", s, page)
					}
				}
				calls := p.block.calls()
				if tt.tokens < 0 {
					if len(calls) != 0 {
						t.Fatalf("the block was called with %v", calls)
					}
					if n := staged(t, db, p.user.ID); n != 0 {
						t.Errorf("%d files left staged by a refused form", n)
					}
					return
				}
				if len(calls) != 1 {
					t.Fatalf("the block got %d actions, want 1", len(calls))
				}
				got := calls[0]
				if got.Get("note") != "hi" || got.Has("_state") {
					t.Errorf("values %v: want the note and not the portal's state", got)
				}
				tokens := got["attachments"]
				if len(tokens) != tt.tokens {
					t.Fatalf("attachments %q, want %d tokens", tokens, tt.tokens)
				}
				// The block did not keep the files: nothing stays staged.
				if n := staged(t, db, p.user.ID); n != 0 {
					t.Errorf("%d files the action did not claim stay staged", n)
				}
			})
		}
	})
}

// TestUrlencodedActionsStillWork: a form without files is taken as before,
// and refused without its state.
func TestUrlencodedActionsStillWork(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		p := newTestPortal(t, db, portalOptions{})
		c := p.session(t)
		_, page := p.get(t, c, "/rooms/inbox")
		post := func(form url.Values) int {
			req, _ := http.NewRequest(http.MethodPost, p.URL+"/rooms/inbox/blocks/up/actions/send", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res, _ := p.do(t, c, req)
			return res.StatusCode
		}
		if code := post(url.Values{"note": {"hi"}}); code != http.StatusSeeOther || len(p.block.calls()) != 0 {
			t.Fatalf("without its state: %d, %d calls; want a redirect and no call", code, len(p.block.calls()))
		}
		if code := post(url.Values{"_state": {formState(t, page)}, "note": {"hi"}}); code != http.StatusSeeOther {
			t.Fatalf("status %d", code)
		}
		if calls := p.block.calls(); len(calls) != 1 || calls[0].Get("note") != "hi" {
			t.Fatalf("calls %v, want one with the note", calls)
		}
	})
}
