package fail

import (
	"errors"
	"fmt"
	"testing"

	"github.com/atriumhq/atrium/core/i18n"
)

func TestCodeAndMessage(t *testing.T) {
	wrapped := fmt.Errorf("load lead: %w", NotFoundf("Lead not found."))
	if CodeOf(wrapped) != NotFound || Message(wrapped) != "Lead not found." {
		t.Errorf("wrapped error lost its code or message: %v", wrapped)
	}
	internal := errors.New("pq: connection refused to 10.0.0.3")
	if CodeOf(internal) != Internal || Message(internal) == internal.Error() {
		t.Errorf("internal detail reached the user message: %q", Message(internal))
	}
	if Fields(nil) != nil {
		t.Error("Fields(nil) is not nil")
	}
	err := Fields(map[string]string{"b": "bad", "a": "missing"})
	if CodeOf(err) != Invalid || err.Error() != "Please correct the highlighted fields.; a: missing; b: bad" {
		t.Errorf("got %q", err)
	}
}

// TestWordedForTheReader: a catalogue message reads English in logs and
// the API, and in the reader's language where the edge words it; a message
// without a catalogue id stays as it is.
func TestWordedForTheReader(t *testing.T) {
	p := Problems{}
	p.Add("comment", "invalid.fields")
	err := p.Err()
	e := As(err)
	e.Fields["legacy"] = "plain English"
	for _, tc := range []struct {
		lang, message, comment string
	}{
		{"en", "Please correct the highlighted fields.", "Please correct the highlighted fields."},
		{"de", "Bitte korrigieren Sie die markierten Felder.", "Bitte korrigieren Sie die markierten Felder."},
		{"es", "Corrige los campos marcados.", "Corrige los campos marcados."},
	} {
		got := e.In(i18n.Locale(tc.lang))
		if got.Message != tc.message || got.Fields["comment"] != tc.comment || got.Fields["legacy"] != "plain English" || got.Code != Invalid {
			t.Errorf("%s: %+v", tc.lang, got)
		}
	}
	if e.Message != "Please correct the highlighted fields." || e.Fields["comment"] != "Please correct the highlighted fields." {
		t.Errorf("wording for a reader changed the error itself: %+v", e)
	}
	if (Problems{}).Err() != nil {
		t.Error("no problems is not nil")
	}
	m := Msg(NotFound, "invalid.internal")
	if m.Message != "Something went wrong on our side." || m.In(i18n.Locale("de")).Message != "Bei uns ist etwas schiefgelaufen." {
		t.Errorf("Msg: %q", m.Message)
	}
}

func TestMerge(t *testing.T) {
	p := Problems{}
	p.Merge(Field("a", "invalid.fields"))
	p.Merge(Fields(map[string]string{"b": "plain English"}))
	p.Merge(errors.New("not a refusal"))
	e := As(p.Err()).In(i18n.Locale("de"))
	if len(e.Fields) != 2 || e.Fields["a"] != "Bitte korrigieren Sie die markierten Felder." || e.Fields["b"] != "plain English" {
		t.Errorf("merged: %+v", e.Fields)
	}
}

// TestWordedValues: a value that is itself a catalogue message is worded
// in the reader's language with the message it sits in; a plain one is
// shown as it is.
func TestWordedValues(t *testing.T) {
	for _, tc := range []struct {
		lang string
		to   any
		want string
	}{
		{"en", T("invalid.status.paid"), "a pending commission cannot become paid"},
		{"de", T("invalid.status.paid"), "eine Provision im Status „Ausstehend“ kann nicht in „Bezahlt“ wechseln"},
		{"de", Text{Plain: "refunded"}, "eine Provision im Status „Ausstehend“ kann nicht in „refunded“ wechseln"},
	} {
		e := Msg(Invalid, "invalid.commission.move", "From", T("invalid.status.pending"), "To", tc.to)
		if got := e.In(i18n.Locale(tc.lang)).Message; got != tc.want {
			t.Errorf("%s: %q, want %q", tc.lang, got, tc.want)
		}
	}
}
