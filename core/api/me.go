package api

import (
	"context"
	"net/http"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/sdk"
)

func (a *API) registerMe() {
	for _, r := range []route{
		bind(op("get-me", http.MethodGet, "/api/v1/me", "The signed-in caller", SignedIn, "Me"), a.getMe),
		bind(op("list-my-rooms", http.MethodGet, "/api/v1/me/rooms", "The rooms the caller sees, in navigation order", SignedIn, "Me"), a.listMyRooms),
	} {
		r(a.huma)
	}
}

// MeBody is the signed-in caller.
type MeBody struct {
	User    directory.User     `json:"user"`
	Partner *directory.Partner `json:"partner,omitempty"`
}

// NavRoom is a room in a partner's navigation.
type NavRoom struct {
	Slug     string `json:"slug"`
	Title    string `json:"title"`
	Icon     string `json:"icon,omitempty"`
	Type     string `json:"type,omitempty"`
	Position int    `json:"position"`
	URL      string `json:"url"`
}

func (a *API) getMe(ctx context.Context, _ *struct{}) (*body[MeBody], error) {
	p := caller(ctx)
	return &body[MeBody]{MeBody{User: p.User, Partner: p.Partner}}, nil
}

func (a *API) listMyRooms(ctx context.Context, _ *struct{}) (*body[[]NavRoom], error) {
	p := caller(ctx)
	out := []NavRoom{}
	var v sdk.Viewer = p.Viewer()
	for _, r := range a.Catalog.Current().Nav(v) {
		out = append(out, NavRoom{Slug: r.Slug, Title: r.Title, Icon: r.Icon, Type: r.Type, Position: r.Position, URL: "/rooms/" + r.Slug})
	}
	return &body[[]NavRoom]{out}, nil
}
