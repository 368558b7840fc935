package pipeline

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
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

type leadRow struct {
	bun.BaseModel `bun:"table:pipeline_leads,alias:l"`

	ID                 int64     `bun:"id,pk,autoincrement"`
	PartnerID          int64     `bun:"partner_id"`
	SubmittedBy        int64     `bun:"submitted_by"`
	Company            string    `bun:"company"`
	ContactName        string    `bun:"contact_name"`
	Email              string    `bun:"email"`
	Phone              string    `bun:"phone"`
	Website            string    `bun:"website"`
	Notes              string    `bun:"notes"`
	Extra              string    `bun:"extra"`
	DomainKey          string    `bun:"domain_key"`
	EmailKey           string    `bun:"email_key"`
	Status             string    `bun:"status"`
	ConflictLeadID     *int64    `bun:"conflict_lead_id"`
	ConflictDealID     *int64    `bun:"conflict_deal_id"`
	Review             string    `bun:"review"`
	ExpectedCommission int64     `bun:"expected_commission"`
	Currency           string    `bun:"currency"`
	DealID             *int64    `bun:"deal_id"`
	CreatedAt          time.Time `bun:"created_at"`
	UpdatedAt          time.Time `bun:"updated_at"`
	PartnerName        string    `bun:"partner_name,scanonly"`
}

func (r *leadRow) sdk() sp.Lead {
	l := sp.Lead{ID: r.ID, PartnerID: r.PartnerID, PartnerName: r.PartnerName, Company: r.Company, ContactName: r.ContactName,
		Email: r.Email, Phone: r.Phone, Website: r.Website, Notes: r.Notes, Status: r.Status, UnderReview: r.Review != "",
		ExpectedCommission: sp.Money{Amount: r.ExpectedCommission, Currency: r.Currency}, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.DealID != nil {
		l.DealID = *r.DealID
	}
	if r.Extra != "" && r.Extra != "{}" {
		_ = json.Unmarshal([]byte(r.Extra), &l.Extra)
	}
	return l
}

type historyRow struct {
	bun.BaseModel `bun:"table:pipeline_history,alias:h"`

	ID        int64     `bun:"id,pk,autoincrement"`
	Kind      string    `bun:"kind"`
	ObjectID  int64     `bun:"object_id"`
	PartnerID int64     `bun:"partner_id"`
	UserID    int64     `bun:"user_id"`
	UserName  string    `bun:"user_name"`
	From      string    `bun:"from_status"`
	To        string    `bun:"to_status"`
	Comment   string    `bun:"comment"`
	At        time.Time `bun:"at"`
}

func actor(v sdk.Viewer) Actor { return Actor{UserID: v.UserID, Name: v.Name, Staff: v.Staff()} }

func displayName(v sdk.Viewer) string {
	if v.Name != "" {
		return v.Name
	}
	return v.Email
}

// leadOpen is the SQL condition for a lead still being worked.
const leadOpen = "status NOT IN ('closed_won', 'closed_lost')"

// ListLeads returns one page of the leads the viewer reads.
func (s *Service) ListLeads(ctx context.Context, v sdk.Viewer, q sp.LeadQuery) (sp.LeadPage, error) {
	rc, err := s.reachFor(ctx, v)
	if err != nil {
		return sp.LeadPage{}, err
	}
	page, per := paging(q.Page, q.PerPage)
	if q.Status != "" && !slices.Contains(sp.LeadStatuses, q.Status) {
		return sp.LeadPage{}, fail.Field("status", "invalid.unknown-status")
	}
	var rows []leadRow
	sel := s.db.NewSelect().Model(&rows)
	if rc.Several() { // staff and distributors see whose lead it is
		sel = sel.ColumnExpr("l.*").ColumnExpr("p.name AS partner_name").Join("JOIN partners AS p ON p.id = l.partner_id")
	}
	sel = rc.WhereOnly(sel, "l.partner_id", q.PartnerID)
	if q.Status != "" {
		sel = sel.Where("l.status = ?", q.Status)
	}
	if q.Review && rc.IsStaff() {
		sel = sel.Where("l.review <> ''")
	}
	if term := strings.TrimSpace(q.Search); term != "" {
		like := "%" + escapeLike(strings.ToLower(term)) + "%"
		sel = sel.WhereGroup(" AND ", func(w *bun.SelectQuery) *bun.SelectQuery {
			return w.Where("lower(l.company) LIKE ? ESCAPE '\\'", like).
				WhereOr("lower(l.contact_name) LIKE ? ESCAPE '\\'", like).
				WhereOr("lower(l.email) LIKE ? ESCAPE '\\'", like)
		})
	}
	switch q.Sort {
	case "oldest":
		sel = sel.Order("l.id ASC")
	case "company":
		sel = sel.OrderExpr("lower(l.company) ASC, l.id DESC")
	case "status":
		sel = sel.OrderExpr("l.status ASC, l.id DESC")
	default:
		sel = sel.Order("l.id DESC")
	}
	total, err := sel.Limit(int64(per)).Offset(int64((page - 1) * per)).ScanAndCount(ctx)
	if err != nil {
		return sp.LeadPage{}, fmt.Errorf("list leads: %w", err)
	}
	out := sp.LeadPage{Items: make([]sp.Lead, len(rows)), Total: int(total), Page: page, PerPage: per}
	for i := range rows {
		out.Items[i] = rows[i].sdk()
	}
	return out, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// lead loads a lead the viewer reads, or NotFound.
func (s *Service) lead(ctx context.Context, db bun.IDB, rc reach.Reach, id int64) (*leadRow, error) {
	row := new(leadRow)
	q := db.NewSelect().Model(row).ColumnExpr("l.*").ColumnExpr("p.name AS partner_name").
		Join("JOIN partners AS p ON p.id = l.partner_id").Where("l.id = ?", id)
	err := rc.Where(q, "l.partner_id").Scan(ctx) // the database leaves out what the viewer may not read
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound("invalid.not-found.lead")
	}
	if err != nil {
		return nil, fmt.Errorf("lead %d: %w", id, err)
	}
	return row, nil
}

// GetLead returns a lead with its history, and for staff the record it
// conflicts with.
func (s *Service) GetLead(ctx context.Context, v sdk.Viewer, id int64) (sp.LeadDetail, error) {
	rc, err := s.reachFor(ctx, v)
	if err != nil {
		return sp.LeadDetail{}, err
	}
	row, err := s.lead(ctx, s.db, rc, id)
	if err != nil {
		return sp.LeadDetail{}, err
	}
	d := sp.LeadDetail{Lead: row.sdk()}
	if d.History, err = s.history(ctx, "lead", id); err != nil {
		return sp.LeadDetail{}, err
	}
	if rc.Manages(row.PartnerID) {
		d.Next = nextLeadStatuses(row.Status)
		if row.Review != "" {
			d.Conflict, err = s.conflict(ctx, row)
			if err != nil {
				return sp.LeadDetail{}, err
			}
		}
	}
	return d, nil
}

func (s *Service) history(ctx context.Context, kind string, id int64) ([]sp.Change, error) {
	var rows []historyRow
	if err := s.db.NewSelect().Model(&rows).Where("kind = ? AND object_id = ?", kind, id).Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("%s %d history: %w", kind, id, err)
	}
	out := make([]sp.Change, len(rows))
	for i, r := range rows {
		out[i] = sp.Change{At: r.At, By: r.UserName, From: r.From, To: r.To, Comment: r.Comment}
	}
	return out, nil
}

