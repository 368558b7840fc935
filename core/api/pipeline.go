package api

import (
	"context"
	"net/http"

	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/danielgtaylor/huma/v2"
)

// The pipeline's operations apply exactly the rules of the pages: they call
// the same service as the caller's viewer, whose reach (core/reach) decides
// whose records they read and change: a partner user their own partner's
// (a distributor also reads its sub-partners'), managers their partners',
// admins all; anything else is 404, like a record that does not exist.
// Operations for staff are declared Staff, and the service checks again.
func (a *API) registerPipeline() {
	if a.Pipeline == nil {
		return
	}
	for _, r := range []route{
		bind(op("list-leads", http.MethodGet, "/api/v1/leads", "Leads the caller may see", SignedIn, "Leads"), a.listLeads),
		bind(created(op("submit-lead", http.MethodPost, "/api/v1/leads", "Submit a lead (partners)", SignedIn, "Leads")), a.submitLead),
		bind(op("get-lead", http.MethodGet, "/api/v1/leads/{id}", "A lead with its history", SignedIn, "Leads"), a.getLead),
		bind(op("set-lead-status", http.MethodPost, "/api/v1/leads/{id}/status", "Move a lead (staff)", Staff, "Leads"), a.setLeadStatus),
		bind(op("comment-lead", http.MethodPost, "/api/v1/leads/{id}/comments", "Comment on a lead (staff)", Staff, "Leads"), a.commentLead),
		bind(op("convert-lead", http.MethodPost, "/api/v1/leads/{id}/convert", "Convert a lead into a deal (staff)", Staff, "Leads"), a.convertLead),
		bind(op("list-deals", http.MethodGet, "/api/v1/deals", "Deals the caller may see, with totals per stage", SignedIn, "Deals"), a.listDeals),
		bind(created(op("register-deal", http.MethodPost, "/api/v1/deals", "Register a deal for approval (partners)", SignedIn, "Deals")), a.registerDeal),
		bind(op("get-deal", http.MethodGet, "/api/v1/deals/{id}", "A deal with its history and notes", SignedIn, "Deals"), a.getDeal),
		bind(op("set-deal-stage", http.MethodPost, "/api/v1/deals/{id}/stage", "Move a deal (staff)", Staff, "Deals"), a.setDealStage),
		bind(op("review-deal", http.MethodPost, "/api/v1/deals/{id}/review", "Approve or reject a registration (staff)", Staff, "Deals"), a.reviewDeal),
		bind(created(op("add-deal-note", http.MethodPost, "/api/v1/deals/{id}/notes", "Add a note to a deal", SignedIn, "Deals")), a.addDealNote),
		bind(op("list-commissions", http.MethodGet, "/api/v1/commissions", "The commission ledger the caller may see", SignedIn, "Commissions"), a.listCommissions),
		bind(op("set-commission-status", http.MethodPost, "/api/v1/commissions/{id}/status", "Approve or pay a commission (staff)", Staff, "Commissions"), a.setCommissionStatus),
		bind(created(op("correct-commission", http.MethodPost, "/api/v1/commissions/{id}/corrections", "Correct a commission with a new entry (staff)", Staff, "Commissions")), a.correctCommission),
		bind(op("get-overview", http.MethodGet, "/api/v1/overview", "Pipeline figures: the caller's partner, or for staff a partner or all theirs", SignedIn, "Overview"), a.getOverview),
	} {
		r(a.huma)
	}
}

// route is one operation bound to its handler, ready to register.
type route func(huma.API)

// bind pairs an operation with its named handler, so a file's operations
// read as one list.
func bind[I, O any](o huma.Operation, handler func(context.Context, *I) (*O, error)) route {
	return func(api huma.API) { huma.Register(api, o, handler) }
}

// created answers 201 on success.
func created(o huma.Operation) huma.Operation {
	o.DefaultStatus = http.StatusCreated
	return o
}

type byID struct {
	ID int64 `path:"id" minimum:"1"`
}

type body[T any] struct{ Body T }

func wrapBody[T any](v T, err error, a *API) (*body[T], error) {
	if err != nil {
		return nil, a.problem(err)
	}
	return &body[T]{v}, nil
}

