// Package fail is the portal's one error type: a code that the web and API
// layers map to an HTTP status, a message that is safe to show a user, and
// per-field messages for forms. Internal errors keep their detail for the
// log and show users only a generic message.
package fail

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
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

// New returns an error with a code and a message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Fields returns an Invalid error with messages per field. It returns nil
// when fields is empty, so callers can collect and return in one step.
func Fields(fields map[string]string) error {
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Message: "Please correct the highlighted fields.", Fields: fields}
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
	return &Error{Code: Internal, Message: "Something went wrong on our side.", Err: err}
}

// Message is the text to show a user for err.
func Message(err error) string { return As(err).Message }
