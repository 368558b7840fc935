// Package compliance is the host API of compliance and resource shares: what
// the program asks of partners (a signed reseller agreement, an insurance
// certificate, a certification one of their people holds), the evidence a
// partner hands in and its review, and the resources a distributor hands on
// to its sub-partners.
//
// Every call runs as the viewer. A partner's users see their own partner's
// items, and its administrators hand in evidence; a distributor's users see
// their sub-partners' items too, and its administrators review them; staff
// see and review the items of the partners they reach. A sub-partner never
// sees a sibling's items, nor a share not meant for it. An item or share the
// viewer may not see answers [sdk.ErrNotFound], exactly like one that does
// not exist.
//
// Dates without a time of day (due, expiry) travel as "YYYY-MM-DD".
// Evidence and a distributor's own uploads are files: a form's file field is
// stored by the portal (with the file store's checks) and arrives in the
// action's values as an upload token, which [Submission] and [NewShare]
// take.
package compliance

import (
	"time"

	"github.com/atriumhq/atrium/sdk"
)

// Permissions a plugin's manifest asks for.
const (
	PermRead  = "compliance:read"
	PermWrite = "compliance:write"
)

// Kinds of requirement.
const (
	// Document is met by evidence a partner uploads and a reviewer accepts.
	Document = "document"
	// Certification is met while one of the partner's users has completed
	// a task of a per-user checklist (the tasks block), such as passing
	// the certification exam.
	Certification = "certification"
)

// Statuses of an item. Missing, Submitted, Accepted and Rejected are what
// happened; Expiring (accepted, expiring within 30 days), Expired
// (accepted, past its expiry) and Overdue (missing or rejected past its due
// date) are derived from the dates on the program's calendar.
const (
	Missing   = "missing"
	Submitted = "submitted"
	Accepted  = "accepted"
	Rejected  = "rejected"
	Expiring  = "expiring"
	Expired   = "expired"
	Overdue   = "overdue"
)

// Requirement is one thing the program asks of partners of some types.
type Requirement struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Kind        string `json:"kind" enum:"document,certification"`
	// PartnerTypes are the partner types it applies to; empty for all.
	PartnerTypes []string `json:"partnerTypes"`
	// ValidityMonths is how long an accepted item holds (0: until
	// replaced), counted from its acceptance unless the evidence gives an
	// expiry date.
	ValidityMonths int `json:"validityMonths"`
	// Due is when evidence is due ("YYYY-MM-DD"; empty: no date).
	Due string `json:"due,omitempty"`
	// CertBlockKey and CertTaskID name the per-user checklist task a
	// certification requirement counts.
	CertBlockKey string `json:"certBlockKey,omitempty"`
	CertTaskID   string `json:"certTaskId,omitempty"`
	Archived     bool   `json:"archived"`
}

// Person is who did something.
type Person struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Item is one requirement for one partner.
type Item struct {
	// ID is 0 while nothing was handed in.
	ID            int64  `json:"id"`
	RequirementID int64  `json:"requirementId"`
	Name          string `json:"name"`
	Description   string `json:"description,omitempty"`
	Kind          string `json:"kind"`
	PartnerID     int64  `json:"partnerId"`
	PartnerName   string `json:"partnerName"`
	Status        string `json:"status"`
	Due           string `json:"due,omitempty"`
	Expires       string `json:"expires,omitempty"`
	// FileID and URL are the evidence's latest version (0 and "" when
	// none); downloads are checked on every request.
	FileID      int64      `json:"fileId,omitempty"`
	FileName    string     `json:"fileName,omitempty"`
	Version     int        `json:"version,omitempty"`
	URL         string     `json:"url,omitempty"`
	SubmittedBy *Person    `json:"submittedBy,omitempty"`
	SubmittedAt *time.Time `json:"submittedAt,omitempty"`
	ReviewedBy  *Person    `json:"reviewedBy,omitempty"`
	ReviewedAt  *time.Time `json:"reviewedAt,omitempty"`
	// Reason is why the evidence was rejected.
	Reason string `json:"reason,omitempty"`
	// CanSubmit and CanReview say what the viewer may do.
	CanSubmit bool `json:"canSubmit"`
	CanReview bool `json:"canReview"`
}

// ItemQuery narrows the items a viewer sees.
type ItemQuery struct {
	// PartnerID is one partner's items; 0 for every partner the viewer
	// sees (their own first).
	PartnerID int64 `json:"partnerId,omitempty"`
	// Status keeps items with this status; "attention" keeps those that
	// need someone to act (submitted, rejected, expiring, expired,
	// overdue, missing).
	Status  string `json:"status,omitempty"`
	Page    int    `json:"page,omitempty"`
	PerPage int    `json:"perPage,omitempty"`
}

// ItemPage is a page of items, partner by partner, most urgent first.
type ItemPage struct {
	Items   []Item `json:"items"`
	Total   int    `json:"total"`
	Page    int    `json:"page"`
	PerPage int    `json:"perPage"`
}

// Submission hands in evidence for a requirement: a partner's
// administrator for their own partner.
type Submission struct {
	RequirementID int64 `json:"requirementId"`
	// PartnerID is whose evidence it is; 0 for the viewer's own partner.
	PartnerID int64 `json:"partnerId,omitempty"`
	// Upload is a token of an uploaded file.
	Upload string `json:"upload"`
	// Expires is the expiry the document states ("YYYY-MM-DD"), if any.
	Expires string `json:"expires,omitempty"`
}

