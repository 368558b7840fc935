package files

import (
	"context"
	"fmt"
	"github.com/atriumhq/atrium/core/reach"
	"io"
	"mime"
	"net/http"
	"os"
	"strings"

	"github.com/atriumhq/atrium/core/audience"
	"github.com/atriumhq/atrium/core/engagement"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/principal"
	"github.com/atriumhq/atrium/core/program"
)

// Viewer is who asks for a file.
type Viewer struct {
	P       *principal.Principal
	Program program.Program
	// Reach says which partners' shared spaces staff reach; nil reaches
	// none.
	Reach *reach.Resolver
	// Shows reports whether a block the viewer can see (in a room they can
	// see) shows the media file, for the media rule. Nil shows nothing.
	Shows func(ctx context.Context, p *principal.Principal, fileID int64) bool
	// Converses reports whether the viewer may see the conversation a
	// message attachment belongs to. Nil shows no attachment.
	Converses func(ctx context.Context, p *principal.Principal, fileID int64) (bool, error)
	// Delivers reports whether the viewer may see the project a
	// deliverable belongs to. Nil shows no deliverable.
	Delivers func(ctx context.Context, p *principal.Principal, fileID int64) (bool, error)
	// Evidences reports whether the viewer may see the compliance item a
	// piece of evidence belongs to. Nil shows no evidence.
	Evidences func(ctx context.Context, p *principal.Principal, fileID int64) (bool, error)
	// Shared reports whether a distributor shared the file (a library
	// resource or its own upload) with the viewer's partner. Nil shares
	// nothing.
	Shared func(ctx context.Context, p *principal.Principal, fileID int64) (bool, error)
}

// CanSee reports whether v may see f. Not seeing a file and its not existing
// look the same to callers: both answer 404.
func (v Viewer) CanSee(ctx context.Context, f File) (bool, error) {
	p := v.P
	if p == nil {
		return false, nil
	}
	if f.Kind == KindStaged {
		return false, nil // nobody's until claimed
	}
	if f.Kind == KindMessage {
		// Whoever may see the thread, and nobody else: not every user of
		// the partner, not every staff member reaching it.
		if v.Converses == nil {
			return false, nil
		}
		return v.Converses(ctx, p, f.ID)
	}
	if f.Kind == KindDeliverable {
		// Whoever may see the project: a project stays between its
		// partner and the vendor, so a distributor's people do not
		// download its sub-partners' deliverables.
		if v.Delivers == nil {
			return false, nil
		}
		return v.Delivers(ctx, p, f.ID)
	}
	if f.Kind == KindEvidence {
		// The partner's users and its reviewers (staff who reach it, its
		// distributor's admins): not every user of the distributor.
		if v.Evidences == nil {
			return false, nil
		}
		return v.Evidences(ctx, p, f.ID)
	}
	ok, err := v.canSee(ctx, f)
	if ok || err != nil || p.Staff() || p.Partner == nil || f.Archived() || v.Shared == nil {
		return ok, err
	}
	if f.Kind == KindShare || f.Kind == KindResource {
		// Handed on by the viewer's distributor.
		return v.Shared(ctx, p, f.ID)
	}
	return false, nil
}

// canSee is the rule for files of the library, the brand kit, shared
// spaces and media, before any share.
func (v Viewer) canSee(ctx context.Context, f File) (bool, error) {
	p := v.P
	if f.PartnerID != nil {
		switch {
		case p.IsAdmin():
			return true, nil
		case p.Staff():
			if v.Reach == nil {
				return false, nil
			}
			rc, err := v.Reach.For(ctx, p.Viewer())
			return err == nil && rc.CanRead(*f.PartnerID), err
		default:
			return p.Partner != nil && p.Partner.ID == *f.PartnerID, nil
		}
	}
	if p.Staff() {
		return true, nil
	}
	if f.Archived() || p.Partner == nil {
		return false, nil
	}
	if f.Kind == KindMedia && (v.Shows == nil || !v.Shows(ctx, p, f.ID)) {
		// A picture or video uploaded for blocks has no room of its own:
		// a partner sees it through a block that shows it, or not at all.
		return false, nil
	}
	return audience.Admits(f.Audience, p.Viewer(), v.Program), nil
}

// CanSeeOlder reports whether v may download versions other than the
// latest: staff everywhere, and a partner's own users in its shared space.
func (v Viewer) CanSeeOlder(ctx context.Context, f File) (bool, error) {
	ok, err := v.CanSee(ctx, f)
	if !ok || err != nil {
		return false, err
	}
	return v.P.Staff() || f.PartnerID != nil, nil
}

