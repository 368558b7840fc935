package roomfile

import (
	"context"
	"errors"
	"fmt"

	"github.com/atriumhq/atrium/core/room"
)

// Applier is the room service as apply needs it.
type Applier interface {
	Apply(ctx context.Context, rooms []room.Room, opts room.ApplyOptions) (room.Result, error)
}

// Apply applies the documents in one transaction: the program first (at most
// one Program document), then every room. Problems found by the room service
// are reported against the file and line they come from, as an *Error.
func Apply(ctx context.Context, svc Applier, docs []Document, opts room.ApplyOptions) (room.Result, error) {
	var rooms []room.Room
	var from []Document
	var programDoc *Document
	for i, d := range docs {
		switch d.Kind {
		case KindRoom:
			rooms = append(rooms, *d.Room)
			from = append(from, d)
		case KindProgram:
			if programDoc != nil {
				return room.Result{}, &Error{[]Problem{{File: d.File, Line: d.Line, Message: fmt.Sprintf("a second Program document (the first is in %s:%d)", programDoc.File, programDoc.Line)}}}
			}
			programDoc = &docs[i]
			opts.Program = d.Program
		}
	}
	res, err := svc.Apply(ctx, rooms, opts)
	var ve *room.ValidationError
	if !errors.As(err, &ve) {
		return res, err
	}
	out := &Error{}
	for _, p := range ve.Problems {
		switch {
		case p.Index >= 0 && p.Index < len(from):
			d := from[p.Index]
			out.Problems = append(out.Problems, Problem{File: d.File, Line: d.LineOf(p.Path), Path: p.Path, Message: p.Message})
		case p.Path == "program" && programDoc != nil:
			for _, line := range splitLines(p.Message) {
				path, msg := splitField(line)
				out.Problems = append(out.Problems, Problem{File: programDoc.File, Line: programDoc.LineOf(path), Path: path, Message: msg})
			}
		default:
			out.Problems = append(out.Problems, Problem{File: "(rooms)", Path: p.Path, Message: p.Message})
		}
	}
	return res, out
}

func splitLines(s string) []string {
	var out []string
	for len(s) > 0 {
		i := 0
		for i < len(s) && s[i] != '\n' {
			i++
		}
		out = append(out, s[:i])
		if i < len(s) {
			i++
		}
		s = s[i:]
	}
	return out
}

// splitField splits "tiers[1]: unknown" into the field path and the message.
func splitField(line string) (string, string) {
	for i := 0; i+1 < len(line); i++ {
		if line[i] == ':' && line[i+1] == ' ' {
			field := line[:i]
			for _, c := range field {
				if c == ' ' {
					return "", line
				}
			}
			return field, line[i+2:]
		}
	}
	return "", line
}
