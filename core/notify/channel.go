package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/atriumhq/atrium/core/fail"

	"github.com/uptrace/bun"
)

// Channel delivers notifications outside the portal: email now, chat or
// push later. A channel receives only the notifications whose recipients
// asked for it right away (see [Pref]); digests read the stored rows later.
type Channel interface {
	// Name is the channel's name in preferences and logs ("email").
	Name() string
	// Send delivers one notification to one recipient.
	Send(ctx context.Context, to Recipient, it Item) error
}

// Recipient is whom a channel delivers to.
type Recipient struct {
	UserID int64
	Name   string
	Email  string
}

// Email preferences, per user and kind.
const (
	EmailNow    = "now"    // an email for each notification
	EmailDigest = "digest" // gathered into a periodic digest (not yet sent)
	EmailNever  = "never"
)

// Pref is one user's email preference for one kind; the kind "*" is the
// default for kinds without their own row.
type Pref struct {
	bun.BaseModel `bun:"table:notification_prefs"`

	UserID int64  `bun:"user_id,pk" json:"-"`
	Kind   string `bun:"kind,pk" json:"kind"`
	Email  string `bun:"email" json:"email"`
}

// DefaultEmail is the preference of a user who chose nothing: no email,
// so that turning on a channel never surprises anyone with mail.
const DefaultEmail = EmailNever

// SetPref stores a user's email preference for a kind ("*" for all kinds
// without their own).
func (s *Service) SetPref(ctx context.Context, userID int64, kind, email string) error {
	switch email {
	case EmailNow, EmailDigest, EmailNever:
	default:
		return fail.Fields(map[string]string{"email": "must be now, digest or never"})
	}
	if kind == "" || len(kind) > 100 {
		return fail.Fields(map[string]string{"kind": "must be a notification kind or *"})
	}
	p := Pref{UserID: userID, Kind: kind, Email: email}
	_, err := s.db.NewInsert().Model(&p).On("CONFLICT (user_id, kind) DO UPDATE").Set("email = EXCLUDED.email").Exec(ctx)
	if err != nil {
		return fmt.Errorf("store notification preference: %w", err)
	}
	return nil
}

// EmailDefault is the user's preference for kinds without their own.
func (s *Service) EmailDefault(ctx context.Context, userID int64) (string, error) {
	prefs, err := s.Prefs(ctx, userID)
	if err != nil {
		return "", err
	}
	return emailPref(prefs, "*"), nil
}

// Prefs returns a user's stored preferences.
func (s *Service) Prefs(ctx context.Context, userID int64) ([]Pref, error) {
	out := []Pref{}
	if err := s.db.NewSelect().Model(&out).Where("user_id = ?", userID).OrderExpr("kind").Scan(ctx); err != nil {
		return nil, fmt.Errorf("load notification preferences: %w", err)
	}
	return out, nil
}

// emailPref resolves a user's preference for a kind.
func emailPref(prefs []Pref, kind string) string {
	def := DefaultEmail
	for _, p := range prefs {
		if p.Kind == kind {
			return p.Email
		}
		if p.Kind == "*" {
			def = p.Email
		}
	}
	return def
}

// deliver hands rows to ch for the recipients who want each one now, and
// records the delivery so a digest never repeats it.
func (s *Service) deliver(ctx context.Context, ch Channel, rows []Item) error {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.UserID
	}
	var prefs []Pref
	if err := s.db.NewSelect().Model(&prefs).Where("user_id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return fmt.Errorf("load preferences: %w", err)
	}
	byUser := map[int64][]Pref{}
	for _, p := range prefs {
		byUser[p.UserID] = append(byUser[p.UserID], p)
	}
	var people []struct {
		ID    int64  `bun:"id"`
		Name  string `bun:"name"`
		Email string `bun:"email"`
	}
	if err := s.db.NewSelect().Table("users").Column("id", "name", "email").
		Where("id IN (?)", bun.In(ids)).Where("active = ?", true).Scan(ctx, &people); err != nil {
		return fmt.Errorf("load recipients: %w", err)
	}
	who := map[int64]Recipient{}
	for _, p := range people {
		who[p.ID] = Recipient{UserID: p.ID, Name: p.Name, Email: p.Email}
	}
	var firstErr error
	for _, r := range rows {
		to, ok := who[r.UserID]
		if !ok || emailPref(byUser[r.UserID], r.Kind) != EmailNow {
			continue
		}
		if err := ch.Send(ctx, to, r); err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("to user %d: %w", r.UserID, err)
			}
			continue
		}
		at := time.Now().UTC()
		if _, err := s.db.NewUpdate().Model((*Item)(nil)).Set("emailed_at = ?", at).Where("id = ?", r.ID).Exec(ctx); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}
