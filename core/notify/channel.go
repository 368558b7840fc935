package notify

import (
	"context"
	"fmt"

	"github.com/atriumhq/atrium/core/i18n"
	sdki18n "github.com/atriumhq/atrium/sdk/i18n"

	"github.com/atriumhq/atrium/core/fail"

	"github.com/uptrace/bun"
)

// Channel delivers notifications outside the portal: email now, chat or
// push later. A channel receives only the notifications whose recipients
// asked for it right away (see [Pref]); digests read the stored rows later
// and go to the channels that are also a [DigestChannel].
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
	// Language is the person's own setting ("" for none): the words the
	// portal adds to a mail are in it, else in English.
	Language string
}

// words is the catalogue in a recipient's language.
func (r Recipient) words() *sdki18n.Locale { return i18n.Locale(i18n.Chooser{}.Choose(r.Language, "")) }

// Email preferences, per user and kind.
const (
	EmailNow    = "now"    // an email for each notification
	EmailDigest = "digest" // gathered into a daily or weekly digest (see [Service.SendDigests])
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

// Kind is a kind of notification as a person chooses how to hear of it.
type Kind struct {
	Name  string // "message.new"
	Label string // "New messages in your conversations"
	Group string // "Messages", to list kinds of one room together
}

// ClearPref removes a user's own preference for a kind, which then follows
// their default ("*").
func (s *Service) ClearPref(ctx context.Context, userID int64, kind string) error {
	if kind == "*" {
		return fail.Field("kind", "invalid.notify.default")
	}
	if _, err := s.db.NewDelete().Model((*Pref)(nil)).Where("user_id = ? AND kind = ?", userID, kind).Exec(ctx); err != nil {
		return fmt.Errorf("clear notification preference: %w", err)
	}
	return nil
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
		return fail.Field("email", "invalid.notify.email")
	}
	if kind == "" || len(kind) > 100 {
		return fail.Field("kind", "invalid.notify.kind")
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

// deliver hands rows to the channels for the recipients who want each one
// now. Each row is claimed (its emailed_at set) before it is sent, so two
// portal processes never send the same notification; a row whose sending
// failed is released again and returned for a later attempt. Rows whose
// recipients do not want them now are left alone: a digest reads them later.
func (s *Service) deliver(ctx context.Context, rows []Item) (failed []Item, err error) {
	if len(rows) == 0 || len(s.channels) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.UserID
	}
	var prefs []Pref
	if err := s.db.NewSelect().Model(&prefs).Where("user_id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("load preferences: %w", err)
	}
	byUser := map[int64][]Pref{}
	for _, p := range prefs {
		byUser[p.UserID] = append(byUser[p.UserID], p)
	}
	var people []struct {
		ID    int64  `bun:"id"`
		Name  string `bun:"name"`
		Email string `bun:"email"`
		Lang  string `bun:"language"`
	}
	if err := s.db.NewSelect().Table("users").Column("id", "name", "email", "language").
		Where("id IN (?)", bun.List(ids)).Where("active = ?", true).Scan(ctx, &people); err != nil {
		return nil, fmt.Errorf("load recipients: %w", err)
	}
	who := map[int64]Recipient{}
	for _, p := range people {
		who[p.ID] = Recipient{UserID: p.ID, Name: p.Name, Email: p.Email, Language: p.Lang}
	}
	for _, r := range rows {
		to, ok := who[r.UserID]
		if !ok || emailPref(byUser[r.UserID], r.Kind) != EmailNow {
			continue
		}
		if err := ctx.Err(); err != nil {
			return failed, err // stopping: claim nothing more
		}
		// The claim is not cancelled half-way: a cancelled statement may
		// still have committed, leaving a row marked sent that never was.
		claimed, cerr := s.claim(context.WithoutCancel(ctx), r.ID)
		if cerr != nil {
			return failed, cerr
		}
		if !claimed {
			continue // another process has it
		}
		// A channel gets the notification worded in the recipient's
		// language, as the notifications page words it for them.
		worded := r.In(to.words())
		var sendErr error
		for _, ch := range s.channels {
			if sendErr = ch.Send(ctx, to, worded); sendErr != nil {
				sendErr = fmt.Errorf("%s to user %d: %w", ch.Name(), r.UserID, sendErr)
				break
			}
		}
		if sendErr == nil {
			continue
		}
		if err == nil {
			err = sendErr
		}
		failed = append(failed, r)
		// Release it for the next attempt; a context already ended must not
		// keep the row claimed forever.
		if _, uerr := s.db.NewUpdate().Model((*Item)(nil)).Set("emailed_at = NULL").Where("id = ?", r.ID).Exec(context.WithoutCancel(ctx)); uerr != nil {
			return failed, fmt.Errorf("release notification %d: %w", r.ID, uerr)
		}
	}
	return failed, err
}

// claim marks a notification as delivered unless someone already did.
func (s *Service) claim(ctx context.Context, id int64) (bool, error) {
	res, err := s.db.NewUpdate().Model((*Item)(nil)).Set("emailed_at = ?", s.now()).
		Where("id = ?", id).Where("emailed_at IS NULL").Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("claim notification %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
