// Package network is the host API of the Distributor room: a distributor's
// own network of sub-partners. A distributor's users read their
// sub-partners' directory entries, onboarding progress and performance, and
// the network's pipeline and engagement; its admins recruit new
// sub-partners. The vendor's managers see the networks of the partners they
// reach and approve or decline recruits.
//
// Every call runs as the viewer, and who reaches whom is the portal's one
// rule (the same as the pipeline's): a distributor reads its own
// sub-partners and never another network's; a sub-partner reads no
// sibling; staff read the partners they reach. A sub-partner, invitation or
// network the viewer may not see answers [sdk.ErrNotFound], exactly like
// one that does not exist. Refused input answers an [sdk.Error] naming the
// field and saying what to change.
//
// A sub-partner's messages, files and projects are never part of the
// network: they stay between the sub-partner and the vendor.
package network

import (
	"time"

	"github.com/atriumhq/atrium/sdk"
)

// Permissions a plugin's manifest asks for.
const (
	PermRead  = "network:read"
	PermWrite = "network:write"
)

// Invitation states. A recruit waits for the vendor's manager (Pending)
// unless the program lets distributors recruit without approval; approved,
// it becomes a partner and its admin is invited (Invited) until they set a
// password (Joined). A declined recruit keeps the manager's reason.
const (
	Pending  = "pending"
	Declined = "declined"
	Invited  = "invited"
	Joined   = "joined"
)

// Directory sort columns.
const (
	SortName       = "name"
	SortJoined     = "joined"
	SortStage      = "stage"
	SortOnboarding = "onboarding"
	SortWon        = "won"
	SortLeads      = "leads"
)

// Money is an amount in minor units of a currency.
type Money struct {
	Amount   int64  `json:"amount"`   // 12345 is $123.45
	Currency string `json:"currency"` // ISO 4217
}

// PartnerRef names a partner.
type PartnerRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Contact is a sub-partner's person as the network shows them.
type Contact struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Onboarding is a sub-partner's progress on the program's onboarding
// checklist.
type Onboarding struct {
	Done  int `json:"done"`
	Total int `json:"total"`
	// Percent is Done of Total, 0–100 (0 without a checklist).
	Percent int `json:"percent"`
}

// Performance is a sub-partner's pipeline at a glance, all time: leads not
// yet closed, deals still open and their value, and revenue won.
type Performance struct {
	OpenLeads    int64   `json:"openLeads"`
	OpenDeals    int64   `json:"openDeals"`
	OpenPipeline []Money `json:"openPipeline,omitempty"`
	Won          []Money `json:"won,omitempty"`
}

// Compliance is where a sub-partner's compliance status goes. The portal
// fills it only when a compliance source is installed; without one it is
// nil and rooms leave the column out.
type Compliance struct {
	// Status is the most pressing state of the sub-partner's items: one
	// of the Compliance* constants.
	Status string `json:"status"`
	// Label is what people read ("2 items expire this month").
	Label string `json:"label,omitempty"`
}

// Compliance statuses, the most pressing first.
const (
	ComplianceOverdue    = "overdue"    // an item is missing or rejected past its due date, or expired
	ComplianceExpiring   = "expiring"   // an accepted item expires within 30 days
	ComplianceReview     = "review"     // evidence waits for review
	ComplianceIncomplete = "incomplete" // items are missing, none of them due yet
	ComplianceInOrder    = "in-order"   // every item is accepted
)

// SubPartner is one partner of a distributor's network.
type SubPartner struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Type  string `json:"type"`
	Tier  string `json:"tier"`
	Stage string `json:"stage"`
	// Admin is the sub-partner's first partner admin, if any.
	Admin       *Contact    `json:"admin,omitempty"`
	Joined      time.Time   `json:"joined"`
	Onboarding  Onboarding  `json:"onboarding"`
	Performance Performance `json:"performance"`
	Compliance  *Compliance `json:"compliance,omitempty"`
}

