package api

import (
	"context"
	"net/http"

	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/room"
	"github.com/danielgtaylor/huma/v2"
)

type programBody struct {
	Body program.Program
}

func (a *API) registerProgram() {
	huma.Register(a.huma, op("get-program", http.MethodGet, "/api/v1/program", "The program's vocabulary and branding", SignedIn, "Program"),
		func(ctx context.Context, _ *struct{}) (*programBody, error) {
			p := a.Catalog.Current().Program
			if !caller(ctx).Staff() {
				p.EmbedHosts = nil // operational detail partners need not see
			}
			return &programBody{p}, nil
		})
	huma.Register(a.huma, op("put-program", http.MethodPut, "/api/v1/program", "Replace the program (checked against every room)", Admin, "Program"),
		func(ctx context.Context, in *programBody) (*programBody, error) {
			p := in.Body
			if _, err := a.Rooms.Apply(ctx, nil, room.ApplyOptions{Program: &p}); err != nil {
				return nil, a.programProblem(err)
			}
			a.Catalog.Refresh(ctx)
			return &programBody{p}, nil
		})
}

// programProblem reports a refused program: its own field errors, or the
// rooms that still use what it removes.
func (a *API) programProblem(err error) error {
	var ve *room.ValidationError
	if !asValidation(err, &ve) {
		return a.problem(err)
	}
	details := make([]error, 0, len(ve.Problems))
	for _, p := range ve.Problems {
		msg := p.Message
		loc := "body"
		if p.Path == "program" {
			details = append(details, &huma.ErrorDetail{Location: "body", Message: msg})
			continue
		}
		details = append(details, &huma.ErrorDetail{Location: loc, Message: p.Path + ": " + msg})
	}
	return huma.Error422UnprocessableEntity("The program is not valid; nothing was changed.", details...)
}
