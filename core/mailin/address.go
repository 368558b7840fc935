// Package mailin turns email replies into portal actions: each notification
// mail carries a reply-to address signed for one thread (or task, or any
// other scope) and one recipient, and an inbound SMTP listener hands a reply
// sent to such an address, stripped of quoted history and signatures, to the
// service that owns the scope.
//
// Wiring, in the serve command:
//
//	key, _ := secret.Key(ctx, db, "mail-reply")
//	addrs := mailin.NewAddresses(key, "reply.partners.example")
//	users := mailin.UsersFunc(func(ctx context.Context, id int64) (string, bool, error) {
//		u, err := dir.User(ctx, id)
//		return u.Email, u.Active, err
//	})
//	srv := mailin.New(mailin.Config{Addr: ":2525", DB: db, Log: log}, addrs, users, messages)
//	go srv.ListenAndServe()
//	defer srv.Shutdown(ctx)
package mailin

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrBadAddress is returned by Parse for an address that was not made by
// Address with the same key: malformed, altered or forged.
var ErrBadAddress = errors.New("not a valid reply address")

// macBytes is how much of the HMAC-SHA256 an address carries: 80 bits, which
// no one guesses through an SMTP listener, in 16 characters, so the local
// part stays under the 64 characters RFC 5321 allows for ids below 10^15.
const macBytes = 10

// localPrefix starts every local part, so a person reading the Reply-To sees
// what the address is for. Parse ignores whatever stands before the "+", so
// an MTA that rewrites it still delivers.
const localPrefix = "reply"

// b32 is lowercase base32 without padding: MTAs and mail clients may change
// the case of a local part, and base32 survives that where base64 would not.
var b32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// Token is what a reply address stands for: something of a kind (Scope, "t"
// for a message thread) with an ID, and the user the address was made for.
type Token struct {
	Scope  string
	ID     int64
	UserID int64
}

// String is the token's part of the local part ("t42.7"), also its key for
// recognising duplicate deliveries.
func (t Token) String() string {
	return t.Scope + strconv.FormatInt(t.ID, 10) + "." + strconv.FormatInt(t.UserID, 10)
}

// Addresses makes and checks signed reply addresses.
type Addresses struct {
	key    []byte
	domain string
}

// NewAddresses returns the addresser for reply addresses at domain, signed
// with key (secret.Key(ctx, db, "mail-reply"), so every portal process and
// every restart agrees on it).
func NewAddresses(key []byte, domain string) *Addresses {
	return &Addresses{key: append([]byte(nil), key...), domain: strings.ToLower(strings.TrimSpace(domain))}
}

// Domain is the domain addresses are made at.
func (a *Addresses) Domain() string { return a.domain }

// Address returns the reply address for the thing of scope with id, for the
// user userID: "reply+t42.7.<mac>@domain". Scope is a short constant of
// lowercase letters (at most 4) chosen by the calling service ("t" for
// threads, "task" for task comments); any
// other scope is a programming error and panics.
func (a *Addresses) Address(scope string, id, userID int64) string {
	if !validScope(scope) {
		panic(fmt.Sprintf("mailin: scope %q must be 1 to 4 lowercase letters", scope))
	}
	t := Token{Scope: scope, ID: id, UserID: userID}
	return localPrefix + "+" + t.String() + "." + a.mac(t) + "@" + a.domain
}

// ForScope is Address for a scope written with its id ("t42", as the
// services name their notifications' reply scope); an empty or malformed
// scope gives "".
func (a *Addresses) ForScope(scoped string, userID int64) string {
	i := strings.IndexFunc(scoped, func(r rune) bool { return r >= '0' && r <= '9' })
	if i <= 0 || !validScope(scoped[:i]) {
		return ""
	}
	id, err := strconv.ParseInt(scoped[i:], 10, 64)
	if err != nil || id <= 0 || userID <= 0 {
		return ""
	}
	return a.Address(scoped[:i], id, userID)
}

// Parse checks a reply address and returns its token. The comparison of the
// signature takes constant time. The domain is not checked: the MTA in front
// decides which domains reach the listener, and may rewrite them.
func (a *Addresses) Parse(addr string) (Token, error) {
	addr = strings.ToLower(strings.Trim(strings.TrimSpace(addr), "<>"))
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return Token{}, ErrBadAddress
	}
	local := addr[:at]
	if i := strings.IndexByte(local, '+'); i >= 0 {
		local = local[i+1:]
	}
	parts := strings.Split(local, ".")
	if len(parts) != 3 {
		return Token{}, ErrBadAddress
	}
	n := 0
	for n < len(parts[0]) && parts[0][n] >= 'a' && parts[0][n] <= 'z' {
		n++
	}
	scope := parts[0][:n]
	id, err1 := strconv.ParseInt(parts[0][n:], 10, 64)
	user, err2 := strconv.ParseInt(parts[1], 10, 64)
	if !validScope(scope) || err1 != nil || err2 != nil || id < 0 || user < 0 {
		return Token{}, ErrBadAddress
	}
	t := Token{Scope: scope, ID: id, UserID: user}
	// Reject non-canonical numbers ("t042"): the signed text must be the
	// only spelling of a token, or duplicates would escape recognition.
	if t.String() != parts[0]+"."+parts[1] {
		return Token{}, ErrBadAddress
	}
	if !hmac.Equal([]byte(parts[2]), []byte(a.mac(t))) {
		return Token{}, ErrBadAddress
	}
	return t, nil
}

func (a *Addresses) mac(t Token) string {
	h := hmac.New(sha256.New, a.key)
	h.Write([]byte("atrium mail reply\x00" + t.String()))
	return b32.EncodeToString(h.Sum(nil)[:macBytes])
}

func validScope(s string) bool {
	if len(s) == 0 || len(s) > 4 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}
