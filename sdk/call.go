package sdk

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Method is one typed host API call. Declaring calls as values rather than as
// methods on [Host] keeps the interface stable as the portal grows: a new
// capability publishes new Methods, the gRPC protocol carries them all through
// one generic call, and an older plugin keeps working against a newer host.
//
//	var ListLeads = sdk.Method[LeadQuery, LeadPage]{Name: "pipeline.leads.list", Permission: "pipeline:read"}
//	page, err := ListLeads.Call(ctx, req.Host, LeadQuery{Status: "new"})
type Method[Req, Resp any] struct {
	// Name is "area.object.verb", unique across the host API.
	Name string
	// Permission is what a plugin's manifest must ask for to make the call;
	// empty means any plugin may.
	Permission string
}

// Call runs the method on h as h's viewer.
func (m Method[Req, Resp]) Call(ctx context.Context, h Host, req Req) (Resp, error) {
	var out Resp
	if h == nil {
		return out, fmt.Errorf("%s: no host", m.Name)
	}
	err := h.Call(ctx, m.Name, req, &out)
	return out, err
}

// CallError is a host call's refusal that the plugin can act on: a code and,
// for invalid input, the problems per field. It crosses the gRPC boundary
// intact, and errors.Is matches it against [ErrNotFound] and [ErrPermission].
type CallError struct {
	Code    string            `json:"code"` // "not_found", "permission", "invalid", "conflict", "unknown_method"
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// Error codes of a CallError.
const (
	CodeNotFound      = "not_found"
	CodePermission    = "permission"
	CodeInvalid       = "invalid"
	CodeConflict      = "conflict"
	CodeUnknownMethod = "unknown_method"
)

func (e *CallError) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(e.Message)
	for i, k := range keys {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(k + " " + e.Fields[k])
	}
	return b.String()
}

// Is lets errors.Is(err, ErrNotFound) hold for a not_found CallError.
func (e *CallError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.Code == CodeNotFound
	case ErrPermission:
		return e.Code == CodePermission
	case ErrUnknownMethod:
		return e.Code == CodeUnknownMethod
	}
	return false
}

// InvalidInput returns a CallError for input that breaks the rules, field by field.
func InvalidInput(message string, fields map[string]string) error {
	return &CallError{Code: CodeInvalid, Message: message, Fields: fields}
}

// AsCallError turns any error into the CallError that crosses a process
// boundary: sentinel errors map to their codes, anything else to a plain
// message with no code.
func AsCallError(err error) *CallError {
	if err == nil {
		return nil
	}
	var ce *CallError
	if errors.As(err, &ce) {
		return ce
	}
	switch {
	case errors.Is(err, ErrNotFound):
		return &CallError{Code: CodeNotFound, Message: err.Error()}
	case errors.Is(err, ErrPermission):
		return &CallError{Code: CodePermission, Message: err.Error()}
	case errors.Is(err, ErrUnknownMethod):
		return &CallError{Code: CodeUnknownMethod, Message: err.Error()}
	}
	return &CallError{Message: err.Error()}
}
