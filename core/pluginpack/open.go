package pluginpack

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"aead.dev/minisign"
	"github.com/atriumhq/atrium/core/pluginhost"
	"github.com/atriumhq/atrium/sdk/manifest"
)

// The limits a package is read within, unless Options says otherwise. A
// plugin is a manifest and an executable or two; anything much bigger is a
// mistake or an attack on the portal's disk.
const (
	DefaultMaxArchive  = 256 << 20
	DefaultMaxUnpacked = 1 << 30
	DefaultMaxFiles    = 256
	maxSignature       = 4 << 10
)

// The refusals an admin may override with --allow-unsigned. A signature
// that does not match its trusted key is never overridden: the package was
// changed after its publisher signed it.
var (
	ErrUnsigned  = errors.New("the package is not signed")
	ErrUntrusted = errors.New("the package is signed by a key the portal does not trust")
	// ErrBadSignature: the signature is malformed or does not match.
	ErrBadSignature = errors.New("the package's signature does not match it")
)

// Options are what Open checks a package against.
type Options struct {
	// Keys are the publisher keys the portal trusts (see [Keys]).
	Keys []Key
	// AllowUnsigned installs a package that is unsigned or signed by a key
	// that is not trusted; it is recorded and shown as such.
	AllowUnsigned bool
	// Signature is the signature's file or https URL; by default the
	// package's own name with ".minisig" added.
	Signature string
	// MaxArchive, MaxUnpacked and MaxFiles bound the package (0 for the
	// defaults).
	MaxArchive, MaxUnpacked int64
	MaxFiles                int
	// Client fetches https sources; by default one that gives up after
	// five minutes.
	Client *http.Client
}

// Opened is a package whose signature was checked and which was unpacked
// into Dir, ready for pluginhost.InstallFrom with Origin.
type Opened struct {
	Dir    string
	Origin pluginhost.Origin
}

// Close removes the unpacked folder.
func (o *Opened) Close() error { return os.RemoveAll(o.Dir) }

// IsURL reports whether an install source names a URL rather than a path.
func IsURL(source string) bool {
	return strings.Contains(source, "://")
}

// Open reads the package at source (a file, or an https URL), checks its
// signature against the trusted keys, and only then unpacks it into a new
// temporary folder, refusing entries that would land outside it and files
// that do not match the package's checksums. Nothing in the package runs
// here: the plugin host's install starts the executable, after this.
func Open(ctx context.Context, source string, opt Options) (*Opened, error) {
	if opt.MaxArchive <= 0 {
		opt.MaxArchive = DefaultMaxArchive
	}
	if opt.MaxUnpacked <= 0 {
		opt.MaxUnpacked = DefaultMaxUnpacked
	}
	if opt.MaxFiles <= 0 {
		opt.MaxFiles = DefaultMaxFiles
	}
	archive, err := read(ctx, source, opt.MaxArchive, opt.Client)
	if err != nil {
		return nil, fmt.Errorf("read the package: %w", err)
	}
	sigSource := opt.Signature
	if sigSource == "" {
		sigSource = source + SignatureSuffix
		if IsURL(source) {
			if u, err := url.Parse(source); err == nil {
				u.Path += SignatureSuffix
				sigSource = u.String()
			}
		}
	}
	sig, err := read(ctx, sigSource, maxSignature, opt.Client)
	if errors.Is(err, os.ErrNotExist) && opt.Signature == "" {
		sig, err = nil, nil // no signature beside the package: unsigned
	}
	if err != nil {
		return nil, fmt.Errorf("read the signature: %w", err)
	}
	origin, err := verify(archive, sig, opt)
	if err != nil {
		return nil, err
	}
	origin.Source = redact(source)
	if !IsURL(source) {
		if abs, err := filepath.Abs(source); err == nil {
			origin.Source = abs
		}
	}
	dir, err := os.MkdirTemp("", "atrium-package-")
	if err != nil {
		return nil, err
	}
	if err := unpack(archive, dir, opt); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("unpack the package: %w", err)
	}
	return &Opened{Dir: dir, Origin: origin}, nil
}

