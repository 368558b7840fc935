// Package mailintest delivers mail to the portal's inbound listener in
// tests, as an MTA would: a real SMTP conversation with net/smtp.
package mailintest

import (
	"errors"
	"net/smtp"
	"net/textproto"
	"strings"
	"testing"
)

// Deliver sends msg (lines may end in "\n" or "\r\n") from envFrom to the
// recipients through the listener at addr, and returns the code of the
// answer that refused it, or 0 when it was accepted.
func Deliver(t testing.TB, addr, envFrom string, to []string, msg string) int {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	code := func(err error) int {
		var te *textproto.Error
		if errors.As(err, &te) {
			return te.Code
		}
		t.Fatalf("not an SMTP answer: %v", err)
		return 0
	}
	if err := c.Hello("mx.partners.example"); err != nil {
		t.Fatal(err)
	}
	if err := c.Mail(envFrom); err != nil {
		return code(err)
	}
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt); err != nil {
			return code(err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return code(err)
	}
	msg = strings.ReplaceAll(strings.ReplaceAll(msg, "\r\n", "\n"), "\n", "\r\n")
	if _, err := w.Write([]byte(msg)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		return code(err)
	}
	if err := c.Quit(); err != nil {
		t.Fatal(err)
	}
	return 0
}
