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
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/sdk"
	sc "github.com/atriumhq/atrium/sdk/compliance"
	"github.com/uptrace/bun"
)

// Limits of a share.
const (
	MaxShareTitle = 200
	MaxShareNote  = 2000
)

// shareRow is a stored share.
type shareRow struct {
	bun.BaseModel `bun:"table:resource_shares,alias:s"`

	ID            int64     `bun:"id,pk,autoincrement"`
	DistributorID int64     `bun:"distributor_id"`
	FileID        int64     `bun:"file_id"`
	Title         string    `bun:"title"`
	Note          string    `bun:"note"`
	Everyone      bool      `bun:"everyone"`
	CreatedBy     *int64    `bun:"created_by"`
	CreatedAt     time.Time `bun:"created_at"`
}

type sharePartnerRow struct {
	bun.BaseModel `bun:"table:resource_share_partners"`

	ShareID   int64 `bun:"share_id,pk"`
	PartnerID int64 `bun:"partner_id,pk"`
}

// sharer is the distributor whose administrator the viewer is, when its
// type may have sub-partners; 0 otherwise.
func (s *Service) sharer(ctx context.Context, a access) (int64, error) {
	if a.rc.IsStaff() || a.v.Role != sdk.RolePartnerAdmin || a.v.Partner == nil || !a.rc.CanWrite(a.v.Partner.ID) {
		return 0, nil
	}
	prog, err := program.Load(ctx, s.db)
	if err != nil {
		return 0, err
	}
	if !prog.Networks().IsParentType(a.v.Partner.Type) {
		return 0, nil
	}
	return a.v.Partner.ID, nil
}

// subs lists a distributor's sub-partners, by name.
func (s *Service) subs(ctx context.Context, distributorID int64) ([]sc.SubPartner, error) {
	out := []sc.SubPartner{}
	if err := s.db.NewSelect().Table("partners").Column("id", "name").Where("parent_id = ?", distributorID).OrderExpr("name, id").
		Scan(ctx, &out); err != nil {
		return nil, fmt.Errorf("list sub-partners of %d: %w", distributorID, err)
	}
	return out, nil
}

