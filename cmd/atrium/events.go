package main

import (
	"context"
	"log/slog"
	"strconv"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/core/pipeline"
	"github.com/atriumhq/atrium/core/room"
	sdkpipeline "github.com/atriumhq/atrium/sdk/pipeline"
)

// pipelineNotifications turns what happens in the pipeline into
// notifications. It lives here, in the wiring, so neither package imports
// the other: the pipeline publishes its own events and notify knows only
// its own copy of them.
type pipelineNotifications struct {
	n   *notify.PipelineNotifier
	log *slog.Logger
}

// Publish runs after the pipeline's transaction has committed; a failure to
// notify is logged and never fails what the person did.
func (p pipelineNotifications) Publish(ctx context.Context, e pipeline.Event) {
	ev, ok := notifyEvent(e)
	if !ok {
		return
	}
	if err := p.n.Handle(ctx, ev); err != nil {
		p.log.Warn("notify pipeline event", "event", pipeline.EventName(e), "err", err)
	}
}

// notifyEvent maps a pipeline event to notify's; ok is false for events
// nobody is told about (a won stage change is told once, as deal.won).
func notifyEvent(e pipeline.Event) (notify.PipelineEvent, bool) {
	lead := func(id int64) (string, string) {
		s := strconv.FormatInt(id, 10)
		return "/rooms/leads/items/" + s, "/admin/work/leads/items/" + s
	}
	deal := func(id int64) (string, string) {
		s := strconv.FormatInt(id, 10)
		return "/rooms/deals/items/" + s, "/admin/work/deals/items/" + s
	}
	var out notify.PipelineEvent
	switch x := e.(type) {
	case pipeline.LeadSubmitted:
		out = notify.PipelineEvent{Kind: notify.EventLeadCreated, PartnerID: x.PartnerID, ActorID: x.Actor.UserID, Object: x.Company}
		out.PartnerLink, out.StaffLink = lead(x.LeadID)
	case pipeline.LeadStatusChanged:
		out = notify.PipelineEvent{Kind: notify.EventLeadStatusChanged, PartnerID: x.PartnerID, ActorID: x.Actor.UserID,
			Object: x.Company, From: x.From, To: x.To, Note: x.Comment}
		out.PartnerLink, out.StaffLink = lead(x.LeadID)
	case pipeline.DealRegistered:
		out = notify.PipelineEvent{Kind: notify.EventRegistrationCreated, PartnerID: x.PartnerID, ActorID: x.Actor.UserID, Object: x.Name}
		out.PartnerLink, out.StaffLink = deal(x.DealID)
	case pipeline.RegistrationReviewed:
		kind := notify.EventRegistrationRejected
		if x.Approved {
			kind = notify.EventRegistrationApproved
		}
		out = notify.PipelineEvent{Kind: kind, PartnerID: x.PartnerID, ActorID: x.Actor.UserID, Object: x.Name, Reason: x.Reason}
		out.PartnerLink, out.StaffLink = deal(x.DealID)
	case pipeline.DealStageChanged:
		if x.To == sdkpipeline.StageWon {
			return out, false
		}
		out = notify.PipelineEvent{Kind: notify.EventDealStageChanged, PartnerID: x.PartnerID, ActorID: x.Actor.UserID,
			Object: x.Name, From: x.From, To: x.To}
		out.PartnerLink, out.StaffLink = deal(x.DealID)
	case pipeline.DealWon:
		out = notify.PipelineEvent{Kind: notify.EventDealWon, PartnerID: x.PartnerID, ActorID: x.Actor.UserID, Object: x.Name}
		out.PartnerLink, out.StaffLink = deal(x.DealID)
	case pipeline.DealNoteAdded:
		if x.Actor.Staff { // notes by staff are read on the deal page
			return out, false
		}
		out = notify.PipelineEvent{Kind: notify.EventDealNoteAdded, PartnerID: x.PartnerID, ActorID: x.Actor.UserID, Object: x.Name}
		out.PartnerLink, out.StaffLink = deal(x.DealID)
	case pipeline.CommissionChanged:
		var kind string
		switch x.Status {
		case "approved":
			kind = notify.EventCommissionApproved
		case "paid":
			kind = notify.EventCommissionPaid
		default:
			return out, false
		}
		out = notify.PipelineEvent{Kind: kind, PartnerID: x.PartnerID, ActorID: x.Actor.UserID, Object: "commission #" + strconv.FormatInt(x.CommissionID, 10),
			CommissionID: x.CommissionID, PartnerLink: "/rooms/overview", StaffLink: "/admin/work/overview"}
	default:
		return out, false
	}
	return out, true
}

// fileNotifications tells people who downloaded an older version of a file
// that a newer one exists.
type fileNotifications struct{ n *notify.Service }

func (f fileNotifications) NewerVersion(ctx context.Context, file files.File, version int, userIDs []int64) error {
	return f.n.Notify(ctx, userIDs, notify.Notification{
		Kind:      "file.new_version",
		TitleText: notify.Say("notify.file-version.title", "File", file.Name),
		BodyText:  notify.Say("notify.file-version.body", "Version", strconv.Itoa(version)),
		Link:      "/files/" + strconv.FormatInt(file.ID, 10) + "/download",
	})
}

// roomReviews tells everyone who may publish rooms that a draft waits for
// review: admins and the managers granted rooms.publish, but not the person
// asking.
type roomReviews struct {
	n   *notify.Service
	dir *directory.Directory
}

func (r roomReviews) ReviewRequested(ctx context.Context, req room.ReviewRequest) error {
	holders, err := r.dir.HoldersOf(ctx, directory.PermPublishRooms)
	if err != nil {
		return err
	}
	var ids []int64
	for _, u := range holders {
		if u.ID != req.By.UserID {
			ids = append(ids, u.ID)
		}
	}
	body := notify.Say("notify.room-review.body", "Version", strconv.FormatInt(req.Version, 10), "Room", req.Room)
	if req.Note != "" {
		body = notify.Say("notify.room-review.body-note", "Version", strconv.FormatInt(req.Version, 10), "Room", req.Room, "Note", req.Note)
	}
	who := req.By.Name
	if who == "" {
		who = room.CLI.Name
	}
	return r.n.Notify(ctx, ids, notify.Notification{
		Kind:      "room.review_requested",
		TitleText: notify.Say("notify.room-review.title", "Name", who, "Title", req.Title),
		BodyText:  body,
		Link:      "/admin/rooms",
	})
}
