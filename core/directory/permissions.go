package directory

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/sdk"
)

// Named capabilities a staff user may be granted beyond their role. Admins
// hold every one by their role; managers only those granted to them; partner
// users none. Keep the list small: a permission is for a decision the
// vendor wants to give some managers and not others.
const (
	// PermPublishRooms lets a manager publish and delete rooms: what
	// partners see. Every manager may edit drafts and ask for a review.
	PermPublishRooms = "rooms.publish"
)

// KnownPermissions are the permissions that exist, in the order pages list
// them.
var KnownPermissions = []string{PermPublishRooms}

// Permissions is a user's granted permissions. It is stored as a JSON list
// (never null), so an empty grant reads back empty on both engines.
type Permissions []string

// Has reports whether perm is granted.
func (p Permissions) Has(perm string) bool { return slices.Contains(p, perm) }

// Value stores the permissions as a JSON list.
func (p Permissions) Value() (driver.Value, error) {
	if len(p) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal([]string(p))
	return string(b), err
}

// Scan reads the JSON list.
func (p *Permissions) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		*p = nil
		return nil
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("permissions: unexpected %T", src)
	}
	var out []string
	if err := json.Unmarshal(b, &out); err != nil {
		return fmt.Errorf("permissions: %w", err)
	}
	*p = out
	return nil
}

// SetPermissions replaces a staff user's permissions. Only known names are
// accepted, and only staff hold any: a partner user is refused, so a grant
// cannot lie dormant until someone changes their role.
func (d *Directory) SetPermissions(ctx context.Context, id int64, perms []string) (User, error) {
	u, err := d.User(ctx, id)
	if err != nil {
		return User{}, err
	}
	clean := Permissions{}
	for _, p := range perms {
		p = strings.TrimSpace(p)
		if !slices.Contains(KnownPermissions, p) {
			return User{}, fail.Fields(map[string]string{"permissions": fmt.Sprintf("Unknown permission %q; known: %s.", p, strings.Join(KnownPermissions, ", "))})
		}
		if !clean.Has(p) {
			clean = append(clean, p)
		}
	}
	slices.Sort(clean)
	if len(clean) > 0 && !u.Role.Staff() {
		return User{}, fail.Fields(map[string]string{"permissions": "Only staff (admins and partner managers) hold permissions."})
	}
	u.Permissions, u.UpdatedAt = clean, now()
	if _, err := d.db.NewUpdate().Model(&u).Column("permissions", "updated_at").WherePK().Exec(ctx); err != nil {
		return User{}, fmt.Errorf("set permissions of user %d: %w", id, err)
	}
	return u, nil
}

// HoldersOf lists the active staff who hold perm: every admin, and the
// managers granted it. It is how the portal finds whom to ask, for example
// who may publish a draft waiting for review.
func (d *Directory) HoldersOf(ctx context.Context, perm string) ([]User, error) {
	var out []User
	err := d.db.NewSelect().Model(&out).Where("active = ?", true).
		Where("(role = ? OR (role = ? AND permissions LIKE ? ESCAPE '\\'))", sdk.RoleAdmin, sdk.RoleManager, `%"`+escapeLike(perm)+`"%`).
		OrderExpr("id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list holders of %s: %w", perm, err)
	}
	return out, nil
}
