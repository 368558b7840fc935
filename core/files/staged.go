package files

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/uptrace/bun"
)

// StagedTTL is how long an uploaded file waits to be claimed.
const StagedTTL = 24 * time.Hour

// MaxStaged is how many staged files one person may have waiting: enough
// for several messages' attachments, not for filling the store.
const MaxStaged = 50

// Stage stores a file that arrived with a form (a file field of a block's
// form), with every check of an upload, and returns its token: the form's
// action passes the token to the host call that uses the file, which
// claims it with [Claim]. Only its uploader can claim it.
func (s *Service) Stage(ctx context.Context, by int64, up Upload) (string, File, error) {
	waiting, err := s.db.NewSelect().Table("files").Where("kind = ? AND created_by = ?", KindStaged, by).Count(ctx)
	if err != nil {
		return "", File{}, fmt.Errorf("count staged files: %w", err)
	}
	if waiting >= MaxStaged {
		return "", File{}, fail.Msg(fail.TooMany, "invalid.file.too-many-waiting", "Count", waiting)
	}
	f, _, err := s.Create(ctx, NewFile{Kind: KindStaged, By: by}, up)
	if err != nil {
		return "", File{}, err
	}
	return strconv.FormatInt(f.ID, 10), f, nil
}

// Claim turns tokens from [Service.Stage] into files of kind (belonging to
// partnerID) inside tx. Tokens that are not by's staged files, or were
// claimed already, fail with a field error on field: the form is shown
// again and nothing is lost.
func Claim(ctx context.Context, tx bun.IDB, by int64, tokens []string, kind Kind, partnerID *int64, field string) ([]File, error) {
	if len(tokens) == 0 {
		return nil, nil
	}
	gone := fail.Field(field, "invalid.file.attached-gone")
	ids := make([]int64, 0, len(tokens))
	for _, t := range tokens {
		id, err := strconv.ParseInt(strings.TrimSpace(t), 10, 64)
		if err != nil || id <= 0 {
			return nil, gone
		}
		ids = append(ids, id)
	}
	res, err := tx.NewUpdate().Table("files").Set("kind = ?", kind).Set("partner_id = ?", partnerID).
		Where("id IN (?)", bun.List(ids)).Where("kind = ? AND created_by = ?", KindStaged, by).Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("claim uploaded files: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || int(n) != len(uniq(ids)) {
		return nil, gone // the transaction rolls the partial claim back
	}
	var out []File
	if err := tx.NewSelect().Model(&out).Where("id IN (?)", bun.List(ids)).OrderExpr("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("load claimed files: %w", err)
	}
	return out, nil
}

func uniq(ids []int64) map[int64]bool {
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// DropStaged deletes a staged file that nothing claimed (a form's action
// that did not use it), and leaves alone one that was claimed meanwhile.
func (s *Service) DropStaged(ctx context.Context, id int64) error {
	n, err := s.db.NewSelect().Table("files").Where("id = ? AND kind = ?", id, KindStaged).Count(ctx)
	if err != nil || n == 0 {
		return err
	}
	return s.Delete(ctx, id)
}

// SweepStaged deletes staged files older than StagedTTL (their blobs
// too), and says how many.
func (s *Service) SweepStaged(ctx context.Context) (int, error) {
	var ids []int64
	before := s.opts.Now().Add(-StagedTTL).UnixMilli()
	if err := s.db.NewSelect().Table("files").Column("id").Where("kind = ? AND created_ms < ?", KindStaged, before).
		Limit(1000).Scan(ctx, &ids); err != nil {
		return 0, fmt.Errorf("list staged files: %w", err)
	}
	for _, id := range ids {
		if err := s.Delete(ctx, id); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// ClaimVersion turns the staged upload token into the next version of f
// inside tx: the staged file's bytes become f's latest version and the
// staged record goes. A token that is not by's staged file fails with a
// field error on field. It returns the new version's number.
func ClaimVersion(ctx context.Context, tx bun.IDB, by int64, token string, f File, field string, now time.Time) (int, error) {
	gone := fail.Field(field, "invalid.file.uploaded-gone")
	id, err := strconv.ParseInt(strings.TrimSpace(token), 10, 64)
	if err != nil || id <= 0 || id == f.ID {
		return 0, gone
	}
	var staged File
	if err := tx.NewSelect().Model(&staged).Where("id = ? AND kind = ? AND created_by = ?", id, KindStaged, by).Limit(1).Scan(ctx); err != nil {
		return 0, gone
	}
	var number int
	// Bump first: the row lock orders concurrent versions of one file.
	if err := tx.NewUpdate().Table("files").Set("latest = latest + 1").Set("updated_ms = ?", now.UnixMilli()).Set("name = ?", staged.Name).
		Where("id = ?", f.ID).Returning("latest").Scan(ctx, &number); err != nil {
		return 0, fmt.Errorf("add a version to file %d: %w", f.ID, err)
	}
	if _, err := tx.NewUpdate().Table("file_versions").Set("file_id = ?", f.ID).Set("number = ?", number).
		Set("created_ms = ?", now.UnixMilli()).Where("file_id = ? AND number = 1", staged.ID).Exec(ctx); err != nil {
		return 0, fmt.Errorf("move the uploaded version to file %d: %w", f.ID, err)
	}
	if _, err := tx.NewDelete().Table("files").Where("id = ?", staged.ID).Exec(ctx); err != nil {
		return 0, fmt.Errorf("drop the staged file %d: %w", staged.ID, err)
	}
	return number, nil
}
