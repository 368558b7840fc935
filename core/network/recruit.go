package network

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/sdk"
	sn "github.com/atriumhq/atrium/sdk/network"
	"github.com/uptrace/bun"
)

// invitationRow is a stored recruit.
type invitationRow struct {
	bun.BaseModel `bun:"table:network_invitations,alias:i"`

	ID            int64      `bun:"id,pk,autoincrement"`
	DistributorID int64      `bun:"distributor_id"`
	Company       string     `bun:"company"`
	PartnerType   string     `bun:"partner_type"`
	AdminName     string     `bun:"admin_name"`
	AdminEmail    string     `bun:"admin_email"`
	Status        string     `bun:"status"`
	Reason        string     `bun:"reason"`
	InvitedBy     *int64     `bun:"invited_by"`
	DecidedBy     *int64     `bun:"decided_by"`
	PartnerID     *int64     `bun:"partner_id"`
	UserID        *int64     `bun:"user_id"`
	CreatedAt     time.Time  `bun:"created_at"`
	DecidedAt     *time.Time `bun:"decided_at"`
}

// canRecruit reports whether the viewer may invite sub-partners into the
// network: the distributor's own admins.
func (s *Service) canRecruit(w view) bool {
	return !w.rc.IsStaff() && w.v.Role == sdk.RolePartnerAdmin && w.rc.CanWrite(w.dist.ID) && s.opts.Invite != nil
}

// Recruit invites a new sub-partner organisation into the viewer's
// network. When the program asks for approval (the default) it waits for
// the vendor's manager of the distributor, who is told; otherwise the
// sub-partner and its admin are created at once and the answer carries
// the admin's invitation link.
func (s *Service) Recruit(ctx context.Context, v sdk.Viewer, in sn.Recruit) (sn.Sent, error) {
	if v.Staff() {
		return sn.Sent{}, fail.Msg(fail.Forbidden, "invalid.network.recruit-distributor")
	}
	w, err := s.network(ctx, v, 0)
	if err != nil {
		return sn.Sent{}, err
	}
	if !s.canRecruit(w) {
		return sn.Sent{}, fail.Msg(fail.Forbidden, "invalid.network.recruit-admins")
	}
	row, err := s.checkRecruit(ctx, w, in)
	if err != nil {
		return sn.Sent{}, err
	}
	row.InvitedBy = &v.UserID
	row.CreatedAt = s.opts.Now()
	row.Status = sn.Pending
	if _, err := s.db.NewInsert().Model(&row).Returning("id").Exec(ctx); err != nil {
		if isUnique(err) {
			return sn.Sent{}, fail.Field("adminEmail", "invalid.network.invited-already")
		}
		return sn.Sent{}, fmt.Errorf("recruit %q: %w", row.Company, err)
	}
	if w.prog.Networks().RecruitsWithoutApproval {
		return s.approve(ctx, w.prog, row, v.UserID)
	}
	s.tellStaff(ctx, w, row, v.Name)
	inv, err := s.invitation(ctx, row.ID)
	return sn.Sent{Invitation: inv}, err
}

// checkRecruit validates a recruit, field by field.
func (s *Service) checkRecruit(ctx context.Context, w view, in sn.Recruit) (invitationRow, error) {
	fields := fail.Problems{}
	row := invitationRow{DistributorID: w.dist.ID}
	var err error
	if row.Company, err = cleanLine("company", in.Company, MaxCompany, "invalid.network.company"); err != nil {
		fields.Merge(err)
	}
	if row.AdminName, err = cleanLine("adminName", in.AdminName, MaxName, "invalid.network.admin-name"); err != nil {
		fields.Merge(err)
	}
	types := recruitTypes(w.prog)
	row.PartnerType = strings.TrimSpace(in.Type)
	if !slices.Contains(types, row.PartnerType) {
		fields.Add("type", "invalid.choose-one-of", "Options", strings.Join(types, ", "))
	}
	row.AdminEmail = directory.NormalizeEmail(in.AdminEmail)
	if a, err := mail.ParseAddress(row.AdminEmail); err != nil || a.Address != row.AdminEmail || len(row.AdminEmail) > 254 {
		fields.Add("adminEmail", "invalid.email")
	} else if n, err := s.db.NewSelect().Table("users").Where("email = ?", row.AdminEmail).Count(ctx); err != nil {
		return row, fmt.Errorf("recruit: check email: %w", err)
	} else if n > 0 {
		fields.Add("adminEmail", "invalid.network.has-account")
	} else if n, err := s.db.NewSelect().Table("network_invitations").Where("distributor_id = ? AND admin_email = ? AND status = ?", w.dist.ID, row.AdminEmail, sn.Pending).Count(ctx); err != nil {
		return row, fmt.Errorf("recruit: check invitations: %w", err)
	} else if n > 0 {
		fields.Add("adminEmail", "invalid.network.invited-already")
	}
	if _, taken := fields["company"]; !taken && row.Company != "" {
		if n, err := s.db.NewSelect().Table("partners").Where("lower(name) = ?", strings.ToLower(row.Company)).Count(ctx); err != nil {
			return row, fmt.Errorf("recruit: check company: %w", err)
		} else if n > 0 {
			fields.Add("company", "invalid.network.company-taken")
		}
	}
	return row, fields.Err()
}

