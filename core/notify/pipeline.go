package notify

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// PipelineEvent is a change in the revenue pipeline, as the pipeline
// publishes it. The pipeline's own event type converts to this one field by
// field; notify keeps its own copy so the two packages stay independent.
type PipelineEvent struct {
	// Kind is one of the Event* constants.
	Kind      string
	PartnerID int64
	// ActorID is who made the change; they are not told about their own act.
	ActorID int64
	// Object names what changed, for people: "Acme Retail" (a lead's
	// company), "Globex expansion" (a deal).
	Object string
	// Link is the object's page inside the portal for the recipient's side:
	// PartnerLink for partner users, StaffLink for their manager.
	PartnerLink string
	StaffLink   string
	From, To    string // statuses or stages, where they changed
	Amount      string // formatted value ("$12,500"), for deals and commissions
	Reason      string // rejection or loss reason
	Note        string // the text of a new note, shortened
	// CommissionID is the commission's number, for commission events.
	CommissionID int64
}

// The pipeline events that notify turns into notifications.
const (
	EventLeadStatusChanged    = "lead.status_changed"
	EventDealStageChanged     = "deal.stage_changed"
	EventDealWon              = "deal.won"
	EventRegistrationApproved = "registration.approved"
	EventRegistrationRejected = "registration.rejected"
	EventCommissionApproved   = "commission.approved"
	EventCommissionPaid       = "commission.paid"
	EventLeadCreated          = "lead.created"
	EventRegistrationCreated  = "registration.created"
	EventDealNoteAdded        = "deal.note_added"
)

// PipelineKinds are the pipeline's notification kinds, as a person chooses
// how to hear of them.
var PipelineKinds = []Kind{
	{EventLeadCreated, "A partner submits a lead", "Pipeline"},
	{EventLeadStatusChanged, "A lead moves", "Pipeline"},
	{EventRegistrationCreated, "A partner registers a deal", "Pipeline"},
	{EventRegistrationApproved, "A deal registration is approved", "Pipeline"},
	{EventRegistrationRejected, "A deal registration is rejected", "Pipeline"},
	{EventDealStageChanged, "A deal moves", "Pipeline"},
	{EventDealWon, "A deal is won", "Pipeline"},
	{EventDealNoteAdded, "A note on a deal", "Pipeline"},
	{EventCommissionApproved, "A commission is approved", "Pipeline"},
	{EventCommissionPaid, "A commission is paid", "Pipeline"},
}

// audience says who hears of an event: the partner's users or its manager.
type audience int

const (
	toPartner audience = iota
	toManager
)

type eventText struct {
	to    audience
	title func(e PipelineEvent) *Text
	// body is nil for events whose body is empty or as written.
	body func(e PipelineEvent) *Text
}

// eventTexts word each event from the catalogue ("notify.<event>.*"): the
// object's name, amounts and reasons are as written, statuses and stages
// are the portal's words.
var eventTexts = map[string]eventText{
	EventLeadStatusChanged: {toPartner,
		func(e PipelineEvent) *Text {
			return Say("notify.lead-moved.title", "Object", e.Object).Word("To", "lead", e.To)
		},
		func(e PipelineEvent) *Text { return fromTo(e, "lead") }},
	EventDealStageChanged: {toPartner,
		func(e PipelineEvent) *Text {
			return Say("notify.deal-moved.title", "Object", e.Object).Word("To", "deal", e.To)
		},
		func(e PipelineEvent) *Text { return fromTo(e, "deal") }},
	EventDealWon: {toPartner,
		func(e PipelineEvent) *Text { return Say("notify.deal-won.title", "Object", e.Object) },
		func(e PipelineEvent) *Text {
			if e.Amount != "" {
				return Say("notify.deal-won.body-amount", "Amount", e.Amount)
			}
			return Say("notify.deal-won.body")
		}},
	EventRegistrationApproved: {toPartner,
		func(e PipelineEvent) *Text { return Say("notify.registration-approved.title", "Object", e.Object) },
		func(e PipelineEvent) *Text { return Say("notify.registration-approved.body") }},
	EventRegistrationRejected: {toPartner,
		func(e PipelineEvent) *Text { return Say("notify.registration-rejected.title", "Object", e.Object) },
		func(e PipelineEvent) *Text { return reason(e.Reason) }},
	EventCommissionApproved: {toPartner,
		func(e PipelineEvent) *Text { return withAmount("notify.commission-approved.title", e.Amount) },
		commissionFor},
	EventCommissionPaid: {toPartner,
		func(e PipelineEvent) *Text { return withAmount("notify.commission-paid.title", e.Amount) },
		commissionFor},
	EventLeadCreated: {toManager,
		func(e PipelineEvent) *Text { return Say("notify.lead-created.title", "Object", e.Object) },
		nil},
	EventRegistrationCreated: {toManager,
		func(e PipelineEvent) *Text { return Say("notify.registration-created.title", "Object", e.Object) },
		func(e PipelineEvent) *Text { return Say("notify.registration-created.body") }},
	EventDealNoteAdded: {toManager,
		func(e PipelineEvent) *Text { return Say("notify.deal-note.title", "Object", e.Object) },
		nil}, // the note itself, as written
}

