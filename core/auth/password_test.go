package auth_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/auth"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"golang.org/x/crypto/argon2"
)

// cheap keeps argon2id fast in tests that are not about its cost. It goes
// through exactly the same code as the defaults.
var cheap = auth.Argon2Params{Memory: 64, Time: 1, Threads: 1}

// goodPassword passes the rules for every test user.
const goodPassword = "correct horse battery"

// newService returns a Service without a database, for the hashing methods.
func newService(cfg auth.Config) *auth.Service { return auth.New(nil, directory.New(nil), cfg) }

func TestHashPasswordFormatAndDefaults(t *testing.T) {
	ctx := context.Background()
	s := newService(auth.Config{}) // the production parameters
	h, err := s.HashPassword(ctx, goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "$argon2id$v=19$m=19456,t=2,p=1$"
	if !strings.HasPrefix(h, prefix) {
		t.Fatalf("hash %q does not start with %q", h, prefix)
	}
	parts := strings.Split(strings.TrimPrefix(h, prefix), "$")
	if len(parts) != 2 {
		t.Fatalf("hash %q: want salt and key after the parameters", h)
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[0])
	if err != nil || len(salt) != 16 {
		t.Errorf("salt %q: %d bytes, %v; want 16 bytes of unpadded standard base64", parts[0], len(salt), err)
	}
	key, err := base64.RawStdEncoding.DecodeString(parts[1])
	if err != nil || len(key) != 32 {
		t.Errorf("key %q: %d bytes, %v; want 32 bytes", parts[1], len(key), err)
	}
	// The key is plain argon2id over the password and salt: any conforming
	// implementation can verify it.
	if want := argon2.IDKey([]byte(goodPassword), salt, 2, 19456, 1, 32); string(key) != string(want) {
		t.Error("key is not argon2id(password, salt, t=2, m=19456, p=1)")
	}

	ok, rehash, err := s.VerifyPassword(ctx, h, goodPassword)
	if err != nil || !ok || rehash {
		t.Errorf("verify right password: ok=%v rehash=%v err=%v; want ok, no rehash", ok, rehash, err)
	}
	ok, _, err = s.VerifyPassword(ctx, h, goodPassword+"!")
	if err != nil || ok {
		t.Errorf("verify wrong password: ok=%v err=%v; want not ok, no error", ok, err)
	}

	again, _ := s.HashPassword(ctx, goodPassword)
	if again == h {
		t.Error("two hashes of one password are equal; the salt is not random")
	}
}

func TestVerifyOtherParametersNeedsRehash(t *testing.T) {
	ctx := context.Background()
	old := newService(auth.Config{Argon2: auth.Argon2Params{Memory: 32, Time: 3, Threads: 2}})
	cur := newService(auth.Config{Argon2: cheap})
	h, err := old.HashPassword(ctx, goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=32,t=3,p=2$") {
		t.Fatalf("hash %q does not carry its parameters", h)
	}
	ok, rehash, err := cur.VerifyPassword(ctx, h, goodPassword)
	if err != nil || !ok || !rehash {
		t.Errorf("verify with other parameters: ok=%v rehash=%v err=%v; want ok and rehash", ok, rehash, err)
	}

	// A hash with a shorter salt and key, as another implementation might
	// write, verifies and asks to be replaced.
	salt := []byte("8bytesalt")[:8]
	key := argon2.IDKey([]byte(goodPassword), salt, cheap.Time, cheap.Memory, cheap.Threads, 16)
	foreign := fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", cheap.Memory, cheap.Time, cheap.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
	ok, rehash, err = cur.VerifyPassword(ctx, foreign, goodPassword)
	if err != nil || !ok || !rehash {
		t.Errorf("verify short salt and key: ok=%v rehash=%v err=%v; want ok and rehash", ok, rehash, err)
	}
}

func TestVerifyRejectsMalformedHashes(t *testing.T) {
	s := newService(auth.Config{Argon2: cheap})
	good, err := s.HashPassword(context.Background(), goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	saltKey := good[strings.LastIndex(good[:strings.LastIndex(good, "$")], "$"):] // "$salt$key"
	for name, encoded := range map[string]string{
		"empty":           "",
		"bcrypt":          "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":         "$argon2i$v=19$m=64,t=1,p=1" + saltKey,
		"old version":     "$argon2id$v=16$m=64,t=1,p=1" + saltKey,
		"no version":      "$argon2id$m=64,t=1,p=1" + saltKey,
		"params order":    "$argon2id$v=19$t=1,m=64,p=1" + saltKey,
		"zero time":       "$argon2id$v=19$m=64,t=0,p=1" + saltKey,
		"zero threads":    "$argon2id$v=19$m=64,t=1,p=0" + saltKey,
		"memory too low":  "$argon2id$v=19$m=7,t=1,p=1" + saltKey,
		"memory too high": "$argon2id$v=19$m=4194304,t=1,p=1" + saltKey,
		"time too high":   "$argon2id$v=19$m=64,t=1000,p=1" + saltKey,
		"bad salt":        "$argon2id$v=19$m=64,t=1,p=1$***$" + good[strings.LastIndex(good, "$")+1:],
		"padded key":      good + "=",
		"trailing part":   good + "$x",
	} {
		ok, _, err := s.VerifyPassword(context.Background(), encoded, goodPassword)
		if err == nil || ok {
			t.Errorf("%s: ok=%v err=%v; want an error", name, ok, err)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	const email = "Carla.Mendes@Example.com"
	for _, tc := range []struct {
		password string
		want     string // "" for accepted; else part of the message
	}{
		{"correct horse battery", ""},
		{"Tr0ub4dor&3-extended", ""},
		{"zürich-kaffee-am-morgen", ""},
		{"   spaced   out   words   ", ""},
		{"plum orchard 1987", ""},
		{"kurz", "at least 12"},
		{"elevenchars", "at least 12"},
		{"äöüäöüäöüäö", "at least 12"}, // 11 characters in 22 bytes
		{strings.Repeat("ab1", 43), "at most 128"},
		{strings.Repeat(" ", 20), "only spaces"},
		{"\t\n \t\n \t\n \t\n ", "only spaces"},
		{"carla.mendes", "email"},
		{"carla.mendes@example.com", "email"},
		{"my-CARLA.MENDES-password", "email"},
		{"password", "at least 12"},
		{"passwordpassword", "too common"},
		{"Password2024!", "too common"},
		{"2024!Password", "too common"},
		{"123456789012", "too common"},
		{"111111111111", "too common"},
		{"abcabcabcabc", "too common"},
		{"QwertyQwertyQwerty", "too common"},
		{"qwertyuiopasdfghjkl", "too common"},
		{"1q2w3e4r5t6y", "too common"},
		{"1q2w3e4r!!!!", "too common"},
		{"iloveyou1234", "too common"},
		{"Atrium2026!!", "too common"},
		{"correcthorsebatterystaple", "too common"},
	} {
		err := auth.CheckPassword(tc.password, email)
		if tc.want == "" {
			if err != nil {
				t.Errorf("CheckPassword(%q) = %v, want accepted", tc.password, err)
			}
			continue
		}
		e := fail.As(err)
		if err == nil || e.Code != fail.Invalid || !strings.Contains(e.Fields["password"], tc.want) {
			t.Errorf("CheckPassword(%q) = %v, want a password field error containing %q", tc.password, err, tc.want)
		}
	}
	// Length bounds exactly.
	if err := auth.CheckPassword(strings.Repeat("ab1", 42)+"c3", email); err != nil { // 128
		t.Errorf("128 characters refused: %v", err)
	}
	if err := auth.CheckPassword(strings.Repeat("ab1", 43), email); err == nil { // 129
		t.Error("129 characters accepted")
	}
	// A short local part only forbids being the password, not appearing in it.
	if err := auth.CheckPassword("jo-likes-long-walks", "jo@example.com"); err != nil {
		t.Errorf("two-letter local part forbade a password containing it: %v", err)
	}
}

func BenchmarkHashPassword(b *testing.B) {
	s := newService(auth.Config{}) // the production parameters
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.HashPassword(ctx, goodPassword); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHashPasswordParallel shows the throughput of sign-ins under load,
// with the default cap on concurrent hashes.
func BenchmarkHashPasswordParallel(b *testing.B) {
	s := newService(auth.Config{})
	ctx := context.Background()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.HashPassword(ctx, goodPassword); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
