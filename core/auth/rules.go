package auth

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/atriumhq/atrium/core/fail"
)

// Password length bounds. OWASP's Password Storage and Authentication cheat
// sheets ask for a minimum length rather than composition rules (no "one
// digit, one symbol"), and for a maximum high enough for passphrases and
// password managers that still stops someone posting megabytes to be hashed.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 128
)

//go:embed common-passwords.txt
var commonPasswordsFile string

// commonPasswords is the embedded list as a set.
var commonPasswords = func() map[string]bool {
	set := map[string]bool{}
	for line := range strings.Lines(commonPasswordsFile) {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			set[line] = true
		}
	}
	return set
}()

// CheckPassword applies the password rules: 12 to 128 characters, not only
// whitespace, not containing the local part of the user's email address, and
// not a common password (or one dressed up with digits, symbols or
// repetition). Other characters are all allowed, spaces and any Unicode
// included, and the password is never altered. A broken rule returns
// fail.Fields{"password": message}.
func CheckPassword(password, email string) error {
	id := passwordProblem(password, email)
	if id == "" {
		return nil
	}
	return fail.Field("password", id)
}

// passwordProblem is the catalogue id of the rule a password breaks, or
// "".
func passwordProblem(password, email string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLength:
		return "invalid.password.short"
	case n > MaxPasswordLength:
		return "invalid.password.long"
	case strings.TrimSpace(password) == "":
		return "invalid.password.spaces"
	}
	lower := strings.ToLower(password)
	email = strings.ToLower(strings.TrimSpace(email))
	local := email
	if at := strings.LastIndexByte(email, '@'); at >= 0 {
		local = email[:at]
	}
	// A very short local part ("jo@") would forbid too many passwords to be
	// worth containing; such a password is still rejected when equal to it.
	if local != "" && (lower == local || lower == email || (utf8.RuneCountInString(local) >= 3 && strings.Contains(lower, local))) {
		return "invalid.password.email"
	}
	if isCommon(lower) {
		return "invalid.password.common"
	}
	return ""
}

// isCommon reports whether a lowercased password is on the list, is a listed
// word with digits or symbols before or after it ("password2024!"), or is
// one short unit or listed word repeated ("abcabcabcabc", "qwertyqwerty").
func isCommon(p string) bool {
	notLetter := func(r rune) bool { return !unicode.IsLetter(r) }
	for _, c := range []string{p, strings.TrimRightFunc(p, notLetter), strings.TrimLeftFunc(p, notLetter), strings.TrimFunc(p, notLetter)} {
		if c == "" {
			continue
		}
		if commonPasswords[c] {
			return true
		}
		if u := repeatedUnit(c); u != "" && (utf8.RuneCountInString(u) <= 3 || commonPasswords[u]) {
			return true
		}
	}
	return false
}

// repeatedUnit returns the shortest string that s is two or more copies of,
// or "" when s is not a repetition.
func repeatedUnit(s string) string {
	for n := 1; n <= len(s)/2; n++ {
		if len(s)%n == 0 && strings.Repeat(s[:n], len(s)/n) == s {
			return s[:n]
		}
	}
	return ""
}
