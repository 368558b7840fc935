// Package directory declares the host API calls about the program's people
// that block and room types may make, such as the Contacts room's list of
// whom a partner works with.
package directory

import "github.com/atriumhq/atrium/sdk"

// ListContacts returns the viewer's partner's own team and the vendor's
// people for that partner. Partner users get their own partner's; staff may
// name a partner they manage (admins any) with PartnerID, and otherwise get
// the people who serve every partner.
var ListContacts = sdk.Method[ContactsQuery, Contacts]{Name: "directory.contacts.list", Permission: "directory:read"}

// ContactsQuery asks for one partner's contacts.
type ContactsQuery struct {
	// PartnerID is for staff; partner users always get their own partner.
	PartnerID int64 `json:"partnerId,omitempty"`
}

// Contacts are the people of a partner's relationship with the vendor.
type Contacts struct {
	// Team is the partner's own active users.
	Team []Contact `json:"team"`
	// Vendor are the vendor's people for this partner: the partner manager
	// first, then support, marketing and anyone else, in the order staff set.
	Vendor []Contact `json:"vendor"`
}

// Vendor contact roles.
const (
	RoleManager   = "manager"
	RoleSupport   = "support"
	RoleMarketing = "marketing"
	RoleOther     = "other"
)

// Contact is one person and how to reach them.
type Contact struct {
	UserID int64  `json:"userId"`
	Name   string `json:"name"`
	Title  string `json:"title,omitempty"`
	// Role is, for vendor people, one of the Role constants; for the
	// partner's team, the user's contact role (sales, technical, ...).
	Role     string `json:"role,omitempty"`
	Email    string `json:"email"`
	Phone    string `json:"phone,omitempty"`
	PhotoURL string `json:"photoUrl,omitempty"`
	// Responsibilities say whom to reach for what ("Deal registration").
	Responsibilities []string `json:"responsibilities,omitempty"`
	// Preferred is how the person likes to be reached ("Email first").
	Preferred string `json:"preferred,omitempty"`
}
