package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/uptrace/bun"
)

// API tokens let integrations call the REST API as a user. A token is
// TokenPrefix followed by 32 random bytes in base64url; the prefix lets
// secret scanners and people recognise a leaked one, and lets TokenUser turn
// away anything else without a database query. Only the hash is stored, so a
// token is shown once, when created.

// TokenPrefix starts every API token.
const TokenPrefix = "atr_"

// Token is an API token as its owner sees it in a list: everything but the
// secret.
type Token struct {
	bun.BaseModel `bun:"table:api_tokens"`

	ID         int64      `bun:"id,pk,autoincrement" json:"id"`
	TokenHash  string     `bun:"token_hash" json:"-"`
	UserID     int64      `bun:"user_id" json:"userId"`
	Name       string     `bun:"name" json:"name"`
	CreatedAt  time.Time  `bun:"created_at" json:"createdAt"`
	LastUsedAt *time.Time `bun:"last_used_at" json:"lastUsedAt,omitempty"`
	ExpiresAt  *time.Time `bun:"expires_at" json:"expiresAt,omitempty"`
	RevokedAt  *time.Time `bun:"revoked_at" json:"revokedAt,omitempty"`
}

// MaxTokenName is the longest token name, in characters.
const MaxTokenName = 100

func errTokenInvalid() error {
	return fail.New(fail.Unauthorized, "The API token is invalid, revoked or expired.")
}

// CreateToken creates an API token for an active user and returns it. name
// says what it is for ("CRM sync"); it may be empty. The token does not
// expire; it works until revoked or the user is deactivated.
func (s *Service) CreateToken(ctx context.Context, userID int64, name string) (token string, err error) {
	name = strings.TrimSpace(name)
	if !utf8.ValidString(name) || strings.ContainsRune(name, 0) {
		return "", fail.Field("name", "invalid.staff.token.plain")
	}
	if utf8.RuneCountInString(name) > MaxTokenName {
		return "", fail.Field("name", "invalid.staff.use-at-most-chars", "Max", MaxTokenName)
	}
	u, err := s.dir.User(ctx, userID)
	if err != nil {
		return "", err
	}
	if !u.Active {
		return "", fail.Msg(fail.Conflict, "invalid.staff.token.deactivated")
	}
	token = TokenPrefix + newToken()
	row := Token{TokenHash: HashToken(token), UserID: userID, Name: name, CreatedAt: s.now()}
	if _, err := s.db.NewInsert().Model(&row).Exec(ctx); err != nil {
		return "", fmt.Errorf("create API token for user %d: %w", userID, err)
	}
	return token, nil
}

// Tokens lists a user's API tokens, newest first, revoked ones included.
func (s *Service) Tokens(ctx context.Context, userID int64) ([]Token, error) {
	var out []Token
	if err := s.db.NewSelect().Model(&out).Where("user_id = ?", userID).Order("id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list API tokens of user %d: %w", userID, err)
	}
	return out, nil
}

// TokenUser resolves an API token to its user and the user's partner (nil
// for staff). The token must be neither revoked nor expired and the user
// active; otherwise fail.Unauthorized. last_used_at is refreshed at most once
// a minute, so most calls only read.
func (s *Service) TokenUser(ctx context.Context, token string) (directory.User, *directory.Partner, error) {
	if !strings.HasPrefix(token, TokenPrefix) {
		return directory.User{}, nil, errTokenInvalid()
	}
	now := s.now()
	var row Token
	err := s.db.NewSelect().Model(&row).
		Where("token_hash = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)", HashToken(token), now).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return directory.User{}, nil, errTokenInvalid()
	}
	if err != nil {
		return directory.User{}, nil, fmt.Errorf("load API token: %w", err)
	}
	u, p, err := s.activeUser(ctx, row.UserID)
	if fail.CodeOf(err) == fail.Unauthorized {
		return directory.User{}, nil, errTokenInvalid()
	}
	if err != nil {
		return directory.User{}, nil, err
	}
	if row.LastUsedAt == nil || now.Sub(*row.LastUsedAt) >= touchInterval {
		if _, err := s.db.NewUpdate().Model((*Token)(nil)).Set("last_used_at = ?", now).Where("id = ?", row.ID).Exec(ctx); err != nil {
			return directory.User{}, nil, fmt.Errorf("record use of API token %d: %w", row.ID, err)
		}
	}
	return u, p, nil
}

// RevokeToken revokes one of a user's API tokens. Revoking a revoked token
// keeps its first revocation time and is not an error; a token that is not
// the user's is fail.NotFound.
func (s *Service) RevokeToken(ctx context.Context, userID, tokenID int64) error {
	res, err := s.db.NewUpdate().Model((*Token)(nil)).Set("revoked_at = COALESCE(revoked_at, ?)", s.now()).
		Where("id = ? AND user_id = ?", tokenID, userID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("revoke API token %d: %w", tokenID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fail.NotFoundf("API token not found.")
	}
	return nil
}
