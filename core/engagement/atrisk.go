package engagement

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/uptrace/bun"
)

// AtRiskRules decide which partners the at-risk panel lists. Zero fields
// take the defaults.
type AtRiskRules struct {
	// Window is the number of days looked at, and compared with the same
	// number of days before (default 30).
	Window int
	// DurationDrop flags falling durations: the window's average session is
	// shorter than this share of the previous window's (default 0.5).
	DurationDrop float64
	// MinSessions is the sessions each window needs before durations are
	// compared, so one short visit does not raise an alarm (default 3).
	MinSessions int
	// MinVisits is the sessions in the window, none with an action, that
	// flag visits without actions (default 2).
	MinVisits int
}

func (r AtRiskRules) withDefaults() AtRiskRules {
	if r.Window <= 0 {
		r.Window = 30
	}
	if r.DurationDrop <= 0 {
		r.DurationDrop = 0.5
	}
	if r.MinSessions <= 0 {
		r.MinSessions = 3
	}
	if r.MinVisits <= 0 {
		r.MinVisits = 2
	}
	return r
}

// RiskReason says why a partner is at risk.
type RiskReason string

// The reasons, most serious first.
const (
	RiskNoSessions      RiskReason = "no_sessions"
	RiskFallingDuration RiskReason = "falling_duration"
	RiskNoActions       RiskReason = "no_actions"
)

// Risk is one reason with a sentence for people, in English (for the API
// and the CSV export), and the numbers behind it, so a page can say it in
// its reader's language.
type Risk struct {
	Reason  RiskReason
	Message string
	// Days is the window's length.
	Days int
	// From and To are the average sessions before and in the window
	// (RiskFallingDuration), and Drop how much shorter it got, in percent.
	From, To time.Duration
	Drop     int
	// Sessions are the window's sessions (RiskNoActions).
	Sessions int64
	// LastActive is the last active day (RiskNoSessions); zero for a
	// partner never active.
	LastActive time.Time
}

// AtRiskPartner is a partner at risk and why.
type AtRiskPartner struct {
	PartnerID int64
	Name      string
	Slug      string
	Type      string
	LogoURL   string
	Reasons   []Risk
	// LastActive is the last day with any activity before the window ends;
	// zero when the partner was never active.
	LastActive time.Time
	// The window's numbers, and the previous window's for comparison.
	Sessions, PreviousSessions       int64
	AvgDuration, PreviousAvgDuration time.Duration
	PageViews, Actions               int64
}

