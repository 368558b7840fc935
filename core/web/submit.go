package web

import (
	"cmp"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/core/files"
	"github.com/atriumhq/atrium/sdk"
)

// A block's form is posted urlencoded, or as multipart/form-data when it
// has a file field (ui.Field{Type: "file"}). Either way the signed state is
// checked before anything in the form is acted on; for a multipart form
// that means before the first file is stored, so a forged post cannot even
// leave a file behind. Each file is staged in the file store with every
// check of an upload, and the block receives one token per file in the
// field's values, to hand to the host call that claims them.

const (
	// maxFormText bounds the text of a submitted form (all fields but
	// files), the same for both encodings.
	maxFormText = 1 << 20
	// maxFormFiles bounds how many files one submission may attach.
	maxFormFiles = 10
)

// errUnreadable is a form body that cannot be read (malformed, or text
// beyond maxFormText): answered with 400.
var errUnreadable = errors.New("the form could not be read")

// submission is a verified action form: the state its token carried, the
// values for the block (file fields hold staged files' tokens) and the
// files refused, by field.
type submission struct {
	state  string
	values url.Values
	errors map[string]string
	// files are the staged files' tokens, by file field.
	files map[string][]string
}

// refusedWithFiles finishes a submission the block refused with field
// errors: the form comes back without its files (a browser never fills a
// file input again), so each file field that had some says to attach them
// again, and what was staged for them is removed now instead of a day
// later.
func (s *Server) refusedWithFiles(r *http.Request, sub submission, res *sdk.ActionResult) {
	if len(sub.files) == 0 {
		return
	}
	if len(res.FieldErrors) == 0 {
		// Whatever the action did not claim is dropped now: a form is no
		// way to fill the file store.
		for _, tokens := range sub.files {
			s.unstage(tokens)
		}
		return
	}
	for field, tokens := range sub.files {
		if _, ok := res.FieldErrors[field]; !ok {
			res.FieldErrors[field] = tr(r, "invalid.file.attach-again")
		}
		s.unstage(tokens)
	}
}

// readSubmission reads a posted action form and verifies its signed state
// against claims. It returns errBadToken for a missing or wrong token,
// errUnreadable for a body it cannot read; refused files are not errors
// but field errors in the submission, and the files staged with them are
// removed again (the block never sees their tokens).
func (s *Server) readSubmission(w http.ResponseWriter, r *http.Request, claims actionClaims) (submission, error) {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "multipart/form-data" {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormText)
		if err := r.ParseForm(); err != nil {
			return submission{}, errUnreadable
		}
		state, err := s.verifyAction(r.PostForm.Get("_state"), claims)
		if err != nil {
			return submission{}, err
		}
		return submission{state: state, values: actionValues(r.PostForm)}, nil
	}
	return s.readMultipart(w, r, claims)
}

// readMultipart streams a multipart action form: text fields are
// collected, each file goes straight to the file store.
func (s *Server) readMultipart(w http.ResponseWriter, r *http.Request, claims actionClaims) (submission, error) {
	ctx := r.Context()
	limit := int64(maxFormText)
	if s.Content != nil {
		limit += maxFormFiles * s.Content.Files.MaxSize(ctx)
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		return submission{}, errUnreadable
	}
	form := url.Values{}
	sub := submission{errors: map[string]string{}}
	verified := false
	verify := func() error {
		if verified {
			return nil
		}
		state, err := s.verifyAction(form.Get("_state"), claims)
		if err != nil {
			return err
		}
		sub.state, verified = state, true
		return nil
	}
	var staged []string
	refuse := func(err error) (submission, error) {
		s.unstage(staged)
		return submission{}, err
	}
	text, count := 0, 0
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return refuse(errUnreadable)
		}
		field := part.FormName()
		name, isFile := fileName(part)
		if field == "" {
			continue
		}
		if !isFile {
			b, err := io.ReadAll(io.LimitReader(part, int64(maxFormText-text)+1))
			text += len(b)
			if err != nil || text > maxFormText {
				return refuse(errUnreadable)
			}
			if msg := badText(string(b)); msg != "" {
				sub.errors[field] = "This " + msg + "."
				continue
			}
			form.Add(field, string(b))
			continue
		}
		if name == "" {
			continue // a file input left empty
		}
		// The signed state comes first in every form the portal draws; a
		// post with a file before it is refused like a forged one.
		if err := verify(); err != nil {
			return refuse(err)
		}
		if sub.errors[field] != "" {
			continue // the field is refused already: its other files are skipped
		}
		if count++; count > maxFormFiles {
			sub.errors[field] = tr(r, "invalid.file.attach-at-most", "Max", maxFormFiles)
			continue
		}
		token, err := s.stage(ctx, claims.User, files.Upload{Name: name, Body: part})
		if err != nil {
			if e := failure(r, err); e.Code == fail.Invalid {
				sub.errors[field] = cmp.Or(e.Fields["file"], e.Error())
				continue
			}
			return refuse(err)
		}
		staged = append(staged, token)
		form.Add(field, token)
		if sub.files == nil {
			sub.files = map[string][]string{}
		}
		sub.files[field] = append(sub.files[field], token)
	}
	if err := verify(); err != nil {
		return refuse(err)
	}
	if len(sub.errors) > 0 {
		// The form comes back with the errors; what was attached must be
		// attached again, so nothing staged is kept for it.
		s.unstage(staged)
		for f := range sub.errors {
			form.Del(f)
		}
	}
	sub.values = actionValues(form)
	return sub, nil
}

// fileName is the file name of a part, and whether the part is a file at
// all: a file input left empty still sends a part, with filename="".
func fileName(p *multipart.Part) (string, bool) {
	_, params, err := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
	if err != nil {
		return "", false
	}
	if _, ok := params["filename"]; !ok {
		return "", false
	}
	return p.FileName(), true
}

// stage stores a file attached to a form and returns its token.
func (s *Server) stage(ctx context.Context, by int64, up files.Upload) (string, error) {
	if s.Content == nil {
		return "", fail.Field("file", "invalid.file.not-here")
	}
	token, _, err := s.Content.Files.Stage(ctx, by, up)
	return token, err
}

// unstage removes files staged for a submission that nothing claimed (the
// form was refused, or its action did not use them); files an action
// claimed are kept. What it cannot remove now the staged-file sweep
// removes later.
func (s *Server) unstage(tokens []string) {
	if len(tokens) == 0 || s.Content == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, t := range tokens {
		id, err := strconv.ParseInt(t, 10, 64)
		if err != nil {
			continue
		}
		if err := s.Content.Files.DropStaged(ctx, id); err != nil {
			s.Log.Debug("removing an unclaimed upload failed; the sweep will", "file", id, "err", err)
		}
	}
}
