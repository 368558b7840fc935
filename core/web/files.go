package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/library"
	"github.com/atriumhq/atrium/sdk"
	sdkcontent "github.com/atriumhq/atrium/sdk/content"
)

// The file pages: downloads (a plain link per file and per version, access
// checked on every request), uploads into a partner's shared space, new
// versions, and the staff library. Uploads are read part by part from the
// multipart stream and go straight to the object store.

// UploadPage is the form to upload a file into a space or a new version.
type UploadPage struct {
	Title   string
	Lead    string
	Action  string
	Back    string
	Folder  bool // ask for a folder
	Error   string
	Folders []string
}

// LibraryPage is the staff page of the Resources library and the brand kit.
type LibraryPage struct {
	Page        sdkcontent.ResourcePage
	Query       sdkcontent.ResourceQuery
	Categories  []string
	Sections    []string
	Error       string
	Uploaded    int
	ReviewDue   int
	PartnerType []string
}

func pathID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}

func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	if s.Content == nil {
		s.notFound(w, r)
		return
	}
	id, ok := pathID(r, "id")
	n := 0
	if r.PathValue("n") != "" {
		v, err := strconv.Atoi(r.PathValue("n"))
		if err != nil || v <= 0 {
			ok = false
		}
		n = v
	}
	if !ok {
		s.notFound(w, r)
		return
	}
	if err := s.Content.Files.Serve(w, r, s.Content.FileViewer(principal(r)), id, n, r.URL.Query().Get("inline") == "1"); err != nil {
		s.fail(w, r, err)
	}
}

// maxUpload bounds a request body: the file limit plus room for the form.
func (s *Server) maxUpload(r *http.Request) int64 {
	return s.Content.Files.MaxSize(r.Context()) + 1<<20
}

// uploadParts streams a multipart upload (see files.Parts).
func (s *Server) uploadParts(w http.ResponseWriter, r *http.Request, fn func(fields map[string]string, name string, body io.Reader) error) (map[string]string, int, error) {
	return files.Parts(w, r, s.maxUpload(r)*bulkFiles, fn)
}

// bulkFiles bounds how many files one bulk upload may carry.
const bulkFiles = 50

func (s *Server) spaceUploadForm(w http.ResponseWriter, r *http.Request) {
	partnerID, ok := pathID(r, "partner")
	if !ok || s.Content == nil {
		s.notFound(w, r)
		return
	}
	if ok, err := s.Content.CanManageSpace(r.Context(), principal(r), partnerID); err != nil || !ok {
		s.fail(w, r, fail.NotFoundf("no such space"))
		return
	}
	s.page(w, r, http.StatusOK, "upload", tr(r, "upload.title"), UploadPage{Title: tr(r, "upload.title"), Lead: tr(r, "upload.space-lead"),
		Action: fmt.Sprintf("/spaces/%d/files", partnerID), Back: spaceBack(principal(r), partnerID), Folder: true})
}

func (s *Server) spaceUpload(w http.ResponseWriter, r *http.Request) {
	partnerID, ok := pathID(r, "partner")
	if !ok || s.Content == nil {
		s.notFound(w, r)
		return
	}
	p := principal(r)
	if ok, err := s.Content.CanManageSpace(r.Context(), p, partnerID); err != nil || !ok {
		s.fail(w, r, fail.NotFoundf("no such space"))
		return
	}
	var made files.File
	_, _, err := s.uploadParts(w, r, func(fields map[string]string, name string, body io.Reader) error {
		f, _, err := s.Content.Files.Create(r.Context(), files.NewFile{Kind: files.KindShared, PartnerID: &partnerID, Folder: fields["folder"], By: p.User.ID},
			files.Upload{Name: name, Body: body})
		made = f
		return err
	})
	if err != nil {
		s.uploadFailed(w, r, err, UploadPage{Title: tr(r, "upload.title"), Action: r.URL.Path, Back: "/rooms/files", Folder: true})
		return
	}
	http.Redirect(w, r, backTo(p, made), http.StatusSeeOther)
}

func (s *Server) uploadFailed(w http.ResponseWriter, r *http.Request, err error, pg UploadPage) {
	e := failure(r, err)
	if e.Code != fail.Invalid {
		s.fail(w, r, err)
		return
	}
	pg.Error = e.Fields["file"]
	if pg.Error == "" {
		pg.Error = e.Error()
	}
	s.page(w, r, http.StatusUnprocessableEntity, "upload", pg.Title, pg)
}

func spaceBack(p *Principal, partnerID int64) string {
	if p.Staff() {
		return fmt.Sprintf("/admin/spaces/%d", partnerID)
	}
	return "/rooms/files"
}

