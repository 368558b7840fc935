package pipeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/core/store"
	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/uptrace/bun"
)

type dealRow struct {
	bun.BaseModel `bun:"table:pipeline_deals,alias:d"`

	ID                 int64      `bun:"id,pk,autoincrement"`
	PartnerID          int64      `bun:"partner_id"`
	LeadID             *int64     `bun:"lead_id"`
	CreatedBy          int64      `bun:"created_by"`
	Name               string     `bun:"name"`
	Company            string     `bun:"company"`
	Website            string     `bun:"website"`
	DomainKey          string     `bun:"domain_key"`
	EmailKey           string     `bun:"email_key"`
	Value              int64      `bun:"value"`
	Currency           string     `bun:"currency"`
	Stage              string     `bun:"stage"`
	Registration       string     `bun:"registration"`
	RegistrationReason string     `bun:"registration_reason"`
	ProtectedUntil     *time.Time `bun:"protected_until"`
	ExpectedClose      *time.Time `bun:"expected_close"`
	CloseReason        string     `bun:"close_reason"`
	ClosedAt           *time.Time `bun:"closed_at"`
	CreatedAt          time.Time  `bun:"created_at"`
	UpdatedAt          time.Time  `bun:"updated_at"`
	PartnerName        string     `bun:"partner_name,scanonly"`
	PartnerType        string     `bun:"partner_type,scanonly"`
	PartnerTier        string     `bun:"partner_tier,scanonly"`
}

// dealOpen is the SQL condition for a deal still being worked.
const dealOpen = "stage NOT IN ('closed_won', 'closed_lost') AND registration <> 'rejected'"

func (r *dealRow) sdk() sp.Deal {
	d := sp.Deal{ID: r.ID, PartnerID: r.PartnerID, PartnerName: r.PartnerName, Name: r.Name, Company: r.Company, Website: r.Website,
		Value: sp.Money{Amount: r.Value, Currency: r.Currency}, Stage: r.Stage, Registration: r.Registration,
		RegistrationReason: r.RegistrationReason, ProtectedUntil: r.ProtectedUntil, ExpectedClose: r.ExpectedClose,
		CloseReason: r.CloseReason, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.LeadID != nil {
		d.LeadID = *r.LeadID
	}
	return d
}

func (s *Service) deal(ctx context.Context, db bun.IDB, rc reach.Reach, id int64) (*dealRow, error) {
	row := new(dealRow)
	q := db.NewSelect().Model(row).ColumnExpr("d.*").ColumnExpr("p.name AS partner_name, p.type AS partner_type, p.tier AS partner_tier").
		Join("JOIN partners AS p ON p.id = d.partner_id").Where("d.id = ?", id)
	err := rc.Where(q, "d.partner_id").Scan(ctx) // the database leaves out what the viewer may not read
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound("invalid.not-found.deal")
	}
	if err != nil {
		return nil, fmt.Errorf("deal %d: %w", id, err)
	}
	return row, nil
}

// withCommission fills a deal's expected commission from its partner's rule.
func (s *Service) withCommission(ctx context.Context, d *sp.Deal, typ, tier string) error {
	rule, err := s.rule(ctx, typ, tier)
	if err != nil || rule == nil {
		return err
	}
	d.ExpectedCommission = rule.commission(d.Value)
	return nil
}

