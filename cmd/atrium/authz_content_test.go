package main

import (
	"context"
	"strconv"
	"testing"

	"github.com/atriumhq/atrium/core/library"
)

// The content matrix names demo files: a file of Carlos & Co's shared space
// ({sharedFile}, two versions), the reseller price list ({resellerFile}, a
// resource only resellers and distributors see) and its resource.
func init() { authzResolvers = append(authzResolvers, resolveContent) }

func resolveContent(t testing.TB, p *testPortal, vars map[string]string) {
	ctx := context.Background()
	s := p.services(t)
	carlos, err := s.dir.PartnerBySlug(ctx, "carlos-co")
	if err != nil {
		t.Fatal(err)
	}
	shared, err := s.content.Files.SpaceFiles(ctx, carlos.ID)
	if err != nil || len(shared) == 0 {
		t.Fatalf("demo shared files of Carlos & Co: %v", err)
	}
	for _, f := range shared {
		if f.Latest > 1 {
			vars["sharedFile"] = strconv.FormatInt(f.ID, 10)
		}
	}
	var res library.Resource
	if err := s.db.NewSelect().Model(&res).Where("title = ?", "Reseller price list 2026").Scan(ctx); err != nil || res.FileID == nil {
		t.Fatalf("demo price list: %v", err)
	}
	vars["resource"] = strconv.FormatInt(res.ID, 10)
	vars["resellerFile"] = strconv.FormatInt(*res.FileID, 10)
}
