package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"hash"
	"io"
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

// signAction returns the token a form or button carries in its _state field.
func (s *Server) signAction(c actionClaims) string {
	c.Exp = time.Now().Add(actionTTL).Unix()
	payload, _ := json.Marshal(c)
	p := base64.RawURLEncoding.EncodeToString(payload)
	return p + "." + base64.RawURLEncoding.EncodeToString(s.mac(p))
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

func (s *Server) mac(payload string) []byte {
	m, _ := s.macs.Get().(hash.Hash)
	if m == nil {
		m = hmac.New(sha256.New, s.opt.ActionKey)
	}
	defer func() { m.Reset(); s.macs.Put(m) }()
	m.Write([]byte("atrium-action-v1|"))
	io.WriteString(m, payload)
	return m.Sum(nil)
}
