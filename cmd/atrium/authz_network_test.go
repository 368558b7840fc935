package main

import (
	"context"
	"strconv"
	"testing"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/network"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/sdk"
	sn "github.com/atriumhq/atrium/sdk/network"
)

func init() { authzResolvers = append(authzResolvers, resolveNetwork) }

// resolveNetwork names the networks testdata/authz/network.yaml uses. XYZ
// Distribution ({network}) is the demo's, managed by Mike (manager), with
// Harbor IT ({subPartner}) and Dana's recruit waiting for approval
// ({recruit}). A second network, South Distribution ({otherNetwork}),
// managed by Priya (other-manager), has South Resale ({otherSubPartner})
// and a recruit of its own ({otherRecruit}); and an approved recruit of
// XYZ's whose admin has not joined ({invitedRecruit}) takes new links.
func resolveNetwork(t testing.TB, p *testPortal, vars map[string]string) {
	ctx := context.Background()
	s := p.services(t)
	svc := network.New(s.db, s.dir, reach.New(s.db), network.Options{Invite: s.auth})
	partner := func(slug string) directory.Partner {
		pt, err := s.dir.PartnerBySlug(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		return pt
	}
	xyz, harbor := partner("xyz-distribution"), partner("harbor-it")
	vars["network"] = strconv.FormatInt(xyz.ID, 10)
	vars["subPartner"] = strconv.FormatInt(harbor.ID, 10)
	dana, mike := demoViewer(t, p, "dana@xyzdist.example"), demoViewer(t, p, "mike@acme.example")
	page, err := svc.Invitations(ctx, dana, sn.InvitationQuery{Status: sn.Pending})
	if err != nil || page.Total == 0 {
		t.Fatalf("the demo's waiting recruit: %v (%d)", err, page.Total)
	}
	vars["recruit"] = strconv.FormatInt(page.Invitations[0].ID, 10)
	approved, err := svc.Recruit(ctx, dana, sn.Recruit{Company: "Matrix Resale", Type: "reseller", AdminName: "Mat Rix", AdminEmail: "mat@matrixresale.example"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Decide(ctx, mike, sn.Decision{ID: approved.Invitation.ID, Approve: true}); err != nil {
		t.Fatal(err)
	}
	vars["invitedRecruit"] = strconv.FormatInt(approved.Invitation.ID, 10)

	priya := demoViewer(t, p, "priya@acme.example")
	south, err := s.dir.CreatePartner(ctx, directory.PartnerInput{Name: "South Distribution", Type: "distributor", Tier: "gold", Stage: "active", ManagerID: &priya.UserID})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := s.dir.CreatePartner(ctx, directory.PartnerInput{Name: "South Resale", Type: "reseller", Tier: "bronze", Stage: "training",
		ManagerID: &priya.UserID, ParentID: &south.ID})
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.dir.CreateUser(ctx, directory.UserInput{Email: "sol@southdist.example", Name: "Sol South", Role: sdk.RolePartnerAdmin, PartnerID: &south.ID})
	if err != nil {
		t.Fatal(err)
	}
	other, err := svc.Recruit(ctx, u.Viewer(&south), sn.Recruit{Company: "South Newcomer", Type: "referral", AdminName: "Nia New", AdminEmail: "nia@southnew.example"})
	if err != nil {
		t.Fatal(err)
	}
	vars["otherNetwork"] = strconv.FormatInt(south.ID, 10)
	vars["otherSubPartner"] = strconv.FormatInt(sub.ID, 10)
	vars["otherRecruit"] = strconv.FormatInt(other.Invitation.ID, 10)
}
