package api

import (
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/core/library"
	"github.com/atriumhq/atrium/sdk"
	sdkcontent "github.com/atriumhq/atrium/sdk/content"
	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
)

// The content API: the library, brand assets, shared spaces, files, their
// versions and comments, uploads and downloads. It applies the rules of the
// pages through the same services: a partner sees only resources its
// audience admits and only its own space; staff see what they manage.

func (a *API) registerContent() {
	if a.Content == nil {
		return
	}
	for _, r := range []route{
		bind(op("list-resources", http.MethodGet, "/api/v1/resources", "Resources and brand assets the caller may see, filtered", SignedIn, "Content"), a.listResources),
		bind(op("get-resource", http.MethodGet, "/api/v1/resources/{id}", "One resource; staff also get its versions and downloads", SignedIn, "Content"), a.getResource),
		bind(multipartBody(op("create-resource", http.MethodPost, "/api/v1/resources", "Upload a file as a new resource (staff)", Staff, "Content"),
			"Text fields first (collection, title, description, folder, category, tags, partnerTypes, review), then the file."), a.createResource),
		bind(op("get-space", http.MethodGet, "/api/v1/spaces/{partner}/files", "A partner's shared files", SignedIn, "Content"), a.getSpace),
		bind(multipartBody(op("upload-shared-file", http.MethodPost, "/api/v1/spaces/{partner}/files", "Upload a file into a partner's shared space", SignedIn, "Content"),
			"An optional folder field, then the file."), a.uploadSharedFile),
		bind(op("get-shared-file", http.MethodGet, "/api/v1/files/{id}", "A shared file with its versions, comments and access log", SignedIn, "Content"), a.getSharedFile),
		bind(op("comment-file", http.MethodPost, "/api/v1/files/{id}/comments", "Comment on a shared file", SignedIn, "Content"), a.commentFile),
		bind(multipartBody(op("add-file-version", http.MethodPost, "/api/v1/files/{id}/versions", "Upload a new version of a file", SignedIn, "Content"),
			"The file. Members of a shared space may add versions there; staff everywhere."), a.addFileVersion),
		bind(op("download-file", http.MethodGet, "/api/v1/files/{id}/download", "Download the latest version of a file (Range supported)", SignedIn, "Content"), a.downloadFile),
		bind(op("download-file-version", http.MethodGet, "/api/v1/files/{id}/versions/{n}/download", "Download one version of a file", SignedIn, "Content"), a.downloadFileVersion),
	} {
		r(a.huma)
	}
}

type rawKey struct{}

type raw struct {
	r *http.Request
	w http.ResponseWriter
}

// keepRaw lets upload operations stream the request body themselves.
func keepRaw(ctx huma.Context, next func(huma.Context)) {
	r, w := humago.Unwrap(ctx)
	next(huma.WithContext(ctx, context.WithValue(ctx.Context(), rawKey{}, raw{r, w})))
}

func rawOf(ctx context.Context) raw { v, _ := ctx.Value(rawKey{}).(raw); return v }

// ResourceListInput filters the library.
type ResourceListInput struct {
	Collection string   `query:"collection" enum:"library,brand" doc:"library (default) or brand"`
	Q          string   `query:"q" doc:"words in title, description or tags"`
	Category   string   `query:"category"`
	Folder     string   `query:"folder"`
	Tag        []string `query:"tag" doc:"facet:value; all must match"`
	Sort       string   `query:"sort" enum:"newest,downloads,title"`
	Limit      int      `query:"limit" minimum:"0" maximum:"500"`
	Offset     int      `query:"offset" minimum:"0"`
	Archived   bool     `query:"archived" doc:"include archived resources (staff)"`
}

// IDInput names a record.
type IDInput struct {
	ID int64 `path:"id"`
}

// SpaceInput names a partner's space.
type SpaceInput struct {
	Partner int64  `path:"partner"`
	Folder  string `query:"folder"`
}

// CommentInput comments on a file.
type CommentInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Body string `json:"body" maxLength:"5000"`
	}
}

// VersionInput names one version of a file.
type VersionInput struct {
	ID int64 `path:"id"`
	N  int   `path:"n" minimum:"1"`
}