// versionTarget finds the file a new version goes to and checks p may add
// one: members of a shared space, staff for everything else.
func (s *Server) versionTarget(w http.ResponseWriter, r *http.Request) (files.File, bool) {
	id, ok := pathID(r, "id")
	if !ok || s.Content == nil {
		s.notFound(w, r)
		return files.File{}, false
	}
	p := principal(r)
	f, err := s.Content.Files.Visible(r.Context(), s.Content.FileViewer(p), id)
	if err != nil || !f.Versioned() || (f.PartnerID == nil && !p.Staff()) {
		s.notFound(w, r)
		return files.File{}, false
	}
	return f, true
}

func (s *Server) versionForm(w http.ResponseWriter, r *http.Request) {
	f, ok := s.versionTarget(w, r)
	if !ok {
		return
	}
	s.page(w, r, http.StatusOK, "upload", tr(r, "upload.version-title"), UploadPage{Title: tr(r, "upload.version-of", "Name", f.Name),
		Lead: tr(r, "upload.version-lead"), Action: fmt.Sprintf("/files/%d/versions", f.ID), Back: backFor(f)})
}

func backFor(f files.File) string {
	if f.PartnerID != nil {
		return fmt.Sprintf("/rooms/files/items/%d", f.ID)
	}
	return "/admin/library"
}

// backTo is where p returns after acting on f: staff do not enter rooms.
func backTo(p *Principal, f files.File) string {
	if p.Staff() && f.PartnerID != nil {
		return fmt.Sprintf("/admin/files/%d", f.ID)
	}
	return backFor(f)
}

func (s *Server) addVersion(w http.ResponseWriter, r *http.Request) {
	f, ok := s.versionTarget(w, r)
	if !ok {
		return
	}
	p := principal(r)
	_, _, err := s.uploadParts(w, r, func(_ map[string]string, name string, body io.Reader) error {
		_, err := s.Content.Files.AddVersion(r.Context(), f, p.User.ID, files.Upload{Name: name, Body: body})
		return err
	})
	if err != nil {
		s.uploadFailed(w, r, err, UploadPage{Title: tr(r, "upload.version-of", "Name", f.Name), Action: r.URL.Path, Back: backFor(f)})
		return
	}
	if res, ok := s.Content.Library.ByFile(r.Context(), f.ID); ok {
		_ = s.Content.Library.Touch(r.Context(), res.ID)
	}
	http.Redirect(w, r, backTo(p, f), http.StatusSeeOther)
}

func (s *Server) libraryPage(w http.ResponseWriter, r *http.Request) {
	if s.Content == nil {
		s.notFound(w, r)
		return
	}
	q := r.URL.Query()
	query := sdkcontent.ResourceQuery{Collection: q.Get("collection"), Search: q.Get("q"), Category: q.Get("category"), Folder: q.Get("folder"),
		Sort: q.Get("sort"), Archived: q.Get("archived") == "1", Limit: 200}
	if t := q.Get("tag"); t != "" {
		query.Tags = []string{t}
	}
	s.showLibrary(w, r, http.StatusOK, query, "", 0)
}

func (s *Server) showLibrary(w http.ResponseWriter, r *http.Request, status int, query sdkcontent.ResourceQuery, msg string, uploaded int) {
	page, err := s.Content.Library.List(r.Context(), s.Content.LibraryViewer(principal(r)), query)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	due := 0
	for _, it := range page.Items {
		if it.ReviewDue {
			due++
		}
	}
	s.page(w, r, status, "admin-library", tr(r, "admin.library.title"), LibraryPage{Page: page, Query: query, Categories: sdkcontent.Categories, Sections: sdkcontent.BrandSections,
		Error: msg, Uploaded: uploaded, ReviewDue: due, PartnerType: s.catalog.Current().Program.PartnerTypes})
}

