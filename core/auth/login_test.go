package auth_test

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/directory"

	"github.com/atriumhq/atrium/core/auth"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

func TestLoginStartsASession(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db, auth.Config{})
		staff := f.withPassword(t, "ada@vendor.example")
		pu, partner := f.partnerUser(t, "pat@partner.example")
		if err := f.svc.SetPassword(f.ctx, pu.ID, goodPassword); err != nil {
			t.Fatal(err)
		}

		token, u, err := f.svc.Login(f.ctx, "  ADA@Vendor.example ", goodPassword, "192.0.2.1", "Firefox")
		if err != nil {
			t.Fatal(err)
		}
		if u.ID != staff.ID || len(token) != 43 {
			t.Fatalf("login: user %d, token %q; want user %d and a 43-character token", u.ID, token, staff.ID)
		}
		if n := f.count(t, "sessions", "token_hash = ?", token); n != 0 {
			t.Error("the session token is stored in the clear")
		}
		if n := f.count(t, "sessions", "token_hash = ? AND ip = ? AND user_agent = ?", auth.HashToken(token), "192.0.2.1", "Firefox"); n != 1 {
			t.Errorf("%d sessions stored under the token's hash, want 1", n)
		}
		sess, got, p, err := f.svc.Session(f.ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		now := f.clock.Now()
		if got.ID != staff.ID || p != nil || sess.UserID != staff.ID || !sess.CreatedAt.Equal(now) ||
			!sess.LastSeenAt.Equal(now) || !sess.ExpiresAt.Equal(now.Add(8*time.Hour)) {
			t.Errorf("session = %+v, user %d, partner %v", sess, got.ID, p)
		}
		if u, _ := f.dir.User(f.ctx, staff.ID); u.LastLoginAt == nil {
			t.Error("the sign-in was not recorded on the user")
		}

		ptoken := f.login(t, pu.Email)
		_, got, p, err = f.svc.Session(f.ctx, ptoken)
		if err != nil || got.ID != pu.ID || p == nil || p.ID != partner.ID {
			t.Fatalf("partner user's session: user %d, partner %+v, %v", got.ID, p, err)
		}
		// The session's one-query read gives exactly what the directory holds.
		wantUser, _ := f.dir.User(f.ctx, pu.ID)
		wantPartner, _ := f.dir.Partner(f.ctx, partner.ID)
		if !reflect.DeepEqual(normalUser(got), normalUser(wantUser)) {
			t.Errorf("session user\n got %+v\nwant %+v", normalUser(got), normalUser(wantUser))
		}
		if !p.CreatedAt.Equal(wantPartner.CreatedAt) || !p.UpdatedAt.Equal(wantPartner.UpdatedAt) {
			t.Errorf("session partner times %v %v, want %v %v", p.CreatedAt, p.UpdatedAt, wantPartner.CreatedAt, wantPartner.UpdatedAt)
		}
		p.CreatedAt, p.UpdatedAt, wantPartner.CreatedAt, wantPartner.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if !reflect.DeepEqual(*p, wantPartner) {
			t.Errorf("session partner\n got %+v\nwant %+v", *p, wantPartner)
		}

		for _, bad := range []string{"", "nonsense", token + "x", auth.HashToken(token)} {
			if _, _, _, err := f.svc.Session(f.ctx, bad); fail.CodeOf(err) != fail.Unauthorized {
				t.Errorf("Session(%q): err = %v, want unauthorized", bad, err)
			}
		}
	})
}

