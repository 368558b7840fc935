package mailin

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// seenFor is how long a delivery is remembered; MTAs give up retrying after
// about five days.
const seenFor = 30 * 24 * time.Hour

// FirstDelivery records that r has been taken in and reports whether this
// is the first delivery of r's Message-ID to r's reply address. A handler
// calls it in the transaction that posts the reply and posts nothing when it
// returns false: then a reply is posted exactly once even if the portal
// stops between posting and answering the MTA, or two deliveries of the same
// mail arrive at once. A mail without a Message-ID is always a first.
//
// The listener also skips deliveries recorded here and records each reply
// the handler accepted, so a handler that does not call FirstDelivery still
// gets the common case (an MTA retrying after a timeout) right.
func FirstDelivery(ctx context.Context, db bun.IDB, r Reply) (bool, error) {
	if r.MessageID == "" {
		return true, nil
	}
	res, err := db.NewRaw(`INSERT INTO mail_replies_seen (token, message_id, seen_at) VALUES (?, ?, ?)
		ON CONFLICT (token, message_id) DO NOTHING`, r.Token.String(), r.MessageID, time.Now().UTC()).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("record delivery of %s to %s: %w", r.MessageID, r.Token, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("record delivery of %s to %s: %w", r.MessageID, r.Token, err)
	}
	if _, err := db.NewRaw("DELETE FROM mail_replies_seen WHERE seen_at < ?", time.Now().UTC().Add(-seenFor)).Exec(ctx); err != nil {
		return false, fmt.Errorf("forget old deliveries: %w", err)
	}
	return n == 1, nil
}

// delivered reports whether r was recorded before.
func delivered(ctx context.Context, db bun.IDB, r Reply) (bool, error) {
	if r.MessageID == "" {
		return false, nil
	}
	var n int
	if err := db.NewRaw("SELECT COUNT(*) FROM mail_replies_seen WHERE token = ? AND message_id = ?",
		r.Token.String(), r.MessageID).Scan(ctx, &n); err != nil {
		return false, fmt.Errorf("look up delivery of %s to %s: %w", r.MessageID, r.Token, err)
	}
	return n > 0, nil
}
