// Package files keeps the portal's uploaded files: their versions, who may
// see them, who downloaded which version, and the comments on them. The bytes
// go to the object store (core/blob) as they arrive; nothing is buffered
// whole and nothing half-written is ever recorded.
//
// One access rule covers every kind of file. A file in a partner's shared
// space (PartnerID set) is seen by that partner's users, the partner's
// manager and admins. Any other file is seen by staff and by partners its
// audience admits, unless archived; a media file (a picture or video
// uploaded for image and video blocks) additionally only by partners who can
// see a block that shows it, in a room they can see.
package files

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/atriumhq/atrium/core/blob"
	"github.com/atriumhq/atrium/core/engagement"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/sdk"
	"github.com/uptrace/bun"
)

// Kind says what a file is for.
type Kind string

// The kinds of file.
const (
	KindResource Kind = "resource" // a document of the Resources library
	KindBrand    Kind = "brand"    // a brand asset
	KindShared   Kind = "shared"   // a file in a partner's shared space
	KindMedia    Kind = "media"    // an image or video shown by a block
	// KindMessage is an attachment of a message: only those who may see
	// its conversation download it, and it is never listed in a space.
	KindMessage Kind = "message"
	// KindDeliverable is a file handed over on a project (core/projects):
	// only those who may see the project download it; new versions go
	// back to review.
	KindDeliverable Kind = "deliverable"
	// KindEvidence is a partner's evidence for a compliance requirement
	// (core/compliance): only its partner's users and its reviewers
	// download it; new versions go back to review.
	KindEvidence Kind = "evidence"
	// KindShare is a distributor's own upload handed on to its
	// sub-partners (core/compliance shares): the distributor's users and
	// the sub-partners it is shared with download it.
	KindShare Kind = "share"
	// KindStaged is a file uploaded with a form and not yet claimed by
	// what the form made (a message): nobody downloads it, and it is
	// deleted when left unclaimed (see [Service.SweepStaged]).
	KindStaged Kind = "staged"
)

// File is one file and the facts of its latest version.
type File struct {
	bun.BaseModel `bun:"table:files"`

	ID         int64        `bun:"id,pk,autoincrement" json:"id"`
	Kind       Kind         `bun:"kind" json:"kind"`
	PartnerID  *int64       `bun:"partner_id" json:"partnerId,omitempty"`
	Folder     string       `bun:"folder" json:"folder,omitempty"`
	Name       string       `bun:"name" json:"name"`
	Audience   sdk.Audience `bun:"audience,type:text" json:"audience"`
	Latest     int          `bun:"latest" json:"latest"`
	Downloads  int64        `bun:"downloads" json:"downloads"`
	CreatedBy  *int64       `bun:"created_by" json:"createdBy,omitempty"`
	CreatedMS  int64        `bun:"created_ms" json:"-"`
	UpdatedMS  int64        `bun:"updated_ms" json:"-"`
	ArchivedMS *int64       `bun:"archived_ms" json:"-"`
}

// Versioned reports whether new versions may be added to the file: not to
// a message's attachment (what was sent stays as sent) or a staged upload,
// and not to a deliverable by the file pages (its versions come through
// core/projects, which sends each one back to review).
func (f File) Versioned() bool {
	return f.Kind != KindMessage && f.Kind != KindStaged && f.Kind != KindDeliverable && f.Kind != KindEvidence
}

// Archived reports whether the file is archived (hidden from partners).
func (f File) Archived() bool { return f.ArchivedMS != nil }

// Updated is when the latest version arrived.
func (f File) Updated() time.Time { return time.UnixMilli(f.UpdatedMS) }

// Version is one uploaded version of a file.
type Version struct {
	bun.BaseModel `bun:"table:file_versions"`

	FileID      int64  `bun:"file_id,pk" json:"fileId"`
	Number      int    `bun:"number,pk" json:"number"`
	BlobKey     string `bun:"blob_key" json:"-"`
	Name        string `bun:"name" json:"name"`
	ContentType string `bun:"content_type" json:"contentType"`
	Size        int64  `bun:"size" json:"size"`
	SHA256      string `bun:"sha256" json:"sha256"`
	UploadedBy  *int64 `bun:"uploaded_by" json:"uploadedBy,omitempty"`
	CreatedMS   int64  `bun:"created_ms" json:"-"`
}

// Created is when the version was uploaded.
func (v Version) Created() time.Time { return time.UnixMilli(v.CreatedMS) }

