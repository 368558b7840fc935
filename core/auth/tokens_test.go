package auth_test

import (
	"strings"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/auth"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/i18n"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/uptrace/bun"
)

func TestAPITokens(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db, auth.Config{})
		staff := f.staff(t, "ada@vendor.example")
		pu, partner := f.partnerUser(t, "pat@partner.example")

		token, err := f.svc.CreateToken(f.ctx, pu.ID, "  CRM sync ")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(token, "atr_") || len(token) != 4+43 {
			t.Fatalf("token %q: want atr_ and 43 base64url characters", token)
		}
		if n := f.count(t, "api_tokens", "token_hash = ? AND name = ?", auth.HashToken(token), "CRM sync"); n != 1 {
			t.Errorf("%d tokens stored under the hash with the trimmed name, want 1", n)
		}
		u, p, err := f.svc.TokenUser(f.ctx, token)
		if err != nil || u.ID != pu.ID || p == nil || p.ID != partner.ID {
			t.Fatalf("TokenUser: user %d, partner %+v, %v", u.ID, p, err)
		}
		staffToken, _ := f.svc.CreateToken(f.ctx, staff.ID, "")
		if u, p, err := f.svc.TokenUser(f.ctx, staffToken); err != nil || u.ID != staff.ID || p != nil {
			t.Errorf("staff token: user %d, partner %v, %v", u.ID, p, err)
		}

		for _, bad := range []string{"", "atr_", "atr_nonsense", strings.TrimPrefix(token, "atr_"), auth.HashToken(token), token + "x"} {
			if _, _, err := f.svc.TokenUser(f.ctx, bad); fail.CodeOf(err) != fail.Unauthorized {
				t.Errorf("TokenUser(%q): %v, want unauthorized", bad, err)
			}
		}
		if _, err := f.svc.CreateToken(f.ctx, pu.ID, strings.Repeat("n", 101)); fail.As(err).Fields["name"] == "" {
			t.Errorf("long name: %v, want a name field error", err)
		}
		// The refusals of a token's name read English in logs and the CLI,
		// and German for a German reader.
		de := i18n.Locale("de")
		for _, tc := range []struct{ name, english, german string }{
			{strings.Repeat("n", 101), "Use at most 100 characters.", "Verwenden Sie höchstens 100 Zeichen."},
			{"bad\x00name", "Use plain text.", "Verwenden Sie einfachen Text."},
		} {
			_, err := f.svc.CreateToken(f.ctx, pu.ID, tc.name)
			if e := fail.As(err); e.Fields["name"] != tc.english || e.In(de).Fields["name"] != tc.german {
				t.Errorf("token named %q: %q, in German %q; want %q and %q", tc.name, e.Fields["name"], e.In(de).Fields["name"], tc.english, tc.german)
			}
		}
		if _, err := f.svc.CreateToken(f.ctx, 4242, "x"); fail.CodeOf(err) != fail.NotFound {
			t.Errorf("unknown user: %v, want not found", err)
		}

		list, err := f.svc.Tokens(f.ctx, pu.ID)
		if err != nil || len(list) != 1 || list[0].Name != "CRM sync" || list[0].LastUsedAt == nil {
			t.Fatalf("Tokens: %+v, %v; want the one token, used", list, err)
		}

		// Only the owner can revoke; revoking twice is harmless.
		if err := f.svc.RevokeToken(f.ctx, staff.ID, list[0].ID); fail.CodeOf(err) != fail.NotFound {
			t.Errorf("revoke another user's token: %v, want not found", err)
		}
		if _, _, err := f.svc.TokenUser(f.ctx, token); err != nil {
			t.Fatalf("token after a refused revoke: %v", err)
		}
		if err := f.svc.RevokeToken(f.ctx, pu.ID, list[0].ID); err != nil {
			t.Fatal(err)
		}
		revokedAt := f.clock.Now()
		f.clock.Add(time.Hour)
		if err := f.svc.RevokeToken(f.ctx, pu.ID, list[0].ID); err != nil {
			t.Errorf("revoke twice: %v", err)
		}
		if _, _, err := f.svc.TokenUser(f.ctx, token); fail.CodeOf(err) != fail.Unauthorized {
			t.Errorf("revoked token: %v, want unauthorized", err)
		}
		list, _ = f.svc.Tokens(f.ctx, pu.ID)
		if list[0].RevokedAt == nil || !list[0].RevokedAt.Equal(revokedAt) {
			t.Errorf("revoked at %v, want the first revocation %v", list[0].RevokedAt, revokedAt)
		}
	})
}

