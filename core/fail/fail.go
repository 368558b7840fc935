// Package fail is the portal's one error type: a code that the web and API
// layers map to an HTTP status, a message that is safe to show a user, and
// per-field messages for forms. Internal errors keep their detail for the
// log and show users only a generic message.
//
// A message a person can trigger is built from the portal's message
// catalogue ([Msg], [Field], [Problems]): the error keeps the catalogue id
// beside the English text, so logs and the REST API read English while the
// edge that shows the error to a person words it in their language
// ([Error.In]).
package fail

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/atriumhq/atrium/core/i18n"
	sdki18n "github.com/atriumhq/atrium/sdk/i18n"
)

// Code classifies an error for the edge.
type Code string

// The codes.
const (
	Internal     Code = "internal"
	Invalid      Code = "invalid"      // bad input; see Fields
	NotFound     Code = "not_found"    // also used for "exists, but not for you"
	Conflict     Code = "conflict"     // the change clashes with existing data
	Unauthorized Code = "unauthorized" // not signed in
	Forbidden    Code = "forbidden"    // signed in, not allowed, and existence is not secret
	TooMany      Code = "too_many"     // rate limited
)

// Error is an error with a code and a user-safe message.
type Error struct {
	Code    Code
	Message string
	// Fields maps a field name (or path) to what is wrong with it.
	Fields map[string]string
	// Err is the underlying cause, for logs only.
	Err error
	// Text is the catalogue message behind Message, and FieldTexts the
	// ones behind Fields, so that the edge can word them in the reader's
	// language; a message without one is shown as it is.
	Text       *Text
	FieldTexts map[string]Text
}

// Text is a message of the portal's catalogue: its id and the values for
// its {{.Name}}s, as pairs of a name and a value ("Max", 2000). A value
// that is itself a Text (a status's name, say) is worded in the same
// language.
type Text struct {
	ID   string
	Args []any
	// Plain is a message without a catalogue id (ID is ""), shown as it
	// is in every language: what an error built from English text carries
	// when it is merged with catalogue messages.
	Plain string
}

// In words the message in l's language.
func (t Text) In(l *sdki18n.Locale) string {
	if t.ID == "" {
		return t.Plain
	}
	var worded []any // a copy, made only when a value needs wording
	for i, a := range t.Args {
		if inner, ok := a.(Text); ok {
			if worded == nil {
				worded = slices.Clone(t.Args)
			}
			worded[i] = inner.In(l)
		}
	}
	if worded == nil {
		return l.T(t.ID, t.Args...)
	}
	return l.T(t.ID, worded...)
}

// T is the Text of a catalogue id, for a value worded inside another
// message.
func T(id string, args ...any) Text { return Text{ID: id, Args: args} }

// English is the message as the English catalogue words it: what logs and
// the REST API show.
func (t Text) English() string { return t.In(i18n.Locale("en")) }

// In returns a copy of e with Message and Fields worded in l's language.
// Messages that came without a catalogue id stay as they are.
func (e *Error) In(l *sdki18n.Locale) *Error {
	out := *e
	if e.Text != nil {
		out.Message = e.Text.In(l)
	}
	if len(e.FieldTexts) > 0 {
		out.Fields = maps.Clone(e.Fields)
		for k, t := range e.FieldTexts {
			out.Fields[k] = t.In(l)
		}
	}
	return &out
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	for _, k := range slices.Sorted(maps.Keys(e.Fields)) {
		fmt.Fprintf(&b, "; %s: %s", k, e.Fields[k])
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error with a code and a message in English only; a
// message a person can cause is better built with [Msg].
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Msg returns an error with a code and a message of the catalogue (id,
// and its arguments as name and value pairs).
func Msg(code Code, id string, args ...any) *Error {
	t := Text{ID: id, Args: args}
	return &Error{Code: code, Message: t.English(), Text: &t}
}

// checkFields is the catalogue id of an Invalid error's message: the
// fields say the rest.
const checkFields = "invalid.fields"

// Fields returns an Invalid error with messages per field. It returns nil
// when fields is empty, so callers can collect and return in one step.
// The field messages are English only; [Problems] carries translatable
// ones.
func Fields(fields map[string]string) error {
	if len(fields) == 0 {
		return nil
	}
	t := Text{ID: checkFields}
	return &Error{Code: Invalid, Message: t.English(), Text: &t, Fields: fields}
}

// Problems collects what is wrong with a form, field by field, as
// catalogue messages.
type Problems map[string]Text

// Add records the problem of a field: a catalogue id and its arguments.
func (p Problems) Add(field, id string, args ...any) {
	p[field] = Text{ID: id, Args: args}
}

// Has reports whether a field has a problem already.
func (p Problems) Has(field string) bool {
	_, ok := p[field]
	return ok
}

// English returns the problems as the English catalogue words them, by
// field: for callers that speak English only (the CLI's file checks).
func (p Problems) English() map[string]string {
	out := make(map[string]string, len(p))
	for k, t := range p {
		out[k] = t.English()
	}
	return out
}

// Merge adds the field problems of err, an Invalid error, to p (a later
// problem of a field replaces an earlier one).
func (p Problems) Merge(err error) {
	var e *Error
	if !errors.As(err, &e) {
		return
	}
	for k, msg := range e.Fields {
		if t, ok := e.FieldTexts[k]; ok {
			p[k] = t
		} else {
			p[k] = Text{Plain: msg}
		}
	}
}

// Err returns an Invalid error with the problems, or nil when there are
// none, so callers can collect and return in one step.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	t := Text{ID: checkFields}
	e := &Error{Code: Invalid, Message: t.English(), Text: &t, Fields: make(map[string]string, len(p)), FieldTexts: maps.Clone(p)}
	for k, ft := range p {
		e.Fields[k] = ft.English()
	}
	return e
}

// Refused returns an Invalid error whose one problem is both the message
// and its field's: for a refusal a form shows beside a field and on top.
func Refused(field, id string, args ...any) error {
	t := Text{ID: id, Args: args}
	en := t.English()
	return &Error{Code: Invalid, Message: en, Text: &t, Fields: map[string]string{field: en}, FieldTexts: map[string]Text{field: t}}
}

// Field returns an Invalid error for one field's problem.
func Field(field, id string, args ...any) error {
	p := Problems{}
	p.Add(field, id, args...)
	return p.Err()
}

// NotFoundf is the error for a missing record, or one the viewer may not see.
func NotFoundf(format string, args ...any) *Error { return New(NotFound, format, args...) }

// CodeOf returns the code of err, or Internal for an error without one.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns err as an *Error, wrapping anything else as Internal.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	t := Text{ID: "invalid.internal"}
	return &Error{Code: Internal, Message: t.English(), Text: &t, Err: err}
}

// Message is the text to show a user for err.
func Message(err error) string { return As(err).Message }
