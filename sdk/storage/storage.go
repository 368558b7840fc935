// Package storage is the host API for a plugin's own data: small key/value
// entries and simple records in named collections. Everything a plugin
// stores is visible only to that plugin. Scope it per partner with Partner:
// the host then uses the viewer's partner, so a partner's data never leaks
// to another partner through the plugin.
//
//	_, err := storage.Put.Call(ctx, req.Host, storage.PutRequest{Key: "intro-seen", Value: json.RawMessage(`true`), Partner: true})
package storage

import (
	"encoding/json"
	"time"

	"github.com/atriumhq/atrium/sdk"
)

// Permissions a plugin's manifest asks for to use these calls.
const (
	PermRead  = "storage:read"
	PermWrite = "storage:write"
)

// The calls.
var (
	Get    = sdk.Method[GetRequest, Entry]{Name: "storage.kv.get", Permission: PermRead}
	Put    = sdk.Method[PutRequest, Entry]{Name: "storage.kv.put", Permission: PermWrite}
	Delete = sdk.Method[GetRequest, Entry]{Name: "storage.kv.delete", Permission: PermWrite}

	Add    = sdk.Method[AddRequest, Record]{Name: "storage.records.add", Permission: PermWrite}
	Update = sdk.Method[UpdateRequest, Record]{Name: "storage.records.update", Permission: PermWrite}
	List   = sdk.Method[ListRequest, RecordPage]{Name: "storage.records.list", Permission: PermRead}
)

// MaxValueBytes bounds one value or record.
const MaxValueBytes = 64 << 10

// GetRequest names an entry.
type GetRequest struct {
	Key string `json:"key"`
	// Partner scopes the key to the viewer's partner. A viewer with no
	// partner (staff) is refused.
	Partner bool `json:"partner,omitempty"`
}

// PutRequest stores a JSON value under a key.
type PutRequest struct {
	Key     string          `json:"key"`
	Value   json.RawMessage `json:"value"`
	Partner bool            `json:"partner,omitempty"`
}

// Entry is a stored value; Found is false when the key holds nothing.
type Entry struct {
	Key       string          `json:"key"`
	Value     json.RawMessage `json:"value,omitempty"`
	Found     bool            `json:"found"`
	UpdatedAt time.Time       `json:"updatedAt,omitzero"`
}

// AddRequest appends a record to a collection ("answers", "requests").
type AddRequest struct {
	Collection string          `json:"collection"`
	Data       json.RawMessage `json:"data"`
	Partner    bool            `json:"partner,omitempty"`
}

// UpdateRequest replaces a record's data.
type UpdateRequest struct {
	Collection string          `json:"collection"`
	ID         int64           `json:"id"`
	Data       json.RawMessage `json:"data"`
}

// ListRequest reads a collection, newest first.
type ListRequest struct {
	Collection string `json:"collection"`
	// Partner limits the list to the viewer's partner's records.
	Partner bool `json:"partner,omitempty"`
	// AllPartners lists every partner's records the viewer reaches: staff
	// (and staff's previews of a room) the partners they work with, a
	// partner's users their own partner's (a distributor's, its
	// sub-partners' too).
	AllPartners bool `json:"allPartners,omitempty"`
	Limit       int  `json:"limit,omitempty"` // default and maximum 500
	// Before, when set, lists only records with a smaller id: pass the
	// previous page's Next to read the following page.
	Before int64 `json:"before,omitempty"`
}

// Record is one stored record. PartnerID is 0 for plugin-wide records.
type Record struct {
	ID         int64           `json:"id"`
	Collection string          `json:"collection"`
	PartnerID  int64           `json:"partnerId"`
	UserID     int64           `json:"userId"`
	Data       json.RawMessage `json:"data"`
	CreatedAt  time.Time       `json:"createdAt"`
	UpdatedAt  time.Time       `json:"updatedAt"`
}

// RecordPage is a list of records, newest first.
type RecordPage struct {
	Records []Record `json:"records"`
	// Next is the Before of the following page, or 0 when this page is
	// the last.
	Next int64 `json:"next,omitempty"`
}