// ListDeals returns one page of the deals the viewer reads, with totals per
// stage over the whole filtered list.
func (s *Service) ListDeals(ctx context.Context, v sdk.Viewer, q sp.DealQuery) (sp.DealPage, error) {
	rc, err := s.reachFor(ctx, v)
	if err != nil {
		return sp.DealPage{}, err
	}
	page, per := paging(q.Page, q.PerPage)
	where := func(sel *bun.SelectQuery) *bun.SelectQuery {
		sel = rc.WhereOnly(sel, "d.partner_id", q.PartnerID)
		if q.Stage != "" {
			sel = sel.Where("d.stage = ?", q.Stage)
		}
		if q.Registration != "" {
			sel = sel.Where("d.registration = ?", q.Registration)
		}
		if q.Open {
			sel = sel.Where("d.stage NOT IN ('closed_won', 'closed_lost') AND d.registration <> 'rejected'")
		}
		if q.Until != nil {
			sel = sel.Where("(d.protected_until < ? OR d.expected_close < ?)", *q.Until, *q.Until)
		}
		if term := strings.TrimSpace(q.Search); term != "" {
			like := "%" + escapeLike(strings.ToLower(term)) + "%"
			sel = sel.WhereGroup(" AND ", func(w *bun.SelectQuery) *bun.SelectQuery {
				return w.Where("lower(d.name) LIKE ? ESCAPE '\\'", like).WhereOr("lower(d.company) LIKE ? ESCAPE '\\'", like)
			})
		}
		return sel
	}
	var rows []dealRow
	sel := where(s.db.NewSelect().Model(&rows).ColumnExpr("d.*").ColumnExpr("p.name AS partner_name, p.type AS partner_type, p.tier AS partner_tier").
		Join("JOIN partners AS p ON p.id = d.partner_id"))
	total, err := sel.Order("d.id DESC").Limit(int64(per)).Offset(int64((page - 1) * per)).ScanAndCount(ctx)
	if err != nil {
		return sp.DealPage{}, fmt.Errorf("list deals: %w", err)
	}
	out := sp.DealPage{Items: make([]sp.Deal, len(rows)), Total: int(total), Page: page, PerPage: per}
	for i := range rows {
		out.Items[i] = rows[i].sdk()
		if err := s.withCommission(ctx, &out.Items[i], rows[i].PartnerType, rows[i].PartnerTier); err != nil {
			return sp.DealPage{}, err
		}
	}
	var totals []struct {
		Stage    string `bun:"stage"`
		Currency string `bun:"currency"`
		N        int    `bun:"n"`
		Value    int64  `bun:"value"`
	}
	if err := where(s.db.NewSelect().TableExpr("pipeline_deals AS d")).ColumnExpr("d.stage, d.currency, count(*) AS n, coalesce(sum(d.value), 0) AS value").
		GroupExpr("d.stage, d.currency").Scan(ctx, &totals); err != nil {
		return sp.DealPage{}, fmt.Errorf("deal totals: %w", err)
	}
	cfg, err := s.Config(ctx)
	if err != nil {
		return sp.DealPage{}, err
	}
	for _, st := range cfg.DealStages {
		t := sp.StageTotal{Stage: st.Key, Value: sp.Money{Currency: cfg.Currency}}
		for _, r := range totals {
			if r.Stage == st.Key {
				t.Count += r.N
				t.Value.Amount += r.Value // one currency per program for now
			}
		}
		out.Totals = append(out.Totals, t)
	}
	return out, nil
}

// GetDeal returns a deal with its history and notes.
func (s *Service) GetDeal(ctx context.Context, v sdk.Viewer, id int64) (sp.DealDetail, error) {
	rc, err := s.reachFor(ctx, v)
	if err != nil {
		return sp.DealDetail{}, err
	}
	row, err := s.deal(ctx, s.db, rc, id)
	if err != nil {
		return sp.DealDetail{}, err
	}
	d := sp.DealDetail{Deal: row.sdk()}
	if err := s.withCommission(ctx, &d.Deal, row.PartnerType, row.PartnerTier); err != nil {
		return sp.DealDetail{}, err
	}
	if d.History, err = s.history(ctx, "deal", id); err != nil {
		return sp.DealDetail{}, err
	}
	var notes []noteRow
	if err := s.db.NewSelect().Model(&notes).Where("deal_id = ?", id).Order("id").Scan(ctx); err != nil {
		return sp.DealDetail{}, err
	}
	d.Notes = make([]sp.Note, len(notes))
	for i, n := range notes {
		d.Notes[i] = n.sdk()
	}
	if rc.Manages(row.PartnerID) {
		cfg, err := s.Config(ctx)
		if err != nil {
			return sp.DealDetail{}, err
		}
		if row.Registration != sp.RegistrationPending && row.Registration != sp.RegistrationRejected {
			d.Next = nextStages(cfg, row.Stage)
		}
		d.CanReview = row.Registration == sp.RegistrationPending
	}
	return d, nil
}

