package auth

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/uptrace/bun"
)

// errIncorrect is the one answer to every failed sign-in. OWASP's
// Authentication Cheat Sheet asks for a generic message, so that the answer
// does not tell whether an account exists, is deactivated or has no password.
func errIncorrect() error {
	return fail.Msg(fail.Unauthorized, "invalid.login.wrong")
}

// Login signs a person in with email and password and starts a session. It
// returns the session token for the cookie (only its hash is stored) and the
// user.
//
// Unknown email, wrong password, deactivated user and user without a
// password all fail with the same fail.Unauthorized error after one argon2id
// verification each (against a dummy hash when there is no real one), so
// neither the message nor the time taken tells them apart. Failures count
// against the account and the client address (ip; empty for none); once
// either is over its limit the attempt fails with fail.TooMany before the
// password is looked at. A success clears the account's counter, records the
// sign-in and, when the stored hash was made with older parameters, replaces
// it with a current one.
func (s *Service) Login(ctx context.Context, email, password, ip, userAgent string) (token string, u directory.User, err error) {
	email = directory.NormalizeEmail(email)
	keys := s.failureKeys(email, ip)
	if err := s.reserveAttempt(ctx, keys); err != nil {
		return "", directory.User{}, err
	}
	// Text that cannot be an email (invalid UTF-8, NUL bytes) is not sent to
	// the database, which would reject it with an error of its own.
	known := false
	if utf8.ValidString(email) && !strings.ContainsRune(email, 0) {
		u, err = s.dir.UserByEmail(ctx, email)
		if err != nil && fail.CodeOf(err) != fail.NotFound {
			return "", directory.User{}, err
		}
		known = err == nil
	}
	encoded := s.dummy
	if known && u.HasPassword() {
		encoded = u.PasswordHash
	}
	ok, rehash, err := s.VerifyPassword(ctx, encoded, password)
	if err != nil {
		if known {
			return "", directory.User{}, fmt.Errorf("sign in user %d: %w", u.ID, err)
		}
		return "", directory.User{}, fmt.Errorf("sign in: %w", err)
	}
	if !ok || !known || !u.Active || !u.HasPassword() {
		return "", directory.User{}, errIncorrect() // counted already
	}

	// Upgrade an old hash now, the only time the password is at hand. A
	// failure here (the request ending) only postpones the upgrade.
	newHash := ""
	if rehash {
		if h, err := s.HashPassword(ctx, password); err == nil {
			newHash = h
		}
	}
	token = newToken()
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.settleSuccess(ctx, tx, keys); err != nil {
			return err
		}
		if err := s.dir.WithTx(tx).TouchLogin(ctx, u.ID); err != nil {
			return fmt.Errorf("record sign-in of user %d: %w", u.ID, err)
		}
		if newHash != "" {
			// Not Directory.SetPasswordHash: the password is the same, so
			// the user's other sessions stay. The condition keeps a
			// password changed meanwhile from being overwritten.
			if _, err := tx.NewUpdate().Model((*directory.User)(nil)).Set("password_hash = ?", newHash).
				Where("id = ? AND password_hash = ?", u.ID, u.PasswordHash).Exec(ctx); err != nil {
				return fmt.Errorf("upgrade password hash of user %d: %w", u.ID, err)
			}
			u.PasswordHash = newHash
		}
		return s.startSession(ctx, tx, token, u.ID, ip, userAgent)
	})
	if err != nil {
		return "", directory.User{}, err
	}
	return token, u, nil
}
