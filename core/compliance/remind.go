package compliance

import (
	"context"
	"fmt"
	"time"

	"github.com/atriumhq/atrium/core/notify"
	sc "github.com/atriumhq/atrium/sdk/compliance"
	"github.com/uptrace/bun"
)

// Reminder thresholds.
const (
	threshold30      = "30"
	threshold7       = "7"
	thresholdOverdue = "overdue"
)

// reminderRow is a reminder sent (claimed), once per partner, requirement,
// threshold and date.
type reminderRow struct {
	bun.BaseModel `bun:"table:compliance_reminders"`

	RequirementID int64     `bun:"requirement_id,pk"`
	PartnerID     int64     `bun:"partner_id,pk"`
	Threshold     string    `bun:"threshold,pk"`
	DueOn         string    `bun:"due_on,pk"`
	SentAt        time.Time `bun:"sent_at"`
}

// thresholdOf says which reminder a date calls for today: 30 days ahead
// (8 to 30 days left), 7 days ahead (0 to 7), overdue (past, by at most 30
// days, so a portal that starts sweeping sends no backlog), or none.
func thresholdOf(date string, today time.Time) string {
	d, err := time.Parse(dateLayout, date)
	if err != nil {
		return ""
	}
	left := int(d.Sub(today).Hours() / 24)
	switch {
	case left < -30:
		return ""
	case left < 0:
		return thresholdOverdue
	case left <= 7:
		return threshold7
	case left <= Soon:
		return threshold30
	}
	return ""
}

// Remind tells partners' administrators that an item falls due or expires
// within 30 days, within 7 days, or is overdue (expired, or missing or
// rejected past its due date); for an overdue item, the partner's
// distributor's administrators too. Each reminder is claimed with a row
// first, so several portal processes may sweep at once and each goes out
// once; one whose notification failed is released for the next sweep. It
// reports how many reminders went out.
func (s *Service) Remind(ctx context.Context) (int, error) {
	if s.opts.Notify == nil {
		return 0, nil
	}
	today := s.today()
	from, to := day(today.AddDate(0, 0, -30)), day(today.AddDate(0, 0, Soon))
	// Only partners with an accepted item expiring in the window, or of
	// a type a requirement due in the window applies to, are read.
	st, err := s.load(ctx, func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("EXISTS (SELECT 1 FROM compliance_items AS x WHERE x.partner_id = p.id AND x.status = ? AND x.expires_on <> '' AND x.expires_on >= ? AND x.expires_on <= ?)",
				sc.Accepted, from, to).
				WhereOr("EXISTS (SELECT 1 FROM compliance_requirements AS y WHERE NOT y.archived AND y.due_on >= ? AND y.due_on <= ?)", from, to).
				WhereOr("EXISTS (SELECT 1 FROM compliance_requirements AS y WHERE NOT y.archived AND y.kind = ? AND y.validity_months > 0)", sc.Certification)
		})
	})
	if err != nil {
		return 0, fmt.Errorf("compliance reminders: %w", err)
	}
	parents := map[int64]*int64{}
	for _, p := range st.partners {
		parents[p.ID] = p.ParentID
	}
	sent := 0
	for _, it := range s.items(st, nil) {
		var date string
		switch it.Status {
		case sc.Expiring, sc.Expired:
			date = it.Expires
		case sc.Accepted:
			continue
		case sc.Missing, sc.Rejected, sc.Overdue:
			date = it.Due
		default:
			continue // submitted: waiting for a reviewer, not the partner
		}
		th := thresholdOf(date, today)
		if th == "" {
			continue
		}
		res, err := s.db.NewInsert().Model(&reminderRow{RequirementID: it.RequirementID, PartnerID: it.PartnerID, Threshold: th, DueOn: date,
			SentAt: s.opts.Now()}).On("CONFLICT DO NOTHING").Exec(ctx)
		if err != nil {
			return sent, fmt.Errorf("compliance reminders: claim: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue // sent before, or another process has it
		}
		recipients := s.adminsOf(ctx, it.PartnerID)
		kind := KindExpiring
		var key string
		expiry := it.Status == sc.Expiring || it.Status == sc.Expired
		switch {
		case th == thresholdOverdue && expiry:
			kind, key = KindOverdue, "notify.compliance-expired"
		case th == thresholdOverdue:
			kind, key = KindOverdue, "notify.compliance-overdue"
		case expiry:
			key = "notify.compliance-expiring"
		default:
			key = "notify.compliance-due"
		}
		title := notify.Say(key+".title", "Item", it.Name).Day("Date", date)
		body := notify.Say(key+".body", "Item", it.Name, "Partner", it.PartnerName).Day("Date", date)
		if th == thresholdOverdue {
			if parent := parents[it.PartnerID]; parent != nil {
				recipients = append(recipients, s.adminsOf(ctx, *parent)...)
			}
		}
		if len(recipients) == 0 {
			continue // claimed: nobody to tell
		}
		n := notify.Notification{Kind: kind, TitleText: title, BodyText: body, Link: s.link(ctx, it.PartnerID)}
		if err := s.opts.Notify.Notify(ctx, recipients, n); err != nil {
			_, _ = s.db.NewDelete().Model((*reminderRow)(nil)).Where("requirement_id = ? AND partner_id = ? AND threshold = ? AND due_on = ?",
				it.RequirementID, it.PartnerID, th, date).Exec(ctx)
			return sent, fmt.Errorf("compliance reminders: notify: %w", err)
		}
		sent++
	}
	return sent, nil
}

// Run sweeps for reminders every interval until ctx ends.
func (s *Service) Run(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = 15 * time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := s.Remind(ctx); err != nil && ctx.Err() == nil {
			s.opts.Log.Warn("compliance reminders failed", "sent", n, "err", err)
		} else if n > 0 {
			s.opts.Log.Info("compliance reminders sent", "sent", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