// verify checks the archive's signature against the trusted keys and says
// how far the package is trusted.
func verify(archive, sig []byte, opt Options) (pluginhost.Origin, error) {
	if sig == nil {
		if !opt.AllowUnsigned {
			return pluginhost.Origin{}, fmt.Errorf("%w; ask its publisher for a signed one, or install it anyway with --allow-unsigned", ErrUnsigned)
		}
		return pluginhost.Origin{Trust: pluginhost.TrustUnsigned}, nil
	}
	var s minisign.Signature
	if err := s.UnmarshalText(sig); err != nil {
		return pluginhost.Origin{}, fmt.Errorf("%w: %v", ErrBadSignature, err)
	}
	id := KeyID(s.KeyID)
	for _, k := range opt.Keys {
		if k.ID != id {
			continue
		}
		pk, err := ParsePublicKey(k.PublicKey)
		if err != nil {
			return pluginhost.Origin{}, fmt.Errorf("trusted key %s (%s): %w", k.ID, k.Name, err)
		}
		if !minisign.Verify(pk, archive, sig) {
			return pluginhost.Origin{}, fmt.Errorf("%w: it is not the package %s (key %s) signed; it may have been changed on the way", ErrBadSignature, k.Name, k.ID)
		}
		return pluginhost.Origin{Trust: pluginhost.TrustSigned, KeyID: id, Publisher: k.Name}, nil
	}
	if !opt.AllowUnsigned {
		return pluginhost.Origin{}, fmt.Errorf("%w (key %s); trust its publisher's key with atrium plugins trust add, or install it anyway with --allow-unsigned", ErrUntrusted, id)
	}
	return pluginhost.Origin{Trust: pluginhost.TrustUntrusted, KeyID: id}, nil
}

// read reads a file or an https URL, refusing more than limit bytes. A
// missing file or a 404 is os.ErrNotExist.
func read(ctx context.Context, source string, limit int64, client *http.Client) ([]byte, error) {
	var r io.Reader
	if IsURL(source) {
		u, err := url.Parse(source)
		if err != nil {
			return nil, err
		}
		if u.Scheme != "https" {
			return nil, fmt.Errorf("%s: only https URLs are installed from", redact(source))
		}
		if client == nil {
			client = &http.Client{Timeout: 5 * time.Minute}
		}
		c := *client
		c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
			if req.URL.Scheme != "https" {
				return fmt.Errorf("redirected to %s, which is not https", req.URL.Redacted())
			}
			if len(via) >= 5 {
				return errors.New("too many redirects")
			}
			return nil
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, source, nil)
		if err != nil {
			return nil, err
		}
		res, err := c.Do(req)
		if err != nil {
			// net/http's error repeats the URL, query and all.
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err
			}
			return nil, fmt.Errorf("%s: %w", redact(source), err)
		}
		defer res.Body.Close()
		switch {
		case res.StatusCode == http.StatusNotFound:
			return nil, fmt.Errorf("%s: %w", redact(source), os.ErrNotExist)
		case res.StatusCode != http.StatusOK:
			return nil, fmt.Errorf("%s: %s", redact(source), res.Status)
		case res.ContentLength > limit:
			return nil, fmt.Errorf("%s is %d bytes, more than the %d allowed", redact(source), res.ContentLength, limit)
		}
		r = res.Body
	} else {
		f, err := os.Open(source)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.IsDir() {
			return nil, fmt.Errorf("%s is a folder, not a package", source)
		}
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is more than the %d bytes allowed", redact(source), limit)
	}
	return b, nil
}

