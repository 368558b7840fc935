package directory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/uptrace/bun"
	"net/mail"
	"strings"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/i18n"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/sdk"
)

// UserInput is what staff give to create or change a user.
type UserInput struct {
	Email       string   `json:"email"`
	Name        string   `json:"name"`
	Role        sdk.Role `json:"role"`
	ContactRole string   `json:"contactRole,omitempty"`
	PartnerID   *int64   `json:"partnerId,omitempty"`
	Title       string   `json:"title,omitempty"`
	Phone       string   `json:"phone,omitempty"`
	PhotoURL    string   `json:"photoUrl,omitempty"`
}

// NormalizeEmail lowercases and trims an address so that sign-in and
// uniqueness do not depend on how someone typed it.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func (d *Directory) validateUser(ctx context.Context, in *UserInput, self int64) error {
	prog, err := program.Load(ctx, d.db)
	if err != nil {
		return err
	}
	fields := fail.Problems{}
	in.Email = NormalizeEmail(in.Email)
	in.Name = strings.TrimSpace(in.Name)
	if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email || len(in.Email) > 254 {
		fields.Add("email", "invalid.email")
	} else if n, err := d.db.NewSelect().Model((*User)(nil)).Where("email = ? AND id <> ?", in.Email, self).Count(ctx); err != nil {
		return fmt.Errorf("check email: %w", err)
	} else if n > 0 {
		fields.Add("email", "invalid.user.email-taken")
	}
	switch {
	case in.Name == "":
		fields.Add("name", "invalid.user.name")
	case len(in.Name) > 200:
		fields.Add("name", "invalid.at-most-200-sentence")
	}
	if !in.Role.Valid() {
		fields.Add("role", "invalid.user.role")
	}
	if in.ContactRole != "" && !prog.HasRole(in.ContactRole) {
		fields.Add("contactRole", "invalid.choose-one-of", "Options", strings.Join(prog.ContactRoles, ", "))
	}
	switch {
	case in.Role.Staff() && in.PartnerID != nil:
		fields.Add("partnerId", "invalid.user.staff-partner")
	case in.Role.Valid() && !in.Role.Staff() && in.PartnerID == nil:
		fields.Add("partnerId", "invalid.user.partner")
	case in.PartnerID != nil:
		if _, err := d.Partner(ctx, *in.PartnerID); err != nil {
			fields.Add("partnerId", "invalid.user.no-partner")
		}
	}
	if len(in.Title) > 200 {
		fields.Add("title", "invalid.at-most-200-sentence")
	}
	if len(in.Phone) > 50 {
		fields.Add("phone", "invalid.at-most-50-sentence")
	}
	if in.PhotoURL != "" && !strings.HasPrefix(in.PhotoURL, "https://") && !strings.HasPrefix(in.PhotoURL, "/") {
		fields.Add("photoUrl", "invalid.url-or-path")
	}
	return fields.Err()
}

// CreateUser stores a new, active user without a password; they set one
// through an invitation (or the CLI sets one).
func (d *Directory) CreateUser(ctx context.Context, in UserInput) (User, error) {
	if err := d.validateUser(ctx, &in, 0); err != nil {
		return User{}, err
	}
	t := now()
	u := User{Email: in.Email, Name: in.Name, Role: in.Role, ContactRole: in.ContactRole, PartnerID: in.PartnerID,
		Title: in.Title, Phone: in.Phone, PhotoURL: in.PhotoURL, Active: true, CreatedAt: t, UpdatedAt: t}
	if _, err := d.db.NewInsert().Model(&u).Returning("id").Exec(ctx); err != nil {
		return User{}, fmt.Errorf("create user: %w", err)
	}
	return u, nil
}

// UpdateUser changes a user's profile and role.
func (d *Directory) UpdateUser(ctx context.Context, id int64, in UserInput) (User, error) {
	u, err := d.User(ctx, id)
	if err != nil {
		return User{}, err
	}
	if err := d.validateUser(ctx, &in, id); err != nil {
		return User{}, err
	}
	u.Email, u.Name, u.Role, u.ContactRole, u.PartnerID = in.Email, in.Name, in.Role, in.ContactRole, in.PartnerID
	u.Title, u.Phone, u.PhotoURL, u.UpdatedAt = in.Title, in.Phone, in.PhotoURL, now()
	if _, err := d.db.NewUpdate().Model(&u).WherePK().ExcludeColumn("password_hash", "last_login_at", "created_at").Exec(ctx); err != nil {
		return User{}, fmt.Errorf("update user %d: %w", id, err)
	}
	return u, nil
}