func (s *Service) record(ctx context.Context, db bun.IDB, kind string, id, partnerID int64, v sdk.Viewer, from, to, comment string) error {
	h := &historyRow{Kind: kind, ObjectID: id, PartnerID: partnerID, UserID: v.UserID, UserName: displayName(v),
		From: from, To: to, Comment: comment, At: s.now()}
	_, err := db.NewInsert().Model(h).Exec(ctx)
	return err
}

// conflict describes the other partner's record a flagged lead matched.
func (s *Service) conflict(ctx context.Context, row *leadRow) (*sp.Conflict, error) {
	reason := "same contact email"
	if row.ConflictLeadID != nil {
		other, err := s.lead(ctx, s.db, reach.Everyone(), *row.ConflictLeadID)
		if fail.CodeOf(err) == fail.NotFound {
			return nil, nil // the other lead is gone: nothing to compare
		}
		if err != nil {
			return nil, fmt.Errorf("the lead that lead %d conflicts with: %w", row.ID, err)
		}
		if row.DomainKey != "" && other.DomainKey == row.DomainKey {
			reason = "same company domain " + row.DomainKey
		}
		return &sp.Conflict{Kind: "lead", ID: other.ID, PartnerID: other.PartnerID, PartnerName: other.PartnerName,
			Company: other.Company, Contact: other.ContactName + " <" + other.Email + ">", Status: other.Status,
			CreatedAt: other.CreatedAt, FirstIsOther: other.ID < row.ID, Reason: reason}, nil
	}
	if row.ConflictDealID != nil {
		other, err := s.deal(ctx, s.db, reach.Everyone(), *row.ConflictDealID)
		if fail.CodeOf(err) == fail.NotFound {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("the deal that lead %d conflicts with: %w", row.ID, err)
		}
		if row.DomainKey != "" && other.DomainKey == row.DomainKey {
			reason = "same company domain " + row.DomainKey
		}
		return &sp.Conflict{Kind: "deal", ID: other.ID, PartnerID: other.PartnerID, PartnerName: other.PartnerName,
			Company: other.Company, Status: other.Stage, CreatedAt: other.CreatedAt, FirstIsOther: other.CreatedAt.Before(row.CreatedAt), Reason: reason}, nil
	}
	return nil, nil
}