// DirectoryQuery selects and orders a network's sub-partners. Filters
// combine.
type DirectoryQuery struct {
	// DistributorID names the network; partners' users leave it 0 (their
	// own), staff name one they reach.
	DistributorID int64  `json:"distributorId,omitempty"`
	Q             string `json:"q,omitempty"` // matches the name or the admin's email
	Type          string `json:"type,omitempty"`
	Tier          string `json:"tier,omitempty"`
	Stage         string `json:"stage,omitempty"`
	// Sort is one of the Sort constants (default by name); Desc reverses.
	Sort    string `json:"sort,omitempty"`
	Desc    bool   `json:"desc,omitempty"`
	Page    int    `json:"page,omitempty"`
	PerPage int    `json:"perPage,omitempty"` // default 25, at most 200
}

// DirectoryPage is one page of a network's directory.
type DirectoryPage struct {
	Distributor PartnerRef   `json:"distributor"`
	SubPartners []SubPartner `json:"subPartners"`
	Total       int          `json:"total"`
	Page        int          `json:"page"`
	PerPage     int          `json:"perPage"`
	// ByStage counts the whole network's sub-partners per stage, in the
	// program's order.
	ByStage []Count `json:"byStage"`
	// Networks are the distributors the viewer may look at (staff), to
	// pick another.
	Networks []PartnerRef `json:"networks,omitempty"`
	// CanRecruit is true when the viewer may invite sub-partners.
	CanRecruit bool `json:"canRecruit,omitempty"`
}

// Count is a number of things under a key, with a label for people.
type Count struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	N     int64  `json:"n"`
}

// Person is a sub-partner's user.
type Person struct {
	Name        string     `json:"name"`
	Email       string     `json:"email"`
	Role        string     `json:"role"`
	ContactRole string     `json:"contactRole,omitempty"`
	Active      bool       `json:"active"`
	Joined      bool       `json:"joined"` // has set a password
	LastLogin   *time.Time `json:"lastLogin,omitempty"`
}

// Task is one line of the onboarding checklist.
type Task struct {
	ID     string     `json:"id"`
	Title  string     `json:"title"`
	DoneAt *time.Time `json:"doneAt,omitempty"`
}

// Engagement is a partner's activity over the last 30 days from the
// engagement rollups.
type Engagement struct {
	Sessions int64   `json:"sessions"`
	Users    int64   `json:"users"`
	Score    float64 `json:"score"` // 0–100, against the rest of the network
	AtRisk   bool    `json:"atRisk,omitempty"`
	// Reasons say why it is at risk.
	Reasons []string `json:"reasons,omitempty"`
}

// SubPartnerDetail is the read-only page of one sub-partner.
type SubPartnerDetail struct {
	SubPartner  SubPartner `json:"subPartner"`
	Distributor PartnerRef `json:"distributor"`
	Users       []Person   `json:"users"`
	Checklist   []Task     `json:"checklist"`
	// LeadsByStatus and DealsByStage are all time, every status listed.
	LeadsByStatus []Count      `json:"leadsByStatus"`
	DealsByStage  []StageValue `json:"dealsByStage"`
	Engagement    Engagement   `json:"engagement"`
}

// StageValue is the deals in one stage and their value.
type StageValue struct {
	Key   string  `json:"key"`
	Label string  `json:"label"`
	Deals int64   `json:"deals"`
	Value []Money `json:"value,omitempty"`
}

// Invitation is a recruit: a new sub-partner organisation a distributor's
// admin invited.
type Invitation struct {
	ID            int64      `json:"id"`
	DistributorID int64      `json:"distributorId"`
	Distributor   string     `json:"distributor"`
	Company       string     `json:"company"`
	Type          string     `json:"type"`
	AdminName     string     `json:"adminName"`
	AdminEmail    string     `json:"adminEmail"`
	Status        string     `json:"status"`
	Reason        string     `json:"reason,omitempty"` // why it was declined
	InvitedBy     string     `json:"invitedBy,omitempty"`
	CreatedAt     time.Time  `json:"createdAt"`
	DecidedBy     string     `json:"decidedBy,omitempty"`
	DecidedAt     *time.Time `json:"decidedAt,omitempty"`
	// PartnerID is the sub-partner it became (Invited, Joined).
	PartnerID int64 `json:"partnerId,omitempty"`
}

// InvitationQuery selects invitations: a distributor's users see their
// network's, staff those of the distributors they manage.
type InvitationQuery struct {
	Status  string `json:"status,omitempty"`
	Page    int    `json:"page,omitempty"`
	PerPage int    `json:"perPage,omitempty"` // default 25, at most 100
}