type leadListInput struct {
	Status    string `query:"status" enum:"new,qualified,demo,proposal,closed_won,closed_lost," doc:"Only leads in this status."`
	Q         string `query:"q" doc:"Search company, contact and email."`
	Sort      string `query:"sort" enum:"newest,oldest,company,status," default:"newest"`
	Review    bool   `query:"review" doc:"Staff: only leads flagged for review."`
	PartnerID int64  `query:"partnerId" doc:"Staff: only this partner's leads."`
	Page      int    `query:"page" minimum:"1" default:"1"`
	PerPage   int    `query:"perPage" minimum:"1" maximum:"100" default:"25"`
}

func (a *API) listLeads(ctx context.Context, in *leadListInput) (*body[sp.LeadPage], error) {
	sort := in.Sort
	if sort == "newest" {
		sort = ""
	}
	page, err := a.Pipeline.ListLeads(ctx, caller(ctx).Viewer(), sp.LeadQuery{Status: in.Status, Search: in.Q, Sort: sort,
		Review: in.Review, PartnerID: in.PartnerID, Page: in.Page, PerPage: in.PerPage})
	if page.Items == nil {
		page.Items = []sp.Lead{}
	}
	return wrapBody(page, err, a)
}

type leadInput struct{ Body sp.LeadInput }

func (a *API) submitLead(ctx context.Context, in *leadInput) (*body[sp.Lead], error) {
	v, err := a.Pipeline.SubmitLead(ctx, caller(ctx).Viewer(), in.Body)
	return wrapBody(v, err, a)
}

func (a *API) getLead(ctx context.Context, in *byID) (*body[sp.LeadDetail], error) {
	v, err := a.Pipeline.GetLead(ctx, caller(ctx).Viewer(), in.ID)
	return wrapBody(v, err, a)
}

type leadStatusInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Status  string `json:"status"`
		Comment string `json:"comment,omitempty"`
	}
}

func (a *API) setLeadStatus(ctx context.Context, in *leadStatusInput) (*body[sp.Lead], error) {
	v, err := a.Pipeline.SetLeadStatus(ctx, caller(ctx).Viewer(), sp.StatusChange{ID: in.ID, Status: in.Body.Status, Comment: in.Body.Comment})
	return wrapBody(v, err, a)
}

type leadCommentInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Comment string `json:"comment"`
	}
}

func (a *API) commentLead(ctx context.Context, in *leadCommentInput) (*body[sp.LeadDetail], error) {
	v, err := a.Pipeline.CommentLead(ctx, caller(ctx).Viewer(), sp.Comment{ID: in.ID, Comment: in.Body.Comment})
	return wrapBody(v, err, a)
}

type convertInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Name  string   `json:"name,omitempty"`
		Value sp.Money `json:"value"`
	}
}

func (a *API) convertLead(ctx context.Context, in *convertInput) (*body[sp.Deal], error) {
	v, err := a.Pipeline.ConvertLead(ctx, caller(ctx).Viewer(), sp.Convert{ID: in.ID, Name: in.Body.Name, Value: in.Body.Value})
	return wrapBody(v, err, a)
}

type dealListInput struct {
	Stage        string `query:"stage"`
	Registration string `query:"registration" enum:"pending,approved,rejected,"`
	Q            string `query:"q"`
	Open         bool   `query:"open" doc:"Only deals still being worked."`
	PartnerID    int64  `query:"partnerId"`
	Page         int    `query:"page" minimum:"1" default:"1"`
	PerPage      int    `query:"perPage" minimum:"1" maximum:"100" default:"25"`
}

func (a *API) listDeals(ctx context.Context, in *dealListInput) (*body[sp.DealPage], error) {
	page, err := a.Pipeline.ListDeals(ctx, caller(ctx).Viewer(), sp.DealQuery{Stage: in.Stage, Registration: in.Registration, Search: in.Q,
		Open: in.Open, PartnerID: in.PartnerID, Page: in.Page, PerPage: in.PerPage})
	if page.Items == nil {
		page.Items = []sp.Deal{}
	}
	return wrapBody(page, err, a)
}