// Review decisions.
const (
	Accept = "accept"
	Reject = "reject"
)

// Review accepts handed-in evidence or rejects it with a reason.
type Review struct {
	ItemID   int64  `json:"itemId"`
	Decision string `json:"decision" enum:"accept,reject"`
	// Reason is required to reject.
	Reason string `json:"reason,omitempty"`
	// Expires overrides the expiry on accepting ("YYYY-MM-DD").
	Expires string `json:"expires,omitempty"`
}

// Summary is one partner's standing, for directories and dashboards.
type Summary struct {
	Total    int `json:"total"`
	Accepted int `json:"accepted"`
	// Submitted are waiting for review.
	Submitted int `json:"submitted"`
	// Expiring are accepted and expire within 30 days.
	Expiring int `json:"expiring"`
	// Overdue are missing or rejected past their due date, or expired.
	Overdue int `json:"overdue"`
	// NextExpiry is the soonest expiry of an accepted item ("" if none).
	NextExpiry string `json:"nextExpiry,omitempty"`
}

// Share is a file a distributor hands on to its sub-partners, as the
// distributor (and staff) see it.
type Share struct {
	ID              int64     `json:"id"`
	DistributorID   int64     `json:"distributorId"`
	DistributorName string    `json:"distributorName"`
	FileID          int64     `json:"fileId"`
	FileName        string    `json:"fileName"`
	URL             string    `json:"url"`
	Title           string    `json:"title"`
	Note            string    `json:"note,omitempty"`
	FromLibrary     bool      `json:"fromLibrary"`
	Everyone        bool      `json:"everyone"`
	CreatedAt       time.Time `json:"createdAt"`
	// Recipients are the sub-partners it is shared with and how often
	// each downloaded it since.
	Recipients []Recipient `json:"recipients"`
	Downloads  int         `json:"downloads"`
}

// Recipient is a sub-partner a share reaches.
type Recipient struct {
	PartnerID int64      `json:"partnerId"`
	Name      string     `json:"name"`
	Downloads int        `json:"downloads"`
	LastAt    *time.Time `json:"lastAt,omitempty"`
}

// NewShare shares a library resource (ResourceID) or an upload (Upload)
// with every sub-partner (Everyone) or those named.
type NewShare struct {
	ResourceID int64   `json:"resourceId,omitempty"`
	Upload     string  `json:"upload,omitempty"`
	Title      string  `json:"title,omitempty"`
	Note       string  `json:"note,omitempty"`
	Everyone   bool    `json:"everyone,omitempty"`
	PartnerIDs []int64 `json:"partnerIds,omitempty"`
}

// Shared is a share as a sub-partner sees it: what, and from whom.
type Shared struct {
	ID       int64     `json:"id"`
	Title    string    `json:"title"`
	Note     string    `json:"note,omitempty"`
	From     string    `json:"from"`
	FileID   int64     `json:"fileId"`
	FileName string    `json:"fileName"`
	URL      string    `json:"url"`
	SharedAt time.Time `json:"sharedAt"`
}

// SubPartner is a sub-partner a distributor may share with.
type SubPartner struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// ShareBoard is what a distributor's administrator works with: its shares
// and its sub-partners.
type ShareBoard struct {
	Shares      []Share      `json:"shares"`
	SubPartners []SubPartner `json:"subPartners"`
	// CanShare says whether the viewer may share (a distributor's
	// administrator).
	CanShare bool `json:"canShare"`
}

// RequirementChange creates a requirement (ID 0) or replaces one: the
// program's administrators only.
type RequirementChange struct {
	ID             int64    `json:"id,omitempty"`
	Name           string   `json:"name"`
	Description    string   `json:"description,omitempty"`
	Kind           string   `json:"kind"`
	PartnerTypes   []string `json:"partnerTypes,omitempty"`
	ValidityMonths int      `json:"validityMonths,omitempty"`
	Due            string   `json:"due,omitempty"`
	CertBlockKey   string   `json:"certBlockKey,omitempty"`
	CertTaskID     string   `json:"certTaskId,omitempty"`
	Archived       bool     `json:"archived,omitempty"`
}

// ByID names one record.
type ByID struct {
	ID int64 `json:"id"`
}

// The calls.
var (
	ListRequirements = sdk.Method[struct{}, []Requirement]{Name: "compliance.requirements.list", Permission: PermRead}
	SaveRequirement  = sdk.Method[RequirementChange, Requirement]{Name: "compliance.requirements.save", Permission: PermWrite}
	ListItems        = sdk.Method[ItemQuery, ItemPage]{Name: "compliance.items.list", Permission: PermRead}
	SubmitItem       = sdk.Method[Submission, Item]{Name: "compliance.items.submit", Permission: PermWrite}
	ReviewItem       = sdk.Method[Review, Item]{Name: "compliance.items.review", Permission: PermWrite}
	ListShared       = sdk.Method[struct{}, []Shared]{Name: "compliance.shared.list", Permission: PermRead}
	GetShares        = sdk.Method[struct{}, ShareBoard]{Name: "compliance.shares.list", Permission: PermRead}
	CreateShare      = sdk.Method[NewShare, Share]{Name: "compliance.shares.create", Permission: PermWrite}
	DeleteShare      = sdk.Method[ByID, struct{}]{Name: "compliance.shares.delete", Permission: PermWrite}
)