// recruitTypes are the partner types a sub-partner may have: any type of
// the program that may not have sub-partners itself.
func recruitTypes(p program.Program) []string {
	var out []string
	for _, t := range p.PartnerTypes {
		if !p.Networks().IsParentType(t) {
			out = append(out, t)
		}
	}
	return out
}

func isUnique(err error) bool {
	s := strings.ToLower(err.Error())
	return strings.Contains(s, "unique") || strings.Contains(s, "duplicate key")
}

// Decide approves or declines a pending recruit. Staff who manage the
// distributor only; anyone else finds no such invitation.
func (s *Service) Decide(ctx context.Context, v sdk.Viewer, d sn.Decision) (sn.Sent, error) {
	rc, err := s.reach.For(ctx, v)
	if err != nil {
		return sn.Sent{}, err
	}
	var row invitationRow
	err = s.db.NewSelect().Model(&row).Where("i.id = ?", d.ID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !rc.Manages(row.DistributorID)) {
		return sn.Sent{}, noInvitation()
	}
	if err != nil {
		return sn.Sent{}, fmt.Errorf("load invitation %d: %w", d.ID, err)
	}
	if row.Status != sn.Pending {
		return sn.Sent{}, fail.Msg(fail.Conflict, "invalid.network.decided")
	}
	prog, err := program.Load(ctx, s.db)
	if err != nil {
		return sn.Sent{}, err
	}
	if d.Approve {
		sent, err := s.approve(ctx, prog, row, v.UserID)
		if err == nil {
			s.tellInviter(ctx, row, notify.Say("notify.recruit-approved.title", "Company", row.Company), "",
				notify.Say("notify.recruit-approved.body", "Name", v.Name, "Admin", row.AdminName))
		}
		return sent, err
	}
	reason, err := cleanLine("reason", d.Reason, MaxReason, "invalid.network.decline-reason")
	if err != nil {
		return sn.Sent{}, err
	}
	now := s.opts.Now()
	res, err := s.db.NewUpdate().Model((*invitationRow)(nil)).Set("status = ?, reason = ?, decided_by = ?, decided_at = ?", sn.Declined, reason, v.UserID, now).
		Where("id = ? AND status = ?", row.ID, sn.Pending).Exec(ctx)
	if err != nil {
		return sn.Sent{}, fmt.Errorf("decline invitation %d: %w", row.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return sn.Sent{}, fail.Msg(fail.Conflict, "invalid.network.decided")
	}
	s.tellInviter(ctx, row, notify.Say("notify.recruit-declined.title", "Company", row.Company), reason, nil)
	inv, err := s.invitation(ctx, row.ID)
	return sn.Sent{Invitation: inv}, err
}

// approve turns a pending recruit into a sub-partner (first tier and
// stage, the distributor's manager) with its first admin, and hands out
// the admin's invitation link. The invitation is claimed in the same
// transaction, so two approvals make one partner.
func (s *Service) approve(ctx context.Context, prog program.Program, row invitationRow, by int64) (sn.Sent, error) {
	if s.opts.Invite == nil {
		return sn.Sent{}, fail.Msg(fail.Conflict, "invalid.network.no-invitations")
	}
	var userID int64
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		now := s.opts.Now()
		res, err := tx.NewUpdate().Model((*invitationRow)(nil)).Set("status = ?, decided_by = ?, decided_at = ?", sn.Invited, by, now).
			Where("id = ? AND status = ?", row.ID, sn.Pending).Exec(ctx)
		if err != nil {
			return fmt.Errorf("approve invitation %d: %w", row.ID, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fail.Msg(fail.Conflict, "invalid.network.decided")
		}
		dir := s.dir.WithTx(tx)
		dist, err := dir.Partner(ctx, row.DistributorID)
		if err != nil {
			return err
		}
		p, err := dir.CreatePartner(ctx, directory.PartnerInput{Name: row.Company, Type: row.PartnerType, Tier: prog.Tiers[0], Stage: prog.Stages[0],
			ManagerID: dist.ManagerID, ParentID: &dist.ID})
		if err != nil {
			return err
		}
		u, err := dir.CreateUser(ctx, directory.UserInput{Email: row.AdminEmail, Name: row.AdminName, Role: sdk.RolePartnerAdmin, PartnerID: &p.ID})
		if err != nil {
			return err
		}
		userID = u.ID
		_, err = tx.NewUpdate().Model((*invitationRow)(nil)).Set("partner_id = ?, user_id = ?", p.ID, u.ID).Where("id = ?", row.ID).Exec(ctx)
		return err
	})
	if err != nil {
		return sn.Sent{}, err
	}
	return s.link(ctx, row.ID, userID, by)
}

