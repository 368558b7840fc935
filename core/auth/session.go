package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/uptrace/bun"
)

// Session is a signed-in browser. The token that identifies it lives only in
// the browser's cookie; the database keeps its hash.
type Session struct {
	ID         int64
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // CreatedAt + AbsoluteTimeout
}

type sessionRow struct {
	bun.BaseModel `bun:"table:sessions"`

	ID         int64     `bun:"id,pk,autoincrement"`
	TokenHash  string    `bun:"token_hash"`
	UserID     int64     `bun:"user_id"`
	CreatedAt  time.Time `bun:"created_at"`
	LastSeenAt time.Time `bun:"last_seen_at"`
	ExpiresAt  time.Time `bun:"expires_at"`
	IP         string    `bun:"ip"`
	UserAgent  string    `bun:"user_agent"`
}

// Browsers send whatever they like as a user agent; a session keeps a
// readable prefix for the user's list of signed-in devices.
const maxUserAgent = 512

func (s *Service) startSession(ctx context.Context, db bun.IDB, token string, userID int64, ip, userAgent string) error {
	now := s.now()
	row := sessionRow{TokenHash: HashToken(token), UserID: userID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(s.cfg.AbsoluteTimeout), IP: cleanText(ip, 64), UserAgent: cleanText(userAgent, maxUserAgent)}
	if _, err := db.NewInsert().Model(&row).Exec(ctx); err != nil {
		return fmt.Errorf("start session for user %d: %w", userID, err)
	}
	return nil
}

// cleanText makes client-supplied text storable on both engines: valid UTF-8
// (PostgreSQL rejects anything else), no NUL bytes, at most n bytes.
func cleanText(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "")
}

func errSessionEnded() error {
	return fail.Msg(fail.Unauthorized, "invalid.session-ended")
}

// Session resolves a session token to the session, its user and the user's
// partner (nil for staff). The session must not be past its absolute expiry
// nor idle for IdleTimeout, and the user must be active; otherwise the error
// is fail.Unauthorized, and a session found expired is deleted on the spot.
// Timeouts are enforced here, on the server, as OWASP's Session Management
// Cheat Sheet requires, not left to the cookie's lifetime.
//
// last_seen_at is refreshed at most once a minute, so most requests only
// read.
func (s *Service) Session(ctx context.Context, token string) (Session, directory.User, *directory.Partner, error) {
	if token == "" {
		return Session{}, directory.User{}, nil, errSessionEnded()
	}
	hash := HashToken(token)
	now := s.now()
	if s.recent != nil {
		// A session resolved a moment ago needs no query, unless its
		// last-seen time is due for a refresh (which must reach the
		// database) or it has run out meanwhile.
		if f, ok := s.recent.Get(hash); ok && now.Before(f.session.ExpiresAt) && now.Sub(f.session.LastSeenAt) < touchInterval {
			return sessionOf(f.session), f.user, f.partner, nil
		}
	}
	found, err := s.lookup.find(ctx, s.db, hash)
	row := found.session
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, directory.User{}, nil, errSessionEnded()
	}
	if err != nil {
		return Session{}, directory.User{}, nil, fmt.Errorf("load session: %w", err)
	}
	if !now.Before(row.ExpiresAt) || now.Sub(row.LastSeenAt) >= s.cfg.IdleTimeout {
		if _, err := s.db.NewDelete().Model((*sessionRow)(nil)).Where("id = ?", row.ID).Exec(ctx); err != nil {
			return Session{}, directory.User{}, nil, fmt.Errorf("end expired session: %w", err)
		}
		return Session{}, directory.User{}, nil, errSessionEnded()
	}
	u, p := found.user, found.partner
	if !u.Active {
		return Session{}, directory.User{}, nil, errSessionEnded()
	}
	if now.Sub(row.LastSeenAt) >= touchInterval {
		if _, err := s.db.NewUpdate().Model((*sessionRow)(nil)).Set("last_seen_at = ?", now).
			Where("id = ?", row.ID).Exec(ctx); err != nil {
			return Session{}, directory.User{}, nil, fmt.Errorf("refresh session: %w", err)
		}
		row.LastSeenAt = now
	}
	if s.recent != nil {
		found.session = row
		s.recent.Add(hash, found)
	}
	return sessionOf(row), u, p, nil
}

func sessionOf(row sessionRow) Session {
	return Session{ID: row.ID, UserID: row.UserID, CreatedAt: row.CreatedAt, LastSeenAt: row.LastSeenAt, ExpiresAt: row.ExpiresAt}
}

// activeUser loads a user who may act and their partner. A user who is gone
// or deactivated gives fail.Unauthorized.
func (s *Service) activeUser(ctx context.Context, id int64) (directory.User, *directory.Partner, error) {
	u, err := s.dir.User(ctx, id)
	if fail.CodeOf(err) == fail.NotFound {
		return directory.User{}, nil, errSessionEnded()
	}
	if err != nil {
		return directory.User{}, nil, err
	}
	if !u.Active {
		return directory.User{}, nil, errSessionEnded()
	}
	if u.PartnerID == nil {
		return u, nil, nil
	}
	p, err := s.dir.Partner(ctx, *u.PartnerID)
	if err != nil {
		return directory.User{}, nil, fmt.Errorf("load partner of user %d: %w", id, err)
	}
	return u, &p, nil
}

// Logout ends the session of a token. An unknown or empty token is not an
// error: signing out twice is harmless.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	hash := HashToken(token)
	if s.recent != nil {
		s.recent.Remove(hash)
	}
	if _, err := s.db.NewDelete().Model((*sessionRow)(nil)).Where("token_hash = ?", hash).Exec(ctx); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// EndSessions ends every session of a user, for "sign out everywhere" and
// after anything that should cut off access at once.
func (s *Service) EndSessions(ctx context.Context, userID int64) error {
	s.Forget(userID)
	if _, err := s.db.NewDelete().Model((*sessionRow)(nil)).Where("user_id = ?", userID).Exec(ctx); err != nil {
		return fmt.Errorf("end sessions of user %d: %w", userID, err)
	}
	return nil
}
