package pipeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/reach"
	"github.com/atriumhq/atrium/sdk"
	sp "github.com/atriumhq/atrium/sdk/pipeline"
	"github.com/uptrace/bun"
)

// Rule is a commission rule for a partner type and tier ("" for any tier):
// BasisPoints of a won deal's value (1000 = 10%), or FixedAmount minor units
// per lead closed won.
type Rule struct {
	bun.BaseModel `bun:"table:pipeline_commission_rules"`

	ID          int64  `bun:"id,pk,autoincrement" json:"id"`
	PartnerType string `bun:"partner_type" json:"partnerType"`
	Tier        string `bun:"tier" json:"tier,omitempty"`
	BasisPoints int64  `bun:"basis_points" json:"basisPoints,omitempty"`
	FixedAmount int64  `bun:"fixed_amount" json:"fixedAmount,omitempty"`
	Currency    string `bun:"currency" json:"currency"`
}

// commission is what a deal of value earns, rounded half up to the minor
// unit with exact integer arithmetic.
func (r *Rule) commission(value sp.Money) sp.Money {
	if r.BasisPoints == 0 {
		return sp.Money{Amount: r.FixedAmount, Currency: r.Currency}
	}
	n := new(big.Int).Mul(big.NewInt(value.Amount), big.NewInt(r.BasisPoints))
	n.Add(n, big.NewInt(5000))
	n.Quo(n, big.NewInt(10000))
	return sp.Money{Amount: n.Int64(), Currency: value.Currency}
}

// SetRule creates or replaces the rule for a partner type and tier, without
// checking the names against the program (seeding, tests); the settings
// pages and the API use SaveRule.
func (s *Service) SetRule(ctx context.Context, r Rule) error {
	_, err := s.SaveRule(ctx, r, Vocabulary{})
	return err
}

// Rules lists the commission rules.
func (s *Service) Rules(ctx context.Context) ([]Rule, error) {
	var rules []Rule
	err := s.db.NewSelect().Model(&rules).Order("partner_type", "tier").Scan(ctx)
	return rules, err
}

// rule finds the rule for a partner: its tier's, else its type's catch-all.
func (s *Service) rule(ctx context.Context, typ, tier string) (*Rule, error) {
	var rules []Rule
	if err := s.db.NewSelect().Model(&rules).Where("partner_type = ? AND tier IN (?, '')", typ, tier).Scan(ctx); err != nil {
		return nil, fmt.Errorf("commission rule: %w", err)
	}
	var best *Rule
	for i := range rules {
		if best == nil || rules[i].Tier != "" {
			best = &rules[i]
		}
	}
	return best, nil
}

type commissionRow struct {
	bun.BaseModel `bun:"table:pipeline_commissions,alias:c"`

	ID          int64      `bun:"id,pk,autoincrement"`
	PartnerID   int64      `bun:"partner_id"`
	DealID      *int64     `bun:"deal_id"`
	LeadID      *int64     `bun:"lead_id"`
	Amount      int64      `bun:"amount"`
	Currency    string     `bun:"currency"`
	Status      string     `bun:"status"`
	Description string     `bun:"description"`
	CorrectsID  *int64     `bun:"corrects_id"`
	PayoutDate  *time.Time `bun:"payout_date"`
	Reference   string     `bun:"reference"`
	CreatedAt   time.Time  `bun:"created_at"`
	UpdatedAt   time.Time  `bun:"updated_at"`
	PartnerName string     `bun:"partner_name,scanonly"`
}

func (r *commissionRow) sdk() sp.Commission {
	c := sp.Commission{ID: r.ID, PartnerID: r.PartnerID, PartnerName: r.PartnerName, Amount: sp.Money{Amount: r.Amount, Currency: r.Currency},
		Status: r.Status, Description: r.Description, PayoutDate: r.PayoutDate, Reference: r.Reference, CreatedAt: r.CreatedAt}
	if r.DealID != nil {
		c.DealID = *r.DealID
	}
	if r.LeadID != nil {
		c.LeadID = *r.LeadID
	}
	if r.CorrectsID != nil {
		c.CorrectsID = *r.CorrectsID
	}
	return c
}

// ListCommissions returns one page of the ledger the viewer reads, newest
// first.
func (s *Service) ListCommissions(ctx context.Context, v sdk.Viewer, q sp.CommissionQuery) (sp.CommissionPage, error) {
	rc, err := s.reachFor(ctx, v)
	if err != nil {
		return sp.CommissionPage{}, err
	}
	page, per := paging(q.Page, q.PerPage)
	var rows []commissionRow
	sel := s.db.NewSelect().Model(&rows).ColumnExpr("c.*").ColumnExpr("p.name AS partner_name").Join("JOIN partners AS p ON p.id = c.partner_id")
	sel = rc.WhereOnly(sel, "c.partner_id", q.PartnerID)
	if q.Status != "" {
		sel = sel.Where("c.status = ?", q.Status)
	}
	total, err := sel.Order("c.id DESC").Limit(int64(per)).Offset(int64((page - 1) * per)).ScanAndCount(ctx)
	if err != nil {
		return sp.CommissionPage{}, fmt.Errorf("list commissions: %w", err)
	}
	out := sp.CommissionPage{Items: make([]sp.Commission, len(rows)), Total: int(total), Page: page, PerPage: per}
	for i := range rows {
		out.Items[i] = rows[i].sdk()
	}
	return out, nil
}