func nextStages(cfg sp.Config, stage string) []string {
	if stage == sp.StageWon || stage == sp.StageLost {
		return nil
	}
	var out []string
	for _, st := range cfg.DealStages {
		if st.Key != stage {
			out = append(out, st.Key)
		}
	}
	return out
}

func parseDate(s string) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

func validCurrency(c string) bool {
	if len(c) != 3 {
		return false
	}
	for _, r := range c {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// RegisterDeal records a partner's deal registration, pending approval.
func (s *Service) RegisterDeal(ctx context.Context, v sdk.Viewer, in sp.DealInput) (sp.Deal, error) {
	if v.Staff() || v.Preview || v.PartnerID() == 0 {
		return sp.Deal{}, fail.Msg(fail.Forbidden, "invalid.deal.partners-only")
	}
	cfg, err := s.Config(ctx)
	if err != nil {
		return sp.Deal{}, err
	}
	errs := fail.Problems{}
	in.Name, in.Company, in.Website = strings.TrimSpace(in.Name), strings.TrimSpace(in.Company), strings.TrimSpace(in.Website)
	if in.Name == "" {
		errs.Add("name", "invalid.required")
	} else if utf8.RuneCountInString(in.Name) > 200 {
		errs.Add("name", "invalid.at-most-200")
	}
	if in.Company == "" {
		errs.Add("company", "invalid.required")
	} else if utf8.RuneCountInString(in.Company) > 200 {
		errs.Add("company", "invalid.at-most-200")
	}
	if in.Website != "" && DomainKey(in.Website) == "" {
		errs.Add("website", "invalid.website")
	}
	if in.Value.Amount <= 0 {
		errs.Add("value", "invalid.deal.value")
	}
	if in.Value.Currency == "" {
		in.Value.Currency = cfg.Currency
	} else if !validCurrency(in.Value.Currency) {
		errs.Add("currency", "invalid.currency")
	}
	closeAt, err := parseDate(in.ExpectedClose)
	if err != nil {
		errs.Add("expectedClose", "invalid.date-example")
	}
	if utf8.RuneCountInString(in.Notes) > 5000 {
		errs.Add("notes", "invalid.at-most-5000")
	}
	if err := errs.Err(); err != nil {
		return sp.Deal{}, err
	}
	now := s.now()
	row := &dealRow{PartnerID: v.PartnerID(), CreatedBy: v.UserID, Name: in.Name, Company: in.Company, Website: in.Website,
		DomainKey: companyDomain(in.Website, ""), Value: in.Value.Amount, Currency: in.Value.Currency, Stage: cfg.DealStages[0].Key,
		Registration: sp.RegistrationPending, ExpectedClose: closeAt, CreatedAt: now, UpdatedAt: now}
	err = store.RunInTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
			return fmt.Errorf("insert deal: %w", err)
		}
		if notes := strings.TrimSpace(in.Notes); notes != "" {
			n := &noteRow{DealID: row.ID, UserID: v.UserID, UserName: displayName(v), Body: notes, CreatedAt: now}
			if _, err := tx.NewInsert().Model(n).Exec(ctx); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, "deal", row.ID, row.PartnerID, v, "", "registered", "")
	})
	if err != nil {
		return sp.Deal{}, err
	}
	s.events.Publish(ctx, DealRegistered{Actor: actor(v), DealID: row.ID, PartnerID: row.PartnerID, Name: row.Name})
	d := row.sdk()
	_ = s.withCommission(ctx, &d, v.Partner.Type, v.Partner.Tier)
	return d, nil
}

