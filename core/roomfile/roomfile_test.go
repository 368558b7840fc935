package roomfile_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/core/registry"
	"github.com/atriumhq/atrium/core/room"
	"github.com/atriumhq/atrium/core/roomfile"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
	"github.com/atriumhq/atrium/sdk/ui"
)

type textBlock struct{}

func (textBlock) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{Name: "text", Title: "Text", ConfigSchema: json.RawMessage(`{"type":"object","required":["markdown"],
		"additionalProperties":false,"properties":{"markdown":{"type":"string","minLength":1},"height":{"type":"integer"}}}`)}
}
func (textBlock) Render(context.Context, sdk.RenderRequest) (ui.Component, error) {
	return ui.Text{}, nil
}

func service(t *testing.T) *room.Service {
	reg := registry.New()
	if err := reg.Register(sdk.Plugin{ID: "t", Blocks: []sdk.BlockType{textBlock{}}}); err != nil {
		t.Fatal(err)
	}
	return room.NewService(storetest.Open(t), reg)
}

func TestLoadGoodFolder(t *testing.T) {
	docs, err := roomfile.Load("testdata/good")
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, d := range docs {
		kinds = append(kinds, d.Kind)
	}
	if strings.Join(kinds, ",") != "Program,Room,Room,Room" {
		t.Fatalf("kinds = %v", kinds)
	}
	tr := docs[3].Room
	if tr.Slug != "training" || tr.Audience.MinTier != "silver" || len(tr.Blocks) != 2 || tr.Position != 40 {
		t.Errorf("training room decoded as %+v", tr)
	}
	if !strings.Contains(string(tr.Blocks[0].Config), `## Welcome\n\nStart with`) {
		t.Errorf("multi-line markdown lost: %s", tr.Blocks[0].Config)
	}
	if got := docs[3].LineOf("blocks[1].audience.roles"); got != 23 {
		t.Errorf("line of blocks[1].audience.roles = %d, want 23", got)
	}
	if got := docs[3].LineOf("blocks[0].config.markdown.nothing"); got != 17 {
		t.Errorf("line of an unknown path falls back to %d, want 17 (the nearest parent)", got)
	}
}

func TestProblemsNameFileLineAndPath(t *testing.T) {
	_, err := roomfile.Load("testdata/bad")
	var fe *roomfile.Error
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want *roomfile.Error", err)
	}
	text := fe.Error()
	for _, want := range []string{
		filepath.Join("testdata", "bad", "broken.yaml") + ":3: invalid YAML: did not find expected ',' or ']'",
		filepath.Join("testdata", "bad", "typos.yaml") + ":7: blokcs: unknown field",
		filepath.Join("testdata", "bad", "typos.yaml") + ":6: position: got string, want integer",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("problems:\n%s\nwant a line containing %q", text, want)
		}
	}
}

