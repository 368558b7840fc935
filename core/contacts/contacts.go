// Package contacts keeps who a partner works with: the partner's own team
// and the vendor's people for that partner (the partner manager named on
// the partner, plus support, marketing and others that staff assign to one
// partner or to all), each with what they are reached for and how they
// prefer to be reached. The Contacts room reads it through the host call
// directory.contacts.list.
package contacts

import (
	"context"
	"fmt"
	"github.com/atriumhq/atrium/core/reach"
	"slices"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/sdk"
	sdkdir "github.com/atriumhq/atrium/sdk/directory"
	"github.com/uptrace/bun"
)

// Assignment puts a staff member in front of one partner (PartnerID set) or
// every partner (nil) in a role.
type Assignment struct {
	bun.BaseModel `bun:"table:vendor_contacts"`

	ID        int64     `bun:"id,pk,autoincrement" json:"id"`
	UserID    int64     `bun:"user_id" json:"userId"`
	PartnerID *int64    `bun:"partner_id" json:"partnerId,omitempty"`
	Role      string    `bun:"role" json:"role"`
	Position  int       `bun:"position" json:"position"`
	CreatedAt time.Time `bun:"created_at" json:"createdAt"`
}

// Profile is what a person is reached for and how.
type Profile struct {
	bun.BaseModel `bun:"table:contact_profiles"`

	UserID int64 `bun:"user_id,pk" json:"userId"`
	// Responsibilities, one per line.
	Responsibilities string    `bun:"responsibilities" json:"responsibilities"`
	Preferred        string    `bun:"preferred" json:"preferred"`
	UpdatedAt        time.Time `bun:"updated_at" json:"updatedAt"`
}

// Roles are the vendor roles staff may assign, in the order the room
// shows them.
var Roles = []string{sdkdir.RoleSupport, sdkdir.RoleMarketing, sdkdir.RoleOther}

// Service reads and writes contacts.
type Service struct {
	db    bun.IDB
	dir   *directory.Directory
	reach *reach.Resolver
}

// New returns a Service.
func New(db bun.IDB, dir *directory.Directory) *Service {
	return &Service{db: db, dir: dir, reach: reach.New(db)}
}

// Assign adds a staff member as a vendor contact, with their profile.
func (s *Service) Assign(ctx context.Context, a Assignment, p Profile) (Assignment, error) {
	fields := fail.Problems{}
	u, err := s.dir.User(ctx, a.UserID)
	switch {
	case fail.CodeOf(err) == fail.NotFound:
		fields.Add("userId", "invalid.contact.not-user")
	case err != nil:
		return Assignment{}, err
	case !u.Role.Staff():
		fields.Add("userId", "invalid.contact.not-staff")
	}
	if !slices.Contains(Roles, a.Role) {
		fields.Add("role", "invalid.contact.role", "Roles", strings.Join(Roles, ", "))
	}
	if a.PartnerID != nil {
		if _, err := s.dir.Partner(ctx, *a.PartnerID); err != nil {
			fields.Add("partnerId", "invalid.contact.not-partner")
		}
	}
	if len(p.Responsibilities) > 2000 {
		fields.Add("responsibilities", "invalid.contact.long-2000")
	}
	if len(p.Preferred) > 200 {
		fields.Add("preferred", "invalid.contact.long-200")
	}
	if err := fields.Err(); err != nil {
		return Assignment{}, err
	}
	a.CreatedAt = time.Now().UTC()
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		n, err := tx.NewSelect().Model((*Assignment)(nil)).Where("user_id = ? AND role = ?", a.UserID, a.Role).
			Where("COALESCE(partner_id, 0) = ?", deref(a.PartnerID)).Count(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			return fail.Field("userId", "invalid.contact.taken")
		}
		if _, err := tx.NewInsert().Model(&a).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("store vendor contact: %w", err)
		}
		p.UserID, p.UpdatedAt = a.UserID, a.CreatedAt
		_, err = tx.NewInsert().Model(&p).On("CONFLICT (user_id) DO UPDATE").
			Set("responsibilities = EXCLUDED.responsibilities, preferred = EXCLUDED.preferred, updated_at = EXCLUDED.updated_at").Exec(ctx)
		return err
	})
	return a, err
}

// SetProfile stores what a person is reached for and how.
func (s *Service) SetProfile(ctx context.Context, p Profile) error {
	p.UpdatedAt = time.Now().UTC()
	_, err := s.db.NewInsert().Model(&p).On("CONFLICT (user_id) DO UPDATE").
		Set("responsibilities = EXCLUDED.responsibilities, preferred = EXCLUDED.preferred, updated_at = EXCLUDED.updated_at").Exec(ctx)
	if err != nil {
		return fmt.Errorf("store contact profile: %w", err)
	}
	return nil
}

// Remove deletes an assignment.
func (s *Service) Remove(ctx context.Context, id int64) error {
	res, err := s.db.NewDelete().Model((*Assignment)(nil)).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("remove vendor contact: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fail.Msg(fail.NotFound, "invalid.contact.none")
	}
	return nil
}