// ReviewDeal approves a registration, protecting the partner's claim for
// the program's protection period, or rejects it with a reason (staff).
func (s *Service) ReviewDeal(ctx context.Context, v sdk.Viewer, r sp.Review) (sp.Deal, error) {
	rc, err := s.reachFor(ctx, v)
	if err != nil {
		return sp.Deal{}, err
	}
	row, err := s.deal(ctx, s.db, rc, r.ID)
	if err != nil {
		return sp.Deal{}, err
	}
	if !rc.Manages(row.PartnerID) {
		return sp.Deal{}, errStaffOnly("invalid.staff-only.review")
	}
	if row.Registration != sp.RegistrationPending {
		return sp.Deal{}, fail.Msg(fail.Invalid, "invalid.deal.not-pending")
	}
	reason := strings.TrimSpace(r.Reason)
	if !r.Approve && reason == "" {
		return sp.Deal{}, fail.Field("reason", "invalid.deal.reject-reason")
	}
	cfg, err := s.Config(ctx)
	if err != nil {
		return sp.Deal{}, err
	}
	now := s.now()
	to := sp.RegistrationRejected
	var until *time.Time
	if r.Approve {
		to = sp.RegistrationApproved
		u := now.AddDate(0, 0, cfg.ProtectionDays)
		until = &u
	}
	err = store.RunInTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model((*dealRow)(nil)).Set("registration = ?", to).Set("registration_reason = ?", reason).
			Set("protected_until = ?", until).Set("updated_at = ?", now).Where("id = ?", row.ID).Exec(ctx); err != nil {
			return err
		}
		return s.record(ctx, tx, "deal", row.ID, row.PartnerID, v, "registration pending", "registration "+to, reason)
	})
	if err != nil {
		return sp.Deal{}, err
	}
	row.Registration, row.RegistrationReason, row.ProtectedUntil = to, reason, until
	s.events.Publish(ctx, RegistrationReviewed{Actor: actor(v), DealID: row.ID, PartnerID: row.PartnerID, Name: row.Name, Approved: r.Approve, Reason: reason})
	return row.sdk(), nil
}

