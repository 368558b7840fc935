package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atriumhq/atrium/core/blob/blobtest"
	"github.com/atriumhq/atrium/core/notify/notifytest"
	"github.com/atriumhq/atrium/core/store"
)

// sharedStore is the object store the nodes share: a versitygw bucket.
// Without versitygw, CI fails; locally the nodes share a folder instead,
// and the test says so (install versitygw as .ci/run does to run the S3
// leg).
func sharedStore(t *testing.T) string {
	t.Helper()
	if blobtest.Binary() == "" && os.Getenv("CI") != "true" {
		t.Log("versitygw is not installed: the nodes share a folder instead of an S3 bucket (go install github.com/versity/versitygw/cmd/versitygw@v1.8.0 to test S3)")
		return "file://" + t.TempDir()
	}
	u := blobtest.S3URL(t) // fails in CI without versitygw
	t.Setenv("AWS_ACCESS_KEY_ID", blobtest.AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", blobtest.SecretKey)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	return u
}

// acrossNodes checks two nodes started by TestPublishReachesEveryNode,
// each with its own data folder, sharing one PostgreSQL, one bucket and
// one mail server: a session made on one is good on the other; a file
// uploaded to one downloads whole from the other; a lead written on
// either shows at once on the other's pages (no node serves a stale
// cache); notification mail goes out once, although both nodes run the
// outbox and are woken together.
func acrossNodes(t *testing.T, a, b *testPortal, cfg store.Config, box *notifytest.Mailbox) {
	ctx := context.Background()
	db, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// A session made on node A is good on node B (the jar sends the
	// cookie to both: they differ only by port).
	sarah := a.client(t, "sarah@northwind.example")
	if code, page := fetch(t, sarah, b.URL+"/rooms/leads"); code != http.StatusOK || !strings.Contains(page, "Leads") {
		t.Fatalf("node B does not take node A's session: %d", code)
	}

	// A file uploaded to node A downloads whole from node B.
	var partnerID int64
	if err := db.NewSelect().Table("partners").Column("id").Where("slug = ?", "carlos-co").Scan(ctx, &partnerID); err != nil {
		t.Fatal(err)
	}
	carlos := a.client(t, "carlos@carlosco.example")
	body := make([]byte, 256<<10)
	rand.Read(body)
	copy(body, "%PDF-1.4\n")
	code, loc, page := upload(t, carlos, fmt.Sprintf("%s/spaces/%d/files", a.URL, partnerID), nil, map[string][]byte{"shared.pdf": body})
	if code != http.StatusSeeOther {
		t.Fatalf("upload on node A: %d %s", code, page)
	}
	res, err := carlos.Get(b.URL + "/files/" + strings.TrimPrefix(loc, "/rooms/files/items/") + "/download")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !bytes.Equal(got, body) {
		t.Fatalf("download from node B: status %d, %d of %d bytes, identical %v", res.StatusCode, len(got), len(body), bytes.Equal(got, body))
	}

	// Everyone asks for mail at once, so each lead's notification is
	// mailed; then one lead goes in through each node at the same time:
	// both nodes wake their outbox together.
	if _, err := db.ExecContext(ctx, "INSERT INTO notification_prefs (user_id, kind, email) SELECT id, '*', 'now' FROM users"); err != nil {
		t.Fatal(err)
	}
	action := "/rooms/leads/blocks/submit/actions/submit"
	_, leads := fetch(t, sarah, a.URL+"/rooms/leads")
	state := formState(t, leads, action)
	submit := func(node, company string) string {
		code, loc, _ := post(t, sarah, node+action, url.Values{"_state": {state}, "company": {company}, "contactName": {"Dee Lee"},
			"email": {"dee@" + strings.ToLower(strings.ReplaceAll(company, " ", "")) + ".example"}})
		if code != http.StatusSeeOther {
			t.Errorf("submit %s on %s: %d", company, node, code)
		}
		return loc
	}
	var wg sync.WaitGroup
	for node, company := range map[string]string{a.URL: "Alpha Node Co", b.URL: "Beta Node Co"} {
		wg.Add(1)
		go func() { defer wg.Done(); submit(node, company) }()
	}
	wg.Wait()
	// Written on either node, shown at once by the other: no cache
	// holds the list back.
	for _, tc := range []struct{ node, company string }{{b.URL, "Alpha Node Co"}, {a.URL, "Beta Node Co"}} {
		if _, page := fetch(t, sarah, tc.node+"/rooms/leads/items/all"); !strings.Contains(page, tc.company) {
			t.Errorf("%s does not list %s, written on the other node", tc.node, tc.company)
		}
	}
	count := func() map[string]int {
		n := map[string]int{}
		for _, m := range box.Sent() {
			for _, c := range []string{"Alpha Node Co", "Beta Node Co"} {
				if strings.Contains(string(m.Data), c) {
					n[c+" to "+strings.Join(m.To, ",")]++
				}
			}
		}
		return n
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(count()) < 2 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(1500 * time.Millisecond) // time for a second send, if one were coming
	sent := count()
	if len(sent) < 2 {
		t.Fatalf("the leads' notifications were not mailed: %v", sent)
	}
	for what, n := range sent {
		if n != 1 {
			t.Errorf("mail about %s sent %d times", what, n)
		}
	}
	t.Logf("mails: %v", sent)

	// A lead written on node B shows on node A at once.
	loc = submit(b.URL, "Gamma Node Co")
	if _, page := fetch(t, sarah, a.URL+loc); !strings.Contains(page, "Gamma Node Co") {
		t.Errorf("node A does not show the lead just written on node B")
	}
}
