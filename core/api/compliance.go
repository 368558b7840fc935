package api

import (
	"context"
	"net/http"

	"github.com/atriumhq/atrium/core/compliance"
	sc "github.com/atriumhq/atrium/sdk/compliance"
)

// The compliance and shares operations. They call core/compliance as the
// caller's viewer: a partner's users see their own partner's items (a
// distributor's, its sub-partners' too), staff those of the partners they
// reach; an item or share outside that answers 404, like one that does
// not exist. Requirements are the program's: everyone signed in reads
// them, administrators change them.
func (a *API) registerCompliance() {
	if a.Compliance == nil {
		return
	}
	const tag, shares = "Compliance", "Shares"
	for _, r := range []route{
		bind(described(op("list-compliance-requirements", http.MethodGet, "/api/v1/compliance/requirements", "What the program asks of partners", SignedIn, tag), complianceRequirementsDoc), a.listRequirements),
		bind(described(created(op("create-compliance-requirement", http.MethodPost, "/api/v1/compliance/requirements", "Add a requirement (administrators)", Admin, tag)), complianceRequirementDoc), a.createRequirement),
		bind(described(op("update-compliance-requirement", http.MethodPut, "/api/v1/compliance/requirements/{id}", "Replace a requirement (administrators)", Admin, tag), complianceRequirementDoc), a.updateRequirement),
		bind(described(op("list-compliance-items", http.MethodGet, "/api/v1/compliance/items", "Compliance items of the partners the caller sees", SignedIn, tag), complianceItemsDoc), a.listComplianceItems),
		bind(described(op("compliance-status", http.MethodGet, "/api/v1/compliance/status", "Each partner's compliance standing in numbers", SignedIn, tag), complianceStatusDoc), a.complianceStatus),
		when(a.Content != nil, bind(multipartBody(created(op("upload-compliance-file", http.MethodPost, "/api/v1/compliance/uploads", "Upload evidence, or a file to share", SignedIn, tag)),
			complianceUploadDoc), a.stageAttachment)),
		bind(described(created(op("submit-compliance-evidence", http.MethodPost, "/api/v1/compliance/items", "Hand in evidence for a requirement", SignedIn, tag)), complianceSubmitDoc), a.submitEvidence),
		bind(described(op("review-compliance-item", http.MethodPut, "/api/v1/compliance/items/{id}/review", "Accept evidence, or reject it with a reason", SignedIn, tag), reviewItemDoc), a.reviewComplianceItem),
		bind(described(op("list-shares", http.MethodGet, "/api/v1/shares", "A distributor's shares with downloads per sub-partner", SignedIn, shares), complianceSharesDoc), a.listShares),
		bind(described(created(op("create-share", http.MethodPost, "/api/v1/shares", "Share a library resource or an upload with sub-partners", SignedIn, shares)), createShareDoc), a.createShare),
		bind(described(op("list-shared-with-me", http.MethodGet, "/api/v1/shares/received", "What the caller's distributor shares with the caller's company", SignedIn, shares), sharesReceivedDoc), a.listReceived),
		bind(described(op("get-share", http.MethodGet, "/api/v1/shares/{id}", "One share with its downloads", SignedIn, shares), complianceSharesDoc), a.getShare),
		bind(described(noContent(op("delete-share", http.MethodDelete, "/api/v1/shares/{id}", "Stop a share", SignedIn, shares)), deleteShareDoc), a.deleteShare),
	} {
		r(a.huma)
	}
}