// SetDealStage moves a deal (staff). Closing needs a reason; closing won
// creates the pending commission entry.
func (s *Service) SetDealStage(ctx context.Context, v sdk.Viewer, ch sp.StageChange) (sp.Deal, error) {
	rc, err := s.reachFor(ctx, v)
	if err != nil {
		return sp.Deal{}, err
	}
	row, err := s.deal(ctx, s.db, rc, ch.ID)
	if err != nil {
		return sp.Deal{}, err
	}
	if !rc.Manages(row.PartnerID) {
		return sp.Deal{}, errStaffOnly("invalid.staff-only.move-deal")
	}
	cfg, err := s.Config(ctx)
	if err != nil {
		return sp.Deal{}, err
	}
	invalid := func(id string, args ...any) error { return fail.Refused("stage", id, args...) }
	known := slices.ContainsFunc(cfg.DealStages, func(st sp.Stage) bool { return st.Key == ch.Stage })
	switch {
	case !known:
		return sp.Deal{}, invalid("invalid.deal.not-a-stage", "Stage", ch.Stage)
	case row.Registration == sp.RegistrationPending:
		return sp.Deal{}, invalid("invalid.deal.approve-first")
	case row.Registration == sp.RegistrationRejected:
		return sp.Deal{}, invalid("invalid.deal.rejected")
	case row.Stage == sp.StageWon || row.Stage == sp.StageLost:
		return sp.Deal{}, invalid("invalid.deal.closed", "Stage", stageName(cfg, row.Stage))
	case row.Stage == ch.Stage:
		return sp.Deal{}, invalid("invalid.deal.already", "Stage", stageName(cfg, ch.Stage))
	}
	reason := strings.TrimSpace(ch.Reason)
	closing := ch.Stage == sp.StageWon || ch.Stage == sp.StageLost
	if closing && reason == "" {
		return sp.Deal{}, fail.Field("reason", "invalid.deal.close-reason")
	}
	now := s.now()
	var commissionID int64
	err = store.RunInTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		up := tx.NewUpdate().Model((*dealRow)(nil)).Set("stage = ?", ch.Stage).Set("updated_at = ?", now).Where("id = ? AND stage = ?", row.ID, row.Stage)
		if closing {
			up = up.Set("close_reason = ?", reason).Set("closed_at = ?", now)
		}
		res, err := up.Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fail.Msg(fail.Conflict, "invalid.deal.changed")
		}
		if ch.Stage == sp.StageWon {
			rule, err := s.rule(ctx, row.PartnerType, row.PartnerTier)
			if err != nil {
				return err
			}
			if rule != nil {
				amt := rule.commission(sp.Money{Amount: row.Value, Currency: row.Currency})
				c := &commissionRow{PartnerID: row.PartnerID, DealID: &row.ID, LeadID: row.LeadID, Amount: amt.Amount, Currency: amt.Currency,
					Status: sp.CommissionPending, Description: "Deal won: " + row.Name, CreatedAt: now, UpdatedAt: now}
				if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
					return err
				}
				commissionID = c.ID
			}
			if row.LeadID != nil {
				if _, err := tx.NewUpdate().Model((*leadRow)(nil)).Set("status = ?", sp.LeadWon).Set("updated_at = ?", now).Where("id = ?", *row.LeadID).Exec(ctx); err != nil {
					return err
				}
			}
		}
		return s.record(ctx, tx, "deal", row.ID, row.PartnerID, v, row.Stage, ch.Stage, reason)
	})
	if err != nil {
		return sp.Deal{}, err
	}
	from := row.Stage
	row.Stage, row.CloseReason = ch.Stage, reason
	a := actor(v)
	s.events.Publish(ctx, DealStageChanged{Actor: a, DealID: row.ID, PartnerID: row.PartnerID, Name: row.Name, From: from, To: ch.Stage})
	if ch.Stage == sp.StageWon {
		s.events.Publish(ctx, DealWon{Actor: a, DealID: row.ID, PartnerID: row.PartnerID, Name: row.Name, CommissionID: commissionID})
	}
	return row.sdk(), nil
}

// ConvertLead turns a lead into an (already approved) deal in the first
// stage (staff).
func (s *Service) ConvertLead(ctx context.Context, v sdk.Viewer, c sp.Convert) (sp.Deal, error) {
	rc, err := s.reachFor(ctx, v)
	if err != nil {
		return sp.Deal{}, err
	}
	lead, err := s.lead(ctx, s.db, rc, c.ID)
	if err != nil {
		return sp.Deal{}, err
	}
	if !rc.Manages(lead.PartnerID) {
		return sp.Deal{}, errStaffOnly("invalid.staff-only.convert")
	}
	switch {
	case lead.DealID != nil:
		return sp.Deal{}, fail.Msg(fail.Invalid, "invalid.lead.already-deal")
	case lead.Status == sp.LeadWon || lead.Status == sp.LeadLost:
		return sp.Deal{}, fail.Msg(fail.Invalid, "invalid.lead.closed-no-deal")
	}
	cfg, err := s.Config(ctx)
	if err != nil {
		return sp.Deal{}, err
	}
	if c.Value.Amount <= 0 {
		return sp.Deal{}, fail.Field("value", "invalid.deal.value")
	}
	if c.Value.Currency == "" {
		c.Value.Currency = cfg.Currency
	}
	if !validCurrency(c.Value.Currency) {
		return sp.Deal{}, fail.Field("currency", "invalid.currency")
	}
	name := strings.TrimSpace(c.Name)
	if name == "" {
		name = lead.Company
	}
	now := s.now()
	row := &dealRow{PartnerID: lead.PartnerID, LeadID: &lead.ID, CreatedBy: v.UserID, Name: name, Company: lead.Company, Website: lead.Website,
		DomainKey: lead.DomainKey, EmailKey: lead.EmailKey, Value: c.Value.Amount, Currency: c.Value.Currency, Stage: cfg.DealStages[0].Key,
		CreatedAt: now, UpdatedAt: now, PartnerName: lead.PartnerName}
	err = store.RunInTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
			return err
		}
		up := tx.NewUpdate().Model((*leadRow)(nil)).Set("deal_id = ?", row.ID).Set("updated_at = ?", now).Where("id = ?", lead.ID)
		to := lead.Status
		if slices.Index(sp.LeadStatuses, lead.Status) < slices.Index(sp.LeadStatuses, sp.LeadProposal) {
			to = sp.LeadProposal
			up = up.Set("status = ?", to)
		}
		if _, err := up.Exec(ctx); err != nil {
			return err
		}
		if err := s.record(ctx, tx, "lead", lead.ID, lead.PartnerID, v, lead.Status, to, fmt.Sprintf("Converted to deal #%d", row.ID)); err != nil {
			return err
		}
		return s.record(ctx, tx, "deal", row.ID, row.PartnerID, v, "", row.Stage, fmt.Sprintf("From lead #%d", lead.ID))
	})
	if err != nil {
		return sp.Deal{}, err
	}
	if lead.Status != sp.LeadProposal && slices.Index(sp.LeadStatuses, lead.Status) < slices.Index(sp.LeadStatuses, sp.LeadProposal) {
		s.events.Publish(ctx, LeadStatusChanged{Actor: actor(v), LeadID: lead.ID, PartnerID: lead.PartnerID, Company: lead.Company, From: lead.Status, To: sp.LeadProposal})
	}
	return row.sdk(), nil
}

