package api

import (
	"context"
	"net/http"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/sdk"
	"github.com/danielgtaylor/huma/v2"
)

type partnerID struct {
	ID int64 `path:"id"`
}

type partnerBody struct {
	Body directory.Partner
}

type partnerListInput struct {
	Q       string `query:"q" doc:"Search in name and slug."`
	Type    string `query:"type"`
	Tier    string `query:"tier"`
	Stage   string `query:"stage"`
	Page    int    `query:"page" minimum:"1" default:"1"`
	PerPage int    `query:"perPage" minimum:"1" maximum:"200" default:"25"`
}

func (a *API) registerPartners() {
	huma.Register(a.huma, op("list-partners", http.MethodGet, "/api/v1/partners", "Partners (managers: theirs)", Staff, "Partners"),
		func(ctx context.Context, in *partnerListInput) (*struct {
			Body directory.Page[directory.Partner]
		}, error) {
			p := caller(ctx)
			f := directory.PartnerFilter{Query: in.Q, Type: in.Type, Tier: in.Tier, Stage: in.Stage, Page: in.Page, PerPage: in.PerPage}
			if !p.IsAdmin() {
				ids, err := a.managedIDs(ctx)
				if err != nil {
					return nil, a.problem(err)
				}
				f.Within = ids
			}
			res, err := a.Dir.ListPartners(ctx, f)
			if err != nil {
				return nil, a.problem(err)
			}
			if res.Items == nil {
				res.Items = []directory.Partner{}
			}
			return &struct {
				Body directory.Page[directory.Partner]
			}{res}, nil
		})
	huma.Register(a.huma, op("get-partner", http.MethodGet, "/api/v1/partners/{id}", "One partner", SignedIn, "Partners"),
		func(ctx context.Context, in *partnerID) (*partnerBody, error) {
			pt, err := a.visiblePartner(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &partnerBody{pt}, nil
		})
	create := op("create-partner", http.MethodPost, "/api/v1/partners", "Create a partner", Staff, "Partners")
	create.DefaultStatus = http.StatusCreated
	huma.Register(a.huma, create, func(ctx context.Context, in *struct{ Body directory.PartnerInput }) (*partnerBody, error) {
		body := a.scopePartnerInput(ctx, in.Body)
		pt, err := a.Dir.CreatePartner(ctx, body)
		if err != nil {
			return nil, a.problem(err)
		}
		return &partnerBody{pt}, nil
	})
	huma.Register(a.huma, op("put-partner", http.MethodPut, "/api/v1/partners/{id}", "Change a partner", Staff, "Partners"),
		func(ctx context.Context, in *struct {
			// Not an embedded partnerID: huma does not see path
			// parameters of unexported embedded structs.
			ID   int64 `path:"id"`
			Body directory.PartnerInput
		}) (*partnerBody, error) {
			pt, err := a.Dir.Partner(ctx, in.ID)
			if err != nil || !a.manages(ctx, pt.ID) {
				return nil, huma.Error404NotFound("Partner not found.")
			}
			updated, err := a.Dir.UpdatePartner(ctx, in.ID, a.scopePartnerInput(ctx, in.Body))
			if err != nil {
				return nil, a.problem(err)
			}
			return &partnerBody{updated}, nil
		})
}

// visiblePartner returns a partner the caller reaches: staff who work it,
// its own users, and the users of its parent in a two-tier program.
func (a *API) visiblePartner(ctx context.Context, id int64) (directory.Partner, error) {
	rc, err := a.reach.For(ctx, caller(ctx).Viewer())
	if err != nil {
		return directory.Partner{}, a.problem(err)
	}
	pt, err := a.Dir.Partner(ctx, id)
	if err != nil || !rc.CanRead(pt.ID) {
		return directory.Partner{}, huma.Error404NotFound("Partner not found.")
	}
	return pt, nil
}

// manages reports whether the caller works a partner from the vendor's
// side, by the one reach rule.
func (a *API) manages(ctx context.Context, partnerID int64) bool {
	rc, err := a.reach.For(ctx, caller(ctx).Viewer())
	if err != nil {
		a.Log.Warn("reach of a caller", "err", err)
		return false
	}
	return rc.Manages(partnerID)
}

// scopePartnerInput makes a manager the manager of what they create or
// change; only admins assign managers.
func (a *API) scopePartnerInput(ctx context.Context, in directory.PartnerInput) directory.PartnerInput {
	p := caller(ctx)
	if !p.IsAdmin() {
		in.ManagerID = &p.User.ID
		if in.ParentID != nil {
			if parent, err := a.Dir.Partner(ctx, *in.ParentID); err != nil || !a.manages(ctx, parent.ID) {
				in.ParentID = nil
			}
		}
	}
	return in
}

type userID struct {
	ID int64 `path:"id"`
}

type userBody struct {
	Body directory.User
}

type userListInput struct {
	Q         string `query:"q" doc:"Search in name and email."`
	Role      string `query:"role" enum:"admin,manager,partner_admin,partner_user,"`
	PartnerID int64  `query:"partnerId"`
	Page      int    `query:"page" minimum:"1" default:"1"`
	PerPage   int    `query:"perPage" minimum:"1" maximum:"200" default:"25"`
}

// Invitation is a created user and the link that lets them set a password.
type Invitation struct {
	User      directory.User `json:"user"`
	Link      string         `json:"link" doc:"Single use; send it to the person."`
	ExpiresAt time.Time      `json:"expiresAt"`
}

func (a *API) registerUsers() {
	huma.Register(a.huma, op("list-users", http.MethodGet, "/api/v1/users", "Users (managers: their partners' people)", Staff, "Users"),
		func(ctx context.Context, in *userListInput) (*struct {
			Body directory.Page[directory.User]
		}, error) {
			p := caller(ctx)
			f := directory.UserFilter{Query: in.Q, Role: sdk.Role(in.Role), PartnerID: in.PartnerID, Page: in.Page, PerPage: in.PerPage}
			if !p.IsAdmin() {
				ids, err := a.managedIDs(ctx)
				if err != nil {
					return nil, a.problem(err)
				}
				f.PartnerIDs = ids
			}
			res, err := a.Dir.ListUsers(ctx, f)
			if err != nil {
				return nil, a.problem(err)
			}
			if res.Items == nil {
				res.Items = []directory.User{}
			}
			return &struct {
				Body directory.Page[directory.User]
			}{res}, nil
		})
	huma.Register(a.huma, op("get-user", http.MethodGet, "/api/v1/users/{id}", "One user", Staff, "Users"),
		func(ctx context.Context, in *userID) (*userBody, error) {
			u, err := a.managedUser(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &userBody{u}, nil
		})
	create := op("invite-user", http.MethodPost, "/api/v1/users", "Create a user and an invitation link", Staff, "Users")
	create.DefaultStatus = http.StatusCreated
	huma.Register(a.huma, create, func(ctx context.Context, in *struct{ Body directory.UserInput }) (*struct{ Body Invitation }, error) {
		p := caller(ctx)
		body := in.Body
		if !p.IsAdmin() {
			if body.Role.Staff() {
				return nil, huma.Error422UnprocessableEntity("Only admins can invite staff.", &huma.ErrorDetail{Location: "body.role", Message: "Only admins can invite staff."})
			}
			if body.PartnerID != nil {
				if pt, err := a.Dir.Partner(ctx, *body.PartnerID); err != nil || !a.manages(ctx, pt.ID) {
					return nil, huma.Error422UnprocessableEntity("Choose one of your partners.", &huma.ErrorDetail{Location: "body.partnerId", Message: "Choose one of your partners."})
				}
			}
		}
		u, err := a.Dir.CreateUser(ctx, body)
		if err != nil {
			return nil, a.problem(err)
		}
		token, exp, err := a.Auth.Invite(ctx, u.ID, p.User.ID)
		if err != nil {
			return nil, a.problem(err)
		}
		return &struct{ Body Invitation }{Invitation{User: u, Link: "/invite/" + token, ExpiresAt: exp}}, nil
	})
	for _, active := range []bool{false, true} {
		name, verb := "deactivate", "Deactivate a user (ends their sessions and tokens)"
		if active {
			name, verb = "activate", "Reactivate a user"
		}
		o := op(name+"-user", http.MethodPost, "/api/v1/users/{id}/"+name, verb, Staff, "Users")
		huma.Register(a.huma, o, func(ctx context.Context, in *userID) (*userBody, error) {
			u, err := a.managedUser(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			if u.ID == caller(ctx).User.ID {
				return nil, huma.Error422UnprocessableEntity("You cannot change your own access.")
			}
			if err := a.Dir.SetActive(ctx, u.ID, active); err != nil {
				return nil, a.problem(err)
			}
			a.Auth.Forget(u.ID) // cut off at once, not after the session cache
			u.Active = active
			return &userBody{u}, nil
		})
	}
}

// registerPermissions adds the admins' operation on what staff may do
// beyond their role.
func (a *API) registerPermissions() {
	huma.Register(a.huma, op("set-user-permissions", http.MethodPut, "/api/v1/users/{id}/permissions",
		"Replace a staff user's permissions (admins only; known: rooms.publish)", Admin, "Users"),
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body struct {
				Permissions []string `json:"permissions" doc:"Every permission the user holds after the call."`
			}
		}) (*userBody, error) {
			u, err := a.Dir.SetPermissions(ctx, in.ID, in.Body.Permissions)
			if err != nil {
				return nil, a.problem(err)
			}
			a.Auth.Forget(u.ID) // the new rights apply at once, not after the session cache
			return &userBody{u}, nil
		})
}

// managedUser returns a user the staff caller manages: admins any, managers
// the people of their partners.
func (a *API) managedUser(ctx context.Context, id int64) (directory.User, error) {
	p := caller(ctx)
	u, err := a.Dir.User(ctx, id)
	notFound := huma.Error404NotFound("User not found.")
	if err != nil {
		return directory.User{}, notFound
	}
	if p.IsAdmin() {
		return u, nil
	}
	if u.PartnerID == nil {
		return directory.User{}, notFound
	}
	pt, err := a.Dir.Partner(ctx, *u.PartnerID)
	if err != nil || !a.manages(ctx, pt.ID) {
		return directory.User{}, notFound
	}
	return u, nil
}

// managedIDs lists the partners a manager reaches.
func (a *API) managedIDs(ctx context.Context) ([]int64, error) {
	rc, err := a.reach.For(ctx, caller(ctx).Viewer())
	return rc.IDs(), err
}
