// Package content joins files and the library to the portal: it answers the
// content host calls (sdk/content) for the Resources, Brand Guidelines and
// Shared Files rooms, always authorising the viewer who asks, and gives the
// web layer and the API the viewers they check downloads and uploads with.
package content

import (
	"context"
	"fmt"
	"github.com/atriumhq/atrium/core/reach"
	"slices"
	"strings"

	"github.com/atriumhq/atrium/core/catalog"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/host"
	"github.com/atriumhq/atrium/core/library"
	"github.com/atriumhq/atrium/core/principal"
	"github.com/atriumhq/atrium/core/program"
	"github.com/atriumhq/atrium/sdk"
	sdkcontent "github.com/atriumhq/atrium/sdk/content"
)

// Service is the content capability.
type Service struct {
	Files   *files.Service
	Library *library.Library
	Dir     *directory.Directory
	// Program returns the current program (for audiences).
	Program func() program.Program
	// Rooms returns the current rooms, for the media rule (see [Service.Shows]).
	Rooms func() *catalog.Snapshot
	// Reach says which partners' shared spaces staff reach.
	Reach *reach.Resolver
	// Converses says who may download a message attachment: whoever may
	// see its conversation (core/messages). Nil shows none.
	Converses func(ctx context.Context, p *principal.Principal, fileID int64) (bool, error)
	// Delivers says who may download a project's deliverable: whoever may
	// see its project (core/projects). Nil shows none.
	Delivers func(ctx context.Context, p *principal.Principal, fileID int64) (bool, error)
	// Evidences says who may download compliance evidence, and Shared
	// whether a distributor shared a file with the viewer's partner
	// (core/compliance). Nil shows none.
	Evidences func(ctx context.Context, p *principal.Principal, fileID int64) (bool, error)
	Shared    func(ctx context.Context, p *principal.Principal, fileID int64) (bool, error)

	media mediaIndex
}

// FileViewer is p as the files package checks access.
func (s *Service) FileViewer(p *principal.Principal) files.Viewer {
	return files.Viewer{P: p, Program: s.Program(), Reach: s.Reach, Shows: s.Shows, Converses: s.Converses, Delivers: s.Delivers,
		Evidences: s.Evidences, Shared: s.Shared}
}

// LibraryViewer is p as the library filters resources.
func (s *Service) LibraryViewer(p *principal.Principal) library.Viewer {
	return library.Viewer{P: p, Program: s.Program()}
}

// principalOf turns a host caller's viewer into a principal. A staff member
// previewing a room as a partner is treated as a user of that partner, so the
// preview shows exactly what the partner sees.
func principalOf(v sdk.Viewer) *principal.Principal {
	p := &principal.Principal{User: directory.User{ID: v.UserID, Email: v.Email, Name: v.Name, Role: v.Role, ContactRole: v.ContactRole}}
	if v.Partner != nil && (!v.Role.Staff() || v.Preview) {
		pt := directory.Partner{ID: v.Partner.ID, Slug: v.Partner.Slug, Name: v.Partner.Name, Type: v.Partner.Type, Tier: v.Partner.Tier, Stage: v.Partner.Stage}
		p.Partner = &pt
		p.User.PartnerID = &pt.ID
		if v.Role.Staff() {
			p.User.Role = sdk.RolePartnerUser
		}
	}
	return p
}

// CanManageSpace reports whether p may open partner's shared space.
func (s *Service) CanManageSpace(ctx context.Context, p *principal.Principal, partnerID int64) (bool, error) {
	switch {
	case p == nil:
		return false, nil
	case p.IsAdmin():
		return true, nil
	case p.Staff():
		rc, err := s.Reach.For(ctx, p.Viewer())
		return err == nil && rc.CanWrite(partnerID), err
	default:
		return p.Partner != nil && p.Partner.ID == partnerID, nil
	}
}

// Register installs the content host calls.
func (s *Service) Register(f *host.Factory) {
	host.Handle(f, sdkcontent.ListResources, func(ctx context.Context, c host.Caller, q sdkcontent.ResourceQuery) (sdkcontent.ResourcePage, error) {
		return s.Library.List(ctx, s.LibraryViewer(principalOf(c.Viewer)), q)
	})
	host.Handle(f, sdkcontent.GetResource, func(ctx context.Context, c host.Caller, ref sdkcontent.Ref) (sdkcontent.ResourceDetail, error) {
		return s.ResourceDetail(ctx, principalOf(c.Viewer), ref.ID)
	})
	host.Handle(f, sdkcontent.ListSpace, func(ctx context.Context, c host.Caller, q sdkcontent.SpaceQuery) (sdkcontent.Space, error) {
		if err := s.reaches(ctx, c.Viewer); err != nil {
			return sdkcontent.Space{}, err
		}
		return s.Space(ctx, principalOf(c.Viewer), q)
	})
	host.Handle(f, sdkcontent.GetSharedFile, func(ctx context.Context, c host.Caller, ref sdkcontent.Ref) (sdkcontent.SharedFileDetail, error) {
		if err := s.reaches(ctx, c.Viewer); err != nil {
			return sdkcontent.SharedFileDetail{}, err
		}
		return s.SharedFile(ctx, principalOf(c.Viewer), ref.ID, true)
	})
	host.Handle(f, sdkcontent.CommentFile, func(ctx context.Context, c host.Caller, in sdkcontent.NewComment) (sdkcontent.Comment, error) {
		if err := s.reaches(ctx, c.Viewer); err != nil {
			return sdkcontent.Comment{}, err
		}
		return s.Comment(ctx, principalOf(c.Viewer), in)
	})
}