// redact drops a URL's user information and query (which may carry a
// token) before it is shown or recorded.
func redact(source string) string {
	if !IsURL(source) {
		return source
	}
	u, err := url.Parse(source)
	if err != nil {
		return "an unreadable URL"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}

// unpack writes the archive's files into dir, each checked against the
// package's checksums. Only plain files and folders are accepted, each
// inside the package; the writes go through an os.Root on dir, which
// refuses any path that would leave it.
func unpack(archive []byte, dir string, opt Options) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	gz, err := gzip.NewReader(bytes.NewReader(archive))
	if err != nil {
		return fmt.Errorf("not a gzipped tar file: %w", err)
	}
	tr := tar.NewReader(gz)
	sums := map[string]string{}
	var checksums []byte
	var total int64
	for n := 0; ; n++ {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("not a readable tar file: %w", err)
		}
		if n >= opt.MaxFiles {
			return fmt.Errorf("more than %d entries", opt.MaxFiles)
		}
		name := path.Clean(strings.TrimPrefix(hdr.Name, "./"))
		if !local(name) {
			return fmt.Errorf("entry %s would be written outside the package", quote(hdr.Name))
		}
		if hdr.Typeflag == tar.TypeDir {
			if err := root.MkdirAll(name, 0o755); err != nil {
				return err
			}
			continue
		}
		if hdr.Typeflag != tar.TypeReg {
			return fmt.Errorf("entry %s is not a plain file (links and devices are refused)", quote(hdr.Name))
		}
		if _, dup := sums[name]; dup || (name == ChecksumsFile && checksums != nil) {
			return fmt.Errorf("entry %s appears twice", quote(name))
		}
		if total += hdr.Size; hdr.Size < 0 || total > opt.MaxUnpacked {
			return fmt.Errorf("more than %d bytes unpacked", opt.MaxUnpacked)
		}
		if name == ChecksumsFile {
			if checksums, err = io.ReadAll(io.LimitReader(tr, 1<<20)); err != nil {
				return err
			}
			continue
		}
		if d := path.Dir(name); d != "." {
			if err := root.MkdirAll(d, 0o755); err != nil {
				return err
			}
		}
		mode := os.FileMode(0o644)
		if hdr.Mode&0o111 != 0 {
			mode = 0o755
		}
		f, err := root.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, mode)
		if err != nil {
			return err
		}
		h := sha256.New()
		_, err = io.CopyN(io.MultiWriter(f, h), tr, hdr.Size)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		sums[name] = hex.EncodeToString(h.Sum(nil))
	}
	if checksums == nil {
		return fmt.Errorf("the package has no %s", ChecksumsFile)
	}
	listed := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(checksums))
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		sum, name, ok := strings.Cut(line, "  ")
		if !ok {
			return fmt.Errorf("%s: unreadable line %s", ChecksumsFile, quote(line))
		}
		got, ok := sums[name]
		switch {
		case !ok:
			return fmt.Errorf("%s lists %s, which the package does not hold", ChecksumsFile, quote(name))
		case got != sum:
			return fmt.Errorf("%s has sha256 %s, %s says %s", quote(name), got, ChecksumsFile, sum)
		}
		listed[name] = true
	}
	for name := range sums {
		if !listed[name] {
			return fmt.Errorf("%s is in the package but not in %s", quote(name), ChecksumsFile)
		}
	}
	if !listed[manifest.File] {
		return fmt.Errorf("the package has no %s", manifest.File)
	}
	return nil
}

// Install opens the package at source (see [Open]) and hands the unpacked
// folder to install (pluginhost.InstallFrom, or a running portal's
// Manager.InstallFrom), which runs the plugin checker, starts the
// executable once and replaces the installed copy only when all is well.
// The unpacked folder is removed afterwards.
func Install(ctx context.Context, source string, opt Options,
	install func(dir string, origin pluginhost.Origin) (pluginhost.Manifest, error)) (pluginhost.Manifest, pluginhost.Origin, error) {
	o, err := Open(ctx, source, opt)
	if err != nil {
		return pluginhost.Manifest{}, pluginhost.Origin{}, err
	}
	defer o.Close()
	m, err := install(o.Dir, o.Origin)
	return m, o.Origin, err
}
