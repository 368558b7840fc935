package sdk

// Role is what a user may do in the portal as a whole.
type Role string

// The four roles. Admins and managers are the vendor's staff; partner admins
// and partner users belong to one partner.
const (
	RoleAdmin        Role = "admin"
	RoleManager      Role = "manager" // a partner manager
	RolePartnerAdmin Role = "partner_admin"
	RolePartnerUser  Role = "partner_user"
)

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleManager, RolePartnerAdmin, RolePartnerUser:
		return true
	}
	return false
}

// Staff reports whether r belongs to the vendor's staff.
func (r Role) Staff() bool { return r == RoleAdmin || r == RoleManager }

// Viewer is the person a page, block or action is served to. Block and room
// types receive it with every call so that they can stay stateless.
type Viewer struct {
	UserID      int64  `json:"userId"`
	Email       string `json:"email"`
	Name        string `json:"name"`
	Role        Role   `json:"role"`
	ContactRole string `json:"contactRole,omitempty"` // sales, technical, executive, marketing, ...
	// Partner is the partner the viewer belongs to, or, for staff previewing a
	// room, the partner or audience being previewed. Nil for staff otherwise.
	Partner *Partner `json:"partner,omitempty"`
	// Preview is true when staff look at a room as someone else would see it.
	// Blocks should render exactly what that audience sees and not record
	// engagement.
	Preview bool `json:"preview,omitempty"`
	// ActsFor lists the partners a staff viewer may act for on the staff
	// side of a room type (RoomInfo.StaffView): a manager's own partners.
	// ActsForAll is true for admins, who act for every partner. Both are
	// empty everywhere else. The host enforces the same limits on every
	// call; these tell a plugin what to offer.
	ActsFor    []int64 `json:"actsFor,omitempty"`
	ActsForAll bool    `json:"actsForAll,omitempty"`
	// Locale is the language the viewer reads, a BCP 47 tag ("de", "es"):
	// their own setting, else their browser's, else the program's. Pass it
	// to an [i18n.Catalog]'s For to word a block in it; "" means English.
	// Portals from before it was added leave it empty.
	//
	// [i18n.Catalog]: https://pkg.go.dev/github.com/atriumhq/atrium/sdk/i18n#Catalog
	Locale string `json:"locale,omitempty"`
}

// MayActFor reports whether a staff viewer may act for a partner.
func (v Viewer) MayActFor(partnerID int64) bool {
	if !v.Staff() {
		return false
	}
	if v.ActsForAll {
		return true
	}
	for _, id := range v.ActsFor {
		if id == partnerID {
			return true
		}
	}
	return false
}

// Staff reports whether the viewer is on the vendor's side.
func (v Viewer) Staff() bool { return v.Role.Staff() }

// PartnerID is the viewer's partner id, or 0 when there is none.
func (v Viewer) PartnerID() int64 {
	if v.Partner == nil {
		return 0
	}
	return v.Partner.ID
}

// Partner is the partner organisation a viewer belongs to.
type Partner struct {
	ID       int64  `json:"id"`
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	Type     string `json:"type"`  // referral, reseller, distributor, implementation, ...
	Tier     string `json:"tier"`  // bronze, silver, gold, platinum, ...
	Stage    string `json:"stage"` // getting-started, training, active, strategic, ...
	ParentID int64  `json:"parentId,omitempty"`
	LogoURL  string `json:"logoUrl,omitempty"`
}