// validateLead checks a submitted lead field by field and returns the
// normalised input.
func validateLead(in sp.LeadInput, cfg sp.Config) (sp.LeadInput, error) {
	errs := fail.Problems{}
	trim := func(s *string, field string, required bool, max int) {
		*s = strings.TrimSpace(*s)
		switch {
		case required && *s == "":
			errs.Add(field, "invalid.required")
		case utf8.RuneCountInString(*s) > max:
			errs.Add(field, "invalid.at-most-chars", "Max", max)
		}
	}
	trim(&in.Company, "company", true, 200)
	trim(&in.ContactName, "contactName", true, 200)
	trim(&in.Email, "email", true, 254)
	trim(&in.Phone, "phone", false, 50)
	trim(&in.Website, "website", false, 300)
	trim(&in.Notes, "notes", false, 5000)
	if _, refused := errs["email"]; !refused {
		if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email || !strings.Contains(in.Email, ".") {
			errs.Add("email", "invalid.lead.email")
		}
	}
	if in.Website != "" && DomainKey(in.Website) == "" {
		errs.Add("website", "invalid.website")
	}
	if in.Phone != "" && strings.Trim(in.Phone, "+0123456789 ()-./") != "" {
		errs.Add("phone", "invalid.phone")
	}
	extra := map[string]string{}
	for _, f := range cfg.LeadFields {
		val := strings.TrimSpace(in.Extra[f.Name])
		switch {
		case f.Required && val == "":
			errs.Add(f.Name, "invalid.required")
		case val != "" && len(f.Options) > 0 && !slices.Contains(f.Options, val):
			errs.Add(f.Name, "invalid.choose-option")
		case utf8.RuneCountInString(val) > 1000:
			errs.Add(f.Name, "invalid.at-most-1000")
		case val != "":
			extra[f.Name] = val
		}
	}
	in.Extra = extra
	if err := errs.Err(); err != nil {
		return in, err
	}
	return in, nil
}

// SubmitLead records a partner's lead. A lead whose company domain or
// contact email matches another partner's open lead or deal is kept and
// flagged for the manager; the partner only learns it is under review.
func (s *Service) SubmitLead(ctx context.Context, v sdk.Viewer, in sp.LeadInput) (sp.Lead, error) {
	if v.Staff() || v.Preview || v.PartnerID() == 0 {
		return sp.Lead{}, fail.Msg(fail.Forbidden, "invalid.lead.partners-only")
	}
	cfg, err := s.Config(ctx)
	if err != nil {
		return sp.Lead{}, err
	}
	in, err = validateLead(in, cfg)
	if err != nil {
		return sp.Lead{}, err
	}
	now := s.now()
	row := &leadRow{PartnerID: v.PartnerID(), SubmittedBy: v.UserID, Company: in.Company, ContactName: in.ContactName,
		Email: in.Email, Phone: in.Phone, Website: in.Website, Notes: in.Notes, Extra: "{}",
		DomainKey: companyDomain(in.Website, in.Email), EmailKey: EmailKey(in.Email), Status: sp.LeadNew, Currency: cfg.Currency,
		CreatedAt: now, UpdatedAt: now}
	if len(in.Extra) > 0 {
		b, _ := json.Marshal(in.Extra)
		row.Extra = string(b)
	}
	rule, err := s.rule(ctx, v.Partner.Type, v.Partner.Tier)
	if err != nil {
		return sp.Lead{}, err
	}
	if rule != nil && rule.FixedAmount > 0 {
		row.ExpectedCommission, row.Currency = rule.FixedAmount, rule.Currency
	}
	err = store.RunInTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		if err := s.detectConflict(ctx, tx, row); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
			return fmt.Errorf("insert lead: %w", err)
		}
		return s.record(ctx, tx, "lead", row.ID, row.PartnerID, v, "", sp.LeadNew, "")
	})
	if err != nil {
		return sp.Lead{}, err
	}
	s.events.Publish(ctx, LeadSubmitted{Actor: actor(v), LeadID: row.ID, PartnerID: row.PartnerID, Company: row.Company, Conflict: row.Review != ""})
	return row.sdk(), nil
}

// freeMail hosts say nothing about the company behind an address.
var freeMail = map[string]bool{"gmail.com": true, "outlook.com": true, "hotmail.com": true, "yahoo.com": true, "icloud.com": true, "proton.me": true}

// companyDomain is the company's domain: its website's, else its
// contact's email domain unless that is a free mail host.
func companyDomain(website, email string) string {
	if d := DomainKey(website); d != "" {
		return d
	}
	if d := emailDomain(EmailKey(email)); d != "" && !freeMail[d] {
		return d
	}
	return ""
}

// detectConflict flags row when another partner has an open lead or deal
// for the same company domain or contact.
func (s *Service) detectConflict(ctx context.Context, db bun.IDB, row *leadRow) error {
	domains := []string{}
	if row.DomainKey != "" {
		domains = append(domains, row.DomainKey)
	}
	if d := emailDomain(row.EmailKey); d != "" && !freeMail[d] && !slices.Contains(domains, d) {
		domains = append(domains, d)
	}
	var ids []int64
	q := db.NewSelect().Model((*leadRow)(nil)).Column("id").Where("partner_id <> ?", row.PartnerID).Where(leadOpen).
		WhereGroup(" AND ", func(w *bun.SelectQuery) *bun.SelectQuery {
			w = w.Where("email_key = ?", row.EmailKey)
			if len(domains) > 0 {
				// The domain index is partial (domain_key <> ''): SQLite uses it
				// only when the query repeats that condition; without it the
				// OR reads the whole table.
				w = w.WhereOr("(domain_key IN (?) AND domain_key <> '')", bun.List(domains))
			}
			return w
		}).Order("id").Limit(1)
	if err := q.Scan(ctx, &ids); err != nil {
		return fmt.Errorf("look for duplicate leads: %w", err)
	}
	if len(ids) > 0 {
		row.ConflictLeadID, row.Review = &ids[0], "conflict"
		return nil
	}
	if len(domains) == 0 {
		return nil
	}
	if err := db.NewSelect().Model((*dealRow)(nil)).Column("id").Where("partner_id <> ?", row.PartnerID).Where(dealOpen).
		Where("domain_key IN (?) AND domain_key <> ''", bun.List(domains)).Order("id").Limit(1).Scan(ctx, &ids); err != nil {
		return fmt.Errorf("look for conflicting deals: %w", err)
	}
	if len(ids) > 0 {
		row.ConflictDealID, row.Review = &ids[0], "conflict"
	}
	return nil
}

// nextLeadStatuses lists where a lead in status may go: forward along the
// pipeline (skipping is fine), or lost from any open status.
func nextLeadStatuses(status string) []string {
	i := slices.Index(sp.LeadStatuses, status)
	if i < 0 || status == sp.LeadWon || status == sp.LeadLost {
		return nil
	}
	return slices.Clone(sp.LeadStatuses[i+1:])
}

// leadTransition says why a lead may not move from one status to another,
// or nil when it may.
func leadTransition(from, to string) *fail.Text {
	why := func(id string, args ...any) *fail.Text { t := fail.T(id, args...); return &t }
	switch {
	case !slices.Contains(sp.LeadStatuses, to):
		return why("invalid.lead.not-a-status", "Status", to)
	case from == to:
		return why("invalid.lead.already", "Status", leadStatus(to))
	case from == sp.LeadWon || from == sp.LeadLost:
		return why("invalid.lead.closed", "Status", leadStatus(from))
	case !slices.Contains(nextLeadStatuses(from), to):
		return why("invalid.lead.move-back", "From", leadStatus(from), "To", leadStatus(to))
	}
	return nil
}

// leadStatus names a lead status in the reader's language.
func leadStatus(status string) fail.Text {
	switch status {
	case sp.LeadNew:
		return fail.T("invalid.status.new")
	case sp.LeadQualified:
		return fail.T("invalid.status.qualified")
	case sp.LeadDemo:
		return fail.T("invalid.status.demo")
	case sp.LeadProposal:
		return fail.T("invalid.status.proposal")
	case sp.LeadWon:
		return fail.T("invalid.status.closed-won")
	case sp.LeadLost:
		return fail.T("invalid.status.closed-lost")
	}
	return fail.Text{Plain: status}
}

// SetLeadStatus moves a lead (staff who manage its partner). A lead closed
// won with a fixed-amount rule earns a pending commission.
func (s *Service) SetLeadStatus(ctx context.Context, v sdk.Viewer, ch sp.StatusChange) (sp.Lead, error) {
	rc, err := s.reachFor(ctx, v)
	if err != nil {
		return sp.Lead{}, err
	}
	row, err := s.lead(ctx, s.db, rc, ch.ID)
	if err != nil {
		return sp.Lead{}, err
	}
	if !rc.Manages(row.PartnerID) {
		return sp.Lead{}, errStaffOnly("invalid.staff-only.lead-status")
	}
	if why := leadTransition(row.Status, ch.Status); why != nil {
		return sp.Lead{}, fail.Refused("status", why.ID, why.Args...)
	}
	comment := strings.TrimSpace(ch.Comment)
	if utf8.RuneCountInString(comment) > 2000 {
		return sp.Lead{}, fail.Field("comment", "invalid.at-most-2000")
	}
	from := row.Status
	err = store.RunInTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*leadRow)(nil)).Set("status = ?", ch.Status).Set("updated_at = ?", s.now()).
			Where("id = ? AND status = ?", row.ID, from).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fail.Msg(fail.Conflict, "invalid.lead.changed")
		}
		if ch.Status == sp.LeadWon && row.ExpectedCommission > 0 && row.DealID == nil {
			c := &commissionRow{PartnerID: row.PartnerID, LeadID: &row.ID, Amount: row.ExpectedCommission, Currency: row.Currency,
				Status: sp.CommissionPending, Description: "Lead closed won: " + row.Company, CreatedAt: s.now(), UpdatedAt: s.now()}
			if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, "lead", row.ID, row.PartnerID, v, from, ch.Status, comment)
	})
	if err != nil {
		return sp.Lead{}, err
	}
	row.Status = ch.Status
	s.events.Publish(ctx, LeadStatusChanged{Actor: actor(v), LeadID: row.ID, PartnerID: row.PartnerID, Company: row.Company, From: from, To: ch.Status, Comment: comment})
	return row.sdk(), nil
}

// CommentLead adds a comment to a lead's history (staff).
func (s *Service) CommentLead(ctx context.Context, v sdk.Viewer, c sp.Comment) (sp.LeadDetail, error) {
	rc, err := s.reachFor(ctx, v)
	if err != nil {
		return sp.LeadDetail{}, err
	}
	row, err := s.lead(ctx, s.db, rc, c.ID)
	if err != nil {
		return sp.LeadDetail{}, err
	}
	if !rc.Manages(row.PartnerID) {
		return sp.LeadDetail{}, errStaffOnly("invalid.staff-only.comment")
	}
	body := strings.TrimSpace(c.Comment)
	if body == "" || utf8.RuneCountInString(body) > 2000 {
		return sp.LeadDetail{}, fail.Field("comment", "invalid.comment-2000")
	}
	if err := s.record(ctx, s.db, "lead", row.ID, row.PartnerID, v, row.Status, row.Status, body); err != nil {
		return sp.LeadDetail{}, err
	}
	return s.GetLead(ctx, v, row.ID)
}

// ResolveReview clears a lead's conflict flag once the manager has decided
// (staff).
func (s *Service) ResolveReview(ctx context.Context, v sdk.Viewer, id int64, comment string) error {
	rc, err := s.reachFor(ctx, v)
	if err != nil {
		return err
	}
	row, err := s.lead(ctx, s.db, rc, id)
	if err != nil {
		return err
	}
	if !rc.Manages(row.PartnerID) {
		return errStaffOnly("invalid.staff-only.resolve")
	}
	if row.Review == "" {
		return nil
	}
	return store.RunInTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model((*leadRow)(nil)).Set("review = ''").Set("updated_at = ?", s.now()).Where("id = ?", id).Exec(ctx); err != nil {
			return err
		}
		return s.record(ctx, tx, "lead", row.ID, row.PartnerID, v, row.Status, row.Status, strings.TrimSpace("Review resolved. "+comment))
	})
}