// AtRisk lists the partners in f's scope that show a risk in the Window
// days before f.To (f.From is not used: the panel is "as of" the end of the
// chosen range). Partners created after f.To are left out. Rows come by
// their most serious reason, then by name.
func (r *Reports) AtRisk(ctx context.Context, f Filter) ([]AtRiskPartner, error) {
	if f.To.IsZero() {
		return nil, fmt.Errorf("engagement: at-risk partners need the end of the range")
	}
	rules := r.risk
	to := dayOf(f.To)
	w := int32(rules.Window)
	if _, err := r.sync(ctx); err != nil {
		return nil, err
	}
	ps, err := resolvePartners(ctx, r.db, f)
	if err != nil || ps.empty() {
		return nil, err
	}
	q := r.db.NewSelect().Table("partners").Column("id", "name", "slug", "type", "logo_url").
		Where("created_at < ?", midnight(to, r.loc).UTC())
	if !ps.all {
		q = q.Where("id IN (?)", bun.List(ps.list()))
	}
	var partners []partnerDesc
	if err := q.Scan(ctx, &partners); err != nil {
		return nil, fmt.Errorf("engagement: read partners: %w", err)
	}
	if len(partners) == 0 {
		return nil, nil
	}
	recent, err := r.partnerSums(ctx, ps, to-w, to)
	if err != nil {
		return nil, err
	}
	before, err := r.partnerSums(ctx, ps, to-2*w, to-w)
	if err != nil {
		return nil, err
	}
	var out []AtRiskPartner
	var quiet []int64
	for _, p := range partners {
		now, prev := recent[p.ID], before[p.ID]
		a := AtRiskPartner{PartnerID: p.ID, Name: p.Name, Slug: p.Slug, Type: p.Type, LogoURL: p.LogoURL,
			Sessions: now.sessions, PreviousSessions: prev.sessions, AvgDuration: avg(now), PreviousAvgDuration: avg(prev),
			PageViews: now.pageViews, Actions: now.actions}
		switch {
		case now.sessions == 0:
			a.Reasons = append(a.Reasons, Risk{Reason: RiskNoSessions, Days: int(w)})
			quiet = append(quiet, p.ID)
		default:
			if now.sessions >= int64(rules.MinSessions) && prev.sessions >= int64(rules.MinSessions) &&
				float64(a.AvgDuration) < rules.DurationDrop*float64(a.PreviousAvgDuration) {
				drop := 100 * (1 - float64(a.AvgDuration)/float64(a.PreviousAvgDuration))
				a.Reasons = append(a.Reasons, Risk{Reason: RiskFallingDuration, Message: fmt.Sprintf(
					"The average session fell from %s to %s (%.0f%% shorter) against the %d days before.",
					roundDuration(a.PreviousAvgDuration), roundDuration(a.AvgDuration), math.Round(drop), w),
					Days: int(w), From: a.PreviousAvgDuration, To: a.AvgDuration, Drop: int(math.Round(drop))})
			}
			if now.sessions >= int64(rules.MinVisits) && now.actions == 0 {
				a.Reasons = append(a.Reasons, Risk{Reason: RiskNoActions, Message: fmt.Sprintf(
					"%d sessions in the last %d days without a single action.", now.sessions, w),
					Days: int(w), Sessions: now.sessions})
			}
		}
		if len(a.Reasons) > 0 {
			out = append(out, a)
		}
	}
	last, err := r.lastActive(ctx, quiet, to)
	if err != nil {
		return nil, err
	}
	for i := range out {
		a := &out[i]
		if a.Reasons[0].Reason != RiskNoSessions {
			continue
		}
		if d, ok := last[a.PartnerID]; ok {
			a.LastActive = midnight(d, r.loc)
			a.Reasons[0].LastActive = a.LastActive
			a.Reasons[0].Message = fmt.Sprintf("No sessions in the last %d days; last active %s.", w, a.LastActive.Format("2 Jan 2006"))
		} else {
			a.Reasons[0].Message = "No sessions yet."
		}
	}
	severity := map[RiskReason]int{RiskNoSessions: 0, RiskFallingDuration: 1, RiskNoActions: 2}
	slices.SortFunc(out, func(a, b AtRiskPartner) int {
		return cmp.Or(cmp.Compare(severity[a.Reasons[0].Reason], severity[b.Reasons[0].Reason]),
			byName(LeaderboardRow{Name: a.Name, PartnerID: a.PartnerID}, LeaderboardRow{Name: b.Name, PartnerID: b.PartnerID}))
	})
	return out, nil
}

// lastActive finds each partner's last day with activity before day to:
// one index seek per partner.
func (r *Reports) lastActive(ctx context.Context, ids []int64, to int32) (map[int64]int32, error) {
	out := map[int64]int32{}
	for len(ids) > 0 {
		part := ids[:min(len(ids), 1000)]
		ids = ids[len(part):]
		rows, err := r.db.QueryContext(ctx, `SELECT p.id, (SELECT MAX(s.period) FROM engagement_partner_stats s
			WHERE s.partner_id = p.id AND s.period < ?) FROM partners p WHERE p.id IN (?)`, to, bun.List(part))
		if err != nil {
			return nil, fmt.Errorf("engagement: last activity: %w", err)
		}
		for rows.Next() {
			var id int64
			var d sql.NullInt64
			if err := rows.Scan(&id, &d); err != nil {
				rows.Close()
				return nil, err
			}
			if d.Valid {
				out[id] = int32(d.Int64)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func roundDuration(d time.Duration) time.Duration {
	if d >= time.Minute {
		return d.Round(time.Second)
	}
	return d.Round(100 * time.Millisecond)
}
