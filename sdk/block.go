package sdk

import (
	"context"
	"encoding/json"
	"time"

	"github.com/atriumhq/atrium/sdk/ui"
)

// BlockType is a kind of block that partner managers place in rooms: text,
// video, a lead form, a survey. One value serves every block of its type, for
// every viewer, concurrently; keep per-block state in the config and per-viewer
// state behind [Host].
type BlockType interface {
	// Describe is called once, when the type is registered.
	Describe() BlockInfo
	// Render builds the block's component tree for one viewer. It must honour
	// ctx: the portal renders blocks under a deadline and shows a placeholder
	// for a block that does not answer in time.
	Render(ctx context.Context, req RenderRequest) (ui.Component, error)
}

// BlockInfo describes a block type to the portal and to partner managers.
type BlockInfo struct {
	// Name is unique across the portal. Built-ins use a plain word ("text");
	// third parties use a namespace ("acme/quiz").
	Name        string `json:"name"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Icon        string `json:"icon,omitempty"`
	// ConfigSchema is a JSON Schema (draft 2020-12) for the block's config.
	// The portal validates every config against it before it is stored.
	// A top-level string property annotated "x-atrium-translatable": true
	// may be given by language in room files and the builder
	// ({"en": "...", "de": "..."}): the portal then validates the config
	// once per language and hands Render, actions and ValidateConfig the
	// config with that property as one plain string, the reader's (or the
	// "en" default).
	ConfigSchema json.RawMessage `json:"configSchema,omitempty"`
	// SchemaVersion is the version of the config shape. When it grows, the
	// portal asks the type to migrate stored configs (see [ConfigMigrator]).
	SchemaVersion int `json:"schemaVersion,omitempty"`
	// DefaultConfig is the config a newly added block starts with.
	DefaultConfig json.RawMessage `json:"defaultConfig,omitempty"`
	// Cache says for how long, and for whom, a rendered tree may be reused.
	Cache CachePolicy `json:"cache,omitzero"`
}

// CachePolicy lets the portal reuse a rendered tree instead of calling Render.
// The zero value means never cache. Whatever the policy, the portal never
// shares a tree between staff and partners, nor between a preview and a real
// view, and it drops every cached tree when rooms or the program change.
type CachePolicy struct {
	MaxAge time.Duration `json:"maxAge,omitempty"`
	// VaryBy says whose views may share a cached tree: "" or "config" (every
	// viewer of the same block config), "partner" or "user".
	VaryBy string `json:"varyBy,omitempty"`
}

// Cache scopes for [CachePolicy.VaryBy].
const (
	VaryByConfig  = "config"
	VaryByPartner = "partner"
	VaryByUser    = "user"
)

// RenderRequest is everything a block type needs to render one block for one
// viewer.
type RenderRequest struct {
	Viewer  Viewer          `json:"viewer"`
	Room    RoomRef         `json:"room"`
	BlockID string          `json:"blockId"`
	Config  json.RawMessage `json:"config"`
	// Host reaches portal data as the viewer. Never nil when called by the
	// portal; test harnesses provide their own.
	Host Host `json:"-"`
}

// RoomRef names the room a block is rendered in.
type RoomRef struct {
	Slug  string `json:"slug"`
	Title string `json:"title"`
	Type  string `json:"type,omitempty"` // room type, empty for custom rooms
	// Path is the room's URL path, for links that stay inside the room.
	Path string `json:"path"`
}

// ConfigValidator is implemented by block types whose configs need checks
// beyond their JSON Schema (a URL on an allowlist, two fields that must agree).
type ConfigValidator interface {
	ValidateConfig(ctx context.Context, config json.RawMessage) error
}

// ConfigMigrator is implemented by block types whose config shape changed. The
// portal calls it with a config stored at an older SchemaVersion and stores
// what it returns.
type ConfigMigrator interface {
	MigrateConfig(ctx context.Context, fromVersion int, config json.RawMessage) (json.RawMessage, error)
}

// DecodeConfig unmarshals a block config into T. A nil or empty config yields
// the zero T, so block types can rely on their defaults.
func DecodeConfig[T any](raw json.RawMessage) (T, error) {
	var v T
	if len(raw) == 0 || string(raw) == "null" {
		return v, nil
	}
	err := json.Unmarshal(raw, &v)
	return v, err
}