func TestAPITokenOfDeactivatedUser(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db, auth.Config{})
		u := f.staff(t, "ada@vendor.example")
		token, err := f.svc.CreateToken(f.ctx, u.ID, "ci")
		if err != nil {
			t.Fatal(err)
		}
		// Flip the flag alone (the directory also revokes tokens), to prove
		// TokenUser checks the user on every call.
		if _, err := f.db.NewUpdate().Table("users").Set("active = ?", false).Where("id = ?", u.ID).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.svc.TokenUser(f.ctx, token); fail.CodeOf(err) != fail.Unauthorized {
			t.Errorf("token of a deactivated user: %v, want unauthorized", err)
		}
		if _, err := f.svc.CreateToken(f.ctx, u.ID, "more"); fail.CodeOf(err) != fail.Conflict {
			t.Errorf("new token for a deactivated user: %v, want conflict", err)
		}
		// Reactivated through the directory, which revoked nothing since the
		// user was not deactivated through it: the token works again.
		if err := f.dir.SetActive(f.ctx, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.svc.TokenUser(f.ctx, token); err != nil {
			t.Errorf("after reactivation: %v", err)
		}
		// Deactivated through the directory: revoked for good.
		if err := f.dir.SetActive(f.ctx, u.ID, false); err != nil {
			t.Fatal(err)
		}
		if err := f.dir.SetActive(f.ctx, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.svc.TokenUser(f.ctx, token); fail.CodeOf(err) != fail.Unauthorized {
			t.Errorf("after deactivation and reactivation: %v, want the token revoked", err)
		}
	})
}

func TestAPITokenExpiryAndLastUsed(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db, auth.Config{})
		u := f.staff(t, "ada@vendor.example")
		token, err := f.svc.CreateToken(f.ctx, u.ID, "ci")
		if err != nil {
			t.Fatal(err)
		}
		start := f.clock.Now()
		lastUsed := func() time.Time {
			t.Helper()
			list, err := f.svc.Tokens(f.ctx, u.ID)
			if err != nil || len(list) != 1 || list[0].LastUsedAt == nil {
				t.Fatalf("tokens: %+v, %v", list, err)
			}
			return *list[0].LastUsedAt
		}
		for _, step := range []struct{ advance, want time.Duration }{
			{0, 0},
			{59 * time.Second, 0},
			{time.Second, time.Minute},
			{30 * time.Second, time.Minute},
		} {
			f.clock.Add(step.advance)
			if _, _, err := f.svc.TokenUser(f.ctx, token); err != nil {
				t.Fatal(err)
			}
			if got := lastUsed(); !got.Equal(start.Add(step.want)) {
				t.Errorf("at %v: last used %v, want %v", f.clock.Now().Sub(start), got, start.Add(step.want))
			}
		}

		// Tokens made elsewhere (a future admin screen) may carry an expiry.
		if _, err := f.db.NewUpdate().Table("api_tokens").Set("expires_at = ?", f.clock.Now().Add(time.Hour)).Where("user_id = ?", u.ID).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		f.clock.Add(time.Hour - time.Second)
		if _, _, err := f.svc.TokenUser(f.ctx, token); err != nil {
			t.Errorf("before expiry: %v", err)
		}
		f.clock.Add(time.Second)
		if _, _, err := f.svc.TokenUser(f.ctx, token); fail.CodeOf(err) != fail.Unauthorized {
			t.Errorf("expired token: %v, want unauthorized", err)
		}
	})
}