type dealInput struct{ Body sp.DealInput }

func (a *API) registerDeal(ctx context.Context, in *dealInput) (*body[sp.Deal], error) {
	v, err := a.Pipeline.RegisterDeal(ctx, caller(ctx).Viewer(), in.Body)
	return wrapBody(v, err, a)
}

func (a *API) getDeal(ctx context.Context, in *byID) (*body[sp.DealDetail], error) {
	v, err := a.Pipeline.GetDeal(ctx, caller(ctx).Viewer(), in.ID)
	return wrapBody(v, err, a)
}

type dealStageInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Stage  string `json:"stage"`
		Reason string `json:"reason,omitempty"`
	}
}

func (a *API) setDealStage(ctx context.Context, in *dealStageInput) (*body[sp.Deal], error) {
	v, err := a.Pipeline.SetDealStage(ctx, caller(ctx).Viewer(), sp.StageChange{ID: in.ID, Stage: in.Body.Stage, Reason: in.Body.Reason})
	return wrapBody(v, err, a)
}

type dealReviewInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Approve bool   `json:"approve"`
		Reason  string `json:"reason,omitempty"`
	}
}

func (a *API) reviewDeal(ctx context.Context, in *dealReviewInput) (*body[sp.Deal], error) {
	v, err := a.Pipeline.ReviewDeal(ctx, caller(ctx).Viewer(), sp.Review{ID: in.ID, Approve: in.Body.Approve, Reason: in.Body.Reason})
	return wrapBody(v, err, a)
}

type dealNoteInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Body string `json:"body"`
	}
}

func (a *API) addDealNote(ctx context.Context, in *dealNoteInput) (*body[sp.Note], error) {
	v, err := a.Pipeline.AddDealNote(ctx, caller(ctx).Viewer(), sp.NoteInput{DealID: in.ID, Body: in.Body.Body})
	return wrapBody(v, err, a)
}

type commissionListInput struct {
	Status    string `query:"status" enum:"pending,approved,paid,"`
	PartnerID int64  `query:"partnerId"`
	Page      int    `query:"page" minimum:"1" default:"1"`
	PerPage   int    `query:"perPage" minimum:"1" maximum:"100" default:"25"`
}

func (a *API) listCommissions(ctx context.Context, in *commissionListInput) (*body[sp.CommissionPage], error) {
	page, err := a.Pipeline.ListCommissions(ctx, caller(ctx).Viewer(), sp.CommissionQuery{Status: in.Status, PartnerID: in.PartnerID,
		Page: in.Page, PerPage: in.PerPage})
	if page.Items == nil {
		page.Items = []sp.Commission{}
	}
	return wrapBody(page, err, a)
}

type commissionStatusInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Status     string `json:"status" enum:"approved,paid"`
		PayoutDate string `json:"payoutDate,omitempty"`
		Reference  string `json:"reference,omitempty"`
	}
}

func (a *API) setCommissionStatus(ctx context.Context, in *commissionStatusInput) (*body[sp.Commission], error) {
	v, err := a.Pipeline.SetCommissionStatus(ctx, caller(ctx).Viewer(), sp.CommissionChange{ID: in.ID, Status: in.Body.Status,
		PayoutDate: in.Body.PayoutDate, Reference: in.Body.Reference})
	return wrapBody(v, err, a)
}

type correctionInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Amount sp.Money `json:"amount"`
		Reason string   `json:"reason"`
	}
}

func (a *API) correctCommission(ctx context.Context, in *correctionInput) (*body[sp.Commission], error) {
	v, err := a.Pipeline.CorrectCommission(ctx, caller(ctx).Viewer(), sp.Correction{ID: in.ID, Amount: in.Body.Amount, Reason: in.Body.Reason})
	return wrapBody(v, err, a)
}

type overviewInput struct {
	PartnerID int64 `query:"partnerId"`
}

func (a *API) getOverview(ctx context.Context, in *overviewInput) (*body[sp.Overview], error) {
	v, err := a.Pipeline.Overview(ctx, caller(ctx).Viewer(), sp.OverviewQuery{PartnerID: in.PartnerID})
	return wrapBody(v, err, a)
}