// reaches checks, before a shared-space call, that the reach still lets a
// partner's viewer at their partner: principalOf turns a preview into a
// user of the partner shown, so the preview must be a staff member's who
// reaches that partner, and a partner's user must still be active and
// belong to it. Staff are checked file by file (see [files.Viewer]).
func (s *Service) reaches(ctx context.Context, v sdk.Viewer) error {
	if v.Role.Staff() && !v.Preview {
		return nil
	}
	var rc reach.Reach
	var err error
	if v.Preview {
		if rc, err = s.Reach.ForUser(ctx, v.UserID); !rc.IsStaff() {
			rc = reach.Reach{}
		}
	} else {
		rc, err = s.Reach.For(ctx, v)
	}
	if err != nil {
		return err
	}
	if !rc.CanRead(v.PartnerID()) {
		return sdk.ErrNotFound
	}
	return nil
}

// ResourceDetail is one resource for p, with versions and downloads for staff.
func (s *Service) ResourceDetail(ctx context.Context, p *principal.Principal, id int64) (sdkcontent.ResourceDetail, error) {
	pub, r, err := s.Library.Get(ctx, s.LibraryViewer(p), id)
	if err != nil {
		return sdkcontent.ResourceDetail{}, notFound(err)
	}
	d := sdkcontent.ResourceDetail{Resource: pub}
	if r.FileID != nil && p.Staff() {
		d.Versions, err = s.versions(ctx, *r.FileID, true)
		if err != nil {
			return d, err
		}
		d.Accesses, err = s.accesses(ctx, *r.FileID)
		if err != nil {
			return d, err
		}
	}
	return d, nil
}

func notFound(err error) error {
	if fail.CodeOf(err) == fail.NotFound {
		return sdk.ErrNotFound
	}
	return err
}

func (s *Service) userName(ctx context.Context, id *int64, cache map[int64]string) string {
	if id == nil {
		return ""
	}
	if n, ok := cache[*id]; ok {
		return n
	}
	u, err := s.Dir.User(ctx, *id)
	name := ""
	if err == nil {
		name = u.Name
	}
	cache[*id] = name
	return name
}

func (s *Service) versions(ctx context.Context, fileID int64, older bool) ([]sdkcontent.Version, error) {
	vs, err := s.Files.Versions(ctx, fileID)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	out := make([]sdkcontent.Version, 0, len(vs))
	for i, v := range vs {
		cv := sdkcontent.Version{Number: v.Number, Name: v.Name, Size: v.Size, Uploaded: v.Created(), UploadedBy: s.userName(ctx, v.UploadedBy, names)}
		if i == 0 || older {
			cv.DownloadURL = library.VersionURL(fileID, v.Number)
		}
		out = append(out, cv)
	}
	return out, nil
}

func (s *Service) accesses(ctx context.Context, fileID int64) ([]sdkcontent.Access, error) {
	as, err := s.Files.Accesses(ctx, fileID, 200)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	partners := map[int64]string{}
	out := make([]sdkcontent.Access, 0, len(as))
	for _, a := range as {
		ca := sdkcontent.Access{Who: s.userName(ctx, &a.UserID, names), Action: a.Action, Version: a.Version, At: a.At()}
		if a.PartnerID != nil {
			if _, ok := partners[*a.PartnerID]; !ok {
				if pt, err := s.Dir.Partner(ctx, *a.PartnerID); err == nil {
					partners[*a.PartnerID] = pt.Name
				}
			}
			ca.Partner = partners[*a.PartnerID]
		}
		out = append(out, ca)
	}
	return out, nil
}

