// Package pipeline is the host API of the revenue pipeline: leads, deals,
// notes, commissions and the Overview figures, as typed [sdk.Method] values
// with their request and answer types. Every call acts as the viewer: a
// partner user reads and writes their own partner's records (a distributor
// also reads its sub-partners'), a partner manager the partners they manage,
// an admin all. A record the viewer may not see answers [sdk.ErrNotFound],
// exactly like one that does not exist.
//
//	page, err := pipeline.ListLeads.Call(ctx, req.Host, pipeline.LeadQuery{Status: "demo"})
package pipeline

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/atriumhq/atrium/sdk"
)

// Permissions a plugin's manifest asks for.
const (
	PermRead  = "pipeline:read"
	PermWrite = "pipeline:write"
)

// Lead statuses, in pipeline order.
const (
	LeadNew       = "new"
	LeadQualified = "qualified"
	LeadDemo      = "demo"
	LeadProposal  = "proposal"
	LeadWon       = "closed_won"
	LeadLost      = "closed_lost"
)

// LeadStatuses lists the lead statuses in order.
var LeadStatuses = []string{LeadNew, LeadQualified, LeadDemo, LeadProposal, LeadWon, LeadLost}

// Deal registration states.
const (
	RegistrationNone     = ""
	RegistrationPending  = "pending"
	RegistrationApproved = "approved"
	RegistrationRejected = "rejected"
)

// The closing deal stages; the program may rename or add the open ones.
const (
	StageWon  = "closed_won"
	StageLost = "closed_lost"
)

// Commission states. A commission moves pending → approved → paid; its
// amount never changes (a correction is a new entry).
const (
	CommissionPending  = "pending"
	CommissionApproved = "approved"
	CommissionPaid     = "paid"
)

// Money is an exact amount in minor units (cents) of a currency.
type Money struct {
	Amount   int64  `json:"amount"`   // minor units: 12345 is $123.45
	Currency string `json:"currency"` // ISO 4217, "USD"
}

// String formats the amount for people: "$1,234.50", "€90", "1,000 CHF".
func (m Money) String() string {
	neg := m.Amount < 0
	a := m.Amount
	if neg {
		a = -a
	}
	whole, cents := a/100, a%100
	s := groupThousands(whole)
	if cents != 0 {
		s += fmt.Sprintf(".%02d", cents)
	}
	switch m.Currency {
	case "USD", "":
		s = "$" + s
	case "EUR":
		s = "€" + s
	case "GBP":
		s = "£" + s
	default:
		s += " " + m.Currency
	}
	if neg {
		s = "−" + s
	}
	return s
}