func TestFailedLoginsLookAlike(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db, auth.Config{})
		f.withPassword(t, "ok@vendor.example")
		gone := f.withPassword(t, "gone@vendor.example")
		if err := f.dir.SetActive(f.ctx, gone.ID, false); err != nil {
			t.Fatal(err)
		}
		f.staff(t, "invited@vendor.example") // no password yet

		for _, tc := range []struct{ name, email, password string }{
			{"wrong password", "ok@vendor.example", "not the password at all"},
			{"unknown email", "nobody@vendor.example", goodPassword},
			{"deactivated user", "gone@vendor.example", goodPassword},
			{"user without password", "invited@vendor.example", goodPassword},
			{"empty password", "invited@vendor.example", ""},
			{"invalid text", "\xff\x00@vendor.example", goodPassword},
		} {
			token, _, err := f.svc.Login(f.ctx, tc.email, tc.password, "192.0.2.1", "test")
			e := fail.As(err)
			if token != "" || e.Code != fail.Unauthorized || e.Message != "Email or password is incorrect." {
				t.Errorf("%s: token %q, err %v; want the one sign-in error", tc.name, token, err)
			}
		}
		if n := f.count(t, "sessions", "1 = 1"); n != 0 {
			t.Errorf("%d sessions after failed sign-ins", n)
		}
	})
}

func TestAccountLimit(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db, auth.Config{})
		f.withPassword(t, "ada@vendor.example")
		for i := range 10 {
			// Alternating addresses: this is the account's limit, not an
			// address's.
			ip := fmt.Sprintf("192.0.2.%d", i)
			if _, _, err := f.svc.Login(f.ctx, "ada@vendor.example", "wrong password "+ip, ip, ""); fail.CodeOf(err) != fail.Unauthorized {
				t.Fatalf("attempt %d: err = %v, want unauthorized", i+1, err)
			}
			f.clock.Add(30 * time.Second)
		}
		// The 11th attempt is refused before the password is checked, even
		// the right one, and from a fresh address.
		_, _, err := f.svc.Login(f.ctx, "ADA@vendor.example", goodPassword, "198.51.100.7", "")
		if e := fail.As(err); e.Code != fail.TooMany || e.Message != "Too many failed sign-ins. Try again in 10 minutes." {
			t.Fatalf("11th attempt: %v; want too many, 10 minutes left of the window", err)
		}
		// The window is fixed: it ends 15 minutes after the first failure.
		f.clock.Add(10*time.Minute - time.Second)
		if _, _, err := f.svc.Login(f.ctx, "ada@vendor.example", goodPassword, "198.51.100.7", ""); !strings.Contains(fail.Message(err), "Try again in 1 minute.") {
			t.Fatalf("one second before the window ends: %v", err)
		}
		f.clock.Add(time.Second)
		f.login(t, "ada@vendor.example")

		// A success clears the account's count: ten more failures are allowed.
		for i := range 10 {
			if _, _, err := f.svc.Login(f.ctx, "ada@vendor.example", "wrong again", "192.0.2.1", ""); fail.CodeOf(err) != fail.Unauthorized {
				t.Fatalf("failure %d after a success: %v", i+1, err)
			}
		}
		if _, _, err := f.svc.Login(f.ctx, "ada@vendor.example", goodPassword, "192.0.2.1", ""); fail.CodeOf(err) != fail.TooMany {
			t.Errorf("after ten new failures: %v, want too many", err)
		}
	})
}

func TestAddressLimitSpansAccounts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db, auth.Config{})
		f.withPassword(t, "ada@vendor.example")
		const ip = "203.0.113.9"
		for i := range 50 {
			email := fmt.Sprintf("guess%d@vendor.example", i)
			if _, _, err := f.svc.Login(f.ctx, email, goodPassword, ip, ""); fail.CodeOf(err) != fail.Unauthorized {
				t.Fatalf("attempt %d: %v", i+1, err)
			}
		}
		if _, _, err := f.svc.Login(f.ctx, "ada@vendor.example", goodPassword, ip, ""); fail.CodeOf(err) != fail.TooMany {
			t.Errorf("51st attempt from the address, on another account: %v, want too many", err)
		}
		if _, _, err := f.svc.Login(f.ctx, "ada@vendor.example", goodPassword, "203.0.113.10", ""); err != nil {
			t.Errorf("the account from another address: %v", err)
		}
		// A success does not reset the address: one good account must not
		// shelter a spraying source.
		if _, _, err := f.svc.Login(f.ctx, "ada@vendor.example", goodPassword, ip, ""); fail.CodeOf(err) != fail.TooMany {
			t.Errorf("after a success elsewhere: %v, want the address still limited", err)
		}
		f.clock.Add(15 * time.Minute)
		if _, _, err := f.svc.Login(f.ctx, "ada@vendor.example", goodPassword, ip, ""); err != nil {
			t.Errorf("after the window: %v", err)
		}
	})
}