// UploadResult is what an upload made.
type UploadResult struct {
	FileID     int64  `json:"fileId"`
	Version    int    `json:"version"`
	Name       string `json:"name"`
	Size       int64  `json:"size"`
	SHA256     string `json:"sha256"`
	ResourceID int64  `json:"resourceId,omitempty"`
	URL        string `json:"downloadUrl"`
}

// multipartBody documents an upload. The body is deliberately not declared
// as a request body: huma would read it whole into memory, while the
// handler streams it part by part to the object store.
func multipartBody(o huma.Operation, doc string) huma.Operation {
	o.Description = "Send multipart/form-data: " + doc + " The file streams to storage as it arrives."
	return o
}

func (a *API) contentProblem(err error) error {
	if errors.Is(err, sdk.ErrNotFound) {
		return huma.Error404NotFound("Not found.")
	}
	var ce *sdk.CallError
	if errors.As(err, &ce) && ce.Code == sdk.CodeInvalid {
		return a.problem(fail.Fields(ce.Fields))
	}
	return a.problem(err)
}

func (a *API) listResources(ctx context.Context, in *ResourceListInput) (*body[sdkcontent.ResourcePage], error) {
	c := a.Content
	page, err := c.Library.List(ctx, c.LibraryViewer(caller(ctx)), sdkcontent.ResourceQuery{Collection: in.Collection, Search: in.Q,
		Category: in.Category, Folder: in.Folder, Tags: in.Tag, Sort: in.Sort, Limit: in.Limit, Offset: in.Offset, Archived: in.Archived})
	if err != nil {
		return nil, a.problem(err)
	}
	return &body[sdkcontent.ResourcePage]{page}, nil
}

func (a *API) getResource(ctx context.Context, in *IDInput) (*body[sdkcontent.ResourceDetail], error) {
	c := a.Content
	d, err := c.ResourceDetail(ctx, caller(ctx), in.ID)
	if err != nil {
		return nil, a.contentProblem(err)
	}
	return &body[sdkcontent.ResourceDetail]{d}, nil
}

func (a *API) createResource(ctx context.Context, _ *struct{}) (*body[UploadResult], error) {
	c := a.Content
	p, rw := caller(ctx), rawOf(ctx)
	var out UploadResult
	_, _, err := files.Parts(rw.w, rw.r, c.Files.MaxSize(ctx)+1<<20, func(fields map[string]string, name string, body io.Reader) error {
		if out.FileID != 0 {
			return fail.Fields(map[string]string{"file": "Send one file per request."})
		}
		in := library.Input{Collection: fields["collection"], Title: fields["title"], Description: fields["description"],
			Folder: fields["folder"], Category: fields["category"], OwnerID: &p.User.ID}
		if in.Title == "" {
			in.Title = files.CleanName(name)
		}
		f, v, err := c.Files.Create(ctx, files.NewFile{Kind: files.KindResource, Folder: in.Folder, By: p.User.ID}, files.Upload{Name: name, Body: body})
		if err != nil {
			return err
		}
		res, err := c.Library.Create(ctx, in, &f.ID, c.Program())
		if err != nil {
			_ = c.Files.Delete(ctx, f.ID)
			return err
		}
		out = UploadResult{FileID: f.ID, Version: v.Number, Name: v.Name, Size: v.Size, SHA256: v.SHA256, ResourceID: res.ID, URL: library.DownloadURL(f.ID)}
		return nil
	})
	if err != nil {
		return nil, a.problem(err)
	}
	return &body[UploadResult]{out}, nil
}

func (a *API) getSpace(ctx context.Context, in *SpaceInput) (*body[sdkcontent.Space], error) {
	c := a.Content
	p := caller(ctx)
	if ok, err := c.CanManageSpace(ctx, p, in.Partner); err != nil || !ok {
		return nil, huma.Error404NotFound("Not found.")
	}
	sp, err := c.Space(ctx, p, sdkcontent.SpaceQuery{PartnerID: in.Partner, Folder: in.Folder})
	if err != nil {
		return nil, a.contentProblem(err)
	}
	return &body[sdkcontent.Space]{sp}, nil
}

