package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// Each file of the API starts with the list of its operations, one line
// each: method, path, summary, access and the named handler, the way a
// reader looks for them.

// route is one operation bound to its handler, ready to register.
type route func(huma.API)

// bind pairs an operation with its named handler, so a file's operations
// read as one list.
func bind[I, O any](o huma.Operation, handler func(context.Context, *I) (*O, error)) route {
	return func(api huma.API) { huma.Register(api, o, handler) }
}

// created answers 201 on success.
func created(o huma.Operation) huma.Operation {
	o.DefaultStatus = http.StatusCreated
	return o
}

// noContent answers 204 on success.
func noContent(o huma.Operation) huma.Operation {
	o.DefaultStatus = http.StatusNoContent
	return o
}

// accepted answers 202 on success.
func accepted(o huma.Operation) huma.Operation {
	o.DefaultStatus = http.StatusAccepted
	return o
}

// body is a JSON response body.
type body[T any] struct{ Body T }

// wrapBody answers v, or the problem err describes.
func wrapBody[T any](v T, err error, a *API) (*body[T], error) {
	if err != nil {
		return nil, a.problem(err)
	}
	return &body[T]{v}, nil
}
