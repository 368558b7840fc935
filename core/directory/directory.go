// Package directory keeps the program's people and organisations: partners
// (with type, tier, stage, partner manager and an optional parent
// distributor) and users (staff and partner users). It validates against the
// program's vocabulary and never exposes password hashes.
package directory

import (
	"time"

	"github.com/atriumhq/atrium/sdk"
	"github.com/uptrace/bun"
)

// Partner is a partner organisation.
type Partner struct {
	bun.BaseModel `bun:"table:partners"`

	ID        int64     `bun:"id,pk,autoincrement" json:"id"`
	Slug      string    `bun:"slug" json:"slug"`
	Name      string    `bun:"name" json:"name"`
	Type      string    `bun:"type" json:"type"`
	Tier      string    `bun:"tier" json:"tier"`
	Stage     string    `bun:"stage" json:"stage"`
	ManagerID *int64    `bun:"manager_id" json:"managerId,omitempty"`
	ParentID  *int64    `bun:"parent_id" json:"parentId,omitempty"`
	LogoURL   string    `bun:"logo_url" json:"logoUrl,omitempty"`
	CreatedAt time.Time `bun:"created_at" json:"createdAt"`
	UpdatedAt time.Time `bun:"updated_at" json:"updatedAt"`
}

// SDK is the partner as block and room types see it.
func (p Partner) SDK() *sdk.Partner {
	out := &sdk.Partner{ID: p.ID, Slug: p.Slug, Name: p.Name, Type: p.Type, Tier: p.Tier, Stage: p.Stage, LogoURL: p.LogoURL}
	if p.ParentID != nil {
		out.ParentID = *p.ParentID
	}
	return out
}

// User is a person who signs in: staff (admin, manager) or a partner user.
type User struct {
	bun.BaseModel `bun:"table:users"`

	ID          int64    `bun:"id,pk,autoincrement" json:"id"`
	Email       string   `bun:"email" json:"email"`
	Name        string   `bun:"name" json:"name"`
	Role        sdk.Role `bun:"role" json:"role"`
	ContactRole string   `bun:"contact_role" json:"contactRole,omitempty"`
	PartnerID   *int64   `bun:"partner_id" json:"partnerId,omitempty"`
	Title       string   `bun:"title" json:"title,omitempty"`
	Phone       string   `bun:"phone" json:"phone,omitempty"`
	PhotoURL    string   `bun:"photo_url" json:"photoUrl,omitempty"`
	// Language is the person's own choice of language (a tag the portal
	// ships, "de"); "" follows their browser, then the program.
	Language     string `bun:"language" json:"language,omitempty"`
	PasswordHash string `bun:"password_hash" json:"-"`
	// Permissions are capabilities granted beyond the role (staff only).
	Permissions Permissions `bun:"permissions" json:"permissions"`
	Active      bool        `bun:"active" json:"active"`
	LastLoginAt *time.Time  `bun:"last_login_at" json:"lastLoginAt,omitempty"`
	CreatedAt   time.Time   `bun:"created_at" json:"createdAt"`
	UpdatedAt   time.Time   `bun:"updated_at" json:"updatedAt"`
}

// HasPassword reports whether the user has set a password (an invited user
// has not, until they accept).
func (u User) HasPassword() bool { return u.PasswordHash != "" }

// Viewer builds the SDK viewer for the user and their partner (nil for
// staff).
func (u User) Viewer(p *Partner) sdk.Viewer {
	v := sdk.Viewer{UserID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, ContactRole: u.ContactRole, Locale: u.Language}
	if p != nil {
		v.Partner = p.SDK()
	}
	return v
}

// Directory reads and writes partners and users.
type Directory struct {
	db    bun.IDB
	stmts *statements
}

// New returns a Directory over db.
func New(db bun.IDB) *Directory { return &Directory{db: db, stmts: &statements{}} }

// WithTx returns a Directory that works inside tx.
func (d *Directory) WithTx(tx bun.IDB) *Directory { return &Directory{db: tx, stmts: &statements{}} }

// Page is one page of a list.
type Page[T any] struct {
	Items   []T `json:"items"`
	Total   int `json:"total"`
	Page    int `json:"page"`
	PerPage int `json:"perPage"`
}

// Pages is the number of pages.
func (p Page[T]) Pages() int {
	if p.PerPage <= 0 {
		return 1
	}
	return max(1, (p.Total+p.PerPage-1)/p.PerPage)
}

func paging(page, perPage int) (int, int) {
	if perPage <= 0 || perPage > 200 {
		perPage = 25
	}
	if page < 1 {
		page = 1
	}
	return page, perPage
}

func now() time.Time { return time.Now().UTC() }