// link hands out a new invitation link for the admin of an approved
// recruit; earlier links stop working.
func (s *Service) link(ctx context.Context, id, userID, by int64) (sn.Sent, error) {
	token, expires, err := s.opts.Invite.Invite(ctx, userID, by)
	if err != nil {
		return sn.Sent{}, err
	}
	inv, err := s.invitation(ctx, id)
	return sn.Sent{Invitation: inv, Link: strings.TrimRight(s.opts.PublicURL, "/") + "/invite/" + token, Expires: &expires}, err
}

// NewLink hands out a fresh invitation link for an approved recruit whose
// admin has not joined yet: to the distributor's admins (who pass it on)
// and to the staff who manage the distributor.
func (s *Service) NewLink(ctx context.Context, v sdk.Viewer, id int64) (sn.Sent, error) {
	rc, err := s.reach.For(ctx, v)
	if err != nil {
		return sn.Sent{}, err
	}
	var row invitationRow
	err = s.db.NewSelect().Model(&row).Where("i.id = ?", id).Scan(ctx)
	allowed := rc.Manages(row.DistributorID) ||
		(!rc.IsStaff() && v.Role == sdk.RolePartnerAdmin && v.PartnerID() == row.DistributorID && rc.CanWrite(row.DistributorID))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !allowed) {
		return sn.Sent{}, noInvitation()
	}
	if err != nil {
		return sn.Sent{}, fmt.Errorf("load invitation %d: %w", id, err)
	}
	inv, err := s.invitation(ctx, id)
	if err != nil {
		return sn.Sent{}, err
	}
	if inv.Status != sn.Invited || row.UserID == nil {
		return sn.Sent{}, fail.Msg(fail.Conflict, "invalid.network.new-link")
	}
	return s.link(ctx, id, *row.UserID, v.UserID)
}

func noInvitation() error { return fail.Msg(fail.NotFound, "invalid.network.no-invitation") }

// invitationSelect reads invitations with the names people read and the
// state "joined" worked out from the admin's password.
func (s *Service) invitationSelect() *bun.SelectQuery {
	return s.db.NewSelect().TableExpr("network_invitations AS i").
		Join("JOIN partners AS d ON d.id = i.distributor_id").
		Join("LEFT JOIN users AS a ON a.id = i.user_id").
		Join("LEFT JOIN users AS ib ON ib.id = i.invited_by").
		Join("LEFT JOIN users AS db ON db.id = i.decided_by").
		ColumnExpr("i.id, i.distributor_id, d.name AS distributor, i.company, i.partner_type, i.admin_name, i.admin_email, i.reason").
		ColumnExpr("i.created_at, i.decided_at, i.partner_id").
		ColumnExpr("COALESCE(ib.name, '') AS invited_by, COALESCE(db.name, '') AS decided_by").
		ColumnExpr("CASE WHEN i.status = ? AND COALESCE(a.password_hash, '') <> '' THEN ? ELSE i.status END AS status", sn.Invited, sn.Joined)
}

type invitationOut struct {
	ID            int64      `bun:"id"`
	DistributorID int64      `bun:"distributor_id"`
	Distributor   string     `bun:"distributor"`
	Company       string     `bun:"company"`
	PartnerType   string     `bun:"partner_type"`
	AdminName     string     `bun:"admin_name"`
	AdminEmail    string     `bun:"admin_email"`
	Status        string     `bun:"status"`
	Reason        string     `bun:"reason"`
	InvitedBy     string     `bun:"invited_by"`
	DecidedBy     string     `bun:"decided_by"`
	CreatedAt     time.Time  `bun:"created_at"`
	DecidedAt     *time.Time `bun:"decided_at"`
	PartnerID     *int64     `bun:"partner_id"`
}

