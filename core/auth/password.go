package auth

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2Params is the cost of an argon2id hash.
type Argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over the memory
	Threads uint8  // lanes
}

// DefaultArgon2 is the first configuration OWASP's Password Storage Cheat
// Sheet recommends for argon2id: 19 MiB of memory, two passes, one lane. It
// is the cheapest of the equally strong options in memory, which matters
// when many sign-ins arrive at once.
var DefaultArgon2 = Argon2Params{Memory: 19456, Time: 2, Threads: 1}

func (p Argon2Params) withDefaults() Argon2Params {
	if p.Memory == 0 {
		p.Memory = DefaultArgon2.Memory
	}
	if p.Time == 0 {
		p.Time = DefaultArgon2.Time
	}
	if p.Threads == 0 {
		p.Threads = DefaultArgon2.Threads
	}
	return p
}

// The salt and key sizes: a 16-byte salt is what the Password Storage Cheat
// Sheet and RFC 9106 recommend; a 32-byte key is argon2's usual tag length.
const (
	saltLen = 16
	keyLen  = 32
)

// HashPassword hashes a password with argon2id and a fresh random salt, and
// returns it in the PHC string format
// ($argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>), which carries its own
// parameters so they can be raised later without breaking old hashes.
// It waits for a free hashing slot (see Config.MaxHashes) unless ctx ends.
func (s *Service) HashPassword(ctx context.Context, password string) (string, error) {
	salt := randomBytes(saltLen)
	key, err := s.argon2(ctx, password, salt, s.cfg.Argon2, keyLen)
	if err != nil {
		return "", err
	}
	return encodeHash(s.cfg.Argon2, salt, key), nil
}

// VerifyPassword checks a password against a PHC-encoded argon2id hash, with
// the parameters the hash was made with, comparing in constant time.
// needsRehash reports that the hash was made with other parameters than the
// Service's current ones (or another salt or key size), so that a caller that
// has just verified the password can store a fresh hash. err is set only for
// a malformed hash or when ctx ends while waiting for a hashing slot; a wrong
// password is ok == false with no error.
func (s *Service) VerifyPassword(ctx context.Context, encoded, password string) (ok bool, needsRehash bool, err error) {
	p, salt, want, err := decodeHash(encoded)
	if err != nil {
		return false, false, err
	}
	got, err := s.argon2(ctx, password, salt, p, uint32(len(want)))
	if err != nil {
		return false, false, err
	}
	ok = subtle.ConstantTimeCompare(got, want) == 1
	needsRehash = p != s.cfg.Argon2 || len(salt) != saltLen || len(want) != keyLen
	return ok, needsRehash, nil
}

// argon2 computes one argon2id key once a hashing slot is free.
func (s *Service) argon2(ctx context.Context, password string, salt []byte, p Argon2Params, n uint32) ([]byte, error) {
	// A context that has already ended must not win a free slot by chance
	// (select picks at random among ready cases).
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("wait to hash password: %w", err)
	}
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("wait to hash password: %w", ctx.Err())
	}
	defer func() { <-s.sem }()
	return argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, n), nil
}

func encodeHash(p Argon2Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

var errBadHash = errors.New("password hash is not in the argon2id PHC format")

// Bounds on the parameters read from a stored hash: a corrupt or hostile
// value must not make one verification take gigabytes or minutes.
const (
	maxMemory = 1 << 21 // KiB: 2 GiB
	maxTime   = 64
)

// decodeHash parses $argon2id$v=19$m=M,t=T,p=P$salt$hash.
func decodeHash(encoded string) (p Argon2Params, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errBadHash
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, fmt.Errorf("%w: unsupported version %q", errBadHash, parts[2])
	}
	params := strings.Split(parts[3], ",")
	if len(params) != 3 {
		return p, nil, nil, fmt.Errorf("%w: parameters %q", errBadHash, parts[3])
	}
	var vals [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		v, found := strings.CutPrefix(params[i], name)
		if !found {
			return p, nil, nil, fmt.Errorf("%w: parameters %q", errBadHash, parts[3])
		}
		if vals[i], err = strconv.ParseUint(v, 10, 32); err != nil {
			return p, nil, nil, fmt.Errorf("%w: parameters %q", errBadHash, parts[3])
		}
	}
	p = Argon2Params{Memory: uint32(vals[0]), Time: uint32(vals[1])}
	if vals[2] < 1 || vals[2] > 255 || p.Time < 1 || p.Time > maxTime || p.Memory < 8*uint32(vals[2]) || p.Memory > maxMemory {
		return p, nil, nil, fmt.Errorf("%w: parameters %q out of range", errBadHash, parts[3])
	}
	p.Threads = uint8(vals[2])
	if salt, err = base64.RawStdEncoding.DecodeString(parts[4]); err != nil || len(salt) < 8 {
		return p, nil, nil, fmt.Errorf("%w: salt", errBadHash)
	}
	if key, err = base64.RawStdEncoding.DecodeString(parts[5]); err != nil || len(key) < 16 || len(key) > 128 {
		return p, nil, nil, fmt.Errorf("%w: hash", errBadHash)
	}
	return p, salt, key, nil
}

// SetPassword checks a new password against the rules (fail.Invalid with
// field "password"), hashes it and stores it. Storing ends all of the user's
// sessions, as OWASP's Session Management Cheat Sheet advises after a
// password change: whoever knew the old password is signed out too.
func (s *Service) SetPassword(ctx context.Context, userID int64, password string) error {
	u, err := s.dir.User(ctx, userID)
	if err != nil {
		return err
	}
	if err := CheckPassword(password, u.Email); err != nil {
		return err
	}
	hash, err := s.HashPassword(ctx, password)
	if err != nil {
		return err
	}
	s.Forget(userID)
	return s.dir.SetPasswordHash(ctx, userID, hash)
}