func (s *Service) commission(ctx context.Context, rc reach.Reach, id int64) (*commissionRow, error) {
	row := new(commissionRow)
	q := s.db.NewSelect().Model(row).ColumnExpr("c.*").ColumnExpr("p.name AS partner_name").Join("JOIN partners AS p ON p.id = c.partner_id").
		Where("c.id = ?", id)
	err := rc.Where(q, "c.partner_id").Scan(ctx) // the database leaves out what the viewer may not read
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound("invalid.not-found.commission")
	}
	return row, err
}

// SetCommissionStatus approves a pending commission or pays an approved one
// (staff). Nothing else about the entry changes.
func (s *Service) SetCommissionStatus(ctx context.Context, v sdk.Viewer, ch sp.CommissionChange) (sp.Commission, error) {
	rc, err := s.reachFor(ctx, v)
	if err != nil {
		return sp.Commission{}, err
	}
	row, err := s.commission(ctx, rc, ch.ID)
	if err != nil {
		return sp.Commission{}, err
	}
	if !rc.Manages(row.PartnerID) {
		return sp.Commission{}, errStaffOnly("invalid.staff-only.pay")
	}
	now := s.now()
	up := s.db.NewUpdate().Model((*commissionRow)(nil)).Set("status = ?", ch.Status).Set("updated_at = ?", now).Where("id = ? AND status = ?", row.ID, row.Status)
	switch {
	case ch.Status == sp.CommissionApproved && row.Status == sp.CommissionPending:
	case ch.Status == sp.CommissionPaid && row.Status == sp.CommissionApproved:
		ref := strings.TrimSpace(ch.Reference)
		date, err := parseDate(ch.PayoutDate)
		errs := fail.Problems{}
		if err != nil {
			errs.Add("payoutDate", "invalid.date-example")
		}
		if ref == "" || utf8.RuneCountInString(ref) > 100 {
			errs.Add("reference", "invalid.commission.reference")
		}
		if err := errs.Err(); err != nil {
			return sp.Commission{}, err
		}
		if date == nil {
			d := now.Truncate(24 * time.Hour)
			date = &d
		}
		up = up.Set("payout_date = ?", date).Set("reference = ?", ref)
		row.PayoutDate, row.Reference = date, ref
	default:
		return sp.Commission{}, fail.Refused("status", "invalid.commission.move", "From", commissionStatus(row.Status), "To", commissionStatus(ch.Status))
	}
	res, err := up.Exec(ctx)
	if err != nil {
		return sp.Commission{}, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return sp.Commission{}, fail.Msg(fail.Conflict, "invalid.commission.changed")
	}
	row.Status = ch.Status
	s.events.Publish(ctx, CommissionChanged{Actor: actor(v), CommissionID: row.ID, PartnerID: row.PartnerID, Status: row.Status})
	return row.sdk(), nil
}

// CorrectCommission adds a pending ledger entry correcting another (staff):
// the original is never edited.
func (s *Service) CorrectCommission(ctx context.Context, v sdk.Viewer, c sp.Correction) (sp.Commission, error) {
	rc, err := s.reachFor(ctx, v)
	if err != nil {
		return sp.Commission{}, err
	}
	row, err := s.commission(ctx, rc, c.ID)
	if err != nil {
		return sp.Commission{}, err
	}
	if !rc.Manages(row.PartnerID) {
		return sp.Commission{}, errStaffOnly("invalid.staff-only.correct")
	}
	reason := strings.TrimSpace(c.Reason)
	errs := fail.Problems{}
	if reason == "" {
		errs.Add("reason", "invalid.commission.reason")
	}
	if c.Amount.Amount == 0 {
		errs.Add("amount", "invalid.commission.amount")
	}
	if c.Amount.Currency != "" && c.Amount.Currency != row.Currency {
		errs.Add("currency", "invalid.commission.currency", "Currency", row.Currency)
	}
	if err := errs.Err(); err != nil {
		return sp.Commission{}, err
	}
	now := s.now()
	n := &commissionRow{PartnerID: row.PartnerID, DealID: row.DealID, LeadID: row.LeadID, Amount: c.Amount.Amount, Currency: row.Currency,
		Status: sp.CommissionPending, Description: "Correction of #" + fmt.Sprint(row.ID) + ": " + reason, CorrectsID: &row.ID,
		CreatedAt: now, UpdatedAt: now, PartnerName: row.PartnerName}
	if _, err := s.db.NewInsert().Model(n).Exec(ctx); err != nil {
		return sp.Commission{}, err
	}
	return n.sdk(), nil
}

// commissionStatus names a commission status in the reader's language.
func commissionStatus(status string) fail.Text {
	switch status {
	case sp.CommissionPending:
		return fail.T("invalid.status.pending")
	case sp.CommissionApproved:
		return fail.T("invalid.status.approved")
	case sp.CommissionPaid:
		return fail.T("invalid.status.paid")
	}
	return fail.Text{Plain: status}
}