const (
	complianceRequirementsDoc = "In the program's order, archived ones last. kind document is met by evidence a reviewer accepts; kind certification " +
		"while one of the partner's active users has completed the named task of a per-user checklist."
	complianceRequirementDoc = "Partner types must be the program's. A validity in months counts from acceptance unless the evidence states an expiry."
	complianceItemsDoc       = "One item per requirement and partner, handed in or not (id 0: missing). Statuses missing, submitted, accepted and " +
		"rejected are what happened; expiring (accepted, expiring within 30 days), expired and overdue (missing or rejected past the due date) " +
		"are read from the dates. The caller's own company comes first, then the most urgent. `canSubmit` and `canReview` say what the caller may do."
	complianceStatusDoc = "For each partner named (repeat `partner`) that the caller sees: items in total, accepted, waiting for review, expiring within " +
		"30 days, overdue (expired included) and the next expiry. Partners the caller does not see are left out, like unknown ones."
	complianceUploadDoc = "one file part named \"file\". The file is kept for 24 hours for its uploader alone: put the answered `token` in the " +
		"`upload` of submit-compliance-evidence or create-share. Files no one claims are deleted."
	complianceSubmitDoc = "A partner's administrators hand in evidence for their own company (`partnerId` may be left out). A later upload becomes the next " +
		"version of the evidence and goes back to review. `expires` is the expiry the document states. The partner's manager and its distributor's " +
		"administrators are notified."
	reviewItemDoc = "Staff who reach the partner, and the administrators of its distributor, accept or reject the latest version; rejecting needs " +
		"a `reason`. Accepting sets the expiry: the one given, else the one the evidence states, else the requirement's validity from today."
	complianceSharesDoc = "A distributor's users see their own distributor's shares, staff those of distributors they reach. Each share lists the " +
		"sub-partners it reaches and how often each downloaded it since it was shared."
	createShareDoc = "A distributor's administrators share a resource of the library they see themselves (`resourceId`) or an upload " +
		"(`upload`, a token from upload-compliance-file) with all their sub-partners (`everyone`, those who join later included) or those named " +
		"in `partnerIds`, which must be their own sub-partners. The sub-partners' users are notified; the file shows in their Resources room " +
		"as from the distributor."
	sharesReceivedDoc = "Newest first, with the distributor's name. Download with GET /api/v1/files/{fileId}/download, which checks the share."
	deleteShareDoc    = "The distributor's administrators or staff who reach it. An upload shared nowhere else is deleted with it."
)

// RequirementInput names a requirement.
type RequirementInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The requirement's id."`
	Body compliance.RequirementInput
}

// NewRequirementInput adds a requirement.
type NewRequirementInput struct {
	Body compliance.RequirementInput
}

// ComplianceItemsInput filters items.
type ComplianceItemsInput struct {
	Partner int64  `query:"partner" minimum:"0" doc:"Only this partner's items."`
	Status  string `query:"status" enum:"missing,submitted,accepted,rejected,expiring,expired,overdue,attention," doc:"Only items with this status; attention: all but accepted."`
	Page    int    `query:"page" minimum:"1" default:"1" doc:"Page number, from 1."`
	PerPage int    `query:"perPage" minimum:"1" maximum:"200" default:"50" doc:"Items per page."`
}

// ComplianceStatusInput names partners.
type ComplianceStatusInput struct {
	Partner []int64 `query:"partner,explode" maxItems:"1000" doc:"The partners, repeated (partner=1&partner=2)."`
}

// ComplianceStatus is partners' standing.
type ComplianceStatus struct {
	Partners map[int64]sc.Summary `json:"partners" doc:"By partner id."`
}

// SubmitEvidenceInput hands in evidence.
type SubmitEvidenceInput struct {
	Body sc.Submission
}

// ReviewItemInput reviews an item.
type ReviewItemInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The item's id."`
	Body struct {
		Decision string `json:"decision" enum:"accept,reject" doc:"accept or reject."`
		Reason   string `json:"reason,omitempty" doc:"Why, required to reject; at most 2000 characters."`
		Expires  string `json:"expires,omitempty" doc:"The expiry to record on accepting, YYYY-MM-DD."`
	}
}

// CreateShareInput shares a file.
type CreateShareInput struct {
	Body sc.NewShare
}

// ShareInput names a share.
type ShareInput struct {
	ID int64 `path:"id" minimum:"1" doc:"The share's id."`
}