// libraryUpload takes one or many files (a bulk upload) with shared facts:
// collection, folder, category, tags, partner types. Each file becomes a
// resource titled after its name. Fields must come before the files.
func (s *Server) libraryUpload(w http.ResponseWriter, r *http.Request) {
	if s.Content == nil {
		s.notFound(w, r)
		return
	}
	p := principal(r)
	prog := s.catalog.Current().Program
	var made []int64
	fields, n, err := s.uploadParts(w, r, func(fields map[string]string, name string, body io.Reader) error {
		if len(made) >= bulkFiles {
			return fail.Fields(map[string]string{"file": tr(r, "admin.library.too-many", "Count", bulkFiles)})
		}
		in := libraryInput(fields)
		in.OwnerID = &p.User.ID
		if in.Title == "" || len(made) > 0 {
			in.Title = titleFromName(name)
		}
		f, _, err := s.Content.Files.Create(r.Context(), files.NewFile{Kind: files.KindResource, Audience: in.Audience, Folder: in.Folder, By: p.User.ID},
			files.Upload{Name: name, Body: body})
		if err != nil {
			return err
		}
		if _, err := s.Content.Library.Create(r.Context(), in, &f.ID, prog); err != nil {
			_ = s.Content.Files.Delete(r.Context(), f.ID)
			return err
		}
		made = append(made, f.ID)
		return nil
	})
	if err != nil {
		e := failure(r, err)
		if e.Code != fail.Invalid {
			s.fail(w, r, err)
			return
		}
		s.showLibrary(w, r, http.StatusUnprocessableEntity, sdkcontent.ResourceQuery{Limit: 200}, e.Error(), len(made))
		return
	}
	if wantsJSON(r) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"uploaded":%d}`, n)
		return
	}
	// The room builder's pickers upload here and go back to the block.
	if next := localPath(fields["next"]); strings.HasPrefix(next, "/admin/rooms/") {
		s.setNotice(w, r, "success", "library-uploaded", strconv.Itoa(n))
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/library?uploaded=%d", n), http.StatusSeeOther)
}

func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

func titleFromName(name string) string {
	name = files.CleanName(name)
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		name = name[:i]
	}
	name = strings.NewReplacer("_", " ", "-", " ").Replace(name)
	if name == "" {
		return "Untitled"
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

func libraryInput(fields map[string]string) library.Input {
	in := library.Input{Collection: fields["collection"], Title: strings.TrimSpace(fields["title"]), Description: fields["description"],
		Folder: fields["folder"], Category: fields["category"], Swatch: fields["swatch"]}
	for _, t := range strings.FieldsFunc(fields["tags"], func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
		in.Tags = append(in.Tags, t)
	}
	if pts := strings.TrimSpace(fields["partnerTypes"]); pts != "" {
		in.Audience.PartnerTypes = strings.Fields(strings.ReplaceAll(pts, ",", " "))
	}
	if d := strings.TrimSpace(fields["review"]); d != "" {
		if t, err := time.Parse("2006-01-02", d); err == nil {
			in.Review = &t
		}
	}
	return in
}

func (s *Server) archiveResource(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok || s.Content == nil {
		s.notFound(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, fail.Fields(map[string]string{"archived": tr(r, "error.bad-form")}))
		return
	}
	if err := s.Content.Library.Archive(r.Context(), id, r.PostForm.Get("archived") != "0"); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/library", http.StatusSeeOther)
}

func (s *Server) moveResource(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok || s.Content == nil {
		s.notFound(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, fail.Fields(map[string]string{"folder": tr(r, "error.bad-form")}))
		return
	}
	_, res, err := s.Content.Library.Get(r.Context(), s.Content.LibraryViewer(principal(r)), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := library.Input{Collection: res.Collection, Title: res.Title, Description: res.Description, Folder: r.PostForm.Get("folder"),
		Category: res.Category, Tags: res.Tags, LinkURL: res.LinkURL, Swatch: res.Swatch, Body: res.Body, Audience: res.Audience, OwnerID: res.OwnerID}
	if res.ReviewMS != nil {
		t := time.UnixMilli(*res.ReviewMS)
		in.Review = &t
	}
	if v, ok := r.PostForm["title"]; ok && strings.TrimSpace(v[0]) != "" {
		in.Title = v[0]
	}
	if v, ok := r.PostForm["category"]; ok {
		in.Category = v[0]
	}
	// The edit page sends every field; the list's move form only the folder.
	if _, ok := r.PostForm["description"]; ok {
		f := libraryInput(map[string]string{"tags": r.PostForm.Get("tags"), "partnerTypes": r.PostForm.Get("partnerTypes"), "review": r.PostForm.Get("review")})
		in.Description, in.Tags, in.Audience.PartnerTypes, in.Review = r.PostForm.Get("description"), f.Tags, f.Audience.PartnerTypes, f.Review
		in.LinkURL, in.Swatch, in.Body = r.PostForm.Get("linkUrl"), r.PostForm.Get("swatch"), r.PostForm.Get("body")
	}
	if _, err := s.Content.Library.Update(r.Context(), id, in, s.catalog.Current().Program); err != nil {
		if e := failure(r, err); e.Code == fail.Invalid {
			d, derr := s.Content.ResourceDetail(r.Context(), principal(r), id)
			if derr == nil {
				s.page(w, r, http.StatusUnprocessableEntity, "admin-resource", d.Resource.Title, ResourcePage{Detail: d, Errors: e.Fields,
					Categories: sdkcontent.Categories, Sections: sdkcontent.BrandSections, PartnerTypes: strings.Join(in.Audience.PartnerTypes, ", ")})
				return
			}
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/library", http.StatusSeeOther)
}

// ResourcePage is the staff page of one resource: its facts to edit, its
// versions and who downloaded it.
type ResourcePage struct {
	Detail       sdkcontent.ResourceDetail
	Errors       map[string]string
	Categories   []string
	Sections     []string
	PartnerTypes string
	Review       string
}

// DownloadCount is how often the resource was downloaded, for the
// template's plural.
func (p ResourcePage) DownloadCount() int { return int(p.Detail.Resource.Downloads) }

func (s *Server) resourcePage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok || s.Content == nil {
		s.notFound(w, r)
		return
	}
	d, err := s.Content.ResourceDetail(r.Context(), principal(r), id)
	if err != nil {
		s.fail(w, r, sdkErr(err))
		return
	}
	_, res, err := s.Content.Library.Get(r.Context(), s.Content.LibraryViewer(principal(r)), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := ResourcePage{Detail: d, Categories: sdkcontent.Categories, Sections: sdkcontent.BrandSections, PartnerTypes: strings.Join(res.Audience.PartnerTypes, ", ")}
	if res.ReviewMS != nil {
		pg.Review = time.UnixMilli(*res.ReviewMS).UTC().Format("2006-01-02")
	}
	s.page(w, r, http.StatusOK, "admin-resource", d.Resource.Title, pg)
}

// CommentPage is the form to comment on a shared file.
type CommentPage struct {
	FileID   int64
	FileName string
	Back     string
	Body     string
	Error    string
}

func (s *Server) commentTarget(w http.ResponseWriter, r *http.Request) (files.File, bool) {
	id, ok := pathID(r, "id")
	if !ok || s.Content == nil {
		s.notFound(w, r)
		return files.File{}, false
	}
	f, err := s.Content.Files.Visible(r.Context(), s.Content.FileViewer(principal(r)), id)
	if err != nil || f.Kind != files.KindShared {
		s.notFound(w, r)
		return files.File{}, false
	}
	return f, true
}

func (s *Server) commentForm(w http.ResponseWriter, r *http.Request) {
	f, ok := s.commentTarget(w, r)
	if !ok {
		return
	}
	s.page(w, r, http.StatusOK, "comment", tr(r, "comment.title"), CommentPage{FileID: f.ID, FileName: f.Name, Back: backFor(f)})
}

func (s *Server) addComment(w http.ResponseWriter, r *http.Request) {
	f, ok := s.commentTarget(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, fail.Field("body", "invalid.comment-unreadable"))
		return
	}
	body := r.PostForm.Get("body")
	_, err := s.Content.Comment(r.Context(), principal(r), sdkcontent.NewComment{FileID: f.ID, Body: body})
	if err != nil {
		msg := tr(r, "invalid.chars-1-5000")
		if !strings.Contains(err.Error(), "characters") {
			s.fail(w, r, err)
			return
		}
		s.page(w, r, http.StatusUnprocessableEntity, "comment", tr(r, "comment.title"), CommentPage{FileID: f.ID, FileName: f.Name, Back: backTo(principal(r), f), Body: body, Error: msg})
		return
	}
	http.Redirect(w, r, backTo(principal(r), f), http.StatusSeeOther)
}

// SpacesPage lists the partners whose shared spaces a staff member opens.
type SpacesPage struct {
	Space  sdkcontent.Space
	Detail *sdkcontent.SharedFileDetail
}

// spaces is the staff side of Shared Files: the partners one manages, one
// partner's files, one file with its versions, comments and access log.
func (s *Server) spaces(w http.ResponseWriter, r *http.Request) {
	if s.Content == nil {
		s.notFound(w, r)
		return
	}
	var q sdkcontent.SpaceQuery
	if r.PathValue("partner") != "" {
		id, ok := pathID(r, "partner")
		if !ok {
			s.notFound(w, r)
			return
		}
		q.PartnerID = id
	}
	q.Folder = r.URL.Query().Get("folder")
	sp, err := s.Content.Space(r.Context(), principal(r), q)
	if err != nil {
		s.fail(w, r, sdkErr(err))
		return
	}
	title := tr(r, "admin.spaces.title")
	if sp.PartnerName != "" {
		title = tr(r, "admin.spaces.title-of", "Name", sp.PartnerName)
	}
	s.page(w, r, http.StatusOK, "admin-spaces", title, SpacesPage{Space: sp})
}

func (s *Server) spaceFile(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok || s.Content == nil {
		s.notFound(w, r)
		return
	}
	d, err := s.Content.SharedFile(r.Context(), principal(r), id, true)
	if err != nil {
		s.fail(w, r, sdkErr(err))
		return
	}
	s.page(w, r, http.StatusOK, "admin-spaces", d.File.Name, SpacesPage{Detail: &d})
}

// sdkErr maps the host API's not-found to the web's.
func sdkErr(err error) error {
	if errors.Is(err, sdk.ErrNotFound) {
		return fail.NotFoundf("not found")
	}
	return err
}