func TestConcurrentFailuresAreAllCounted(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db, auth.Config{AccountLimit: 1000, AddressLimit: 1000})
		const n = 20
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				if _, _, err := f.svc.Login(f.ctx, "nobody@vendor.example", goodPassword, "192.0.2.1", ""); fail.CodeOf(err) != fail.Unauthorized {
					t.Errorf("concurrent failure: %v", err)
				}
			})
		}
		wg.Wait()
		var counts []int
		if err := f.db.NewSelect().Table("login_failures").Column("count").Order("count").Scan(f.ctx, &counts); err != nil {
			t.Fatal(err)
		}
		if len(counts) != 2 || counts[0] != n || counts[1] != n {
			t.Errorf("counters = %v, want account and address at %d", counts, n)
		}
	})
}

func TestABurstCannotOutrunTheLimit(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db, auth.Config{AccountLimit: 3})
		f.withPassword(t, "ada@vendor.example")
		const n = 12
		var (
			wg              sync.WaitGroup
			mu              sync.Mutex
			checked, denied int
		)
		for i := range n {
			wg.Go(func() {
				_, _, err := f.svc.Login(f.ctx, "ada@vendor.example", fmt.Sprintf("guess number %d", i), "", "")
				mu.Lock()
				defer mu.Unlock()
				switch fail.CodeOf(err) {
				case fail.Unauthorized:
					checked++
				case fail.TooMany:
					denied++
				default:
					t.Errorf("concurrent guess: %v", err)
				}
			})
		}
		wg.Wait()
		if checked != 3 || denied != n-3 {
			t.Errorf("%d guesses checked and %d refused, want 3 and %d", checked, denied, n-3)
		}
	})
}

func TestSuccessesDoNotCountAgainstTheAddress(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		// Many people behind one office address sign in within a window.
		f := setup(t, db, auth.Config{AddressLimit: 3})
		for i := range 6 {
			email := fmt.Sprintf("user%d@vendor.example", i)
			f.withPassword(t, email)
			if _, _, err := f.svc.Login(f.ctx, email, goodPassword, "198.51.100.1", ""); err != nil {
				t.Fatalf("sign-in %d from the shared address: %v", i+1, err)
			}
		}
		// Failures still count: three are allowed, the fourth is refused.
		for i := range 3 {
			if _, _, err := f.svc.Login(f.ctx, "user0@vendor.example", "wrong password", "198.51.100.1", ""); fail.CodeOf(err) != fail.Unauthorized {
				t.Fatalf("failure %d: %v", i+1, err)
			}
		}
		if _, _, err := f.svc.Login(f.ctx, "user1@vendor.example", goodPassword, "198.51.100.1", ""); fail.CodeOf(err) != fail.TooMany {
			t.Errorf("after three failures from the address: %v, want too many", err)
		}
	})
}

