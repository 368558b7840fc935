package demo

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/messages"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/sdk"
	sm "github.com/atriumhq/atrium/sdk/messages"
	"github.com/uptrace/bun"
)

// conversation is a demo thread: the partner's first user writes, the
// manager answers, and the last line decides how it ends.
type conversation struct {
	subject string
	lines   []string // partner, manager, partner, ... in turn
	attach  string   // a PDF the partner attaches to the first message
	closed  bool     // the manager closes it after the last line
	daysAgo int
}

// conversations every demo partner has with its manager: one with an
// attachment, one waiting unread for the partner, one closed.
var conversations = []conversation{
	{subject: "Pricing for our next renewal", daysAgo: 6, attach: "Renewal quote draft.pdf", lines: []string{
		"Hi! Attached is the draft quote for our customer's renewal. Which **partner discount** applies on the multi-year option?",
		"Thanks — for a three-year term you get the standard tier discount plus 5% on the second and third year. I've noted it on the deal.",
		"Perfect, we'll send it today.",
	}},
	{subject: "Certification exam dates", daysAgo: 2, lines: []string{
		"When is the next sitting of the Solutions Certification? Two of our people want to take it.",
		"The next online sitting is on the 15th; registration closes a week before. I've saved two seats for you — reply with their names and I'll confirm.",
	}},
	{subject: "Co-marketing budget for Q1", daysAgo: 20, closed: true, lines: []string{
		"Can we use co-marketing funds for a webinar in Q1?",
		"Yes — submit the plan in the Marketing Funds room and I'll approve it. Closing this one; reopen it any time by replying.",
	}},
}

// SeedMessages gives every demo partner its conversations with its
// manager, unless some exist already. Times are spread over the past days,
// so the inbox and the unread badges tell their story at first sight.
func SeedMessages(ctx context.Context, db *bun.DB, dir *directory.Directory, fs *files.Service) error {
	n, err := db.NewSelect().Table("message_threads").Count(ctx)
	if err != nil || n > 0 {
		return err
	}
	var at time.Time
	svc := messages.New(db, dir, reach.New(db), messages.Options{Files: fs, Now: func() time.Time { return at }})
	now := time.Now().UTC().Truncate(time.Minute)
	for _, p := range partners {
		pt, err := dir.PartnerBySlug(ctx, p.slug)
		if err != nil {
			return err
		}
		partnerUser, manager, err := demoPair(ctx, dir, pt)
		if err != nil {
			return err
		}
		if partnerUser == nil || manager == nil {
			continue
		}
		for _, c := range conversations {
			at = now.Add(-time.Duration(c.daysAgo) * 24 * time.Hour)
			start := sm.Start{Subject: c.subject, Body: c.lines[0]}
			if c.attach != "" {
				tok, _, err := fs.Stage(ctx, partnerUser.UserID, files.Upload{Name: c.attach,
					Body: bytes.NewReader(PDF(c.attach, pt.Name, "Three-year term, 120 seats"))})
				if err != nil {
					return fmt.Errorf("demo attachment: %w", err)
				}
				start.Attachments = []string{tok}
			}
			d, err := svc.Start(ctx, *partnerUser, start)
			if err != nil {
				return fmt.Errorf("demo conversation %q: %w", start.Subject, err)
			}
			for i, line := range c.lines[1:] {
				at = at.Add(time.Duration(47+i*13) * time.Minute)
				who := *manager
				if i%2 == 1 {
					who = *partnerUser
				}
				if _, err := svc.Post(ctx, who, sm.Post{ThreadID: d.Thread.ID, Body: line}); err != nil {
					return fmt.Errorf("demo message: %w", err)
				}
			}
			if c.closed {
				if _, err := svc.SetStatus(ctx, *manager, sm.SetStatus{ThreadID: d.Thread.ID, Status: sm.Closed}); err != nil {
					return err
				}
			}
			// The partner has read everything but the manager's latest
			// answer in the open thread without a reply.
			if len(c.lines)%2 == 1 || c.closed {
				if _, err := svc.Get(ctx, *partnerUser, d.Thread.ID); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// demoPair returns a partner's first demo user and its manager, as viewers.
func demoPair(ctx context.Context, dir *directory.Directory, pt directory.Partner) (*sdk.Viewer, *sdk.Viewer, error) {
	var partnerUser, manager *sdk.Viewer
	for _, u := range users {
		if u.partner != pt.Slug {
			continue
		}
		du, err := dir.UserByEmail(ctx, u.email)
		if err != nil {
			return nil, nil, err
		}
		v := du.Viewer(&pt)
		partnerUser = &v
		break
	}
	if pt.ManagerID != nil {
		mu, err := dir.User(ctx, *pt.ManagerID)
		if err != nil {
			return nil, nil, err
		}
		v := mu.Viewer(nil)
		manager = &v
	}
	return partnerUser, manager, nil
}
