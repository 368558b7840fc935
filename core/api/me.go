package api

import (
	"context"
	"net/http"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/sdk"
	"github.com/danielgtaylor/huma/v2"
)

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

func (a *API) registerMe() {
	huma.Register(a.huma, op("get-me", http.MethodGet, "/api/v1/me", "The signed-in caller", SignedIn, "Me"),
		func(ctx context.Context, _ *struct{}) (*struct{ Body MeBody }, error) {
			p := caller(ctx)
			return &struct{ Body MeBody }{MeBody{User: p.User, Partner: p.Partner}}, nil
		})
	huma.Register(a.huma, op("list-my-rooms", http.MethodGet, "/api/v1/me/rooms", "The rooms the caller sees, in navigation order", SignedIn, "Me"),
		func(ctx context.Context, _ *struct{}) (*struct{ Body []NavRoom }, error) {
			p := caller(ctx)
			out := []NavRoom{}
			var v sdk.Viewer = p.Viewer()
			for _, r := range a.Catalog.Current().Nav(v) {
				out = append(out, NavRoom{Slug: r.Slug, Title: r.Title, Icon: r.Icon, Type: r.Type, Position: r.Position, URL: "/rooms/" + r.Slug})
			}
			return &struct{ Body []NavRoom }{out}, nil
		})
}
