package pluginpack

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"aead.dev/minisign"
	"github.com/atriumhq/atrium/sdk/manifest"
)

// ChecksumsFile, in a package, lists the SHA-256 of every other file in it,
// one "<hex>  <path>" line each (sha256sum's format).
const ChecksumsFile = "CHECKSUMS"

// SignatureSuffix is added to a package's name for its signature file.
const SignatureSuffix = ".minisig"

// Packed is a built package.
type Packed struct {
	ID, Version string
	// Name is the package's file name: vendor-name-version.tar.gz.
	Name string
	// Archive is the package; Signature its minisign signature (nil when
	// packed unsigned).
	Archive, Signature []byte
	// Files are the paths packed, the manifest first.
	Files []string
}

// Pack builds the package of the plugin in dir: plugin.yaml, every
// executable it names that is present, and CHECKSUMS. With a key it signs
// the archive; the signature's trusted comment names the plugin and
// version, which minisign shows when it verifies.
//
// The archive is reproducible: the same folder packs to the same bytes.
func Pack(dir string, key *minisign.PrivateKey) (Packed, error) {
	mb, err := os.ReadFile(filepath.Join(dir, manifest.File))
	if err != nil {
		return Packed{}, err
	}
	m, err := manifest.Decode(mb)
	if err != nil {
		return Packed{}, fmt.Errorf("%s: %w", manifest.File, err)
	}
	files := map[string][]byte{manifest.File: mb}
	modes := map[string]int64{manifest.File: 0o644}
	for plat, e := range m.Executables {
		p := path.Clean(filepath.ToSlash(e.Path))
		if !local(p) {
			return Packed{}, fmt.Errorf("executables %s: %s is outside the plugin's folder", plat, e.Path)
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if os.IsNotExist(err) {
			continue // not built for this platform; installing drops it
		}
		if err != nil {
			return Packed{}, err
		}
		files[p], modes[p] = b, 0o755
	}
	if len(files) == 1 {
		return Packed{}, fmt.Errorf("none of the executables in %s is built; build them first", manifest.File)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		if n != manifest.File {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	names = append([]string{manifest.File}, names...)
	var sums strings.Builder
	for _, n := range names {
		h := sha256.Sum256(files[n])
		fmt.Fprintf(&sums, "%s  %s\n", hex.EncodeToString(h[:]), n)
	}
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	put := func(name string, mode int64, b []byte) error {
		hdr := &tar.Header{Name: name, Mode: mode, Size: int64(len(b)), Typeflag: tar.TypeReg,
			ModTime: time.Unix(0, 0).UTC(), Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		_, err := tw.Write(b)
		return err
	}
	for _, n := range names {
		if err := put(n, modes[n], files[n]); err != nil {
			return Packed{}, err
		}
	}
	if err := put(ChecksumsFile, 0o644, []byte(sums.String())); err != nil {
		return Packed{}, err
	}
	if err := tw.Close(); err != nil {
		return Packed{}, err
	}
	if err := gz.Close(); err != nil {
		return Packed{}, err
	}
	p := Packed{ID: m.ID, Version: m.Version, Archive: buf.Bytes(), Files: append(names, ChecksumsFile),
		Name: strings.ReplaceAll(m.ID, "/", "-") + "-" + m.Version + ".tar.gz"}
	if key != nil {
		p.Signature = minisign.SignWithComments(*key, p.Archive,
			fmt.Sprintf("atrium plugin %s %s file:%s", m.ID, m.Version, p.Name),
			"signature from atrium plugins pack")
	}
	return p, nil
}

// local reports whether a cleaned slash path stays inside its folder.
func local(p string) bool {
	return p != "" && p != "." && !path.IsAbs(p) && p != ".." && !strings.HasPrefix(p, "../") &&
		!strings.Contains(p, `\`) && filepath.IsLocal(filepath.FromSlash(p))
}
