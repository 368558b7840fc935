package auth_test

import (
	"sync"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/auth"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

const invalidInvitation = "This invitation link is invalid or has expired."

func wantInvalidInvitation(t *testing.T, what string, err error) {
	t.Helper()
	if e := fail.As(err); e.Code != fail.NotFound || e.Message != invalidInvitation {
		t.Errorf("%s: err = %v, want not found %q", what, err, invalidInvitation)
	}
}

func TestInvitationLifecycle(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db, auth.Config{})
		admin := f.withPassword(t, "admin@vendor.example")
		u, _ := f.partnerUser(t, "pat@partner.example")

		token, expires, err := f.svc.Invite(f.ctx, u.ID, admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !expires.Equal(f.clock.Now().Add(7 * 24 * time.Hour)) {
			t.Errorf("expires %v, want 7 days from now", expires)
		}
		if n := f.count(t, "invitations", "token_hash = ? AND created_by = ?", auth.HashToken(token), admin.ID); n != 1 {
			t.Errorf("%d invitations stored under the token's hash by the admin, want 1", n)
		}
		got, err := f.svc.Invitation(f.ctx, token)
		if err != nil || got.ID != u.ID {
			t.Fatalf("Invitation: user %d, %v; want user %d", got.ID, err, u.ID)
		}

		// A password breaking the rules leaves the invitation usable.
		if _, err := f.svc.AcceptInvitation(f.ctx, token, "short"); fail.As(err).Fields["password"] == "" {
			t.Errorf("weak password: %v, want a password field error", err)
		}
		if _, err := f.svc.Invitation(f.ctx, token); err != nil {
			t.Errorf("a refused accept used the invitation up: %v", err)
		}

		got, err = f.svc.AcceptInvitation(f.ctx, token, goodPassword)
		if err != nil || got.ID != u.ID {
			t.Fatalf("accept: user %d, %v", got.ID, err)
		}
		f.login(t, u.Email)

		_, err = f.svc.AcceptInvitation(f.ctx, token, "a different passphrase")
		wantInvalidInvitation(t, "second accept", err)
		_, err = f.svc.Invitation(f.ctx, token)
		wantInvalidInvitation(t, "used invitation", err)
		for _, bad := range []string{"", "unknown"} {
			_, err = f.svc.Invitation(f.ctx, bad)
			wantInvalidInvitation(t, "token "+bad, err)
		}
		if _, _, err := f.svc.Invite(f.ctx, 4242, 0); fail.CodeOf(err) != fail.NotFound {
			t.Errorf("invite an unknown user: %v, want not found", err)
		}
	})
}

func TestInvitationExpires(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db, auth.Config{InviteTTL: 48 * time.Hour})
		u := f.staff(t, "new@vendor.example")
		token, _, err := f.svc.Invite(f.ctx, u.ID, 0) // from the command line: no inviter
		if err != nil {
			t.Fatal(err)
		}
		f.clock.Add(48*time.Hour - time.Second)
		if _, err := f.svc.Invitation(f.ctx, token); err != nil {
			t.Fatalf("a second before expiry: %v", err)
		}
		f.clock.Add(time.Second)
		_, err = f.svc.Invitation(f.ctx, token)
		wantInvalidInvitation(t, "expired invitation", err)
		_, err = f.svc.AcceptInvitation(f.ctx, token, goodPassword)
		wantInvalidInvitation(t, "accept expired invitation", err)
		if u, _ := f.dir.User(f.ctx, u.ID); u.HasPassword() {
			t.Error("an expired invitation set the password")
		}
	})
}

func TestNewerInvitationReplacesOlder(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db, auth.Config{})
		u := f.staff(t, "new@vendor.example")
		other := f.staff(t, "other@vendor.example")
		older, _, err := f.svc.Invite(f.ctx, u.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		otherToken, _, _ := f.svc.Invite(f.ctx, other.ID, 0)
		newer, _, err := f.svc.Invite(f.ctx, u.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Invitation(f.ctx, older)
		wantInvalidInvitation(t, "older invitation", err)
		if _, err := f.svc.Invitation(f.ctx, newer); err != nil {
			t.Errorf("newer invitation: %v", err)
		}
		if _, err := f.svc.Invitation(f.ctx, otherToken); err != nil {
			t.Errorf("another user's invitation was withdrawn: %v", err)
		}
	})
}

func TestInvitationOfDeactivatedUser(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db, auth.Config{})
		u := f.staff(t, "new@vendor.example")
		token, _, err := f.svc.Invite(f.ctx, u.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.dir.SetActive(f.ctx, u.ID, false); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.AcceptInvitation(f.ctx, token, goodPassword)
		wantInvalidInvitation(t, "deactivated user's invitation", err)
		if _, _, err := f.svc.Invite(f.ctx, u.ID, 0); fail.CodeOf(err) != fail.Conflict {
			t.Errorf("invite a deactivated user: %v, want conflict", err)
		}
	})
}

func TestConcurrentAcceptsUseTheInvitationOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db, auth.Config{})
		u := f.staff(t, "new@vendor.example")
		token, _, err := f.svc.Invite(f.ctx, u.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		const n = 8
		var (
			wg sync.WaitGroup
			mu sync.Mutex
			ok int
		)
		for range n {
			wg.Go(func() {
				_, err := f.svc.AcceptInvitation(f.ctx, token, goodPassword)
				if err == nil {
					mu.Lock()
					ok++
					mu.Unlock()
				} else if fail.CodeOf(err) != fail.NotFound {
					t.Errorf("losing accept: %v, want not found", err)
				}
			})
		}
		wg.Wait()
		if ok != 1 {
			t.Errorf("%d of %d concurrent accepts succeeded, want exactly 1", ok, n)
		}
	})
}