// Access is one view or download of a file.
type Access struct {
	bun.BaseModel `bun:"table:file_accesses"`

	ID        int64  `bun:"id,pk,autoincrement" json:"id"`
	FileID    int64  `bun:"file_id" json:"fileId"`
	Version   int    `bun:"version" json:"version"`
	UserID    int64  `bun:"user_id" json:"userId"`
	PartnerID *int64 `bun:"partner_id" json:"partnerId,omitempty"`
	Action    string `bun:"action" json:"action"`
	AtMS      int64  `bun:"at_ms" json:"-"`
}

// At is when the access happened.
func (a Access) At() time.Time { return time.UnixMilli(a.AtMS) }

// Comment is a note on a file.
type Comment struct {
	bun.BaseModel `bun:"table:file_comments"`

	ID        int64  `bun:"id,pk,autoincrement" json:"id"`
	FileID    int64  `bun:"file_id" json:"fileId"`
	UserID    int64  `bun:"user_id" json:"userId"`
	Body      string `bun:"body" json:"body"`
	CreatedMS int64  `bun:"created_ms" json:"-"`
}

// Notice tells one person that a file they downloaded has a newer version.
type Notice struct {
	bun.BaseModel `bun:"table:file_notices"`

	UserID    int64  `bun:"user_id,pk" json:"userId"`
	FileID    int64  `bun:"file_id,pk" json:"fileId"`
	Version   int    `bun:"version" json:"version"`
	CreatedMS int64  `bun:"created_ms" json:"-"`
	SeenMS    *int64 `bun:"seen_ms" json:"-"`
}

// Notifier hears that people who downloaded an older version of a file
// should learn of the newer one. The notice rows are stored either way (see
// [Service.Notices]); a notification centre plugs in here to tell them at once.
type Notifier interface {
	NewerVersion(ctx context.Context, f File, version int, userIDs []int64) error
}

// Recorder takes engagement events (core/engagement.Recorder is one).
type Recorder interface {
	Record(engagement.Event)
}

type nopNotifier struct{}

func (nopNotifier) NewerVersion(context.Context, File, int, []int64) error { return nil }

type nopRecorder struct{}

func (nopRecorder) Record(engagement.Event) {}

// Options tune a [Service].
type Options struct {
	// MaxSize is the largest upload accepted, in bytes, read on every upload
	// so a program setting takes effect at once. Nil or a result <= 0 means
	// [DefaultMaxSize].
	MaxSize func(ctx context.Context) int64
	// Notifier and Recorder default to doing nothing.
	Notifier Notifier
	Recorder Recorder
	Now      func() time.Time
}

// DefaultMaxSize is the upload limit when the program sets none.
const DefaultMaxSize = 200 << 20

// Service stores and serves files.
type Service struct {
	db    *bun.DB
	blobs *blob.Store
	opts  Options
}

// New returns a service over db and the object store.
func New(db *bun.DB, blobs *blob.Store, opts Options) *Service {
	if opts.Notifier == nil {
		opts.Notifier = nopNotifier{}
	}
	if opts.Recorder == nil {
		opts.Recorder = nopRecorder{}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Service{db: db, blobs: blobs, opts: opts}
}

// SetNotifier plugs in the notification centre once it exists.
func (s *Service) SetNotifier(n Notifier) { s.opts.Notifier = n }

// MaxSize is the upload limit in force.
func (s *Service) MaxSize(ctx context.Context) int64 { return s.maxSize(ctx) }

// Delete removes a file, its versions and their bytes (used to undo an
// upload whose resource could not be recorded).
func (s *Service) Delete(ctx context.Context, id int64) error {
	keys, err := s.unrecord(ctx, id)
	if err != nil {
		return err
	}
	for _, k := range keys {
		s.discard(k)
	}
	return nil
}

// unrecord drops a file's rows and lists the keys of its bytes, in one
// transaction: a crash before the bytes are gone leaves them to the sweep
// (see pending.go).
func (s *Service) unrecord(ctx context.Context, id int64) ([]string, error) {
	vs, err := s.Versions(ctx, id)
	if err != nil {
		return nil, err
	}
	keys := make([]string, len(vs))
	for i, v := range vs {
		keys[i] = v.BlobKey
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Table("files").Where("id = ?", id).Exec(ctx); err != nil {
			return err
		}
		return s.listPending(ctx, tx, keys...)
	})
	if err != nil {
		return nil, fmt.Errorf("delete file %d: %w", id, err)
	}
	return keys, nil
}

func (s *Service) maxSize(ctx context.Context) int64 {
	if s.opts.MaxSize != nil {
		if n := s.opts.MaxSize(ctx); n > 0 {
			return n
		}
	}
	return DefaultMaxSize
}