func TestParseRejects(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"wrong apiVersion":   {"apiVersion: v2\nkind: Room\n", `:1: apiVersion: must be "atrium/v1"`},
		"unknown kind":       {"apiVersion: atrium/v1\nkind: Partner\n", ":2: kind: must be Room or Program"},
		"not a mapping":      {"- a\n- b\n", "must be a mapping"},
		"duplicate key":      {"apiVersion: atrium/v1\nkind: Room\nkind: Room\n", "kind appears twice"},
		"bad block id":       {"apiVersion: atrium/v1\nkind: Room\nslug: a\ntitle: A\npartnerTypes: [referral]\nblocks:\n  - id: Bad Id\n    type: text\n", ":7: blocks[0].id: "},
		"missing required":   {"apiVersion: atrium/v1\nkind: Room\nslug: a\n", "missing properties 'title', 'partnerTypes'"},
		"alias bomb guarded": {bomb(), "document too large"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := roomfile.Parse("x.yaml", []byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// bomb is the "billion laughs" attack in YAML aliases.
func bomb() string {
	s := "apiVersion: atrium/v1\nkind: Room\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
	for i := 1; i < 8; i++ {
		s += "a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [*a" + string(rune('0'+i-1)) + ", *a" + string(rune('0'+i-1)) + ", *a" + string(rune('0'+i-1)) + ", *a" + string(rune('0'+i-1)) + ", *a" + string(rune('0'+i-1)) + ", *a" + string(rune('0'+i-1)) + ", *a" + string(rune('0'+i-1)) + ", *a" + string(rune('0'+i-1)) + ", *a" + string(rune('0'+i-1)) + ", *a" + string(rune('0'+i-1)) + "]\n"
	}
	return s
}

func TestApplyReportsServiceProblemsAtTheirLine(t *testing.T) {
	svc := service(t)
	docs, err := roomfile.Parse("rooms/training.yaml", []byte(`apiVersion: atrium/v1
kind: Room
slug: training
title: Training
partnerTypes: [referral]
audience:
  minTier: gould
blocks:
  - id: welcome
    type: text
    config:
      markdown: ""
  - id: quiz
    type: acme/quiz
`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = roomfile.Apply(context.Background(), svc, docs, room.ApplyOptions{})
	if err == nil {
		t.Fatal("applied a broken room")
	}
	for _, want := range []string{
		`rooms/training.yaml:7: audience.minTier: unknown tier "gould"`,
		`rooms/training.yaml:12: blocks[0].config.markdown: `,
		`rooms/training.yaml:14: blocks[1].type: unknown block type "acme/quiz"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("problems:\n%v\nwant %q", err, want)
		}
	}
}

func TestExportRoundTrips(t *testing.T) {
	svc := service(t)
	ctx := context.Background()
	docs, err := roomfile.Load("testdata/good")
	if err != nil {
		t.Fatal(err)
	}
	res, err := roomfile.Apply(ctx, svc, docs, room.ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Created) != 3 || !res.ProgramChanged {
		t.Fatalf("first apply: %+v", res)
	}
	rooms, _ := svc.List(ctx)
	dir := t.TempDir()
	files, err := roomfile.WriteDir(dir, program.Default(), rooms, nil)
	if err != nil || len(files) != 4 {
		t.Fatalf("export: %v, %v", files, err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "training.yaml"))
	if !strings.Contains(string(b), "markdown: |") || !strings.Contains(string(b), "partnerTypes: [referral, reseller]") {
		t.Errorf("export is not the readable form:\n%s", b)
	}
	// Re-applying the exported rooms (not the program, which the test
	// exported as the default) changes nothing.
	again, err := roomfile.Load(filepath.Join(dir, "training.yaml"), filepath.Join(dir, "support-referral.yaml"), filepath.Join(dir, "support-others.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	res, err = roomfile.Apply(ctx, svc, again, room.ApplyOptions{})
	if err != nil || res.Changes() != 0 || len(res.Unchanged) != 3 {
		t.Errorf("re-apply of export: %+v, %v", res, err)
	}
}

// TestProgramNetworkRoundTrips: the two-tier rule is written to a program
// file and read back as it was, and a file without it keeps the default.
func TestProgramNetworkRoundTrips(t *testing.T) {
	p := program.Default()
	p.Network = &program.Network{ParentTypes: []string{"distributor", "reseller"}, ManagersReachSubPartners: true}
	b, err := roomfile.MarshalProgram(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "parentTypes: [distributor, reseller]") {
		t.Errorf("export is not the readable form:\n%s", b)
	}
	docs, err := roomfile.Parse("program.yaml", b)
	if err != nil || len(docs) != 1 || docs[0].Program == nil {
		t.Fatalf("parse: %v, %+v", err, docs)
	}
	if got := docs[0].Program.Network; got == nil || !got.ManagersReachSubPartners || strings.Join(got.ParentTypes, ",") != "distributor,reseller" {
		t.Errorf("network read back as %+v", got)
	}
	plain, err := roomfile.MarshalProgram(program.Default())
	if err != nil {
		t.Fatal(err)
	}
	if docs, err = roomfile.Parse("program.yaml", plain); err != nil || docs[0].Program.Network != nil ||
		!docs[0].Program.Networks().IsParentType("distributor") {
		t.Errorf("a file without a network rule: %v, %+v", err, docs[0].Program.Network)
	}
}
