package main

import (
	"context"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/files"

	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/core/pipeline"
)

func TestPipelineEventsBecomeNotifications(t *testing.T) {
	t.Parallel()
	partner := pipeline.Actor{UserID: 4}
	staff := pipeline.Actor{UserID: 2, Staff: true}
	tests := []struct {
		name     string
		in       pipeline.Event
		wantKind string // empty: nobody is told
		wantLink string
	}{
		{"new lead", pipeline.LeadSubmitted{Actor: partner, LeadID: 7, PartnerID: 1, Company: "Acme"}, notify.EventLeadCreated, "/rooms/leads/items/7"},
		{"lead moved", pipeline.LeadStatusChanged{Actor: staff, LeadID: 7, PartnerID: 1, From: "new", To: "demo"}, notify.EventLeadStatusChanged, "/rooms/leads/items/7"},
		{"registration", pipeline.DealRegistered{Actor: partner, DealID: 3, PartnerID: 1}, notify.EventRegistrationCreated, "/rooms/deals/items/3"},
		{"approved", pipeline.RegistrationReviewed{Actor: staff, DealID: 3, PartnerID: 1, Approved: true}, notify.EventRegistrationApproved, "/rooms/deals/items/3"},
		{"rejected", pipeline.RegistrationReviewed{Actor: staff, DealID: 3, PartnerID: 1, Reason: "dup"}, notify.EventRegistrationRejected, "/rooms/deals/items/3"},
		{"stage", pipeline.DealStageChanged{Actor: staff, DealID: 3, PartnerID: 1, From: "proposal", To: "negotiation"}, notify.EventDealStageChanged, "/rooms/deals/items/3"},
		{"won is told once, as won", pipeline.DealStageChanged{Actor: staff, DealID: 3, PartnerID: 1, To: "closed_won"}, "", ""},
		{"won", pipeline.DealWon{Actor: staff, DealID: 3, PartnerID: 1}, notify.EventDealWon, "/rooms/deals/items/3"},
		{"partner's note", pipeline.DealNoteAdded{Actor: partner, DealID: 3, PartnerID: 1}, notify.EventDealNoteAdded, "/rooms/deals/items/3"},
		{"staff note", pipeline.DealNoteAdded{Actor: staff, DealID: 3, PartnerID: 1}, "", ""},
		{"commission approved", pipeline.CommissionChanged{Actor: staff, CommissionID: 9, PartnerID: 1, Status: "approved"}, notify.EventCommissionApproved, "/rooms/overview"},
		{"commission paid", pipeline.CommissionChanged{Actor: staff, CommissionID: 9, PartnerID: 1, Status: "paid"}, notify.EventCommissionPaid, "/rooms/overview"},
		{"commission pending", pipeline.CommissionChanged{Actor: staff, CommissionID: 9, PartnerID: 1, Status: "pending"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := notifyEvent(tt.in)
			if ok != (tt.wantKind != "") || got.Kind != tt.wantKind || got.PartnerLink != tt.wantLink {
				t.Fatalf("notifyEvent = %+v, %v; want kind %q linking %q", got, ok, tt.wantKind, tt.wantLink)
			}
			if ok && got.PartnerID != 1 {
				t.Errorf("partner %d", got.PartnerID)
			}
		})
	}
}

func TestNewerVersionNotifiesEarlierDownloaders(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	s := p.services(t)
	ctx := context.Background()
	sarah, err := s.dir.UserByEmail(ctx, "sarah@northwind.example")
	if err != nil {
		t.Fatal(err)
	}
	f := files.File{ID: 42, Name: "Price list.pdf"}
	if err := (fileNotifications{n: s.notify}).NewerVersion(ctx, f, 3, []int64{sarah.ID}); err != nil {
		t.Fatal(err)
	}
	_, body := fetch(t, p.client(t, "sarah@northwind.example"), p.URL+"/api/v1/notifications")
	if !strings.Contains(body, "Price list.pdf has a new version") || !strings.Contains(body, "/files/42/download") {
		t.Fatalf("Sarah's notifications: %s", body)
	}
	_, body = fetch(t, p.client(t, "tom@bluebird.example"), p.URL+"/api/v1/notifications")
	if strings.Contains(body, "Price list") {
		t.Fatalf("Tom was told too: %s", body)
	}
}
