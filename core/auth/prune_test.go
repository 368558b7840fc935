package auth_test

import (
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/auth"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

func TestPrune(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db, auth.Config{InviteTTL: 24 * time.Hour})
		ada := f.withPassword(t, "ada@vendor.example")
		bob := f.staff(t, "bob@vendor.example")
		cy := f.staff(t, "cy@vendor.example")
		dee := f.staff(t, "dee@vendor.example")

		// Day one: a session that will pass its absolute expiry, a failed
		// sign-in, an invitation that will expire unused and one that is
		// used.
		old := f.login(t, ada.Email)
		if _, _, err := f.svc.Login(f.ctx, "nobody@vendor.example", "wrong", "192.0.2.1", ""); fail.CodeOf(err) != fail.Unauthorized {
			t.Fatal(err)
		}
		expiring, _, _ := f.svc.Invite(f.ctx, bob.ID, ada.ID)
		used, _, _ := f.svc.Invite(f.ctx, cy.ID, ada.ID)
		if _, err := f.svc.AcceptInvitation(f.ctx, used, goodPassword); err != nil {
			t.Fatal(err)
		}

		// Day two: a session that will go idle, one that stays live, and
		// an invitation that stays valid.
		f.clock.Add(24 * time.Hour)
		idle := f.login(t, ada.Email)
		fresh, _, _ := f.svc.Invite(f.ctx, dee.ID, ada.ID)
		f.clock.Add(20 * time.Minute)
		live := f.login(t, ada.Email)
		f.clock.Add(20 * time.Minute) // idle unused for 40 minutes, live for 20

		n, err := f.svc.Prune(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Two sessions, two failure counters (account and address) and two
		// invitations.
		if n != 6 {
			t.Errorf("Prune deleted %d rows, want 6", n)
		}
		for name, tok := range map[string]string{"expired": old, "idle": idle} {
			if got := f.count(t, "sessions", "token_hash = ?", auth.HashToken(tok)); got != 0 {
				t.Errorf("%s session kept", name)
			}
		}
		if got := f.count(t, "login_failures", "1 = 1"); got != 0 {
			t.Errorf("%d old failure counters kept", got)
		}
		if got := f.count(t, "invitations", "token_hash IN (?, ?)", auth.HashToken(expiring), auth.HashToken(used)); got != 0 {
			t.Errorf("%d expired invitations kept", got)
		}
		if _, _, _, err := f.svc.Session(f.ctx, live); err != nil {
			t.Errorf("live session: %v", err)
		}
		if _, err := f.svc.Invitation(f.ctx, fresh); err != nil {
			t.Errorf("fresh invitation: %v", err)
		}
		if n, err := f.svc.Prune(f.ctx); err != nil || n != 0 {
			t.Errorf("second prune: %d, %v; want nothing left to delete", n, err)
		}
	})
}
