package theme

import (
	"net/url"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/sdk/ui"
)

// TestFormReplayGoesToItsForm: an item page has several forms whose fields
// share names ("comment"); a submitted form's values and errors come back
// in that form only, beside its fields.
func TestFormReplayGoesToItsForm(t *testing.T) {
	th := load(t, "")
	tree := ui.Stack{Children: ui.Children{
		ui.Form{Action: ui.Action{Name: "status", State: "7"}, Fields: []ui.Field{{Name: "comment", Label: "Comment"}}},
		ui.Form{Action: ui.Action{Name: "comment", State: "7"}, Fields: []ui.Field{{Name: "comment", Label: "Comment"}}},
	}}
	for _, tt := range []struct {
		action            string
		typedIn, errorsIn string // the form's id prefix that must show them
	}{
		{"comment", "b-intro-3", "b-intro-3"},
		{"status", "b-intro-2", "b-intro-2"},
	} {
		x := blockContext()
		x.Values = url.Values{"comment": {"typed <text>"}}
		x.Errors = map[string]string{"comment": "Say what happened"}
		x.FormError = "Please check the highlighted fields."
		x.FormAction = tt.action
		out, err := th.Component(tree, x)
		if err != nil {
			t.Fatal(err)
		}
		html := string(out)
		if n := strings.Count(html, "typed &lt;text&gt;"); n != 1 {
			t.Errorf("%s: typed value shown %d times, want once", tt.action, n)
		}
		if n := strings.Count(html, "Say what happened"); n != 1 {
			t.Errorf("%s: field error shown %d times, want once", tt.action, n)
		}
		if n := strings.Count(html, "Please check the highlighted fields."); n != 1 {
			t.Errorf("%s: form error shown %d times, want once", tt.action, n)
		}
		if !strings.Contains(html, `<p class="field-error" id="`+tt.errorsIn+`-comment-error">`) {
			t.Errorf("%s: the error is not beside the submitted form's field:\n%s", tt.action, html)
		}
		if !strings.Contains(html, `id="`+tt.typedIn+`-comment" name="comment" rows="5"`) && !strings.Contains(html, `id="`+tt.typedIn+`-comment" name="comment" value="typed &lt;text&gt;"`) {
			t.Errorf("%s: the typed value is not in the submitted form:\n%s", tt.action, html)
		}
	}
}

// TestFormReplayTellsRowsApart: a ledger has a "pay" form on each row; the
// refused row's form alone gets the errors, told apart by its state.
func TestFormReplayTellsRowsApart(t *testing.T) {
	th := load(t, "")
	row := func(id string) ui.Form {
		return ui.Form{Action: ui.Action{Name: "pay", State: id}, Fields: []ui.Field{{Name: "reference", Label: "Reference"}}}
	}
	x := blockContext()
	x.Values = url.Values{"reference": {"typed-ref"}}
	x.Errors = map[string]string{"reference": "Give the payment's reference"}
	x.FormAction, x.FormState = "pay", "42"
	out, err := th.Component(ui.Stack{Children: ui.Children{row("41"), row("42"), row("43")}}, x)
	if err != nil {
		t.Fatal(err)
	}
	html := string(out)
	if strings.Count(html, "Give the payment") != 1 || strings.Count(html, "typed-ref") != 1 {
		t.Fatalf("the error or the typed value is not on exactly one row:\n%s", html)
	}
	if !strings.Contains(html, `id="b-intro-3-reference-error"`) {
		t.Errorf("the error is not on row 42's form (the second):\n%s", html)
	}
}

// TestFileFields: a form with a file field is sent as multipart, the field
// takes several files when asked, its error shows beside it, and what was
// submitted (tokens of stored files) is never written back into it; a form
// without one stays urlencoded.
func TestFileFields(t *testing.T) {
	th := load(t, "")
	for _, tt := range []struct {
		name      string
		form      ui.Form
		multipart bool
		input     string
	}{
		{"several files", ui.Form{Action: ui.Action{Name: "send"}, Fields: []ui.Field{{Name: "body", Label: "Message"},
			{Name: "attachments", Label: "Attachments", Type: "file", Multiple: true}}}, true,
			`<input type="file" id="b-intro-1-attachments" name="attachments" multiple aria-describedby="b-intro-1-attachments-error" aria-invalid="true">`},
		{"one file", ui.Form{Action: ui.Action{Name: "send"}, Fields: []ui.Field{{Name: "attachments", Label: "Attachment", Type: "file", Required: true}}}, true,
			`<input type="file" id="b-intro-1-attachments" name="attachments" required aria-describedby="b-intro-1-attachments-error" aria-invalid="true">`},
		{"no file", ui.Form{Action: ui.Action{Name: "send"}, Fields: []ui.Field{{Name: "attachments", Label: "Note", Multiple: true}}}, false,
			`<input type="text" id="b-intro-1-attachments" name="attachments" value="17"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			x := blockContext()
			x.Values = url.Values{"attachments": {"17"}}
			x.Errors = map[string]string{"attachments": `Files of type ".exe" are not accepted.`}
			out, err := th.Component(tt.form, x)
			if err != nil {
				t.Fatal(err)
			}
			html := string(out)
			if got := strings.Contains(html, `enctype="multipart/form-data"`); got != tt.multipart {
				t.Errorf("multipart %v, want %v:\n%s", got, tt.multipart, html)
			}
			if !strings.Contains(html, tt.input) {
				t.Errorf("want the input\n%s\nin\n%s", tt.input, html)
			}
			if !strings.Contains(html, "Files of type &#34;.exe&#34; are not accepted.") {
				t.Errorf("the field's error is missing:\n%s", html)
			}
			assertCSPSafe(t, html)
		})
	}
}
