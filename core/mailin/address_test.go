package mailin

import (
	"errors"
	"strings"
	"testing"
)

func TestAddressRoundTrip(t *testing.T) {
	a := NewAddresses([]byte("0123456789abcdef0123456789abcdef"), "Reply.Partners.Example")
	cases := []struct {
		scope      string
		id, userID int64
	}{
		{"t", 42, 7},
		{"task", 1, 1},
		{"t", 0, 0},
		{"task", 999999999999999, 999999999999999},
		{"t", 9223372036854775807, 9223372036854775807},
	}
	for _, c := range cases {
		addr := a.Address(c.scope, c.id, c.userID)
		local, domain, _ := strings.Cut(addr, "@")
		if domain != "reply.partners.example" {
			t.Errorf("%s: domain %q", addr, domain)
		}
		if len(local) > 64 && c.id < 1e15 {
			t.Errorf("%s: local part of %d characters, RFC 5321 allows 64", addr, len(local))
		}
		want := Token{Scope: c.scope, ID: c.id, UserID: c.userID}
		for _, variant := range []string{addr, strings.ToUpper(addr), "<" + addr + ">", "Other+" + strings.SplitN(addr, "+", 2)[1]} {
			got, err := a.Parse(variant)
			if err != nil || got != want {
				t.Errorf("Parse(%q) = %+v, %v; want %+v", variant, got, err, want)
			}
		}
	}
	if got := a.Address("t", 42, 7); !strings.HasPrefix(got, "reply+t42.7.") {
		t.Errorf("address %q does not read as the thread's", got)
	}
}

func TestParseRefusesForgedAddresses(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	a := NewAddresses(key, "reply.example")
	good := a.Address("t", 42, 7)
	local, _, _ := strings.Cut(good, "@")
	mac := local[strings.LastIndexByte(local, '.')+1:]
	flip := func(s string) string { // change one character of the signature
		b := []byte(s)
		if b[len(b)-1] == 'a' {
			b[len(b)-1] = 'b'
		} else {
			b[len(b)-1] = 'a'
		}
		return string(b)
	}
	cases := map[string]string{
		"other user":        "reply+t42.8." + mac + "@reply.example",
		"other thread":      "reply+t43.7." + mac + "@reply.example",
		"other scope":       "reply+p42.7." + mac + "@reply.example",
		"leading zero":      "reply+t042.7." + mac + "@reply.example",
		"altered signature": "reply+t42.7." + flip(mac) + "@reply.example",
		"short signature":   "reply+t42.7." + mac[:8] + "@reply.example",
		"no signature":      "reply+t42.7@reply.example",
		"negative id":       "reply+t-42.7." + mac + "@reply.example",
		"no scope":          "reply+42.7." + mac + "@reply.example",
		"no domain":         "reply+t42.7." + mac,
		"empty":             "",
		"postmaster":        "postmaster@reply.example",
		"other key":         NewAddresses([]byte("another key of thirty-two bytes!"), "reply.example").Address("t", 42, 7),
	}
	for name, addr := range cases {
		if tok, err := a.Parse(addr); !errors.Is(err, ErrBadAddress) {
			t.Errorf("%s: Parse(%q) = %+v, %v; want ErrBadAddress", name, addr, tok, err)
		}
	}
}

func TestAddressPanicsOnBadScope(t *testing.T) {
	a := NewAddresses([]byte("k"), "reply.example")
	for _, scope := range []string{"", "T", "t1", "tasks", "t.x"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("scope %q: no panic", scope)
				}
			}()
			a.Address(scope, 1, 1)
		}()
	}
}
