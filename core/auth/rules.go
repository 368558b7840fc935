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

// PasswordRulesText describes the rules CheckPassword applies, for forms.
const PasswordRulesText = "Use 12 to 128 characters. A few unrelated words make a password that is strong and easy to remember. " +
	"Avoid common passwords and anything containing your email address."

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
	msg := passwordProblem(password, email)
	if msg == "" {
		return nil
	}
	return fail.Fields(map[string]string{"password": msg})
}

func passwordProblem(password, email string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLength:
		return "Use at least 12 characters."
	case n > MaxPasswordLength:
		return "Use at most 128 characters."
	case strings.TrimSpace(password) == "":
		return "The password cannot be only spaces."
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
		return "The password cannot contain your email address."
	}
	if isCommon(lower) {
		return "This password is too common. Choose one that is harder to guess."
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
