package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzhttp"
)

// compressedTypes are the responses worth compressing: pages, styles,
// scripts and the API's documents. Everything else passes as it is: the
// Server-Sent Events streams (/events, /api/v1/events), which a compressor
// would hold back until its buffer fills, and downloads, which are mostly
// compressed already (PDF, images, video, archives) and keep their byte
// ranges.
var compressedTypes = []string{
	"text/html", "text/css", "text/javascript", "application/javascript",
	"application/json", "application/problem+json", "image/svg+xml", "text/plain", "text/csv",
}

// compress wraps h with gzip and zstd, chosen by the request's
// Accept-Encoding. klauspost/compress's gzhttp is used because it is
// maintained, fast, streams (Flush passes through), leaves the response
// alone below a minimum size, and can pad compressed pages with a few bytes
// that depend on their content, which blunts length-based attacks on the
// secrets a page carries (BREACH: the signed action tokens of forms).
func compress(h http.Handler) (http.Handler, error) {
	wrap, err := gzhttp.NewWrapper(
		gzhttp.ContentTypes(compressedTypes),
		gzhttp.MinSize(1024),
		gzhttp.RandomJitter(32, 0, false),
	)
	if err != nil {
		return nil, fmt.Errorf("compression: %w", err)
	}
	compressed := wrap(h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if uncompressed(r.URL.Path) {
			h.ServeHTTP(w, r)
			return
		}
		compressed.ServeHTTP(w, r)
	}), nil
}

// uncompressed reports whether a path's responses go out untouched, with
// the server's own writer: downloads, so net/http hands the file to the
// kernel (sendfile) and byte ranges stay whole, and the event streams, which
// flush each event as it comes.
func uncompressed(path string) bool {
	return strings.HasSuffix(path, "/download") || path == "/events" || path == "/api/v1/events"
}
