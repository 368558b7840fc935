package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"hash"
	"slices"
	"strconv"
	"strings"
	"time"
)

// actionClaims is what a signed action token binds together: who may submit
// it, where, which action, the state the block asked to get back, and until
// when.
type actionClaims struct {
	User   int64  `json:"u"`
	Room   string `json:"r"`
	Block  string `json:"b"`
	Action string `json:"a"`
	State  string `json:"s,omitempty"`
	Exp    int64  `json:"e"`
}

// actionTTL is how long a rendered form stays submittable.
const actionTTL = 12 * time.Hour

var errBadToken = errors.New("this form has expired or was changed; reload the page and try again")

// signAction returns the token a form or button carries in its _state field:
// the claims as JSON in base64, a dot, and their MAC in base64.
//
// A board signs the move of each of its cards, 500 on a page: the token is
// made in a buffer kept for reuse and copied out once, where marshalling,
// encoding and joining made six copies of it a card.
func (s *Server) signAction(c actionClaims) string {
	c.Exp = time.Now().Add(actionTTL).Unix()
	sg := s.signer()
	defer s.putSigner(sg)
	sg.claims = appendClaims(sg.claims[:0], c)
	tok := base64.RawURLEncoding.AppendEncode(sg.token[:0], sg.claims)
	sum := sg.sum(tok)
	tok = append(tok, '.')
	tok = base64.RawURLEncoding.AppendEncode(tok, sum)
	sg.token = tok
	return string(tok)
}

// verifyAction checks a token against the request it arrived with and returns
// the block's state. A token made for another user, room, block or action,
// altered in any way, or expired, is refused.
func (s *Server) verifyAction(token string, want actionClaims) (string, error) {
	p, sig, ok := strings.Cut(token, ".")
	if !ok {
		return "", errBadToken
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, s.mac(p)) {
		return "", errBadToken
	}
	payload, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil {
		return "", errBadToken
	}
	var c actionClaims
	if err := json.Unmarshal(payload, &c); err != nil {
		return "", errBadToken
	}
	if c.User != want.User || c.Room != want.Room || c.Block != want.Block || c.Action != want.Action || time.Now().Unix() > c.Exp {
		return "", errBadToken
	}
	return c.State, nil
}

// mac is the MAC of a token's payload.
func (s *Server) mac(payload string) []byte {
	sg := s.signer()
	defer s.putSigner(sg)
	sg.token = append(sg.token[:0], payload...)
	return slices.Clone(sg.sum(sg.token))
}

// signer is an HMAC keyed with the action key and the buffers a token is
// made in, kept for reuse in Server.macs: a new HMAC hashes the key twice
// before it hashes anything else.
type signer struct {
	mac           hash.Hash
	claims, token []byte
	out           [sha256.Size]byte
}

func (s *Server) signer() *signer {
	if sg, ok := s.macs.Get().(*signer); ok {
		return sg
	}
	return &signer{mac: hmac.New(sha256.New, s.opt.ActionKey)}
}

// putSigner keeps sg for reuse, without buffers grown past what forms'
// tokens need (a block's state is small; one that is not is not kept).
func (s *Server) putSigner(sg *signer) {
	if cap(sg.claims) > 4<<10 || cap(sg.token) > 8<<10 {
		sg.claims, sg.token = nil, nil
	}
	s.macs.Put(sg)
}

// macDomain sets action tokens apart from anything else the key signs.
var macDomain = []byte("atrium-action-v1|")

// sum is the MAC of payload, valid until the signer's next use.
func (sg *signer) sum(payload []byte) []byte {
	sg.mac.Reset()
	sg.mac.Write(macDomain)
	sg.mac.Write(payload)
	return sg.mac.Sum(sg.out[:0])
}

// appendClaims appends c as json.Marshal writes it, field for field, so a
// token reads back the same whichever way it was made.
func appendClaims(b []byte, c actionClaims) []byte {
	b = append(b, `{"u":`...)
	b = strconv.AppendInt(b, c.User, 10)
	b = append(b, `,"r":`...)
	b = appendJSONString(b, c.Room)
	b = append(b, `,"b":`...)
	b = appendJSONString(b, c.Block)
	b = append(b, `,"a":`...)
	b = appendJSONString(b, c.Action)
	if c.State != "" {
		b = append(b, `,"s":`...)
		b = appendJSONString(b, c.State)
	}
	b = append(b, `,"e":`...)
	b = strconv.AppendInt(b, c.Exp, 10)
	return append(b, '}')
}

// appendJSONString appends s as a JSON string, as encoding/json writes it:
// ASCII that needs no escape (slugs, ids, a task's "7:42") as it is, and
// anything else through encoding/json itself.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always marshals
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
