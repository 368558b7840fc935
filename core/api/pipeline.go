package api

import (
	"context"
	"net/http"

	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/danielgtaylor/huma/v2"
)

// The pipeline's operations apply exactly the rules of the pages: they call
// the same service as the caller's viewer, so a partner user reads and
// writes only their own partner's records (a distributor also reads its
// sub-partners'), managers their partners', admins all; anything else is
// 404, like a record that does not exist.

type byID struct {
	ID int64 `path:"id" minimum:"1"`
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

type dealListInput struct {
	Stage        string `query:"stage"`
	Registration string `query:"registration" enum:"pending,approved,rejected,"`
	Q            string `query:"q"`
	Open         bool   `query:"open" doc:"Only deals still being worked."`
	PartnerID    int64  `query:"partnerId"`
	Page         int    `query:"page" minimum:"1" default:"1"`
	PerPage      int    `query:"perPage" minimum:"1" maximum:"100" default:"25"`
}

type body[T any] struct{ Body T }

func wrapBody[T any](v T, err error, a *API) (*body[T], error) {
	if err != nil {
		return nil, a.problem(err)
	}
	return &body[T]{v}, nil
}

func (a *API) registerPipeline() {
	if a.Pipeline == nil {
		return
	}
	s := a.Pipeline
	huma.Register(a.huma, op("list-leads", http.MethodGet, "/api/v1/leads", "Leads the caller may see", SignedIn, "Leads"),
		func(ctx context.Context, in *leadListInput) (*body[sp.LeadPage], error) {
			sort := in.Sort
			if sort == "newest" {
				sort = ""
			}
			page, err := s.ListLeads(ctx, caller(ctx).Viewer(), sp.LeadQuery{Status: in.Status, Search: in.Q, Sort: sort, Review: in.Review,
				PartnerID: in.PartnerID, Page: in.Page, PerPage: in.PerPage})
			if page.Items == nil {
				page.Items = []sp.Lead{}
			}
			return wrapBody(page, err, a)
		})
	submit := op("submit-lead", http.MethodPost, "/api/v1/leads", "Submit a lead (partners)", SignedIn, "Leads")
	submit.DefaultStatus = http.StatusCreated
	huma.Register(a.huma, submit, func(ctx context.Context, in *struct{ Body sp.LeadInput }) (*body[sp.Lead], error) {
		v, err := s.SubmitLead(ctx, caller(ctx).Viewer(), in.Body)
		return wrapBody(v, err, a)
	})
	huma.Register(a.huma, op("get-lead", http.MethodGet, "/api/v1/leads/{id}", "A lead with its history", SignedIn, "Leads"),
		func(ctx context.Context, in *byID) (*body[sp.LeadDetail], error) {
			v, err := s.GetLead(ctx, caller(ctx).Viewer(), in.ID)
			return wrapBody(v, err, a)
		})
	huma.Register(a.huma, op("set-lead-status", http.MethodPost, "/api/v1/leads/{id}/status", "Move a lead (staff)", SignedIn, "Leads"),
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body struct {
				Status  string `json:"status"`
				Comment string `json:"comment,omitempty"`
			}
		}) (*body[sp.Lead], error) {
			v, err := s.SetLeadStatus(ctx, caller(ctx).Viewer(), sp.StatusChange{ID: in.ID, Status: in.Body.Status, Comment: in.Body.Comment})
			return wrapBody(v, err, a)
		})
	huma.Register(a.huma, op("comment-lead", http.MethodPost, "/api/v1/leads/{id}/comments", "Comment on a lead (staff)", SignedIn, "Leads"),
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body struct {
				Comment string `json:"comment"`
			}
		}) (*body[sp.LeadDetail], error) {
			v, err := s.CommentLead(ctx, caller(ctx).Viewer(), sp.Comment{ID: in.ID, Comment: in.Body.Comment})
			return wrapBody(v, err, a)
		})
	huma.Register(a.huma, op("convert-lead", http.MethodPost, "/api/v1/leads/{id}/convert", "Convert a lead into a deal (staff)", SignedIn, "Leads"),
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body struct {
				Name  string   `json:"name,omitempty"`
				Value sp.Money `json:"value"`
			}
		}) (*body[sp.Deal], error) {
			v, err := s.ConvertLead(ctx, caller(ctx).Viewer(), sp.Convert{ID: in.ID, Name: in.Body.Name, Value: in.Body.Value})
			return wrapBody(v, err, a)
		})

	huma.Register(a.huma, op("list-deals", http.MethodGet, "/api/v1/deals", "Deals the caller may see, with totals per stage", SignedIn, "Deals"),
		func(ctx context.Context, in *dealListInput) (*body[sp.DealPage], error) {
			page, err := s.ListDeals(ctx, caller(ctx).Viewer(), sp.DealQuery{Stage: in.Stage, Registration: in.Registration, Search: in.Q,
				Open: in.Open, PartnerID: in.PartnerID, Page: in.Page, PerPage: in.PerPage})
			if page.Items == nil {
				page.Items = []sp.Deal{}
			}
			return wrapBody(page, err, a)
		})
	register := op("register-deal", http.MethodPost, "/api/v1/deals", "Register a deal for approval (partners)", SignedIn, "Deals")
	register.DefaultStatus = http.StatusCreated
	huma.Register(a.huma, register, func(ctx context.Context, in *struct{ Body sp.DealInput }) (*body[sp.Deal], error) {
		v, err := s.RegisterDeal(ctx, caller(ctx).Viewer(), in.Body)
		return wrapBody(v, err, a)
	})
	huma.Register(a.huma, op("get-deal", http.MethodGet, "/api/v1/deals/{id}", "A deal with its history and notes", SignedIn, "Deals"),
		func(ctx context.Context, in *byID) (*body[sp.DealDetail], error) {
			v, err := s.GetDeal(ctx, caller(ctx).Viewer(), in.ID)
			return wrapBody(v, err, a)
		})
	huma.Register(a.huma, op("set-deal-stage", http.MethodPost, "/api/v1/deals/{id}/stage", "Move a deal (staff)", SignedIn, "Deals"),
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body struct {
				Stage  string `json:"stage"`
				Reason string `json:"reason,omitempty"`
			}
		}) (*body[sp.Deal], error) {
			v, err := s.SetDealStage(ctx, caller(ctx).Viewer(), sp.StageChange{ID: in.ID, Stage: in.Body.Stage, Reason: in.Body.Reason})
			return wrapBody(v, err, a)
		})
	huma.Register(a.huma, op("review-deal", http.MethodPost, "/api/v1/deals/{id}/review", "Approve or reject a registration (staff)", SignedIn, "Deals"),
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body struct {
				Approve bool   `json:"approve"`
				Reason  string `json:"reason,omitempty"`
			}
		}) (*body[sp.Deal], error) {
			v, err := s.ReviewDeal(ctx, caller(ctx).Viewer(), sp.Review{ID: in.ID, Approve: in.Body.Approve, Reason: in.Body.Reason})
			return wrapBody(v, err, a)
		})
	note := op("add-deal-note", http.MethodPost, "/api/v1/deals/{id}/notes", "Add a note to a deal", SignedIn, "Deals")
	note.DefaultStatus = http.StatusCreated
	huma.Register(a.huma, note, func(ctx context.Context, in *struct {
		ID   int64 `path:"id"`
		Body struct {
			Body string `json:"body"`
		}
	}) (*body[sp.Note], error) {
		v, err := s.AddDealNote(ctx, caller(ctx).Viewer(), sp.NoteInput{DealID: in.ID, Body: in.Body.Body})
		return wrapBody(v, err, a)
	})

	huma.Register(a.huma, op("list-commissions", http.MethodGet, "/api/v1/commissions", "The commission ledger the caller may see", SignedIn, "Commissions"),
		func(ctx context.Context, in *struct {
			Status    string `query:"status" enum:"pending,approved,paid,"`
			PartnerID int64  `query:"partnerId"`
			Page      int    `query:"page" minimum:"1" default:"1"`
			PerPage   int    `query:"perPage" minimum:"1" maximum:"100" default:"25"`
		}) (*body[sp.CommissionPage], error) {
			page, err := s.ListCommissions(ctx, caller(ctx).Viewer(), sp.CommissionQuery{Status: in.Status, PartnerID: in.PartnerID, Page: in.Page, PerPage: in.PerPage})
			if page.Items == nil {
				page.Items = []sp.Commission{}
			}
			return wrapBody(page, err, a)
		})
	huma.Register(a.huma, op("set-commission-status", http.MethodPost, "/api/v1/commissions/{id}/status", "Approve or pay a commission (staff)", SignedIn, "Commissions"),
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body struct {
				Status     string `json:"status" enum:"approved,paid"`
				PayoutDate string `json:"payoutDate,omitempty"`
				Reference  string `json:"reference,omitempty"`
			}
		}) (*body[sp.Commission], error) {
			v, err := s.SetCommissionStatus(ctx, caller(ctx).Viewer(), sp.CommissionChange{ID: in.ID, Status: in.Body.Status, PayoutDate: in.Body.PayoutDate, Reference: in.Body.Reference})
			return wrapBody(v, err, a)
		})
	corr := op("correct-commission", http.MethodPost, "/api/v1/commissions/{id}/corrections", "Correct a commission with a new entry (staff)", SignedIn, "Commissions")
	corr.DefaultStatus = http.StatusCreated
	huma.Register(a.huma, corr, func(ctx context.Context, in *struct {
		ID   int64 `path:"id"`
		Body struct {
			Amount sp.Money `json:"amount"`
			Reason string   `json:"reason"`
		}
	}) (*body[sp.Commission], error) {
		v, err := s.CorrectCommission(ctx, caller(ctx).Viewer(), sp.Correction{ID: in.ID, Amount: in.Body.Amount, Reason: in.Body.Reason})
		return wrapBody(v, err, a)
	})
	huma.Register(a.huma, op("get-overview", http.MethodGet, "/api/v1/overview", "Pipeline figures: the caller's partner, or for staff a partner or all theirs", SignedIn, "Overview"),
		func(ctx context.Context, in *struct {
			PartnerID int64 `query:"partnerId"`
		}) (*body[sp.Overview], error) {
			v, err := s.Overview(ctx, caller(ctx).Viewer(), sp.OverviewQuery{PartnerID: in.PartnerID})
			return wrapBody(v, err, a)
		})
}