// Get returns a file by id, without any access check: callers check with
// [CanSee] before showing it.
func (s *Service) Get(ctx context.Context, id int64) (File, error) {
	var f File
	err := s.db.NewSelect().Model(&f).Where("id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return File{}, fail.Msg(fail.NotFound, "invalid.file.none")
	}
	if err != nil {
		return File{}, fmt.Errorf("get file %d: %w", id, err)
	}
	return f, nil
}

// Version returns version n of a file (0 means the latest).
func (s *Service) Version(ctx context.Context, f File, n int) (Version, error) {
	if n == 0 {
		n = f.Latest
	}
	var v Version
	err := s.db.NewSelect().Model(&v).Where("file_id = ? AND number = ?", f.ID, n).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return Version{}, fail.Msg(fail.NotFound, "invalid.file.no-version")
	}
	if err != nil {
		return Version{}, fmt.Errorf("get version %d of file %d: %w", n, f.ID, err)
	}
	return v, nil
}

// Versions lists a file's versions, newest first.
func (s *Service) Versions(ctx context.Context, fileID int64) ([]Version, error) {
	var vs []Version
	err := s.db.NewSelect().Model(&vs).Where("file_id = ?", fileID).Order("number DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list versions of file %d: %w", fileID, err)
	}
	return vs, nil
}

// Accesses lists who viewed or downloaded a file, newest first.
func (s *Service) Accesses(ctx context.Context, fileID int64, limit int) ([]Access, error) {
	var as []Access
	err := s.db.NewSelect().Model(&as).Where("file_id = ?", fileID).Order("at_ms DESC", "id DESC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list accesses of file %d: %w", fileID, err)
	}
	return as, nil
}

// Notices lists the unseen "newer version available" notices of a user.
func (s *Service) Notices(ctx context.Context, userID int64) ([]Notice, error) {
	var ns []Notice
	err := s.db.NewSelect().Model(&ns).Where("user_id = ? AND seen_ms IS NULL", userID).Order("created_ms DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list file notices: %w", err)
	}
	return ns, nil
}

// Comment adds a comment to a file.
func (s *Service) Comment(ctx context.Context, fileID, userID int64, body string) (Comment, error) {
	if len(body) == 0 || len(body) > 5000 {
		return Comment{}, fail.Field("body", "invalid.chars-1-5000")
	}
	c := Comment{FileID: fileID, UserID: userID, Body: body, CreatedMS: s.opts.Now().UnixMilli()}
	if _, err := s.db.NewInsert().Model(&c).Returning("id").Exec(ctx); err != nil {
		return Comment{}, fmt.Errorf("add comment: %w", err)
	}
	return c, nil
}

// Comments lists a file's comments, oldest first.
func (s *Service) Comments(ctx context.Context, fileID int64) ([]Comment, error) {
	var cs []Comment
	if err := s.db.NewSelect().Model(&cs).Where("file_id = ?", fileID).Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list comments: %w", err)
	}
	return cs, nil
}

// Archive hides a file from partners (archived files are kept, not deleted).
func (s *Service) Archive(ctx context.Context, id int64, archived bool) error {
	var at any
	if archived {
		at = s.opts.Now().UnixMilli()
	}
	_, err := s.db.NewUpdate().Table("files").Set("archived_ms = ?", at).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("archive file %d: %w", id, err)
	}
	return nil
}

func marshalMeta(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// SpaceFile is a file of a shared space with its latest size and comment count.
type SpaceFile struct {
	File     `bun:",extend"`
	Size     int64 `bun:"size"`
	Comments int   `bun:"comments"`
}

// SpaceFiles lists a partner's shared files, newest first.
func (s *Service) SpaceFiles(ctx context.Context, partnerID int64) ([]SpaceFile, error) {
	var out []SpaceFile
	err := s.db.NewSelect().Model(&out).
		ColumnExpr("f.*").
		ColumnExpr("v.size").
		ColumnExpr("(SELECT COUNT(*) FROM file_comments AS c WHERE c.file_id = f.id) AS comments").
		ModelTableExpr("files AS f").
		Join("JOIN file_versions AS v ON v.file_id = f.id AND v.number = f.latest").
		Where("f.partner_id = ? AND f.kind = ? AND f.archived_ms IS NULL", partnerID, KindShared).
		Order("f.updated_ms DESC", "f.id DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list shared files of partner %d: %w", partnerID, err)
	}
	return out, nil
}
