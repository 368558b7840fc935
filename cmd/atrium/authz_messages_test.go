package main

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/messages"
	"github.com/atriumhq/atrium/core/reach"
	sm "github.com/atriumhq/atrium/sdk/messages"
)

// resolveMessages makes the conversation the matrix in
// testdata/authz/messages.yaml names: Lisa writes to Mike, Carlos & Co's
// manager, with a file ({thread}, {message}, {messageFile}).
func resolveMessages(t testing.TB, p *testPortal, vars map[string]string) {
	ctx := context.Background()
	s := p.services(t)
	lisa, err := s.dir.UserByEmail(ctx, "lisa@carlosco.example")
	if err != nil {
		t.Fatal(err)
	}
	carlos, err := s.dir.Partner(ctx, *lisa.PartnerID)
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := s.content.Files.Stage(ctx, lisa.ID, files.Upload{Name: "terms.txt", Body: strings.NewReader("Two years.\n")})
	if err != nil {
		t.Fatal(err)
	}
	svc := messages.New(s.db, s.dir, reach.New(s.db), messages.Options{Files: s.content.Files})
	d, err := svc.Start(ctx, lisa.Viewer(&carlos), sm.Start{Subject: "Renewal", Body: "Can we talk about the renewal?", Attachments: []string{token}})
	if err != nil {
		t.Fatal(err)
	}
	vars["thread"] = strconv.FormatInt(d.Thread.ID, 10)
	vars["message"] = strconv.FormatInt(d.Messages[0].ID, 10)
	vars["messageFile"] = strconv.FormatInt(d.Messages[0].Attachments[0].FileID, 10)
}

func init() { authzResolvers = append(authzResolvers, resolveMessages) }