// Assignments lists every assignment, by partner (program-wide first),
// role and position.
func (s *Service) Assignments(ctx context.Context) ([]Assignment, error) {
	out := []Assignment{}
	err := s.db.NewSelect().Model(&out).OrderExpr("COALESCE(partner_id, 0), role, position, id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list vendor contacts: %w", err)
	}
	return out, nil
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// For returns a partner's contacts; partnerID 0 gives only the vendor
// people who serve every partner.
func (s *Service) For(ctx context.Context, partnerID int64) (sdkdir.Contacts, error) {
	out := sdkdir.Contacts{Team: []sdkdir.Contact{}, Vendor: []sdkdir.Contact{}}
	var vendorIDs []int64
	roles := map[int64]string{}
	if partnerID != 0 {
		pt, err := s.dir.Partner(ctx, partnerID)
		if err != nil {
			return out, err
		}
		if pt.ManagerID != nil {
			vendorIDs = append(vendorIDs, *pt.ManagerID)
			roles[*pt.ManagerID] = sdkdir.RoleManager
		}
	}
	var as []Assignment
	if err := s.db.NewSelect().Model(&as).Where("partner_id IS NULL OR partner_id = ?", partnerID).
		OrderExpr("position, id").Scan(ctx); err != nil {
		return out, fmt.Errorf("load vendor contacts: %w", err)
	}
	// Support before marketing before others, whatever the insertion order.
	slices.SortStableFunc(as, func(a, b Assignment) int { return slices.Index(Roles, a.Role) - slices.Index(Roles, b.Role) })
	for _, a := range as {
		if _, dup := roles[a.UserID]; dup {
			continue
		}
		vendorIDs = append(vendorIDs, a.UserID)
		roles[a.UserID] = a.Role
	}
	people, err := s.people(ctx, vendorIDs, 0)
	if err != nil {
		return out, err
	}
	for _, id := range vendorIDs {
		if c, ok := people[id]; ok {
			c.Role = roles[id]
			out.Vendor = append(out.Vendor, c)
		}
	}
	if partnerID != 0 {
		team, err := s.people(ctx, nil, partnerID)
		if err != nil {
			return out, err
		}
		for _, c := range team {
			out.Team = append(out.Team, c)
		}
		slices.SortFunc(out.Team, func(a, b sdkdir.Contact) int {
			return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		})
	}
	return out, nil
}

// people loads active users by id, or all of a partner's, with profiles.
func (s *Service) people(ctx context.Context, ids []int64, partnerID int64) (map[int64]sdkdir.Contact, error) {
	out := map[int64]sdkdir.Contact{}
	if partnerID == 0 && len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID               int64   `bun:"id"`
		Name             string  `bun:"name"`
		Title            string  `bun:"title"`
		Email            string  `bun:"email"`
		Phone            string  `bun:"phone"`
		PhotoURL         string  `bun:"photo_url"`
		ContactRole      string  `bun:"contact_role"`
		Responsibilities *string `bun:"responsibilities"`
		Preferred        *string `bun:"preferred"`
	}
	q := s.db.NewSelect().TableExpr("users AS u").
		ColumnExpr("u.id, u.name, u.title, u.email, u.phone, u.photo_url, u.contact_role, cp.responsibilities, cp.preferred").
		Join("LEFT JOIN contact_profiles AS cp ON cp.user_id = u.id").
		Where("u.active = ?", true)
	if partnerID != 0 {
		q = q.Where("u.partner_id = ?", partnerID)
	} else {
		q = q.Where("u.id IN (?)", bun.List(ids))
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("load contacts: %w", err)
	}
	for _, r := range rows {
		c := sdkdir.Contact{UserID: r.ID, Name: r.Name, Title: r.Title, Email: r.Email, Phone: r.Phone, PhotoURL: r.PhotoURL, Role: r.ContactRole}
		if r.Responsibilities != nil {
			for _, l := range strings.Split(*r.Responsibilities, "\n") {
				if l = strings.TrimSpace(l); l != "" {
					c.Responsibilities = append(c.Responsibilities, l)
				}
			}
		}
		if r.Preferred != nil {
			c.Preferred = *r.Preferred
		}
		out[r.ID] = c
	}
	return out, nil
}

// Register adds the host calls of contacts to f.
func (s *Service) Register(f *host.Factory) {
	host.Handle(f, sdkdir.ListContacts, func(ctx context.Context, c host.Caller, q sdkdir.ContactsQuery) (sdkdir.Contacts, error) {
		id, err := s.partnerFor(ctx, c.Viewer, q.PartnerID)
		if err != nil {
			return sdkdir.Contacts{}, err
		}
		return s.For(ctx, id)
	})
}

// partnerFor decides whose contacts the viewer may read, by the one rule
// in core/reach: partner users their own partner's (and a distributor's
// users its sub-partners'); managers a partner they manage; admins any. A
// preview reads as the staff member behind it, whichever partner they look
// at the room as; a preview with no staff behind it, like a deactivated
// user, reads nobody's.
func (s *Service) partnerFor(ctx context.Context, v sdk.Viewer, asked int64) (int64, error) {
	if asked == 0 {
		asked = v.PartnerID() // their own, or a preview of a named partner
	}
	if asked == 0 && v.Staff() {
		return 0, nil
	}
	var rc reach.Reach
	var err error
	if v.Preview {
		rc, err = s.reach.ForUser(ctx, v.UserID)
		if !rc.IsStaff() {
			rc = reach.Reach{}
		}
	} else {
		rc, err = s.reach.For(ctx, v)
	}
	if err != nil {
		return 0, err
	}
	if !rc.CanRead(asked) {
		return 0, sdk.ErrNotFound
	}
	return asked, nil
}