type noteRow struct {
	bun.BaseModel `bun:"table:pipeline_notes,alias:n"`

	ID        int64     `bun:"id,pk,autoincrement"`
	DealID    int64     `bun:"deal_id"`
	UserID    int64     `bun:"user_id"`
	UserName  string    `bun:"user_name"`
	Staff     bool      `bun:"staff"`
	Body      string    `bun:"body"`
	CreatedAt time.Time `bun:"created_at"`
}

func (n noteRow) sdk() sp.Note {
	return sp.Note{ID: n.ID, DealID: n.DealID, By: n.UserName, Staff: n.Staff, Body: n.Body, CreatedAt: n.CreatedAt}
}

// AddDealNote adds a note to a deal: partners on their own partner's deals,
// staff on their partners'.
func (s *Service) AddDealNote(ctx context.Context, v sdk.Viewer, in sp.NoteInput) (sp.Note, error) {
	rc, err := s.reachFor(ctx, v)
	if err != nil {
		return sp.Note{}, err
	}
	row, err := s.deal(ctx, s.db, rc, in.DealID)
	if err != nil {
		return sp.Note{}, err
	}
	if !rc.CanWrite(row.PartnerID) {
		return sp.Note{}, errNotFound("invalid.not-found.deal") // a distributor reads, but does not write, its sub-partners' deals
	}
	body := strings.TrimSpace(in.Body)
	if body == "" || utf8.RuneCountInString(body) > 5000 {
		return sp.Note{}, fail.Field("body", "invalid.note-5000")
	}
	n := &noteRow{DealID: row.ID, UserID: v.UserID, UserName: displayName(v), Staff: v.Staff(), Body: body, CreatedAt: s.now()}
	if _, err := s.db.NewInsert().Model(n).Exec(ctx); err != nil {
		return sp.Note{}, fmt.Errorf("add note: %w", err)
	}
	s.events.Publish(ctx, DealNoteAdded{Actor: actor(v), DealID: row.ID, PartnerID: row.PartnerID, Name: row.Name, NoteID: n.ID})
	return n.sdk(), nil
}

// stageName names a deal stage for a refusal: the closing stages in the
// reader's language, the program's own stages as the program names them.
func stageName(cfg sp.Config, key string) any {
	if key == sp.StageWon || key == sp.StageLost {
		return leadStatus(key)
	}
	for _, st := range cfg.DealStages {
		if st.Key == key {
			return st.Label
		}
	}
	return sp.Label(key)
}