func (o invitationOut) sdk() sn.Invitation {
	inv := sn.Invitation{ID: o.ID, DistributorID: o.DistributorID, Distributor: o.Distributor, Company: o.Company, Type: o.PartnerType,
		AdminName: o.AdminName, AdminEmail: o.AdminEmail, Status: o.Status, Reason: o.Reason, InvitedBy: o.InvitedBy,
		CreatedAt: o.CreatedAt.UTC(), DecidedBy: o.DecidedBy, DecidedAt: o.DecidedAt}
	if o.PartnerID != nil {
		inv.PartnerID = *o.PartnerID
	}
	return inv
}

func (s *Service) invitation(ctx context.Context, id int64) (sn.Invitation, error) {
	var o invitationOut
	if err := s.invitationSelect().Where("i.id = ?", id).Scan(ctx, &o); err != nil {
		return sn.Invitation{}, fmt.Errorf("load invitation %d: %w", id, err)
	}
	return o.sdk(), nil
}

// Invitations lists recruits, newest first: a distributor's users their
// network's, staff those of the distributors they manage (pending first
// is the caller's filter).
func (s *Service) Invitations(ctx context.Context, v sdk.Viewer, q sn.InvitationQuery) (sn.InvitationPage, error) {
	rc, err := s.reach.For(ctx, v)
	if err != nil {
		return sn.InvitationPage{}, err
	}
	prog, err := program.Load(ctx, s.db)
	if err != nil {
		return sn.InvitationPage{}, err
	}
	q.Page = max(q.Page, 1)
	if q.PerPage <= 0 {
		q.PerPage = 25
	}
	q.PerPage = min(q.PerPage, 100)
	out := sn.InvitationPage{Invitations: []sn.Invitation{}, Page: q.Page, PerPage: q.PerPage, NeedsApproval: !prog.Networks().RecruitsWithoutApproval}
	sel := s.invitationSelect()
	if rc.IsStaff() {
		sel = rc.WhereWritable(sel, "i.distributor_id")
	} else {
		w, err := s.network(ctx, v, 0)
		if err != nil {
			return out, err
		}
		sel = sel.Where("i.distributor_id = ?", w.dist.ID)
	}
	switch q.Status {
	case "":
	case sn.Pending, sn.Declined, sn.Invited, sn.Joined:
		sel = sel.Where("(CASE WHEN i.status = ? AND COALESCE(a.password_hash, '') <> '' THEN ? ELSE i.status END) = ?", sn.Invited, sn.Joined, q.Status)
	default:
		return out, fail.Field("status", "invalid.network.status")
	}
	var rows []invitationOut
	n, err := sel.OrderExpr("i.created_at DESC, i.id DESC").Limit(int64(q.PerPage)).Offset(int64((q.Page-1)*q.PerPage)).ScanAndCount(ctx, &rows)
	if err != nil {
		return out, fmt.Errorf("list invitations: %w", err)
	}
	out.Total = int(n)
	for _, r := range rows {
		out.Invitations = append(out.Invitations, r.sdk())
	}
	return out, nil
}

// tellStaff tells the staff who manage the distributor that a recruit
// waits for them.
func (s *Service) tellStaff(ctx context.Context, w view, row invitationRow, who string) {
	if s.opts.Notify == nil {
		return
	}
	staff, err := s.reach.StaffOf(ctx, w.dist.ID)
	if err == nil {
		err = s.opts.Notify.Notify(ctx, staff, notify.Notification{Kind: KindRecruitRequested,
			TitleText: notify.Say("notify.recruit-requested.title", "Distributor", w.dist.Name, "Company", row.Company),
			BodyText: notify.Say("notify.recruit-requested.body", "Name", who, "Admin", row.AdminName, "Email", row.AdminEmail,
				"Type", row.PartnerType),
			Link: "/admin/work/distributor"})
	}
	if err != nil {
		s.opts.Log.Warn("network: telling staff of a recruit failed", "invitation", row.ID, "err", err)
	}
}

// tellInviter tells the distributor's admin who recruited of the decision.
func (s *Service) tellInviter(ctx context.Context, row invitationRow, title *notify.Text, body string, bodyText *notify.Text) {
	if s.opts.Notify == nil || row.InvitedBy == nil {
		return
	}
	err := s.opts.Notify.Notify(ctx, []int64{*row.InvitedBy}, notify.Notification{Kind: KindRecruitDecided, TitleText: title, Body: body, BodyText: bodyText,
		Link: s.opts.RoomPath(ctx) + "/items/invitations"})
	if err != nil {
		s.opts.Log.Warn("network: telling the distributor of a decision failed", "invitation", row.ID, "err", err)
	}
}
