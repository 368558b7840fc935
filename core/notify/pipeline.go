package notify

import (
	"context"
	"fmt"
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
	title func(e PipelineEvent) string
	body  func(e PipelineEvent) string
}

var eventTexts = map[string]eventText{
	EventLeadStatusChanged: {toPartner,
		func(e PipelineEvent) string { return fmt.Sprintf("Lead %s moved to %s", e.Object, human(e.To)) },
		func(e PipelineEvent) string { return fromTo(e) }},
	EventDealStageChanged: {toPartner,
		func(e PipelineEvent) string { return fmt.Sprintf("Deal %s moved to %s", e.Object, human(e.To)) },
		func(e PipelineEvent) string { return fromTo(e) }},
	EventDealWon: {toPartner,
		func(e PipelineEvent) string { return fmt.Sprintf("Deal %s won", e.Object) },
		func(e PipelineEvent) string { return withAmount("Congratulations, the deal closed won.", e.Amount) }},
	EventRegistrationApproved: {toPartner,
		func(e PipelineEvent) string { return fmt.Sprintf("Registration of %s approved", e.Object) },
		func(e PipelineEvent) string { return "Your claim on this deal is protected." }},
	EventRegistrationRejected: {toPartner,
		func(e PipelineEvent) string { return fmt.Sprintf("Registration of %s rejected", e.Object) },
		func(e PipelineEvent) string { return reason(e.Reason) }},
	EventCommissionApproved: {toPartner,
		func(e PipelineEvent) string { return withAmount("Commission approved", e.Amount) },
		func(e PipelineEvent) string { return "For " + e.Object + "." }},
	EventCommissionPaid: {toPartner,
		func(e PipelineEvent) string { return withAmount("Commission paid", e.Amount) },
		func(e PipelineEvent) string { return "For " + e.Object + "." }},
	EventLeadCreated: {toManager,
		func(e PipelineEvent) string { return fmt.Sprintf("New lead: %s", e.Object) },
		func(e PipelineEvent) string { return "" }},
	EventRegistrationCreated: {toManager,
		func(e PipelineEvent) string { return fmt.Sprintf("New deal registration: %s", e.Object) },
		func(e PipelineEvent) string { return "It waits for your approval." }},
	EventDealNoteAdded: {toManager,
		func(e PipelineEvent) string { return fmt.Sprintf("New note on %s", e.Object) },
		func(e PipelineEvent) string { return e.Note }},
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

func fromTo(e PipelineEvent) string {
	if e.From == "" {
		return ""
	}
	return fmt.Sprintf("From %s to %s.", human(e.From), human(e.To))
}

func withAmount(s, amount string) string {
	if amount == "" {
		return s
	}
	if strings.HasSuffix(s, ".") {
		return s + " Value: " + amount + "."
	}
	return s + ": " + amount
}

func reason(r string) string {
	if r == "" {
		return ""
	}
	return "Reason: " + r
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
	n = Notification{Kind: e.Kind, Title: clip(t.title(e), maxTitle), Body: clip(t.body(e), maxBody), Link: link}
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