// CreateShare hands a library resource the distributor may see, or an
// upload, on to all or chosen sub-partners: a distributor's
// administrators only. Naming a partner that is not one of its
// sub-partners is refused like a typo, without saying whose it is.
func (s *Service) CreateShare(ctx context.Context, v sdk.Viewer, in sc.NewShare) (sc.Share, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sc.Share{}, err
	}
	dist, err := s.sharer(ctx, a)
	if err != nil {
		return sc.Share{}, err
	}
	if dist == 0 {
		return sc.Share{}, fail.Msg(fail.Forbidden, "invalid.compliance.share-admins")
	}
	title, err := cleanLine("title", in.Title, MaxShareTitle, "")
	if err != nil {
		return sc.Share{}, err
	}
	note, err := cleanText("note", in.Note, MaxShareNote)
	if err != nil {
		return sc.Share{}, err
	}
	subs, err := s.subs(ctx, dist)
	if err != nil {
		return sc.Share{}, err
	}
	var chosen []int64
	if !in.Everyone {
		for _, id := range in.PartnerIDs {
			if !slices.ContainsFunc(subs, func(p sc.SubPartner) bool { return p.ID == id }) {
				return sc.Share{}, fail.Field("partnerIds", "invalid.compliance.among-subs")
			}
			if !slices.Contains(chosen, id) {
				chosen = append(chosen, id)
			}
		}
		if len(chosen) == 0 {
			return sc.Share{}, fail.Field("partnerIds", "invalid.compliance.share-with")
		}
	}
	if (in.ResourceID == 0) == (strings.TrimSpace(in.Upload) == "") {
		return sc.Share{}, fail.Field("resourceId", "invalid.compliance.resource-or-file")
	}
	now := s.opts.Now()
	row := shareRow{DistributorID: dist, Title: title, Note: note, Everyone: in.Everyone, CreatedBy: &v.UserID, CreatedAt: now}
	if in.ResourceID != 0 {
		if s.opts.Resources == nil {
			return sc.Share{}, fail.Msg(fail.NotFound, "invalid.resource.none")
		}
		fileID, rt, err := s.opts.Resources.SharableResource(ctx, v, in.ResourceID)
		if err != nil {
			return sc.Share{}, err
		}
		row.FileID = fileID
		if row.Title == "" {
			row.Title = rt
		}
	} else if s.opts.Files == nil {
		return sc.Share{}, fail.Msg(fail.Forbidden, "invalid.no-uploads")
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if row.FileID == 0 {
			fs, err := files.Claim(ctx, tx, v.UserID, []string{in.Upload}, files.KindShare, &dist, "upload")
			if err != nil {
				return err
			}
			row.FileID = fs[0].ID
			if row.Title == "" {
				row.Title = fs[0].Name
			}
		}
		if _, err := tx.NewInsert().Model(&row).Exec(ctx); err != nil {
			return fmt.Errorf("store share: %w", err)
		}
		for _, id := range chosen {
			if _, err := tx.NewInsert().Model(&sharePartnerRow{ShareID: row.ID, PartnerID: id}).Exec(ctx); err != nil {
				return fmt.Errorf("store share recipient: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return sc.Share{}, err
	}
	targets := chosen
	if in.Everyone {
		for _, p := range subs {
			targets = append(targets, p.ID)
		}
	}
	s.tell(ctx, s.usersOf(ctx, targets), KindShared, notify.Say("notify.resource-shared.title", "Partner", v.Partner.Name, "Title", row.Title),
		notify.Say("notify.resource-shared.body", "Partner", v.Partner.Name, "Title", row.Title), s.opts.ResourcesPath(ctx))
	shares, err := s.shares(ctx, func(q *bun.SelectQuery) *bun.SelectQuery { return q.Where("s.id = ?", row.ID) })
	if err != nil || len(shares) == 0 {
		return sc.Share{}, err
	}
	return shares[0], nil
}

// usersOf lists the active users of partners.
func (s *Service) usersOf(ctx context.Context, partnerIDs []int64) []int64 {
	if len(partnerIDs) == 0 {
		return nil
	}
	var ids []int64
	if err := s.db.NewSelect().Table("users").Column("id").Where("active AND partner_id IN (?)", bun.List(partnerIDs)).Scan(ctx, &ids); err != nil {
		s.opts.Log.Warn("compliance: list partner users", "err", err)
	}
	return ids
}

// shares loads shares chosen by filter (alias s), newest first, with their
// recipients (sub-partners still under the distributor) and downloads since
// each was shared.
func (s *Service) shares(ctx context.Context, filter func(*bun.SelectQuery) *bun.SelectQuery) ([]sc.Share, error) {
	var rows []struct {
		shareRow `bun:",extend"`
		DistName string `bun:"dist_name"`
		FileName string `bun:"file_name"`
		FileKind string `bun:"file_kind"`
	}
	q := s.db.NewSelect().Model(&rows).ColumnExpr("s.*").ColumnExpr("d.name AS dist_name, f.name AS file_name, f.kind AS file_kind").
		Join("JOIN partners AS d ON d.id = s.distributor_id").Join("JOIN files AS f ON f.id = s.file_id")
	if err := filter(q).OrderExpr("s.created_at DESC, s.id DESC").Limit(200).Scan(ctx); err != nil {
		return nil, fmt.Errorf("load shares: %w", err)
	}
	out := make([]sc.Share, 0, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids, dists, fileIDs := []int64{}, []int64{}, []int64{}
	since := rows[0].CreatedAt
	for _, r := range rows {
		ids, dists, fileIDs = append(ids, r.ID), append(dists, r.DistributorID), append(fileIDs, r.FileID)
		if r.CreatedAt.Before(since) {
			since = r.CreatedAt
		}
	}
	var subs []struct {
		ID       int64  `bun:"id"`
		Name     string `bun:"name"`
		ParentID int64  `bun:"parent_id"`
	}
	if err := s.db.NewSelect().Table("partners").Column("id", "name", "parent_id").Where("parent_id IN (?)", bun.List(dists)).
		OrderExpr("name, id").Scan(ctx, &subs); err != nil {
		return nil, fmt.Errorf("load shares: sub-partners: %w", err)
	}
	var chosen []sharePartnerRow
	if err := s.db.NewSelect().Model(&chosen).Where("share_id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("load shares: recipients: %w", err)
	}
	picked := map[[2]int64]bool{}
	for _, c := range chosen {
		picked[[2]int64{c.ShareID, c.PartnerID}] = true
	}
	var hits []struct {
		FileID    int64 `bun:"file_id"`
		PartnerID int64 `bun:"partner_id"`
		AtMS      int64 `bun:"at_ms"`
	}
	if err := s.db.NewSelect().Table("file_accesses").Column("file_id", "partner_id", "at_ms").
		Where("action = 'download' AND file_id IN (?) AND at_ms >= ?", bun.List(fileIDs), since.UnixMilli()).
		Where("partner_id IN (SELECT id FROM partners WHERE parent_id IN (?))", bun.List(dists)).Scan(ctx, &hits); err != nil {
		return nil, fmt.Errorf("load shares: downloads: %w", err)
	}
	for _, r := range rows {
		sh := sc.Share{ID: r.ID, DistributorID: r.DistributorID, DistributorName: r.DistName, FileID: r.FileID, FileName: r.FileName,
			URL: fmt.Sprintf("/files/%d/download", r.FileID), Title: r.Title, Note: r.Note, FromLibrary: r.FileKind == string(files.KindResource),
			Everyone: r.Everyone, CreatedAt: r.CreatedAt, Recipients: []sc.Recipient{}}
		for _, p := range subs {
			if p.ParentID != r.DistributorID || (!r.Everyone && !picked[[2]int64{r.ID, p.ID}]) {
				continue
			}
			rec := sc.Recipient{PartnerID: p.ID, Name: p.Name}
			for _, h := range hits {
				if h.FileID == r.FileID && h.PartnerID == p.ID && h.AtMS >= r.CreatedAt.UnixMilli() {
					rec.Downloads++
					at := time.UnixMilli(h.AtMS).UTC()
					if rec.LastAt == nil || at.After(*rec.LastAt) {
						rec.LastAt = &at
					}
				}
			}
			sh.Downloads += rec.Downloads
			sh.Recipients = append(sh.Recipients, rec)
		}
		out = append(out, sh)
	}
	return out, nil
}

// Shares returns the shares the viewer sees with their downloads: a
// distributor's users their own distributor's; staff those of the
// distributors they reach; a sub-partner none (it sees what is shared with
// it through [Service.Shared]). The board lists the sub-partners to share
// with when the viewer may share.
func (s *Service) Shares(ctx context.Context, v sdk.Viewer) (sc.ShareBoard, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return sc.ShareBoard{}, err
	}
	board := sc.ShareBoard{Shares: []sc.Share{}, SubPartners: []sc.SubPartner{}}
	var filter func(*bun.SelectQuery) *bun.SelectQuery
	switch {
	case a.rc.IsStaff():
		filter = func(q *bun.SelectQuery) *bun.SelectQuery { return a.rc.Where(q, "s.distributor_id") }
	case v.Partner != nil && a.rc.CanWrite(v.Partner.ID):
		own := v.Partner.ID
		filter = func(q *bun.SelectQuery) *bun.SelectQuery { return q.Where("s.distributor_id = ?", own) }
	default:
		return board, nil
	}
	if board.Shares, err = s.shares(ctx, filter); err != nil {
		return sc.ShareBoard{}, err
	}
	dist, err := s.sharer(ctx, a)
	if err != nil {
		return sc.ShareBoard{}, err
	}
	if dist != 0 {
		board.CanShare = true
		if board.SubPartners, err = s.subs(ctx, dist); err != nil {
			return sc.ShareBoard{}, err
		}
	}
	return board, nil
}

// Share returns one share the viewer sees, or NotFound.
func (s *Service) Share(ctx context.Context, v sdk.Viewer, id int64) (sc.Share, error) {
	board, err := s.Shares(ctx, v)
	if err != nil {
		return sc.Share{}, err
	}
	for _, sh := range board.Shares {
		if sh.ID == id {
			return sh, nil
		}
	}
	// Not among the newest 200: read it alone, with the same rule.
	a, err := s.access(ctx, v)
	if err != nil {
		return sc.Share{}, err
	}
	if !a.rc.IsStaff() && (v.Partner == nil || !a.rc.CanWrite(v.Partner.ID)) {
		return sc.Share{}, fail.Msg(fail.NotFound, "invalid.compliance.no-share")
	}
	got, err := s.shares(ctx, func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("s.id = ?", id)
		if a.rc.IsStaff() {
			return a.rc.Where(q, "s.distributor_id")
		}
		return q.Where("s.distributor_id = ?", v.Partner.ID)
	})
	if err != nil {
		return sc.Share{}, err
	}
	if len(got) == 0 {
		return sc.Share{}, fail.Msg(fail.NotFound, "invalid.compliance.no-share")
	}
	return got[0], nil
}

// DeleteShare stops a share: the distributor's administrators, or staff
// who reach the distributor. A distributor's own upload goes with it when
// no other share uses it.
func (s *Service) DeleteShare(ctx context.Context, v sdk.Viewer, id int64) error {
	a, err := s.access(ctx, v)
	if err != nil {
		return err
	}
	var row shareRow
	if err := s.db.NewSelect().Model(&row).Where("s.id = ?", id).Limit(1).Scan(ctx); err != nil {
		return fail.Msg(fail.NotFound, "invalid.compliance.no-share")
	}
	seen := a.rc.IsStaff() && a.rc.CanRead(row.DistributorID) || !a.rc.IsStaff() && a.rc.CanWrite(row.DistributorID)
	if !seen {
		return fail.Msg(fail.NotFound, "invalid.compliance.no-share")
	}
	dist, err := s.sharer(ctx, a)
	if err != nil {
		return err
	}
	if !a.rc.Manages(row.DistributorID) && dist != row.DistributorID {
		return fail.Msg(fail.Forbidden, "invalid.compliance.stop-share")
	}
	if _, err := s.db.NewDelete().Model((*shareRow)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("delete share %d: %w", id, err)
	}
	if s.opts.Files != nil {
		f, err := s.opts.Files.Get(ctx, row.FileID)
		if err == nil && f.Kind == files.KindShare {
			if n, _ := s.db.NewSelect().Model((*shareRow)(nil)).Where("file_id = ?", row.FileID).Count(ctx); n == 0 {
				return s.opts.Files.Delete(ctx, row.FileID)
			}
		}
	}
	return nil
}

// sharedWith narrows shares (alias s) to those meant for partner, whose
// parent is still their distributor.
func sharedWith(q *bun.SelectQuery, partnerID int64) *bun.SelectQuery {
	return q.Where("s.distributor_id = (SELECT pp.parent_id FROM partners AS pp WHERE pp.id = ?)", partnerID).
		Where("(s.everyone OR EXISTS (SELECT 1 FROM resource_share_partners AS sp WHERE sp.share_id = s.id AND sp.partner_id = ?))", partnerID)
}

// Shared lists what the viewer's distributor shares with the viewer's
// partner, newest first: a partner's active users only.
func (s *Service) Shared(ctx context.Context, v sdk.Viewer) ([]sc.Shared, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return nil, err
	}
	out := []sc.Shared{}
	if a.rc.IsStaff() || v.Partner == nil || !a.rc.CanWrite(v.Partner.ID) {
		return out, nil
	}
	var rows []struct {
		shareRow `bun:",extend"`
		DistName string `bun:"dist_name"`
		FileName string `bun:"file_name"`
	}
	q := s.db.NewSelect().Model(&rows).ColumnExpr("s.*").ColumnExpr("d.name AS dist_name, f.name AS file_name").
		Join("JOIN partners AS d ON d.id = s.distributor_id").Join("JOIN files AS f ON f.id = s.file_id AND f.archived_ms IS NULL")
	if err := sharedWith(q, v.Partner.ID).OrderExpr("s.created_at DESC, s.id DESC").Limit(100).Scan(ctx); err != nil {
		return nil, fmt.Errorf("list what is shared with partner %d: %w", v.Partner.ID, err)
	}
	for _, r := range rows {
		out = append(out, sc.Shared{ID: r.ID, Title: r.Title, Note: r.Note, From: r.DistName, FileID: r.FileID, FileName: r.FileName,
			URL: fmt.Sprintf("/files/%d/download", r.FileID), SharedAt: r.CreatedAt})
	}
	return out, nil
}

// CanSeeShared reports whether a distributor shared a file with the
// viewer's partner.
func (s *Service) CanSeeShared(ctx context.Context, v sdk.Viewer, fileID int64) (bool, error) {
	a, err := s.access(ctx, v)
	if err != nil {
		return false, err
	}
	if a.rc.IsStaff() || v.Partner == nil || !a.rc.CanWrite(v.Partner.ID) {
		return false, nil
	}
	n, err := sharedWith(s.db.NewSelect().Model((*shareRow)(nil)).Where("s.file_id = ?", fileID), v.Partner.ID).Count(ctx)
	if err != nil {
		return false, fmt.Errorf("check a share of file %d: %w", fileID, err)
	}
	return n > 0, nil
}
