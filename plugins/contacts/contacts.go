// Package contacts is the Contacts room: whom a partner works with, on both
// sides. It shows the vendor's people for the partner (the partner manager,
// technical support, marketing) and the partner's own team, each with photo,
// role and title, what to reach them for, email and phone, and how they
// prefer to be reached. The people come from the portal's directory through
// the host call directory.contacts.list, as the viewer: a partner sees its
// own team and its own vendor contacts, nothing else.
//
//	kind: Room
//	slug: contacts
//	type: contacts
//	partnerTypes: [referral, reseller, distributor, implementation]
package contacts

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/atriumhq/atrium/sdk"
	sdkdir "github.com/atriumhq/atrium/sdk/directory"
	"github.com/atriumhq/atrium/sdk/i18n"
	"github.com/atriumhq/atrium/sdk/ui"
)

// The room's words, one file per language. People's titles, what they are
// reached for and how they prefer it are the directory's, as written.
//
//go:embed locales/*.json
var locales embed.FS

var catalog = i18n.MustLoad(locales, "locales")

// ID names the plugin.
const ID = "atrium/contacts"

// Plugin returns the Contacts room type and the block that draws it.
func Plugin() sdk.Plugin {
	return sdk.Plugin{ID: ID, Rooms: []sdk.RoomType{room{}}, Blocks: []sdk.BlockType{block{}}}
}

type room struct{}

// Describe names the room type; every Contacts room starts with the people
// block.
func (room) Describe() sdk.RoomInfo {
	return sdk.RoomInfo{
		Name:               "contacts",
		Title:              "Contacts",
		Description:        "Who the partner works with at the vendor and in its own team, and how to reach them.",
		Icon:               "users",
		OncePerPartnerType: true,
		DefaultBlocks:      []sdk.BlockSpec{{ID: "people", Type: "contacts"}},
	}
}

type block struct{}

type config struct {
	// Team turns the partner's own team off (on by default).
	HideTeam bool `json:"hideTeam,omitempty"`
}

const schema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "Contacts",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "hideTeam": {"type": "boolean", "description": "Show only the vendor's people, not the partner's own team."}
  }
}`

// Describe names the block type. It reads per-partner data, so it is never
// shared across partners.
func (block) Describe() sdk.BlockInfo {
	return sdk.BlockInfo{
		Name:         "contacts",
		Title:        "Contacts",
		Description:  "The partner's vendor contacts and own team, from the directory.",
		Icon:         "users",
		ConfigSchema: json.RawMessage(schema),
	}
}

// roleLabel names a vendor role for partners, in their language; the
// catalogue has "role.<role>" for each role of the directory.
func roleLabel(w *i18n.Locale, role string) string {
	if id := "role." + role; w.Has(id) {
		return w.T(id)
	}
	return ""
}

// Render draws the vendor's people first (whom to reach), then the team.
func (block) Render(ctx context.Context, req sdk.RenderRequest) (ui.Component, error) {
	cfg, err := sdk.DecodeConfig[config](req.Config)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	w := catalog.For(req.Viewer.Locale)
	c, err := sdkdir.ListContacts.Call(ctx, req.Host, sdkdir.ContactsQuery{})
	if errors.Is(err, sdk.ErrNotFound) {
		return ui.Empty{Title: w.T("none.title"), Description: w.T("none.body")}, nil
	}
	if err != nil {
		return nil, err
	}
	out := ui.Children{ui.Heading{Text: w.T("vendor.title"), Level: 2}}
	if len(c.Vendor) == 0 {
		out = append(out, ui.Empty{Title: w.T("vendor.empty-title"), Description: w.T("vendor.empty")})
	} else {
		out = append(out, cards(w, c.Vendor, func(p sdkdir.Contact) string { return roleLabel(w, p.Role) }))
	}
	if !cfg.HideTeam && len(c.Team) > 0 {
		out = append(out, ui.Heading{Text: w.T("team.title"), Level: 2})
		out = append(out, cards(w, c.Team, func(p sdkdir.Contact) string { return "" }))
	}
	return ui.Stack{Children: out}, nil
}

func cards(w *i18n.Locale, people []sdkdir.Contact, role func(sdkdir.Contact) string) ui.Columns {
	cols := ui.Columns{Count: min(max(len(people), 2), 3)}
	for _, p := range people {
		title := p.Title
		if r := role(p); r != "" {
			if title != "" && !strings.EqualFold(title, r) {
				title = r + " · " + title
			} else {
				title = r
			}
		}
		cols.Children = append(cols.Children, ui.Person{
			Name: p.Name, Title: title, PhotoURL: photo(p.PhotoURL), Email: p.Email, Phone: p.Phone,
			Reach: p.Preferred, Responsibilities: p.Responsibilities, ResponsibilitiesTitle: w.T("reach-out"),
		})
	}
	return cols
}

// photo keeps only links the theme may draw.
func photo(u string) string {
	if u != "" && sdk.Linkable(u) {
		return u
	}
	return ""
}
