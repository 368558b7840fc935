package api

import (
	"context"
	"net/http"

	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/room"
	"github.com/danielgtaylor/huma/v2"
)

func (a *API) registerProgram() {
	for _, r := range []route{
		bind(op("get-program", http.MethodGet, "/api/v1/program", "The program's vocabulary and branding", SignedIn, "Program"), a.getProgram),
		bind(op("put-program", http.MethodPut, "/api/v1/program", "Replace the program (checked against every room)", Admin, "Program"), a.putProgram),
	} {
		r(a.huma)
	}
}

type programBody struct {
	Body program.Program
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

func (a *API) getProgram(ctx context.Context, _ *struct{}) (*programBody, error) {
	p := a.Catalog.Current().Program
	if !caller(ctx).Staff() {
		p.EmbedHosts = nil // operational detail partners need not see
	}
	return &programBody{p}, nil
}

func (a *API) putProgram(ctx context.Context, in *programBody) (*programBody, error) {
	p := in.Body
	if _, err := a.Rooms.Apply(ctx, nil, room.ApplyOptions{Program: &p}); err != nil {
		return nil, a.programProblem(err)
	}
	a.Catalog.Refresh(ctx)
	return &programBody{p}, nil
}
