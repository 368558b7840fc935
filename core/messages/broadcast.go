package messages

import (
	"context"
	"fmt"
	"slices"

	"github.com/atriumhq/atrium/core/audience"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/sdk"
	sm "github.com/atriumhq/atrium/sdk/messages"
	"github.com/uptrace/bun"
)

// MaxBroadcast is the most partners one broadcast may reach: a larger
// audience is a newsletter, not a conversation.
const MaxBroadcast = 2000

// Broadcast opens one thread per partner of an audience that the viewer
// (staff) may write to, with the same subject and first message, so that
// each partner's answers stay private to it. The audience's partner
// conditions choose partners; its contact roles, if any, choose which of
// each partner's users take part (all active users otherwise). Partners
// without such users are skipped.
func (s *Service) Broadcast(ctx context.Context, v sdk.Viewer, in sm.Broadcast) (sm.BroadcastResult, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sm.BroadcastResult{}, err
	}
	if !a.staff() {
		return sm.BroadcastResult{}, fail.Msg(fail.Forbidden, "invalid.message.audience-staff")
	}
	if err := s.flood(ctx, v.UserID); err != nil && !in.DryRun {
		return sm.BroadcastResult{}, err
	}
	subject, serr := cleanSubject(in.Subject)
	body, berr := cleanBody("body", in.Body)
	if (serr != nil || berr != nil) && !in.DryRun {
		return sm.BroadcastResult{}, joinFields(serr, berr)
	}
	targets, err := s.audience(ctx, a, in.Audience)
	if err != nil {
		return sm.BroadcastResult{}, err
	}
	out := sm.BroadcastResult{Partners: len(targets)}
	if in.DryRun {
		return out, nil
	}
	if len(targets) == 0 {
		return out, fail.Field("audience", "invalid.message.audience-empty")
	}
	if len(targets) > MaxBroadcast {
		return out, fail.Field("audience", "invalid.message.audience-large", "Count", len(targets), "Max", MaxBroadcast)
	}
	now := s.opts.Now()
	var created []struct {
		t threadRow
		m messageRow
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, tg := range targets {
			t := threadRow{PartnerID: tg.partner.ID, Subject: subject, Status: sm.Open, CreatedBy: &v.UserID, CreatedAt: now, LastMessageAt: now}
			if _, err := tx.NewInsert().Model(&t).Returning("id").Exec(ctx); err != nil {
				return fmt.Errorf("create thread for %s: %w", tg.partner.Name, err)
			}
			for _, id := range append(tg.people, v.UserID) {
				if err := s.markRead(ctx, tx, t.ID, id, 0, true); err != nil {
					return err
				}
			}
			m, err := s.insert(ctx, tx, t, v, body, ViaBroadcast, nil)
			if err != nil {
				return err
			}
			if err := s.markRead(ctx, tx, t.ID, v.UserID, m.ID, true); err != nil {
				return err
			}
			created = append(created, struct {
				t threadRow
				m messageRow
			}{t, m})
		}
		return nil
	})
	if err != nil {
		return sm.BroadcastResult{}, err
	}
	for _, c := range created {
		s.announce(ctx, v, c.t, c.m)
		out.Threads = append(out.Threads, c.t.ID)
	}
	return out, nil
}

type target struct {
	partner directory.Partner
	people  []int64
}

// audience lists the partners the viewer may write to that the audience
// admits, each with the users who will take part.
func (s *Service) audience(ctx context.Context, a access, aud sdk.Audience) ([]target, error) {
	var partners []directory.Partner
	q := s.db.NewSelect().Model(&partners).OrderExpr("lower(name), id")
	if err := a.rc.WhereWritable(q, "id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list partners: %w", err)
	}
	var users []struct {
		ID          int64  `bun:"id"`
		PartnerID   int64  `bun:"partner_id"`
		ContactRole string `bun:"contact_role"`
	}
	if err := s.db.NewSelect().Table("users").Column("id", "partner_id", "contact_role").
		Where("active AND partner_id IS NOT NULL").OrderExpr("id").Scan(ctx, &users); err != nil {
		return nil, fmt.Errorf("list partner users: %w", err)
	}
	byPartner := map[int64][]int64{}
	for _, u := range users {
		if len(aud.Roles) == 0 || slices.Contains(aud.Roles, u.ContactRole) {
			byPartner[u.PartnerID] = append(byPartner[u.PartnerID], u.ID)
		}
	}
	partnerOnly := aud
	partnerOnly.Roles = nil
	prog := s.opts.Program()
	var out []target
	for _, p := range partners {
		if !audience.Admits(partnerOnly, sdk.Viewer{Role: sdk.RolePartnerUser, Partner: p.SDK()}, prog) {
			continue
		}
		if people := byPartner[p.ID]; len(people) > 0 {
			out = append(out, target{partner: p, people: people})
		}
	}
	return out, nil
}