// Space lists a partner's shared files for p.
func (s *Service) Space(ctx context.Context, p *principal.Principal, q sdkcontent.SpaceQuery) (sdkcontent.Space, error) {
	partnerID := q.PartnerID
	if !p.Staff() {
		if p.Partner == nil {
			return sdkcontent.Space{}, sdk.ErrNotFound
		}
		partnerID = p.Partner.ID
	}
	if partnerID == 0 {
		return s.spacePartners(ctx, p)
	}
	ok, err := s.CanManageSpace(ctx, p, partnerID)
	if err != nil {
		return sdkcontent.Space{}, err
	}
	if !ok {
		return sdkcontent.Space{}, sdk.ErrNotFound
	}
	pt, err := s.Dir.Partner(ctx, partnerID)
	if err != nil {
		return sdkcontent.Space{}, notFound(err)
	}
	fs, err := s.Files.SpaceFiles(ctx, partnerID)
	if err != nil {
		return sdkcontent.Space{}, err
	}
	sp := sdkcontent.Space{PartnerID: pt.ID, PartnerName: pt.Name, Files: []sdkcontent.SharedFile{}, UploadURL: fmt.Sprintf("/spaces/%d/upload", pt.ID)}
	folders := map[string]bool{}
	folder := strings.Trim(q.Folder, "/")
	for _, f := range fs {
		if f.Folder != "" {
			folders[f.Folder] = true
		}
		if folder != "" && f.Folder != folder && !strings.HasPrefix(f.Folder, folder+"/") {
			continue
		}
		sp.Files = append(sp.Files, sharedFile(f.File, f.Size, f.Comments))
	}
	for k := range folders {
		sp.Folders = append(sp.Folders, k)
	}
	slices.Sort(sp.Folders)
	return sp, nil
}

func sharedFile(f files.File, size int64, comments int) sdkcontent.SharedFile {
	return sdkcontent.SharedFile{ID: f.ID, Name: f.Name, Folder: f.Folder, Version: f.Latest, Size: size, Updated: f.Updated(),
		DownloadURL: library.DownloadURL(f.ID), Comments: comments}
}

func (s *Service) spacePartners(ctx context.Context, p *principal.Principal) (sdkcontent.Space, error) {
	sp := sdkcontent.Space{Files: []sdkcontent.SharedFile{}}
	rc, err := s.Reach.For(ctx, p.Viewer())
	if err != nil || rc.None() {
		return sp, err
	}
	// The database narrows the list to the viewer's reach; the first 200
	// by name (the most a directory page holds) fill the picker.
	page, err := s.Dir.ListPartners(ctx, directory.PartnerFilter{Within: rc.WriteIDs(), PerPage: 200})
	if err != nil {
		return sp, err
	}
	for _, pt := range page.Items {
		sp.Partners = append(sp.Partners, sdkcontent.SpacePartner{ID: pt.ID, Name: pt.Name})
	}
	return sp, nil
}

// SharedFile returns a shared file with its versions, comments and access
// log; view records that p opened it.
func (s *Service) SharedFile(ctx context.Context, p *principal.Principal, id int64, view bool) (sdkcontent.SharedFileDetail, error) {
	fv := s.FileViewer(p)
	f, err := s.Files.Visible(ctx, fv, id)
	if err != nil || f.Kind != files.KindShared { // a shared space's file, not an attachment
		return sdkcontent.SharedFileDetail{}, sdk.ErrNotFound
	}
	latest, err := s.Files.Version(ctx, f, 0)
	if err != nil {
		return sdkcontent.SharedFileDetail{}, err
	}
	cs, err := s.Files.Comments(ctx, f.ID)
	if err != nil {
		return sdkcontent.SharedFileDetail{}, err
	}
	if view {
		s.Files.RecordView(ctx, fv, f)
	}
	d := sdkcontent.SharedFileDetail{File: sharedFile(f, latest.Size, len(cs)), PartnerID: *f.PartnerID,
		VersionURL: fmt.Sprintf("/files/%d/versions/new", f.ID), Comments: []sdkcontent.Comment{}}
	if d.Versions, err = s.versions(ctx, f.ID, true); err != nil {
		return d, err
	}
	names := map[int64]string{}
	for _, c := range cs {
		d.Comments = append(d.Comments, sdkcontent.Comment{ID: c.ID, Author: s.userName(ctx, &c.UserID, names), Body: c.Body, At: timeMS(c.CreatedMS)})
	}
	if d.Accesses, err = s.accesses(ctx, f.ID); err != nil {
		return d, err
	}
	return d, nil
}

// Comment adds p's comment to a shared file p may see.
func (s *Service) Comment(ctx context.Context, p *principal.Principal, in sdkcontent.NewComment) (sdkcontent.Comment, error) {
	f, err := s.Files.Visible(ctx, s.FileViewer(p), in.FileID)
	if err != nil || f.Kind != files.KindShared { // a shared space's file, not an attachment
		return sdkcontent.Comment{}, sdk.ErrNotFound
	}
	c, err := s.Files.Comment(ctx, f.ID, p.User.ID, strings.TrimSpace(in.Body))
	if err != nil {
		return sdkcontent.Comment{}, err // a refusal reaches rooms worded for the viewer (host.Handle), the API in English
	}
	return sdkcontent.Comment{ID: c.ID, Author: p.User.Name, Body: c.Body, At: timeMS(c.CreatedMS)}, nil
}
