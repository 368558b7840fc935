package files

import (
	"bufio"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"

	"github.com/atriumhq/atrium/core/fail"
)

// Parts reads a multipart/form-data request in order without buffering
// files: text fields first (collected), then each file handed to fn as it
// streams in. The body is capped at limit bytes. It is shared by the pages
// and the REST API so both accept the same uploads the same way.
func Parts(w http.ResponseWriter, r *http.Request, limit int64, fn func(fields map[string]string, name string, body io.Reader) error) (map[string]string, int, error) {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	ct, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "multipart/form-data" || params["boundary"] == "" {
		return nil, 0, fail.Field("file", "invalid.file.multipart")
	}
	// mime/multipart reads 4 KB at a time; a large buffer below it saves a
	// system call per 4 KB of upload.
	mr := multipart.NewReader(bufio.NewReaderSize(r.Body, 256<<10), params["boundary"])
	fields := map[string]string{}
	n := 0
	interrupted := fail.Field("file", "invalid.file.interrupted-more")
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fields, n, interrupted
		}
		if part.FileName() == "" {
			b, err := io.ReadAll(io.LimitReader(part, 64<<10))
			if err != nil {
				return fields, n, interrupted
			}
			fields[part.FormName()] = string(b)
			continue
		}
		if err := fn(fields, part.FileName(), part); err != nil {
			return fields, n, err
		}
		n++
		part.Close()
	}
	if n == 0 {
		return fields, 0, fail.Field("file", "invalid.file.choose")
	}
	return fields, n, nil
}