func (a *API) listRequirements(ctx context.Context, _ *struct{}) (*body[[]sc.Requirement], error) {
	rs, err := a.Compliance.Requirements(ctx)
	return wrapBody(rs, err, a)
}

func (a *API) createRequirement(ctx context.Context, in *NewRequirementInput) (*body[sc.Requirement], error) {
	r, err := a.Compliance.SaveRequirement(ctx, caller(ctx).Viewer(), 0, in.Body)
	return wrapBody(r, err, a)
}

func (a *API) updateRequirement(ctx context.Context, in *RequirementInput) (*body[sc.Requirement], error) {
	r, err := a.Compliance.SaveRequirement(ctx, caller(ctx).Viewer(), in.ID, in.Body)
	return wrapBody(r, err, a)
}

func (a *API) listComplianceItems(ctx context.Context, in *ComplianceItemsInput) (*body[sc.ItemPage], error) {
	page, err := a.Compliance.List(ctx, caller(ctx).Viewer(), sc.ItemQuery{PartnerID: in.Partner, Status: in.Status, Page: in.Page, PerPage: in.PerPage})
	return wrapBody(page, err, a)
}

func (a *API) complianceStatus(ctx context.Context, in *ComplianceStatusInput) (*body[ComplianceStatus], error) {
	rc, err := a.reach.For(ctx, caller(ctx).Viewer())
	if err != nil {
		return nil, a.problem(err)
	}
	var ids []int64
	for _, id := range in.Partner {
		if rc.CanRead(id) {
			ids = append(ids, id)
		}
	}
	m, err := a.Compliance.Status(ctx, ids)
	return wrapBody(ComplianceStatus{Partners: m}, err, a)
}

func (a *API) submitEvidence(ctx context.Context, in *SubmitEvidenceInput) (*body[sc.Item], error) {
	it, err := a.Compliance.Submit(ctx, caller(ctx).Viewer(), in.Body)
	if err != nil {
		return nil, a.messagesProblem(err, "body")
	}
	return &body[sc.Item]{it}, nil
}

func (a *API) reviewComplianceItem(ctx context.Context, in *ReviewItemInput) (*body[sc.Item], error) {
	it, err := a.Compliance.Review(ctx, caller(ctx).Viewer(), sc.Review{ItemID: in.ID, Decision: in.Body.Decision, Reason: in.Body.Reason, Expires: in.Body.Expires})
	if err != nil {
		return nil, a.messagesProblem(err, "body")
	}
	return &body[sc.Item]{it}, nil
}

func (a *API) listShares(ctx context.Context, _ *struct{}) (*body[sc.ShareBoard], error) {
	b, err := a.Compliance.Shares(ctx, caller(ctx).Viewer())
	return wrapBody(b, err, a)
}

func (a *API) createShare(ctx context.Context, in *CreateShareInput) (*body[sc.Share], error) {
	sh, err := a.Compliance.CreateShare(ctx, caller(ctx).Viewer(), in.Body)
	if err != nil {
		return nil, a.messagesProblem(err, "body")
	}
	return &body[sc.Share]{sh}, nil
}

func (a *API) listReceived(ctx context.Context, _ *struct{}) (*body[[]sc.Shared], error) {
	got, err := a.Compliance.Shared(ctx, caller(ctx).Viewer())
	return wrapBody(got, err, a)
}

func (a *API) getShare(ctx context.Context, in *ShareInput) (*body[sc.Share], error) {
	sh, err := a.Compliance.Share(ctx, caller(ctx).Viewer(), in.ID)
	return wrapBody(sh, err, a)
}

func (a *API) deleteShare(ctx context.Context, in *ShareInput) (*struct{}, error) {
	if err := a.Compliance.DeleteShare(ctx, caller(ctx).Viewer(), in.ID); err != nil {
		return nil, a.problem(err)
	}
	return nil, nil
}
