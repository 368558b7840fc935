package api

import (
	"context"
	"net/http"

	sn "github.com/atriumhq/atrium/sdk/network"
)

// The Network operations: a distributor's own network of sub-partners.
// They call core/network as the caller's viewer, so they apply the rules of
// the Distributor room and nothing else: a distributor's users reach their
// own sub-partners only, staff the sub-partners they reach; another
// network, a sibling or a sub-partner outside the caller's reach answers
// 404, like one that does not exist.
func (a *API) registerNetwork() {
	if a.Network == nil {
		return
	}
	const tag = "Network"
	for _, r := range []route{
		bind(described(op("list-sub-partners", http.MethodGet, "/api/v1/network/sub-partners", "A distributor's sub-partners", SignedIn, tag), listSubsDoc), a.listSubPartners),
		bind(described(op("get-sub-partner", http.MethodGet, "/api/v1/network/sub-partners/{id}", "One sub-partner, read-only", SignedIn, tag), getSubDoc), a.getSubPartner),
		bind(described(op("network-dashboard", http.MethodGet, "/api/v1/network/dashboard", "The network's pipeline, revenue, commissions and engagement", SignedIn, tag), dashboardDoc), a.networkDashboard),
		bind(described(op("list-network-invitations", http.MethodGet, "/api/v1/network/invitations", "Recruits and their status", SignedIn, tag), invitationsDoc), a.listNetworkInvitations),
		bind(described(created(op("recruit-sub-partner", http.MethodPost, "/api/v1/network/invitations", "Invite a new sub-partner organisation", SignedIn, tag)), recruitDoc), a.recruitSubPartner),
		bind(described(op("decide-network-invitation", http.MethodPost, "/api/v1/network/invitations/{id}/decision", "Approve or decline a recruit (staff)", Staff, tag), decideDoc), a.decideNetworkInvitation),
		bind(described(op("network-invitation-link", http.MethodPost, "/api/v1/network/invitations/{id}/link", "A new invitation link for an approved recruit's admin", SignedIn, tag), linkDoc), a.networkInvitationLink),
	} {
		r(a.huma)
	}
}

const (
	listSubsDoc = "A distributor's users get their own network (leave `distributor` out); staff name a distributor they reach and get " +
		"the sub-partners they reach in it, or, naming none, the distributors they may pick (`networks`). Onboarding is the program's " +
		"onboarding checklist; performance is all time: open leads, open deals and their value, revenue won, per currency. " +
		"`compliance` is present only when the portal reports it."
	getSubDoc = "The sub-partner's people, onboarding checklist, leads by status and deals by stage (all time) and engagement over the " +
		"last 30 days. Never its messages, files or projects."
	dashboardDoc = "The same rules as the Revenue & Leads dashboard, scoped to the network: leads submitted in the range by their status " +
		"now, registered deals by stage, revenue won by the day deals closed, commissions by the day they were earned; money per currency, " +
		"the program's first. `to` is the day after the last day counted; without a range, the last 90 days. Per sub-partner, engagement " +
		"is the last 30 days."
	invitationsDoc = "A distributor's users see their network's; staff those of the distributors they manage. `joined` means the " +
		"sub-partner's admin has set a password."
	recruitDoc = "A distributor's admins only. When the program asks for the vendor's approval (the default) the invitation waits for " +
		"the distributor's manager; otherwise the sub-partner and its admin are created at once and `link` is the admin's invitation link " +
		"(shown once)."
	decideDoc = "Staff who manage the distributor. Approving creates the sub-partner (the program's first tier and stage, the " +
		"distributor's manager) and its admin, and answers the admin's invitation `link`; declining needs a `reason`, which the distributor reads."
	linkDoc = "For an approved recruit whose admin has not joined: the distributor's admins or the staff who manage it. Earlier links stop working."
)

// SubPartnerListInput filters a network's directory.
type SubPartnerListInput struct {
	Distributor int64  `query:"distributor" minimum:"0" doc:"Staff: the distributor whose network to list."`
	Q           string `query:"q" maxLength:"200" doc:"Words in the sub-partner's name or its people's email."`
	Type        string `query:"type" maxLength:"40" doc:"Only sub-partners of this type."`
	Tier        string `query:"tier" maxLength:"40" doc:"Only sub-partners of this tier."`
	Stage       string `query:"stage" maxLength:"40" doc:"Only sub-partners in this stage."`
	Sort        string `query:"sort" enum:"name,joined,stage,onboarding,won,leads," doc:"The order; by name when left out."`
	Desc        bool   `query:"desc" doc:"Largest (or latest, or Z) first."`
	Page        int    `query:"page" minimum:"1" default:"1" doc:"Page number, from 1."`
	PerPage     int    `query:"perPage" minimum:"1" maximum:"200" default:"25" doc:"Sub-partners per page."`
}

