package pipeline

import "context"

// Events receives what happened in the pipeline, after it is committed.
// Notifications implement it; the zero Service publishes nowhere.
type Events interface {
	Publish(ctx context.Context, e Event)
}

// Event is one of the event types below.
type Event interface{ eventName() string }

// Actor is who caused an event.
type Actor struct {
	UserID int64
	Name   string
	Staff  bool
}

// LeadSubmitted: a partner submitted a lead (for their manager).
type LeadSubmitted struct {
	Actor     Actor
	LeadID    int64
	PartnerID int64
	Company   string
	// Conflict is true when the lead matched another partner's record.
	Conflict bool
}

// LeadStatusChanged: a lead moved (for the partner).
type LeadStatusChanged struct {
	Actor     Actor
	LeadID    int64
	PartnerID int64
	Company   string
	From, To  string
	Comment   string
}

// DealRegistered: a partner registered a deal for approval (for their manager).
type DealRegistered struct {
	Actor     Actor
	DealID    int64
	PartnerID int64
	Name      string
}

// RegistrationReviewed: staff approved or rejected a registration (for the partner).
type RegistrationReviewed struct {
	Actor     Actor
	DealID    int64
	PartnerID int64
	Name      string
	Approved  bool
	Reason    string
}

// DealStageChanged: a deal moved (for the partner). Won is also published
// as [DealWon].
type DealStageChanged struct {
	Actor     Actor
	DealID    int64
	PartnerID int64
	Name      string
	From, To  string
}

// DealWon: a deal closed won (for the partner), with its commission entry.
type DealWon struct {
	Actor        Actor
	DealID       int64
	PartnerID    int64
	Name         string
	CommissionID int64
}

// DealNoteAdded: a note on a deal (for the manager when a partner wrote
// it, for the partner when staff did).
type DealNoteAdded struct {
	Actor     Actor
	DealID    int64
	PartnerID int64
	Name      string
	NoteID    int64
}

// CommissionChanged: a commission was approved or paid (for the partner).
type CommissionChanged struct {
	Actor        Actor
	CommissionID int64
	PartnerID    int64
	Status       string
}

func (LeadSubmitted) eventName() string        { return "lead.submitted" }
func (LeadStatusChanged) eventName() string    { return "lead.status_changed" }
func (DealRegistered) eventName() string       { return "deal.registered" }
func (RegistrationReviewed) eventName() string { return "deal.registration_reviewed" }
func (DealStageChanged) eventName() string     { return "deal.stage_changed" }
func (DealWon) eventName() string              { return "deal.won" }
func (DealNoteAdded) eventName() string        { return "deal.note_added" }
func (CommissionChanged) eventName() string    { return "commission.changed" }

// EventName is an event's stable name ("deal.won"), for logs and routing.
func EventName(e Event) string { return e.eventName() }

type nopEvents struct{}

func (nopEvents) Publish(context.Context, Event) {}