func TestLoginUpgradesAnOldHash(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db, auth.Config{})
		u := f.staff(t, "ada@vendor.example")
		old := auth.New(db, f.dir, auth.Config{Argon2: auth.Argon2Params{Memory: 32, Time: 1, Threads: 1}})
		h, err := old.HashPassword(f.ctx, goodPassword)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.dir.SetPasswordHash(f.ctx, u.ID, h); err != nil {
			t.Fatal(err)
		}
		first := f.login(t, u.Email) // verifies the old hash, stores a new one
		stored, _ := f.dir.User(f.ctx, u.ID)
		want := fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$", cheap.Memory, cheap.Time, cheap.Threads)
		if !strings.HasPrefix(stored.PasswordHash, want) {
			t.Fatalf("hash after sign-in = %q, want current parameters %q", stored.PasswordHash, want)
		}
		if _, _, _, err := f.svc.Session(f.ctx, first); err != nil {
			t.Errorf("the upgrade ended the session it came with: %v", err)
		}
		f.login(t, u.Email) // the new hash verifies
		if _, _, _, err := f.svc.Session(f.ctx, first); err != nil {
			t.Errorf("a sign-in without upgrade ended another session: %v", err)
		}
	})
}

func TestSessionTimeouts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db, auth.Config{})
		f.withPassword(t, "ada@vendor.example")

		t.Run("idle", func(t *testing.T) {
			token := f.login(t, "ada@vendor.example")
			for range 3 { // activity keeps it alive past the idle timeout
				f.clock.Add(29 * time.Minute)
				if _, _, _, err := f.svc.Session(f.ctx, token); err != nil {
					t.Fatalf("used within the idle timeout: %v", err)
				}
			}
			f.clock.Add(30 * time.Minute)
			if _, _, _, err := f.svc.Session(f.ctx, token); fail.CodeOf(err) != fail.Unauthorized {
				t.Fatalf("idle for 30 minutes: %v, want unauthorized", err)
			}
			if n := f.count(t, "sessions", "token_hash = ?", auth.HashToken(token)); n != 0 {
				t.Error("the idle session was not deleted")
			}
		})

		t.Run("absolute", func(t *testing.T) {
			token := f.login(t, "ada@vendor.example")
			for elapsed := 20 * time.Minute; elapsed < 8*time.Hour; elapsed += 20 * time.Minute {
				f.clock.Add(20 * time.Minute)
				if _, _, _, err := f.svc.Session(f.ctx, token); err != nil {
					t.Fatalf("active at %v: %v", elapsed, err)
				}
			}
			f.clock.Add(20 * time.Minute) // 8h after sign-in, last seen 20 minutes ago
			if _, _, _, err := f.svc.Session(f.ctx, token); fail.CodeOf(err) != fail.Unauthorized {
				t.Fatalf("8 hours after sign-in: %v, want unauthorized", err)
			}
			if n := f.count(t, "sessions", "token_hash = ?", auth.HashToken(token)); n != 0 {
				t.Error("the expired session was not deleted")
			}
		})
	})
}

func TestSessionLastSeenRefreshedOncePerMinute(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db, auth.Config{})
		f.withPassword(t, "ada@vendor.example")
		token := f.login(t, "ada@vendor.example")
		start := f.clock.Now()
		lastSeen := func() time.Time {
			t.Helper()
			var ts time.Time
			if err := f.db.NewSelect().Table("sessions").Column("last_seen_at").Where("token_hash = ?", auth.HashToken(token)).Scan(f.ctx, &ts); err != nil {
				t.Fatal(err)
			}
			return ts
		}
		for _, step := range []struct {
			advance time.Duration
			want    time.Duration // last_seen_at after the request, from start
		}{
			{30 * time.Second, 0},
			{29 * time.Second, 0},                 // 59s
			{time.Second, time.Minute},            // 60s: refreshed
			{45 * time.Second, time.Minute},       // 105s
			{16 * time.Second, 121 * time.Second}, // 121s
		} {
			f.clock.Add(step.advance)
			sess, _, _, err := f.svc.Session(f.ctx, token)
			if err != nil {
				t.Fatal(err)
			}
			want := start.Add(step.want)
			if got := lastSeen(); !got.Equal(want) || !sess.LastSeenAt.Equal(want) {
				t.Errorf("at %v: stored %v, returned %v; want %v", f.clock.Now().Sub(start), got, sess.LastSeenAt, want)
			}
		}
	})
}

