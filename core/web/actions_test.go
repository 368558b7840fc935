package web

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestAppendClaimsIsJSONMarshal: the claims a token carries are the bytes
// json.Marshal writes, for plain and awkward values alike, so a token
// reads back the same however it was made.
func TestAppendClaimsIsJSONMarshal(t *testing.T) {
	for _, c := range []actionClaims{
		{User: 42, Room: "projects", Block: "item", Action: "move", State: "7:1042", Exp: 1_900_000_000},
		{User: 1, Room: "r", Block: "b", Action: "a", Exp: 0}, // no state: omitted
		{User: -3, Room: "", Block: "", Action: "", State: "", Exp: -1},
		{User: 9, Room: "leads", Block: "intro", Action: "save", State: `{"q":"a\"b\\c"}`, Exp: 1},
		// Each byte that needs an escape alone in its string, so none
		// is escaped only because another one is beside it.
		{User: 9, Room: "a<b", Block: "a&b", Action: "x>y", State: `a"b`},
		{User: 9, Room: `a\b`, Block: "tab\t", Action: "nul\x00", State: "del\x7f"},
		{User: 9, Room: "café", Block: "日本", Action: "\u2028\u2029", State: "bad \xff utf-8"},
		{User: 9, Room: "~!@#$%^*()_+`-={}[]|;':,./?", Block: " ", Action: "\x7f", State: "\x1f"},
	} {
		want, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendClaims(nil, c); string(got) != string(want) {
			t.Errorf("appendClaims(%+v)\n got %s\nwant %s", c, got, want)
		}
	}
}

// TestActionToken: a token is accepted for the user, room, block and
// action it was made for, gives back its state, and is refused for any
// other, altered, or expired; tokens made one after another from the
// reused buffers do not bleed into each other.
func TestActionToken(t *testing.T) {
	s := &Server{opt: Options{ActionKey: []byte(strings.Repeat("k", 32))}}
	other := &Server{opt: Options{ActionKey: []byte(strings.Repeat("o", 32))}}
	made := actionClaims{User: 42, Room: "projects", Block: "item", Action: "move", State: "7:1042"}
	tok := s.signAction(made)
	// A long state between two short ones: the buffers grow, then shrink back.
	long := s.signAction(actionClaims{User: 42, Room: "projects", Block: "item", Action: "move", State: strings.Repeat("x", 10<<10)})
	short := s.signAction(actionClaims{User: 42, Room: "projects", Block: "item", Action: "move", State: "7:1"})
	expired := func() string {
		c := made
		c.Exp = time.Now().Add(-time.Minute).Unix()
		payload, _ := json.Marshal(c)
		return signed(s, payload)
	}()
	for _, tt := range []struct {
		name  string
		token string
		want  actionClaims
		state string // "" when refused
	}{
		{"as made", tok, made, "7:1042"},
		{"the next, shorter", short, made, "7:1"},
		{"a long state", long, made, strings.Repeat("x", 10<<10)},
		{"another user", tok, actionClaims{User: 43, Room: "projects", Block: "item", Action: "move"}, ""},
		{"another room", tok, actionClaims{User: 42, Room: "leads", Block: "item", Action: "move"}, ""},
		{"another block", tok, actionClaims{User: 42, Room: "projects", Block: "intro", Action: "move"}, ""},
		{"another action", tok, actionClaims{User: 42, Room: "projects", Block: "item", Action: "check"}, ""},
		{"another key", other.signAction(made), made, ""},
		{"state altered", swapState(t, s, tok, "7:9999"), made, ""},
		{"signature cut", tok[:len(tok)-2], made, ""},
		{"no signature", strings.Split(tok, ".")[0], made, ""},
		{"expired", expired, made, ""},
		{"empty", "", made, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			state, err := s.verifyAction(tt.token, tt.want)
			if tt.state == "" {
				if err == nil {
					t.Errorf("accepted, state %q", state)
				}
				return
			}
			if err != nil || state != tt.state {
				t.Errorf("state %.20q, err %v; want %.20q", state, err, tt.state)
			}
		})
	}
}

// signed makes a token of payload the way signAction does, for claims
// signAction would not make (expired ones).
func signed(s *Server, payload []byte) string {
	p := b64(payload)
	return p + "." + b64(s.mac(p))
}

// swapState is tok with its payload's state replaced and its signature
// kept: what someone altering a form's hidden field would send.
func swapState(t *testing.T, s *Server, tok, state string) string {
	t.Helper()
	p, sig, _ := strings.Cut(tok, ".")
	raw, err := b64dec(p)
	if err != nil {
		t.Fatal(err)
	}
	var c actionClaims
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	c.State = state
	altered, _ := json.Marshal(c)
	return b64(altered) + "." + sig
}

func b64(b []byte) string             { return base64.RawURLEncoding.EncodeToString(b) }
func b64dec(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }
