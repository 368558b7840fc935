package compliance

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/notify"
	"github.com/atriumhq/atrium/sdk"
	sc "github.com/atriumhq/atrium/sdk/compliance"
	"github.com/uptrace/bun"
)

// partnerRow is what items need of a partner.
type partnerRow struct {
	ID       int64  `bun:"id"`
	Name     string `bun:"name"`
	Type     string `bun:"type"`
	ParentID *int64 `bun:"parent_id"`
}

// itemFacts is a stored item with the names pages show.
type itemFacts struct {
	itemRow       `bun:",extend"`
	FileName      string `bun:"file_name"`
	SubmitterName string `bun:"submitter_name"`
	ReviewerName  string `bun:"reviewer_name"`
}

// standing is everything needed to say where partners stand: the partners,
// the requirements, the stored items and the certifications held.
type standing struct {
	partners []partnerRow
	reqs     []requirementRow
	items    map[[2]int64]itemFacts // partner, requirement
	// certs holds, per partner and certification requirement, when one of
	// its active users last completed the task.
	certs map[[2]int64]time.Time
}

// load reads the standing of partners chosen by narrow (alias p).
func (s *Service) load(ctx context.Context, narrow func(*bun.SelectQuery) *bun.SelectQuery) (standing, error) {
	var st standing
	q := s.db.NewSelect().TableExpr("partners AS p").ColumnExpr("p.id, p.name, p.type, p.parent_id")
	if err := narrow(q).OrderExpr("p.name, p.id").Scan(ctx, &st.partners); err != nil {
		return st, fmt.Errorf("compliance: load partners: %w", err)
	}
	if err := s.db.NewSelect().Model(&st.reqs).Where("NOT r.archived").OrderExpr("r.position, r.id").Scan(ctx); err != nil {
		return st, fmt.Errorf("compliance: load requirements: %w", err)
	}
	st.items, st.certs = map[[2]int64]itemFacts{}, map[[2]int64]time.Time{}
	if len(st.partners) == 0 || len(st.reqs) == 0 {
		return st, nil
	}
	ids := make([]int64, len(st.partners))
	for i, p := range st.partners {
		ids[i] = p.ID
	}
	for chunk := range slices.Chunk(ids, 500) {
		var rows []itemFacts
		if err := s.db.NewSelect().Model(&rows).ColumnExpr("i.*").
			ColumnExpr("COALESCE(f.name, '') AS file_name, COALESCE(su.name, '') AS submitter_name, COALESCE(ru.name, '') AS reviewer_name").
			Join("LEFT JOIN files AS f ON f.id = i.file_id").
			Join("LEFT JOIN users AS su ON su.id = i.submitted_by").
			Join("LEFT JOIN users AS ru ON ru.id = i.reviewed_by").
			Where("i.partner_id IN (?)", bun.List(chunk)).Scan(ctx); err != nil {
			return st, fmt.Errorf("compliance: load items: %w", err)
		}
		for _, r := range rows {
			st.items[[2]int64{r.PartnerID, r.RequirementID}] = r
		}
		for _, r := range st.reqs {
			if r.Kind != sc.Certification {
				continue
			}
			var held []struct {
				PartnerID int64 `bun:"partner_id"`
				At        any   `bun:"at"`
			}
			if err := s.db.NewSelect().TableExpr("task_completions AS c").ColumnExpr("c.partner_id, MAX(c.completed_at) AS at").
				Join("JOIN users AS u ON u.id = c.user_id AND u.active").
				Where("c.block_key = ? AND c.task_id = ? AND c.user_id > 0", r.CertBlockKey, r.CertTaskID).
				Where("c.partner_id IN (?)", bun.List(chunk)).GroupExpr("c.partner_id").Scan(ctx, &held); err != nil {
				return st, fmt.Errorf("compliance: load certifications: %w", err)
			}
			for _, h := range held {
				st.certs[[2]int64{h.PartnerID, r.ID}] = asTime(h.At)
			}
		}
	}
	return st, nil
}

// asTime reads MAX() of a timestamp, which SQLite returns as text.
func asTime(v any) time.Time {
	switch t := v.(type) {
	case time.Time:
		return t.UTC()
	case string:
		for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02 15:04:05"} {
			if p, err := time.Parse(layout, t); err == nil {
				return p.UTC()
			}
		}
	case []byte:
		return asTime(string(t))
	}
	return time.Time{}
}

// derive is an item's status on the program's calendar.
func derive(status, due, expires string, today time.Time) string {
	t := day(today)
	switch status {
	case sc.Accepted:
		switch {
		case expires != "" && expires < t:
			return sc.Expired
		case expires != "" && expires <= day(today.AddDate(0, 0, Soon)):
			return sc.Expiring
		}
	case sc.Missing, sc.Rejected:
		if due != "" && due < t {
			return sc.Overdue
		}
	}
	return status
}

// urgency orders items: what needs someone first.
var urgency = map[string]int{sc.Overdue: 0, sc.Expired: 1, sc.Rejected: 2, sc.Submitted: 3, sc.Expiring: 4, sc.Missing: 5, sc.Accepted: 6}

// items turns a standing into the items of each partner.
func (s *Service) items(st standing, a *access) []sc.Item {
	today := s.today()
	var out []sc.Item
	for _, p := range st.partners {
		for _, r := range st.reqs {
			if !r.appliesTo(p.Type) {
				continue
			}
			it := sc.Item{RequirementID: r.ID, Name: r.Name, Description: r.Description, Kind: r.Kind, PartnerID: p.ID,
				PartnerName: p.Name, Status: sc.Missing, Due: r.DueOn}
			if r.Kind == sc.Certification {
				if at, ok := st.certs[[2]int64{p.ID, r.ID}]; ok {
					it.Status = sc.Accepted
					if r.ValidityMonths > 0 {
						it.Expires = day(at.In(s.opts.Location).AddDate(0, r.ValidityMonths, 0))
					}
				}
			} else if f, ok := st.items[[2]int64{p.ID, r.ID}]; ok {
				it.ID, it.Status, it.Expires, it.Version, it.Reason = f.ID, f.Status, f.ExpiresOn, f.Version, f.Reason
				if f.FileID != nil {
					it.FileID, it.FileName, it.URL = *f.FileID, f.FileName, fmt.Sprintf("/files/%d/download", *f.FileID)
				}
				if f.SubmittedBy != nil {
					it.SubmittedBy = &sc.Person{ID: *f.SubmittedBy, Name: orFormer(f.SubmitterName)}
				}
				it.SubmittedAt = f.SubmittedAt
				if f.ReviewedBy != nil {
					it.ReviewedBy = &sc.Person{ID: *f.ReviewedBy, Name: orFormer(f.ReviewerName)}
				}
				it.ReviewedAt = f.ReviewedAt
				if it.Status == sc.Accepted && it.Expires != "" {
					// Renewal falls due when the accepted evidence expires.
					it.Due = it.Expires
				}
			}
			it.Status = derive(it.Status, it.Due, it.Expires, today)
			if a != nil && r.Kind == sc.Document {
				it.CanSubmit = a.submits(p.ID)
				it.CanReview = it.ID != 0 && a.reviews(p.ID, p.ParentID)
			}
			out = append(out, it)
		}
	}
	return out
}

func orFormer(name string) string {
	if name == "" {
		return "A former user"
	}
	return name
}

// narrowSeen limits partners (alias p) to those whose items the viewer
// sees: staff the partners they reach; a partner's users their own and
// their sub-partners (the reach's read set).
func (a access) narrowSeen(q *bun.SelectQuery) *bun.SelectQuery { return a.rc.Where(q, "p.id") }

// List returns the items the viewer sees, most urgent first, the viewer's
// own partner before others.
func (s *Service) List(ctx context.Context, v sdk.Viewer, q sc.ItemQuery) (sc.ItemPage, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sc.ItemPage{}, err
	}
	if q.PerPage <= 0 || q.PerPage > 200 {
		q.PerPage = 50
	}
	if q.Page <= 0 {
		q.Page = 1
	}
	st, err := s.load(ctx, func(sq *bun.SelectQuery) *bun.SelectQuery {
		return a.rc.WhereOnly(sq, "p.id", q.PartnerID)
	})
	if err != nil {
		return sc.ItemPage{}, err
	}
	all := s.items(st, &a)
	if q.Status != "" {
		all = slices.DeleteFunc(all, func(it sc.Item) bool {
			if q.Status == "attention" {
				return it.Status == sc.Accepted
			}
			return it.Status != q.Status
		})
	}
	own := v.PartnerID()
	slices.SortStableFunc(all, func(x, y sc.Item) int {
		if (x.PartnerID == own) != (y.PartnerID == own) {
			if x.PartnerID == own {
				return -1
			}
			return 1
		}
		return urgency[x.Status] - urgency[y.Status]
	})
	page := sc.ItemPage{Total: len(all), Page: q.Page, PerPage: q.PerPage, Items: []sc.Item{}}
	from := (q.Page - 1) * q.PerPage
	if from < len(all) {
		page.Items = all[from:min(len(all), from+q.PerPage)]
	}
	return page, nil
}

// Status summarises the standing of partners, for the distributor's
// directory and other dashboards: per partner, its items in total,
// accepted (expiring ones included), waiting for review, expiring within
// 30 days, overdue (expired included) and the next expiry. It does not
// authorise: the caller passes partners the viewer reaches (from
// core/reach). Partners without requirements get a zero Summary; unknown
// ids are left out.
func (s *Service) Status(ctx context.Context, partnerIDs []int64) (map[int64]sc.Summary, error) {
	out := map[int64]sc.Summary{}
	if len(partnerIDs) == 0 {
		return out, nil
	}
	st, err := s.load(ctx, func(q *bun.SelectQuery) *bun.SelectQuery { return q.Where("p.id IN (?)", bun.List(partnerIDs)) })
	if err != nil {
		return nil, err
	}
	for _, p := range st.partners {
		out[p.ID] = sc.Summary{}
	}
	for _, it := range s.items(st, nil) {
		sum := out[it.PartnerID]
		sum.Total++
		switch it.Status {
		case sc.Accepted:
			sum.Accepted++
		case sc.Expiring:
			sum.Accepted++
			sum.Expiring++
		case sc.Submitted:
			sum.Submitted++
		case sc.Overdue, sc.Expired:
			sum.Overdue++
		}
		if (it.Status == sc.Accepted || it.Status == sc.Expiring) && it.Expires != "" && (sum.NextExpiry == "" || it.Expires < sum.NextExpiry) {
			sum.NextExpiry = it.Expires
		}
		out[it.PartnerID] = sum
	}
	return out, nil
}

// seenPartner loads a partner whose items the viewer sees.
func (s *Service) seenPartner(ctx context.Context, a access, id int64) (partnerRow, error) {
	var p partnerRow
	err := a.narrowSeen(s.db.NewSelect().TableExpr("partners AS p").ColumnExpr("p.id, p.name, p.type, p.parent_id").Where("p.id = ?", id)).
		Limit(1).Scan(ctx, &p)
	if err != nil || p.ID == 0 {
		return partnerRow{}, notFound()
	}
	return p, nil
}

// one reads the item of a partner and requirement as the viewer sees it.
func (s *Service) one(ctx context.Context, a access, partnerID, requirementID int64) (sc.Item, error) {
	st, err := s.load(ctx, func(q *bun.SelectQuery) *bun.SelectQuery { return a.narrowSeen(q.Where("p.id = ?", partnerID)) })
	if err != nil {
		return sc.Item{}, err
	}
	for _, it := range s.items(st, &a) {
		if it.RequirementID == requirementID {
			return it, nil
		}
	}
	return sc.Item{}, notFound()
}

// Submit hands in evidence for a requirement: a partner's administrator
// for their own partner. The first upload makes the item; a later one
// becomes the next version of its file and goes back to review.
func (s *Service) Submit(ctx context.Context, v sdk.Viewer, in sc.Submission) (sc.Item, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sc.Item{}, err
	}
	if in.PartnerID == 0 {
		in.PartnerID = v.PartnerID()
	}
	p, err := s.seenPartner(ctx, a, in.PartnerID)
	if err != nil {
		return sc.Item{}, err
	}
	var r requirementRow
	if err := s.db.NewSelect().Model(&r).Where("r.id = ? AND NOT r.archived", in.RequirementID).Limit(1).Scan(ctx); err != nil || !r.appliesTo(p.Type) {
		return sc.Item{}, fail.Msg(fail.NotFound, "invalid.compliance.no-requirement")
	}
	if r.Kind != sc.Document {
		return sc.Item{}, fail.Msg(fail.Invalid, "invalid.compliance.cert-auto")
	}
	if !a.submits(p.ID) {
		return sc.Item{}, fail.Msg(fail.Forbidden, "invalid.compliance.hand-in-admins")
	}
	if s.opts.Files == nil {
		return sc.Item{}, fail.Msg(fail.Forbidden, "invalid.no-uploads")
	}
	if strings.TrimSpace(in.Upload) == "" {
		return sc.Item{}, fail.Field("upload", "invalid.compliance.file")
	}
	expires, err := cleanDate("expires", in.Expires)
	if err != nil {
		return sc.Item{}, err
	}
	if expires != "" && expires < day(s.today()) {
		return sc.Item{}, fail.Field("expires", "invalid.compliance.expired")
	}
	now := s.opts.Now()
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var cur itemRow
		err := tx.NewSelect().Model(&cur).Where("i.partner_id = ? AND i.requirement_id = ?", p.ID, r.ID).Limit(1).Scan(ctx)
		if err == nil && cur.FileID != nil {
			f, err := s.opts.Files.Get(ctx, *cur.FileID)
			if err != nil {
				return err
			}
			n, err := files.ClaimVersion(ctx, tx, v.UserID, in.Upload, f, "upload", now)
			if err != nil {
				return err
			}
			_, err = tx.NewUpdate().Model((*itemRow)(nil)).Set("status = ?", sc.Submitted).Set("version = ?", n).Set("expires_on = ?", expires).
				Set("submitted_by = ?", v.UserID).Set("submitted_at = ?", now).Set("reviewed_by = NULL").Set("reviewed_at = NULL").
				Set("reason = ''").Set("updated_at = ?", now).Where("id = ?", cur.ID).Exec(ctx)
			if err != nil {
				return fmt.Errorf("hand in a new version for item %d: %w", cur.ID, err)
			}
			return nil
		}
		fs, err := files.Claim(ctx, tx, v.UserID, []string{in.Upload}, files.KindEvidence, &p.ID, "upload")
		if err != nil {
			return err
		}
		row := itemRow{RequirementID: r.ID, PartnerID: p.ID, Status: sc.Submitted, FileID: &fs[0].ID, Version: 1, ExpiresOn: expires,
			SubmittedBy: &v.UserID, SubmittedAt: &now, UpdatedAt: now}
		if cur.ID != 0 {
			// The file went (deleted by staff): start a new one.
			_, err = tx.NewUpdate().Model(&row).Column("status", "file_id", "version", "expires_on", "submitted_by", "submitted_at", "updated_at").
				Set("reviewed_by = NULL, reviewed_at = NULL, reason = ''").Where("id = ?", cur.ID).Exec(ctx)
		} else {
			_, err = tx.NewInsert().Model(&row).Exec(ctx)
		}
		if err != nil {
			return fmt.Errorf("store compliance item: %w", err)
		}
		return nil
	})
	if err != nil {
		return sc.Item{}, err
	}
	s.tell(ctx, s.reviewersOf(ctx, p), KindSubmitted, notify.Say("notify.compliance-submitted.title", "Item", r.Name, "Partner", p.Name),
		notify.Say("notify.compliance-submitted.body", "Name", v.Name, "Item", r.Name, "Partner", p.Name), s.link(ctx, p.ID))
	return s.one(ctx, a, p.ID, r.ID)
}

// Review accepts handed-in evidence or rejects it with a reason: staff who
// reach the partner, or its distributor's administrators. Accepting sets
// the expiry: the one given, else the one the evidence states, else the
// requirement's validity counted from today.
func (s *Service) Review(ctx context.Context, v sdk.Viewer, in sc.Review) (sc.Item, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sc.Item{}, err
	}
	var cur itemRow
	if err := s.db.NewSelect().Model(&cur).Where("i.id = ?", in.ItemID).Limit(1).Scan(ctx); err != nil {
		return sc.Item{}, notFound()
	}
	p, err := s.seenPartner(ctx, a, cur.PartnerID)
	if err != nil {
		return sc.Item{}, err
	}
	if !a.reviews(p.ID, p.ParentID) {
		return sc.Item{}, fail.Msg(fail.Forbidden, "invalid.compliance.review-who")
	}
	var r requirementRow
	if err := s.db.NewSelect().Model(&r).Where("r.id = ?", cur.RequirementID).Limit(1).Scan(ctx); err != nil {
		return sc.Item{}, notFound()
	}
	reason, err := cleanText("reason", in.Reason, MaxReason)
	if err != nil {
		return sc.Item{}, err
	}
	expires, err := cleanDate("expires", in.Expires)
	if err != nil {
		return sc.Item{}, err
	}
	if cur.Status != sc.Submitted {
		return sc.Item{}, fail.Msg(fail.Conflict, "invalid.compliance.reviewed")
	}
	status := sc.Accepted
	switch in.Decision {
	case sc.Accept:
		if expires == "" {
			expires = cur.ExpiresOn
		}
		if expires == "" && r.ValidityMonths > 0 {
			expires = day(s.today().AddDate(0, r.ValidityMonths, 0))
		}
		reason = ""
	case sc.Reject:
		status, expires = sc.Rejected, cur.ExpiresOn
		if reason == "" {
			return sc.Item{}, fail.Field("reason", "invalid.compliance.reject-reason")
		}
	default:
		return sc.Item{}, fail.Field("decision", "invalid.compliance.decision")
	}
	now := s.opts.Now()
	res, err := s.db.NewUpdate().Model((*itemRow)(nil)).Set("status = ?", status).Set("expires_on = ?", expires).Set("reviewed_by = ?", v.UserID).
		Set("reviewed_at = ?", now).Set("reason = ?", reason).Set("updated_at = ?", now).
		Where("id = ? AND status = ? AND version = ?", cur.ID, sc.Submitted, cur.Version).Exec(ctx)
	if err != nil {
		return sc.Item{}, fmt.Errorf("review compliance item %d: %w", cur.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return sc.Item{}, fail.Msg(fail.Conflict, "invalid.compliance.new-version")
	}
	if cur.SubmittedBy != nil && *cur.SubmittedBy != v.UserID {
		title, body := notify.Say("notify.compliance-accepted.title", "Item", r.Name), notify.Say("notify.compliance-accepted.body", "Name", v.Name, "Item", r.Name)
		if status == sc.Rejected {
			title = notify.Say("notify.compliance-rejected.title", "Item", r.Name)
			body = notify.Say("notify.compliance-rejected.body", "Name", v.Name, "Item", r.Name, "Reason", reason)
		}
		s.tell(ctx, []int64{*cur.SubmittedBy}, KindReviewed, title, body, s.link(ctx, p.ID))
	}
	return s.one(ctx, a, p.ID, r.ID)
}

// CanSeeEvidence reports whether the viewer may download a piece of
// evidence: whoever sees its partner's items (its own users, its
// distributor's, staff who reach it). A file that is no evidence is not
// theirs.
func (s *Service) CanSeeEvidence(ctx context.Context, v sdk.Viewer, fileID int64) (bool, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return false, err
	}
	n, err := a.rc.Where(s.db.NewSelect().Model((*itemRow)(nil)).Where("i.file_id = ?", fileID), "i.partner_id").Count(ctx)
	if err != nil {
		return false, fmt.Errorf("check access to evidence %d: %w", fileID, err)
	}
	return n > 0, nil
}

// link is the Compliance room's page of a partner's items.
func (s *Service) link(ctx context.Context, partnerID int64) string {
	return strings.TrimRight(s.opts.RoomPath(ctx), "/") + fmt.Sprintf("?partner=%d", partnerID)
}

// adminsOf lists the active administrators of partners.
func (s *Service) adminsOf(ctx context.Context, partnerIDs ...int64) []int64 {
	var ids []int64
	if len(partnerIDs) == 0 {
		return nil
	}
	if err := s.db.NewSelect().Table("users").Column("id").Where("active AND role = ? AND partner_id IN (?)", sdk.RolePartnerAdmin, bun.List(partnerIDs)).
		OrderExpr("id").Scan(ctx, &ids); err != nil {
		s.opts.Log.Warn("compliance: list partner administrators", "err", err)
	}
	return ids
}

// reviewersOf are those told that evidence waits: the partner's manager
// and its distributor's administrators.
func (s *Service) reviewersOf(ctx context.Context, p partnerRow) []int64 {
	var to []int64
	var mgr *int64
	if err := s.db.NewSelect().Table("partners").Column("manager_id").Where("id = ?", p.ID).Scan(ctx, &mgr); err == nil && mgr != nil {
		to = append(to, *mgr)
	}
	if p.ParentID != nil {
		to = append(to, s.adminsOf(ctx, *p.ParentID)...)
	}
	return to
}

// tell notifies people; failures are logged: the change is stored, and
// pages show it.
func (s *Service) tell(ctx context.Context, to []int64, kind string, title, body *notify.Text, link string) {
	if s.opts.Notify == nil || len(to) == 0 {
		return
	}
	ctx = context.WithoutCancel(ctx)
	if err := s.opts.Notify.Notify(ctx, to, notify.Notification{Kind: kind, TitleText: title, BodyText: body, Link: link}); err != nil {
		s.opts.Log.Warn("compliance: notify", "kind", kind, "err", err)
	}
}