func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ParseMoney reads "1234.5", "1,234.50" or "$1,234" as minor units, exactly
// (no floating point).
func ParseMoney(s string) (int64, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimLeft(s, "$€£")
	s = strings.ReplaceAll(s, ",", "")
	if s == "" {
		return 0, fmt.Errorf("enter an amount")
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || w > 1e13 {
		return 0, fmt.Errorf("enter an amount such as 25000 or 25000.50")
	}
	var c int64
	if hasFrac {
		if len(frac) == 0 || len(frac) > 2 {
			return 0, fmt.Errorf("use at most two decimals")
		}
		if len(frac) == 1 {
			frac += "0"
		}
		c, err = strconv.ParseInt(frac, 10, 64)
		if err != nil || c < 0 {
			return 0, fmt.Errorf("enter an amount such as 25000 or 25000.50")
		}
	}
	return w*100 + c, nil
}

// Config is the program's pipeline vocabulary.
type Config struct {
	LeadStatuses []string `json:"leadStatuses"`
	// DealStages are the deal stages in order, ending with closed_won and
	// closed_lost.
	DealStages []Stage     `json:"dealStages"`
	LeadFields []LeadField `json:"leadFields,omitempty"`
	Currency   string      `json:"currency"`
	// ProtectionDays is how long an approved registration protects the
	// partner's claim.
	ProtectionDays int `json:"protectionDays"`
}

// Stage is a deal stage with its label.
type Stage struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// LeadField is a field the program adds to the lead form.
type LeadField struct {
	Name     string   `json:"name"`
	Label    string   `json:"label"`
	Required bool     `json:"required,omitempty"`
	Options  []string `json:"options,omitempty"`
}

// Lead is a lead as its viewer may see it.
type Lead struct {
	ID          int64             `json:"id"`
	PartnerID   int64             `json:"partnerId"`
	PartnerName string            `json:"partnerName,omitempty"`
	Company     string            `json:"company"`
	ContactName string            `json:"contactName"`
	Email       string            `json:"email"`
	Phone       string            `json:"phone,omitempty"`
	Website     string            `json:"website,omitempty"`
	Notes       string            `json:"notes,omitempty"`
	Extra       map[string]string `json:"extra,omitempty"`
	Status      string            `json:"status"`
	// UnderReview is true when the lead matched another partner's record and
	// waits for the manager; the partner learns nothing more.
	UnderReview        bool      `json:"underReview,omitempty"`
	ExpectedCommission Money     `json:"expectedCommission"`
	DealID             int64     `json:"dealId,omitempty"`
	CreatedAt          time.Time `json:"createdAt"`
	UpdatedAt          time.Time `json:"updatedAt"`
}

// Change is one step of a lead's or deal's history.
type Change struct {
	At      time.Time `json:"at"`
	By      string    `json:"by"`
	From    string    `json:"from,omitempty"`
	To      string    `json:"to"`
	Comment string    `json:"comment,omitempty"`
}

// Conflict is the other record a flagged lead matched, shown to staff only.
type Conflict struct {
	Kind        string    `json:"kind"` // lead or deal
	ID          int64     `json:"id"`
	PartnerID   int64     `json:"partnerId"`
	PartnerName string    `json:"partnerName"`
	Company     string    `json:"company"`
	Contact     string    `json:"contact,omitempty"`
	Status      string    `json:"status"`
	CreatedAt   time.Time `json:"createdAt"`
	// FirstIsOther is true when the other record was registered first.
	FirstIsOther bool   `json:"firstIsOther"`
	Reason       string `json:"reason"` // "same domain acme.com", "same contact email"
}

// LeadQuery filters a list of leads.
type LeadQuery struct {
	Status string `json:"status,omitempty"`
	Search string `json:"search,omitempty"`
	// Sort is newest (default), oldest, company or status.
	Sort    string `json:"sort,omitempty"`
	Page    int    `json:"page,omitempty"`
	PerPage int    `json:"perPage,omitempty"`
	// PartnerID narrows staff to one partner; partners always get their own.
	PartnerID int64 `json:"partnerId,omitempty"`
	// Review lists only leads flagged for review (staff).
	Review bool `json:"review,omitempty"`
}

// LeadPage is one page of leads.
type LeadPage struct {
	Items   []Lead `json:"items"`
	Total   int    `json:"total"`
	Page    int    `json:"page"`
	PerPage int    `json:"perPage"`
}

// LeadInput is a submitted lead.
type LeadInput struct {
	Company     string            `json:"company"`
	ContactName string            `json:"contactName"`
	Email       string            `json:"email"`
	Phone       string            `json:"phone,omitempty"`
	Website     string            `json:"website,omitempty"`
	Notes       string            `json:"notes,omitempty"`
	Extra       map[string]string `json:"extra,omitempty"`
}

// LeadDetail is a lead with its history; Conflict is set for staff only.
type LeadDetail struct {
	Lead     Lead      `json:"lead"`
	History  []Change  `json:"history"`
	Conflict *Conflict `json:"conflict,omitempty"`
	// Next lists the statuses the viewer may move the lead to.
	Next []string `json:"next,omitempty"`
}

// ByID names a record.
type ByID struct {
	ID int64 `json:"id"`
}

// StatusChange moves a lead to a status (staff), with an optional comment.
type StatusChange struct {
	ID      int64  `json:"id"`
	Status  string `json:"status"`
	Comment string `json:"comment,omitempty"`
}

// Comment adds a comment to a lead's history without moving it.
type Comment struct {
	ID      int64  `json:"id"`
	Comment string `json:"comment"`
}

// Convert turns a lead into a deal (staff).
type Convert struct {
	ID    int64  `json:"id"`
	Name  string `json:"name,omitempty"`
	Value Money  `json:"value"`
}

// Deal is a deal as its viewer may see it.
type Deal struct {
	ID                 int64      `json:"id"`
	PartnerID          int64      `json:"partnerId"`
	PartnerName        string     `json:"partnerName,omitempty"`
	LeadID             int64      `json:"leadId,omitempty"`
	Name               string     `json:"name"`
	Company            string     `json:"company"`
	Website            string     `json:"website,omitempty"`
	Value              Money      `json:"value"`
	Stage              string     `json:"stage"`
	Registration       string     `json:"registration,omitempty"`
	RegistrationReason string     `json:"registrationReason,omitempty"`
	ProtectedUntil     *time.Time `json:"protectedUntil,omitempty"`
	ExpectedClose      *time.Time `json:"expectedClose,omitempty"`
	CloseReason        string     `json:"closeReason,omitempty"`
	ExpectedCommission Money      `json:"expectedCommission"`
	CreatedAt          time.Time  `json:"createdAt"`
	UpdatedAt          time.Time  `json:"updatedAt"`
}

// Open reports whether the deal is still being worked.
func (d Deal) Open() bool {
	return d.Stage != StageWon && d.Stage != StageLost && d.Registration != RegistrationRejected
}

// DealQuery filters a list of deals.
type DealQuery struct {
	Stage        string `json:"stage,omitempty"`
	Registration string `json:"registration,omitempty"`
	Search       string `json:"search,omitempty"`
	Open         bool   `json:"open,omitempty"`
	// Until keeps the deals whose registration protection ends, or which
	// are expected to close, before it: what needs the partner soon.
	Until     *time.Time `json:"until,omitempty"`
	Page      int        `json:"page,omitempty"`
	PerPage   int        `json:"perPage,omitempty"`
	PartnerID int64      `json:"partnerId,omitempty"`
}

// DealPage is one page of deals, with totals per stage over the whole list.
type DealPage struct {
	Items   []Deal       `json:"items"`
	Total   int          `json:"total"`
	Page    int          `json:"page"`
	PerPage int          `json:"perPage"`
	Totals  []StageTotal `json:"totals"`
}

// StageTotal is the count and value of deals in a stage.
type StageTotal struct {
	Stage string `json:"stage"`
	Count int    `json:"count"`
	Value Money  `json:"value"`
}

// DealInput registers a deal (partners) for approval.
type DealInput struct {
	Name          string `json:"name"`
	Company       string `json:"company"`
	Website       string `json:"website,omitempty"`
	Value         Money  `json:"value"`
	ExpectedClose string `json:"expectedClose,omitempty"` // 2026-12-31
	Notes         string `json:"notes,omitempty"`
}

// DealDetail is a deal with its history and notes.
type DealDetail struct {
	Deal    Deal     `json:"deal"`
	History []Change `json:"history"`
	Notes   []Note   `json:"notes"`
	// Next lists the stages the viewer may move the deal to.
	Next []string `json:"next,omitempty"`
	// CanReview is true for staff while the registration is pending.
	CanReview bool `json:"canReview,omitempty"`
}

// StageChange moves a deal (staff), with the win or loss reason on closing.
type StageChange struct {
	ID     int64  `json:"id"`
	Stage  string `json:"stage"`
	Reason string `json:"reason,omitempty"`
}

// Review approves or rejects a deal registration (staff); a rejection needs
// a reason.
type Review struct {
	ID      int64  `json:"id"`
	Approve bool   `json:"approve"`
	Reason  string `json:"reason,omitempty"`
}

// Note is a note on a deal, by a partner or by staff.
type Note struct {
	ID        int64     `json:"id"`
	DealID    int64     `json:"dealId"`
	By        string    `json:"by"`
	Staff     bool      `json:"staff"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"createdAt"`
}

// NoteInput adds a note to a deal.
type NoteInput struct {
	DealID int64  `json:"dealId"`
	Body   string `json:"body"`
}

// Commission is one entry of the commission ledger.
type Commission struct {
	ID          int64      `json:"id"`
	PartnerID   int64      `json:"partnerId"`
	PartnerName string     `json:"partnerName,omitempty"`
	DealID      int64      `json:"dealId,omitempty"`
	LeadID      int64      `json:"leadId,omitempty"`
	Amount      Money      `json:"amount"`
	Status      string     `json:"status"`
	Description string     `json:"description,omitempty"`
	CorrectsID  int64      `json:"correctsId,omitempty"`
	PayoutDate  *time.Time `json:"payoutDate,omitempty"`
	Reference   string     `json:"reference,omitempty"`
	CreatedAt   time.Time  `json:"createdAt"`
}

// CommissionQuery filters the ledger.
type CommissionQuery struct {
	Status    string `json:"status,omitempty"`
	Page      int    `json:"page,omitempty"`
	PerPage   int    `json:"perPage,omitempty"`
	PartnerID int64  `json:"partnerId,omitempty"`
}

// CommissionPage is one page of the ledger.
type CommissionPage struct {
	Items   []Commission `json:"items"`
	Total   int          `json:"total"`
	Page    int          `json:"page"`
	PerPage int          `json:"perPage"`
}

// CommissionChange approves or pays a commission (staff). Paying takes a
// payout date (2026-12-31, default today) and a reference.
type CommissionChange struct {
	ID         int64  `json:"id"`
	Status     string `json:"status"`
	PayoutDate string `json:"payoutDate,omitempty"`
	Reference  string `json:"reference,omitempty"`
}

// Correction adds a ledger entry correcting another (staff).
type Correction struct {
	ID     int64  `json:"id"`
	Amount Money  `json:"amount"`
	Reason string `json:"reason"`
}

// OverviewQuery asks for the figures of the viewer's partner, or for staff
// of one partner (PartnerID) or the whole program (0).
type OverviewQuery struct {
	PartnerID int64 `json:"partnerId,omitempty"`
	// Since limits the activity feed to what changed after it.
	Since *time.Time `json:"since,omitempty"`
	// Part asks for only the "figures", only the "activity", or only the
	// leads by status ("statuses": LeadsTotal and LeadsByStatus); empty is
	// figures and activity.
	Part string `json:"part,omitempty"`
	// Months asks for the figures of the last Months calendar months (UTC),
	// the current one included, in [Overview.Months]: the trends and
	// sparklines of the Overview's tiles. 0 asks for none; at most 12.
	Months int `json:"months,omitempty"`
}

// MaxOverviewMonths is the most months [OverviewQuery.Months] answers.
const MaxOverviewMonths = 12

// Overview is the pipeline's figures for a partner or the program.
type Overview struct {
	LeadsTotal         int            `json:"leadsTotal"`
	LeadsByStatus      map[string]int `json:"leadsByStatus"`
	LeadsThisMonth     int            `json:"leadsThisMonth"`
	OpenDeals          int            `json:"openDeals"`
	PipelineValue      Money          `json:"pipelineValue"`
	DealsWon           int            `json:"dealsWon"`
	WonValue           Money          `json:"wonValue"`
	CommissionPending  Money          `json:"commissionPending"`
	CommissionApproved Money          `json:"commissionApproved"`
	CommissionPaid     Money          `json:"commissionPaid"`
	Activity           []Activity     `json:"activity"`
	// Months are the monthly figures [OverviewQuery.Months] asked for,
	// oldest first, the current (unfinished) month last; every month is
	// there, with zeros when nothing happened.
	Months []MonthFigures `json:"months,omitempty"`
	// LastMonthToDate is last month's figures up to the same day and time
	// as now (its Start is last month's first day), with Months of two or
	// more: this month so far is compared with it, not with all of last
	// month, so that a trend on the 3rd does not read as a fall.
	LastMonthToDate *MonthFigures `json:"lastMonthToDate,omitempty"`
}

// MonthFigures is what happened in one calendar month: what was started
// then (leads submitted, deals registered), closed then (deals won, by
// their closing date) and earned then (commission ledger entries created
// then, corrections included, so the sum is what the ledger grew by).
type MonthFigures struct {
	// Start is the first day of the month, 00:00 UTC.
	Start           time.Time `json:"start"`
	LeadsSubmitted  int       `json:"leadsSubmitted"`
	DealsRegistered int       `json:"dealsRegistered"`
	DealsWon        int       `json:"dealsWon"`
	WonValue        Money     `json:"wonValue"`
	Commission      Money     `json:"commission"`
}

// Activity is one recent change in the pipeline.
type Activity struct {
	At    time.Time `json:"at"`
	Kind  string    `json:"kind"` // lead, deal
	ID    int64     `json:"id"`
	Title string    `json:"title"`
	// Text says what happened, in English, for rooms that do not word it
	// themselves from From, To and By.
	Text string `json:"text"`
	// From and To are the statuses of a move ("" From: the record was
	// submitted; From equal to To: a comment); By is who did it.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	By   string `json:"by,omitempty"`
}

// Visit is the answer to [VisitOverview].
type Visit struct {
	// Previous is when the viewer last looked at the Overview before this
	// visit; nil on their first visit.
	Previous *time.Time `json:"previous,omitempty"`
}

// Measures a goal or tile can track, in [MetricQuery].
const (
	MetricLeadsSubmitted = "leads_submitted"
	MetricLeadsWon       = "leads_won"
	MetricDealsWon       = "deals_won"
	MetricDealsWonValue  = "deals_won_value"
	// MetricTasksCompleted counts the checklist tasks the partner's people
	// completed (the tasks block's completions).
	MetricTasksCompleted = "tasks_completed"
)

// GoalMark names a goal the viewer's partner has reached in a period:
// the room and block showing it, the goal's own key within the block and
// the start of the period.
type GoalMark struct {
	Room        string    `json:"room"`
	Block       string    `json:"block"`
	Goal        string    `json:"goal"`
	PeriodStart time.Time `json:"periodStart"`
}

// GoalClaim is the answer to [ReachGoal].
type GoalClaim struct {
	// First is true for exactly one call per goal, period and partner: the
	// caller then records the achievement (an engagement goal_complete).
	First bool `json:"first"`
}

// MetricQuery measures one figure of the viewer's partner (staff: one
// partner, or all theirs) over [From, To).
type MetricQuery struct {
	Metric    string    `json:"metric"`
	From      time.Time `json:"from"`
	To        time.Time `json:"to"`
	PartnerID int64     `json:"partnerId,omitempty"`
}

// MetricValue is a measured figure: a count, or minor units for values.
type MetricValue struct {
	Value    int64  `json:"value"`
	Currency string `json:"currency,omitempty"`
}

// The host API calls.
var (
	GetConfig = sdk.Method[struct{}, Config]{Name: "pipeline.config", Permission: PermRead}

	ListLeads    = sdk.Method[LeadQuery, LeadPage]{Name: "pipeline.leads.list", Permission: PermRead}
	GetLead      = sdk.Method[ByID, LeadDetail]{Name: "pipeline.leads.get", Permission: PermRead}
	SubmitLead   = sdk.Method[LeadInput, Lead]{Name: "pipeline.leads.submit", Permission: PermWrite}
	SetLeadState = sdk.Method[StatusChange, Lead]{Name: "pipeline.leads.status", Permission: PermWrite}
	CommentLead  = sdk.Method[Comment, LeadDetail]{Name: "pipeline.leads.comment", Permission: PermWrite}
	ConvertLead  = sdk.Method[Convert, Deal]{Name: "pipeline.leads.convert", Permission: PermWrite}
	// ResolveReview clears a conflict flag once the manager has decided
	// (staff); the comment goes into the lead's history.
	ResolveReview = sdk.Method[Comment, struct{}]{Name: "pipeline.leads.resolve", Permission: PermWrite}

	ListDeals    = sdk.Method[DealQuery, DealPage]{Name: "pipeline.deals.list", Permission: PermRead}
	GetDeal      = sdk.Method[ByID, DealDetail]{Name: "pipeline.deals.get", Permission: PermRead}
	RegisterDeal = sdk.Method[DealInput, Deal]{Name: "pipeline.deals.register", Permission: PermWrite}
	SetDealStage = sdk.Method[StageChange, Deal]{Name: "pipeline.deals.stage", Permission: PermWrite}
	ReviewDeal   = sdk.Method[Review, Deal]{Name: "pipeline.deals.review", Permission: PermWrite}
	AddDealNote  = sdk.Method[NoteInput, Note]{Name: "pipeline.deals.note", Permission: PermWrite}

	ListCommissions   = sdk.Method[CommissionQuery, CommissionPage]{Name: "pipeline.commissions.list", Permission: PermRead}
	SetCommission     = sdk.Method[CommissionChange, Commission]{Name: "pipeline.commissions.status", Permission: PermWrite}
	CorrectCommission = sdk.Method[Correction, Commission]{Name: "pipeline.commissions.correct", Permission: PermWrite}

	GetOverview = sdk.Method[OverviewQuery, Overview]{Name: "pipeline.overview", Permission: PermRead}
	Measure     = sdk.Method[MetricQuery, MetricValue]{Name: "pipeline.measure", Permission: PermRead}
	// VisitOverview records that the viewer is looking at the Overview and
	// answers when they looked before. Looks less than half an hour apart
	// are one visit, so a reload keeps the same "since your last visit".
	// Staff previews record nothing and answer no previous visit.
	VisitOverview = sdk.Method[struct{}, Visit]{Name: "pipeline.overview.visit", Permission: PermRead}
	// ReachGoal claims a reached goal for the viewer's partner; see
	// [GoalClaim]. Staff and previews never claim (First is false).
	ReachGoal = sdk.Method[GoalMark, GoalClaim]{Name: "pipeline.goals.reached", Permission: PermRead}
)

// Label turns a status or stage key into words: "closed_won" → "Closed won".
func Label(key string) string {
	s := strings.ReplaceAll(key, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