// SetActive activates or deactivates a user. Deactivating also ends their
// sessions and revokes their API tokens, so access stops at once.
func (d *Directory) SetActive(ctx context.Context, id int64, active bool) error {
	res, err := d.db.NewUpdate().Model((*User)(nil)).Set("active = ?", active).Set("updated_at = ?", now()).
		Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("set user %d active=%v: %w", id, active, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fail.Msg(fail.NotFound, "invalid.user.not-found")
	}
	if !active {
		if _, err := d.db.NewDelete().Table("sessions").Where("user_id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("end sessions of user %d: %w", id, err)
		}
		if _, err := d.db.NewUpdate().Table("api_tokens").Set("revoked_at = ?", now()).
			Where("user_id = ? AND revoked_at IS NULL", id).Exec(ctx); err != nil {
			return fmt.Errorf("revoke tokens of user %d: %w", id, err)
		}
	}
	return nil
}

// SetPasswordHash stores a new password hash and ends every other session of
// the user, as OWASP advises after a password change.
func (d *Directory) SetPasswordHash(ctx context.Context, id int64, hash string) error {
	if _, err := d.db.NewUpdate().Model((*User)(nil)).Set("password_hash = ?", hash).Set("updated_at = ?", now()).
		Where("id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("set password of user %d: %w", id, err)
	}
	if _, err := d.db.NewDelete().Table("sessions").Where("user_id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("end sessions of user %d: %w", id, err)
	}
	return nil
}

// User returns a user by id.
func (d *Directory) User(ctx context.Context, id int64) (User, error) {
	var u User
	err := d.db.NewSelect().Model(&u).Where("id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fail.Msg(fail.NotFound, "invalid.user.not-found")
	}
	if err != nil {
		return User{}, fmt.Errorf("load user %d: %w", id, err)
	}
	return u, nil
}

// UserByEmail returns a user by email, in any case.
func (d *Directory) UserByEmail(ctx context.Context, email string) (User, error) {
	var u User
	err := d.db.NewSelect().Model(&u).Where("email = ?", NormalizeEmail(email)).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fail.Msg(fail.NotFound, "invalid.user.not-found")
	}
	if err != nil {
		return User{}, fmt.Errorf("load user %q: %w", email, err)
	}
	return u, nil
}

// UserFilter narrows a user list. Zero fields do not filter.
type UserFilter struct {
	Query      string // name or email
	Role       sdk.Role
	PartnerID  int64
	PartnerIDs []int64 // any of these partners (a manager's partners)
	Staff      bool    // only admins and managers
	Active     *bool
	Page       int
	PerPage    int
}

// ListUsers returns one page of users, by name.
func (d *Directory) ListUsers(ctx context.Context, f UserFilter) (Page[User], error) {
	page, per := paging(f.Page, f.PerPage)
	var items []User
	q := d.db.NewSelect().Model(&items)
	if s := strings.TrimSpace(f.Query); s != "" {
		like := "%" + escapeLike(strings.ToLower(s)) + "%"
		q = q.Where("(lower(name) LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\')", like, like)
	}
	if f.Role != "" {
		q = q.Where("role = ?", f.Role)
	}
	if f.PartnerID != 0 {
		q = q.Where("partner_id = ?", f.PartnerID)
	}
	if f.PartnerIDs != nil {
		if len(f.PartnerIDs) == 0 {
			return Page[User]{Page: page, PerPage: per}, nil
		}
		q = q.Where("partner_id IN (?)", bun.List(f.PartnerIDs))
	}
	if f.Staff {
		q = q.Where("role IN (?, ?)", sdk.RoleAdmin, sdk.RoleManager)
	}
	if f.Active != nil {
		q = q.Where("active = ?", *f.Active)
	}
	total, err := q.OrderExpr("lower(name), id").Limit(int64(per)).Offset(int64((page - 1) * per)).ScanAndCount(ctx)
	if err != nil {
		return Page[User]{}, fmt.Errorf("list users: %w", err)
	}
	return Page[User]{Items: items, Total: int(total), Page: page, PerPage: per}, nil
}

// TouchLogin records a successful sign-in.
func (d *Directory) TouchLogin(ctx context.Context, id int64) error {
	_, err := d.db.NewUpdate().Model((*User)(nil)).Set("last_login_at = ?", now()).Where("id = ?", id).Exec(ctx)
	return err
}

// SetLanguage sets the language a person reads the portal in: a language
// the portal ships, or "" to follow their browser.
func (d *Directory) SetLanguage(ctx context.Context, id int64, lang string) error {
	if !i18n.Valid(lang) {
		return fail.Msg(fail.Invalid, "account.language-invalid")
	}
	res, err := d.db.NewUpdate().Model((*User)(nil)).Set("language = ?", lang).Set("updated_at = ?", now()).
		Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("set language of user %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fail.Msg(fail.NotFound, "invalid.user.not-found")
	}
	return nil
}
