// Package content is the host API of the content rooms: the Resources
// library, the brand kit and each partner's shared file space. Every call
// runs as the viewer: a partner lists only what its audience admits and only
// its own shared space; staff see everything they manage.
//
// Files travel outside these calls: every file has a plain download URL
// (ending in /download) that the portal checks on each request, and uploads
// go to the portal's upload URLs, so no bytes pass through a plugin.
package content

import (
	"time"

	"github.com/atriumhq/atrium/sdk"
)

// Collections of resources.
const (
	Library = "library" // the Resources room
	Brand   = "brand"   // the Brand Guidelines room
	Media   = "media"   // pictures and videos shown by image and video blocks
)

// Categories of the library.
var Categories = []string{"training", "marketing", "sales", "technical", "program-updates"}

// Brand sections, the categories of the brand collection.
var BrandSections = []string{"logos", "colors", "typography", "templates", "guidelines", "co-branded"}

// TagFacets are the kinds of tag, written "facet:value" ("industry:healthcare").
var TagFacets = []string{"industry", "type", "product"}

// ResourceQuery selects resources. Filters combine (all must hold); Tags
// must all be present.
type ResourceQuery struct {
	Collection string   `json:"collection,omitempty"` // Library (default) or Brand
	Folder     string   `json:"folder,omitempty"`     // this folder and its subfolders
	Category   string   `json:"category,omitempty"`
	Tags       []string `json:"tags,omitempty"`
	Search     string   `json:"search,omitempty"` // words in title, description or tags
	IDs        []int64  `json:"ids,omitempty"`    // only these
	// Sort is "newest" (default), "downloads" or "title".
	Sort   string `json:"sort,omitempty"`
	Limit  int    `json:"limit,omitempty"` // default 50, at most 500
	Offset int    `json:"offset,omitempty"`
	// Archived includes archived resources (staff only).
	Archived bool `json:"archived,omitempty"`
}

// Resource is one item of the library or the brand kit.
type Resource struct {
	ID          int64     `json:"id"`
	Collection  string    `json:"collection"`
	Title       string    `json:"title"`
	Description string    `json:"description,omitempty"`
	Folder      string    `json:"folder,omitempty"`
	Category    string    `json:"category,omitempty"`
	Tags        []string  `json:"tags,omitempty"`
	LinkURL     string    `json:"linkUrl,omitempty"`
	Swatch      string    `json:"swatch,omitempty"` // a colour's code, "#2563eb"
	Body        string    `json:"body,omitempty"`   // Markdown (guidelines, typography)
	FileName    string    `json:"fileName,omitempty"`
	ContentType string    `json:"contentType,omitempty"`
	Size        int64     `json:"size,omitempty"`
	Version     int       `json:"version,omitempty"`
	FileID      int64     `json:"fileId,omitempty"` // what image and video blocks name in "file"
	DownloadURL string    `json:"downloadUrl,omitempty"`
	PreviewURL  string    `json:"previewUrl,omitempty"` // an image to show inline
	Updated     time.Time `json:"updated"`
	// Staff only.
	Downloads int64  `json:"downloads,omitempty"`
	Owner     string `json:"owner,omitempty"`
	ReviewDue bool   `json:"reviewDue,omitempty"` // past its review date
	Archived  bool   `json:"archived,omitempty"`
	EditURL   string `json:"editUrl,omitempty"`
	// NewVersionURL is the page to upload a new version of its file.
	NewVersionURL string `json:"newVersionUrl,omitempty"`
}

// ResourcePage is a page of resources and the choices for further filters.
type ResourcePage struct {
	Items      []Resource `json:"items"`
	Total      int        `json:"total"`
	Folders    []string   `json:"folders,omitempty"`
	Categories []string   `json:"categories,omitempty"`
	Tags       []string   `json:"tags,omitempty"`
	// ManageURL is the staff page for uploading and editing (staff only).
	ManageURL string `json:"manageUrl,omitempty"`
}

// Ref names one record.
type Ref struct {
	ID int64 `json:"id"`
}

// Version is one version of a file.
type Version struct {
	Number      int       `json:"number"`
	Name        string    `json:"name"`
	Size        int64     `json:"size"`
	Uploaded    time.Time `json:"uploaded"`
	UploadedBy  string    `json:"uploadedBy,omitempty"`
	DownloadURL string    `json:"downloadUrl,omitempty"` // empty when the viewer may not have it
}

// Access is one view or download of a file.
type Access struct {
	Who     string    `json:"who"`
	Partner string    `json:"partner,omitempty"`
	Action  string    `json:"action"`
	Version int       `json:"version"`
	At      time.Time `json:"at"`
}

// Comment is a note on a shared file.
type Comment struct {
	ID     int64     `json:"id"`
	Author string    `json:"author"`
	Body   string    `json:"body"`
	At     time.Time `json:"at"`
}

// ResourceDetail is one resource with, for staff, its versions and downloads.
type ResourceDetail struct {
	Resource Resource  `json:"resource"`
	Versions []Version `json:"versions,omitempty"`
	Accesses []Access  `json:"accesses,omitempty"`
}

// SpaceQuery asks for a partner's shared space. Partners always get their
// own; staff name the partner (0 lists the partners they may open).
type SpaceQuery struct {
	PartnerID int64  `json:"partnerId,omitempty"`
	Folder    string `json:"folder,omitempty"`
}

// SharedFile is a file of a shared space.
type SharedFile struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Folder      string    `json:"folder,omitempty"`
	Version     int       `json:"version"`
	Size        int64     `json:"size"`
	Updated     time.Time `json:"updated"`
	DownloadURL string    `json:"downloadUrl"`
	Comments    int       `json:"comments"`
}

// SpacePartner is a partner whose space a staff member may open.
type SpacePartner struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Space is a partner's shared files.
type Space struct {
	PartnerID   int64          `json:"partnerId,omitempty"`
	PartnerName string         `json:"partnerName,omitempty"`
	Files       []SharedFile   `json:"files"`
	Folders     []string       `json:"folders,omitempty"`
	UploadURL   string         `json:"uploadUrl,omitempty"` // a page with the upload form
	Partners    []SpacePartner `json:"partners,omitempty"`  // staff, when no partner was named
}

// SharedFileDetail is a shared file with its history.
type SharedFileDetail struct {
	File       SharedFile `json:"file"`
	PartnerID  int64      `json:"partnerId"`
	Versions   []Version  `json:"versions"`
	Comments   []Comment  `json:"comments"`
	Accesses   []Access   `json:"accesses"`
	VersionURL string     `json:"versionUrl"` // a page to upload a new version
}

// NewComment comments on a shared file.
type NewComment struct {
	FileID int64  `json:"fileId"`
	Body   string `json:"body"`
}

// The calls.
var (
	ListResources = sdk.Method[ResourceQuery, ResourcePage]{Name: "content.resources.list", Permission: "content:read"}
	GetResource   = sdk.Method[Ref, ResourceDetail]{Name: "content.resources.get", Permission: "content:read"}
	ListSpace     = sdk.Method[SpaceQuery, Space]{Name: "content.files.list", Permission: "content:read"}
	GetSharedFile = sdk.Method[Ref, SharedFileDetail]{Name: "content.files.get", Permission: "content:read"}
	CommentFile   = sdk.Method[NewComment, Comment]{Name: "content.files.comment", Permission: "content:write"}
)