func TestLogoutAndEndSessions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db, auth.Config{})
		ada := f.withPassword(t, "ada@vendor.example")
		f.withPassword(t, "bob@vendor.example")
		a1, a2, a3 := f.login(t, ada.Email), f.login(t, ada.Email), f.login(t, ada.Email)
		b := f.login(t, "bob@vendor.example")

		if err := f.svc.Logout(f.ctx, a1); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := f.svc.Session(f.ctx, a1); fail.CodeOf(err) != fail.Unauthorized {
			t.Errorf("after logout: %v", err)
		}
		if _, _, _, err := f.svc.Session(f.ctx, a2); err != nil {
			t.Errorf("logout ended another session: %v", err)
		}
		for _, again := range []string{a1, "", "unknown"} {
			if err := f.svc.Logout(f.ctx, again); err != nil {
				t.Errorf("Logout(%q) = %v, want no error", again, err)
			}
		}

		if err := f.svc.EndSessions(f.ctx, ada.ID); err != nil {
			t.Fatal(err)
		}
		for _, tok := range []string{a2, a3} {
			if _, _, _, err := f.svc.Session(f.ctx, tok); fail.CodeOf(err) != fail.Unauthorized {
				t.Errorf("after EndSessions: %v", err)
			}
		}
		if _, _, _, err := f.svc.Session(f.ctx, b); err != nil {
			t.Errorf("EndSessions ended another user's session: %v", err)
		}
	})
}

func TestSetPassword(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db, auth.Config{})
		u := f.withPassword(t, "ada@vendor.example")
		token := f.login(t, u.Email)

		if err := f.svc.SetPassword(f.ctx, u.ID, "ada@vendor.example"); fail.As(err).Fields["password"] == "" {
			t.Errorf("a password breaking the rules: %v, want a password field error", err)
		}
		if _, _, _, err := f.svc.Session(f.ctx, token); err != nil {
			t.Errorf("a refused change ended the session: %v", err)
		}
		if err := f.svc.SetPassword(f.ctx, 4242, goodPassword); fail.CodeOf(err) != fail.NotFound {
			t.Errorf("unknown user: %v, want not found", err)
		}

		const next = "another fine passphrase"
		if err := f.svc.SetPassword(f.ctx, u.ID, next); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := f.svc.Session(f.ctx, token); fail.CodeOf(err) != fail.Unauthorized {
			t.Errorf("session after a password change: %v, want ended", err)
		}
		if _, _, err := f.svc.Login(f.ctx, u.Email, goodPassword, "", ""); fail.CodeOf(err) != fail.Unauthorized {
			t.Errorf("old password after the change: %v", err)
		}
		if _, _, err := f.svc.Login(f.ctx, u.Email, next, "", ""); err != nil {
			t.Errorf("new password: %v", err)
		}
	})
}

func TestDeactivationEndsAccess(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db, auth.Config{})
		u := f.withPassword(t, "ada@vendor.example")
		token := f.login(t, u.Email)
		// Deactivate without the directory's own clean-up, to prove that
		// Session checks the user on every request.
		if _, err := f.db.NewUpdate().Table("users").Set("active = ?", false).Where("id = ?", u.ID).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := f.svc.Session(f.ctx, token); fail.CodeOf(err) != fail.Unauthorized {
			t.Errorf("session of a deactivated user: %v, want unauthorized", err)
		}
	})
}

// normalUser compares users by value, times by instant.
func normalUser(u directory.User) directory.User {
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC().Round(time.Microsecond), u.UpdatedAt.UTC().Round(time.Microsecond)
	if u.LastLoginAt != nil {
		t := u.LastLoginAt.UTC().Round(time.Microsecond)
		u.LastLoginAt = &t
	}
	return u
}
