package main

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/files"
	sc "github.com/atriumhq/atrium/sdk/compliance"
)

// resolveCompliance makes what testdata/authz/compliance.yaml and
// shares.yaml name. {requirement} is the demo's signed reseller agreement;
// Carlos hands in Carlos & Co's ({complianceItem}, its file {evidence}).
// The second network is XYZ Distribution's, which Mike manages and no
// Carlos & Co or Northwind path reaches: {xyzItem} is Summit Systems'
// insurance certificate waiting for Dana's review, {xyzEvidence} Harbor
// IT's certificate, {xyzShare} the training deck Dana shared (its file
// {xyzDeck}).
func resolveCompliance(t testing.TB, p *testPortal, vars map[string]string) {
	ctx := context.Background()
	s := p.services(t)
	carlos, admin := demoViewer(t, p, "carlos@carlosco.example"), demoViewer(t, p, "admin@acme.example")
	reqs, err := s.papers.Requirements(ctx)
	if err != nil || len(reqs) == 0 {
		t.Fatalf("the demo's requirements: %+v, %v", reqs, err)
	}
	var agreement sc.Requirement
	for _, r := range reqs {
		if r.Name == "Signed reseller agreement" {
			agreement = r
		}
	}
	vars["requirement"] = strconv.FormatInt(agreement.ID, 10)
	token, _, err := s.content.Files.Stage(ctx, carlos.UserID, files.Upload{Name: "agreement.txt", Body: strings.NewReader("Signed.\n")})
	if err != nil {
		t.Fatal(err)
	}
	it, err := s.papers.Submit(ctx, carlos, sc.Submission{RequirementID: agreement.ID, Upload: token})
	if err != nil {
		t.Fatal(err)
	}
	vars["complianceItem"] = strconv.FormatInt(it.ID, 10)
	vars["evidence"] = strconv.FormatInt(it.FileID, 10)
	partner := func(slug string) directory.Partner {
		pt, err := s.dir.PartnerBySlug(ctx, slug)
		if err != nil {
			t.Fatalf("demo partner %s: %v", slug, err)
		}
		return pt
	}
	find := func(slug, name string) sc.Item {
		page, err := s.papers.List(ctx, admin, sc.ItemQuery{PartnerID: partner(slug).ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range page.Items {
			if it.Name == name && it.ID != 0 {
				return it
			}
		}
		t.Fatalf("the demo has no %s of %s: %+v", name, slug, page.Items)
		return sc.Item{}
	}
	if it := find("summit-systems", "Insurance certificate"); it.Status == sc.Submitted {
		vars["xyzItem"] = strconv.FormatInt(it.ID, 10)
	} else {
		t.Fatalf("Summit Systems' insurance certificate is %s, want submitted", it.Status)
	}
	vars["xyzEvidence"] = strconv.FormatInt(find("harbor-it", "Insurance certificate").FileID, 10)
	board, err := s.papers.Shares(ctx, admin)
	if err != nil || len(board.Shares) == 0 {
		t.Fatalf("the demo's shares: %+v, %v", board, err)
	}
	vars["xyzShare"] = strconv.FormatInt(board.Shares[0].ID, 10)
	vars["xyzDeck"] = strconv.FormatInt(board.Shares[0].FileID, 10)
	vars["xyzPartner"] = strconv.FormatInt(partner("xyz-distribution").ID, 10)
	scratchShare(t, p, vars)
}

// scratchShare puts a share of XYZ's deck under {scratchShare} for a
// request that stops it, before each actor's turn under the same id.
func scratchShare(t testing.TB, p *testPortal, vars map[string]string) {
	ctx := context.Background()
	db := p.services(t).db
	if id := vars["scratchShare"]; id != "" {
		if _, err := db.ExecContext(ctx, "INSERT INTO resource_shares (id, distributor_id, file_id, title, everyone, created_at) VALUES (?, ?, ?, 'Scratch', TRUE, ?) ON CONFLICT DO NOTHING",
			id, vars["xyzPartner"], vars["xyzDeck"], time.Now()); err != nil {
			t.Fatal(err)
		}
		return
	}
	var id int64
	if err := db.QueryRowContext(ctx, "INSERT INTO resource_shares (distributor_id, file_id, title, everyone, created_at) VALUES (?, ?, 'Scratch', TRUE, ?) RETURNING id",
		vars["xyzPartner"], vars["xyzDeck"], time.Now()).Scan(&id); err != nil {
		t.Fatal(err)
	}
	vars["scratchShare"] = strconv.FormatInt(id, 10)
}

func init() {
	authzResolvers = append(authzResolvers, resolveCompliance)
	authzSetups["scratch-share"] = scratchShare
}
