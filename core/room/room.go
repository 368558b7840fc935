// Package room keeps rooms and their blocks: the model, its validation, and
// an idempotent, all-or-nothing apply. A room is data — the same shape in the
// database, in YAML room files and in the REST API's JSON.
//
// The room builder edits the same documents one room at a time: a draft
// (Service.Draft, SaveDraft, Discard, RequestReview) is invisible to
// partners until Publish; every change partners can see, whichever editor
// made it, is a numbered revision (History, Revision, Diff, Restore,
// Rollback); and every save names the state it started from (a Base), so
// a stale one is refused with a *StaleError instead of overwriting someone.
package room

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/atriumhq/atrium/sdk"
)

// Room is a page of the portal, composed of blocks, shown to the partners of
// the partner types it serves whom its audience admits.
type Room struct {
	// Name identifies the room document; it defaults to the slug. Two rooms
	// may share a slug when they serve different partner types, and then
	// need different names ("overview-referral").
	Name  string `json:"name,omitempty"`
	Slug  string `json:"slug"`
	Title string `json:"title"`
	// Titles are the title in other languages, by language tag ("de");
	// readers of a language without one see Title. Room files write both
	// as one map (title: {en: Training, de: Schulungen}).
	Titles       map[string]string `json:"titles,omitempty"`
	Icon         string            `json:"icon,omitempty"`
	Type         string            `json:"type,omitempty"` // room type of a predefined room; empty for custom rooms
	PartnerTypes []string          `json:"partnerTypes"`
	Position     int               `json:"position"`
	Audience     sdk.Audience      `json:"audience,omitzero"`
	Blocks       []Block           `json:"blocks,omitempty"`

	ID        int64     `json:"-"`
	UpdatedAt time.Time `json:"-"`
}

// Block is one block placed in a room.
type Block struct {
	ID            string          `json:"id"`
	Type          string          `json:"type"`
	SchemaVersion int             `json:"schemaVersion,omitempty"`
	Audience      sdk.Audience    `json:"audience,omitzero"`
	Config        json.RawMessage `json:"config,omitempty"`
}

// Key returns the room's name, or its slug when it has none.
func (r Room) Key() string {
	if r.Name != "" {
		return r.Name
	}
	return r.Slug
}

// Serves reports whether the room is for partners of the given type.
func (r Room) Serves(partnerType string) bool { return slices.Contains(r.PartnerTypes, partnerType) }

// TitleIn is the room's title for a reader of lang: its translation in
// that language (or in its base language: "de" for "de-AT"), else Title.
func (r Room) TitleIn(lang string) string {
	if t, ok := r.Titles[lang]; ok && t != "" {
		return t
	}
	if base, _, ok := strings.Cut(lang, "-"); ok {
		if t, ok := r.Titles[base]; ok && t != "" {
			return t
		}
	}
	return r.Title
}

// Spec returns the room's block specs, for renderers.
func (b Block) Spec() sdk.BlockSpec {
	return sdk.BlockSpec{ID: b.ID, Type: b.Type, Config: b.Config, Audience: b.Audience}
}

// equal reports whether two rooms are the same document.
func equal(a, b Room) bool {
	ja, _ := json.Marshal(normal(a))
	jb, _ := json.Marshal(normal(b))
	return string(ja) == string(jb)
}

// normal is the room as stored: name filled, no database fields, partner
// types as the set they are (the database returns them sorted).
func normal(r Room) Room {
	r.Name = r.Key()
	r.PartnerTypes = slices.Sorted(slices.Values(r.PartnerTypes))
	r.ID, r.UpdatedAt = 0, time.Time{}
	if len(r.Blocks) == 0 {
		r.Blocks = nil
	}
	return r
}