func (a *API) uploadSharedFile(ctx context.Context, in *SpaceInput) (*body[UploadResult], error) {
	c := a.Content
	p, rw := caller(ctx), rawOf(ctx)
	if ok, err := c.CanManageSpace(ctx, p, in.Partner); err != nil || !ok {
		return nil, huma.Error404NotFound("Not found.")
	}
	var out UploadResult
	_, _, err := files.Parts(rw.w, rw.r, c.Files.MaxSize(ctx)+1<<20, func(fields map[string]string, name string, body io.Reader) error {
		if out.FileID != 0 {
			return fail.Fields(map[string]string{"file": "Send one file per request."})
		}
		f, v, err := c.Files.Create(ctx, files.NewFile{Kind: files.KindShared, PartnerID: &in.Partner, Folder: fields["folder"], By: p.User.ID},
			files.Upload{Name: name, Body: body})
		if err != nil {
			return err
		}
		out = UploadResult{FileID: f.ID, Version: v.Number, Name: v.Name, Size: v.Size, SHA256: v.SHA256, URL: library.DownloadURL(f.ID)}
		return nil
	})
	if err != nil {
		return nil, a.problem(err)
	}
	return &body[UploadResult]{out}, nil
}

func (a *API) getSharedFile(ctx context.Context, in *IDInput) (*body[sdkcontent.SharedFileDetail], error) {
	c := a.Content
	d, err := c.SharedFile(ctx, caller(ctx), in.ID, true)
	if err != nil {
		return nil, a.contentProblem(err)
	}
	return &body[sdkcontent.SharedFileDetail]{d}, nil
}

func (a *API) commentFile(ctx context.Context, in *CommentInput) (*body[sdkcontent.Comment], error) {
	c := a.Content
	cm, err := c.Comment(ctx, caller(ctx), sdkcontent.NewComment{FileID: in.ID, Body: in.Body.Body})
	if err != nil {
		return nil, a.contentProblem(err)
	}
	return &body[sdkcontent.Comment]{cm}, nil
}

func (a *API) addFileVersion(ctx context.Context, in *IDInput) (*body[UploadResult], error) {
	c := a.Content
	p, rw := caller(ctx), rawOf(ctx)
	f, err := c.Files.Visible(ctx, c.FileViewer(p), in.ID)
	if err != nil || !f.Versioned() || (f.PartnerID == nil && !p.Staff()) {
		return nil, huma.Error404NotFound("Not found.")
	}
	var out UploadResult
	_, _, err = files.Parts(rw.w, rw.r, c.Files.MaxSize(ctx)+1<<20, func(_ map[string]string, name string, body io.Reader) error {
		if out.FileID != 0 {
			return fail.Fields(map[string]string{"file": "Send one file per request."})
		}
		v, err := c.Files.AddVersion(ctx, f, p.User.ID, files.Upload{Name: name, Body: body})
		if err != nil {
			return err
		}
		out = UploadResult{FileID: f.ID, Version: v.Number, Name: v.Name, Size: v.Size, SHA256: v.SHA256, URL: library.VersionURL(f.ID, v.Number)}
		return nil
	})
	if err != nil {
		return nil, a.problem(err)
	}
	if res, ok := c.Library.ByFile(ctx, f.ID); ok {
		_ = c.Library.Touch(ctx, res.ID)
	}
	return &body[UploadResult]{out}, nil
}

func (a *API) downloadFile(ctx context.Context, in *IDInput) (*huma.StreamResponse, error) {
	return a.download(ctx, in.ID, 0)
}

func (a *API) downloadFileVersion(ctx context.Context, in *VersionInput) (*huma.StreamResponse, error) {
	return a.download(ctx, in.ID, in.N)
}

// download streams one version of a file the caller may see (0: the
// latest), checking before streaming so refusals are problem documents.
func (a *API) download(ctx context.Context, id int64, n int) (*huma.StreamResponse, error) {
	c, p := a.Content, caller(ctx)
	if _, err := c.Files.Visible(ctx, c.FileViewer(p), id); err != nil {
		return nil, huma.Error404NotFound("Not found.")
	}
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		r, w := humago.Unwrap(hctx)
		if err := c.Files.Serve(w, r.WithContext(hctx.Context()), c.FileViewer(p), id, n, false); err != nil {
			http.Error(w, fail.Message(err), http.StatusNotFound)
		}
	}}, nil
}