// human turns a status or stage name into words as the pages show them:
// "closed_won" is "Closed won".
func human(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "_", " "), "-", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// fromTo says where a lead (group "lead") or deal ("deal") moved from.
func fromTo(e PipelineEvent, group string) *Text {
	if e.From == "" {
		return nil
	}
	return Say("notify.moved.body").Word("From", group, e.From).Word("To", group, e.To)
}

// withAmount is a title with the amount when there is one.
func withAmount(key, amount string) *Text {
	if amount == "" {
		return Say(key)
	}
	return Say(key+"-amount", "Amount", amount)
}

func reason(r string) *Text {
	if r == "" {
		return nil
	}
	return Say("notify.reason.body", "Reason", r)
}

// commissionFor names the commission a notification is about: by its
// number, or by the object's name as the pipeline gave it.
func commissionFor(e PipelineEvent) *Text {
	if e.CommissionID != 0 {
		return Say("notify.commission.body", "Number", strconv.FormatInt(e.CommissionID, 10))
	}
	return Say("notify.commission-for.body", "Object", e.Object)
}

// PipelineNotifier turns pipeline events into notifications. Register its
// Handle with the pipeline's event publisher.
type PipelineNotifier struct {
	svc *Service
	rcp recipientFinder
}

// recipientFinder is what the notifier needs of [Recipients].
type recipientFinder interface {
	PartnerUsers(ctx context.Context, partnerID int64) ([]int64, error)
	PartnerManager(ctx context.Context, partnerID int64) ([]int64, error)
}

// NewPipelineNotifier returns a notifier that stores through svc and finds
// recipients with r.
func NewPipelineNotifier(svc *Service, r Recipients) *PipelineNotifier {
	return &PipelineNotifier{svc: svc, rcp: r}
}

// Handle notifies the people an event concerns. Unknown kinds are ignored,
// so the pipeline may publish more events than notify knows.
func (p *PipelineNotifier) Handle(ctx context.Context, e PipelineEvent) error {
	n, forManager, ok := Describe(e)
	if !ok {
		return nil
	}
	var ids []int64
	var err error
	if forManager {
		ids, err = p.rcp.PartnerManager(ctx, e.PartnerID)
	} else {
		ids, err = p.rcp.PartnerUsers(ctx, e.PartnerID)
	}
	if err != nil {
		return fmt.Errorf("notify %s: %w", e.Kind, err)
	}
	ids = without(ids, e.ActorID)
	return p.svc.Notify(ctx, ids, n)
}

// Describe is the notification an event becomes, and whether it is for
// the partner's manager (otherwise for the partner's users); ok is false for
// kinds that notify nobody.
func Describe(e PipelineEvent) (n Notification, forManager, ok bool) {
	t, ok := eventTexts[e.Kind]
	if !ok {
		return Notification{}, false, false
	}
	link := e.PartnerLink
	if t.to == toManager {
		link = e.StaffLink
	}
	n = Notification{Kind: e.Kind, TitleText: t.title(e), Link: link}
	if t.body != nil {
		n.BodyText = t.body(e)
	} else if e.Note != "" {
		n.Body = clip(e.Note, maxBody)
	}
	return n, t.to == toManager, true
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	for len(string(r)) > n-1 {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

func without(ids []int64, id int64) []int64 {
	out := ids[:0:0]
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}
