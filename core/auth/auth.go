// Package auth signs people in and keeps them signed in: password hashing and
// rules, sign-in with per-account and per-address limits on failures,
// browser sessions with idle and absolute timeouts, single-use invitations
// that let a new user set a password, and API tokens for integrations.
//
// Every secret handed out (session, invitation and API tokens) is 32 random
// bytes; the database keeps only its SHA-256, so a leaked backup or a read-only
// SQL injection yields nothing that can be replayed, and tokens are found by
// looking up their hash rather than by comparing secrets in Go code.
//
// A Service is safe for concurrent use and keeps no state of its own besides
// the hashing semaphore: several portal processes can share one database.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"runtime"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/uptrace/bun"
)

// Config tunes a Service. Zero fields take the defaults documented on each.
type Config struct {
	// IdleTimeout ends a session unused this long (default 30 minutes).
	// OWASP's Session Management Cheat Sheet suggests 15 to 30 minutes of
	// idle time for ordinary business applications.
	IdleTimeout time.Duration
	// AbsoluteTimeout ends a session this long after sign-in however active
	// it is (default 8 hours, a working day), so a stolen session cannot be
	// kept alive forever (Session Management Cheat Sheet, "Absolute Timeout").
	AbsoluteTimeout time.Duration
	// InviteTTL is how long an invitation link works (default 7 days).
	InviteTTL time.Duration
	// MaxHashes caps the argon2id hashes running at once (default
	// 2*GOMAXPROCS). Each takes Argon2.Memory KiB (about 19 MiB by default),
	// so without a cap a burst of sign-ins could exhaust memory.
	MaxHashes int
	// AccountLimit is the number of failed sign-ins per account (normalised
	// email) per window before further attempts are refused (default 10).
	AccountLimit int
	// AddressLimit is the number of failed sign-ins per client address per
	// window, across all accounts (default 50). It slows password spraying,
	// which the per-account limit alone does not see.
	AddressLimit int
	// LimitWindow is the length of the fixed window in which failures are
	// counted (default 15 minutes).
	LimitWindow time.Duration
	// Argon2 sets the cost of new password hashes (default DefaultArgon2).
	// Tests lower it to stay fast; production keeps the default.
	Argon2 Argon2Params
	// Now is the clock (default time.Now); tests inject one they can move.
	Now func() time.Time
	// SessionCache lets a resolved session be reused for this long without
	// asking the database (0, the default, asks every time). Sign-out,
	// password changes and Forget take effect at once in this process;
	// other processes sharing the database see them within this time.
	SessionCache time.Duration
}

// The defaults.
const (
	DefaultIdleTimeout     = 30 * time.Minute
	DefaultAbsoluteTimeout = 8 * time.Hour
	DefaultInviteTTL       = 7 * 24 * time.Hour
	DefaultAccountLimit    = 10
	DefaultAddressLimit    = 50
	DefaultLimitWindow     = 15 * time.Minute
)

// touchInterval is how stale last_seen_at (sessions) and last_used_at (API
// tokens) may get before a request refreshes them. The idle timeout is then
// at most this much early, and most requests do not write.
const touchInterval = time.Minute

// Service signs people in and resolves sessions, invitations and API tokens.
type Service struct {
	db  bun.IDB
	dir *directory.Directory
	cfg Config
	// sem holds one slot per argon2id computation in progress.
	sem chan struct{}
	// dummy is a well-formed hash of nothing that Login verifies against
	// when there is no real hash to check, so that an unknown email costs
	// the same time as a wrong password.
	dummy string
	// lookup is the prepared session query (see lookup.go).
	lookup sessionLookup
	// recent holds sessions resolved in the last Config.SessionCache, by
	// token hash; nil when the cache is off.
	recent *expirable.LRU[string, sessionFound]
	// cutOff are told when a user's access is cut off (see Forget).
	cutOff []func(userID int64)
}

// OnCutOff registers fn to be told when a user's access must end at once
// in this process (Forget): what holds a connection open for them, such
// as a live event stream, closes it, and a reconnect checks again.
func (s *Service) OnCutOff(fn func(userID int64)) { s.cutOff = append(s.cutOff, fn) }

// New returns a Service over db. dir must read the same database.
func New(db bun.IDB, dir *directory.Directory, cfg Config) *Service {
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.AbsoluteTimeout <= 0 {
		cfg.AbsoluteTimeout = DefaultAbsoluteTimeout
	}
	if cfg.InviteTTL <= 0 {
		cfg.InviteTTL = DefaultInviteTTL
	}
	if cfg.MaxHashes <= 0 {
		cfg.MaxHashes = 2 * runtime.GOMAXPROCS(0)
	}
	if cfg.AccountLimit <= 0 {
		cfg.AccountLimit = DefaultAccountLimit
	}
	if cfg.AddressLimit <= 0 {
		cfg.AddressLimit = DefaultAddressLimit
	}
	if cfg.LimitWindow <= 0 {
		cfg.LimitWindow = DefaultLimitWindow
	}
	cfg.Argon2 = cfg.Argon2.withDefaults()
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Service{
		db:    db,
		dir:   dir,
		cfg:   cfg,
		sem:   make(chan struct{}, cfg.MaxHashes),
		dummy: encodeHash(cfg.Argon2, randomBytes(saltLen), randomBytes(keyLen)),
	}
	if cfg.SessionCache > 0 {
		s.recent = expirable.NewLRU[string, sessionFound](10_000, nil, cfg.SessionCache)
	}
	return s
}

// Forget drops what this process remembers of a user's sessions, after a
// change that must cut off or alter their access at once (deactivation, a
// new role or partner, signing out), and tells those registered with
// OnCutOff.
func (s *Service) Forget(userID int64) {
	for _, fn := range s.cutOff {
		fn(userID)
	}
	if s.recent == nil {
		return
	}
	for _, k := range s.recent.Keys() {
		if f, ok := s.recent.Peek(k); ok && f.user.ID == userID {
			s.recent.Remove(k)
		}
	}
}

// now is the current time in UTC at the database's precision (PostgreSQL
// keeps microseconds), so a time read back equals the time written.
func (s *Service) now() time.Time {
	return s.cfg.Now().UTC().Truncate(time.Microsecond)
}

// HashToken returns the hex SHA-256 of a token: the form in which session,
// invitation and API tokens are stored and looked up. A plain hash suffices
// (no salt, no stretching) because the tokens are 256-bit random values, not
// something a person chose.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// newToken returns 32 random bytes, base64url without padding (43
// characters). OWASP's Session Management Cheat Sheet asks for at least 64
// bits of entropy from a cryptographically secure generator; 256 bits leaves
// no doubt.
func newToken() string {
	return base64.RawURLEncoding.EncodeToString(randomBytes(32))
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) // never fails: crypto/rand panics rather than return short
	return b
}

// nullID stores 0 as NULL, for optional references to users.
func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}