// SubPartnerInput names a sub-partner.
type SubPartnerInput struct {
	ID int64 `path:"id" minimum:"1" doc:"The sub-partner's id."`
}

// NetworkDashboardInput selects a network and a range.
type NetworkDashboardInput struct {
	Distributor int64  `query:"distributor" minimum:"0" doc:"Staff: the distributor whose network to show."`
	From        string `query:"from" pattern:"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$" doc:"The first day, YYYY-MM-DD."`
	To          string `query:"to" pattern:"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$" doc:"The day after the last day, YYYY-MM-DD."`
}

// NetworkInvitationListInput filters invitations.
type NetworkInvitationListInput struct {
	Status  string `query:"status" enum:"pending,declined,invited,joined," doc:"Only invitations in this state."`
	Page    int    `query:"page" minimum:"1" default:"1" doc:"Page number, from 1."`
	PerPage int    `query:"perPage" minimum:"1" maximum:"100" default:"25" doc:"Invitations per page."`
}

// RecruitInput invites a sub-partner.
type RecruitInput struct {
	Body sn.Recruit
}

// DecisionInput approves or declines a recruit.
type DecisionInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The invitation's id."`
	Body struct {
		Approve bool   `json:"approve" doc:"true approves; false declines."`
		Reason  string `json:"reason,omitempty" maxLength:"2000" doc:"Why it is declined; required to decline."`
	}
}

// NetworkInvitationInput names an invitation.
type NetworkInvitationInput struct {
	ID int64 `path:"id" minimum:"1" doc:"The invitation's id."`
}

func (a *API) listSubPartners(ctx context.Context, in *SubPartnerListInput) (*body[sn.DirectoryPage], error) {
	page, err := a.Network.List(ctx, caller(ctx).Viewer(), sn.DirectoryQuery{DistributorID: in.Distributor, Q: in.Q, Type: in.Type, Tier: in.Tier,
		Stage: in.Stage, Sort: in.Sort, Desc: in.Desc, Page: in.Page, PerPage: in.PerPage})
	return wrapBody(page, err, a)
}

func (a *API) getSubPartner(ctx context.Context, in *SubPartnerInput) (*body[sn.SubPartnerDetail], error) {
	d, err := a.Network.Get(ctx, caller(ctx).Viewer(), in.ID)
	return wrapBody(d, err, a)
}

func (a *API) networkDashboard(ctx context.Context, in *NetworkDashboardInput) (*body[sn.Dashboard], error) {
	d, err := a.Network.Dashboard(ctx, caller(ctx).Viewer(), sn.DashboardQuery{DistributorID: in.Distributor, From: in.From, To: in.To})
	return wrapBody(d, err, a)
}

func (a *API) listNetworkInvitations(ctx context.Context, in *NetworkInvitationListInput) (*body[sn.InvitationPage], error) {
	page, err := a.Network.Invitations(ctx, caller(ctx).Viewer(), sn.InvitationQuery{Status: in.Status, Page: in.Page, PerPage: in.PerPage})
	return wrapBody(page, err, a)
}

func (a *API) recruitSubPartner(ctx context.Context, in *RecruitInput) (*body[sn.Sent], error) {
	s, err := a.Network.Recruit(ctx, caller(ctx).Viewer(), in.Body)
	return wrapBody(s, err, a)
}

func (a *API) decideNetworkInvitation(ctx context.Context, in *DecisionInput) (*body[sn.Sent], error) {
	s, err := a.Network.Decide(ctx, caller(ctx).Viewer(), sn.Decision{ID: in.ID, Approve: in.Body.Approve, Reason: in.Body.Reason})
	return wrapBody(s, err, a)
}

func (a *API) networkInvitationLink(ctx context.Context, in *NetworkInvitationInput) (*body[sn.Sent], error) {
	s, err := a.Network.NewLink(ctx, caller(ctx).Viewer(), in.ID)
	return wrapBody(s, err, a)
}
