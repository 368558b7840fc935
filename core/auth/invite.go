package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/uptrace/bun"
)

// Invitations are how a user gets a password: staff create the user, the
// portal hands out a link with an invitation token, and the person sets a
// password by following it. The same link serves to reset a forgotten
// password. A link works once and expires after InviteTTL, as OWASP's
// Forgot Password Cheat Sheet asks of reset tokens.

type invitationRow struct {
	bun.BaseModel `bun:"table:invitations"`

	ID        int64      `bun:"id,pk,autoincrement"`
	TokenHash string     `bun:"token_hash"`
	UserID    int64      `bun:"user_id"`
	CreatedBy *int64     `bun:"created_by"`
	CreatedAt time.Time  `bun:"created_at"`
	ExpiresAt time.Time  `bun:"expires_at"`
	UsedAt    *time.Time `bun:"used_at"`
}

func errInvitationInvalid() error {
	return fail.Msg(fail.NotFound, "invalid.invite.expired")
}

// Invite creates an invitation for a user and returns its token (for the
// link; only its hash is stored) and when it expires. invitedBy is the staff
// member sending it, or 0 when there is none (the command line). The user's
// earlier unused invitations stop working, so only the newest link sent is
// live. A deactivated user cannot be invited (fail.Conflict): their link
// would not work.
func (s *Service) Invite(ctx context.Context, userID, invitedBy int64) (token string, expires time.Time, err error) {
	now := s.now()
	token, expires = newToken(), now.Add(s.cfg.InviteTTL)
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u, err := s.dir.WithTx(tx).User(ctx, userID)
		if err != nil {
			return err
		}
		if !u.Active {
			return fail.New(fail.Conflict, "This user is deactivated. Activate them before sending an invitation.")
		}
		if _, err := tx.NewDelete().Model((*invitationRow)(nil)).Where("user_id = ? AND used_at IS NULL", userID).Exec(ctx); err != nil {
			return fmt.Errorf("withdraw earlier invitations of user %d: %w", userID, err)
		}
		row := invitationRow{TokenHash: HashToken(token), UserID: userID, CreatedBy: nullID(invitedBy), CreatedAt: now, ExpiresAt: expires}
		if _, err := tx.NewInsert().Model(&row).Exec(ctx); err != nil {
			return fmt.Errorf("invite user %d: %w", userID, err)
		}
		return nil
	})
	if err != nil {
		return "", time.Time{}, err
	}
	return token, expires, nil
}

// Invitation returns the user an invitation is for, when the invitation is
// unused and unexpired and the user active; otherwise fail.NotFound with one
// message for every case.
func (s *Service) Invitation(ctx context.Context, token string) (directory.User, error) {
	_, u, err := s.invitation(ctx, s.db, token)
	return u, err
}

func (s *Service) invitation(ctx context.Context, db bun.IDB, token string) (invitationRow, directory.User, error) {
	if token == "" {
		return invitationRow{}, directory.User{}, errInvitationInvalid()
	}
	var row invitationRow
	err := db.NewSelect().Model(&row).Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", HashToken(token), s.now()).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return invitationRow{}, directory.User{}, errInvitationInvalid()
	}
	if err != nil {
		return invitationRow{}, directory.User{}, fmt.Errorf("load invitation: %w", err)
	}
	u, err := s.dir.WithTx(db).User(ctx, row.UserID)
	if fail.CodeOf(err) == fail.NotFound || (err == nil && !u.Active) {
		return invitationRow{}, directory.User{}, errInvitationInvalid()
	}
	if err != nil {
		return invitationRow{}, directory.User{}, err
	}
	return row, u, nil
}

// AcceptInvitation sets the user's password from an invitation and uses the
// invitation up. The password must pass CheckPassword (fail.Invalid with
// field "password"). Checking the invitation, storing the hash (which ends
// the user's sessions) and marking it used happen in one transaction, and the
// update that marks it used must claim the still-unused row, so of two
// concurrent accepts exactly one succeeds; the other gets fail.NotFound.
func (s *Service) AcceptInvitation(ctx context.Context, token, password string) (directory.User, error) {
	// Check and hash outside the transaction: hashing takes tens of
	// milliseconds, too long to hold SQLite's write lock.
	_, u, err := s.invitation(ctx, s.db, token)
	if err != nil {
		return directory.User{}, err
	}
	if err := CheckPassword(password, u.Email); err != nil {
		return directory.User{}, err
	}
	hash, err := s.HashPassword(ctx, password)
	if err != nil {
		return directory.User{}, err
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		row, cur, err := s.invitation(ctx, tx, token)
		if err != nil {
			return err
		}
		// The email may have changed since the first check.
		if err := CheckPassword(password, cur.Email); err != nil {
			return err
		}
		res, err := tx.NewUpdate().Model((*invitationRow)(nil)).Set("used_at = ?", s.now()).
			Where("id = ? AND used_at IS NULL", row.ID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("use invitation: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errInvitationInvalid()
		}
		if err := s.dir.WithTx(tx).SetPasswordHash(ctx, cur.ID, hash); err != nil {
			return err
		}
		u = cur
		u.PasswordHash = hash
		return nil
	})
	if err != nil {
		return directory.User{}, err
	}
	return u, nil
}
