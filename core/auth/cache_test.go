package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/auth"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/store/storetest"
	"github.com/atriumhq/atrium/sdk"
)

// With the session cache on, a session is checked once and then reused, but
// sign-out, password changes and Forget still cut access off at once.
func TestSessionCache(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	dir := directory.New(db)
	svc := auth.New(db, dir, auth.Config{SessionCache: time.Hour, Argon2: auth.Argon2Params{Memory: 64, Time: 1, Threads: 1}})
	u, err := dir.CreateUser(ctx, directory.UserInput{Email: "ada@example.com", Name: "Ada", Role: sdk.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.SetPassword(ctx, u.ID, "a long enough passphrase"); err != nil {
		t.Fatal(err)
	}
	login := func() string {
		tok, _, err := svc.Login(ctx, "ada@example.com", "a long enough passphrase", "192.0.2.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	ended := func(tok, why string) {
		t.Helper()
		if _, _, _, err := svc.Session(ctx, tok); fail.CodeOf(err) != fail.Unauthorized {
			t.Errorf("%s: session still works (err %v)", why, err)
		}
	}

	tok := login()
	if _, _, _, err := svc.Session(ctx, tok); err != nil {
		t.Fatal(err)
	}
	// Deleted behind the cache's back (another process): still served from
	// the cache, which is the trade-off the setting makes.
	if _, err := db.NewDelete().Table("sessions").Where("user_id = ?", u.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := svc.Session(ctx, tok); err != nil {
		t.Fatalf("a cached session was not reused: %v", err)
	}
	svc.Forget(u.ID)
	ended(tok, "after Forget")

	tok = login()
	svc.Session(ctx, tok)
	if err := svc.Logout(ctx, tok); err != nil {
		t.Fatal(err)
	}
	ended(tok, "after sign-out")

	tok = login()
	svc.Session(ctx, tok)
	if err := svc.SetPassword(ctx, u.ID, "another long passphrase"); err != nil {
		t.Fatal(err)
	}
	ended(tok, "after a password change")
}
