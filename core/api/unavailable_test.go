package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/atriumhq/atrium/core/store/storetest"
)

// TestTokenDuringOutage: a token that cannot be checked because the
// database is gone is not "invalid, revoked or expired": the answer is 503
// with Retry-After.
func TestTokenDuringOutage(t *testing.T) {
	db := storetest.OpenEngine(t, storetest.SQLite)
	w := newMsgWorld(t, db)
	if status, _ := w.call("Lisa", "GET", "/api/v1/messages/unread", nil, nil); status != http.StatusOK {
		t.Fatalf("before the outage: %d", status)
	}
	db.Close()
	status, body := w.call("Lisa", "GET", "/api/v1/messages/unread", nil, nil)
	if status != http.StatusServiceUnavailable || w.header.Get("Retry-After") == "" || strings.Contains(body, "invalid") {
		t.Errorf("during the outage: %d %s", status, body)
	}
}