// Visible returns file id if v may see it, else a not-found error.
func (s *Service) Visible(ctx context.Context, v Viewer, id int64) (File, error) {
	f, err := s.Get(ctx, id)
	if err != nil {
		return File{}, err
	}
	ok, err := v.CanSee(ctx, f)
	if err != nil {
		return File{}, err
	}
	if !ok {
		return File{}, fail.Msg(fail.NotFound, "invalid.file.none")
	}
	return f, nil
}

// SecurityHeaders are set on every file response: the browser must take the
// declared type as is, and should it ever render the bytes as a document,
// they run sandboxed with nothing allowed.
func SecurityHeaders(h http.Header) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; plugin-types application/pdf; sandbox")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Referrer-Policy", "no-referrer")
}

// Serve answers a download of version n (0: the latest) of file id, checking
// v's access on this request, honouring Range, and recording the download.
// inline asks for display in the page; only images, video and PDF get it.
func (s *Service) Serve(w http.ResponseWriter, r *http.Request, v Viewer, id int64, n int, inline bool) error {
	ctx := r.Context()
	f, err := s.Visible(ctx, v, id)
	if err != nil {
		return err
	}
	if n != 0 && n != f.Latest {
		ok, err := v.CanSeeOlder(ctx, f)
		if err != nil {
			return err
		}
		if !ok {
			return fail.Msg(fail.NotFound, "invalid.file.no-version")
		}
	}
	ver, err := s.Version(ctx, f, n)
	if err != nil {
		return err
	}
	rd, err := s.blobs.Open(ctx, ver.BlobKey)
	if err != nil {
		return fmt.Errorf("open file %d version %d: %w", f.ID, ver.Number, err)
	}
	defer rd.Close()
	h := w.Header()
	SecurityHeaders(h)
	disp := "attachment"
	if t, ok := Types[strings.ToLower(extOf(ver.Name))]; inline && ok && t.Inline {
		disp = "inline"
	}
	h.Set("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": ver.Name}))
	h.Set("Content-Type", ver.ContentType)
	h.Set("ETag", `"`+ver.SHA256+`"`)
	h.Set("Cache-Control", "private, no-cache")
	if r.Method == http.MethodGet && firstRange(r.Header.Get("Range")) && r.Header.Get("If-None-Match") == "" {
		action := engagement.ActionDownload
		if inline {
			action = "view"
		}
		s.recordAccess(ctx, v, f, ver.Number, action, ver.ContentType)
	}
	var body io.ReadSeeker = rd
	if f, ok := rd.(interface{ OSFile() *os.File }); ok {
		body = f.OSFile() // sendfile from a folder store
	}
	http.ServeContent(w, r, "", ver.Created(), body)
	return nil
}

func extOf(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i:]
	}
	return ""
}

// firstRange reports whether a request reads the file from its start: a
// plain GET, or the first range of a player or PDF viewer. Later ranges of
// the same viewing are not counted again.
func firstRange(h string) bool {
	return h == "" || strings.HasPrefix(strings.TrimSpace(h), "bytes=0-")
}

// recordAccess keeps who fetched which version. A failure is logged by the
// caller's metrics at most: a download must never fail for its bookkeeping.
func (s *Service) recordAccess(ctx context.Context, v Viewer, f File, version int, action, contentType string) {
	p := v.P
	now := s.opts.Now()
	a := Access{FileID: f.ID, Version: version, UserID: p.User.ID, Action: action, AtMS: now.UnixMilli()}
	var partnerID int64
	if p.Partner != nil {
		partnerID = p.Partner.ID
		a.PartnerID = &partnerID
	}
	ctx = context.WithoutCancel(ctx)
	_, _ = s.db.NewInsert().Model(&a).Exec(ctx)
	if action == engagement.ActionDownload {
		_, _ = s.db.NewUpdate().Table("files").Set("downloads = downloads + 1").Where("id = ?", f.ID).Exec(ctx)
	}
	name := action
	if name == "view" {
		// Shown in the page: a picture opened full size, a video played, a
		// PDF opened.
		switch {
		case strings.HasPrefix(contentType, "video/"):
			name = engagement.ActionVideoPlay
		case contentType == "application/pdf":
			name = engagement.ActionPDFOpen
		default:
			name = engagement.ActionImageView
		}
	}
	s.opts.Recorder.Record(engagement.Event{At: now, UserID: p.User.ID, PartnerID: partnerID, Kind: engagement.Action,
		Name: name, ResourceID: f.ID, Path: fmt.Sprintf("/files/%d/download", f.ID),
		Meta: marshalMeta(map[string]any{"version": version, "kind": f.Kind})})
}

// RecordView notes that v opened a file's page (the shared-space access log
// shows views as well as downloads).
func (s *Service) RecordView(ctx context.Context, v Viewer, f File) {
	s.recordAccess(ctx, v, f, f.Latest, "view_page", "")
}