// InvitationPage is one page of invitations, newest first.
type InvitationPage struct {
	Invitations []Invitation `json:"invitations"`
	Total       int          `json:"total"`
	Page        int          `json:"page"`
	PerPage     int          `json:"perPage"`
	// NeedsApproval is true when the program has the vendor approve
	// recruits first.
	NeedsApproval bool `json:"needsApproval"`
}

// Recruit invites a new sub-partner organisation. A distributor's admins
// only, for their own network.
type Recruit struct {
	Company    string `json:"company"`
	Type       string `json:"type"`
	AdminName  string `json:"adminName"`
	AdminEmail string `json:"adminEmail"`
}

// Sent is an invitation after a change. Link, when set, is the one-time
// invitation link for the new sub-partner's admin: shown once, to the
// person who must pass it on.
type Sent struct {
	Invitation Invitation `json:"invitation"`
	Link       string     `json:"link,omitempty"`
	Expires    *time.Time `json:"expires,omitempty"`
}

// Decision approves or declines a pending recruit; declining needs a
// reason. Staff who manage the distributor only.
type Decision struct {
	ID      int64  `json:"id"`
	Approve bool   `json:"approve"`
	Reason  string `json:"reason,omitempty"`
}

// DashboardQuery selects the network dashboard's range: the days
// [From, To) as "YYYY-MM-DD" in the program's reporting zone; empty means
// the last 90 days.
type DashboardQuery struct {
	DistributorID int64  `json:"distributorId,omitempty"`
	From          string `json:"from,omitempty"`
	To            string `json:"to,omitempty"`
}

// Dashboard is the network's performance in a range, with the same rules
// as the vendor's Revenue & Leads dashboard: leads by status are the
// range's leads by where they are now, deals by stage the range's
// registered deals, revenue won by the day deals closed, commissions by the
// day they were earned. Money is per currency, the program's first.
type Dashboard struct {
	Distributor   PartnerRef        `json:"distributor"`
	From          string            `json:"from"`
	To            string            `json:"to"`
	Currency      string            `json:"currency"`
	SubPartners   int               `json:"subPartners"`
	LeadsByStatus []Count           `json:"leadsByStatus"`
	DealsByStage  []StageValue      `json:"dealsByStage"`
	Won           []Money           `json:"won,omitempty"`
	DealsWon      int64             `json:"dealsWon"`
	Commissions   []CommissionValue `json:"commissions"`
	// BySubPartner is each sub-partner's share, by revenue won.
	BySubPartner []Row `json:"bySubPartner"`
}

// CommissionValue is the commission earned in the range with one status.
type CommissionValue struct {
	Status  string  `json:"status"`
	Entries int64   `json:"entries"`
	Amount  []Money `json:"amount,omitempty"`
}

// Row is one sub-partner on the dashboard.
type Row struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Stage      string     `json:"stage"`
	Leads      int64      `json:"leads"`
	DealsWon   int64      `json:"dealsWon"`
	Won        []Money    `json:"won,omitempty"`
	Commission []Money    `json:"commission,omitempty"`
	Engagement Engagement `json:"engagement"`
}

// ByID names a sub-partner or an invitation.
type ByID struct {
	ID int64 `json:"id"`
}

// The host methods.
var (
	ListSubPartners = sdk.Method[DirectoryQuery, DirectoryPage]{Name: "network.subpartners.list", Permission: PermRead}
	GetSubPartner   = sdk.Method[ByID, SubPartnerDetail]{Name: "network.subpartners.get", Permission: PermRead}
	GetDashboard    = sdk.Method[DashboardQuery, Dashboard]{Name: "network.dashboard", Permission: PermRead}
	ListInvitations = sdk.Method[InvitationQuery, InvitationPage]{Name: "network.invitations.list", Permission: PermRead}
	RecruitPartner  = sdk.Method[Recruit, Sent]{Name: "network.invitations.create", Permission: PermWrite}
	Decide          = sdk.Method[Decision, Sent]{Name: "network.invitations.decide", Permission: PermWrite}
	NewLink         = sdk.Method[ByID, Sent]{Name: "network.invitations.link", Permission: PermWrite}
)
